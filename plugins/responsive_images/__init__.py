"""Content images processed at build time with Pillow.

Each <img> in a post or page that points into content/images/ becomes an
<img> with WebP variants in srcset, a metadata-free fallback, width and height
(no layout shift) and lazy loading after the first image. Originals are never
published, so their EXIF and GPS data stay on the author's machine. Variants
are cached between builds; an oversized original gets a notice.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pelican import signals
from pelican.contents import Content, Static

from sitecore import Build, Problem, report
from sitecore.settings import Setting, apply
from sitecore.site import is_public

from .images import ATTR, IMG, RASTER, TooManyPixels, Variant, img_tag, oversized, plan, render

logger = logging.getLogger(__name__)


@dataclass
class ImageVariants:
    """Planned as content is read, written in the *files* phase."""

    by_name: dict[str, Variant] = field(default_factory=dict)


def resolve(src: str, source_path: str, content_root: str) -> Path | None:
    path = unquote(urlsplit(src).path)
    for prefix in ("{static}", "{attach}", "|static|"):
        if path.startswith(prefix):
            path = path[len(prefix):]
    if not path or "://" in src or path.startswith("//"):
        return None
    full = (Path(content_root) / path.lstrip("/")) if path.startswith("/") else \
        Path(source_path).parent / path
    return full.resolve() if full.suffix.lower() in RASTER and full.is_file() else None


def rewrite_images(content):
    if not isinstance(content, Content) or isinstance(content, Static) or not content._content:
        return
    settings = content.settings
    images = Path(settings["PATH"], settings["IMAGE_SOURCE_DIR"]).resolve()
    registry = Build.current().state(ImageVariants).by_name
    siteurl = settings.get("SITEURL", "")
    seen = 0

    def replace(match):
        nonlocal seen
        attrs = {m.group("name").lower(): m.group("value") for m in ATTR.finditer(match.group("attrs"))}
        source = resolve(attrs.get("src", ""), content.source_path, settings["PATH"])
        if source is None or images not in source.parents:
            return match.group(0)
        if not is_public(content):  # its variants would be public files
            report(logger, Problem(
                content.source_path, "kuva",
                f"jäsenalueen sivulle ei voi upottaa kuvaa {os.path.relpath(source)}: "
                "kuvat julkaistaan salaamattomina.",
                "Lisää kuva liitteeksi (Attachments: tiedostot/kuva.png), niin se salataan."))
            return match.group(0)
        try:
            webp, fallback, size = plan(source, settings["IMAGE_OUTPUT_DIR"])
        except TooManyPixels as error:
            count = f" ({error.pixels / 1e6:.0f} miljoonaa)" if error.pixels else ""
            report(logger, Problem(
                str(source), "kuva", f"kuvassa on liikaa pikseleitä{count}: enintään "
                f"{error.limit / 1e6:.0f} miljoonaa käsitellään.",
                "Pienennä kuva kuvankäsittelyohjelmassa enintään 2560 pikseliä leveäksi ja tallenna se "
                "uudelleen samalla nimellä."))
            return match.group(0)
        for variant in (*webp, fallback):
            registry[variant.name] = variant
        if oversized(source, size):
            Build.current().notice(f"Kuva {os.path.relpath(source)} on suuri ({size[0]}×{size[1]} px, "
                   f"{source.stat().st_size / 1024 / 1024:.1f} Mt): pienennä se ennen lisäämistä, "
                   "esimerkiksi enintään 2560 px leveäksi.")
        seen += 1
        return img_tag(attrs, webp, fallback, siteurl, eager=seen == 1)

    # Pelican has no public setter for a content's HTML before its links are
    # resolved; ``_content`` is what its own readers fill (see README, "Pelican's API").
    content._content = IMG.sub(replace, content._content)


def write_variants(pelican):
    settings = pelican.settings
    build = Build.current()
    output = Path(settings["OUTPUT_PATH"])
    cache = Path(settings["CACHE_PATH"]) / "images"
    variants = list(build.state(ImageVariants).by_name.values())
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(lambda v: render(v, output / v.name, cache, build.write_output), variants))


SETTINGS = (
    Setting("IMAGE_SOURCE_DIR", "images", (str,), "sisältökansion alikansio, jonka kuvat käsitellään"),
    Setting("IMAGE_OUTPUT_DIR", "kuvat", (str,), "kansio, johon kuvien versiot kirjoitetaan",
            lambda value: bool(value.strip("/"))),
)


def join_build(pelican):
    for problem in apply(pelican.settings, SETTINGS):
        report(logger, problem)
    Build.current().join("files", write_variants)


def register():
    signals.content_object_init.connect(rewrite_images)
    signals.initialized.connect(join_build)

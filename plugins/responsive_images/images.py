"""Resized, metadata-free variants of content images, and the <img> that uses them."""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

WIDTHS = (480, 800, 1200, 1600)
RASTER = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
MAX_SIDE = 2560  # larger originals only slow the build and the author's upload
MAX_BYTES = 3 * 1024 * 1024
SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
IMG = re.compile(r"<img\b(?P<attrs>[^>]*?)\s*/?>", re.I)
ATTR = re.compile(r'(?P<name>[a-zA-Z-]+)="(?P<value>[^"]*)"')


@dataclass(frozen=True)
class Variant:
    source: Path
    width: int
    height: int
    format: str  # "WEBP" or the original's
    name: str  # output path, e.g. kuvat/kuva-3f2a9c1b-800.webp


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


class TooManyPixels(ValueError):
    """An image larger than Pillow's limit (Image.MAX_IMAGE_PIXELS): a decompression
    bomb, or a photo far larger than any page needs; decoding it could take gigabytes."""

    def __init__(self, source: Path, pixels: int | None):
        super().__init__(f"{source}: {pixels} pixels")
        self.source, self.pixels, self.limit = source, pixels, Image.MAX_IMAGE_PIXELS


def plan(source: Path, folder: str) -> tuple[list[Variant], Variant, tuple[int, int]]:
    """WebP variants for srcset, a fallback in the original format, and the original's size."""
    with warnings.catch_warnings():  # over the limit Pillow warns, and at twice it refuses
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(source)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            count = re.search(r"\((\d+) pixels\)", str(error))
            raise TooManyPixels(source, int(count[1]) if count else None) from error
    with image:
        width, height = ImageOps.exif_transpose(image).size if _rotated(image) else image.size
    stem, tag = source.stem, digest(source)
    widths = sorted({w for w in WIDTHS if w < width} | {min(width, WIDTHS[-1])})
    ext = source.suffix.lower().lstrip(".")
    ext = "jpg" if ext == "jpeg" else ext

    def variant(w, fmt, suffix):
        return Variant(source, w, round(height * w / width), fmt, f"{folder}/{stem}-{tag}-{w}.{suffix}")

    webp = [variant(w, "WEBP", "webp") for w in widths]
    fallback = variant(widths[-1], RASTER[source.suffix.lower()], ext)
    return webp, fallback, (width, height)


def _rotated(image) -> bool:
    return image.getexif().get(0x0112, 1) not in (1, None)


def render(variant: Variant, target: Path, cache: Path | None,
           write_output: Callable[[Path, bytes], object]) -> None:
    """Write one variant with no EXIF, GPS or other metadata (a cached one through ``write_output``)."""
    cached = cache / Path(variant.name).name if cache else None
    if cached and cached.is_file():
        write_output(target, cached.read_bytes())
        return
    with Image.open(variant.source) as original:
        image = ImageOps.exif_transpose(original)
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        image = image.resize((variant.width, variant.height), Image.Resampling.LANCZOS)
        image.info = {}  # drop EXIF, XMP, ICC comments and text chunks
        target.parent.mkdir(parents=True, exist_ok=True)
        options = {"WEBP": {"quality": 80, "method": 4}, "JPEG": {"quality": 85, "optimize": True,
                   "progressive": True}, "PNG": {"optimize": True}}[variant.format]
        if variant.format == "JPEG" and image.mode != "RGB":
            image = image.convert("RGB")
        image.save(target, variant.format, **options)
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(target.read_bytes())


def oversized(source: Path, size: tuple[int, int]) -> bool:
    return max(size) > MAX_SIDE or source.stat().st_size > MAX_BYTES


def img_tag(attrs: dict, webp: list[Variant], fallback: Variant, siteurl: str, eager: bool) -> str:
    keep = {k: v for k, v in attrs.items() if k not in {"src", "srcset", "sizes", "width", "height",
                                                        "loading", "decoding"}}
    srcset = ", ".join(f"{siteurl}/{v.name} {v.width}w" for v in webp)
    parts = [f'src="{siteurl}/{fallback.name}"', f'srcset="{srcset}"', f'sizes="{SIZES}"',
             f'width="{fallback.width}"', f'height="{fallback.height}"',
             f'loading="{"eager" if eager else "lazy"}"', 'decoding="async"']
    parts += [f'{k}="{v}"' for k, v in keep.items()]
    return "<img " + " ".join(parts) + ">"

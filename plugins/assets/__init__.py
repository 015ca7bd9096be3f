"""Minified, fingerprinted CSS and JavaScript.

Templates ask for ``asset("css/site.css")`` and get a URL such as
``/theme/css/site.3f2a9c1b.css``: the name changes whenever the content does,
so browsers may cache the files for a year (see the header files). The
readable sources in theme/static/ are never published.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import rcssmin
import rjsmin
from pelican import signals

from sitecore import Build

MINIFIERS = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}


@dataclass
class AssetManifest:
    """Made when Pelican starts, read by templates, written in the *files* phase."""

    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # see build_manifest


def minify(path: Path) -> bytes:
    if path.name.endswith(".min.js"):  # vendored from npm, already minified: kept byte for byte
        return path.read_bytes()
    text = path.read_text(encoding="utf-8")
    return MINIFIERS[path.suffix](text).encode("utf-8")


def fingerprinted_name(relative: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:10]
    stem, suffix = os.path.splitext(relative)
    return f"{stem}.{digest}{suffix}"


def build_manifest(static_dir: Path) -> dict[str, tuple[str, bytes]]:
    """relative source path -> (fingerprinted path, minified bytes)."""
    manifest = {}
    for path in sorted(static_dir.rglob("*")):
        if path.suffix in MINIFIERS and path.is_file():
            relative = path.relative_to(static_dir).as_posix()
            data = minify(path)
            manifest[relative] = (fingerprinted_name(relative, data), data)
    return manifest


def prepare(pelican):
    settings = pelican.settings
    static_dir = Path(settings["THEME"]) / "static"
    build = Build.current()
    build.state(AssetManifest).files = build_manifest(static_dir)
    build.join("files", write_assets)


def add_asset_function(generator):
    manifest = Build.current().state(AssetManifest).files
    siteurl = generator.settings.get("SITEURL", "")
    theme_dir = generator.settings.get("THEME_STATIC_DIR", "theme")

    def asset(relative: str) -> str:
        # A KeyError here names the missing file in the build's error message.
        return f"{siteurl}/{theme_dir}/{manifest[relative][0]}"

    generator.env.globals["asset"] = asset


def write_assets(pelican):
    settings = pelican.settings
    build = Build.current()
    output = Path(settings["OUTPUT_PATH"]) / settings.get("THEME_STATIC_DIR", "theme")
    for relative, (name, data) in build.state(AssetManifest).files.items():
        (output / relative).unlink(missing_ok=True)  # Pelican's copy of the readable source
        build.write_output(output / name, data)


def register():
    signals.initialized.connect(prepare)
    signals.generator_init.connect(add_asset_function)

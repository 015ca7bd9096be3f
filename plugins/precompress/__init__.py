"""gzip and brotli copies of text files, for servers that send them as they are.

Runs last; only when PRECOMPRESS is set (the production build).
"""

from __future__ import annotations

import gzip
import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli
from pelican import signals

TEXT = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".ics", ".webmanifest", ".mjs"}
MIN_SIZE = 256  # smaller files gain nothing
# Brotli's top quality costs about 40 times quality 7 for some 8 % smaller pages.
# Fingerprinted assets are few and cached for a year: they get the best.
PAGE_QUALITY, ASSET_QUALITY = 7, 11


def compressed(data: bytes, quality: int) -> tuple[bytes, bytes]:
    # mtime=0 keeps the copies identical between builds of the same content.
    return gzip.compress(data, compresslevel=9, mtime=0), brotli.compress(data, quality=quality)


def compress_file(path: Path, quality: int, cache: Path | None) -> None:
    data = path.read_bytes()
    key = hashlib.sha256(data + bytes([quality])).hexdigest()
    cached = [cache / f"{key}.gz", cache / f"{key}.br"] if cache else None
    if cached and all(c.is_file() for c in cached):
        copies = [c.read_bytes() for c in cached]
    else:
        copies = compressed(data, quality)
        if cached:
            cache.mkdir(parents=True, exist_ok=True)
            for target, copy in zip(cached, copies):
                target.write_bytes(copy)
    for suffix, copy in zip((".gz", ".br"), copies):
        path.with_name(path.name + suffix).write_bytes(copy)


def compress_output(pelican):
    settings = pelican.settings
    if not settings.get("PRECOMPRESS"):
        return
    output = Path(settings["OUTPUT_PATH"])
    assets = output / settings.get("THEME_STATIC_DIR", "theme")
    cache = Path(settings["CACHE_PATH"]) / "compressed"
    search = output / "pagefind"  # written meanwhile by Pagefind, its index files are compressed
    files = [p for p in output.rglob("*")
             if p.suffix in TEXT and search not in p.parents and p.is_file()
             and p.stat().st_size >= MIN_SIZE]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(lambda p: compress_file(
            p, ASSET_QUALITY if assets in p.parents else PAGE_QUALITY, cache), files))


def register():
    signals.finalized.connect(compress_output)

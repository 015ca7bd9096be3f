"""gzip and brotli copies of text files, for servers that send them as they are.

Runs last; only when PRECOMPRESS is set (the production build). A file the
build left unchanged keeps the copies the earlier build made of it.
"""

from __future__ import annotations

import gzip
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli
from pelican import signals

from strict_build import filled_later, keep, unchanged, write_output

TEXT = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".ics", ".webmanifest", ".mjs"}
MIN_SIZE = 256  # smaller files gain nothing
# Brotli's top quality costs about 40 times quality 7 for some 8 % smaller pages.
# Fingerprinted assets are few and cached for a year: they get the best.
PAGE_QUALITY, ASSET_QUALITY = 7, 11
SUFFIXES = (".gz", ".br")


def compressed(data: bytes, quality: int) -> tuple[bytes, bytes]:
    # mtime=0 keeps the copies identical between builds of the same content.
    return gzip.compress(data, compresslevel=9, mtime=0), brotli.compress(data, quality=quality)


def compress_file(path: Path, quality: int) -> None:
    copies = [path.with_name(path.name + suffix) for suffix in SUFFIXES]
    if unchanged(path) and all(copy.is_file() for copy in copies):
        for copy in copies:
            keep(copy)
        return
    for copy, data in zip(copies, compressed(path.read_bytes(), quality)):
        write_output(copy, data)


def compress_output(pelican):
    settings = pelican.settings
    if not settings.get("PRECOMPRESS"):
        return
    output = Path(settings["OUTPUT_PATH"])
    assets = output / settings.get("THEME_STATIC_DIR", "theme")
    search = output / "pagefind"  # written meanwhile by Pagefind, its index files are compressed
    files = [p for p in output.rglob("*")
             if p.suffix in TEXT and search not in p.parents and p.is_file()
             and p.stat().st_size >= MIN_SIZE]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(lambda p: compress_file(
            p, ASSET_QUALITY if assets in p.parents else PAGE_QUALITY), files))


def spare_copies(pelican):
    if pelican.settings.get("PRECOMPRESS"):
        for suffix in SUFFIXES:
            filled_later(suffix=suffix)


def register():
    signals.initialized.connect(spare_copies)
    signals.finalized.connect(compress_output)

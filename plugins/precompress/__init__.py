"""gzip and brotli copies of text files, for servers that send them as they are.

Runs last; only when PRECOMPRESS is set (the production build).
"""

from __future__ import annotations

import gzip
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli
from pelican import signals

from sitecore import Build, report
from sitecore.settings import Setting, apply

TEXT = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".ics", ".webmanifest", ".mjs"}
MIN_SIZE = 256  # smaller files gain nothing
# Brotli's top quality costs about 40 times quality 5 for some 8 % smaller pages;
# quality 7 costs 1.6 times quality 5 for 0.6 % smaller ones. Fingerprinted
# assets are few and cached for a year: they get the best.
PAGE_QUALITY, ASSET_QUALITY = 5, 11
SUFFIXES = (".gz", ".br")
SETTINGS = (Setting("PRECOMPRESS", False, (bool,), "True (pakatut kopiot tehdään) tai False"),)
logger = logging.getLogger(__name__)


def compressed(data: bytes, quality: int) -> tuple[bytes, bytes]:
    # mtime=0 keeps the copies identical between builds of the same content.
    return gzip.compress(data, compresslevel=9, mtime=0), brotli.compress(data, quality=quality)


def compress_file(path: str, quality: int) -> None:
    data = Path(path).read_bytes()
    if len(data) >= MIN_SIZE:
        for suffix, copy in zip(SUFFIXES, compressed(data, quality)):
            Path(path + suffix).write_bytes(copy)


def text_files(output: str, skip: str):
    for folder, subfolders, names in os.walk(output):
        if folder == skip:
            subfolders.clear()
            continue
        for name in names:
            if os.path.splitext(name)[1] in TEXT:
                yield os.path.join(folder, name)


def compress_output(pelican):
    settings = pelican.settings
    output = os.path.normpath(settings["OUTPUT_PATH"])
    assets = os.path.join(output, settings.get("THEME_STATIC_DIR", "theme")) + os.sep
    search = os.path.join(output, "pagefind")  # written meanwhile by Pagefind, its files are compressed
    files = list(text_files(output, search))
    # zlib and brotli let go of the GIL while they compress: threads use every core.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(lambda p: compress_file(p, ASSET_QUALITY if p.startswith(assets) else PAGE_QUALITY),
                      files))


def join_build(pelican):
    for problem in apply(pelican.settings, SETTINGS):
        report(logger, problem)
    if pelican.settings["PRECOMPRESS"] is True:
        Build.current().join("compress", compress_output)


def register():
    signals.initialized.connect(join_build)

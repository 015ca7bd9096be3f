"""gzip and brotli copies of text files, for servers that send them as they are.

Runs last; only when PRECOMPRESS is set (the production build). A file the
build left unchanged keeps the copies the earlier build made of it.
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


def compress_file(path: str, quality: int, build: Build) -> None:
    data = Path(path).read_bytes()
    if len(data) >= MIN_SIZE:
        for suffix, copy in zip(SUFFIXES, compressed(data, quality)):
            build.write_output(path + suffix, copy)


def text_files(output: str, skip: str, build: Build):
    """(path, reusable) for each text file; reusable when the build left it
    unchanged and the earlier build's copies of it are there."""
    for folder, subfolders, names in os.walk(output):
        if folder == skip:
            subfolders.clear()
            continue
        present = set(names)
        for name in names:
            if os.path.splitext(name)[1] in TEXT:
                path = os.path.join(folder, name)
                copies = [name + suffix for suffix in SUFFIXES]
                yield path, build.unchanged(path) and all(copy in present for copy in copies)


def compress_output(pelican):
    settings = pelican.settings
    build = Build.of(settings)
    output = os.path.normpath(settings["OUTPUT_PATH"])
    assets = os.path.join(output, settings.get("THEME_STATIC_DIR", "theme")) + os.sep
    search = os.path.join(output, "pagefind")  # written meanwhile by Pagefind, its files are compressed
    work = []
    for path, reusable in text_files(output, search, build):
        if reusable:
            for suffix in SUFFIXES:
                build.keep(path + suffix)
        else:
            work.append(path)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(lambda p: compress_file(
            p, ASSET_QUALITY if p.startswith(assets) else PAGE_QUALITY, build), work))


def join_build(pelican):
    for problem in apply(pelican.settings, SETTINGS):
        report(logger, problem)
    if pelican.settings["PRECOMPRESS"] is True:
        build = Build.of(pelican.settings)
        for suffix in SUFFIXES:
            build.fill_later(suffix=suffix)
        build.join("compress", compress_output)


def register():
    signals.initialized.connect(join_build)

"""gzip and brotli copies of text files, for servers that send them as they are.

Runs last; only when PRECOMPRESS is set (the production build).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli
from pelican import signals

TEXT = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".ics", ".webmanifest", ".mjs"}
MIN_SIZE = 256  # smaller files gain nothing


def compress_file(path: Path) -> None:
    data = path.read_bytes()
    # mtime=0 keeps the copies identical between builds of the same content.
    path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    path.with_name(path.name + ".br").write_bytes(brotli.compress(data, quality=11))


def compress_output(pelican):
    settings = pelican.settings
    if not settings.get("PRECOMPRESS"):
        return
    for path in Path(settings["OUTPUT_PATH"]).rglob("*"):
        if path.suffix in TEXT and path.is_file() and path.stat().st_size >= MIN_SIZE:
            compress_file(path)


def register():
    signals.finalized.connect(compress_output)

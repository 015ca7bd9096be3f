"""Build on an earlier build: write only the files whose bytes changed.

Creating files is the slowest thing a build does on some disks (ext4 searches
past recently deleted inodes for a free one): slower than rendering the page.
So the staging folder starts as a complete earlier build, the one before the
live output. A file whose bytes are unchanged is left as it is (``keep``), a
changed one is rewritten in place, a new one is created; at the end ``sweep``
removes every file this build neither wrote nor kept.

"Written" is read from the inode change time: any write, copy or link sets it
to now, so producers that know nothing of this module still count.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection
from pathlib import Path

MARKER = ".build-started"


def start_time(folder: Path) -> int:
    """The file-system clock at the start of a build into ``folder``, in ns.

    Read from a marker file rather than Python's clock: file times come from
    the kernel's coarser clock (some file systems count whole seconds), and
    only they are compared with it. The clock is waited on until it ticks, so
    that files written just before the build are older than what it returns.
    """
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / MARKER
    marker.touch()
    before = marker.stat().st_ctime_ns
    started = before
    while started == before:
        time.sleep(0.001)
        marker.touch()
        started = marker.stat().st_ctime_ns
    marker.unlink()
    return started


def same_bytes(path: str | os.PathLike, data: bytes) -> bool:
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def write_if_changed(path: str | os.PathLike, data: bytes,
                     keep: Callable[[str], None] | None = None) -> bool:
    """Write ``data`` unless ``path`` already holds exactly it; True if written.

    An unchanged file is reported to ``keep`` so the sweep spares it.
    """
    if same_bytes(path, data):
        if keep is not None:
            keep(os.fspath(path))
        return False
    os.makedirs(os.path.dirname(os.fspath(path)) or ".", exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)
    return True


def sweep(root: Path, since_ns: int, kept: Collection[str], skip_folders: Collection[str] = (),
          skip_suffixes: tuple[str, ...] = (), only_suffixes: tuple[str, ...] = ()) -> int:
    """Remove files under ``root`` untouched since ``since_ns`` and not in ``kept``.

    Folders left empty go too. Files in ``skip_folders`` (absolute paths) and
    with ``skip_suffixes`` are spared: the build fills them later, reusing
    what it can. Given ``only_suffixes``, only files with those endings go.
    Returns the number of files removed.
    """
    removed = 0

    def visit(folder: str) -> bool:  # True when the folder is left empty
        nonlocal removed
        empty = True
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.path in skip_folders or not visit(entry.path):
                        empty = False
                    else:
                        os.rmdir(entry.path)
                elif (entry.path in kept or entry.name.endswith(skip_suffixes)
                      or (only_suffixes and not entry.name.endswith(only_suffixes))
                      or entry.stat(follow_symlinks=False).st_ctime_ns >= since_ns):
                    empty = False
                else:
                    os.unlink(entry.path)
                    removed += 1
        return empty

    if root.is_dir():
        visit(os.path.normpath(root))
    return removed

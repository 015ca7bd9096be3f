"""Staging and swap: a build is made beside the output and replaces it only when clean.

Each build starts from an empty staging folder; the output folder always
holds the last good build (``make serve`` keeps serving it meanwhile).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


class Staging:
    def __init__(self, output: str | os.PathLike):
        self.output = Path(output).resolve()
        self.folder = self.output.with_name(f".{self.output.name}.building")
        self.old = self.output.with_name(f".{self.output.name}.old")

    def begin(self) -> Path:
        """An empty staging folder (a stopped build's leftovers go)."""
        remove(self.folder)
        remove(self.old)
        self.folder.mkdir(parents=True)
        return self.folder

    def swap(self) -> None:
        """Staging becomes the output; the previous output goes."""
        if self.output.exists():
            os.rename(self.output, self.old)
        os.rename(self.folder, self.output)
        remove(self.old)

    def discard(self) -> None:
        """A failed build: the output stays as it was."""
        remove(self.folder)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()

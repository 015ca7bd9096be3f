"""Staging and swap: a build is made beside the output and replaces it only when clean.

The staging folder starts as the build before the live one (the "spare"),
so only changed files need writing (see ``sitecore.reuse``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


class Staging:
    def __init__(self, output: str | os.PathLike):
        self.output = Path(output).resolve()
        self.folder = self.output.with_name(f".{self.output.name}.building")
        self.spare = self.output.with_name(f".{self.output.name}.spare")
        self.reused = False

    def begin(self) -> Path:
        """Make the staging folder: the spare build when there is one."""
        remove(self.folder)  # left by a build that was stopped: its state is unknown
        # Telling written files from old ones needs POSIX inode change times.
        self.reused = self.spare.is_dir() and os.name == "posix"
        if self.reused:
            os.rename(self.spare, self.folder)
        else:
            remove(self.spare)
        return self.folder

    def swap(self) -> None:
        """Staging becomes the output; the output, the next build's starting point."""
        remove(self.spare)
        if self.output.exists():
            os.rename(self.output, self.spare)
        os.rename(self.folder, self.output)

    def discard(self, untouched: bool) -> None:
        """A failed build: staging goes, or back to being the spare if nothing was written."""
        if untouched and self.reused:
            os.rename(self.folder, self.spare)
        else:
            remove(self.folder)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()

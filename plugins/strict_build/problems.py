"""Content problems: what is wrong, where, and how to fix it.

Every plugin of ours reports bad content as a ``Problem`` so that the build
can print one consistent message for staff who write Markdown, not Python.
The messages are in Finnish because that is who reads them; the staff guide
(docs/kirjoittajan-opas.md) explains each one.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    source: str  # file the writer must open (path as given to Pelican)
    field: str  # front-matter field or part of the file ("" when not known)
    message: str  # what is wrong, in Finnish
    fix: str  # what to do about it, in Finnish

    def text(self, root: str | None = None) -> str:
        source = self.source
        if root and source and os.path.isabs(source):
            try:
                source = os.path.relpath(source, root)
            except ValueError:  # another drive on Windows
                pass
        lines = [f"VIRHE: {source or '(tiedosto ei tiedossa)'}"]
        if self.field:
            lines.append(f"  kenttä:   {self.field}")
        lines.append(f"  ongelma:  {self.message}")
        lines.append(f"  korjaus:  {self.fix}")
        return "\n".join(lines)


class ContentError(ValueError):
    """Raised where bad content makes it impossible to go on with a file."""

    def __init__(self, field: str, message: str, fix: str, source: str = ""):
        super().__init__(message)
        self.field = field
        self.message = message
        self.fix = fix
        self.source = source

    def problem(self, source: str | None = None) -> Problem:
        return Problem(source or self.source, self.field, self.message, self.fix)


def report(logger: logging.Logger, problem: Problem) -> None:
    """Log a problem so that the build runner collects it and fails."""
    logger.error(problem.text(), extra={"problem": problem})

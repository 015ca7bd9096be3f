"""Content problems: what is wrong, where, and how to fix it.

Every plugin of ours reports bad content as a ``Problem`` so that the build
can print one consistent message for staff who write Markdown, not Python.
The messages are in Finnish because that is who reads them; the staff guide
(docs/kirjoittajan-opas.md) explains each one.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    source: str  # file the writer must open (path as given to Pelican)
    field: str  # front-matter field or part of the file ("" when not known)
    message: str  # what is wrong, in Finnish
    fix: str  # what to do about it, in Finnish

    def relative_source(self, root: str | None = None) -> str:
        source = self.source
        if root and source and os.path.isabs(source):
            try:
                source = os.path.relpath(source, root)
            except ValueError:  # another drive on Windows
                pass
        return source

    def text(self, root: str | None = None) -> str:
        source = self.relative_source(root)
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


# Next to the output folder while the last build into it failed: what
# `make serve` shows in the browser and why the deploy script refuses.
def problems_file(output: str | os.PathLike) -> Path:
    output = Path(output)
    return output.with_name(f".{output.name}.problems.json")


def record_problems(output: str | os.PathLike, problems: list[Problem]) -> None:
    data = [dataclasses.asdict(problem) for problem in problems]
    problems_file(output).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                                     encoding="utf-8")


def forget_problems(output: str | os.PathLike) -> None:
    problems_file(output).unlink(missing_ok=True)


def last_problems(output: str | os.PathLike) -> list[Problem]:
    """The problems of the last build into ``output``; empty when it succeeded."""
    try:
        data = json.loads(problems_file(output).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [Problem(**item) for item in data]


def summary_markdown(problems: list[Problem], root: str | None = None) -> str:
    """The build's outcome for a CI job summary (GitHub's $GITHUB_STEP_SUMMARY), in Finnish."""
    if not problems:
        return "## Sivuston kokoaminen onnistui\n\nSivustossa ei löytynyt virheitä.\n"
    count = len(problems)
    lines = [f"## Sivuston kokoaminen epäonnistui: {count} {'virhe' if count == 1 else 'virhettä'}",
             "", "| tiedosto | kenttä | ongelma | korjaus |", "|---|---|---|---|"]
    for problem in sorted(problems, key=lambda p: (p.source, p.field)):
        cells = [problem.relative_source(root) or "(tiedosto ei tiedossa)", problem.field,
                 problem.message, problem.fix]
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines) + "\n"

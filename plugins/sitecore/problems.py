"""Content problems: what is wrong, where, and how to fix it.

Every plugin of ours reports bad content as a ``Problem`` so that the build
can print one consistent message for staff who write Markdown, not Python.
The messages are in Finnish because that is who reads them; the staff guide
(docs/kirjoittajan-opas.md) explains each one.

A bug in code is not a problem of the content: ``internal_error`` reports an
exception as a bug of the plugin (or library) whose code raised it, with its
traceback, and never tells the writer to change their file.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sysconfig
import traceback
from dataclasses import dataclass
from pathlib import Path

# Our plugins, one package each: a frame of a traceback in here names the plugin.
PLUGINS_ROOT = Path(__file__).resolve().parents[1]
STDLIB = sysconfig.get_paths()["stdlib"]


@dataclass(frozen=True)
class Problem:
    source: str  # file the writer must open (path as given to Pelican)
    field: str  # front-matter field or part of the file ("" when not known)
    message: str  # what is wrong, in Finnish
    fix: str  # what to do about it, in Finnish
    detail: str = ""  # a bug's traceback, for the developer

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
        if self.detail:
            lines += ["  " + line for line in self.detail.rstrip().splitlines()]
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


def culprit(error: BaseException) -> tuple[str, str]:
    """Whose code raised ``error``: (name, file:line) of the deepest frame of
    project code (a plugin of ours, a settings file), else of the deepest
    frame at all (Pelican or another library)."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "ohjelma", ""
    ours = [frame for frame in frames if not _library(frame.filename)]
    frame = (ours or frames)[-1]
    path = Path(frame.filename).resolve()
    where = f"{frame.filename}:{frame.lineno}"
    if path.is_relative_to(PLUGINS_ROOT):
        return f"liitännäinen {path.relative_to(PLUGINS_ROOT).parts[0].removesuffix('.py')}", where
    if ours:
        return f"tiedosto {'/'.join(path.parts[-2:])}", where
    parts = path.parts
    library = parts[parts.index("site-packages") + 1].removesuffix(".py") if "site-packages" in parts else path.stem
    return ("Pelican" if library == "pelican" else f"kirjasto {library}"), where


def _library(filename: str) -> bool:
    """Whether a file is an installed library's or Python's own."""
    return ("site-packages" in Path(filename).parts or filename.startswith(STDLIB)
            or filename.startswith("<"))


def internal_error(error: BaseException, reading: str = "") -> Problem:
    """A bug, named by the code that raised it, with its traceback.

    ``reading`` is the content file being read when it happened: named so
    the developer can reproduce it, and said not to be the cause.
    """
    who, where = culprit(error)
    during = f" luettaessa tiedostoa {reading}" if reading else ""
    return Problem(
        where.rpartition(":")[0] if where else "", "",
        f"ohjelmointivirhe ({who}){during}: {type(error).__name__}: {error}",
        "Tämä ei ole sisällön vika vaan ohjelman: kerro tämä viesti jäljityksineen "
        "kehittäjälle. Kehittäjä saa virheen Pythonin omana poikkeuksena komennolla "
        "make build DEBUG=1.",
        "".join(traceback.format_exception(error)).rstrip(),
    )


def reading_problem(source: str, error: BaseException) -> Problem:
    """Why a content file could not be read: the writer's to fix when the file
    is the cause (a ``ContentError``, text that is not UTF-8), else a bug."""
    if isinstance(error, ContentError):
        return error.problem(source)
    if isinstance(error, UnicodeDecodeError):
        return Problem(
            source, "", f"tiedosto ei ole UTF-8-muotoista tekstiä (tavu {error.object[error.start]:#04x} "
            f"kohdassa {error.start}).",
            "Tallenna tiedosto uudelleen UTF-8-merkistöllä (tekstieditorin Tallenna nimellä "
            "-valikosta) ja tarkista ääkköset.")
    return internal_error(error, reading=source)


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
    for problem in problems:
        if problem.detail:
            lines += ["", "```", problem.detail, "```"]
    return "\n".join(lines) + "\n"

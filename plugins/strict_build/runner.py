"""Build a Pelican site strictly and atomically.

Any warning or error is fatal; each is reported as a ``Problem`` naming the
file, the field and the fix. The site is built into a sibling temporary
folder and swapped into place only when the build is clean, so the output
folder always holds the last good build (``make serve`` keeps serving it).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from .links import broken_links
from .problems import Problem
from .translate import problem_from_record


class BuildAborted(Exception):
    """Stops Pelican before it writes pages from content known to be bad."""


class BuildLog(logging.Handler):
    """Collects every warning and error logged during one build."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.problems: list[Problem] = []
        self.sources: dict[str, str] = {}  # output file -> its source file
        self.content_root = ""  # Pelican names some files relative to PATH
        self.notices: list[str] = []  # worth telling, not worth failing for
        self.background: list = []  # (process, on_failure) started by plugins, awaited at the end

    def emit(self, record: logging.LogRecord) -> None:
        problem = problem_from_record(record)
        if problem is not None:
            self.add(problem)

    def add(self, problem: Problem) -> None:
        if problem.source and self.content_root and not os.path.isabs(problem.source):
            problem = dataclasses.replace(
                problem, source=os.path.join(self.content_root, problem.source))
        same_source = [p for p in self.problems if p.source == problem.source]
        if problem.source and not problem.field and same_source:
            return  # a generic "could not read" after the specific reason
        if not problem.source and any(
            problem.message in p.message or _same_link(p, problem)
            for p in self.problems
        ):
            return  # Pelican repeating a problem we already named with its file
        if problem in self.problems:
            return
        self.problems = [
            p for p in self.problems if not (p.source == problem.source and not p.field)
        ]
        self.problems.append(problem)


def _same_link(a: Problem, b: Problem) -> bool:
    return a.field == b.field == "linkki" and a.message == b.message


_current: BuildLog | None = None


def current_build() -> BuildLog | None:
    """The build in progress in this process, for our plugins' receivers."""
    return _current


def in_background(process, on_failure) -> None:
    """Let a plugin's subprocess run on while the build checks its links.

    ``on_failure(process)`` returns the Problem to report if it fails.
    """
    if _current is None:
        process.wait()
        if process.returncode:
            raise RuntimeError(on_failure(process).message)
    else:
        _current.background.append((process, on_failure))


def notice(text: str) -> None:
    """Tell the person building something that does not stop the build."""
    if _current is not None and text not in _current.notices:
        _current.notices.append(text)


@dataclass
class BuildResult:
    problems: list[Problem]
    seconds: float
    output: Path
    notices: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def build(
    settings_file: str | os.PathLike,
    output: str | os.PathLike,
    overrides: dict | None = None,
) -> BuildResult:
    """Build the site described by ``settings_file`` into ``output``."""
    global _current
    from pelican import Pelican
    from pelican.settings import read_settings

    output = Path(output).resolve()
    staging = output.with_name(f".{output.name}.building")
    _remove(staging)
    started = time.monotonic()
    log = BuildLog()
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(log)
    root.setLevel(logging.WARNING)
    quiet = _silence_other_handlers(root)
    _current = log
    try:
        try:
            settings = read_settings(
                str(settings_file),
                override={**(overrides or {}), "OUTPUT_PATH": str(staging)},
            )
            log.content_root = settings["PATH"]
            Pelican(settings).run()
        except BuildAborted:
            pass
        except Exception as exc:  # noqa: BLE001 - reported, never a traceback
            if not log.problems:
                log.add(_unexpected(exc))
        if not log.problems:
            for problem in broken_links(staging, settings.get("SITEURL", ""), log.sources):
                log.add(problem)
        for process, on_failure in log.background:
            process.wait()
            if process.returncode:
                log.add(on_failure(process))
    finally:
        _current = None
        root.removeHandler(log)
        root.setLevel(previous_level)
        for handler, level in quiet:
            handler.setLevel(level)
    if log.problems:
        _remove(staging)
    else:
        _swap(staging, output)
    return BuildResult(log.problems, time.monotonic() - started, output, log.notices)


def _unexpected(exc: Exception) -> Problem:
    return Problem(
        "",
        "",
        f"rakentaminen keskeytyi odottamattomaan virheeseen: {type(exc).__name__}: {exc}",
        "Tämä on todennäköisesti ohjelmointivirhe eikä sisällön vika: "
        "kerro viesti kehittäjälle.",
    )


def _silence_other_handlers(root: logging.Logger):
    """Mute handlers already on the root logger: we print our own messages."""
    muted = []
    for handler in root.handlers:
        if not isinstance(handler, BuildLog):
            muted.append((handler, handler.level))
            handler.setLevel(logging.CRITICAL + 1)
    return muted


def _swap(staging: Path, output: Path) -> None:
    retired = output.with_name(f".{output.name}.old")
    _remove(retired)
    if output.exists():
        os.rename(output, retired)
    os.rename(staging, output)
    _remove(retired)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()

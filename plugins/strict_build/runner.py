"""Build a Pelican site strictly and atomically.

Any warning or error is fatal; each is reported as a ``Problem`` naming the
file, the field and the fix. The site is built into a sibling staging
folder and swapped into place only when the build is clean, so the output
folder always holds the last good build (``make serve`` keeps serving it).
The staging folder starts as the build before that one, kept aside as the
"spare", and only changed files are written (see ``reuse``).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .links import broken_links
from .problems import Problem, forget_problems, record_problems
from .reuse import start_time, sweep, write_if_changed
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
        self.background: list = []  # plugins' finish() for work beside the build, awaited at the end
        self.started_ns = 0  # file-system time at the start: files older and not kept are stale
        self.kept: set[str] = set()  # files left as they were, their bytes unchanged
        self.written: set[str] = set()  # files written through write_output
        self.filled_later: set[str] = set()  # folders plugins fill after the pages, reusing files
        self.suffixes_later: tuple[str, ...] = ()  # likewise for files with these endings
        self.writer = None  # the build's writer, which renders the pages at the end
        self.rendering_adds_to: set[str] = set()  # settings (sets) templates add to

    def keep(self, path: str) -> None:
        self.kept.add(os.path.normpath(path))

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


def in_background(finish: Callable[[], Problem | None]) -> None:
    """Let a plugin's work in another process run on while the build goes on.

    ``finish()`` waits for that work and returns the Problem to report if it
    failed; the build calls it before it keeps or removes the staging folder,
    also when the build stops early.
    """
    if _current is None:
        problem = finish()
        if problem is not None:
            raise RuntimeError(problem.message)
    else:
        _current.background.append(finish)


def filled_later(folder: str | os.PathLike | None = None, suffix: str | None = None) -> None:
    """Spare a folder or files of an earlier build while the pages are swept.

    For plugins that fill them once the pages are written, reusing what is
    still right (``keep``); whatever they did not reuse goes at the very end.
    """
    if _current is None:
        return
    if folder is not None:
        _current.filled_later.add(os.path.normpath(folder))
    if suffix is not None:
        _current.suffixes_later += (suffix,)


def rendering_adds_to(setting: str) -> None:
    """Declare a setting (a set) that templates add to while pages are rendered.

    Pages are rendered in two processes; the second one's additions are
    merged back before the ``finalized`` receivers that follow run.
    """
    if _current is not None:
        _current.rendering_adds_to.add(setting)


def finish_pages(pelican) -> None:
    """Render the pages Pelican asked for, then remove the earlier build's files
    this one did not write, before the finishing plugins (sitemap, search,
    compression) look at the output."""
    if _current is None:
        return
    if _current.writer is not None:
        _current.writer.render_pages(sorted(_current.rendering_adds_to))
    sweep(Path(pelican.settings["OUTPUT_PATH"]), _current.started_ns,
          _current.kept | _current.written, _current.filled_later, _current.suffixes_later)


def write_output(path: str | os.PathLike, data: bytes) -> bool:
    """Write a file into the output unless it already holds these bytes; True if written."""
    written = write_if_changed(path, data, _current.keep if _current else None)
    if written and _current is not None:
        _current.written.add(os.path.normpath(path))
    return written


def keep(path: str | os.PathLike) -> None:
    """Leave a file of an earlier build in the output: it is still right."""
    if _current is not None:
        _current.keep(os.fspath(path))


def unchanged(path: str | os.PathLike) -> bool:
    """Whether this build left ``path`` as the earlier build wrote it."""
    return _current is not None and os.path.normpath(path) in _current.kept


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
    spare = output.with_name(f".{output.name}.spare")
    started = time.monotonic()
    _remove(staging)  # left by a build that was stopped: its state is unknown
    # Telling written files from old ones needs POSIX inode change times.
    reused = spare.is_dir() and os.name == "posix"
    if reused:
        os.rename(spare, staging)
    else:
        _remove(spare)
    log = BuildLog()
    log.started_ns = start_time(staging)
    untouched = False  # stopped before writing anything: staging is still a whole build
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(log)
    root.setLevel(logging.WARNING)
    quiet = _silence_other_handlers(root)
    from pelican.log import console

    console_was_quiet, console.quiet = console.quiet, True  # Pelican's English "Done: Processed …"
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
            untouched = True
        except Exception as exc:  # noqa: BLE001 - reported, never a traceback
            if not log.problems:
                log.add(_unexpected(exc))
        if not log.problems:
            cache = Path(settings["CACHE_PATH"]) / "linked-pages.pickle"
            for problem in broken_links(staging, settings.get("SITEURL", ""), log.sources, cache):
                log.add(problem)
        for finish in log.background:
            problem = finish()
            if problem is not None:
                log.add(problem)
        if not log.problems:
            sweep(staging, log.started_ns, log.kept | log.written)
    finally:
        _current = None
        root.removeHandler(log)
        root.setLevel(previous_level)
        for handler, level in quiet:
            handler.setLevel(level)
        console.quiet = console_was_quiet
    if log.problems and untouched and reused:
        os.rename(staging, spare)
    elif log.problems:
        _remove(staging)
    else:
        _swap(staging, output, spare)
    if log.problems:
        record_problems(output, log.problems)
    else:
        forget_problems(output)
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


def _swap(staging: Path, output: Path, spare: Path) -> None:
    """Staging becomes the output; the output, the next build's starting point."""
    _remove(spare)
    if output.exists():
        os.rename(output, spare)
    os.rename(staging, output)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()

"""One build: its phases, its problems, the files it wrote or kept, and the
state each plugin hands from one phase to the next.

A ``Build`` is made by the build runner (``python -m strict_build``) or, under
plain ``pelican``, by the ``strict_build`` plugin when Pelican starts. It is
the one per-build object every plugin can reach: Pelican hands plugins its
settings dict (generators, content objects and the writer's context all share
it), so the build sits there under ``BUILD`` and ``Build.of(settings)`` finds
it. Nothing else of a build lives in module globals or settings keys.

Phases, in order::

    read → check → render → index → files → compress → verify → swap

*read* and *check* are Pelican's reading (``generate_context``) and our
checks of what was read (``all_generators_finalized``); a build with problems
stops there. *render* writes the pages; *index* starts the search index over
them (in the background: it reads only pages, so it runs beside *files*);
*files* writes what goes around the pages (assets, images, cards, sitemap);
*compress* makes compressed copies of everything; *verify* checks the links
and waits for background work; *swap* puts the build in place. Plugins join
the phases between *render* and *compress* with ``join`` from an
``initialized`` receiver; the runner owns *verify* and *swap*.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import time
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any, TypeVar

from .problems import Problem
from .reuse import write_if_changed

PHASES = ("read", "check", "render", "index", "files", "compress", "verify", "swap")
JOINABLE = ("check", "render", "index", "files", "compress")
SETTING = "BUILD"

T = TypeVar("T")


class NoBuild(RuntimeError):
    """A plugin asked for the build where there is none: a missing core plugin."""


class Build:
    """The state of one build; see the module's docstring."""

    def __init__(self, *, direct: bool = False, content_root: str = ""):
        # direct: plain `pelican`, no runner: files are written in place and
        # background work is awaited at the end of the phases.
        self.direct = direct
        self.content_root = content_root  # Pelican names some files relative to PATH
        self.problems: list[Problem] = []
        self.notices: list[str] = []  # worth telling, not worth failing for
        self.sources: dict[str, str] = {}  # output file -> its source file, for messages
        self.started_ns = 0  # file-system time at the start: files older and not kept are stale
        self.kept: set[str] = set()  # files left as they were, their bytes unchanged
        self.written: set[str] = set()  # files written through write_output
        self.filled_later: set[str] = set()  # folders plugins fill after the pages, reusing files
        self.suffixes_later: tuple[str, ...] = ()  # likewise for files with these endings
        self.background: list[Callable[[], Problem | None]] = []
        self.phase = "read"
        self.seconds: dict[str, float] = {}  # wall time spent in each phase so far
        self._phase_started = time.monotonic()
        self._joined: dict[str, list[Callable]] = {phase: [] for phase in JOINABLE}
        self._states: dict[type, Any] = {}

    # --- finding the build -----------------------------------------------------------

    @staticmethod
    def of(settings: MutableMapping) -> Build:
        """The build that ``settings`` (Pelican's settings or a context copy) belong to."""
        build = settings.get(SETTING)
        if not isinstance(build, Build):
            raise NoBuild("no build in progress: the strict_build plugin must be the first in "
                          "PLUGINS (it starts the build under plain `pelican`)")
        return build

    def attach(self, settings: MutableMapping) -> Build:
        settings[SETTING] = self
        return self

    def __reduce__(self):
        # Pelican's content cache pickles content objects with their settings:
        # a cached item must not carry (or revive) a build of its own.
        return (_detached, ())

    # --- phases ------------------------------------------------------------------------

    def join(self, phase: str, step: Callable[[Any], None]) -> None:
        """Run ``step(sender)`` in ``phase``; steps of a phase run in the order joined.

        The sender is Pelican's: the generators in *check*, the Pelican
        object in the others.
        """
        if phase not in JOINABLE:
            raise ValueError(f"plugins join one of {JOINABLE}, not {phase!r}")
        if PHASES.index(phase) < PHASES.index(self.phase):
            raise RuntimeError(f"phase {phase!r} is over: join it from an initialized receiver")
        self._joined[phase].append(step)

    def run(self, phase: str, sender) -> None:
        if PHASES.index(phase) < PHASES.index(self.phase):
            raise RuntimeError(f"phase {phase!r} already ran (now {self.phase!r})")
        self._clock(phase)
        for step in self._joined.get(phase, ()):
            step(sender)

    def enter(self, phase: str) -> None:
        """Mark a phase the runner does itself (verify, swap)."""
        self.run(phase, None)

    def done(self) -> None:
        """Close the last phase's clock."""
        self._clock(self.phase)

    def _clock(self, phase: str) -> None:
        now = time.monotonic()
        self.seconds[self.phase] = self.seconds.get(self.phase, 0.0) + now - self._phase_started
        self.phase, self._phase_started = phase, now

    # --- typed state handed from phase to phase ------------------------------------------

    def state(self, kind: type[T]) -> T:
        """This build's one instance of ``kind`` (a plugin's dataclass), made on first use."""
        if kind not in self._states:
            self._states[kind] = kind()
        return self._states[kind]

    def states(self) -> list:
        return list(self._states.values())

    @contextlib.contextmanager
    def separate_states(self) -> Iterator[PageStates]:
        """While one page renders, the states pages fill (``filled_by_pages``)
        start empty, so that what this page added can be told (and recorded
        with it: ``strict_build.memo``); then it is merged into the build's.

        Plugins that fill such a state look it up with ``state()`` each time.
        """
        kinds = [kind for kind, state in self._states.items() if getattr(state, "filled_by_pages", False)]
        own = {kind: self._states[kind] for kind in kinds}
        fresh = {kind: kind() for kind in kinds}
        self._states.update(fresh)
        page = PageStates()
        try:
            yield page
        finally:
            new = [kind for kind, state in self._states.items()
                   if getattr(state, "filled_by_pages", False) and kind not in own]
            page.complete = not new  # a state first made by this page was not separated
            self._states.update(own)
            for kind, state in fresh.items():
                if state != kind():
                    page.filled.append(state)
                    own[kind].merge(state)

    # --- problems and notices ------------------------------------------------------------

    def add(self, problem: Problem) -> None:
        """Collect a problem, once; Pelican often repeats ours in its own words."""
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

    def notice(self, text: str) -> None:
        """Tell the person building something that does not stop the build."""
        if text not in self.notices:
            self.notices.append(text)

    # --- files -----------------------------------------------------------------------------

    def write_output(self, path: str | os.PathLike, data: bytes) -> bool:
        """Write a file into the output unless it already holds these bytes; True if written."""
        written = write_if_changed(path, data, self.keep)
        if written:
            self.written.add(os.path.normpath(path))
        return written

    def keep(self, path: str | os.PathLike) -> None:
        """Leave a file of an earlier build in the output: it is still right."""
        self.kept.add(os.path.normpath(os.fspath(path)))

    def unchanged(self, path: str | os.PathLike) -> bool:
        """Whether this build left ``path`` as the earlier build wrote it."""
        return os.path.normpath(path) in self.kept

    def fill_later(self, folder: str | os.PathLike | None = None, suffix: str | None = None) -> None:
        """Spare a folder or files of an earlier build while the pages are swept.

        For plugins that fill them once the pages are written, reusing what is
        still right (``keep``); whatever they did not reuse goes at the very end.
        """
        if folder is not None:
            self.filled_later.add(os.path.normpath(folder))
        if suffix is not None:
            self.suffixes_later += (suffix,)

    def in_background(self, finish: Callable[[], Problem | None]) -> None:
        """Let a plugin's work in another process run on while the build goes on.

        ``finish()`` waits for that work and returns the Problem to report if
        it failed; the build calls it in *verify*, also when it stops early.
        """
        self.background.append(finish)

    def await_background(self) -> None:
        background, self.background = self.background, []
        for finish in background:
            problem = finish()
            if problem is not None:
                self.add(problem)


@dataclasses.dataclass
class PageStates:
    """What one page added to the states pages fill (see ``Build.separate_states``)."""

    filled: list = dataclasses.field(default_factory=list)
    complete: bool = True


def _detached():
    return None


def _same_link(a: Problem, b: Problem) -> bool:
    return a.field == b.field == "linkki" and a.message == b.message

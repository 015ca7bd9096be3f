"""One build: its phases, its problems, the files it wrote, and the state
each plugin hands from one phase to the next.

The build runner (``python -m strict_build``) makes a ``Build`` and makes it
the current one while Pelican runs (``with build.current_while():``);
plugins find it with ``Build.current()``. Nothing of a build lives in
Pelican's settings or in a plugin's module globals: what a plugin hands from
one phase to the next is a typed ``state(Kind)`` of the build.

Phases, in order::

    read → check → render → files → compress → verify → swap

*read* is Pelican reading the content (``generate_context``); *check* is our
checks of what was read (``all_generators_finalized``): a build with problems
stops there, before any page is written. *render* is Pelican writing the
pages with its own writer; then *files* writes what goes around the pages
(assets, images, cards, sitemap, the search index), *compress* makes
compressed copies, *verify* checks the links and waits for work left running
in the background, and *swap* puts the build in place. Plugins join *check*,
*files* and *compress* with ``join`` from an ``initialized`` receiver.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from .problems import Problem

PHASES = ("read", "check", "render", "files", "compress", "verify", "swap")
JOINABLE = ("check", "files", "compress")

T = TypeVar("T")

_current: Build | None = None


class NoBuild(RuntimeError):
    """A plugin asked for the build where there is none: Pelican was run without the runner."""


class Build:
    """The state of one build; see the module's docstring."""

    def __init__(self, content_root: str = ""):
        self.content_root = content_root  # Pelican names some files relative to PATH
        self.problems: list[Problem] = []
        self.notices: list[str] = []  # worth telling, not worth failing for
        self.sources: dict[str, str] = {}  # output file -> its source file, for messages
        self.background: list[Callable[[], Problem | None]] = []
        self.phase = "read"
        self.seconds: dict[str, float] = {}  # wall time spent in each phase so far
        self._phase_started = time.monotonic()
        self._joined: dict[str, list[Callable]] = {phase: [] for phase in JOINABLE}
        self._states: dict[type, Any] = {}

    # --- the current build ------------------------------------------------------------

    @staticmethod
    def current() -> Build:
        """The build in progress."""
        if _current is None:
            raise NoBuild("no build in progress: build with `python -m strict_build` "
                          "(make build, make serve), not with plain `pelican`")
        return _current

    @contextlib.contextmanager
    def current_while(self) -> Iterator[Build]:
        """Make this the current build for the duration of a ``with`` block."""
        global _current
        previous, _current = _current, self
        try:
            yield self
        finally:
            _current = previous

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

    def enter(self, phase: str, sender=None) -> None:
        """Start ``phase`` and run the steps that joined it."""
        if PHASES.index(phase) < PHASES.index(self.phase):
            raise RuntimeError(f"phase {phase!r} already ran (now {self.phase!r})")
        self._clock(phase)
        for step in self._joined.get(phase, ()):
            step(sender)

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

    # --- problems and notices ------------------------------------------------------------

    def add(self, problem: Problem) -> None:
        """Collect a problem, once; Pelican often repeats ours in its own words."""
        if problem.source and self.content_root and not os.path.isabs(problem.source):
            problem = dataclasses.replace(
                problem, source=os.path.join(self.content_root, problem.source))
        if problem in self.problems:
            return
        if not problem.source and any(problem.message in p.message for p in self.problems):
            return  # Pelican repeating a problem we already named with its file
        self.problems.append(problem)

    def notice(self, text: str) -> None:
        """Tell the person building something that does not stop the build."""
        if text not in self.notices:
            self.notices.append(text)

    # --- files -----------------------------------------------------------------------------

    def write_output(self, path: str | os.PathLike, data: bytes) -> None:
        """Write a file into the output (the folders on the way are made)."""
        os.makedirs(os.path.dirname(os.fspath(path)) or ".", exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)

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

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
import functools
import os
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from .problems import PLUGINS_ROOT, Problem

PHASES = ("read", "check", "render", "files", "compress", "verify", "swap")
JOINABLE = ("check", "files", "compress")

T = TypeVar("T")

_current: Build | None = None


class BuildAborted(Exception):
    """Stops Pelican before it writes pages from content known to be bad (the runner catches it)."""


class NoBuild(RuntimeError):
    """A plugin asked for the build where there is none: Pelican was run without the runner."""


class Build:
    """The state of one build; see the module's docstring."""

    def __init__(self, content_root: str = ""):
        self.content_root = content_root  # Pelican names some files relative to PATH
        self.problems: list[Problem] = []
        self.notices: list[str] = []  # worth telling, not worth failing for
        self.sources: dict[str, str] = {}  # output file -> its source file, for messages
        self.output_root = ""  # the folder being written (the runner sets it)
        self.owners: dict[str, str] = {}  # output file (absolute) -> who writes it (claim)
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

    def write_output(self, path: str | os.PathLike, data: bytes, owner: str = "") -> None:
        """Write a file into the output (the folders on the way are made), claimed
        for ``owner``: by default the plugin whose code calls this."""
        self.claim(path, owner or writing_plugin())
        os.makedirs(os.path.dirname(os.fspath(path)) or ".", exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)

    def claim(self, path: str | os.PathLike, owner: str) -> None:
        """Record that ``owner`` (a source file, a plugin, "Pelican") writes ``path``.

        A file claimed by two owners is a problem naming both: Pelican's own
        guard sees only its ``write_file``, not static files or ``write_output``.
        The problem names a content file when one of the owners is one (the
        writer moves it); two plugins writing one file is a bug in code.
        """
        path = os.path.abspath(path)
        first = self.owners.setdefault(path, owner)
        if first == owner:
            return
        content = [o for o in (owner, first) if os.path.isabs(o)]
        shown = os.path.relpath(path, self.output_root) if self.output_root else path
        first, owner = (os.path.relpath(o, self.content_root) if o in content and self.content_root else o
                        for o in (first, owner))
        fix = ("Anna tiedostolle toinen osoite (Slug tai Save_as, tai siirrä {static}-tiedosto): "
               "kahta tiedostoa ei voi kirjoittaa samaan paikkaan." if content else
               "Tämä on ohjelman vika, ei sisällön: kerro tämä viesti kehittäjälle.")
        self.add(Problem(content[0] if content else "", "",
                         f"tiedoston {shown} kirjoittaisivat sekä {first} että {owner}.", fix))

    def overwritten(self, error: BaseException) -> bool:
        """Whether ``error`` is Pelican's own guard refusing a second write of one file
        by another writer (``FileOverwriteFailedError``); it is then the claim problem
        naming both, not a bug."""
        match = re.search(r'"([^"]+)"', str(error))
        if type(error).__name__ != "FileOverwriteFailedError" or match is None:
            return False
        path, second = os.path.abspath(match[1]), writing_plugin(error)
        self.claim(path, second)
        return self.owners[path] != second

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


# Code that writes for others: the plugin that called it is the writer.
_WRITING_FOR_OTHERS = {"sitecore", "strict_build", "content_rules", "content_types"}


def writing_plugin(error: BaseException | None = None) -> str:
    """The plugin whose code is writing (the innermost frame in plugins/ of the
    running code, or of ``error``'s traceback), else "Pelican"."""
    if error is None:
        frames = [frame for frame, _ in traceback.walk_stack(sys._getframe(1))]
    else:
        frames = [frame for frame, _ in traceback.walk_tb(error.__traceback__)][::-1]
    for frame in frames:
        name = _plugin_of(frame.f_code.co_filename)
        if name and name not in _WRITING_FOR_OTHERS:
            return f"liitännäinen {name}"
    return "Pelican"


@functools.cache
def _plugin_of(filename: str) -> str:
    path = Path(filename).resolve()
    if not path.is_relative_to(PLUGINS_ROOT):
        return ""
    return path.relative_to(PLUGINS_ROOT).parts[0].removesuffix(".py")

"""The build's view of logging: every warning and error becomes a problem,
and nothing but our own messages reaches the terminal."""

from __future__ import annotations

import logging
from contextlib import contextmanager

from sitecore import Build

from .translate import in_flight, problem_from_record


class ProblemCollector(logging.Handler):
    """Turns every warning and error logged during a build into the build's problems.

    With ``debug``, a bug (an exception logged by Pelican, which goes on after
    it) is raised again where it was logged, with its own traceback.
    """

    def __init__(self, build: Build, debug: bool = False):
        super().__init__(level=logging.WARNING)
        self.build, self.debug = build, debug

    def emit(self, record: logging.LogRecord) -> None:
        problem = problem_from_record(record)
        if problem is None:
            return
        if self.debug and problem.detail:
            error = in_flight(record)
            if error is not None:
                raise error
        self.build.add(problem)


@contextmanager
def captured_logs(build: Build, debug: bool = False):
    """Collect problems into ``build``; mute other handlers and Pelican's console
    (its English "Done: Processed …") meanwhile."""
    from pelican.log import console

    root = logging.getLogger()
    collector = ProblemCollector(build, debug)
    previous_level = root.level
    muted = [(handler, handler.level) for handler in root.handlers]
    for handler, _ in muted:
        handler.setLevel(logging.CRITICAL + 1)
    root.addHandler(collector)
    root.setLevel(logging.WARNING)
    console_was_quiet, console.quiet = console.quiet, True
    try:
        yield collector
    finally:
        root.removeHandler(collector)
        root.setLevel(previous_level)
        for handler, level in muted:
            handler.setLevel(level)
        console.quiet = console_was_quiet

"""The build's view of logging: every warning and error becomes a problem,
and nothing but our own messages reaches the terminal."""

from __future__ import annotations

import logging
from contextlib import contextmanager

from sitecore import Build

from .translate import problem_from_record


class ProblemCollector(logging.Handler):
    """Turns every warning and error logged during a build into the build's problems."""

    def __init__(self, build: Build):
        super().__init__(level=logging.WARNING)
        self.build = build

    def emit(self, record: logging.LogRecord) -> None:
        problem = problem_from_record(record)
        if problem is not None:
            self.build.add(problem)


@contextmanager
def captured_logs(build: Build):
    """Collect problems into ``build``; mute other handlers and Pelican's console
    (its English "Done: Processed …") meanwhile."""
    from pelican.log import console

    root = logging.getLogger()
    collector = ProblemCollector(build)
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

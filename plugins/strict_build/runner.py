"""Build a Pelican site strictly and atomically.

Any warning or error is fatal; each is reported as a ``Problem`` naming the
file, the field and the fix, or, for a bug, the code and its traceback. The
site is built into an empty staging folder beside the output and swapped
into place only when the build is clean, so the output folder always holds
the last good build (``make serve`` keeps serving it).

Pelican runs the phases up to *compress* (see the plugin in ``__init__``);
this module does *verify* (links, background work) and *swap*.
"""

from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import dataclass
from pathlib import Path

from sitecore import Build, Problem
from sitecore.build import BuildAborted
from sitecore.problems import forget_problems, internal_error, record_problems

from .capture import captured_logs
from .links import broken_links
from .staging import Staging


@dataclass
class BuildResult:
    problems: list[Problem]
    seconds: float
    output: Path
    notices: list[str] = dataclasses.field(default_factory=list)
    phases: dict[str, float] = dataclasses.field(default_factory=dict)  # seconds per phase

    @property
    def ok(self) -> bool:
        return not self.problems


def build(settings_file: str | os.PathLike, output: str | os.PathLike,
          overrides: dict | None = None, debug: bool = False) -> BuildResult:
    """Build the site described by ``settings_file`` into ``output``.

    With ``debug`` a bug is raised as Python's own exception instead of
    being reported as a problem.
    """
    from pelican import Pelican
    from pelican.settings import read_settings

    started = time.monotonic()
    staging = Staging(output)
    folder = staging.begin()
    run = Build()  # its clock starts: "read" also counts reading the settings
    run.output_root = str(folder)
    siteurl = ""
    with run.current_while(), captured_logs(run, debug):
        try:
            settings = read_settings(
                str(settings_file),
                override={**(overrides or {}), "OUTPUT_PATH": str(folder), "DEBUG": debug},
            )
            run.content_root, siteurl = settings["PATH"], settings["SITEURL"]
            Pelican(settings).run()
        except BuildAborted:
            pass
        except Exception as error:
            if debug:
                raise
            if not run.overwritten(error):
                run.add(internal_error(error))
        finally:
            run.enter("verify")
            run.await_background()
        if not run.problems:
            for problem in broken_links(folder, siteurl, run.sources):
                run.add(problem)
    run.enter("swap")
    if run.problems:
        staging.discard()
        record_problems(staging.output, run.problems)
    else:
        staging.swap()
        forget_problems(staging.output)
    run.done()
    return BuildResult(run.problems, time.monotonic() - started, staging.output, run.notices,
                       run.seconds)

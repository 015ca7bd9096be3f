"""Build a Pelican site strictly and atomically.

Any warning or error is fatal; each is reported as a ``Problem`` naming the
file, the field and the fix. The site is built into a sibling staging
folder and swapped into place only when the build is clean, so the output
folder always holds the last good build (``make serve`` keeps serving it).
The staging folder starts as the build before that one, kept aside as the
"spare", and only changed files are written (see ``sitecore.reuse``).

The phases up to *compress* run inside Pelican (see the plugin in
``__init__``); this module does *verify* (links, background work) and *swap*.
"""

from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import dataclass
from pathlib import Path

from sitecore import Build, Problem
from sitecore.problems import forget_problems, record_problems
from sitecore.reuse import start_time, sweep

from .capture import captured_logs
from .links import broken_links
from .staging import Staging


class BuildAborted(Exception):
    """Stops Pelican before it writes pages from content known to be bad."""


@dataclass
class BuildResult:
    problems: list[Problem]
    seconds: float
    output: Path
    notices: list[str] = dataclasses.field(default_factory=list)
    phases: dict[str, float] = dataclasses.field(default_factory=dict)  # seconds per phase
    # The finished build, for the preview's quick pass (``strict_build.quick``).
    build: Build | None = dataclasses.field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.problems


def build(
    settings_file: str | os.PathLike,
    output: str | os.PathLike,
    overrides: dict | None = None,
) -> BuildResult:
    """Build the site described by ``settings_file`` into ``output``."""
    from pelican import Pelican
    from pelican.settings import read_settings

    started = time.monotonic()
    staging = Staging(output)
    folder = staging.begin()
    run = Build()  # its clock starts: "read" also counts reading the settings and staging
    run.started_ns = start_time(folder)
    untouched = False  # stopped before writing anything: staging is still a whole build
    settings = None
    with captured_logs(run):
        try:
            settings = read_settings(
                str(settings_file),
                override={**(overrides or {}), "OUTPUT_PATH": str(folder)},
            )
            run.content_root = settings["PATH"]
            run.attach(settings)
            Pelican(settings).run()
        except BuildAborted:
            untouched = True
        except Exception as exc:  # noqa: BLE001 - reported, never a traceback
            if not run.problems:
                run.add(_unexpected(exc))
        run.enter("verify")
        if not run.problems:
            cache = Path(settings["CACHE_PATH"]) / "linked-pages.pickle"
            for problem in broken_links(folder, settings.get("SITEURL", ""), run.sources, cache):
                run.add(problem)
        run.await_background()
        if not run.problems:
            sweep(folder, run.started_ns, run.kept | run.written)
    run.enter("swap")
    if run.problems:
        staging.discard(untouched)
        record_problems(staging.output, run.problems)
    else:
        staging.swap()
        forget_problems(staging.output)
    run.done()
    return BuildResult(run.problems, time.monotonic() - started, staging.output, run.notices,
                       run.seconds, run)


def _unexpected(exc: Exception) -> Problem:
    return Problem(
        "",
        "",
        f"rakentaminen keskeytyi odottamattomaan virheeseen: {type(exc).__name__}: {exc}",
        "Tämä on todennäköisesti ohjelmointivirhe eikä sisällön vika: "
        "kerro viesti kehittäjälle.",
    )

"""Render the recorded pages in two processes (a fork shares everything read).

Pelican renders one page at a time in one process, and rendering is most of
a build. The second process renders every other page and reports back what
it changed of the build: files written or kept, problems, and the plugins'
states that templates fill while rendering (``filled_while_rendering``).
"""

from __future__ import annotations

import gc
import os
import pickle
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from sitecore import Build, Problem

# Below this many pages a second process costs more than it saves.
MIN_PAGES_TO_FORK = 200


@dataclass
class Job:
    produce: Callable[[], bytes | None]  # the file's bytes; None: the file was kept as it is
    path: str = ""


def render(jobs: list[Job], build: Build) -> None:
    for job in jobs:
        data = job.produce()
        if data is not None:
            build.write_output(job.path, data)


def render_all(jobs: list[Job], build: Build, min_pages: int) -> None:
    """Render and write ``jobs``, in two processes when there are many."""
    if len(jobs) < min_pages or not hasattr(os, "fork"):
        render(jobs, build)
        return
    render_in_two_processes(jobs, build)


def _filled_while_rendering(build: Build) -> dict:
    return {type(state): state for state in build.states()
            if getattr(state, "filled_while_rendering", False)}


def render_in_two_processes(jobs: list[Job], build: Build) -> None:
    read_end, write_end = os.pipe()
    gc.freeze()  # the child then copies fewer memory pages touching objects for the collector
    with warnings.catch_warnings():
        # Python 3.12+ warns when forking beside other threads (the social cards'
        # pool): the child only renders templates and writes files, it takes no
        # lock those threads hold. Pelican would turn the warning into an error.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the second process: render every other page, report, exit
        os.close(read_end)
        status = 0
        try:
            kept, written, problems = set(build.kept), set(build.written), len(build.problems)
            render(jobs[1::2], build)
            report = (build.kept - kept, build.written - written, build.problems[problems:],
                      _filled_while_rendering(build))
        except BaseException as exc:  # noqa: BLE001 - reported by the parent, never lost
            status = 1
            report = f"{type(exc).__name__}: {exc}"
        try:
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(report, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(status)
    os.close(write_end)
    gc.unfreeze()
    try:
        render(jobs[0::2], build)
    finally:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
    report = pickle.loads(data) if data else "the second rendering process ended without a report"
    if isinstance(report, str):
        raise RuntimeError(f"rendering pages failed: {report}")
    kept, written, problems, states = report
    build.kept |= kept
    build.written |= written
    for problem in problems:
        if isinstance(problem, Problem):
            build.add(problem)
    for kind, state in states.items():
        build.state(kind).merge(state)

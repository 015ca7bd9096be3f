"""Pelican's writer, with two changes that make builds faster.

* A page whose new text is the same as the file already there is left alone
  (see ``reuse``).
* Pages are rendered after all generators have run, half of them in a forked
  second process: Pelican renders one page at a time in one process, and
  rendering is most of a build. Everything else about a page (its path,
  Pelican's checks against writing a file twice, the ``content_written``
  signal) happens when Pelican asks for it, in order, in this process.
  Generators can hand over other files that take work to make the same way
  (``write_later``).
"""

from __future__ import annotations

import gc
import io
import logging
import os
import pickle
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from blinker import signal
from pelican.writers import FileOverwriteFailedError, Writer

logger = logging.getLogger(__name__)

# Sent as each page is asked for, with its output name, the shared context and the
# page's own values; receivers return values to add to that page's context (the
# page's language and its translations): the page's own values win.
page_context = signal("strict_build.page_context")

# Below this many pages a second process costs more than it saves.
MIN_PAGES_TO_FORK = 200


@dataclass
class Job:
    produce: Callable[[], bytes]  # the file's bytes
    path: str = ""


def _render_page(template, context, localcontext) -> bytes:
    # As Pelican does before each page: contents make their links relative to it.
    if localcontext["localsiteurl"]:
        context["localsiteurl"] = localcontext["localsiteurl"]
    return template.render(localcontext).encode("utf-8")


class _Recorded:
    """Stands in for a template: remembers what to render instead of rendering."""

    def __init__(self, template, context, writer):
        self._template, self._context, self._writer = template, context, writer

    def render(self, localcontext):
        self._writer._pending = Job(partial(_render_page, self._template, self._context, localcontext))
        return ""

    def __getattr__(self, name):
        return getattr(self._template, name)


class TextIfChanged(io.StringIO):
    """A text file opened for writing that reaches the disk only if it changed."""

    def __init__(self, path: str, encoding: str):
        super().__init__()
        self._path, self._encoding = path, encoding

    def close(self):
        if not self.closed:
            from .runner import write_output

            write_output(self._path, self.getvalue().encode(self._encoding))
        super().close()


class _JobFile(io.StringIO):
    """The file of a recorded page: closing it files the job under its path."""

    def __init__(self, writer, job: Job):
        super().__init__()
        self._writer, self._job = writer, job

    def close(self):
        if not self.closed:
            self._writer.jobs.append(self._job)
        super().close()


class KeepUnchangedWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        from .runner import current_build

        log = current_build()
        # Recorded pages are rendered by the build runner (finish_pages); under
        # plain `pelican` there is none, so pages are rendered as Pelican asks.
        self.defer = bool(log is not None and settings and settings.get("PARALLEL_RENDERING", True))
        self.jobs: list[Job] = []
        self._pending: Job | None = None
        if log is not None:
            log.writer = self

    def write_file(self, name, template, context, *args, **kwargs):
        for _receiver, extra in page_context.send(name, context=context, values=kwargs):
            if extra:
                kwargs = {**extra, **kwargs}
        if self.defer:
            template = _Recorded(template, context, self)
        return super().write_file(name, template, context, *args, **kwargs)

    def _open_w(self, filename, encoding, override=False):
        job, self._pending = self._pending, None
        # Pelican's own bookkeeping (writers.Writer._open_w): a file is written
        # once, unless one write says it overrides.
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)')
            logger.info('Skipping "%s", not overwriting', filename)
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}" as Pelican has already written to it previously '
                "(set `override=True` if intended)")
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        if job is not None:
            job.path = filename
            return _JobFile(self, job)
        return TextIfChanged(filename, encoding)

    def write_later(self, path: str, produce: Callable[[], bytes]) -> None:
        """Make and write a file with the pages (in two processes), or now."""
        if self.defer:
            self.jobs.append(Job(produce, os.path.normpath(path)))
        else:
            from .runner import write_output

            write_output(path, produce())

    def render_pages(self, shared_keys=()) -> None:
        """Render and write the recorded pages, in two processes when there are many.

        ``shared_keys`` name settings (sets) that templates add to while
        rendering: the second process sends its additions back.
        """
        jobs, self.jobs = self.jobs, []
        enough = self.settings.get("PARALLEL_RENDERING_MIN_PAGES", MIN_PAGES_TO_FORK)
        if len(jobs) < enough or not hasattr(os, "fork"):
            _render(jobs)
            return
        _render_in_two_processes(jobs, self.settings, shared_keys)


def _render(jobs) -> None:
    from .runner import write_output

    for job in jobs:
        write_output(job.path, job.produce())


def _render_in_two_processes(jobs, settings, shared_keys) -> None:
    from .problems import Problem
    from .runner import current_build

    log = current_build()
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
            kept, written = set(log.kept), set(log.written)
            problems, before = len(log.problems), {key: set(settings[key]) for key in shared_keys}
            _render(jobs[1::2])
            report = (log.kept - kept, log.written - written, log.problems[problems:],
                      {key: settings[key] - before[key] for key in shared_keys})
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
        _render(jobs[0::2])
    finally:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
    report = pickle.loads(data) if data else "the second rendering process ended without a report"
    if isinstance(report, str):
        raise RuntimeError(f"rendering pages failed: {report}")
    kept, written, problems, shared = report
    log.kept |= kept
    log.written |= written
    for problem in problems:
        if isinstance(problem, Problem):
            log.add(problem)
    for key, added in shared.items():
        settings[key] |= added

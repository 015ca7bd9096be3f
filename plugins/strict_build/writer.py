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

import io
import logging
import os
from collections.abc import Callable
from functools import partial

from pelican.writers import FileOverwriteFailedError, Writer

from sitecore import Build

from .parallel import MIN_PAGES_TO_FORK, Job, render_all

logger = logging.getLogger(__name__)


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

    def __init__(self, path: str, encoding: str, build: Build):
        super().__init__()
        self._path, self._encoding, self._build = path, encoding, build

    def close(self):
        if not self.closed:
            self._build.write_output(self._path, self.getvalue().encode(self._encoding))
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
        self.build = Build.of(settings)
        # Recorded pages are rendered in the build's render phase, in two
        # processes; under plain `pelican` they are rendered as Pelican asks.
        self.defer = not self.build.direct and bool(settings.get("PARALLEL_RENDERING", True))
        self.jobs: list[Job] = []
        self._pending: Job | None = None
        if self.defer:
            self.build.join("render", lambda pelican: self.render_pages())

    def write_file(self, name, template, context, *args, **kwargs):
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
        return TextIfChanged(filename, encoding, self.build)

    def write_later(self, path: str, produce: Callable[[], bytes]) -> None:
        """Make and write a file with the pages (in two processes), or now."""
        if self.defer:
            self.jobs.append(Job(produce, os.path.normpath(path)))
        else:
            self.build.write_output(path, produce())

    def render_pages(self) -> None:
        """Render and write the recorded pages, in two processes when there are many."""
        jobs, self.jobs = self.jobs, []
        render_all(jobs, self.build, self.settings.get("PARALLEL_RENDERING_MIN_PAGES", MIN_PAGES_TO_FORK))

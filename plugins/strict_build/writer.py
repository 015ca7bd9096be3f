"""Pelican's writer as a public subclass: pages are written in the build's
*render* phase, in two processes, and only when their bytes changed.

* A page whose new text is the same as the file already there is left alone
  (see ``sitecore.reuse``).
* A page whose inputs are those an earlier build recorded for the file
  staged there is not rendered at all (see ``memo``).
* Pages are rendered after all generators have run, half of them in a forked
  second process (``parallel``): Pelican renders one page at a time in one
  process, and rendering is most of a build. Their paths and the check
  against writing a file twice happen when Pelican asks for a page, in order,
  in this process; ``content_written`` is sent once the page is on disk.
  Generators can hand over other files that take work to make the same way
  (``write_later``).

Only Pelican's public API is used. ``write_file`` is overridden because
Pelican has no hook between rendering a page and opening its file (an
upstreamable change: a ``Writer.open_output(path)`` method our subclass could
override instead). Pagination and local contexts follow Pelican 4.12's
``Writer.write_file`` with its public ``Paginator``; feeds are built by
Pelican's ``write_feed`` (with ``feed_generated``) and written here.
"""

from __future__ import annotations

import collections
import dataclasses
import io
import logging
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

from pelican import signals
from pelican.paginator import Paginator
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from sitecore import Build, page_context

from . import memo
from .parallel import Job, render_all

logger = logging.getLogger(__name__)


def render_page(template, context, localcontext) -> bytes:
    # As Pelican does before each page: contents make their links relative to it.
    if localcontext["localsiteurl"]:
        context["localsiteurl"] = localcontext["localsiteurl"]
    return template.render(localcontext).encode("utf-8")


@dataclasses.dataclass
class RenderedPage:
    """One page as Pelican asked for it: enough to render it again."""

    path: str  # in the build's output folder
    template: object  # a compiled Jinja template
    context: dict  # the generators' shared context
    localcontext: dict  # the page's own values (article, page, …) over it


@dataclasses.dataclass
class RenderedPages:
    """The build's pages, kept for the preview's quick pass (``strict_build.quick``)."""

    settings: dict | None = None
    pages: list[RenderedPage] = dataclasses.field(default_factory=list)
    read_while_rendering = False


class PhasedWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.build = Build.of(settings)
        self.rendered = self.build.state(RenderedPages)
        self.rendered.settings = settings
        # Recorded pages are rendered in the build's render phase, in two
        # processes; under plain `pelican` they are rendered as Pelican asks.
        self.defer = not self.build.direct and settings["PARALLEL_RENDERING"]
        self.jobs: list[Job] = []
        self.memo: memo.Renderer | None = None  # in the render phase
        self._written_once: set[str] = set()
        self._overridden_once: set[str] = set()
        self._announce: list[tuple[str, dict]] = []  # content_written, once the pages are on disk
        if self.defer:
            self.build.join("render", lambda pelican: self.render_pages())

    # --- Pelican's rule: a file is written once, unless one write says it overrides ---

    def _claim(self, path: str, override: bool) -> bool:
        """False when an earlier write that overrode keeps the file."""
        if path in self._overridden_once:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{path}" a second time (was previously overwritten)')
            logger.info('Skipping "%s", not overwriting', path)
            return False
        if path in self._written_once and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{path}" as Pelican has already written to it previously '
                "(set `override=True` if intended)")
        if override:
            self._overridden_once.add(path)
        self._written_once.add(path)
        return True

    # --- pages ---------------------------------------------------------------------------

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):
        """Pelican's ``Writer.write_file``: render ``template`` into ``name``,
        paginated when the template is in ``PAGINATED_TEMPLATES``."""
        if not name:
            return
        for _receiver, extra in page_context.send(name, context=context, values=kwargs):
            if extra:
                kwargs = {**extra, **kwargs}

        def local(save_as, extra):
            localcontext = context.copy()
            localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
            if relative_urls:
                relative_url = path_to_url(get_relative_path(save_as))
                localcontext["SITEURL"] = relative_url
                localcontext["localsiteurl"] = relative_url
            localcontext["output_file"] = save_as
            localcontext.update(extra)
            return localcontext

        if paginated is None:
            paginated = {key: value for key, value in kwargs.items() if key in {"articles", "dates"}}
        if not (paginated and template_name in self.settings["PAGINATED_TEMPLATES"]):
            self._page(template, context, local(name, kwargs), name, override_output)
            return
        per_page = (self.settings["PAGINATED_TEMPLATES"][template_name]
                    or self.settings["DEFAULT_PAGINATION"])
        paginators = {key: Paginator(name, url, value, self.settings, per_page)
                      for key, value in paginated.items()}
        for number in range(1, next(iter(paginators.values())).num_pages + 1):
            extra = kwargs.copy()
            for key, paginator in paginators.items():
                page = paginator.page(number)
                extra.update({
                    f"{key}_paginator": paginator,
                    f"{key}_page": page,
                    f"{key}_previous_page": paginator.page(number - 1) if number > 1 else None,
                    f"{key}_next_page": paginator.page(number + 1) if number < paginator.num_pages else None,
                })
            self._page(template, context, local(page.save_as, extra), page.save_as, override_output)

    def _page(self, template, context, localcontext, name, override) -> None:
        path = sanitised_join(self.output_path, name)
        if not self._claim(path, override):
            # As Pelican: receivers still hear of it; the file is the overriding write's.
            self._announce_written(path, localcontext)
            return
        self.rendered.pages.append(RenderedPage(path, template, context, localcontext))
        job = Job(partial(self._produce, path, template, context, localcontext), path)
        if self.defer:
            self.jobs.append(job)
            self._announce.append((path, localcontext))
            return
        self.build.write_output(path, job.produce())
        signals.content_written.send(path, context=localcontext)

    def _announce_written(self, path, localcontext) -> None:
        if self.defer:
            self._announce.append((path, localcontext))
        else:
            signals.content_written.send(path, context=localcontext)

    # --- feeds ---------------------------------------------------------------------------

    def write_feed(self, elements, context, path=None, url=None, feed_type="atom",
                   override_output=False, feed_title=None):
        # Pelican builds the feed (and sends feed_generated); it writes nothing without a path.
        feed = super().write_feed(elements, context, None, url or path, feed_type,
                                  override_output, feed_title)
        if path:
            complete_path = sanitised_join(self.output_path, path)
            if self._claim(complete_path, override_output):
                text = io.StringIO()
                feed.write(text, "utf-8")
                self.build.write_output(complete_path, text.getvalue().encode("utf-8"))
            signals.feed_written.send(complete_path, context=context, feed=feed)
        return feed

    # --- other files, and the render phase -----------------------------------------------------

    def write_later(self, path: str, produce: Callable[[], bytes]) -> None:
        """Make and write a file with the pages (in two processes), or now."""
        if self.defer:
            self.jobs.append(Job(produce, os.path.normpath(path)))
        else:
            self.build.write_output(path, produce())

    def _produce(self, path, template, context, localcontext) -> bytes | None:
        """The page's bytes, or None when the memo kept the file of an earlier build."""
        render = partial(render_page, template, context, localcontext)
        if self.memo is None:
            return render()
        return self.memo.produce(path, template, context, localcontext, render)

    def render_pages(self) -> None:
        """Render and write the recorded pages, in two processes when there are many,
        each only if its inputs changed (``memo``); then tell ``content_written``
        receivers, in the order Pelican asked."""
        jobs, self.jobs = self.jobs, []
        announce, self._announce = self._announce, []
        self.memo = self._start_memo()
        try:
            render_all(jobs, self.build, self.settings["PARALLEL_RENDERING_MIN_PAGES"])
        finally:
            if self.memo is not None:
                self.memo.close()
        if self.memo is not None:
            self._finish_memo()
        for path, localcontext in announce:
            signals.content_written.send(path, context=localcontext)

    def _start_memo(self) -> memo.Renderer | None:
        settings = self.settings
        if not settings["PAGE_MEMO"] or not self.rendered.pages:
            return None
        state = self.build.state(memo.PageMemo)
        state.earlier = memo.load(Path(settings["CACHE_PATH"]) / memo.FILE)
        shared = collections.Counter(id(p.context) for p in self.rendered.pages).most_common(1)[0][0]
        context = next(p.context for p in self.rendered.pages if id(p.context) == shared)
        return memo.Renderer(self.build, state, settings, context, settings["PAGE_MEMO_VERIFY"])

    def _finish_memo(self) -> None:
        state = self.build.state(memo.PageMemo)
        memo.save(Path(self.settings["CACHE_PATH"]) / memo.FILE, state)
        if state.stale:
            self.build.add(memo.stale_problem(state.stale, self.output_path))


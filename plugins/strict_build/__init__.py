"""Strict, atomic builds: bad content stops the build with a clear message.

The runner (``python -m strict_build``, ``runner``) makes a ``sitecore.Build``
and runs Pelican into a staging folder; this plugin runs the build's phases
inside Pelican: *check* once everything is read (stopping Pelican before it
writes pages from bad content), *render* while Pelican's own writer writes
the pages, then *files* and *compress* once it has.

Modules: ``runner`` (the build, verify and swap), ``capture`` and
``translate`` (log records → problems), ``staging`` (staging and swap),
``links`` (link checking). Problems and the build's state live in the core
library, ``sitecore``: other plugins import from there, not from here.
"""

from __future__ import annotations

import logging
import os

from jinja2 import FileSystemBytecodeCache
from pelican import signals

from sitecore import Build

from .runner import BuildAborted, BuildResult, build

__all__ = ["BuildResult", "build", "register"]

logger = logging.getLogger(__name__)


def remember_source(path, context):
    """Which source file each page comes from, so a broken link names the file to fix."""
    content = context.get("article") or context.get("page")
    if content is not None and content.source_path:
        output = context["OUTPUT_PATH"]
        Build.current().sources[os.path.relpath(path, output).replace(os.sep, "/")] = content.source_path


def keep_compiled_templates(generator):
    """Jinja's own bytecode cache under CACHE_PATH: the preview's next build does not
    compile the theme's templates again (about half a second of every rebuild). Jinja
    keys each entry on the template's source and its own version."""
    folder = os.path.join(generator.settings["CACHE_PATH"], "jinja")
    os.makedirs(folder, exist_ok=True)
    generator.env.bytecode_cache = FileSystemBytecodeCache(folder)


def check(generators):
    build = Build.current()
    build.enter("check", generators)
    if build.problems:
        raise BuildAborted()
    build.enter("render")


def finish(pelican) -> None:
    """The phases after Pelican has written every page."""
    build = Build.current()
    build.enter("files", pelican)
    build.enter("compress", pelican)


def register():
    # Build.current() raises under plain `pelican`, saying how to build instead.
    signals.initialized.connect(lambda pelican: Build.current())
    signals.finalized.connect(finish)
    signals.content_written.connect(remember_source)
    signals.generator_init.connect(keep_compiled_templates)
    signals.all_generators_finalized.connect(check)

"""Strict, atomic builds: bad content stops the build with a clear message.

The runner (``python -m strict_build``, ``runner``) makes a ``sitecore.Build``
and runs Pelican into a staging folder; this plugin runs the build's phases
inside Pelican: *check* once everything is read (stopping Pelican before it
writes pages from bad content), then *render*, *index*, *files* and
*compress* once Pelican has asked for every page. Under plain ``pelican``
it makes a build of its own that writes in place.

Modules: ``capture`` (logging → problems), ``translate`` (Pelican's records),
``staging`` (staging and swap), ``parallel`` (rendering in two processes),
``writer`` (Pelican's writer, recording pages), ``memo`` (pages rendered
again only when their inputs changed), ``links`` (link checking).
Problems, reporting and the build's state live in the core library,
``sitecore``: other plugins import from there, not from here.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import shutil
from pathlib import Path

from pelican import signals

from sitecore import Build, page_context, report  # noqa: F401 - page_context re-exported
from sitecore.settings import Setting, apply
from sitecore.reuse import sweep

from .parallel import MIN_PAGES_TO_FORK
from .runner import BuildAborted, BuildResult, build
from .writer import PhasedWriter

__all__ = ["BuildResult", "build", "page_context", "register"]

logger = logging.getLogger(__name__)

SETTINGS = (
    Setting("PARALLEL_RENDERING", True, (bool,),
            "True (sivut tehdään kahdessa prosessissa) tai False (yhdessä)"),
    Setting("PARALLEL_RENDERING_MIN_PAGES", MIN_PAGES_TO_FORK, (int,),
            "sivumäärä, josta alkaen toinen prosessi otetaan käyttöön (vähintään 1)",
            lambda value: value >= 1),
    Setting("PAGE_MEMO", True, (bool,),
            "True (sivu tehdään uudelleen vain, jos jokin sen lähteistä muuttui) tai False (joka sivu joka kerta)"),
    Setting("PAGE_MEMO_VERIFY", False, (bool,),
            "False tai True (testeille: muistin säästämätkin sivut tehdään ja verrataan)"),
)


def start_build(pelican) -> None:
    """Under plain `pelican` there is no runner: a build that writes in place."""
    settings = pelican.settings
    if not isinstance(settings.get("BUILD"), Build):
        Build(direct=True, content_root=settings["PATH"]).attach(settings)
    for problem in apply(settings, SETTINGS):
        report(logger, problem)


def remember_source(path, context):
    content = context.get("article") or context.get("page")
    if content is None or not content.source_path:
        return
    output = context.get("OUTPUT_PATH", "")
    Build.of(context).sources[os.path.relpath(path, output).replace(os.sep, "/")] = content.source_path


def check(generators):
    build = Build.of(generators[0].settings)
    build.run("check", generators)
    if build.problems and not build.direct:
        raise BuildAborted()


def finish(pelican) -> None:
    """The phases after Pelican has asked for every page."""
    build = Build.of(pelican.settings)
    build.run("render", pelican)
    # The earlier build's pages this one did not write go before the search
    # index reads the pages; its other files, after *files* has written (and
    # kept) its own and before *compress* looks at the output. One sweep
    # before *files* would delete the assets, icons and sitemap that *files*
    # then writes again, so they, and their compressed copies, were new on
    # every build.
    if not build.direct:
        _sweep(pelican, build, only_suffixes=(".html",))
    build.run("index", pelican)
    build.run("files", pelican)
    if not build.direct:
        _sweep(pelican, build)
    build.run("compress", pelican)
    if build.direct:  # no runner to verify: wait for background work here
        build.await_background()
        for problem in build.problems:
            report(logger, problem)


def _sweep(pelican, build: Build, only_suffixes: tuple[str, ...] = ()) -> None:
    sweep(Path(pelican.settings["OUTPUT_PATH"]), build.started_ns, build.kept | build.written,
          build.filled_later, build.suffixes_later, only_suffixes)


def cache_compiled_templates(generator):
    """Keep Jinja's compiled templates between builds: compiling them is a
    noticeable part of a small rebuild (each generator has its own environment).

    Compiled code depends on the filters and globals the plugins define (a
    filter that becomes @pass_context is called differently), so the cache is
    kept per version of the plugins' code: a pulled change never meets
    templates compiled for the code before it.
    """
    from jinja2 import FileSystemBytecodeCache

    version = plugins_version(tuple(generator.settings.get("PLUGIN_PATHS") or ()))
    caches = Path(generator.settings["CACHE_PATH"]) / "templates"
    folder = caches / version
    if not folder.is_dir():  # the first build of new plugin code: older caches go
        shutil.rmtree(caches, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    generator.env.bytecode_cache = FileSystemBytecodeCache(str(folder))


@functools.cache
def plugins_version(paths: tuple[str, ...]) -> str:
    """A short hash of every plugin source file's path and contents."""
    digest = hashlib.sha256()
    for root in paths:
        for path in sorted(Path(root).rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def phased_writer(pelican):
    return PhasedWriter


def register():
    # Connected first of all receivers (strict_build is first in PLUGINS):
    # the others find the build when Pelican starts.
    signals.initialized.connect(start_build)
    signals.generator_init.connect(cache_compiled_templates)
    signals.get_writer.connect(phased_writer)
    signals.finalized.connect(finish)
    signals.content_written.connect(remember_source)
    signals.all_generators_finalized.connect(check)

"""Strict, atomic builds: bad content stops the build with a clear message.

The plugin part only helps the runner (``python -m strict_build``): it
remembers which source file each output page came from, for messages, and
stops Pelican before writing once content problems are known.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
from pathlib import Path

from pelican import signals

from .problems import ContentError, Problem, report
from .runner import (BuildAborted, BuildResult, build, current_build, filled_later, finish_pages,
                     in_background, keep, notice, rendering_adds_to, unchanged, write_output)
from .writer import KeepUnchangedWriter, page_context

__all__ = ["BuildResult", "ContentError", "Problem", "build", "current_build", "filled_later",
           "in_background", "keep", "notice", "page_context", "register", "rendering_adds_to",
           "report", "unchanged", "write_output"]


def remember_source(path, context):
    log = current_build()
    content = context.get("article") or context.get("page")
    if log is None or content is None or not content.source_path:
        return
    output = context.get("OUTPUT_PATH", "")
    log.sources[os.path.relpath(path, output).replace(os.sep, "/")] = content.source_path


def stop_if_content_is_bad(generators):
    log = current_build()
    if log is not None and log.problems:
        raise BuildAborted()


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


def keep_unchanged_writer(pelican):
    return KeepUnchangedWriter


def register():
    signals.generator_init.connect(cache_compiled_templates)
    signals.get_writer.connect(keep_unchanged_writer)
    # Connected first of all finalized receivers: the others see this build's pages only.
    signals.finalized.connect(finish_pages)
    signals.content_written.connect(remember_source)
    signals.all_generators_finalized.connect(stop_if_content_is_bad)

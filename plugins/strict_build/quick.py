"""The preview's quick pass: after a build, show one edited post or page at once.

``make serve`` keeps the process of its last good build alive. When staff
save the Markdown file of a post or a page, this module reads that one file
again, renders only the pages that build recorded for it (its own page; the
pages Pelican asked for with it as ``article`` or ``page``) and writes them
into the live output folder. The open page reloads and shows the new text
while the full build still runs; the full build then puts everything else
right (listings, feeds, the search index, the link check) and swaps in, and
an open page reloads again only if its own bytes changed (see
``preview_server``).

Whenever the quick pass could show something a full build would not, it
declines and the page waits for the full build: a file that is not a public
post or page, a change of address, status or language, new images or
attachments, any problem while reading, or a build that had problems. The
quick pass never writes anything a full build would not write later, and
never anything members-only: ``sitecore.site.is_public`` is asked for the
old and the new version.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from pelican.contents import Article, Page
from pelican.readers import Readers

from sitecore import Build
from sitecore.reuse import write_if_changed
from sitecore.site import is_public

from .capture import captured_logs
from .writer import RenderedPage, RenderedPages, render_page

# What decides where and whether an item is published, and in which language:
# a change to any of these needs the full build.
ADDRESS = ("save_as", "url", "status", "lang", "slug", "template", "translation")
# Items whose page shows only what their own file says (typed content, such as
# events, derives fields across files: it waits for the full build).
QUICK_TYPES = (Article, Page)


def pages_by_source(pages: Iterable[RenderedPage]) -> dict[str, list[tuple[RenderedPage, str]]]:
    """Each source file's item → the recorded pages that show it, with the
    template variable it is given as."""
    shown: dict[str, list[tuple[RenderedPage, str]]] = {}
    for page in pages:
        for key in ("article", "page"):
            value = page.localcontext.get(key)
            if isinstance(value, QUICK_TYPES) and value.source_path:
                shown.setdefault(os.path.normpath(value.source_path), []).append((page, key))
    return shown


def same_address(old, new) -> bool:
    return all(getattr(old, name, None) == getattr(new, name, None) for name in ADDRESS)


def image_sources(html: str) -> set[str]:
    """The ``src`` and ``srcset`` values in ``html``: files the build makes or copies."""
    return set(re.findall(r'\b(?:src|srcset)="([^"]*)"', html or ""))


def same_files(old, new) -> bool:
    """Whether ``new`` uses the same images and attachments as ``old`` (new
    ones, or new sizes of them, exist only after the full build)."""
    return (new.get_static_links() == old.get_static_links()
            and image_sources(new.content) == image_sources(old.content))


def reread(old, settings: dict, context: dict, build: Build):
    """``old``'s file read again, or None if reading it reports any problem."""
    before = list(build.problems)
    readers = Readers(settings)  # no cache: the file has just changed
    try:
        with captured_logs(build):
            try:
                new = readers.read_file(
                    base_path=settings["PATH"],
                    path=os.path.relpath(old.source_path, settings["PATH"]),
                    content_class=type(old), context=context)
            except Exception:  # noqa: BLE001 - the full build names the problem
                return None
            valid = new.is_valid()  # logs what is missing: captured, as the build's
        if build.problems != before or not valid:
            return None
    finally:
        build.problems = before
    # What Pelican and the plugins gave the old item after reading (its
    # translations, its place in the navigation) belongs to the new one too.
    for name, value in vars(old).items():
        if name not in vars(new) or name == "translations":
            setattr(new, name, value)
    return new


def rerender(build: Build, output: Path, changed: Iterable[str | os.PathLike],
             replaced: dict[Path, bytes | None] | None = None) -> list[str] | None:
    """Render again the pages of the items in ``changed`` into ``output``.

    Returns the output files whose bytes changed (relative, with ``/``), or
    None when a full build is needed first (see the module's docstring).
    ``replaced`` gets the bytes each file had before the first quick pass
    that changed it (None: there was no file), for ``undo``.
    """
    rendered = build.state(RenderedPages)
    settings = rendered.settings
    if settings is None or build.problems:
        return None
    built_in = settings["OUTPUT_PATH"]
    shown = pages_by_source(rendered.pages)
    renders = []
    for path in changed:
        pages = shown.get(os.path.normpath(os.path.abspath(path)))
        if not pages:
            return None
        old = pages[0][0].localcontext[pages[0][1]]
        new = reread(old, settings, pages[0][0].context, build)
        if (new is None or not same_address(old, new) or not is_public(old, settings)
                or not is_public(new, settings) or not same_files(old, new)):
            return None
        for page, _key in pages:
            values = {key: new if value is old else value for key, value in page.localcontext.items()}
            renders.append((page, values))
    written = []
    for page, values in renders:
        relative = os.path.relpath(page.path, built_in)
        target = output / relative
        data = render_page(page.template, page.context, values)
        if replaced is not None and target not in replaced:
            replaced[target] = target.read_bytes() if target.is_file() else None
        if write_if_changed(target, data):
            written.append(relative.replace(os.sep, "/"))
    return written


def undo(replaced: dict[Path, bytes | None]) -> None:
    """Put back what quick passes replaced: the full build after them failed,
    and the output keeps the last good build."""
    for path, data in replaced.items():
        if data is None:
            path.unlink(missing_ok=True)
        else:
            write_if_changed(path, data)
    replaced.clear()


def hold(argv: list[str], commands: IO[str], answers: IO[str]) -> int:
    """The preview's build process: build as ``python -m strict_build argv``
    does, answer its exit status on ``answers``, and after a good build stay:
    each line on ``commands`` (a JSON list of changed files) is answered with
    the JSON list of pages the quick pass wrote, or ``null``; the line
    ``undo`` puts back what the quick passes replaced (answered ``[]``).
    Ends when ``commands`` closes (the next good build replaced this one, or
    the preview stopped).
    """
    from .__main__ import run

    status, result = run(argv)
    answers.write(f"{status}\n")
    answers.flush()
    if status != 0:
        return status
    replaced: dict[Path, bytes | None] = {}
    for line in commands:
        try:
            if line.strip() == "undo":
                undo(replaced)
                written = []
            else:
                written = rerender(result.build, result.output, json.loads(line), replaced)
        except Exception:  # noqa: BLE001 - the full build that follows tells what is wrong
            written = None
        answers.write(json.dumps(written) + "\n")
        answers.flush()
    return 0

"""Site search with Pagefind: the public output is indexed after every build.

Only pages that mark their main content with ``data-pagefind-body`` are
indexed, so the members' section, listings and error pages never are; the
index language comes from ``<html lang>`` (Finnish stemming).

Pagefind writes into the earlier build's index folder: it leaves a file
alone whose (content-hashed) name is already there, which spares creating
some thousand files per build. What the new index no longer refers to is
then left for the build's sweep (``live_index_files``).
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import shutil
import subprocess
from pathlib import Path

from pelican import signals

from sitecore import Build, Problem, report
from sitecore.settings import Setting, apply

FOLDER = "pagefind"
SETTINGS = (Setting("SEARCH_INDEX", True, (bool,), "True (hakuhakemisto tehdään) tai False"),)
logger = logging.getLogger(__name__)


def _run(command: list[str]) -> subprocess.Popen:
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _problem(process: subprocess.Popen) -> Problem | None:
    """Wait for Pagefind; the Problem to report if it failed."""
    _, error = process.communicate()
    if process.returncode == 0:
        return None
    return Problem("", "haku", "hakuhakemiston luonti epäonnistui: " + error.strip()[:500],
                   "Tämä on ohjelmointivirhe: kerro viesti kehittäjälle.")


def live_index_files(folder: Path) -> set[Path] | None:
    """The content-named files the index in ``folder`` refers to, or None if unsure.

    Each language's meta file (gzip'd CBOR) names its pages' fragments, its
    index chunks and filters as "<lang>_<hex>"; there must be one fragment
    per indexed page, else we cannot tell and return None.
    """
    try:
        entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        live = set()
        for lang, info in entry["languages"].items():
            meta = folder / f"pagefind.{info['hash']}.pf_meta"
            text = gzip.decompress(meta.read_bytes())
            names = {n.decode() for n in re.findall(re.escape(lang).encode() + rb"_[0-9a-f]+", text)}
            fragments = {folder / "fragment" / f"{name}.pf_fragment" for name in names}
            fragments = {path for path in fragments if path.is_file()}
            if len(fragments) != info["page_count"]:
                return None
            chunks = {folder / kind / f"{name}.pf_{kind}" for name in names for kind in ("index", "filter")}
            live |= fragments | {meta} | {path for path in chunks if path.is_file()}
        return live
    except (OSError, ValueError, KeyError, EOFError, gzip.BadGzipFile):
        return None


def join_build(pelican):
    for problem in apply(pelican.settings, SETTINGS):
        report(logger, problem)
    if pelican.settings["SEARCH_INDEX"] is True:
        build = Build.of(pelican.settings)
        build.fill_later(folder=Path(pelican.settings["OUTPUT_PATH"]) / FOLDER)
        build.join("index", index_site)


def index_site(pelican):
    """Start Pagefind; the build checks its links meanwhile and waits before swapping."""
    settings = pelican.settings
    build = Build.of(settings)
    from pagefind_bin import get_executable  # the binary itself: no Python start in between

    command = [str(get_executable()), "--site", settings["OUTPUT_PATH"],
               "--output-subdir", FOLDER, "--quiet"]
    folder = Path(settings["OUTPUT_PATH"]) / FOLDER
    process = _run(command)

    def finish() -> Problem | None:
        problem = _problem(process)
        if problem is not None:
            return problem
        live = live_index_files(folder)
        if live is None:  # an index format we cannot read: build it afresh instead
            shutil.rmtree(folder, ignore_errors=True)
            return _problem(_run(command))
        # Pagefind rewrites its other files every time: the sweep sees them as new.
        for path in live:
            build.keep(path)
        return None

    build.in_background(finish)


def register():
    signals.initialized.connect(join_build)

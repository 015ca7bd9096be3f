"""Site search with Pagefind: the public output is indexed after every build.

Only pages that mark their main content with ``data-pagefind-body`` are
indexed, so the members' section, listings and error pages never are; the
index language comes from ``<html lang>`` (Finnish stemming).
"""

from __future__ import annotations

import subprocess
import sys

from pelican import signals

from strict_build import Problem, in_background


def _failure(process) -> Problem:
    output = (process.stderr.read() if process.stderr else "") or ""
    return Problem("", "haku", "hakuhakemiston luonti epäonnistui: " + output.strip()[:500],
                   "Tämä on ohjelmointivirhe: kerro viesti kehittäjälle.")


def index_site(pelican):
    """Start Pagefind; the build checks its links meanwhile and waits before swapping.

    The earlier build's index is gone by now (swept as stale): Pagefind does
    not rewrite a fragment whose name it finds, so stale ones could not be told
    from live ones afterwards.
    """
    settings = pelican.settings
    if not settings.get("SEARCH_INDEX", True):
        return
    command = [sys.executable, "-m", "pagefind", "--site", settings["OUTPUT_PATH"],
               "--output-subdir", "pagefind", "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    in_background(process, _failure)


def register():
    signals.finalized.connect(index_site)

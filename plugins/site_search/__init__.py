"""Site search with Pagefind: the public output is indexed after every build.

Only pages that mark their main content with ``data-pagefind-body`` are
indexed, so the members' section, listings and error pages never are; the
index language comes from ``<html lang>`` (Finnish stemming).
"""

from __future__ import annotations

import logging
import subprocess
import sys

from pelican import signals

from strict_build import Problem, report

logger = logging.getLogger(__name__)


def index_site(pelican):
    settings = pelican.settings
    if not settings.get("SEARCH_INDEX", True):
        return
    command = [sys.executable, "-m", "pagefind", "--site", settings["OUTPUT_PATH"],
               "--output-subdir", "pagefind", "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        report(logger, Problem("", "haku", "hakuhakemiston luonti epäonnistui: "
                               + (done.stderr or done.stdout).strip()[:500],
                               "Tämä on ohjelmointivirhe: kerro viesti kehittäjälle."))


def register():
    signals.finalized.connect(index_site)

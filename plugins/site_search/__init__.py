"""Site search with Pagefind: the public output is indexed after every build.

Only pages that mark their main content with ``data-pagefind-body`` are
indexed, so the members' section, listings and error pages never are; the
index language comes from ``<html lang>`` (Finnish stemming). Pagefind runs
in its own process while the build writes its other files; the build waits
for it before the links are checked.
"""

from __future__ import annotations

import logging
import subprocess

from pelican import signals

from sitecore import Build, Problem, report
from sitecore.settings import Setting, apply

FOLDER = "pagefind"
SETTINGS = (Setting("SEARCH_INDEX", True, (bool,), "True (hakuhakemisto tehdään) tai False"),)
logger = logging.getLogger(__name__)


def join_build(pelican):
    for problem in apply(pelican.settings, SETTINGS):
        report(logger, problem)
    if pelican.settings["SEARCH_INDEX"] is True:
        Build.current().join("files", index_site)


def index_site(pelican):
    """Start Pagefind over the written pages; the build waits for it in *verify*."""
    from pagefind_bin import get_executable  # the binary itself: no Python start in between

    command = [str(get_executable()), "--site", pelican.settings["OUTPUT_PATH"],
               "--output-subdir", FOLDER, "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def finish() -> Problem | None:
        _, error = process.communicate()
        if process.returncode == 0:
            return None
        return Problem("", "haku", "hakuhakemiston luonti epäonnistui: " + error.strip()[:500],
                       "Tämä on ohjelmointivirhe: kerro viesti kehittäjälle.")

    Build.current().in_background(finish)


def register():
    signals.initialized.connect(join_build)

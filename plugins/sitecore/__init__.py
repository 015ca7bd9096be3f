"""The small core every plugin of ours may depend on; it imports nothing of ours.

* ``Problem``, ``ContentError``, ``report``: bad content, named with its file,
  field and fix; ``internal_error``: a bug in code, with its traceback
  (``problems``).
* ``Build``: one build's phases, problems, files and the typed state plugins
  hand from one phase to the next (``build``); ``Build.current()`` finds it.
* ``site``: the site's absolute URL (``absolute_url``, ``served_url``,
  ``feed_url_base``), language, sections (``section_url``) and ``is_public``;
  ``settings``: a plugin's settings declared with defaults and checks.

Not a Pelican plugin: the ``strict_build`` plugin runs the phases.
"""

from .build import JOINABLE, PHASES, Build, NoBuild
from .problems import ContentError, Problem, report

__all__ = ["JOINABLE", "PHASES", "Build", "ContentError", "NoBuild", "Problem", "report"]

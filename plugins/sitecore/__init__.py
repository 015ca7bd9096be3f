"""The small core every plugin of ours may depend on; it imports nothing of ours.

* ``Problem``, ``ContentError``, ``report``: bad content, named with its file,
  field and fix (``problems``).
* ``Build``: one build's phases, problems, files and the typed state plugins
  hand from one phase to the next (``build``); ``write_output`` and the other
  file calls are its methods.
* ``reuse``: writing only changed bytes over an earlier build, and the sweep.
* ``site``: the site's absolute URL (``absolute_url``, ``served_url``,
  ``feed_url_base``), language, sections (``section_url``) and ``is_public``;
  ``settings``: a plugin's settings declared with defaults and checks;
  ``hooks``: ``page_context``, our signal for values a page's context gets.

Not a Pelican plugin: the ``strict_build`` plugin runs the phases.
"""

from .build import JOINABLE, PHASES, Build, NoBuild
from .hooks import page_context
from .problems import ContentError, Problem, report

__all__ = ["JOINABLE", "PHASES", "Build", "ContentError", "NoBuild", "Problem", "page_context", "report"]

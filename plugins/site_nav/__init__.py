"""Navigation from page front matter: main menu, sections, breadcrumbs, footer."""

from __future__ import annotations

import logging

from pelican import signals

from sitecore import report
from sitecore.site import Sections, absolute_url

from .tree import NavNode, NavTree, build_tree

__all__ = ["NavNode", "NavTree", "build_tree", "register"]

logger = logging.getLogger(__name__)


def add_navigation(generator):
    tree, problems = build_tree(generator.pages + generator.hidden_pages)
    for problem in problems:
        report(logger, problem)
    generator.context["site_nav"] = tree


def add_site_facts(generator):
    """The site's facts templates ask (``sitecore.site``): ``sections.blog``,
    ``sections.events``, …: each section's URL segment; ``site_url``: the site's
    absolute address (canonical links, hreflang, structured data)."""
    generator.env.globals["sections"] = Sections.from_settings(generator.settings)
    generator.env.globals["site_url"] = absolute_url(generator.settings)


def register():
    signals.generator_init.connect(add_site_facts)
    signals.page_generator_finalized.connect(add_navigation)

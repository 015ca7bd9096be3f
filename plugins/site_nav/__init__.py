"""Navigation from page front matter: main menu, sections, breadcrumbs, footer."""

from __future__ import annotations

import logging

from pelican import signals

from sitecore import report
from sitecore.site import Sections, absolute_url

from .tree import NavNode, NavTree, build_tree

__all__ = ["NavNode", "NavTree", "build_tree", "page_numbers", "register"]

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


def page_numbers(current: int, total: int, around: int = 2) -> list[int | None]:
    """The page numbers a listing's pagination links to: the first, the last and
    ``around`` on each side of ``current``; None where numbers are left out.

    A hundred pages of news get nine links, not a hundred (on a phone and for
    a screen reader, a hundred links are a wall; rendering them on every page
    made listings cost the square of their length). A gap of one number shows
    the number instead.
    """
    shown = sorted({1, total} | set(range(max(1, current - around), min(total, current + around) + 1)))
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - numbers[-1] == 2:
            numbers.append(number - 1)
        elif numbers and number - numbers[-1] > 2:
            numbers.append(None)
        numbers.append(number)
    return numbers


def add_pagination(generator):
    generator.env.globals["page_numbers"] = page_numbers


def register():
    signals.generator_init.connect(add_site_facts)
    signals.generator_init.connect(add_pagination)
    signals.page_generator_finalized.connect(add_navigation)

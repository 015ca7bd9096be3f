"""Sources: where a post's or page's facts come from, shown under it.

A post or page names its source in ``Source:`` (one) or its sources in
``Sources:`` (several, separated by commas): a web page's address, linked, or
a publication named in words. Our own content types (events, member
institutions) have the same fields in their schemas; this plugin gives
Pelican's posts and pages theirs, checked on every build (an item read from
Pelican's cache was not checked when it was read).
"""

from __future__ import annotations

import logging

from pelican import signals

from content_types.schema import SOURCE_FIELDS, sources_of, validate
from sitecore import report

logger = logging.getLogger(__name__)

# The lists of Pelican's generators that hold posts and pages of every status.
LISTS = ("articles", "translations", "drafts", "drafts_translations", "hidden_articles",
         "hidden_translations", "pages", "hidden_pages", "draft_pages", "draft_translations")


def give_sources(generator):
    for name in LISTS:
        for item in getattr(generator, name, None) or ():
            values, problems = validate(item.metadata, SOURCE_FIELDS, item.source_path)
            item.sources = sources_of(values)
            for problem in problems:
                report(logger, problem)


def register():
    signals.article_generator_finalized.connect(give_sources)
    signals.page_generator_finalized.connect(give_sources)

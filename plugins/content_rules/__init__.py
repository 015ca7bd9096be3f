"""Content rules: strict dates, required post fields, existing link targets.

Each rule is a plain function (``dates``, ``rules``); this module only wires
them to Pelican: a Markdown reader that parses dates strictly, and a check
of every post and page as Pelican creates it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os

from pelican import signals
from pelican.contents import Article, Content, Page, Static
from pelican.readers import MarkdownReader

from sitecore import ContentError, report
from sitecore.site import section_url

from .dates import parse_post_date
from .rules import audience_problems, missing_references, post_problems

logger = logging.getLogger(__name__)

DATE_FIELDS = {"date": "Date", "modified": "Modified"}


# Stands in for a date that could not be read, so that the file is read to the
# end and all its problems are named in one build; the build then stops.
UNREADABLE_DATE = dt.datetime(1970, 1, 1)


class StrictMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader with our date parsing."""

    def process_metadata(self, name, value):
        if name in DATE_FIELDS:
            try:
                return parse_post_date(value, DATE_FIELDS[name])
            except ContentError as error:
                report(logger, error.problem(self.source_path))
                return UNREADABLE_DATE
        return super().process_metadata(name, value)

    def read(self, source_path):
        self.source_path = source_path  # for the problems of process_metadata
        return super().read(source_path)


def use_strict_reader(readers):
    for extension in StrictMarkdownReader.file_extensions:
        readers.reader_classes[extension] = StrictMarkdownReader


def check_content(content):
    if not isinstance(content, Content) or isinstance(content, Static) or not content.source_path:
        return
    settings = content.settings
    problems = []
    if isinstance(content, Article):
        problems += post_problems(
            content.source_path,
            content.metadata,
            settings.get("ALLOWED_CATEGORIES", ()),
            settings.get("DEFAULT_CATEGORY", ""),
            content._content or "",
        )
    # Audience is read by sitecore.site.audience for every content type. Our own
    # content types leave out what is not public; Pelican's generators publish
    # every post and page, so such a post or page (or an unknown Audience)
    # stops the build here instead.
    if isinstance(content, (Article, Page)):
        problems += audience_problems(content.source_path, content.metadata,
                                      settings.get("MEMBER_GROUPS", {}))
    # Pelican's private API, on purpose: the public ``content`` property replaces
    # intrasite links when read (too early here, before every file is known), and
    # the link pattern is Pelican's own (INTRASITE_LINK_REGEX inside its markup regex).
    references = [
        (m.group("what"), m.group("value"))
        for m in content._get_intrasite_link_regex().finditer(content._content or "")
        if m.group("what") in ("filename", "static", "attach")
    ]
    private = [os.path.join(settings["PATH"], p) for p in settings.get("MEMBERS_PATHS", [])]
    if any(os.path.commonpath([os.path.abspath(content.source_path), os.path.abspath(r)])
           == os.path.abspath(r) for r in private):
        private = []  # the members' own pages may link their files
    problems += missing_references(content.source_path, references, settings["PATH"], private,
                                   section_url(settings, "members"))
    for problem in problems:
        report(logger, problem)


def register():
    signals.readers_init.connect(use_strict_reader)
    signals.content_object_init.connect(check_content)

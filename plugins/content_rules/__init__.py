"""Content rules: strict dates and front matter, required post fields, existing
link targets, safe HTML, no symbolic links, no content over generated files.

Each rule is a plain function (``dates``, ``rules``, ``files``, ``html``,
``outputs``); this module only wires them to Pelican: a Markdown reader that
parses the front matter and dates strictly, a look at content/ and the theme
before anything is read, a check of every post and page as Pelican creates
it, and the output paths' claims.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re

from markupsafe import Markup
from pelican import signals
from pelican.contents import Article, Content, Page, Static
from pelican.readers import MarkdownReader

from sitecore import Build, ContentError, Problem, report
from sitecore.build import BuildAborted
from sitecore.site import is_public, section_url

from . import outputs
from .dates import parse_post_date
from .files import front_matter_error, refused_files
from .html import clean, refused_html
from .rules import audience_problems, missing_references, post_problems

logger = logging.getLogger(__name__)

# What breaks out of an attribute or starts a tag where templates print a field's text.
UNSAFE_IN_FIELDS = re.compile(r'"|<[A-Za-z/!?]')

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
        with open(source_path, encoding="utf-8-sig") as handle:
            if error := front_matter_error(handle.read()):
                raise error
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
    # The members' own HTML is the members' section's to check (members_area.sanitize).
    if is_public(content, settings):
        problems += html_problems(content)
        content._content = clean(content._content or "")
    for problem in problems:
        report(logger, problem)


def html_problems(content) -> list[Problem]:
    """HTML in the text or the front matter that public pages do not allow (``html``).

    The templates print front-matter values unescaped, also inside attributes
    (``content="{{ description }}"``): a value whose text has a straight quote
    or the start of a tag would break out of one (``Title: x" onfocus="…``).
    """
    texts = {"teksti": content._content or ""}
    texts |= {key.capitalize(): value for key, value in content.metadata.items() if isinstance(value, str)}
    problems = [Problem(content.source_path, field,
                        f"{'tekstissä' if field == 'teksti' else 'kentässä'} on HTML:ää, jota ei sallita: "
                        f"{', '.join(refused[:5])}.",
                        "Poista HTML-koodi ja käytä Markdown-muotoilua. Julkisilla sivuilla ei sallita "
                        "skriptejä, tapahtumakäsittelijöitä (onclick, onerror), javascript:- tai data:-osoitteita, "
                        "upotuksia (iframe, object, embed), lomakkeita eikä meta-elementtejä; videon voi linkittää.")
                for field, text in texts.items() if (refused := refused_html(text))]
    problems += [Problem(content.source_path, field, "kentän tekstissä on suora lainausmerkki \" tai "
                         "merkki < kirjaimen edessä, jotka rikkoisivat sivun HTML:n.",
                         "Kirjoita lainausmerkit suomen tapaan ”näin” ja < sanoin (esim. \"alle\").")
                 for field, text in texts.items()
                 if field != "teksti" and UNSAFE_IN_FIELDS.search(Markup(text).striptags())]
    return problems


def check_files(pelican):
    """Before anything is read: no symbolic links in content/ or the theme, no SVG in
    content/. The build stops at once: nothing behind a link is read, not even to
    report what else is wrong."""
    settings = pelican.settings
    problems = refused_files(settings["PATH"], settings["THEME"], settings.get("IGNORE_FILES", ()))
    for problem in problems:
        report(logger, problem)
    if problems:
        raise BuildAborted()
    Build.current().join("check", outputs.check_outputs)


def register():
    signals.initialized.connect(check_files)
    signals.readers_init.connect(use_strict_reader)
    signals.content_object_init.connect(check_content)
    signals.content_object_init.connect(outputs.record)
    signals.content_written.connect(outputs.claim_written)
    signals.feed_written.connect(outputs.claim_feed)

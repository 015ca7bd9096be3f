"""Facts about the site every plugin and template asks the same way: its
absolute URL, where this build is served, the base of its feeds' links, its
language, the URL of each section, who an item is for (``audience``, read
alike for every content type), whether it may appear in public output, and
whether the build may be published (``build_mode``).

One owner per fact: the values come from the settings (pelicanconf.py);
``SECTION_URLS`` holds the only defaults of the section URL settings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .problems import ContentError

# Each section's URL setting and the URL it has when pelicanconf.py names none.
SECTION_URLS = {
    "blog": ("INDEX_URL", "ajankohtaista/"),
    "events": ("EVENTS_URL", "tapahtumat/"),
    "directory": ("DIRECTORY_URL", "jasenet/"),
    "members": ("MEMBERS_URL", "jasenalue/"),
}


def absolute_url(settings: Mapping) -> str:
    """The site's public address without a trailing slash, e.g. https://konservatorioliitto.fi.

    ``PUBLIC_SITEURL`` when set (the development build has ``SITEURL = ""``
    but its feeds, sitemap and structured data still name the real site).
    """
    return (settings.get("PUBLIC_SITEURL") or settings.get("SITEURL") or "").rstrip("/")


def served_url(settings: Mapping) -> str:
    """Where this build's files will be served, without a trailing slash.

    ``SITEURL`` when it is absolute (a preview deploy serves its own files),
    else ``absolute_url``: a development build (``SITEURL = ""``) names the
    real site, so a page's image address is absolute wherever it is read.
    """
    siteurl = settings.get("SITEURL") or ""
    return siteurl.rstrip("/") if siteurl.startswith("http") else absolute_url(settings)


def feed_url_base(settings: Mapping) -> str:
    """The address Pelican's feeds put before each link, without a trailing slash.

    ``FEED_DOMAIN`` when set, else ``SITEURL``: what Pelican's feed writer
    uses, so links beside the feeds (their self and index links) match them.
    """
    return (settings.get("FEED_DOMAIN") or settings.get("SITEURL") or "").rstrip("/")


def build_mode(settings: Mapping) -> str:
    """"production" when this build may be published, else "development".

    A production build takes the members' passwords from the environment
    (``MEMBERS_PASSWORDS`` is not "development": a development build's members'
    section opens with the README's passwords) and writes no drafts.
    """
    development = (settings.get("MEMBERS_PASSWORDS") == "development"
                   or settings.get("DRAFT_SAVE_AS") or settings.get("DRAFT_PAGE_SAVE_AS"))
    return "development" if development else "production"


def section_url(settings: Mapping, section: str) -> str:
    """The URL of a section's index page (``SECTION_URLS``), e.g. "jasenalue/" for "members"."""
    setting, default = SECTION_URLS[section]
    return settings.get(setting) or default


def language(settings: Mapping) -> str:
    """The site's language (``DEFAULT_LANG``, which Pelican always sets), e.g. "fi"."""
    return settings["DEFAULT_LANG"]


def site_today(settings: Mapping, fixed_by: str, now: dt.datetime | None = None) -> dt.date:
    """The build's date in the site's time zone (``TIMEZONE``), not the machine's:
    CI runs in UTC, and from midnight to 2–3 a.m. in Helsinki its date is
    yesterday's. Tests fix it with the setting named ``fixed_by`` (an ISO date)."""
    if settings.get(fixed_by):
        return dt.date.fromisoformat(settings[fixed_by])
    return (now or dt.datetime.now(dt.timezone.utc)).astimezone(ZoneInfo(settings["TIMEZONE"])).date()


def page_lang(context: Mapping) -> str:
    """The language of the page a template is rendering: the ``lang`` its writer
    gave it, else its post's or page's, else the site's."""
    if context.get("lang"):
        return context["lang"]
    content = context.get("article") or context.get("page")
    return getattr(content, "lang", None) or context["DEFAULT_LANG"]


@dataclass
class HeaderSections:
    """A build state: paths whose HTTP headers differ from the site's (the
    editor's /admin/), given by the plugin that owns the path; ``site_meta``
    writes them into the hosts' header files."""

    by_path: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Sections:
    """The first segment of each section's URL, from the URL settings.

    Templates get this as ``sections`` (``sections.blog`` is "ajankohtaista"
    when ``INDEX_URL`` is "ajankohtaista/"): a section's page in the
    navigation has the same slug.
    """

    blog: str
    events: str
    directory: str
    members: str

    @classmethod
    def from_settings(cls, settings: Mapping) -> Sections:
        return cls(**{section: section_url(settings, section).strip("/").split("/")[0]
                      for section in SECTION_URLS})


PUBLIC_AUDIENCE = "julkinen"


def choices(raw: object, allowed: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """An enumerated field as a writer types it: (its known values as ``allowed``
    stores them, the unknown ones as written). Case does not matter and several
    values are separated by commas; a value already parsed (a list) is read as is.
    The one reading of every enumerated field (content_types.schema, ``audience``)."""
    parts = list(raw) if isinstance(raw, (list, tuple)) else str(raw).split(",")
    folded = {written.casefold(): value for written, value in allowed.items()}
    known, unknown = [], []
    for part in (str(p).strip() for p in parts):
        if part and part.casefold() in folded:
            if folded[part.casefold()] not in known:
                known.append(folded[part.casefold()])
        elif part:
            unknown.append(part)
    return known, unknown


def audience(raw: object, groups: Iterable[str],
             public: Iterable[str] = (PUBLIC_AUDIENCE,)) -> tuple[str, ...]:
    """Who an item is for: one of ``public`` alone, or one or more members' groups.

    The one parser of ``Audience`` for every content type (posts and pages in
    content_rules, events, channels): "Hallitus" is the group hallitus, and
    "hallitus, kollegio" both groups. An unknown, empty or mixed value raises
    a ContentError, so nothing meant for a group is ever read as public.
    """
    public, groups = list(public), list(groups)
    allowed = {value: value for value in [*public, *groups]}
    known, unknown = choices(raw, allowed)
    every = ", ".join(allowed)
    if unknown:
        raise ContentError("Audience", f"tuntematon arvo \"{unknown[0]}\".",
                           f"Käytä jotakin näistä: {every}. Useampi ryhmä erotetaan pilkulla: "
                           "hallitus, kollegio.")
    if not known:
        raise ContentError("Audience", "kohderyhmä puuttuu.", f"Kirjoita jokin näistä: {every}.")
    if len(known) > 1 and set(known) & set(public):
        raise ContentError("Audience", f"kohderyhmät \"{', '.join(known)}\" eivät sovi yhteen: "
                           "julkinen sisältö näkyy kaikille, ryhmän sisältö vain ryhmälle.",
                           f"Kirjoita yksi näistä: {', '.join(public)}, tai vain jäsenryhmiä "
                           "pilkulla erotettuina.")
    return tuple(known)


def is_public(item, settings: Mapping | None = None) -> bool:
    """Whether ``item`` may reach public output (pages, feeds, sitemap, search,
    cards, images, JSON, iCalendar).

    Not when it belongs to the members' section (``members_only``), or when
    its ``Audience`` names one of ``MEMBER_GROUPS`` (read as ``audience`` reads
    it: "Hallitus" or "jasenet, hallitus" name groups too).
    """
    if getattr(item, "members_only", False):
        return False
    # Validated fields once checked; the front matter while content is being read.
    fields = getattr(item, "fields", None) or getattr(item, "metadata", None) or {}
    raw = fields.get("audience") if isinstance(fields, Mapping) else None
    if raw is None:
        return True
    groups = (settings if settings is not None else getattr(item, "settings", {})).get("MEMBER_GROUPS", {})
    named, _unknown = choices(raw, {group: group for group in groups})
    return not named

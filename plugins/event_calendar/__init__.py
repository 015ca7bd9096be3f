"""Activity calendar: events in content/events/ become pages and iCalendar feeds.

Public events get a page each, the year's calendar (by the action plan's
groups and by month), month grids, upcoming and past lists, a page per kind,
a subscribe page and .ics feeds. Events for a members' group stay on the
generator (``internal``) for the members' section and reach no public output.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field, replace

from pelican import signals

from babel_i18n.catalogs import theme_translations
from content_types import TypedContentGenerator
from content_types.schema import sources_of
from languages import add_translations, language_versions, languages
from languages.names import place_name
from languages.content import TranslatedContentMixin
from sitecore import Build, Problem, report
from sitecore.site import absolute_url, language, page_lang, section_url, site_today

from . import ics, links
from .events import ATTENDANCE, KINDS, STATUSES, Event
from .grid import month_grid
from .history import read_history
from .when import N_, format_when

logger = logging.getLogger(__name__)


@dataclass
class Feed:
    name: str  # English msgid, translated in templates
    save_as: str
    url: str  # absolute https URL
    items: list = field(default_factory=list)

    @property
    def webcal(self) -> str:
        return links.webcal(self.url)

    @property
    def google(self) -> str:
        return links.google_subscribe(self.url)

    def outlook(self, title: str) -> str:
        return links.outlook_subscribe(self.url, title)


@dataclass
class MonthView:
    year: int
    month: int
    url: str
    dated: list  # exact dates in this month
    uncertain: list  # one occasion this month, day not known
    ongoing: list  # periods covering this month
    past: bool = False  # the month ended before the build's today

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def grid(self):
        return month_grid(self.year, self.month, self.dated)


def build_today(settings) -> dt.date:
    """Today for the calendar: what is upcoming and what is past (``EVENTS_TODAY`` fixes it)."""
    return site_today(settings, "EVENTS_TODAY")


def split_upcoming(events, today: dt.date):
    """Upcoming (not yet ended, soonest first) and past (latest first)."""
    upcoming = sorted((e for e in events if e.when.last >= today),
                      key=lambda e: (e.when.first, e.when.last, e.title))
    past = sorted((e for e in events if e.when.last < today),
                  key=lambda e: (e.when.last, e.when.first, e.title), reverse=True)
    return upcoming, past


class EventsGenerator(TranslatedContentMixin, TypedContentGenerator):
    content_class = Event
    paths_setting = "EVENT_PATHS"
    context_name = "events"
    item_name = "event"
    unique_fields = ("uid",)

    def order(self, items):
        return sorted(items, key=lambda e: (e.when.first, e.when.last, e.title))

    def finalize_context(self):
        settings = self.settings
        events = self.public(self.items)
        self.internal = [e for e in self.items if e not in events]
        self.absolute = absolute_url(settings)
        self._check_hosts(events)
        self._revise(self.items)
        today = build_today(settings)
        for event in events:
            self._decorate(event, today)
        for version in self.translate_items(events):
            self._decorate_translation(version)
        upcoming, past = split_upcoming(events, today)
        years = sorted({year for e in events for year in range(e.when.first.year, e.when.last.year + 1)})
        base = section_url(settings, "events")
        self.feeds = self._feeds(events)
        add_translations(language_versions(settings, base))
        self.context["calendar"] = {
            "today": today,
            "upcoming": upcoming,
            "past": past,
            "years": years,
            "kinds": [k for k in KINDS.values() if any(e.fields["kind"] == k.key for e in events)],
            "by_kind": {k: [e for e in events if e.fields["kind"] == k] for k in KINDS},
            "months": {year: self._months(events, year, today) for year in years},
            "feeds": self.feeds,
            "kind_feeds": self.kind_feeds,
            "url": base,
        }

    # --- derived data --------------------------------------------------------

    def _check_hosts(self, events):
        institutions = {i.slug: i for i in self.context.get("institutions", [])}
        for institution in institutions.values():
            institution.events = []
        for event in self.items:
            host = event.fields["host"]
            if host and host not in institutions:
                report(logger, Problem(event.source_path, "Host",
                                       f"jäsenoppilaitosta \"{host}\" ei ole hakemistossa.",
                                       "Käytä oppilaitoksen Slug-arvoa kansiosta content/directory/."))
            event.host = institutions.get(host)
        for event in events:
            if event.host:
                event.host.events.append(event)

    def _revise(self, events):
        """SEQUENCE and DTSTAMP from each event file's git history (see ``history``)."""
        histories = {}
        for folder in self.settings[self.paths_setting]:
            root = os.path.join(self.path, folder)
            histories[root] = read_history(root) if os.path.isdir(root) else None
        for event in events:
            root = next(r for r in histories if _inside(event.source_path, r))
            history = histories[root]
            if history.problem:
                Build.current().notice(f"Tapahtumien SEQUENCE- ja DTSTAMP-arvoja ei saatu gitistä: {history.problem}. "
                       "Kalenterit eivät ehkä huomaa muuttuneita tapahtumia; julkaise vain "
                       "git-työkopiosta, jossa on koko historia.")
            event.revision = history.revision(
                os.path.relpath(event.source_path, root).replace(os.sep, "/"),
                os.path.getmtime(event.source_path))

    def _decorate(self, event, today):
        absolute = self.absolute
        event.past = event.when.last < today
        page_url = f"{absolute}/{event.url}"
        f = event.fields
        event.sources = sources_of(f)  # Pelican set the attribute to the Sources text
        location = f["location"] or ""
        event.ics_save_as = f"{event.url}{event.slug}.ics"
        event.ics_url = f"{self.settings.get('SITEURL', '')}/{event.ics_save_as}"
        event.in_feeds = not event.when.uncertain
        details = "\n\n".join(p for p in (event.plain_summary, page_url) if p)
        if event.in_feeds:
            event.google_link = links.google_link(event.title, event.when, details, location)
            event.outlook_link = links.outlook_link(event.title, event.when, details, location)
        event.ics_item = ics.IcsEvent(
            uid=f["uid"], title=event.title, when=event.when, status=f["status"], url=page_url,
            stamp=event.revision.stamp, sequence=event.revision.sequence, description=event.plain_summary,
            location=location, categories=(event.event_kind.slug,),
            title_lang=event.lang, description_lang=event.lang,
        )
        organizer = {"@type": "Organization", "name": self.settings["SITENAME"],
                     "url": absolute}
        event.json_ld = event.schema_ld(absolute, organizer)  # event.html adds the page's image

    def _decorate_translation(self, version):
        """A translated event's page, links and calendar entry: its words, the event's facts."""
        event = version.original
        page_url = f"{self.absolute}/{version.url}"
        location = place_name(event.fields["location"] or "", version.lang)
        version.ics_save_as = f"{version.url}{event.slug}.ics"
        version.ics_url = f"{self.settings.get('SITEURL', '')}/{version.ics_save_as}"
        details = "\n\n".join(p for p in (version.plain_summary, page_url) if p)
        if event.in_feeds:
            version.google_link = links.google_link(version.title, event.when, details, location)
            version.outlook_link = links.outlook_link(version.title, event.when, details, location)
        version.ics_item = replace(event.ics_item, title=version.title, url=page_url,
                                   description=version.plain_summary, location=location,
                                   title_lang=version.title_lang, description_lang=version.summary_lang)
        if event.json_ld:  # inLanguage stays: the event itself is held in Finnish
            sitename = languages(self.settings)[version.lang].get("sitename", self.settings["SITENAME"])
            organizer = dict(event.json_ld["organizer"], name=sitename)
            version.json_ld = dict(event.schema_ld(self.absolute, organizer, version.lang),
                                   name=version.title, url=page_url,
                                   **({"description": version.plain_summary} if version.plain_summary else {}))

    def _months(self, events, year, today):
        base = section_url(self.settings, "events")
        months = []
        for month in range(1, 13):
            first = dt.date(year, month, 1)
            last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
            touching = [e for e in events if e.when.first <= last and e.when.last >= first]
            months.append(MonthView(
                year, month, f"{base}{year}/{month:02d}/",
                dated=[e for e in touching if e.when.exact],
                uncertain=[e for e in touching if e.when.uncertain],
                ongoing=[e for e in touching if e.when.period],
                past=last < today,
            ))
        return months

    def _feeds(self, events):
        base = section_url(self.settings, "events")
        url = f"{self.absolute}/{base}"
        in_feeds = [e for e in events if e.in_feeds]
        feeds = [Feed(N_("All events"), f"{base}kalenteri.ics", f"{url}kalenteri.ics", in_feeds)]
        self.kind_feeds = {}
        for kind in KINDS.values():
            items = [e for e in in_feeds if e.fields["kind"] == kind.key]
            if items:
                feed = Feed(kind.label, f"{base}{kind.slug}.ics", f"{url}{kind.slug}.ics", items)
                self.kind_feeds[kind.key] = feed
                feeds.append(feed)
        tentative = [e for e in events if e.when.uncertain]
        if tentative:
            feeds.append(Feed(N_("Events without a known day"), f"{base}alustavat.ics",
                              f"{url}alustavat.ics", tentative))
        return feeds

    # --- output --------------------------------------------------------------

    def write_indexes(self, writer):
        calendar = self.context["calendar"]
        base = section_url(self.settings, "events")
        pages = [(f"{base}index.html", base, "events", {})]
        pages.append((f"{base}tilaa/index.html", f"{base}tilaa/", "events_subscribe", {}))
        for kind in calendar["kinds"]:
            url = f"{base}{kind.slug}/"
            pages.append((url + "index.html", url, "events_kind", {"kind": kind}))
        for year in calendar["years"]:
            url = f"{base}{year}/"
            pages.append((url + "index.html", url, "events_year", {"year": year}))
            url = f"{base}{year}/kuukausittain/"
            pages.append((url + "index.html", url, "events_months", {"year": year}))
            for month in calendar["months"][year]:
                pages.append((month.url + "index.html", month.url, "events_month", {"month": month}))
        for save_as, url, template, extra in pages:
            writer.write_file(save_as, self.get_template(template), self.context,
                              relative_urls=self.settings["RELATIVE_URLS"], url=url, **extra)
        default = language(self.settings)
        for lang, url in language_versions(self.settings, base).items():
            if lang != default:  # the calendar's front page in Swedish and English
                writer.write_file(url + "index.html", self.get_template("events"), self.context,
                                  relative_urls=self.settings["RELATIVE_URLS"], url=url, lang=lang)
        gettext = self._translations().gettext
        for feed in self.feeds:
            items = [self._tentative(e, gettext) if e.when.uncertain else e.ics_item
                     for e in feed.items]
            name = f"{self.settings['SITENAME']}: {gettext(feed.name)}"
            self.write_data(feed.save_as, ics.feed(items, name, name, f"{self.absolute}/{base}"))
        for event in self.public(self.items):
            if event.in_feeds:
                self.write_data(event.ics_save_as, ics.single(event.ics_item))
        self._write_language_feeds(base)

    def _write_language_feeds(self, base):
        """Per language: every event in that language (calendar clients show one SUMMARY)."""
        languages = self.settings.get("LANGUAGES") or {}
        default = language(self.settings)
        for lang, url in language_versions(self.settings, base).items():
            if lang == default:
                continue
            versions = [e.versions[lang] for e in self.public(self.items) if e.in_feeds]
            gettext = theme_translations(self.settings, lang).gettext
            sitename = languages.get(lang, {}).get("sitename", self.settings["SITENAME"])
            name = f"{sitename}: {gettext(N_('All events'))}"
            self.write_data(f"{url}kalenteri.ics", ics.feed(
                [v.ics_item for v in versions], name, name, f"{self.absolute}/{url}", lang))
            for version in versions:
                self.write_data(version.ics_save_as, ics.single(version.ics_item))

    @staticmethod
    def _tentative(event, gettext):
        """An event whose day is not known, in the feed that holds such events: TENTATIVE,
        its title saying so (a past one was planned for that time; it is not still open)."""
        title = N_("%(title)s (planned date)") if event.past else N_("%(title)s (date to be confirmed)")
        item = event.ics_item
        return replace(item, title=gettext(title) % {"title": item.title}, status="alustava")

    def _translations(self):
        return theme_translations(self.settings, language(self.settings))


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([os.path.abspath(path), os.path.abspath(folder)]) == os.path.abspath(folder)


def add_template_filters(generator):
    """when_text for every template (the front page and institution pages list events too),
    in the page's language."""
    from jinja2 import pass_context

    settings = generator.settings
    default = language(settings)
    languages = {default: {"locale": default}, **(settings.get("LANGUAGES") or {})}
    try:
        catalogs = {lang: theme_translations(settings, lang) for lang in languages}
    except FileNotFoundError:
        return  # babel_i18n reports the missing catalog

    @pass_context
    def when_text(context, when, past=False):
        lang = page_lang(context)
        lang = lang if lang in catalogs else default
        return format_when(when, languages[lang].get("locale", lang), catalogs[lang].gettext, past)

    generator.env.filters["when_text"] = when_text
    generator.env.globals.update(EVENT_STATUSES=STATUSES, EVENT_ATTENDANCE=ATTENDANCE)


def add_generator(pelican):
    return EventsGenerator


def register():
    signals.generator_init.connect(add_template_filters)
    signals.get_generators.connect(add_generator)

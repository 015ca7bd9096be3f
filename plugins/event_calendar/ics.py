"""iCalendar output with the icalendar library: feeds and single-event files.

Deterministic by construction: no now(), no random UIDs, events in a fixed
order, so two builds of the same content give byte-identical files. Time
zones are written from zoneinfo's own transitions (icalendar's generated
Europe/Helsinki VTIMEZONE starts summer time an hour late).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from .when import When

PRODID = "-//Suomen konservatorioliitto//Toimintakalenteri//FI"
# Only an event its file calls confirmed is CONFIRMED; a plan item is TENTATIVE.
STATUS = {"suunniteltu": "TENTATIVE", "alustava": "TENTATIVE", "vahvistettu": "CONFIRMED",
          "peruttu": "CANCELLED", "siirretty": "TENTATIVE"}
REFRESH = dt.timedelta(hours=12)


@dataclass(frozen=True)
class IcsEvent:
    uid: str
    title: str
    when: When
    status: str  # a key of STATUS
    url: str
    stamp: dt.datetime  # aware, UTC
    sequence: int = 0
    description: str = ""
    location: str = ""
    categories: tuple[str, ...] = field(default_factory=tuple)
    title_lang: str = ""  # LANGUAGE of SUMMARY (RFC 5545 3.2.10), the language of the words
    description_lang: str = ""


def _language(lang: str) -> dict:
    return {"LANGUAGE": lang} if lang else {}


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.timezone.utc)


def vevent(item: IcsEvent) -> Event:
    event = Event()
    event.add("UID", item.uid)
    event.add("DTSTAMP", _utc(item.stamp))
    event.add("LAST-MODIFIED", _utc(item.stamp))
    event.add("SEQUENCE", item.sequence)
    when = item.when
    if when.kind == "timed":
        event.add("DTSTART", when.starts)
        event.add("DTEND", when.ends)
        event.add("TRANSP", "OPAQUE")
    else:
        event.add("DTSTART", when.first)
        event.add("DTEND", when.end_exclusive)
        event.add("TRANSP", "TRANSPARENT")  # a day or a period should not mark anyone busy
    event.add("SUMMARY", item.title, parameters=_language(item.title_lang))
    description = "\n\n".join(part for part in (item.description, item.url) if part)
    if description:
        event.add("DESCRIPTION", description, parameters=_language(item.description_lang))
    event.add("URL", item.url)
    if item.location:
        event.add("LOCATION", item.location)
    if item.categories:
        event.add("CATEGORIES", list(item.categories))
    event.add("STATUS", STATUS[item.status])
    return event


def _offset(zone: ZoneInfo, moment: dt.datetime) -> dt.timedelta:
    return moment.astimezone(zone).utcoffset()


@functools.lru_cache(maxsize=64)
def transitions(zone: ZoneInfo, first_year: int, last_year: int) -> tuple:
    """UTC instants where ``zone``'s offset changes, with offsets before and after.

    Remembered: every single-event file of a year asks the same question."""
    found = []
    day = dt.datetime(first_year, 1, 1, tzinfo=dt.timezone.utc)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=dt.timezone.utc)
    previous = _offset(zone, day)
    while day < end:
        following = day + dt.timedelta(days=1)
        after = _offset(zone, following)
        if after != previous:
            low, high = day, following  # offset(low) == previous, offset(high) == after
            while high - low > dt.timedelta(minutes=1):
                middle = low + (high - low) / 2
                middle = middle.replace(second=0, microsecond=0)
                if middle <= low:
                    middle = low + dt.timedelta(minutes=1)
                if _offset(zone, middle) == previous:
                    low = middle
                else:
                    high = middle
            found.append((high, previous, after))
            previous = after
        day = following
    return tuple(found)


def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE with one observance per transition from ``first_year - 1`` on."""
    zone = ZoneInfo(tzid)
    timezone = Timezone()
    timezone.add("TZID", tzid)
    changes = transitions(zone, first_year - 1, last_year)
    if not changes:
        offset = _offset(zone, dt.datetime(first_year, 1, 1, tzinfo=dt.timezone.utc))
        standard = TimezoneStandard()
        standard.add("DTSTART", dt.datetime(1970, 1, 1))
        standard.add("TZOFFSETFROM", offset)
        standard.add("TZOFFSETTO", offset)
        timezone.add_component(standard)
        return timezone
    for instant, before, after in changes:
        local = instant.astimezone(zone)
        daylight = bool(local.dst())
        observance = TimezoneDaylight() if daylight else TimezoneStandard()
        # DTSTART is the wall-clock time of the change in the offset in force before it.
        observance.add("DTSTART", (instant + before).replace(tzinfo=None))
        observance.add("TZOFFSETFROM", before)
        observance.add("TZOFFSETTO", after)
        observance.add("TZNAME", local.tzname())
        timezone.add_component(observance)
    return timezone


def _calendar(items: list[IcsEvent]) -> Calendar:
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    zones: dict[str, list[int]] = {}
    for item in items:
        if item.when.kind == "timed":
            for moment in (item.when.starts, item.when.ends):
                zones.setdefault(moment.tzinfo.key, []).append(moment.year)
    for tzid in sorted(zones):
        calendar.add_component(vtimezone(tzid, min(zones[tzid]), max(zones[tzid])))
    for item in sorted(items, key=lambda i: (i.when.first, i.uid)):
        calendar.add_component(vevent(item))
    return calendar


def feed(items: list[IcsEvent], name: str, description: str, url: str, lang: str = "") -> bytes:
    """A subscribable calendar: named (in ``lang``, when given), with a refresh interval."""
    calendar = _calendar(items)
    calendar.add("NAME", name, parameters=_language(lang))
    calendar.add("X-WR-CALNAME", name)
    calendar.add("DESCRIPTION", description, parameters=_language(lang))
    calendar.add("X-WR-CALDESC", description)
    calendar.add("URL", url)
    calendar.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", "PT12H")  # Outlook's name for the refresh interval
    return calendar.to_ical()


def single(item: IcsEvent) -> bytes:
    """One event to add to a calendar; no calendar name, so Outlook doesn't create a new calendar."""
    return _calendar([item]).to_ical()

"""When an event happens, as precisely as it is known, and no more.

``parse_when`` reads the ``When`` field strictly: a day, a range of days, a
time range, a month, a season or a year, or a range of months. A month is
never turned into a day. ``format_when`` writes it in the site's language.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_interval, format_time

from content_types import Invalid


def N_(message: str) -> str:
    """Mark a string for translation; it is translated where it is shown."""
    return message


DATE = r"(\d{4})-(\d{1,2})-(\d{1,2})"
TIME = r"(\d{1,2})[:.](\d{2})"
SEASONS = {  # name or EDTF code -> (first month, last month, msgid)
    "kevät": (3, 5, N_("spring %(year)s")),
    "kesä": (6, 8, N_("summer %(year)s")),
    "syksy": (9, 11, N_("autumn %(year)s")),
    "21": (3, 5, N_("spring %(year)s")),
    "22": (6, 8, N_("summer %(year)s")),
    "23": (9, 11, N_("autumn %(year)s")),
}
FORMS_HELP = (
    "Kirjoita esimerkiksi 2021-11-17 (päivä), 2021-11-17/2021-11-19 (päivät), "
    "2021-03-29 13:00-14:30 (kellonaika), 2021-02 (kuukausi, päivä tarkentuu), "
    "2021-09/2021-11 (jakso), 2021-syksy tai 2021 (vuosi)."
)

# The forms above as one regular expression (also valid in JavaScript) for the
# web editor; parse_when stays the judge of dates that are not in the calendar.
_D = r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
_T = r"[0-9]{1,2}[:.][0-9]{2}"
WHEN_PATTERN = "^(" + "|".join([
    _D, f"{_D}/{_D}", f"{_D}[ T]{_T} ?[-/] ?{_T}", f"{_D}[ T]{_T}/{_D}[ T]{_T}",
    "[0-9]{4}-[0-9]{1,2}", "[0-9]{4}-[0-9]{1,2}/[0-9]{4}-[0-9]{1,2}",
    "[0-9]{4}-(kevät|kesä|syksy|2[123])", "[0-9]{4}",
]) + ")$"


@dataclass(frozen=True)
class When:
    kind: str  # day, timed, month, season, year
    first: dt.date  # first day
    last: dt.date  # last day, inclusive
    starts: dt.datetime | None = None  # aware, for timed events
    ends: dt.datetime | None = None
    period: bool = False  # coarse: lasts the whole range (True) or is one unknown point in it
    season: str | None = None

    @property
    def exact(self) -> bool:
        """The day (or time) is known."""
        return self.kind in ("day", "timed")

    @property
    def uncertain(self) -> bool:
        """One occasion whose day is not known yet."""
        return not self.exact and not self.period

    @property
    def end_exclusive(self) -> dt.date:
        return self.last + dt.timedelta(days=1)

    def with_precision(self, precision: str | None) -> When:
        if precision is None or self.exact:
            return self
        return When(self.kind, self.first, self.last, period=precision == "jakso",
                    season=self.season)


def _date(y, m, d, text) -> dt.date:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        raise Invalid(f"päivämäärää \"{text}\" ei ole kalenterissa.",
                      "Tarkista päivä ja kuukausi. " + FORMS_HELP) from None


def _month(y, m, text) -> tuple[dt.date, dt.date]:
    y, m = int(y), int(m)
    if not 1 <= m <= 12:
        raise Invalid(f"kuukautta \"{text}\" ei ole kalenterissa.", FORMS_HELP)
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


def _time(date: dt.date, h, m, zone: ZoneInfo, text) -> dt.datetime:
    try:
        return dt.datetime.combine(date, dt.time(int(h), int(m)), tzinfo=zone)
    except ValueError:
        raise Invalid(f"kellonaikaa \"{text}\" ei ole olemassa.",
                      "Kirjoita kellonaika muodossa 13:00. " + FORMS_HELP) from None


def _ordered(first, last, text):
    if last < first:
        raise Invalid(f"ajankohdan \"{text}\" loppu on ennen alkua.",
                      "Kirjoita ensin alkamis- ja sitten päättymisajankohta.")


def parse_when(text: str, zone: ZoneInfo) -> When:
    """Parse the When field; raise ``Invalid`` with a Finnish message and fix."""
    value = re.sub(r"\s+", " ", str(text).strip()).replace("–", "-").replace("—", "-")
    value = re.sub(r"\s*/\s*", "/", value)
    if m := re.fullmatch(DATE, value):
        day = _date(*m.groups(), value)
        return When("day", day, day)
    if m := re.fullmatch(f"{DATE}/{DATE}", value):
        first, last = _date(*m.groups()[:3], value), _date(*m.groups()[3:], value)
        _ordered(first, last, value)
        return When("day", first, last)
    if m := re.fullmatch(f"{DATE}[ T]{TIME} ?[-/] ?{TIME}", value):
        day = _date(*m.groups()[:3], value)
        starts = _time(day, *m.groups()[3:5], zone, value)
        ends = _time(day, *m.groups()[5:7], zone, value)
        _ordered(starts, ends, value)
        if ends == starts:
            raise Invalid(f"ajankohdan \"{value}\" alku ja loppu ovat samat.",
                          "Kirjoita päättymisaika, esimerkiksi 13:00-14:30.")
        return When("timed", day, day, starts, ends)
    if m := re.fullmatch(f"{DATE}[ T]{TIME}/{DATE}[ T]{TIME}", value):
        g = m.groups()
        first, last = _date(*g[:3], value), _date(*g[5:8], value)
        starts, ends = _time(first, *g[3:5], zone, value), _time(last, *g[8:10], zone, value)
        _ordered(starts, ends, value)
        return When("timed", first, last, starts, ends)
    if re.fullmatch(f"{DATE}[ T]{TIME}", value):
        raise Invalid(f"ajankohdalta \"{value}\" puuttuu päättymisaika.",
                      "Kirjoita alkamis- ja päättymisaika, esimerkiksi 2021-03-29 13:00-14:30.")
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
        first, last = _month(*m.groups(), value)
        return When("month", first, last)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})/(\d{4})-(\d{1,2})", value):
        first, _ = _month(*m.groups()[:2], value)
        _, last = _month(*m.groups()[2:], value)
        _ordered(first, last, value)
        return When("month", first, last, period=True)
    if m := re.fullmatch(r"(\d{4})-(kevät|kesä|syksy|2[123])", value.lower()):
        year = int(m.group(1))
        first_month, last_month, _label = SEASONS[m.group(2)]
        first, _ = _month(year, first_month, value)
        _, last = _month(year, last_month, value)
        return When("season", first, last, period=True, season=m.group(2))
    if m := re.fullmatch(r"(\d{4})", value):
        year = int(m.group(1))
        return When("year", dt.date(year, 1, 1), dt.date(year, 12, 31))
    raise Invalid(f"ajankohtaa \"{value}\" ei voi lukea.", FORMS_HELP)


def format_when(when: When, locale: str, gettext, past: bool = False) -> str:
    """Human-readable date in the site's language: "17.–19.11.2021", "helmikuu 2021 (päivä tarkentuu)".

    A ``past`` occasion whose day was never known is its month or season alone: it
    will not be made more precise."""
    if when.kind == "timed":
        at = gettext(N_("%(date)s at %(time)s"))
        if when.first == when.last:
            return at % {
                "date": format_date(when.first, "short", locale=locale),
                "time": format_interval(when.starts.time(), when.ends.time(), "Hm", locale=locale),
            }
        return " – ".join(
            at % {"date": format_date(moment.date(), "short", locale=locale),
                  "time": format_time(moment.time(), "H.mm", locale=locale)}
            for moment in (when.starts, when.ends)
        )
    if when.kind == "day":
        if when.first == when.last:
            return format_date(when.first, "short", locale=locale)
        return format_interval(when.first, when.last, "yMd", locale=locale)
    if when.kind == "season":
        text = gettext(SEASONS[when.season][2]) % {"year": when.first.year}
    elif when.kind == "year" or (when.first.month, when.last.month) == (1, 12) \
            and when.first.year == when.last.year:
        text = gettext(N_("whole year %(year)s")) % {"year": when.first.year}
        if when.kind == "year" and not when.period:
            text = str(when.first.year)
    elif (when.first.year, when.first.month) == (when.last.year, when.last.month):
        text = format_date(when.first, "LLLL y", locale=locale)
    else:
        text = format_interval(when.first, when.last, "yMMMM", locale=locale)
    if when.uncertain and not past:
        if when.kind == "month" and when.first.month == when.last.month:
            return gettext(N_("%(when)s (day to be confirmed)")) % {"when": text}
        return gettext(N_("%(when)s (date to be confirmed)")) % {"when": text}
    return text

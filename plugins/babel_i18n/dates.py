"""Dates in the site's language through Babel, with no OS locale involved."""

from __future__ import annotations

import datetime as dt
import functools

from babel.dates import format_date, get_day_names


@functools.lru_cache(maxsize=8192)
def _formatted(day: dt.date, pattern: str, locale: str) -> str:
    # Remembered: Babel takes about 50 µs a date, and listings name the same
    # dates again and again (a post on the news, in its category, its tags…).
    return format_date(day, pattern, locale=locale)


def _day(value: dt.date) -> dt.date:
    """The calendar day Babel formats (a datetime's own date, as Babel takes it):
    two aware datetimes can be equal but fall on different days."""
    return value.date() if isinstance(value, dt.datetime) else value


def date_long(value: dt.date, locale: str) -> str:
    """27. marraskuuta 2026"""
    return _formatted(_day(value), "long", locale)


def date_short(value: dt.date, locale: str) -> str:
    """27.11.2026"""
    return _formatted(_day(value), "short", locale)


def month_year(value: dt.date, locale: str) -> str:
    """marraskuu 2026 (nominative, for headings)"""
    return _formatted(_day(value), "LLLL yyyy", locale)


def month_name(month: int, locale: str) -> str:
    """marraskuu (nominative, for headings within a year)"""
    return _formatted(dt.date(2000, month, 1), "LLLL", locale)


def iso_date(value: dt.date) -> str:
    """Machine-readable date for <time datetime>."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def weekday_names(locale: str) -> list[tuple[str, str]]:
    """(abbreviated, full) names of the weekdays, Monday first."""
    short = get_day_names("abbreviated", locale=locale)
    wide = get_day_names("wide", locale=locale)
    return [(short[day], wide[day]) for day in range(7)]


# Jinja filters of a date (or month number) and a Babel locale.
DATE_FILTERS = {
    "date_long": date_long,
    "date_short": date_short,
    "month_year": month_year,
    "month_name": month_name,
}


"""Month grids in which events of several days span their days."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Entry:
    event: object
    position: str  # single, start, middle, end
    linked: bool = True  # the event's first day in this month: the one link to it


@dataclass
class Day:
    date: dt.date
    in_month: bool
    entries: list[Entry] = field(default_factory=list)


def month_grid(year: int, month: int, events) -> list[list[Day]]:
    """Weeks (Monday first) of ``month``; each day lists the exact-date events on it.

    ``events`` need ``when.first``, ``when.last`` and ``when.exact``.
    """
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    grid = []
    for week in weeks:
        row = []
        for date in week:
            day = Day(date, date.month == month)
            for event in events:
                when = event.when
                if not when.exact or not (when.first <= date <= when.last):
                    continue
                if when.first == when.last:
                    position = "single"
                elif date == when.first:
                    position = "start"
                elif date == when.last:
                    position = "end"
                else:
                    position = "middle"
                first_shown = max(when.first, dt.date(year, month, 1))
                day.entries.append(Entry(event, position, linked=date == first_shown))
            row.append(day)
        grid.append(row)
    return grid

"""Add-to-calendar and subscription links for Google Calendar and Outlook."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode

from .when import When

DETAILS_LIMIT = 900  # long details make the services answer 400 or 414


def _clip(text: str) -> str:
    return text if len(text) <= DETAILS_LIMIT else text[: DETAILS_LIMIT - 1].rstrip() + "…"


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def google_dates(when: When) -> str:
    """START/END as Google wants them: all-day ends are exclusive."""
    if when.kind == "timed":
        return f"{_utc(when.starts)}/{_utc(when.ends)}"
    return f"{when.first:%Y%m%d}/{when.end_exclusive:%Y%m%d}"


def google_link(title: str, when: When, details: str = "", location: str = "") -> str:
    params = {"action": "TEMPLATE", "text": title, "dates": google_dates(when)}
    if when.kind == "timed":
        params["ctz"] = when.starts.tzinfo.key
    if details:
        params["details"] = _clip(details)
    if location:
        params["location"] = location
    return "https://calendar.google.com/calendar/render?" + urlencode(params, quote_via=quote)


def outlook_dates(when: When) -> dict[str, str]:
    if when.kind == "timed":
        return {"startdt": when.starts.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "enddt": when.ends.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    return {"startdt": when.first.isoformat(), "enddt": when.end_exclusive.isoformat(),
            "allday": "true"}


def outlook_link(title: str, when: When, details: str = "", location: str = "") -> str:
    params = {"path": "/calendar/action/compose", "rru": "addevent", "subject": title,
              **outlook_dates(when)}
    if details:
        params["body"] = _clip(details)
    if location:
        params["location"] = location
    # Outlook shows "+" literally: spaces must be %20.
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(params, quote_via=quote)


def webcal(url: str) -> str:
    return "webcal://" + url.split("://", 1)[1]


def google_subscribe(url: str) -> str:
    return "https://calendar.google.com/calendar/render?cid=" + quote(webcal(url), safe="")


def outlook_subscribe(url: str, name: str) -> str:
    params = {"path": "/calendar/action/compose", "rru": "addsubscription", "url": url, "name": name}
    return "https://outlook.live.com/owa?" + urlencode(params, quote_via=quote)

"""Strict parsing of post dates.

Pelican hands dates to dateutil, which guesses: "2021-03" becomes the 3rd of
March *of today's day*, and "1.3.2021" becomes the 3rd of January. A post's
date is a fact shown to readers, so we accept only unambiguous forms.
"""

from __future__ import annotations

import datetime as dt
import re

from sitecore import ContentError

ISO_DATE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T_](?P<H>\d{1,2})[:.](?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
)
FORMAT_HELP = (
    "Kirjoita päivämäärä muodossa vuosi-kuukausi-päivä, esimerkiksi "
    "2021-03-29, tai kellonajan kanssa 2021-03-29 13:00."
)


def parse_post_date(text: str, field: str = "Date") -> dt.datetime:
    """Parse "YYYY-MM-DD" or "YYYY-MM-DD HH:MM[:SS]" into a naive datetime."""
    value = text.strip()
    match = ISO_DATE.fullmatch(value)
    if not match:
        raise ContentError(field, f"päivämäärää \"{value}\" ei voi lukea.", FORMAT_HELP)
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    try:
        return dt.datetime(
            parts["y"], parts["m"], parts["d"],
            parts.get("H", 0), parts.get("M", 0), parts.get("S", 0),
        )
    except ValueError:
        raise ContentError(
            field,
            f"päivämäärää \"{value}\" ei ole kalenterissa.",
            "Tarkista päivä ja kuukausi. " + FORMAT_HELP,
        ) from None

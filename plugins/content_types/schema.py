"""Front-matter schemas: which fields a content type has and what they may hold.

A schema is a tuple of ``Field``s; ``validate`` turns the raw strings of a
Markdown file's front matter into typed values and, for anything wrong, a
``Problem`` that names the file, the field and the fix.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sitecore import ContentError, Problem
from sitecore.site import choices

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"\+?[0-9][0-9 ()-]{4,}[0-9]")


@dataclass(frozen=True)
class Field:
    name: str  # as the writer types it, e.g. "Organiser"
    # text, choice, choices, url, email, phone, int, coordinates, uuid; read as text
    # here, for fields that Pelican or a plugin reads itself: date, slug, list,
    # when, fixed (set by developers, not offered for editing)
    kind: str = "text"
    required: bool = False
    choices: Mapping[str, str] | None = None  # what may be written -> stored value
    default: object = None
    example: str = ""  # shown in messages: "Region: Uusimaa"
    help: str = ""  # how to write the value, for the web editor's field hint
    parse: Callable[[str], object] | None = None  # a content type's own kind: raises Invalid

    @property
    def key(self) -> str:
        return self.name.lower()


class Invalid(ValueError):
    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.message, self.fix = message, fix


# The same rules for the web editor, as regular expressions that JavaScript
# understands too, each with the message it shows. A value they accept is one
# the converters below accept (tests/test_editor.py checks this).
EDITOR_PATTERNS = {
    "url": (r"^https://[^\s/?#@]+\.[^\s/?#@]+([/?#]\S*)?$",
            "Kirjoita koko osoite https://-alkuisena, esimerkiksi https://www.esimerkki.fi/."),
    "email": (f"^{EMAIL.pattern}$", "Kirjoita osoite muodossa nimi@esimerkki.fi."),
    "phone": (f"^{PHONE.pattern}$", "Kirjoita numero muodossa +358 9 123 4567 tai 09 123 4567."),
    "coordinates": (r"^((59|6[0-9])(\.[0-9]+)?|70(\.[0-4][0-9]*|\.50*)?) ?, ?"
                    r"((19|2[0-9]|3[01])(\.[0-9]+)?|32(\.0+)?)$",
                    "Kirjoita leveys- ja pituusaste Suomesta pilkulla erotettuina, "
                    "esimerkiksi 60.170, 24.941."),
    "uuid": (r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
             "Tunniste luodaan itsestään; älä muuta sitä."),
    "int": (r"^-?[0-9]+$", "Kirjoita kokonaisluku, esimerkiksi 3."),
}


def https_url(raw: str) -> str:
    """An absolute https URL, or Invalid."""
    value = raw.strip()
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc or " " in value or "." not in parts.netloc:
        raise Invalid(
            f"\"{value}\" ei ole kelvollinen verkko-osoite.",
            "Kirjoita koko osoite https://-alkuisena, esimerkiksi https://www.esimerkki.fi/.",
        )
    return value


def _email(raw: str) -> str:
    value = raw.strip()
    if not EMAIL.fullmatch(value):
        raise Invalid(f"\"{value}\" ei ole kelvollinen sähköpostiosoite.",
                      "Kirjoita osoite muodossa nimi@esimerkki.fi.")
    return value


def _phone(raw: str) -> str:
    value = raw.strip()
    if not PHONE.fullmatch(value):
        raise Invalid(f"\"{value}\" ei ole kelvollinen puhelinnumero.",
                      "Kirjoita numero muodossa +358 9 123 4567 tai 09 123 4567.")
    return value


def _int(raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise Invalid(f"\"{raw.strip()}\" ei ole kokonaisluku.", "Kirjoita numero, esimerkiksi 3.") from None


def _coordinates(raw: str) -> tuple[float, float]:
    try:
        lat, lon = (float(part) for part in raw.split(","))
    except ValueError:
        raise Invalid(f"\"{raw.strip()}\" ei ole koordinaattipari.",
                      "Kirjoita leveys- ja pituusaste pilkulla erotettuina, esimerkiksi 60.170, 24.941.") from None
    if not (59.0 <= lat <= 70.5 and 19.0 <= lon <= 32.0):
        raise Invalid(f"koordinaatit {lat}, {lon} eivät ole Suomessa.",
                      "Tarkista järjestys: ensin leveysaste (noin 60–70), sitten pituusaste (noin 20–31).")
    return lat, lon


def _uuid(raw: str) -> str:
    value = raw.strip().lower()
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise Invalid(f"\"{raw.strip()}\" ei ole kelvollinen tunniste (UUID).",
                      "Luo tunniste komennolla .venv/bin/python tasks.py new-event tai kopioi se muuttamattomana; "
                      "tunnistetta ei saa muuttaa eikä kopioida toiselle tapahtumalle.") from None


@dataclass(frozen=True)
class Source:
    """Where a text's facts come from: a web page, or a publication named in words."""

    text: str  # as shown: the address without https:// or the name as written
    url: str | None = None


SOURCE_EXAMPLE = "https://konservatorioliitto.fi/liiton-toiminta/"
SOURCES_EXAMPLE = f"{SOURCE_EXAMPLE}, Suomen konservatorioliiton toimintasuunnitelma 2021"
SOURCE_FIX = ("Kirjoita verkkosivun koko osoite (https://…) tai lähteen nimi sanoin, "
              f"esimerkiksi Sources: {SOURCES_EXAMPLE}")
# A page's address written without its scheme: "www.x.fi", "x.fi/sivu".
BARE_ADDRESS = re.compile(r"(www\.|[\w-]+(\.[\w-]+)+/)", re.IGNORECASE)


def _source(value: str) -> Source:
    if re.match(r"https?://", value, re.IGNORECASE):
        parts = urlsplit(value)
        if re.search(r"\s", value) or "." not in parts.netloc or re.search(r".https?://", value):
            raise Invalid(f"\"{value}\" ei ole kelvollinen verkko-osoite.", SOURCE_FIX)
        return Source(value.split("://", 1)[1].rstrip("/"), value)
    if BARE_ADDRESS.match(value):
        raise Invalid(f"osoitteesta \"{value}\" puuttuu alku https://.", SOURCE_FIX)
    return Source(value)


def one_source(raw: str) -> Source:
    """Source: one web page or one publication."""
    value = raw.strip()
    if re.search(r",\s*https?://", value, re.IGNORECASE):
        raise Invalid("kentässä Source on useita lähteitä.",
                      f"Kirjoita ne kenttään Sources pilkuin erotettuina: Sources: {SOURCES_EXAMPLE}")
    return _source(value)


def several_sources(raw: str) -> tuple[Source, ...]:
    """Sources: several, separated by a comma and a space (an address has no spaces)."""
    parts = [part.strip() for part in re.split(r",\s+", raw.strip())]
    if not all(parts):
        raise Invalid("lähteiden luettelossa on tyhjä kohta.", SOURCE_FIX)
    return tuple(_source(part) for part in parts)


SOURCE_FIELDS = (
    Field("Source", parse=one_source, example=SOURCE_EXAMPLE,
          help="Yksi lähde: verkkosivun osoite (https://…) tai julkaisun nimi."),
    Field("Sources", parse=several_sources, example=SOURCES_EXAMPLE,
          help="Useampi lähde pilkulla erotettuina: osoitteita (https://…) tai julkaisujen nimiä."),
)


def sources_of(values: Mapping) -> tuple[Source, ...]:
    """The sources of a validated item (``validate``'s values), Source first."""
    return ((values["source"],) if values.get("source") else ()) + tuple(values.get("sources") or ())


def convert(field: Field, raw: str):
    if field.parse is not None:
        return field.parse(raw)
    if field.kind in ("choice", "choices"):  # sitecore.site.choices reads every enumerated field
        one = field.kind == "choice"
        values, unknown = choices([raw] if one else raw, field.choices)  # one value: commas and all
        allowed = ", ".join(field.choices)
        if unknown:
            raise Invalid(f"tuntematon arvo \"{unknown[0]}\".", f"Käytä jotakin näistä: {allowed}.")
        if not values:
            raise Invalid("arvo puuttuu.", f"Kirjoita yksi tai useampi näistä: {allowed}.")
        return values[0] if one else values
    converters = {"url": https_url, "email": _email, "phone": _phone, "int": _int,
                  "coordinates": _coordinates, "uuid": _uuid}
    if field.kind in converters:
        return converters[field.kind](raw)
    return raw.strip()


def required_problem(source: str, name: str, example: str, missing: bool) -> Problem:
    """A required field that is not there, or is there without a value."""
    example = example or "…"
    if missing:
        return Problem(source, name, f"pakollinen kenttä {name} puuttuu.",
                       f"Lisää rivi {name}: {example}")
    return Problem(source, name, f"pakollinen kenttä {name} on tyhjä.",
                   f"Kirjoita arvo rivin {name}: perään, esimerkiksi {name}: {example}")


def validate(
    metadata: Mapping[str, object], schema: Sequence[Field], source: str
) -> tuple[dict, list[Problem]]:
    """Typed values of ``schema``'s fields and the problems found on the way."""
    values, problems = {}, []
    for field in schema:
        raw = metadata.get(field.key)
        if raw is None or str(raw).strip() == "":
            if field.required:
                problems.append(required_problem(source, field.name, field.example, raw is None))
            values[field.key] = field.default
            continue
        try:
            values[field.key] = convert(field, str(raw))
        except (Invalid, ContentError) as error:  # ContentError: sitecore's parsers (Audience)
            problems.append(Problem(source, field.name, error.message, error.fix))
            values[field.key] = field.default
    return values, problems

"""Place names in Swedish and English: the one table that decides them.

Content and settings write places in Finnish (``City: Pietarsaari``,
``Region: Keski-Pohjanmaa``, ``Location: Lahden konservatorio, Lahti``,
``CONTACT``); a Swedish or English page shows them as that language names
them. A name that is not in the table stays Finnish (where no Swedish or
English form is known, the Finnish name is the right one), and the page marks
it ``lang="fi"``. Add a name only with its source, a key of ``SOURCES``.

Swedish: the Swedish name whenever one exists (docs/sanasto.md). English: a
municipality's name in its majority language, a region's established English
name where it has one, else its Finnish name; streets as the municipality
writes them (``SOURCES["ortnamn"]``).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

SOURCES = {
    "sanasto": "docs/sanasto.md, Paikannimet (the project's terminology list)",
    "kommuner": "Institutet för de inhemska språken and Svenska språknämnden i Finland: Svenska och "
                "finska namn på kommuner i Finland (sprakinstitutet.fi/sv/sprakhjalp/namnhjalp/"
                "namn_pa_kommuner, updated 26 March 2019)",
    "ortnamn": "Institutet för de inhemska språken: Namn på orter i Finland på olika språk "
               "(kotus.fi/sv/sprakhjalp/namnhjalp/ortnamn/namn_pa_orter_i_finland_pa_olika_sprak): "
               "other languages use the majority language's name, regions their established "
               "name (eng. Lapland, Ostrobothnia, Karelia)",
    "karleby": "Karleby stad: Karleby nationalstadspark, Från Sundet till havsstranden "
               "(kokkola.fi/sv/…/karleby-nationalstadspark/): \"nuvarande Långbrogatan\"",
    "arabia": "Hufvudstadsbladets Seniorer: En kort introduktion till Arabiastranden "
              "(hblseniorer.spfpension.fi, 2019): \"det som idag är Arabiagatan\"",
}

# Finnish name -> (Swedish, English, source)
PLACES = {
    # Municipalities
    "Helsinki": ("Helsingfors", "Helsinki", "kommuner"),
    "Espoo": ("Esbo", "Espoo", "kommuner"),
    "Turku": ("Åbo", "Turku", "kommuner"),
    "Tampere": ("Tammerfors", "Tampere", "kommuner"),
    "Lahti": ("Lahtis", "Lahti", "kommuner"),
    "Pori": ("Björneborg", "Pori", "kommuner"),
    "Kokkola": ("Karleby", "Kokkola", "kommuner"),
    "Pietarsaari": ("Jakobstad", "Jakobstad", "kommuner"),  # Swedish-speaking majority
    "Oulu": ("Uleåborg", "Oulu", "kommuner"),
    "Tornio": ("Torneå", "Tornio", "kommuner"),
    "Kajaani": ("Kajana", "Kajaani", "kommuner"),
    "Mikkeli": ("S:t Michel", "Mikkeli", "kommuner"),
    "Jyväskylä": ("Jyväskylä", "Jyväskylä", "sanasto"),
    "Joensuu": ("Joensuu", "Joensuu", "sanasto"),
    "Kuopio": ("Kuopio", "Kuopio", "sanasto"),
    "Kotka": ("Kotka", "Kotka", "sanasto"),
    "Viipuri": ("Viborg", "Vyborg", "sanasto"),
    # Districts
    "Leppävaara": ("Alberga", "Leppävaara", "sanasto"),
    "Ruoholahti": ("Gräsviken", "Ruoholahti", "sanasto"),
    "Arabianranta": ("Arabiastranden", "Arabianranta", "sanasto"),
    # Regions
    "Uusimaa": ("Nyland", "Uusimaa", "sanasto"),
    "Pirkanmaa": ("Birkaland", "Pirkanmaa", "sanasto"),
    "Varsinais-Suomi": ("Egentliga Finland", "Southwest Finland", "sanasto"),
    "Pohjanmaa": ("Österbotten", "Ostrobothnia", "ortnamn"),
    "Keski-Pohjanmaa": ("Mellersta Österbotten", "Central Ostrobothnia", "sanasto"),
    "Pohjois-Pohjanmaa": ("Norra Österbotten", "North Ostrobothnia", "sanasto"),
    "Lappi": ("Lappland", "Lapland", "ortnamn"),
    "Pohjois-Karjala": ("Norra Karelen", "North Karelia", "sanasto"),
    "Pohjois-Savo": ("Norra Savolax", "North Savo", "sanasto"),
    "Keski-Suomi": ("Mellersta Finland", "Central Finland", "sanasto"),
    "Päijät-Häme": ("Päijänne-Tavastland", "Päijät-Häme", "sanasto"),
    "Kymenlaakso": ("Kymmenedalen", "Kymenlaakso", "sanasto"),
    "Satakunta": ("Satakunta", "Satakunta", "sanasto"),
    "Kainuu": ("Kajanaland", "Kainuu", "sanasto"),
}

# Finnish street name -> (Swedish, English, source); English keeps the Finnish name
# of a Finnish-majority municipality (SOURCES["ortnamn"]: "Kauppiaankatu in Helsinki").
STREETS = {
    "Arabiankatu": ("Arabiagatan", "Arabiankatu", "arabia"),
    "Pitkänsillankatu": ("Långbrogatan", "Pitkänsillankatu", "karleby"),
}

COLUMN = {"sv": 0, "en": 1}
POSTCODE = re.compile(r"^(\d{5}) (.+)$")


def _part(part: str, lang: str) -> tuple[str, bool]:
    """One comma-separated part in ``lang`` and whether the table decided it."""
    column = COLUMN[lang]
    if part in PLACES:
        return PLACES[part][column], True
    postcode = POSTCODE.match(part)
    if postcode and postcode[2] in PLACES:
        return f"{postcode[1]} {PLACES[postcode[2]][column]}", True
    street, _, rest = part.partition(" ")
    if street in STREETS:
        return " ".join(filter(None, (STREETS[street][column], rest))), True
    return part, False


def _parts(text: str, lang: str) -> list[tuple[str, bool]]:
    return [_part(p.strip(), lang) for p in str(text).split(",")]


def place_name(text, lang: str) -> str:
    """A place, "Place, Municipality" or "Street 2, 00560 City" in ``lang``, as text."""
    if lang not in COLUMN or not text:
        return text
    return ", ".join(part for part, _known in _parts(text, lang))


def place_html(text, lang: str, default: str = "fi") -> Markup:
    """``place_name`` as HTML: what the table does not know is marked as Finnish."""
    if lang not in COLUMN or not text:
        return escape(text or "")
    return Markup(", ").join(escape(part) if known else Markup('<span lang="{}">{}</span>').format(default, part)
                             for part, known in _parts(text, lang))


def exonyms(lang: str) -> dict[str, str]:
    """The Finnish names that ``lang`` writes otherwise: {Finnish: that language's name}."""
    column = COLUMN[lang]
    return {fi: row[column] for table in (PLACES, STREETS) for fi, row in table.items()
            if row[column] != fi}

"""Names as data: places, the association, the members' groups and the terms of
docs/sanasto.md, as Swedish and English readers know them.

The place-name table (plugins/languages/names.py) is tested directly; the pages
are the session's build of the fixture content (``site``); the Finnish-only
setting gets a small build of its own. One test reads the real content's files
(not a build): every public Finnish page there has both translations.
"""

from __future__ import annotations

import json
import re

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

import pelicanconf
from conftest import ROOT, SITEURL, front_matter
from languages.names import PLACES, SOURCES, STREETS, exonyms, place_html, place_name

LANGS = ("sv", "en")
SANASTO = ROOT / "docs" / "sanasto.md"
CATALOGS = ROOT / "theme" / "translations"
MEMBERS_WORD = {"sv": "medlemmar", "en": "members"}


# --- docs/sanasto.md -----------------------------------------------------------------------

def sanasto_rows(heading: str | None = None) -> list[dict[str, str]]:
    """The rows of sanasto.md's tables ({"suomi": …, "svenska": …, "English": …}),
    all of them or those under one ``## heading``."""
    rows, columns, section = [], None, None
    for line in SANASTO.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        if not line.startswith("|"):
            columns = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if columns is None:
            columns = cells
        elif not set("".join(cells)) <= set("-: ") and (heading is None or section == heading):
            rows.append(dict(zip(columns, cells)))
    return rows


def terms(cell: str) -> list[str]:
    """The names in one cell: "a / b (note)" -> ["a", "b"]."""
    cell = re.sub(r"\([^)]*\)", "", cell.replace("*", ""))
    return [term.strip(" .") for term in re.split(r"[/,]", cell) if term.strip(" .")]


# --- what a Swedish or English page shows -----------------------------------------------

def shown(soup, lang):
    """A copy of the page's body without what is marked as another language (names and
    untranslated text in Finnish), scripts and the language switcher."""
    body = BeautifulSoup(str(soup.body), "html.parser").body  # the shared tree stays as it is
    for element in body.select("script, style, nav.language-switcher"):
        element.decompose()
    for element in body.select("[lang]"):
        if not element.decomposed and element["lang"] != lang:
            element.decompose()
    return body


def page_texts(site, lang):
    """(page, visible text, attribute values shown or filtered on, structured data strings)."""
    pages = [p for p in site.pages() if p.relative_to(site.output).as_posix().startswith(f"{lang}/")]
    assert len(pages) > 40
    for path in pages:
        soup = site.parse(path)
        body = shown(soup, lang)
        attributes = [str(value) for tag in body.find_all(True) for key, value in tag.attrs.items()
                      if key in ("aria-label", "title", "alt", "value", "placeholder") or key.startswith("data-")]
        attributes += [meta.get("content", "") for meta in soup.select('meta[name="description"], meta[property^="og:"]')]
        data = []
        for script in soup.select('script[type="application/ld+json"]'):
            data += list(strings_of(json.loads(script.string)))
        yield path, body.get_text(" "), attributes, data


def strings_of(value, key=""):
    if isinstance(value, dict):
        for name, item in value.items():
            yield from strings_of(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from strings_of(item, key)
    elif isinstance(value, str) and key not in ("url", "sameAs", "@context", "@type", "logo", "image"):
        yield value


def word(name: str) -> re.Pattern:
    """``name`` as a word of the text, not a part of a word or of an address (www.x.fi)."""
    return re.compile(rf"(?<![\w./@-]){re.escape(name)}(?![\w-]|\.\w)", re.IGNORECASE)


# --- the place-name table -------------------------------------------------------------------

def test_place_names_in_swedish_and_english():
    assert place_name("Pietarsaari", "sv") == "Jakobstad" and place_name("Pietarsaari", "en") == "Jakobstad"
    assert place_name("Keski-Pohjanmaa", "sv") == "Mellersta Österbotten"
    assert place_name("Keski-Pohjanmaa", "en") == "Central Ostrobothnia"
    assert place_name("Päijät-Häme", "en") == "Päijät-Häme"  # no English name: the Finnish one
    assert place_name("Lahden konservatorio, Lahti", "sv") == "Lahden konservatorio, Lahtis"
    assert place_name("Arabiankatu 2", "sv") == "Arabiagatan 2"
    assert place_name("00560 Helsinki", "sv") == "00560 Helsingfors"
    assert place_name("Arabiankatu 2, 00560 Helsinki", "en") == "Arabiankatu 2, 00560 Helsinki"
    assert place_name("Pitkänsillankatu 16, Kokkola", "sv") == "Långbrogatan 16, Karleby"
    assert place_name("Tampere", "fi") == "Tampere"
    # What the table does not know stays Finnish, and the page says it is Finnish.
    assert place_name("Vantaa", "sv") == "Vantaa"
    assert str(place_html("Lahden konservatorio, Lahti", "sv")) == '<span lang="fi">Lahden konservatorio</span>, Lahtis'
    assert str(place_html("Linnankatu 54–60, Turku", "sv")) == '<span lang="fi">Linnankatu 54–60</span>, Åbo'
    assert str(place_html("Tampere", "en")) == "Tampere"
    assert str(place_html("<b>", "fi")) == "&lt;b&gt;"
    assert exonyms("sv")["Helsinki"] == "Helsingfors" and "Helsinki" not in exonyms("en")


def test_every_name_in_the_table_names_its_source_and_follows_the_terminology_list():
    for table in (PLACES, STREETS):
        for finnish, (_sv, _en, source) in table.items():
            assert source in SOURCES, finnish
    listed = 0
    for row in sanasto_rows("Paikannimet"):
        names = [terms(row[column]) for column in ("suomi", "svenska", "English")]
        if len(names[0]) != 1 or "samat" in row["svenska"]:
            continue  # "Jyväskylä, Joensuu, … | samat" and the address row: tested above
        finnish = names[0][0]
        assert finnish in PLACES, finnish
        assert PLACES[finnish][:2] == (names[1][0], names[2][0]), finnish
        listed += 1
    assert listed >= 30
    for directory in (ROOT / "content" / "directory", ROOT / "tests" / "fixture-content" / "directory"):
        for file in directory.glob("*.md"):
            fields = front_matter(file)
            assert fields["city"] in PLACES and fields["region"] in PLACES, file


# --- places on the pages ----------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_no_finnish_place_name_where_the_language_has_its_own(site, lang):
    names = {finnish: word(finnish) for finnish in exonyms(lang)}
    for path, text, attributes, data in page_texts(site, lang):
        for finnish, pattern in names.items():
            assert not pattern.search(text), (path, finnish, pattern.search(text))
            for value in attributes + data:
                assert not pattern.search(value), (path, finnish, value)
    for path in site.output.joinpath(lang).rglob("*.ics"):
        for line in site.read_file(path).splitlines():
            if line.startswith("LOCATION"):
                assert not any(p.search(line) for p in names.values()), (path, line)


@pytest.mark.parametrize("lang", LANGS)
def test_the_directory_filters_in_the_pages_language_lead_to_its_pages(site, lang):
    base = f"{lang}/{MEMBERS_WORD[lang]}/"
    soup = site.html(base)
    filters = soup.select_one("nav.directory-filters")
    links = filters.select("a")
    regions = {a.get_text(strip=True): a["href"].removeprefix(SITEURL + "/") for a in links[:-2]}
    assert regions and len(regions) == len(links) - 2
    expected = {"sv": ("Mellersta Österbotten", "Musik", "Dans", "utbildning/musik/"),
                "en": ("Central Ostrobothnia", "Music", "Dance", "education/music/")}[lang]
    assert expected[0] in regions
    assert [a.get_text(strip=True) for a in links[-2:]] == list(expected[1:3])
    for a in links:
        url = a["href"].removeprefix(SITEURL + "/")
        assert url.startswith(base) and site.exists(url), url
        page = site.html(url)
        assert page.html["lang"] == lang and page.select_one('nav.language-switcher a[hreflang="fi"]')
    assert links[-2]["href"].endswith(base + expected[3])
    options = [o.get_text() for o in soup.select("#filter-region option, #filter-offering option")]
    assert expected[0] in options and expected[1] in options
    regions_of_cards = {li["data-region"] for li in soup.select(".institution-cards > li")}
    assert regions_of_cards <= set(options)  # the filter's values are the cards' regions
    # An institution's page links to its region and education in the same language.
    page = site.html(f"{base}keski-pohjanmaan-konservatorio/")
    facts = page.select_one("dl.facts")
    assert f"{place_name('Kokkola', lang)}, {expected[0]}" in " ".join(facts.get_text().split())
    assert all(a["href"].startswith(f"{SITEURL}/{base}") for a in facts.select("a[href^='https://konservatorioliitto.fi/']"))
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["address"]["addressLocality"] == place_name("Kokkola", lang)
    assert data["address"]["addressRegion"] == expected[0]
    assert data["memberOf"]["name"] == pelicanconf.LANGUAGES[lang]["sitename"]


@pytest.mark.parametrize(("lang", "street", "city"), [
    ("fi", "Arabiankatu 2", "00560 Helsinki"), ("sv", "Arabiagatan 2", "00560 Helsingfors"),
    ("en", "Arabiankatu 2", "00560 Helsinki")])
def test_the_associations_address_in_each_language(site, lang, street, city):
    soup = site.html("" if lang == "fi" else f"{lang}/")
    contact = soup.select_one("footer section").get_text("|", strip=True).split("|")
    assert contact[1:3] == [street, city]
    data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert data["address"]["streetAddress"] == street
    assert f'{data["address"]["postalCode"]} {data["address"]["addressLocality"]}' == city


def test_an_event_place_in_each_language(site):
    from event_calendar.events import place_ld

    assert place_ld(place_name("Lahden konservatorio, Lahti", "sv"))["address"]["addressLocality"] == "Lahtis"
    pages = {"fi": "tapahtumat/2021/vuosikokous/", "sv": "sv/evenemang/2021/vuosikokous/",
             "en": "en/events/2021/vuosikokous/"}
    places = {}
    for lang, url in pages.items():
        facts = site.html(url).select("dl.facts > div")
        places[lang] = next(str(div.dd) for div in facts if div.dt.get_text().startswith(
            {"fi": "Paikka", "sv": "Plats", "en": "Place"}[lang]))
    assert places == {"fi": "<dd>Lahden konservatorio, Lahti</dd>",
                      "sv": '<dd><span lang="fi">Lahden konservatorio</span>, Lahtis</dd>',
                      "en": '<dd><span lang="fi">Lahden konservatorio</span>, Lahti</dd>'}


# --- the members' groups ------------------------------------------------------------------------

def test_the_members_groups_are_named_in_the_pages_language(site):
    expected = {"fi": list(pelicanconf.MEMBER_GROUPS.values()),
                "sv": ["Medlemsläroanstalter", "Styrelsen", "Kollegiet", "Ekonomicheferna",
                       "Studieadministrationen"],
                "en": ["Member institutions", "The Board", "The Collegium", "Finance managers",
                       "Student administration"]}
    for lang, url in (("fi", "jasenalue/"), ("sv", "sv/medlemsomrade/"), ("en", "en/members-area/")):
        soup = site.html(url)
        options = soup.select("#members-group option")
        assert [o.get_text() for o in options] == expected[lang]
        assert all(o.get("lang") is None for o in options)
        kinds = soup.find("template", id="members-kinds").find_all("span", attrs={"data-group": True})
        assert [str(s.string) for s in kinds] == expected[lang]  # a <template>'s text: not get_text()
    from members_area import GROUP_NAMES

    assert list(GROUP_NAMES) == list(pelicanconf.MEMBER_GROUPS.values())  # what the catalogs extract


# --- no Finnish UI string and no untranslated term ------------------------------------------

def catalog(lang):
    with open(CATALOGS / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po)


@pytest.mark.parametrize("lang", LANGS)
def test_no_finnish_label_of_the_catalogs_on_swedish_and_english_pages(site, lang):
    """Short labels too (a group, an education field: "Hallitus", "Musiikki"), as the whole
    text of an element, in any case; a <template>'s text (the groups' names) included."""
    finnish, theirs = catalog("fi"), catalog(lang)
    labels = set()
    for message in finnish:
        other = theirs.get(message.id, message.context)
        if other is None:
            continue  # not shown: test_languages checks every shown string is in every catalog
        for text, their in zip(*(m.string if isinstance(m.string, tuple) else (m.string,)
                                 for m in (message, other))):
            if message.id and "%" not in text and text.casefold() != their.casefold():
                labels.add(text.casefold())
    assert {"hallitus", "jäsenoppilaitokset", "musiikki", "kokous"} <= labels
    for path in [p for p in site.pages() if p.relative_to(site.output).as_posix().startswith(f"{lang}/")]:
        for node in shown(site.parse(path), lang).find_all(string=True):
            assert node.strip().casefold() not in labels, (path, node.strip())


@pytest.mark.parametrize("lang", LANGS)
def test_the_terminology_lists_finnish_terms_are_translated(site, lang):
    """A term with a Swedish or English equivalent is not left in Finnish. Names stay
    as they are: the member institutions' and their organisers' (directory.json), and
    those the list keeps in Finnish (*fi*)."""
    column = {"sv": "svenska", "en": "English"}[lang]
    records = json.loads(site.read("directory.json"))["institutions"]
    same, checked = [r["name"] for r in records] + [r["organiser"] for r in records], {}
    for row in sanasto_rows():
        if "suomi" not in row or column not in row or "*fi*" in row[column]:
            continue
        theirs = row[column]
        for term in terms(row["suomi"]):
            if theirs in ("sama", "samat") or term.casefold() in theirs.casefold():
                same.append(term)  # the same name in this language
            elif len(term) >= 5:
                checked[term] = word(term)
    same.sort(key=len, reverse=True)  # the registered name before the name it holds
    assert {"kollegio", "Opetushallitus", "Suomen konservatorioliitto", "laaja oppimäärä"} <= set(checked)
    for path, text, _attributes, _data in page_texts(site, lang):
        for term in same:  # e.g. the registered name, which holds the Finnish one
            text = text.replace(term, " ")
        found = [term for term, pattern in checked.items() if pattern.search(text)]
        assert not found, (path, found)


# --- every page in both languages, or deliberately Finnish only ---------------------------

def test_every_public_finnish_page_of_the_real_content_has_both_translations():
    pages = ROOT / "content" / "pages"
    listed = pelicanconf.FINNISH_ONLY_PAGES
    finnish, translated = set(), {lang: set() for lang in LANGS}
    for file in pages.rglob("*.md"):
        fields = front_matter(file)
        if fields.get("status", "published") != "published":
            continue
        if "lang" in fields:
            translated[fields["lang"]].add(fields["slug"])
        else:
            finnish.add(fields["slug"])
    assert len(finnish) > 20
    for lang in LANGS:
        assert finnish - translated[lang] <= set(listed), (lang, sorted(finnish - translated[lang] - set(listed)))
    assert all(reason.strip() for reason in listed.values())


def test_a_finnish_only_page_is_linked_in_finnish_from_the_other_menus(fixture_site):
    fixture_site.write("pages/liitto.md", "Title: Liitto\nSlug: liitto\nNav: 1\nSummary: Liitto.\n\nTeksti.\n")
    fixture_site.write("pages/arkisto.md", "Title: Arkisto\nSlug: liitto/arkisto\nSummary: Vanhat.\n\nTeksti.\n")
    fixture_site.write("pages/kokoukset.md", "Title: Kokoukset\nSlug: kokoukset\nNav: 2\nSummary: K.\n\nTeksti.\n")
    for lang, title in (("sv", "Förbundet"), ("en", "The Association")):
        fixture_site.write(f"pages/{lang}/liitto.md",
                           f"Title: {title}\nSlug: liitto\nLang: {lang}\nNav: 1\nSummary: {title}.\n\nText.\n")
    only = {"liitto/arkisto": "Vanhoja pöytäkirjoja, joita ei käännetä.", "kokoukset": "Vain suomeksi."}
    build = fixture_site.build(FINNISH_ONLY_PAGES=only)
    assert build.returncode == 0, build.stderr
    for lang, base in (("sv", "sv/forbundet/"), ("en", "en/association/")):
        soup = build.html(base)
        menu = {a.get_text(): a for a in soup.select("nav.main-nav a")}
        assert menu["Kokoukset"]["href"] == f"{SITEURL}/kokoukset/"
        assert menu["Kokoukset"]["hreflang"] == "fi" and menu["Kokoukset"]["lang"] == "fi"
        assert menu[{"sv": "Förbundet", "en": "The Association"}[lang]].get("hreflang") is None
        section = soup.select_one("nav.section-nav a[href$='/liitto/arkisto/']")
        assert section.get_text() == "Arkisto" and section["hreflang"] == "fi" and section["lang"] == "fi"
    # A listed page that is not there, or without its reason, stops the build.
    broken = fixture_site.build(FINNISH_ONLY_PAGES={"liitto/ei-ole": "syy", "kokoukset": " "})
    assert broken.returncode != 0
    assert "FINNISH_ONLY_PAGES" in broken.stderr and "liitto/ei-ole" in broken.stderr
    assert "puuttuu syy" in broken.stderr

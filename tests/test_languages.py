"""Swedish and English: translated pages, switcher, hreflang, catalogs, dates, search.

Reads the session's production build (``site``); tiny in-process builds check the
error for a translation that points at nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from jinja2 import Environment

import pelicanconf
from conftest import CONTENT, ROOT, SITEURL, front_matter, post

LANGS = ("sv", "en")
CATALOGS = ROOT / "theme" / "translations"
EVENTS = CONTENT / "events"
EVENTS_WORD = {"sv": "evenemang", "en": "events"}


def translation_files(lang):
    return sorted((CONTENT / "pages" / lang).glob("*.md"))


def finnish_original(fields):
    for path in (CONTENT / "pages").rglob("*.md"):
        other = front_matter(path)
        if other.get("slug") == fields["slug"] and "lang" not in other:
            return other
    raise AssertionError(f"no Finnish page with Slug {fields['slug']}")


def local(url: str) -> str:
    assert url.startswith(SITEURL + "/") or url.startswith("/"), url
    return url.removeprefix(SITEURL).lstrip("/")


def switcher(soup) -> dict[str, str]:
    nav = soup.select_one("nav.language-switcher")
    assert nav is not None, "no language switcher"
    links = {a["hreflang"]: local(a["href"]) for a in nav.select("a")}
    for a in nav.select("a"):
        assert a["lang"] == a["hreflang"], a
    return links


def hreflang(soup) -> dict[str, str]:
    return {link["hreflang"]: local(link["href"])
            for link in soup.select('head link[rel="alternate"][hreflang]:not([type])')}


def public_pages(site):
    for path in site.pages():
        relative = path.relative_to(site.output).as_posix()
        if relative.startswith(("pagefind/", "jasenalue/")):
            continue
        yield relative.removesuffix("index.html")


@pytest.mark.parametrize("lang", LANGS)
def test_every_translated_page_is_reachable_from_its_original_and_back(site, lang):
    files = translation_files(lang)
    assert len(files) >= 12
    names = {"sv": "Svenska", "en": "English"}
    for file in files:
        fields = front_matter(file)
        assert fields["lang"] == lang
        original = finnish_original(fields)
        finnish_url = original.get("url", f"{original['slug']}/") if "url" in original else f"{original['slug']}/"
        if fields["slug"] == "etusivu":
            finnish_url = ""
        soup = site.html(finnish_url)
        target = switcher(soup)[lang]
        assert target.startswith(f"{lang}/"), (file.name, target)
        assert site.exists(target), (file.name, target)
        translated = site.html(target)
        assert translated.html["lang"] == lang
        # The translation's own title (or its intro on a generated page) is there.
        assert fields["title"] in translated.get_text() or fields["slug"] == "etusivu", file.name
        back = switcher(translated)["fi"]
        assert back == finnish_url, (file.name, back)
        current = translated.select_one("nav.language-switcher [aria-current]")
        assert current.get_text() == names[lang] and current["lang"] == lang


def test_switcher_goes_to_the_front_page_where_there_is_no_translation(site):
    soup = site.html("liitto/strategia/")  # not translated
    assert switcher(soup) == {"sv": "sv/", "en": "en/"}
    assert hreflang(soup) == {}


def test_urls_are_in_the_languages_own_words(site):
    for path in ("sv/medlemmar/", "en/members/", "sv/forbundet/forvaltning/",
                 "en/association/administration/", "sv/sok/", "en/search/",
                 "sv/medlemsomrade/", "en/members-area/", "sv/evenemang/", "en/events/"):
        assert site.exists(path), path


def test_hreflang_pairs_are_reciprocal_and_every_target_exists(site):
    checked = 0
    for url in public_pages(site):
        soup = site.html(url or "")
        alternates = hreflang(soup)
        if not alternates:
            continue
        checked += 1
        lang = soup.html["lang"]
        assert alternates[lang] == url, (url, alternates)
        assert alternates["x-default"] == alternates["fi"]
        canonical = soup.select_one('link[rel="canonical"]')["href"]
        assert local(canonical) == url
        for code, target in alternates.items():
            assert site.exists(target), (url, code, target)
            assert hreflang(site.html(target)) == alternates, (url, target)
        og = soup.select_one('meta[property="og:locale"]')["content"]
        assert og == {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}[lang]
        others = {m["content"] for m in soup.select('meta[property="og:locale:alternate"]')}
        assert og not in others and len(others) == len(alternates) - 2
    assert checked >= 3 * 12


def test_sitemap_alternates_use_href_and_lead_to_listed_pages(site):
    xml = site.read("sitemap.xml")
    assert ' ref="' not in xml
    listed = set(re.findall(r"<loc>([^<]+)</loc>", xml))
    links = re.findall(r'<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/>', xml)
    assert len(links) >= 3 * 4 * 10
    for _code, href in links:
        assert href in listed, href
    assert f"<loc>{SITEURL}/sv/sok/</loc>" not in xml
    assert f"{SITEURL}/en/members-area/" not in xml


def finnish_ui_strings() -> set[str]:
    """The Finnish catalog's translations that differ from the Swedish and English ones."""
    def load(lang):
        with open(CATALOGS / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
            return read_po(po)
    fi, others = load("fi"), [load(lang) for lang in LANGS]
    found = set()
    for message in fi:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        theirs = set()
        for catalog in others:
            other = catalog.get(message.id, message.context)
            theirs |= set(other.string if isinstance(other.string, tuple) else (other.string,))
        for text in strings:
            # The fixed part of the string, without its %(placeholders)s.
            for part in re.split(r"%\(\w+\)[sd]", text):
                part = part.strip(" :.,–()”")
                if len(part) >= 6 and part not in theirs and not any(part in t for t in theirs):
                    found.add(part)
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_no_finnish_ui_string_on_swedish_and_english_pages(site, lang):
    strings = finnish_ui_strings()
    assert "Siirry sisältöön" in strings and "Hae sivustolta" in strings
    pages = [p for p in site.pages() if p.relative_to(site.output).as_posix().startswith(f"{lang}/")]
    assert len(pages) >= 14
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert soup.html["lang"] == lang
        for fragment in soup.select('[lang]:not(html)'):
            if fragment["lang"] != lang:
                fragment.decompose()  # Finnish names and untranslated text, marked as such
        for script in soup.select("script"):
            script.decompose()
        text = soup.get_text(" ")
        nodes = {node.strip() for node in soup.find_all(string=True)}
        attributes = [str(v) for tag in soup.find_all(True) for k, v in tag.attrs.items()
                      if k in ("aria-label", "title", "placeholder") or k.startswith("data-text")]
        for string in strings:
            if " " in string:  # a phrase: nowhere in the text
                assert string not in text, (path, string)
            else:  # one word, e.g. a label: not as the whole text of an element (names may hold it)
                assert string not in nodes, (path, string)
            assert string not in attributes, (path, string)


@pytest.mark.parametrize("lang", ["fi", *LANGS])
def test_catalog_translates_every_template_string(lang):
    from test_translations import template_messages

    with open(CATALOGS / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    messages = template_messages()
    assert "Language" in messages and "Read the news in Finnish" in messages
    for msgid in messages:
        message = catalog.get(*reversed(msgid)) if isinstance(msgid, tuple) else catalog.get(msgid)
        assert message is not None, f"{lang}: not in the catalog: {msgid!r}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and not message.fuzzy, f"{lang}: untranslated: {msgid!r}"
        placeholders = set(re.findall(r"%\(\w+\)[sd]", str(msgid)))
        for text in strings:
            assert set(re.findall(r"%\(\w+\)[sd]", text)) == placeholders, (lang, msgid)


class FakeGenerator:
    def __init__(self, settings):
        self.settings = settings
        self.env = Environment(extensions=["jinja2.ext.i18n"])


@pytest.mark.parametrize(("lang", "expected", "skip"), [
    ("fi", "17. marraskuuta 2021", "Siirry sisältöön"),
    ("sv", "17 november 2021", "Hoppa till innehållet"),
    ("en", "17 November 2021", "Skip to content"),
])
def test_dates_and_strings_in_the_pages_language(lang, expected, skip):
    from babel_i18n import localise_environment
    import pelicanconf

    generator = FakeGenerator({"THEME": str(ROOT / "theme"), "DEFAULT_LANG": "fi",
                               "LANGUAGES": pelicanconf.LANGUAGES})
    localise_environment(generator)
    template = generator.env.from_string(
        "{{ day | date_long }}|{{ _('Skip to content') }}|{{ day | month_year }}")
    long, skip_text, month = template.render(lang=lang, day=dt.date(2021, 11, 17)).split("|")
    assert long == expected and skip_text == skip
    assert month == {"fi": "marraskuu 2021", "sv": "november 2021", "en": "November 2021"}[lang]


def test_localised_paths():
    from languages.urls import localise_path

    words = {"liitto": "forbundet", "hallinto": "forvaltning", "etusivu": "",
             "ajankohtaista": "aktuellt"}
    assert localise_path("liitto/hallinto/", "sv", "fi", words) == ("sv/forbundet/forvaltning/", [])
    assert localise_path("etusivu/", "sv", "fi", words) == ("sv/", [])
    assert localise_path("liitto/strategia/", "sv", "fi", words) == ("sv/forbundet/strategia/",
                                                                    ["strategia"])
    assert localise_path("ajankohtaista/2021/uutinen/", "sv", "fi", words, strict=False) \
        == ("sv/aktuellt/2021/uutinen/", [])
    assert localise_path("liitto/", "fi", "fi", words) == ("liitto/", [])


def test_news_pages_say_the_news_are_in_finnish(site):
    for url, text in (("sv/aktuellt/", "Våra nyheter skrivs på finska."),
                      ("en/news/", "Our news is written in Finnish.")):
        soup = site.html(url)
        assert text in soup.get_text()
        link = soup.find("a", hreflang="fi", href=re.compile(r"/ajankohtaista/$"))
        assert link is not None, url
    for url in ("sv/", "en/"):
        assert site.html(url).find("a", hreflang="fi", href=re.compile(r"/ajankohtaista/$"))


def test_the_association_is_named_as_it_names_itself_in_each_language(site):
    names = {"fi": "Suomen konservatorioliitto", "sv": "Finlands konservatorieförbund",
             "en": "The Conservatory Association of Finland"}
    for lang, url in (("fi", ""), ("sv", "sv/"), ("en", "en/")):
        soup = site.html(url)
        for element in (soup.select_one("h1#intro-heading"), soup.select_one("a.site-name"),
                        soup.select_one("footer h2#footer-contact")):
            assert element.get_text() == names[lang] and element.get("lang") is None, (lang, element)
        assert soup.title.get_text() == names[lang]
        data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
        assert data["name"] == names[lang]
        assert data["alternateName"] == [name for code, name in names.items() if code != lang]
        assert data["legalName"] == "Suomen konservatorioliitto – Finlands konservatorieförbund r.y."
    english = site.html("en/").get_text(" ")
    assert "association of Finnish conservatories" not in english


def test_untranslated_event_titles_are_marked_finnish(site):
    soup = site.html("sv/evenemang/")
    titles = soup.select(".event-item__title a")
    assert titles
    marked = 0
    for title in titles:
        url = local(title["href"])
        assert url.startswith("sv/evenemang/"), url  # the event's page in Swedish
        file = EVENTS / "sv" / f"{url.rstrip('/').rsplit('/', 1)[1]}.md"
        if "title" in front_matter(file):
            assert title.get("lang") is None, title
        else:
            marked += 1
            assert title.get("lang") == "fi", title
    assert marked >= 1


def test_pagefind_has_an_index_per_language(site):
    entry = json.loads(site.read("pagefind/pagefind-entry.json"))
    languages = entry["languages"]
    assert {"fi", "sv", "en"} <= set(languages), languages
    assert languages["sv"]["page_count"] >= 6 and languages["en"]["page_count"] >= 6
    for lang, url in (("sv", "sv/sok/"), ("en", "en/search/")):
        soup = site.html(url)
        assert soup.html["lang"] == lang
        assert soup.select_one("[data-search]")["data-bundle"].endswith("/pagefind/")


@pytest.mark.parametrize(("lang", "url", "button"), [
    ("sv", "sv/medlemsomrade/", "Logga in"), ("en", "en/members-area/", "Log in")])
def test_members_login_in_each_language_uses_the_same_encrypted_files(site, lang, url, button):
    soup = site.html(url)
    assert soup.html["lang"] == lang
    box = soup.select_one("[data-members]")
    assert box["data-keyring"].endswith("/jasenalue/avaimet.json")
    assert box["data-index"].endswith("/jasenalue/hakemisto.json")
    assert button in soup.get_text()
    assert soup.select_one('meta[name="robots"]')["content"].startswith("noindex")
    folder = site.output / url
    files = {p.name for p in folder.rglob("*")}  # no copied ciphertext: only the page
    assert {name.split(".html")[0] for name in files} == {"index"}, files


# What translations need from the site's settings (pelicanconf.py owns them).
LANGUAGE_SETTINGS = {key: getattr(pelicanconf, key) for key in (
    "LANGUAGES", "URL_WORDS", "PAGE_LANG_URL", "PAGE_LANG_SAVE_AS", "ARTICLE_LANG_URL",
    "ARTICLE_LANG_SAVE_AS", "PAGE_URL", "PAGE_SAVE_AS", "FILENAME_METADATA")}


def translation_problems(tiny_site, files: dict[str, str], *plugins: str, **settings):
    """Build ``files`` with ``plugins``: the problems as {file: problem}; nothing may be written."""
    for path, text in files.items():
        tiny_site.write(path, text)
    result = tiny_site.build(*plugins, **LANGUAGE_SETTINGS, **settings)
    assert not tiny_site.output.exists(), "no half-written site"
    assert all(p.fix.strip() and "korjaus:" in p.text() for p in result.problems)
    problems = {p.relative_source(str(tiny_site.content)): p for p in result.problems}
    assert len(problems) == len(result.problems), result.problems
    return problems


@pytest.mark.plugin
def test_a_translation_without_an_original_stops_the_build(tiny_site):
    problems = translation_problems(tiny_site, {
        "pages/liitto.md": "Title: Liitto\nSlug: liitto\n\nTeksti.\n",
        "pages/sv/liitto.md": "Title: Förbundet\nSlug: liitto\nLang: sv\n\nText.\n",
        # A Slug whose word URL_WORDS translates: the only thing wrong is the missing original.
        "pages/sv/kontakt.md": "Title: Kontakt\nSlug: yhteystiedot\nLang: sv\n\nText.\n",
        # A typo in the Slug: no original, and no URL_WORDS entry for the word either. Only
        # the missing original is named; advice to edit URL_WORDS would mislead.
        "pages/sv/historia.md": "Title: Historia\nSlug: liiton-histroia\nLang: sv\n\nText.\n",
    }, "languages")
    assert sorted((source, p.field) for source, p in problems.items()) == [
        ("pages/sv/historia.md", "Slug"), ("pages/sv/kontakt.md", "Slug")]
    assert "ei ole suomenkielistä alkuperäistä" in problems["pages/sv/kontakt.md"].message
    assert "\"yhteystiedot\"" in problems["pages/sv/kontakt.md"].message
    assert "ei ole suomenkielistä alkuperäistä" in problems["pages/sv/historia.md"].message


@pytest.mark.plugin
def test_a_translated_page_whose_address_word_has_no_translation_names_url_words(tiny_site):
    """A real translation whose Slug word URL_WORDS does not translate: the developer's fix."""
    problems = translation_problems(tiny_site, {
        "pages/historia.md": "Title: Historia\nSlug: liiton-historia\n\nTeksti.\n",
        "pages/sv/historia.md": "Title: Historia\nSlug: liiton-historia\nLang: sv\n\nText.\n",
    }, "languages")
    assert list(problems) == ["pages/sv/historia.md"]
    problem = problems["pages/sv/historia.md"]
    assert problem.field == "Slug"
    assert problem.message == 'osoitteen sanalle "liiton-historia" ei ole käännöstä kielelle "sv".'
    assert "URL_WORDS" in problem.fix


@pytest.mark.plugin
def test_every_version_marked_a_translation_is_named_in_finnish(tiny_site):
    """Pelican's 'All items … are translations' reaches staff in Finnish, with the fix."""
    problems = translation_problems(tiny_site, {
        "pages/liitto.md": "Title: Liitto\nSlug: liitto\nTranslation: true\n\nTeksti.\n",
        "pages/sv/liitto.md": "Title: Förbundet\nSlug: liitto\nLang: sv\nTranslation: true\n\nText.\n",
    }, "languages")
    assert list(problems) == ["pages/liitto.md"], "one problem, on the first of the files by name"
    problem = problems["pages/liitto.md"]
    assert problem.field == "Translation"
    assert "on merkitty käännöksiksi" in problem.message
    assert "pages/liitto.md" in problem.message and "pages/sv/liitto.md" in problem.message
    assert "Poista rivi Translation: true" in problem.fix


# --- member institutions -----------------------------------------------------------------

DIRECTORY = CONTENT / "directory"
MEMBERS_WORD = {"sv": "medlemmar", "en": "members"}


def body_text(path: Path) -> str:
    """A content file's text without its front matter and inline HTML tags."""
    body = path.read_text(encoding="utf-8").partition("\n\n")[2]
    return re.sub(r"<[^>]+>", "", body).strip()


def test_every_institution_description_is_translated():
    for file in sorted(DIRECTORY.glob("*.md")):
        if body_text(file):
            for lang in LANGS:
                assert (DIRECTORY / lang / file.name).exists(), (lang, file.name)


@pytest.mark.parametrize("lang", LANGS)
def test_institution_pages_in_each_language(site, lang):
    files = sorted(DIRECTORY.glob("*.md"))
    assert len(files) == 16
    values = {"sv": ("musik", "finska"), "en": ("music", "Finnish")}[lang]
    translated = 0
    for file in files:
        fields = front_matter(file)
        finnish_url = f"jasenet/{fields['slug']}/"
        target = switcher(site.html(finnish_url))[lang]
        assert target == f"{lang}/{MEMBERS_WORD[lang]}/{fields['slug']}/", file.name
        page = site.html(target)
        assert page.html["lang"] == lang
        assert switcher(page)["fi"] == finnish_url
        alternates = hreflang(page)
        assert alternates[lang] == target and alternates["fi"] == finnish_url
        h1 = page.select_one("article.institution h1")
        assert h1.get_text() == fields["title"]  # names stay as they are, in their own language
        assert h1.get("lang") == (None if fields["language"] == ("ruotsi" if lang == "sv" else "-")
                                  else ("sv" if fields["language"] == "ruotsi" else "fi"))
        facts = page.select_one("dl.facts").get_text(" ")
        if fields["language"] == "suomi":
            assert values[1] in facts and "suomi" not in facts
        if "musiikki" in fields["offers"]:
            assert values[0] in facts
        prose = page.select_one("article.institution .prose")
        translation = DIRECTORY / lang / file.name
        if translation.exists():
            translated += 1
            assert front_matter(translation)["lang"] == lang
            assert prose is not None and prose.get("lang") is None
            assert prose.get_text().split() == body_text(translation).split()
        elif body_text(file):
            assert prose["lang"] == "fi"  # untranslated: shown in Finnish, marked as such
        else:
            assert prose is None
    assert translated >= 4
    # The directory in this language links to the institutions in this language.
    listing = site.html(f"{lang}/{MEMBERS_WORD[lang]}/")
    links = [local(a["href"]) for a in listing.select(".institution-cards h3 a")]
    assert len(links) == 16 and all(link.startswith(f"{lang}/{MEMBERS_WORD[lang]}/") for link in links)


# --- events and calendars ---------------------------------------------------------------

def public_events():
    for file in sorted(EVENTS.glob("*.md")):
        fields = front_matter(file)
        if fields["audience"] == "julkinen":
            yield file, fields, f"tapahtumat/{fields['when'][:4]}/{fields['slug']}/"


def plain(markup: str) -> str:
    return " ".join(BeautifulSoup(markup, "html.parser").get_text().split())


@pytest.mark.parametrize("lang", LANGS)
def test_event_pages_in_each_language(site, lang):
    events = list(public_events())
    assert len(events) >= 16
    for file, fields, finnish_url in events:
        translation = EVENTS / lang / file.name
        assert translation.exists(), (lang, file.name)  # every public event is translated
        words = front_matter(translation)
        assert words["lang"] == lang and words["slug"] == fields["slug"]
        target = switcher(site.html(finnish_url))[lang]
        assert target == f"{lang}/{EVENTS_WORD[lang]}/{fields['when'][:4]}/{fields['slug']}/"
        page = site.html(target)
        assert page.html["lang"] == lang
        assert switcher(page)["fi"] == finnish_url
        assert hreflang(page)["fi"] == finnish_url and hreflang(page)[lang] == target
        h1 = page.select_one("article.event h1")
        if "title" in words:
            assert h1.get_text() == words["title"] and h1.get("lang") is None
        else:  # not translated: the Finnish title, marked Finnish
            assert h1.get_text() == fields["title"] and h1["lang"] == "fi"
        description = page.select_one('meta[name="description"]')["content"]
        assert description == plain(words["summary"])
        prose = page.select_one("article.event .prose")
        assert prose.get("lang") is None
        assert plain(body_text(translation)).split("[")[0][:30] in " ".join(prose.get_text().split())
        if fields.get("host"):  # the host's page in the same language
            host = page.select_one("article.event dl.facts a[href*='/%s/']" % MEMBERS_WORD[lang])
            assert host is not None and fields["host"] in host["href"]


def calendar_events(site, path):
    from icalendar import Calendar

    calendar = Calendar.from_ical(site.output.joinpath(path).read_bytes())
    return calendar, {str(e["UID"]): e for e in calendar.walk("VEVENT")}


@pytest.mark.parametrize("lang", LANGS)
def test_a_calendar_feed_per_language(site, lang):
    _finnish, finnish = calendar_events(site, "tapahtumat/kalenteri.ics")
    calendar, events = calendar_events(site, f"{lang}/{EVENTS_WORD[lang]}/kalenteri.ics")
    assert set(events) == set(finnish) and len(events) >= 8  # the same events, the same UIDs
    assert calendar["NAME"].params["LANGUAGE"] == lang
    assert str(calendar["NAME"]).startswith(languages_sitename(lang))
    by_uid = {fields["uid"]: (file, fields) for file, fields, _url in public_events()}
    for uid, item in events.items():
        file, fields = by_uid[uid]
        words = front_matter(EVENTS / lang / file.name)
        original = finnish[uid]
        assert original["SUMMARY"].params["LANGUAGE"] == "fi"
        assert str(original["SUMMARY"]) == fields["title"]
        if "title" in words:
            assert str(item["SUMMARY"]) == words["title"] and item["SUMMARY"].params["LANGUAGE"] == lang
        else:
            assert str(item["SUMMARY"]) == fields["title"] and item["SUMMARY"].params["LANGUAGE"] == "fi"
        assert item["DESCRIPTION"].params["LANGUAGE"] == lang
        assert str(item["DESCRIPTION"]).startswith(plain(words["summary"]))
        url = f"{SITEURL}/{lang}/{EVENTS_WORD[lang]}/{fields['when'][:4]}/{fields['slug']}/"
        assert str(item["URL"]) == url and str(item["DESCRIPTION"]).endswith(url)
        # The facts are the Finnish file's: same time, status, sequence.
        for key in ("DTSTART", "DTEND", "STATUS", "SEQUENCE", "DTSTAMP"):
            assert item[key].to_ical() == original[key].to_ical(), (uid, key)
        # One event's own file, from its page.
        page = site.html(local(url))
        single_url = local(page.select_one(".add-to-calendar a[download]")["href"])
        assert single_url.startswith(f"{lang}/")
        _single, single = calendar_events(site, single_url)
        assert list(single) == [uid] and str(single[uid]["SUMMARY"]) == str(item["SUMMARY"])
    listing = site.html(f"{lang}/{EVENTS_WORD[lang]}/")
    link = listing.select_one('a[type="text/calendar"]')
    assert local(link["href"]) == f"{lang}/{EVENTS_WORD[lang]}/kalenteri.ics"


def languages_sitename(lang):
    import pelicanconf

    return pelicanconf.LANGUAGES[lang]["sitename"]


# --- news feeds ---------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "url", "text"), [
    ("sv", "sv/aktuellt/", "Det finns ännu inga inlägg på svenska"),
    ("en", "en/news/", "There are no posts in English yet")])
def test_no_feed_in_a_language_without_posts_and_the_news_page_says_so(site, lang, url, text):
    assert not list((CONTENT / "posts").rglob(f"{lang}/*.md"))
    assert not [p for p in site.output.joinpath(lang).rglob("*.xml")], lang
    soup = site.html(url)
    note = soup.select_one("p.news-feeds")
    assert text in note.get_text()
    link = note.select_one("a[hreflang='fi'][type='application/atom+xml']")
    assert local(link["href"]) == "syotteet/kaikki.atom.xml" and site.exists("syotteet/kaikki.atom.xml")
    head = soup.select_one('head link[type="application/atom+xml"]')
    assert local(head["href"]) == "syotteet/kaikki.atom.xml" and head["hreflang"] == "fi"


def test_a_language_with_posts_gets_its_own_feeds(fixture_site):
    import xml.etree.ElementTree as ET

    fixture_site.write("posts/2021-01-05-kirjoitus.md", post(slug="kirjoitus"))
    fixture_site.write("posts/sv/2021-01-05-inlagg.md",
                       post(title="Inlägg på svenska", slug="kirjoitus", lang="sv", body="Svensk text."))
    fixture_site.write("pages/etusivu.md", "Title: Etusivu\nSlug: etusivu\nUrl:\nSave_as:\n\nTeksti.\n")
    build = fixture_site.build(SEARCH_INDEX=False)
    assert build.returncode == 0, build.stderr
    output = Path(build.output)
    atom = output / "sv" / "syotteet" / "kaikki.atom.xml"
    rss = output / "sv" / "syotteet" / "kaikki.rss.xml"
    assert not (output / "en" / "syotteet").exists()  # no English posts, no English feed
    feed = ET.parse(atom).getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "sv"
    titles = [t.text for t in feed.findall("a:entry/a:title", ns)]
    assert titles == ["Inlägg på svenska"]
    assert feed.find("a:title", ns).text == "Finlands konservatorieförbund"
    alternate = feed.find("a:link[@rel='alternate']", ns).get("href")
    assert alternate.endswith("/sv/aktuellt/")
    channel = ET.parse(rss).getroot().find("channel")
    assert channel.find("language").text == "sv"
    assert [i.find("title").text for i in channel.findall("item")] == ["Inlägg på svenska"]
    finnish = ET.parse(output / "syotteet" / "kaikki.atom.xml").getroot()
    # Pelican's FEED_ALL is every post in every language; the Swedish one has only Swedish.
    assert "Kirjoitus" in [t.text for t in finnish.findall("a:entry/a:title", ns)]
    news = BeautifulSoup((output / "sv" / "aktuellt" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    links = {a["type"]: a["href"] for a in news.select("p.news-feeds a")}
    assert links["application/atom+xml"].endswith("/sv/syotteet/kaikki.atom.xml")
    head = news.select_one('head link[type="application/atom+xml"]')
    assert head["href"].endswith("/sv/syotteet/kaikki.atom.xml") and not head.get("hreflang")
    # JSON-LD says the language of each version of the post.
    found = {}
    for path in output.rglob("index.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for script in soup.select('script[type="application/ld+json"]'):
            data = json.loads(script.string)
            if data.get("@type") == "NewsArticle":
                found[data["headline"]] = (data["inLanguage"], soup.html["lang"])
    assert found == {"Kirjoitus": ("fi", "fi"), "Inlägg på svenska": ("sv", "sv")}


def test_error_page_per_language_for_apache_and_nginx(site):
    from site_meta.headers import nginx_snippet, security_headers

    htaccess = site.read(".htaccess")
    assert htaccess.index("ErrorDocument 404 /404.html") < htaccess.index("ErrorDocument 404 /sv/404.html")
    for lang in LANGS:
        assert f'<If "%{{REQUEST_URI}} =~ m#^/{lang}/#">\n  ErrorDocument 404 /{lang}/404.html\n</If>' \
            in htaccess
        page = site.html(f"{lang}/404.html")
        assert page.html["lang"] == lang
    headers = security_headers(None)
    nginx = nginx_snippet(headers, error_pages={"sv/": "sv/404.html"})
    block = nginx[nginx.index("location /sv/ {"):]
    block = block[:block.index("}") + 1]
    assert "error_page 404 /sv/404.html;" in block
    # add_header in a location replaces the server's: the block repeats them all.
    for name in headers:
        assert f"add_header {name} " in block, name
    assert nginx_snippet(headers) == nginx_snippet(headers, error_pages={})


@pytest.mark.plugin
def test_an_institution_or_event_translation_without_an_original_stops_the_build(tiny_site):
    problems = translation_problems(tiny_site, {
        "directory/sv/okand.md": "Slug: okand-skola\nLang: sv\n\nText.\n",
        "events/en/unknown.md": "Title: Meeting\nSlug: unknown-meeting\nLang: sv\n\nText.\n",
    }, "member_directory", "event_calendar",
        **{key: getattr(pelicanconf, key) for key in (
            "DIRECTORY_PATHS", "DIRECTORY_URL", "INSTITUTION_URL", "INSTITUTION_SAVE_AS",
            "DIRECTORY_JSON_SAVE_AS", "EVENT_PATHS", "EVENTS_URL", "EVENT_URL", "EVENT_SAVE_AS")})
    assert sorted((source, p.field) for source, p in problems.items()) == [
        ("directory/sv/okand.md", "Slug"), ("events/en/unknown.md", "Lang")]
    assert "\"okand-skola\"" in problems["directory/sv/okand.md"].message
    assert "Lang: en" in problems["events/en/unknown.md"].message

"""The association's pages: structure, navigation and the plan's facts."""

from __future__ import annotations

import re
from collections import deque

import pytest

from conftest import CONTENT, ROOT, SITEURL, front_matter

PAGES_DIR = CONTENT / "pages"




# Pages that are written to their own URL (stubs with an empty Save_as are
# menu entries for generated listings or the front page's introduction).
PAGES = {
    fields["slug"]: fields
    for fields in map(front_matter, sorted(PAGES_DIR.rglob("*.md")))
    if "save_as" not in fields and "lang" not in fields  # Finnish pages (translations: test_languages)
}


def text_of(site, slug: str) -> str:
    main = site.html(f"{slug}/").find("main")
    return re.sub(r"\s+", " ", main.get_text(" "))


def test_six_or_seven_top_level_sections(site):
    nav = site.html("index.html").find("nav", attrs={"aria-label": "Päävalikko"})
    labels = [a.get_text() for a in nav.find_all("a")]
    assert 5 <= len(labels) <= 7
    assert labels == ["Liitto", "Jäsenet", "Ajankohtaista", "Tapahtumat", "Koulutus ja tutkimus",
                      "Vaikuttaminen", "Yhteystiedot"]


def test_every_page_has_one_h1_and_its_own_meta_description(site):
    assert len(PAGES) >= 20
    for slug, fields in PAGES.items():
        page = site.html(f"{slug}/")
        assert len(page.find_all("h1")) == 1, slug
        assert page.find("h1").get_text() == fields["title"], slug
        description = page.find("meta", attrs={"name": "description"})["content"]
        assert description == fields["summary"] and len(description) > 40, slug


def test_urls_come_from_the_explicit_slug(site):
    for slug, fields in PAGES.items():
        assert re.fullmatch(r"[a-z0-9-]+(/[a-z0-9-]+)*", slug), slug
        assert site.exists(f"{slug}/index.html"), slug


def test_every_section_page_links_all_its_subpages(site):
    sections = {slug for slug in PAGES if "/" not in slug}
    checked = 0
    for section in sections:
        children = [s for s in PAGES if s.startswith(section + "/")]
        if not children:
            continue
        page = site.html(f"{section}/")
        links = {a["href"] for a in page.find("main").find_all("a", href=True)}
        for child in children:
            assert f"{SITEURL}/{child}/" in links, (section, child)
            checked += 1
        side = page.find("nav", class_="section-nav")
        assert {a["href"] for a in side.find_all("a")} >= {f"{SITEURL}/{c}/" for c in children}
    assert checked >= 15


def test_subpages_show_their_section_navigation(site):
    page = site.html("vaikuttaminen/teosto/")
    side = page.find("nav", class_="section-nav")
    assert side["aria-label"] == "Osio: Vaikuttaminen"
    assert side.find("a", attrs={"aria-current": "page"}).get_text() == "Teosto-sopimukset"


def test_no_page_is_an_orphan(site):
    """Every page is reachable through menus alone (main, section, footer, section lists)."""
    home = site.html("index.html")
    start = [a["href"] for a in home.select("nav.main-nav a, footer nav a")]
    seen, queue = set(), deque(start)
    while queue:
        url = queue.popleft()
        if not url.startswith(SITEURL) or url in seen:
            continue
        seen.add(url)
        path = url[len(SITEURL) + 1:]
        if not path.endswith("/") or not site.exists(path):
            continue
        page = site.html(path)
        for a in page.select("nav.main-nav a, nav.section-nav a, section.subpages a, footer nav a"):
            queue.append(a["href"])
    missing = [slug for slug in PAGES if f"{SITEURL}/{slug}/" not in seen]
    assert missing == []


def test_front_page_introduces_and_leads_on(site):
    home = site.html("index.html")
    intro = home.find("section", class_="intro").find("p").get_text()
    assert 1 <= intro.count(". ") + intro.endswith(".") <= 3
    cards = home.select("#sections-heading ~ ul a")
    assert len(cards) >= 5
    assert len(home.select(".post-card")) == 5


# Names the action plan gives, by the page that is about them. Stems match
# Finnish inflection ("Kulta ry" in "Kulta ry:n").
NAMES_BY_PAGE = {
    "jasenet": [
        "Helsingin Konservatorion Säätiö sr", "Helsingin Konservatorio",
        "Invalidisäätiö", "Ammattiopisto Live",
        "Jyväskylän koulutuskuntayhtymä Gradia", "Gradia Jyväskylä",
        "Joensuun kaupunki", "Joensuun konservatorio",
        "Kajaanin kaupunki", "Kainuun konservatorio",
        "Keski-Pohjanmaan konservatorion kannatusyhdistys ry", "Keski-Pohjanmaan Konservatorio",
        "Kuopion konservatorion kannatusyhdistys ry", "Kuopion konservatorio",
        "Kotkan-Haminan seudun koulutuskuntayhtymä", "Kymen Konservatorio",
        "Lahden Konservatorio Oy", "Lahden konservatorio",
        "Oulun kaupunki", "Oulun konservatorio",
        "Länsirannikon Koulutus Oy WinNova", "Palmgren-konservatorio",
        "Pop & Jazz Konservatorion Säätiö", "Pop & Jazz Konservatorio",
        "Kemi-Tornionlaakson koulutuskuntayhtymä Lappia", "Pop & Jazz Konservatorio Lappia",
        "Tampereen Musiikkiopiston Säätiö", "Tampereen konservatorio",
        "Turun musiikinopetus Oy", "Turun konservatorio ja musiikkiopisto",
        "Svenska Österbottens förbund för Utbildning och Kultur", "Yrkesakademin i Österbotten",
    ],
    "liitto": ["16", "11", "Tampereen konservatorio", "Ammattiopisto Live", "2022–2026"],
    "liitto/strategia": ["2022–2026"],
    "liitto/jasenyydet": ["Suomen musiikkineuvosto", "FMC", "Kulta ry"],
    "liitto/rahoitus": ["jäsenmaksu", "valtionavustu", "ansio- ja kunniamerk", "hankeavustu"],
    "liitto/hallinto": ["puheenjohtaja", "kolme", "varajäsen", "kollegio", "viisi kertaa",
                        "toiminnanjohtaja", "harjoittelij", "graafik", "kääntäj",
                        "Arabiankatu 2", "00560 Helsinki", "Erityisen tuen työryhmä"],
    "liitto/ansio-ja-kunniamerkit": ["hakemuksesta"],
    "liitto/viestinta": ["jäsentiedote", "Konservatoriopalsta", "WhatsApp", "Mailchimp",
                         "Facebook", "Instagram", "Twitter", "LinkedIn"],
    "koulutus-ja-tutkimus/koulutukset": [
        "Toimistopäivät", "Suomen musiikkioppilaitosten liit", "Lahden konservatorio",
        "Lahden musiikkioppilaito", "musiikkikasvatuspäiv", "17.–19.11.2021",
        "Suomen musiikkikasvatusseura – FiSME ry", "Visma", "Pitääkö olla huolissaan 2",
        "Taiteen perusopetusliit", "palautekysel", "hybridi"],
    "koulutus-ja-tutkimus/tutkimukset": [
        "2012", "Kyllä hyvät aina töitä saa", "Plussana tanssitaito", "1 500", "Cupore",
        "Suomen musiikkioppilaitosten liit", "Vipu", "2020", "opettajien työ"],
    "koulutus-ja-tutkimus/hankkeet": [
        "Floor Is Yours!", "Työterveyslaito", "Musiikin opintopolut", "Cupore",
        "Suomen musiikkioppilaitosten liit", "Luo oma duuni", "Ammattiopisto Liven",
        "Haaga-Helia", "Keuda", "Ammattiopisto Luovi", "keväällä 2021"],
    "vaikuttaminen": ["opetus- ja kulttuuriministeriö", "Opetushallitu", "lausun"],
    "vaikuttaminen/tyoryhmat": [
        "Oikeus osata", "työelämäpalauteryhmä", "musiikkikoulutus- ja kasvatustyöryhmä",
        "Floor Is Yours!", "ohjausryhmä", "Musiikkikoulutuksen visio 2030",
        "Musiikkialan ammatillisesti suuntautuneen koulutuksen yhteistyöfoorumi",
        "AMKE ry", "Osaamisen ennakointifoorumi"],
    "vaikuttaminen/kuntavaalit-2021": ["Kulta ry", "Suomen musiikkineuvosto"],
    "vaikuttaminen/musiikkikoulutuksen-visio-2030": [
        "joulukuussa 2020", "Taideyliopiston Sibelius-Akatemia", "ammattikorkeakoulu",
        "Suomen musiikkioppilaitosten liit"],
    "vaikuttaminen/yhteistyo": [
        "Suomen musiikkineuvosto", "Kulta ry", "Taideyliopiston Sibelius-Akatemia",
        "ARENE", "Suomen musiikkioppilaitosten liit",
        "Ammattiosaamisen kehittämisyhdistys AMKE ry", "Sivistystyönantaj",
        "Muusikkojen liit", "Taiteen perusopetusliit",
        "Suomen musiikkikasvatusseura – FiSME ry", "Suomen musiikinopettajien liit",
        "SMOL", "Teosto"],
    "vaikuttaminen/kansainvalisyys": ["Erasmus+"],
    "vaikuttaminen/tasa-arvo-ja-moninaisuus": ["moninaisuu", "turvallinen", "etäkokou"],
    "vaikuttaminen/taide-ja-kulttuuri-alueilla": ["konsert", "soitinlainau", "oopper",
                                                   "musikaal", "festivaal", "työssä oppi"],
    "vaikuttaminen/teosto": ["Teosto", "musiikinesitysoikeus", "verkkokäyttösopimu",
                             "2021–2022"],
    "yhteystiedot": ["Arabiankatu 2", "00560 Helsinki", "0997495-2"],
}


@pytest.mark.parametrize("slug", sorted(NAMES_BY_PAGE))
def test_the_plans_names_appear_on_the_page_about_them(site, slug):
    text = text_of(site, slug).lower()
    missing = [name for name in NAMES_BY_PAGE[slug] if name.lower() not in text]
    assert missing == []


# The pages speak for the association ("Liitto järjestää…"); the action plan is
# named only where the source matters (strategy, priorities, the blog's and
# the front page's note on where the first content comes from).
PLAN_MENTIONS_CEILING = 5


def test_public_pages_name_the_action_plan_only_a_handful_of_times(site):
    mentions = {}
    for path in site.pages():
        url = path.relative_to(site.output).as_posix()
        if url.startswith(("jasenalue/", "luonnokset/")):
            continue
        main = site.parse(path).find("main")
        if not main:
            continue
        # The text, not its list of sources: a source is named where it backs a fact.
        cited = sum(s.get_text(" ").lower().count("toimintasuunnitelm") for s in main.select(".sources"))
        if count := main.get_text(" ").lower().count("toimintasuunnitelm") - cited:
            mentions[url] = count
    assert sum(mentions.values()) <= PLAN_MENTIONS_CEILING, mentions


# Pages that send readers to the office must give a way to reach it.
REACH_THE_OFFICE = ["yhteystiedot", "saavutettavuusseloste", "tietosuojaseloste", "jasenalue",
                    "liitto/ansio-ja-kunniamerkit", "vaikuttaminen/teosto"]


@pytest.mark.parametrize("slug", REACH_THE_OFFICE)
def test_the_office_can_be_reached_by_email_or_form(site, slug):
    main = site.html(f"{slug}/").find("main")
    mailto = [a["href"] for a in main.find_all("a", href=True) if a["href"].startswith("mailto:")]
    assert mailto or main.find("form"), slug
    for href in mailto:
        assert re.fullmatch(r"mailto:[^@\s/]+@[^@\s/]+\.[a-z]{2,}", href), href


def test_accessibility_statement_has_the_sections_the_law_requires(site):
    page = site.html("saavutettavuusseloste/")
    headings = [h.get_text() for h in page.find("main").find_all("h2")]
    for required in ("Saavutettavuuden tila", "Ei-saavutettava sisältö", "Miten saavutettavuus on arvioitu",
                     "Palaute ja yhteydenotot", "Valvontaviranomainen"):
        assert any(required in h for h in headings), required
    text = text_of(site, "saavutettavuusseloste")
    assert "Traficom" in text and "axe" in text and "WCAG 2.1" in text and "14" in text
    assert page.find("a", href="https://www.saavutettavuusvaatimukset.fi/")


def test_privacy_notice_covers_what_the_site_processes(site):
    text = text_of(site, "tietosuojaseloste").lower()
    for topic in ("evä", "lokit", "mailchimp", "indexeddb", "tietosuojavaltuutettu", "0997495-2",
                  "suostumus", "oikeutettu etu"):
        assert topic in text, topic


def test_quotes_and_dashes_are_published_as_typed(fixture_site):
    # Finnish quotes are ”…” at both ends: no English “…” conversion.
    fixture_site.write("pages/lainaus.md", 'Title: Lainaus\nSlug: lainaus\nSummary: x\n\n'
                       'Hän sanoi ”kyllä” ja "ehkä" -- vuosina 2021–2022...\n')
    build = fixture_site.build()
    assert build.returncode == 0, build.stderr
    text = build.html("lainaus/").find("main").get_text()
    assert 'Hän sanoi ”kyllä” ja "ehkä" -- vuosina 2021–2022...' in text


# --- sources -------------------------------------------------------------------------

def sources_of(body):
    section = body.find("section", class_="sources")
    return section.h2.get_text(), [(li.get_text(), li.a["href"] if li.a else None) for li in section("li")]


def test_sources_are_shown_under_what_they_back(site):
    post = site.html("ajankohtaista/2020/musiikkikoulutuksen-visio-2030-jatkotyo/")
    assert sources_of(post) == ("Lähteet", [
        ("musiikkikoulutuksenvisio.fi/visio", "https://musiikkikoulutuksenvisio.fi/visio/"),
        ("Suomen konservatorioliiton toimintasuunnitelma 2021", None)])
    assert post.find("section", class_="sources").find_previous_sibling("div", class_="prose")
    # The association's former site was at this site's address: this site replaced the page.
    assert sources_of(site.html("liitto/")) == ("Lähde", [
        ("konservatorioliitto.fi/liiton-toiminta (liiton aiempi verkkosivusto)", None)])
    assert sources_of(site.html("jasenet/helsingin-konservatorio/")) == ("Lähteet", [
        ("www.konservatorio.fi/konservatorio/historia", "https://www.konservatorio.fi/konservatorio/historia/"),
        ("www.konservatorio.fi/in-english", "https://www.konservatorio.fi/in-english/")])
    event = "tapahtumat/2021/kuntavaalikampanjointi/"
    assert sources_of(site.html(event)) == ("Lähde", [("Suomen konservatorioliiton toimintasuunnitelma 2021", None)])
    assert sources_of(site.html(f"sv/evenemang/2021/kuntavaalikampanjointi/"))[0] == "Källa"
    assert site.html("koulutus-ja-tutkimus/").find("section", class_="sources") is None  # none named


BAD_SOURCES = {
    "bare-address": ("posts/a.md", "Source: www.esimerkki.fi/sivu", "Source", "puuttuu alku https://"),
    "several-in-source": ("posts/a.md", "Source: https://a.esimerkki.fi/, https://b.esimerkki.fi/", "Source",
                          "kentässä Source on useita lähteitä"),
    "space-in-address": ("pages/a.md", "Sources: https://esimerkki.fi/a sivu", "Sources",
                         "ei ole kelvollinen verkko-osoite"),
    "empty-item": ("pages/a.md", "Sources: https://esimerkki.fi/, , Toimintasuunnitelma 2021", "Sources",
                   "tyhjä kohta"),
}


@pytest.mark.plugin
@pytest.mark.parametrize("case", sorted(BAD_SOURCES))
def test_a_bad_source_names_the_file_the_field_and_the_fix(tiny_site, case):
    path, line, field, message = BAD_SOURCES[case]
    kind = "Date: 2021-01-05\nCategory: Hankkeet\n" if path.startswith("posts/") else ""
    tiny_site.write(path, f"Title: A\n{kind}{line}\n\nTeksti.\n")
    tiny_site.write("posts/hyva.md", "Title: Hyvä\nDate: 2021-01-05\n"
                    "Sources: https://esimerkki.fi/, http://vanha.esimerkki.fi/x(1), Vuosikertomus 2020\n\nTeksti.\n")
    result = tiny_site.build("sources")
    assert not tiny_site.output.exists(), "no half-written site"
    [problem] = result.problems
    assert (problem.relative_source(str(tiny_site.content)), problem.field) == (path, field)
    assert message in problem.message and "https://" in problem.fix

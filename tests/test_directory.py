"""Member directory and communication channels."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

import pelicanconf
from conftest import CONTENT, ROOT, SITEURL, post

# The plan's member list: institution -> organiser, exactly as written there.
PLAN_MEMBERS = {
    "Helsingin Konservatorio": "Helsingin Konservatorion Säätiö sr",
    "Ammattiopisto Live": "Invalidisäätiö",
    "Gradia Jyväskylä": "Jyväskylän koulutuskuntayhtymä Gradia",
    "Joensuun konservatorio": "Joensuun kaupunki",
    "Kainuun konservatorio": "Kajaanin kaupunki",
    "Keski-Pohjanmaan Konservatorio": "Keski-Pohjanmaan konservatorion kannatusyhdistys ry.",
    "Kuopion konservatorio": "Kuopion konservatorion kannatusyhdistys ry",
    "Kymen Konservatorio": "Kotkan-Haminan seudun koulutuskuntayhtymä",
    "Lahden konservatorio": "Lahden Konservatorio Oy",
    "Oulun konservatorio": "Oulun kaupunki",
    "Palmgren-konservatorio": "Länsirannikon Koulutus Oy WinNova",
    "Pop & Jazz Konservatorio": "Pop & Jazz Konservatorion Säätiö",
    "Pop & Jazz Konservatorio Lappia": "Kemi-Tornionlaakson koulutuskuntayhtymä Lappia",
    "Tampereen konservatorio": "Tampereen Musiikkiopiston Säätiö",
    "Turun konservatorio ja musiikkiopisto": "Turun musiikinopetus Oy",
    "Yrkesakademin i Österbotten, Branschen för musik":
        "Svenska Österbottens förbund för Utbildning och Kultur skn",
}
INTERNAL_CHANNEL_FILES = [p for p in (CONTENT / "channels").glob("*.md")
                          if any(f"Audience: {g}\n" in p.read_text(encoding="utf-8") for g in
                                 ("jasenet", "hallitus", "kollegio", "talouspaallikot",
                                  "opiskelijahallinto"))]


def records(site):
    return json.loads(site.read("directory.json"))["institutions"]


def test_sixteen_institution_pages_with_the_plans_organisers(site):
    data = records(site)
    assert {r["name"]: r["organiser"] for r in data} == PLAN_MEMBERS
    for record in data:
        page = site.html(record["url"][len(SITEURL) + 1:])
        assert page.find("h1").get_text() == record["name"]
        facts = page.find("dl", class_="facts").get_text(" ")
        assert record["organiser"] in facts and record["city"] in facts
        assert page.find("a", href=f"{SITEURL}/jasenet/")


def test_dance_and_swedish_as_the_plan_says(site):
    by_name = {r["name"]: r for r in records(site)}
    dancers = {name for name, r in by_name.items() if "tanssi" in r["offers"]}
    assert dancers == {"Tampereen konservatorio", "Ammattiopisto Live"}
    swedish = {name for name, r in by_name.items() if r["language"] == "ruotsi"}
    assert swedish == {"Yrkesakademin i Österbotten, Branschen för musik"}
    assert all("musiikki" in r["offers"] for r in by_name.values())


def test_map_has_one_focusable_named_link_per_institution(site):
    page = site.html("jasenet/")
    svg = page.find("svg", class_="map")
    assert svg["role"] == "group" and svg["aria-label"]
    links = svg.find_all("a")
    assert len(links) == 16
    names = {a["aria-label"] for a in links}
    assert len(names) == 16
    for a in links:
        assert a["href"].startswith(f"{SITEURL}/jasenet/")
        assert site.exists(a["href"][len(SITEURL) + 1:])
        assert a.find("circle")
    for record in records(site):
        city_level = record["coordinates"]["precision"] == "kaupunki"
        assert f"{record['name']}, {record['city']}" + (" (karttapiste: kunta, ei rakennus)" * city_level) in names
    # A hollow dot is explained once, beside the map (the fixture's Live has only its city's point).
    assert "ontto, katkoviivainen piste on vain sen kunta" in page.find("p", class_="map__legend").get_text()


def test_cards_are_in_finnish_alphabetical_order(site):
    names = [h.get_text() for h in site.html("jasenet/").select(".institution-cards h3")]
    assert len(names) == 16
    assert names[0] == "Ammattiopisto Live" and names[-1] == "Yrkesakademin i Österbotten, Branschen för musik"
    assert names.index("Pop & Jazz Konservatorio") < names.index("Pop & Jazz Konservatorio Lappia")


def test_filters_work_without_javascript(site):
    page = site.html("jasenet/")
    region_links = page.select(".directory-filters a[href*='/jasenet/alue/']")
    assert len(region_links) >= 10
    uusimaa = site.html("jasenet/alue/uusimaa/")
    assert [h.get_text() for h in uusimaa.select(".institution-cards h3")] == [
        "Ammattiopisto Live", "Helsingin Konservatorio", "Pop & Jazz Konservatorio"]
    dance = site.html("jasenet/koulutus/tanssi/")
    assert len(dance.select(".institution-cards li")) == 2
    assert dance.find(attrs={"role": "status"}).get_text() == "2 oppilaitosta"
    form = page.find("form", class_="directory-filter")
    assert form.has_attr("hidden"), "the script reveals the instant filter"
    assert page.find("script", src=re.compile(rf"^{SITEURL}/theme/js/directory-filter\.[0-9a-f]{{10}}\.js$"))


def test_directory_json_agrees_with_the_pages(site):
    data = records(site)
    assert len(data) == 16
    for record in data:
        assert set(record) >= {"name", "slug", "url", "organiser", "city", "region", "offers",
                               "language", "coordinates"}
        card = site.html("jasenet/").select_one(f".institution-cards a[href=\"{record['url']}\"]")
        assert card and card.get_text() == record["name"]


def test_json_ld_lists_sixteen_members(site):
    script = site.html("jasenet/").find("script", type="application/ld+json")
    data = json.loads(script.string)
    assert data["@type"] == "Organization" and data["name"] == "Suomen konservatorioliitto"
    assert len(data["member"]) == 16
    assert {m["@type"] for m in data["member"]} == {"EducationalOrganization"}
    page = site.html("jasenet/kainuun-konservatorio/")
    item = json.loads(page.find("script", type="application/ld+json").string)
    assert item["@type"] == "EducationalOrganization"
    assert item["parentOrganization"]["name"] == "Kajaanin kaupunki"
    assert item["address"]["addressLocality"] == "Kajaani"


def test_institution_page_lists_posts_that_mention_it(site):
    page = site.html("jasenet/lahden-konservatorio/")
    assert page.find("a", string="Toimistopäivät siirtyvät syyskuuhun 2021")
    assert page.find("svg", class_="map")["role"] == "img"


def test_directory_stays_out_of_the_blog(site):
    for path in ("ajankohtaista/", "syotteet/kaikki.atom.xml", "ajankohtaista/aiheet/",
                 "ajankohtaista/arkisto/"):
        assert "Kainuun konservatorio" not in site.read(path)
    assert "Kainuun konservatorio" in site.read("jasenet/")  # where it belongs


def test_internal_channels_never_reach_public_output(site):
    assert len(INTERNAL_CHANNEL_FILES) >= 6
    secrets = []
    for path in INTERNAL_CHANNEL_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith(("Title:", "Link:")):
                secrets.append(line.split(":", 1)[1].strip())
    for file in site.text_files():
        text = file.read_text(encoding="utf-8")
        for secret in secrets:
            assert secret not in text, (file, secret)


def test_public_channels_in_footer_and_on_the_viestinta_page(site):
    footer = site.html("index.html").find("footer")
    assert footer.find("a", href="https://www.linkedin.com/company/suomen-konservatorioliitto",
                       string="LinkedIn")
    page = site.html("liitto/viestinta/")
    channels = page.find("section", class_="channels")
    names = [h.get_text() for h in channels.find_all("h3")]
    assert names[:6] == ["Verkkosivut", "Facebook", "Instagram", "X", "LinkedIn", "Uutiskirje"]
    assert footer.find("a", href="https://x.com/konservatoriot", string="X")
    assert "Konservatoriopalsta" in names
    assert channels.find("a", string="Instagram")["href"] == "https://www.instagram.com/konservatorioliitto"
    assert "jäsentiedote" in page.find("main").get_text()


# --- fixture sites ---------------------------------------------------------

def institution(title="Testikonservatorio", **fields):
    values = {"Title": title, "Organiser": "Testisäätiö", "City": "Helsinki",
              "Region": "Uusimaa", "Offers": "musiikki", "Coordinates": "60.17, 24.94"}
    values.update({k.capitalize(): v for k, v in fields.items()})
    return "\n".join(f"{k}: {v}" for k, v in values.items() if v is not None) + "\n\nKuvaus.\n"


def channel(title="Kanava", **fields):
    values = {"Title": title, "Kind": "facebook", "Link": "https://www.facebook.com/esimerkki",
              "Audience": "julkinen"}
    values.update({k.capitalize(): v for k, v in fields.items()})
    return "\n".join(f"{k}: {v}" for k, v in values.items() if v is not None) + "\n"


BAD_DIRECTORY = {
    "missing-organiser": ("directory/a.md", institution(organiser=None), "Organiser",
                          "pakollinen kenttä Organiser puuttuu"),
    "unknown-region": ("directory/a.md", institution(region="Etelä-Suomi"), "Region",
                       "tuntematon arvo \"Etelä-Suomi\""),
    "unknown-offering": ("directory/a.md", institution(offers="musiikki, teatteri"), "Offers",
                         "tuntematon arvo \"teatteri\""),
    "invalid-url": ("directory/a.md", institution(website="www.esimerkki.fi"), "Website",
                    "ei ole kelvollinen verkko-osoite"),
    "invalid-email": ("directory/a.md", institution(email="toimisto(at)esimerkki.fi"), "Email",
                      "ei ole kelvollinen sähköpostiosoite"),
    "coordinates-outside-finland": ("directory/a.md", institution(coordinates="24.94, 60.17"),
                                    "Coordinates", "eivät ole Suomessa"),
    "unknown-coordinates-precision": ("directory/a.md", institution(**{"coordinates-precision": "kaupunginosa"}),
                                      "Coordinates-Precision", "tuntematon arvo \"kaupunginosa\""),
    "source-without-scheme": ("directory/a.md", institution(sources="https://esimerkki.fi/, esimerkki.fi/historia"),
                              "Sources", "osoitteesta \"esimerkki.fi/historia\" puuttuu alku https://"),
    "unknown-audience": ("channels/a.md", channel(audience="kaikki"), "Audience",
                         "tuntematon arvo \"kaikki\""),
    "unknown-kind": ("channels/a.md", channel(kind="tiktok"), "Kind", "tuntematon arvo \"tiktok\""),
    "channel-invalid-url": ("channels/a.md", channel(link="facebook.com/x"), "Link",
                            "ei ole kelvollinen verkko-osoite"),
}


# Each folder's plugin and what it needs from the site's settings (pelicanconf.py owns them).
PLUGIN_OF_FOLDER = {"directory": "member_directory", "channels": "channels"}
TYPE_SETTINGS = {key: getattr(pelicanconf, key) for key in (
    "DIRECTORY_PATHS", "DIRECTORY_URL", "INSTITUTION_URL", "INSTITUTION_SAVE_AS",
    "DIRECTORY_JSON_SAVE_AS", "CHANNEL_PATHS", "CHANNEL_URL", "CHANNEL_SAVE_AS", "MEMBER_GROUPS")}


def problems_of(tiny_site, files: dict[str, str], *plugins: str):
    """Build ``files`` with ``plugins``: the problems as (file, field, problem); nothing may be written."""
    for path, text in files.items():
        tiny_site.write(path, text)
    result = tiny_site.build(*plugins, **TYPE_SETTINGS)
    assert not tiny_site.output.exists(), "no half-written site"
    assert all(p.fix.strip() and "korjaus:" in p.text() for p in result.problems)
    return [(p.relative_source(str(tiny_site.content)), p.field, p) for p in result.problems]


@pytest.mark.plugin
@pytest.mark.parametrize("case", sorted(BAD_DIRECTORY))
def test_bad_directory_and_channel_content(tiny_site, case):
    path, text, field, message = BAD_DIRECTORY[case]
    folder = path.split("/")[0]
    good = {"directory": institution("Hyvä opisto", slug="hyva"), "channels": channel("Hyvä kanava")}[folder]
    problems = problems_of(tiny_site, {path: text, f"{folder}/hyva.md": good}, PLUGIN_OF_FOLDER[folder])
    assert [(source, name) for source, name, _ in problems] == [(path, field)]
    assert message in problems[0][2].message


@pytest.mark.plugin
def test_unknown_coordinates_precision_names_the_values_to_use(tiny_site):
    problems = problems_of(tiny_site, {"directory/a.md": institution(**{"coordinates-precision": "city"})},
                           "member_directory")
    [(source, name, problem)] = problems
    assert (source, name) == ("directory/a.md", "Coordinates-Precision")
    assert problem.message == "tuntematon arvo \"city\"." and "rakennus, kaupunki" in problem.fix


@pytest.mark.plugin
def test_a_city_level_point_is_drawn_and_named_as_the_city(tiny_site):
    """Without a source for the building, the point is the city's: the map draws it hollow and its
    name, the institution page's map and directory.json say it is the city, not the building."""
    tiny_site.write("directory/kaupunki.md", institution("Kaupungin opisto", slug="kaupungin-opisto",
                                                         **{"coordinates-precision": "kaupunki"}))
    tiny_site.write("directory/talo.md", institution("Talon opisto", slug="talon-opisto",
                                                     coordinates="60.98299, 25.64946", city="Lahti",
                                                     region="Päijät-Häme"))
    theme = tiny_site.theme("institution", institution="{{ institution.map_svg }}",
                            directory='{{ directory.pins | map_svg("Jäsenet kartalla") }}')
    result = tiny_site.build("member_directory", THEME=theme, **TYPE_SETTINGS)
    assert result.ok, result.problems

    links = {a["href"].rstrip("/").rsplit("/", 1)[-1]: a for a in
             BeautifulSoup(tiny_site.read("jasenet/index.html"), "html.parser").find("svg", class_="map")("a")}
    city, building = links["kaupungin-opisto"], links["talon-opisto"]
    assert city["aria-label"] == "Kaupungin opisto, Helsinki (karttapiste: kunta, ei rakennus)"
    assert city.find("title").get_text() == city["aria-label"]
    assert "map__pin--city" in city.find("circle")["class"]
    assert building["aria-label"] == "Talon opisto, Lahti"
    assert "map__pin--city" not in building.find("circle")["class"]

    own = BeautifulSoup(tiny_site.read("jasenet/kaupungin-opisto/index.html"), "html.parser").find("svg")
    assert own["aria-label"].endswith("(karttapiste: kunta, ei rakennus)")
    assert own.find("circle", class_="map__pin--current")["class"] == ["map__pin", "map__pin--current",
                                                                       "map__pin--city"]
    other = BeautifulSoup(tiny_site.read("jasenet/talon-opisto/index.html"), "html.parser").find("svg")
    assert "karttapiste" not in other["aria-label"]
    assert other.find("circle", class_="map__pin--current")["class"] == ["map__pin", "map__pin--current"]

    data = {r["slug"]: r["coordinates"] for r in json.loads(tiny_site.read("directory.json"))["institutions"]}
    assert data == {"kaupungin-opisto": {"lat": 60.17, "lon": 24.94, "precision": "kaupunki"},
                    "talon-opisto": {"lat": 60.98299, "lon": 25.64946, "precision": "rakennus"}}


@pytest.mark.plugin
def test_x_is_a_channel_kind_and_twitter_is_not(tiny_site):
    """The service has been called X since 2023: a file says so, and an old "twitter" is named."""
    problems = problems_of(tiny_site, {"channels/x.md": channel("X", kind="x", link="https://x.com/esimerkki"),
                                       "channels/vanha.md": channel("Twitter", kind="twitter")}, "channels")
    assert [(source, name) for source, name, _ in problems] == [("channels/vanha.md", "Kind")]
    assert "tuntematon arvo \"twitter\"" in problems[0][2].message and ", x," in problems[0][2].fix


@pytest.mark.plugin
def test_duplicate_institution_slug(tiny_site):
    problems = problems_of(tiny_site, {"directory/a.md": institution("Sama opisto", slug="sama"),
                                       "directory/b.md": institution("Toinen opisto", slug="sama")},
                           "member_directory")
    # Whichever file is read second is the one named, with the first one in the message.
    [(source, name, problem)] = problems
    assert source in ("directory/a.md", "directory/b.md") and name == "Slug"
    other = ({"directory/a.md", "directory/b.md"} - {source}).pop()
    assert "osoite \"sama\" on jo tiedostolla" in problem.message and other in problem.message


@pytest.mark.plugin
def test_post_naming_an_unknown_institution(tiny_site):
    problems = problems_of(tiny_site, {"directory/a.md": institution(slug="oikea"),
                                       "posts/a.md": post(institutions="oikea, vaara")},
                           "member_directory")
    assert [(source, name) for source, name, _ in problems] == [("posts/a.md", "Institutions")]
    assert "\"vaara\" ei ole hakemistossa" in problems[0][2].message


@pytest.mark.plugin
def test_finnish_sort_order_in_the_directory(tiny_site):
    for name in ("Östersundin opisto", "Åbo musikinstitut", "Zetorin opisto", "Ähtärin opisto",
                 "Aallon opisto", "Vaasan opisto", "Wasa konservatorium"):
        tiny_site.write(f"directory/{abs(hash(name))}.md", institution(name))
    # The directory page lists the listing it is given in order (the real site's test shows the cards).
    theme = tiny_site.theme("institution", directory="{% for i in listing.institutions %}<h3>{{ i.title }}</h3>"
                                                     "{% endfor %}")
    result = tiny_site.build("member_directory", THEME=theme, **TYPE_SETTINGS)
    assert result.ok, result.problems
    names = [h.get_text() for h in BeautifulSoup(tiny_site.read("jasenet/index.html"), "html.parser")("h3")]
    assert names == ["Aallon opisto", "Vaasan opisto", "Wasa konservatorium", "Zetorin opisto",
                     "Åbo musikinstitut", "Ähtärin opisto", "Östersundin opisto"]
    assert [r["name"] for r in json.loads(tiny_site.read("directory.json"))["institutions"]] == names


def test_internal_channel_markers_do_not_leak(fixture_site):
    marker = "SALAINEN-KANAVA-7f3a"
    fixture_site.write("channels/julkinen.md", channel("Julkinen kanava"))
    fixture_site.write("channels/sisainen.md", channel(
        f"{marker} ryhmä", audience="hallitus", link=f"https://chat.example.org/{marker}",
        summary=f"Kuvaus {marker}"))
    fixture_site.write("pages/viestinta.md", "Title: Viestintä\nSlug: viestinta\nTemplate: viestinta\n"
                       "Summary: Kanavat.\n\nTeksti.\n")
    build = fixture_site.build(NEWSLETTER_SIGNUP_URL="https://example.us1.list-manage.com/subscribe/post?u=1&id=2")
    assert build.returncode == 0, build.stderr
    for file in build.output.rglob("*"):
        assert marker not in file.name
        if file.is_file():
            assert marker.encode() not in file.read_bytes(), file
    page = build.html("viestinta/")
    assert page.find("a", string="Julkinen kanava")
    form = page.find("form", class_="newsletter-form")
    assert form["action"].startswith("https://example.us1.list-manage.com/")
    assert form["method"] == "post"
    email = form.find("input", type="email")
    assert page.find("label", attrs={"for": email["id"]})
    assert email["autocomplete"] == "email" and email["name"] == "EMAIL"
    assert not page.find("script", src=lambda s: s and "mailchimp" in s.lower())

"""The real site, built once with production settings: structure and output."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser

from conftest import CONTENT, ROOT, SITEURL, front_matter

POSTS = sorted((CONTENT / "posts").glob("*.md"))




PUBLISHED = [p for p in POSTS if front_matter(p).get("status", "published") == "published"]


def internal_path(url: str, page: str) -> str | None:
    """Output path a URL on ``page`` refers to; None for other hosts."""
    if url.startswith(SITEURL):
        url = url[len(SITEURL):] or "/"
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        return page
    if path.startswith("/"):
        target = path.lstrip("/")
    else:
        target = str(Path(page).parent / path)
    if path.endswith("/") or target in ("", "."):
        target = f"{target.rstrip('/')}/index.html".lstrip("/")
    return str(Path(target).as_posix())


def test_at_least_six_published_posts_with_required_fields():
    assert len(PUBLISHED) >= 6
    for path in PUBLISHED:
        fields = front_matter(path)
        for key in ("title", "date", "category", "tags", "author", "summary"):
            assert fields.get(key), f"{path.name} lacks {key}"


def test_every_page_is_finnish_and_has_one_h1(site):
    pages = site.pages()
    assert len(pages) > 30
    for page in pages:
        soup = site.parse(page)
        top = page.relative_to(site.output).parts[0]
        assert soup.html.get("lang") == (top if top in ("sv", "en") else "fi"), page
        assert len(soup.find_all("h1")) == 1, page
        assert soup.find("h1").get_text(strip=True), page
        title = soup.find("title").get_text()
        assert not title.startswith(" –") and title.strip(), page
        assert soup.find("meta", attrs={"name": "description"})["content"].strip(), page


def test_headings_do_not_skip_levels(site):
    for page in site.pages():
        soup = site.parse(page)
        levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
        assert levels[0] == 1, page
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{page}: h{before} followed by h{after}"


def test_every_navigation_target_exists_with_one_h1(site):
    home = site.html("index.html")
    nav = home.find("nav", attrs={"aria-label": "Päävalikko"})
    links = [a["href"] for a in nav.find_all("a")]
    assert len(links) >= 5
    footer_links = [a["href"] for a in home.select("footer a")
                    if a["href"].startswith(SITEURL) and a["href"].endswith("/")]
    for url in links + footer_links:
        path = internal_path(url, "index.html")
        assert path and site.exists(path), url
        assert len(site.html(path).find_all("h1")) == 1, url


def test_every_internal_link_and_image_resolves(site):
    checked = 0
    for page in site.pages():
        rel = page.relative_to(site.output).as_posix()
        soup = site.parse(page)
        for tag, attr in (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src")):
            for element in soup.find_all(tag):
                url = element.get(attr)
                if not url or url.startswith(("mailto:", "tel:")):
                    continue
                target = internal_path(url, rel)
                if target is None:
                    continue
                checked += 1
                assert site.exists(target), f"{rel}: {url} -> {target}"
                fragment = urlsplit(url).fragment
                if fragment and target.endswith(".html"):
                    assert site.html(target).find(id=fragment), f"{rel}: {url}"
    assert checked > 500


def test_images_have_alt_text_and_one_post_has_an_image(site):
    images = 0
    for page in site.pages():
        soup = site.parse(page)
        for img in soup.find_all("img"):
            assert img.get("alt"), page
            images += 1
    assert images >= 1


def test_only_our_own_host_is_requested(site):
    for page in site.pages():
        soup = site.parse(page)
        for element in soup.find_all(["img", "script", "link", "iframe", "source"]):
            url = element.get("src") or element.get("href") or ""
            if element.name == "link" and element.get("rel") not in (["stylesheet"], ["icon"], ["preload"]):
                continue
            assert not url.startswith(("http:", "https:", "//")) or url.startswith(SITEURL), (page, url)
        assert "document.cookie" not in page.read_text(encoding="utf-8")


def test_feeds_parse_and_list_every_published_post(site):
    titles = {front_matter(p)["title"] for p in PUBLISHED}
    for name in ("syotteet/kaikki.atom.xml", "syotteet/kaikki.rss.xml"):
        feed = feedparser.parse(site.read(name))
        assert not feed.bozo, (name, feed.bozo_exception)
        assert {e.title for e in feed.entries} == titles
        for entry in feed.entries:
            assert entry.link.startswith(SITEURL + "/ajankohtaista/")
            assert site.exists(internal_path(entry.link, "index.html"))


def test_category_feeds_are_linked_in_head_and_visibly(site):
    home = site.html("index.html")
    alternates = {l["href"] for l in home.find_all("link", rel="alternate")}
    assert f"{SITEURL}/syotteet/kaikki.atom.xml" in alternates
    assert f"{SITEURL}/syotteet/kaikki.rss.xml" in alternates
    assert home.find("a", href=f"{SITEURL}/syotteet/kaikki.atom.xml")
    category = site.html("ajankohtaista/kategoria/hankkeet/")
    href = f"{SITEURL}/syotteet/hankkeet.atom.xml"
    assert category.find("link", rel="alternate", href=href)
    assert category.find("a", href=href)
    feed = feedparser.parse(site.read("syotteet/hankkeet.atom.xml"))
    assert not feed.bozo and feed.entries


def test_post_pages_show_finnish_dates_and_metadata(site):
    for path in PUBLISHED:
        fields = front_matter(path)
        year = fields["date"][:4]
        page = site.html(f"ajankohtaista/{year}/{fields['slug']}/")
        time = page.find("main").find("time")
        y, m, d = (int(x) for x in fields["date"][:10].split("-"))
        months = ["tammikuuta", "helmikuuta", "maaliskuuta", "huhtikuuta", "toukokuuta",
                  "kesäkuuta", "heinäkuuta", "elokuuta", "syyskuuta", "lokakuuta",
                  "marraskuuta", "joulukuuta"]
        assert time.get_text() == f"{d}. {months[m - 1]} {y}"
        assert time["datetime"].startswith(fields["date"][:10])
        assert page.find("meta", attrs={"name": "description"})["content"] == fields["summary"]
        assert page.find("a", string=fields["category"])
        assert page.find("a", string=fields["author"])


def test_blog_listing_taxonomies_and_archive(site):
    listing = site.html("ajankohtaista/")
    assert len(listing.select(".post-card")) == min(10, len(PUBLISHED))
    for name in ("kategoriat", "aiheet", "kirjoittajat", "arkisto"):
        assert site.exists(f"ajankohtaista/{name}/"), name
    tags = site.html("ajankohtaista/aiheet/")
    assert len(tags.select(".term-list li")) >= 5
    assert site.exists("ajankohtaista/kirjoittaja/konservatorioliiton-toimisto/")
    archive = site.html("ajankohtaista/2020/")
    assert archive.find("h2", string="Joulukuu")
    assert site.html("ajankohtaista/2021/").find("h2", string="Tammikuu")


def test_inner_pages_show_where_the_visitor_is(site):
    page = site.html("liitto/hallinto/")
    crumbs = page.find("nav", attrs={"aria-label": "Murupolku"})
    assert [a.get_text() for a in crumbs.find_all("a")] == ["Etusivu", "Liitto"]
    assert crumbs.find(attrs={"aria-current": "page"}).get_text() == "Hallinto"
    current = page.find("nav", attrs={"aria-label": "Päävalikko"}).find(attrs={"aria-current": True})
    assert current.get_text() == "Liitto"
    post = site.html(internal_path(site.html("ajankohtaista/").select_one(".post-card a")["href"], ""))
    crumbs = post.find("nav", attrs={"aria-label": "Murupolku"})
    assert [a.get_text() for a in crumbs.find_all("a")] == ["Etusivu", "Ajankohtaista"]


def test_skip_link_leads_to_main(site):
    for path in ("index.html", "ajankohtaista/", "liitto/"):
        page = site.html(path)
        skip = page.find("a", class_="skip-link")
        assert skip["href"] == "#sisalto"
        assert page.find("main")["id"] == "sisalto"


def test_footer_has_contact_channels_and_legal_pages(site):
    footer = site.html("index.html").find("footer")
    text = footer.get_text(" ")
    assert "Arabiankatu 2" in text and "00560 Helsinki" in text
    hrefs = [a["href"] for a in footer.find_all("a")]
    assert "https://www.facebook.com/konservatorioliitto" in hrefs
    assert f"{SITEURL}/saavutettavuusseloste/" in hrefs
    assert f"{SITEURL}/tietosuojaseloste/" in hrefs


def test_no_placeholder_text_reaches_the_output(site):
    checked = 0
    for file in site.text_files():
        if file.name in ("sisalto.json", "hakemisto.json", "avaimet.json"):
            continue  # the members' ciphertext: random base64 can spell anything
        checked += 1
        text = file.read_text(encoding="utf-8").lower()
        for word in ("lorem ipsum", "todo", "fixme", "kirjoita tähän"):
            assert word not in text, (file, word)
    assert checked > 100


def test_untranslated_english_ui_strings_do_not_leak(site):
    for path in ("index.html", "ajankohtaista/", "ajankohtaista/aiheet/", "liitto/"):
        text = site.html(path).get_text(" ")
        for english in ("Skip to content", "Categories", "Latest news", "Home", "Page "):
            assert english not in text, (path, english)
        assert "Siirry sisältöön" in text, path  # the catalog's Finnish in its place


# --- the front page: what is new first, then the ways in --------------------------------

def headings(body):
    return [h.get_text() for h in body.find("main").find_all("h2")]


def test_front_page_opens_with_the_news_not_an_empty_box(site):
    """Built after the fixture's 2021 events: nothing is ahead, so no events box; the
    news come first, with the statements and the calendar's subscribe link."""
    home = site.html("index.html")
    assert headings(home) == ["Uusimmat uutiset", "Tutustu"]
    assert home.select_one("[data-event-lists]") is None
    assert "Tulevia tapahtumia ei ole" not in home.get_text()
    news = home.find("section", class_="front-news")
    assert len(news.select(".post-card")) == 5
    links = {a.get_text(): a["href"] for a in news.select(".more-links a")}
    assert links == {"Kaikki uutiset": f"{SITEURL}/ajankohtaista/",
                     "Lausunnot ja kannanotot": f"{SITEURL}/ajankohtaista/kategoria/lausunnot-ja-kannanotot/",
                     "Kaikki tapahtumat": f"{SITEURL}/tapahtumat/",
                     "Tilaa kalenteri": f"{SITEURL}/tapahtumat/tilaa/"}
    for lang, latest in (("sv", "Senaste nytt"), ("en", "Latest news")):
        front = site.html(f"{lang}/")
        assert headings(front)[0] == latest, lang
        # The news are in Finnish until the language has its own: listed, marked Finnish.
        cards = front.select(".front-news .post-card")
        assert len(cards) == 5, lang
        for card in cards:
            assert card.h3["lang"] == card.select_one(".post-card__summary")["lang"] == "fi", lang
            assert card.h3.a["hreflang"] == "fi" and "lang" not in card.time.attrs, lang


def test_header_wordmark_and_icons_carry_the_name(site):
    from PIL import Image

    mark = site.html("index.html").select_one("header a.site-name")
    assert [span.get_text() for span in mark("span")] == ["Suomen", "konservatorioliitto"]
    assert mark.get_text() == "Suomen konservatorioliitto"
    svg = site.read("icon.svg")
    assert ">K</text>" in svg and "#3f0f4d" in svg and "#e2b6f0" in svg
    # The PNG icons are the SVG drawn: the light bar at the left edge, the name's initial.
    for name in ("icon-512.png", "apple-touch-icon.png"):
        with Image.open(site.output / name) as icon:
            icon = icon.convert("RGB")
            width, height = icon.size
            assert icon.getpixel((width // 50, height // 2)) == (0xe2, 0xb6, 0xf0), name
            assert icon.getpixel((width // 5, height // 2)) == (0x3f, 0x0f, 0x4d), name


# --- dates and Finnish UI text ----------------------------------------------------------

def test_listings_show_the_day_a_post_gives_and_no_invented_time(site):
    """A post's Date is its publication day: listings show it, machine-readably without
    a midnight the file never gave."""
    listing = site.html("ajankohtaista/")
    for card in listing.select(".post-card"):
        path = next(p for p in PUBLISHED if front_matter(p)["title"] == card.h3.get_text())
        date = front_matter(path)["date"]
        assert card.find("time")["datetime"] == date, path.name
    assert site.html("index.html").select_one(".front-news time")["datetime"] == "2021-01-29"


def test_a_post_dated_with_a_time_keeps_it(fixture_site):
    from conftest import post

    fixture_site.write("posts/a.md", post("Iltapäivällä", date="2021-03-29 13:00"))
    build = fixture_site.build()
    assert build.returncode == 0, build.stderr
    assert build.html("ajankohtaista/").find("time")["datetime"] == "2021-03-29T13:00+03:00"


OLD_PHRASES = ("Kaikki ajankohtaiset", "Uusimmat ajankohtaiset", "ajankohtaiset vuosittain",
               "ajankohtaiset vuonna", "Selaa ajankohtaisia", "sivut, ajankohtaiset", "Tapahtumat täällä",
               "lajeittain", "aineisto liiton toimistosta", "jäsenaluetta tässä", "Avoinna olevat ryhmät",
               "konservatorioliitto jäsen")


def test_finnish_ui_text_reads_as_finnish(site):
    for file in site.text_files():
        if file.relative_to(site.output).parts[0] in ("sv", "en"):
            continue
        text = file.read_text(encoding="utf-8")
        assert not [p for p in OLD_PHRASES if p in text], file
    institution = site.html("jasenet/helsingin-konservatorio/")
    assert institution.find("meta", attrs={"name": "description"})["content"] == (
        "Helsingin Konservatorio (Helsinki) on Suomen konservatorioliiton jäsen. "
        "Koulutuksen järjestäjä: Helsingin Konservatorion Säätiö sr.")
    assert site.html("sv/medlemmar/helsingin-konservatorio/").find("meta", attrs={"name": "description"})[
        "content"].startswith("Helsingin Konservatorio, Helsinki: medlem i Finlands konservatorieförbund.")
    # One event's type is named in the singular; the kind's page in the plural.
    event = site.html("tapahtumat/2021/vuosikokous/").find("dl", class_="facts")
    kind = next(dt for dt in event("dt") if dt.get_text(strip=True) == "Tapahtumatyyppi:").find_next_sibling("dd")
    assert kind.get_text(strip=True) == "Kokous"
    assert site.html("tapahtumat/kokoukset/").find("h1").get_text() == "Kokoukset"
    members = site.html("jasenalue/").find("main").get_text(" ")
    assert "Avaamasi ryhmät:" in members and "pyydä tarvitsemasi aineistot liiton toimistolta" in members

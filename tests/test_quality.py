"""Search engines, sharing, assets and serving: the production build's files."""

from __future__ import annotations

import brotli
import gzip
import json
import re
import xml.etree.ElementTree as ET

from PIL import Image

from conftest import ROOT, SITEURL, post

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def public_pages(site):
    for path in site.pages():
        relative = path.relative_to(site.output).as_posix()
        if not relative.startswith(("jasenalue/",)):
            yield relative, site.parse(path)


def test_sitemap_lists_public_pages_only(site):
    tree = ET.fromstring(site.read("sitemap.xml"))
    urls = [loc.text for loc in tree.findall("s:url/s:loc", NS)]
    assert len(urls) > 60 and len(set(urls)) == len(urls)
    for url in urls:
        assert url.startswith(SITEURL + "/")
        assert site.exists(url[len(SITEURL) + 1:]), url
        assert "/jasenalue/" not in url and "/haku/" not in url and not url.endswith("404.html")
    for needed in ("/", "/liitto/hallinto/", "/jasenet/kainuun-konservatorio/",
                   "/tapahtumat/2021/valtakunnalliset-musiikkikasvatuspaivat/",
                   "/ajankohtaista/2020/uusi-ilme-ja-verkkosivut/"):
        assert SITEURL + needed in urls, needed
    dated = {u.find("s:loc", NS).text: u.find("s:lastmod", NS) for u in tree.findall("s:url", NS)}
    assert dated[SITEURL + "/ajankohtaista/2020/uusi-ilme-ja-verkkosivut/"].text == "2020-12-08"


def test_robots_txt_points_to_the_sitemap(site):
    robots = site.read("robots.txt")
    assert f"Sitemap: {SITEURL}/sitemap.xml" in robots
    assert "Disallow: /\n" not in robots


def test_every_page_has_canonical_and_sharing_tags_with_an_image(site):
    cards = set()
    for relative, page in public_pages(site):
        canonical = page.find("link", rel="canonical")["href"]
        assert canonical.startswith(SITEURL + "/"), relative
        if relative != "404.html":
            assert canonical == SITEURL + "/" + relative.removesuffix("index.html"), relative
        for prop in ("og:title", "og:description", "og:url", "og:image", "og:type", "og:site_name"):
            assert page.find("meta", property=prop)["content"], (relative, prop)
        assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
        image = page.find("meta", property="og:image")["content"]
        assert image.startswith(SITEURL + "/kortit/")
        cards.add(image[len(SITEURL) + 1:])
    for card in cards:
        with Image.open(site.output / card) as img:
            assert img.size == (1200, 630) and img.format == "JPEG"
    assert len(cards) > 40


def test_structured_data_for_the_association_and_posts(site):
    front = site.html("index.html")
    data = json.loads(front.find("script", type="application/ld+json").string)
    assert data["@type"] == "Organization" and data["foundingDate"] == "1986"
    assert "https://www.facebook.com/konservatorioliitto" in data["sameAs"]
    assert data["address"]["streetAddress"] == "Arabiankatu 2"
    post = site.html("ajankohtaista/2020/uusi-ilme-ja-verkkosivut/")
    article = json.loads(post.find("script", type="application/ld+json").string)
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == "Uusi ilme ja verkkosivut tukevat liiton viestintää"
    assert article["datePublished"].startswith("2020-12-08")
    assert article["publisher"]["name"] == "Suomen konservatorioliitto"
    assert site.exists(article["image"][0][len(SITEURL) + 1:])


def test_helpful_404(site):
    page = site.html("404.html")
    assert page.find("h1").get_text() == "Sivua ei löytynyt"
    form = page.find("main").find("form", role="search")
    assert form["action"] == f"{SITEURL}/haku/"
    assert page.find("label", attrs={"for": form.find("input")["id"]})
    links = {a["href"] for a in page.find("main").find_all("a")}
    assert {f"{SITEURL}/liitto/", f"{SITEURL}/jasenet/", f"{SITEURL}/tapahtumat/"} <= links
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_icons_and_manifest(site):
    head = site.html("index.html").find("head")
    for rel in ("icon", "apple-touch-icon", "manifest"):
        for link in head.find_all("link", rel=rel):
            assert site.exists(link["href"][len(SITEURL) + 1:]), link
    with Image.open(site.output / "apple-touch-icon.png") as icon:
        assert icon.size == (180, 180)
    with Image.open(site.output / "favicon.ico") as icon:
        assert (32, 32) in icon.info["sizes"]
    manifest = json.loads(site.read("site.webmanifest"))
    assert manifest["lang"] == "fi"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert site.exists(icon["src"].lstrip("/"))


def test_assets_are_minified_and_fingerprinted(site):
    head = site.html("index.html").find("head")
    css = head.find("link", rel="stylesheet")["href"]
    assert re.fullmatch(rf"{SITEURL}/theme/css/site\.[0-9a-f]{{10}}\.css", css)
    text = site.read(css[len(SITEURL) + 1:])
    assert "/*" not in text and "\n  " not in text
    source = (ROOT / "theme" / "static" / "css" / "site.css").read_text(encoding="utf-8")
    assert len(text) < 0.85 * len(source)
    assert not (site.output / "theme" / "css" / "site.css").exists()
    assert not (site.output / "theme" / "js" / "members.js").exists()
    scripts = list((site.output / "theme" / "js").glob("*.js"))
    assert {re.sub(r"\.[0-9a-f]{10}\.js$", "", p.name) for p in scripts} == {
        "directory-filter", "event-lists", "members", "search"}


def test_production_build_has_gzip_and_brotli_copies(site):
    checked = 0
    for path in ("index.html", "sitemap.xml", "tapahtumat/kalenteri.ics", "directory.json"):
        original = (site.output / path).read_bytes()
        assert gzip.decompress((site.output / f"{path}.gz").read_bytes()) == original
        assert brotli.decompress((site.output / f"{path}.br").read_bytes()) == original
        checked += 1
    css = next((site.output / "theme" / "css").glob("site.*.css"))
    assert brotli.decompress(css.with_name(css.name + ".br").read_bytes()) == css.read_bytes()
    assert not list(site.output.rglob("*.png.gz")), "images are not compressed again"


def test_development_build_has_no_compressed_copies_and_names_the_real_site_in_data(fixture_site):
    fixture_site.write("pages/a.md", "Title: A\nSlug: a\nSummary: Sivu.\n\nTeksti.\n")
    fixture_site.write("directory/testi.md", "Title: Testikonservatorio\nOrganiser: Testisäätiö\n"
                       "City: Helsinki\nRegion: Uusimaa\nOffers: musiikki\nCoordinates: 60.17, 24.94\n\nKuvaus.\n")
    build = fixture_site.build("pelicanconf.py", CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False,
                               SEARCH_INDEX=False)
    assert build.returncode == 0, build.stderr
    assert not list(build.output.rglob("*.gz"))
    assert build.read("a/").count('href="/') > 0, "pages link relative to the preview (SITEURL = \"\")"
    # Structured data and the directory's JSON name the public site even here.
    record, = json.loads(build.read("directory.json"))["institutions"]
    assert record["url"] == f"{SITEURL}/jasenet/testikonservatorio/"
    page = build.html("jasenet/testikonservatorio/")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["url"] == f"{SITEURL}/jasenet/testikonservatorio/"


def test_header_files_for_common_hosts(site):
    from editor import admin_headers, default_settings
    from site_meta import header_sections
    from site_meta.headers import nginx_snippet, security_headers

    for name in ("_headers", ".htaccess"):
        text = site.read(name)
        public = text.split("\n/admin/*\n")[0]  # the editor's own rules come last (test_editor.py)
        assert "Strict-Transport-Security" in text and "max-age=63072000" in text
        assert "nosniff" in text and "Referrer-Policy" in text
        assert "default-src 'none'" in text and "script-src 'self' 'wasm-unsafe-eval'" in text
        assert "unsafe-inline" not in public
    docs = (ROOT / "docs" / "hosting.md").read_text(encoding="utf-8")
    sections = header_sections({"MEMBERS_URL": "jasenalue/"},
                               {"/admin/": admin_headers(default_settings({}))})
    assert nginx_snippet(security_headers(None), sections) in docs, "docs/hosting.md: regenerate the nginx snippet"


def test_search_index_covers_public_pages_only(site):
    entry = json.loads(site.read("pagefind/pagefind-entry.json"))
    assert "fi" in entry["languages"]
    fragments = list((site.output / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert len(fragments) > 40
    urls = []
    for fragment in fragments:
        data = gzip.decompress(fragment.read_bytes())
        data = data[data.index(b"{"):]
        urls.append(json.loads(data)["url"])
    assert not [u for u in urls if "/jasenalue/" in u or "/haku/" in u or "404" in u]
    assert "/jasenet/kainuun-konservatorio/" in urls
    assert "/ajankohtaista/2020/uusi-ilme-ja-verkkosivut/" in urls
    search = site.html("haku/")
    assert search.find("form", role="search") and search.find(attrs={"aria-live": "polite"})
    header_form = site.html("index.html").find("header").find("form", role="search")
    assert header_form["action"] == f"{SITEURL}/haku/"


def test_the_further_pages_of_the_news_share_the_sites_card(fixture_site):
    """A listing's page 2, 3, … is not a document of its own to share: no card per page number."""
    for number in range(3):
        fixture_site.write(f"posts/p{number}.md", post(f"Kirjoitus {number}", date=f"2021-01-0{number + 1}"))
    build = fixture_site.build(DEFAULT_PAGINATION=1)
    assert build.returncode == 0, build.stderr

    def card(path):
        return build.html(path).find("meta", property="og:image")["content"]

    assert card("ajankohtaista/sivu/2/") == card("ajankohtaista/sivu/3/") == card("index.html")
    assert card("ajankohtaista/") != card("ajankohtaista/sivu/2/")

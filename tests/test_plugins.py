"""Each plugin alone: a tiny site built in this process with the core and one plugin."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest

pytestmark = pytest.mark.plugin

POST = """
Title: Ensimmäinen kirjoitus
Date: 2021-03-29
Modified: 2021-04-02
Category: Hankkeet

Teksti, joka on tarpeeksi pitkä pakattavaksi. {filler}
"""


def write_small_site(site):
    site.write("posts/a.md", POST.format(filler="Sanoja " * 80))
    site.write("pages/tietoa.md", "Title: Tietoa\nDate: 2021-01-05\n\nSivun teksti.\n")


def test_core_alone_builds_strictly_and_reports_bad_content(tiny_site):
    write_small_site(tiny_site)
    result = tiny_site.build()
    assert result.ok, result.problems
    assert "Ensimmäinen kirjoitus" in tiny_site.read("ensimmainen-kirjoitus.html")
    tiny_site.write("posts/b.md", "Date: 2021-03-30\n\nEi otsikkoa.\n")
    result = tiny_site.build()
    assert [(p.field, p.source.endswith("b.md")) for p in result.problems] == [("Title", True)]
    assert (tiny_site.output / "ensimmainen-kirjoitus.html").is_file()  # the last good build stays


def test_site_meta_alone_writes_sitemap_robots_and_headers(tiny_site):
    write_small_site(tiny_site)
    tiny_site.write("pages/jasen.md", "Title: Jäsenille\nSlug: jasenalue\nUrl: jasenalue/\nSave_as: jasenalue/index.html\n\nx\n")
    result = tiny_site.build("site_meta", PUBLIC_SITEURL="https://esimerkki.fi",
                             MEMBERS_URL="jasenalue/")
    assert result.ok, result.problems
    sitemap = tiny_site.read("sitemap.xml")
    # Written pages with their dates (Modified wins over Date); the members' section never.
    assert ("<loc>https://esimerkki.fi/ensimmainen-kirjoitus.html</loc><lastmod>2021-04-02</lastmod>"
            in sitemap)
    assert "<loc>https://esimerkki.fi/pages/tietoa.html</loc><lastmod>2021-01-05</lastmod>" in sitemap
    assert (tiny_site.output / "jasenalue" / "index.html").is_file() and "jasenalue" not in sitemap
    assert tiny_site.read("robots.txt").endswith("Sitemap: https://esimerkki.fi/sitemap.xml\n")
    headers = tiny_site.read("_headers")
    assert "/jasenalue/*" in headers and "noindex" in headers
    assert "Content-Security-Policy" in tiny_site.read(".htaccess")


def test_precompress_alone_compresses_text_files(tiny_site):
    write_small_site(tiny_site)
    result = tiny_site.build("precompress", PRECOMPRESS=True)
    assert result.ok, result.problems
    page = tiny_site.output / "ensimmainen-kirjoitus.html"
    data = page.read_bytes()
    assert gzip.decompress((tiny_site.output / (page.name + ".gz")).read_bytes()) == data
    assert brotli.decompress((tiny_site.output / (page.name + ".br")).read_bytes()) == data
    small = [p for p in tiny_site.output.rglob("*.html") if p.stat().st_size < 256]
    assert all(not p.with_name(p.name + ".gz").exists() for p in small)


def test_assets_alone_fingerprints_and_minifies(tiny_site, tmp_path):
    import shutil

    from pelican.themes import __path__ as themes  # noqa: F401 - only to find "simple"

    theme = tmp_path / "teema"
    shutil.copytree(f"{themes[0]}/simple", theme)
    (theme / "static" / "css").mkdir(parents=True)
    (theme / "static" / "css" / "site.css").write_text("body {\n  color: black;\n}\n", encoding="utf-8")
    base = (theme / "templates" / "base.html").read_text(encoding="utf-8")
    (theme / "templates" / "base.html").write_text(
        base.replace("</head>", '<link rel="stylesheet" href="{{ asset("css/site.css") }}">\n</head>'),
        encoding="utf-8")
    write_small_site(tiny_site)
    result = tiny_site.build("assets", THEME=str(theme))
    assert result.ok, result.problems
    link = re.search(r'href="(/theme/css/site\.[0-9a-f]{10}\.css)"', tiny_site.read("index.html"))
    assert link is not None
    assert tiny_site.read(link.group(1).lstrip("/")) == "body{color:black}"
    assert not (tiny_site.output / "theme" / "css" / "site.css").exists()  # the readable source is not published


def test_a_wrong_setting_stops_the_build_naming_it(tiny_site):
    write_small_site(tiny_site)
    result = tiny_site.build("precompress", PRECOMPRESS="kyllä")
    assert [(p.field, p.message) for p in result.problems] == [
        ("PRECOMPRESS", "asetuksen PRECOMPRESS arvo 'kyllä' ei kelpaa.")]
    assert not tiny_site.output.exists()
    assert tiny_site.build("precompress", PRECOMPRESS=True).ok  # the same site with a bool builds

"""Drafts, future posts and pagination in fixture sites."""

from __future__ import annotations

import datetime as dt

import feedparser

from conftest import SITEURL, post

FUTURE = (dt.date.today() + dt.timedelta(days=30)).isoformat()


def write_posts(site):
    site.write("posts/julkaistu.md", post(title="Julkaistu kirjoitus", tags="yhteinen"))
    site.write("posts/luonnos.md", post(title="Salainen luonnos", status="draft",
                                        tags="luonnosaihe", category="Edunvalvonta"))
    site.write("posts/tuleva.md", post(title="Tuleva kirjoitus", date=FUTURE,
                                       tags="tulevaisuus", category="Tutkimukset"))


def test_drafts_and_future_posts_are_not_published(fixture_site):
    write_posts(fixture_site)
    build = fixture_site.build()
    assert build.returncode == 0, build.stderr
    for file in build.text_files():
        text = file.read_text(encoding="utf-8")
        for secret in ("Salainen luonnos", "Tuleva kirjoitus", "luonnosaihe", "tulevaisuus"):
            assert secret not in text, (file, secret)
    assert not (build.output / "luonnokset").exists()
    assert not build.exists("ajankohtaista/kategoria/edunvalvonta/")
    feed = feedparser.parse(build.read("syotteet/kaikki.atom.xml"))
    assert [e.title for e in feed.entries] == ["Julkaistu kirjoitus"]


def test_development_build_previews_drafts(fixture_site):
    write_posts(fixture_site)
    build = fixture_site.build("pelicanconf.py", CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False)
    assert build.returncode == 0, build.stderr
    assert build.exists("luonnokset/salainen-luonnos/")
    assert build.exists("luonnokset/tuleva-kirjoitus/")
    assert "Salainen luonnos" not in build.read("ajankohtaista/")


def test_pagination_uses_finnish_folders_without_collisions(fixture_site):
    # Page 2 of tag "x" must not collide with a tag called "x2" (Pelican #2754).
    for number in range(72):
        fixture_site.write(f"posts/k{number:02}.md", post(
            title=f"Kirjoitus {number:02}", date=(dt.date(2021, 1, 1) + dt.timedelta(days=number)).isoformat(),
            tags="x"))
    fixture_site.write("posts/x2.md", post(title="Toinen aihe", date="2021-02-01", tags="x2"))
    build = fixture_site.build()
    assert build.returncode == 0, build.stderr
    assert build.exists("ajankohtaista/sivu/8/") and not build.exists("ajankohtaista/sivu/9/")
    assert build.exists("ajankohtaista/aihe/x/sivu/2/")
    assert build.exists("ajankohtaista/aihe/x2/")
    last = build.html("ajankohtaista/sivu/8/")
    assert len(last.select(".post-card")) == 3
    second = build.html("ajankohtaista/sivu/2/")
    nav = second.find("nav", attrs={"aria-label": "Sivut"})
    assert nav.find("a", rel="prev")["href"] == f"{SITEURL}/ajankohtaista/"
    assert nav.find(attrs={"aria-current": "page"}).get_text() == "Sivu 2"
    # Eight pages: the first, the last and two on each side of this one, the rest left out.
    items = [li.get_text(strip=True) for li in nav.select("li")]
    assert items == ["Uudemmat kirjoitukset", "Sivu 1", "Sivu 2", "Sivu 3", "Sivu 4", "…", "Sivu 8",
                     "Vanhemmat kirjoitukset"], items
    assert nav.find("a", string="Sivu 8")["href"] == f"{SITEURL}/ajankohtaista/sivu/8/"
    assert nav.find(string="…").parent.parent["aria-hidden"] == "true"
    assert build.html("ajankohtaista/aihe/x2/").find("a", string="Toinen aihe")
    assert build.html("ajankohtaista/").find("title").get_text().startswith("Ajankohtaista")


def test_pagination_names_the_first_and_last_page_and_those_around_this_one():
    from site_nav import page_numbers

    assert page_numbers(1, 1) == [1]
    assert page_numbers(1, 5) == [1, 2, 3, 4, 5]
    assert page_numbers(50, 100) == [1, None, 48, 49, 50, 51, 52, None, 100]
    assert page_numbers(1, 100) == [1, 2, 3, None, 100]
    assert page_numbers(5, 100) == [1, 2, 3, 4, 5, 6, 7, None, 100], "a gap of one shows the number"
    assert page_numbers(100, 100) == [1, None, 98, 99, 100]
    assert all(len(page_numbers(n, 1000)) <= 9 for n in range(1, 1001))

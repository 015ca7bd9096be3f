"""Bad content stops the build with a message naming file, field and fix."""

from __future__ import annotations

import pytest

from conftest import post

CASES = {
    "missing-title": (post(title=None), "Title", "pakollinen kenttä Title puuttuu"),
    "missing-date": (post(date=None), "Date", "pakollinen kenttä Date puuttuu"),
    "finnish-date": (post(date="1.3.2021"), "Date", "päivämäärää \"1.3.2021\" ei voi lukea"),
    "month-only-date": (post(date="2021-03"), "Date", "päivämäärää \"2021-03\" ei voi lukea"),
    "impossible-date": (post(date="2021-02-31"), "Date", "ei ole kalenterissa"),
    "unknown-category": (post(category="Uutiset"), "Category", "tuntematon kategoria \"Uutiset\""),
    "missing-category": (post(category=None), "Category", "kategoria puuttuu"),
    "missing-author": (post(author=None), "Author", "pakollinen kenttä Author puuttuu"),
    "missing-summary": (post(summary=None), "Summary", "pakollinen kenttä Summary puuttuu"),
    "unknown-status": (post(status="valmis"), "Status", "tuntematon tila \"valmis\""),
    "missing-link-target": (
        post(body="Katso [hallinto]({filename}/pages/olematon.md)."),
        "linkki", "{filename}/pages/olematon.md ei löydy",
    ),
    "missing-image": (
        post(body="![Kuva konsertista]({static}/images/puuttuu.jpg)"),
        "kuva", "kuvaa {static}/images/puuttuu.jpg ei löydy",
    ),
    "image-without-alt": (
        post(body="![]({static}/images/kuva.png)"), "kuva", "puuttuu vaihtoehtoinen teksti",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_post_fails_with_file_field_and_fix(fixture_site, case):
    text, field, message = CASES[case]
    fixture_site.write("images/kuva.png", "")
    fixture_site.write("posts/hyva.md", post(title="Hyvä kirjoitus"))
    fixture_site.write("posts/2021-01-05-huono.md", text)
    build = fixture_site.build()
    assert build.returncode == 1
    assert "content/posts/2021-01-05-huono.md" in build.stderr.replace(str(fixture_site.root) + "/", "")
    assert f"kenttä:   {field}" in build.stderr
    assert message in build.stderr
    assert "korjaus:" in build.stderr
    assert "Traceback" not in build.stderr
    assert "hyva" not in build.stderr
    assert not fixture_site.output.exists(), "no half-written site"


def test_failed_build_keeps_the_last_good_output(fixture_site):
    fixture_site.write("posts/hyva.md", post(title="Ensimmäinen"))
    assert fixture_site.build().returncode == 0
    first = (fixture_site.output / "index.html").read_text(encoding="utf-8")
    assert "Ensimmäinen" in first
    fixture_site.write("posts/toinen.md", post(title="Toinen", date="huomenna"))
    build = fixture_site.build()
    assert build.returncode == 1
    assert (fixture_site.output / "index.html").read_text(encoding="utf-8") == first
    assert not (fixture_site.root / ".output.building").exists(), "staging folder left behind"


def test_all_problems_are_reported_at_once(fixture_site):
    fixture_site.write("posts/a.md", post(title="A", category="Tuntematon"))
    fixture_site.write("posts/b.md", post(title="B", date="31.12.2021"))
    build = fixture_site.build()
    assert build.returncode == 1
    assert "posts/a.md" in build.stderr and "posts/b.md" in build.stderr
    assert "2 virhettä" in build.stderr


def test_page_with_unknown_parent_section(fixture_site):
    fixture_site.write("pages/orpo.md", "Title: Orpo\nSlug: olematon/orpo\nSummary: x\n\nTeksti.\n")
    build = fixture_site.build()
    assert build.returncode == 1
    assert "pages/orpo.md" in build.stderr
    assert "yläsivua \"olematon\" ei ole" in build.stderr


def test_page_with_non_numeric_nav(fixture_site):
    fixture_site.write("pages/a.md", "Title: A\nSlug: a\nNav: ensimmäinen\nSummary: x\n\nTeksti.\n")
    build = fixture_site.build()
    assert build.returncode == 1
    assert "kenttä:   Nav" in build.stderr


def test_two_pages_with_one_address(fixture_site):
    fixture_site.write("pages/a.md", "Title: A\nSlug: sama\nSummary: x\n\nTeksti.\n")
    fixture_site.write("pages/b.md", "Title: B\nSlug: sama\nSummary: x\n\nTeksti.\n")
    build = fixture_site.build()
    assert build.returncode == 1
    assert "osoite \"sama\" on jo sivulla" in build.stderr


def test_plain_link_to_a_missing_page_names_the_source(fixture_site):
    fixture_site.write("posts/a.md", post(title="A", body="Lue [lisää](/ei-ole/)."))
    build = fixture_site.build()
    assert build.returncode == 1
    assert "posts/a.md" in build.stderr
    assert "linkin /ei-ole/ kohdetta ei ole sivustolla" in build.stderr

"""Bad content stops the build with a message naming file, field and fix."""

from __future__ import annotations

import os

import pytest

import pelicanconf
from conftest import ROOT, post

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
    "members-audience": (
        post(audience="hallitus"), "Audience", "kirjoitusta tai sivua ei voi rajata ryhmälle \"hallitus\"",
    ),
}


# What the content rules need from the site's settings (pelicanconf.py owns them).
POST_SETTINGS = {
    "ALLOWED_CATEGORIES": pelicanconf.ALLOWED_CATEGORIES,
    "DEFAULT_CATEGORY": pelicanconf.DEFAULT_CATEGORY,
    "USE_FOLDER_AS_CATEGORY": pelicanconf.USE_FOLDER_AS_CATEGORY,
    "FILENAME_METADATA": pelicanconf.FILENAME_METADATA,
    "MEMBER_GROUPS": pelicanconf.MEMBER_GROUPS,
}


def assert_only_problem(result, tiny_site, path, field, message):
    """The build failed on exactly one problem: in ``path``, ``field``, with a fix; nothing written."""
    assert not result.ok
    assert [(p.relative_source(str(tiny_site.content)), p.field) for p in result.problems] == [
        (path, field)], result.problems
    problem = result.problems[0]
    assert message in problem.message
    assert problem.fix.strip()
    assert "Traceback" not in problem.message + problem.fix
    assert "korjaus:" in problem.text() and f"kenttä:   {field}" in problem.text()
    assert not tiny_site.output.exists(), "no half-written site"


@pytest.mark.plugin
@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_post_fails_with_file_field_and_fix(tiny_site, case):
    text, field, message = CASES[case]
    tiny_site.write("images/kuva.png", "")
    tiny_site.write("posts/hyva.md", post(title="Hyvä kirjoitus"))
    tiny_site.write("posts/2021-01-05-huono.md", text)
    result = tiny_site.build("content_rules", **POST_SETTINGS)
    assert_only_problem(result, tiny_site, "posts/2021-01-05-huono.md", field, message)


@pytest.mark.plugin
def test_the_good_post_alone_builds(tiny_site):
    """The cases above fail because of the bad post, not the setup around it."""
    tiny_site.write("images/kuva.png", "")
    tiny_site.write("posts/hyva.md", post(title="Hyvä kirjoitus", body="![Kuva]({static}/images/kuva.png)"))
    result = tiny_site.build("content_rules", **POST_SETTINGS)
    assert result.ok, result.problems
    assert "Hyvä kirjoitus" in tiny_site.read("hyva-kirjoitus.html")


def test_the_build_command_fails_in_finnish_and_keeps_the_last_good_output(fixture_site):
    """The whole path staff meet: `python -m strict_build` with the real settings and
    plugins exits 1, prints every problem in Finnish with file, field and fix, and
    leaves the last good site in place (the cases are in the tests above)."""
    fixture_site.write("posts/hyva.md", post(title="Ensimmäinen"))
    assert fixture_site.build().returncode == 0
    first = (fixture_site.output / "index.html").read_text(encoding="utf-8")
    assert "Ensimmäinen" in first
    fixture_site.write("posts/a.md", post(title="A", category="Tuntematon"))
    fixture_site.write("posts/b.md", post(title="B", date="31.12.2021"))
    build = fixture_site.build()
    assert build.returncode == 1
    stderr = build.stderr

    def shown(path):  # as the command names files: relative to where it runs
        return os.path.relpath(fixture_site.content / path, ROOT)

    assert f"VIRHE: {shown('posts/a.md')}\n  kenttä:   Category\n  ongelma:  tuntematon kategoria \"Tuntematon\"" in stderr
    assert f"VIRHE: {shown('posts/b.md')}\n  kenttä:   Date\n  ongelma:  päivämäärää \"31.12.2021\" ei voi lukea" in stderr
    assert stderr.count("  korjaus:  ") == 2
    assert "Rakentaminen epäonnistui: 2 virhettä." in stderr and "edellinen toimiva versio" in stderr
    assert "Traceback" not in stderr and "hyva.md" not in stderr
    assert (fixture_site.output / "index.html").read_text(encoding="utf-8") == first
    assert not (fixture_site.root / ".output.building").exists(), "staging folder left behind"


@pytest.mark.plugin
def test_a_page_for_one_group_stops_the_build_and_a_public_audience_does_not(tiny_site):
    """Pelican publishes every page: members-only text belongs in the encrypted section."""
    tiny_site.write("pages/hallitukselle.md", "Title: Hallitukselle\nAudience: hallitus\n\nSalaista.\n")
    tiny_site.write("posts/julkinen.md", post(title="Julkinen", audience="julkinen"))
    result = tiny_site.build("content_rules", **POST_SETTINGS)
    assert_only_problem(result, tiny_site, "pages/hallitukselle.md", "Audience",
                        "kirjoitusta tai sivua ei voi rajata ryhmälle \"hallitus\"")
    assert "content/members/" in result.problems[0].fix


@pytest.mark.plugin
def test_all_problems_are_reported_at_once(tiny_site):
    tiny_site.write("posts/a.md", post(title="A", category="Tuntematon"))
    tiny_site.write("posts/b.md", post(title="B", date="31.12.2021"))
    result = tiny_site.build("content_rules", **POST_SETTINGS)
    assert sorted((p.relative_source(str(tiny_site.content)), p.field) for p in result.problems) == [
        ("posts/a.md", "Category"), ("posts/b.md", "Date")]
    assert all(p.fix for p in result.problems)
    assert not tiny_site.output.exists()


PAGE = "Title: {title}\nSlug: {slug}\nSummary: x\n{extra}\nTeksti.\n"
BAD_PAGES = {
    "unknown-parent-section": ({"orpo": ("Orpo", "olematon/orpo", "")}, "pages/orpo.md", "Slug",
                               "osoitteen \"olematon/orpo\" yläsivua \"olematon\" ei ole"),
    "non-numeric-nav": ({"a": ("A", "a", "Nav: ensimmäinen\n")}, "pages/a.md", "Nav",
                        "arvo \"ensimmäinen\" ei ole kokonaisluku"),
}


@pytest.mark.plugin
@pytest.mark.parametrize("case", sorted(BAD_PAGES))
def test_bad_page_structure_fails_with_file_field_and_fix(tiny_site, case):
    pages, path, field, message = BAD_PAGES[case]
    for name, (title, slug, extra) in pages.items():
        tiny_site.write(f"pages/{name}.md", PAGE.format(title=title, slug=slug, extra=extra))
    tiny_site.write("pages/liitto.md", PAGE.format(title="Liitto", slug="liitto", extra="Nav: 1\n"))
    result = tiny_site.build("site_nav")
    assert_only_problem(result, tiny_site, path, field, message)


@pytest.mark.plugin
def test_two_pages_with_one_address(tiny_site):
    tiny_site.write("pages/a.md", PAGE.format(title="A", slug="sama", extra=""))
    tiny_site.write("pages/b.md", PAGE.format(title="B", slug="sama", extra=""))
    result = tiny_site.build("site_nav")
    # Both the navigation and Pelican's own check notice it (Pelican's warning is
    # translated): each names one page, the other one in its message, in Finnish.
    assert result.problems and all(p.field == "Slug" for p in result.problems)
    for problem in result.problems:
        source = problem.relative_source(str(tiny_site.content))
        assert source in ("pages/a.md", "pages/b.md")
        other = ({"pages/a.md", "pages/b.md"} - {source}).pop()
        assert "osoite \"sama\" on jo" in problem.message and other in problem.message
        assert "oma Slug" in problem.fix
        assert "There are" not in problem.message
    assert not tiny_site.output.exists()


@pytest.mark.plugin
def test_two_posts_with_one_address_are_named_in_finnish(tiny_site):
    tiny_site.write("posts/a.md", post(title="A", slug="sama"))
    tiny_site.write("posts/b.md", post(title="B", slug="sama"))
    result = tiny_site.build()
    [problem] = result.problems
    source = problem.relative_source(str(tiny_site.content))
    other = ({"posts/a.md", "posts/b.md"} - {source}).pop()
    assert problem.field == "Slug" and source in ("posts/a.md", "posts/b.md")
    assert problem.message.startswith("osoite \"sama\" on jo tiedostolla") and other in problem.message
    assert "oma Slug" in problem.fix and "korjaus:" in problem.text()


@pytest.mark.plugin
def test_plain_link_to_a_missing_page_names_the_source(tiny_site):
    tiny_site.write("posts/a.md", post(title="A", body="Lue [lisää](/ei-ole/) ja [tietoa](/pages/tietoa.html)."))
    tiny_site.write("pages/tietoa.md", PAGE.format(title="Tietoa", slug="tietoa", extra=""))
    result = tiny_site.build()
    assert_only_problem(result, tiny_site, "posts/a.md", "linkki",
                        "linkin /ei-ole/ kohdetta ei ole sivustolla")

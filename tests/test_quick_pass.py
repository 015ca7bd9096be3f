"""The preview's quick pass (plugins/strict_build/quick.py): one edited post or
page re-rendered from the last build, in a tiny site with only strict_build."""

from __future__ import annotations

import pytest

from conftest import post

pytestmark = pytest.mark.plugin

PAGE = "posts/2021-01-05-kirjoitus.md"
SAVED_AS = "kirjoitus.html"  # Pelican's default ARTICLE_SAVE_AS in the tiny site
TEXT = post("Kirjoitus", slug="kirjoitus", body="Ensimmäinen lause.")


def edit_then_build(site, *edits: tuple[str, str], full_build: bool = True, plugins=(), **settings):
    """Build, then for each edit (file, new text): write it and ask the quick
    pass; finally build again. What each pass wrote and the page's bytes after
    it, and the page's bytes from the full build (None without it)."""
    from strict_build import build
    from strict_build.quick import rerender

    def then(result):
        assert result.ok, result.problems
        passes = []
        for path, text in edits:
            file = site.content / path
            file.write_text(text, encoding="utf-8")
            written = rerender(result.build, result.output, [str(file)])
            passes.append((written, (site.output / SAVED_AS).read_bytes()))
        if not full_build:
            return passes, None
        full = build(site.root / "tinyconf.py", site.output)
        assert full.ok, full.problems
        return passes, (site.output / SAVED_AS).read_bytes()

    site.write(PAGE, TEXT)
    return site.build(*plugins, then=then, **{"MEMBER_GROUPS": {"hallitus": "Hallitus"}, **settings})


def test_an_edited_post_is_rendered_alone_as_the_full_build_renders_it(tiny_site):
    edited = TEXT.replace("Ensimmäinen lause.", "Ensimmäinen lause. Toinen lause.")
    retitled = edited.replace("Title: Kirjoitus", "Title: Uusi otsikko")
    passes, full = edit_then_build(tiny_site, (PAGE, TEXT), (PAGE, edited), (PAGE, retitled))
    (unchanged, _), (body, after_body), (title, after_title) = passes
    assert unchanged == [], "saved without a change: nothing written"
    assert body == [SAVED_AS] and b"Toinen lause." in after_body
    assert title == [SAVED_AS] and b"Uusi otsikko" in after_title
    assert after_title == full, "the full build that follows leaves the page as the quick pass wrote it"


@pytest.mark.parametrize("change, why", [
    (lambda text: text.replace("Slug: kirjoitus", "Slug: uusi-osoite"), "a new address"),
    (lambda text: text.replace("Title:", "Status: draft\nTitle:"), "no longer published"),
    (lambda text: text.replace("Title:", "Audience: hallitus\nTitle:"), "members only"),
    (lambda text: text + "\n![Kuva]({static}/images/uusi.jpg)\n", "a new image"),
    (lambda text: text.replace("Date: 2021-01-05", "Date: huomenna"), "a file that cannot be read"),
    (lambda text: text.replace("Title: Kirjoitus\n", ""), "a file with a problem"),
])
def test_the_quick_pass_leaves_to_the_full_build_what_it_cannot_show_right(tiny_site, change, why):
    passes, _ = edit_then_build(tiny_site, (PAGE, change(TEXT)), full_build=False)
    written, page = passes[0]
    assert written is None, why
    assert b"Ensimm\xc3\xa4inen lause." in page and b"Audience" not in page, "the page was left alone"


def test_a_problem_a_plugin_finds_while_reading_waits_for_the_full_build(tiny_site):
    """content_rules names an unknown category as the file is read: no quick
    pass for that edit, and the next good edit gets one again."""
    unknown = TEXT.replace("Category: Hankkeet", "Category: Tuntematon")
    fixed = TEXT.replace("Ensimmäinen lause.", "Korjattu lause.")
    passes, _ = edit_then_build(tiny_site, (PAGE, unknown), (PAGE, fixed), plugins=("content_rules",),
                                ALLOWED_CATEGORIES=["Hankkeet"])
    (bad, page), (good, after) = passes
    assert bad is None and b"Tuntematon" not in page
    assert good == [SAVED_AS] and b"Korjattu lause." in after


def test_files_without_a_page_of_their_own_wait_for_the_full_build(tiny_site):
    from strict_build.quick import rerender

    tiny_site.write(PAGE, TEXT)
    other = tiny_site.write("posts/2021-01-06-toinen.md", post("Toinen", slug="toinen", date="2021-01-06"))

    def then(result):
        new = tiny_site.write("posts/2021-01-07-uusi.md", post("Uusi", slug="uusi", date="2021-01-07"))
        return (rerender(result.build, result.output, [str(new)]),
                rerender(result.build, result.output, [str(tiny_site.root / "tinyconf.py")]),
                rerender(result.build, result.output, [str(other)]))

    new_file, settings, existing = tiny_site.build(then=then)
    assert new_file is None and settings is None
    assert existing == [], "an existing post, unchanged: the pass runs and writes nothing"


def test_undo_puts_back_what_quick_passes_replaced(tiny_site):
    """When the full build after a quick pass fails, the output goes back to the last good build."""
    from strict_build.quick import rerender, undo

    tiny_site.write(PAGE, TEXT)

    def then(result):
        page = tiny_site.output / SAVED_AS
        good = page.read_bytes()
        replaced = {}
        for sentence in ("Toinen.", "Kolmas."):
            tiny_site.write(PAGE, TEXT.replace("Ensimmäinen lause.", sentence))
            assert rerender(result.build, result.output, [str(tiny_site.content / PAGE)], replaced)
        edited = page.read_bytes()
        undo(replaced)
        return good, edited, page.read_bytes(), replaced

    good, edited, after, replaced = tiny_site.build(then=then)
    assert b"Kolmas." in edited and edited != good
    assert after == good and replaced == {}, "the bytes of the last good build, as before the first pass"

"""The page memo (plugins/strict_build/memo.py): a rebuild renders only the
pages whose inputs changed; tiny sites with only strict_build, and its digests."""

from __future__ import annotations

import threading

import pytest

from conftest import post


def posts(site, **bodies: str) -> None:
    # "yksi" has a Summary of its own; "kaksi" has not, so Pelican makes its
    # summary from its text, and the index shows that summary.
    site.write("posts/yksi.md", post("Yksi", slug="yksi", date="2021-01-05", body=bodies.get("yksi", "Teksti.")))
    site.write("posts/kaksi.md", post("Kaksi", slug="kaksi", date="2021-01-06", summary=None,
                                      body=bodies.get("kaksi", "Toinen teksti.")))


def memo_build(site, **settings):
    """Build; this build's PageMemo (counts, entries), the pages' bytes."""
    from strict_build.memo import PageMemo

    def then(result):
        assert result.ok, [p.text("") for p in result.problems]
        pages = {p.relative_to(result.output).as_posix(): p.read_bytes()
                 for p in result.output.rglob("*.html")}
        return result.build.state(PageMemo), pages

    return site.build(then=then, **settings)


def fresh_pages(site) -> dict[str, bytes]:
    site.output, kept = site.root / "tuore", site.output
    try:
        return memo_build(site, PAGE_MEMO=False, CACHE_PATH=str(site.root / "tuore-cache"))[1]
    finally:
        site.output = kept


@pytest.mark.plugin
def test_a_rebuild_renders_only_the_pages_that_show_what_changed(tiny_site):
    posts(tiny_site)
    first, _ = memo_build(tiny_site)
    assert first.reused == 0 and first.rendered > 5
    # The second build stages into an empty folder: the first build is live,
    # and there is no spare yet to keep files from.
    assert memo_build(tiny_site)[0].reused == 0
    again, _ = memo_build(tiny_site)  # nothing changed: nothing rendered
    assert (again.rendered, again.reused) == (0, first.rendered)

    # A text shown only on its own page (the listings show its Summary).
    posts(tiny_site, yksi="Muutettu teksti.")
    memo, pages = memo_build(tiny_site)
    read = {path.rsplit("/", 1)[-1]: [text[0][1].rsplit("/", 1)[-1] for text in entry.texts]
            for path, entry in memo.now.items() if entry.texts}
    assert read["yksi.html"] == ["yksi.md"] and "yksi.md" not in read["index.html"]
    assert memo.rendered == 1 and b"Muutettu teksti." in pages["yksi.html"]

    # A text whose first words are the summary on the listings: those pages too.
    posts(tiny_site, yksi="Muutettu teksti.", kaksi="Uusi alku.")
    memo, pages = memo_build(tiny_site)
    assert 2 <= memo.rendered < first.rendered
    assert b"Uusi alku." in pages["index.html"] and b"Uusi alku." in pages["kaksi.html"]
    assert pages == fresh_pages(tiny_site)

    # A title is on every page's list of recent posts: everything again.
    tiny_site.write("posts/yksi.md", post("Yksi uudelleen", slug="yksi", date="2021-01-05",
                                          body="Muutettu teksti."))
    memo, pages = memo_build(tiny_site)
    assert memo.reused == 0 and b"Yksi uudelleen" in pages["index.html"]
    assert pages == fresh_pages(tiny_site)


@pytest.mark.plugin
def test_a_page_is_kept_only_while_its_staged_file_holds_what_was_recorded(tiny_site):
    posts(tiny_site)
    for _ in range(3):
        memo_build(tiny_site)
    # The staged folder is the spare: the build before the live one.
    (tiny_site.root / ".output.spare" / "yksi.html").write_text("käsin muutettu", encoding="utf-8")
    memo, pages = memo_build(tiny_site)
    assert memo.rendered == 1 and memo.reused > 5
    assert pages["yksi.html"] == fresh_pages(tiny_site)["yksi.html"]


class Code(str):
    """A setting written into the tiny site's settings file as code, not text."""

    def __repr__(self):
        return str(self)


@pytest.mark.plugin
def test_verification_stops_the_build_when_a_kept_page_would_be_stale(tiny_site):
    # A template global that reads a file the memo knows nothing of: the kind
    # of hidden input PAGE_MEMO_VERIFY exists to find.
    hidden = tiny_site.root / "piilossa.txt"
    hidden.write_text("ensimmäinen", encoding="utf-8")
    settings = {"THEME": tiny_site.theme(article="{{ hidden() }}"), "PAGE_MEMO_VERIFY": True,
                "JINJA_GLOBALS": Code(f"{{'hidden': lambda: open({str(hidden)!r}, encoding='utf-8').read()}}")}

    def problems(result):
        return [p.text("") for p in result.problems]

    posts(tiny_site)
    for _ in range(3):
        assert tiny_site.build(then=problems, **settings) == []
    hidden.write_text("toinen", encoding="utf-8")
    found = tiny_site.build(then=problems, **settings)
    assert len(found) == 1 and "sivumuisti olisi jättänyt 2 sivua vanhoiksi" in found[0], found
    assert "yksi.html" in found[0] and "ohjelmointivirhe" in found[0]


# --- digests ---------------------------------------------------------------------------------

@pytest.mark.unit
def test_digests_are_equal_exactly_when_values_are():
    from strict_build.memo import Digester

    def digest(value):
        return Digester().digest(value)

    assert digest({"a": 1, "b": [1, 2]}) == digest({"b": [1, 2], "a": 1})  # key order is not a value
    assert digest([1, 2]) != digest([2, 1]) and digest((1, 2)) != digest([1, 2])
    assert digest({1, 2, 3}) == digest({3, 2, 1})
    assert digest("x" * 100) != digest("x" * 101) and digest("1") != digest(1)
    assert digest(["ab", "c"]) != digest(["a", "bc"])


@pytest.mark.unit
def test_a_value_known_only_by_its_address_cannot_be_compared():
    from strict_build.memo import Digester, Unstable

    with pytest.raises(Unstable, match="lock"):
        Digester().digest({"lukko": threading.Lock()})


@pytest.mark.unit
def test_items_that_name_each_other_digest_the_same_in_any_order():
    """Translations list each other: their digests must not depend on which
    one is met first, or on the order Pelican lists them in."""
    from pelican.contents import Page

    from strict_build.memo import Digester

    from pelican.settings import DEFAULT_CONFIG

    settings = {**DEFAULT_CONFIG, "PATH": "/c"}

    def pages():
        made = [Page("teksti", {"title": t, "slug": "s", "lang": lang}, settings=settings,
                     source_path=f"/c/{lang}.md") for t, lang in (("Fi", "fi"), ("Sv", "sv"), ("En", "en"))]
        for page in made:
            page.translations = [p for p in made if p is not page]
        return made

    def site(order):
        digester = Digester()
        made = pages()
        digester.digest([made[i] for i in order])
        return b"".join(digester.item_fields())

    assert site([0, 1, 2]) == site([2, 1, 0]) == site([1, 0, 2])
    changed = Digester()
    made = pages()
    made[1].title = "Sv muutettu"
    changed.digest(made)
    assert b"".join(changed.item_fields()) != site([0, 1, 2])


@pytest.mark.unit
def test_what_a_page_adds_to_a_state_pages_fill_is_told_apart_and_kept():
    from dataclasses import dataclass, field

    from sitecore import Build

    @dataclass
    class Asked:
        titles: set = field(default_factory=set)
        filled_by_pages = True

        def merge(self, other):
            self.titles |= other.titles

    @dataclass
    class Late:
        filled_by_pages = True

        def merge(self, other):
            pass

    build = Build()
    build.state(Asked).titles.add("ennen")
    with build.separate_states() as page:
        build.state(Asked).titles.add("sivun oma")
    assert [s.titles for s in page.filled] == [{"sivun oma"}] and page.complete
    assert build.state(Asked).titles == {"ennen", "sivun oma"}
    with build.separate_states() as page:
        pass
    assert page.filled == [] and page.complete
    with build.separate_states() as page:
        build.state(Late)  # first made while this page rendered: not separated
    assert not page.complete


@pytest.mark.unit
def test_an_object_met_inside_a_cycle_still_covers_what_it_refers_to():
    from strict_build.memo import Digester

    class Node:
        def __init__(self, name):
            self.name, self.other = name, None

    def b_after_a(a_name):
        a, b = Node(a_name), Node("b")
        a.other, b.other = b, a
        digester = Digester()
        digester.digest(a)  # b is met inside a, and closes the cycle back to it
        return digester.digest(b)  # b on its own, as a page's value

    assert b_after_a("a") != b_after_a("a muutettu")


@pytest.mark.unit
def test_functions_are_known_by_their_code_too():
    from strict_build.memo import Digester

    first = eval("lambda: 'yksi'")  # noqa: S307 - two functions of the same name and module
    second = eval("lambda: 'kaksi'")  # noqa: S307
    assert first.__qualname__ == second.__qualname__
    assert Digester().digest(first) != Digester().digest(second)
    assert Digester().digest(first) == Digester().digest(eval("lambda: 'yksi'"))  # noqa: S307

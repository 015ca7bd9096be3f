"""What a careless commit or a hostile post can do to the output (issue 26, items
1–3 and 10): symlinks and links out of content/, content over generated files,
HTML that runs, the policy every page carries, and messages that name the cause."""

from __future__ import annotations

import os
import shutil
import struct
import zlib

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, SITEURL, RoutedSite, post, site_headers
from test_bad_content import POST_SETTINGS, assert_only_problem

SECRET = "SALAINEN-MERKKIJONO-4711"


def problems_of(result, tiny_site):
    return sorted((p.relative_source(str(tiny_site.content)), p.field, p.message) for p in result.problems)


def output_text(folder) -> str:
    """Everything written, as one text (where a leaked secret would show)."""
    if not folder.exists():
        return ""
    return "".join(p.read_bytes().decode("utf-8", "replace") for p in folder.rglob("*") if p.is_file())


# --- 1. symbolic links and links out of content/ --------------------------------------

@pytest.mark.plugin
def test_a_symlink_in_content_stops_the_build_before_anything_behind_it_is_read(tiny_site, tmp_path):
    outside = tmp_path / "ulkona"
    outside.mkdir()
    (outside / "tiedote.md").write_text(post(title="Hallituksen tiedote", body=SECRET), encoding="utf-8")
    (outside / "salaisuudet.toml").write_text(f'hallitus = "{SECRET}"\n', encoding="utf-8")
    (outside / "kansio").mkdir()
    (outside / "kansio" / "sivu.md").write_text(f"Title: Sivu\n\n{SECRET}\n", encoding="utf-8")
    tiny_site.write("posts/hyva.md", post(title="Hyvä", body="![Kuva]({static}/images/kuva.png)"))
    tiny_site.write("images/kuva.png", "")
    os.symlink(outside / "tiedote.md", tiny_site.content / "posts" / "tiedote.md")
    os.symlink(outside / "salaisuudet.toml", tiny_site.content / "images" / "kuva.png.toml")
    os.symlink(outside / "salaisuudet.toml", tiny_site.content / "images" / ".piilo.png")  # IGNORE_FILES
    os.symlink(outside / "kansio", tiny_site.content / "pages" / "kansio")
    os.symlink("ei-ole-olemassa", tiny_site.content / "posts" / ".#hyva.md")  # an editor's lock: ignored
    result = tiny_site.build("content_rules", **POST_SETTINGS)
    assert [(path, field) for path, field, _ in problems_of(result, tiny_site)] == [
        ("images/.piilo.png", ""), ("images/kuva.png.toml", ""), ("pages/kansio", ""), ("posts/tiedote.md", "")]
    for problem in result.problems:
        assert "symbolinen linkki" in problem.message and "kopiolla" in problem.fix
    assert SECRET not in output_text(tiny_site.output) + output_text(tiny_site.root / ".output.building")
    assert not tiny_site.output.exists()


@pytest.mark.plugin
def test_a_symlink_in_the_theme_stops_the_build(tiny_site, tmp_path):
    theme = tiny_site.theme()
    os.makedirs(os.path.join(theme, "static", "css"), exist_ok=True)
    (tmp_path / "salaisuus.css").write_text(f"/* {SECRET} */\n", encoding="utf-8")
    os.symlink(tmp_path / "salaisuus.css", os.path.join(theme, "static", "css", "salaisuus.css"))
    tiny_site.write("pages/sivu.md", "Title: Sivu\n\nTeksti.\n")
    result = tiny_site.build("content_rules", THEME=theme, **POST_SETTINGS)
    [problem] = result.problems
    assert problem.source == os.path.join(theme, "static", "css", "salaisuus.css")
    assert "symbolinen linkki" in problem.message
    assert not tiny_site.output.exists()


@pytest.mark.plugin
@pytest.mark.parametrize("target", ["{static}/../salaisuus.txt", "{attach}../../salaisuus.txt",
                                    "{static}/images/../../salaisuus.txt"])
def test_a_static_link_out_of_content_is_refused(tiny_site, target):
    (tiny_site.root / "salaisuus.txt").write_text(SECRET, encoding="utf-8")
    tiny_site.write("posts/a.md", post(title="A", body=f"[Lataa]({target})"))
    result = tiny_site.build("content_rules", **POST_SETTINGS)
    assert ("posts/a.md", "linkki") in [(p.relative_source(str(tiny_site.content)), p.field)
                                         for p in result.problems]
    problem = next(p for p in result.problems if p.field == "linkki")
    assert "sisältökansion ulkopuolelle" in problem.message and target in problem.message
    written = [p for p in tiny_site.root.rglob("salaisuus.txt") if p != tiny_site.root / "salaisuus.txt"]
    assert written == [] and not tiny_site.output.exists()


# --- 2. one owner for each output path ------------------------------------------------

def test_content_cannot_replace_what_the_site_generates(fixture_site):
    reserved = {"kirjautuminen": "jasenalue/index.html", "avaimet": "jasenalue/avaimet.json",
                "muokkain": "admin/config.json", "robotit": "robots.txt", "otsakkeet": "_headers",
                "syote": "syotteet/kaikki.atom.xml", "ikoni": "favicon.ico", "ruotsi": "sv/medlemsomrade/index.html"}
    for name, save_as in reserved.items():
        fixture_site.write(f"pages/{name}.md", f"Title: {name}\nSlug: {name}\nSave_as: {save_as}\n\nTeksti.\n")
    fixture_site.write("admin/config.json", "{}")
    fixture_site.write("posts/lataa.md", post(title="Lataa", body="[Asetukset]({static}/admin/config.json)"))
    build = fixture_site.build()
    assert build.returncode == 1
    for name, save_as in reserved.items():
        shown = os.path.relpath(fixture_site.content / "pages" / f"{name}.md", ROOT)
        assert (f"VIRHE: {shown}\n  kenttä:   Save_as\n  ongelma:  osoite {save_as} on varattu: "
                f"sivusto kirjoittaa sen itse") in build.stderr, name
    static = os.path.relpath(fixture_site.content / "admin" / "config.json", ROOT)
    assert f"VIRHE: {static}\n  ongelma:  osoite admin/config.json on varattu" in build.stderr
    assert "Traceback" not in build.stderr and not fixture_site.output.exists()


def test_two_files_writing_one_path_are_both_named(fixture_site):
    for name in ("a", "b"):
        fixture_site.write(f"pages/{name}.md", f"Title: {name}\nSlug: {name}\nSave_as: yhteinen/index.html\n\nx\n")
    fixture_site.write("tiedostot/sivu.html", "<p>staattinen</p>")
    fixture_site.write("pages/c.md", "Title: c\nSlug: c\nSave_as: tiedostot/sivu.html\n\n[x]({static}/tiedostot/sivu.html)\n")
    build = fixture_site.build()
    assert build.returncode == 1
    assert ("tiedoston yhteinen/index.html kirjoittaisivat sekä pages/a.md että pages/b.md" in build.stderr
            or "tiedoston yhteinen/index.html kirjoittaisivat sekä pages/b.md että pages/a.md" in build.stderr)
    assert ("tiedoston tiedostot/sivu.html kirjoittaisivat sekä tiedostot/sivu.html että pages/c.md"
            in build.stderr or "sekä pages/c.md että tiedostot/sivu.html" in build.stderr), build.stderr
    assert "Traceback" not in build.stderr and "ohjelmointivirhe" not in build.stderr


def test_a_page_over_a_page_pelican_generates_names_both_and_is_no_bug(fixture_site):
    """Pelican's own guard stops its writer at a second write; the build says who wrote."""
    for number in range(12):  # two pages of posts
        fixture_site.write(f"posts/k{number:02}.md", post(title=f"K {number:02}", date=f"2021-01-{number + 1:02}"))
    fixture_site.write("pages/p.md", "Title: P\nSlug: p\nSave_as: ajankohtaista/sivu/2/index.html\n\nx\n")
    build = fixture_site.build()
    assert build.returncode == 1
    shown = os.path.relpath(fixture_site.content / "pages" / "p.md", ROOT)
    assert (f"VIRHE: {shown}\n  ongelma:  tiedoston ajankohtaista/sivu/2/index.html kirjoittaisivat sekä "
            "pages/p.md että Pelican.") in build.stderr
    assert "ohjelmointivirhe" not in build.stderr and "Rakentaminen epäonnistui: 1 virhe." in build.stderr


def test_two_plugins_writing_one_file_is_a_problem_naming_both(tmp_path):
    from sitecore import Build

    build = Build()
    build.output_root = str(tmp_path)
    build.write_output(tmp_path / "a.json", b"1", owner="liitännäinen yksi")
    build.write_output(tmp_path / "a.json", b"2", owner="liitännäinen yksi")  # its own file again
    assert build.problems == []
    build.write_output(tmp_path / "a.json", b"3", owner="liitännäinen kaksi")
    [problem] = build.problems
    assert problem.message == "tiedoston a.json kirjoittaisivat sekä liitännäinen yksi että liitännäinen kaksi."
    assert "ohjelman vika" in problem.fix and problem.source == ""


# --- 3. no HTML that runs, and the policy on every page -------------------------------

HOSTILE = {
    "script": ("<script>alert(1)</script>", "<script>"),
    "onerror": ('<img src="x" alt="x" onerror="alert(1)">', "<img onerror>"),
    "attr-list": ("Napsauta tätä.\n{: onclick=\"alert(1)\" }", "<p onclick>"),
    "markdown-javascript": ("[linkki](javascript:alert(1))", '<a href="javascript:…">'),
    "raw-javascript": ('<a href=" JaVa&#x09;Script:alert(1)">linkki</a>', '<a href="javascript:…">'),
    "data-image": ("![kuva](data:image/svg+xml;base64,PHN2Zz4=)", '<img src="data:…">'),
    "meta-refresh": ('<meta http-equiv="refresh" content="0;url=https://example.com/">', "<meta>"),
    "iframe": ('<iframe src="https://example.com/"></iframe>', "<iframe>"),
    "object": ('<object data="x.swf"></object>', "<object>"),
    "embed": ('<embed src="x.swf">', "<embed>"),
    "form": ('<form action="https://example.com/"><input name="salasana"></form>', "<form>"),
    "srcset": ('<img src="a.png" alt="a" srcset="javascript:alert(1) 2x">', '<img srcset="javascript:…">'),
}


@pytest.mark.plugin
def test_html_that_runs_stops_the_build_naming_the_file(tiny_site):
    for name, (body, _) in HOSTILE.items():
        tiny_site.write(f"posts/{name}.md", post(title=name, slug=name, body=body))
    tiny_site.write("posts/tiivistelma.md", post(title="T", slug="t", summary="<script>alert(1)</script>"))
    # Templates print fields unescaped, in attributes too (<meta content="…">).
    tiny_site.write("posts/otsikko.md", post(title='Testi" onfocus="alert(1)" autofocus="x', slug="o",
                                                   summary="Tiivistelmä."))
    tiny_site.write("posts/entiteetti.md", post(title="E", slug="e", summary="x&quot; onfocus=&quot;alert(1)"))
    result = tiny_site.build("content_rules", **POST_SETTINGS)
    found = {p.relative_source(str(tiny_site.content)): p for p in result.problems}
    assert len(found) == len(result.problems)
    assert sorted(found) == sorted([f"posts/{name}.md" for name in HOSTILE]
                                   + ["posts/tiivistelma.md", "posts/otsikko.md", "posts/entiteetti.md"])
    assert found["posts/otsikko.md"].field == "Title" and "lainausmerkki" in found["posts/otsikko.md"].message
    assert found["posts/entiteetti.md"].field == "Summary" and "”näin”" in found["posts/entiteetti.md"].fix
    for name, (_, refused) in HOSTILE.items():
        problem = found[f"posts/{name}.md"]
        assert problem.field == "teksti" and refused in problem.message, (name, problem.message)
        assert "Markdown-muotoilua" in problem.fix
    assert found["posts/tiivistelma.md"].field == "Summary"
    assert not tiny_site.output.exists()


@pytest.mark.plugin
def test_what_markdown_makes_still_builds_and_passes_through_the_sanitiser(tiny_site):
    tiny_site.write("images/kuva.png", "")
    tiny_site.write("posts/kaikki.md", post(title="Kaikki", slug="kaikki", body="""
        ## Otsikko {: #oma .korostus }

        | Vasen | Keski |
        |:------|:-----:|
        | a     | b     |

        Alaviite[^1] ja *korostus*, **vahva**, `koodi`, <span lang="sv">på svenska</span>.
        Lyhenne OKM.

        *[OKM]: opetus- ja kulttuuriministeriö

        Termi
        :   Määritelmä

        ```
        print("hei")
        ```

        ![Kuva]({static}/images/kuva.png) [sähköposti](mailto:toimisto@example.fi),
        [puhelin](tel:+358401234567), [ankkuri](#oma).

        <!-- piilotettu kommentti -->

        [^1]: Alaviitteen teksti.
        """))
    result = tiny_site.build("content_rules", **POST_SETTINGS)
    assert result.ok, result.problems
    page = BeautifulSoup(tiny_site.read("kaikki.html"), "html.parser")
    assert page.find("h2", id="oma", class_="korostus")
    assert page.find("th", style="text-align:left") or page.find("th", style="text-align: left;")
    assert page.find("sup", id="fnref:1") and page.find("div", class_="footnote")
    assert page.find("abbr", title="opetus- ja kulttuuriministeriö") and page.find("dl")
    assert page.find("span", lang="sv") and page.find("code")
    assert page.find("img", alt="Kuva")["src"].endswith("images/kuva.png")
    assert page.find("a", href="mailto:toimisto@example.fi") and page.find("a", href="tel:+358401234567")
    assert "piilotettu kommentti" not in tiny_site.read("kaikki.html"), "nh3 cleaned the page"


@pytest.mark.plugin
def test_an_svg_in_content_is_refused(tiny_site):
    tiny_site.write("images/kuvio.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    tiny_site.write("posts/a.md", post(title="A", body="![Kuvio]({static}/images/kuvio.svg)"))
    result = tiny_site.build("content_rules", **POST_SETTINGS)
    [problem] = result.problems
    assert problem.relative_source(str(tiny_site.content)) == "images/kuvio.svg"
    assert "SVG" in problem.message and "PNG" in problem.fix
    assert not tiny_site.output.exists()


def test_members_html_keeps_its_narrower_list():
    from members_area.sanitize import clean, refused_html

    assert refused_html('<img src="/kuvat/a.png" alt="a">') == ["<img>"]  # public pages allow it
    assert clean('<a href="https://example.fi">a</a>') == (
        '<a href="https://example.fi" rel="noopener noreferrer">a</a>')


def test_every_page_carries_the_sites_policy_and_admin_its_own(site):
    import pelicanconf
    from site_meta.headers import security_headers

    public = security_headers(pelicanconf.NEWSLETTER_SIGNUP_URL)["Content-Security-Policy"]
    for file in site.pages():
        page = site.parse(file)
        metas = page.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert len(metas) == 1, file
        policy = metas[0]["content"]
        assert page.head.find("meta") is page.head.find("meta", charset=True)
        assert page.head.find_all("meta")[1] is metas[0], f"{file}: the policy comes before anything it governs"
        assert "frame-ancestors" not in policy and "upgrade-insecure-requests" not in policy
        assert set(policy.split("; ")) < set(public.split("; ")), file
    admin = site.html("admin/").find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    header = site_headers(site.output, ("/*", "/admin/*"))["Content-Security-Policy"]
    assert admin == header.replace("; frame-ancestors 'none'", "") and "'unsafe-eval'" in admin


def test_the_pages_policy_stops_script_where_the_host_sends_no_header(playwright_browser, site, tmp_path):
    """A page served with no CSP header (a host without header support): script that
    slipped into it does not run, and the page's own script still does."""
    copy = tmp_path / "site"
    shutil.copytree(site.output, copy)
    directory = copy / "jasenet" / "index.html"
    directory.write_text(directory.read_text(encoding="utf-8").replace(
        "</main>", "<script>document.title = 'murrettu';</script></main>"), encoding="utf-8")
    context = playwright_browser.new_context()
    RoutedSite(context, copy, headers={})
    page = context.new_page()
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{SITEURL}/jasenet/")
    page.wait_for_selector("form.directory-filter:not([hidden])")  # the site's own script ran
    assert page.title() != "murrettu"
    # The injected script is refused; the page's JSON-LD, a data block, is not script to the policy.
    assert page.locator('script[type="application/ld+json"]').count() >= 1
    assert len(refused) == 1 and "inline script" in refused[0], refused
    context.close()


# --- 10. messages that name the real cause once ---------------------------------------

@pytest.mark.plugin
@pytest.mark.parametrize("text, field, message", [
    ("Title: A\nDate 2021-01-05\nCategory: Hankkeet\nAuthor: X\nSummary: Y\n\nTeksti.\n",
     "rivi 2", 'rivillä 2 ("Date 2021-01-05") ei ole kaksoispistettä'),
    ("Title: A\nDate: 2021-01-05\nCategory: Hankkeet\nTitle: B\nAuthor: X\nSummary: Y\n\nTeksti.\n",
     "Title", "kenttä Title on kahdesti: riveillä 1 ja 4"),
], ids=["missing-colon", "repeated-title"])
def test_a_front_matter_mistake_is_one_problem_naming_its_line(tiny_site, text, field, message):
    tiny_site.write("posts/hyva.md", post(title="Hyvä"))
    (tiny_site.content / "posts" / "huono.md").write_text(text, encoding="utf-8")
    result = tiny_site.build("content_rules", **POST_SETTINGS)
    assert_only_problem(result, tiny_site, "posts/huono.md", field, message)


@pytest.mark.plugin
@pytest.mark.parametrize("data, message", [
    (b"", "tiedosto on tyhjä."),
    (b"\n  \n", "tiedosto on tyhjä."),
    ("Title: Hyvä\nDate: 2021-01-05\n\nÄäkköset".encode("latin-1"), "ei ole UTF-8-muotoista tekstiä"),
], ids=["empty", "blank", "latin-1"])
def test_an_empty_or_unreadable_file_is_one_problem(tiny_site, data, message):
    (tiny_site.content / "posts" / "huono.md").write_bytes(data)
    result = tiny_site.build("content_rules", **POST_SETTINGS)
    [problem] = result.problems
    assert problem.relative_source(str(tiny_site.content)) == "posts/huono.md"
    assert message in problem.message and problem.fix and "Traceback" not in problem.text()


def png_header(width: int, height: int) -> bytes:
    """A PNG that says it is ``width`` × ``height`` pixels in a few dozen bytes: a decompression bomb."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b""))


@pytest.mark.plugin
@pytest.mark.parametrize("size, pixels", [((20000, 20000), 400), ((10000, 10000), 100)])
def test_a_decompression_bomb_is_named_as_the_image_too_large_in_pixels(tiny_site, size, pixels):
    import pelicanconf

    (tiny_site.content / "images").mkdir()
    (tiny_site.content / "images" / "iso.png").write_bytes(png_header(*size))
    tiny_site.write("posts/a.md", post(title="A", body="![Iso kuva]({static}/images/iso.png)"))
    result = tiny_site.build("responsive_images", IMAGE_SOURCE_DIR=pelicanconf.IMAGE_SOURCE_DIR,
                             IMAGE_OUTPUT_DIR=pelicanconf.IMAGE_OUTPUT_DIR)
    [problem] = result.problems
    assert problem.relative_source(str(tiny_site.content)) == "images/iso.png" and problem.field == "kuva"
    assert f"liikaa pikseleitä ({pixels} miljoonaa)" in problem.message
    assert "ohjelmointivirhe" not in problem.message and "2560" in problem.fix

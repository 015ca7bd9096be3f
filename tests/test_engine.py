"""The build engine: staging and swap, a bug reported as a bug, every problem at once."""

from __future__ import annotations

import json
import shutil
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PLUGINS, ROOT, post


# --- staging and swap (whole builds) ---------------------------------------------------------

@pytest.mark.build
def test_a_failed_build_leaves_the_last_good_site_and_no_half_written_one(fixture_site):
    site = fixture_site
    site.write("posts/a.md", post(title="Hyvä", slug="hyva"))
    assert site.build().returncode == 0
    page = site.output / "ajankohtaista/2021/hyva/index.html"
    before = page.read_bytes()

    site.write("posts/b.md", post(title="Huono", date="huomenna"))
    failed = site.build()
    assert failed.returncode == 1 and "Date" in failed.stderr
    assert page.read_bytes() == before
    assert not (site.output / "ajankohtaista/2021/huono").exists()
    assert sorted(p.name for p in site.root.iterdir() if p.name.startswith(".output")) == [
        ".output.problems.json"]  # no staging folder left behind

    (site.content / "posts" / "b.md").unlink()
    site.write("posts/a.md", post(title="Hyvä", slug="hyva", body="Muutettu teksti."))
    build = site.build()
    assert build.returncode == 0, build.stderr
    assert "Muutettu teksti." in build.read("ajankohtaista/2021/hyva/")
    assert not (site.root / ".output.problems.json").exists()


@pytest.mark.build
def test_plain_pelican_is_told_to_use_the_build_command(fixture_site, tmp_path):
    fixture_site.write("posts/a.md", post(title="Suoraan Pelicanilla", slug="suoraan"))
    done = subprocess.run(
        [sys.executable, "-m", "pelican", str(fixture_site.content), "-s", str(ROOT / "pelicanconf.py"),
         "-o", str(tmp_path / "suora"), "-e", f"CACHE_PATH={json.dumps(str(tmp_path / 'cache'))}"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(PLUGINS)}, capture_output=True, text=True)
    assert done.returncode != 0
    assert "python -m strict_build" in done.stdout + done.stderr


def test_links_and_anchors_are_found_in_one_pass():
    from strict_build.links import links_and_ids

    html = ('<a href="/a/">A</a><img src="/k.jpg" srcset="/k-1.webp 1x, /k-2.webp 2x" alt="">'
            '<h2 id="osio">x</h2><form action="/haku/"></form>')
    urls, ids = links_and_ids(html)
    assert urls == ["/a/", "/k.jpg", "/k-1.webp", "/k-2.webp", "/haku/"]
    assert ids == {"osio"}


# --- a bug is a bug, in a tiny site with one plugin of its own ---------------------------------

BUGGY = '''
from pelican import signals

def on_content(content):
    if getattr(content, "title", "") == "Rikkoutuva":
        content.metadata["lang_of_nothing"]  # a KeyError: our bug, not the writer's

def on_articles(generator):
    {{}}["lang"]

def register():
    signals.content_object_init.connect(on_content)
    if {finalized}:
        signals.article_generator_finalized.connect(on_articles)
'''


def _buggy_plugin(tiny_site, finalized: bool) -> None:
    folder = tiny_site.root / "omat" / "bugi"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "__init__.py").write_text(BUGGY.format(finalized=finalized), encoding="utf-8")


@pytest.mark.plugin
def test_a_bug_while_a_file_is_read_names_the_plugin_not_the_writers_fields(tiny_site):
    _buggy_plugin(tiny_site, finalized=False)
    tiny_site.write("posts/a.md", "Title: Rikkoutuva\nDate: 2021-03-29\n\nTeksti.\n")
    result = tiny_site.build("bugi", PLUGIN_PATHS=[str(PLUGINS), str(tiny_site.root / "omat")])
    [problem] = result.problems
    assert "KeyError: 'lang_of_nothing'" in problem.message and "posts/a.md" in problem.message
    assert "ohjelmointivirhe" in problem.message and "Kenttä" not in problem.fix
    assert "Traceback" in problem.detail and 'content.metadata["lang_of_nothing"]' in problem.detail
    assert problem.field == "" and "ei ole sisällön vika" in problem.fix


@pytest.mark.plugin
def test_a_bug_after_reading_names_its_file_and_line(tiny_site):
    _buggy_plugin(tiny_site, finalized=True)
    tiny_site.write("posts/a.md", "Title: Ehjä\nDate: 2021-03-29\n\nTeksti.\n")
    result = tiny_site.build("bugi", PLUGIN_PATHS=[str(PLUGINS), str(tiny_site.root / "omat")])
    [problem] = result.problems
    assert problem.source.endswith("bugi/__init__.py")
    assert "KeyError: 'lang'" in problem.message
    assert 'line 9, in on_articles' in problem.detail


@pytest.mark.build
def test_debug_raises_the_bug_as_pythons_own_exception(tiny_site):
    _buggy_plugin(tiny_site, finalized=False)
    tiny_site.write("posts/a.md", "Title: Rikkoutuva\nDate: 2021-03-29\n\nTeksti.\n")
    config = tiny_site.settings_file("bugi", PLUGIN_PATHS=[str(PLUGINS), str(tiny_site.root / "omat")])
    done = subprocess.run([sys.executable, "-m", "strict_build", str(config), str(tiny_site.output)],
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(PLUGINS), "DEBUG": "1"},
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.rstrip().endswith("KeyError: 'lang_of_nothing'")
    assert 'content.metadata["lang_of_nothing"]' in done.stderr and "VIRHE:" not in done.stderr


@pytest.mark.plugin
def test_compiled_templates_are_kept_and_an_edited_template_is_used(tiny_site):
    """Jinja's bytecode cache keeps the next build from compiling the theme again;
    an edited template is compiled anew (Jinja keys each entry on its source)."""
    import pelican

    theme = tiny_site.root / "teema"
    shutil.copytree(Path(pelican.__file__).parent / "themes" / "simple", theme)
    article = theme / "templates" / "article.html"
    tiny_site.write("posts/a.md", "Title: Kirjoitus\nDate: 2021-03-29\nSlug: a\n\nTeksti.\n")
    page = tiny_site.output / "a.html"
    for marker in ("Ensimmäinen versio", "Toinen versio"):
        article.write_text(article.read_text(encoding="utf-8").replace(
            "{% block content %}", "{% block content %}<p>" + marker + "</p>", 1), encoding="utf-8")
        result = tiny_site.build(THEME=str(theme))
        assert not result.problems, result.problems
        assert marker in page.read_text(encoding="utf-8")
    assert list((tiny_site.root / "cache" / "jinja").glob("__jinja2_*.cache"))

"""Each build starts from the build before the live one and writes only what changed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import FLOOR_KDF, ROOT, post, run_build

# Pagefind names its filter files differently on every run, and the members'
# section is encrypted with fresh keys on every build: both compared apart.
VARYING = ("pagefind/", "jasenalue/")


def snapshot(output: Path) -> dict[str, bytes]:
    files = {}
    for path in output.rglob("*"):
        relative = path.relative_to(output).as_posix()
        if path.is_file() and not relative.startswith(VARYING):
            files[relative] = path.read_bytes()
    return files


def fragments(output: Path) -> int:
    return len(list((output / "pagefind" / "fragment").iterdir()))


def stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


def test_rebuild_rewrites_only_changes_and_equals_a_fresh_build(fixture_site):
    site = fixture_site
    site.write("posts/a.md", post(title="Ensimmäinen", slug="ensimmainen", tags="yhteinen"))
    site.write("posts/b.md", post(title="Pysyvä", slug="pysyva", date="2021-01-06"))
    site.write("posts/c.md", post(title="Poistuva", slug="poistuva", date="2021-01-07",
                                  tags="poistuva-aihe"))
    for _ in range(2):  # the second build leaves the first one aside as the spare
        assert site.build().returncode == 0
    spare = site.root / ".output.spare"
    kept_page = "ajankohtaista/2021/pysyva/index.html"
    # Also the files written after the pages (robots.txt, the theme's assets),
    # and their compressed copies: they are the same on every build.
    stylesheet = next(spare.glob("theme/css/site.*.css")).relative_to(spare).as_posix()
    before = {name: stamp(spare / name)
              for file in (kept_page, stylesheet) for name in (file, file + ".br", file + ".gz")}
    before["robots.txt"] = stamp(spare / "robots.txt")  # too small to compress

    site.write("posts/a.md", post(title="Ensimmäinen", slug="ensimmainen", tags="yhteinen",
                                  body="Muutettu teksti."))
    (site.content / "posts" / "c.md").unlink()
    site.write("posts/d.md", post(title="Uusi", slug="uusi", date="2021-01-08"))
    build = site.build()
    assert build.returncode == 0, build.stderr
    assert not spare.with_name(".output.building").exists()

    assert {name: stamp(build.output / name) for name in before} == before, "unchanged files rewritten"
    assert "Muutettu teksti." in build.read("ajankohtaista/2021/ensimmainen/")
    for gone in ("ajankohtaista/2021/poistuva/index.html", "ajankohtaista/2021/poistuva/index.html.br",
                 "ajankohtaista/aihe/poistuva-aihe/index.html"):
        assert not (build.output / gone).exists(), gone
    assert not (build.output / "ajankohtaista/2021/poistuva").exists(), "emptied folder left"

    fresh = run_build(site.root / "tuore", PATH=str(site.content))
    assert fresh.returncode == 0, fresh.stderr
    assert snapshot(build.output) == snapshot(fresh.output)
    assert fragments(build.output) == fragments(fresh.output), "stale search fragments left"


def test_build_stopped_by_bad_content_keeps_the_spare(fixture_site):
    site = fixture_site
    site.write("posts/a.md", post(title="Hyvä", slug="hyva"))
    for _ in range(2):
        assert site.build().returncode == 0
    spare = site.root / ".output.spare"
    page = spare / "ajankohtaista/2021/hyva/index.html"
    before = stamp(page)

    site.write("posts/b.md", post(title="Huono", date="huomenna"))
    assert site.build().returncode == 1
    assert stamp(page) == before, "the spare was touched by a build that stopped before writing"
    assert not spare.with_name(".output.building").exists()

    (site.content / "posts" / "b.md").unlink()
    build = site.build()
    assert build.returncode == 0, build.stderr
    assert stamp(build.output / "ajankohtaista/2021/hyva/index.html") == before
    assert not os.path.exists(site.root / ".output.building")


# --- the pure parts -----------------------------------------------------------------

def test_write_if_changed_leaves_identical_files_alone(tmp_path):
    from sitecore.reuse import write_if_changed

    target = tmp_path / "a" / "b.html"
    kept = []
    assert write_if_changed(target, b"yksi", kept.append) is True  # folders made as needed
    before = stamp(target)
    assert write_if_changed(target, b"yksi", kept.append) is False
    assert stamp(target) == before and kept == [str(target)]
    assert write_if_changed(target, b"kaksi", kept.append) is True
    assert target.read_bytes() == b"kaksi" and stamp(target)[0] == before[0]  # rewritten in place


def test_sweep_removes_only_what_the_build_did_not_produce(tmp_path):
    from sitecore.reuse import start_time, sweep

    def make(relative: str) -> Path:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
        return path

    for old in ("vanha/sivu.html", "pidetty.html", "sivu.html.br", "kortit/a.jpg", "tyhja/a/b.html"):
        make(old)
    started = start_time(tmp_path)  # right after: it waits for the file-system clock to tick
    make("uusi/sivu.html")
    make("vanha/kirjoitettu.html")
    removed = sweep(tmp_path, started, kept={str(tmp_path / "pidetty.html")},
                    skip_folders={str(tmp_path / "kortit")}, skip_suffixes=(".br",))
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert left == ["kortit/a.jpg", "pidetty.html", "sivu.html.br", "uusi/sivu.html",
                    "vanha/kirjoitettu.html"]
    assert removed == 2 and not (tmp_path / "tyhja").exists()
    assert sweep(tmp_path, started, kept=set()) == 3  # at the end nothing is spared any more


def test_links_and_anchors_are_found_in_one_pass():
    from strict_build.links import links_and_ids

    html = ('<a href="/a/">A</a><img src="/k.jpg" srcset="/k-1.webp 1x, /k-2.webp 2x" alt="">'
            '<h2 id="osio">x</h2><form action="/haku/"></form>')
    urls, ids = links_and_ids(html)
    assert urls == ["/a/", "/k.jpg", "/k-1.webp", "/k-2.webp", "/haku/"]
    assert ids == {"osio"}


def test_pages_rendered_in_two_processes_equal_pages_rendered_in_one(site, tmp_path):
    # The session's site renders every other page in a forked process.
    serial = run_build(tmp_path / "output", PARALLEL_RENDERING=False)
    assert serial.returncode == 0, serial.stderr
    ours, theirs = snapshot(site.output), snapshot(serial.output)
    assert ours.keys() == theirs.keys()
    assert [name for name in ours if ours[name] != theirs[name]] == []
    assert any(name.startswith("kortit/") for name in ours)  # cards of pages rendered in either process


def test_pagefind_live_files_are_told_from_stale_ones(tmp_path):
    import subprocess

    from pagefind_bin import get_executable
    from site_search import live_index_files

    def page(name: str, text: str) -> None:
        (tmp_path / name).write_text(
            f'<!doctype html><html lang="fi"><body><main data-pagefind-body><h1>{text}</h1>'
            f"<p>{text} konservatorio</p></main></body></html>", encoding="utf-8")

    def index() -> set[str]:
        subprocess.run([str(get_executable()), "--site", str(tmp_path), "--quiet"], check=True)
        return {p.name for p in (tmp_path / "pagefind" / "fragment").iterdir()}

    page("a.html", "Ensimmäinen")
    page("b.html", "Toinen")
    first = index()
    page("b.html", "Muutettu")  # a new fragment; Pagefind keeps the old one's file
    second = index()
    assert len(first) == 2 and len(second) == 3
    live = live_index_files(tmp_path / "pagefind")
    fragments = {p.name for p in live if p.parent.name == "fragment"}
    assert len(fragments) == 2 and fragments < second and len(fragments & first) == 1
    assert {p.parent.name for p in live} == {"fragment", "index", "pagefind"}  # no filters here

    meta = next((tmp_path / "pagefind").glob("*.pf_meta"))
    for old in (tmp_path / "pagefind").glob("*.pf_meta"):
        old.write_bytes(b"not gzip")
    assert live_index_files(tmp_path / "pagefind") is None, meta  # unsure: rebuilt afresh


def test_plain_pelican_without_the_runner_still_builds(fixture_site, tmp_path):
    import json
    import subprocess
    import sys

    from conftest import PLUGINS, ROOT

    fixture_site.write("posts/a.md", post(title="Suoraan Pelicanilla", slug="suoraan"))
    output = tmp_path / "suora"
    done = subprocess.run(
        [sys.executable, "-m", "pelican", str(fixture_site.content), "-s", str(ROOT / "pelicanconf.py"),
         "-o", str(output), "-e", f"CACHE_PATH={json.dumps(str(tmp_path / 'cache'))}"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(PLUGINS)}, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Suoraan Pelicanilla" in (output / "ajankohtaista/2021/suoraan/index.html").read_text("utf-8")
    assert any((output / "kortit").iterdir()) and (output / "pagefind" / "pagefind.js").is_file()


@pytest.mark.build
def test_the_real_site_rebuilt_from_its_page_memo_equals_a_fresh_build(tmp_path):
    """Edits of each kind in one rebuild whose kept pages are verified
    (PAGE_MEMO_VERIFY renders them too and fails the build if one differs)."""
    import json
    import re
    import shutil

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)

    def build():
        done = run_build(tmp_path / "output", args=("--phases",), PATH=str(content), MEMBERS_KDF=FLOOR_KDF,
                         PAGE_MEMO_VERIFY=True)
        assert done.returncode == 0, done.stderr
        return json.loads(re.search(r"^SIVUMUISTI: (.*)$", done.stderr, re.M).group(1)), done

    for _ in range(3):  # the third build stages the first: the steady state
        memo, _ = build()
    assert memo["ei_käytössä"] == "" and memo["tehty"] == 0 and memo["säästetty"] > 200

    def append(path: str, text: str):
        with (content / path).open("a", encoding="utf-8") as handle:
            handle.write(f"\n{text}\n")

    append("posts/2020-12-08-uusi-ilme-ja-verkkosivut.md", "Kirjoitukseen lisätty lause.")
    append("pages/liitto.md", "Sivulle lisätty lause.")
    append("pages/sv/yhteystiedot.md", "En mening på svenska.")
    append("directory/lahden-konservatorio.md", "Oppilaitoksen lisätty lause.")
    memo, rebuilt = build()
    assert 0 < memo["tehty"] < memo["säästetty"]
    assert "Kirjoitukseen lisätty lause." in rebuilt.read("ajankohtaista/2020/uusi-ilme-ja-verkkosivut/")
    assert "Oppilaitoksen lisätty lause." in rebuilt.read("jasenet/lahden-konservatorio/")

    # An event's file changes its calendar entries' revision, which no page shows.
    append("events/floor-is-yours-jalkautus.md", "Tapahtumaan lisätty lause.")
    memo, rebuilt = build()
    assert 0 < memo["tehty"] < memo["säästetty"]
    assert "Tapahtumaan lisätty lause." in rebuilt.read("tapahtumat/2021/floor-is-yours-jalkautus/")

    fresh = run_build(tmp_path / "tuore", PATH=str(content), MEMBERS_KDF=FLOOR_KDF, PAGE_MEMO=False)
    assert fresh.returncode == 0, fresh.stderr
    assert snapshot(rebuilt.output) == snapshot(fresh.output)

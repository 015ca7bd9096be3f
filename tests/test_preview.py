"""The preview (`make serve`) as staff use it: a real process on a free port in a
small copy of the project, errors in the browser, Finnish-only output."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, free_port, hear_ctrl_c, post

# Every line a staff member may see from `make serve` and a build; anything else
# (Pelican's "Done: Processed …", a request log, a traceback) fails the test.
FINNISH_LINES = re.compile(
    r"(VIRHE: |  kenttä: |  ongelma: |  korjaus: |Rakentaminen epäonnistui: |"
    r"Sivusto rakennettu kansioon |Jäsenalueen kehityssalasanat |  [a-z]+: kehitys-[a-z]+-salasana$|"
    r"Sivusto osoitteessa http://localhost:\d+/ – muutokset päivittyvät|Esikatselu lopetettu\.|"
    r"HUOMIO: |Asennetaan |Portti \d+ on jo käytössä|$)")
GOOD = post("Hyvä kirjoitus", slug="hyva-kirjoitus")
BROKEN = post("Rikki", slug="rikki", category="Tuntematon")
MISSING_IMAGE = post("Rikki", slug="rikki", body="![Kuva]({static}/images/puuttuu.jpg)")


def copy_project(target: Path) -> Path:
    """What `make serve` needs, with the venv shared; file times kept so make
    does not reinstall anything."""
    for name in ("Makefile", "tasks.py", "pelicanconf.py", "publishconf.py",
                 "requirements.txt", "requirements-test.txt"):
        shutil.copy2(ROOT / name, target / name)
    for folder in ("theme", "plugins", "editor"):
        shutil.copytree(ROOT / folder, target / folder, copy_function=shutil.copy2,
                        ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    (target / ".venv").symlink_to(ROOT / ".venv")
    for folder in ("posts", "pages", "images"):
        (target / "content" / folder).mkdir(parents=True)
    return target


class Serving:
    """`make serve PORT=…` in its own process group, its output collected."""

    def __init__(self, project: Path, port: int):
        self.port, self.lines = port, []
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "serve", f"PORT={port}"], cwd=project, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
            preexec_fn=hear_ctrl_c)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, count: int = 1, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while sum(text in line for line in self.lines) < count:
            assert self.process.poll() is None, "\n".join(self.lines)
            assert time.monotonic() < deadline, f"no {text!r} in:\n" + "\n".join(self.lines)
            time.sleep(0.1)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as answer:
                return answer.status, answer.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def builds(self) -> int:
        return sum(line.startswith(("Sivusto rakennettu", "Rakentaminen epäonnistui")) for line in self.lines)

    def stop(self) -> None:
        self.stopped = "had already ended"  # how the preview stopped, for failure messages
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)  # Ctrl+C in the terminal
            self.stopped = "ended after Ctrl+C"
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.stopped = "did not end in 20 s after Ctrl+C: killed"
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.reader.join(timeout=5)
        if self.reader.is_alive():
            self.stopped += "; its output was still open 5 s later"


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path)


def change_and_wait(serving: Serving, file: Path, text: str) -> None:
    builds = serving.builds()
    file.write_text(text, encoding="utf-8")
    deadline = time.monotonic() + 120
    while serving.builds() == builds:
        assert time.monotonic() < deadline, "\n".join(serving.lines)
        time.sleep(0.1)


def test_preview_shows_build_problems_on_every_page_until_fixed(project, playwright_browser):
    posts = project / "content" / "posts"
    (posts / "2021-01-05-hyva.md").write_text(GOOD, encoding="utf-8")
    broken = posts / "2021-01-06-rikki.md"
    broken.write_text(BROKEN, encoding="utf-8")
    serving = Serving(project, free_port())
    try:
        serving.wait_for("Sivusto osoitteessa")
        # A fresh clone with broken content: the problems, not a bare 404, at every address.
        for path in ("/", "/ajankohtaista/hyva-kirjoitus/", "/mita/tahansa"):
            status, page = serving.get(path)
            assert status == 503
            assert "Sivustoa ei voitu koota: 1 virhe." in page
            assert "content/posts/2021-01-06-rikki.md" in page and "Category" in page
            assert "tuntematon kategoria &quot;Tuntematon&quot;" in page and "Korjaus" in page

        # In a browser the page reloads itself once the content is fixed.
        browser_page = playwright_browser.new_page()
        browser_page.goto(f"http://127.0.0.1:{serving.port}/")
        assert browser_page.locator("#esikatselu-virheet").is_visible()
        broken.write_text(BROKEN.replace("Tuntematon", "Hankkeet"), encoding="utf-8")
        browser_page.wait_for_selector("h1", timeout=120_000)
        browser_page.wait_for_load_state()
        assert browser_page.locator("#esikatselu-virheet").count() == 0
        assert "Suomen konservatorioliitto" in browser_page.title()
        browser_page.close()

        status, page = serving.get("/")
        assert status == 200 and "esikatselu-virheet" not in page
        status, page = serving.get("/olematon/sivu/")
        assert status == 404
        assert (project / "output" / "404.html").read_text(encoding="utf-8")[:200] in page

        # Broken again: the last good build, with the problem on top of every page.
        change_and_wait(serving, broken, MISSING_IMAGE)
        for path in ("/", "/ajankohtaista/hyva-kirjoitus/", "/olematon/"):
            status, page = serving.get(path)
            assert status in (200, 404)
            top = page[page.index("<body"):][:3000]
            assert "Sivuston kokoaminen epäonnistui: 1 virhe. Esikatselussa näkyy edellinen" in top
            assert "kuvaa {static}/images/puuttuu.jpg ei löydy." in top
            assert "content/posts/2021-01-06-rikki.md" in top
        assert "Cannot get modification stamp" not in "\n".join(serving.lines)
    finally:
        serving.stop()
    output = "\n".join(serving.lines)
    assert "Esikatselu lopetettu." in output, f"the preview {serving.stopped}:\n{output}"
    english = [line for line in serving.lines if not FINNISH_LINES.match(line)]
    assert not english, output


def test_taken_port_is_named_before_building(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(["make", "--no-print-directory", "serve", f"PORT={port}"], cwd=project,
                              capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert f"Portti {port} on jo käytössä" in done.stderr
    assert f"make serve PORT={port + 1}" in done.stderr
    assert not (project / "output").exists() and "Sivusto rakennettu" not in done.stdout


def test_clean_build_prints_only_finnish(site):
    """Pelican's English "Done: Processed …" is not printed; the build's own line is."""
    assert site.stdout.splitlines() and all(
        line.startswith("Sivusto rakennettu kansioon ") for line in site.stdout.splitlines())
    assert "Done" not in site.stdout + site.stderr
    assert all(line.startswith("HUOMIO: ") or not line.strip() for line in site.stderr.splitlines())


class InProcessPreview:
    """The preview's server over a folder, in this process, without builds."""

    def __init__(self, output: Path):
        import preview_server

        self.preview = preview_server.Preview(output, output.parent)
        self.server = preview_server.open_server(self.preview, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def state(self, query: str = "") -> tuple[dict, float]:
        import json

        started = time.monotonic()
        with urllib.request.urlopen(f"{self.url}/_esikatselu/tila{query}", timeout=30) as answer:
            return json.loads(answer.read()), time.monotonic() - started

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def preview_of(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text(
        "<!doctype html><html lang=fi><head><title>Etusivu</title></head>"
        "<body><h1>Etusivu</h1></body></html>", encoding="utf-8")
    serving = InProcessPreview(output)
    yield serving
    serving.close()


def test_an_open_page_hears_of_a_finished_build_at_once(preview_of):
    """The state request waits for the next build and is answered as it ends."""
    state, _ = preview_of.state()
    assert state == {"versio": 0}, "without versio: answered at once"
    threading.Timer(0.5, preview_of.preview.built).start()
    state, waited = preview_of.state("?versio=0")
    assert state == {"versio": 1}
    assert 0.4 < waited < 5, "answered when the build ended, not before, not at a later poll"
    state, waited = preview_of.state("?versio=0")  # a page still showing build 0
    assert state == {"versio": 1} and waited < 1


def test_a_visible_page_reloads_as_soon_as_a_build_changes_it(preview_of, playwright_browser):
    page = playwright_browser.new_page()
    asked, loads = [], []
    page.on("request", lambda request: asked.append(request.url) if "/tila" in request.url else None)
    page.on("load", lambda _page: loads.append(page.url))
    page.goto(preview_of.url + "/")
    page.wait_for_load_state()
    page.wait_for_timeout(2000)
    shown = page.locator("script[data-tiiviste]").get_attribute("data-tiiviste")
    assert asked == [f"{preview_of.url}/_esikatselu/tila?versio=0&sivu=%2F&tiiviste={shown}"], \
        "one request, waiting (no polling)"
    preview_of.preview.built()  # a build that left this page as it was
    page.wait_for_timeout(1000)
    assert len(loads) == 1, "a build that did not change the page does not reload it"
    front = preview_of.preview.output / "index.html"
    front.write_text(front.read_text(encoding="utf-8").replace("<h1>Etusivu", "<h1>Uusi etusivu"),
                     encoding="utf-8")
    with page.expect_navigation(timeout=10_000):  # generous: the waiting request, not a timer, answers
        preview_of.preview.built()
    assert page.locator("h1").text_content() == "Uusi etusivu"
    assert page.locator("script[data-versio='2']").count() == 1, "the reloaded page knows build 2"
    page.close()


def test_a_page_hears_only_of_builds_that_change_it(preview_of, monkeypatch):
    """With its address and fingerprint, an open page's request waits through
    builds that leave it as it was, and is answered by the one that changes it
    or by the problems of a failed build."""
    import preview_server
    from sitecore.problems import Problem, record_problems

    monkeypatch.setattr(preview_server, "LONG_POLL_SECONDS", 0.8)
    with urllib.request.urlopen(preview_of.url + "/") as answer:
        shown = re.search(r'data-tiiviste="(\w+)"', answer.read().decode()).group(1)
    query = f"?versio=0&sivu=%2F&tiiviste={shown}"
    threading.Timer(0.2, preview_of.preview.built).start()
    state, waited = preview_of.state(query)
    assert state == {"versio": 1, "muuttui": False} and waited > 0.75, "waited through build 1"
    assert preview_of.state(f"?sivu=%2F&tiiviste={shown}")[0] == {"versio": 1, "muuttui": False}, \
        "a hidden tab's look, answered at once"

    record_problems(preview_of.preview.output, [Problem("content/posts/rikki.md", "Title", "puuttuu.", "Lisää.")])
    threading.Timer(0.2, preview_of.preview.built).start()
    state, waited = preview_of.state(query.replace("versio=0", "versio=1"))
    assert state == {"versio": 2, "muuttui": True} and waited < 0.75, "the problems change every page"


def test_a_page_closed_while_waiting_leaves_no_traceback(preview_of, capfd):
    """A tab closed during its wait: the answer goes nowhere, silently."""
    with socket.create_connection(("127.0.0.1", preview_of.server.server_address[1])) as client:
        client.sendall(b"GET /_esikatselu/tila?versio=0 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        time.sleep(0.3)
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    preview_of.preview.built()  # the waiting request now writes to a closed socket
    time.sleep(0.5)
    state, _ = preview_of.state()
    assert state == {"versio": 1}, "the preview still answers"
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert "Exception occurred" not in captured.err + captured.out


def test_the_waiting_build_runs_the_plugins_as_they_are_when_it_starts(project):
    """The next build's process is started ahead with the libraries loaded, but
    our plugins are read when it starts: an edit made meanwhile is the one that runs."""
    (project / "content" / "posts" / "2021-01-05-hyva.md").write_text(GOOD, encoding="utf-8")
    script = ("import sys, tasks\n"
              "builds = tasks.WarmBuilds(tasks.DEV_SETTINGS)\n"
              "assert builds()\n"
              "assert builds.waiting.result().poll() is None, 'the next build waits'\n"
              "sys.stdin.readline()\n"  # the test edits a plugin now
              "assert builds()\n"
              "tasks._stop_builds()\n"
              "late = builds.waiting.result()\n"
              "assert late is None or late.poll() is not None, 'none left once the preview stops'\n")
    child = subprocess.Popen([str(ROOT / ".venv" / "bin" / "python"), "-c", script], cwd=project,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True)
    lines = []
    while not any(line.startswith("Sivusto rakennettu") for line in lines):
        lines.append(child.stdout.readline())
        assert lines[-1] or child.poll() is None, "".join(lines)
    main = project / "plugins" / "strict_build" / "__main__.py"
    main.write_text(main.read_text(encoding="utf-8").replace("Sivusto rakennettu", "Sivusto koottu"),
                    encoding="utf-8")
    out, _ = child.communicate("\n", timeout=120)
    assert child.returncode == 0, "".join(lines) + out
    assert "Sivusto koottu kansioon output" in out, out


def test_a_saved_post_is_shown_from_the_last_good_build_before_the_full_build(project):
    """The last good build's process stays and re-renders an edited post at once
    (``WarmBuilds.quick``); what it cannot show right waits for the full build."""
    post_file = project / "content" / "posts" / "2021-01-05-hyva.md"
    post_file.write_text(GOOD, encoding="utf-8")
    script = f"""
import os, sys, tasks
from pathlib import Path
BROKEN_TEXT = os.environ["BROKEN_TEXT"]
post = Path({str(post_file)!r})
good = post.read_text(encoding="utf-8")
builds = tasks.WarmBuilds(tasks.DEV_SETTINGS)
assert not builds.quick([str(post)]), "no build yet: nothing to show from"
assert builds()
page = next(Path("output").glob("**/hyva-kirjoitus/index.html"))
post.write_text(good.replace("Teksti.", "Uusi lause tallennettiin."), encoding="utf-8")
assert builds.quick([str(post)]), "shown from the last build"
assert "Uusi lause tallennettiin." in page.read_text(encoding="utf-8")
print("QUICK", flush=True)
assert not builds.quick([str(Path("plugins/strict_build/quick.py").resolve())]), "code: full build"
post.write_text(good.replace("Slug: hyva-kirjoitus", "Slug: uusi-osoite"), encoding="utf-8")
assert not builds.quick([str(post)]), "a new address: full build"
post.write_text(good.replace("Teksti.", "Uusi lause tallennettiin."), encoding="utf-8")
waiting = builds.waiting.result()
waiting.child.kill()
waiting.child.wait()
assert builds(), "the waiting process was stopped from outside: the build runs afresh"
shown = page.read_bytes()
# Read without a problem, so shown at once; the full build's link check then fails:
# the output goes back to the last good build.
post.write_text(good.replace("Teksti.", "Katso [sivu](/ei-ole-olemassa/)."), encoding="utf-8")
assert builds.quick([str(post)])
assert "ei-ole-olemassa" in page.read_text(encoding="utf-8")
assert not builds()
assert page.read_bytes() == shown, "the quick pass was undone"
post.write_text(good.replace("Teksti.", "Korjattu."), encoding="utf-8")
assert not builds.quick([str(post)]), "the last build failed: nothing to show from"
post.write_text(BROKEN_TEXT, encoding="utf-8")
assert not builds()
tasks._stop_builds()
assert builds.holder is None or builds.holder.poll() is not None
"""
    child = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c", script], cwd=project,
                           env={**os.environ, "BROKEN_TEXT": BROKEN},
                           capture_output=True, text=True, timeout=300)
    out = child.stdout + child.stderr
    assert child.returncode == 0, out
    # The quick pass wrote the page before any second build was printed.
    assert out.index("QUICK") < out.index("Sivusto rakennettu", out.index("Sivusto rakennettu") + 1), out
    assert out.count("Rakentaminen epäonnistui: 1 virhe.") == 2, out
    assert "/ei-ole-olemassa/" in out


def test_an_edited_post_reloads_its_open_page_once(project, playwright_browser):
    """`make serve`: the edit is shown (from the last build), and the full build
    that follows writes the same page, so the page does not reload again."""
    post_file = project / "content" / "posts" / "2021-01-05-hyva.md"
    post_file.write_text(GOOD, encoding="utf-8")
    serving = Serving(project, free_port())
    try:
        serving.wait_for("Sivusto osoitteessa")
        address = next((project / "output").glob("**/hyva-kirjoitus/index.html")).parent
        page = playwright_browser.new_page()
        loads = []
        page.on("load", lambda _page: loads.append(time.monotonic()))
        page.goto(f"http://127.0.0.1:{serving.port}/{address.relative_to(project / 'output').as_posix()}/")
        page.wait_for_timeout(500)
        builds = serving.builds()
        post_file.write_text(GOOD.replace("Teksti.", "Tallennettu lause."), encoding="utf-8")
        page.get_by_text("Tallennettu lause.").wait_for(timeout=60_000)
        serving.wait_for("Sivusto rakennettu", count=builds + 1)
        page.wait_for_timeout(1500)  # time for a reload, had the full build changed the page
        assert len(loads) == 2, "one load, one reload"
        assert page.get_by_text("Tallennettu lause.").is_visible()
        page.close()
    finally:
        serving.stop()

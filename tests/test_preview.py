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

from conftest import EDITOR_FOLDER, ROOT, hear_ctrl_c, post

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
    """`make serve PORT=0` (any free port) in its own process group, its output collected."""

    def __init__(self, project: Path):
        self.lines = []
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "serve", "PORT=0"], cwd=project, env=env,
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

    @property
    def port(self) -> int:
        """The port the preview printed (it binds any free one: no race with other tests)."""
        line = next(line for line in self.lines if line.startswith("Sivusto osoitteessa"))
        return int(re.search(r"localhost:(\d+)/", line).group(1))

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
    serving = Serving(project)
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


def _ask_in_background(preview_of, query: str) -> dict:
    """Send a state request from another thread; its answer lands in the dict returned."""
    answer = {}

    def ask():
        answer.update(preview_of.state(query)[0])

    answer["thread"] = threading.Thread(target=ask, daemon=True)
    answer["thread"].start()
    return answer


def test_an_open_page_hears_of_a_finished_build_at_once(preview_of):
    """The state request waits for the next build and is answered as it ends."""
    preview = preview_of.preview
    state, _ = preview_of.state()
    assert state == {"versio": 0}, "without versio: answered at once"
    answer = _ask_in_background(preview_of, "?versio=0")
    assert preview.wait_until(lambda: preview.waits == 1), "the request waits for a build"
    assert answer["thread"].is_alive() and "versio" not in answer
    preview.built()
    answer["thread"].join(timeout=30)
    assert answer["versio"] == 1, "answered by the build"
    state, _ = preview_of.state("?versio=0")  # a page still showing build 0: answered at once
    assert state == {"versio": 1} and preview.waits == 2


def test_a_visible_page_reloads_as_soon_as_a_build_changes_it(preview_of, playwright_browser):
    preview = preview_of.preview
    page = playwright_browser.new_page()
    asked, loads = [], []
    page.on("request", lambda request: asked.append(request.url) if "/tila" in request.url else None)
    page.on("load", lambda _page: loads.append(page.url))
    page.goto(preview_of.url + "/")
    assert preview.wait_until(lambda: preview.waits == 1), "the page asks and waits"
    shown = page.locator("script[data-tiiviste]").get_attribute("data-tiiviste")
    assert asked == [f"{preview_of.url}/_esikatselu/tila?versio=0&sivu=%2F&tiiviste={shown}"], \
        "one request, waiting (no polling)"
    preview.built()  # a build that left this page as it was: its request waits on
    assert preview.wait_until(lambda: preview.waits == 2) and preview.answers == 0
    front = preview.output / "index.html"
    front.write_text(front.read_text(encoding="utf-8").replace("<h1>Etusivu", "<h1>Uusi etusivu"),
                     encoding="utf-8")
    with page.expect_navigation(timeout=30_000):
        preview.built()
    assert page.locator("h1").text_content() == "Uusi etusivu"
    assert page.locator("script[data-versio='2']").count() == 1, "the reloaded page knows build 2"
    assert len(loads) == 2 and len([url for url in asked if "versio=0" in url]) == 1
    page.close()


def test_a_page_hears_only_of_builds_that_change_it(preview_of):
    """With its address and fingerprint, an open page's request waits through
    builds that leave it as it was, and is answered by the one that changes it
    or by the problems of a failed build."""
    from sitecore.problems import Problem, record_problems

    preview = preview_of.preview
    with urllib.request.urlopen(preview_of.url + "/") as answer:
        shown = re.search(r'data-tiiviste="(\w+)"', answer.read().decode()).group(1)
    answer = _ask_in_background(preview_of, f"?versio=0&sivu=%2F&tiiviste={shown}")
    assert preview.wait_until(lambda: preview.waits == 1)
    preview.built()
    assert preview.wait_until(lambda: preview.waits == 2), "waited through build 1"
    assert answer["thread"].is_alive() and preview.answers == 0
    assert preview_of.state(f"?sivu=%2F&tiiviste={shown}")[0] == {"versio": 1, "muuttui": False}, \
        "a hidden tab's look, answered at once"
    record_problems(preview.output, [Problem("content/posts/rikki.md", "Title", "puuttuu.", "Lisää.")])
    preview.built()
    answer["thread"].join(timeout=30)
    assert {k: v for k, v in answer.items() if k != "thread"} == {"versio": 2, "muuttui": True}, \
        "the problems change every page"


def test_a_waiting_request_is_answered_when_its_time_is_up(preview_of, monkeypatch):
    import preview_server

    monkeypatch.setattr(preview_server, "LONG_POLL_SECONDS", 0.01)
    assert preview_of.state("?versio=0")[0] == {"versio": 0}, "no build came: asked again later"


def test_a_page_closed_while_waiting_leaves_no_traceback(preview_of, capfd):
    """A tab closed during its wait: the answer goes nowhere, silently."""
    preview = preview_of.preview
    with socket.create_connection(("127.0.0.1", preview_of.server.server_address[1])) as client:
        client.sendall(b"GET /_esikatselu/tila?versio=0 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert preview.wait_until(lambda: preview.waits == 1)
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    preview.built()  # the waiting request now writes to a closed socket
    assert preview.wait_until(lambda: preview.answers == 1)
    state, _ = preview_of.state()
    assert state == {"versio": 1}, "the preview still answers"
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert "Exception occurred" not in captured.err + captured.out


def test_an_edited_post_reloads_its_open_page(project, playwright_browser):
    """`make serve`: a saved post is rebuilt and its open page reloads with the new text."""
    post_file = project / "content" / "posts" / "2021-01-05-hyva.md"
    post_file.write_text(GOOD, encoding="utf-8")
    serving = Serving(project)
    try:
        serving.wait_for("Sivusto osoitteessa")
        address = next((project / "output").glob("**/hyva-kirjoitus/index.html")).parent
        page = playwright_browser.new_page()
        loads = []
        page.on("load", lambda _page: loads.append(page.url))
        page.goto(f"http://127.0.0.1:{serving.port}/{address.relative_to(project / 'output').as_posix()}/")
        post_file.write_text(GOOD.replace("Teksti.", "Tallennettu lause."), encoding="utf-8")
        page.get_by_text("Tallennettu lause.").wait_for(timeout=60_000)
        page.wait_for_load_state("load")  # the new text can be parsed before its load event
        assert len(loads) == 2, "one load, one reload"
        page.close()
    finally:
        serving.stop()


@pytest.fixture
def editor_preview(preview_of):
    """The preview over a site with the editor's page, its own policy included."""
    from editor import admin_headers, default_settings
    from site_meta.headers import meta_policy

    policy = meta_policy(admin_headers({**default_settings({}), "SITEURL": ""})["Content-Security-Policy"])
    editor = preview_of.preview.output / EDITOR_FOLDER
    editor.mkdir()
    (editor / "index.html").write_text(
        f'<!doctype html><html lang=fi><head><meta http-equiv="Content-Security-Policy" content="{policy}">'
        "<title>Muokkain</title></head><body><main id=nc-root><h1>Muokkain</h1></main></body></html>",
        encoding="utf-8")
    preview_of.editor = f"{preview_of.url}/{EDITOR_FOLDER}"
    return preview_of


def test_the_editor_is_never_reloaded_and_shows_the_problems_in_a_panel(editor_preview, playwright_browser):
    """A build's problems (or their end) never reload /admin/, which would lose the
    writer's unsaved text: its own panel shows them, under its policy."""
    from sitecore.problems import Problem, forget_problems, record_problems

    preview = editor_preview.preview
    record_problems(preview.output, [Problem("content/posts/rikki.md", "Title", "otsikko puuttuu.", "Lisää Title.")])
    with urllib.request.urlopen(editor_preview.editor) as answer:
        served = answer.read().decode()
    assert "paivita.js" not in served and "data-tiiviste" not in served, "nothing reloads the editor"
    assert 'id="esikatselu-virheet"' not in served, "no box under Decap's interface"
    assert "virhepaneeli.js" in served

    page = playwright_browser.new_page()
    loads, errors = [], []
    page.on("load", lambda _page: loads.append(page.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(editor_preview.editor)
    panel = page.locator("#esikatselu-virhepaneeli")
    panel.get_by_text("content/posts/rikki.md").wait_for()
    assert "Sivuston kokoaminen epäonnistui: 1 virhe." in panel.inner_text()
    assert panel.get_by_text("otsikko puuttuu.").is_visible() and panel.get_by_text("Lisää Title.").is_visible()
    page.evaluate("window.unsaved = 'kesken oleva teksti'")

    forget_problems(preview.output)  # the writer fixed the file: the next build succeeds
    preview.built()
    panel.wait_for(state="hidden")
    record_problems(preview.output, [Problem("content/posts/uusi.md", "Date", "päivä puuttuu.", "Lisää Date.")])
    preview.built()
    panel.get_by_text("content/posts/uusi.md").wait_for()
    assert page.evaluate("window.unsaved") == "kesken oleva teksti" and loads == [editor_preview.editor], \
        "the editor's page was never reloaded"
    assert not [e for e in errors if "Content Security Policy" in e], errors
    page.close()


def test_other_pages_still_show_the_problems_on_top_and_reload(editor_preview):
    from sitecore.problems import Problem, record_problems

    record_problems(editor_preview.preview.output, [Problem("content/posts/rikki.md", "Title", "puuttuu.", "Lisää.")])
    with urllib.request.urlopen(editor_preview.url + "/") as answer:
        page = answer.read().decode()
    assert 'id="esikatselu-virheet"' in page and "paivita.js" in page and "virhepaneeli.js" not in page

"""Shared fixtures: the real site built once, and small fixture sites."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ROOT / "plugins"
# The test site's content: the site as it was in 2021, kept here so that what
# staff write in content/ never fails a test of the code. The real content is
# checked by one build of it (test_real_content.py).
CONTENT = ROOT / "tests" / "fixture-content"
SITEURL = "https://konservatorioliitto.fi"
sys.path.insert(0, str(PLUGINS))
sys.path.insert(0, str(ROOT))

from members_area.crypto import MIN_KDF  # noqa: E402 - after the plugins are on the path


EDITOR_FOLDER = "admin/"


@dataclass
class Build:
    returncode: int
    stdout: str
    stderr: str
    output: Path
    # Pages parsed once per worker: the site-wide checks read the same few
    # hundred trees (parsing them is most of the workers' own CPU time).
    # The key is the file's state, so a file written again is parsed again.
    parsed: dict = field(default_factory=dict, repr=False, compare=False)

    def html(self, path: str) -> BeautifulSoup:
        return self.parse(self.file(path))

    def parse(self, file: Path) -> BeautifulSoup:
        """The tree of one page, shared: read it, don't change it (parse your own copy to edit)."""
        state = file.stat()
        key = (file, state.st_mtime_ns, state.st_size)
        if key not in self.parsed:
            self.parsed[key] = BeautifulSoup(self.read_file(file), "html.parser")
        return self.parsed[key]

    def file(self, path: str) -> Path:
        file = self.output / path
        if file.is_dir() or path.endswith("/") or path == "":
            file = file / "index.html"
        return file

    def read(self, path: str) -> str:
        return self.read_file(self.file(path))

    @staticmethod
    def read_file(file: Path) -> str:
        with file.open(encoding="utf-8", newline="") as handle:  # keep iCalendar's CRLF
            return handle.read()

    def exists(self, path: str) -> bool:
        file = self.output / path
        return file.is_file() or (file / "index.html").is_file()

    # The staff's editor (/admin/) is an application, not a page of the site:
    # tests/test_editor.py tests it.
    def _site_file(self, path: Path) -> bool:
        return not path.relative_to(self.output).as_posix().startswith(EDITOR_FOLDER)

    def pages(self):
        return sorted(p for p in self.output.rglob("*.html") if self._site_file(p))

    def text_files(self):
        suffixes = {".html", ".xml", ".json", ".txt", ".css", ".js", ".ics", ".svg"}
        return sorted(p for p in self.output.rglob("*") if p.suffix in suffixes and self._site_file(p))


# Production builds need the members' passwords from the environment; tests
# use strong throwaway ones, never the documented development passwords.
GROUPS = ["jasenet", "hallitus", "kollegio", "talouspaallikot", "opiskelijahallinto"]
TEST_PASSWORDS = {group: f"testi {group} salalause oikea hevonen paristo" for group in GROUPS}
# The salt key (members_area/crypto.py) is a secret of production like the passwords.
TEST_SALT_KEY = "7e57" * 16
PASSWORD_ENV = {**{f"MEMBERS_PASSWORD_{g.upper()}": p for g, p in TEST_PASSWORDS.items()},
                "MEMBERS_SALT_KEY": TEST_SALT_KEY}
FLOOR_KDF = MIN_KDF  # OWASP's floor for Argon2id, the lowest cost a keyring may ask


def run_build(output: Path, settings: str = "publishconf.py", env: dict | None = None,
              args: tuple[str, ...] = (), **overrides) -> Build:
    """Build with the same command `make build` uses (``args``: more of its options)."""
    import json

    extra = []
    for key, value in overrides.items():
        extra += ["-e", f"{key}={json.dumps(value)}"]
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("MEMBERS_PASSWORD_") and k not in ("MEMBERS_SECRETS_FILE", "MEMBERS_SALT_KEY")}
    env = {**base, **(PASSWORD_ENV if env is None else env), "PYTHONPATH": str(PLUGINS)}
    if "CACHE_PATH" not in overrides:  # keep test builds out of the developer's cache
        extra += ["-e", f"CACHE_PATH={json.dumps(str(output.parent / 'cache'))}"]
    proc = subprocess.run(
        [sys.executable, "-m", "strict_build", str(ROOT / settings), str(output), *extra, *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    return Build(proc.returncode, proc.stdout, proc.stderr, output)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Build:
    """The test site (``CONTENT``) with the real theme, plugins and production
    settings, built once for the session.

    Under pytest-xdist (`make test`) the workers share one build: the first
    to ask builds it while the others wait on a lock, then all read it.
    """
    import fcntl
    import json

    def build_site(folder: Path) -> Build:
        return run_build(folder / "output", PATH=str(CONTENT))

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        build = build_site(tmp_path_factory.mktemp("site"))
    else:
        shared = tmp_path_factory.getbasetemp().parent / "real-site"  # one per test run
        shared.mkdir(exist_ok=True)
        with (shared / "lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            record = shared / "build.json"
            if record.exists():
                build = Build(**{**json.loads(record.read_text(encoding="utf-8")), "output": shared / "output"})
            else:
                build = build_site(shared)
                record.write_text(json.dumps({"returncode": build.returncode, "stdout": build.stdout,
                                              "stderr": build.stderr}), encoding="utf-8")
    assert build.returncode == 0, build.stderr
    return build


def front_matter(path: Path) -> dict[str, str]:
    """The "Key: value" lines at the top of a content file, keys in lower case."""
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        fields[key.strip().lower()] = value.strip()
    return fields


def post(title="Kirjoitus", date="2021-01-05", category="Hankkeet", body="Teksti.", **fields):
    """Front matter and body of a fixture post."""
    lines = {"Title": title, "Date": date, "Category": category,
             "Author": "Konservatorioliiton toimisto", "Summary": f"Tiivistelmä: {title}."}
    lines.update({k.capitalize(): v for k, v in fields.items()})
    head = "\n".join(f"{k}: {v}" for k, v in lines.items() if v is not None)
    return f"{head}\n\n{textwrap.dedent(body)}\n"


class FixtureSite:
    """A tiny content folder built with the real theme, plugins and settings."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        self.output = root / "output"
        for folder in ("posts", "pages", "images"):
            (self.content / folder).mkdir(parents=True, exist_ok=True)

    def write(self, path: str, text: str) -> Path:
        file = self.content / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
        return file

    def build(self, settings="publishconf.py", env=None, **overrides) -> Build:
        # Argon2id at OWASP's floor unless a test names a cost: a fixture site
        # tests its content, not the cost of the derivation (the real site, the
        # `site` fixture, is built with publishconf.py's production cost).
        overrides.setdefault("MEMBERS_KDF", FLOOR_KDF)
        return run_build(self.output, settings, env=env, PATH=str(self.content), **overrides)


@pytest.fixture
def fixture_site(tmp_path) -> FixtureSite:
    return FixtureSite(tmp_path)


# --- a real browser ---------------------------------------------------------------

DEBIAN_CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


def _browser_executable() -> str | None:
    """Debian's chromium, else Playwright's own (installing it if we can)."""
    if os.path.exists(DEBIAN_CHROMIUM):
        return DEBIAN_CHROMIUM
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        path = playwright.chromium.executable_path
    if path and os.path.exists(path):
        return path
    subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=False)
    return path if path and os.path.exists(path) else None


@pytest.fixture(scope="session")
def playwright_browser():
    from playwright.sync_api import sync_playwright

    executable = _browser_executable()
    if executable is None:
        # Never a silent skip: the members' section is only tested in a real browser.
        pytest.fail("No Chromium for the browser tests: install Debian's chromium "
                    "(apt-get install chromium) or run python -m playwright install chromium.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        browser.executable = executable
        browser.playwright = playwright
        yield browser
        browser.close()


def hear_ctrl_c() -> None:
    """In the child before it starts: Ctrl+C stops it, as in a terminal. A test
    run started in the background of a shell (``.ci/run &``) inherits SIGINT
    ignored, and an ignored signal stays ignored across exec."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (for a server a test starts)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class StaticServer:
    """Serves a folder on 127.0.0.1 (a secure context), optionally with extra headers."""

    def __init__(self, folder: Path, headers: dict | None = None):
        import functools
        import threading
        from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

        extra = headers or {}

        class Handler(SimpleHTTPRequestHandler):
            def end_headers(self):
                for name, value in extra.items():
                    self.send_header(name, value)
                super().end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0),
                                          functools.partial(Handler, directory=str(folder)))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def serve():
    servers = []

    def start(folder, headers=None):
        server = StaticServer(folder, headers)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def site_headers(output: Path, blocks: tuple[str, ...] = ("/*",)) -> dict[str, str]:
    """The headers _headers gives to a path matched by ``blocks``, read the way
    Cloudflare Pages does: rules in order, "! Name" detaching an earlier value."""
    headers, in_block = {}, False
    for line in (output / "_headers").read_text(encoding="utf-8").splitlines():
        if not line.startswith(" "):
            in_block = line.strip() in blocks
            continue
        if in_block and line.strip().startswith("! "):
            headers.pop(line.strip()[2:], None)
        elif in_block:
            name, _, value = line.strip().partition(": ")
            headers[name] = value
    return headers


class RoutedSite:
    """Serves a production build at its real https origin inside the browser.

    Every request to the site's host is answered from the output folder with
    the headers of _headers; a request to any other host is refused and
    recorded, so tests can assert there were none.
    """

    def __init__(self, context, output: Path, siteurl: str = SITEURL, headers: dict | None = None):
        import mimetypes

        self.output, self.siteurl = output, siteurl
        self.headers = site_headers(output) if headers is None else headers
        self.requests, self.foreign = [], []

        def answer(route):
            url = route.request.url
            path = url[len(siteurl):].split("?")[0].split("#")[0] or "/"
            file = output / path.lstrip("/")
            if path.endswith("/"):
                file = file / "index.html"
            self.requests.append(url)
            if not file.is_file():
                route.fulfill(status=404, path=str(output / "404.html"),
                              headers={**self.headers, "Content-Type": "text/html; charset=utf-8"})
                return
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
                kind += "; charset=utf-8"
            route.fulfill(status=200, path=str(file), headers={**self.headers, "Content-Type": kind})

        def refuse(route):
            self.foreign.append(route.request.url)
            route.abort()

        context.route("**/*", refuse)
        context.route(f"{siteurl}/**", answer)


# --- the test pyramid -------------------------------------------------------------

KINDS = ("unit", "plugin", "build", "browser")
# Fixtures that build a whole site or start programs: a test using one is a build test.
BUILDING_FIXTURES = {"site", "fixture_site", "calendar_site", "members_site", "sshd", "project"}
# Tests that build a site or start a program (invoke, vnu, actionlint, the deploy
# script, node) without one of those fixtures.
BUILDING_TESTS = {
    "test_calendar.py": {"test_new_event_task_names_what_is_missing_or_wrong"},
    "test_editor.py": {"test_format_slug_and_locale_in_node", "test_vendored_bundle_is_the_pinned_package"},
    "test_deploy.py": {"test_publish_switch_prune_and_rollback_in_a_local_folder",
                       "test_a_failed_or_missing_build_is_never_published"},
    "test_members.py": {"test_passphrase_task_prints_a_strong_finnish_passphrase",
                        "test_a_weak_production_password_stops_the_build_command",
                        "test_development_build_uses_documented_passwords",
                        "test_vendored_argon2_is_the_pinned_npm_file",
                        "test_nothing_members_only_reaches_the_output"},
    "test_engine.py": {"test_plain_pelican_is_told_to_use_the_build_command"},
    "test_standards.py": {"test_the_checker_reports_what_is_wrong"},
    "test_tasks_cli.py": {"test_task_list_is_finnish_and_complete", "test_task_help_is_finnish",
                          "test_mistakes_get_a_finnish_hint_and_write_nothing"},
    "test_workflows.py": {"test_workflows_pass_actionlint", "test_actionlint_finds_mistakes"},
}


def pytest_collection_modifyitems(items):
    """Mark each test with its kind, unless it says: browser tests by their
    browser, build tests by the fixtures that build, the rest unit tests."""
    for item in items:
        if any(item.get_closest_marker(kind) for kind in KINDS):
            continue
        if "playwright_browser" in item.fixturenames:
            item.add_marker(pytest.mark.browser)
        elif (BUILDING_FIXTURES & set(item.fixturenames)
              or item.originalname in BUILDING_TESTS.get(item.path.name, ())):
            item.add_marker(pytest.mark.build)
        else:
            item.add_marker(pytest.mark.unit)


# --- one plugin, a tiny site, this process -----------------------------------------

TINY_SETTINGS = """
AUTHOR = "Toimisto"
SITENAME = "Pieni sivusto"
SITEURL = ""
TIMEZONE = "Europe/Helsinki"
DEFAULT_LANG = "fi"
THEME = "simple"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = []
PLUGIN_PATHS = [{plugins!r}]
"""


class TinySite:
    """A tiny site built with Pelican's own "simple" theme, the core and only the
    plugins a test names, in a forked copy of this process (no Python start;
    the plugins' signal receivers do not outlive the build)."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        self.output = root / "output"
        for folder in ("posts", "pages"):
            (self.content / folder).mkdir(parents=True, exist_ok=True)

    def write(self, path: str, text: str) -> Path:
        file = self.content / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return file

    def settings_file(self, *plugins: str, **settings) -> Path:
        """The tiny site's settings: strict_build, ``plugins`` and ``settings``."""
        lines = [TINY_SETTINGS.format(plugins=str(PLUGINS))]
        lines.append(f"PATH = {str(self.content)!r}")
        lines.append(f"CACHE_PATH = {str(self.root / 'cache')!r}")
        lines.append(f"PLUGINS = {['strict_build', *plugins]!r}")
        lines += [f"{key} = {value!r}" for key, value in settings.items()]
        config = self.root / "tinyconf.py"
        config.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return config

    def build(self, *plugins: str, then=None, **settings):
        """Build with strict_build and ``plugins``; the runner's BuildResult.

        ``then(result)``, if given, runs in the build's process after it; the
        value it returns comes back instead.
        """
        import pickle

        from strict_build import build

        config = self.settings_file(*plugins, **settings)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the build, in a copy of this process
            os.close(read_end)
            try:
                result = build(config, self.output)
                data = pickle.dumps(then(result) if then is not None else result)
            except BaseException as exc:  # noqa: BLE001 - handed to the test
                data = pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}"))
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        result = pickle.loads(data)
        if isinstance(result, Exception):
            raise result
        return result

    def read(self, path: str) -> str:
        return (self.output / path).read_text(encoding="utf-8")

    def theme(self, *templates: str, **bodies: str) -> str:
        """THEME for a plugin that writes pages of its own: "simple", our catalogs and a bare
        page for each of ``templates``, or one whose content is ``bodies[name]`` (our theme's
        pages are tested on the real site)."""
        import shutil

        from pelican.themes import __path__ as themes

        theme = self.root / "theme"
        if not theme.is_dir():  # the same theme for each build of one test
            shutil.copytree(Path(themes[0]) / "simple", theme)
            shutil.copytree(ROOT / "theme" / "translations", theme / "translations")
        for name, body in {**dict.fromkeys(templates, "{{ url }}"), **bodies}.items():
            (theme / "templates" / f"{name}.html").write_text(
                f'{{% extends "base.html" %}}{{% block content %}}{body}{{% endblock %}}', encoding="utf-8")
        return str(theme)


@pytest.fixture
def tiny_site(tmp_path) -> TinySite:
    return TinySite(tmp_path)

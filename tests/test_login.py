"""Staff sign in to the editor through the sign-in service in functions/.

The service runs in its real runtime: `wrangler pages dev` (workerd, pinned
in package.json) serves a tiny built site with the Pages Functions, and a
fake GitHub on this machine answers the OAuth endpoints (authorise, token)
and the few API calls Decap CMS makes after signing in. Chromium goes
through the whole flow as a writer would.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import subprocess
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from conftest import PASSWORD_ENV, ROOT, SITEURL, FixtureSite, RoutedSite, free_port, hear_ctrl_c, post, site_headers

WRANGLER = ROOT / "node_modules" / ".bin" / "wrangler"
REPO = "konservatorioliitto/sivusto"
CLIENT_ID = "Iv1.testi0123456789"
CLIENT_SECRET = "testi-salaisuus-" + "0" * 24
COMPATIBILITY_DATE = "2026-04-01"  # at most the pinned workerd's own date
LOGIN_BUTTON = "Kirjaudu GitHub-tunnuksella"


def need_wrangler():
    if not WRANGLER.exists():
        # Never a silent skip: the sign-in service is only tested in its real runtime.
        pytest.fail("Run `npm ci --ignore-scripts` (make test does) to install wrangler.")


# --- what the build names ---------------------------------------------------------------

def editor_settings(environ: dict, **settings) -> dict:
    from editor import default_settings

    values = {"SITEURL": "https://konservatorioliitto.fi", "PUBLIC_SITEURL": "https://konservatorioliitto.fi",
              **settings}
    for key, value in default_settings(environ).items():
        values.setdefault(key, value)
    return values


def test_the_editor_signs_in_where_the_site_is_deployed():
    from editor import PAGES_LOGIN, admin_headers, backend, settings_problems

    # Cloudflare Pages: the Functions on the site's own origin, with nothing to set.
    pages = editor_settings({"DEPLOY_TARGET": "cloudflare", "EDITOR_GITHUB_REPO": REPO})
    spec = backend(pages)
    assert (spec["base_url"], spec["auth_endpoint"]) == ("https://konservatorioliitto.fi", "api/auth")
    assert (ROOT / "functions" / (PAGES_LOGIN.strip("/") + ".js")).read_text().count("export const onRequestGet")
    assert settings_problems(pages) == []
    # A web hotel: the Worker's address, named by EDITOR_AUTH_URL; its origin may be connected to.
    hotel = editor_settings({"DEPLOY_TARGET": "rsync", "EDITOR_GITHUB_REPO": REPO,
                             "EDITOR_AUTH_URL": "https://kirjautuminen.konservatorioliitto.fi/"})
    spec = backend(hotel)
    assert (spec["base_url"], spec["auth_endpoint"]) == ("https://kirjautuminen.konservatorioliitto.fi", "auth")
    policy = admin_headers(hotel)["Content-Security-Policy"]
    connect = next(d for d in policy.split("; ") if d.startswith("connect-src "))
    assert "https://kirjautuminen.konservatorioliitto.fi" in connect.split()
    # Nowhere to sign in: no address at all (decap-server on a writer's own machine).
    for environ in ({"DEPLOY_TARGET": "rsync", "EDITOR_GITHUB_REPO": REPO}, {}):
        spec = backend(editor_settings(environ))
        assert "base_url" not in spec and "auth_endpoint" not in spec
    assert "kirjautuminen" not in admin_headers(editor_settings({}))["Content-Security-Policy"]
    # An address the browser could not use is the administrator's mistake, in Finnish.
    for wrong in ("kirjautuminen.example.fi", "http://kirjautuminen.example.fi/auth", "ftp://x.fi/auth"):
        problems = settings_problems(editor_settings({"EDITOR_AUTH_URL": wrong}))
        assert [p.field for p in problems] == ["EDITOR_AUTH_URL"], wrong
        assert "ei ole kelvollinen osoite" in problems[0].message


def test_wrangler_is_pinned():
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    version = package["devDependencies"]["wrangler"]
    assert lock["packages"]["node_modules/wrangler"]["version"] == version
    workerd = lock["packages"]["node_modules/wrangler"]["dependencies"]["workerd"]
    assert lock["packages"]["node_modules/workerd"]["version"] == workerd
    assert COMPATIBILITY_DATE <= "-".join((workerd.split(".")[1][i:j] for i, j in ((0, 4), (4, 6), (6, 8))))


@pytest.mark.build
def test_the_services_settings_are_checked_and_named():
    """Mistakes in the service's variables are named (never their values), in Node:
    functions/_oauth.js uses only the Web APIs that workerd and Node share."""
    script = """
import { readSettings, startLogin } from './functions/_oauth.js';
const request = new Request('https://konservatorioliitto.fi/api/auth');
const ok = {GITHUB_CLIENT_ID: 'id', GITHUB_CLIENT_SECRET: 'salainen'};
const cases = {
  ok: readSettings(ok, request),
  missing: readSettings({GITHUB_CLIENT_ID: ' '}, request),
  scope: readSettings({...ok, GITHUB_SCOPE: 'admin:org'}, request),
  elsewhere: readSettings({...ok, GITHUB_URL_FOR_TESTS: 'https://example.com'}, request),
  nonsense: readSettings({...ok, GITHUB_URL_FOR_TESTS: 'ei osoite', SITE_ORIGIN: 'x'}, request),
  loopback: readSettings({...ok, GITHUB_URL_FOR_TESTS: 'http://127.0.0.1:9/x'}, request),
  worker: readSettings(ok, request, {worker: true}),
  site: readSettings({...ok, SITE_ORIGIN: 'https://konservatorioliitto.fi/admin/'}, request, {worker: true}),
};
const page = startLogin(new Request('https://konservatorioliitto.fi/api/auth'), {});
console.log(JSON.stringify({cases, status: page.status, text: await page.text()}));
"""
    proc = subprocess.run(["node", "--input-type=module", "-e", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    cases = out["cases"]
    assert cases["ok"]["problem"] == "" and cases["ok"]["github"] == "https://github.com"
    assert cases["ok"]["scope"] == "repo" and cases["ok"]["siteOrigin"] == "https://konservatorioliitto.fi"
    assert cases["missing"]["problem"] == "puuttuu GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET"
    assert "GITHUB_SCOPE" in cases["scope"]["problem"]
    assert "GITHUB_URL_FOR_TESTS" in cases["elsewhere"]["problem"]
    assert cases["elsewhere"]["github"] == "https://github.com"
    assert cases["loopback"]["github"] == "http://127.0.0.1:9"
    assert cases["nonsense"]["problem"] == 'SITE_ORIGIN "x" ei ole osoite'
    assert cases["nonsense"]["github"] == "https://github.com"
    assert "SITE_ORIGIN" in cases["worker"]["problem"]
    assert cases["site"]["problem"] == "" and cases["site"]["siteOrigin"] == "https://konservatorioliitto.fi"
    assert "salainen" not in json.dumps(cases["scope"]["problem"] + cases["missing"]["problem"])
    # Not set up yet: a Finnish page naming what is missing, and no way to GitHub.
    assert out["status"] == 500 and "Kirjautumispalvelua ei ole vielä otettu käyttöön" in out["text"]
    assert "GITHUB_CLIENT_SECRET" in out["text"] and "github.com" not in out["text"]


# --- a fake GitHub on this machine ---------------------------------------------------

class FakeGitHub:
    """GitHub's OAuth web flow and the API calls Decap CMS makes, for one user and one repository.

    The authorisation page has GitHub's two choices as links; a code is good
    for one token exchange, with the registered client's id and secret and
    the same redirect address.
    """

    def __init__(self, files: dict[str, str]):
        self.files = files
        self.codes: dict[str, str] = {}  # code -> redirect_uri
        self.tokens: list[str] = []
        self.exchanges: list[dict] = []  # every token request, as GitHub received it
        self.api_calls: list[str] = []
        self.unknown: list[str] = []
        self.forged_state: str | None = None  # sent back instead of the state asked with
        # The editorial workflow's drafts: branch -> its file (path, text), head commit and
        # the head's commit statuses (GitHub's list, as the checks set them).
        self.drafts: dict[str, dict] = {}
        # What was written (method, path, JSON body), in order: branches, deletions, pull
        # requests, GraphQL mutations.
        self.writes: list[tuple[str, str, object]] = []
        self.auto_merge = True  # the repository allows auto-merge (Settings → General)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status: int, body, kind="application/json", headers=()):
                data = body if isinstance(body, bytes) else (
                    body.encode() if isinstance(body, str) else json.dumps(body).encode())
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Access-Control-Allow-Origin", "*")
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_OPTIONS(self):  # CORS preflight of Decap's API calls
                self.send_response(204)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type")
                self.send_header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
                self.end_headers()

            def do_GET(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/login/oauth/authorize":
                    return self.answer(*fake.authorize_page(query), kind="text/html; charset=utf-8")
                if url.path == "/evil/":
                    return self.answer(200, "<!DOCTYPE html><title>Toinen sivusto</title><p>toinen</p>",
                                       kind="text/html; charset=utf-8")
                return self.answer(*fake.api(self.command, url.path, query, self.headers.get("Authorization")))

            def do_POST(self):
                url = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if url.path == "/login/oauth/access_token":
                    form = {k: v[0] for k, v in parse_qs(body).items()}
                    return self.answer(200, fake.exchange(form, self.headers.get("Accept")))
                return self.answer(*fake.api(self.command, url.path, {}, self.headers.get("Authorization"),
                                             json.loads(body) if body else None))

            def do_DELETE(self):
                url = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                return self.answer(*fake.api(self.command, url.path, {}, self.headers.get("Authorization"),
                                             json.loads(body) if body else None))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        # Another origin on the same server, for a site that is not ours.
        self.other_origin = f"http://localhost:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def authorize_page(self, query: dict) -> tuple[int, str]:
        if query.get("client_id") != CLIENT_ID or not query.get("redirect_uri") or not query.get("state"):
            return 400, "<!DOCTYPE html><title>Virhe</title><p>bad request</p>"
        code = secrets.token_hex(10)
        self.codes[code] = query["redirect_uri"]
        back, state = query["redirect_uri"] + "?", self.forged_state or query["state"]
        allow = back + urlencode({"code": code, "state": state})
        deny = back + urlencode({"error": "access_denied", "state": state,
                                 "error_description": "The user has denied your application access."})
        return 200, (f"<!DOCTYPE html><html lang='en'><title>Authorize application</title>"
                     f"<h1>Authorize konservatorioliitto (scope {query.get('scope')})</h1>"
                     f"<a href='{allow}'>Authorize</a> <a href='{deny}'>Cancel</a></html>")

    def exchange(self, form: dict, accept: str | None) -> dict:
        self.exchanges.append(form)
        redirect = self.codes.pop(form.get("code", ""), None)
        if (accept != "application/json" or form.get("client_id") != CLIENT_ID
                or form.get("client_secret") != CLIENT_SECRET):
            return {"error": "incorrect_client_credentials"}
        if redirect is None or form.get("redirect_uri") != redirect:
            return {"error": "bad_verification_code"}
        token = "gho_" + secrets.token_hex(18)
        self.tokens.append(token)
        return {"access_token": token, "token_type": "bearer", "scope": "repo"}

    def api(self, method: str, path: str, query: dict, authorization: str | None,
            body: object = None) -> tuple[int, object]:
        if authorization not in {f"token {t}" for t in self.tokens}:
            return 401, {"message": "Bad credentials"}
        self.api_calls.append(f"{method} {path}")
        repo = f"/repos/{REPO}"
        if method in ("POST", "DELETE") and path != "/login/oauth/access_token":
            answer = self.write(method, path, body)
            if answer:
                return answer
        if path == "/user":
            return 200, {"login": "toimisto", "id": 1, "name": "Toimisto", "avatar_url": ""}
        if path == repo:
            return 200, {"full_name": REPO, "owner": {"login": REPO.split("/")[0]}, "default_branch": "main",
                         "permissions": {"admin": False, "push": True, "pull": True},
                         "allow_auto_merge": self.auto_merge, "allow_merge_commit": True, "allow_squash_merge": True}
        if path == f"{repo}/branches/main":
            return 200, {"name": "main", "commit": {"sha": "1" * 40}}
        if path == f"{repo}/git/ref/heads/main":
            return 200, {"ref": "refs/heads/main", "object": {"sha": "1" * 40, "type": "commit"}}
        if path.startswith(f"{repo}/contents/") and path[len(f"{repo}/contents/"):] in self.files:
            text = self.files[path[len(f"{repo}/contents/"):]]
            return 200, {"sha": blob_sha(text), "content": base64.b64encode(text.encode()).decode()}
        if path.startswith(f"{repo}/git/trees/main:"):
            folder = path.split(":", 1)[1].strip("/") + "/"
            tree = [{"path": name[len(folder):], "mode": "100644", "type": "blob", "sha": self.sha(name),
                     "size": len(text.encode())}
                    for name, text in self.files.items() if name.startswith(folder)]
            return (200, {"sha": "2" * 40, "tree": tree, "truncated": False}) if tree else (404, {})
        if path.startswith(f"{repo}/git/blobs/"):
            sha = path.rsplit("/", 1)[1]
            texts = [*self.files.values(), *(draft["text"] for draft in self.drafts.values())]
            for text in texts:
                if blob_sha(text) == sha:
                    return 200, {"sha": sha, "encoding": "base64",
                                 "content": base64.b64encode(text.encode()).decode()}
        if path == f"{repo}/pulls":  # the drafts' open pull requests (head=owner:branch picks one)
            owner = REPO.split("/")[0]
            return 200, [self.pull(number, branch) for number, branch in enumerate(self.drafts, 1)
                         if query.get("head", f"{owner}:{branch}") == f"{owner}:{branch}"]
        draft = next((d for d in self.drafts.values() if path.startswith(f"{repo}/compare/main...{d['sha']}")
                      or path == f"{repo}/commits/{d['sha']}/status"), None)
        if draft and path.endswith("/status"):
            return 200, {"sha": draft["sha"], "statuses": draft["statuses"]}
        if draft:
            return 200, {"files": [{"filename": draft["path"], "status": "added", "sha": blob_sha(draft["text"]),
                                    "patch": "@@ -0,0 +1 @@"}]}
        if path.startswith("/users/"):
            return 200, {"login": path.rsplit("/", 1)[1], "name": "Toimisto"}
        if path == f"{repo}/commits":
            return 200, [{"sha": "1" * 40, "commit": {"author": {"name": "Toimisto", "date": "2021-01-05T10:00:00Z"}},
                          "author": {"login": "toimisto"}}]
        self.unknown.append(f"{method} {path}")
        return 404, {"message": "Not Found"}

    def write(self, method: str, path: str, body) -> tuple[int, object] | None:
        """A branch, a file deleted on it, a pull request, an auto-merge request: recorded
        (the branch's files are main's, as it was made from main's head)."""
        repo = f"/repos/{REPO}"
        self.writes.append((method, path, body))
        if method == "POST" and path == f"{repo}/git/refs":
            return 201, {"ref": body["ref"], "object": {"sha": body["sha"]}}
        if method == "DELETE" and path.startswith(f"{repo}/contents/"):
            return 200, {"content": None, "commit": {"sha": "3" * 40}}
        if method == "POST" and path == f"{repo}/pulls":
            return 201, {"number": 7, "node_id": "PR_kwDO7", "html_url": f"https://github.com/{REPO}/pull/7"}
        if method == "POST" and path == "/graphql":
            if not self.auto_merge:
                return 200, {"data": {"enablePullRequestAutoMerge": None},
                             "errors": [{"message": "Auto merge is not allowed for this repository"}]}
            return 200, {"data": {"enablePullRequestAutoMerge": {"pullRequest": {"number": 7}}}}
        self.writes.pop()
        return None

    def sha(self, name: str) -> str:
        return blob_sha(self.files[name])

    def pull(self, number: int, branch: str) -> dict:
        """A draft's pull request, as the editorial workflow opens it (its stage as a label)."""
        return {"number": number, "title": branch, "state": "open", "updated_at": "2031-01-30T10:00:00Z",
                "user": {"login": "toimisto"}, "labels": [{"name": "decap-cms/draft"}],
                "head": {"ref": branch, "sha": self.drafts[branch]["sha"], "repo": {"fork": False}},
                "base": {"ref": "main"}}


def blob_sha(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


# --- the site with the sign-in service, in wrangler ---------------------------------

class Wrangler:
    """wrangler (workerd inside) serving the sign-in service on 127.0.0.1:``port``:
    ``pages dev`` with a built site, or ``dev`` with the Worker."""

    def __init__(self, work: Path, port: int, args: list[str]):
        self.url = f"http://127.0.0.1:{port}"
        work.mkdir(parents=True, exist_ok=True)
        # wrangler reads ./functions and keeps its state in ./.wrangler: a folder of its own.
        (work / "functions").symlink_to(ROOT / "functions")
        command = [str(WRANGLER), *args, "--ip", "127.0.0.1", "--port", str(port),
                   "--compatibility-date", COMPATIBILITY_DATE]
        env = {**os.environ, "WRANGLER_SEND_METRICS": "false", "CLOUDFLARE_CF_FETCH_ENABLED": "false",
               "XDG_CONFIG_HOME": str(work / "config"), "WRANGLER_LOG_PATH": str(work / "logs")}
        self.log_path = work / "wrangler.log"
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(command, cwd=work, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, preexec_fn=hear_ctrl_c, start_new_session=True)

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def ready(self, timeout=90) -> bool:
        """Wait until wrangler says it is ready and its port answers (True), or it has stopped (False)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            if f"Ready on {self.url}" in self.output():
                try:
                    urllib.request.urlopen(self.url + "/", timeout=2).close()
                    return True
                except urllib.error.HTTPError:
                    return True  # an answer all the same (the Worker has no page at /)
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
            time.sleep(0.2)  # between polls only: readiness is the answers above
        pytest.fail("wrangler did not start in time:\n" + self.output()[-3000:])

    def close(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)  # wrangler and its workerd
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        self.log.close()


def start_wrangler(work: Path, args, build=lambda port: None) -> Wrangler:
    """wrangler on a free port, with what ``build(port)`` made for that port;
    another port when wrangler could not have it."""
    need_wrangler()
    for attempt in range(3):
        port = free_port()
        made = build(port)
        server = Wrangler(work / f"wrangler{attempt}", port, args(port, made))
        if server.ready():
            server.made = made
            return server
        server.close()
    pytest.fail("wrangler could not start:\n" + server.output()[-3000:])


FILES = {"content/posts/2021-01-05-eka.md": post(title="Ensimmäinen kirjoitus", slug="ensimmainen-kirjoitus")}


@pytest.fixture(scope="module")
def github():
    fake = FakeGitHub(dict(FILES))
    yield fake
    fake.close()


def build_site(root: Path, env: dict, **settings) -> FixtureSite:
    """A tiny site whose editor saves to GitHub; ``env``: how the build is told where to sign in."""
    site = FixtureSite(root)
    site.write("posts/2021-01-05-eka.md", FILES["content/posts/2021-01-05-eka.md"])
    build = site.build(env={**PASSWORD_ENV, "EDITOR_GITHUB_REPO": REPO, **env}, SEARCH_INDEX=False, **settings)
    assert build.returncode == 0, build.stderr
    return site


SECRETS = {"GITHUB_CLIENT_ID": CLIENT_ID, "GITHUB_CLIENT_SECRET": CLIENT_SECRET}


@pytest.fixture(scope="module")
def pages(tmp_path_factory, github):
    """The tiny site and its sign-in service in `wrangler pages dev`."""
    root = tmp_path_factory.mktemp("login")
    variables = {**SECRETS, "GITHUB_URL_FOR_TESTS": github.url}
    server = start_wrangler(
        # Served by Pages (DEPLOY_TARGET=cloudflare, as the publishing workflow sets it) at
        # wrangler's address. A careless CI could have the secret in the build's
        # environment: it must not reach the output.
        root, build=lambda port: build_site(root / f"site{port}", {"DEPLOY_TARGET": "cloudflare",
                                                                   "GITHUB_CLIENT_SECRET": CLIENT_SECRET},
                                            SITEURL=f"http://127.0.0.1:{port}"),
        args=lambda port, site: ["pages", "dev", str(site.output),
                                 *[f"--binding={k}={v}" for k, v in variables.items()]])
    server.site = server.made
    yield server
    server.close()


@pytest.mark.build
def test_the_build_names_the_service_only_in_the_editor_and_holds_no_secret(pages):
    output = pages.site.output
    config = json.loads((output / "admin" / "config.json").read_text(encoding="utf-8"))
    assert (config["backend"]["base_url"], config["backend"]["auth_endpoint"]) == (pages.url, "api/auth")
    assert config["site_name"] == "Suomen konservatorioliitto"
    policy = site_headers(output, ("/*", "/admin/*"))["Content-Security-Policy"]
    assert pages.url in next(d for d in policy.split("; ") if d.startswith("connect-src ")).split()
    naming = set()
    for file in output.rglob("*"):
        if file.is_file() and file.suffix not in (".gz", ".br"):
            data = file.read_bytes()
            assert CLIENT_SECRET.encode() not in data and CLIENT_ID.encode() not in data, file
            if b"api/auth" in data:
                naming.add(file.relative_to(output).as_posix())
    assert naming == {"admin/config.json"}
    # The functions are not part of the site's files: wrangler deploys them from functions/.
    assert not (output / "functions").exists() and not (output / "api").exists()


def browser_context(playwright_browser, github, site_output: Path | None = None, service: str = ""):
    """A browser whose https://api.github.com is the fake GitHub; with
    ``site_output``, a site served at its real address (RoutedSite) and nothing
    else reachable but the fake GitHub and the sign-in ``service``."""
    context = playwright_browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI")
    if site_output is not None:
        context.site = RoutedSite(context, site_output, headers=site_headers(site_output, ("/*", "/admin/*")))
        for url in (service, github.url):
            context.route(url + "/**", lambda route: route.continue_())
    context.route("https://api.github.com/**", lambda route: route.fulfill(
        response=route.fetch(url=github.url + route.request.url[len("https://api.github.com"):])))
    return context


# --- tests ----------------------------------------------------------------------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DENIED = "Kirjautuminen peruttiin: GitHubissa ei annettu lupaa."
BAD_STATE = "Kirjautumista ei voitu varmistaa"


def axe_violations(page) -> list[str]:
    """Every WCAG 2.1 A/AA violation axe finds, Decap's own markup included."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                       "resultTypes": ["violations"]})
    return [f"{v['id']}: {' '.join(map(str, n['target']))} {n['html'][:160]}"
            for v in results.response["violations"] for n in v["nodes"]]


def signed_in_user(page) -> dict | None:
    return page.evaluate("() => JSON.parse(localStorage.getItem('decap-cms-user'))")


def open_sign_in(page):
    """Press Decap's sign-in button; the sign-in window it opens."""
    with page.expect_popup() as popup:
        page.get_by_role("button", name=LOGIN_BUTTON).click()
    return popup.value


def refused_in_the_editor(page, url: str, choice: str, message: str):
    """Sign in from the editor, choose ``choice`` on GitHub's page: the editor
    says ``message`` and stays signed out."""
    page.goto(url + "/admin/")
    popup = open_sign_in(page)
    with popup.expect_event("close"):  # Decap closes it when it has the answer
        popup.get_by_role("link", name=choice).click()
    page.get_by_text(message).wait_for()
    assert "Sulje tämä ikkuna" not in page.inner_text("body")  # it is closed already
    assert page.get_by_role("button", name=LOGIN_BUTTON).is_visible()
    assert signed_in_user(page) is None


@pytest.mark.browser
def test_staff_sign_in_through_github_and_see_the_collections(playwright_browser, pages, github):
    context = browser_context(playwright_browser, github)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(pages.url + "/admin/")
        page.get_by_role("button", name=LOGIN_BUTTON).wait_for()
        # The association's sign-in screen: its icon and name, not Decap's logo.
        heading = page.get_by_role("heading", level=1)
        assert heading.inner_text().split("\n") == ["Suomen konservatorioliitto", "Sivuston muokkain"]
        assert page.locator(".kl-brand img").get_attribute("src").endswith("/icon.svg")
        assert not page.locator("[class*='-DecapLogoIcon']").is_visible()
        problems = {"login": axe_violations(page)}

        popup = open_sign_in(page)
        with popup.expect_event("close"):  # Decap closes it when it has the token
            popup.get_by_role("link", name="Authorize").click()
        page.get_by_role("link", name="Ajankohtaista").first.wait_for()
        page.get_by_text("Ensimmäinen kirjoitus").first.wait_for()
        for collection in ("Tapahtumat", "Jäsentiedotteet", "Sivut", "Viestintäkanavat"):
            assert page.get_by_role("link", name=collection).first.is_visible()
        problems["collections"] = axe_violations(page)
        user = signed_in_user(page)
    except Exception:
        shot = pages.log_path.parent / "sign-in-failure.png"
        page.screenshot(path=str(shot), full_page=True)
        print("screenshot:", shot, errors, github.unknown)
        raise
    finally:
        context.close()
    # The token GitHub issued for the one code, traded with the app's own id and
    # secret (from the service's variables), is what the editor uses.
    exchange = github.exchanges[-1]
    assert exchange["client_id"] == CLIENT_ID and exchange["client_secret"] == CLIENT_SECRET
    assert exchange["redirect_uri"] == pages.url + "/api/callback"
    assert user["token"] == github.tokens[-1] and user["backendName"] == "github"
    assert "GET /user" in github.api_calls and github.unknown == []
    assert not [e for e in errors if "Content Security Policy" in e], errors
    assert problems == {"login": [], "collections": []}, problems


@pytest.mark.browser
def test_a_wrong_or_missing_state_gets_a_finnish_message_and_no_token(playwright_browser, pages, github):
    context = browser_context(playwright_browser, github)
    page = context.new_page()
    exchanges = len(github.exchanges)
    try:
        # GitHub (or someone's forged link) brings the window back with another state.
        github.forged_state = "toisen-aloittama-kirjautuminen"
        refused_in_the_editor(page, pages.url, "Authorize", BAD_STATE)

        # A callback with no state (and no cookie): a page in Finnish, nothing else.
        response = page.goto(pages.url + "/api/callback?code=" + "a" * 20)
        assert response.status == 403
        assert page.locator("html").get_attribute("lang") == "fi"
        assert BAD_STATE in page.get_by_role("main").inner_text()
        assert response.headers["cache-control"] == "no-store"
    finally:
        github.forged_state = None
        context.close()
    assert len(github.exchanges) == exchanges  # no code was ever traded for a token


@pytest.mark.browser
def test_a_denied_authorisation_says_so_in_finnish(playwright_browser, pages, github):
    context = browser_context(playwright_browser, github)
    page = context.new_page()
    exchanges = len(github.exchanges)
    try:
        refused_in_the_editor(page, pages.url, "Cancel", DENIED)

        # Without the editor waiting for it, the window itself shows the message.
        page.goto(pages.url + "/api/auth")
        page.get_by_role("link", name="Cancel").click()
        page.get_by_role("heading", name="Kirjautuminen ei onnistunut").wait_for()
        assert DENIED + " Sulje tämä ikkuna" in page.get_by_role("main").inner_text()
        assert axe_violations(page) == []
    finally:
        context.close()
    assert len(github.exchanges) == exchanges


@pytest.mark.browser
def test_the_token_is_never_sent_to_another_site(playwright_browser, pages, github):
    """Another site opens the sign-in window itself and answers the handshake:
    the window only ever addresses the site's origin, and ignores the answer."""
    context = browser_context(playwright_browser, github)
    # Every window records the messages it receives, before its own scripts run.
    context.add_init_script("window.heard = [];"
                            "addEventListener('message', event => window.heard.push(String(event.data)));")
    other = context.new_page()
    try:
        other.goto(github.other_origin + "/evil/")
        with other.expect_popup() as info:
            other.evaluate("url => { window.signIn = window.open(url); }", pages.url + "/api/auth")
        popup = info.value
        # The writer is signed in to GitHub and allows: a token is issued for this window,
        # whose page greets the site's origin (the browser drops that: this is not it).
        popup.get_by_role("link", name="Authorize").click()
        popup.get_by_role("heading", name="Kirjautuminen onnistui").wait_for()
        token = github.tokens[-1]
        assert popup.url.startswith(pages.url + "/api/callback")
        # The other site greets the window as Decap would; the window hears it and stays silent.
        other.evaluate("() => window.signIn.postMessage('authorizing:github', '*')")
        popup.wait_for_function("() => window.heard.includes('authorizing:github')")
        # Messages between two windows arrive in order: once this one has, any answer would have.
        popup.evaluate("() => window.opener.postMessage('loppu', '*')")
        other.wait_for_function("() => window.heard.includes('loppu')")
        heard = other.evaluate("() => window.heard")
    finally:
        context.close()
    assert heard == ["loppu"]
    assert token not in "".join(heard)


@pytest.mark.browser
def test_a_site_on_a_web_hotel_signs_in_through_the_same_code_as_a_worker(playwright_browser, github, tmp_path):
    """The static site at its real https address (answered inside the browser) and the
    sign-in service as a Worker on another origin, named by EDITOR_AUTH_URL."""
    worker = start_wrangler(
        tmp_path,
        build=lambda port: build_site(tmp_path / f"site{port}", {"EDITOR_AUTH_URL": f"http://127.0.0.1:{port}/auth"}),
        args=lambda port, site: ["dev", "functions/_login_worker.js", "--name", "kirjautuminen",
                                 *[f"--var={k}:{v}" for k, v in
                                   {**SECRETS, "GITHUB_URL_FOR_TESTS": github.url, "SITE_ORIGIN": SITEURL}.items()]])
    context = browser_context(playwright_browser, github, worker.made.output, worker.url)
    page = context.new_page()
    try:
        page.goto(SITEURL + "/admin/")
        popup = open_sign_in(page)
        popup.wait_for_url(github.url + "/login/oauth/authorize?**")
        with popup.expect_event("close"):
            popup.get_by_role("link", name="Authorize").click()
        page.get_by_text("Ensimmäinen kirjoitus").first.wait_for()
        user = signed_in_user(page)
    finally:
        context.close()
        worker.close()
    assert github.exchanges[-1]["redirect_uri"] == worker.url + "/callback"
    assert user["token"] == github.tokens[-1]
    assert context.site.foreign == []


# --- a draft's check in the editor (issue 25) -------------------------------------------

DRAFT = "cms/posts/2031-02-01-kokous"
PREVIEW_CONTEXT = "deploy/esikatselu"  # deploy/report.py's CONTEXT
RUN_URL = "https://github.com/konservatorioliitto/sivusto/actions/runs/77"


def preview_status(state: str, description: str, url: str | None) -> list[dict]:
    """The draft head's statuses as deploy/report.py leaves them, beside another check's."""
    return [{"context": "Testit", "state": "pending", "description": "", "target_url": None},
            {"context": PREVIEW_CONTEXT, "state": state, "description": description, "target_url": url}]


def signed_in_editor(playwright_browser, github, site):
    """A browser with the built ``site`` at its real address, the fake GitHub as GitHub's API
    and the writer signed in earlier (Decap's decap-cms-user); the routed site too."""
    context = playwright_browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI")
    routed = RoutedSite(context, site.output, headers=site_headers(site.output, ("/*", "/admin/*")))
    context.route("https://api.github.com/**", lambda route: route.fulfill(
        response=route.fetch(url=github.url + route.request.url[len("https://api.github.com"):])))
    context.add_init_script("localStorage.setItem('decap-cms-user', JSON.stringify(%s))" % json.dumps(
        {"backendName": "github", "token": github.tokens[-1], "login": "toimisto", "name": "Toimisto"}))
    return context, routed


@pytest.mark.browser
def test_a_draft_whose_check_failed_says_so_in_the_editor(playwright_browser, tmp_path):
    """Decap shows a failed check as it shows one in progress ("Onko esikatselu valmis?");
    the draft's own notice tells which, with the run's address, and follows the status."""
    from axe_playwright_python.sync_playwright import Axe

    github = FakeGitHub(dict(FILES))
    github.tokens.append("gho_" + secrets.token_hex(18))  # the writer signed in earlier
    github.drafts[DRAFT] = {
        "path": "content/posts/2031-02-01-kokous.md", "sha": "c" * 40,
        "text": post(title="Hallituksen kokous", date="2031-02-01", slug="kokous"),
        "statuses": preview_status("failure", "Kokoaminen epäonnistui: 2 virhettä. Korjaa ja tallenna uudelleen.",
                                   RUN_URL)}
    site = build_site(tmp_path / "site", {})
    context, routed = signed_in_editor(playwright_browser, github, site)
    page = context.new_page()
    warnings = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    alert = page.locator(".kl-draft-status[data-notice=draft][role=alert]")
    status = page.locator(".kl-draft-status[data-notice=draft][role=status]")
    try:
        page.clock.install()  # the notice's 30-second re-check runs when the test moves the clock on
        page.goto(SITEURL + "/admin/#/collections/posts/entries/2031-02-01-kokous")
        page.get_by_role("button", name="Onko esikatselu valmis?").wait_for()  # Decap's own, as for pending
        alert.get_by_role("link", name="Näytä virheet").wait_for()
        failure = alert.inner_text()
        link = alert.get_by_role("link", name="Näytä virheet")
        target = link.get_attribute("href"), link.get_attribute("target")
        contrast = Axe().run(page, context={"include": [[".kl-draft-status"]]},
                             options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})

        # The workflow runs again (the writer saved): the next look says it is in progress.
        github.drafts[DRAFT]["statuses"] = preview_status("pending", "Esikatselua kootaan…", None)
        page.clock.fast_forward(30_000)
        status.get_by_text("Esikatselua kootaan…").wait_for()
        alert_after_pending = alert.inner_text()

        # It succeeds: nothing of ours, and Decap's own link opens the preview.
        github.drafts[DRAFT]["statuses"] = preview_status("success", "Esikatselu on valmis.",
                                                         "https://esikatselu.example/")
        page.clock.fast_forward(30_000)
        status.get_by_text("Esikatselua kootaan…").wait_for(state="detached")
        page.get_by_role("button", name="Onko esikatselu valmis?").click()
        page.get_by_role("link", name="Katso esikatselu").wait_for()
        after_success = alert.inner_text() + status.inner_text()

        # Another entry's page never shows this draft's notice.
        github.drafts[DRAFT]["statuses"] = preview_status("failure", "Kokoaminen epäonnistui: 1 virhe.", RUN_URL)
        page.goto(SITEURL + "/admin/#/collections/posts")
        page.get_by_text("Ensimmäinen kirjoitus").first.wait_for()
        page.clock.fast_forward(30_000)
        on_the_list = alert.inner_text() + status.inner_text()
    except Exception:
        page.screenshot(path=str(tmp_path / "draft-status-failure.png"), full_page=True)
        print("screenshot:", tmp_path / "draft-status-failure.png", warnings, github.unknown)
        raise
    finally:
        context.close()
        github.close()
    assert [line for line in failure.split("\n") if line] == [
        "Tarkistus epäonnistui: Kokoaminen epäonnistui: 2 virhettä. Korjaa ja tallenna uudelleen.",
        "Luonnosta ei voi julkaista, ennen kuin virheet on korjattu ja luonnos tallennettu uudelleen.",
        "Näytä virheet"]
    assert target == (RUN_URL, "_blank")
    assert contrast.response["violations"] == [], contrast.generate_report()
    assert alert_after_pending == "" and after_success == "" and on_the_list == ""
    assert f"GET /repos/{REPO}/commits/{'c' * 40}/status" in github.api_calls
    assert not [w for w in warnings if "Luonnoksen tarkistuksen" in w], warnings
    assert routed.foreign == [], routed.foreign


# --- deleting a published entry through a pull request (issue 25) -------------------------

@pytest.mark.browser
def test_a_published_entry_is_deleted_through_a_pull_request(playwright_browser, tmp_path):
    """Decap's own deletion commits straight to main, which a protected main refuses: on
    GitHub it is hidden, and "Poista sivustolta" deletes the entry on a branch of its own
    and opens a pull request that GitHub merges when the checks pass."""
    from axe_playwright_python.sync_playwright import Axe

    github = FakeGitHub(dict(FILES))
    github.tokens.append("gho_" + secrets.token_hex(18))  # the writer signed in earlier
    site = build_site(tmp_path / "site", {})
    context, routed = signed_in_editor(playwright_browser, github, site)
    page = context.new_page()
    warnings = []
    page.on("console", lambda m: warnings.append(m.text) if m.type in ("warning", "error") else None)
    status = page.locator(".kl-draft-status[data-notice=deletion][role=status]")
    try:
        page.goto(SITEURL + "/admin/#/collections/posts/entries/2021-01-05-eka")
        delete = page.get_by_role("button", name="Poista sivustolta")
        delete.wait_for()
        # Decap's own buttons that would commit to main are gone: no Poista julkaistu, and
        # the Julkaistu menu has no Peru julkaisu (Kopioi stays).
        page.get_by_role("button", name="Julkaistu", exact=True).click()
        page.get_by_role("menuitem", name="Kopioi").wait_for()
        decaps = {name: page.get_by_text(name, exact=True).count() for name in ("Poista julkaistu", "Peru julkaisu")}
        page.keyboard.press("Escape")
        delete.click()
        dialog = page.get_by_role("dialog", name="Poistetaanko kirjoitus ”Ensimmäinen kirjoitus” sivustolta?")
        dialog.wait_for()
        asked = Axe().run(page, context={"include": [[".kl-delete-dialog"]]},
                          options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
        dialog.get_by_role("button", name="Poista").click()
        link = status.get_by_role("link", name="Näytä poistopyyntö")
        link.wait_for()
        notice = status.inner_text()
        href = link.get_attribute("href")
        told = Axe().run(page, context={"include": [[".kl-draft-status[data-notice=deletion]"]]},
                         options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
        button_after = delete.is_visible()
    except Exception:
        page.screenshot(path=str(tmp_path / "delete-failure.png"), full_page=True)
        print("screenshot:", tmp_path / "delete-failure.png", warnings, github.unknown)
        raise
    finally:
        context.close()
        github.close()
    assert decaps == {"Poista julkaistu": 0, "Peru julkaisu": 0}
    repo, branch = f"/repos/{REPO}", "poisto/posts/2021-01-05-eka"
    assert github.writes == [
        ("POST", f"{repo}/git/refs", {"ref": f"refs/heads/{branch}", "sha": "1" * 40}),
        ("DELETE", f"{repo}/contents/content/posts/2021-01-05-eka.md",
         {"message": "Poistettu: kirjoitus ”2021-01-05-eka”", "sha": github.sha("content/posts/2021-01-05-eka.md"),
          "branch": branch}),
        ("POST", f"{repo}/pulls", github.writes[2][2]),
        ("POST", "/graphql", github.writes[3][2])]
    pull = github.writes[2][2]
    assert (pull["title"], pull["head"], pull["base"]) == ("Poisto: kirjoitus ”Ensimmäinen kirjoitus”", branch, "main")
    assert github.writes[3][2]["variables"] == {"id": "PR_kwDO7", "method": "MERGE"}
    assert f"GET {repo}/git/ref/heads/main" in github.api_calls
    assert [line for line in notice.split("\n") if line] == [
        "Poisto odottaa tarkistusta: sivusto päivittyy, kun tarkistukset ovat valmiit", "Näytä poistopyyntö"]
    assert href == f"https://github.com/{REPO}/pull/7" and not button_after
    assert asked.response["violations"] == [], asked.generate_report()
    assert told.response["violations"] == [], told.generate_report()
    assert not [w for w in warnings if "Julkaistun" in w or "Automaattista" in w], warnings
    assert routed.foreign == [], routed.foreign

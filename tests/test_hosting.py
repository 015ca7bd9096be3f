"""The hosting rules on the real servers Debian ships: docs/hosting.md's nginx snippet in
nginx-light (with Debian's brotli_static module) and the build's .htaccess files in apache2
(Debian's default modules plus mod_headers and mod_rewrite), each serving the test site's
production build: the right MIME types, the security headers on pages, members' paths and
/admin/, no directory listings, the precompressed copies.

Each server runs as the user running the tests (as root: its workers as nobody, the way both
servers run when started by root), on a free port, with its configuration, pid file and logs
in a temporary folder. A port taken between choosing it and binding it is retried; the test
waits for the server's own "ready" line, never for a time.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import brotli
import pytest

from conftest import ROOT, free_port

pytestmark = pytest.mark.build

NGINX, APACHE = "/usr/sbin/nginx", "/usr/sbin/apache2"
BROTLI_MODULE = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"
# Debian's apache2 enables these by default (a2enmod's list after installing); the site
# also needs headers and rewrite. Their Debian .load and .conf files are used as they are.
APACHE_MODULES = ("mpm_event", "access_compat", "alias", "auth_basic", "authn_core", "authn_file",
                  "authz_core", "authz_host", "authz_user", "autoindex", "deflate", "dir", "env",
                  "filter", "mime", "negotiation", "reqtimeout", "setenvif", "status",
                  "headers", "rewrite")
READY = {"nginx": "start worker processes", "apache": "resuming normal operations"}
PORT_TAKEN = "Address already in use"


def nginx_snippet() -> str:
    """The snippet as docs/hosting.md gives it (tests/test_quality.py keeps it equal to the generator's)."""
    docs = (ROOT / "docs" / "hosting.md").read_text(encoding="utf-8")
    return re.search(r"^```nginx\n(.*?)^```", docs, re.S | re.M).group(1)


def nginx_config(folder: Path, site: Path, port: int, as_root: bool) -> str:
    # What Debian's nginx.conf has in its http block, and a host that lists folders
    # (autoindex on): the snippet must turn listings off for the site.
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""
load_module {BROTLI_MODULE};
{"user nobody nogroup;" if as_root else ""}
daemon off;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log stderr notice;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    autoindex on;
{temp}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {site};
        include {folder / "site.conf"};
    }}
}}
"""


def apache_config(folder: Path, site: Path, port: int, as_root: bool) -> str:
    modules = "\n".join(f"Include /etc/apache2/mods-available/{name}.{kind}"
                        for name in APACHE_MODULES for kind in ("load", "conf")
                        if Path(f"/etc/apache2/mods-available/{name}.{kind}").exists())
    # A host that lists folders and reads .htaccess files with the least the site asks
    # (docs/julkaiseminen.md): FileInfo for headers, types and rewrites, Options=Indexes.
    return f"""
ServerRoot /etc/apache2
DefaultRuntimeDir {folder}
PidFile {folder / "apache.pid"}
{"User nobody" if as_root else ""}
{"Group nogroup" if as_root else ""}
ErrorLog /dev/stderr
LogLevel notice
Listen 127.0.0.1:{port}
ServerName localhost
{modules}
<Directory />
    Options FollowSymLinks
    AllowOverride None
    Require all denied
</Directory>
<FilesMatch "^\\.ht">
    Require all denied
</FilesMatch>
DocumentRoot {site}
<Directory {site}>
    Options Indexes FollowSymLinks
    AllowOverride FileInfo Options=Indexes
    Require all granted
</Directory>
"""


@dataclass
class Served:
    kind: str
    port: int
    site: Path
    log: list[str]

    def get(self, path: str, encoding: str | None = None) -> tuple[int, dict[str, str], bytes]:
        """GET ``path``; the status, the headers (lower-case names, repeated ones joined) and the body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", path, headers={"Accept-Encoding": encoding} if encoding else {})
        answer = connection.getresponse()
        headers: dict[str, str] = {}
        for name, value in answer.getheaders():
            name = name.lower()
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        body = answer.read()
        connection.close()
        return answer.status, headers, body


def start(kind: str, folder: Path, site: Path) -> tuple[subprocess.Popen, int, list[str]]:
    """Start the server on a free port; a new port when another program took it first."""
    as_root = os.geteuid() == 0
    for _attempt in range(10):
        port = free_port()
        if kind == "nginx":
            config = folder / "nginx.conf"
            config.write_text(nginx_config(folder, site, port, as_root), encoding="utf-8")
            command = [NGINX, "-e", "stderr", "-c", str(config)]
        else:
            config = folder / "apache.conf"
            config.write_text(apache_config(folder, site, port, as_root), encoding="utf-8")
            command = [APACHE, "-f", str(config), "-DFOREGROUND"]
        server = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
        log: list[str] = []
        outcome: list[str] = []
        told = threading.Event()

        def read(server=server, log=log, outcome=outcome, told=told):
            for line in server.stderr:
                log.append(line)
                if READY[kind] in line or PORT_TAKEN in line:
                    outcome.append("ready" if READY[kind] in line else "taken")
                    told.set()
            outcome.append("ended")
            told.set()

        threading.Thread(target=read, daemon=True).start()
        told.wait(60)
        if outcome[:1] == ["ready"]:
            complaints = [line for line in log if re.search(r"[\[:](warn|error|crit|alert|emerg)\]", line)]
            if complaints:
                stop(server)
                pytest.fail(f"{kind} complained about its configuration:\n{''.join(complaints)}")
            return server, port, log
        stop(server)
        if outcome[:1] != ["taken"]:
            pytest.fail(f"{kind} did not start:\n{''.join(log)}")
    pytest.fail(f"{kind}: no free port after 10 tries")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()  # both servers stop their workers on SIGTERM
        server.wait(timeout=30)


def prepare(kind: str, site: Path) -> Path:
    """A folder for one server: a copy of ``site`` and, for nginx, the snippet to include."""
    program, package = {"nginx": (NGINX, "nginx-light libnginx-mod-http-brotli-static"),
                        "apache": (APACHE, "apache2")}[kind]
    if not os.path.exists(program) or (kind == "nginx" and not os.path.exists(BROTLI_MODULE)):
        # Never a silent skip: .ci/system-packages.sh installs them.
        pytest.fail(f"{kind} is needed by the hosting tests: apt-get install {package} (make test does).")
    # Outside pytest's folders (readable by their owner only): as root the workers are nobody.
    folder = Path(tempfile.mkdtemp(prefix=f"hosting-{kind}-"))
    folder.chmod(0o755)
    shutil.copytree(site, folder / "site", symlinks=True)
    for path in (folder / "site", *(folder / "site").rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)  # as published: readable by the server
    if kind == "nginx":
        (folder / "site.conf").write_text(nginx_snippet(), encoding="utf-8")
        # Where a Debian install has it beside nginx.conf, for the snippet's relative include.
        (folder / "mime.types").symlink_to("/etc/nginx/mime.types")
    return folder


@pytest.fixture(scope="module", params=["nginx", "apache"])
def served(request, site) -> Served:
    folder = prepare(request.param, site.output)
    try:
        server, port, log = start(request.param, folder, folder / "site")
        try:
            yield Served(request.param, port, folder / "site", log)
        finally:
            stop(server)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("kind", ["nginx", "apache"])
def test_a_port_taken_before_the_server_binds_it_is_retried(kind, tmp_path, monkeypatch):
    import socket
    import sys

    (tmp_path / "index.html").write_text("<h1>Sivu</h1>", encoding="utf-8")
    folder = prepare(kind, tmp_path)
    try:
        with socket.socket() as other:  # another program, listening on the port chosen first
            other.bind(("127.0.0.1", 0))
            other.listen()
            taken = other.getsockname()[1]
            offered = [taken]
            monkeypatch.setattr(sys.modules[__name__], "free_port",
                                lambda choose=free_port: offered.pop(0) if offered else choose())
            server, port, log = start(kind, folder, folder / "site")
            try:
                assert offered == [] and port != taken
                assert Served(kind, port, folder / "site", log).get("/")[2] == b"<h1>Sivu</h1>"
            finally:
                stop(server)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- what the tests ask ---------------------------------------------------------------------

def one(folder: Path, pattern: str) -> str:
    """The URL of the first file in the built site matching ``pattern``."""
    found = sorted(folder.glob(pattern))
    assert found, pattern
    return "/" + found[0].relative_to(folder).as_posix()


def test_mime_types(served):
    site = served.site
    expected = {
        "/": "text/html",
        "/liitto/": "text/html",
        "/404.html": "text/html",
        one(site, "theme/css/*.css"): "text/css",
        one(site, "theme/js/*.js"): ("application/javascript", "text/javascript"),
        "/directory.json": "application/json",
        "/jasenalue/avaimet.json": "application/json",
        "/sitemap.xml": ("application/xml", "text/xml"),
        "/robots.txt": "text/plain",
        "/site.webmanifest": "application/manifest+json",
        one(site, "tapahtumat/*.ics"): "text/calendar",
        "/icon.svg": "image/svg+xml",
        one(site, "kuvat/**/*.webp"): "image/webp",
        one(site, "kortit/*.jpg"): "image/jpeg",
        "/icon-192.png": "image/png",
    }
    wrong = {}
    for path, types in expected.items():
        status, headers, _ = served.get(path)
        kind = headers.get("content-type", "").split(";")[0].strip()
        if status != 200 or kind not in ((types,) if isinstance(types, str) else types):
            wrong[path] = (status, headers.get("content-type"))
    assert wrong == {}
    for path in ("/", "/liitto/"):  # pages say so themselves too, but not every client reads them
        assert served.get(path)[1]["content-type"].replace(" ", "").lower() == "text/html;charset=utf-8"


def test_security_headers_on_pages_members_paths_and_the_editor(served):
    from editor import admin_headers, default_settings
    from site_meta.headers import IMMUTABLE, MEMBERS_HEADERS, security_headers

    public = security_headers(None)
    members = {**public, **MEMBERS_HEADERS}
    admin = {**public, **admin_headers(default_settings({}))}
    members_file = one(served.site, "jasenalue/tiedostot/*")
    asset = one(served.site, "theme/css/*.css")
    cases = {
        "/": (200, public),
        "/liitto/": (200, public),
        "/ei-tallaista-sivua/": (404, public),  # the error answer too
        asset: (200, {**public, "Cache-Control": IMMUTABLE}),
        "/jasenalue/": (200, members),
        "/jasenalue/avaimet.json": (200, members),
        members_file: (200, members),
        "/admin/": (200, admin),
    }
    for path, (status, wanted) in cases.items():
        for encoding in (None, "br, gzip"):
            got, headers, _ = served.get(path, encoding)
            assert got == status, (path, encoding)
            differing = {name: headers.get(name.lower()) for name, value in wanted.items()
                         if headers.get(name.lower()) != value}
            assert differing == {}, (path, encoding)
    _, headers, body = served.get("/ei-tallaista-sivua/")
    assert body == (served.site / "404.html").read_bytes()  # our own error page


def test_no_directory_listings(served):
    folders = sorted(p for p in served.site.rglob("*") if p.is_dir() and not (p / "index.html").exists())
    assert served.site / "jasenalue" / "tiedostot" in folders
    listed = {}
    for folder in folders:
        path = "/" + folder.relative_to(served.site).as_posix() + "/"
        status, _, body = served.get(path)
        names = [p.name for p in folder.iterdir()]
        if status == 200 or any(name.encode() in body for name in names):
            listed[path] = status
    assert listed == {}


@pytest.mark.parametrize("encoding, decode", [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_precompressed_copies(served, encoding, decode):
    """The compressed copy in the file's place, with the file's type; the plain file to others."""
    asset = one(served.site, "theme/css/*.css").lstrip("/")
    calendar = one(served.site, "tapahtumat/*.ics").lstrip("/")
    suffix = {"br": ".br", "gzip": ".gz"}[encoding]
    for path, file, types in (("/liitto/", "liitto/index.html", ("text/html",)),
                              ("/sitemap.xml", "sitemap.xml", ("application/xml", "text/xml")),
                              (f"/{asset}", asset, ("text/css",)),
                              (f"/{calendar}", calendar, ("text/calendar",)),
                              ("/jasenalue/avaimet.json", "jasenalue/avaimet.json", ("application/json",))):
        plain = (served.site / file).read_bytes()
        assert (served.site / (file + suffix)).exists()
        status, headers, body = served.get(path, encoding)
        assert status == 200 and headers.get("content-encoding") == encoding, (path, headers)
        assert decode(body) == plain, path
        assert headers["content-type"].split(";")[0] in types, (path, headers["content-type"])
        assert "accept-encoding" in headers.get("vary", "").lower(), path
        status, headers, body = served.get(path)
        assert status == 200 and "content-encoding" not in headers and body == plain, path
        assert "accept-encoding" in headers.get("vary", "").lower(), path  # for caches on the way

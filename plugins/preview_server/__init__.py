"""The development preview behind ``make serve`` (not a Pelican plugin).

Serves the output folder on localhost, rebuilds when a source file changes
and reloads an open page when a build has changed what it shows (its bytes
or the problems over it); a page the build left as it was does not reload.
When the last build failed,
every page it serves starts with the problems (file, field, problem, fix, in
Finnish) over the last good build; before any build has succeeded, every
address shows them. Unknown addresses get the site's own ``404.html``. Every
line it prints is Finnish: no request log.

The editor's page (/admin/) is never reloaded, which would lose a writer's
unsaved text: it shows the problems in a panel of its own, kept up to date.
"""

from __future__ import annotations

import hashlib
import html
import json
import mimetypes
import threading
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from editor import EDITOR_URL
from sitecore.problems import Problem, last_problems

# The preview's own files, under a path the site never uses. Served as files
# (not inline) so that pages with a strict Content-Security-Policy run them.
OWN = "/_esikatselu/"
ASSETS = Path(__file__).with_name("assets")
# How long the state request of an open page waits for the next build before
# it is answered anyway (the page then asks again).
LONG_POLL_SECONDS = 20


class PortTaken(OSError):
    """Another program already listens on the port."""


class Preview:
    """The state the request handlers read: which folder, which build."""

    def __init__(self, output: Path, root: Path):
        self.output, self.root = output, root
        self.generation = 0  # rises after every build, so open pages reload
        self.changed = threading.Condition()
        # Events an observer can wait for (``wait_until``): requests that began
        # to wait for a build, and state answers sent.
        self.waits = self.answers = 0

    def built(self) -> None:
        with self.changed:
            self.generation += 1
            self.changed.notify_all()

    def generation_after(self, seen: int, seconds: float) -> int:
        """The generation once it is no longer ``seen``, or after ``seconds`` at most.

        An open page asks with the generation it was served with and is
        answered the moment a build finishes, not at its next poll.
        """
        with self.changed:
            self.waits += 1
            self.changed.notify_all()
            self.changed.wait_for(lambda: self.generation != seen, timeout=seconds)
            return self.generation

    def answered(self) -> None:
        with self.changed:
            self.answers += 1
            self.changed.notify_all()

    def wait_until(self, condition: Callable[[], bool], seconds: float = 30) -> bool:
        """Wait until ``condition()`` (of ``waits``, ``answers``, ``generation``) holds."""
        with self.changed:
            return self.changed.wait_for(condition, timeout=seconds)

    def problems(self) -> list[Problem]:
        return last_problems(self.output)


def lead(count: int, has_site: bool) -> str:
    """What a build's problems mean for the preview, in Finnish."""
    noun = "virhe" if count == 1 else "virhettä"
    if has_site:
        return (f"Sivuston kokoaminen epäonnistui: {count} {noun}. Esikatselussa näkyy "
                "edellinen toimiva versio. Korjaa virheet ja tallenna: sivu päivittyy itsestään.")
    return f"Sivustoa ei voitu koota: {count} {noun}. Korjaa virheet ja tallenna: sivu päivittyy itsestään."


def problem_rows(problems: list[Problem], root: Path) -> list[list[tuple[str, str]]]:
    """Each problem as (name, value) rows: file, field, problem, fix."""
    items = []
    for problem in sorted(problems, key=lambda p: (p.source, p.field)):
        rows = [("Tiedosto", problem.relative_source(str(root)) or "(tiedosto ei tiedossa)")]
        if problem.field:
            rows.append(("Kenttä", problem.field))
        items.append(rows + [("Ongelma", problem.message), ("Korjaus", problem.fix)])
    return items


def banner(problems: list[Problem], root: Path, has_site: bool) -> str:
    """The problems as HTML, in Finnish, for the top of every page."""
    items = []
    for rows in problem_rows(problems, root):
        cells = "".join(f"<dt>{name}</dt><dd>{html.escape(value)}</dd>" for name, value in rows)
        items.append(f"<li><dl>{cells}</dl></li>")
    return (f'<section id="esikatselu-virheet" class="esikatselu-virheet" role="alert" '
            f'aria-labelledby="esikatselu-virheet-otsikko">'
            f'<h2 id="esikatselu-virheet-otsikko">{html.escape(lead(len(problems), has_site))}</h2>'
            f'<ol>{"".join(items)}</ol></section>')


def inject(page: str, top: str, head: str, tail: str) -> str:
    """``top`` right after <body …>, ``head`` before </head>, ``tail`` before </body>."""
    lower = page.lower()
    start = lower.find("<body")
    if start != -1:
        end = page.find(">", start) + 1
        page = page[:end] + top + page[end:]
    else:
        page = top + page
    closing = page.lower().rfind("</head>")
    if closing != -1:
        page = page[:closing] + head + page[closing:]
    closing = page.lower().rfind("</body>")
    return page[:closing] + tail + page[closing:] if closing != -1 else page + tail


def fingerprint(body: bytes) -> str:
    """A short digest of what a page shows: its open copy compares it after each build."""
    return hashlib.sha256(body).hexdigest()[:16]


ERROR_PAGE = """<!doctype html>
<html lang="fi"><head><meta charset="utf-8"><title>Sivustoa ei voitu koota</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main></main></body></html>
"""


class Handler(SimpleHTTPRequestHandler):
    preview: Preview  # set on a subclass per server

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(self.preview.output), **kwargs)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # no English request log in the terminal

    def do_GET(self):  # noqa: N802 - the base class's name
        self._answer(send_body=True)

    def do_HEAD(self):  # noqa: N802
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        if path.startswith(OWN):
            return self._own(path[len(OWN):], parse_qs(urlsplit(self.path).query), send_body)
        status, body, kind = self._resolve(path)
        if status == HTTPStatus.MOVED_PERMANENTLY:
            self.send_response(status)
            self.send_header("Location", path + "/")
            self.send_header("Content-Length", "0")
            return self.end_headers()
        if kind.startswith("text/html") and self._is_editor(path):
            head = f'<link rel="stylesheet" href="{OWN}virheet.css">'
            body = inject(body.decode("utf-8"), "", head,
                          f'<script src="{OWN}virhepaneeli.js"></script>').encode("utf-8")
        elif kind.startswith("text/html"):
            tail = (f'<script src="{OWN}paivita.js" data-versio="{self.preview.generation}" '
                    f'data-tiiviste="{fingerprint(body)}"></script>')
            body = inject(body.decode("utf-8"), "", "", tail).encode("utf-8")
        self._send(status, body, kind, send_body)

    def _is_editor(self, path: str) -> bool:
        return path in ("/" + EDITOR_URL, "/" + EDITOR_URL + "index.html") and \
            (self.preview.output / EDITOR_URL / "index.html").is_file()

    def _resolve(self, path: str) -> tuple[HTTPStatus, bytes, str]:
        """What the preview shows at ``path`` now (status, bytes, type), before the
        reload script: the page, or the site's 404, with the last build's problems on top."""
        # The editor shows the problems in its own panel (virhepaneeli.js), not over its page.
        problems = [] if self._is_editor(path) else self.preview.problems()
        has_site = (self.preview.output / "index.html").is_file()
        if not has_site:
            return self._page(HTTPStatus.SERVICE_UNAVAILABLE, ERROR_PAGE, problems, has_site)
        file = Path(self.translate_path(path))
        if file.is_dir():
            if not path.endswith("/"):
                return HTTPStatus.MOVED_PERMANENTLY, b"", ""
            file = file / "index.html"
        status = HTTPStatus.OK
        if not file.is_file():
            status, file = HTTPStatus.NOT_FOUND, self.preview.output / "404.html"
            if not file.is_file():
                return self._page(status, ERROR_PAGE, problems, has_site)
        try:
            if file.suffix == ".html":
                return self._page(status, file.read_text(encoding="utf-8"), problems, has_site)
            return status, file.read_bytes(), self.guess_type(str(file))
        except FileNotFoundError:  # swapped away by a build this very moment: as if not there
            return self._page(HTTPStatus.NOT_FOUND, ERROR_PAGE, problems, has_site)

    def _page(self, status, text: str, problems, has_site: bool) -> tuple[HTTPStatus, bytes, str]:
        top = banner(problems, self.preview.root, has_site) if problems else ""
        head = f'<link rel="stylesheet" href="{OWN}virheet.css">' if problems else ""
        return status, inject(text, top, head, "").encode("utf-8"), "text/html; charset=utf-8"

    def _changed(self, path: str, seen: str) -> bool:
        """Whether the page at ``path`` differs from the one served with fingerprint ``seen``."""
        return fingerprint(self._resolve(path)[1]) != seen

    def _own(self, name: str, query: dict[str, list[str]], send_body: bool) -> None:
        if name == "tila":
            return self._state(query, send_body)
        if name == "virheet":
            return self._problems(query, send_body)
        file = ASSETS / name
        if "/" in name or not file.is_file():
            return self._send(HTTPStatus.NOT_FOUND, b"", "text/plain", send_body)
        self._send(HTTPStatus.OK, file.read_bytes(),
                   mimetypes.guess_type(name)[0] or "application/octet-stream", send_body)

    def _state(self, query: dict[str, list[str]], send_body: bool) -> None:
        """An open page asks whether to reload.

        ``versio`` is the build it knows of: the answer waits for a later one
        (long poll; without ``versio`` it comes at once). With ``sivu`` (its
        address) and ``tiiviste`` (its fingerprint) the page hears only of a
        build that changed it (``muuttui``); a build that left it as it was
        lets it wait on.
        """
        seen = query.get("versio", [""])[0]
        page, shown = unquote(query.get("sivu", [""])[0]), query.get("tiiviste", [""])[0]
        if not seen.isdigit():
            state = {"versio": self.preview.generation}
            if page and shown:
                state["muuttui"] = self._changed(page, shown)
        elif not (page and shown):
            state = {"versio": self.preview.generation_after(int(seen), LONG_POLL_SECONDS)}
        else:
            generation, deadline = int(seen), time.monotonic() + LONG_POLL_SECONDS
            state = {"versio": generation, "muuttui": False}
            while (left := deadline - time.monotonic()) > 0:
                generation = self.preview.generation_after(generation, left)
                state = {"versio": generation, "muuttui": self._changed(page, shown)}
                if state["muuttui"]:
                    break
        self._send(HTTPStatus.OK, json.dumps(state).encode(), "application/json", send_body)
        self.preview.answered()

    def _problems(self, query: dict[str, list[str]], send_body: bool) -> None:
        """The editor's panel asks for the problems: with ``versio`` (the build it
        knows of) the answer waits for a later build, like the state request."""
        seen = query.get("versio", [""])[0]
        generation = (self.preview.generation_after(int(seen), LONG_POLL_SECONDS) if seen.isdigit()
                      else self.preview.generation)
        problems = self.preview.problems()
        state = {"versio": generation, "otsikko": lead(len(problems), has_site=True) if problems else "",
                 "virheet": problem_rows(problems, self.preview.root)}
        self._send(HTTPStatus.OK, json.dumps(state, ensure_ascii=False).encode(), "application/json", send_body)
        self.preview.answered()

    def _send(self, status, body: bytes, kind: str, send_body: bool) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if send_body:
                self.wfile.write(body)
        except ConnectionError:
            # The tab was closed or reloaded while its request waited for a
            # build: nobody to answer, and nothing to print.
            self.close_connection = True


def open_server(preview: Preview, host: str, port: int) -> ThreadingHTTPServer:
    """Bind the port now, before anything is built; ``PortTaken`` if it is in use."""
    handler = type("PreviewHandler", (Handler,), {"preview": preview})

    class Server(ThreadingHTTPServer):
        allow_reuse_address = True  # a restart right after Ctrl+C gets the same port
        daemon_threads = True

    try:
        return Server((host, port), handler)
    except OSError as error:
        if error.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise PortTaken(error.errno, str(error)) from None
        raise


def watch_and_build(paths: Iterable[Path], build: Callable[[], object], preview: Preview,
                    stop: threading.Event | None = None) -> None:
    """Build again after every change under ``paths``; pages reload when it is done."""
    from watchfiles import watch

    for _changes in watch(*paths, stop_event=stop):
        build()
        preview.built()


def run(output: Path, root: Path, host: str, port: int, build: Callable[[], object] | None,
        watched: Iterable[Path] = (), before_serving: Callable[[int], None] | None = None) -> None:
    """Bind (port 0: any free port), build once, tell ``before_serving`` the port,
    serve until Ctrl+C (rebuilding on changes)."""
    preview = Preview(output, root)
    server = open_server(preview, host, port)
    try:
        if build is not None:
            build()
            preview.built()
            threading.Thread(target=watch_and_build, args=(list(watched), build, preview),
                             daemon=True).start()
        if before_serving is not None:
            before_serving(server.server_address[1])
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nEsikatselu lopetettu.", flush=True)
    finally:
        server.server_close()

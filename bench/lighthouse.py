"""Benchmark: Lighthouse scores of key pages, mobile and desktop.

    .venv/bin/python bench/lighthouse.py

Installs Lighthouse 12.8.2 (the last line that runs on Node 20) into
bench/.lighthouse on first use, builds the production site for a local
address, serves it over HTTP on 127.0.0.1 with the headers of _headers and
the precompressed copies (as a real host would), and runs Lighthouse with
Debian's Chromium. HSTS and upgrade-insecure-requests are left out locally:
they only make sense over HTTPS. Reports go to bench/reports/.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
LIGHTHOUSE = HERE / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"
PAGES = {"front page": "/", "post": "/ajankohtaista/2020/uusi-ilme-ja-verkkosivut/",
         "directory": "/jasenet/", "calendar": "/tapahtumat/"}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage "
                "--disable-background-networking --disable-component-update --disable-sync --no-first-run")


def install():
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(HERE / ".lighthouse"),
                        "lighthouse@12.8.2"], check=True)


def serve(folder: Path, headers: dict[str, str], port: int) -> ThreadingHTTPServer:
    class Handler(SimpleHTTPRequestHandler):
        def send_head(self):
            path = self.translate_path(self.path)
            if os.path.isdir(path):
                path = os.path.join(path, "index.html")
            accepted = self.headers.get("Accept-Encoding", "")
            for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
                if encoding in accepted and os.path.isfile(path + suffix):
                    self._encoding, self._original = encoding, path
                    self.path = self.path.split("?")[0]
                    if self.path.endswith("/"):
                        self.path += "index.html"
                    self.path += suffix
                    break
            else:
                self._encoding = None
            return super().send_head()

        def guess_type(self, path):
            if getattr(self, "_encoding", None):
                return super().guess_type(self._original)
            return super().guess_type(path)

        def end_headers(self):
            if getattr(self, "_encoding", None):
                self.send_header("Content-Encoding", self._encoding)
                self.send_header("Vary", "Accept-Encoding")
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    from conftest import DEBIAN_CHROMIUM, PASSWORD_ENV, site_headers

    install()
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "output"
        port_probe = ThreadingHTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler)
        port = port_probe.server_address[1]
        port_probe.server_close()
        siteurl = f"http://127.0.0.1:{port}"
        env = {**os.environ, **PASSWORD_ENV, "PYTHONPATH": str(ROOT / "plugins")}
        subprocess.run([sys.executable, "-m", "strict_build", str(ROOT / "publishconf.py"), str(output),
                        "-e", f"SITEURL={json.dumps(siteurl)}", "-e", f"PUBLIC_SITEURL={json.dumps(siteurl)}",
                        "-e", f"CACHE_PATH={json.dumps(tmp + '/cache')}"],
                       cwd=ROOT, env=env, check=True, capture_output=True)
        headers = {k: v for k, v in site_headers(output).items() if k != "Strict-Transport-Security"}
        headers["Content-Security-Policy"] = headers["Content-Security-Policy"].replace(
            "; upgrade-insecure-requests", "")
        server = serve(output, headers, port)
        reports = HERE / "reports"
        reports.mkdir(exist_ok=True)
        rows = []
        for name, path in PAGES.items():
            for preset in ("mobile", "desktop"):
                target = reports / f"{name.replace(' ', '-')}-{preset}"
                command = [str(LIGHTHOUSE), siteurl + path, "--quiet", "--output=json",
                           f"--output-path={target}.json", f"--only-categories={','.join(CATEGORIES)}",
                           f"--chrome-flags={CHROME_FLAGS}"]
                if preset == "desktop":
                    command.append("--preset=desktop")
                subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": DEBIAN_CHROMIUM})
                report = json.loads(Path(f"{target}.json").read_text())
                scores = [round(report["categories"][c]["score"] * 100) for c in CATEGORIES]
                rows.append((name, preset, scores))
        server.shutdown()
    print(f"{'page':<12} {'preset':<8} " + " ".join(f"{c:>15}" for c in CATEGORIES))
    for name, preset, scores in rows:
        print(f"{name:<12} {preset:<8} " + " ".join(f"{s:>15}" for s in scores))


if __name__ == "__main__":
    main()

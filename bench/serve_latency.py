"""Benchmark: `make serve` on the real site, from saving a post to the new text in the browser.

    .venv/bin/python bench/serve_latency.py [--edits 10]

In a temporary clone of the project (``--commit``, default HEAD: compare
before and after a change), starts the preview exactly as
`make serve` does (``tasks.py livereload``), opens a post in Debian's Chromium
(Playwright) and then, ten times: writes a new sentence into the post's file
and waits until the open page shows it. Each latency runs from just before
the file is written to the end of the page load that shows the text (the
preview shows the edit from its last build or rebuilds, the page hears of it
and reloads). Each edit is made on an idle preview: after the full build of
the previous one has ended and a second has passed. Prints the median and
the range; the first build (before the page opens) is not counted.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import free_port, hear_ctrl_c  # noqa: E402


def clone_project(target: Path, commit: str) -> Path:
    """``commit`` of this repository in ``target``: a git working copy, as staff have."""
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(target)], check=True)
    subprocess.run(["git", "checkout", "--quiet", commit], cwd=target, check=True)
    return target


def post_url(project: Path, post: Path) -> str:
    """The address of ``post``'s page in the first build."""
    slug = next(line.split(":", 1)[1].strip() for line in post.read_text(encoding="utf-8").splitlines()
                if line.startswith("Slug:"))
    page = next((project / "output").glob(f"**/{slug}/index.html"))
    return page.parent.relative_to(project / "output").as_posix() + "/"


def wait_for_server(port: int, child: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise SystemExit("the preview stopped")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the preview did not start")


def measure(edits: int, commit: str) -> list[float]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        project = clone_project(Path(tmp) / "site", commit)
        post = max((project / "content" / "posts").glob("*.md"))  # the newest post: staff edit those
        original = post.read_text(encoding="utf-8")
        port = free_port()
        child = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "python"), "tasks.py", "livereload", "--port", str(port)],
            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True, preexec_fn=hear_ctrl_c)
        latencies = []
        lines: list[str] = []
        threading.Thread(target=collect_lines, args=(child, lines), daemon=True).start()
        try:
            wait_for_server(port, child)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                     args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_page()
                # The first build finishes before the address is printed.
                wait_for_line(lines, "Sivusto osoitteessa", 1, child)
                # When each page (re)load ends: Playwright's own wait for the text
                # retries at growing intervals after a navigation and would add them.
                loaded = []
                page.on("load", lambda _page: loaded.append(time.perf_counter()))
                page.goto(f"http://127.0.0.1:{port}/{post_url(project, post)}")
                for n in range(edits):
                    wait_for_line(lines, "Sivusto rakennettu", n + 1, child)  # the last edit's build
                    time.sleep(1.0)  # the page settles and waits for the next build
                    marker = f"Mittauslause numero {n + 1} tallennettiin juuri."
                    text = original.rstrip("\n") + f"\n\n{marker}\n"
                    started = time.perf_counter()
                    post.write_text(text, encoding="utf-8")
                    page.get_by_text(marker).wait_for(timeout=60_000)
                    page.wait_for_load_state("load")  # the text may be parsed before the load ends
                    assert loaded[-1] > started, "the text came without a reload"
                    # The load that brought the text: the last one (a page reloads once per build).
                    latencies.append(loaded[-1] - started)
                browser.close()
        finally:
            os.killpg(child.pid, signal.SIGINT)  # Ctrl+C: the preview stops its builds
            child.wait()
    return latencies


def collect_lines(child: subprocess.Popen, lines: list[str]) -> None:
    for line in child.stdout:
        lines.append(line)


def wait_for_line(lines: list[str], text: str, count: int, child: subprocess.Popen,
                  seconds: float = 120) -> None:
    """Until the preview has printed ``count`` lines with ``text``."""
    deadline = time.monotonic() + seconds
    while sum(text in line for line in lines) < count:
        if time.monotonic() > deadline or child.poll() is not None:
            raise SystemExit(f"no {text!r} from the preview: {''.join(lines)}")
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--commit", default="HEAD", help="measure this commit (default: HEAD)")
    args = parser.parse_args()
    latencies = measure(args.edits, args.commit)
    print("save → new text in the browser, seconds: "
          + ", ".join(f"{s:.2f}" for s in latencies))
    print(f"median {statistics.median(latencies):.2f} s "
          f"(range {min(latencies):.2f}–{max(latencies):.2f} s, {len(latencies)} edits; "
          f"load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "plugins"))
    main()

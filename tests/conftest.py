"""Shared fixtures: the real site built once, and small fixture sites."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ROOT / "plugins"
SITEURL = "https://konservatorioliitto.fi"
sys.path.insert(0, str(PLUGINS))
sys.path.insert(0, str(ROOT))


@dataclass
class Build:
    returncode: int
    stdout: str
    stderr: str
    output: Path

    def html(self, path: str) -> BeautifulSoup:
        return BeautifulSoup(self.read(path), "html.parser")

    def read(self, path: str) -> str:
        file = self.output / path
        if file.is_dir() or path.endswith("/") or path == "":
            file = file / "index.html"
        with file.open(encoding="utf-8", newline="") as handle:  # keep iCalendar's CRLF
            return handle.read()

    def exists(self, path: str) -> bool:
        file = self.output / path
        return file.is_file() or (file / "index.html").is_file()

    def pages(self):
        return sorted(self.output.rglob("*.html"))

    def text_files(self):
        suffixes = {".html", ".xml", ".json", ".txt", ".css", ".js", ".ics", ".svg"}
        return sorted(p for p in self.output.rglob("*") if p.suffix in suffixes)


def run_build(output: Path, settings: str = "publishconf.py", **overrides) -> Build:
    """Build with the same command `make build` uses."""
    import json

    extra = []
    for key, value in overrides.items():
        extra += ["-e", f"{key}={json.dumps(value)}"]
    env = {**os.environ, "PYTHONPATH": str(PLUGINS)}
    proc = subprocess.run(
        [sys.executable, "-m", "strict_build", str(ROOT / settings), str(output), *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    return Build(proc.returncode, proc.stdout, proc.stderr, output)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Build:
    """The real site, production settings, built once for the session."""
    build = run_build(tmp_path_factory.mktemp("site") / "output", EVENTS_RECORD_CHANGES=False)
    assert build.returncode == 0, build.stderr
    return build


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

    def build(self, settings="publishconf.py", **overrides) -> Build:
        return run_build(self.output, settings, PATH=str(self.content), **overrides)


@pytest.fixture
def fixture_site(tmp_path) -> FixtureSite:
    return FixtureSite(tmp_path)

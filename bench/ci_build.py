"""Benchmark: the CI job's build step (`make build` in .github/workflows), cold and warm.

    .venv/bin/python bench/ci_build.py [--runs 3]

A fresh clone of the committed tree (full history, as `fetch-depth: 0`
checks it out), built with the production settings as the workflow does:

* cold: no `.cache/` (the first run, or
  the first after a theme, plugin or settings change: the cache key changes);
* warm: `.cache/` restored from the previous run, as actions/cache restores
  them (copied, so every file is new on disk), then one new post committed,
  as in a typical push; and the nightly rebuild with nothing changed.

The time from `git push` to a deployed site also holds the runner's start,
the checkout, pip and the upload, which cannot be measured here.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import PASSWORD_ENV  # noqa: E402

CACHED = (".cache",)


def build(clone: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system, all processes) of one build.

    CPU time is the steadier measure on a shared machine; wall-clock is what
    a CI runner with two idle cores would see, roughly.
    """
    env = {**os.environ, **PASSWORD_ENV, "PYTHONPATH": str(clone / "plugins")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "strict_build", "publishconf.py", "output"],
                          cwd=clone, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - started, cpu


def restore(saved: Path, clone: Path) -> None:
    for name in CACHED:
        shutil.rmtree(clone / name, ignore_errors=True)
        if (saved / name).exists():
            shutil.copytree(saved / name, clone / name, symlinks=True)


def save(clone: Path, saved: Path) -> None:
    shutil.rmtree(saved, ignore_errors=True)
    saved.mkdir()
    for name in CACHED:
        if (clone / name).exists():
            shutil.copytree(clone / name, saved / name, symlinks=True)


def new_post(clone: Path, number: int) -> None:
    post = clone / "content" / "posts" / f"2021-01-{number + 10:02d}-vertailu-{number}.md"
    post.write_text(f"Title: Vertailukirjoitus {number}\nDate: 2021-01-{number + 10:02d}\n"
                    "Category: Liiton toiminta\nAuthor: Konservatorioliiton toimisto\n"
                    f"Summary: Kirjoitus {number} mittausta varten.\n\nTeksti.\n", encoding="utf-8")
    git = ["git", "-C", str(clone), "-c", "user.name=Mittaus", "-c", "user.email=mittaus@example.org"]
    subprocess.run([*git, "add", "content"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", f"post {number}"], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        clone, saved = Path(tmp) / "clone", Path(tmp) / "saved"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        cold, warm, nightly = [], [], []
        for run in range(args.runs):
            restore(Path(tmp) / "nothing", clone)
            cold.append(build(clone))
        save(clone, saved)
        for run in range(args.runs):
            restore(saved, clone)
            new_post(clone, run)
            warm.append(build(clone))
            save(clone, saved)
        for run in range(args.runs):
            restore(saved, clone)
            nightly.append(build(clone))
    print("| CI build step (production, this site) | wall-clock, median | CPU time, median | runs (wall / CPU s) |")
    print("|---|---|---|---|")
    for name, times in (("cold: no cache", cold), ("warm: cache restored, one new post", warm),
                        ("warm: nightly, nothing changed", nightly)):
        wall = statistics.median(t[0] for t in times)
        cpu = statistics.median(t[1] for t in times)
        runs = ", ".join(f"{w:.1f}/{c:.1f}" for w, c in times)
        print(f"| {name} | {wall:.2f} s | {cpu:.2f} s | {runs} |")


if __name__ == "__main__":
    main()

"""Benchmark: the workflows' steps end to end, from a fresh clone with their caches restored.

    .venv/bin/python bench/ci_pipeline.py [--runs 3]

Two paths, each step run as the workflow runs it, on this machine:

* Julkaise → live (.github/workflows/julkaisu.yml, DEPLOY_TARGET=rsync): a
  fresh clone with the whole history of the committed tree plus one new post
  (the merged draft); .cache/ restored from the previous build of main, as
  actions/cache restores it (copied: every file new on disk);
  deploy/settings.sh; `make build`, which creates .venv and installs
  requirements.txt from a local wheel cache (setup-python's restored pip
  cache; no index is asked), then builds with the production settings;
  deploy/deploy.sh --check; deploy/deploy.sh into a local folder that
  already holds the live release (the web hotel, here without SSH).
* saved draft → preview (.github/workflows/tarkistus.yml's build job): the
  same clone and caches, deploy/settings.sh, `make setup`, the preview build
  (strict_build with the preview's SITEURL and --summary), deploy.sh --check,
  then the preview itself: the artifact's zip of output/ (what
  upload-artifact compresses), and npm installing the pinned wrangler from
  the local npm cache (what wrangler-action installs before the upload to
  Cloudflare Pages).

Not measured, because they happen elsewhere: the runner's start, the
checkout's and the caches' download from GitHub, the upload to the web
hotel, to Cloudflare or to GitHub's artifact store, and GitHub's API calls
(the preview's status). The caches are filled once before the timed runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import PASSWORD_ENV  # noqa: E402

PREVIEW_SITEURL = "https://esikatselu-1.konservatorioliitto.pages.dev"


def cpu_seconds() -> float:
    """User + system time of this process and its finished children (some steps run in-process)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Clock:
    """Wall-clock and CPU seconds of each named step."""

    def __init__(self):
        self.steps: dict[str, tuple[float, float]] = {}

    def run(self, name: str, command: list[str], cwd: Path, env: dict | None = None) -> None:
        self.time(name, lambda: _run(command, cwd, env))

    def time(self, name: str, work) -> None:
        before, started = cpu_seconds(), time.perf_counter()
        work()
        self.steps[name] = (time.perf_counter() - started, cpu_seconds() - before)


def _run(command: list[str], cwd: Path, env: dict | None = None) -> None:
    done = subprocess.run(command, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


def build_env(wheels: Path) -> dict:
    """The build's environment: the members' passwords (throwaway ones, as in the tests)
    and pip installing from the local wheel cache only."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("MEMBERS_", "VIRTUAL_ENV", "PIP_"))}
    return {**base, **PASSWORD_ENV, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheels),
            "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def merged_draft(clone: Path, number: int) -> None:
    """One new post committed on top: the draft being published or previewed."""
    post = clone / "content" / "posts" / f"2026-12-{number + 1:02d}-mittaus-{number}.md"
    post.write_text(f"Title: Mittauskirjoitus {number}\nDate: 2026-12-{number + 1:02d}\n"
                    "Category: Liiton toiminta\nAuthor: Konservatorioliiton toimisto\n"
                    f"Summary: Kirjoitus {number} mittausta varten.\n\nTeksti.\n", encoding="utf-8")
    git = ["git", "-C", str(clone), "-c", "user.name=Mittaus", "-c", "user.email=mittaus@example.org"]
    _run([*git, "add", "content"], clone)
    _run([*git, "commit", "-q", "-m", f"Uusi: kirjoitus {number}"], clone)


def fresh_clone(clock: Clock, source: Path, clone: Path, saved_cache: Path) -> None:
    clock.run("checkout (git clone, whole history)", ["git", "clone", "--quiet", "--no-hardlinks", str(source), str(clone)],
              source.parent)
    clock.time("cache restore (.cache/)", lambda: shutil.copytree(saved_cache, clone / ".cache", symlinks=True))
    clock.run("deploy/settings.sh", ["sh", "-c", "deploy/settings.sh > settings.out"], clone)


def publish(work: Path, source: Path, saved_cache: Path, wheels: Path, target: Path) -> Clock:
    clock, clone = Clock(), work / "publish"
    fresh_clone(clock, source, clone, saved_cache)
    env = build_env(wheels)
    clock.run("make setup (venv, pip from the wheel cache)", ["make", "setup"], clone, env)
    clock.run("make build (production)", ["make", "build"], clone, env)
    clock.run("deploy/deploy.sh --check", ["sh", "deploy/deploy.sh", "--check", "output"], clone)
    clock.run("deploy/deploy.sh to the folder", ["sh", "deploy/deploy.sh", "output", str(target)], clone)
    return clock


def preview(work: Path, source: Path, saved_cache: Path, wheels: Path) -> Clock:
    clock, clone = Clock(), work / "preview"
    fresh_clone(clock, source, clone, saved_cache)
    env = build_env(wheels)
    clock.run("make setup (venv, pip from the wheel cache)", ["make", "setup"], clone, env)
    clock.run("preview build (production, the preview's SITEURL)",
              [".venv/bin/python", "-m", "strict_build", "publishconf.py", "output", "-e",
               f"SITEURL={PREVIEW_SITEURL}", "--summary", "summary.md"], clone, {**env, "PYTHONPATH": "plugins"})
    clock.run("deploy/deploy.sh --check", ["sh", "deploy/deploy.sh", "--check", "output"], clone)

    def artifact():
        with zipfile.ZipFile(work / "sivusto.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            for file in sorted((clone / "output").rglob("*")):
                archive.write(file, file.relative_to(clone / "output"))

    clock.time("artifact: zip of output/", artifact)
    lock = json.loads((clone / "package-lock.json").read_text(encoding="utf-8"))
    wrangler = lock["packages"]["node_modules/wrangler"]["version"]
    (work / "wrangler").mkdir()
    clock.run(f"Cloudflare: npm install wrangler@{wrangler} from the npm cache",
              ["npm", "install", "--offline", "--no-save", "--no-audit", "--no-fund", "--loglevel=error",
               f"wrangler@{wrangler}"], work / "wrangler")
    return clock


def prepare(tmp: Path) -> tuple[Path, Path, Path, Path]:
    """The caches a run restores, filled once: the wheels, main's .cache/ and its live release."""
    wheels, source, target = tmp / "wheels", tmp / "source", tmp / "sivusto"
    _run([sys.executable, "-m", "pip", "download", "--quiet", "-r", str(ROOT / "requirements.txt"), "-d", str(wheels)], tmp)
    _run(["git", "clone", "--quiet", str(ROOT), str(source)], tmp)
    env = build_env(wheels)
    _run(["make", "build"], source, env)
    _run(["sh", "deploy/deploy.sh", "output", str(target)], source)
    shutil.copytree(source / ".cache", tmp / "saved-cache", symlinks=True)
    shutil.rmtree(source / ".venv")
    return wheels, source, tmp / "saved-cache", target


def unchanged_releases(source: Path, wheels: Path, tmp: Path) -> list[str]:
    """Three builds of the same commit, each deployed into a fresh folder: what each
    release adds on the host (du counts a hard-linked file once, in the first release)."""
    target = tmp / "sama-sivusto"
    for _ in range(3):
        _run(["make", "build"], source, build_env(wheels))
        _run(["sh", "deploy/deploy.sh", "output", str(target)], source)
    releases = sorted((target / "releases").iterdir())
    sizes = subprocess.run(["du", "-sk", *map(str, releases)], capture_output=True, text=True, check=True).stdout
    folders = sum(1 for p in releases[-1].rglob("*") if p.is_dir()) + 1
    total = subprocess.run(["du", "-sk", str(target / "releases")], capture_output=True, text=True, check=True).stdout
    return [*(f"{line.split()[0]} KiB  {Path(line.split()[1]).name}" for line in sizes.splitlines()),
            f"{total.split()[0]} KiB  releases/ in all; {folders} folders in a release"]


def table(title: str, clocks: list[Clock]) -> None:
    print(f"\n| {title} | wall-clock, median | CPU, median |\n|---|---|---|")
    for step in clocks[0].steps:
        wall = statistics.median(c.steps[step][0] for c in clocks)
        cpu = statistics.median(c.steps[step][1] for c in clocks)
        print(f"| {step} | {wall:.1f} s | {cpu:.1f} s |")
    # The preview is either the artifact or the Cloudflare route: a total for each.
    routes = sorted({step.split(":")[0] for step in clocks[0].steps if step.startswith(("artifact:", "Cloudflare:"))})
    for route in routes or [""]:
        chosen = [step for step in clocks[0].steps
                  if not step.startswith(("artifact:", "Cloudflare:")) or step.startswith(f"{route}:")]
        walls = [sum(c.steps[s][0] for s in chosen) for c in clocks]
        cpus = [sum(c.steps[s][1] for s in chosen) for c in clocks]
        print(f"| **total{f' ({route})' if route else ''}** | **{statistics.median(walls):.1f} s** "
              f"({', '.join(f'{w:.1f}' for w in walls)}) | {statistics.median(cpus):.1f} s |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    load = os.getloadavg()
    published, previewed = [], []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        wheels, source, saved_cache, target = prepare(tmp)
        for run in range(args.runs):
            merged_draft(source, run)
            work = tmp / f"run{run}"
            work.mkdir()
            published.append(publish(work, source, saved_cache, wheels, target))
            previewed.append(preview(work, source, saved_cache, wheels))
            shutil.rmtree(work)
        same = unchanged_releases(source, wheels, tmp)
    print(f"load average (1 min) before: {load[0]:.2f}, after: {os.getloadavg()[0]:.2f}; "
          f"{os.cpu_count()} CPUs; {args.runs} runs")
    table("Julkaise → live (julkaisu.yml, rsync to a folder)", published)
    table("saved draft → preview (tarkistus.yml's build job)", previewed)
    print("\nThe same site built and deployed three times (du -sk):\n")
    print("\n".join(f"    {line}" for line in same))


if __name__ == "__main__":
    main()

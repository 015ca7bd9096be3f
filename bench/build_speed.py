"""Benchmark: how fast the site builds, against plain Pelican.

    .venv/bin/python bench/build_speed.py [--profile]

In a temporary copy of the site, with a synthetic corpus of 1 000 posts,
300 events and 200 members' bulletins, in one run on the same machine:

1. a cold production build (no output, no caches);
2. a rebuild after touching one post, with Pelican's content cache on, in
   the steady state of editing (two builds before it into the same folder);
3. a plain Pelican build of the same 1 000 posts: default theme, no plugins;
4. plain Pelican's own cached rebuild of them (CACHE_CONTENT and
   LOAD_CONTENT_CACHE) after touching one post, the comparison for 2.

Each is the median of three runs; the cold build's phases (read, check,
render, …; ``python -m strict_build --phases``) are those of the median run,
and the peak memory is the largest resident size of any of our builds.
--profile writes cProfile statistics of one cold build to
bench/profile-cold.txt.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import PASSWORD_ENV as PASSWORDS  # noqa: E402
from corpus import copy_site, write_bulletins, write_events, write_posts  # noqa: E402

RUNS = 3


PHASES = {}  # seconds -> the phases of that build


def timed(command, cwd, env=None) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env={**os.environ, **(env or {})},
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"{command} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    phases = re.search(r"^VAIHEET: (.*)$", done.stderr, re.M)
    if phases:
        PHASES[elapsed] = json.loads(phases.group(1))
    return elapsed


def our_build(site: Path, output: Path, cache: Path, warm: bool, profile: Path | None = None) -> float:
    extra = ["-e", f"CACHE_PATH={json.dumps(str(cache))}"]
    if warm:
        extra += ["-e", "CACHE_CONTENT=true", "-e", "LOAD_CONTENT_CACHE=true"]
    runner = [sys.executable]
    if profile:
        runner += ["-m", "cProfile", "-o", str(profile)]
    runner += ["-m", "strict_build", "--phases"]
    env = {**PASSWORDS, "PYTHONPATH": str(site / "plugins")}
    return timed([*runner, str(site / "publishconf.py"), str(output), *extra], site, env)


def plain_pelican(posts: Path, output: Path, cached: bool = False) -> float:
    settings = posts.parent / "plain.py"
    settings.write_text(
        f"PATH = {str(posts)!r}\nPLUGINS = []\nTIMEZONE = 'Europe/Helsinki'\n"
        "SITEURL = 'https://konservatorioliitto.fi'\n"
        f"CACHE_PATH = {str(posts.parent / 'cache')!r}\n"
        f"CACHE_CONTENT = LOAD_CONTENT_CACHE = {cached}\n"
        "FEED_DOMAIN = SITEURL\nDELETE_OUTPUT_DIRECTORY = True\n", encoding="utf-8")
    cache = [] if cached else ["--ignore-cache"]
    return timed([sys.executable, "-m", "pelican", str(posts), "-s", str(settings), "-o", str(output),
                  "-q", *cache], posts.parent)


def main(profile: bool):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        site = copy_site(tmp / "site")
        content = site / "content"
        write_posts(content, 1000)
        write_events(content, 300)
        write_bulletins(content, 200)
        plain_posts = tmp / "plain" / "content"
        shutil.copytree(content / "posts", plain_posts)
        for post in plain_posts.glob("*.md"):  # plain Pelican knows no {filename} targets of ours
            post.write_text(post.read_text(encoding="utf-8").replace(
                "[Liitto]({filename}/pages/liitto.md)", "Liitto"), encoding="utf-8")
        # Side by side: each cold build of ours is followed by plain Pelican's, so
        # that the load of a shared machine falls on both alike.
        cold, plain = [], []
        for run in range(RUNS):
            shutil.rmtree(tmp / "cache", ignore_errors=True)
            cold.append(our_build(site, tmp / f"out-cold-{run}", tmp / "cache", warm=False))
            plain.append(plain_pelican(plain_posts, tmp / f"out-plain-{run}"))
        shutil.rmtree(tmp / "cache", ignore_errors=True)
        # Editing in steady state: the content cache is full and the output
        # folder has a spare (the build before it) to start the next one from.
        for _ in range(2):
            our_build(site, tmp / "out-warm", tmp / "cache", warm=True)
        touched = content / "posts" / "bench-0500.md"
        rebuild = []
        for run in range(RUNS):
            touched.write_text(touched.read_text(encoding="utf-8") + f"\nMuutos {run}.\n", encoding="utf-8")
            rebuild.append(our_build(site, tmp / "out-warm", tmp / "cache", warm=True))
        for _ in range(2):
            plain_pelican(plain_posts, tmp / "out-plain-warm", cached=True)
        plain_touched = plain_posts / "bench-0500.md"
        plain_rebuild = []
        for run in range(RUNS):
            plain_touched.write_text(plain_touched.read_text(encoding="utf-8") + f"\nMuutos {run}.\n",
                                     encoding="utf-8")
            plain_rebuild.append(plain_pelican(plain_posts, tmp / "out-plain-warm", cached=True))
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if profile:
            shutil.rmtree(tmp / "cache", ignore_errors=True)
            stats = tmp / "cold.prof"
            our_build(site, tmp / "out-profile", tmp / "cache", warm=False, profile=stats)
            import pstats

            out = Path(__file__).with_name("profile-cold.txt")
            with out.open("w") as handle:
                pstats.Stats(str(stats), stream=handle).sort_stats("cumulative").print_stats(40)
            print(f"profile written to {out}")
    cold_s, rebuild_s, plain_s, plain_rebuild_s = (
        statistics.median(x) for x in (cold, rebuild, plain, plain_rebuild))
    ratios = sorted(round(ours / theirs, 2) for ours, theirs in zip(cold, plain))
    print("corpus: 1000 posts, 300 events, 200 bulletins; medians of 3")
    print(f"cold build phases (s): {PHASES.get(cold_s)}")
    print(f"peak memory of any build (resident): {peak_mb:.0f} MB")
    print(f"plain Pelican cached rebuild:        {plain_rebuild_s:6.2f} s  "
          f"{sorted(round(x, 2) for x in plain_rebuild)}")
    print(f"our rebuild / plain cached rebuild = {rebuild_s / plain_rebuild_s:.2f}")
    print(f"our cold production build:          {cold_s:6.2f} s  {sorted(round(x, 2) for x in cold)}")
    print(f"our rebuild after touching one post: {rebuild_s:6.2f} s  {sorted(round(x, 2) for x in rebuild)}")
    print(f"rebuild phases (s): {PHASES.get(rebuild_s)}")
    print(f"plain Pelican, same 1000 posts:      {plain_s:6.2f} s  {sorted(round(x, 2) for x in plain)}")
    print(f"cold / plain = {cold_s / plain_s:.2f} (target ≤ 3.0); each pair run side by side: {ratios}")


if __name__ == "__main__":
    main("--profile" in sys.argv)

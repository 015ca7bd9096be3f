"""Benchmark: the members' section, build side and browser side.

    .venv/bin/python bench/members_cost.py

1. Build-time cost of encrypting 200 bulletins and 100 MB of materials: the
   production build of a temporary copy of the site with and without that
   content, in one run on the same machine (median of 3).
2. Time to unlock in headless Chromium: from pressing "Kirjaudu" to the
   members' front page listing the bulletins (Argon2id + unwrap + decrypting
   the index), median of 5, against a local HTTP server.
"""

from __future__ import annotations

import json
import os
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
from corpus import copy_site, write_bulletins, write_materials  # noqa: E402
from members_gate import unlock_times  # noqa: E402


def build(site: Path, output: Path, siteurl: str | None = None) -> float:
    env = {**os.environ, **PASSWORDS, "PYTHONPATH": str(site / "plugins")}
    extra = ["-e", f"SITEURL={json.dumps(siteurl)}"] if siteurl is not None else []
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "strict_build", str(site / "publishconf.py"),
                           str(output), *extra],
                          cwd=site, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr)
    return time.perf_counter() - started


def median_build(site: Path, output: Path, runs: int = 3) -> float:
    """Cold builds: each into a folder of its own with no spare and no cache."""
    times = []
    for run in range(runs):
        shutil.rmtree(site / ".cache", ignore_errors=True)
        times.append(build(site, output.with_name(f"{output.name}-{run}")))
    return statistics.median(times)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        site = copy_site(tmp / "site")
        base = median_build(site, tmp / "out-base")
        write_bulletins(site / "content", 200)
        write_materials(site / "content", 100)
        loaded = median_build(site, tmp / "out-members")
        build(site, tmp / "out-local", siteurl="")
        unlocks = unlock_times(tmp / "out-local")
    print(f"production build, site as is:                 {base:6.2f} s")
    print(f"… plus 200 bulletins and 100 MB of materials: {loaded:6.2f} s "
          f"(+{loaded - base:.2f} s)")
    print(f"unlock in headless Chromium (median of {len(unlocks)}):  "
          f"{statistics.median(unlocks) * 1000:6.0f} ms "
          f"(min {min(unlocks) * 1000:.0f}, max {max(unlocks) * 1000:.0f})")


if __name__ == "__main__":
    main()

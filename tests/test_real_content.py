"""The real content (content/): one production build of it.

Every other test builds the fixture content (tests/fixture-content), so what
staff write never fails a test of the code. Here the build's own strict
checks are the test of the content; and, the one rule that must hold for
whatever staff write, no members-only text reaches a public file.
"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, front_matter, run_build

pytestmark = pytest.mark.build
MEMBERS = ROOT / "content" / "members"


def members_only_text() -> list[str]:
    """Titles, summaries and sentences of the members' items, as they would leak."""
    found = []
    for path in sorted(MEMBERS.rglob("*.md")):
        fields = front_matter(path)
        found += [fields[key] for key in ("title", "summary") if len(fields.get(key, "")) > 12]
        body = path.read_text(encoding="utf-8").split("\n\n", 1)[-1]
        found += [line.strip() for line in re.split(r"[.\n]", body) if len(line.strip()) > 30]
    return found


def test_the_real_content_builds_and_keeps_members_text_out_of_public_files(tmp_path):
    build = run_build(tmp_path / "output")
    assert build.returncode == 0, build.stderr
    secrets = members_only_text()
    attachments = [path.read_bytes()[-64:] for path in (MEMBERS / "tiedostot").iterdir()
                   if path.is_file() and path.stat().st_size > 256]
    assert secrets and attachments, "nothing members-only to look for"
    scanned = 0
    for file in build.output.rglob("*"):
        if not file.is_file() or file.suffix in (".gz", ".br"):  # copies of files scanned as they are
            continue
        data = file.read_bytes()
        text = data.decode("utf-8", errors="ignore")
        leaked = [secret for secret in secrets if secret in text]
        assert not leaked, (file, leaked[:3])
        assert not any(sample in data for sample in attachments), file
        scanned += 1
    assert scanned > 500

"""Members' HTML: what Markdown makes, and nothing that runs.

A members' page is decrypted in the browser and inserted into the page. On a
host that sends no Content-Security-Policy header, raw HTML typed into the
Markdown (``<img onerror=…>``, ``<script>``) would run with the member's keys
at hand. So the build refuses such HTML with a message naming the file, and
what it encrypts has also passed nh3 (the Rust sanitiser ammonia). The
sanitiser is the public pages' (content_rules/html.py) with a narrower list:
no images (they would be published unencrypted; attachments are encrypted)
and every link opened with rel="noopener noreferrer". The members' pages
carry a ``<meta http-equiv="Content-Security-Policy">`` as a further line of
defence. Threats: [GROUP] and [PROFILE] in crypto.py (script in one member's
content could read keys or content of a group the reader holds).
"""

from __future__ import annotations

from content_rules import html

MEMBERS = html.Allowed(
    tags=html.MARKDOWN_TAGS,
    attributes={
        "*": frozenset({"id", "title", "class"}),
        "a": frozenset({"href"}),
        "ol": frozenset({"start"}),
        "td": frozenset({"align", "style"}),
        "th": frozenset({"align", "style"}),
    },
    link_rel="noopener noreferrer",
)


def refused_html(fragment: str) -> list[str]:
    """What in this fragment the members' section does not allow (empty: all is fine)."""
    return html.refused_html(fragment, MEMBERS)


def clean(fragment: str) -> str:
    """The fragment with only allowed tags, attributes and link schemes."""
    return html.clean(fragment, MEMBERS)

"""Members' HTML: what Markdown makes, and nothing that runs.

A members' page is decrypted in the browser and inserted into the page. On a
host that sends no Content-Security-Policy header, raw HTML typed into the
Markdown (``<img onerror=…>``, ``<script>``) would run with the member's keys
at hand. So the build refuses such HTML with a message naming the file, and
what it encrypts has also passed nh3 (the Rust sanitiser ammonia) with an
allow-list of what Markdown itself produces. The members' pages carry a
``<meta http-equiv="Content-Security-Policy">`` as a further line of defence.
Threats: [GROUP] and [PROFILE] in crypto.py (script in one member's content
could read keys or content of a group the reader holds).
"""

from __future__ import annotations

from html.parser import HTMLParser

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "mark", "ol", "p", "pre",
    "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul",
}
ATTRIBUTES = {
    "*": {"id", "title", "class"},
    "a": {"href"},
    "ol": {"start"},
    "td": {"align", "style"},
    "th": {"align", "style"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
STYLE_PROPERTIES = {"text-align"}


class _Inventory(HTMLParser):
    """The tags and attributes a fragment uses that the allow-list does not have."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refused: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS:
            self.refused.append(f"<{tag}>")
            return
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                self.refused.append(f"<{tag} {name}>")
            elif name == "href" and ":" in (value or "").split("/")[0]:
                scheme = value.split(":", 1)[0].strip().lower()
                if scheme not in URL_SCHEMES:
                    self.refused.append(f"<a href=\"{scheme}:…\">")


def refused_html(html: str) -> list[str]:
    """What in this fragment the members' section does not allow (empty: all is fine)."""
    inventory = _Inventory()
    inventory.feed(html)
    inventory.close()
    return list(dict.fromkeys(inventory.refused))


def clean(html: str) -> str:
    """The fragment with only allowed tags, attributes and link schemes."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     filter_style_properties=STYLE_PROPERTIES, link_rel="noopener noreferrer",
                     strip_comments=True)

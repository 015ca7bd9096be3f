"""The HTML a writer's Markdown may become, and nothing that runs.

Public pages share their origin with the members' keys: HTML typed into
Markdown (``<script>``, ``<img onerror=…>``, ``[a](javascript:…)``, an
attr_list ``{: onclick=… }``, ``<iframe>``, ``<object>``, a ``<form>``,
``<meta http-equiv="refresh">``) could read a logged-in member's key where a
host sends no CSP header, or send visitors elsewhere even under one. So the
HTML of every Markdown file is held to an allow-list (``Allowed``) of what
Python-Markdown and its "extra" extensions produce (tables, footnotes,
definition lists, abbreviations, fenced code, attr_list classes and ids), the
``lang`` of a foreign word, and the ``<img>`` responsive_images makes.
Links are relative (the site's own, ``{filename}…``, ``#anchor``) or http(s),
mailto and tel: no ``javascript:`` or ``data:``. No form at all, to this site
or another: Markdown makes none, and the newsletter's comes from a template.
No embeds either: the site's policy (site_meta/headers.py) loads no frames.

``refused_html`` names what a fragment uses beyond the list, so that the
build stops naming the file (a writer who typed an iframe expects it on the
page: dropping it silently would hide the mistake). ``clean`` then passes
the HTML through nh3 (the Rust sanitiser ammonia, which parses HTML as
browsers do), so that what the inventory's parser reads differently still
never reaches a page. ``PUBLIC`` is the public pages' list; the members'
section uses a narrower one (members_area/sanitize.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3


@dataclass(frozen=True)
class Allowed:
    tags: frozenset[str]
    attributes: Mapping[str, frozenset[str]]  # tag, or "*" for every tag -> its attributes
    url_schemes: frozenset[str] = frozenset({"http", "https", "mailto", "tel"})
    style_properties: frozenset[str] = frozenset({"text-align"})  # Markdown's table columns
    link_rel: str | None = None  # rel given to every link by ``clean``


MARKDOWN_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "mark", "ol", "p", "pre",
    "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul",
})
PUBLIC = Allowed(
    tags=MARKDOWN_TAGS | {"h1", "img"},
    attributes={
        "*": frozenset({"id", "title", "class", "lang"}),
        "a": frozenset({"href", "hreflang"}),
        "img": frozenset({"src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding"}),
        "ol": frozenset({"start"}),
        "td": frozenset({"align", "style"}),
        "th": frozenset({"align", "style"}),
    },
)
URL_ATTRIBUTES = {"href", "src", "cite"}
SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
# As a browser reads a URL: tabs and newlines anywhere dropped, controls and spaces around it trimmed.
IGNORED_IN_URLS = str.maketrans("", "", "\t\n\r")
CONTROLS_AND_SPACE = "".join(map(chr, range(0x21)))


def url_scheme(url: str) -> str | None:
    """The scheme of a URL as a browser reads it ("javascript"), None for a relative one."""
    match = SCHEME.match(url.translate(IGNORED_IN_URLS).strip(CONTROLS_AND_SPACE))
    return match[1].lower() if match else None


def _srcset_urls(value: str) -> list[str]:
    return [candidate.split()[0] for candidate in value.split(",") if candidate.split()]


class _Inventory(HTMLParser):
    """The tags and attributes a fragment uses that ``allowed`` does not have."""

    def __init__(self, allowed: Allowed):
        super().__init__(convert_charrefs=True)
        self.allowed = allowed
        self.refused: list[str] = []

    def handle_starttag(self, tag, attrs):
        allowed = self.allowed
        if tag not in allowed.tags:
            self.refused.append(f"<{tag}>")
            return
        names = allowed.attributes.get("*", frozenset()) | allowed.attributes.get(tag, frozenset())
        for name, value in attrs:
            value = value or ""
            if name not in names:
                self.refused.append(f"<{tag} {name}>")
            elif name in URL_ATTRIBUTES or name == "srcset":
                urls = _srcset_urls(value) if name == "srcset" else [value]
                for scheme in filter(None, map(url_scheme, urls)):
                    if scheme not in allowed.url_schemes:
                        self.refused.append(f"<{tag} {name}=\"{scheme}:…\">")
            elif name == "style":
                properties = {part.split(":")[0].strip().lower() for part in value.split(";") if part.strip()}
                if not properties <= allowed.style_properties:
                    self.refused.append(f"<{tag} style=\"{value.strip()}\">")


def refused_html(html: str, allowed: Allowed = PUBLIC) -> list[str]:
    """What in this fragment ``allowed`` does not allow (empty: all is fine)."""
    inventory = _Inventory(allowed)
    inventory.feed(html)
    inventory.close()
    return list(dict.fromkeys(inventory.refused))


def clean(html: str, allowed: Allowed = PUBLIC) -> str:
    """The fragment with only allowed tags, attributes and link schemes."""

    def only_allowed_sources(tag, name, value):  # ammonia does not read srcset's URLs
        if name == "srcset" and any(url_scheme(url) not in (None, *allowed.url_schemes)
                                    for url in _srcset_urls(value)):
            return None
        return value

    return nh3.clean(html, tags=set(allowed.tags),
                     attributes={tag: set(names) for tag, names in allowed.attributes.items()},
                     url_schemes=set(allowed.url_schemes), filter_style_properties=set(allowed.style_properties),
                     link_rel=allowed.link_rel, strip_comments=True, attribute_filter=only_allowed_sources)

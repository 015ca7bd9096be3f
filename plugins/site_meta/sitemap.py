"""sitemap.xml and robots.txt from the public pages actually written."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from xml.sax.saxutils import escape


def page_urls(output: Path, excluded: Iterable[str]) -> list[str]:
    """Output-relative URLs of the HTML pages, minus the excluded folders and files."""
    excluded = tuple(excluded)
    urls = []
    for path in sorted(output.rglob("*.html")):
        relative = path.relative_to(output).as_posix()
        if relative.startswith(excluded) or relative in excluded:
            continue
        urls.append(relative[: -len("index.html")] if relative.endswith("index.html") else relative)
    return urls


def excluded_with_translations(excluded: Iterable[str],
                               groups: Mapping[str, Mapping[str, str]]) -> tuple[str, ...]:
    """The excluded folders and files and their versions in the other languages."""
    found = list(excluded)
    for path in excluded:
        found += [url for url in groups.get(path, {}).values() if url and url not in found]
    return tuple(found)


def alternates_xml(siteurl: str, versions: Mapping[str, str], default_lang: str,
                   listed: set[str]) -> str:
    """<xhtml:link> alternates of one URL: each language, and x-default the default's."""
    present = {lang: url for lang, url in versions.items() if url in listed}
    if len(present) < 2:
        return ""
    pairs = sorted(present.items(), key=lambda pair: (pair[0] != default_lang, pair[0]))
    if default_lang in present:
        pairs.append(("x-default", present[default_lang]))
    return "".join(f'<xhtml:link rel="alternate" hreflang="{lang}" href="{escape(f"{siteurl}/{url}")}"/>'
                   for lang, url in pairs)


def sitemap_xml(siteurl: str, urls: list[str], lastmod: Mapping[str, str],
                groups: Mapping[str, Mapping[str, str]] | None = None,
                default_lang: str = "") -> str:
    groups = groups or {}
    listed = set(urls)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for url in urls:
        lines.append(f"  <url><loc>{escape(f'{siteurl}/{url}')}</loc>"
                     + (f"<lastmod>{lastmod[url]}</lastmod>" if url in lastmod else "")
                     + alternates_xml(siteurl, groups.get(url, {}), default_lang, listed)
                     + "</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(siteurl: str) -> str:
    # The members' section is not disallowed: its pages say noindex themselves,
    # and crawlers must be able to read that.
    return f"User-agent: *\nAllow: /\n\nSitemap: {siteurl}/sitemap.xml\n"

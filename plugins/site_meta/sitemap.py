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


def sitemap_xml(siteurl: str, urls: list[str], lastmod: Mapping[str, str]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url in urls:
        lines.append(f"  <url><loc>{escape(f'{siteurl}/{url}')}</loc>"
                     + (f"<lastmod>{lastmod[url]}</lastmod>" if url in lastmod else "") + "</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(siteurl: str) -> str:
    # The members' section is not disallowed: its pages say noindex themselves,
    # and crawlers must be able to read that.
    return f"User-agent: *\nAllow: /\n\nSitemap: {siteurl}/sitemap.xml\n"

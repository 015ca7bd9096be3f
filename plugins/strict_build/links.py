"""Check that every internal link and image in the built site resolves."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .problems import Problem

# Our templates and Markdown both write attributes in double quotes.
URL_ATTRIBUTE = re.compile(r'\s(?:href|src|action|poster)="([^"]*)"')
SRCSET = re.compile(r'\ssrcset="([^"]*)"')
ID_ATTRIBUTE = re.compile(r'\sid="([^"]*)"')
EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel", "webcal", "data", "javascript"}


def link_targets(html: str) -> list[str]:
    """Every URL a page refers to through href, src, action, poster or srcset."""
    urls = URL_ATTRIBUTE.findall(html)
    for srcset in SRCSET.findall(html):
        urls.extend(part.strip().split(" ")[0] for part in srcset.split(",") if part.strip())
    return urls


def resolve(url: str, page: str, siteurl: str) -> tuple[str, str] | None:
    """Map a URL on ``page`` (a path relative to the output root) to a file.

    Returns (output-relative path, fragment), or None when the URL points
    outside the site.
    """
    url = url.strip()
    if siteurl and url.startswith(siteurl.rstrip("/") + "/"):
        url = url[len(siteurl.rstrip("/")) :]
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        return page, parts.fragment  # "#id" or "?query" on the same page
    if path.startswith("/"):
        target = path.lstrip("/")
    else:
        target = os.path.normpath(os.path.join(os.path.dirname(page), path))
    if target in (".", ""):
        target = ""
    if path.endswith("/") or target == "":
        target = os.path.join(target, "index.html")
    return target.replace(os.sep, "/"), parts.fragment


def broken_links(
    output: Path, siteurl: str, sources: Mapping[str, str] | None = None
) -> list[Problem]:
    """Problems for links and images in ``output`` that lead nowhere."""
    sources = sources or {}
    ids: dict[str, set[str]] = {}
    references = []  # (page, url, target, fragment)
    # One walk of the output instead of a stat() per link: pages have ~100 links each.
    files = {p.relative_to(output).as_posix() for p in output.rglob("*") if not p.is_dir()}
    for path in sorted(output.rglob("*.html")):
        page = path.relative_to(output).as_posix()
        html = path.read_text(encoding="utf-8")
        ids[page] = set(ID_ATTRIBUTE.findall(html))
        for url in dict.fromkeys(link_targets(html)):
            resolved = resolve(url, page, siteurl)
            if resolved is not None:
                references.append((page, url, *resolved))
    problems = []
    for page, url, target, fragment in references:
        if target not in files and f"{target.rstrip('/')}/index.html" not in files:
            problems.append(_broken(page, url, sources))
        elif fragment and target in ids and fragment not in ids[target]:
            problems.append(_broken(page, url, sources, anchor=True))
    return problems


def _broken(page: str, url: str, sources: Mapping[str, str], anchor=False) -> Problem:
    source = sources.get(page, "")
    where = "" if source else f" sivulla {page}"
    what = "ankkuria" if anchor else "kohdetta"
    return Problem(
        source,
        "linkki",
        f"linkin {url}{where} {what} ei ole sivustolla.",
        "Korjaa linkki osoittamaan olemassa olevaan sivuun tai kuvaan; "
        "sisäiset linkit kannattaa kirjoittaa muodossa {filename}/pages/sivu.md.",
    )

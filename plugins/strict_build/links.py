"""Check that every internal link and image in the built site resolves."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitecore import Problem

# Our templates and Markdown both write attributes in double quotes.
# One pass over a page finds its links and its anchors.
ATTRIBUTE = re.compile(r'\s(href|src|action|poster|srcset|id)="([^"]*)"')


def links_and_ids(html: str) -> tuple[list[str], set[str]]:
    """Every URL a page refers to (href, src, action, poster, srcset) and its ids."""
    urls, ids = [], set()
    for name, value in ATTRIBUTE.findall(html):
        if name == "id":
            ids.add(value)
        elif name == "srcset":
            urls.extend(part.strip().split(" ")[0] for part in value.split(",") if part.strip())
        else:
            urls.append(value)
    return urls, ids


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


def broken_links(output: Path, siteurl: str, sources: Mapping[str, str] | None = None) -> list[Problem]:
    """Problems for links and images in ``output`` that lead nowhere."""
    sources = sources or {}
    ids: dict[str, set[str]] = {}
    references = []  # (page, url, target, fragment)
    # One walk of the output instead of a stat() per link: pages have ~100 links each.
    root = os.path.normpath(output)
    files, pages = set(), []
    for folder, _, names in os.walk(root):
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        for name in names:
            files.add(prefix + name)
            if name.endswith(".html"):
                pages.append(prefix + name)
    # Most links (menus, footer, assets) repeat on every page: resolve an
    # absolute URL once, a relative one once per folder, "#id" per page.
    site_prefix = siteurl.rstrip("/") + "/" if siteurl else "/"
    resolved_in_folder: dict[tuple[str, str], tuple[str, str] | None] = {}
    for page in sorted(pages):
        folder = page.rpartition("/")[0]
        with open(os.path.join(root, page), encoding="utf-8") as handle:
            urls, ids[page] = links_and_ids(handle.read())
        for url in dict.fromkeys(urls):
            if url.startswith(("#", "?")) or not url:
                resolved = resolve(url, page, siteurl)
            else:
                absolute = url.startswith(("/", site_prefix)) or ":" in url.partition("/")[0]
                key = ("", url) if absolute else (folder, url)
                if key not in resolved_in_folder:
                    resolved_in_folder[key] = resolve(url, page, siteurl)
                resolved = resolved_in_folder[key]
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

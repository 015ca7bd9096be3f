"""Check that every internal link and image in the built site resolves."""

from __future__ import annotations

import os
import pickle
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


class ParsedPages:
    """Links and anchors of pages, remembered between builds.

    A page is known by its inode, modification time and size: a build leaves
    unchanged pages alone (see ``reuse``), so most need no reading. The
    entries of the last two builds are kept, one per output folder in turn.
    """

    def __init__(self, file: Path | None):
        self.file, self.now, self.latest, self.older = file, {}, {}, {}
        if file is not None and file.is_file():
            try:
                with file.open("rb") as handle:
                    self.latest, self.older = pickle.load(handle)
            except Exception:  # noqa: BLE001 - an unreadable cache only makes the check slower
                self.latest, self.older = {}, {}
        self.urls: dict[str, str] = {}  # one string per distinct URL keeps the file small

    def links_and_ids(self, path: str) -> tuple[list[str], set[str]]:
        info = os.stat(path)
        key = (info.st_ino, info.st_mtime_ns, info.st_size)
        found = self.latest.get(key) or self.older.get(key)
        if found is None:
            with open(path, encoding="utf-8") as handle:
                urls, ids = links_and_ids(handle.read())
            found = ([self.urls.setdefault(url, url) for url in urls], ids)
        self.now[key] = found
        return found

    def save(self) -> None:
        if self.file is None:
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        latest = {key: found for key, found in self.latest.items() if key not in self.now}
        with self.file.open("wb") as handle:
            pickle.dump((self.now, latest), handle, protocol=pickle.HIGHEST_PROTOCOL)


def broken_links(
    output: Path, siteurl: str, sources: Mapping[str, str] | None = None,
    cache: Path | None = None,
) -> list[Problem]:
    """Problems for links and images in ``output`` that lead nowhere.

    ``cache`` names a file where the pages' links are kept for the next build.
    """
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
    parsed = ParsedPages(cache)
    # Most links (menus, footer, assets) repeat on every page: resolve an
    # absolute URL once, a relative one once per folder, "#id" per page.
    site_prefix = siteurl.rstrip("/") + "/" if siteurl else "/"
    resolved_in_folder: dict[tuple[str, str], tuple[str, str] | None] = {}
    for page in sorted(pages):
        folder = page.rpartition("/")[0]
        urls, ids[page] = parsed.links_and_ids(os.path.join(root, page))
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
    parsed.save()
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

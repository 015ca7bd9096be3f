"""Output paths: what the site writes itself, and content that would replace it.

The engine records who writes each output file (``Build.claim``; each
``Build.write_output`` is claimed for the plugin that calls it) and stops the
build when two writers claim one file. Here Pelican's own writes are claimed
too (``content_written``, ``feed_written``; a post or page by its source
file), and in the *check* phase, before anything is written, so is each
post's, page's and {static} file's output path: one that leaves the output
folder, that another content file writes too, or that the site reserves for
what it generates itself (``reserved``) stops the build there, naming the file.

A page's ``Url`` is not checked: it writes nothing, and the pages that stand
for generated ones (content/pages/jasenalue.md) give the section's address
with an empty ``Save_as``.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field

from pelican.contents import Article, Page, Static

from languages import localised_url, other_languages
from sitecore import Build, Problem
from sitecore.build import writing_plugin
from sitecore.site import section_url

# Pages Pelican generates from the posts (settings naming their paths).
LISTINGS = ("INDEX_SAVE_AS", "CATEGORY_SAVE_AS", "TAG_SAVE_AS", "AUTHOR_SAVE_AS", "CATEGORIES_SAVE_AS",
            "TAGS_SAVE_AS", "AUTHORS_SAVE_AS", "ARCHIVES_SAVE_AS", "YEAR_ARCHIVE_SAVE_AS",
            "MONTH_ARCHIVE_SAVE_AS", "DAY_ARCHIVE_SAVE_AS")
FEEDS = ("FEED_ATOM", "FEED_RSS", "FEED_ALL_ATOM", "FEED_ALL_RSS", "CATEGORY_FEED_ATOM",
         "CATEGORY_FEED_RSS", "TAG_FEED_ATOM", "TAG_FEED_RSS")


@dataclass
class ContentOutputs:
    """Posts, pages and {static} files as they are read, checked in the *check* phase."""

    items: list = field(default_factory=list)


def reserved(settings) -> dict[str, str]:
    """Output paths the site generates, in every language: path -> what writes it.

    A path ending in "/" stands for its whole folder, ``{…}`` for one segment.
    """
    icons = os.path.join(settings["THEME"], "root")  # site_meta copies these to the root
    paths = {
        section_url(settings, "members"): "jäsenalue",
        "pagefind/": "hakuhakemisto",
        f"{settings.get('IMAGE_OUTPUT_DIR', 'kuvat')}/": "kuvien versiot",
        f"{settings.get('SOCIAL_CARD_DIR', 'kortit')}/": "jakokuvat",
        f"{settings.get('THEME_STATIC_DIR', 'theme')}/": "teeman tiedostot",
        **dict.fromkeys(("_headers", ".htaccess", "robots.txt", "sitemap.xml"), "palvelimen tiedostot"),
        **dict.fromkeys(os.listdir(icons) if os.path.isdir(icons) else (), "sivuston kuvakkeet"),
    }
    if settings.get("EDITOR_URL"):
        paths[settings["EDITOR_URL"]] = "sisällön muokkain"
    if settings.get("DIRECTORY_JSON_SAVE_AS"):
        paths[settings["DIRECTORY_JSON_SAVE_AS"]] = "jäsenhakemiston tiedot"
    for section in ("blog", "events", "directory"):
        paths[section_url(settings, section) + "index.html"] = "osion etusivu"
    listings = [settings.get(key) for key in LISTINGS]
    listings += [settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
                 for name in settings.get("DIRECT_TEMPLATES", ())]
    paths.update(dict.fromkeys(filter(None, listings), "Pelicanin koostesivu"))
    for key in FEEDS:
        if settings.get(key):
            paths[settings[key]] = "syöte"
    for lang in other_languages(settings):
        paths.update({localised_url(settings, path, lang, strict=False): what
                      for path, what in list(paths.items())})
    return paths


def matches(path: str, pattern: str) -> bool:
    """Whether output ``path`` is ``pattern`` or inside it (see ``reserved``)."""
    return _compiled(pattern).fullmatch(path) is not None


@functools.cache  # every item is matched against every reserved path
def _compiled(pattern: str) -> re.Pattern:
    regex = "[^/]+".join(re.escape(part) for part in re.split(r"\{[^}]*\}", pattern))
    return re.compile(regex + (".*" if pattern.endswith("/") else ""))


def location_problems(source: str, field_name: str, save_as: str, paths: dict[str, str]) -> list[Problem]:
    """A content file's output path that leaves the output folder or is reserved."""
    path = os.path.normpath(save_as).replace(os.sep, "/")
    if os.path.isabs(path) or path.split("/")[0] == "..":
        return [Problem(source, field_name, f"tiedosto kirjoitettaisiin sivuston ulkopuolelle ({save_as}).",
                        "Anna osoite sivuston sisältä, ilman ../-alkua.")]
    for pattern, what in paths.items():
        if matches(path, pattern):
            return [Problem(source, field_name,
                            f"osoite {save_as} on varattu: sivusto kirjoittaa sen itse ({what}).",
                            "Anna tiedostolle toinen osoite (Slug tai Save_as) tai siirrä tiedosto toiseen "
                            "kansioon (kuvat kansioon content/images/): sisältö ei voi korvata sivuston "
                            "omia tiedostoja.")]
    return []


def record(content) -> None:
    if isinstance(content, (Article, Page, Static)):
        Build.current().state(ContentOutputs).items.append(content)


def check_outputs(generators) -> None:
    build = Build.current()
    items = build.state(ContentOutputs).items
    if not items:
        return
    settings = items[0].settings
    paths, written = reserved(settings), {}
    for item in items:
        # Not ``item.save_as``: reading a {static} file's would pin it before {attach} moves it.
        save_as = item.get_url_setting("save_as")
        if not save_as:
            continue
        field_name = "" if isinstance(item, Static) else "Save_as" if "save_as" in item.metadata else "Slug"
        problems = location_problems(item.source_path, field_name, save_as, paths)
        for problem in problems:
            build.add(problem)
        target = os.path.normpath(os.path.join(settings["OUTPUT_PATH"], save_as))
        first = written.setdefault(target, item)
        if problems or (first is not item and same_address(first, item)):
            continue  # Pelican names two posts or pages with one Slug itself
        build.claim(target, item.source_path)


def same_address(first, second) -> bool:
    return (type(first) is type(second) and not isinstance(first, Static)
            and (first.slug, first.lang) == (second.slug, second.lang))


def claim_written(path, context) -> None:
    content = context.get("article") or context.get("page")
    source = getattr(content, "source_path", None)
    Build.current().claim(path, source or writing_plugin())


def claim_feed(path, context, feed) -> None:
    Build.current().claim(path, writing_plugin())

"""Files as the build reads them: no symbolic links, no SVG in content/, and a
front matter whose mistakes are named in one message.

A symbolic link in content/ or the theme is refused, whatever it points at:
the build would follow it and publish what is behind it (a members' bulletin
as a public page, the CI's secrets file as an "image"). A copy is what a
writer means; a link that stays inside content/ today may not tomorrow.

An SVG in content/ is refused, not sanitised: it is a document that may carry
script and is published byte for byte, and no sanitiser we have (nh3 is for
HTML) knows SVG well enough to trust. The site's own icons (theme/root/) are
code, reviewed as code; a writer's picture is a PNG or JPEG, which
responsive_images re-encodes without its metadata.

The front matter is Python-Markdown's meta extension's: ``Key: value`` lines,
indented continuation lines, then a blank line (optionally between ``---``
lines). That extension ends the front matter silently at the first other line,
so a line without its colon used to turn into "missing field" errors for
every field below it; a repeated key became a list nobody asked for.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable

from sitecore import ContentError, Problem

# Python-Markdown's own patterns (markdown.extensions.meta).
KEY_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
CONTINUATION = re.compile(r"^[ ]{4,}(?P<value>.*)")
YAML_BEGIN = re.compile(r"^-{3}(\s.*)?$")
YAML_END = re.compile(r"^(-{3}|\.{3})(\s.*)?$")
FIELD_FORM = ("Jokainen otsikkorivi on muotoa Kenttä: arvo (esimerkiksi Date: 2021-01-05), "
              "ja otsikkotietojen jälkeen tulee tyhjä rivi ennen tekstiä.")


def front_matter_error(text: str) -> ContentError | None:
    """The first thing wrong with a Markdown file's front matter, if anything."""
    if not text.strip():
        return ContentError("", "tiedosto on tyhjä.",
                            "Kirjoita tiedoston alkuun otsikkotiedot (Title: …) ja niiden jälkeen teksti, "
                            "tai poista tiedosto.")
    lines = text.splitlines()
    start = 1 if YAML_BEGIN.match(lines[0]) else 0
    seen: dict[str, int] = {}
    for number, line in enumerate(lines[start:], start + 1):
        if not line.strip() or (start and YAML_END.match(line)):
            break
        if match := KEY_LINE.match(line):
            key = match["key"].lower()
            if key in seen:
                return ContentError(match["key"], f"kenttä {match['key']} on kahdesti: riveillä "
                                    f"{seen[key]} ja {number}.", "Poista toinen riveistä: kentällä on "
                                    "yksi arvo (luettelon arvot erotetaan pilkuilla samalla rivillä).")
            seen[key] = number
        elif not seen:
            break  # no front matter: the text begins at once
        elif not CONTINUATION.match(line):
            return ContentError(f"rivi {number}", f"rivillä {number} (\"{line.strip()[:60]}\") ei ole "
                                "kaksoispistettä, joten otsikkotiedot päättyvät siihen.", FIELD_FORM)
    return None


def refused_files(content_root: str, theme_root: str, ignored: Iterable[str] = ()) -> list[Problem]:
    """Every symbolic link under content/ and the theme, and every SVG under content/.

    Names matching ``ignored`` (IGNORE_FILES) still count: Pelican reads a
    file linked with {static} whatever its name. Only a link to nothing with
    such a name passes, an editor's lock file (``.#name``); a link whose
    target appears later (in CI, the secrets file) is refused once it does.
    """
    ignored = list(ignored)
    problems = []
    for root in (content_root, theme_root):
        for folder, dirs, files in os.walk(root):
            for name in sorted(dirs + files):
                path = os.path.join(folder, name)
                if os.path.islink(path):
                    if not os.path.exists(path) and any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(path, p)
                                                        for p in ignored):
                        continue  # an editor's lock file (.#name): a link to nothing, never read
                    problems.append(Problem(
                        path, "", f"tiedosto on symbolinen linkki (kohteeseen {os.readlink(path)}).",
                        "Korvaa linkki tiedoston kopiolla tai poista se: linkkiä ei seurata, koska se "
                        "voisi julkaista tiedostoja sivuston ulkopuolelta."))
                elif root == content_root and name.lower().endswith(".svg"):
                    problems.append(Problem(
                        path, "", "SVG-kuvia ei oteta sisältöön: SVG-tiedostossa voi olla skripti.",
                        "Tallenna kuva PNG- tai JPEG-muodossa (kuvankäsittelyohjelman Vie-toiminnolla) "
                        "ja lisää se kansioon content/images/."))
    return problems

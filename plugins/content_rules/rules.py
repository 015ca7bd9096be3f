"""What a blog post must declare, checked on each post as it is read."""

from __future__ import annotations

import os
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from content_types import Field
from content_types.schema import SOURCE_FIELDS
from sitecore import ContentError, Problem
from sitecore.site import audience

# Texts `.venv/bin/python tasks.py new-post` writes for the author to replace; a published post
# must not keep them.
PLACEHOLDER_SUMMARY = "Kirjoita tähän yhden tai kahden virkkeen tiivistelmä."
PLACEHOLDER_BODY = "Kirjoita kirjoituksen teksti tähän."

REQUIRED_POST_FIELDS = {
    "author": ("Author", "Lisää rivi Author: Kirjoittajan nimi."),
    "summary": (
        "Summary",
        "Lisää rivi Summary: yhden tai kahden virkkeen tiivistelmä. "
        "Se näkyy listauksissa, syötteissä ja hakukoneissa.",
    ),
}


def post_schema(allowed_categories: Iterable[str]) -> tuple[Field, ...]:
    """A post's front matter, in the order `.venv/bin/python tasks.py new-post` writes it.

    Pelican reads Title, Date, Slug, Tags and Status itself; ``post_problems``
    checks the rest. The web editor offers exactly these fields.
    """
    categories = {name: name for name in allowed_categories}
    return (
        Field("Title", required=True, example="Otsikko suomeksi"),
        Field("Date", "date", required=True, example="2021-01-05"),
        Field("Slug", "slug", required=True, example="otsikko-suomeksi"),
        Field("Category", "choice", required=True, choices=categories, example="Hankkeet"),
        Field("Tags", "list", example="aihe, toinen aihe"),
        Field("Author", required=True, example="Konservatorioliiton toimisto"),
        Field("Summary", required=True, example="Yhden tai kahden virkkeen tiivistelmä."),
        Field("Institutions", "list", example="lahden-konservatorio"),
        *SOURCE_FIELDS,
        Field("Status", "choice", choices={"draft": "draft", "published": "published"},
              default="published"),
    )


# A page's front matter (content/pages/): Slug places the page in the structure,
# Nav and Footer order it in the menus (site_nav); Template, Url and Save_as are
# set by developers for the pages that stand for generated ones.
PAGE_SCHEMA = (
    Field("Title", required=True),
    Field("Slug", "slug", example="liitto/hallinto"),
    Field("Nav", "int", example="2"),
    Field("Footer", "int", example="1"),
    Field("Summary", example="Sivun kuvaus hakukoneille ja listauksiin."),
    *SOURCE_FIELDS,
    Field("Template", "fixed"),
    Field("Url", "fixed"),
    Field("Save_as", "fixed"),
)


def post_problems(
    source: str, metadata: dict, allowed_categories: Iterable[str], default_category: str,
    body: str = "",
) -> list[Problem]:
    """Front-matter problems of one post (title and date are Pelican's own)."""
    problems = []
    if metadata.get("status", "published") == "published":
        if PLACEHOLDER_SUMMARY in str(metadata.get("summary", "")):
            problems.append(Problem(
                source, "Summary", "tiivistelmä on yhä pohjan malliteksti.",
                "Kirjoita Summary-kenttään oma tiivistelmä ennen julkaisua.",
            ))
        if PLACEHOLDER_BODY in body:
            problems.append(Problem(
                source, "teksti", "tekstissä on yhä pohjan malliteksti.",
                f"Poista rivi \"{PLACEHOLDER_BODY}\" ja kirjoita oma teksti.",
            ))
    allowed = list(allowed_categories)
    category = metadata.get("category")
    name = getattr(category, "name", None)
    choices = ", ".join(allowed)
    if not name or name == default_category:
        problems.append(
            Problem(source, "Category", "kategoria puuttuu.",
                    f"Lisää rivi Category: ja jokin näistä: {choices}.")
        )
    elif name not in allowed:
        problems.append(
            Problem(source, "Category", f"tuntematon kategoria \"{name}\".",
                    f"Käytä jotakin näistä: {choices}. Uuden kategorian lisää "
                    "kehittäjä asetukseen ALLOWED_CATEGORIES.")
        )
    for key, (field, fix) in REQUIRED_POST_FIELDS.items():
        value = metadata.get(key)
        if key == "author":
            value = getattr(value, "name", value)
        if not value or not str(value).strip():
            state = "puuttuu" if value is None else "on tyhjä"
            problems.append(Problem(source, field, f"pakollinen kenttä {field} {state}.", fix))
    return problems


def audience_problems(source: str, metadata: dict, groups: Iterable[str]) -> list[Problem]:
    """A post or page whose ``Audience`` names a members' group, or is not one
    ``sitecore.site.audience`` knows.

    Pelican publishes every post and page (feeds, listings, sitemap, search),
    so text meant for one group must live in the members' section, which is
    encrypted; a post or page cannot be made members-only.
    """
    if metadata.get("audience") is None:
        return []
    try:
        named = [value for value in audience(metadata["audience"], groups) if value in set(groups)]
    except ContentError as error:
        return [error.problem(source)]
    if not named:
        return []
    return [Problem(
        source, "Audience",
        f"kirjoitusta tai sivua ei voi rajata ryhmälle \"{', '.join(named)}\": "
        "kaikki kirjoitukset ja sivut julkaistaan kaikille.",
        "Poista Audience-rivi, jos teksti on julkinen. Jäsenille tarkoitettu teksti "
        "kirjoitetaan jäsenalueelle (kansio content/members/, esim. .venv/bin/python tasks.py new-bulletin), "
        "jossa sen näkevät vain kirjautuneet.",
    )]


def missing_references(
    source: str, references: Iterable[tuple[str, str]], content_root: str,
    private_roots: Iterable[str] = (), members_url: str = "",
) -> list[Problem]:
    """Problems for {filename}, {static} and {attach} targets that do not exist.

    ``references`` are (kind, target) pairs as written in the source, e.g.
    ("static", "/images/kuva.jpg"); a target without a leading slash is
    relative to the source file's folder, as Pelican reads it. A link into
    ``private_roots`` (the members' content) is a problem too (the hint names
    the members' section at ``members_url``), and so is one that leads out of
    ``content_root`` (``{static}/../publishconf.py`` would be copied beside
    the output).
    """
    problems = []
    for kind, target in references:
        path = unquote(urlsplit(target).path)
        if not path:
            continue  # "{filename}#anchor" links within the same file
        if path.startswith("/"):
            full = os.path.join(content_root, path.lstrip("/"))
        else:
            full = os.path.join(os.path.dirname(source), path)
        if os.path.commonpath([os.path.realpath(full), os.path.realpath(content_root)]) != \
                os.path.realpath(content_root):
            problems.append(Problem(
                source, "linkki", f"linkki {{{kind}}}{target} osoittaa sisältökansion ulkopuolelle.",
                "Linkitä vain sisältökansion (content/) tiedostoihin: kopioi julkaistava tiedosto "
                "kansioon content/images/ ja linkitä se ({static}/images/nimi.pdf)."))
            continue
        private = [r for r in private_roots
                   if os.path.commonpath([os.path.abspath(full), os.path.abspath(r)]) == os.path.abspath(r)]
        if private:
            section = f"jäsenalueen sivuun (/{members_url})" if members_url else "jäsenalueen sivuun"
            problems.append(Problem(
                source, "linkki", f"linkki {{{kind}}}{target} osoittaa jäsenalueen tiedostoon.",
                "Jäsenalueen sisältö on salattu, eikä sitä voi linkittää tiedostona: "
                f"linkitä {section} tai siirrä julkinen tiedosto kansioon content/images/.",
            ))
            continue
        if os.path.isfile(full):
            continue
        if os.path.splitext(path)[1].lower() in IMAGE_EXTENSIONS:
            problems.append(Problem(
                source, "kuva", f"kuvaa {{{kind}}}{target} ei löydy.",
                "Tarkista kuvan nimi. Kuvat ovat kansiossa content/images/, ja kuva "
                "lisätään näin: ![Mitä kuvassa on]({static}/images/kuva.jpg)",
            ))
        else:
            problems.append(Problem(
                source, "linkki", f"linkin kohdetta {{{kind}}}{target} ei löydy.",
                "Tarkista tiedoston nimi ja kansio. Sivut ovat kansiossa content/pages/ "
                "({filename}/pages/liitto.md), kirjoitukset kansiossa content/posts/ "
                "({filename}/posts/2021-01-07-nimi.md).",
            ))
    return problems


IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif"}

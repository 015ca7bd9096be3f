"""Turn Pelican's own log messages into problems a writer can act on.

Pelican reports bad content through log records whose message templates are
constant strings; matching on them (not on formatted text) keeps this robust.
Pelican also logs an exception it catches and goes on ("Could not process"
for any exception while a file is read): the exception decides whether the
file or the code is at fault (``sitecore.problems.reading_problem``).
"""

from __future__ import annotations

import logging
import os
import sys

from sitecore import Problem
from sitecore.problems import internal_error, reading_problem

FIELD_NAMES = {"title": "Title", "date": "Date"}
MISSING_FIXES = {
    "title": "Lisää tiedoston alkuun rivi Title: Otsikko.",
    "date": "Lisää tiedoston alkuun rivi Date: 2021-03-29 (vuosi-kuukausi-päivä).",
}
# Records Pelican logs from inside an ``except`` block without the exception
# (``logger.exception(..., exc_info=DEBUG)``): the exception is still in flight.
LOGGED_IN_EXCEPT = ("Could not process %s", "Cannot register plugin `%s`")


def in_flight(record: logging.LogRecord) -> BaseException | None:
    """The exception a record was logged about, if any."""
    if record.exc_info and record.exc_info[1] is not None:
        return record.exc_info[1]
    if record.msg in LOGGED_IN_EXCEPT:
        return sys.exc_info()[1]
    return None


def problem_from_record(record: logging.LogRecord) -> Problem | None:
    """Return the problem a Pelican warning or error describes.

    ``None`` means the record needs no message of its own (it repeats one of
    ours). Records we don't recognise still become problems, so nothing that
    Pelican warns about can pass silently.
    """
    problem = getattr(record, "problem", None)
    if problem is not None:
        return problem
    template, args = record.msg, record.args or ()
    error = in_flight(record)
    if template == "Could not process %s" and error is not None:
        return reading_problem(str(args[0]), error)
    if error is not None:
        return internal_error(error)
    if template == "Skipping %s: could not find information about '%s'":
        source, prop = str(args[0]), str(args[1])
        field = FIELD_NAMES.get(prop, prop.capitalize())
        return Problem(
            source,
            field,
            f"pakollinen kenttä {field} puuttuu.",
            MISSING_FIXES.get(prop, f"Lisää tiedoston alkuun rivi {field}: …"),
        )
    if template.startswith("Unknown status '%s' for file %s"):
        return Problem(
            str(args[1]),
            "Status",
            f"tuntematon tila \"{args[0]}\".",
            "Kirjoita Status: published (julkaistu) tai Status: draft (luonnos).",
        )
    if template.startswith(("There are %s original (not translated) items %s",
                            'There are %s items "%s" with lang %s')):
        return _same_address(template, args)
    if template.startswith('All items ("%s") "%s" are translations'):
        return _all_translations(args)
    if template == "Cannot get modification stamp for %s\n\t%s":
        if not os.path.exists(str(args[0])):
            return None  # a {static} target that does not exist: content_rules names the page
        return Problem(
            str(args[0]),
            "",
            "tiedostoa ei voitu lukea.",
            "Tarkista, että tiedosto on olemassa ja että sinulla on oikeus lukea sitä.",
        )
    if template == "Unable to find '%s', skipping url replacement.":
        return Problem(
            "",
            "linkki",
            f"linkin kohdetta {args[0]} ei löydy.",
            "Tarkista linkin tiedostonimi ja kansio (esim. {filename}/pages/liitto.md).",
        )
    if template == "Empty alt attribute for image %s in %s":
        return Problem(
            str(args[1]),
            "kuva",
            f"kuvalta {args[0]} puuttuu vaihtoehtoinen teksti.",
            "Kirjoita kuvan sisältö hakasulkeisiin: ![Mitä kuvassa on](…).",
        )
    return Problem(
        "",
        "",
        record.getMessage(),
        "Korjaa yllä kuvattu asia; ellei viesti kerro tarpeeksi, pyydä apua kehittäjältä.",
    )


def _same_address(template: str, args: tuple) -> Problem:
    """Pelican's warning that several posts or pages have one address (Slug).

    Pelican warns once per language and once more when several of them are
    originals; both become this same problem, which the build keeps once.
    """
    paths = [str(path) for path in args[(3 if "with lang" in template else 2):]]
    return Problem(
        paths[-1] if paths else "",
        "Slug",
        f"osoite \"{_address(args[1])}\" on jo tiedostolla {', '.join(paths[:-1])}.",
        "Anna tiedostolle oma Slug: kahdella kirjoituksella tai sivulla ei voi olla samaa osoitetta.",
    )


def _all_translations(args: tuple) -> Problem:
    """Pelican's warning that every file with one Slug says ``Translation: true``:
    none of them is the original the others translate."""
    paths = sorted(str(path) for path in args[2:])  # Pelican names them in reading order
    return Problem(
        paths[0] if paths else "",
        "Translation",
        f"kaikki tiedostot, joiden osoite on \"{_address(args[1])}\" ({', '.join(paths)}), on merkitty "
        "käännöksiksi (Translation: true), joten alkuperäistä ei ole.",
        "Poista rivi Translation: true suomenkielisestä alkuperäisestä; käännöksissä "
        "riittää Lang: sv tai Lang: en ja sama Slug.",
    )


def _address(with_str) -> str:
    """The Slug out of Pelican's ``with slug "…"`` (as its translation warnings name it)."""
    text = str(with_str)
    return text.split('"')[1] if '"' in text else text

"""Where the members' passwords come from, and which ones a production build refuses.

Production builds read ``MEMBERS_PASSWORD_<GROUP>`` environment variables or
a TOML file outside the repository named by ``MEMBERS_SECRETS_FILE``:

    [passwords]
    jasenet = ["first passphrase", "second passphrase"]
    hallitus = "the board's passphrase"

Development builds use the documented development passwords of the settings.

The policy answers the offline guesser with a GPU [GPU] and the member of
one group reading another's content [GROUP]: a production build stops on a
password that is short, low in variety (repeats, runs such as "123456" or
"qwerty"), built on a common password or word, equal to a public development
password after trimming and case-folding, or shared by two groups (unless
``MEMBERS_SHARED_PASSWORDS`` names that pair on purpose). ``tasks.py
members-passphrase`` prints a strong passphrase of Finnish words.
"""

from __future__ import annotations

import secrets
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from sitecore import Problem

MIN_LENGTH = 16
MIN_DISTINCT = 8
MIN_PATTERN_FREE = 12
PASSPHRASE_WORDS = 5
HERE = Path(__file__).parent
KEYBOARD_ROWS = ("1234567890+", "qwertyuiopå", "asdfghjklöä", "zxcvbnm,.-")


def env_name(group: str) -> str:
    return f"MEMBERS_PASSWORD_{group.upper()}"


@cache
def word_list(name: str) -> tuple[str, ...]:
    return tuple((HERE / name).read_text(encoding="utf-8").split())


def comparable(password: str) -> str:
    """The form two passwords are compared in: NFC, trimmed, case-folded."""
    return unicodedata.normalize("NFC", password).strip().casefold()


def _neighbours(a: str, b: str) -> bool:
    """Whether b follows a in a run: the same, the next or previous character, or a key beside it."""
    if a == b or abs(ord(a) - ord(b)) == 1:
        return True
    return any(a in row and b in row and abs(row.index(a) - row.index(b)) == 1 for row in KEYBOARD_ROWS)


def pattern_free_length(password: str) -> int:
    """How many characters do not just continue a repeat, a sequence or a keyboard run."""
    text = comparable(password)
    return sum(1 for i, char in enumerate(text) if i == 0 or not _neighbours(text[i - 1], char))


def _made_of_words(letters: str, words: frozenset[str], most: int) -> bool:
    """Whether letters are at most ``most`` common words one after another."""
    if not letters:
        return True
    if most == 0:
        return False
    return any(letters.startswith(word) and _made_of_words(letters[len(word):], words, most - 1)
               for word in words if len(word) >= 3)


@cache
def _common() -> frozenset[str]:
    return frozenset(word_list("common-passwords.txt"))


def weakness(password: str) -> str | None:
    """Why a password is too weak for production, in Finnish, or None."""
    if password != password.strip():
        return "salasanan alussa tai lopussa on välilyönti, jota kukaan ei muista kirjoittaa"
    if len(password) < MIN_LENGTH:
        return f"alle {MIN_LENGTH} merkkiä"
    text = comparable(password)
    if len(set(text)) < MIN_DISTINCT:
        return "liian vähän eri merkkejä"
    letters = "".join(char for char in text if char.isalpha())
    common = _common()
    if len(letters) >= 6 and (text in common or _made_of_words(letters, common, 2)):
        return "rakentuu yleisen salasanan tai sanan varaan (esim. salasana2024!)"
    if pattern_free_length(password) < MIN_PATTERN_FREE:
        return "liian paljon toistoa tai näppäimistön ja aakkosten sarjoja (esim. 1234, qwerty, !!!!)"
    if len(letters) < 6:
        return "lähes pelkkiä numeroita ja merkkejä; salalause sanoista on vahvempi ja helpompi muistaa"
    return None


def passphrase(words: int = PASSPHRASE_WORDS) -> str:
    """A random passphrase of Finnish words without ä or ö (typed alike on every keyboard)."""
    vocabulary = word_list("sanat.txt")
    return "-".join(secrets.choice(vocabulary) for _ in range(words))


def passphrase_bits(words: int = PASSPHRASE_WORDS) -> float:
    import math

    return words * math.log2(len(word_list("sanat.txt")))


def _read_secrets_file(path: str, groups: list[str], found: dict[str, list[str]]) -> list[Problem]:
    try:
        with open(path, "rb") as handle:
            table = tomllib.load(handle).get("passwords", {})
    except (OSError, tomllib.TOMLDecodeError) as error:
        return [Problem(path, "MEMBERS_SECRETS_FILE", f"salasanatiedostoa ei voitu lukea ({error}).",
                        "Tarkista polku ja että tiedosto on TOML-muotoinen ([passwords]).")]
    if not isinstance(table, dict):
        return [Problem(path, "passwords", "[passwords] ei ole taulukko.",
                        "Kirjoita ryhmät muodossa jasenet = \"salalause\" otsikon [passwords] alle.")]
    problems = []
    for group, value in table.items():
        if group not in found:
            problems.append(Problem(path, f"passwords.{group}", f"tuntematon jäsenryhmä \"{group}\".",
                                    "Käytä ryhmiä: " + ", ".join(groups) + "."))
            continue
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            problems.append(Problem(path, f"passwords.{group}",
                                    f"arvo ei ole salasana vaan {type(value).__name__}.",
                                    f"Kirjoita salasana lainausmerkkeihin: {group} = \"salalause\" "
                                    f"tai luetteloksi: {group} = [\"ensimmäinen\", \"toinen\"]."))
            continue
        found[group] += values
    return problems


def _shared_allowed(a: str, b: str, shared: Iterable[Iterable[str]]) -> bool:
    return any({a, b} <= set(pair) for pair in shared)


def production_passwords(
    groups: list[str], environ: Mapping[str, str], dev_passwords: Mapping[str, str],
    shared: Iterable[Iterable[str]] = (),
) -> tuple[dict[str, list[str]], list[Problem]]:
    """Passwords per group (NFC-normalised) and the problems that stop the build."""
    found: dict[str, list[str]] = {group: [] for group in groups}
    problems = []
    if secrets_file := environ.get("MEMBERS_SECRETS_FILE"):
        problems += _read_secrets_file(secrets_file, groups, found)
    for group in groups:
        if environ.get(env_name(group)):
            found[group].append(environ[env_name(group)])
    dev = {comparable(p) for p in dev_passwords.values()}
    owner: dict[str, str] = {}  # comparable password -> first group that has it
    for group, passwords in found.items():
        if not passwords:
            problems.append(Problem(
                "", env_name(group), f"jäsenryhmän \"{group}\" salasana puuttuu.",
                f"Aseta ympäristömuuttuja {env_name(group)} tai lisää ryhmä "
                "MEMBERS_SECRETS_FILE-tiedostoon.",
            ))
        for password in passwords:
            key = comparable(password)
            if key in dev:
                problems.append(Problem(
                    "", env_name(group), f"jäsenryhmän \"{group}\" salasana on kehityssalasana.",
                    "Tuotantoversiossa käytetään omaa, pitkää salasanaa; kehityssalasanat "
                    "ovat julkisia (README).",
                ))
            elif reason := weakness(password):
                problems.append(Problem(
                    "", env_name(group), f"jäsenryhmän \"{group}\" salasana on liian heikko: {reason}.",
                    "Luo vahva salalause komennolla .venv/bin/python tasks.py members-passphrase "
                    "(viisi satunnaista sanaa) ja anna se ryhmän jäsenille.",
                ))
            other = owner.setdefault(key, group)
            if other != group and not _shared_allowed(other, group, shared):
                problems.append(Problem(
                    "", env_name(group),
                    f"jäsenryhmillä \"{other}\" ja \"{group}\" on sama salasana: kumpikin ryhmä "
                    "lukisi toisen sisällön.",
                    "Anna jokaiselle ryhmälle oma salalause. Jos ryhmien on tarkoitus jakaa "
                    f"salasana, lisää asetukseen MEMBERS_SHARED_PASSWORDS pari [\"{other}\", \"{group}\"].",
                ))
        found[group] = list(dict.fromkeys(unicodedata.normalize("NFC", p) for p in passwords))
    return found, problems


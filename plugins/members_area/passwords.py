"""Where the members' passwords come from, and which ones a production build refuses.

Production builds read ``MEMBERS_PASSWORD_<GROUP>`` environment variables or
a TOML file outside the repository named by ``MEMBERS_SECRETS_FILE``:

    [passwords]
    jasenet = ["first passphrase", "second passphrase"]
    hallitus = "the board's passphrase"

Development builds use the documented development passwords of the settings.

The same file holds the salt key (crypto.py: salts nobody can compute before
their keyring is published), before the table, or MEMBERS_SALT_KEY does:

    salt_key = "64 hexadecimal characters"

The policy answers the offline guesser with a GPU [GPU] and the member of
one group reading another's content [GROUP]:

* Strength is zxcvbn's estimate of the guesses a cracker needs (Dropbox's
  estimator, kept on PyPI), and a production password needs its top score:
  at least 10**10 guesses, about 68 GPU-days per key slot at the production
  Argon2id cost. [GPU] zxcvbn already knows common passwords, English words,
  names, keyboard runs, sequences, repeats, years, dates, capitals and
  leetspeak. Three things make it this site's attacker:
  - its dictionaries also hold what an attacker of this site tries first: the
    site's, the association's and the groups' names and the public
    development passwords (``sivusto``), common Finnish passwords and words
    (common-passwords.txt, ``yleiset``) and the passphrase list sanat.txt
    (``sanat``; its words are drawn uniformly, so each costs the whole list);
  - the password is also judged with its separators removed, because a
    cracker's rules put any one separator between words and letters
    ("a b c d e f" is "abcdef"); the weaker of the two counts;
  - zxcvbn's additive term, which credits every further part with at least
    10**4 guesses whatever it is, is left out: with it any four words pass
    ("kissa koira hallitus jasenet"), while a combinator attack pays only for
    each word's rank.
* A near-variant of a development password (case, digits, separators,
  leetspeak: "Kehitys-Jasenet-Salasana-2027") is refused by name, not only an
  exact copy: the development passwords are public (README). [GPU]
* Two groups may not share a password unless ``MEMBERS_SHARED_PASSWORDS``
  names that pair on purpose. [GROUP]
* Messages never show a password or a part of one: they go to the build log
  and to CI's job summary. A key of the secrets file that is not a group (a
  password typed as a key) is named by its line and column.

``tasks.py members-passphrase`` prints five random words of sanat.txt (about
51 bits), which the policy accepts.
"""

from __future__ import annotations

import re
import secrets
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from zxcvbn import matching, scoring

from sitecore import Problem

from .crypto import MIN_SALT_KEY_BYTES

MIN_LENGTH = 16
MIN_GUESSES = 10**10  # zxcvbn's top score (4)
ESTIMATED_LENGTH = 72  # zxcvbn's own limit: its leetspeak matching grows fast with length
PASSPHRASE_WORDS = 5
HERE = Path(__file__).parent
SEPARATORS = re.compile(r"[\s\-_.,;:/+|]+")
# Characters a cracker's rules swap for letters, mapped on both sides of a comparison.
LOOKALIKES = str.maketrans({"4": "a", "@": "a", "3": "e", "1": "i", "!": "i", "|": "i", "l": "i",
                            "0": "o", "$": "s", "5": "s", "7": "t", "+": "t"})
# What zxcvbn found, by pattern or dictionary, in Finnish.
FINDINGS = {
    "sivusto": "sivuston, liiton tai jäsenryhmän nimi tai kehityssalasana",
    "yleiset": "yleinen salasana tai sana", "passwords": "yleinen salasana tai sana",
    "sanat": "liian vähän salalauseiden sanalistan sanoja",
    "english_wikipedia": "yleisiä englannin sanoja", "us_tv_and_film": "yleisiä englannin sanoja",
    "female_names": "nimiä", "male_names": "nimiä", "surnames": "nimiä",
    "spatial": "näppäimistön sarja (esim. qwerty, 1q2w3e)",
    "repeat": "toistoa (esim. abcabc, !!!!)",
    "sequence": "aakkos- tai numerosarja (esim. abcd, 1234)",
    "regex": "vuosiluku", "date": "päivämäärä tai vuosiluku",
    "l33t": "kirjaimia korvattu numeroilla tai merkeillä (esim. 4 = a, 0 = o), mikä ei lisää turvaa",
}
SECRETS_KEYS = ("passwords", "salt_key")  # the secrets file's top-level keys
WEAK_FIX = ("Luo vahva salalause komennolla .venv/bin/python tasks.py members-passphrase "
            "(viisi satunnaista sanaa) ja anna se ryhmän jäsenille. Itse keksityssä salasanassa "
            "nimet, tutut sanat, vuosiluvut, näppäimistösarjat ja numeroilla korvatut kirjaimet "
            "eivät lisää turvaa.")


def env_name(group: str) -> str:
    return f"MEMBERS_PASSWORD_{group.upper()}"


@cache
def word_list(name: str) -> tuple[str, ...]:
    return tuple((HERE / name).read_text(encoding="utf-8").split())


def comparable(password: str) -> str:
    """The form two passwords are compared in: NFC, trimmed, case-folded."""
    return unicodedata.normalize("NFC", password).strip().casefold()


def skeleton(password: str) -> str:
    """The letters a cracker's rules leave of a password: no case, digits or separators, leetspeak undone."""
    return "".join(char for char in comparable(password).translate(LOOKALIKES) if char.isalpha())


def names(texts: Iterable[str]) -> tuple[str, ...]:
    """Each name as written, without separators and word by word, lower case."""
    found = []
    for text in texts:
        text = comparable(text)
        found += [text, SEPARATORS.sub("", text), *(w for w in re.split(r"[^\w]+", text) if len(w) > 1)]
    return tuple(dict.fromkeys(w for w in found if w))


@cache
def _dictionaries(known: tuple[str, ...]) -> dict:
    ours = {name: ranked for name, ranked in matching.RANKED_DICTIONARIES.items() if name != "user_inputs"}
    vocabulary = word_list("sanat.txt")
    return {**ours, "sivusto": matching.build_ranked_dict(known),
            "yleiset": matching.build_ranked_dict(word_list("common-passwords.txt")),
            "sanat": dict.fromkeys(vocabulary, len(vocabulary))}


def estimate(password: str, known: Iterable[str] = ()) -> dict:
    """zxcvbn's analysis of the weaker reading of ``password`` (as typed, or without
    separators), its additive term left out: {"guesses", "sequence"}."""
    dictionaries = _dictionaries(names(known))
    text = unicodedata.normalize("NFC", password)
    results = []
    for variant in dict.fromkeys((text, SEPARATORS.sub("", text))):
        variant = variant[:ESTIMATED_LENGTH]
        if variant:
            matches = matching.omnimatch(variant, dictionaries)
            results.append(scoring.most_guessable_match_sequence(variant, matches, _exclude_additive=True))
    return min(results, key=lambda result: result["guesses"], default={"guesses": 1, "sequence": []})


def findings(sequence: list[dict]) -> list[str]:
    """What made a password guessable, in Finnish, without any of its text."""
    found = []
    for match in sequence:
        if match.get("l33t"):
            found.append(FINDINGS["l33t"])
        found.append(FINDINGS.get(match.get("dictionary_name") or match["pattern"], ""))
    return [text for text in dict.fromkeys(found) if text]


def weakness(password: str, known: Iterable[str] = ()) -> str | None:
    """Why a password is too weak for production, in Finnish, or None.

    ``known``: the names an attacker of this site tries first (site, association,
    groups, development passwords)."""
    if password != password.strip():
        return "salasanan alussa tai lopussa on välilyönti, jota kukaan ei muista kirjoittaa"
    if len(password) < MIN_LENGTH:
        return f"alle {MIN_LENGTH} merkkiä"
    result = estimate(password, known)
    if result["guesses"] >= MIN_GUESSES:
        return None
    found = findings(result["sequence"])
    return "arvattavissa alle 10 miljardilla yrityksellä" + (": siinä on " + ", ".join(found) if found else "")


def development_variant(password: str, dev_passwords: Iterable[str]) -> bool:
    """Whether a password is a development password with case, digits, separators or leetspeak changed."""
    shape = skeleton(password)
    return any(skeleton(dev) and skeleton(dev) in shape for dev in dev_passwords)


def passphrase(words: int = PASSPHRASE_WORDS) -> str:
    """A random passphrase of Finnish words without ä or ö (typed alike on every keyboard).

    No two neighbours join into a third word of the list ("aika" "kone" is
    "aikakone"): without its separators the phrase keeps all its words.
    """
    vocabulary = word_list("sanat.txt")
    listed = frozenset(vocabulary)
    chosen = [secrets.choice(vocabulary)]
    while len(chosen) < words:
        word = secrets.choice(vocabulary)
        if chosen[-1] + word not in listed:
            chosen.append(word)
    return "-".join(chosen)


def passphrase_bits(words: int = PASSPHRASE_WORDS) -> float:
    import math

    return words * math.log2(len(word_list("sanat.txt")))


def key_positions(text: str) -> dict[tuple[str, ...], tuple[int, int]]:
    """Where each key of a TOML document is written, as (line, column) by its dotted path.

    A problem names a key by its place, never by its text: a password typed
    as a key would otherwise reach the log and CI's job summary.
    """
    def path_of(snippet: str) -> tuple[str, ...]:
        path, node = [], tomllib.loads(snippet)
        while isinstance(node, dict) and len(node) == 1:
            key, node = next(iter(node.items()))
            path.append(key)
            node = node[-1] if isinstance(node, list) and node else node
        return tuple(path)

    positions: dict[tuple[str, ...], tuple[int, int]] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), 1):
        written = line.lstrip()
        column = len(line) - len(written) + 1
        try:
            if written.startswith("["):
                table = path_of(written)
                keys = table
            else:  # the key is what parses before one of the line's "="
                keys = next(table + path_of(written[:at] + "= 0") for at, char in enumerate(written)
                            if char == "=" and _parses(written[:at] + "= 0"))
        except (tomllib.TOMLDecodeError, StopIteration):
            continue
        for end in range(1, len(keys) + 1):
            positions.setdefault(keys[:end], (number, column))
    return positions


def _parses(snippet: str) -> bool:
    try:
        tomllib.loads(snippet)
    except tomllib.TOMLDecodeError:
        return False
    return True


def _where(positions: dict, *path: str) -> str:
    line, column = positions.get(path, (None, None))
    return f"rivillä {line}, sarakkeessa {column}" if line else "tiedostossa"


def _read_secrets_file(path: str, groups: list[str], found: dict[str, list[str]]) -> list[Problem]:
    try:
        text = Path(path).read_text(encoding="utf-8")
        document = tomllib.loads(text)
    except OSError as error:
        return [Problem(path, "MEMBERS_SECRETS_FILE", f"salasanatiedostoa ei voitu lukea ({error.strerror}).",
                        "Tarkista tiedoston polku.")]
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        # tomllib's message may quote a character of the file: only its place is shown.
        place = re.search(r"\(at (line \d+, column \d+|end of document)\)", str(error))
        where = place.group(1).replace("line", "rivi").replace("column", "sarake").replace(
            "end of document", "tiedoston lopussa") if place else "kohta ei tiedossa"
        return [Problem(path, "MEMBERS_SECRETS_FILE", f"salasanatiedosto ei ole kelvollista TOMLia ({where}).",
                        "Kirjoita ryhmät otsikon [passwords] alle muodossa jasenet = \"salalause\"; "
                        "salasana lainausmerkkeihin.")]
    positions = key_positions(text)
    example = "jasenet = \"salalause\""
    problems = [Problem(path, "MEMBERS_SECRETS", f"{_where(positions, key)} on tuntematon avain.",
                        f"Tiedostossa on vain taulukko [passwords] (ja salt_key). Kirjoita salasana "
                        f"lainausmerkkeihin yhtäsuuruusmerkin jälkeen: {example}.")
                for key in document if key not in SECRETS_KEYS]
    table = document.get("passwords", {})
    if not isinstance(table, dict):
        return problems + [Problem(path, "passwords", "[passwords] ei ole taulukko.",
                                   f"Kirjoita ryhmät muodossa {example} otsikon [passwords] alle.")]
    for group, value in table.items():
        if group not in found:
            problems.append(Problem(path, "passwords", f"{_where(positions, 'passwords', group)} on avain, "
                                    "joka ei ole jäsenryhmä.",
                                    "Avain on ryhmän nimi (" + ", ".join(groups) + ") ja salasana kirjoitetaan "
                                    f"lainausmerkkeihin yhtäsuuruusmerkin jälkeen: {example}."))
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
    shared: Iterable[Iterable[str]] = (), known: Iterable[str] = (),
) -> tuple[dict[str, list[str]], list[Problem]]:
    """Passwords per group (NFC-normalised) and the problems that stop the build.

    ``known``: the site's, the association's and the groups' names (``site_names``)."""
    found: dict[str, list[str]] = {group: [] for group in groups}
    problems = []
    if secrets_file := environ.get("MEMBERS_SECRETS_FILE"):
        problems += _read_secrets_file(secrets_file, groups, found)
    for group in groups:
        if environ.get(env_name(group)):
            found[group].append(environ[env_name(group)])
    dev = {comparable(p) for p in dev_passwords.values()}
    known = (*known, *groups, *dev_passwords.values())
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
            elif development_variant(password, dev_passwords.values()):
                problems.append(Problem(
                    "", env_name(group), f"jäsenryhmän \"{group}\" salasana on kehityssalasanan muunnelma: "
                    "isot kirjaimet, numerot, välimerkit tai kirjainten korvaaminen merkeillä eivät "
                    "tee julkisesta salasanasta uutta.", WEAK_FIX,
                ))
            elif reason := weakness(password, known):
                problems.append(Problem(
                    "", env_name(group), f"jäsenryhmän \"{group}\" salasana on liian heikko: {reason}.", WEAK_FIX,
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



SALT_KEY_FIX = ("Luo avain kerran komennolla .venv/bin/python -c \"import secrets; print(secrets.token_hex(32))\" "
                "ja lisää se MEMBERS_SECRETS-tiedoston alkuun riville salt_key = \"…\" (ennen otsikkoa "
                "[passwords]) tai ympäristömuuttujaan MEMBERS_SALT_KEY. Pidä sama avain: vaihtuva avain "
                "kirjaa kaikki jäsenet ulos.")


def production_salt_key(environ: Mapping[str, str]) -> tuple[bytes | None, list[Problem]]:
    """The secret the slot salts are derived with (crypto.slot_salt), and its problems.

    A secrets file that cannot be read is ``production_passwords``'s to report."""
    value, source = environ.get("MEMBERS_SALT_KEY"), ""
    if not value and environ.get("MEMBERS_SECRETS_FILE"):
        try:
            document = tomllib.loads(Path(environ["MEMBERS_SECRETS_FILE"]).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return None, []
        value, source = document.get("salt_key"), environ["MEMBERS_SECRETS_FILE"]
    if not value:
        return None, [Problem(source, "salt_key", "jäsenalueen suolausavain puuttuu.", SALT_KEY_FIX)]
    try:
        key = bytes.fromhex(value) if isinstance(value, str) else b""
    except ValueError:
        key = b""
    if len(key) < MIN_SALT_KEY_BYTES:
        return None, [Problem(source, "salt_key", "suolausavain ei ole vähintään 64 heksadesimaalimerkkiä "
                              "(0–9, a–f).", SALT_KEY_FIX)]
    return key, []


def site_names(settings: Mapping) -> list[str]:
    """What an attacker of this site tries first: the site's and the association's names and
    address, and the groups' names."""
    address = (settings.get("PUBLIC_SITEURL") or settings.get("SITEURL") or "").split("://")[-1]
    groups = settings.get("MEMBER_GROUPS", {})
    return [settings.get("SITENAME") or "", address, *groups.keys(), *groups.values()]

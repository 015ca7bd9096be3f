"""Where the members' passwords come from, and which ones a build refuses.

Production builds read ``MEMBERS_PASSWORD_<GROUP>`` environment variables or
a TOML file outside the repository named by ``MEMBERS_SECRETS_FILE``:

    [passwords]
    jasenet = ["first passphrase", "second passphrase"]
    hallitus = "the board's passphrase"

Development builds use the documented development passwords of the settings.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping

from strict_build import Problem

MIN_LENGTH = 16


def env_name(group: str) -> str:
    return f"MEMBERS_PASSWORD_{group.upper()}"


def weakness(password: str) -> str | None:
    """Why a password is weak, or None. Long passphrases are what we ask for."""
    if len(password) < MIN_LENGTH:
        return f"alle {MIN_LENGTH} merkkiä"
    if len(set(password)) < 8:
        return "liian vähän eri merkkejä"
    return None


def production_passwords(
    groups: list[str], environ: Mapping[str, str], dev_passwords: Mapping[str, str]
) -> tuple[dict[str, list[str]], list[Problem], list[str]]:
    """Passwords per group, problems that stop the build, and warnings."""
    found: dict[str, list[str]] = {group: [] for group in groups}
    problems, warnings = [], []
    secrets_file = environ.get("MEMBERS_SECRETS_FILE")
    if secrets_file:
        try:
            with open(secrets_file, "rb") as handle:
                table = tomllib.load(handle).get("passwords", {})
        except (OSError, tomllib.TOMLDecodeError) as error:
            problems.append(Problem(secrets_file, "MEMBERS_SECRETS_FILE",
                                    f"salasanatiedostoa ei voitu lukea ({error}).",
                                    "Tarkista polku ja että tiedosto on TOML-muotoinen ([passwords])."))
            table = {}
        for group, value in table.items():
            if group not in found:
                problems.append(Problem(secrets_file, f"passwords.{group}",
                                        f"tuntematon jäsenryhmä \"{group}\".",
                                        "Käytä ryhmiä: " + ", ".join(groups) + "."))
                continue
            found[group] += [value] if isinstance(value, str) else list(value)
    for group in groups:
        if environ.get(env_name(group)):
            found[group].append(environ[env_name(group)])
    dev = set(dev_passwords.values())
    for group, passwords in found.items():
        if not passwords:
            problems.append(Problem(
                "", env_name(group), f"jäsenryhmän \"{group}\" salasana puuttuu.",
                f"Aseta ympäristömuuttuja {env_name(group)} tai lisää ryhmä "
                "MEMBERS_SECRETS_FILE-tiedostoon.",
            ))
        for password in passwords:
            if password in dev:
                problems.append(Problem(
                    "", env_name(group), f"jäsenryhmän \"{group}\" salasana on kehityssalasana.",
                    "Tuotantoversiossa käytetään omaa, pitkää salasanaa; kehityssalasanat "
                    "ovat julkisia (README).",
                ))
            elif reason := weakness(password):
                warnings.append(f"Jäsenryhmän \"{group}\" salasana on heikko ({reason}): "
                                "käytä vähintään neljän sanan salalausetta.")
        found[group] = list(dict.fromkeys(passwords))
    return found, problems, warnings

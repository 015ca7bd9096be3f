"""The languages plugin's settings, their defaults and their checks, in one place."""

from __future__ import annotations

from sitecore import Problem

REQUIRED_KEYS = ("name", "locale", "og_locale")


def languages(settings) -> dict[str, dict]:
    """LANGUAGES, the default language first; a site without it has only DEFAULT_LANG."""
    default = settings["DEFAULT_LANG"]
    configured = settings.get("LANGUAGES") or {default: {"name": default, "locale": default,
                                                         "og_locale": default}}
    ordered = {default: configured.get(default, {})}
    ordered.update((code, values) for code, values in configured.items() if code != default)
    return ordered


def problems(settings) -> list[Problem]:
    """What is wrong with LANGUAGES, URL_WORDS and FINNISH_ONLY_PAGES, in Finnish for the one who edits them."""
    found = []
    default = settings["DEFAULT_LANG"]
    configured = settings.get("LANGUAGES") or {}
    if configured and default not in configured:
        found.append(Problem("pelicanconf.py", "LANGUAGES",
                             f"oletuskieli \"{default}\" (DEFAULT_LANG) puuttuu kielistä.",
                             f"Lisää LANGUAGES-asetukseen kieli \"{default}\"."))
    if not isinstance(settings.get("FINNISH_ONLY_PAGES") or {}, dict):
        found.append(Problem("pelicanconf.py", "FINNISH_ONLY_PAGES",
                             "asetuksen pitää olla sanakirja {Slug: syy}.",
                             "Kirjoita esimerkiksi FINNISH_ONLY_PAGES = {\"liitto/arkisto\": \"vanhoja "
                             "pöytäkirjoja, joita ei käännetä\"}."))
    words = settings.get("URL_WORDS") or {}
    for code, values in configured.items():
        missing = [key for key in REQUIRED_KEYS if not values.get(key)]
        if missing:
            found.append(Problem("pelicanconf.py", "LANGUAGES",
                                 f"kieleltä \"{code}\" puuttuu: {', '.join(missing)}.",
                                 "Anna jokaiselle kielelle name, locale ja og_locale."))
        if code != default and code not in words:
            found.append(Problem("pelicanconf.py", "URL_WORDS",
                                 f"kielen \"{code}\" osoitesanat puuttuvat.",
                                 f"Lisää URL_WORDS-asetukseen \"{code}\": {{suomenkielinen sana: "
                                 "käännös, …}."))
    for code in words:
        if code not in configured:
            found.append(Problem("pelicanconf.py", "URL_WORDS",
                                 f"kieltä \"{code}\" ei ole LANGUAGES-asetuksessa.",
                                 "Poista kieli URL_WORDS-asetuksesta tai lisää se LANGUAGES-asetukseen."))
    return found

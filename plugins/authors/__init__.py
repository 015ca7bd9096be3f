"""Who writes the posts, as structured data (schema.org) describes them.

``AUTHOR_SCHEMA`` in the settings names the authors that are not a person
writing under their own name: an organisation (the association's office), or
a role whose holder's name is not published (a ``Person`` with a
``jobTitle`` and a descriptive name, never an organisation named after a job
title). Anyone not listed is a ``Person`` by name. Every author gets the
address of their author page, so the type and the page stay the same from
post to post.
"""

from __future__ import annotations

import logging

from pelican import signals

from sitecore import Problem, report
from sitecore.site import absolute_url

logger = logging.getLogger(__name__)

TYPES = ("Organization", "Person")
KEYS = {"@type", "name", "jobTitle"}


def settings_problems(schema) -> list[Problem]:
    """What is wrong with an AUTHOR_SCHEMA setting."""
    problems = []
    if not isinstance(schema, dict):
        return [Problem("pelicanconf.py", "AUTHOR_SCHEMA", "asetus ei ole sanakirja.",
                        'Kirjoita esim. {"Konservatorioliiton toimisto": {"@type": "Organization"}}.')]
    for name, entry in schema.items():
        if not isinstance(entry, dict) or entry.get("@type") not in TYPES or set(entry) - KEYS:
            problems.append(Problem(
                "pelicanconf.py", "AUTHOR_SCHEMA",
                f"kirjoittajan \"{name}\" kuvaus on virheellinen: {entry!r}.",
                f"Anna \"@type\" ({' tai '.join(TYPES)}) ja halutessasi \"name\" ja \"jobTitle\"."))
        elif entry.get("jobTitle") and entry["@type"] != "Person":
            problems.append(Problem("pelicanconf.py", "AUTHOR_SCHEMA",
                                    f"kirjoittajalla \"{name}\" on jobTitle mutta tyyppi {entry['@type']}.",
                                    "Tehtävänimike kuuluu henkilölle: käytä \"@type\": \"Person\"."))
    return problems


def author_ld(name: str, author_url: str | None, settings) -> dict:
    """schema.org Person or Organization for a post's author."""
    entry = settings.get("AUTHOR_SCHEMA", {}).get(name, {})
    kind = entry.get("@type", "Person")
    data = {"@type": kind, "name": entry.get("name", name)}
    siteurl = absolute_url(settings)
    if author_url is not None:
        data["url"] = f"{siteurl}/{author_url}"
    association = {"@type": "Organization", "name": settings["SITENAME"], "url": siteurl}
    if kind == "Organization":
        data["parentOrganization"] = association
    elif entry.get("jobTitle"):
        data["jobTitle"] = entry["jobTitle"]
        data["worksFor"] = association
    return data


def check_settings(pelican):
    for problem in settings_problems(pelican.settings.get("AUTHOR_SCHEMA", {})):
        report(logger, problem)


def add_template_function(generator):
    settings = generator.settings

    def template_author_ld(author) -> dict:
        url = author.url if settings.get("AUTHOR_SAVE_AS") else None
        return author_ld(author.name, url, settings)

    generator.env.globals["author_ld"] = template_author_ld


def register():
    signals.initialized.connect(check_settings)
    signals.generator_init.connect(add_template_function)

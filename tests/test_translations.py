"""Every UI string in the templates has a Finnish translation."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from conftest import ROOT

THEME = ROOT / "theme"


def template_messages():
    """UI strings of the templates and the N_()-marked strings of our plugins; a string
    with a context (pgettext) is a (context, msgid) pair."""
    method_map = [("templates/**.html", "jinja2"), ("**.py", "python")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n",
                                     "trim_blocks": "True", "lstrip_blocks": "True"}}
    found = set()
    for folder in (THEME, ROOT / "plugins"):
        for _file, _line, message, _comments, context in extract_from_dir(
            str(folder), method_map, options_map=options
        ):
            msgid = message if isinstance(message, str) else message[0]
            found.add((context, msgid) if context else msgid)
    return found


def test_finnish_catalog_translates_every_template_string():
    with open(THEME / "translations" / "fi" / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    messages = template_messages()
    assert len(messages) > 100
    assert "whole year %(year)s" in messages and "Skip to content" in messages
    for msgid in messages:
        message = catalog.get(*reversed(msgid)) if isinstance(msgid, tuple) else catalog.get(msgid)
        assert message is not None, f"not in the catalog: {msgid!r}"
        translations = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(translations), f"untranslated: {msgid!r}"
        assert not message.fuzzy, f"fuzzy: {msgid!r}"

"""Load the theme's gettext catalogs straight from the .po files.

Compiling in memory means no binary .mo files in the repository and no
stale translations after someone edits a .po file.
"""

from __future__ import annotations

import functools
import io
import os

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations


def catalog_path(translations_dir: str, lang: str) -> str:
    return os.path.join(translations_dir, lang, "LC_MESSAGES", "messages.po")


def theme_translations(settings, lang: str) -> Translations:
    """The theme's catalog for ``lang`` (THEME/translations), for text written outside templates."""
    return load_translations(os.path.join(settings["THEME"], "translations"), lang)


def load_translations(translations_dir: str, lang: str) -> Translations:
    path = catalog_path(translations_dir, lang)
    return _compile(path, os.stat(path).st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _compile(path: str, _mtime: int) -> Translations:
    with open(path, "rb") as po:
        catalog = read_po(po)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer)

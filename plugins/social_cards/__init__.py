"""Open Graph images: one social card per page, generated from its title.

Templates call ``social_card(title)``, which names the card after its title;
the cards of all content are drawn in another process while Pelican writes
the pages, the rest (listings) once the pages are written. A card of an
earlier build with the same name is the same card, so it is kept.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

from pelican import signals

from strict_build import filled_later, keep, rendering_adds_to

from .cards import card_name, render

_background = {}  # build settings id -> (pool, future): cards drawn while pages are written


def _folder(settings) -> Path:
    return Path(settings["OUTPUT_PATH"]) / settings.get("SOCIAL_CARD_DIR", "kortit")


def prepare(pelican):
    pelican.settings["SOCIAL_CARD_TITLES"] = set()
    rendering_adds_to("SOCIAL_CARD_TITLES")
    filled_later(folder=_folder(pelican.settings))


def _missing(titles, folder: Path) -> list[str]:
    """Titles without a card from an earlier build; those that have one keep it."""
    missing = []
    for title in titles:
        target = folder / card_name(title)
        if target.is_file():
            keep(target)
        else:
            missing.append(title)
    return missing


def _draw(titles, site_name, font_dir, folder):
    for title in titles:
        render(title, site_name, font_dir, folder / card_name(title))


def _public_content(generator):
    """Published posts, pages and public items of our content types (never members' items)."""
    if hasattr(generator, "public"):
        return generator.public(generator.items)
    return list(getattr(generator, "articles", [])) + list(getattr(generator, "pages", []))


def start_drawing(generators):
    """Draw the cards of all content titles in another process while Pelican writes pages.

    Writing is single-threaded Python, so the second core is free.
    """
    settings = generators[0].settings
    folder = _folder(settings)
    titles = sorted({re.sub(r"<[^>]+>", "", str(item.title)).strip()
                     for generator in generators
                     for item in _public_content(generator)} - {""})
    missing = _missing(titles, folder)
    settings["SOCIAL_CARDS_DONE"] = set(titles)
    if not missing:
        return
    pool = ProcessPoolExecutor(max_workers=1)
    font_dir = str(Path(settings["THEME"]) / "fonts")
    future = pool.submit(_draw, missing, settings["SITENAME"], font_dir, folder)
    _background[id(settings)] = (pool, future)


def add_card_function(generator):
    titles = generator.settings.setdefault("SOCIAL_CARD_TITLES", set())
    folder = generator.settings.get("SOCIAL_CARD_DIR", "kortit")

    def social_card(title: str) -> str:
        titles.add(title)
        return f"{folder}/{card_name(title)}"

    generator.env.globals["social_card"] = social_card


def write_cards(pelican):
    settings = pelican.settings
    pool, future = _background.pop(id(settings), (None, None))
    if pool is not None:
        future.result()
        pool.shutdown()
    folder = _folder(settings)
    titles = sorted(settings.get("SOCIAL_CARD_TITLES", set()) - settings.get("SOCIAL_CARDS_DONE", set()))
    font_dir = str(Path(settings["THEME"]) / "fonts")
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as threads:
        list(threads.map(lambda t: render(t, settings["SITENAME"], font_dir, folder / card_name(t)),
                         _missing(titles, folder)))


def register():
    signals.initialized.connect(prepare)
    signals.generator_init.connect(add_card_function)
    signals.all_generators_finalized.connect(start_drawing)
    signals.finalized.connect(write_cards)

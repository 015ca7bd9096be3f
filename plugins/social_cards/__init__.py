"""Open Graph images: one social card per page, generated from its title.

Templates call ``social_card(title)``, which names the card; the cards are
drawn once all pages are written, in parallel threads (Pillow releases the
GIL while drawing and encoding), and kept in the cache between builds.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

from pelican import signals

from .cards import card_name, render

_background = {}  # build settings id -> (pool, futures): cards drawn while pages are written


def prepare(pelican):
    pelican.settings["SOCIAL_CARD_TITLES"] = set()


def _cache(settings) -> Path | None:
    if not settings.get("SOCIAL_CARD_CACHE", True):
        return None
    return Path(settings["CACHE_PATH"]) / "social-cards"


def _draw_into_cache(titles, site_name, font_dir, cache):
    scratch = cache / "scratch"
    for title in titles:
        render(title, site_name, font_dir, scratch / card_name(title), cache)


def _public_content(generator):
    """Published posts, pages and public items of our content types (never members' items)."""
    if hasattr(generator, "public"):
        return generator.public(generator.items)
    return list(getattr(generator, "articles", [])) + list(getattr(generator, "pages", []))


def start_drawing(generators):
    """Draw the cards of all content titles in another process while Pelican writes pages.

    Writing is single-threaded Python, so the second core is free; the cards
    land in the cache, where write_cards finds them.
    """
    settings = generators[0].settings
    cache = _cache(settings)
    if cache is None:
        return
    titles = sorted({re.sub(r"<[^>]+>", "", str(item.title)).strip()
                     for generator in generators
                     for item in _public_content(generator)} - {""})
    pool = ProcessPoolExecutor(max_workers=1)
    font_dir = str(Path(settings["THEME"]) / "fonts")
    future = pool.submit(_draw_into_cache, titles, settings["SITENAME"], font_dir, cache)
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
    titles = sorted(settings.get("SOCIAL_CARD_TITLES", ()))
    output = Path(settings["OUTPUT_PATH"]) / settings.get("SOCIAL_CARD_DIR", "kortit")
    cache = _cache(settings)
    font_dir = str(Path(settings["THEME"]) / "fonts")
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(lambda t: render(t, settings["SITENAME"], font_dir, output / card_name(t), cache),
                      titles))


def register():
    signals.initialized.connect(prepare)
    signals.generator_init.connect(add_card_function)
    signals.all_generators_finalized.connect(start_drawing)
    signals.finalized.connect(write_cards)

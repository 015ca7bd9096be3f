"""Open Graph images: one social card per page, generated from its title.

Templates call ``social_card(title)``, which names the card; the cards are
drawn once all pages are written, in parallel threads (Pillow releases the
GIL while drawing and encoding), and kept in the cache between builds.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pelican import signals

from .cards import card_name, render


def prepare(pelican):
    pelican.settings["SOCIAL_CARD_TITLES"] = set()


def add_card_function(generator):
    titles = generator.settings.setdefault("SOCIAL_CARD_TITLES", set())
    folder = generator.settings.get("SOCIAL_CARD_DIR", "kortit")

    def social_card(title: str) -> str:
        titles.add(title)
        return f"{folder}/{card_name(title)}"

    generator.env.globals["social_card"] = social_card


def write_cards(pelican):
    settings = pelican.settings
    titles = sorted(settings.get("SOCIAL_CARD_TITLES", ()))
    output = Path(settings["OUTPUT_PATH"]) / settings.get("SOCIAL_CARD_DIR", "kortit")
    cache = Path(settings["CACHE_PATH"]) / "social-cards" if settings.get("SOCIAL_CARD_CACHE", True) else None
    font_dir = str(Path(settings["THEME"]) / "fonts")
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(lambda t: render(t, settings["SITENAME"], font_dir, output / card_name(t), cache),
                      titles))


def register():
    signals.initialized.connect(prepare)
    signals.generator_init.connect(add_card_function)
    signals.finalized.connect(write_cards)

"""Open Graph images: one social card per page, generated from its title.

Templates call ``social_card(title)``, which names the card after its title.
Cards are drawn into the build cache (``CACHE_PATH``) once per title and
copied into the output for the titles the pages asked for. The cards of
published content are drawn in another process while Pelican goes on
reading and writing pages; those only templates know of (listings) in the
*files* phase. Members' items never get one: their titles must not reach
public files (``is_public``).
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import shutil
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup
from pelican import signals

from sitecore import Build, report
from sitecore.settings import Setting, apply
from sitecore.site import is_public, served_url

from .cards import card_name, draw_all

logger = logging.getLogger(__name__)

SETTINGS = (Setting("SOCIAL_CARD_DIR", "kortit", (str,), "kansio, johon jakokuvat kirjoitetaan",
                     lambda value: bool(value.strip("/"))),)


@dataclass
class SocialCards:
    """The cards of one build, from reading to rendering to the *files* phase."""

    asked: set[str] = field(default_factory=set)  # titles the pages asked for
    started: set[str] = field(default_factory=set)  # titles drawn, being drawn or cached
    pool: ProcessPoolExecutor | None = None
    futures: list[Future] = field(default_factory=list)


def _cache(settings) -> Path:
    """Cached cards, a folder per site name (it is drawn on every card)."""
    site = hashlib.sha256(settings["SITENAME"].encode("utf-8")).hexdigest()[:8]
    return Path(settings["CACHE_PATH"]) / "kortit" / site


def _font_dir(settings) -> str:
    return str(Path(settings["THEME"]) / "fonts")


def _public_titles(generators) -> set[str]:
    """Titles of published posts, pages and public items of our content types."""
    titles = set()
    for generator in generators:
        items = getattr(generator, "items", None)
        if items is None:
            items = list(getattr(generator, "articles", [])) + list(getattr(generator, "pages", []))
        titles |= {Markup(str(item.title)).striptags() for item in items if is_public(item, generator.settings)}
    return titles - {""}


def _start(generators) -> None:
    """Draw the missing cards of these generators' content in another process:
    Pelican's reading and writing are single-threaded, the second core is free."""
    settings = generators[0].settings
    cards = Build.current().state(SocialCards)
    cache = _cache(settings)
    titles = sorted(_public_titles(generators) - cards.started)
    cards.started.update(titles)
    missing = [title for title in titles if not (cache / card_name(title)).is_file()]
    if not missing:
        return
    if cards.pool is None:  # spawned: a fresh interpreter, nothing of this process's threads
        cards.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    cards.futures.append(cards.pool.submit(draw_all, missing, settings["SITENAME"], _font_dir(settings), cache))


def start_with_posts(generator):
    """The posts are read first and are most of the content: their cards can start."""
    _start([generator])


def start_with_the_rest(generators):
    _start(generators)


def add_card_function(generator):
    folder = f'{served_url(generator.settings)}/{generator.settings["SOCIAL_CARD_DIR"]}'

    def social_card(title: str) -> str:
        """The absolute address of the card of ``title`` (og:image, structured data)."""
        Build.current().state(SocialCards).asked.add(title)
        return f"{folder}/{card_name(title)}"

    generator.env.globals["social_card"] = social_card


def write_cards(pelican):
    """Wait for the drawing process, draw the cards only templates asked for,
    and copy every asked card into the output."""
    settings = pelican.settings
    cards = Build.current().state(SocialCards)
    if cards.pool is not None:
        try:
            for future in cards.futures:
                future.result()
        finally:
            cards.pool.shutdown()
    cache, output = _cache(settings), Path(settings["OUTPUT_PATH"]) / settings["SOCIAL_CARD_DIR"]
    missing = [title for title in sorted(cards.asked) if not (cache / card_name(title)).is_file()]
    draw_all(missing, settings["SITENAME"], _font_dir(settings), cache)
    output.mkdir(parents=True, exist_ok=True)
    for title in cards.asked:
        shutil.copyfile(cache / card_name(title), output / card_name(title))


def prepare(pelican):
    for problem in apply(pelican.settings, SETTINGS):
        report(logger, problem)
    Build.current().join("files", write_cards)


def register():
    signals.initialized.connect(prepare)
    signals.generator_init.connect(add_card_function)
    signals.article_generator_finalized.connect(start_with_posts)
    signals.all_generators_finalized.connect(start_with_the_rest)

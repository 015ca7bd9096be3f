"""Open Graph images: one social card per page, generated from its title.

Templates call ``social_card(title)``, which names the card after its title.
The cards of published content are drawn in another process while the build
goes on: the posts' as soon as they are read, the rest once all content is;
the cards only templates know of (listings) once the pages are rendered. A
card of an earlier build with the same name is the same card, so it is kept.
Members' items never get one: their titles must not reach public files.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup
from pelican import signals

from sitecore import Build, Problem, report
from sitecore.settings import Setting, apply
from sitecore.site import is_public, served_url

from .cards import card_name, render

logger = logging.getLogger(__name__)


@dataclass
class SocialCards:
    """The cards of one build, handed from reading to rendering to the *files* phase."""

    asked: set[str] = field(default_factory=set)  # titles templates asked for while rendering
    done: set[str] = field(default_factory=set)  # titles already drawn or kept
    pool: ProcessPoolExecutor | None = None  # draws while the build goes on
    futures: list[Future] = field(default_factory=list)
    filled_while_rendering = True  # pages are rendered in two processes: see merge
    filled_by_pages = True  # what each page asked is kept with it (strict_build.memo)
    read_while_rendering = False

    def merge(self, other: SocialCards) -> None:
        """Add the titles the second rendering process asked for."""
        self.asked |= other.asked

    def __getstate__(self):
        return {"asked": self.asked}  # what the second rendering process reports

    def __setstate__(self, state):
        self.__init__(asked=state["asked"])


def _folder(settings) -> Path:
    return Path(settings["OUTPUT_PATH"]) / settings["SOCIAL_CARD_DIR"]


SETTINGS = (Setting("SOCIAL_CARD_DIR", "kortit", (str,), "kansio, johon jakokuvat kirjoitetaan",
                     lambda value: bool(value.strip("/"))),)


def prepare(pelican):
    for problem in apply(pelican.settings, SETTINGS):
        report(logger, problem)
    build = Build.of(pelican.settings)
    build.fill_later(folder=_folder(pelican.settings))
    build.join("files", write_cards)


def _missing(titles, folder: Path, build: Build) -> list[str]:
    """Titles without a card from an earlier build; those that have one keep it."""
    missing = []
    for title in titles:
        target = folder / card_name(title)
        if target.is_file():
            build.keep(target)
        else:
            missing.append(title)
    return missing


def _draw(titles, site_name, font_dir, folder):
    for title in titles:
        render(title, site_name, font_dir, folder / card_name(title))


def _public_content(generator):
    """Published posts, pages and public items of our content types (never members' items)."""
    items = getattr(generator, "items", None)
    if items is None:
        items = list(getattr(generator, "articles", [])) + list(getattr(generator, "pages", []))
    return [item for item in items if is_public(item, generator.settings)]


def _finisher(pool, futures):
    """What the build runner calls to wait for the card process, also when a build stops early."""

    def finish() -> Problem | None:
        try:
            for future in futures:
                future.result()
        except Exception as exc:  # noqa: BLE001 - reported as the build's problem
            return Problem("", "jakokuva",
                           f"jakokuvien piirtäminen epäonnistui: {type(exc).__name__}: {exc}",
                           "Tämä on ohjelmointivirhe: kerro viesti kehittäjälle.")
        finally:
            pool.shutdown()
        return None

    return finish


def _start(generators) -> None:
    """Draw the cards of these generators' published content in another process.

    Reading and writing are single-threaded Python, so the second core is free.
    """
    settings = generators[0].settings
    build = Build.of(settings)
    cards = build.state(SocialCards)
    done = cards.done
    titles = sorted({Markup(str(item.title)).striptags()
                     for generator in generators
                     for item in _public_content(generator)} - {""} - done)
    done.update(titles)
    folder = _folder(settings)
    missing = _missing(titles, folder, build)
    if not missing:
        return
    font_dir = str(Path(settings["THEME"]) / "fonts")
    if build.direct:  # plain `pelican`: drawn here
        _draw(missing, settings["SITENAME"], font_dir, folder)
        return
    if cards.pool is None:
        cards.pool = ProcessPoolExecutor(max_workers=1)
        build.in_background(_finisher(cards.pool, cards.futures))
    cards.futures.append(cards.pool.submit(_draw, missing, settings["SITENAME"], font_dir, folder))


def start_with_posts(generator):
    """The posts are read first and are most of the content: their cards can start."""
    _start([generator])


def start_with_the_rest(generators):
    _start(generators)


def add_card_function(generator):
    build = Build.of(generator.settings)
    # Made now, before any page renders: a state that pages fill and that a
    # page made first would not be told apart for that page (Build.separate_states).
    build.state(SocialCards)
    folder = f'{served_url(generator.settings)}/{generator.settings["SOCIAL_CARD_DIR"]}'

    def social_card(title: str) -> str:
        """The absolute address of the card of ``title`` (og:image, structured data)."""
        build.state(SocialCards).asked.add(title)  # looked up each time: see Build.separate_states
        return f"{folder}/{card_name(title)}"

    generator.env.globals["social_card"] = social_card


def write_cards(pelican):
    """Draw the cards only templates asked for (listings); the build runner
    waits for the card process before the output is swept and swapped."""
    settings = pelican.settings
    build = Build.of(settings)
    cards = build.state(SocialCards)
    folder = _folder(settings)
    titles = sorted(cards.asked - cards.done)
    font_dir = str(Path(settings["THEME"]) / "fonts")
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as threads:
        list(threads.map(lambda t: render(t, settings["SITENAME"], font_dir, folder / card_name(t)),
                         _missing(titles, folder, build)))


def register():
    signals.initialized.connect(prepare)
    signals.generator_init.connect(add_card_function)
    signals.article_generator_finalized.connect(start_with_posts)
    signals.all_generators_finalized.connect(start_with_the_rest)

"""What Pelican's feeds leave out: an id of their own, the page they stand for,
a description, the language, and RSS guids that say they are not links.

Pelican gives every Atom feed the site's address as its id and its front page
as the alternate link, writes RSS channels with an empty description and no
language, and uses tag: URIs as RSS guids without ``isPermaLink="false"``
(so RSS readers take them for URLs). ``feed_generated`` hands us each feed
before it is written; the ids of the entries stay as they are, so readers
see no post twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from feedgenerator import Rss201rev2Feed
from pelican import signals

from babel_i18n.catalogs import theme_translations
from languages import language_feed_pages
from sitecore.site import feed_url_base, language, section_url


def N_(message: str) -> str:  # noqa: N802 - marks a msgid for extraction
    return message


CATEGORY_DESCRIPTION = N_("%(site)s: news in the category %(category)s")


@dataclass(frozen=True)
class FeedPage:
    link: str  # absolute URL of the page the feed stands for
    category: str | None  # the category's name, None for the feed of all posts
    lang: str | None = None  # a translated language's own feed (plugins/languages)


def feed_pages(settings, categories) -> dict[str, FeedPage]:
    """Absolute feed URL -> the page it stands for, for every feed the settings make."""
    base = feed_url_base(settings)
    index = FeedPage(f"{base}/{section_url(settings, 'blog')}", None)
    pages = {}
    for key in ("FEED_ALL_ATOM", "FEED_ALL_RSS", "FEED_ATOM", "FEED_RSS"):
        if settings.get(key):
            pages[f"{base}/{settings[key]}"] = index
    for category in categories:
        page = FeedPage(f"{base}/{category.url}", category.name)
        for key in ("CATEGORY_FEED_ATOM", "CATEGORY_FEED_RSS"):
            if settings.get(key):
                pages[f"{base}/{str(settings[key]).format(slug=category.slug)}"] = page
    for url, (lang, link) in language_feed_pages().items():
        pages[url] = FeedPage(link, None, lang)
    return pages


def complete(feed, page: FeedPage | None, settings, gettext) -> None:
    """Fill in what Pelican leaves out of ``feed`` (a feedgenerator feed)."""
    info = feed.feed
    info["id"] = info["feed_url"]  # unique and permanent: the feed's own address
    info["language"] = language(settings)
    site_description = settings.get("SITE_DESCRIPTION") or settings["SITENAME"]
    if page is not None and page.lang:
        info["language"] = page.lang
        site_description = (settings.get("LANGUAGES") or {}).get(page.lang, {}).get(
            "description", site_description)
    if page is not None:
        info["link"] = page.link
    if page is not None and page.category:
        info["description"] = gettext(CATEGORY_DESCRIPTION) % {
            "site": settings["SITENAME"], "category": page.category}
    else:
        info["description"] = site_description
    info["subtitle"] = info["description"]
    if isinstance(feed, Rss201rev2Feed):
        for item in feed.items:
            item["unique_id_is_permalink"] = False  # tag: URIs, not addresses


def on_feed_generated(context, feed):
    categories = [category for category, _articles in context.get("categories", [])]
    page = feed_pages(context, categories).get(feed.feed["feed_url"])
    translations = theme_translations(context, language(context))
    complete(feed, page, context, translations.gettext)


def register():
    signals.feed_generated.connect(on_feed_generated)

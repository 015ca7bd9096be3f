"""The site in its working languages: Finnish, and Swedish and English translations.

Translations use Pelican's own mechanism: a file with ``Lang: sv`` and the same
``Slug`` as the Finnish page is its Swedish translation. This plugin owns what
comes with that:

* the translated addresses: ``/sv/`` and the Finnish address word for word in
  Swedish (``URL_WORDS``), given to Pelican as ``{lang_path}``;
* a build error for a translation that points at nothing;
* the menu of each language (site_nav over that language's pages, and the
  Finnish pages listed in ``FINNISH_ONLY_PAGES`` as deliberately untranslated);
* the versions of the generated pages (front page, news, search, error page)
  in each language;
* for every page, what templates ask of its language (``page_language()``,
  a Jinja global): its language and translations, the language switcher,
  hreflang alternates, ``og:locale``, and the language's own site name,
  menu and addresses.

Other plugins that write a page in several languages register the versions
with ``add_translations``; ``localised_url`` gives them the addresses. What
the plugin learns while reading is kept in the build's ``Translations``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from jinja2 import pass_context
from pelican import signals
from pelican.contents import Article, Page
from pelican.generators import Generator

from site_nav import build_tree
from sitecore import Build, Problem, report
from sitecore.site import feed_url_base, language, page_lang, section_url

from . import settings as language_settings
from .names import place_html, place_name
from .urls import front_url, localise_path, page_url_of

logger = logging.getLogger(__name__)

# Settings naming the address of a generated page; overridden in a language's pages
# when that language has its own version (registered with add_translations).
LOCALISED_SETTINGS = ("INDEX_URL", "SEARCH_URL", "DIRECTORY_URL", "EVENTS_URL")


@dataclass
class Translations:
    """A build state: what the plugin learns while reading, for the pages."""

    groups: dict[str, dict[str, str]] = field(default_factory=dict)  # URL -> {lang: URL} of one page
    navs: dict = field(default_factory=dict)  # lang -> NavTree of that language's pages
    feeds: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> {"atom": url, "rss": url}
    # absolute feed URL -> (lang, absolute URL of that language's news), for feed_meta
    feed_pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    pages: dict[str, PageLanguage] = field(default_factory=dict)  # output file -> its values, asked often


def _state() -> Translations:
    return Build.current().state(Translations)


@dataclass(frozen=True)
class LanguageLink:
    lang: str  # BCP 47 code
    name: str  # the language's name in itself: "Svenska"
    url: str  # site-relative
    current: bool = False


def languages(settings) -> dict[str, dict]:
    return language_settings.languages(settings)


def localised_url(settings, url: str, lang: str, strict: bool = True) -> str:
    """A Finnish site-relative URL in ``lang`` (missing words are kept; see check)."""
    words = (settings.get("URL_WORDS") or {}).get(lang, {})
    return localise_path(url, lang, language(settings), words, strict)[0]


def translation_groups() -> dict[str, dict[str, str]]:
    """Every URL with translations: URL -> {lang: URL} (for sitemap.xml and the like)."""
    return {url: group for url, group in _state().groups.items() if len(group) > 1}


def language_feed_pages() -> dict[str, tuple[str, str]]:
    """Each language's own feed (absolute URL) -> (its language, the absolute URL of its news)."""
    return _state().feed_pages


def add_translations(versions: dict[str, str]) -> None:
    """Record that the URLs in ``versions`` ({lang: url}) are the same page."""
    groups = _state().groups
    merged = {}
    for url in versions.values():
        merged.update(groups.get(url, {}))
    merged.update(versions)
    for url in merged.values():
        groups[url] = merged


def language_versions(settings, url: str) -> dict[str, str]:
    """A generated page's URL in every language of the site, the default first."""
    return {lang: localised_url(settings, url, lang) for lang in languages(settings)}


def other_languages(settings) -> list[str]:
    default = language(settings)
    return [code for code in languages(settings) if code != default]


# --- settings -------------------------------------------------------------------------

def check_settings(pelican):
    for problem in language_settings.problems(pelican.settings):
        report(logger, problem)


# --- translated content ---------------------------------------------------------------

def set_lang_paths(items, settings, kind: str, name_missing_words: bool = True) -> None:
    """Give each translation its address in its own language's words ({lang_path}).

    A word of the address that ``URL_WORDS`` cannot translate is a problem
    only for a real translation: for a file whose Slug names no Finnish
    original (often a typo), ``check_originals`` says what is wrong, and
    advice to edit ``URL_WORDS`` would send staff the wrong way.
    """
    default = language(settings)
    words = settings.get("URL_WORDS") or {}
    known = languages(settings)
    for item in items:
        if item.lang == default:
            continue
        if item.lang not in known:
            report(logger, Problem(
                item.source_path, "Lang", f"kieltä \"{item.lang}\" ei ole sivuston kielissä.",
                f"Käytä jotakin näistä: {', '.join(known)}."))
            item.metadata["lang_path"] = f"{item.lang}/{item.slug}/"
            continue
        if kind == "page":
            finnish = f"{item.slug}/"
        else:
            finnish = settings["ARTICLE_URL"].format(**item.url_format)
        path, missing = localise_path(finnish, item.lang, default, words.get(item.lang, {}),
                                      strict=kind == "page")
        for word in missing if name_missing_words else ():
            report(logger, Problem(
                item.source_path, "Slug",
                f"osoitteen sanalle \"{word}\" ei ole käännöstä kielelle \"{item.lang}\".",
                f"Lisää pelicanconf.py:n URL_WORDS-asetukseen kohtaan \"{item.lang}\" "
                f"\"{word}\": \"sana-kielellä-{item.lang}\"."))
        item.metadata["lang_path"] = path


def check_originals(items, settings) -> None:
    """A translation whose Slug names no Finnish page is an error, not a page of its own."""
    default = language(settings)
    for item in items:
        if item.lang != default:
            report(logger, Problem(
                item.source_path, "Slug",
                f"käännöksellä (Lang: {item.lang}) ei ole suomenkielistä alkuperäistä, "
                f"jonka Slug olisi \"{item.slug}\".",
                "Anna käännökselle täsmälleen sama Slug kuin suomenkielisellä sivulla tai "
                "kirjoituksella, jonka käännös se on."))


def content_created(content):
    """Before Pelican checks where a translation is saved, give it its address."""
    if type(content) in (Page, Article):
        # Whether it translates anything is known once every file is read (link_translations).
        set_lang_paths([content], content.settings, "page" if type(content) is Page else "article",
                       name_missing_words=False)


def register_content(items) -> list[dict[str, str]]:
    groups = []
    for item in items:
        versions = {item.lang: item.url}
        versions.update((t.lang, t.url) for t in item.translations)
        groups.append(versions)
    return groups


def link_translations(generator, originals, kind: str) -> list:
    """Give originals and translations their language's paths, check them and
    record each group of versions; the translations are returned."""
    translations = generator.translations + generator.hidden_translations
    set_lang_paths(translations, generator.settings, kind)
    # Originals are Finnish, or translations without one: check_originals names those.
    set_lang_paths(originals, generator.settings, kind, name_missing_words=False)
    check_originals(originals, generator.settings)
    for versions in register_content(originals):
        add_translations(versions)
    return translations


def finnish_only(originals, translations, settings, lang: str) -> list:
    """The Finnish pages that ``FINNISH_ONLY_PAGES`` keeps without a ``lang`` version: the
    language's menu links to them as they are (in Finnish, marked so by the templates)."""
    listed = settings.get("FINNISH_ONLY_PAGES") or {}
    translated = {str(t.slug) for t in translations if t.lang == lang}
    return [page for page in originals if str(page.slug) in listed and str(page.slug) not in translated]


def check_finnish_only(originals, settings) -> None:
    """Every page in FINNISH_ONLY_PAGES is a Finnish page, listed with its reason."""
    default = language(settings)
    slugs = {str(page.slug) for page in originals if page.lang == default}
    for slug, reason in (settings.get("FINNISH_ONLY_PAGES") or {}).items():
        if slug not in slugs:
            report(logger, Problem("pelicanconf.py", "FINNISH_ONLY_PAGES",
                                   f"suomenkielistä sivua, jonka Slug on \"{slug}\", ei ole.",
                                   "Kirjoita sivun Slug täsmälleen, tai poista rivi."))
        elif not str(reason).strip():
            report(logger, Problem("pelicanconf.py", "FINNISH_ONLY_PAGES",
                                   f"sivulta \"{slug}\" puuttuu syy, miksi se on vain suomeksi.",
                                   f"Kirjoita syy: \"{slug}\": \"miksi sivua ei käännetä\"."))


def pages_finalized(generator):
    settings = generator.settings
    originals = generator.pages + generator.hidden_pages
    translations = link_translations(generator, originals, "page")
    check_finnish_only(originals, settings)
    navs = _state().navs
    for lang in other_languages(settings):
        tree, problems = build_tree([t for t in translations if t.lang == lang]
                                    + finnish_only(generator.pages, translations, settings, lang))
        for problem in problems:
            report(logger, problem)
        navs[lang] = tree


def articles_finalized(generator):
    settings = generator.settings
    link_translations(generator, generator.articles + generator.hidden_articles, "article")
    generator.context["articles_by_lang"] = {
        lang: [t for t in generator.translations if t.lang == lang]
        for lang in other_languages(settings)}


# --- what each page knows about its language -------------------------------------------

@dataclass(frozen=True)
class PageLanguage:
    """What a page's templates ask of its language (``page_language()``)."""

    lang: str
    home: str  # the language's front page, site-relative
    links: list[LanguageLink]  # the language switcher
    hreflang: list[tuple[str, str]]  # (code, URL) of every version, x-default the Finnish one
    og_locale: str
    og_locale_alternates: list[str]
    own_feeds: dict[str, str] | None  # the language's own Atom and RSS, if it has posts
    nav: object  # site_nav's NavTree of the language's pages
    sitename: str
    sitename_lang: str  # the language the site's name is in
    alternate_names: list[str]  # the site's name in the other languages (structured data)
    description: str
    urls: dict[str, str]  # LOCALISED_SETTINGS in this language (the Finnish one where none)
    default_urls: dict[str, str]  # LOCALISED_SETTINGS in the default language


def language_of(context) -> PageLanguage:
    """The language values of the page ``context`` renders (Pelican's context of one
    page: ``output_file`` and ``article``, ``page`` or ``lang``), worked out once a page."""
    output_file = context.get("output_file")
    known_pages = _state().pages
    if output_file not in known_pages:
        values = _language_of(context)
        if not output_file:
            return values
        known_pages[output_file] = values
    return known_pages[output_file]


def _language_of(context) -> PageLanguage:
    default = language(context)
    known = languages(context)
    lang = page_lang(context)
    groups = _state().groups
    url = page_url_of(context.get("output_file", ""))
    versions = dict(groups.get(url, {}))
    if len(versions) < 2 or versions.get(lang) != url:
        versions = {}
    switcher = [LanguageLink(code, info.get("name", code),
                             versions.get(code) or front_url(code, default), current=code == lang)
                for code, info in known.items()]
    alternates = [(code, versions[code]) for code in known if code in versions]
    if default in versions:
        alternates.append(("x-default", versions[default]))
    info = known.get(lang, {})
    translated = lang != default and lang in known
    default_urls = {key: context.get(key) for key in LOCALISED_SETTINGS}
    urls = dict(default_urls)
    if translated:
        for key, finnish in default_urls.items():
            if finnish is not None and lang in groups.get(finnish, {}):
                urls[key] = groups[finnish][lang]
    nav = _state().navs.get(lang) if translated else None
    names = {code: values.get("sitename", context["SITENAME"]) if code != default else context["SITENAME"]
             for code, values in known.items()}
    names.setdefault(lang, context["SITENAME"])
    return PageLanguage(
        lang=lang,
        home=front_url(lang, default),
        links=switcher,
        hreflang=alternates,
        og_locale=info.get("og_locale", lang),
        og_locale_alternates=[known[c].get("og_locale", c) for c, _ in alternates if c in known and c != lang],
        own_feeds=_state().feeds.get(lang),
        nav=nav if nav is not None else context.get("site_nav"),
        sitename=names[lang],
        sitename_lang=info.get("sitename_lang", lang) if translated else lang,
        alternate_names=[name for name in dict.fromkeys(names.values()) if name != names[lang]],
        description=(info.get("description", context.get("SITE_DESCRIPTION")) if translated
                     else context.get("SITE_DESCRIPTION")),
        urls=urls,
        default_urls=default_urls,
    )


def add_template_function(generator):
    generator.env.globals["page_language"] = pass_context(language_of)
    # Places in the page's language (names.py): {{ fields.city | place(lang) }}, HTML with place_html.
    generator.env.filters.update(place=place_name, place_html=place_html)


# --- the generated pages in each language ----------------------------------------------

class LanguagePagesGenerator(Generator):
    """The front page, the news page, the search page and the error page per language."""

    PAGES = (("front", "FRONT_SAVE_AS"), ("index", "INDEX_SAVE_AS"),
             ("search", "SEARCH_SAVE_AS"), ("404", "404_SAVE_AS"))

    def _versions(self, save_as: str) -> dict[str, str]:
        default = language(self.settings)
        url = page_url_of(save_as)
        versions = {default: url}
        for lang in other_languages(self.settings):
            if save_as == "index.html":
                versions[lang] = front_url(lang, default)
            elif save_as.endswith(".html") and not save_as.endswith("index.html"):
                versions[lang] = f"{lang}/{save_as}"
            else:
                versions[lang] = localised_url(self.settings, url, lang)
        return versions

    def generate_context(self):
        self._plan_feeds()
        for template, key in self.PAGES:
            save_as = self.settings.get(key, f"{template}.html")
            if save_as and template in self.settings["DIRECT_TEMPLATES"]:
                add_translations(self._versions(save_as))

    def _plan_feeds(self):
        """Atom and RSS of a language's own posts, for the languages that have posts."""
        base = feed_url_base(self.settings)
        feeds, pages = {}, {}
        for lang, articles in self.context.get("articles_by_lang", {}).items():
            if not articles:
                continue  # no posts in this language: its pages point to the Finnish feed
            news = localised_url(self.settings, section_url(self.settings, "blog"), lang, strict=False)
            for kind, key in (("atom", "FEED_ALL_ATOM"), ("rss", "FEED_ALL_RSS")):
                if self.settings.get(key):
                    url = localised_url(self.settings, self.settings[key], lang, strict=False)
                    feeds.setdefault(lang, {})[kind] = url
                    pages[f"{base}/{url}"] = (lang, f"{base}/{news}")
        _state().feeds.update(feeds)
        _state().feed_pages.update(pages)

    def _write_feeds(self, writer):
        by_lang = self.context.get("articles_by_lang", {})
        known = languages(self.settings)
        for lang, feeds in _state().feeds.items():
            # The feed's title is the site's name in that language (Pelican takes SITENAME).
            context = dict(self.context, SITENAME=known[lang].get("sitename", self.settings["SITENAME"]))
            newest = sorted(by_lang[lang], key=lambda article: article.date, reverse=True)
            for kind, url in feeds.items():
                writer.write_feed(newest, context, url, url, feed_type=kind)

    def generate_output(self, writer):
        self._write_feeds(writer)
        by_lang = self.context.get("articles_by_lang", {})
        for template, key in self.PAGES:
            save_as = self.settings.get(key, f"{template}.html")
            if not save_as or template not in self.settings["DIRECT_TEMPLATES"]:
                continue
            versions = self._versions(save_as)
            default = language(self.settings)
            for lang, url in versions.items():
                if lang == default:
                    continue
                articles = by_lang.get(lang, [])
                own_save_as = url + "index.html" if url.endswith("/") or not url else url
                paginated = {"articles": articles, "dates": articles} if template == "index" else None
                writer.write_file(own_save_as, self.get_template(template), self.context,
                                  relative_urls=self.settings["RELATIVE_URLS"],
                                  paginated=paginated, template_name=template, url=url,
                                  lang=lang, articles=articles, dates=articles,
                                  finnish_articles=self.context.get("articles", []),
                                  page_name=own_save_as.removesuffix(".html"))


def add_generator(pelican):
    return LanguagePagesGenerator


def register():
    signals.initialized.connect(check_settings)
    signals.content_object_init.connect(content_created)
    signals.article_generator_finalized.connect(articles_finalized)
    signals.page_generator_finalized.connect(pages_finalized)
    signals.get_generators.connect(add_generator)
    signals.generator_init.connect(add_template_function)

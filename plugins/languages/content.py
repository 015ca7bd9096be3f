"""Translations of our own content types (member institutions, events).

A content type's folder holds the Finnish files; ``<folder>/sv/`` and
``<folder>/en/`` hold their translations: ``Slug`` names the Finnish file,
``Title``, ``Summary`` and the text are that language's (each optional:
what a translation leaves out is shown in Finnish, marked ``lang="fi"``).
Every item gets a page in every language of the site; the facts (dates,
places, names, links) stay those of the Finnish file.

``TranslatedContentMixin`` goes before ``TypedContentGenerator`` in a
generator's bases; the generator calls ``translate_items`` once its items are
final and the mixin writes the versions after the Finnish pages.
"""

from __future__ import annotations

import logging
import os

from markupsafe import Markup
from pelican.contents import Content

from sitecore import Problem, report
from sitecore.site import language

from . import add_translations, localised_url, other_languages

logger = logging.getLogger(__name__)


class TranslationText(Content):
    """A translation file: only its words, the facts come from the Finnish file."""

    mandatory_properties = ()
    default_status = "published"  # no allowed_statuses: Pelican accepts any (the original's counts)


class Translated:
    """One item in another language: its own address, words and language; else the original."""

    def __init__(self, original, lang: str, url: str, text: TranslationText | None):
        self.original = original
        self.lang = lang
        self.url = url
        self.save_as = url + "index.html"
        self.translation = text
        metadata = text.metadata if text is not None else {}
        self.title_translated = bool(metadata.get("title"))
        self.title = metadata["title"] if self.title_translated else original.title
        # The language of the title and of the text as shown (Finnish where not translated).
        self.title_lang = lang if self.title_translated else original.lang
        self.content_lang = lang if self._own_text().strip() else original.lang
        summary = metadata.get("summary")
        self.summary_lang = lang if summary else original.lang
        self._summary_text = summary

    def _own_text(self) -> str:
        return (self.translation.content or "") if self.translation is not None else ""

    @property
    def content(self) -> str:
        """The translation's own text, else the original's. Read when a page
        shows it, not copied: a page that shows it then depends on that text
        alone (``strict_build.memo``), not every page on every text."""
        own = self._own_text()
        return own if own.strip() else self.original.content

    @property
    def plain_summary(self) -> str:
        if self._summary_text:
            return Markup(str(self._summary_text)).striptags()
        return getattr(self.original, "plain_summary", "")

    @property
    def in_default_lang(self) -> bool:
        return False

    def __getattr__(self, name):
        return getattr(self.original, name)


class TranslatedContentMixin:
    """For a ``TypedContentGenerator``: its folder's language subfolders are translations."""

    def get_files(self, paths, exclude=None, extensions=None):
        exclude = list(exclude or [])
        for path in paths if not isinstance(paths, str) else [paths]:
            exclude += [os.path.join(path, lang) for lang in other_languages(self.settings)]
        return super().get_files(paths, exclude, extensions)

    def translate_items(self, items) -> dict:
        """``item.versions`` ({lang: item or Translated}) for every item; the translations."""
        texts = self._read_translation_texts({item.slug for item in items})
        self.translated_items = []
        default = language(self.settings)
        for item in items:
            item.versions = {default: item}
            for lang in other_languages(self.settings):
                version = Translated(item, lang, localised_url(self.settings, item.url, lang, strict=False),
                                     texts.get((lang, item.slug)))
                item.versions[lang] = version
                self.translated_items.append(version)
            add_translations({lang: v.url for lang, v in item.versions.items()})
        return self.translated_items

    def _read_translation_texts(self, slugs) -> dict:
        texts = {}
        for lang in other_languages(self.settings):
            folders = [os.path.join(p, lang) for p in self.settings.get(self.paths_setting, [])]
            for path in sorted(super().get_files(folders)):
                text = self.readers.read_file(base_path=self.path, path=path,
                                              content_class=TranslationText, context=self.context)
                slug = str(text.metadata.get("slug", ""))
                problem = None
                if text.metadata.get("lang") != lang:
                    problem = Problem(path, "Lang", f"kansion {lang}/ käännöksessä pitää olla Lang: {lang}.",
                                      f"Lisää tiedoston alkuun rivi Lang: {lang}.")
                elif slug not in slugs:
                    problem = Problem(path, "Slug",
                                      f"käännöksellä ei ole suomenkielistä alkuperäistä, jonka Slug "
                                      f"olisi \"{slug}\".",
                                      "Anna käännökselle täsmälleen sama Slug kuin suomenkielisellä "
                                      "tiedostolla, jonka käännös se on.")
                elif (lang, slug) in texts:
                    problem = Problem(path, "Slug", f"tiedostolla {texts[(lang, slug)].source_path} "
                                      f"on jo sama Slug ja kieli.", "Poista toinen käännöksistä.")
                if problem:
                    report(logger, problem)
                    continue
                texts[(lang, slug)] = text
        return texts

    def generate_output(self, writer):
        super().generate_output(writer)
        for version in getattr(self, "translated_items", []):
            template = self.get_template(version.original.template)
            writer.write_file(version.save_as, template, self.context,
                              relative_urls=self.settings["RELATIVE_URLS"], url=version.url,
                              lang=version.lang, **{self.item_name: version})

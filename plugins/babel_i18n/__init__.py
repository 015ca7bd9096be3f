"""Localisation of the theme: gettext catalogs and Babel dates.

UI strings in templates are English msgids translated by the catalog of the
page's language under ``theme/translations``; dates are formatted by Babel so
that nothing depends on the machine's OS locales. A page's language is
``sitecore.site.page_lang`` of its context;
the Babel locale of each language is ``LANGUAGES[lang]["locale"]``.
"""

from __future__ import annotations

import logging
import os

from jinja2 import pass_context
from pelican import signals

from sitecore import Problem, report
from sitecore.site import language, page_lang

from .catalogs import catalog_path, load_translations
from .dates import DATE_FILTERS, iso_date, weekday_names

logger = logging.getLogger(__name__)


def site_languages(settings) -> dict[str, str]:
    """Each language of the site and its Babel locale, the default language first."""
    default = language(settings)
    configured = settings.get("LANGUAGES") or {}
    locales = {default: configured.get(default, {}).get("locale", default)}
    locales.update((code, info.get("locale", code)) for code, info in configured.items())
    return locales


def localise_environment(generator):
    settings = generator.settings
    default = language(settings)
    translations_dir = os.path.join(settings["THEME"], "translations")
    env = generator.env
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    locales = site_languages(settings)
    catalogs = {}
    for lang in locales:
        try:
            catalogs[lang] = load_translations(translations_dir, lang)
        except FileNotFoundError:
            report(logger, Problem(
                catalog_path(translations_dir, lang),
                "DEFAULT_LANG" if lang == default else "LANGUAGES",
                f"kielelle \"{lang}\" ei ole käännöstiedostoa.",
                "Luo käännös komennolla .venv/bin/python tasks.py translations, tai korjaa kieliasetus.",
            ))
    if default not in catalogs:
        return

    def catalog(context):
        return catalogs.get(page_lang(context), catalogs[default])

    @pass_context
    def gettext(context, message):
        return catalog(context).gettext(message)

    @pass_context
    def ngettext(context, singular, plural, number):
        return catalog(context).ngettext(singular, plural, number)

    @pass_context
    def pgettext(context, message_context, message):
        return catalog(context).pgettext(message_context, message)

    @pass_context
    def npgettext(context, message_context, singular, plural, number):
        return catalog(context).npgettext(message_context, singular, plural, number)

    env.install_gettext_callables(gettext, ngettext, newstyle=True, pgettext=pgettext,
                                  npgettext=npgettext)

    def dated(format_value):
        @pass_context
        def filter_(context, value):
            return format_value(value, locales.get(page_lang(context),
                                                   locales[default]))
        return filter_

    env.filters.update({name: dated(function) for name, function in DATE_FILTERS.items()})
    env.filters["iso_date"] = iso_date

    @pass_context
    def weekdays(context):
        """The weekdays' short and full names in the page's language, Monday first."""
        return weekday_names(locales.get(page_lang(context), locales[default]))

    env.globals["weekday_names"] = weekdays


def register():
    signals.generator_init.connect(localise_environment)

"""Localisation of the theme: gettext catalogs and Babel dates.

UI strings in templates are English msgids translated by the catalog of the
site's language (``DEFAULT_LANG``) under ``theme/translations``; dates are
formatted by Babel so that nothing depends on the machine's OS locales.
"""

from __future__ import annotations

import logging
import os

from pelican import signals

from sitecore import Problem, report
from sitecore.site import language

from .catalogs import catalog_path, load_translations
from .dates import date_filters, weekday_names

logger = logging.getLogger(__name__)


def localise_environment(generator):
    settings = generator.settings
    lang = language(settings)
    translations_dir = os.path.join(settings["THEME"], "translations")
    env = generator.env
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    try:
        translations = load_translations(translations_dir, lang)
    except FileNotFoundError:
        report(logger, Problem(
            catalog_path(translations_dir, lang),
            "DEFAULT_LANG",
            f"kielelle \"{lang}\" ei ole käännöstiedostoa.",
            "Luo käännös komennolla invoke translations, tai korjaa DEFAULT_LANG.",
        ))
        return
    env.install_gettext_translations(translations, newstyle=True)
    env.filters.update(date_filters(lang))
    env.globals["weekday_names"] = weekday_names(lang)


def register():
    signals.generator_init.connect(localise_environment)

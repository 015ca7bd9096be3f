"""Member directory: one Markdown file per member institution.

Writes a page per institution, the directory index with an SVG map and
filters, a page per region and per offering, each in every language of the
site (places named as languages/names.py says), and directory.json.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

from pelican import signals

from babel_i18n.catalogs import theme_translations
from content_types import TypedContentGenerator
from content_types.schema import sources_of
from languages import add_translations, language_versions, languages, localised_url
from languages.content import TranslatedContentMixin
from languages.names import place_name
from sitecore import Problem, report
from sitecore.site import absolute_url, language, section_url

from .institutions import CITY_POINT, OFFERING_NAMES, OFFERINGS, REGIONS, Institution, mentions, region_slug
from .mapping import Pin, render_map
from .sorting import finnish_sort_key

logger = logging.getLogger(__name__)


@dataclass
class Listing:
    """One filtered view of the directory in one language: all, a region or an offering."""

    title: str  # the region's name in the page's language; the offering's key
    url: str
    save_as: str
    institutions: list = field(default_factory=list)
    key: str = ""  # the region or offering as the Finnish files write it


def association_ld(settings: dict, lang: str) -> dict:
    """The association as structured data names it in ``lang`` (LANGUAGES' sitename)."""
    name = languages(settings)[lang].get("sitename", settings["SITENAME"])
    return {"@type": "Organization", "name": name, "url": absolute_url(settings)}


class DirectoryGenerator(TranslatedContentMixin, TypedContentGenerator):
    content_class = Institution
    paths_setting = "DIRECTORY_PATHS"
    context_name = "institutions"
    item_name = "institution"
    reserved_slugs = frozenset({"alue", "koulutus"})

    def order(self, items):
        return sorted(items, key=lambda item: finnish_sort_key(item.title))

    def finalize_context(self):
        # Structured data names the public site, also in a development build.
        siteurl = absolute_url(self.settings)
        institutions = self.public(self.items)
        articles = self.context.get("articles", [])
        self._check_post_links(articles)
        for item in institutions:
            item.posts = [a for a in articles if mentions(a, item)]
            item.sources = sources_of(item.fields)  # Pelican set the attribute to the Sources text
        self.translate_items(institutions)
        add_translations(language_versions(self.settings, section_url(self.settings, "directory")))
        self.directories = {lang: self._directory(lang, institutions) for lang in languages(self.settings)}
        self.context["directory"] = self.directories[language(self.settings)]
        self.context["directories"] = self.directories  # the search page's filter in each language
        for key in self.context["directory"]["by_key"]:  # a region's or offering's page in every language
            add_translations({lang: d["by_key"][key].url for lang, d in self.directories.items()})
        self.context["offering_names"] = OFFERING_NAMES
        for item in institutions:
            for lang, version in item.versions.items():
                directory = self.directories[lang]
                version.region_listing = directory["by_key"][item.fields["region"]]
                version.offering_listings = [directory["by_key"][o] for o in item.fields["offers"]]
                version.map_svg = render_map(
                    [self._pin(other, lang, current=other is item, linked=False) for other in institutions],
                    f"{item.title}: {place_name(item.fields['city'], lang)}, {version.region_listing.title}"
                    + (f" ({self._city_point(lang)})" if item.city_level else ""),
                    width=220, css_class="map map--small",
                )
                version.json_ld = json.dumps({"@context": "https://schema.org", **item.structured_data(
                    siteurl, association_ld(self.settings, lang), lang, f"{siteurl}/{version.url}")},
                    ensure_ascii=False)

    def _directory(self, lang, institutions) -> dict:
        """The directory in ``lang``: its listings, map and structured data."""
        siteurl = absolute_url(self.settings)
        base = section_url(self.settings, "directory")
        regions = sorted({i.fields["region"] for i in institutions},
                         key=lambda region: finnish_sort_key(place_name(region, lang)))
        region_base = localised_url(self.settings, f"{base}alue/", lang)
        listings = [self._listing(place_name(region, lang), f"{region_base}{region_slug(place_name(region, lang))}/",
                                  [i for i in institutions if i.fields["region"] == region], region)
                    for region in regions]
        listings += [self._listing(offer, localised_url(self.settings, f"{base}koulutus/{offer}/", lang),
                                   [i for i in institutions if offer in i.fields["offers"]], offer)
                     for offer in OFFERINGS.values() if any(offer in i.fields["offers"] for i in institutions)]
        return {
            "listing": self._listing("", localised_url(self.settings, base, lang), institutions),
            "regions": [listing for listing in listings if listing.key in REGIONS],
            "offerings": [listing for listing in listings if listing.key in OFFERINGS],
            "by_key": {listing.key: listing for listing in listings},
            "pins": [self._pin(i, lang) for i in institutions],  # the template draws the map (map_svg)
            "json_ld": json.dumps({
                "@context": "https://schema.org",
                **association_ld(self.settings, lang),
                "member": [{"@type": "EducationalOrganization", "name": i.title,
                            "url": f"{siteurl}/{i.versions[lang].url}"} for i in institutions],
            }, ensure_ascii=False),
        }

    def _pin(self, item, lang, current=False, linked=True) -> Pin:
        lat, lon = item.fields["coordinates"]
        siteurl = self.settings.get("SITEURL", "")
        label = f"{item.title}, {place_name(item.fields['city'], lang)}"
        if item.city_level:  # the name says what the point is: a hollow circle alone would not
            label += f" ({self._city_point(lang)})"
        return Pin(lat, lon, label, url=f"{siteurl}/{item.versions[lang].url}" if linked else None,
                   current=current, city_level=item.city_level)

    def _city_point(self, lang) -> str:
        """CITY_POINT in ``lang``: the theme's catalog (the pins are drawn here, not in a template)."""
        return theme_translations(self.settings, lang).gettext(CITY_POINT)

    def _listing(self, title, url, institutions, key="") -> Listing:
        return Listing(title, url, url + "index.html", institutions, key)

    def _check_post_links(self, articles):
        known = {item.slug for item in self.items}
        for article in articles + self.context.get("drafts", []):
            listed = str(article.metadata.get("institutions", ""))
            for slug in filter(None, (s.strip() for s in listed.split(","))):
                if slug not in known:
                    report(logger, Problem(
                        article.source_path, "Institutions",
                        f"jäsenoppilaitosta \"{slug}\" ei ole hakemistossa.",
                        "Käytä oppilaitoksen Slug-arvoa kansiosta content/directory/, "
                        "esimerkiksi Institutions: helsingin-konservatorio.",
                    ))

    def write_indexes(self, writer):
        template = self.get_template("directory")
        default = language(self.settings)
        for lang, directory in self.directories.items():
            for listing, kind in ([(directory["listing"], "all")]
                                  + [(r, "region") for r in directory["regions"]]
                                  + [(o, "offering") for o in directory["offerings"]]):
                writer.write_file(listing.save_as, template, self.context,
                                  relative_urls=self.settings["RELATIVE_URLS"], url=listing.url,
                                  listing=listing, listing_kind=kind, directory=directory,
                                  **({"lang": lang} if lang != default else {}))
        records = [i.public_record(absolute_url(self.settings)) for i in self.public(self.items)]
        self.write_data(self.settings["DIRECTORY_JSON_SAVE_AS"], json.dumps(
            {"institutions": records}, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def add_generator(pelican):
    return DirectoryGenerator


def add_map_filter(generator):
    # {{ directory.pins | map_svg(_("…")) }}: the map, named in the page's language.
    generator.env.filters["map_svg"] = render_map


def register():
    signals.generator_init.connect(add_map_filter)
    signals.get_generators.connect(add_generator)

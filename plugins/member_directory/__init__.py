"""Member directory: one Markdown file per member institution.

Writes a page per institution, the directory index with an SVG map and
filters, a page per region and per offering, and directory.json.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

from pelican import signals

from content_types import TypedContentGenerator
from content_types.schema import sources_of
from languages import add_translations, language_versions
from languages.content import TranslatedContentMixin
from sitecore import Problem, report
from sitecore.settings import Setting, apply
from sitecore.site import absolute_url, language, section_url

from .institutions import OFFERINGS, Institution, mentions, region_slug
from .mapping import Pin, render_map
from .sorting import finnish_sort_key

logger = logging.getLogger(__name__)


@dataclass
class Listing:
    """One filtered view of the directory: all, a region or an offering."""

    title: str
    url: str
    save_as: str
    institutions: list = field(default_factory=list)


def association_ld(settings: dict) -> dict:
    return {"@type": "Organization", "name": settings["SITENAME"],
            "url": absolute_url(settings)}


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
            item.map_svg = render_map(
                [self._pin(other, current=other is item, linked=False) for other in institutions],
                f"{item.title}: {item.fields['city']}, {item.fields['region']}",
                width=220, css_class="map map--small",
            )
            item.json_ld = json.dumps({"@context": "https://schema.org",
                                       **item.json_ld(siteurl, association_ld(self.settings))},
                                      ensure_ascii=False)
        base = section_url(self.settings, "directory")
        add_translations(language_versions(self.settings, base))
        self.context["directory"] = {
            "listing": self._listing("", base, institutions),
            "regions": self._by_region(institutions),
            "offerings": self._by_offering(institutions),
            "map_svg": render_map([self._pin(i) for i in institutions],
                                  self.settings["DIRECTORY_MAP_LABEL"]),
            "json_ld": json.dumps({
                "@context": "https://schema.org",
                **association_ld(self.settings),
                "member": [{"@type": "EducationalOrganization", "name": i.title,
                            "url": f"{siteurl}/{i.url}"} for i in institutions],
            }, ensure_ascii=False),
        }
        self.translate_items(institutions)

    def _pin(self, item, current=False, linked=True) -> Pin:
        lat, lon = item.fields["coordinates"]
        siteurl = self.settings.get("SITEURL", "")
        return Pin(lat, lon, f"{item.title}, {item.fields['city']}",
                   url=f"{siteurl}/{item.url}" if linked else None, current=current)

    def _listing(self, title, url, institutions) -> Listing:
        return Listing(title, url, url + "index.html", institutions)

    def _by_region(self, institutions) -> list[Listing]:
        regions = sorted({i.fields["region"] for i in institutions}, key=finnish_sort_key)
        base = section_url(self.settings, "directory")
        return [self._listing(region, f"{base}alue/{region_slug(region)}/",
                              [i for i in institutions if i.fields["region"] == region])
                for region in regions]

    def _by_offering(self, institutions) -> list[Listing]:
        base = section_url(self.settings, "directory")
        return [self._listing(offer, f"{base}koulutus/{offer}/",
                              [i for i in institutions if offer in i.fields["offers"]])
                for offer in OFFERINGS.values()
                if any(offer in i.fields["offers"] for i in institutions)]

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
        directory = self.context["directory"]
        template = self.get_template("directory")
        for listing, kind in ([(directory["listing"], "all")]
                              + [(r, "region") for r in directory["regions"]]
                              + [(o, "offering") for o in directory["offerings"]]):
            writer.write_file(listing.save_as, template, self.context,
                              relative_urls=self.settings["RELATIVE_URLS"], url=listing.url,
                              listing=listing, listing_kind=kind)
        default = language(self.settings)
        for lang, url in language_versions(self.settings, section_url(self.settings, "directory")).items():
            if lang != default:  # the directory in Swedish and English: the same institutions
                writer.write_file(url + "index.html", template, self.context,
                                  relative_urls=self.settings["RELATIVE_URLS"], url=url, lang=lang,
                                  listing=directory["listing"], listing_kind="all")
        records = [i.public_record(absolute_url(self.settings)) for i in self.public(self.items)]
        self.write_data(self.settings["DIRECTORY_JSON_SAVE_AS"], json.dumps(
            {"institutions": records}, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def add_generator(pelican):
    return DirectoryGenerator


SETTINGS = (
    Setting("DIRECTORY_MAP_LABEL", "Jäsenoppilaitokset kartalla", (str,),
            "kartan nimi ruudunlukijalle (teksti)", lambda value: bool(value.strip())),
)


def check_settings(pelican):
    for problem in apply(pelican.settings, SETTINGS):
        report(logger, problem)


def register():
    signals.initialized.connect(check_settings)
    signals.get_generators.connect(add_generator)

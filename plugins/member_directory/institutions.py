"""Member institutions: the content type and the directory's data."""

from __future__ import annotations

from pelican.utils import slugify

from content_types import Field, TypedContent
from content_types.schema import SOURCE_FIELDS

# Finland's regions (maakunnat) as written -> as stored.
REGIONS = {name: name for name in (
    "Ahvenanmaa", "Etelä-Karjala", "Etelä-Pohjanmaa", "Etelä-Savo", "Kainuu", "Kanta-Häme",
    "Keski-Pohjanmaa", "Keski-Suomi", "Kymenlaakso", "Lappi", "Pirkanmaa", "Pohjanmaa",
    "Pohjois-Karjala", "Pohjois-Pohjanmaa", "Pohjois-Savo", "Päijät-Häme", "Satakunta",
    "Uusimaa", "Varsinais-Suomi",
)}
OFFERINGS = {"musiikki": "musiikki", "tanssi": "tanssi"}
LANGUAGES = {"suomi": "suomi", "ruotsi": "ruotsi"}


def region_slug(region: str) -> str:
    return slugify(region, regex_subs=[(r"[^\w\s-]", ""), (r"[-\s]+", "-")])


class Institution(TypedContent):
    default_template = "institution"
    schema = (
        Field("Organiser", required=True, example="Helsingin Konservatorion Säätiö sr"),
        Field("City", required=True, example="Helsinki"),
        Field("Region", "choice", required=True, choices=REGIONS, example="Uusimaa"),
        Field("Offers", "choices", required=True, choices=OFFERINGS, example="musiikki, tanssi"),
        Field("Language", "choice", choices=LANGUAGES, default="suomi", example="suomi"),
        Field("Coordinates", "coordinates", required=True, example="60.170, 24.941"),
        Field("Website", "url"),
        Field("Email", "email"),
        Field("Phone", "phone"),
        Field("Address"),
        *SOURCE_FIELDS,
    )

    @property
    def region_slug(self) -> str:
        return region_slug(self.fields["region"])

    def public_record(self, siteurl: str) -> dict:
        """The fields published in directory.json."""
        record = {
            "name": self.title,
            "slug": self.slug,
            "url": f"{siteurl}/{self.url}",
            "organiser": self.fields["organiser"],
            "city": self.fields["city"],
            "region": self.fields["region"],
            "offers": self.fields["offers"],
            "language": self.fields["language"],
            "coordinates": {"lat": self.fields["coordinates"][0], "lon": self.fields["coordinates"][1]},
        }
        for key in ("website", "email", "phone", "address"):
            if self.fields.get(key):
                record[key] = self.fields[key]
        return record

    def json_ld(self, siteurl: str, association: dict) -> dict:
        data = {
            "@type": "EducationalOrganization",
            "name": self.title,
            "url": f"{siteurl}/{self.url}",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": self.fields["city"],
                "addressRegion": self.fields["region"],
                "addressCountry": "FI",
            },
            "parentOrganization": {"@type": "Organization", "name": self.fields["organiser"]},
            "memberOf": association,
        }
        if self.fields.get("address"):
            data["address"]["streetAddress"] = self.fields["address"]
        if self.fields.get("website"):
            data["sameAs"] = self.fields["website"]
        if self.fields.get("email"):
            data["email"] = self.fields["email"]
        if self.fields.get("phone"):
            data["telephone"] = self.fields["phone"]
        return data


def mentions(article, institution: Institution) -> bool:
    """A post mentions an institution by tag (its name) or in its Institutions field."""
    names = {str(tag).casefold() for tag in getattr(article, "tags", [])}
    listed = {s.strip() for s in str(article.metadata.get("institutions", "")).split(",")}
    return institution.title.casefold() in names or institution.slug in listed

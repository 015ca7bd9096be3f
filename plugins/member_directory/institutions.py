"""Member institutions: the content type and the directory's data."""

from __future__ import annotations

from pelican.utils import slugify

from content_types import Field, TypedContent
from content_types.schema import SOURCE_FIELDS
from languages.names import place_name


def N_(message: str) -> str:
    """Mark a string for the catalogs; it is translated where it is shown."""
    return message


# Finland's regions (maakunnat) as written -> as stored.
REGIONS = {name: name for name in (
    "Ahvenanmaa", "Etelä-Karjala", "Etelä-Pohjanmaa", "Etelä-Savo", "Kainuu", "Kanta-Häme",
    "Keski-Pohjanmaa", "Keski-Suomi", "Kymenlaakso", "Lappi", "Pirkanmaa", "Pohjanmaa",
    "Pohjois-Karjala", "Pohjois-Pohjanmaa", "Pohjois-Savo", "Päijät-Häme", "Satakunta",
    "Uusimaa", "Varsinais-Suomi",
)}
OFFERINGS = {"musiikki": "musiikki", "tanssi": "tanssi"}
OFFERING_NAMES = {"musiikki": N_("music"), "tanssi": N_("dance")}  # msgids: templates translate them
LANGUAGES = {"suomi": "suomi", "ruotsi": "ruotsi"}
# What a point on the map marks: the building (the default), or only the city when no
# source gives the building's place (the map and its texts then say so).
PRECISIONS = {"rakennus": "rakennus", "kaupunki": "kaupunki"}
CITY_LEVEL = "kaupunki"
CITY_POINT = N_("map point: the city, not the building")  # shown with a city-level point


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
        Field("Coordinates-Precision", "choice", choices=PRECISIONS, default="rakennus", example="kaupunki",
              help="rakennus: koordinaatit ovat oppilaitoksen rakennuksen. kaupunki: lähde antaa vain "
                   "kunnan koordinaatit; kartta näyttää pisteen kuntana."),
        Field("Website", "url"),
        Field("Email", "email"),
        Field("Phone", "phone"),
        Field("Address"),
        *SOURCE_FIELDS,
    )

    @property
    def city_level(self) -> bool:
        """The map point is the city's, not the building's."""
        return self.fields["coordinates-precision"] == CITY_LEVEL

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
            "coordinates": {"lat": self.fields["coordinates"][0], "lon": self.fields["coordinates"][1],
                            "precision": self.fields["coordinates-precision"]},
        }
        for key in ("website", "email", "phone", "address"):
            if self.fields.get(key):
                record[key] = self.fields[key]
        return record

    def structured_data(self, siteurl: str, association: dict, lang: str = "fi", url: str = "") -> dict:
        """schema.org data of the page in ``lang`` (at ``url``): places as that language names them."""
        data = {
            "@type": "EducationalOrganization",
            "name": self.title,
            "url": url or f"{siteurl}/{self.url}",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": place_name(self.fields["city"], lang),
                "addressRegion": place_name(self.fields["region"], lang),
                "addressCountry": "FI",
            },
            "parentOrganization": {"@type": "Organization", "name": self.fields["organiser"]},
            "memberOf": association,
        }
        if self.fields.get("address"):
            data["address"]["streetAddress"] = place_name(self.fields["address"], lang)
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

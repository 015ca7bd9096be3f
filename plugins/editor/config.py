"""The web editor's configuration, made from the content schemas.

``editor_config(settings)`` is a pure function of the settings: each
collection's fields come from the same ``Field`` schemas that the build
validates content with (required flags, choices, URL and date rules, help
texts), so the editor cannot offer a value the build refuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from content_rules.rules import PAGE_SCHEMA, post_schema
from content_types import Field
from content_types.schema import EDITOR_PATTERNS
from event_calendar.when import FORMS_HELP, WHEN_PATTERN
from sitecore.site import absolute_url

# Finnish labels of the fields, by the name writers type in the files.
LABELS = {
    "Title": "Otsikko", "Date": "Päivämäärä", "Slug": "Osoite (luodaan otsikosta)",
    "Category": "Kategoria", "Tags": "Aiheet", "Author": "Kirjoittaja", "Summary": "Tiivistelmä",
    "Institutions": "Jäsenoppilaitokset", "Status": "Tila", "body": "Teksti",
    "Uid": "Pysyvä tunniste", "When": "Ajankohta", "Timezone": "Aikavyöhyke",
    "Precision": "Ajankohdan tarkkuus", "Kind": "Laji", "Audience": "Kohderyhmä",
    "Location": "Paikka", "Attendance": "Osallistumistapa", "Online": "Verkkotapahtuman osoite",
    "Registration": "Ilmoittautumisen osoite", "Host": "Järjestävä jäsenoppilaitos",
    "Previous-When": "Alkuperäinen ajankohta", "Id": "Pysyvä tunniste", "Groups": "Ryhmät",
    "Attachments": "Liitteet", "File": "Tiedosto", "Link": "Linkki", "Order": "Järjestys",
    "Organiser": "Koulutuksen järjestäjä", "City": "Kunta", "Region": "Maakunta",
    "Offers": "Koulutusalat", "Language": "Opetuskieli", "Coordinates": "Koordinaatit",
    "Coordinates-Precision": "Koordinaattien tarkkuus",
    "Website": "Verkkosivusto", "Email": "Sähköposti", "Phone": "Puhelin", "Address": "Käyntiosoite",
    "Nav": "Järjestys valikossa", "Footer": "Järjestys alatunnisteessa", "Template": "Sivupohja",
    "Url": "Url", "Save_as": "Save_as", "Source": "Lähde", "Sources": "Lähteet",
}
HINTS = {
    "Slug": "Luodaan otsikosta, kun tallennat ensimmäisen kerran; ei muutu sen jälkeen.",
    "Uid": "Luodaan itsestään. Älä kopioi toiselle tapahtumalle.",
    "Id": "Luodaan itsestään: sivun salattu osoite jäsenalueella.",
    "Summary": "Yksi tai kaksi virkettä: näkyy listauksissa, syötteissä ja hakukoneissa.",
    "Tags": "Erota aiheet pilkulla.",
    "Status": "Julkaistu näkyy sivustolla, kun kirjoitus on julkaistu työnkulussa; "
              "luonnos ei näy listoissa eikä syötteissä.",
    "Date": "Muodossa vuosi-kuukausi-päivä, esimerkiksi 2021-01-05.",
    "Host": "Jäsenoppilaitoksen osoitenimi, esimerkiksi lahden-konservatorio.",
    "Previous-When": "Siirretyn tapahtuman alkuperäinen ajankohta. " + FORMS_HELP,
    "Attachments": "Liitteet salataan jäsenalueelle. Ne tallennetaan kansioon content/members/tiedostot/.",
    "File": "Tallennetaan kansioon content/members/tiedostot/ ja salataan.",
    "Nav": "Pienin numero on ensimmäisenä; tyhjä = ei valikossa.",
}
CHOICE_LABELS = {("Status", "draft"): "luonnos", ("Status", "published"): "julkaistu"}
# What `.venv/bin/python tasks.py new-post`, `new-event`, `new-bulletin` and `new-material` write into a
# new file (tests/test_editor.py compares these with tasks.py), but a post's Status: in the
# editor the workflow is the draft stage, and what it publishes is meant to be seen.
NEW_FILE_VALUES = {
    "posts": {"Author": "Konservatorioliiton toimisto", "Status": "published"},
    "events": {"Status": "suunniteltu", "Audience": "julkinen"},  # event_calendar.events.DEFAULT_STATUS
    "bulletins": {"Groups": ["jasenet"]},
    "materials": {"Groups": ["jasenet"]},
}
# The members' section's folders under MEMBERS_PATHS[0] (plugins/members_area).
MEMBERS_FOLDERS = {"bulletins": "tiedotteet", "materials": "materiaalit"}
MEMBERS_FILES = "tiedostot"
# Attachments are encrypted and downloaded in the browser in one piece.
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
MEMBER_ID_PATTERN = r"^[0-9a-f]{16,64}$"  # members_area.ITEM_ID
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
SLUG_PATTERN = r"^[a-z0-9_-]+(/[a-z0-9_-]+)*$"


@dataclass(frozen=True)
class Collection:
    name: str
    label: str
    singular: str
    folder: str  # relative to the content folder
    schema: tuple[Field, ...]
    create: bool = True
    file_name: str = "{{fields.Slug}}"
    summary: str = "{{fields.Title}}"
    nested: bool = False
    media: str | None = None  # members' files: their own folder, never content/images
    body_images: bool = True
    order: str = "Title"  # the list's first order: a field, "-" first for the newest first
    # A collection of pages in one language (plugins/languages): its code, and whether
    # it is the site's own language (whose files have no Lang line).
    lang: tuple[str, bool] | None = None


def common_fields(content_class, schema: tuple[Field, ...]) -> tuple[Field, ...]:
    """Title, Slug, Date and Summary of our own content types, before their schema."""
    names = {field.name for field in schema}
    fields = [Field("Title", required=True)]
    if "date" in content_class.mandatory_properties:
        fields.append(Field("Date", "date", required=True))
    fields.append(Field("Slug", "slug", required=True))
    fields += list(schema)
    if "Summary" not in names:
        fields.append(Field("Summary"))
    return tuple(fields)


def content_schema(content_class, settings: Mapping, source_path: str) -> tuple[Field, ...]:
    """The schema a content type validates a file at ``source_path`` with.

    Read through the type's own ``get_schema``, on an instance with the real
    settings, so that choices taken from settings (groups) are the same.
    """
    item = content_class("", {"title": "-"}, settings=dict(settings), source_path=source_path)
    return common_fields(content_class, item.get_schema())


def collections(settings: Mapping) -> list[Collection]:
    from channels import Channel
    from event_calendar.events import Event
    from member_directory.institutions import Institution
    from members_area import MemberItem

    members = settings.get("MEMBERS_PATHS", ["members"])[0]
    path = settings["PATH"]
    posts = settings.get("ARTICLE_PATHS", ["posts"])[0]
    events = settings.get("EVENT_PATHS", ["events"])[0]
    directory = settings.get("DIRECTORY_PATHS", ["directory"])[0]
    channels = settings.get("CHANNEL_PATHS", ["channels"])[0]
    bulletins = f"{members}/{MEMBERS_FOLDERS['bulletins']}"
    materials = f"{members}/{MEMBERS_FOLDERS['materials']}"
    return [
        Collection("posts", "Ajankohtaista", "kirjoitus", posts,
                   post_schema(settings.get("ALLOWED_CATEGORIES", ())),
                   file_name="{{fields.Date}}-{{fields.Slug}}",
                   summary="{{fields.Date}} – {{fields.Title}}", order="-Date"),
        Collection("events", "Tapahtumat", "tapahtuma", events,
                   content_schema(Event, settings, f"{path}/{events}/uusi.md"),
                   summary="{{fields.When}} – {{fields.Title}}", order="-When"),
        Collection("bulletins", "Jäsentiedotteet", "jäsentiedote", bulletins,
                   content_schema(MemberItem, settings, f"{path}/{bulletins}/uusi.md"),
                   file_name="{{fields.Date}}-{{fields.Slug}}", summary="{{fields.Date}} – {{fields.Title}}",
                   media=f"{members}/{MEMBERS_FILES}", body_images=False, order="-Date"),
        Collection("materials", "Jäsenmateriaalit", "jäsenmateriaali", materials,
                   content_schema(MemberItem, settings, f"{path}/{materials}/uusi.md"),
                   file_name="{{fields.Date}}-{{fields.Slug}}", summary="{{fields.Date}} – {{fields.Title}}",
                   media=f"{members}/{MEMBERS_FILES}", body_images=False, order="-Date"),
        *page_collections(settings),
        Collection("directory", "Jäsenoppilaitokset", "jäsenoppilaitos", directory,
                   content_schema(Institution, settings, f"{path}/{directory}/uusi.md"), create=False),
        Collection("channels", "Viestintäkanavat", "kanava", channels,
                   content_schema(Channel, settings, f"{path}/{channels}/uusi.md")),
    ]


def page_collections(settings: Mapping) -> list[Collection]:
    """The pages, one collection per language: the site's own language in its
    folders of sections, each translation language in its own subfolder."""
    from languages.settings import languages

    pages = settings.get("PAGE_PATHS", ["pages"])[0]
    site_lang, *others = names = languages(settings)
    in_sections = dict(create=False, summary="{{fields.Slug}} – {{fields.Title}}", order="Slug")
    return [Collection("pages", "Sivut", "sivu", pages, PAGE_SCHEMA, nested=True, lang=(site_lang, True),
                       **in_sections)] + [
        Collection(f"pages-{lang}", f"Sivut – {names[lang].get('name', lang)}", "sivu",
                   f"{pages}/{lang}", PAGE_SCHEMA, lang=(lang, False), **in_sections)
        for lang in others]


def _hint(field: Field) -> str | None:
    if field.help:
        return field.help
    if field.name in HINTS and (field.name != "Status" or "draft" in field.choices):
        return HINTS[field.name]
    return f"Esimerkiksi {field.example}" if field.example and not field.example.startswith("(") else None


def decap_field(field: Field, collection: Collection) -> dict:
    """One field in Decap CMS's terms."""
    spec = {"name": field.name, "label": LABELS[field.name], "required": field.required}
    hint = _hint(field)
    if hint:
        spec["hint"] = hint
    kind = field.kind
    if kind in ("choice", "choices"):
        spec.update(widget="select", options=[
            {"label": CHOICE_LABELS.get((field.name, value), value), "value": value}
            for value in field.choices])
        if kind == "choices":
            spec["multiple"] = True
    elif kind == "int":
        spec.update(widget="number", value_type="int")
    elif kind == "date":
        # Typed as it is written in the file (a browser's date input shows its own locale's form).
        spec.update(widget="kl-date", pattern=[DATE_PATTERN, "Kirjoita päivämäärä muodossa 2021-01-05."])
    elif kind == "slug":
        spec.update(widget="kl-slug", pattern=[SLUG_PATTERN, "Osoitteessa saa olla vain a–z, 0–9 ja -."])
    elif kind == "uuid":
        spec.update(widget="kl-uuid", pattern=list(EDITOR_PATTERNS["uuid"]))
    elif kind == "list":
        spec.update(widget="list")
    elif kind == "fixed":
        spec.update(widget="hidden", keep_empty=True)
    elif kind == "when":
        spec.update(widget="string", pattern=[WHEN_PATTERN, "Ajankohtaa ei voi lukea. " + FORMS_HELP])
    elif kind in EDITOR_PATTERNS:
        spec.update(widget="string", pattern=list(EDITOR_PATTERNS[kind]))
    else:
        spec["widget"] = "string"
    # Fields whose meaning lives in one plugin's code rather than in a kind.
    if collection.media and field.name == "Id":
        spec.update(widget="kl-token", pattern=[MEMBER_ID_PATTERN, HINTS["Id"]])
    if collection.media and field.name in ("Attachments", "File"):
        file_widget = {"widget": "file", "choose_url": False,
                       "media_library": {"config": {"max_file_size": MAX_ATTACHMENT_BYTES}}}
        if field.name == "File":
            spec.update(file_widget)
        else:
            # Decap counts "1 liite", "2 liitteet": editor.js writes the number's partitive.
            spec.update(widget="list", label_singular="Liite", count_label="liitettä",
                        field={"name": "tiedosto", "label": "Liite", **file_widget})
    if collection.media and field.name == "Slug":
        spec["file_name_only"] = True  # the file name, as tasks.py writes it; no Slug line
    value = NEW_FILE_VALUES.get(collection.name, {}).get(field.name)
    if value is not None:
        spec["default"] = value
    return spec


def language_field(lang: str) -> dict:
    """The Lang of the site's own language's pages: their files have none, so the
    editor's format reads it as that language and never writes it."""
    return {"name": "Lang", "label": "Kieli", "widget": "hidden", "required": False, "implied": lang}


def list_order(collection: Collection) -> list:
    """The fields a list can be sorted by, the collection's first order first."""
    first = collection.order.lstrip("-")
    names = [f.name for f in collection.schema if f.name in ("Title", "Date", "When", "Slug")]
    return [{"field": first, "default_sort": "desc" if collection.order.startswith("-") else "asc"}] + [
        name for name in names if name != first]


def decap_collection(collection: Collection, content_folder: str, deletable: bool = True) -> dict:
    folder = str(PurePosixPath(content_folder) / collection.folder)
    body = {"name": "body", "label": LABELS["body"], "widget": "markdown", "required": False,
            "modes": ["rich_text", "raw"]}
    if not collection.body_images:
        body["editor_components"] = []  # images would be published unencrypted
    fields = [decap_field(field, collection) for field in collection.schema]
    if collection.lang and collection.lang[1]:
        fields.insert([f["name"] for f in fields].index("Slug") + 1, language_field(collection.lang[0]))
    spec = {
        "name": collection.name,
        "label": collection.label,
        "label_singular": collection.singular,
        "folder": folder,
        "extension": "md",
        "format": f"pelican-{collection.name}",
        "identifier_field": "Title",
        "create": collection.create,
        # A mistake can be deleted; the build stops at a link to what is gone. On GitHub,
        # Decap's own deletion commits straight to the (protected) branch: there the
        # editor's "Poista sivustolta" (editor/src/delete-entry.js) opens a pull request.
        "delete": deletable,
        "slug": collection.file_name,
        "summary": collection.summary,
        "sortable_fields": list_order(collection),
        "fields": fields + [body],
    }
    if collection.nested:
        # The folders of sections (liitto/hallinto.md), each named by its folder: the
        # section's own page is beside its folder (liitto.md), not in it.
        spec["nested"] = {"depth": 5, "subfolders": False}
    if collection.lang:
        # Translations are in the language's subfolder (plugins/languages): the site's
        # language's collection shows only its own pages.
        spec["filter"] = {"field": "Lang", "value": collection.lang[0]}
        spec["view_groups"] = [{"label": "Osio", "field": "Slug", "pattern": "^[a-z0-9_-]+"}]
    if collection.media:
        spec["media_folder"] = "/" + str(PurePosixPath(content_folder) / collection.media)
        spec["public_folder"] = MEMBERS_FILES
    return spec


def editor_config(settings: Mapping, backend: Mapping, max_image_bytes: int) -> dict:
    """Decap CMS's configuration (``CMS.init({config})``) for these settings."""
    content = settings["EDITOR_CONTENT_FOLDER"]
    images = settings.get("IMAGE_SOURCE_DIR", "images")
    return {
        "load_config_file": False,
        "locale": "fi",
        # Drafts, review and publishing: each draft is a pull request on GitHub (a
        # branch of its own with decap-server's git mode); Julkaise merges it.
        "publish_mode": "editorial_workflow",
        "backend": dict(backend),
        "local_backend": {"url": settings["EDITOR_LOCAL_PROXY"]},
        "site_name": settings["SITENAME"],  # editor.js: the sign-in screen's heading
        "site_url": absolute_url(settings),
        "display_url": absolute_url(settings),
        "media_folder": str(PurePosixPath(content) / images),
        "public_folder": "{static}/" + images,
        "image_max_bytes": max_image_bytes,  # editor.js: the image button's upload limit
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [decap_collection(c, content, deletable=backend["name"] != "github")
                        for c in collections(settings)],
    }

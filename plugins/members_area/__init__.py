"""Members' section: bulletins and materials, encrypted at build time.

The encryption format and the threats each choice answers are described in
crypto.py; the password policy in passwords.py; the HTML allow-list in
sanitize.py. Files in content/members/ never enter Pelican's article, page or static
pipelines: this generator reads them, renders them, encrypts everything
(text, titles, the index, attachments) with the groups' keys and writes only
ciphertext and generic page shells. Internal channels and members-only
events of the other generators are added to the encrypted index.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import os
import re
import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from markupsafe import Markup
from pelican import signals

from babel_i18n.catalogs import theme_translations
from content_types import Field, TypedContent, TypedContentGenerator
from event_calendar.when import format_when
from languages import add_translations, language_versions
from sitecore import Problem, report
from sitecore.site import absolute_url, language, section_url, site_today

from . import crypto
from .passwords import production_passwords, production_salt_key, site_names
from .sanitize import clean, refused_html

logger = logging.getLogger(__name__)


def pgettext(context: str, message: str) -> str:
    """Mark a string for the catalogs; the template translates it."""
    return message


# MEMBER_GROUPS' names (pelicanconf.py) for the catalogs (tasks.py translations extracts
# them here): the login form names each group in the page's language. A test checks
# that these are MEMBER_GROUPS' names.
GROUP_NAMES = (pgettext("members' group", "Jäsenoppilaitokset"), pgettext("members' group", "Hallitus"),
               pgettext("members' group", "Kollegio"), pgettext("members' group", "Talouspäälliköt"),
               pgettext("members' group", "Opiskelijahallinto"))
ITEM_ID = re.compile(r"[0-9a-f]{16,64}")
MIME = {".pdf": "application/pdf",
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".doc": "application/msword", ".xls": "application/vnd.ms-excel",
        ".ppt": "application/vnd.ms-powerpoint", ".odt": "application/vnd.oasis.opendocument.text",
        ".txt": "text/plain", ".csv": "text/csv", ".zip": "application/zip"}


class MemberItem(TypedContent):
    """A bulletin (content/members/tiedotteet/) or a material (…/materiaalit/)."""

    default_template = "members"
    mandatory_properties = ("title", "date")
    members_only = True  # never public (sitecore.site.is_public), its own generator included

    @property
    def item_kind(self) -> str:
        return "materiaali" if "/materiaalit/" in self.source_path.replace(os.sep, "/") else "tiedote"

    def get_schema(self):
        groups = {group: group for group in self.settings.get("MEMBER_GROUPS", {})}
        schema = [
            Field("Id", required=True, example="(.venv/bin/python tasks.py new-bulletin luo tunnisteen)"),
            Field("Groups", "choices", required=True, choices=groups, example="jasenet"),
            Field("Attachments", example="tiedostot/liite.pdf"),
        ]
        if self.item_kind == "materiaali":
            schema.append(Field("File", required=True, example="tiedostot/aineisto.pdf"))
        return tuple(schema)

    def extra_problems(self) -> list[Problem]:
        problems = []
        if self.fields["id"] and not ITEM_ID.fullmatch(self.fields["id"]):
            problems.append(Problem(self.source_path, "Id",
                                    f"\"{self.fields['id']}\" ei ole kelvollinen tunniste.",
                                    "Luo tiedosto komennolla .venv/bin/python tasks.py new-bulletin tai new-material; "
                                    "tunniste on 32 merkkiä 0–9 ja a–f."))
        self.files = []
        names = [n.strip() for n in (self.fields.get("attachments") or "").split(",") if n.strip()]
        if self.fields.get("file"):
            names.insert(0, self.fields["file"])
        root = Path(self.settings["PATH"]) / self.settings.get("MEMBERS_PATHS", ["members"])[0]
        for name in names:
            path = (root / name).resolve()
            field = "File" if name == self.fields.get("file") else "Attachments"
            if not path.is_file() or root.resolve() not in path.parents:
                problems.append(Problem(self.source_path, field, f"tiedostoa \"{name}\" ei löydy.",
                                        "Tallenna tiedosto kansioon content/members/tiedostot/ ja "
                                        "kirjoita esim. tiedostot/aineisto.pdf."))
            else:
                self.files.append(path)
        return problems


def human_size(size: int, locale: str) -> str:
    if size < 1024 * 1024:
        return f"{format_decimal(max(1, round(size / 1024)), locale=locale)} kt"
    return f"{format_decimal(round(size / 1024 / 1024, 1), locale=locale)} Mt"


class MembersGenerator(TypedContentGenerator):
    content_class = MemberItem
    paths_setting = "MEMBERS_PATHS"
    context_name = "members_section"
    item_name = "item"
    unique_fields = ("id",)
    registers_sources = False  # nothing may link to members' files through {filename}

    def __init__(self, *args, **kwargs):
        self.internal: dict[str, list] = {}  # "channels"/"events" -> their members-only items
        super().__init__(*args, **kwargs)
        self._start_keyring()

    def order(self, items):
        return sorted(items, key=lambda i: (i.date, i.fields["id"]), reverse=True)

    def _start_keyring(self):
        """Check the passwords and start deriving the keys, before any content is read.

        The derivations take a while and let go of the GIL: started here, they
        run beside Pelican's reading of every file instead of after it.
        """
        settings = self.settings
        groups = list(settings.get("MEMBER_GROUPS", {}))
        dev = settings.get("MEMBERS_DEV_PASSWORDS", {})
        development = settings.get("MEMBERS_PASSWORDS") == "development"
        salt_key = crypto.DEV_SALT_KEY
        if development:
            self.passwords = {group: [dev[group]] for group in groups if group in dev}
            for group in (g for g in groups if g not in dev):
                report(logger, Problem("pelicanconf.py", "MEMBERS_DEV_PASSWORDS",
                                       f"ryhmältä \"{group}\" puuttuu kehityssalasana.",
                                       "Lisää ryhmä MEMBERS_DEV_PASSWORDS-asetukseen."))
        else:
            self.passwords, problems = production_passwords(
                groups, os.environ, dev, settings.get("MEMBERS_SHARED_PASSWORDS", ()), site_names(settings))
            salt_key, salt_problems = production_salt_key(os.environ)
            salt_key = salt_key or os.urandom(32)  # the build stops on its problem
            for problem in problems + salt_problems:
                report(logger, problem)
        kdf, rotation_days = checked_settings(settings)
        if kdf is None:
            return
        background = ThreadPoolExecutor(max_workers=1)
        self._keyring = background.submit(crypto.make_keyring, self.passwords,
                                          absolute_url(settings), site_today(settings, "MEMBERS_TODAY"),
                                          rotation_days, kdf, salt_key=salt_key,
                                          zone=settings["TIMEZONE"])
        background.shutdown(wait=False)

    def finalize_context(self):
        self.context["members_url"] = section_url(self.settings, "members")
        add_translations(language_versions(self.settings, self.context["members_url"]))

    # --- output -------------------------------------------------------------------

    def write_indexes(self, writer):
        settings = self.settings
        base = section_url(settings, "members")
        locale = language(settings)
        keyring = self._keyring.result()
        self.write_data(f"{base}avaimet.json", json.dumps(keyring.public, indent=1))
        template = self.get_template("members")
        entries = []
        for item in self.items:
            payload = self._payload(item, base, locale)
            url = f"{base}{item.fields['id']}/"
            envelopes = [crypto.seal_json(keyring.keys[group], payload, crypto.page_aad(url, group))
                         for group in item.fields["groups"] if group in keyring.keys]
            self.write_data(f"{url}sisalto.json", json.dumps({"v": crypto.VERSION,
                                                              "envelopes": shuffled(envelopes)}))
            writer.write_file(f"{url}index.html", template, self.context,
                              relative_urls=settings["RELATIVE_URLS"], url=url, members_item_url=url)
            entries.append({key: payload[key] for key in
                            ("id", "kind", "title", "date", "date_text", "summary", "groups", "tags")}
                           | {"url": url, "text": payload["text"][:4000],
                              "files": [{k: f[k] for k in ("name", "type", "size_text")}
                                        for f in payload["attachments"]]})
        translations = theme_translations(settings, locale)

        today = site_today(settings, "EVENTS_TODAY")  # the calendar's today

        def when_text(when):  # a past event's unknown day is not "to be confirmed"
            return format_when(when, locale, translations.gettext, past=when.last < today)

        index = []
        for group in sorted(keyring.keys):
            data = {
                "items": [e for e in entries if group in e["groups"]],
                "channels": [self._channel(c) for c in self.internal.get("channels", [])
                             if group in c.fields["audience"]],
                "events": [self._event(e, when_text) for e in self.internal.get("events", [])
                           if group in e.fields["audience"]],
            }
            index.append(crypto.seal_json(keyring.keys[group], data, crypto.index_aad(group)))
        self.write_data(f"{base}hakemisto.json", json.dumps({"v": crypto.VERSION,
                                                             "envelopes": shuffled(index)}))
        writer.write_file(f"{base}index.html", template, self.context,
                          relative_urls=settings["RELATIVE_URLS"], url=base, members_item_url=None)
        # The login page in Swedish and English: the same encrypted files, no copies.
        for lang, url in language_versions(settings, base).items():
            if lang != language(settings):
                writer.write_file(f"{url}index.html", template, self.context,
                                  relative_urls=settings["RELATIVE_URLS"], url=url, lang=lang,
                                  members_item_url=None)

    def _payload(self, item, base, locale) -> dict:
        html = item.content
        if refused := refused_html(html):
            report(logger, Problem(
                item.source_path, "teksti",
                "jäsenalueen tekstissä on HTML:ää, jota ei sallita: " + ", ".join(refused[:5]) + ".",
                "Poista HTML-koodi ja käytä Markdown-muotoilua (otsikot, luettelot, linkit, "
                "taulukot). Kuvat ja tiedostot lisätään Attachments-kenttään liitteiksi."))
        html = clean(html)
        text = Markup(html).striptags()
        summary = Markup(str(item.metadata.get("summary") or "")).striptags()
        attachments = [self._encrypt_file(path, base, locale) for path in item.files]
        return {
            "v": crypto.VERSION,
            "id": item.fields["id"],
            "kind": item.item_kind,
            "title": item.title,
            "date": item.date.date().isoformat(),
            "date_text": format_date(item.date, "long", locale=locale),
            "summary": summary,
            "html": html,
            "text": text,
            "groups": item.fields["groups"],
            "tags": [str(tag) for tag in getattr(item, "tags", [])],
            "attachments": attachments,
        }

    def _encrypt_file(self, path: Path, base: str, locale: str) -> dict:
        """Each file gets its own key and an opaque name; its real name, type and size
        exist only inside the encrypted page, and its ciphertext is padded to a bucket."""
        data = path.read_bytes()
        file_id = os.urandom(16).hex()
        key = AESGCM.generate_key(bit_length=256)
        self.write_data(f"{base}tiedostot/{file_id}.bin",
                        crypto.seal_file(key, data, crypto.file_aad(file_id)))
        suffix = path.suffix.lower()
        return {"id": file_id, "url": f"{base}tiedostot/{file_id}.bin", "key": crypto.b64(key),
                "size": len(data),
                "name": path.name, "type": MIME.get(suffix) or mimetypes.guess_type(path.name)[0]
                or "application/octet-stream", "size_text": human_size(len(data), locale)}

    @staticmethod
    def _channel(channel) -> dict:
        return {"title": channel.title, "kind": channel.fields["kind"],
                "link": channel.fields["link"],
                "summary": Markup(str(channel.metadata.get("summary") or "")).striptags()}

    @staticmethod
    def _event(event, when_text) -> dict:
        return {"title": event.title, "first": event.when.first.isoformat(),
                "when": when_text(event.when), "location": event.fields["location"] or "",
                "summary": event.plain_summary}


def shuffled(envelopes: list) -> list:
    """Envelopes in random order: their position must not tell which group they are for."""
    return secrets.SystemRandom().sample(envelopes, len(envelopes))


def checked_settings(settings) -> tuple[dict | None, int]:
    """MEMBERS_KDF and MEMBERS_ROTATION_DAYS, checked; (None, …) after reporting a problem."""
    kdf = {**crypto.DEFAULT_KDF, **(settings.get("MEMBERS_KDF") or {})}
    rotation_days = settings.get("MEMBERS_ROTATION_DAYS", crypto.MAX_ROTATION_DAYS)
    ok = True
    if problem := crypto.kdf_problem(kdf):
        report(logger, Problem("pelicanconf.py", "MEMBERS_KDF",
                               f"Argon2id-asetus ei kelpaa ({problem}).",
                               "Käytä vähintään OWASPin minimiä: memory 19456 (KiB), iterations 2, "
                               "parallelism 1."))
        ok = False
    if not isinstance(rotation_days, int) or not 1 <= rotation_days <= crypto.MAX_ROTATION_DAYS:
        report(logger, Problem("pelicanconf.py", "MEMBERS_ROTATION_DAYS",
                               f"kierron pituus {rotation_days!r} ei kelpaa.",
                               f"Käytä kokonaislukua 1–{crypto.MAX_ROTATION_DAYS} (päiviä): jakso on "
                               "muistetun kirjautumisen pisin ikä."))
        ok = False
    return (kdf if ok else None), rotation_days


def collect_internal(generators):
    """Give the members' generator the members-only items of the other content types."""
    for members in (g for g in generators if isinstance(g, MembersGenerator)):
        for generator in generators:
            internal = getattr(generator, "internal", None)
            if generator is not members and isinstance(internal, list):
                members.internal[generator.context_name] = internal


def add_generator(pelican):
    return MembersGenerator


def register():
    signals.get_generators.connect(add_generator)
    signals.all_generators_finalized.connect(collect_internal)

"""Members' section: bulletins and materials, encrypted at build time.

Files in content/members/ never enter Pelican's article, page or static
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from markupsafe import Markup
from pelican import signals

from babel_i18n.catalogs import load_translations
from content_types import Field, TypedContent, TypedContentGenerator
from event_calendar.when import format_when
from strict_build import Problem, notice, report

from . import crypto
from .passwords import production_passwords

logger = logging.getLogger(__name__)
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
    members_only = True  # other plugins must not publish anything of it

    @property
    def item_kind(self) -> str:
        return "materiaali" if "/materiaalit/" in self.source_path.replace(os.sep, "/") else "tiedote"

    def get_schema(self):
        groups = {group: group for group in self.settings.get("MEMBER_GROUPS", {})}
        schema = [
            Field("Id", required=True, example="(invoke new-bulletin luo tunnisteen)"),
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
                                    "Luo tiedosto komennolla invoke new-bulletin tai invoke new-material; "
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

    def order(self, items):
        return sorted(items, key=lambda i: (i.date, i.fields["id"]), reverse=True)

    def public(self, items):
        return []  # the section's items are never public

    def finalize_context(self):
        settings = self.settings
        groups = list(settings.get("MEMBER_GROUPS", {}))
        dev = settings.get("MEMBERS_DEV_PASSWORDS", {})
        if settings.get("MEMBERS_PASSWORDS") == "development":
            self.passwords = {group: [dev[group]] for group in groups if group in dev}
            missing = [g for g in groups if g not in dev]
            for group in missing:
                report(logger, Problem("pelicanconf.py", "MEMBERS_DEV_PASSWORDS",
                                       f"ryhmältä \"{group}\" puuttuu kehityssalasana.",
                                       "Lisää ryhmä MEMBERS_DEV_PASSWORDS-asetukseen."))
        else:
            self.passwords, problems, warnings = production_passwords(groups, os.environ, dev)
            for problem in problems:
                report(logger, problem)
            for text in warnings:
                notice(text)
        iterations = settings.get("MEMBERS_KDF_ITERATIONS", crypto.MIN_ITERATIONS)
        if iterations < crypto.MIN_ITERATIONS:
            report(logger, Problem("pelicanconf.py", "MEMBERS_KDF_ITERATIONS",
                                   f"{iterations} kierrosta on liian vähän.",
                                   f"Käytä vähintään {crypto.MIN_ITERATIONS} kierrosta."))
        base = settings["MEMBERS_URL"]
        self.context["members_url"] = base
        # The key derivations take a while and let go of the GIL: start them now,
        # while the other generators write their pages.
        background = ThreadPoolExecutor(max_workers=1)
        self._keyring = background.submit(crypto.make_keyring, self.passwords, self._salt(), iterations)
        background.shutdown(wait=False)

    # --- output -------------------------------------------------------------------

    def write_indexes(self, writer):
        settings = self.settings
        base = settings["MEMBERS_URL"]
        locale = settings.get("DEFAULT_LANG", "fi")
        keyring = self._keyring.result()
        self.write_data(f"{base}avaimet.json", json.dumps(keyring.public, indent=1))
        template = self.get_template("members")
        entries = []
        for item in self.items:
            payload = self._payload(item, base, locale)
            url = f"{base}{item.fields['id']}/"
            envelopes = {group: crypto.seal_json(keyring.keys[group], payload, crypto.page_aad(url, group))
                         for group in item.fields["groups"] if group in keyring.keys}
            self.write_data(f"{url}sisalto.json", json.dumps({"v": crypto.VERSION, "envelopes": envelopes}))
            writer.write_file(f"{url}index.html", template, self.context,
                              relative_urls=settings["RELATIVE_URLS"], url=url, members_item_url=url)
            entries.append({key: payload[key] for key in
                            ("id", "kind", "title", "date", "date_text", "summary", "groups", "tags")}
                           | {"url": url, "text": payload["text"][:4000],
                              "files": [{k: f[k] for k in ("name", "type", "size_text")}
                                        for f in payload["attachments"]]})
        translations = load_translations(os.path.join(settings["THEME"], "translations"), locale)

        def when_text(when):
            return format_when(when, locale, translations.gettext)

        index = {}
        for group in sorted(keyring.keys):
            data = {
                "items": [e for e in entries if group in e["groups"]],
                "channels": [self._channel(c) for c in self.internal.get("channels", [])
                             if c.fields["audience"] == group],
                "events": [self._event(e, when_text) for e in self.internal.get("events", [])
                           if e.fields["audience"] == group],
            }
            index[group] = crypto.seal_json(keyring.keys[group], data, crypto.index_aad(group))
        self.write_data(f"{base}hakemisto.json", json.dumps({"v": crypto.VERSION, "envelopes": index}))
        writer.write_file(f"{base}index.html", template, self.context,
                          relative_urls=settings["RELATIVE_URLS"], url=base, members_item_url=None)

    def _salt(self) -> bytes:
        """The keyring's salt: random, made once and kept, so remembered logins survive new builds."""
        path = Path(self.settings["PATH"]) / self.settings["MEMBERS_SALT_FILE"]
        if path.is_file():
            return crypto.unb64(json.loads(path.read_text(encoding="utf-8"))["salt"])
        salt = os.urandom(16)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"salt": crypto.b64(salt)}) + "\n", encoding="utf-8")
        return salt

    def _payload(self, item, base, locale) -> dict:
        html = item.content
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
        exist only inside the encrypted page."""
        data = path.read_bytes()
        file_id = os.urandom(16).hex()
        key = AESGCM.generate_key(bit_length=256)
        self.write_data(f"{base}tiedostot/{file_id}.bin",
                        crypto.seal_bytes(key, data, crypto.file_aad(file_id)))
        suffix = path.suffix.lower()
        return {"id": file_id, "url": f"{base}tiedostot/{file_id}.bin", "key": crypto.b64(key),
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

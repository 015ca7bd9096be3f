"""Communication channels: one Markdown file per channel in content/channels/.

Public channels go to ``context["channels"]`` (the footer and the Viestintä
page list them). Channels for a members' group are internal: they are kept
on the generator for the members' section and never reach public output.
"""

from __future__ import annotations

import logging

from pelican import signals

from content_types import Field, TypedContent, TypedContentGenerator
from content_types.schema import Invalid, https_url
from sitecore import Problem, report
from sitecore.site import audience, is_public

logger = logging.getLogger(__name__)

# The services as their owners name them now: X was Twitter until 2023.
KINDS = {kind: kind for kind in (
    "verkkosivusto", "facebook", "instagram", "x", "linkedin", "uutiskirje",
    "facebook-ryhmä", "whatsapp", "sähköpostilista",
)}
PUBLIC_AUDIENCES = {"julkinen": "julkinen", "henkilökunta": "henkilökunta"}


class Channel(TypedContent):
    default_template = "channel"

    def get_schema(self):
        groups = {group: group for group in self.settings.get("MEMBER_GROUPS", {})}
        return (
            Field("Kind", "choice", required=True, choices=KINDS, example="facebook"),
            Field("Link", "url", example="https://www.facebook.com/konservatorioliitto"),
            Field("Audience", "choice", required=True, choices={**PUBLIC_AUDIENCES, **groups},
                  example="julkinen", parse=lambda raw: audience(raw, groups, PUBLIC_AUDIENCES)),
            Field("Order", "int", default=100, example="1"),
        )

    @property
    def internal(self) -> bool:
        return not is_public(self)


class ChannelsGenerator(TypedContentGenerator):
    content_class = Channel
    paths_setting = "CHANNEL_PATHS"
    context_name = "channels"
    item_name = "channel"

    def order(self, items):
        return sorted(items, key=lambda item: (item.fields["order"], item.title))

    def finalize_context(self):
        self.internal = [item for item in self.items if item.internal]
        self.context["footer_channels"] = [
            c for c in self.public(self.items)
            if c.fields["link"] and c.fields["kind"] != "verkkosivusto" and c.fields["audience"] == ("julkinen",)
        ]
        self._check_newsletter_url()

    def _check_newsletter_url(self):
        url = self.settings.get("NEWSLETTER_SIGNUP_URL")
        if not url:
            return
        try:
            https_url(url)
        except Invalid as error:
            report(logger, Problem("pelicanconf.py", "NEWSLETTER_SIGNUP_URL", error.message,
                                   "Kopioi Mailchimpin tilauslomakkeen action-osoite sellaisenaan."))


def add_generator(pelican):
    return ChannelsGenerator


def register():
    signals.get_generators.connect(add_generator)

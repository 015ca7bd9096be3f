"""The members' gate, hardened (issue 26): who an item is for, the password
policy, the secrets file's messages, and the salts."""

from __future__ import annotations

import json

import pytest

import pelicanconf
from conftest import TEST_PASSWORDS, post
from test_members import HALLITUS, members_build, opened_keys, problem_texts

from members_area import crypto
from sitecore import ContentError
from sitecore.site import audience, is_public

GROUPS = pelicanconf.MEMBER_GROUPS
POST_SETTINGS = {key: getattr(pelicanconf, key) for key in (
    "ALLOWED_CATEGORIES", "DEFAULT_CATEGORY", "USE_FOLDER_AS_CATEGORY", "FILENAME_METADATA", "MEMBER_GROUPS")}
EVENT_SETTINGS = {key: getattr(pelicanconf, key) for key in (
    "EVENT_PATHS", "EVENTS_URL", "EVENT_URL", "EVENT_SAVE_AS")}


# --- Audience: one reading for every content type ------------------------------------

def test_audience_is_read_alike_everywhere():
    assert audience("Hallitus", GROUPS) == ("hallitus",)
    assert audience(" hallitus,  KOLLEGIO ", GROUPS) == ("hallitus", "kollegio")
    assert audience("Julkinen", GROUPS) == ("julkinen",)
    for raw, wrong in (("kaikki", "tuntematon arvo \"kaikki\""), ("hallitus, johtokunta", "\"johtokunta\""),
                       ("julkinen, hallitus", "eivät sovi yhteen"), (" , ", "puuttuu")):
        with pytest.raises(ContentError) as error:
            audience(raw, GROUPS)
        assert error.value.field == "Audience" and wrong in error.value.message and error.value.fix
    settings = {"MEMBER_GROUPS": GROUPS}
    for raw in ("Hallitus", "jasenet, hallitus", "JULKINEN, kollegio"):
        assert not is_public(type("Post", (), {"metadata": {"audience": raw}})(), settings), raw


@pytest.mark.plugin
def test_a_post_for_a_group_is_refused_however_it_is_written(tiny_site):
    """Was: only the exact "hallitus" was refused; "Hallitus" and lists were published."""
    tiny_site.write("posts/a.md", post(title="A", audience="Hallitus"))
    tiny_site.write("posts/b.md", post(title="B", audience="hallitus, kollegio"))
    tiny_site.write("posts/c.md", post(title="C", audience="kaikki"))
    tiny_site.write("posts/d.md", post(title="D", audience="Julkinen"))
    result = tiny_site.build("content_rules", **POST_SETTINGS)
    found = sorted((p.relative_source(str(tiny_site.content)), p.field, p.message) for p in result.problems)
    assert [(source, field) for source, field, _ in found] == [
        ("posts/a.md", "Audience"), ("posts/b.md", "Audience"), ("posts/c.md", "Audience")]
    assert "ryhmälle \"hallitus\"" in found[0][2] and "ryhmälle \"hallitus, kollegio\"" in found[1][2]
    assert "tuntematon arvo \"kaikki\"" in found[2][2]
    assert all(p.fix for p in result.problems) and not tiny_site.output.exists()


def event_text(title, audience_value):
    return (f"Title: {title}\nUid: 0b5cf1d4-3e2f-4c3c-9d53-2f1d1b0c7e1{len(title) % 10}\nWhen: 2021-04-20\n"
            f"Kind: kokous\nAudience: {audience_value}\nSummary: Kokous.\n\nTeksti.\n")


@pytest.mark.plugin
def test_an_event_for_two_groups_reaches_both_and_nothing_public(tiny_site, monkeypatch):
    tiny_site.write("events/a.md", event_text("Yhteiskokous", "Hallitus, kollegio"))
    result = members_build(tiny_site, monkeypatch, plugins=["event_calendar"], **EVENT_SETTINGS,
                           EVENTS_TODAY="2021-02-10",
                           THEME=tiny_site.theme("members", "event", "events", "events_subscribe",
                                                 "events_kind", "events_year", "events_months",
                                                 "events_month"))
    assert result.ok, [p.text() for p in result.problems]
    files = [p for p in tiny_site.output.rglob("*") if p.is_file()]
    assert not any(b"Yhteiskokous" in p.read_bytes() for p in files)
    keys = opened_keys(tiny_site, ("hallitus", HALLITUS), ("kollegio", TEST_PASSWORDS["kollegio"]))
    index = json.loads((tiny_site.output / "jasenalue" / "hakemisto.json").read_text())["envelopes"]
    for group, key in keys.items():
        data = json.loads(crypto.open_envelope(key, index, crypto.index_aad(group)))
        assert [e["title"] for e in data["events"]] == ["Yhteiskokous"], group


@pytest.mark.plugin
def test_an_event_for_the_public_and_a_group_is_refused(tiny_site, monkeypatch):
    tiny_site.write("events/a.md", event_text("Sekava", "julkinen, hallitus"))
    result = members_build(tiny_site, monkeypatch, plugins=["event_calendar"], **EVENT_SETTINGS,
                           EVENTS_TODAY="2021-02-10")
    text = problem_texts(result, tiny_site)
    assert "kenttä:   Audience" in text and "eivät sovi yhteen" in text

"""The small pure functions behind the plugins and tasks."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from types import SimpleNamespace

import pytest

from babel_i18n.dates import date_long, date_short, month_name, month_year
from content_rules.dates import parse_post_date
from site_nav.tree import build_tree
from sitecore import ContentError
from strict_build.links import resolve
from conftest import ROOT


@pytest.mark.parametrize("text, expected", [
    ("2021-03-29", dt.datetime(2021, 3, 29)),
    ("2021-3-9", dt.datetime(2021, 3, 9)),
    ("2021-03-29 13:00", dt.datetime(2021, 3, 29, 13, 0)),
    ("2021-03-29 13.05", dt.datetime(2021, 3, 29, 13, 5)),
    ("2021-03-29T13:00:30", dt.datetime(2021, 3, 29, 13, 0, 30)),
])
def test_post_dates_in_iso_form_are_accepted(text, expected):
    assert parse_post_date(text) == expected


@pytest.mark.parametrize("text", ["1.3.2021", "2021-03", "maaliskuu 2021", "29/03/2021", "", "2021-13-01",
                                  "2021-02-29", "2021-03-29 25:00"])
def test_ambiguous_or_impossible_dates_are_refused(text):
    with pytest.raises(ContentError) as error:
        parse_post_date(text)
    assert error.value.field == "Date"
    assert "2021-03-29" in error.value.fix


def test_finnish_dates_need_no_os_locale():
    day = dt.date(2026, 11, 27)
    assert date_long(day, "fi") == "27. marraskuuta 2026"
    assert date_short(day, "fi") == "27.11.2026"
    assert month_year(day, "fi") == "marraskuu 2026"
    assert month_name(3, "fi") == "maaliskuu"


def test_remembered_dates_are_each_moments_own_day():
    """Dates are formatted once and remembered; two equal aware moments in
    different zones still get their own day, as Babel gives them."""
    from zoneinfo import ZoneInfo

    utc = dt.datetime(2021, 3, 1, 23, 30, tzinfo=dt.timezone.utc)
    helsinki = utc.astimezone(ZoneInfo("Europe/Helsinki"))
    assert utc == helsinki
    assert date_long(utc, "fi") == "1. maaliskuuta 2021"
    assert date_long(helsinki, "fi") == "2. maaliskuuta 2021"
    assert date_long(dt.date(2021, 3, 2), "sv") == "2 mars 2021", "the locale is part of what is remembered"


def page(slug, title, **metadata):
    return SimpleNamespace(slug=slug, title=title, url=f"{slug}/", source_path=f"{slug}.md",
                           metadata={k.lower(): v for k, v in metadata.items()})


def test_navigation_tree_from_front_matter():
    tree, problems = build_tree([
        page("liitto/hallinto", "Hallinto", nav="2"),
        page("liitto", "Liitto", nav="1", summary="Liitosta"),
        page("liitto/strategia", "Strategiatyö", nav="1"),
        page("liitto/muu", "Aakkosissa ensin"),
        page("ajankohtaista", "Ajankohtaista", nav="3"),
        page("tietosuojaseloste", "Tietosuojaseloste", footer="2"),
        page("saavutettavuusseloste", "Saavutettavuusseloste", footer="1"),
    ])
    assert problems == []
    assert [n.title for n in tree.main] == ["Liitto", "Ajankohtaista"]
    assert [n.title for n in tree.get("liitto").children] == ["Strategiatyö", "Hallinto", "Aakkosissa ensin"]
    assert [n.slug for n in tree.trail("liitto/hallinto")] == ["liitto"]
    assert tree.section_of("liitto/hallinto").slug == "liitto"
    assert [n.slug for n in tree.footer] == ["saavutettavuusseloste", "tietosuojaseloste"]


def test_navigation_problems_name_the_page():
    _tree, problems = build_tree([
        page("orpo/lapsi", "Lapsi"),
        page("a", "A", nav="kolme"),
        page("b", "B"),
        page("b", "B toinen"),
    ])
    assert {(p.source, p.field) for p in problems} == {
        ("orpo/lapsi.md", "Slug"), ("a.md", "Nav"), ("b.md", "Slug")}


@pytest.mark.parametrize("url, page, expected", [
    ("https://konservatorioliitto.fi/liitto/", "index.html", ("liitto/index.html", "")),
    ("/liitto/#hallitus", "x/index.html", ("liitto/index.html", "hallitus")),
    ("../kuva.png", "a/b/index.html", ("a/kuva.png", "")),
    ("#sisalto", "a/index.html", ("a/index.html", "sisalto")),
    ("https://www.facebook.com/konservatorioliitto", "index.html", None),
    ("mailto:x@example.org", "index.html", None),
])
def test_output_link_resolution(url, page, expected):
    assert resolve(url, page, "https://konservatorioliitto.fi") == expected


def test_new_post_has_all_front_matter_and_a_finnish_slug():
    import tasks

    name, text = tasks.new_post_text("Äänitteet, öljyvärit & Åbo!", dt.date(2026, 11, 27),
                                     "Hankkeet", "Konservatorioliiton toimisto")
    assert name == "2026-11-27-aanitteet-oljyvarit-abo.md"
    fields = dict(line.split(": ", 1) for line in text.split("\n\n")[0].splitlines() if ": " in line)
    assert fields["Date"] == "2026-11-27"
    assert fields["Slug"] == "aanitteet-oljyvarit-abo"
    assert fields["Status"] == "draft"
    assert fields["Category"] == "Hankkeet"
    assert {"Title", "Author", "Summary"} <= set(fields)


def test_new_post_task_writes_a_draft_that_builds(fixture_site):
    folder = fixture_site.content / "posts"
    invoke = [sys.executable, "tasks.py", "new-post", "Kevään jäsenkysely", "--folder", str(folder)]
    done = subprocess.run(invoke, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    [created] = folder.glob("*-kevaan-jasenkysely.md")
    assert created.name.startswith(dt.date.today().isoformat())
    again = subprocess.run(invoke, cwd=ROOT, capture_output=True, text=True)
    assert again.returncode != 0 and "on jo olemassa" in again.stderr
    build = fixture_site.build("pelicanconf.py", CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False)
    assert build.returncode == 0, build.stderr
    assert build.exists("luonnokset/kevaan-jasenkysely/")
    published = created.read_text(encoding="utf-8").replace("Status: draft", "Status: published")
    created.write_text(published, encoding="utf-8")
    build = fixture_site.build()
    assert build.returncode == 1
    assert "Summary" in build.stderr and "tiivistelmä" in build.stderr


def test_finnish_sort_key_puts_a_ring_and_umlauts_after_z():
    from member_directory.sorting import finnish_sort_key

    words = ["öljy", "Åland", "ähky", "zeta", "aamu", "Ümit", "émile", "välkky", "wanha"]
    assert sorted(words, key=finnish_sort_key) == [
        "aamu", "émile", "välkky", "wanha", "Ümit", "zeta", "Åland", "ähky", "öljy"]


def test_schema_validation_types_values_and_names_problems():
    from content_types import Field, validate

    schema = (Field("Region", "choice", required=True, choices={"Uusimaa": "Uusimaa"}),
              Field("Offers", "choices", choices={"musiikki": "musiikki", "tanssi": "tanssi"}),
              Field("Order", "int", default=100), Field("Coordinates", "coordinates"))
    values, problems = validate({"region": "uusimaa", "offers": "Tanssi, musiikki",
                                 "coordinates": "60.1, 24.9"}, schema, "x.md")
    assert problems == []
    assert values == {"region": "Uusimaa", "offers": ["tanssi", "musiikki"], "order": 100,
                      "coordinates": (60.1, 24.9)}
    _values, problems = validate({"order": "kolmas"}, schema, "x.md")
    assert [(p.field, p.source) for p in problems] == [("Region", "x.md"), ("Order", "x.md")]


def test_map_projection_and_pins():
    from member_directory.mapping import Pin, project, render_map

    x_west, _ = project(60.0, 21.0)
    x_east, _ = project(60.0, 30.0)
    _, y_south = project(60.0, 27.0)
    _, y_north = project(70.0, 27.0)
    assert x_west < 0 < x_east and y_north > y_south
    svg = render_map([Pin(60.17, 24.94, "A, Helsinki", "/a/"), Pin(60.17, 24.94, "B, Helsinki", "/b/"),
                      Pin(65.01, 25.47, "C, Oulu", "/c/")], "Kartta")
    assert svg.count("<a ") == 3 and 'role="group"' in svg and 'aria-label="A, Helsinki"' in svg
    import re
    circles = re.findall(r'cx="([\d.]+)" cy="([\d.]+)"', svg)
    assert len(set(circles)) == 3, "pins in the same city are spread apart"
    assert 'role="img"' in render_map([Pin(60.17, 24.94, "A")], "Kartta")

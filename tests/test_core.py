"""The core library (plugins/sitecore) and the build's phases, called directly."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from sitecore import JOINABLE, PHASES, Build, NoBuild, Problem
from sitecore.problems import ContentError, report

pytestmark = pytest.mark.unit


def test_the_core_imports_nothing_of_ours():
    import ast
    from pathlib import Path

    ours = {p.name for p in (Path(__file__).parent.parent / "plugins").iterdir() if p.is_dir()}
    core = Path(__file__).parent.parent / "plugins" / "sitecore"
    imported = set()
    for module in core.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
    assert imported & ours == set()
    assert "dataclasses" in imported  # the check saw the imports it should


def test_no_plugin_imports_the_runner_for_problems_or_files():
    import re
    from pathlib import Path

    plugins = Path(__file__).parent.parent / "plugins"
    offenders = [str(path.relative_to(plugins)) for path in plugins.rglob("*.py")
                 if "strict_build" not in path.parts
                 and re.search(r"^\s*from strict_build\b|^\s*import strict_build\b",
                               path.read_text(encoding="utf-8"), re.M)]
    assert offenders == []
    users = [path for path in plugins.rglob("*.py")
             if re.search(r"^from sitecore import", path.read_text(encoding="utf-8"), re.M)]
    assert len(users) >= 15  # every content plugin reports through the core


def test_the_current_build_is_the_one_running_and_none_is_an_error():
    with pytest.raises(NoBuild, match="strict_build"):
        Build.current()
    outer, inner = Build(), Build()
    with outer.current_while():
        assert Build.current() is outer
        with inner.current_while():
            assert Build.current() is inner
        assert Build.current() is outer
    with pytest.raises(NoBuild):
        Build.current()


def test_phases_run_in_order_and_steps_in_the_order_joined():
    build, ran = Build(), []
    build.join("files", lambda sender: ran.append(("files", "a", sender)))
    build.join("check", lambda sender: ran.append(("check", sender)))
    build.join("files", lambda sender: ran.append(("files", "b", sender)))
    for phase in ("check", "render", "files", "compress"):
        build.enter(phase, "pelican")
    assert ran == [("check", "pelican"), ("files", "a", "pelican"), ("files", "b", "pelican")]
    assert PHASES.index("check") < PHASES.index("render") < PHASES.index("files") < PHASES.index("compress")
    assert set(JOINABLE) < set(PHASES)
    assert set(build.seconds) == {"read", "check", "render", "files"}


def test_joining_a_phase_that_is_over_or_not_joinable_fails_loudly():
    build = Build()
    build.enter("files")
    with pytest.raises(RuntimeError, match="over"):
        build.join("check", print)
    with pytest.raises(ValueError, match="swap"):
        build.join("swap", print)
    with pytest.raises(RuntimeError, match="already ran"):
        build.enter("render")


@dataclass
class Titles:
    seen: set[str] = field(default_factory=set)


def test_state_is_one_typed_object_per_build():
    first, second = Build(), Build()
    first.state(Titles).seen.add("Otsikko")
    assert first.state(Titles).seen == {"Otsikko"}
    assert second.state(Titles).seen == set()


def test_files_are_written_with_their_folders(tmp_path):
    target = tmp_path / "a" / "b.txt"
    Build().write_output(target, b"yksi")
    assert target.read_bytes() == b"yksi"


def test_problems_are_collected_once_and_background_problems_are_added():
    build = Build(content_root="/sisalto")
    problem = Problem("posts/a.md", "Date", "puuttuu", "lisää")
    build.add(problem)
    build.add(problem)
    assert build.problems == [Problem("/sisalto/posts/a.md", "Date", "puuttuu", "lisää")]
    build.add(Problem("", "linkki", "puuttuu", "korjaa"))  # Pelican repeating ours, without the file
    assert len(build.problems) == 1
    build.in_background(lambda: Problem("", "haku", "epäonnistui", "kerro"))
    build.in_background(lambda: None)
    build.await_background()
    assert [p.field for p in build.problems] == ["Date", "haku"] and build.background == []
    build.notice("Kuva on suuri")
    build.notice("Kuva on suuri")
    assert build.notices == ["Kuva on suuri"]


def test_report_logs_the_problem_for_the_runner(caplog):
    import logging

    problem = ContentError("Title", "puuttuu", "lisää", "a.md").problem()
    with caplog.at_level(logging.ERROR):
        report(logging.getLogger("testi"), problem)
    assert caplog.records[0].problem == problem
    assert "VIRHE: a.md" in caplog.records[0].getMessage()


def _raise(error):
    raise error


def test_a_bug_is_named_by_the_plugin_whose_code_raised_it_with_its_traceback():
    from sitecore.problems import internal_error, reading_problem
    from strict_build.links import resolve

    try:
        resolve(None, "a.html", "")  # our plugin's code, given what it never gets
    except AttributeError as error:
        bug = internal_error(error, reading="content/posts/a.md")
    assert bug.source.endswith("plugins/strict_build/links.py") and bug.field == ""
    assert bug.message.startswith("ohjelmointivirhe (liitännäinen strict_build) luettaessa tiedostoa "
                                  "content/posts/a.md: AttributeError")
    assert "ei ole sisällön vika" in bug.fix and "DEBUG=1" in bug.fix
    assert "Traceback (most recent call last)" in bug.detail and "links.py" in bug.detail
    assert all(line in bug.text() for line in bug.detail.splitlines())  # indented under the problem
    # The file is the writer's to fix only when the file is the cause.
    assert reading_problem("a.md", ContentError("Date", "ei voi lukea", "korjaa")) == Problem(
        "a.md", "Date", "ei voi lukea", "korjaa")
    undecodable = reading_problem("a.md", UnicodeDecodeError("utf-8", b"\xe4", 0, 1, "invalid"))
    assert undecodable.source == "a.md" and "UTF-8" in undecodable.message and not undecodable.detail
    try:
        _raise(KeyError("lang"))
    except KeyError as error:
        assert reading_problem("a.md", error).detail  # a bug, not the file's fault


def test_a_bug_in_a_library_names_the_library():
    import json

    from sitecore.problems import culprit

    try:
        json.loads("{")
    except ValueError as error:
        assert culprit(error)[0] == "tiedosto tests/test_core.py"  # the code that called it
        who, where = culprit(error.with_traceback(error.__traceback__.tb_next))  # the library alone
    assert who.startswith("kirjasto ") and "json" in where


def test_the_summary_shows_a_bugs_traceback():
    from sitecore.problems import summary_markdown

    text = summary_markdown([Problem("plugins/x/__init__.py", "", "ohjelmointivirhe", "kerro",
                                     "Traceback (most recent call last):\n  rivi")])
    assert "```\nTraceback (most recent call last):\n  rivi\n```" in text


def test_a_setting_of_the_wrong_kind_is_named_and_defaults_are_filled_in():
    from sitecore.settings import Setting, apply

    declared = [Setting("N", 200, (int,), "kokonaisluku", lambda v: v >= 1),
                Setting("ON", True, (bool,), "True tai False")]
    settings = {"N": True}
    problems = apply(settings, declared)
    assert settings == {"N": True, "ON": True}
    assert [(p.field, p.source) for p in problems] == [("N", "pelicanconf.py")]  # a bool is no count
    assert apply({"N": 0}, declared)[0].message == "asetuksen N arvo 0 ei kelpaa."
    assert apply({"N": 5, "ON": False}, declared) == []


def test_site_facts_come_from_settings():
    from sitecore.site import Sections, absolute_url, feed_url_base, language, section_url, served_url

    production = {"SITEURL": "https://a.fi", "PUBLIC_SITEURL": "https://a.fi"}
    development = {"SITEURL": "", "PUBLIC_SITEURL": "https://a.fi/"}
    assert absolute_url(production) == absolute_url(development) == "https://a.fi"
    assert absolute_url({"SITEURL": "https://b.fi"}) == "https://b.fi"
    assert language({"DEFAULT_LANG": "sv"}) == "sv"
    sections = Sections.from_settings({"INDEX_URL": "uutiset/", "EVENTS_URL": "tapahtumat/",
                                       "DIRECTORY_URL": "jasenet/", "MEMBERS_URL": "sisalla/"})
    assert sections == Sections(blog="uutiset", events="tapahtumat", directory="jasenet", members="sisalla")
    assert Sections.from_settings({"EVENTS_URL": "kalenteri/2025/"}).events == "kalenteri"
    assert section_url({"MEMBERS_URL": "sisalla/"}, "members") == "sisalla/"
    assert section_url({}, "members") == "jasenalue/"  # the one default, shared by Sections
    assert Sections.from_settings({}) == Sections(blog="ajankohtaista", events="tapahtumat",
                                                  directory="jasenet", members="jasenalue")
    # Feeds link where Pelican's feed writer does: FEED_DOMAIN, else SITEURL (not PUBLIC_SITEURL).
    assert feed_url_base({"FEED_DOMAIN": "https://f.fi/", "SITEURL": "https://a.fi"}) == "https://f.fi"
    assert feed_url_base({"SITEURL": "", "PUBLIC_SITEURL": "https://a.fi"}) == ""
    # A page's image is absolute: where this build is served, the real site for a development build.
    assert served_url(production) == served_url(development) == "https://a.fi"
    assert served_url({"SITEURL": "https://esikatselu.a.fi/", "PUBLIC_SITEURL": "https://a.fi"}) == (
        "https://esikatselu.a.fi")


def test_today_is_the_sites_date_not_the_machines():
    import datetime as dt

    from sitecore.site import site_today

    helsinki = {"TIMEZONE": "Europe/Helsinki"}
    # 22.30 UTC on 5 December is already 6 December in Helsinki (CI runs in UTC).
    late = dt.datetime(2026, 12, 5, 22, 30, tzinfo=dt.timezone.utc)
    assert site_today(helsinki, "EVENTS_TODAY", now=late) == dt.date(2026, 12, 6)
    assert site_today({"TIMEZONE": "UTC"}, "EVENTS_TODAY", now=late) == dt.date(2026, 12, 5)
    assert site_today({**helsinki, "EVENTS_TODAY": "2021-03-01"}, "EVENTS_TODAY", now=late) == dt.date(2021, 3, 1)


def test_is_public_is_the_one_privacy_question():
    from types import SimpleNamespace

    from sitecore.site import is_public

    settings = {"MEMBER_GROUPS": {"hallitus": "Hallitus"}}
    public_event = SimpleNamespace(fields={"audience": "julkinen"}, settings=settings)
    board_event = SimpleNamespace(fields={"audience": "hallitus"}, settings=settings)
    being_read = SimpleNamespace(metadata={"audience": "hallitus"}, settings=settings)  # before check()
    bulletin = SimpleNamespace(members_only=True, fields={"audience": "julkinen"}, settings=settings)
    post = SimpleNamespace(metadata={"title": "Kirjoitus"}, settings=settings)
    assert [is_public(i) for i in (public_event, board_event, being_read, bulletin, post)] == [
        True, False, False, False, True]
    assert is_public(board_event, {"MEMBER_GROUPS": {}})  # the groups come from the settings given

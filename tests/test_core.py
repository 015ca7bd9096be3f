"""The core library (plugins/sitecore) and the build's phases, called directly."""

from __future__ import annotations

import pickle
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


def test_build_is_found_from_settings_or_a_copy_and_missing_build_is_an_error():
    settings = {}
    with pytest.raises(NoBuild, match="strict_build"):
        Build.of(settings)
    build = Build().attach(settings)
    assert Build.of(settings) is build
    assert Build.of(dict(settings)) is build  # Pelican's context and the writer's copies


def test_phases_run_in_order_and_steps_in_the_order_joined():
    build, ran = Build(), []
    build.join("files", lambda sender: ran.append(("files", "a", sender)))
    build.join("index", lambda sender: ran.append(("index", sender)))
    build.join("files", lambda sender: ran.append(("files", "b", sender)))
    for phase in ("render", "index", "files", "compress"):
        build.run(phase, "pelican")
    assert ran == [("index", "pelican"), ("files", "a", "pelican"), ("files", "b", "pelican")]
    assert PHASES.index("render") < PHASES.index("index") < PHASES.index("files") < PHASES.index("compress")
    assert set(JOINABLE) < set(PHASES)


def test_joining_a_phase_that_is_over_or_not_joinable_fails_loudly():
    build = Build()
    build.run("files", None)
    with pytest.raises(RuntimeError, match="over"):
        build.join("render", print)
    with pytest.raises(ValueError, match="swap"):
        build.join("swap", print)
    with pytest.raises(RuntimeError, match="already ran"):
        build.run("index", None)


@dataclass
class Titles:
    seen: set[str] = field(default_factory=set)


def test_state_is_one_typed_object_per_build():
    first, second = Build(), Build()
    first.state(Titles).seen.add("Otsikko")
    assert first.state(Titles).seen == {"Otsikko"}
    assert second.state(Titles).seen == set()
    assert first.states() == [Titles({"Otsikko"})]


def test_a_cached_content_object_does_not_carry_the_build():
    settings = {"SITENAME": "x"}
    Build().attach(settings)
    restored = pickle.loads(pickle.dumps(settings))
    assert restored["BUILD"] is None and restored["SITENAME"] == "x"
    with pytest.raises(NoBuild):
        Build.of(restored)


def test_files_written_kept_and_unchanged(tmp_path):
    build = Build()
    target = tmp_path / "a" / "b.txt"
    assert build.write_output(target, b"yksi") is True
    assert build.write_output(target, b"yksi") is False  # same bytes: left alone, kept
    assert build.unchanged(target) and str(target) in build.written
    build.fill_later(folder=tmp_path / "kortit", suffix=".gz")
    assert str(tmp_path / "kortit") in build.filled_later and build.suffixes_later == (".gz",)


def test_problems_are_collected_once_and_background_problems_are_added():
    build = Build(content_root="/sisalto")
    problem = Problem("posts/a.md", "Date", "puuttuu", "lisää")
    build.add(problem)
    build.add(problem)
    assert build.problems == [Problem("/sisalto/posts/a.md", "Date", "puuttuu", "lisää")]
    build.add(Problem("/sisalto/posts/a.md", "", "tiedostoa ei voitu lukea.", "…"))  # generic after specific
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


@dataclass
class Asked:
    titles: set[str] = field(default_factory=set)
    filled_while_rendering = True

    def merge(self, other):
        self.titles |= other.titles


def test_pages_rendered_in_a_second_process_report_files_problems_and_state(tmp_path):
    from strict_build.parallel import Job, render_in_two_processes

    build = Build()

    def page(number):
        def produce():
            build.state(Asked).titles.add(f"sivu {number}")  # as a template calling social_card()
            if number == 3:
                build.add(Problem(f"sivu{number}.md", "linkki", "rikki", "korjaa"))
            return f"<p>{number}</p>".encode()
        return Job(produce, str(tmp_path / f"{number}.html"))

    render_in_two_processes([page(n) for n in range(6)], build)
    assert {(tmp_path / f"{n}.html").read_text() for n in range(6)} == {f"<p>{n}</p>" for n in range(6)}
    assert build.written == {str(tmp_path / f"{n}.html") for n in range(6)}
    assert build.state(Asked).titles == {f"sivu {n}" for n in range(6)}  # odd ones came from the child
    assert [p.source for p in build.problems] == ["sivu3.md"]  # page 3 was the child's


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
    assert language({"DEFAULT_LANG": "sv"}) == "sv" and language({}) == "fi"
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

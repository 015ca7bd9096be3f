"""The tasks staff type (`.venv/bin/invoke …`) answer in Finnish: help, lists and mistakes."""

from __future__ import annotations

import subprocess

import pytest

from conftest import ROOT

INVOKE = ROOT / ".venv" / "bin" / "invoke"
ENGLISH = ("Usage", "Docstring", "Options", "No idea", "did not receive", "Create ", "Build ",
           "Extract ", "Subcommands", "Available tasks")


def invoke(*args, cwd=ROOT):
    return subprocess.run([str(INVOKE), *args], cwd=cwd, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=60)


def finnish(text: str) -> bool:
    return not any(word in text for word in ENGLISH)


def test_task_list_is_finnish_and_complete():
    done = invoke("--list")
    assert done.returncode == 0 and finnish(done.stdout), done.stdout
    for name in ("new-post", "new-event", "new-bulletin", "new-material", "livereload", "preview",
                 "publish", "clean"):
        assert f"  {name} " in done.stdout


@pytest.mark.parametrize("name", ["new-post", "new-event", "new-bulletin", "new-material", "livereload"])
def test_task_help_is_finnish(name):
    done = invoke("--help", name)
    assert done.returncode == 0 and done.stdout.startswith(f"Käyttö: .venv/bin/invoke {name}")
    assert finnish(done.stdout), done.stdout


@pytest.mark.parametrize("args, message", [
    (["new-post", "Otsikko", "--category", "Liiton", "toiminta"],
     'Ylimääräinen sana "toiminta". Jos arvossa on välilyöntejä, kirjoita se lainausmerkkeihin, '
     'esimerkiksi: --category "Liiton toiminta"'),
    (["new-post", "Kevään", "konsertti"], 'esimerkiksi: "Kevään konsertti"'),
    (["new-post"], "Komennolta new-post puuttuu title."),
    (["new-post", "Otsikko", "--kategoria", "Hankkeet"], "Komennolla new-post ei ole valintaa --kategoria."),
    (["julkaise"], 'Tuntematon komento "julkaise".'),
])
def test_mistakes_get_a_finnish_hint_and_write_nothing(tmp_path, args, message):
    done = invoke(*args, "--folder", str(tmp_path)) if args[0] == "new-post" else invoke(*args)
    assert done.returncode == 1
    assert message in done.stderr and finnish(done.stderr), done.stderr
    assert not list(tmp_path.iterdir())


def test_new_event_help_names_every_kind_of_the_calendar():
    """The help of --kind is written out (tasks.py would otherwise import the calendar
    plugin, and Pelican with it, each time invoke starts); this keeps it from drifting."""
    import re

    import tasks
    from event_calendar.events import KINDS

    help_text = tasks.new_event.help["kind"]
    named = re.split(r", | tai ", help_text.removeprefix("laji: "))
    assert named == list(KINDS), help_text

"""The commands staff and developers type (`.venv/bin/python tasks.py …`) answer in
Finnish: the list, each command's help, and mistakes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

ENGLISH = ("usage", "Usage", "positional arguments", "options:", "show this help", "error:",
           "unrecognized", "invalid choice", "expected one argument", "required")


def task(*args):
    return subprocess.run([sys.executable, "tasks.py", *args], cwd=ROOT, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=60)


def finnish(text: str) -> bool:
    return not any(word in text for word in ENGLISH)


def test_task_list_is_finnish_and_complete():
    done = task("--help")
    assert done.returncode == 0 and finnish(done.stdout), done.stdout
    assert done.stdout.startswith("Käyttö: .venv/bin/python tasks.py")
    for name in ("new-post", "new-event", "new-bulletin", "new-material", "livereload", "preview",
                 "publish", "clean", "members-passphrase"):
        assert f"    {name}" in done.stdout, name


@pytest.mark.parametrize("name", ["new-post", "new-event", "new-bulletin", "new-material", "livereload"])
def test_task_help_is_finnish(name):
    done = task(name, "--help")
    assert done.returncode == 0 and done.stdout.startswith(f"Käyttö: .venv/bin/python tasks.py {name}")
    assert finnish(done.stdout), done.stdout


@pytest.mark.parametrize("args, message", [
    (["new-post", "Otsikko", "--category", "Liiton", "toiminta"],
     'Ylimääräinen sana "toiminta". Jos arvossa on välilyöntejä, kirjoita se lainausmerkkeihin, '
     'esimerkiksi: --category "Liiton toiminta"'),
    (["new-post", "Kevään", "konsertti"], 'esimerkiksi: "Kevään konsertti"'),
    (["new-post"], "Komennolta new-post puuttuu otsikko."),
    (["new-post", "Otsikko", "--kategoria", "Hankkeet"], "Komennolla new-post ei ole valintaa --kategoria."),
    (["new-post", "Otsikko", "--category"], "Valinnalle --category puuttuu arvo."),
    (["members-passphrase", "--words", "viisi"], 'Valinnan --words arvo "viisi" ei ole numero.'),
    (["julkaise"], 'Tuntematon komento "julkaise".'),
    (["--list"], "Valintaa --list ei ole. Komennot ja ohje:"),
])
def test_mistakes_get_a_finnish_hint_and_write_nothing(tmp_path, args, message):
    done = task(*args, "--folder", str(tmp_path)) if args[0] == "new-post" else task(*args)
    assert done.returncode == 1
    assert message in done.stderr and finnish(done.stderr), done.stderr
    assert not list(tmp_path.iterdir())


def test_importing_the_tasks_runs_nothing_and_new_event_knows_every_kind():
    """The kinds are written out in tasks.py (importing the calendar plugin would
    import Pelican each time a command starts); this keeps them from drifting."""
    import tasks
    from event_calendar.events import KINDS

    assert list(tasks.EVENT_KINDS) == list(KINDS)
    assert tasks.check_kind("juhla").startswith('Tuntematon laji "juhla"')
    assert tasks.check_port("8080") == 8080
    with pytest.raises(SystemExit, match="Portti \"80a\" ei kelpaa"):
        tasks.check_port("80a")

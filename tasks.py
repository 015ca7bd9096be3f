"""Tasks for building, serving and writing the site (``invoke --list``).

The Makefile calls these, so ``make`` and ``invoke`` always agree. Every
build goes through ``python -m strict_build``: problems in the content stop
the build with a message, and ``output/`` keeps the last good build.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
PLUGINS = ROOT / "plugins"
DEV_SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
OUTPUT = ROOT / "output"
CACHE = ROOT / ".cache"
CONTENT = ROOT / "content"
HOST, PORT = "127.0.0.1", 8000
WATCHED = ["content", "theme", "plugins", "pelicanconf.py", "publishconf.py"]

sys.path.insert(0, str(PLUGINS))


_building: set[subprocess.Popen] = set()  # the preview's build in progress, stopped with it


def run_build(settings: Path, output: Path = OUTPUT, *extra: str) -> bool:
    """Build in a child process, so that edited plugins are always reloaded.

    The child is in its own process group: Ctrl+C reaches only the task,
    which stops a build in progress itself (no traceback from the child).
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(PLUGINS), os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-m", "strict_build", str(settings), str(output), *extra]
    child = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    _building.add(child)
    try:
        return child.wait() == 0
    finally:
        if child.poll() is None:
            child.terminate()
            child.wait()
        _building.discard(child)


def _stop_builds() -> None:
    for child in list(_building):
        child.terminate()


def _require(ok: bool) -> None:
    if not ok:
        sys.exit(1)


@task
def clean(c):
    """Poista koottu sivusto, aiemmat kokoamiset ja välimuisti."""
    for path in (OUTPUT, *OUTPUT.parent.glob(f".{OUTPUT.name}.*"), CACHE):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


@task
def build(c):
    """Kokoa kehitysversio kansioon output/."""
    _require(run_build(DEV_SETTINGS))


@task
def rebuild(c):
    """Kokoa kehitysversio alusta, välimuistia käyttämättä."""
    clean(c)
    build(c)


@task
def preview(c):
    """Kokoa julkaistava sivusto kansioon output/ (make build)."""
    # In GitHub Actions the outcome also goes to the job's summary page.
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    _require(run_build(PUBLISH_SETTINGS, OUTPUT, *(["--summary", summary] if summary else [])))


@task
def regenerate(c):
    """Kokoa kehitysversio uudelleen aina, kun lähdetiedosto muuttuu."""
    from watchfiles import watch

    run_build(DEV_SETTINGS)
    for _changes in watch(*(ROOT / p for p in WATCHED)):
        run_build(DEV_SETTINGS)


PORT_HELP = {"port": f"portti, oletus {PORT} (make serve PORT=8080)"}


def _serve(port, build: bool) -> None:
    import preview_server

    def show_address():
        if build:
            from pelicanconf import MEMBERS_DEV_PASSWORDS

            print("Jäsenalueen kehityssalasanat (vain tähän esikatseluun):")
            for group, password in MEMBERS_DEV_PASSWORDS.items():
                print(f"  {group}: {password}")
        print(f"Sivusto osoitteessa http://localhost:{port}/"
              + (" – muutokset päivittyvät selaimeen itsestään" if build else "")
              + " (lopeta: Ctrl+C)", flush=True)

    try:
        port = int(port)
        if not 0 < port < 65536:
            raise ValueError(port)
    except ValueError:
        sys.exit(f"Portti \"{port}\" ei kelpaa: anna numero väliltä 1–65535, esim. make serve PORT=8080.")
    try:
        preview_server.run(
            OUTPUT, ROOT, HOST, port,
            build=(lambda: run_build(DEV_SETTINGS)) if build else None,
            watched=[ROOT / p for p in WATCHED], before_serving=show_address)
    except preview_server.PortTaken:
        sys.exit(f"Portti {port} on jo käytössä: ehkä toinen esikatselu (make serve) on jo "
                 f"käynnissä. Sulje se tai valitse toinen portti, esim. make serve PORT={port + 1}.")
    finally:
        _stop_builds()


@task(help=PORT_HELP)
def serve(c, port=PORT):
    """Näytä output/ osoitteessa http://localhost:8000 kokoamatta uudelleen."""
    _serve(port, build=False)


@task(help=PORT_HELP)
def reserve(c, port=PORT):
    """Kokoa kehitysversio kerran ja näytä se."""
    build(c)
    _serve(port, build=False)


@task(help=PORT_HELP)
def livereload(c, port=PORT):
    """Kokoa, näytä osoitteessa http://localhost:8000 ja kokoa uudelleen joka muutoksella (make serve)."""
    _serve(port, build=True)


@task
def publish(c):
    """Build the production site and upload it with rsync to $PUBLISH_TARGET."""
    target = os.environ.get("PUBLISH_TARGET")
    if not target:
        sys.exit("Aseta PUBLISH_TARGET, esimerkiksi käyttäjä@palvelin:/var/www/konservatorioliitto.fi/")
    preview(c)
    c.run(f"rsync --delete --checksum -pthrvz {shlex.quote(str(OUTPUT))}/ {shlex.quote(target)}")


def _slug(title: str) -> str:
    """A Finnish title as a URL slug: ä and ö kept, punctuation dropped."""
    from pelican.utils import slugify

    return slugify(title, regex_subs=[(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""),
                                      (r"(?u)\s*\Z", ""), (r"[-\s]+", "-")])


def _write_new(path: Path, text: str, exists: str, done: str) -> None:
    """Write a new content file; never over an existing one."""
    if path.exists():
        sys.exit(f"Tiedosto {path} on jo olemassa: {exists}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"Luotiin {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}. {done}")


def new_post_text(title: str, day: dt.date, category: str, author: str) -> tuple[str, str]:
    """File name and contents of a new draft post."""
    from content_rules.rules import PLACEHOLDER_BODY, PLACEHOLDER_SUMMARY

    slug = _slug(title)
    text = (
        f"Title: {title}\n"
        f"Date: {day.isoformat()}\n"
        f"Slug: {slug}\n"
        f"Category: {category}\n"
        f"Tags: \n"
        f"Author: {author}\n"
        f"Summary: {PLACEHOLDER_SUMMARY}\n"
        f"Status: draft\n"
        f"\n"
        f"{PLACEHOLDER_BODY} Väliotsikot aloitetaan merkeillä ##.\n"
    )
    return f"{day.isoformat()}-{slug}.md", text


@task(help={
    "title": "the post's title in Finnish",
    "category": "one of ALLOWED_CATEGORIES in pelicanconf.py",
    "author": "the author shown with the post",
    "folder": "where to write the file (default content/posts)",
})
def new_post(c, title, category="Liiton toiminta", author="Konservatorioliiton toimisto",
             folder=str(CONTENT / "posts")):
    """Create a draft post with all the front matter a post needs."""
    from pelicanconf import ALLOWED_CATEGORIES

    if category not in ALLOWED_CATEGORIES:
        sys.exit(f"Tuntematon kategoria \"{category}\". Valitse jokin näistä: "
                 + ", ".join(ALLOWED_CATEGORIES))
    name, text = new_post_text(title, dt.date.today(), category, author)
    _write_new(Path(folder) / name, text, "valitse toinen otsikko.",
               "Se on luonnos: kun teksti on valmis, vaihda Status: draft -> Status: published.")


def new_event_text(title: str, uid: str) -> tuple[str, str]:
    """File name and contents of a new event; the Uid is written once and never changed."""
    slug = _slug(title)
    text = (
        f"Title: {title}\n"
        f"Slug: {slug}\n"
        f"Uid: {uid}\n"
        f"When: \n"
        f"Kind: \n"
        f"Status: alustava\n"
        f"Audience: julkinen\n"
        f"Location: \n"
        f"Summary: \n"
        f"\n"
    )
    return f"{slug}.md", text


@task(help={"title": "the event's title in Finnish",
            "folder": "where to write the file (default content/events)"})
def new_event(c, title, folder=str(CONTENT / "events")):
    """Create an event file with a permanent id (Uid)."""
    import uuid

    name, text = new_event_text(title, str(uuid.uuid4()))
    _write_new(Path(folder) / name, text,
               "anna tapahtumalle toinen otsikko tai muokkaa olemassa olevaa tiedostoa.",
               "Täytä When, Kind, Location ja Summary; älä muuta Uid-riviä.")


def new_member_text(title: str, item_id: str, day: dt.date, material: bool) -> tuple[str, str]:
    """File name and contents of a new bulletin or material for the members' section."""
    slug = _slug(title)
    lines = [f"Title: {title}", f"Id: {item_id}", f"Date: {day.isoformat()}", "Groups: jasenet"]
    lines.append("File: tiedostot/" if material else "Attachments: ")
    lines.append("Summary: ")
    return f"{day.isoformat()}-{slug}.md", "\n".join(lines) + "\n\n"


def _new_member_item(title: str, folder: Path, material: bool) -> None:
    import secrets

    name, text = new_member_text(title, secrets.token_hex(16), dt.date.today(), material)
    _write_new(folder / name, text, "valitse toinen otsikko.",
               "Täytä Groups, Summary ja teksti" + (" sekä File." if material else "."))


@task(help={"title": "the bulletin's title", "folder": "default content/members/tiedotteet"})
def new_bulletin(c, title, folder=str(CONTENT / "members" / "tiedotteet")):
    """Create a members' bulletin with its permanent, opaque id."""
    _new_member_item(title, Path(folder), material=False)


@task(help={"title": "the material's title", "folder": "default content/members/materiaalit"})
def new_material(c, title, folder=str(CONTENT / "members" / "materiaalit")):
    """Create a members' material description; put the file in content/members/tiedostot/."""
    _new_member_item(title, Path(folder), material=True)


@task
def translations(c):
    """Extract UI strings from the templates and update every catalog."""
    theme = ROOT / "theme"
    pybabel = Path(sys.executable).with_name("pybabel")
    c.run(f"{pybabel} extract -F {theme}/babel.cfg -o {theme}/translations/messages.pot "
          f"--no-location --sort-output --project=konservatorioliitto.fi {theme} {PLUGINS}")
    c.run(f"{pybabel} update -i {theme}/translations/messages.pot -d {theme}/translations "
          f"--ignore-obsolete --no-fuzzy-matching")

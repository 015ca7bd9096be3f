"""Tasks for building, serving and writing the site (``invoke --list``).

The Makefile calls these, so ``make`` and ``invoke`` always agree. Every
build goes through ``python -m strict_build``: problems in the content stop
the build with a message, and ``output/`` keeps the last good build.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import threading
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


_building: set[subprocess.Popen] = set()  # the preview's build in progress or waiting, stopped with it
_stopping = threading.Event()
_stop_lock = threading.Lock()  # a process is either started before the stop, and stopped, or not at all


def _build_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(PLUGINS), os.environ.get("PYTHONPATH")]))}


def _wait_for(child: subprocess.Popen) -> bool:
    _building.add(child)
    try:
        return child.wait() == 0
    finally:
        if child.poll() is None:
            child.terminate()
            child.wait()
        _building.discard(child)


def run_build(settings: Path, output: Path = OUTPUT, *extra: str) -> bool:
    """Build in a child process, so that edited plugins are always reloaded.

    The child is in its own process group: Ctrl+C reaches only the task,
    which stops a build in progress itself (no traceback from the child).
    """
    command = [sys.executable, "-m", "strict_build", str(settings), str(output), *extra]
    return _wait_for(subprocess.Popen(command, cwd=ROOT, env=_build_env(), start_new_session=True))


# The libraries every build imports (about half a second): a waiting build
# process has them loaded before the next change is saved. Our own plugins
# are not among them: they are imported when the build starts, so an edited
# plugin is always the one that runs.
WARM_LIBRARIES = ("pelican", "pelican.generators", "pelican.readers", "markdown", "jinja2",
                  "PIL.Image", "PIL.ImageDraw", "babel.dates", "babel.messages.mofile", "icalendar",
                  "cryptography.hazmat.primitives.ciphers.aead", "argon2", "nh3", "brotli")
# argv: the libraries, the file descriptor for answers, then strict_build's arguments.
_WAITING_BUILD = r"""
import importlib, os, sys
for name in sys.argv[1].split(","):
    try:
        importlib.import_module(name)
    except ImportError:  # only a head start: the build names what is missing
        pass
if sys.stdin.readline() != "go\n":  # the preview stopped: the pipe closed
    sys.exit(0)
from strict_build.quick import hold
sys.exit(hold(sys.argv[3:], sys.stdin, os.fdopen(int(sys.argv[2]), "w")))
"""
# How long the preview waits for a quick pass before it leaves the page to the full build.
QUICK_SECONDS = 5


class BuildProcess:
    """One preview build in its own process (``strict_build.quick.hold``).

    Started ahead of time with the libraries loaded; ``build()`` says "go".
    After a good build the process stays and answers quick passes (one
    edited post or page re-rendered from that build) until ``close()``.
    """

    def __init__(self, arguments: list[str]):
        read_end, write_end = os.pipe()
        try:
            self.child = subprocess.Popen(
                [sys.executable, "-c", _WAITING_BUILD, ",".join(WARM_LIBRARIES), str(write_end),
                 *arguments], cwd=ROOT, env=_build_env(), stdin=subprocess.PIPE, text=True,
                pass_fds=(write_end,), start_new_session=True)
        finally:
            os.close(write_end)
        self.answers = os.fdopen(read_end, "r")
        _building.add(self.child)

    def poll(self) -> int | None:
        return self.child.poll()

    def _ask(self, line: str, seconds: float | None = None) -> str | None:
        """Send a line and return its answer: None if the process could not be
        told (it has ended), "" if it ended or took longer than ``seconds``
        (then it is stopped: a late answer must not pass for the next one)."""
        import select

        try:
            self.child.stdin.write(line)
            self.child.stdin.flush()
        except OSError:
            return None
        if seconds is not None and not select.select([self.answers], [], [], seconds)[0]:
            self.child.terminate()
            return ""
        return self.answers.readline()

    def build(self) -> bool | None:
        """Whether the build succeeded; None if the process had ended before it could start."""
        answer = self._ask("go\n")
        return None if answer is None else answer.strip() == "0"

    def quick(self, changed: list[str]) -> list[str] | None:
        import json

        answer = self._ask(json.dumps(changed) + "\n", QUICK_SECONDS)
        return json.loads(answer) if answer else None

    def undo(self) -> None:
        """Put back the pages quick passes wrote: the build after them failed."""
        self._ask("undo\n", QUICK_SECONDS)

    def close(self) -> None:
        try:
            self.child.stdin.close()
            self.child.wait(timeout=QUICK_SECONDS)
        except (OSError, subprocess.TimeoutExpired):
            self.child.terminate()
            self.child.wait()
        self.answers.close()
        _building.discard(self.child)


class WarmBuilds:
    """The preview's builds, each in a fresh process started ahead of time.

    After every build the next process starts (in the background, so the
    page reloads first) and imports the libraries; a saved change only has
    to say "go". Same command, same output as ``run_build``. The process of
    the last good build stays for ``quick``: an edited post or page is shown
    from it at once, before the full build that follows.
    """

    def __init__(self, settings: Path, output: Path = OUTPUT):
        from concurrent.futures import ThreadPoolExecutor

        self.arguments = [str(settings), str(output)]
        self.content = CONTENT.resolve()
        self.starter = ThreadPoolExecutor(max_workers=1)
        self.waiting = None  # Future of the next build's process
        self.holder: BuildProcess | None = None  # the last good build's process

    def _start(self) -> BuildProcess | None:
        with _stop_lock:
            if _stopping.is_set():  # no new process once the preview is stopping
                return None
            return BuildProcess(self.arguments)

    def __call__(self) -> bool:
        process = (self.waiting.result() if self.waiting else None) or self._start()
        self.waiting = None
        if process is None:
            return False
        ok = process.build()
        if ok is None:  # it was stopped from outside before it could start: once more, afresh
            process.close()
            process = self._start()
            ok = bool(process and process.build())
        previous, self.holder = self.holder, (process if ok else None)
        if previous is not None and not ok:
            previous.undo()  # the output keeps the last good build, without the quick passes
        for done in (previous, None if ok else process):
            if done is not None:
                done.close()
        self.waiting = self.starter.submit(self._start)
        return ok

    def quick(self, changed: list[str]) -> bool:
        """Show the edited posts or pages now, from the last good build; False
        when only the full build can (see ``strict_build.quick``)."""
        paths = [Path(path).resolve() for path in changed]
        if self.holder is None or not all(
                path.suffix == ".md" and path.is_relative_to(self.content) for path in paths):
            return False
        return bool(self.holder.quick([str(path) for path in paths]))


def _stop_builds() -> None:
    with _stop_lock:
        _stopping.set()
    for child in list(_building):
        child.terminate()
        child.wait()


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
    builds = WarmBuilds(DEV_SETTINGS) if build else None
    try:
        preview_server.run(
            OUTPUT, ROOT, HOST, port, build=builds, quick=builds.quick if builds else None,
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


@task(help={"target": "kohde: käyttäjä@palvelin:/polku tai /polku (oletus $PUBLISH_TARGET)"})
def publish(c, target=""):
    """Kokoa julkaistava sivusto ja julkaise se käsin (deploy/deploy.sh; tavallisesti GitHub Actions)."""
    target = target or os.environ.get("PUBLISH_TARGET", "")
    if not target:
        sys.exit("Anna kohde: --target käyttäjä@palvelin:/polku/konservatorioliitto.fi "
                 "(tai ympäristömuuttuja PUBLISH_TARGET). Ks. docs/julkaiseminen.md.")
    preview(c)
    _require(subprocess.run(["sh", str(ROOT / "deploy" / "deploy.sh"), str(OUTPUT), target]).returncode == 0)


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
    "title": "kirjoituksen otsikko suomeksi (lainausmerkeissä)",
    "category": "kategoria (lainausmerkeissä, jos siinä on välilyönti), ks. ALLOWED_CATEGORIES",
    "author": "kirjoittaja, joka näytetään kirjoituksen yhteydessä",
    "folder": "mihin tiedosto kirjoitetaan",
})
def new_post(c, title, category="Liiton toiminta", author="Konservatorioliiton toimisto",
             folder=str(CONTENT / "posts")):
    """Luo kirjoituksen luonnos, jossa on kaikki tarvittavat kentät."""
    from pelicanconf import ALLOWED_CATEGORIES

    if category not in ALLOWED_CATEGORIES:
        sys.exit(f"Tuntematon kategoria \"{category}\". Valitse jokin näistä: "
                 + ", ".join(ALLOWED_CATEGORIES))
    name, text = new_post_text(title, dt.date.today(), category, author)
    _write_new(Path(folder) / name, text, "valitse toinen otsikko.",
               "Se on luonnos: kun teksti on valmis, vaihda Status: draft -> Status: published.")


def new_event_text(title: str, uid: str, when: str = "", kind: str = "", location: str = "",
                   summary: str = "", status: str = "suunniteltu",
                   audience: str = "julkinen") -> tuple[str, str]:
    """File name and contents of a new event; the Uid is written once and never changed."""
    slug = _slug(title)
    lines = [f"Title: {title}", f"Slug: {slug}", f"Uid: {uid}", f"When: {when}", f"Kind: {kind}",
             f"Status: {status}", f"Audience: {audience}"]
    lines += [f"Location: {location}"] if location else []
    lines += [f"Summary: {summary}"] if summary else []
    return f"{slug}.md", "\n".join(lines) + "\n\n"


def _event_kinds() -> list[str]:
    from event_calendar.events import KINDS

    return list(KINDS)


def check_when(text: str) -> str | None:
    """Why ``text`` is not a When value (Finnish), or None when it is one."""
    from zoneinfo import ZoneInfo

    from content_types.schema import Invalid
    from event_calendar.when import parse_when

    try:
        parse_when(text, ZoneInfo("Europe/Helsinki"))
    except Invalid as error:
        return f"{error.message} {error.fix}"
    return None


def _ask(question: str, check, required: bool) -> str:
    """Ask until the answer passes ``check`` (None = fine) or is empty where allowed."""
    while True:
        answer = input(question).strip()
        if not answer and not required:
            return ""
        problem = check(answer) if answer else "Tämä tieto tarvitaan."
        if problem is None:
            return answer
        print(problem)


def _check_kind(kind: str) -> str | None:
    kinds = _event_kinds()
    return None if kind in kinds else f"Tuntematon laji \"{kind}\". Valitse jokin näistä: {', '.join(kinds)}."


@task(positional=["title"], help={"title": "tapahtuman nimi suomeksi (lainausmerkeissä)",
            "when": "ajankohta, esim. 2027-03-15, 2027-03-15/2027-03-16, \"2027-03-15 13:00-14:30\" tai 2027-03",
            "kind": "laji: kokous, koulutus, seminaari, kysely tai hanke",
            "location": "paikka, esim. Tampere (vapaaehtoinen)",
            "summary": "yhden virkkeen kuvaus (vapaaehtoinen)",
            "folder": "mihin tiedosto kirjoitetaan"})
def new_event(c, title, when="", kind="", location="", summary="", folder=str(CONTENT / "events")):
    """Luo tapahtuma, jolla on pysyvä tunniste (Uid). Kysyy puuttuvat tiedot."""
    import uuid

    interactive = sys.stdin.isatty()
    if interactive:
        title = title or _ask("Tapahtuman nimi: ", lambda _: None, required=True)
        when = when or _ask("Ajankohta (esim. 2027-03-15 tai \"2027-03-15 13:00-14:30\"): ",
                            check_when, required=True)
        kind = kind or _ask(f"Laji ({', '.join(_event_kinds())}): ", _check_kind, required=True)
        location = location or _ask("Paikka (tyhjä: ei paikkaa): ", lambda _: None, required=False)
        summary = summary or _ask("Yhden virkkeen kuvaus (tyhjä: lisäät myöhemmin): ",
                                  lambda _: None, required=False)
    missing = [name for name, value in (("nimi", title), ("--when", when), ("--kind", kind)) if not value]
    if missing:
        sys.exit("Puuttuu: " + ", ".join(missing) + ". Esimerkki: .venv/bin/invoke new-event "
                 "\"Kevään seminaari\" --when 2027-03-15 --kind seminaari --location Tampere")
    for problem in (check_when(when), _check_kind(kind)):
        if problem:
            sys.exit(problem)
    name, text = new_event_text(title, str(uuid.uuid4()), when, kind, location, summary)
    _write_new(Path(folder) / name, text,
               "anna tapahtumalle toinen nimi tai muokkaa olemassa olevaa tiedostoa.",
               "Tapahtuma näkyy kalenterissa heti; älä muuta Uid-riviä.")


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


@task(help={"title": "tiedotteen otsikko (lainausmerkeissä)", "folder": "mihin tiedosto kirjoitetaan"})
def new_bulletin(c, title, folder=str(CONTENT / "members" / "tiedotteet")):
    """Luo jäsentiedote, jolla on pysyvä, arvaamaton tunniste (Id)."""
    _new_member_item(title, Path(folder), material=False)


@task(help={"title": "materiaalin otsikko (lainausmerkeissä)", "folder": "mihin tiedosto kirjoitetaan"})
def new_material(c, title, folder=str(CONTENT / "members" / "materiaalit")):
    """Luo jäsenmateriaalin kuvaus; itse tiedosto kansioon content/members/tiedostot/."""
    _new_member_item(title, Path(folder), material=True)


@task(help={"words": "how many words (at least 5)"})
def members_passphrase(c, words=5):
    """Print a strong passphrase of Finnish words for a members' group (production)."""
    from members_area.passwords import PASSPHRASE_WORDS, passphrase, passphrase_bits

    count = max(int(words), PASSPHRASE_WORDS)
    print(passphrase(count))
    print(f"({count} satunnaista sanaa, noin {passphrase_bits(count):.0f} bittiä. Anna salalause ryhmän "
          "jäsenille turvallista kanavaa pitkin ja aseta se ympäristömuuttujaan "
          "MEMBERS_PASSWORD_<RYHMÄ> tai MEMBERS_SECRETS_FILE-tiedostoon.)")


@task
def translations(c):
    """Päivitä käännösluettelot sivupohjien teksteistä (kehittäjille)."""
    theme = ROOT / "theme"
    pybabel = Path(sys.executable).with_name("pybabel")
    c.run(f"{pybabel} extract -F {theme}/babel.cfg -o {theme}/translations/messages.pot "
          f"--no-location --sort-output --project=konservatorioliitto.fi {theme} {PLUGINS}")
    c.run(f"{pybabel} update -i {theme}/translations/messages.pot -d {theme}/translations "
          f"--ignore-obsolete --no-fuzzy-matching")


# --- Finnish command line -------------------------------------------------------------
# Invoke's own messages and help are English. Invoke imports this file before
# it parses the tasks' arguments, so the command line is checked here first:
# help and task lists in Finnish, and a Finnish hint for the common mistakes
# (a value with spaces without quotes, a missing title, an unknown option).

def _tasks() -> dict:
    from invoke import Task

    found = {}
    for value in list(globals().values()):
        if isinstance(value, Task):
            found[value.name.replace("_", "-")] = value
    return found


def _options(task) -> dict:
    """Every spelling of each option (--category, -c) -> its Argument."""
    names = {}
    for argument in task.get_arguments():
        for name in argument.names:
            flag = f"-{name}" if len(name) == 1 else f"--{name.replace('_', '-')}"
            names[flag] = argument
    return names


def task_help(name: str, task) -> str:
    arguments = task.get_arguments()
    positional = [a for a in arguments if a.positional]
    usage = " ".join(f'"{a.name}"' for a in positional)
    lines = [f"Käyttö: .venv/bin/invoke {name} {usage}".rstrip() + (" [valinnat]" if len(arguments) > len(positional) else ""),
             "", "  " + (task.__doc__ or "").strip(), ""]
    for argument in arguments:
        spelling = argument.name if argument.positional else f"--{argument.name.replace('_', '-')}"
        text = argument.help or ""
        default = argument.default
        if isinstance(default, str) and default.startswith(str(ROOT) + os.sep):
            default = os.path.relpath(default, ROOT)
        default = "" if argument.positional or default in (None, "") else f" (oletus: {default})"
        lines.append(f"  {spelling:<12} {text}{default}")
    return "\n".join(lines)


def task_list() -> str:
    lines = ["Komennot (.venv/bin/invoke KOMENTO; ohje: .venv/bin/invoke --help KOMENTO):", ""]
    for name, task in sorted(_tasks().items()):
        lines.append(f"  {name:<12} {(task.__doc__ or '').strip().splitlines()[0]}")
    return "\n".join(lines)


def check_command_line(argv: list[str]) -> tuple[int, str] | None:
    """(exit status, Finnish text) for a command line invoke would answer in English; else None."""
    tasks = _tasks()
    if not argv or argv[0] in ("-l", "--list"):
        return 0, task_list()
    if argv[0] in ("-h", "--help"):
        if len(argv) > 1 and argv[1] in tasks:
            return 0, task_help(argv[1], tasks[argv[1]])
        return 0, task_list()
    index = 0
    while index < len(argv):
        name = argv[index]
        if name.startswith("-"):
            return None  # invoke's own options: left to invoke
        if name not in tasks:
            return 1, f"Tuntematon komento \"{name}\".\n\n{task_list()}"
        task, options = tasks[name], _options(tasks[name])
        positional = [a for a in task.get_arguments() if a.positional]
        given, previous, index = 0, None, index + 1
        while index < len(argv) and argv[index] not in tasks:
            word = argv[index]
            option = options.get(word.split("=", 1)[0])
            if word in ("-h", "--help"):
                return 0, task_help(name, task)
            if word.startswith("-") and option is None:
                known = ", ".join(sorted(n for n in options if n.startswith("--")))
                return 1, f"Komennolla {name} ei ole valintaa {word}. Valinnat: {known}."
            if option is not None:
                if option.kind is not bool and "=" not in word:
                    if index + 1 >= len(argv):
                        return 1, f"Valinnalle {word} puuttuu arvo."
                    previous = (word, argv[index + 1])
                    index += 1
                index += 1
                continue
            if given < len(positional):
                given, previous = given + 1, (None, word)
                index += 1
                continue
            example = (f'{previous[0]} "{previous[1]} {word}"' if previous and previous[0]
                       else f'"{previous[1]} {word}"' if previous else f'"{word}"')
            return 1, (f"Ylimääräinen sana \"{word}\". Jos arvossa on välilyöntejä, kirjoita se "
                       f"lainausmerkkeihin, esimerkiksi: {example}")
        missing = [a.name for a in positional[given:]]
        if missing:
            return 1, (f"Komennolta {name} puuttuu {', '.join(missing)}. Esimerkki: "
                       f".venv/bin/invoke {name} \"Otsikko suomeksi\"  (ohje: .venv/bin/invoke --help {name})")
    return None


def _run_by_invoke() -> bool:
    main = sys.modules.get("__main__")
    return Path(sys.argv[0]).name in ("invoke", "inv") or getattr(main, "__package__", None) == "invoke"


if _run_by_invoke():
    _answer = check_command_line(sys.argv[1:])
    if _answer is not None:
        _status, _text = _answer
        print(_text, file=sys.stderr if _status else sys.stdout)
        sys.exit(_status)

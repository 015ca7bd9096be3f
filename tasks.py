"""Commands for building, serving and writing the site.

    .venv/bin/python tasks.py KOMENTO [valinnat]      (a list: .venv/bin/python tasks.py --help)

The Makefile calls these, so ``make`` and ``tasks.py`` always agree. Every
build goes through ``python -m strict_build``: problems in the content stop
the build with a message, and ``output/`` keeps the last good build. Help
and mistakes are answered in Finnish (argparse with Finnish texts); nothing
runs when the module is imported, so tests call its functions directly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PLUGINS = ROOT / "plugins"
DEV_SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
OUTPUT = ROOT / "output"
CACHE = ROOT / ".cache"
CONTENT = ROOT / "content"
HOST, PORT = "127.0.0.1", 8000
WATCHED = ["content", "theme", "plugins", "pelicanconf.py", "publishconf.py"]
PROGRAM = ".venv/bin/python tasks.py"


# --- builds ---------------------------------------------------------------------------

_building: set[subprocess.Popen] = set()  # the build in progress, stopped with the preview


def run_build(settings: Path, output: Path = OUTPUT, *extra: str) -> bool:
    """Build in a child process, so that edited plugins are always the ones that run.

    The child is in its own process group: Ctrl+C reaches only this process,
    which stops a build in progress itself (no traceback from the child).
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PLUGINS), os.environ.get("PYTHONPATH")]))}
    child = subprocess.Popen([sys.executable, "-m", "strict_build", str(settings), str(output), *extra],
                             cwd=ROOT, env=env, start_new_session=True)
    _building.add(child)
    try:
        return child.wait() == 0
    finally:
        if child.poll() is None:
            child.terminate()
            child.wait()
        _building.discard(child)


def _debug(args) -> tuple[str, ...]:
    return ("--debug",) if args.debug else ()


def clean(args=None) -> None:
    for path in (OUTPUT, *OUTPUT.parent.glob(f".{OUTPUT.name}.*"), CACHE):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def build(args) -> bool:
    return run_build(DEV_SETTINGS, OUTPUT, *_debug(args))


def rebuild(args) -> bool:
    clean()
    return build(args)


def production(args) -> bool:
    # In GitHub Actions the outcome also goes to the job's summary page.
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    return run_build(PUBLISH_SETTINGS, OUTPUT, *(["--summary", summary] if summary else []), *_debug(args))


def regenerate(args) -> None:
    from watchfiles import watch

    build(args)
    for _changes in watch(*(ROOT / p for p in WATCHED)):
        build(args)


# --- the preview ------------------------------------------------------------------------

def check_port(text: str) -> int:
    """The port number in ``text`` (0: any free port); a Finnish SystemExit when it is none."""
    if text.isdigit() and int(text) < 65536:
        return int(text)
    raise SystemExit(f"Portti \"{text}\" ei kelpaa: anna numero väliltä 1–65535, esim. make serve PORT=8080.")


def _serve(args, build_first: bool, watch: bool) -> None:
    import preview_server

    port = check_port(args.port)

    def show_address(port: int):
        if watch:
            from pelicanconf import MEMBERS_DEV_PASSWORDS

            print("Jäsenalueen kehityssalasanat (vain tähän esikatseluun):")
            for group, password in MEMBERS_DEV_PASSWORDS.items():
                print(f"  {group}: {password}")
        print(f"Sivusto osoitteessa http://localhost:{port}/"
              + (" – muutokset päivittyvät selaimeen itsestään" if watch else "")
              + " (lopeta: Ctrl+C)", flush=True)

    if build_first and not watch:
        build(args)
    try:
        preview_server.run(OUTPUT, ROOT, HOST, port, build=(lambda: build(args)) if watch else None,
                           watched=[ROOT / p for p in WATCHED], before_serving=show_address)
    except preview_server.PortTaken:
        sys.exit(f"Portti {port} on jo käytössä: ehkä toinen esikatselu (make serve) on jo "
                 f"käynnissä. Sulje se tai valitse toinen portti, esim. make serve PORT={port + 1}.")
    finally:
        for child in list(_building):
            child.terminate()
            child.wait()


def livereload(args) -> None:
    _serve(args, build_first=True, watch=True)


def serve(args) -> None:
    _serve(args, build_first=False, watch=False)


def reserve(args) -> None:
    _serve(args, build_first=True, watch=False)


def publish(args) -> bool:
    target = args.target or os.environ.get("PUBLISH_TARGET", "")
    if not target:
        sys.exit("Anna kohde: --target käyttäjä@palvelin:/polku/konservatorioliitto.fi "
                 "(tai ympäristömuuttuja PUBLISH_TARGET). Ks. docs/julkaiseminen.md.")
    if not production(args):
        return False
    return subprocess.run(["sh", str(ROOT / "deploy" / "deploy.sh"), str(OUTPUT), target]).returncode == 0


# --- new content files --------------------------------------------------------------------

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


def new_post(args) -> None:
    from pelicanconf import ALLOWED_CATEGORIES

    if args.category not in ALLOWED_CATEGORIES:
        sys.exit(f"Tuntematon kategoria \"{args.category}\". Valitse jokin näistä: "
                 + ", ".join(ALLOWED_CATEGORIES))
    name, text = new_post_text(args.title, dt.date.today(), args.category, args.author)
    _write_new(Path(args.folder) / name, text, "valitse toinen otsikko.",
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


# The calendar's kinds, written out so that the help needs no Pelican import
# (tests/test_tasks_cli.py keeps it equal to event_calendar.events.KINDS).
EVENT_KINDS = ("kokous", "koulutus", "seminaari", "kysely", "hanke")


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


def check_kind(kind: str) -> str | None:
    if kind in EVENT_KINDS:
        return None
    return f"Tuntematon laji \"{kind}\". Valitse jokin näistä: {', '.join(EVENT_KINDS)}."


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


def new_event(args) -> None:
    import uuid

    title, when, kind, location, summary = args.title, args.when, args.kind, args.location, args.summary
    if sys.stdin.isatty():
        title = title or _ask("Tapahtuman nimi: ", lambda _: None, required=True)
        when = when or _ask("Ajankohta (esim. 2027-03-15 tai \"2027-03-15 13:00-14:30\"): ",
                            check_when, required=True)
        kind = kind or _ask(f"Laji ({', '.join(EVENT_KINDS)}): ", check_kind, required=True)
        location = location or _ask("Paikka (tyhjä: ei paikkaa): ", lambda _: None, required=False)
        summary = summary or _ask("Yhden virkkeen kuvaus (tyhjä: lisäät myöhemmin): ",
                                  lambda _: None, required=False)
    missing = [name for name, value in (("nimi", title), ("--when", when), ("--kind", kind)) if not value]
    if missing:
        sys.exit("Puuttuu: " + ", ".join(missing) + f". Esimerkki: {PROGRAM} new-event "
                 "\"Kevään seminaari\" --when 2027-03-15 --kind seminaari --location Tampere")
    for problem in (check_when(when), check_kind(kind)):
        if problem:
            sys.exit(problem)
    name, text = new_event_text(title, str(uuid.uuid4()), when, kind, location, summary)
    _write_new(Path(args.folder) / name, text,
               "anna tapahtumalle toinen nimi tai muokkaa olemassa olevaa tiedostoa.",
               "Tapahtuma näkyy kalenterissa heti; älä muuta Uid-riviä.")


def new_member_text(title: str, item_id: str, day: dt.date, material: bool) -> tuple[str, str]:
    """File name and contents of a new bulletin or material for the members' section."""
    slug = _slug(title)
    lines = [f"Title: {title}", f"Id: {item_id}", f"Date: {day.isoformat()}", "Groups: jasenet"]
    lines.append("File: tiedostot/" if material else "Attachments: ")
    lines.append("Summary: ")
    return f"{day.isoformat()}-{slug}.md", "\n".join(lines) + "\n\n"


def _new_member_item(args, material: bool) -> None:
    import secrets

    name, text = new_member_text(args.title, secrets.token_hex(16), dt.date.today(), material)
    _write_new(Path(args.folder) / name, text, "valitse toinen otsikko.",
               "Täytä Groups, Summary ja teksti" + (" sekä File." if material else "."))


def new_bulletin(args) -> None:
    _new_member_item(args, material=False)


def new_material(args) -> None:
    _new_member_item(args, material=True)


def members_passphrase(args) -> None:
    from members_area.passwords import PASSPHRASE_WORDS, passphrase, passphrase_bits

    count = max(args.words, PASSPHRASE_WORDS)
    print(passphrase(count))
    print(f"({count} satunnaista sanaa, noin {passphrase_bits(count):.0f} bittiä. Anna salalause ryhmän "
          "jäsenille turvallista kanavaa pitkin ja aseta se ympäristömuuttujaan "
          "MEMBERS_PASSWORD_<RYHMÄ> tai MEMBERS_SECRETS_FILE-tiedostoon.)")


def translations(args) -> None:
    theme = ROOT / "theme"
    pybabel = str(Path(sys.executable).with_name("pybabel"))
    subprocess.run([pybabel, "extract", "-F", f"{theme}/babel.cfg", "-o", f"{theme}/translations/messages.pot",
                    "--no-location", "--sort-output", "--project=konservatorioliitto.fi", str(theme),
                    str(PLUGINS)], check=True)
    subprocess.run([pybabel, "update", "-i", f"{theme}/translations/messages.pot", "-d",
                    f"{theme}/translations", "--ignore-obsolete", "--no-fuzzy-matching"], check=True)


# --- the command line, in Finnish ----------------------------------------------------------

PORT_OPTION = ("--port", {"metavar": "PORTTI", "default": str(PORT), "help": f"portti, oletus {PORT} (make serve PORT=8080)"})
DEBUG_OPTION = ("--debug", {"action": "store_true",
                            "help": "ohjelmointivirhe Pythonin omana poikkeuksena (kehittäjille; make build DEBUG=1)"})


def _folder(default: Path) -> tuple[str, dict]:
    return ("--folder", {"metavar": "KANSIO", "default": str(default),
                         "help": f"mihin tiedosto kirjoitetaan (oletus: {default.relative_to(ROOT)})"})


def _title(what: str) -> tuple[str, dict]:
    return ("title", {"nargs": "?", "default": "", "metavar": "OTSIKKO", "help": f"{what} (lainausmerkeissä)"})


# name -> (function, one line of help, options)
COMMANDS = {
    "livereload": (livereload, "kokoa, näytä osoitteessa http://localhost:8000 ja kokoa uudelleen "
                   "joka muutoksella (make serve)", [PORT_OPTION, DEBUG_OPTION]),
    "build": (build, "kokoa kehitysversio kansioon output/", [DEBUG_OPTION]),
    "rebuild": (rebuild, "kokoa kehitysversio alusta, välimuistia käyttämättä", [DEBUG_OPTION]),
    "preview": (production, "kokoa julkaistava sivusto kansioon output/ (make build)", [DEBUG_OPTION]),
    "regenerate": (regenerate, "kokoa kehitysversio uudelleen aina, kun lähdetiedosto muuttuu", [DEBUG_OPTION]),
    "serve": (serve, "näytä output/ osoitteessa http://localhost:8000 kokoamatta uudelleen", [PORT_OPTION]),
    "reserve": (reserve, "kokoa kehitysversio kerran ja näytä se", [PORT_OPTION, DEBUG_OPTION]),
    "clean": (clean, "poista koottu sivusto, aiemmat kokoamiset ja välimuisti", []),
    "publish": (publish, "kokoa julkaistava sivusto ja julkaise se käsin (deploy/deploy.sh; "
                "tavallisesti GitHub Actions)",
                [("--target", {"metavar": "KOHDE", "default": "", "help": "kohde: käyttäjä@palvelin:/polku tai /polku "
                                                      "(oletus $PUBLISH_TARGET)"}), DEBUG_OPTION]),
    "new-post": (new_post, "luo kirjoituksen luonnos, jossa on kaikki tarvittavat kentät", [
        _title("kirjoituksen otsikko suomeksi"),
        ("--category", {"metavar": "KATEGORIA", "default": "Liiton toiminta",
                        "help": "kategoria (lainausmerkeissä, jos siinä on välilyönti), ks. ALLOWED_CATEGORIES"}),
        ("--author", {"metavar": "KIRJOITTAJA", "default": "Konservatorioliiton toimisto",
                      "help": "kirjoittaja, joka näytetään kirjoituksen yhteydessä"}),
        _folder(CONTENT / "posts")]),
    "new-event": (new_event, "luo tapahtuma, jolla on pysyvä tunniste (Uid); kysyy puuttuvat tiedot", [
        _title("tapahtuman nimi suomeksi"),
        ("--when", {"metavar": "AJANKOHTA", "default": "", "help": "ajankohta, esim. 2027-03-15, 2027-03-15/2027-03-16, "
                                           "\"2027-03-15 13:00-14:30\" tai 2027-03"}),
        ("--kind", {"metavar": "LAJI", "default": "", "help": "laji: " + ", ".join(EVENT_KINDS[:-1]) + " tai " + EVENT_KINDS[-1]}),
        ("--location", {"metavar": "PAIKKA", "default": "", "help": "paikka, esim. Tampere (vapaaehtoinen)"}),
        ("--summary", {"metavar": "KUVAUS", "default": "", "help": "yhden virkkeen kuvaus (vapaaehtoinen)"}),
        _folder(CONTENT / "events")]),
    "new-bulletin": (new_bulletin, "luo jäsentiedote, jolla on pysyvä, arvaamaton tunniste (Id)", [
        _title("tiedotteen otsikko"), _folder(CONTENT / "members" / "tiedotteet")]),
    "new-material": (new_material, "luo jäsenmateriaalin kuvaus; itse tiedosto kansioon "
                     "content/members/tiedostot/", [
        _title("materiaalin otsikko"), _folder(CONTENT / "members" / "materiaalit")]),
    "members-passphrase": (members_passphrase, "tulosta vahva suomenkielinen salalause jäsenryhmälle "
                           "(julkaistava versio)", [
        ("--words", {"metavar": "MÄÄRÄ", "type": int, "default": 5, "help": "sanojen määrä (vähintään 5)"})]),
    "translations": (translations, "päivitä käännösluettelot sivupohjien teksteistä (kehittäjille)", []),
}
NEEDS_TITLE = {"new-post", "new-bulletin", "new-material"}  # new-event asks for it in a terminal


class Mistake(Exception):
    """A command line that cannot be run: the Finnish text says why."""


class FinnishHelp(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "Käyttö: ")


class FinnishParser(argparse.ArgumentParser):
    """argparse with Finnish help; its errors become a ``Mistake``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, add_help=False, allow_abbrev=False, formatter_class=FinnishHelp, **kwargs)
        self.options = self.add_argument_group("Valinnat")  # argparse's own group titles are English
        self.options.add_argument("-h", "--help", action="help", help="näytä tämä ohje")

    def error(self, message):
        wrong = re.search(r"invalid choice: '([^']*)'", message)
        if wrong:
            raise Mistake(f"Tuntematon komento \"{wrong.group(1)}\".\n\n{self.format_help()}")
        empty = re.search(r"argument (\S+): expected one argument", message)
        if empty:
            raise Mistake(f"Valinnalle {empty.group(1).split('/')[-1]} puuttuu arvo.")
        number = re.search(r"argument (\S+): invalid int value: '([^']*)'", message)
        if number:
            raise Mistake(f"Valinnan {number.group(1)} arvo \"{number.group(2)}\" ei ole numero.")
        raise Mistake(f"Komentoa ei voitu lukea: {message}")


def parser() -> FinnishParser:
    main = FinnishParser(prog=PROGRAM, description="Sivuston komennot. Ohje yhdestä: "
                         f"{PROGRAM} KOMENTO --help")
    commands = main.add_subparsers(title="Komennot", metavar="KOMENTO", dest="command",
                                   parser_class=FinnishParser)
    for name, (_function, help_text, options) in COMMANDS.items():
        command = commands.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".",
                                      prog=f"{PROGRAM} {name}")
        for flag, spec in options:
            command.options.add_argument(flag, **spec)
    return main


def parse(argv: list[str]) -> argparse.Namespace:
    """The command line's command and values; a ``Mistake`` in Finnish when it has none."""
    main = parser()
    if not argv:
        raise Mistake(main.format_help())
    args, extra = main.parse_known_args(argv)
    if extra:
        word = extra[0]
        if word.startswith("-") and args.command is None:
            raise Mistake(f"Valintaa {word} ei ole. Komennot ja ohje: {PROGRAM} --help")
        if word.startswith("-"):
            known = sorted(["--help", *(flag for flag, _ in COMMANDS[args.command][2] if flag.startswith("--"))])
            raise Mistake(f"Komennolla {args.command} ei ole valintaa {word}. Valinnat: {', '.join(known)}.")
        where = argv.index(word)
        before = argv[where - 1] if where > 0 else ""
        option = argv[where - 2] if where > 1 and argv[where - 2].startswith("--") else ""
        example = f'{option} "{before} {word}"' if option else f'"{before} {word}"'
        raise Mistake(f"Ylimääräinen sana \"{word}\". Jos arvossa on välilyöntejä, kirjoita se "
                      f"lainausmerkkeihin, esimerkiksi: {example}")
    if args.command in NEEDS_TITLE and not args.title:
        raise Mistake(f"Komennolta {args.command} puuttuu otsikko. Esimerkki: "
                      f"{PROGRAM} {args.command} \"Otsikko suomeksi\"  (ohje: {PROGRAM} {args.command} --help)")
    return args


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(PLUGINS))
    try:
        args = parse(sys.argv[1:] if argv is None else argv)
    except Mistake as mistake:
        print(mistake, file=sys.stderr)
        return 1
    try:
        outcome = COMMANDS[args.command][0](args)
    except KeyboardInterrupt:
        print("\nLopetettu.", file=sys.stderr)
        return 130
    return 1 if outcome is False else 0


if __name__ == "__main__":
    sys.exit(main())

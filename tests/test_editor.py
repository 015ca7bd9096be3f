"""The staff's web editor at /admin/ (plugins/editor, editor/).

The configuration is generated from the content schemas (tests below fail
when they drift apart), and the editor itself is driven in Chromium against
decap-server on a temporary git repository: the files it writes must build.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import CONTENT, ROOT, StaticServer, free_port, front_matter, post, run_build, site_headers

EDITOR = ROOT / "editor"
NODE_MODULES = EDITOR / "node_modules"


def settings(name="publishconf.py"):
    from pelican.settings import read_settings

    from editor import default_settings

    values = read_settings(str(ROOT / name))
    for key, value in default_settings(os.environ).items():
        values.setdefault(key, value)
    return values


def need_node_modules():
    if not (NODE_MODULES / "decap-server").is_dir():
        # Never a silent skip: the editor is only tested with its pinned packages.
        pytest.fail("Run `npm ci --prefix editor` (make test does) to install decap-cms and decap-server.")


def node(script: str) -> str:
    """Run an ES module snippet with Node in editor/ and return what it printed."""
    proc = subprocess.run(["node", "--input-type=module", "-e", script], cwd=EDITOR,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


# --- one source of truth ---------------------------------------------------------

def test_every_schema_field_is_in_the_editor_with_the_same_rules():
    from content_types.schema import EDITOR_PATTERNS
    from editor.config import collections, decap_collection
    from event_calendar.when import WHEN_PATTERN

    values = settings()
    checked = 0
    for collection in collections(values):
        spec = decap_collection(collection, "content")
        fields = {f["name"]: f for f in spec["fields"]}
        names = [f.name for f in collection.schema]
        if collection.lang and collection.lang[1]:  # the site's own language's pages: their Lang
            names.insert(names.index("Slug") + 1, "Lang")
        assert [f["name"] for f in spec["fields"]] == names + ["body"]
        for field in collection.schema:
            decap = fields[field.name]
            assert decap["required"] is field.required, (collection.name, field.name)
            if field.choices is not None:
                assert [o["value"] for o in decap["options"]] == list(field.choices), field.name
                assert decap["widget"] == "select" and decap.get("multiple", False) == (field.kind == "choices")
            if field.kind in EDITOR_PATTERNS and decap["widget"] == "string":
                assert decap["pattern"] == list(EDITOR_PATTERNS[field.kind])
            if field.kind == "when":
                assert decap["pattern"][0] == WHEN_PATTERN and field.help in decap["hint"]
            checked += 1
    assert checked > 50
    names = {c.name: c for c in collections(values)}
    events = {f.name: f for f in names["events"].schema}
    assert set(events["Kind"].choices) == {"kokous", "koulutus", "seminaari", "kysely", "hanke"}
    posts = {f.name: f for f in names["posts"].schema}
    assert list(posts["Category"].choices) == values["ALLOWED_CATEGORIES"]
    assert set({f.name: f for f in names["bulletins"].schema}["Groups"].choices) == set(values["MEMBER_GROUPS"])
    # A writer can name the sources of a post, a page, an event and an institution in the editor.
    for name in ("posts", "pages", "events", "directory"):
        assert {"Source", "Sources"} <= {f.name for f in names[name].schema}, name


def test_post_schema_agrees_with_the_post_checks():
    from content_rules.rules import REQUIRED_POST_FIELDS, post_problems, post_schema

    schema = {f.name: f for f in post_schema(["Hankkeet"])}
    for key, (name, _fix) in REQUIRED_POST_FIELDS.items():
        assert schema[name].required
    base = {"category": type("C", (), {"name": "Hankkeet"})(), "author": "A", "summary": "S"}
    assert post_problems("p.md", base, ["Hankkeet"], "X") == []
    for key in ("category", "author", "summary"):
        fields = {f.field for f in post_problems("p.md", {k: v for k, v in base.items() if k != key},
                                                 ["Hankkeet"], "X")}
        assert schema[key.capitalize()].required and key.capitalize() in fields


def test_new_files_get_what_invoke_writes():
    import datetime as dt

    from editor.config import NEW_FILE_VALUES
    from tasks import new_event_text, new_member_text, new_post_text

    from_tasks = {
        "posts": new_post_text("Otsikko", dt.date(2021, 1, 5), "Hankkeet", "Konservatorioliiton toimisto")[1],
        "events": new_event_text("Otsikko", str(uuid.uuid4()))[1],
        "bulletins": new_member_text("Otsikko", "ab" * 16, dt.date(2021, 1, 5), False)[1],
        "materials": new_member_text("Otsikko", "ab" * 16, dt.date(2021, 1, 5), True)[1],
    }
    for name, values in NEW_FILE_VALUES.items():
        written = dict(line.split(": ", 1) for line in from_tasks[name].split("\n\n")[0].splitlines()
                       if ": " in line)
        for key, value in values.items():
            if (name, key) == ("posts", "Status"):
                # The editor's draft stage is the workflow: what it publishes is meant to be seen.
                assert (written[key], value) == ("draft", "published")
                continue
            assert written[key] == (", ".join(value) if isinstance(value, list) else value), (name, key)


def test_editor_patterns_accept_only_what_the_build_accepts():
    from content_types.schema import EDITOR_PATTERNS, Field, Invalid, convert
    from event_calendar.when import WHEN_PATTERN, parse_when
    from zoneinfo import ZoneInfo

    samples = {
        "url": ["https://www.esimerkki.fi/", "https://a.fi", "http://a.fi", "https://localhost/",
                "https://a.fi/x y", "www.a.fi", "https://a.fi/?q=1#x"],
        "email": ["toimisto@esimerkki.fi", "a@b", "a b@c.fi", "x@y.fi."],
        "phone": ["+358 9 123 4567", "09 123 4567", "123", "puh 09 1234"],
        "coordinates": ["60.170, 24.941", "60.17,24.94", "24.941, 60.170", "58.9, 24.9", "70.5, 31.9",
                        "70.9, 25", "65, 32.5"],
        "int": ["3", "-1", "3.5", "x"],
        "uuid": [str(uuid.uuid4()), "abc"],
    }
    for kind, values in samples.items():
        pattern = re.compile(EDITOR_PATTERNS[kind][0])
        accepted = 0
        for value in values:
            if pattern.search(value):
                accepted += 1
                convert(Field("X", kind), value)  # raises Invalid if the build refuses it
        assert 0 < accepted < len(values), kind
    when = re.compile(WHEN_PATTERN)
    for value in ["2021-11-17", "2021-11-17/2021-11-19", "2021-03-29 13:00-14:30", "2021-02",
                  "2021-09/2021-11", "2021-syksy", "2021", "2021-03-29 13:00/2021-03-30 12:00"]:
        assert when.search(value), value
        parse_when(value, ZoneInfo("Europe/Helsinki"))
    for value in ["ensi keväänä", "17.11.2021", "2021-11-17 13:00", "marraskuu 2021"]:
        assert not when.search(value), value
        with pytest.raises(Invalid):
            parse_when(value, ZoneInfo("Europe/Helsinki"))


def test_build_writes_the_generated_config_and_no_content(site):
    from editor import backend
    from editor.config import editor_config
    from responsive_images.images import MAX_BYTES

    values = settings()
    written = json.loads(site.read("admin/config.json"))
    assert written == json.loads(json.dumps(editor_config(values, backend(values), MAX_BYTES)))
    assert {c["name"] for c in written["collections"]} == {
        "posts", "events", "bulletins", "materials", "pages", "pages-sv", "pages-en", "directory", "channels"}
    pages = next(c for c in written["collections"] if c["name"] == "pages")
    directory = next(c for c in written["collections"] if c["name"] == "directory")
    assert pages["create"] is False and directory["create"] is False
    members = [c for c in written["collections"] if c["name"] in ("bulletins", "materials")]
    assert all(c["media_folder"] == "/content/members/tiedostot" for c in members)
    assert all(next(f for f in c["fields"] if f["name"] == "body")["editor_components"] == [] for c in members)
    # The editor's own files hold no members' content: no title, summary or file name
    # (the bundle is Decap's own, byte for byte: see the test below).
    admin = b"".join(p.read_bytes() for p in (site.output / "admin").iterdir()
                     if p.is_file() and not p.name.startswith("decap-cms.js") and p.suffix not in (".gz", ".br"))
    assert b"config.json" in admin and b"registerCustomFormat" in admin
    for path in (CONTENT / "members").rglob("*.md"):
        fields = front_matter(path)
        for key in ("title", "summary", "id"):
            assert fields[key].encode() not in admin, f"{path} in output/admin"
    for path in (CONTENT / "members" / "tiedostot").iterdir():
        assert path.name.encode() not in admin


def test_editor_page_is_hidden_from_search_engines_and_has_its_own_headers(site):
    page = site.html("admin/")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    assert "/admin/" not in site.read("sitemap.xml")
    assert "data-pagefind-body" not in site.read("admin/index.html")
    public = site_headers(site.output)
    admin = site_headers(site.output, ("/*", "/admin/*"))
    assert "unsafe" not in public["Content-Security-Policy"].replace("wasm-unsafe-eval", "")
    assert "'unsafe-inline'" in admin["Content-Security-Policy"]
    assert admin["X-Robots-Tag"] == "noindex, nofollow"
    headers = site.read("_headers")
    # Cloudflare Pages joins the values of every matching rule: the public policy
    # stays in /* (every page, a 404 answer included) and /admin/* detaches it first.
    star = headers.split("\n\n")[0]
    assert "Content-Security-Policy: default-src 'none'; script-src 'self' 'wasm-unsafe-eval'" in star
    admin_block = headers.split("\n/admin/*\n")[1].split("\n\n")[0]
    assert admin_block.startswith("  ! Content-Security-Policy\n")
    assert "\n/admin/\n" not in headers
    htaccess = site.read("admin/.htaccess")
    assert "'unsafe-inline'" in htaccess and "unsafe-inline" not in site.read(".htaccess")


def test_format_slug_and_locale_in_node():
    need_node_modules()
    from tasks import _slug

    titles = ["Äänestys öljy: Q&A, 2.0 — rock'n'roll", "Kevään koulutus – uusi päivä!",
              "Svenska: Yrkesakademin i Österbotten", "  Välilyönnit   ja -- viivat  ",
              "Café & Crème brûlée", "Straße Ærø Łódź", "Hinta 5 € / 10 %", "Tiedote (1/2021)"]
    out = json.loads(node(f"import {{ slugify }} from './src/slug.js';"
                          f"console.log(JSON.stringify({json.dumps(titles)}.map(slugify)));"))
    assert out == [_slug(title) for title in titles]

    # Every content file read and written back unchanged by the editor's format, with its
    # collection's fields, is the same file byte for byte: its lists, field order and text.
    written, fields_of = round_trip({path: path.read_text(encoding="utf-8")
                                     for path in sorted(CONTENT.rglob("*.md"))})
    assert len(written) > 150 and {"pages", "pages-sv", "posts", "events"} <= set(fields_of.values())
    for path, text in written.items():
        assert text == path.read_text(encoding="utf-8"), (path, fields_of[path])

    # The Finnish locale has every key of Decap's English one, the workflow's stages too.
    keys = json.loads(node(
        "import en from 'decap-cms-locales/dist/esm/en/index.js';"
        "import fi from './src/fi.js';"
        "const keys = (o, p = '') => Object.entries(o).flatMap(([k, v]) =>"
        " typeof v === 'object' ? keys(v, p + k + '.') : [p + k]);"
        "console.log(JSON.stringify({en: keys(en), fi: keys(fi), workflow: fi.workflow.workflowList,"
        " toolbar: fi.editor.editorToolbar}));"))
    assert set(keys["en"]) - set(keys["fi"]) == set()
    stages = ["Luonnos", "Tarkistettavana", "Valmis julkaistavaksi"]
    assert [keys["workflow"][k] for k in ("draftHeader", "inReviewHeader", "readyHeader")] == stages
    assert [keys["toolbar"][k] for k in ("draft", "inReview", "ready")] == stages


def collection_of(path: Path, collections: list[dict]) -> dict:
    """The editor's collection of a content file: the deepest folder it is in (the
    translations of events and institutions are in their folders' subfolders)."""
    folder = "content/" + path.parent.relative_to(CONTENT).as_posix()
    found = [c for c in collections if (folder + "/").startswith(c["folder"] + "/")]
    return max(found, key=lambda c: len(c["folder"]))


def round_trip(texts: dict[Path, str], edit: str = "") -> tuple[dict[Path, str], dict[Path, str]]:
    """Each text parsed and serialized with its collection's fields (``edit``: JavaScript
    run on each entry's ``data`` in between, as a writer's change)."""
    from editor import backend
    from editor.config import editor_config

    values = settings()
    collections = editor_config(values, backend(values), 1)["collections"]
    fields_of = {path: collection_of(path, collections)["name"] for path in texts}
    fields = {c["name"]: c["fields"] for c in collections}
    script = (
        "import { parse, serialize } from './src/pelican-format.js';"
        "import fs from 'node:fs';"
        "const { texts, fields } = JSON.parse(fs.readFileSync(0, 'utf8'));"
        "const out = {};"
        "for (const [name, [collection, text]] of Object.entries(texts)) {"
        "  const data = parse(text, fields[collection]);"
        f"  {edit};"
        "  out[name] = serialize(data, fields[collection]);"
        "}"
        "console.log(JSON.stringify(out));"
    )
    given = {str(path): [fields_of[path], text] for path, text in texts.items()}
    proc = subprocess.run(["node", "--input-type=module", "-e", script], cwd=EDITOR, capture_output=True,
                          input=json.dumps({"texts": given, "fields": fields}), text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return {Path(name): text for name, text in json.loads(proc.stdout).items()}, fields_of


def test_a_changed_value_is_written_in_its_place_and_a_new_file_in_the_fields_order():
    need_node_modules()
    page = CONTENT / "pages" / "sv" / "hallinto.md"
    original = page.read_text(encoding="utf-8")
    written, _ = round_trip({page: original}, edit="data.Nav = '3'; data.Summary = 'Ny\\nsammanfattning.'")
    assert written[page] == original.replace("Nav: 2", "Nav: 3").replace(
        re.search(r"Summary: .*", original).group(0), "Summary: Ny sammanfattning."), "in place, one line each"
    # A Finnish page has no Lang line: it is read as Finnish (the collection shows only
    # Finnish pages) and written without one.
    finnish = CONTENT / "pages" / "liitto" / "hallinto.md"
    written, _ = round_trip({finnish: finnish.read_text(encoding="utf-8")},
                            edit="if (data.Lang !== 'fi') throw new Error(data.Lang); data.body += '\\nLisätty.'")
    assert "Lang" not in written[finnish] and written[finnish].endswith("Lisätty.\n")
    # A new file (nothing read) has the fields in the editor's order: tasks.py's order.
    new = node(
        "import { serialize } from './src/pelican-format.js';"
        "const fields = [{name: 'Title'}, {name: 'Date'}, {name: 'Slug'}, {name: 'Tags', widget: 'list'}];"
        "console.log(JSON.stringify(serialize({Tags: ['a', 'b'], Slug: 's', Title: 'T', Date: '2021-01-05',"
        " body: 'Teksti.'}, fields)));")
    assert json.loads(new) == "Title: T\nDate: 2021-01-05\nSlug: s\nTags: a, b\n\nTeksti.\n"


def test_the_editor_has_drafts_review_and_deletion():
    from editor import backend
    from editor.config import editor_config

    values = settings()
    for spec in (backend(values), backend({**values, "EDITOR_GITHUB_REPO": "liitto/sivusto"})):
        config = editor_config(values, spec, 1)
        assert config["publish_mode"] == "editorial_workflow"
        assert config["backend"]["commit_messages"]["create"] == "Uusi: {{collection}} ”{{slug}}”"
        # A mistake can be deleted: with decap-server by Decap's own button; on GitHub, whose
        # main is protected, by ours through a pull request (Decap's commits straight to main).
        deletable = {c["delete"] for c in config["collections"]}
        assert deletable == ({False} if spec["name"] == "github" else {True}), spec["name"]
    # On GitHub the preview link is the status the pull-request workflow sets (deploy/report.py).
    github = editor_config(values, backend({**values, "EDITOR_GITHUB_REPO": "liitto/sivusto"}), 1)
    assert github["backend"]["preview_context"] == "deploy/esikatselu"


def test_pages_are_listed_by_language_and_section_and_events_by_date():
    from editor.config import collections, decap_collection

    values = settings()
    specs = {c.name: decap_collection(c, "content") for c in collections(values)}
    finnish = specs["pages"]
    assert finnish["folder"] == "content/pages" and finnish["filter"] == {"field": "Lang", "value": "fi"}
    # Its sections' folders are named by themselves (liitto), not by a page in them.
    assert finnish["nested"] == {"depth": 5, "subfolders": False}
    assert {"name": "Lang", "label": "Kieli", "widget": "hidden", "required": False, "implied": "fi"} in \
        finnish["fields"]
    for code in ("sv", "en"):
        spec = specs[f"pages-{code}"]
        assert spec["folder"] == f"content/pages/{code}" and spec["filter"] == {"field": "Lang", "value": code}
        assert spec["label"] == f"Sivut – {values['LANGUAGES'][code]['name']}" and "nested" not in spec
        assert spec["create"] is False
    for name in ("pages", "pages-sv", "pages-en"):
        assert specs[name]["sortable_fields"][0] == {"field": "Slug", "default_sort": "asc"}, "by section"
        assert specs[name]["view_groups"] == [{"label": "Osio", "field": "Slug", "pattern": "^[a-z0-9_-]+"}]
    assert specs["events"]["sortable_fields"][0] == {"field": "When", "default_sort": "desc"}
    for name in ("posts", "bulletins", "materials"):
        assert specs[name]["sortable_fields"][0] == {"field": "Date", "default_sort": "desc"}, name


def test_widgets_and_texts_in_node():
    need_node_modules()
    from editor.config import HINTS

    out = json.loads(node(
        "import { freeSlug, today } from './src/widgets.js';"
        "import { text } from './src/preview.js';"
        "import { countWords, finnishCount } from './src/editor.js';"
        "const taken = new Set(['kokous', 'kokous-2', 'kevat']);"
        "const status = {options: [{value: 'draft', label: 'luonnos'}, {value: 'published', label: 'julkaistu'}]};"
        "const words = countWords([{fields: [{label: 'Liitteet', count_label: 'liitettä'}, {label: 'Aiheet'}]}]);"
        "console.log(JSON.stringify({"
        " free: [freeSlug('kokous', taken), freeSlug('kevat', taken), freeSlug('uusi', taken), freeSlug('', taken)],"
        " today: today(new Date(2021, 0, 5, 23, 59)),"
        " shown: [text('draft', status), text(['draft', 'published'], status), text('muu', status), text(undefined)],"
        " counts: ['0 liitteet', '1 liite', '12 liitteet', '2 aiheet'].map(t => finnishCount(t, words)),"
        "}));"))
    assert out["free"] == ["kokous-3", "kevat-2", "uusi", ""]
    assert out["today"] == "2021-01-05" and "2021-01-05" in HINTS["Date"], "the form the help text shows"
    assert out["shown"] == ["luonnos", "luonnos, julkaistu", "muu", ""]
    assert out["counts"] == ["0 liitettä", "1 liite", "12 liitettä", "2 aiheet"]
    locale = (EDITOR / "src" / "fi.js").read_text(encoding="utf-8")
    assert "\uff0b" not in locale and "newButton: '+ %{collectionLabel}'" in locale, "an ordinary plus"
    assert "%{fieldLabel} tähän" not in locale, "Decap names the field by its name (Date) there"


def test_open_drafts_are_listed_from_either_backend_in_node():
    """The address widget's list of open drafts (a draft is a branch cms/<collection>/<file slug>):
    decap-server's own action; on GitHub the open pull requests from cms/ branches, asked with the
    signed-in writer's token. A dated file slug gives back its Slug."""
    need_node_modules()
    out = json.loads(node(
        "import { draftLister, slugInFileSlug } from './src/widgets.js';"
        "globalThis.localStorage = {getItem: key => key === 'decap-cms-user' ? '{\"token\": \"avain\"}' : null};"
        "const asked = [];"
        "const answers = [['events/kokous', 'posts/2031-02-01-kokous'],"
        " [{head: {ref: 'cms/events/kokous'}}, {head: {ref: 'oma-haara'}}, {head: {ref: 'cms/posts/2031-02-01-a-b'}}]];"
        "const fetchJson = async (url, options) => { asked.push([url, options]); return answers[asked.length - 1]; };"
        "const proxy = await draftLister({name: 'proxy', proxy_url: 'http://localhost:8081/api/v1', branch: 'main'},"
        " fetchJson)();"
        "const github = await draftLister({name: 'github', repo: 'liitto/sivusto', branch: 'main'}, fetchJson)();"
        "console.log(JSON.stringify({proxy, github, asked,"
        " slugs: [slugInFileSlug('{{fields.Date}}-{{fields.Slug}}', '2031-02-01-hallituksen-kokous-2'),"
        "  slugInFileSlug('{{fields.Slug}}', 'hallituksen-kokous'),"
        "  slugInFileSlug('{{fields.Date}}-{{fields.Slug}}', 'ei-paivaa')],"
        "}));"))
    assert out["proxy"] == ["events/kokous", "posts/2031-02-01-kokous"]
    (proxy_url, proxy_options), (github_url, github_options) = out["asked"]
    assert proxy_url == "http://localhost:8081/api/v1" and proxy_options["method"] == "POST"
    assert json.loads(proxy_options["body"]) == {"action": "unpublishedEntries", "params": {"branch": "main"}}
    assert github_url == "https://api.github.com/repos/liitto/sivusto/pulls?state=open&base=main&per_page=100"
    assert github_options["headers"] == {"Authorization": "token avain"}
    assert out["github"] == ["events/kokous", "posts/2031-02-01-a-b"]
    assert out["slugs"] == ["hallituksen-kokous-2", "hallituksen-kokous", None]


PREVIEW_CONTEXT = "deploy/esikatselu"
RUN = "https://github.com/liitto/sivusto/actions/runs/77"


def draft_notices(statuses: dict[str, object]) -> dict:
    """draft-status.js's notice for the open entry, in Node with a fake GitHub: each case
    is the combined status GitHub gives the draft's head commit (a string: that request fails)."""
    script = """
import { draftNotice, entryKey } from './src/draft-status.js';
globalThis.localStorage = {getItem: key => key === 'decap-cms-user' ? '{"token": "avain"}' : null};
const warnings = [];
console.warn = (...args) => warnings.push(args.map(String).join(' '));
const backend = {name: 'github', repo: 'liitto/sivusto', branch: 'main', preview_context: 'deploy/esikatselu'};
const pulls = [{head: {ref: 'cms/posts/2031-02-01-kokous', sha: 'a'.repeat(40)}},
               {head: {ref: 'oma-haara', sha: 'b'.repeat(40)}}];
const out = {};
for (const [name, combined] of Object.entries(CASES)) {
  const asked = [];
  const fetchJson = async (url, options) => {
    asked.push([url, options.headers.Authorization]);
    if (url.includes('/pulls?')) return pulls;
    if (typeof combined === 'string') throw new Error(`${url}: ${combined}`);
    return combined;
  };
  const notice = await draftNotice(backend, '#/collections/posts/entries/2031-02-01-kokous', fetchJson);
  out[name] = {notice, asked, warnings: warnings.splice(0)};
}
const asked = [];
const none = async url => { asked.push(url); return []; };
out.published = {notice: await draftNotice(backend, '#/collections/posts/entries/2021-01-05-eka', none), asked};
out.lists = await Promise.all(['#/collections/posts', '#/collections/posts/new', '#/workflow', '']
  .map(hash => draftNotice(backend, hash, async () => { throw new Error('not asked'); })));
out.keys = ['#/collections/pages-fi/entries/yhdistys/hallitus', '#/collections/posts/entries/a%C3%A4?x=1']
  .map(entryKey);
console.log(JSON.stringify(out));
""".replace("CASES", json.dumps(statuses))
    return json.loads(node(script))


def test_a_drafts_failed_check_is_shown_in_the_editor_in_node():
    """Issue 25: Decap links only a successful preview, so a draft's own notice tells the
    rest, from the preview status (deploy/report.py's CONTEXT) of its pull request's head."""
    need_node_modules()
    other = {"context": "Testit", "state": "failure", "description": "ei tämä", "target_url": RUN + "/9"}
    status = lambda state, description, url=RUN: {"state": state, "statuses": [
        other, {"context": PREVIEW_CONTEXT, "state": state, "description": description, "target_url": url}]}
    out = draft_notices({
        "failure": status("failure", "Kokoaminen epäonnistui: 2 virhettä. Korjaa ja tallenna uudelleen."),
        "error": status("error", "Esikatselua ei saatu julkaistua (ei sisällön vika): katso ajon tiedot."),
        "pending": status("pending", "Esikatselua kootaan…", None),
        "success": status("success", "Esikatselu on valmis.", "https://esikatselu.example/"),
        "unchecked": {"state": "pending", "statuses": [other]},
        "script_link": status("failure", "Kokoaminen epäonnistui: 1 virhe.", "javascript:alert(1)"),
        "refused": "401",
        "offline": "Failed to fetch",
    })
    failure = out["failure"]["notice"]
    assert failure == {
        "role": "alert", "kind": "failure",
        "text": "Tarkistus epäonnistui: Kokoaminen epäonnistui: 2 virhettä. Korjaa ja tallenna uudelleen.",
        "link": {"href": RUN, "text": "Näytä virheet"},
        "note": "Luonnosta ei voi julkaista, ennen kuin virheet on korjattu ja luonnos tallennettu uudelleen."}
    # The draft's pull request, then its head commit's status, with the writer's token.
    assert out["failure"]["asked"] == [
        ["https://api.github.com/repos/liitto/sivusto/pulls?state=open&base=main&per_page=100", "token avain"],
        ["https://api.github.com/repos/liitto/sivusto/commits/" + "a" * 40 + "/status", "token avain"]]
    assert out["error"]["notice"] == {
        "role": "alert", "kind": "error",
        "text": "Esikatselua ei saatu julkaistua (ei sisällön vika): katso ajon tiedot.",
        "link": {"href": RUN, "text": "Näytä ajon tiedot"}}
    assert out["pending"]["notice"] == {"role": "status", "kind": "pending", "text": "Esikatselua kootaan…"}
    assert out["success"]["notice"] is None and out["unchecked"]["notice"] is None
    assert out["script_link"]["notice"]["link"] is None, "only a web address is linked"
    # A request that fails shows nothing and says why in the console.
    for case in ("refused", "offline"):
        assert out[case]["notice"] is None
        assert out[case]["warnings"][0].startswith("Luonnoksen tarkistuksen tilaa ei saatu luettua:"), out[case]
    assert all(out[case]["warnings"] == [] for case in ("failure", "pending", "success", "unchecked"))
    # A published entry has no draft: one look at the open drafts. A list asks nothing.
    assert out["published"] == {"notice": None, "asked": [
        "https://api.github.com/repos/liitto/sivusto/pulls?state=open&base=main&per_page=100"]}
    assert out["lists"] == [None, None, None, None]
    assert out["keys"] == ["pages-fi/yhdistys/hallitus", "posts/aä"]


DELETION = """
import { deleteEntry, deletionPlan, failureNotice, publishedEntry } from './src/delete-entry.js';
globalThis.localStorage = {getItem: key => key === 'decap-cms-user' ? '{"token": "avain"}' : null};
console.warn = () => {};
const backend = {name: 'github', repo: 'liitto/sivusto', branch: 'main',
                 commit_messages: {delete: 'Poistettu: {{collection}} ”{{slug}}”'}};
const config = {backend, collections: [
  {name: 'posts', label: 'Ajankohtaista', label_singular: 'kirjoitus', folder: 'content/posts', extension: 'md'},
  {name: 'pages', label: 'Sivut', label_singular: 'sivu', folder: 'content/pages', extension: 'md'}]};
const text = 'Title: Vanha ”uutinen” – ä\\nDate: 2021-01-05\\n\\nTeksti.\\n';
const file = {sha: 'f'.repeat(40), content: Buffer.from(text).toString('base64')};
// GitHub as the case has it: each answer by "METHOD path" (a number: that HTTP status).
function fakeGitHub(answers) {
  const asked = [];
  globalThis.fetch = async (url, options) => {
    const path = url.replace('https://api.github.com', '');
    asked.push([options.method || 'GET', path, options.body ? JSON.parse(options.body) : null,
                options.headers.Authorization]);
    const key = `${options.method || 'GET'} ${path.split('?')[0]}`;
    const answer = key in answers ? answers[key] : 404;
    return typeof answer === 'number' ? new Response(JSON.stringify({message: 'virhe'}), {status: answer})
      : new Response(answer === null ? null : JSON.stringify(answer), {status: answer === null ? 204 : 200});
  };
  return asked;
}
const repo = '/repos/liitto/sivusto';
const path = `${repo}/contents/content/posts/2021-01-05-vanha.md`;
const ok = {
  [`GET ${repo}/git/ref/heads/main`]: {object: {sha: '1'.repeat(40)}},
  [`POST ${repo}/git/refs`]: {ref: 'refs/heads/poisto/posts/2021-01-05-vanha'},
  [`GET ${path}`]: file, [`DELETE ${path}`]: {commit: {sha: '3'.repeat(40)}},
  [`POST ${repo}/pulls`]: {number: 7, node_id: 'PR_7', html_url: 'https://github.com/liitto/sivusto/pull/7'},
  [`GET ${repo}`]: {allow_auto_merge: true, allow_merge_commit: true, allow_squash_merge: true},
  ['POST /graphql']: {data: {enablePullRequestAutoMerge: {pullRequest: {number: 7}}}},
  [`DELETE ${repo}/git/refs/heads/poisto/posts/2021-01-05-vanha`]: null,
};
const plan = deletionPlan(config, 'posts/2021-01-05-vanha');
const out = {plan: {path: plan.path, branch: plan.branch}, nested: deletionPlan(config, 'pages/liitto/hallinto').path,
             unknown: deletionPlan(config, 'muut/x')};
const run = async (name, answers) => {
  const asked = fakeGitHub({...ok, ...answers});
  const { githubRequest } = await import('./src/github.js');
  let notice;
  try {
    notice = await deleteEntry(backend, plan, 'Vanha ”uutinen” – ä', githubRequest(backend));
  } catch (error) {
    notice = failureNotice(error);
  }
  out[name] = {notice, asked};
};
await run('success', {});
await run('squash_only', {[`GET ${repo}`]: {allow_auto_merge: true, allow_merge_commit: false, allow_squash_merge: true}});
await run('refused', {['POST /graphql']: {data: {enablePullRequestAutoMerge: null},
  errors: [{message: 'Pull request is in clean status'}]}});
await run('not_allowed', {[`GET ${repo}`]: {allow_auto_merge: false, allow_merge_commit: true}});
await run('exists', {[`POST ${repo}/git/refs`]: 422,
  [`GET ${repo}/pulls`]: [{number: 5, html_url: 'https://github.com/liitto/sivusto/pull/5'}]});
await run('middle', {[`DELETE ${path}`]: 409});
const { githubRequest } = await import('./src/github.js');
out.published = {};
for (const [name, answers] of Object.entries({
  published: {[`GET ${repo}/pulls`]: [{head: {ref: 'cms/posts/2021-01-05-muu'}}]},
  draft: {[`GET ${repo}/pulls`]: [{head: {ref: 'cms/posts/2021-01-05-vanha'}}]},
  new: {[`GET ${repo}/pulls`]: [], [`GET ${path}`]: 404}})) {
  const asked = fakeGitHub({...ok, ...answers});
  out.published[name] = {entry: await publishedEntry(backend, plan, githubRequest(backend)),
                         asked: asked.map(a => `${a[0]} ${a[1]}`)};
}
console.log(JSON.stringify(out));
"""


def test_a_published_entry_is_deleted_through_a_pull_request_in_node():
    """Issue 25: on GitHub a deletion is a pull request whose checks run before the entry
    leaves the site: a branch from the head, the file deleted there, the pull request and
    GitHub asked to merge it when the checks pass; a failure leaves no branch behind."""
    need_node_modules()
    out = json.loads(node(DELETION))
    assert out["plan"] == {"path": "content/posts/2021-01-05-vanha.md", "branch": "poisto/posts/2021-01-05-vanha"}
    assert out["nested"] == "content/pages/liitto/hallinto.md" and out["unknown"] is None
    repo, path = "/repos/liitto/sivusto", "/repos/liitto/sivusto/contents/content/posts/2021-01-05-vanha.md"
    success = out["success"]
    assert [a[:2] for a in success["asked"]] == [
        ["GET", f"{repo}/git/ref/heads/main"], ["POST", f"{repo}/git/refs"],
        ["GET", path + "?ref=poisto%2Fposts%2F2021-01-05-vanha"], ["DELETE", path],
        ["POST", f"{repo}/pulls"], ["GET", repo], ["POST", "/graphql"]]
    assert all(a[3] == "token avain" for a in success["asked"]), "as the signed-in writer"
    bodies = [a[2] for a in success["asked"]]
    assert bodies[1] == {"ref": "refs/heads/poisto/posts/2021-01-05-vanha", "sha": "1" * 40}
    assert bodies[3] == {"message": "Poistettu: kirjoitus ”2021-01-05-vanha”", "sha": "f" * 40,
                         "branch": "poisto/posts/2021-01-05-vanha"}
    assert bodies[4]["title"] == "Poisto: kirjoitus ”Vanha ”uutinen” – ä”"
    assert (bodies[4]["head"], bodies[4]["base"]) == ("poisto/posts/2021-01-05-vanha", "main")
    assert "content/posts/2021-01-05-vanha.md" in bodies[4]["body"] and "linkki" in bodies[4]["body"]
    assert "enablePullRequestAutoMerge" in bodies[6]["query"]
    assert bodies[6]["variables"] == {"id": "PR_7", "method": "MERGE"}
    pull = {"href": "https://github.com/liitto/sivusto/pull/7", "text": "Näytä poistopyyntö"}
    assert success["notice"] == {"role": "status", "kind": "pending", "link": pull,
                                 "text": "Poisto odottaa tarkistusta: sivusto päivittyy, kun tarkistukset ovat valmiit"}
    assert out["squash_only"]["asked"][-1][2]["variables"]["method"] == "SQUASH"
    # No auto-merge: the pull request stays, and the writer is told to merge it when checked.
    for case in ("refused", "not_allowed"):
        notice = out[case]["notice"]
        assert notice["role"] == "alert" and notice["link"] == pull, case
        assert "Merge pull request" in notice["note"] and "itsestään" in notice["text"]
        assert not any(a[0] == "DELETE" and "/git/refs/" in a[1] for a in out[case]["asked"])
    assert not any(a[1] == "/graphql" for a in out["not_allowed"]["asked"])
    # A deletion already waiting: said so, with its pull request; nothing else is touched.
    exists = out["exists"]
    assert exists["notice"] == {"role": "alert", "kind": "failure", "note": None,
                                "text": "Tämän sisällön poisto odottaa jo tarkistusta.",
                                "link": {"href": "https://github.com/liitto/sivusto/pull/5",
                                         "text": "Näytä poistopyyntö"}}
    assert [a[0] for a in exists["asked"]] == ["GET", "POST", "GET"]
    # A failure after the branch was made: the branch is deleted and the writer told in Finnish.
    middle = out["middle"]
    assert middle["asked"][-1][:2] == ["DELETE", f"{repo}/git/refs/heads/poisto/posts/2021-01-05-vanha"]
    assert not any(a[1] == f"{repo}/pulls" for a in middle["asked"])
    assert middle["notice"]["text"].startswith("Poisto epäonnistui: DELETE ")
    assert middle["notice"]["note"] == "Sivustolla ei muuttunut mitään."
    # The button is offered for a published entry only: not for one with a draft, nor a new one.
    published = out["published"]
    assert published["published"]["entry"] == {"sha": "f" * 40, "title": "Vanha ”uutinen” – ä"}
    assert published["published"]["asked"] == [
        f"GET {repo}/pulls?state=open&base=main&per_page=100", f"GET {path}?ref=main"]
    assert published["draft"]["entry"] is None and len(published["draft"]["asked"]) == 1
    assert published["new"]["entry"] is None


def test_vendored_bundle_is_the_pinned_package():
    need_node_modules()
    package = json.loads((EDITOR / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((EDITOR / "package-lock.json").read_text(encoding="utf-8"))
    for name, version in package["devDependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name}: pin an exact version"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    installed = NODE_MODULES / "decap-cms" / "dist" / "decap-cms.js"
    vendored = EDITOR / "vendor" / "decap-cms.js"
    assert hashlib.sha256(vendored.read_bytes()).digest() == hashlib.sha256(installed.read_bytes()).digest(), \
        "editor/vendor/decap-cms.js differs from the pinned package: copy it from editor/node_modules/decap-cms/dist/"


# --- the editor in Chromium ------------------------------------------------------

GIT_IDENTITY = {"GIT_AUTHOR_NAME": "Testi", "GIT_AUTHOR_EMAIL": "testi@example.invalid",
                "GIT_COMMITTER_NAME": "Testi", "GIT_COMMITTER_EMAIL": "testi@example.invalid"}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def content_repo(tmp_path):
    """A git repository with a copy of the site's content, as decap-server edits it."""
    repo = tmp_path / "repo"
    shutil.copytree(CONTENT, repo / "content")
    env = {**os.environ, **GIT_IDENTITY}
    for command in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"], ["git", "commit", "-qm", "Sisältö"]):
        subprocess.run(command, cwd=repo, env=env, check=True)
    return repo


@pytest.fixture
def decap_server(content_repo):
    need_node_modules()
    port = free_port()
    # Git mode, as `make muokkain` runs it: each draft a branch of its own (the workflow).
    env = {**os.environ, **GIT_IDENTITY, "PORT": str(port), "GIT_REPO_DIRECTORY": str(content_repo),
           "LOG_LEVEL": "warn", "MODE": "git"}
    process = subprocess.Popen(["node", str(NODE_MODULES / "decap-server" / "dist" / "index.js")], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("decap-server did not start: " + (process.stdout.read() or ""))
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=10)


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# Decap CMS's own markup and styles, which our configuration does not reach
# (README, "Editor"): its own styled components (their emotion class names
# carry the component's name: AppHeaderButton, SidebarNavLink, ToggleContainer,
# …: grey text under 4.5:1, a switch without a name or aria-checked), its
# toolbar's menu buttons, thumbnails without alt text in its media library and
# its Markdown editor's unlabelled textbox (Slate). Anything else on these
# screens, our fields, hints, widgets and preview included, must pass; the
# sign-in screen (editor/src/editor.css) has nothing excluded.
DECAP_STYLED = re.compile(r"css-[a-z0-9]+-[A-Z][A-Za-z]+")


def decap_own(rule: str, target: str, html: str, screen: str) -> bool:
    if screen == "login":
        return False
    if DECAP_STYLED.search(target) or DECAP_STYLED.search(html) or 'aria-haspopup="true"' in html:
        return True  # its styled components and its toolbar's menu buttons
    if rule == "image-alt":
        return "CardImage" in target
    if rule == "aria-input-field-name":
        return "data-slate-editor" in html
    return False


EXCLUDED = []


def axe_violations(axe, page, screen: str) -> list[str]:
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                     "resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            if decap_own(violation["id"], target, node["html"], screen):
                EXCLUDED.append((violation["id"], target))
            else:
                found.append(f"{violation['id']}: {target} {node['html'][:200]}")
    return found


def field(page, label: str):
    """A form field by its label; optional ones say so after the label."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(vapaaehtoinen\))?$"))


def fill(page, label: str, value: str):
    """Type into a text field; Decap may still be setting up a new entry's form."""
    from playwright.sync_api import expect

    for _attempt in range(3):
        field(page, label).fill(value)
        try:
            expect(field(page, label)).to_have_value(value, timeout=2000)
            return
        except AssertionError:
            pass
    expect(field(page, label)).to_have_value(value)


def choose(page, label: str, option: str):
    """Pick an option of a select field (react-select) by typing it."""
    field(page, label).fill(option)
    page.keyboard.press("Enter")


# When a form opens, Decap reads the entry's local backup (localForage in IndexedDB, key
# backup.<collection> for a new entry) and may then load it into the form. This script,
# installed in a context before /admin/ loads, counts the finished reads per key, so that
# new_entry can wait for the read of its own form.
BACKUP_READS = """
(() => {
  const get = IDBObjectStore.prototype.get;
  window.__backupReads = {};
  IDBObjectStore.prototype.get = function (key) {
    const request = get.apply(this, arguments);
    if (typeof key === 'string' && key.startsWith('backup.')) {
      request.addEventListener('success', () => {
        window.__backupReads[key] = (window.__backupReads[key] || 0) + 1;
      });
    }
    return request;
  };
})();
"""


def backup_reads(page, collection: str) -> int:
    return page.evaluate("key => (window.__backupReads || {})[key] || 0", f"backup.{collection}")


def new_entry(page, url: str, collection: str, label: str, idle: bool = True):
    """(``idle``: the network falls quiet; not under `make muokkain`, whose problems
    panel always has a request waiting for the next build.)"""
    from playwright.sync_api import expect

    # Decap reads the backup when its form mounts, and an open form (the entry just saved)
    # is reused for the next: through the collection's list, the new form mounts.
    page.goto(f"{url}/admin/#/collections/{collection}")
    expect(page.get_by_text(f"Kohteessa {label}")).to_have_count(0)
    before = backup_reads(page, collection)
    page.goto(f"{url}/admin/#/collections/{collection}/new")
    page.get_by_text(f"Kohteessa {label}").wait_for()
    page.wait_for_function("([key, before]) => ((window.__backupReads || {})[key] || 0) > before",
                           arg=[f"backup.{collection}", before])
    if idle:
        page.wait_for_load_state("networkidle")


def add_list_item(page, inside: str):
    """Add an item to a list field (Liitteet); retried like fill()."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _attempt in range(3):
        page.get_by_role("button", name=re.compile("^Lisää")).first.click()
        try:
            page.get_by_role("button", name=inside).wait_for(timeout=5000)
            return
        except PlaywrightTimeout:
            pass
    page.get_by_role("button", name=inside).wait_for()


def save_draft(page, **texts):
    """Save (Tallenna): a new entry becomes a draft, its own branch. The text fields
    given are checked first (a new entry's form may still have been reset by Decap)."""
    from playwright.sync_api import expect

    for label, value in texts.items():
        if field(page, label).input_value() != value:
            fill(page, label, value)
    address = field(page, "Osoite (luodaan otsikosta)")
    if address.count():  # the editor makes it from the title a moment after typing
        expect(address).not_to_have_value("")
    page.get_by_role("button", name="Tallenna", exact=True).click()


def set_stage(page, stage: str):
    """Move the entry on in the workflow with the toolbar's stage menu (Vaihe: …)."""
    page.get_by_role("button", name=re.compile("^Vaihe: ")).click()
    page.get_by_role("menuitem", name=stage, exact=True).click()
    page.get_by_role("button", name=f"Vaihe: {stage}").wait_for()


def publish(page, idle: bool = True, **texts):
    """The whole workflow: save the draft, to review, ready, publish (``idle``: as in
    new_entry)."""
    save_draft(page, **texts)
    page.get_by_role("button", name="Vaihe: Luonnos").wait_for(timeout=20_000)
    set_stage(page, "Tarkistettavana")
    set_stage(page, "Valmis julkaistavaksi")
    page.once("dialog", lambda dialog: dialog.accept())  # Julkaistaanko tämä?
    page.get_by_role("button", name="Julkaise", exact=True).click()
    page.get_by_role("menuitem", name="Julkaise nyt").click()
    page.get_by_role("button", name="Julkaistu", exact=True).wait_for(timeout=20_000)
    # Decap then loads the published entry at its own address: wait, or it fills the next form.
    page.wait_for_url(re.compile(r"#/collections/[a-z-]+/entries/"))
    if idle:
        page.wait_for_load_state("networkidle")


def editor_browser(playwright_browser, site, decap_server):
    """The built site served with its headers, and a Chromium page for its editor that talks to
    decap-server on its free port; the page's script errors are collected in ``page.errors``."""
    server = StaticServer(site.output, site_headers(site.output, ("/*", "/admin/*")))
    context = playwright_browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI")
    context.add_init_script(BACKUP_READS)
    # The configuration names decap-server's usual port; this one runs on a free port.
    context.route("http://localhost:8081/**",
                  lambda route: route.continue_(url=route.request.url.replace(":8081", f":{decap_server}")))
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.url_of_site = server.url
    return server, context, page


@pytest.fixture
def editor_page(playwright_browser, site, decap_server, tmp_path):
    """Chromium on the built site's /admin/, signed in to decap-server (local mode)."""
    server, context, page = editor_browser(playwright_browser, site, decap_server)
    page.goto(server.url + "/admin/")
    page.get_by_role("button", name="Kirjaudu").click()
    page.get_by_role("link", name="Ajankohtaista").first.wait_for()
    try:
        yield page
    except Exception:
        shot = Path(os.environ.get("EDITOR_FAILURE_SCREENSHOT", tmp_path / "editor-failure.png"))
        page.screenshot(path=str(shot), full_page=True)
        print("screenshot:", shot, page.errors)
        raise
    finally:
        context.close()
        server.close()
    assert not [e for e in page.errors if "Content Security Policy" in e], page.errors


def test_a_draft_is_reviewed_and_only_publishing_puts_it_on_the_branch(editor_page, content_repo):
    page = editor_page
    new_entry(page, page.url_of_site, "events", "Tapahtumat")
    fill(page, "Otsikko", "Työnkulun testikokous")
    fill(page, "Ajankohta", "2031-05-04")
    choose(page, "Laji", "kokous")
    save_draft(page, Otsikko="Työnkulun testikokous")
    page.get_by_role("button", name="Vaihe: Luonnos").wait_for(timeout=20_000)
    event = "content/events/tyonkulun-testikokous.md"
    assert git(content_repo, "branch", "--list", "cms/*").split() == ["cms/events/tyonkulun-testikokous"]
    assert event in git(content_repo, "ls-tree", "-r", "--name-only", "cms/events/tyonkulun-testikokous")
    assert event not in git(content_repo, "ls-tree", "-r", "--name-only", "main"), "a draft is not published"

    # The workflow board shows it under Luonnos, in Finnish.
    page.goto(f"{page.url_of_site}/admin/#/workflow")
    page.get_by_role("heading", name="Työnkulku").wait_for()
    columns = page.locator("h2").all_inner_texts()
    assert [c for c in columns if c in ("Luonnos", "Tarkistettavana", "Valmis julkaistavaksi")] == [
        "Luonnos", "Tarkistettavana", "Valmis julkaistavaksi"], columns
    page.get_by_text("Työnkulun testikokous").click()

    for stage, label in (("Tarkistettavana", "pending_review"), ("Valmis julkaistavaksi", "pending_publish")):
        set_stage(page, stage)
        assert git(content_repo, "config", "branch.cms/events/tyonkulun-testikokous.description").strip() == \
            f"decap-cms/{label}"
        assert event not in git(content_repo, "ls-tree", "-r", "--name-only", "main")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Julkaise", exact=True).click()
    page.get_by_role("menuitem", name="Julkaise nyt").click()
    page.get_by_role("button", name="Julkaistu", exact=True).wait_for(timeout=20_000)
    assert event in git(content_repo, "ls-tree", "-r", "--name-only", "main"), "publishing put it on main"
    assert git(content_repo, "branch", "--list", "cms/*").strip() == "", "its draft branch is gone"
    assert git(content_repo, "log", "-1", "--format=%s", "main").strip() == "Uusi: tapahtuma ”tyonkulun-testikokous”"
    assert front_matter(content_repo / event)["title"] == "Työnkulun testikokous"


def test_a_repeated_title_gets_a_free_address_and_entries_can_be_deleted(editor_page, content_repo, tmp_path):
    from playwright.sync_api import expect

    page = editor_page
    for when in ("2031-02-01", "2031-03-01"):
        new_entry(page, page.url_of_site, "events", "Tapahtumat")
        fill(page, "Otsikko", "Hallituksen kokous")
        fill(page, "Ajankohta", when)
        choose(page, "Laji", "kokous")
        expect(field(page, "Osoite (luodaan otsikosta)")).to_have_value(
            "hallituksen-kokous" if when == "2031-02-01" else "hallituksen-kokous-2")
        publish(page, Otsikko="Hallituksen kokous", Ajankohta=when)
    events = content_repo / "content" / "events"
    first, second = front_matter(events / "hallituksen-kokous.md"), front_matter(events / "hallituksen-kokous-2.md")
    assert (first["slug"], first["when"]) == ("hallituksen-kokous", "2031-02-01")
    assert (second["slug"], second["when"]) == ("hallituksen-kokous-2", "2031-03-01")
    build = run_build(tmp_path / "output", PATH=str(content_repo / "content"), EVENTS_RECORD_CHANGES=False,
                      SEARCH_INDEX=False)
    assert build.returncode == 0, build.stderr
    assert build.exists("tapahtumat/2031/hallituksen-kokous-2/")

    # An entry can be deleted; the build names the link left pointing at it.
    page.goto(f"{page.url_of_site}/admin/#/collections/events/entries/valtakunnalliset-musiikkikasvatuspaivat")
    page.once("dialog", lambda dialog: dialog.accept())  # Poistetaanko tämä julkaistu sisältö?
    page.get_by_role("button", name="Poista julkaistu").click(timeout=20_000)
    page.get_by_text("+ tapahtuma").wait_for(timeout=20_000)
    assert not (events / "valtakunnalliset-musiikkikasvatuspaivat.md").exists()
    assert git(content_repo, "log", "-1", "--format=%s", "main").strip() == \
        "Poistettu: tapahtuma ”valtakunnalliset-musiikkikasvatuspaivat”"
    build = run_build(tmp_path / "after", PATH=str(content_repo / "content"), EVENTS_RECORD_CHANGES=False,
                      SEARCH_INDEX=False)
    assert build.returncode != 0
    assert "content/events/syyskokous.md" in build.stderr
    assert "linkin kohdetta {filename}/events/valtakunnalliset-musiikkikasvatuspaivat.md ei löydy" in build.stderr


def test_a_second_draft_with_the_same_title_avoids_the_open_drafts_address(editor_page, content_repo, tmp_path):
    """Two drafts titled alike, the first not yet published: Decap's search sees only published
    entries, so the second took the first's Slug (its file became ...-1.md) and main's build
    stopped when both were published. The address widget also reads the open drafts."""
    from playwright.sync_api import expect

    page = editor_page
    for when, address in (("2031-02-01", "hallituksen-kokous"), ("2031-03-01", "hallituksen-kokous-2")):
        new_entry(page, page.url_of_site, "events", "Tapahtumat")
        fill(page, "Otsikko", "Hallituksen kokous")
        fill(page, "Ajankohta", when)
        choose(page, "Laji", "kokous")
        expect(field(page, "Osoite (luodaan otsikosta)")).to_have_value(address)
        save_draft(page, Otsikko="Hallituksen kokous", Ajankohta=when)
        page.get_by_role("button", name="Vaihe: Luonnos").wait_for(timeout=20_000)
    drafts = git(content_repo, "branch", "--list", "cms/*").split()
    assert drafts == ["cms/events/hallituksen-kokous", "cms/events/hallituksen-kokous-2"]

    # Both published (as Julkaise merges each draft): the site builds, each at its own address.
    merged = tmp_path / "merged"
    git(content_repo, "worktree", "add", "-q", "--detach", str(merged), "main")
    subprocess.run(["git", "merge", "-q", "--no-edit", *drafts], cwd=merged, check=True, capture_output=True,
                   env={**os.environ, **GIT_IDENTITY})
    second = front_matter(merged / "content" / "events" / "hallituksen-kokous-2.md")
    assert (second["slug"], second["when"]) == ("hallituksen-kokous-2", "2031-03-01")
    build = run_build(tmp_path / "output", PATH=str(merged / "content"), EVENTS_RECORD_CHANGES=False,
                      SEARCH_INDEX=False)
    assert build.returncode == 0, build.stderr
    assert build.exists("tapahtumat/2031/hallituksen-kokous/") and build.exists("tapahtumat/2031/hallituksen-kokous-2/")


def test_staff_write_a_post_an_event_and_a_bulletin_in_the_editor(
        playwright_browser, site, content_repo, decap_server, tmp_path):
    from axe_playwright_python.sync_playwright import Axe
    from PIL import Image

    image = tmp_path / "konsertti.png"
    Image.new("RGB", (120, 80), (180, 40, 90)).save(image)
    attachment = tmp_path / "kokouskutsu.pdf"
    attachment.write_bytes(b"%PDF-1.4\n% testiliite\n")

    server, context, page = editor_browser(playwright_browser, site, decap_server)
    errors = page.errors
    axe = Axe()
    try:
        page.goto(server.url + "/admin/")
        login = page.get_by_role("button", name="Kirjaudu")
        login.wait_for()
        problems = {"login": axe_violations(axe, page, "login")}
        login.click()
        page.get_by_role("link", name="Ajankohtaista").first.wait_for()
        problems["list"] = axe_violations(axe, page, "list")
        page.get_by_text("+ kirjoitus", exact=True).wait_for()  # an ordinary plus (not U+FF0B)

        # A post with a category and an image.
        new_entry(page, server.url, "posts", "Ajankohtaista")
        fill(page, "Otsikko", "Muokkaimen testikirjoitus: kevät")
        # The date as the file has it and the help says (not the browser's locale's form).
        import datetime as dt
        assert field(page, "Päivämäärä").input_value() == dt.date.today().isoformat()
        assert "esimerkiksi 2021-01-05" in page.get_by_text("Muodossa vuosi-kuukausi-päivä").inner_text()
        choose(page, "Kategoria", "Hankkeet")
        fill(page, "Tiivistelmä", "Kirjoitettu selaimen muokkaimessa.")
        # A new post is published when the workflow publishes it; the preview says so in Finnish.
        preview = page.frame_locator("iframe").first
        preview.get_by_text("julkaistu", exact=True).wait_for()
        assert preview.get_by_text("published", exact=True).count() == 0
        page.locator("[data-slate-editor]").click()
        page.keyboard.type("Tämä kirjoitus tehtiin muokkaimessa.")
        page.get_by_role("button", name="Lisää kuva tai muu osa").click()
        assert page.get_by_role("menuitem").all_inner_texts() == ["Koodilohko", "Kuva"]
        page.get_by_role("menuitem", name="Kuva").click()
        page.get_by_role("button", name="Valitse kuva").click()
        page.locator("input[type=file]").set_input_files(str(image))
        page.get_by_role("button", name="Käytä valittua").click()
        page.get_by_label("Vaihtoehtoinen teksti (pakollinen)").fill("Konsertin julisteen värit")
        labels = page.evaluate("() => [...document.querySelectorAll('[aria-label]')].map(e => e.ariaLabel)")
        assert not [label for label in labels if re.search(r"\b(Date|Title|Slug)\b", label)], labels
        problems["editor"] = axe_violations(axe, page, "editor")
        publish(page, Otsikko="Muokkaimen testikirjoitus: kevät", Tiivistelmä="Kirjoitettu selaimen muokkaimessa.")

        # An event over several days; a kind that does not exist cannot be chosen,
        # and a date the build cannot read gets a Finnish error.
        new_entry(page, server.url, "events", "Tapahtumat")
        fill(page, "Otsikko", "Muokkaimen testiseminaari")
        fill(page, "Ajankohta", "ensi keväänä")
        choose(page, "Laji", "juhla")
        save_draft(page)
        page.get_by_text("Ajankohtaa ei voi lukea.").first.wait_for()
        page.get_by_text("Laji on pakollinen.").first.wait_for()
        fill(page, "Ajankohta", "2031-03-17/2031-03-19")
        choose(page, "Laji", "seminaari")
        fill(page, "Paikka", "Tampere")
        publish(page, Otsikko="Muokkaimen testiseminaari", Ajankohta="2031-03-17/2031-03-19")

        # A members' bulletin with an attachment; its count in Finnish.
        new_entry(page, server.url, "bulletins", "Jäsentiedotteet")
        page.get_by_text("0 liitettä", exact=True).wait_for()
        add_list_item(page, "Valitse tiedosto")
        page.get_by_text("1 liite", exact=True).wait_for()
        page.get_by_role("button", name="Valitse tiedosto").click()
        page.locator("input[type=file]").set_input_files(str(attachment))
        page.get_by_role("button", name="Käytä valittua").click()
        page.locator("[data-slate-editor]").click()
        page.keyboard.type("Hallituksen kokous pidetään maaliskuussa.")
        fill(page, "Otsikko", "Muokkaimen testitiedote")
        fill(page, "Tiivistelmä", "Kokouskutsu liitteenä.")
        publish(page, Otsikko="Muokkaimen testitiedote", Tiivistelmä="Kokouskutsu liitteenä.")
    except Exception:
        shot = Path(os.environ.get("EDITOR_FAILURE_SCREENSHOT", tmp_path / "editor-failure.png"))
        page.screenshot(path=str(shot), full_page=True)
        print("screenshot:", shot, errors)
        raise
    finally:
        context.close()
        server.close()

    content = content_repo / "content"
    posts = list((content / "posts").glob("*-muokkaimen-testikirjoitus-kevat.md"))
    assert len(posts) == 1, sorted(p.name for p in (content / "posts").iterdir())
    post = front_matter(posts[0])
    assert posts[0].name == f"{post['date']}-muokkaimen-testikirjoitus-kevat.md"
    assert post["slug"] == "muokkaimen-testikirjoitus-kevat" and post["category"] == "Hankkeet"
    assert post["author"] == "Konservatorioliiton toimisto" and post["status"] == "published"
    assert "![Konsertin julisteen värit]({static}/images/konsertti.png)" in posts[0].read_text(encoding="utf-8")
    assert (content / "images" / "konsertti.png").read_bytes() == image.read_bytes()
    event_file = content / "events" / "muokkaimen-testiseminaari.md"
    event = front_matter(event_file)
    assert event["when"] == "2031-03-17/2031-03-19" and event["kind"] == "seminaari"
    assert event["status"] == "suunniteltu" and event["audience"] == "julkinen"
    uuid.UUID(event["uid"])
    bulletins = list((content / "members" / "tiedotteet").glob("*-muokkaimen-testitiedote.md"))
    assert len(bulletins) == 1
    bulletin = front_matter(bulletins[0])
    assert re.fullmatch(r"[0-9a-f]{32}", bulletin["id"]) and bulletin["groups"] == "jasenet"
    assert bulletin["attachments"] == "tiedostot/kokouskutsu.pdf" and "slug" not in bulletin
    assert (content / "members" / "tiedostot" / "kokouskutsu.pdf").read_bytes() == attachment.read_bytes()
    assert not (content / "images" / "kokouskutsu.pdf").exists()

    build = run_build(tmp_path / "output", PATH=str(content), EVENTS_RECORD_CHANGES=False, SEARCH_INDEX=False)
    assert build.returncode == 0, build.stderr
    year = post["date"][:4]
    article = build.html(f"ajankohtaista/{year}/muokkaimen-testikirjoitus-kevat/")
    assert article.find("h1").get_text() == "Muokkaimen testikirjoitus: kevät"
    assert article.find("img", alt="Konsertin julisteen värit")
    assert "muokkaimen-testikirjoitus-kevat" in build.read("ajankohtaista/")
    assert build.exists("tapahtumat/2031/muokkaimen-testiseminaari/")
    assert not any(b"Muokkaimen testitiedote" in p.read_bytes() or b"kokouskutsu" in p.read_bytes()
                   for p in build.output.rglob("*") if p.is_file())

    assert not [e for e in errors if "Content Security Policy" in e], errors
    assert problems == {"login": [], "list": [], "editor": []}, problems
    print("axe, excluded as Decap's own markup:", EXCLUDED)


def test_pages_by_language_and_an_edit_changes_only_what_was_edited(editor_page, content_repo):
    page = editor_page
    # Sivut: the Finnish pages, their sections' folders by their own names; the
    # translations in collections of their own (not folders named "Aktuellt", "News").
    page.get_by_role("link", name="Sivut", exact=True).click()
    sidebar = page.locator("aside").filter(has_text="Sisältölajit")
    sidebar.get_by_role("link", name="liitto", exact=True).wait_for()
    assert sidebar.get_by_role("link", name="Sivut", exact=True).count() == 1
    for name in ("Sivut – Svenska", "Sivut – English"):
        assert page.get_by_role("link", name=name, exact=True).is_visible()
    for wrong in ("Aktuellt", "News", "Ansio- ja kunniamerkit"):
        assert sidebar.get_by_text(wrong, exact=True).count() == 0, wrong
    # Events, the newest first.
    page.get_by_role("link", name="Tapahtumat", exact=True).click()
    page.get_by_text("2021-11-17/2021-11-19 – Valtakunnalliset musiikkikasvatuspäivät").wait_for()
    shown = [text.split(" – ")[0] for text in page.locator("main a h2, main a").all_inner_texts() if " – " in text]
    assert len(shown) > 10 and shown == sorted(shown, reverse=True), shown

    # A Swedish page (its lists, the order of its fields): one sentence added, one line changed.
    page.get_by_role("link", name="Sivut – Svenska", exact=True).click()
    page.get_by_text("liitto/hallinto – Förvaltning").click()
    text = page.locator("[data-slate-editor]")
    text.get_by_text("Kollegiet bistår styrelsen.", exact=False).click()
    page.keyboard.press("End")
    page.keyboard.type(" Tillagd mening.")
    publish(page)
    swedish = "content/pages/sv/hallinto.md"
    changed = git(content_repo, "diff", "--unified=0", "HEAD~1", "HEAD", "--", swedish)
    assert [line for line in changed.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")] == [
        f"-{line}" for line in git(content_repo, "show", f"HEAD~1:{swedish}").splitlines()
        if line.startswith("Kollegiet bistår")] + [
        f"+{line}" for line in (content_repo / swedish).read_text(encoding="utf-8").splitlines()
        if line.startswith("Kollegiet bistår")], changed
    assert "Tillagd mening." in (content_repo / swedish).read_text(encoding="utf-8")


# --- `make muokkain`: the local editor on a fresh clone ---------------------------

FAKE_NPM = """#!/bin/sh
# npm as `make muokkain` runs it, recorded; the install is the pinned packages already here.
echo "$*" >> "{log}"
[ "$*" = "ci --prefix editor --no-audit --no-fund --loglevel=error" ] || exit 1
mkdir editor/node_modules && ln -s "{modules}"/* editor/node_modules/
"""


@pytest.fixture
def fresh_clone(tmp_path):
    """A clone of the project as a writer has it: committed, nothing installed in editor/."""
    from test_preview import copy_project

    need_node_modules()
    (tmp_path / "projekti").mkdir()
    project = copy_project(tmp_path / "projekti")
    shutil.copy2(ROOT / ".gitignore", project / ".gitignore")
    (project / "content" / "posts" / "2021-01-05-hyva.md").write_text(post("Hyvä kirjoitus", slug="hyva-kirjoitus"),
                                                                       encoding="utf-8")
    env = {**os.environ, **GIT_IDENTITY}
    for command in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"], ["git", "commit", "-qm", "Klooni"]):
        subprocess.run(command, cwd=project, env=env, check=True)
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "npm").write_text(FAKE_NPM.format(log=tmp_path / "npm.log", modules=NODE_MODULES), encoding="utf-8")
    (tools / "npm").chmod(0o755)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}, **GIT_IDENTITY,
           "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}"}
    return SimpleNamespace(path=project, env=env, npm_log=tmp_path / "npm.log")


def start_muokkain(project: SimpleNamespace, port: int, editor_port: int):
    from conftest import hear_ctrl_c

    process = subprocess.Popen(["make", "--no-print-directory", "muokkain", f"PORT={port}", f"EDITOR_PORT={editor_port}"],
                               cwd=project.path, env=project.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True, preexec_fn=hear_ctrl_c)
    lines = []
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if line.startswith("Sivusto osoitteessa"):
            break
    threading.Thread(target=lambda: [lines.append(line.rstrip("\n")) for line in process.stdout], daemon=True).start()
    return process, lines


def test_make_muokkain_installs_and_starts_the_local_editor_on_a_fresh_clone(fresh_clone, playwright_browser):
    import urllib.request

    project = fresh_clone
    port, editor_port = free_port(), free_port()
    process, lines = start_muokkain(project, port, editor_port)
    try:
        assert any(line.startswith("Sivusto osoitteessa") for line in lines), "\n".join(lines)
        assert project.npm_log.read_text(encoding="utf-8").splitlines() == [
            "ci --prefix editor --no-audit --no-fund --loglevel=error"], "installed once, from the lock file"
        assert f"Muokkain: http://localhost:{port}/admin/ (kun sivusto on koottu)" in lines
        config = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/config.json").read())
        assert config["local_backend"]["url"] == f"http://localhost:{editor_port}/api/v1"
        info = urllib.request.Request(f"http://127.0.0.1:{editor_port}/api/v1", data=b'{"action": "info"}',
                                      headers={"Content-Type": "application/json"})
        assert json.loads(urllib.request.urlopen(info).read())["publish_modes"] == ["simple", "editorial_workflow"]

        # The writer signs in (no account on this machine), writes a post and publishes it:
        # it is committed on main, and the preview builds it.
        page = playwright_browser.new_page()
        page.add_init_script(BACKUP_READS)
        page.goto(f"http://localhost:{port}/admin/")
        page.get_by_role("button", name="Kirjaudu").click()
        page.get_by_text("Hyvä kirjoitus").wait_for()
        new_entry(page, f"http://localhost:{port}", "posts", "Ajankohtaista", idle=False)
        fill(page, "Otsikko", "Omalla koneella kirjoitettu")
        choose(page, "Kategoria", "Hankkeet")
        fill(page, "Tiivistelmä", "Kirjoitettu paikallisessa muokkaimessa.")
        publish(page, idle=False, Otsikko="Omalla koneella kirjoitettu",
                Tiivistelmä="Kirjoitettu paikallisessa muokkaimessa.")
        page.close()
        assert re.fullmatch(r"Uusi: kirjoitus ”\d{4}-\d\d-\d\d-omalla-koneella-kirjoitettu”",
                            git(project.path, "log", "-1", "--format=%s").strip())
        assert git(project.path, "status", "--porcelain") == ""
        assert git(project.path, "branch", "--show-current").strip() == "main"
        built = list((project.path / "output").glob("ajankohtaista/*/omalla-koneella-kirjoitettu/index.html"))
        deadline = time.monotonic() + 120
        while not built and time.monotonic() < deadline:  # the preview's build after the merge
            time.sleep(0.2)
            built = list((project.path / "output").glob("ajankohtaista/*/omalla-koneella-kirjoitettu/index.html"))
        assert built, "\n".join(lines)
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl+C in the terminal
        process.wait(timeout=30)
        print("\n".join(lines))
    with pytest.raises(OSError):  # decap-server stopped with the preview
        socket.create_connection(("127.0.0.1", editor_port), timeout=1).close()


def test_make_muokkain_refuses_to_sweep_a_writers_changes_into_a_draft(fresh_clone):
    (fresh_clone.path / "content" / "posts" / "2021-01-05-hyva.md").write_text(post("Muutettu"), encoding="utf-8")
    done = subprocess.run(["make", "--no-print-directory", "muokkain"], cwd=fresh_clone.path, env=fresh_clone.env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "git stash" in done.stderr and "git status" in done.stderr
    assert not fresh_clone.npm_log.exists() and not (fresh_clone.path / "output").exists()
    nameless = {k: v for k, v in fresh_clone.env.items() if not k.startswith("GIT_")}
    nameless.update(HOME=str(fresh_clone.path), GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=fresh_clone.path, check=True)
    done = subprocess.run(["make", "--no-print-directory", "muokkain"], cwd=fresh_clone.path, env=nameless,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and 'git config --global user.email "nimi@esimerkki.fi"' in done.stderr


# --- the writer's guide -------------------------------------------------------------

GUIDE = ROOT / "docs" / "kirjoittajan-opas.md"
# Words in the guide's steps that are not the editor's: GitHub's pages and programs (in
# English, as they show them), the operating systems' own and the browser's dialog.
NOT_THE_EDITORS = {
    "Sign in", "Authorize …", "Pull requests", "Closed", "Revert", "Create pull request", "Merge pull request",
    "Confirm merge", "Compare & pull request", "GitHub.com", "HTTPS", "Login with a web browser",
    "Authorize GitHub CLI", "Download for Mac", "Download Python 3…", "LTS", "Pääte", "Ohjelmat",
    "Lisäohjelmat", "Asenna", "Jatka", "Käynnistä", "Windows PowerShell", "Suorita järjestelmänvalvojana",
    "Ubuntu", "OK",
    # GitHub's pull request page: the two checks (tarkistus.yml's jobs) and a check's pages.
    "Kokoaminen ja esikatselu", "Testit", "Details", "Summary",
}


def editor_words() -> set[str]:
    """Every text the editor shows: its Finnish locale (with the values it is given),
    the generated configuration's labels and our own components'."""
    from editor import backend
    from editor.config import editor_config

    values = settings()
    config = editor_config(values, backend(values), 1)
    locale = json.loads(node("import fi from './src/fi.js';"
                             "const leaves = o => Object.values(o).flatMap(v => typeof v === 'object' ? leaves(v) : [v]);"
                             "console.log(JSON.stringify(leaves(fi)));"))
    fills = {"collectionLabel": [c["label_singular"] for c in config["collections"]],
             "item": [f.get("label_singular", "").lower() for c in config["collections"] for f in c["fields"]],
             "status": [fi for fi in locale if fi in ("Luonnos", "Tarkistettavana", "Valmis julkaistavaksi")]}
    words = set()
    for text in locale:
        names = re.findall(r"%\{(\w+)\}", text)
        if not names:
            words.add(text)
        elif len(names) == 1 and names[0] in fills:
            words.update(text.replace(f"%{{{names[0]}}}", value) for value in fills[names[0]])
    for collection in config["collections"]:
        words.add(collection["label"])
        for field_spec in collection["fields"]:
            words.add(field_spec["label"])
            words.update(option["label"] for option in field_spec.get("options", []))
    words.update(re.findall(r"label: '([^']+)'", (EDITOR / "src" / "editor.js").read_text(encoding="utf-8")))
    # A draft's notice of its check (draft-status.js).
    words.update(json.loads(node("import { TEXTS } from './src/draft-status.js';"
                                 "console.log(JSON.stringify(Object.values(TEXTS)));")))
    # Deleting a published entry through a pull request (delete-entry.js).
    words.update(json.loads(node("import { TEXTS } from './src/delete-entry.js';"
                                 "console.log(JSON.stringify(Object.values(TEXTS)));")))
    # The Finnish pages' sections, as the editor's tree names them (by their folders).
    words.update(folder.name for folder in (CONTENT / "pages").iterdir() if folder.is_dir())
    return words


def test_the_writers_guide_names_what_the_editor_shows():
    """The guide starts with the web editor; every button, menu item and field its steps
    name (in bold) is one the editor shows, spelled as it shows it."""
    need_node_modules()
    from responsive_images.images import MAX_BYTES

    guide = GUIDE.read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", guide, re.M)
    assert headings[:6] == ["Kirjautuminen", "Uusi kirjoitus", "Olemassa olevan tekstin muokkaaminen",
                            "Esikatselu", "Julkaiseminen", "Virheen korjaaminen"], headings
    assert headings[-2:] == ["Liite A: Muokkain omalla koneella", "Liite B: Tekstit tiedostoina ja kenttien merkitys"]
    steps = guide.split("\n## Liite B")[0]
    steps = "\n".join(line for line in steps.splitlines() if not line.startswith("    ") or line.strip()[:1] in "-*!")
    # Bold words, but for a list item's bold lead-in ("**Teksti kokonaan pois**: …").
    named = {m.group(1) for m in re.finditer(r"\*\*([^*]+)\*\*", steps) if steps[m.end():m.end() + 1] != ":"}
    words = editor_words()
    assert named - words - NOT_THE_EDITORS == set(), "not what the editor shows"
    assert {"Tallenna", "Vaihe: Luonnos", "Tarkistettavana", "Valmis julkaistavaksi", "Julkaise nyt",
            "Katso esikatselu", "Peru julkaisu", "Poista julkaistu", "+ kirjoitus",
            "Tarkistus epäonnistui", "Näytä virheet", "Esikatselua kootaan…", "Näytä ajon tiedot",
            "Poista sivustolta", "Poista", "Peruuta", "Näytä poistopyyntö", "Poisto epäonnistui",
            "Poisto odottaa tarkistusta: sivusto päivittyy, kun tarkistukset ovat valmiit"} <= named
    assert "\uff0b" not in guide and "muokkaimella" not in guide and "npx" not in guide
    assert "decap-server`" not in (GUIDE.parent / "muokkain.md").read_text(encoding="utf-8"), "make muokkain"
    for image in re.findall(r"\]\((kuvat/[^)]+)\)", guide):
        assert (GUIDE.parent / image).is_file(), image
    # The image limit as the editor says it (Decap counts 1000 bytes a kilobyte).
    assert f"{MAX_BYTES // 1000} kt" in guide and "%{size} kt" in (EDITOR / "src" / "fi.js").read_text(encoding="utf-8")
    # The local editor: one command, in the guide and in `make help`.
    assert "make muokkain" in guide and "Windowsissa" in guide and "macOS" in guide
    assert "make muokkain" in subprocess.run(["make", "--no-print-directory", "help"], cwd=ROOT,
                                            capture_output=True, text=True, check=True).stdout
    # The files' field names beside the editor's.
    pairs = re.findall(r"(\w[\w-]*) = (\w+)", guide.split("## Liite B")[1].split("###")[0])
    from editor.config import LABELS
    assert len(pairs) > 10 and all(LABELS[name].startswith(label) for name, label in pairs), pairs

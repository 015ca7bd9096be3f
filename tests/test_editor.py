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
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from conftest import CONTENT, ROOT, StaticServer, free_port, front_matter, run_build, site_headers

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
        assert [f["name"] for f in spec["fields"]] == [f.name for f in collection.schema] + ["body"]
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
        "posts", "events", "bulletins", "materials", "pages", "directory", "channels"}
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

    # Every content file survives the editor's reading and writing unchanged in meaning.
    files = sorted((CONTENT).rglob("*.md"))
    texts = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in files}
    script = (
        "import { parse, serialize } from './src/pelican-format.js';"
        "import fs from 'node:fs';"
        f"const texts = JSON.parse(fs.readFileSync(0, 'utf8'));"
        "const fields = [{name: 'Tags', widget: 'list'}, {name: 'Groups', widget: 'select', multiple: true},"
        " {name: 'Save_as', keep_empty: true}, {name: 'Url', keep_empty: true}];"
        "const out = {};"
        "for (const [name, text] of Object.entries(texts)) out[name] = serialize(parse(text, fields), fields);"
        "console.log(JSON.stringify(out));"
    )
    proc = subprocess.run(["node", "--input-type=module", "-e", script], cwd=EDITOR, input=json.dumps(texts),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    written = json.loads(proc.stdout)
    for name, text in texts.items():
        head, _, body = text.partition("\n\n")
        new_head, _, new_body = written[name].partition("\n\n")
        assert sorted(head.splitlines()) == sorted(new_head.splitlines()), name
        assert new_body.strip() == body.strip(), name

    # The Finnish locale has every key of Decap's English one.
    keys = json.loads(node(
        "import en from 'decap-cms-locales/dist/esm/en/index.js';"
        "import fi from './src/fi.js';"
        "const keys = (o, p = '') => Object.entries(o).flatMap(([k, v]) =>"
        " typeof v === 'object' ? keys(v, p + k + '.') : [p + k]);"
        "console.log(JSON.stringify({en: keys(en), fi: keys(fi)}));"))
    assert set(keys["en"]) - set(keys["fi"]) == set()


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

@pytest.fixture
def content_repo(tmp_path):
    """A git repository with a copy of the site's content, as decap-server edits it."""
    repo = tmp_path / "repo"
    shutil.copytree(CONTENT, repo / "content")
    env = {**os.environ, "GIT_AUTHOR_NAME": "Testi", "GIT_AUTHOR_EMAIL": "testi@example.invalid",
           "GIT_COMMITTER_NAME": "Testi", "GIT_COMMITTER_EMAIL": "testi@example.invalid"}
    for command in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"], ["git", "commit", "-qm", "Sisältö"]):
        subprocess.run(command, cwd=repo, env=env, check=True)
    return repo


@pytest.fixture
def decap_server(content_repo):
    need_node_modules()
    port = free_port()
    env = {**os.environ, "PORT": str(port), "GIT_REPO_DIRECTORY": str(content_repo), "LOG_LEVEL": "warn"}
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


def new_entry(page, url: str, collection: str, label: str):
    page.goto(f"{url}/admin/#/collections/{collection}/new")
    page.get_by_text(f"Kohteessa {label}").wait_for()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)  # Decap looks for a saved backup of the entry and may reset the form


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


def publish(page, **texts):
    """Publish; the text fields given are checked first (a new entry's form may
    still have been reset by Decap while it was setting up)."""
    for label, value in texts.items():
        if field(page, label).input_value() != value:
            fill(page, label, value)
    page.get_by_role("button", name="Julkaise", exact=True).click()
    page.get_by_role("menuitem", name="Julkaise nyt").click()


def published(page):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.get_by_text("Muutokset tallennettu").wait_for(timeout=20_000)
    except PlaywrightTimeout:
        # On a loaded machine Decap may miss the menu click while it is still
        # busy with the upload: still unsaved, publish once more.
        page.get_by_text("Tallentamattomia muutoksia").wait_for(timeout=1000)
        page.get_by_role("button", name="Julkaise", exact=True).click()
        page.get_by_role("menuitem", name="Julkaise nyt").click()
        page.get_by_text("Muutokset tallennettu").wait_for()
    # Decap then moves to the saved entry's own address; wait, or it overrides ours.
    page.wait_for_url(re.compile(r"#/collections/[a-z]+/entries/"))
    page.wait_for_load_state("networkidle")


def test_staff_write_a_post_an_event_and_a_bulletin_in_the_editor(
        playwright_browser, site, content_repo, decap_server, tmp_path):
    from axe_playwright_python.sync_playwright import Axe
    from PIL import Image

    image = tmp_path / "konsertti.png"
    Image.new("RGB", (120, 80), (180, 40, 90)).save(image)
    attachment = tmp_path / "kokouskutsu.pdf"
    attachment.write_bytes(b"%PDF-1.4\n% testiliite\n")

    server = StaticServer(site.output, site_headers(site.output, ("/*", "/admin/*")))
    context = playwright_browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI")
    # The configuration names decap-server's usual port; this one runs on a free port.
    context.route("http://localhost:8081/**",
                  lambda route: route.continue_(url=route.request.url.replace(":8081", f":{decap_server}")))
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    axe = Axe()
    try:
        page.goto(server.url + "/admin/")
        login = page.get_by_role("button", name="Kirjaudu")
        login.wait_for()
        problems = {"login": axe_violations(axe, page, "login")}
        login.click()
        page.get_by_role("link", name="Ajankohtaista").first.wait_for()
        problems["list"] = axe_violations(axe, page, "list")

        # A post with a category and an image.
        new_entry(page, server.url, "posts", "Ajankohtaista")
        fill(page, "Otsikko", "Muokkaimen testikirjoitus: kevät")
        choose(page, "Kategoria", "Hankkeet")
        fill(page, "Tiivistelmä", "Kirjoitettu selaimen muokkaimessa.")
        choose(page, "Tila", "julkaistu")
        page.locator("[data-slate-editor]").click()
        page.keyboard.type("Tämä kirjoitus tehtiin muokkaimessa.")
        page.get_by_role("button", name="Lisää kuva tai muu osa").click()
        page.get_by_role("menuitem", name="Kuva").click()
        page.get_by_role("button", name="Valitse kuva").click()
        page.locator("input[type=file]").set_input_files(str(image))
        page.get_by_role("button", name="Käytä valittua").click()
        page.get_by_label("Vaihtoehtoinen teksti (pakollinen)").fill("Konsertin julisteen värit")
        problems["editor"] = axe_violations(axe, page, "editor")
        publish(page, Otsikko="Muokkaimen testikirjoitus: kevät", Tiivistelmä="Kirjoitettu selaimen muokkaimessa.")
        published(page)

        # An event over several days; a kind that does not exist cannot be chosen,
        # and a date the build cannot read gets a Finnish error.
        new_entry(page, server.url, "events", "Tapahtumat")
        fill(page, "Otsikko", "Muokkaimen testiseminaari")
        fill(page, "Ajankohta", "ensi keväänä")
        choose(page, "Laji", "juhla")
        publish(page)
        page.get_by_text("Ajankohtaa ei voi lukea.").first.wait_for()
        page.get_by_text("Laji on pakollinen.").first.wait_for()
        fill(page, "Ajankohta", "2031-03-17/2031-03-19")
        choose(page, "Laji", "seminaari")
        fill(page, "Paikka", "Tampere")
        publish(page, Otsikko="Muokkaimen testiseminaari", Ajankohta="2031-03-17/2031-03-19")
        published(page)

        # A members' bulletin with an attachment.
        new_entry(page, server.url, "bulletins", "Jäsentiedotteet")
        add_list_item(page, "Valitse tiedosto")
        page.get_by_role("button", name="Valitse tiedosto").click()
        page.locator("input[type=file]").set_input_files(str(attachment))
        page.get_by_role("button", name="Käytä valittua").click()
        page.locator("[data-slate-editor]").click()
        page.keyboard.type("Hallituksen kokous pidetään maaliskuussa.")
        fill(page, "Otsikko", "Muokkaimen testitiedote")
        fill(page, "Tiivistelmä", "Kokouskutsu liitteenä.")
        publish(page, Otsikko="Muokkaimen testitiedote", Tiivistelmä="Kokouskutsu liitteenä.")
        published(page)
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

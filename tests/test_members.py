"""Members' section: encryption format, password handling, leaks, and the real browser."""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import textwrap
import tomllib

import pytest

from conftest import PASSWORD_ENV, PLUGINS, ROOT, TEST_PASSWORDS, FixtureSite

sys.path.insert(0, str(PLUGINS))
from members_area import crypto  # noqa: E402
from members_area.passwords import production_passwords  # noqa: E402

JASENET = TEST_PASSWORDS["jasenet"]
HALLITUS = TEST_PASSWORDS["hallitus"]
BIG_FILE_MB = 24


def member_item(title, groups="jasenet", date="2021-02-01", body="Tiedotteen teksti.", **fields):
    lines = {"Title": title, "Id": secrets.token_hex(16), "Date": date, "Groups": groups,
             "Summary": f"Tiivistelmä: {title}."}
    lines.update({k.capitalize(): v for k, v in fields.items()})
    head = "\n".join(f"{k}: {v}" for k, v in lines.items() if v is not None)
    return f"{head}\n\n{textwrap.dedent(body)}\n"


def make_members_site(root, big_file=False) -> FixtureSite:
    site = FixtureSite(root)
    site.write("pages/jasenalue.md", "Title: Jäsenalue\nSlug: jasenalue\nUrl: jasenalue/\nSave_as:\n"
               "Footer: 1\nSummary: Jäsenalue.\n\nSalasanan saat liitolta.\n")
    files = site.content / "members" / "tiedostot"
    files.mkdir(parents=True)
    (files / "muistio.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(50_000))
    if big_file:
        (files / "iso-aineisto.xlsx").write_bytes(os.urandom(BIG_FILE_MB * 1024 * 1024))
    site.write("members/tiedotteet/a.md", member_item(
        "Jäsentiedote helmikuu", attachments="tiedostot/muistio.pdf",
        body="## Ajankohtaista\n\nTeksti jäsenille."))
    site.write("members/tiedotteet/b.md", member_item("Toinen jäsentiedote", date="2021-03-01"))
    site.write("members/tiedotteet/c.md", member_item("Hallituksen luottamuksellinen tiedote",
                                                      groups="hallitus", date="2021-03-05"))
    site.write("members/materiaalit/m.md", member_item(
        "Iso aineisto", date="2021-01-10",
        file="tiedostot/iso-aineisto.xlsx" if big_file else "tiedostot/muistio.pdf"))
    return site


@pytest.fixture(scope="module")
def members_site(tmp_path_factory):
    site = make_members_site(tmp_path_factory.mktemp("members"), big_file=True)
    build = site.build(SITEURL="")
    assert build.returncode == 0, build.stderr
    build.site = site
    return build


def item_urls(build):
    """Bulletin id -> title, read back with the Python side of the format."""
    keyring = json.loads(build.read("jasenalue/avaimet.json"))
    keys = crypto.unlock(keyring, JASENET) | crypto.unlock(keyring, HALLITUS)
    index = json.loads(build.read("jasenalue/hakemisto.json"))
    titles = {}
    for group, sealed in index["envelopes"].items():
        if group not in keys:
            continue
        data = json.loads(crypto.open_sealed(keys[group], sealed, crypto.index_aad(group)))
        titles.update({item["title"]: item["url"] for item in data["items"]})
    return titles


# --- the format -------------------------------------------------------------------

def test_keyring_uses_pbkdf2_with_enough_iterations(members_site):
    keyring = json.loads(members_site.read("jasenalue/avaimet.json"))
    assert keyring["v"] == 1
    assert keyring["kdf"]["name"] == "PBKDF2" and keyring["kdf"]["hash"] == "SHA-256"
    assert keyring["kdf"]["iterations"] >= 600_000
    assert len(base64.b64decode(keyring["kdf"]["salt"])) == 16
    assert set(keyring["groups"]) == set(TEST_PASSWORDS)


def test_each_password_opens_only_its_group(members_site):
    keyring = json.loads(members_site.read("jasenalue/avaimet.json"))
    assert set(crypto.unlock(keyring, JASENET)) == {"jasenet"}
    assert set(crypto.unlock(keyring, HALLITUS)) == {"hallitus"}
    assert crypto.unlock(keyring, "väärä salasana") == {}


def test_ciphertexts_are_bound_to_their_url_and_group(members_site):
    from cryptography.exceptions import InvalidTag

    keyring = json.loads(members_site.read("jasenalue/avaimet.json"))
    key = crypto.unlock(keyring, JASENET)["jasenet"]
    urls = item_urls(members_site)
    first, second = urls["Jäsentiedote helmikuu"], urls["Toinen jäsentiedote"]
    sealed = json.loads(members_site.read(f"{first}sisalto.json"))["envelopes"]["jasenet"]
    page = json.loads(crypto.open_sealed(key, sealed, crypto.page_aad(first, "jasenet")))
    assert page["title"] == "Jäsentiedote helmikuu" and "<h2" in page["html"]
    with pytest.raises(InvalidTag):
        crypto.open_sealed(key, sealed, crypto.page_aad(second, "jasenet"))
    with pytest.raises(InvalidTag):
        crypto.open_sealed(key, sealed, crypto.page_aad(first, "hallitus"))


def test_several_passwords_per_group_and_one_replaced(tmp_path):
    passwords = {"jasenet": ["ensimmäinen pitkä salalause", "toinen pitkä salalause"],
                 "hallitus": ["hallituksen pitkä salalause"]}
    salt = os.urandom(16)
    ring = crypto.make_keyring(passwords, salt, 600_000)
    assert len(ring.public["groups"]["jasenet"]["slots"]) == 2
    assert set(crypto.unlock(ring.public, "toinen pitkä salalause")) == {"jasenet"}
    passwords["jasenet"][1] = "korvaava pitkä salalause"
    ring = crypto.make_keyring(passwords, salt, 600_000)
    assert crypto.unlock(ring.public, "toinen pitkä salalause") == {}
    assert set(crypto.unlock(ring.public, "ensimmäinen pitkä salalause")) == {"jasenet"}
    with pytest.raises(ValueError):
        crypto.make_keyring(passwords, salt, 100_000)


# --- passwords and builds ---------------------------------------------------------

def test_password_sources_environment_and_secrets_file(tmp_path):
    secrets_file = tmp_path / "salaisuudet.toml"
    secrets_file.write_text('[passwords]\njasenet = ["yksi pitkä salalause tässä", "kaksi pitkä salalause"]\n'
                            'hallitus = "hallituksen pitkä salalause"\n', encoding="utf-8")
    found, problems, warnings = production_passwords(
        ["jasenet", "hallitus", "kollegio"],
        {"MEMBERS_SECRETS_FILE": str(secrets_file), "MEMBERS_PASSWORD_KOLLEGIO": "lyhyt"},
        {"jasenet": "kehitys-jasenet-salasana"})
    assert found["jasenet"] == ["yksi pitkä salalause tässä", "kaksi pitkä salalause"]
    assert found["kollegio"] == ["lyhyt"]
    assert problems == []
    assert len(warnings) == 1 and "kollegio" in warnings[0] and "heikko" in warnings[0]


def test_production_build_refuses_missing_and_development_passwords(tmp_path):
    site = make_members_site(tmp_path)
    env = dict(PASSWORD_ENV)
    del env["MEMBERS_PASSWORD_HALLITUS"]
    env["MEMBERS_PASSWORD_KOLLEGIO"] = "kehitys-kollegio-salasana"
    build = site.build(SITEURL="", env=env)
    assert build.returncode == 1
    assert "kenttä:   MEMBERS_PASSWORD_HALLITUS" in build.stderr
    assert "jäsenryhmän \"hallitus\" salasana puuttuu" in build.stderr
    assert "jäsenryhmän \"kollegio\" salasana on kehityssalasana" in build.stderr
    assert not site.output.exists()


def test_weak_password_is_a_warning_not_an_error(tmp_path):
    site = make_members_site(tmp_path)
    build = site.build(SITEURL="", env={**PASSWORD_ENV, "MEMBERS_PASSWORD_KOLLEGIO": "kollegio1"})
    assert build.returncode == 0, build.stderr
    assert "HUOMIO" in build.stderr and "\"kollegio\" salasana on heikko" in build.stderr


def test_development_build_uses_documented_passwords(tmp_path):
    site = make_members_site(tmp_path)
    build = site.build("pelicanconf.py", env={}, CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False)
    assert build.returncode == 0, build.stderr
    keyring = json.loads(build.read("jasenalue/avaimet.json"))
    assert set(crypto.unlock(keyring, "kehitys-hallitus-salasana")) == {"hallitus"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    from pelicanconf import MEMBERS_DEV_PASSWORDS
    for password in MEMBERS_DEV_PASSWORDS.values():
        assert password in readme


def test_no_secret_is_committed():
    # Production passwords live in the environment or in a secrets file kept
    # out of the repository: no tracked file may be one or set one.
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout
    assignment = re.compile(r"MEMBERS_PASSWORD_[A-Z]+\s*=\s*\S")
    for name in tracked.split():
        path = ROOT / name
        if path.suffix == ".toml":
            assert "passwords" not in tomllib.loads(path.read_text(encoding="utf-8")), name
        if path.name == ".env" or path.suffix in {".py", ".md", ".txt", ".cfg", ".sh", ".env"}:
            text = path.read_text(encoding="utf-8", errors="ignore")
            assert not assignment.search(text), name
            for password in TEST_PASSWORDS.values():
                assert password not in text, name


def test_bad_member_content(tmp_path):
    site = FixtureSite(tmp_path)
    site.write("members/materiaalit/a.md", member_item("Aineisto", file="tiedostot/puuttuu.pdf"))
    site.write("members/tiedotteet/b.md", member_item("Tiedote", groups="kaikki"))
    site.write("members/tiedotteet/c.md", member_item("Tiedote 2", date="2021-13-01"))
    site.write("members/tiedotteet/d.md", member_item("Tiedote 3").replace("Id: ", "Id: X"))
    build = site.build(SITEURL="")
    assert build.returncode == 1
    assert "materiaalit/a.md" in build.stderr and "tiedostoa \"tiedostot/puuttuu.pdf\" ei löydy" in build.stderr
    assert "tiedotteet/b.md" in build.stderr and "tuntematon arvo \"kaikki\"" in build.stderr
    assert "tiedotteet/c.md" in build.stderr and "kenttä:   Date" in build.stderr
    assert "tiedotteet/d.md" in build.stderr and "kenttä:   Id" in build.stderr


def test_members_pages_cannot_embed_public_images(tmp_path):
    # Its resized copies would be public files under /kuvat/: refused, not published.
    from PIL import Image

    site = make_members_site(tmp_path)
    Image.new("RGB", (400, 300), (200, 30, 30)).save(site.content / "images" / "budjettikaavio.png")
    site.write("members/tiedotteet/kuva.md", member_item(
        "Tiedote kuvalla", body="![Kaavio]({static}/images/budjettikaavio.png)"))
    build = site.build(SITEURL="")
    assert build.returncode == 1
    assert "tiedotteet/kuva.md" in build.stderr and "kenttä:   kuva" in build.stderr
    assert "liitteeksi" in build.stderr
    assert not build.output.exists()


def test_public_content_cannot_link_members_files(tmp_path):
    site = make_members_site(tmp_path)
    site.write("posts/a.md", "Title: A\nDate: 2021-01-01\nCategory: Hankkeet\nAuthor: X\nSummary: s\n\n"
               "[muistio]({static}/members/tiedostot/muistio.pdf)\n")
    build = site.build(SITEURL="")
    assert build.returncode == 1
    assert "osoittaa jäsenalueen tiedostoon" in build.stderr


# --- leaks --------------------------------------------------------------------------

def test_nothing_members_only_reaches_the_output(tmp_path):
    marker = "JASENMERKKI" + secrets.token_hex(4)
    site = make_members_site(tmp_path)
    attachment = os.urandom(200_000)
    (site.content / "members" / "tiedostot" / f"{marker}.docx").write_bytes(attachment)
    site.write("members/tiedotteet/leak.md", member_item(
        f"Otsikko {marker}", summary=f"Tiivistelmä {marker}", tags=f"{marker}, aihe",
        attachments=f"tiedostot/{marker}.docx", body=f"Teksti {marker}."))
    site.write("events/e.md", f"Title: Kokous {marker}\nUid: 0b5cf1d4-3e2f-4c3c-9d53-2f1d1b0c7e11\n"
               f"When: 2021-04-20\nKind: kokous\nAudience: hallitus\nLocation: Paikka {marker}\n"
               f"Summary: {marker}\n\nTeksti {marker}.\n")
    site.write("channels/c.md", f"Title: Ryhmä {marker}\nKind: whatsapp\nAudience: kollegio\n"
               f"Link: https://chat.example.org/{marker}\nSummary: {marker}\n")
    site.write("posts/p.md", "Title: Julkinen\nDate: 2021-01-01\nCategory: Hankkeet\nAuthor: X\n"
               "Summary: Julkinen kirjoitus.\nTags: aihe\n\nJulkinen teksti.\n")
    build = site.build(SITEURL="")
    assert build.returncode == 0, build.stderr
    needles = [marker.encode(), marker.lower().encode(), attachment[1000:1064], attachment[-64:]]
    scanned = 0
    for file in build.output.rglob("*"):
        assert marker.lower() not in file.name.lower(), file
        if file.is_file():
            data = file.read_bytes()
            scanned += 1
            for needle in needles:
                assert needle not in data, (file, needle[:20])
    assert scanned > 20
    # The social cards show titles as pictures: none is drawn but for public pages.
    from social_cards.cards import card_name

    cards = {p.name for p in (build.output / "kortit").iterdir()}
    for title in (f"Otsikko {marker}", f"Kokous {marker}", f"Ryhmä {marker}"):
        assert card_name(title) not in cards, title
    shown = {name for page in build.output.rglob("*.html")
             for name in re.findall(r"kortit/([0-9a-f]{16}\.jpg)", page.read_text(encoding="utf-8"))}
    assert cards == shown
    # …while members can still read it all.
    keyring = json.loads(build.read("jasenalue/avaimet.json"))
    keys = crypto.unlock(keyring, JASENET)
    index = json.loads(build.read("jasenalue/hakemisto.json"))["envelopes"]["jasenet"]
    assert marker in crypto.open_sealed(keys["jasenet"], index, crypto.index_aad("jasenet")).decode()
    board = crypto.unlock(keyring, HALLITUS)["hallitus"]
    board_index = json.loads(build.read("jasenalue/hakemisto.json"))["envelopes"]["hallitus"]
    assert f"Kokous {marker}" in crypto.open_sealed(board, board_index, crypto.index_aad("hallitus")).decode()


def test_members_pages_are_noindex_and_generic(members_site):
    for path in members_site.output.joinpath("jasenalue").rglob("index.html"):
        page = members_site.html(str(path.relative_to(members_site.output)))
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
        assert page.find("noscript")
        assert not page.find("script", src=False), "no inline script"
        text = page.get_text()
        assert "Jäsentiedote helmikuu" not in text and "Hallituksen luottamuksellinen" not in text


def test_real_site_shows_the_members_section_exists(site):
    footer = site.html("index.html").find("footer")
    assert footer.find("a", string="Jäsenalue")
    login = site.html("jasenalue/")
    assert login.find("form", attrs={"data-login": True}).find("input", type="password")
    assert "salasana" in login.find("main").get_text().lower()


# --- the real browser -----------------------------------------------------------------

STRICT_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
              "frame-ancestors 'none'")


@pytest.fixture
def members_server(members_site, serve):
    return serve(members_site.output, {"Content-Security-Policy": STRICT_CSP})


def login(page, password, remember=False):
    page.wait_for_selector("form[data-login]:not([hidden])")
    page.fill("#members-password", password)
    if remember:
        page.check("#members-remember")
    page.click("form[data-login] button[type=submit]")


def test_right_password_unlocks_under_a_strict_csp(playwright_browser, members_site, members_server):
    context = playwright_browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{members_server.url}/jasenalue/")
    login(page, JASENET)
    page.wait_for_selector(".members-entry")
    titles = page.locator(".members-entry__title").all_text_contents()
    assert titles == ["Toinen jäsentiedote", "Jäsentiedote helmikuu", "Iso aineisto"]
    assert page.evaluate("document.activeElement.id") == "members-title"
    page.fill("#members-search", "toinen")
    assert page.locator(".members-entry:visible").count() == 1
    assert page.text_content("[data-count]") == "Näytetään 1 / 3"
    page.click("text=Toinen jäsentiedote")
    page.wait_for_selector(".members-item")
    assert page.text_content("#members-title") == "Toinen jäsentiedote"
    assert page.locator("form[data-login]").is_hidden(), "one login opens the next page"
    storage = page.evaluate("[localStorage.length, sessionStorage.length, document.cookie]")
    assert storage == [0, 0, ""]
    stored = page.evaluate("""() => new Promise(resolve => {
        const open = indexedDB.open('kl-jasenalue');
        open.onsuccess = () => {
          const get = open.result.transaction('session').objectStore('session').get('current');
          get.onsuccess = () => resolve({type: get.result.kek.constructor.name,
                                         extractable: get.result.kek.extractable,
                                         usages: get.result.kek.usages,
                                         keys: Object.keys(get.result).sort()});
        };
    })""")
    assert stored == {"type": "CryptoKey", "extractable": False, "usages": ["unwrapKey"],
                      "keys": ["expires", "kek", "remember", "salt"]}
    assert errors == []
    context.close()


def test_wrong_password_shows_the_error_and_nothing_else(playwright_browser, members_server):
    context = playwright_browser.new_context()
    page = context.new_page()
    page.goto(f"{members_server.url}/jasenalue/")
    login(page, "väärä salasana joka on pitkä")
    page.wait_for_selector("[data-error]:not(:empty)")
    assert page.text_content("[data-error]") == "Salasana ei kelpaa. Tarkista se ja yritä uudelleen."
    assert page.get_attribute("[data-error]", "role") == "alert"
    assert page.text_content("[data-content]") == ""
    assert page.locator("[data-session]").is_hidden()
    assert page.evaluate("document.activeElement.id") == "members-password"
    context.close()


def test_show_password_button(playwright_browser, members_server):
    context = playwright_browser.new_context()
    page = context.new_page()
    page.goto(f"{members_server.url}/jasenalue/")
    page.wait_for_selector("form[data-login]:not([hidden])")
    toggle = page.locator("[data-toggle-password]")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert page.get_attribute("#members-password", "type") == "text"
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.get_attribute("#members-password", "autocomplete") == "current-password"
    context.close()


def test_board_bulletin_stays_locked_with_the_members_password(playwright_browser, members_site,
                                                              members_server):
    urls = item_urls(members_site)
    context = playwright_browser.new_context()
    page = context.new_page()
    page.goto(f"{members_server.url}/{urls['Hallituksen luottamuksellinen tiedote']}")
    login(page, JASENET)
    page.wait_for_selector("[data-content] [role=alert]")
    assert "toiselle jäsenryhmälle" in page.text_content("[data-content]")
    assert "Hallituksen luottamuksellinen" not in page.content()
    context.close()
    context = playwright_browser.new_context()
    page = context.new_page()
    page.goto(f"{members_server.url}/{urls['Hallituksen luottamuksellinen tiedote']}")
    login(page, HALLITUS)
    page.wait_for_selector(".members-item")
    assert page.text_content("#members-title") == "Hallituksen luottamuksellinen tiedote"
    context.close()


def test_downloaded_attachments_are_byte_identical(playwright_browser, members_site, members_server,
                                                   tmp_path):
    urls = item_urls(members_site)
    context = playwright_browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(f"{members_server.url}/{urls['Iso aineisto']}")
    login(page, JASENET)
    page.wait_for_selector(".members-files button")
    label = page.text_content(".members-files button")
    assert label == f"Lataa iso-aineisto.xlsx ({BIG_FILE_MB} Mt)"
    with page.expect_download(timeout=120_000) as download:
        page.click(".members-files button")
    saved = tmp_path / "saved"
    download.value.save_as(saved)
    original = members_site.site.content / "members" / "tiedostot" / "iso-aineisto.xlsx"
    assert download.value.suggested_filename == "iso-aineisto.xlsx"
    assert saved.read_bytes() == original.read_bytes()
    encrypted = list(members_site.output.joinpath("jasenalue", "tiedostot").glob("*.bin"))
    assert all(len(p.stem) == 32 for p in encrypted)
    context.close()


def test_remember_me_survives_a_restart_and_logout_ends_it(playwright_browser, members_server, tmp_path):
    profile = tmp_path / "profile"
    playwright = playwright_browser.playwright
    options = {"executable_path": playwright_browser.executable, "args": ["--no-sandbox"]}
    context = playwright.chromium.launch_persistent_context(str(profile), **options)
    page = context.new_page()
    page.goto(f"{members_server.url}/jasenalue/")
    login(page, JASENET, remember=True)
    page.wait_for_selector(".members-entry")
    context.close()
    context = playwright.chromium.launch_persistent_context(str(profile), **options)
    page = context.new_page()
    page.goto(f"{members_server.url}/jasenalue/")
    page.wait_for_selector(".members-entry")
    assert page.locator("form[data-login]").is_hidden()
    other = context.new_page()
    other.goto(f"{members_server.url}/jasenalue/")
    other.wait_for_selector(".members-entry")
    page.click("[data-logout]")
    page.wait_for_selector("form[data-login]:not([hidden])")
    other.wait_for_selector("form[data-login]:not([hidden])"), "logout locks every open tab"
    assert other.text_content("[data-content]") == ""
    context.close()
    context = playwright.chromium.launch_persistent_context(str(profile), **options)
    page = context.new_page()
    page.goto(f"{members_server.url}/jasenalue/")
    page.wait_for_selector("form[data-login]:not([hidden])")
    context.close()


def test_tampered_ciphertext_gives_a_clear_error(playwright_browser, members_site, serve, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(members_site.output, copy)
    urls = item_urls(members_site)
    path = copy / urls["Toinen jäsentiedote"] / "sisalto.json"
    data = json.loads(path.read_text())
    raw = bytearray(base64.b64decode(data["envelopes"]["jasenet"]["data"]))
    raw[5] ^= 0x01
    data["envelopes"]["jasenet"]["data"] = base64.b64encode(bytes(raw)).decode()
    path.write_text(json.dumps(data))
    server = serve(copy)
    context = playwright_browser.new_context()
    page = context.new_page()
    page.goto(f"{server.url}/{urls['Toinen jäsentiedote']}")
    login(page, JASENET)
    page.wait_for_selector("[data-content] [role=alert]")
    assert "vioittunut tai sitä on muutettu" in page.text_content("[data-content]")
    # A page's ciphertext moved to another page's URL is detected the same way.
    first = copy / urls["Jäsentiedote helmikuu"] / "sisalto.json"
    shutil.copy(members_site.output / urls["Toinen jäsentiedote"] / "sisalto.json", first)
    page.goto(f"{server.url}/{urls['Jäsentiedote helmikuu']}")
    page.wait_for_selector("[data-content] [role=alert]")
    assert "vioittunut tai sitä on muutettu" in page.text_content("[data-content]")
    context.close()


def test_clear_message_without_webcrypto(playwright_browser, members_server):
    context = playwright_browser.new_context()
    context.add_init_script("Object.defineProperty(window, 'isSecureContext', {value: false});")
    page = context.new_page()
    page.goto(f"{members_server.url}/jasenalue/")
    page.wait_for_selector("[data-unsupported]:not([hidden])")
    assert "https://" in page.text_content("[data-unsupported]")
    assert page.locator("form[data-login]").is_hidden()
    context.close()

"""Members' section: encryption format, password handling, leaks, and the real browser."""

from __future__ import annotations

import base64
import datetime as dt
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

import pelicanconf
import publishconf
from conftest import (CONTENT, FLOOR_KDF, PASSWORD_ENV, PLUGINS, ROOT, SITEURL, TEST_PASSWORDS, TEST_SALT_KEY,
                      FixtureSite, RoutedSite)

sys.path.insert(0, str(PLUGINS))
from members_area import crypto  # noqa: E402
from members_area.passwords import (passphrase, passphrase_bits, production_passwords,  # noqa: E402
                                    weakness, word_list)
from members_area.sanitize import clean, refused_html  # noqa: E402
from site_meta.headers import content_security_policy  # noqa: E402

JASENET = TEST_PASSWORDS["jasenet"]
SALT_KEY = bytes.fromhex(TEST_SALT_KEY)
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
    build = site.build(SITEURL="", MEMBERS_TODAY=TODAY)  # Argon2id at the floor: see the real site's tests
    assert build.returncode == 0, build.stderr
    build.site = site
    return build


def item_urls(build):
    """Bulletin title -> URL, read back with the Python side of the format."""
    keys = opened_keys(build, ("jasenet", JASENET), ("hallitus", HALLITUS))
    index = json.loads(build.read("jasenalue/hakemisto.json"))["envelopes"]
    titles = {}
    for group, key in keys.items():
        data = json.loads(crypto.open_envelope(key, index, crypto.index_aad(group)))
        titles.update({item["title"]: item["url"] for item in data["items"]})
    return titles


# --- the format -------------------------------------------------------------------

TODAY = "2021-02-10"


def opened_keys(build, *logins):
    """{group: CEK} for (group, password) logins, read from the published keyring."""
    keyring = json.loads(build.read("jasenalue/avaimet.json"))
    return {group: crypto.unlock(keyring, group, password)[0] for group, password in logins}


def test_keyring_uses_argon2id_above_the_minimum_with_a_salt_per_slot(members_site):
    keyring = json.loads(members_site.read("jasenalue/avaimet.json"))
    assert keyring["v"] == 2
    kdf = keyring["kdf"]
    assert kdf["name"] == "Argon2id" and kdf["parallelism"] == 1
    assert kdf["memory"] >= 19 * 1024 and kdf["iterations"] >= 2
    assert set(keyring["groups"]) == set(TEST_PASSWORDS)
    salts = [slot["salt"] for entry in keyring["groups"].values() for slot in entry["slots"]]
    assert len(salts) == len(set(salts)) == len(TEST_PASSWORDS), "one slot and salt per password"
    assert all(len(base64.b64decode(salt)) == 16 for salt in salts)
    periods = {slot["period"] for entry in keyring["groups"].values() for slot in entry["slots"]}
    assert periods == {keyring["period"]} == {crypto.period_of(dt.date.fromisoformat(TODAY), 30)}


def test_argon2id_gives_the_reference_implementations_bytes():
    # phc-winner-argon2 src/test.c: Argon2id v1.3, t=2, m=2^16, p=1, no secret, no associated data.
    raw = crypto.derive_kek("password", b"somesalt", {"memory": 65536, "iterations": 2, "parallelism": 1})
    assert raw.hex() == "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7"
    with pytest.raises(ValueError):
        crypto.derive_kek("password", b"somesalt", {"memory": 8192, "iterations": 2, "parallelism": 1})


def test_passwords_are_nfc_normalised():
    composed, decomposed = "jäsen salalause", "ja\u0308sen salalause"
    kdf = crypto.MIN_KDF
    assert crypto.derive_kek(composed, b"0123456789abcdef", kdf) == \
        crypto.derive_kek(decomposed, b"0123456789abcdef", kdf)


def test_each_password_opens_only_its_group(members_site):
    keyring = json.loads(members_site.read("jasenalue/avaimet.json"))
    assert crypto.unlock(keyring, "jasenet", JASENET) is not None
    assert crypto.unlock(keyring, "hallitus", HALLITUS) is not None
    assert crypto.unlock(keyring, "hallitus", JASENET) is None
    assert crypto.unlock(keyring, "jasenet", "väärä salasana") is None


def test_ciphertexts_are_bound_to_their_url_and_group(members_site):
    keys = opened_keys(members_site, ("jasenet", JASENET), ("hallitus", HALLITUS))
    urls = item_urls(members_site)
    first, second = urls["Jäsentiedote helmikuu"], urls["Toinen jäsentiedote"]
    envelopes = json.loads(members_site.read(f"{first}sisalto.json"))["envelopes"]
    page = json.loads(crypto.open_envelope(keys["jasenet"], envelopes, crypto.page_aad(first, "jasenet")))
    assert page["title"] == "Jäsentiedote helmikuu" and "<h2" in page["html"]
    assert crypto.open_envelope(keys["jasenet"], envelopes, crypto.page_aad(second, "jasenet")) is None
    assert crypto.open_envelope(keys["hallitus"], envelopes, crypto.page_aad(first, "hallitus")) is None


def test_envelopes_name_no_group_and_sizes_are_bucketed(members_site):
    out = members_site.output / "jasenalue"
    for path in [out / "hakemisto.json", *out.glob("*/sisalto.json")]:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(data["envelopes"], list)
        text = path.read_text(encoding="utf-8")
        for group in TEST_PASSWORDS:
            assert group not in text, (path, group)
        for sealed in data["envelopes"]:
            size = len(base64.b64decode(sealed["data"])) - 16
            assert size == crypto.bucket(size) >= crypto.MIN_BUCKET, (path, size)
    files = list((out / "tiedostot").glob("*.bin"))
    assert files
    for path in files:
        size = path.stat().st_size - 28
        assert size == crypto.bucket(size), (path, size)
    # Padmé: at most 12 % more, and far fewer sizes than bytes.
    assert crypto.bucket(24 * 1024 * 1024 + 1) <= 1.12 * (24 * 1024 * 1024 + 1)
    assert len({crypto.bucket(n) for n in range(5000, 200_000)}) < 200


def test_a_key_from_one_rotation_period_does_not_open_the_next(members_site, tmp_path):
    keyring = json.loads(members_site.read("jasenalue/avaimet.json"))
    cek, kek, salt = crypto.unlock(keyring, "jasenet", JASENET)
    assert crypto.unlock_with_kek(keyring, "jasenet", kek, salt) == cek
    day = dt.date.fromisoformat(TODAY)
    start = crypto.ROTATION_EPOCH + dt.timedelta(days=30 * keyring["period"])
    kdf = {name: keyring["kdf"][name] for name in crypto.MIN_KDF}  # the build's own cost
    # A later build of the same period (new content keys): the stored key still opens it.
    later = crypto.make_keyring({"jasenet": [JASENET]}, SITEURL, start + dt.timedelta(days=29), 30, kdf,
                                salt_key=SALT_KEY)
    assert crypto.unlock_with_kek(later.public, "jasenet", kek, salt) == later.keys["jasenet"]
    # A real build of the next period, from its published files: the key opens nothing.
    site = make_members_site(tmp_path)
    build = site.build(SITEURL="", MEMBERS_TODAY=(start + dt.timedelta(days=30)).isoformat())
    assert build.returncode == 0, build.stderr
    newer = json.loads(build.read("jasenalue/avaimet.json"))
    assert newer["period"] == keyring["period"] + 1
    assert crypto.unlock_with_kek(newer, "jasenet", kek, salt) is None
    assert salt not in {crypto.unb64(s["salt"]) for s in newer["groups"]["jasenet"]["slots"]}
    assert crypto.unlock(newer, "jasenet", JASENET) is not None, "the password itself still works"
    # …and after a password change, not even in the same period.
    changed = crypto.make_keyring({"jasenet": ["uusi jäsenten salalause kevät omena"]}, SITEURL, day, 30, kdf,
                                  salt_key=SALT_KEY)
    assert crypto.unlock_with_kek(changed.public, "jasenet", kek, salt) is None


def test_several_passwords_per_group_and_one_replaced():
    day = dt.date.fromisoformat(TODAY)
    passwords = {"jasenet": ["ensimmäinen pitkä salalause", "toinen pitkä salalause"],
                 "hallitus": ["hallituksen pitkä salalause"]}
    ring = crypto.make_keyring(passwords, SITEURL, day, 30, crypto.MIN_KDF, salt_key=SALT_KEY)
    assert len(ring.public["groups"]["jasenet"]["slots"]) == 2
    assert crypto.unlock(ring.public, "jasenet", "toinen pitkä salalause")[0] == ring.keys["jasenet"]
    passwords["jasenet"][1] = "korvaava pitkä salalause"
    ring = crypto.make_keyring(passwords, SITEURL, day, 30, crypto.MIN_KDF, salt_key=SALT_KEY)
    assert crypto.unlock(ring.public, "jasenet", "toinen pitkä salalause") is None
    assert crypto.unlock(ring.public, "jasenet", "ensimmäinen pitkä salalause") is not None
    with pytest.raises(ValueError):
        crypto.make_keyring(passwords, SITEURL, day, 30, {"memory": 4096, "iterations": 1, "parallelism": 1},
                            salt_key=SALT_KEY)
    with pytest.raises(ValueError):
        crypto.make_keyring(passwords, SITEURL, day, 31, salt_key=SALT_KEY)


# --- passwords and builds ---------------------------------------------------------

DEV = {"jasenet": "kehitys-jasenet-salasana"}


def test_password_sources_environment_and_secrets_file(tmp_path):
    secrets_file = tmp_path / "salaisuudet.toml"
    secrets_file.write_text('[passwords]\njasenet = ["yksi pitkä salalause tässä", "kaksi pitkä salalause"]\n'
                            'hallitus = "hallituksen pitkä salalause"\n', encoding="utf-8")
    found, problems = production_passwords(
        ["jasenet", "hallitus", "kollegio"],
        {"MEMBERS_SECRETS_FILE": str(secrets_file), "MEMBERS_PASSWORD_KOLLEGIO": "kollegion oma salalause"}, DEV)
    assert found["jasenet"] == ["yksi pitkä salalause tässä", "kaksi pitkä salalause"]
    assert found["kollegio"] == ["kollegion oma salalause"]
    assert problems == []


@pytest.mark.parametrize("password, reason", [
    ("salasana1", "alle 16 merkkiä"),
    ("1234567890123456", "numerosarja"),
    ("qwertyuiopasdfgh", "yleinen salasana"),
    ("zxcvbnmasdfghjklqwert", "yleinen salasana"),
    ("Salasana2024!!!!", "yleinen salasana"),
    ("aaaaaaaaaaaaaaaaaaaaaaaa", "toistoa"),
    ("kehitys-jasenet-salasana ", "kehityssalasana"),
    ("vahva oma salalause kevätomena ", "välilyönti"),
    ("KEHITYS-JASENET-SALASANA", "kehityssalasana"),
    ("!#%&/()=?!#%&/()=?xyz", "toistoa"),
])
def test_weak_passwords_are_refused(password, reason):
    _found, problems = production_passwords(["jasenet"], {"MEMBERS_PASSWORD_JASENET": password}, DEV)
    assert len(problems) == 1 and reason in problems[0].message, problems
    assert problems[0].field == "MEMBERS_PASSWORD_JASENET"


def test_strong_passwords_pass():
    for password in (JASENET, "Xk9#mQ2$vL7!pR4z", passphrase()):
        assert weakness(password) is None, password


def test_one_password_for_two_groups_is_refused_unless_allowed():
    env = {"MEMBERS_PASSWORD_JASENET": JASENET, "MEMBERS_PASSWORD_HALLITUS": JASENET.upper() + " "}
    _found, problems = production_passwords(["jasenet", "hallitus"], {
        "MEMBERS_PASSWORD_JASENET": JASENET, "MEMBERS_PASSWORD_HALLITUS": JASENET}, DEV)
    assert [p.field for p in problems] == ["MEMBERS_PASSWORD_HALLITUS"]
    assert "sama salasana" in problems[0].message and "MEMBERS_SHARED_PASSWORDS" in problems[0].fix
    _found, problems = production_passwords(["jasenet", "hallitus"], env, DEV)
    assert any("sama salasana" in p.message for p in problems), "compared trimmed and case-folded"
    _found, problems = production_passwords(["jasenet", "hallitus"], {
        "MEMBERS_PASSWORD_JASENET": JASENET, "MEMBERS_PASSWORD_HALLITUS": JASENET}, DEV,
        shared=[["hallitus", "jasenet"]])
    assert problems == []


def test_secrets_file_values_that_are_not_strings(tmp_path):
    secrets_file = tmp_path / "salaisuudet.toml"
    secrets_file.write_text("[passwords]\njasenet = 12345\nhallitus = [\"hallituksen pitkä salalause\", 3]\n",
                            encoding="utf-8")
    _found, problems = production_passwords(["jasenet", "hallitus"],
                                            {"MEMBERS_SECRETS_FILE": str(secrets_file)}, DEV)
    fields = [p.field for p in problems if p.source == str(secrets_file)]
    assert fields == ["passwords.jasenet", "passwords.hallitus"]
    assert "lainausmerkkeihin" in problems[0].fix


def test_passphrase_task_prints_a_strong_finnish_passphrase():
    proc = subprocess.run([sys.executable, "tasks.py", "members-passphrase"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    phrase = proc.stdout.strip().splitlines()[0]
    words = phrase.split("-")
    assert len(words) == 5 and all(w in word_list("sanat.txt") for w in words)
    assert weakness(phrase) is None
    assert passphrase_bits() >= 50 and "bittiä" in proc.stdout
    assert len(word_list("sanat.txt")) >= 1024


# What the members' section needs from the site's settings (pelicanconf.py owns
# them; MEMBERS_PASSWORDS as in publishconf.py): a production build at the floor cost.
MEMBERS_SETTINGS = {**{key: getattr(pelicanconf, key) for key in (
    "MEMBER_GROUPS", "MEMBERS_PATHS", "MEMBERS_URL", "MEMBERITEM_URL", "MEMBERITEM_SAVE_AS",
    "MEMBERS_DEV_PASSWORDS", "MEMBERS_SHARED_PASSWORDS", "MEMBERS_ROTATION_DAYS")},
    "MEMBERS_PASSWORDS": publishconf.MEMBERS_PASSWORDS, "MEMBERS_KDF": FLOOR_KDF, "MEMBERS_TODAY": TODAY}


def members_build(tiny_site, monkeypatch, env=PASSWORD_ENV, plugins=(), **settings):
    """A tiny site with the members' section (and ``plugins``), its passwords from ``env`` only."""
    for name in [n for n in os.environ
                 if n.startswith("MEMBERS_PASSWORD_") or n in ("MEMBERS_SECRETS_FILE", "MEMBERS_SALT_KEY")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    tiny_site.write("members/tiedotteet/hyva.md", member_item("Hyvä tiedote"))
    return tiny_site.build("members_area", *plugins, **MEMBERS_SETTINGS, **settings)


def problem_texts(result, tiny_site) -> str:
    """Every problem as the build command prints it; the build wrote nothing."""
    assert not result.ok and not tiny_site.output.exists(), "no half-written site"
    assert all(p.fix.strip() for p in result.problems)
    return "\n".join(p.text(str(tiny_site.content)) for p in result.problems)


def test_a_weak_production_password_stops_the_build_command(tmp_path):
    """The whole path: `python -m strict_build` with publishconf.py (the cases are below)."""
    site = make_members_site(tmp_path)
    build = site.build(SITEURL="", env={**PASSWORD_ENV, "MEMBERS_PASSWORD_KOLLEGIO": "salasana1"})
    assert build.returncode == 1
    assert "kenttä:   MEMBERS_PASSWORD_KOLLEGIO" in build.stderr
    assert "jäsenryhmän \"kollegio\" salasana on liian heikko" in build.stderr
    assert "Rakentaminen epäonnistui: 1 virhe" in build.stderr and "Traceback" not in build.stderr
    assert not site.output.exists()


@pytest.mark.plugin
def test_production_build_refuses_missing_and_development_passwords(tiny_site, monkeypatch):
    env = dict(PASSWORD_ENV)
    del env["MEMBERS_PASSWORD_HALLITUS"]
    env["MEMBERS_PASSWORD_KOLLEGIO"] = "kehitys-kollegio-salasana"
    text = problem_texts(members_build(tiny_site, monkeypatch, env), tiny_site)
    assert "kenttä:   MEMBERS_PASSWORD_HALLITUS" in text
    assert "jäsenryhmän \"hallitus\" salasana puuttuu" in text
    assert "jäsenryhmän \"kollegio\" salasana on kehityssalasana" in text


@pytest.mark.plugin
def test_production_build_fails_on_each_weak_setup(tiny_site, monkeypatch):
    env = {"MEMBERS_PASSWORD_JASENET": "salasana1", "MEMBERS_PASSWORD_HALLITUS": "salasana1",
           "MEMBERS_PASSWORD_KOLLEGIO": "1234567890123456",
           "MEMBERS_PASSWORD_TALOUSPAALLIKOT": "qwertyuiopasdfgh",
           "MEMBERS_PASSWORD_OPISKELIJAHALLINTO": "Salasana2024!!!!"}
    text = problem_texts(members_build(tiny_site, monkeypatch, env), tiny_site)
    for group in TEST_PASSWORDS:
        assert f"jäsenryhmän \"{group}\" salasana on liian heikko" in text, group
    assert "jäsenryhmillä \"jasenet\" ja \"hallitus\" on sama salasana" in text
    assert "tasks.py members-passphrase" in text
    one = {f"MEMBERS_PASSWORD_{g.upper()}": "yksi yhteinen vahva salalause kaikille" for g in TEST_PASSWORDS}
    one["MEMBERS_PASSWORD_JASENET"] = "kehitys-jasenet-salasana "
    text = problem_texts(members_build(tiny_site, monkeypatch, one), tiny_site)
    assert text.count("on sama salasana") == 3
    assert "jäsenryhmän \"jasenet\" salasana on kehityssalasana" in text


def test_development_build_uses_documented_passwords(tmp_path):
    site = make_members_site(tmp_path)
    build = site.build("pelicanconf.py", env={}, CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False)
    assert build.returncode == 0, build.stderr
    keyring = json.loads(build.read("jasenalue/avaimet.json"))
    assert crypto.unlock(keyring, "hallitus", "kehitys-hallitus-salasana") is not None
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    from pelicanconf import MEMBERS_DEV_PASSWORDS
    for password in MEMBERS_DEV_PASSWORDS.values():
        assert password in readme
    assert not (site.content / "members" / "keyring-salt.json").exists(), "nothing written into content/"


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


@pytest.mark.plugin
def test_members_html_is_sanitised(tiny_site, monkeypatch):
    assert clean('<p onclick="x()">a<img src=x onerror=alert(1)><script>alert(1)</script></p>') == "<p>a</p>"
    assert refused_html('<h2 id="a">b</h2><p><a href="https://x.fi">c</a></p>') == []
    tiny_site.write("members/tiedotteet/xss.md", member_item(
        "Tiedote", body='Teksti.\n\n<img src="x" onerror="alert(1)">\n\n[linkki](javascript:alert(1))\n'))
    result = members_build(tiny_site, monkeypatch, THEME=tiny_site.theme("members"))
    text = problem_texts(result, tiny_site)
    assert [(p.relative_source(str(tiny_site.content)), p.field) for p in result.problems] == [
        ("members/tiedotteet/xss.md", "teksti")]
    assert "<img>" in text


@pytest.mark.plugin
def test_bad_member_content(tiny_site, monkeypatch):
    tiny_site.write("members/materiaalit/a.md", member_item("Aineisto", file="tiedostot/puuttuu.pdf"))
    tiny_site.write("members/tiedotteet/b.md", member_item("Tiedote", groups="kaikki"))
    tiny_site.write("members/tiedotteet/c.md", member_item("Tiedote 2", date="2021-13-01"))
    tiny_site.write("members/tiedotteet/d.md", member_item("Tiedote 3").replace("Id: ", "Id: X"))
    # content_rules reads the dates of every content type, the members' items' too.
    result = members_build(tiny_site, monkeypatch, plugins=["content_rules"])
    text = problem_texts(result, tiny_site)
    assert sorted((p.relative_source(str(tiny_site.content)), p.field) for p in result.problems) == [
        ("members/materiaalit/a.md", "File"), ("members/tiedotteet/b.md", "Groups"),
        ("members/tiedotteet/c.md", "Date"), ("members/tiedotteet/d.md", "Id")]
    assert "materiaalit/a.md" in text and "tiedostoa \"tiedostot/puuttuu.pdf\" ei löydy" in text
    assert "tiedotteet/b.md" in text and "tuntematon arvo \"kaikki\"" in text
    assert "tiedotteet/c.md" in text and "kenttä:   Date" in text
    assert "tiedotteet/d.md" in text and "kenttä:   Id" in text


@pytest.mark.plugin
def test_members_pages_cannot_embed_public_images(tiny_site, monkeypatch):
    # Its resized copies would be public files under /kuvat/: refused, not published.
    from PIL import Image

    (tiny_site.content / "images").mkdir()
    Image.new("RGB", (400, 300), (200, 30, 30)).save(tiny_site.content / "images" / "budjettikaavio.png")
    tiny_site.write("members/tiedotteet/kuva.md", member_item(
        "Tiedote kuvalla", body="![Kaavio]({static}/images/budjettikaavio.png)"))
    result = members_build(tiny_site, monkeypatch, plugins=["responsive_images"])
    text = problem_texts(result, tiny_site)
    assert [(p.relative_source(str(tiny_site.content)), p.field) for p in result.problems] == [
        ("members/tiedotteet/kuva.md", "kuva")]
    assert "liitteeksi" in text


@pytest.mark.plugin
def test_public_content_cannot_link_members_files(tiny_site):
    import pelicanconf
    from conftest import post

    tiny_site.write("members/tiedostot/muistio.pdf", "%PDF-1.4")
    tiny_site.write("images/kuva.png", "")
    tiny_site.write("posts/a.md", post(title="A", body="[muistio]({static}/members/tiedostot/muistio.pdf)"))
    tiny_site.write("posts/b.md", post(title="B", body="![Kuva]({static}/images/kuva.png)"))
    result = tiny_site.build("content_rules", MEMBERS_PATHS=pelicanconf.MEMBERS_PATHS,
                             ALLOWED_CATEGORIES=pelicanconf.ALLOWED_CATEGORIES, MEMBERS_URL="aineistot/")
    assert [(p.relative_source(str(tiny_site.content)), p.field, p.message) for p in result.problems] == [
        ("posts/a.md", "linkki", "linkki {static}/members/tiedostot/muistio.pdf osoittaa jäsenalueen tiedostoon.")]
    assert "korjaus:" in result.problems[0].text() and "(/aineistot/)" in result.problems[0].fix  # MEMBERS_URL
    assert not tiny_site.output.exists()


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
    # The output, and the build's cache beside it: the publishing workflow
    # keeps the cache between runs (content, images, social cards).
    cache = build.output.parent / "cache"
    assert any((cache / "kortit").rglob("*.jpg"))
    for file in [*build.output.rglob("*"), *cache.rglob("*")]:
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
    keys = opened_keys(build, ("jasenet", JASENET), ("hallitus", HALLITUS))
    index = json.loads(build.read("jasenalue/hakemisto.json"))["envelopes"]
    assert marker in crypto.open_envelope(keys["jasenet"], index, crypto.index_aad("jasenet")).decode()
    board = crypto.open_envelope(keys["hallitus"], index, crypto.index_aad("hallitus")).decode()
    assert f"Kokous {marker}" in board


def test_members_pages_are_noindex_and_generic(members_site):
    for path in members_site.output.joinpath("jasenalue").rglob("index.html"):
        page = members_site.html(str(path.relative_to(members_site.output)))
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
        policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
        assert "script-src 'self' 'wasm-unsafe-eval';" in policy and "default-src 'none'" in policy
        assert page.find("noscript")
        assert not page.find("script", src=False), "no inline script"
        text = page.get_text()
        assert "Jäsentiedote helmikuu" not in text and "Hallituksen luottamuksellinen" not in text


def test_production_keyring_costs_what_the_readme_says(site):
    """The production build (the real site with publishconf.py): 64 MiB, 5 passes."""
    kdf = json.loads(site.read("jasenalue/avaimet.json"))["kdf"]
    assert kdf == {"name": "Argon2id", "memory": 65536, "iterations": 5, "parallelism": 1}


def test_real_site_shows_the_members_section_exists(site):
    footer = site.html("index.html").find("footer")
    assert footer.find("a", string="Jäsenalue")
    login = site.html("jasenalue/")
    assert login.find("form", attrs={"data-login": True}).find("input", type="password")
    assert "salasana" in login.find("main").get_text().lower()


# --- the real browser -----------------------------------------------------------------

# The site's own policy (no upgrade-insecure-requests: the test server is plain http on 127.0.0.1).
STRICT_CSP = content_security_policy([]).replace("; upgrade-insecure-requests", "")


# The fixture site is built for TODAY, and a browser keeps no key of a rotation
# period that has ended by its own clock: its pages are opened at noon of TODAY.
BUILD_NOON = dt.datetime.fromisoformat(f"{TODAY}T12:00:00+02:00")


def at_build_day(context):
    context.clock.set_system_time(BUILD_NOON)
    return context


@pytest.fixture
def members_server(members_site, serve):
    return serve(members_site.output, {"Content-Security-Policy": STRICT_CSP})


def login(page, password, group="jasenet", remember=False, show=False):
    form = "[data-login]:not([hidden])"
    page.wait_for_selector(form)
    page.select_option(f"{form} #members-group", group)
    page.fill("#members-password", password)
    if show:
        page.click("[data-toggle-password]")
    if remember:
        page.check("#members-remember")
    page.click(f"{form} button[type=submit]")


STORED = """() => new Promise((resolve, reject) => {
    const open = indexedDB.open('kl-jasenalue');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('keys')) { db.close(); resolve({}); return; }
      const out = {};
      const cursor = db.transaction('keys').objectStore('keys').openCursor();
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (!c) { db.close(); resolve(out); return; }
        try {
          out[c.key] = {type: c.value.wrap.constructor.name, algorithm: c.value.wrap.algorithm.name,
                        extractable: c.value.wrap.extractable, usages: c.value.wrap.usages,
                        remember: c.value.remember, fields: Object.keys(c.value).sort()};
        } catch (error) { db.close(); reject(new Error('not a wrapped-key record: ' + Object.keys(c.value))); return; }
        c.continue();
      };
    };
})"""


def test_argon2id_in_the_browser_gives_the_same_bytes(playwright_browser, members_server):
    context = at_build_day(playwright_browser.new_context())
    page = context.new_page()
    page.goto(f"{members_server.url}/jasenalue/")
    page.wait_for_selector("[data-login]:not([hidden])")
    raw = page.evaluate("""() => hashwasm.argon2id({password: 'password', salt: 'somesalt',
        parallelism: 1, iterations: 2, memorySize: 65536, hashLength: 32, outputType: 'hex'})""")
    assert raw == "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7"
    context.close()


def test_right_password_unlocks_under_a_strict_csp(playwright_browser, members_site, members_server):
    context = at_build_day(playwright_browser.new_context())
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{members_server.url}/jasenalue/")
    assert "yhteiskäyttöisellä" in page.text_content("#members-remember-hint")
    login(page, JASENET, show=True)
    page.wait_for_selector(".members-entry")
    # The password left the page before the key derivation started.
    assert page.input_value("#members-password") == ""
    assert page.get_attribute("#members-password", "type") == "password"
    titles = page.locator(".members-entry__title").all_text_contents()
    assert titles == ["Toinen jäsentiedote", "Jäsentiedote helmikuu", "Iso aineisto"]
    assert page.evaluate("document.activeElement.id") == "members-title"
    assert page.text_content("[data-groups]") == "Jäsenoppilaitokset"
    page.fill("#members-search", "toinen")
    assert page.locator(".members-entry:visible").count() == 1
    assert page.text_content("[data-count]") == "Näytetään 1 / 3"
    page.click("text=Toinen jäsentiedote")
    page.wait_for_selector(".members-item")
    assert page.text_content("#members-title") == "Toinen jäsentiedote"
    assert page.locator("[data-session]").is_visible(), "one login opens the next page"
    assert page.evaluate("[localStorage.length, document.cookie]") == [0, ""]
    assert page.evaluate("Object.keys(sessionStorage)") == ["kl-jasenalue-istunto"]
    # IndexedDB holds the wrapping key, never the key itself (that is wrapped, in a file). [PROFILE]
    assert page.evaluate(STORED) == {"jasenet": {
        "type": "CryptoKey", "algorithm": "AES-KW", "extractable": False, "usages": ["wrapKey", "unwrapKey"],
        "remember": False, "fields": ["expires", "file", "remember", "salt", "session", "wrap"]}}
    assert errors == []
    context.close()


def test_the_production_keyring_opens_in_the_browser(playwright_browser, site):
    """At the production cost (64 MiB of WebAssembly memory), with the site's own headers;
    the other browser tests use a fixture site whose keyring is at OWASP's floor."""
    context = playwright_browser.new_context()
    routed = RoutedSite(context, site.output)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{SITEURL}/jasenalue/")
    login(page, TEST_PASSWORDS["jasenet"])
    page.wait_for_selector(".members-entry")
    assert page.locator(".members-entry").count() >= 1
    assert errors == [] and routed.foreign == []
    context.close()


def test_wrong_password_shows_the_error_and_nothing_else(playwright_browser, members_server):
    context = at_build_day(playwright_browser.new_context())
    page = context.new_page()
    page.goto(f"{members_server.url}/jasenalue/")
    login(page, "väärä salasana joka on pitkä")
    page.wait_for_selector("[data-error]:not(:empty)")
    assert page.text_content("[data-error]") == "Salasana ei kelpaa. Tarkista se ja yritä uudelleen."
    assert page.get_attribute("[data-error]", "role") == "alert"
    assert page.text_content("[data-content]") == ""
    assert page.locator("[data-session]").is_hidden()
    assert page.evaluate("document.activeElement.id") == "members-password"
    assert page.input_value("#members-password") == ""
    assert page.evaluate(STORED) == {}
    context.close()


def test_show_password_button_and_pagehide_clear_the_field(playwright_browser, members_server):
    context = at_build_day(playwright_browser.new_context())
    page = context.new_page()
    page.goto(f"{members_server.url}/jasenalue/")
    page.wait_for_selector("form[data-login]:not([hidden])")
    toggle = page.locator("[data-toggle-password]")
    assert toggle.get_attribute("aria-pressed") == "false"
    page.fill("#members-password", "kirjoitettu mutta ei lähetetty")
    toggle.click()
    assert page.get_attribute("#members-password", "type") == "text"
    assert toggle.get_attribute("aria-pressed") == "true"
    # Shown, it is a text field: Chromium would keep its value in the session
    # files (to restore the tab) unless its autocomplete is off. [PROFILE]
    assert page.get_attribute("#members-password", "autocomplete") == "off"
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pagehide'))")
    assert page.input_value("#members-password") == ""
    assert page.get_attribute("#members-password", "type") == "password"
    assert page.get_attribute("#members-password", "autocomplete") == "current-password"
    context.close()


def wait_for_session_record(profile, marker: bytes) -> None:
    """Until Chromium's session files hold ``marker``: watched (inotify), not timed."""
    from watchfiles import watch

    def recorded() -> bool:
        return any(marker in path.read_bytes() for path in (profile / "Default" / "Sessions").glob("*")
                   if path.is_file())

    if recorded():
        return
    for changes in watch(profile / "Default", yield_on_timeout=True, rust_timeout=60_000):
        assert changes, "Chromium wrote no session file within a minute"
        if recorded():
            return


def test_a_shown_password_never_reaches_the_session_files(playwright_browser, members_server, tmp_path):
    """[PROFILE] A member who shows the password while typing it, pauses, and
    leaves the page: Chromium records the tab's form state for restoring it,
    and its session file is a log that keeps what was once written."""
    profile = tmp_path / "profile"
    context = persistent(playwright_browser, profile)
    page = context.new_page()
    page.goto(f"{members_server.url}/jasenalue/")
    page.wait_for_selector("form[data-login]:not([hidden])")
    page.click("[data-toggle-password]")
    page.type("#members-password", JASENET, delay=20)
    # The renderer sends the tab's state (its form fields with it) on a timer;
    # a same-document navigation sends it now, and the session file records it.
    page.evaluate("history.replaceState(null, '', '#kirjoitettu')")
    wait_for_session_record(profile, b"#kirjoitettu")
    page.goto(f"{members_server.url}/")
    context.close()
    assert list((profile / "Default" / "Sessions").iterdir()), "no session file was written"
    assert profile_holds(profile, JASENET) == []


def test_a_board_member_opens_both_groups_with_one_login(playwright_browser, members_site,
                                                         members_server):
    urls = item_urls(members_site)
    board_page = f"{members_server.url}/{urls['Hallituksen luottamuksellinen tiedote']}"
    context = at_build_day(playwright_browser.new_context())
    page = context.new_page()
    page.goto(board_page)
    login(page, JASENET)
    page.wait_for_selector("[data-content] [role=alert]")
    assert "toiselle jäsenryhmälle" in page.text_content("[data-content]")
    assert "Hallituksen luottamuksellinen" not in page.content()
    # The same tab adds the board's password: both groups stay open.
    assert page.locator("[data-add-group]").get_attribute("open") is not None
    assert page.locator("#members-group option:not([disabled])").all_text_contents() == [
        "Hallitus", "Kollegio", "Talouspäälliköt", "Opiskelijahallinto"]
    login(page, HALLITUS, group="hallitus")
    page.wait_for_selector(".members-item")
    assert page.text_content("#members-title") == "Hallituksen luottamuksellinen tiedote"
    assert page.text_content("[data-groups]") == "Jäsenoppilaitokset, Hallitus"
    page.goto(f"{members_server.url}/jasenalue/")
    page.wait_for_selector(".members-entry")
    titles = page.locator(".members-entry__title").all_text_contents()
    assert "Hallituksen luottamuksellinen tiedote" in titles and "Toinen jäsentiedote" in titles
    assert set(page.evaluate(STORED)) == {"jasenet", "hallitus"}
    context.close()


def test_downloaded_attachments_are_byte_identical(playwright_browser, members_site, members_server,
                                                   tmp_path):
    urls = item_urls(members_site)
    context = at_build_day(playwright_browser.new_context(accept_downloads=True))
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


def persistent(playwright_browser, profile):
    options = {"executable_path": playwright_browser.executable, "args": ["--no-sandbox"]}
    context = playwright_browser.playwright.chromium.launch_persistent_context(str(profile), **options)
    return at_build_day(context)


def profile_files_holding(profile, needles: list[bytes]) -> list[str]:
    """The profile's files (relative paths) in which any of ``needles`` is found."""
    return [str(path.relative_to(profile)) for path in profile.rglob("*") if path.is_file()
            and any(needle in path.read_bytes() for needle in needles)]


def profile_holds(profile, secret: str) -> list[str]:
    return profile_files_holding(profile, [secret.encode("utf-8"), secret.encode("utf-16-le")])


def test_a_copied_profile_holds_no_password_and_a_session_ends_with_the_browser(
        playwright_browser, members_site, members_server, tmp_path):
    profile = tmp_path / "profile"
    urls = item_urls(members_site)
    context = persistent(playwright_browser, profile)
    page = context.new_page()
    page.goto(f"{members_server.url}/jasenalue/")
    login(page, JASENET, show=True)
    page.wait_for_selector(".members-entry")
    page.click("text=Toinen jäsentiedote")
    page.wait_for_selector(".members-item")
    page.goto(f"{members_server.url}/{urls['Jäsentiedote helmikuu']}")
    page.wait_for_selector(".members-item")
    page.go_back()
    page.wait_for_selector(".members-item")
    page.click("[data-logout]")
    page.wait_for_selector("form[data-login]:not([hidden])")
    context.close()
    assert profile_holds(profile, JASENET) == []
    # Without "Muista minut" the login ends when the browser is closed.
    context = persistent(playwright_browser, profile)
    page = context.new_page()
    page.goto(f"{members_server.url}/jasenalue/")
    login(page, JASENET)
    page.wait_for_selector(".members-entry")
    other = context.new_page()  # a second tab typed by hand shares the session
    other.goto(f"{members_server.url}/jasenalue/")
    other.wait_for_selector(".members-entry")
    context.close()
    context = persistent(playwright_browser, profile)
    page = context.new_page()
    page.goto(f"{members_server.url}/jasenalue/")
    page.wait_for_selector("form[data-login]:not([hidden])")
    assert page.text_content("[data-content]") == ""
    context.close()
    assert profile_holds(profile, JASENET) == []


def test_remember_me_survives_a_restart_and_logout_ends_it(playwright_browser, members_server, tmp_path):
    profile = tmp_path / "profile"
    context = persistent(playwright_browser, profile)
    page = context.new_page()
    page.goto(f"{members_server.url}/jasenalue/")
    login(page, JASENET, remember=True)
    page.wait_for_selector(".members-entry")
    context.close()
    context = persistent(playwright_browser, profile)
    page = context.new_page()
    page.goto(f"{members_server.url}/jasenalue/")
    page.wait_for_selector(".members-entry")
    assert page.locator("[data-session]").is_visible()
    other = context.new_page()
    other.goto(f"{members_server.url}/jasenalue/")
    other.wait_for_selector(".members-entry")
    page.click("[data-logout]")
    page.wait_for_selector("form[data-login]:not([hidden])")
    other.wait_for_selector("form[data-login]:not([hidden])")  # logout locks every open tab
    assert other.text_content("[data-content]") == ""
    assert page.evaluate(STORED) == {}
    context.close()
    context = persistent(playwright_browser, profile)
    page = context.new_page()
    page.goto(f"{members_server.url}/jasenalue/")
    page.wait_for_selector("form[data-login]:not([hidden])")
    context.close()


@pytest.mark.parametrize("remember, lifetime", [(False, 2 * 3600_000 + 5000), (True, 30 * 86400_000 + 5000)])
def test_an_open_tab_locks_itself_when_the_login_expires(playwright_browser, members_server,
                                                        remember, lifetime):
    context = playwright_browser.new_context()
    page = context.new_page()
    page.clock.install(time=BUILD_NOON)
    page.goto(f"{members_server.url}/jasenalue/")
    login(page, JASENET, remember=remember)
    page.wait_for_selector(".members-entry")
    page.clock.run_for("01:59:00")
    assert page.locator(".members-entry").count() == 3, "still open before it expires"
    page.clock.run_for(lifetime)
    page.wait_for_selector("form[data-login]:not([hidden])")
    assert page.text_content("[data-progress]") == "Kirjautumisesi on päättynyt. Kirjaudu uudelleen jatkaaksesi."
    assert page.text_content("[data-content]") == ""
    assert page.evaluate(STORED) == {}
    context.close()


def test_tampered_ciphertext_gives_a_clear_error(playwright_browser, members_site, serve, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(members_site.output, copy)
    urls = item_urls(members_site)
    path = copy / urls["Toinen jäsentiedote"] / "sisalto.json"
    data = json.loads(path.read_text())
    for envelope in data["envelopes"]:
        raw = bytearray(base64.b64decode(envelope["data"]))
        raw[5] ^= 0x01
        envelope["data"] = base64.b64encode(bytes(raw)).decode()
    path.write_text(json.dumps(data))
    server = serve(copy)
    context = at_build_day(playwright_browser.new_context())
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


def test_a_keyring_below_the_minimum_is_refused(playwright_browser, members_site, serve, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(members_site.output, copy)
    path = copy / "jasenalue" / "avaimet.json"
    keyring = json.loads(path.read_text())
    keyring["kdf"]["memory"] = 1024
    path.write_text(json.dumps(keyring))
    server = serve(copy)
    context = at_build_day(playwright_browser.new_context())
    page = context.new_page()
    page.goto(f"{server.url}/jasenalue/")
    page.wait_for_selector("[data-content] [role=alert]")
    assert "muodossa, jota tämä sivu ei tunne" in page.text_content("[data-content]")
    assert page.locator("form[data-login]").is_hidden()
    context.close()


def test_clear_message_without_webcrypto(playwright_browser, members_server):
    context = at_build_day(playwright_browser.new_context())
    context.add_init_script("Object.defineProperty(window, 'isSecureContext', {value: false});")
    page = context.new_page()
    page.goto(f"{members_server.url}/jasenalue/")
    page.wait_for_selector("[data-unsupported]:not([hidden])")
    assert "https://" in page.text_content("[data-unsupported]")
    assert page.locator("form[data-login]").is_hidden()
    context.close()


def test_header_files_carry_the_members_rules(members_site):
    from site_meta.headers import MEMBERS_HEADERS, nginx_snippet, security_headers

    headers = (members_site.output / "_headers").read_text(encoding="utf-8")
    assert "/jasenalue/*\n  X-Robots-Tag: noindex, nofollow\n  Cache-Control: no-cache" in headers
    htaccess = (members_site.output / ".htaccess").read_text(encoding="utf-8")
    assert "<IfModule mod_headers.c>" not in htaccess, "rules must not vanish without mod_headers"
    assert "Header always set Content-Security-Policy" in htaccess
    members = (members_site.output / "jasenalue" / ".htaccess").read_text(encoding="utf-8")
    assert "<IfModule" not in members
    assert 'Header always set X-Robots-Tag "noindex, nofollow"' in members
    assert 'Header always set Cache-Control "no-cache"' in members
    assert "Header always set Content-Security-Policy" in members, "the site's headers stay"
    nginx = nginx_snippet(security_headers(None), {"/jasenalue/": MEMBERS_HEADERS})
    members_block = nginx.split("location ^~ /jasenalue/ {")[1].split("}")[0]
    assert 'add_header X-Robots-Tag "noindex, nofollow" always;' in members_block
    assert "Content-Security-Policy" in members_block, "nginx drops the server's headers in a location"


def test_vendored_argon2_is_the_pinned_npm_file():
    # The browser's Argon2id comes from npm, pinned in package.json; make test runs npm ci.
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]["hash-wasm"]
    installed = ROOT / "node_modules" / "hash-wasm"
    assert installed.is_dir(), "node_modules/hash-wasm missing: run npm ci (make test does)"
    assert json.loads((installed / "package.json").read_text())["version"] == pinned
    vendored = ROOT / "theme" / "static" / "js" / "vendor" / "hash-wasm-argon2.umd.min.js"
    assert vendored.read_bytes() == (installed / "dist" / "argon2.umd.min.js").read_bytes()


def test_a_remembered_login_ends_with_its_rotation_period(playwright_browser, members_site, serve,
                                                          tmp_path):
    live = tmp_path / "live"
    shutil.copytree(members_site.output, live)
    server = serve(live)
    context = at_build_day(playwright_browser.new_context())
    page = context.new_page()
    page.goto(f"{server.url}/jasenalue/")
    login(page, JASENET, remember=True)
    page.wait_for_selector(".members-entry")
    page.reload()
    page.wait_for_selector(".members-entry")  # the same period: still open
    # The next period's build goes live at the same address.
    period = json.loads((live / "jasenalue" / "avaimet.json").read_text())["period"]
    site = make_members_site(tmp_path / "next")
    next_day = crypto.ROTATION_EPOCH + dt.timedelta(days=30 * (period + 1))
    build = site.build(SITEURL="", MEMBERS_TODAY=next_day.isoformat())
    assert build.returncode == 0, build.stderr
    shutil.rmtree(live)
    shutil.copytree(build.output, live)
    page.reload()
    page.wait_for_selector("form[data-login]:not([hidden])")
    assert page.text_content("[data-content]") == ""
    assert page.evaluate(STORED) == {}, "the dead key is deleted"
    login(page, JASENET)
    page.wait_for_selector(".members-entry")
    context.close()


def test_a_past_members_event_without_a_day_is_not_to_be_confirmed(tmp_path):
    """A board meeting planned for September 2021 with no day, read in 2026: past,
    its month is what it was, not a date still to be confirmed."""
    site = make_members_site(tmp_path)
    site.write("events/hallituksen-kokous-syyskuu.md", (CONTENT / "events" / "hallituksen-kokous-syyskuu.md")
               .read_text(encoding="utf-8"))
    build = site.build(SITEURL="", MEMBERS_TODAY="2026-12-01", EVENTS_TODAY="2026-12-01")
    assert build.returncode == 0, build.stderr
    keys = opened_keys(build, ("hallitus", HALLITUS))
    index = json.loads(build.read("jasenalue/hakemisto.json"))["envelopes"]
    board = json.loads(crypto.open_envelope(keys["hallitus"], index, crypto.index_aad("hallitus")))
    [event] = board["events"]
    shown = json.dumps(event, ensure_ascii=False)
    assert "syyskuu 2021" in shown and "tarkentuu" not in shown, shown

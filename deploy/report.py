"""Tell a pull request how its build went: the preview's commit status and the build's problems.

    python3 deploy/report.py pending|done

Run by .github/workflows/tarkistus.yml for a pull request from a branch of
this repository (a draft saved in the editor is one). It sets the commit
status ``CONTEXT`` on the pull request's head commit: pending while the
build runs; then success with the preview's address, which the editor (Decap
CMS, ``preview_context``) shows as its preview link; failure with the
address of the run, whose summary lists the problems. When the build fails,
one comment on the pull request lists the problems in Finnish (file, field,
problem, fix: ``strict_build --summary``); when a later build succeeds, the
same comment says so, so the list never outlives its problems.

Reads GitHub's own variables (GITHUB_API_URL, GITHUB_REPOSITORY,
GITHUB_SERVER_URL, GITHUB_RUN_ID, GITHUB_TOKEN) and the job's: PR_NUMBER,
HEAD_SHA, BUILD_OUTCOME (the build step's outcome), JOB_STATUS, PREVIEW_URL,
SUMMARY_FILE. Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.request

# The status Decap CMS reads: its editor config names it as preview_context;
# without one, Decap takes the first status whose context contains "deploy".
CONTEXT = "deploy/esikatselu"
# The comment this script writes, found again by this line.
MARKER = "<!-- tarkistus: kokoaminen -->"
# GitHub takes a comment of at most 65 536 characters; the run's summary has the whole list.
LONGEST_LIST = 60000


def api(method: str, path: str, body: dict | None = None):
    request = urllib.request.Request(
        os.environ["GITHUB_API_URL"].rstrip("/") + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {os.environ['GITHUB_TOKEN']}",
                 "Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def problem_count(summary: str) -> int | None:
    """The count in the summary's heading (plugins/sitecore/problems.py), or None."""
    found = re.search(r"^## Sivuston kokoaminen epäonnistui: (\d+) virhe", summary, re.M)
    return int(found.group(1)) if found else None


def outcome(env, summary: str) -> tuple[str, str, str]:
    """The commit status: state, description (at most 140 characters) and address."""
    run = f"{env['GITHUB_SERVER_URL']}/{env['GITHUB_REPOSITORY']}/actions/runs/{env['GITHUB_RUN_ID']}"
    if env.get("BUILD_OUTCOME") == "failure":
        count = problem_count(summary)
        what = f"{count} {'virhe' if count == 1 else 'virhettä'}" if count else "katso ajon tiedot"
        return "failure", f"Kokoaminen epäonnistui: {what}. Korjaa ja tallenna uudelleen.", run
    if env.get("JOB_STATUS") == "success" and env.get("PREVIEW_URL"):
        return "success", "Esikatselu on valmis.", env["PREVIEW_URL"]
    return "error", "Esikatselua ei saatu julkaistua (ei sisällön vika): katso ajon tiedot.", run


def comment(state: str, summary: str, address: str, sha: str) -> str | None:
    """The pull request's comment for this outcome; None: leave the comment as it is."""
    if state == "failure":
        if len(summary) > LONGEST_LIST:
            summary = summary[:LONGEST_LIST].rsplit("\n", 1)[0] + "\n\n… (koko luettelo ajon tiedoissa)"
        return (f"{MARKER}\n**Tätä muutosta ei voi julkaista:** sivuston kokoaminen epäonnistui "
                f"(muutos {sha[:7]}). Korjaa alla luetellut kohdat ja tallenna; tarkistus ajetaan "
                f"uudelleen itsestään.\n\n{summary.strip()}\n\n[Ajon tiedot]({address})\n")
    if state == "success":
        return (f"{MARKER}\nSivuston kokoaminen onnistuu taas (muutos {sha[:7]}): aiemmin luetellut "
                f"virheet on korjattu. [Esikatselu]({address})\n")
    return None


def main(argv: list[str]) -> int:
    env = os.environ
    repo, sha, number = env["GITHUB_REPOSITORY"], env["HEAD_SHA"], env["PR_NUMBER"]
    if argv == ["pending"]:
        api("POST", f"/repos/{repo}/statuses/{sha}",
            {"state": "pending", "context": CONTEXT, "description": "Esikatselua kootaan…"})
        return 0
    if argv != ["done"]:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    summary_file = env.get("SUMMARY_FILE", "")
    summary = open(summary_file, encoding="utf-8").read() if os.path.isfile(summary_file) else ""
    state, description, address = outcome(env, summary)
    api("POST", f"/repos/{repo}/statuses/{sha}",
        {"state": state, "context": CONTEXT, "description": description, "target_url": address})
    body = comment(state, summary, address, sha)
    earlier = [c for c in api("GET", f"/repos/{repo}/issues/{number}/comments?per_page=100")
               if c["body"].startswith(MARKER)]
    if body and earlier:
        api("PATCH", f"/repos/{repo}/issues/comments/{earlier[-1]['id']}", {"body": body})
    elif body and state == "failure":  # a build that was never broken needs no comment
        api("POST", f"/repos/{repo}/issues/{number}/comments", {"body": body})
    print(f"{CONTEXT}: {state} – {description} {address}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except OSError as error:  # urllib's HTTPError and URLError too
        # The build's own check says whether it may be merged; a report GitHub refused
        # (a read-only token, an outage) must not fail a good build.
        print(f"::warning::Esikatselun tilaa ei saatu GitHubiin: {error}")

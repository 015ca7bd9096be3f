"""Command line: build a site strictly into an output folder.

    python -m strict_build SETTINGS OUTPUT [-e KEY=JSON ...] [--debug]

Exit status 0 when the site was built and swapped into OUTPUT, 1 when it has
problems (OUTPUT keeps its previous build), 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from sitecore.problems import summary_markdown

from .runner import BuildResult, build


def parse_overrides(pairs: list[str]) -> dict:
    overrides = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        try:
            overrides[key] = json.loads(value)
        except json.JSONDecodeError:
            overrides[key] = value
    return overrides


def main(argv: list[str] | None = None) -> int:
    return run(argv)[0]


def run(argv: list[str] | None = None) -> tuple[int, BuildResult]:
    """Build as the command line says and tell how it went; the exit status and the result."""
    parser = argparse.ArgumentParser(prog="python -m strict_build", description=__doc__)
    parser.add_argument("settings", help="Pelican settings file")
    parser.add_argument("output", help="output folder, replaced only on success")
    parser.add_argument(
        "-e", "--extra-settings", action="append", default=[], metavar="KEY=JSON",
        help="override one setting (value parsed as JSON, else taken as text)",
    )
    parser.add_argument(
        "--summary", metavar="FILE",
        help="append the outcome in Finnish Markdown, e.g. to GitHub Actions' $GITHUB_STEP_SUMMARY",
    )
    parser.add_argument("--phases", action="store_true",
                        help="print the seconds each phase took (read, check, render, …), for benchmarks")
    parser.add_argument("--debug", action="store_true",
                        help="raise a bug in the code as Python's own exception (also DEBUG=1)")
    args = parser.parse_args(argv)
    debug = args.debug or os.environ.get("DEBUG", "") not in ("", "0")
    result = build(args.settings, args.output, parse_overrides(args.extra_settings), debug=debug)
    root = os.getcwd()
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as summary:
            summary.write(summary_markdown(result.problems, root))
    if args.phases:
        print("VAIHEET: " + json.dumps({k: round(v, 3) for k, v in result.phases.items()}), file=sys.stderr)
    for text in result.notices:
        print(f"HUOMIO: {text}", file=sys.stderr)
    if result.ok:
        print(f"Sivusto rakennettu kansioon {os.path.relpath(result.output, root)} "
              f"({result.seconds:.1f} s).", flush=True)
        return 0, result
    for problem in sorted(result.problems, key=lambda p: (p.source, p.field)):
        print(problem.text(root), file=sys.stderr)
        print(file=sys.stderr)
    count = len(result.problems)
    noun = "virhe" if count == 1 else "virhettä"
    where = os.path.relpath(result.output, root)
    kept = (f"kansiossa {where} on yhä edellinen toimiva versio." if result.output.is_dir()
            else f"kansiota {where} ei ole vielä koottu kertaakaan onnistuneesti.")
    print(f"Rakentaminen epäonnistui: {count} {noun}. Sivusto ei päivittynyt: {kept}",
          file=sys.stderr, flush=True)
    return 1, result


if __name__ == "__main__":
    sys.exit(main())

"""What browsers, search engines and web servers read at the site root:
icons and manifest, sitemap.xml, robots.txt and header files; and the build
record deploy/deploy.sh reads."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from pelican import signals

from languages import other_languages, translation_groups
from sitecore import Build
from sitecore.site import HeaderSections, absolute_url, build_mode, language, section_url

from .headers import (MEMBERS_HEADERS, apache_htaccess, apache_section, netlify_headers,
                      page_policy, security_headers)
from .sitemap import excluded_with_translations, page_urls, robots_txt, sitemap_xml



# What this folder is, for deploy/deploy.sh: a dot file, not listed; harmless when served.
BUILD_RECORD = ".build.json"


def build_record(settings, commit: str | None, now: dt.datetime) -> str:
    """The build record: mode (``build_mode``), the commit built and when. One field a
    line, as deploy/deploy.sh reads it with sed."""
    record = {"mode": build_mode(settings), "commit": commit, "time": now.isoformat(timespec="seconds")}
    return json.dumps(record, indent=1) + "\n"


def head_commit(folder: str) -> str | None:
    """The commit checked out where ``folder`` is, or None outside git."""
    try:
        done = subprocess.run(["git", "-C", folder, "rev-parse", "--verify", "--quiet", "HEAD"],
                              capture_output=True, text=True)
    except OSError:
        return None
    return (done.stdout.strip() or None) if done.returncode == 0 else None


def excluded(settings) -> tuple[str, ...]:
    """Never in the sitemap: the members' section, drafts, the error page, the search page,
    the staff's editor (when the editor plugin, which owns ``EDITOR_URL``, is in use)."""
    urls = (section_url(settings, "members"), settings["DRAFT_URL"], settings.get("SEARCH_URL", "haku/"),
            settings.get("EDITOR_URL"))
    return (*(url.split("{")[0] for url in urls if url), "404.html")


@dataclass
class SitemapDates:
    """Recorded as pages are written, read in the *files* phase."""

    by_url: dict[str, str] = field(default_factory=dict)  # output-relative URL -> YYYY-MM-DD


def record_dates(path, context):
    content = context.get("article") or context.get("page")
    if content is None or not hasattr(content, "date"):
        return
    dates = Build.current().state(SitemapDates).by_url
    relative = Path(path).relative_to(context["OUTPUT_PATH"]).as_posix().removesuffix("index.html")
    stamp = getattr(content, "modified", None) or content.date
    dates[relative] = stamp.date().isoformat()


def write_files(pelican):
    settings = pelican.settings
    build = Build.current()
    write_output = build.write_output
    output = Path(settings["OUTPUT_PATH"])
    # The theme's files for the site root: icons and the web app manifest.
    for path in sorted((Path(settings["THEME"]) / "root").glob("*")):
        write_output(output / path.name, path.read_bytes())
    siteurl = absolute_url(settings)
    groups = translation_groups()
    urls = page_urls(output, excluded_with_translations(excluded(settings), groups))
    dates = build.state(SitemapDates).by_url
    sitemap = sitemap_xml(siteurl, urls, dates, groups, language(settings))
    write_output(output / "sitemap.xml", sitemap.encode("utf-8"))
    write_output(output / "robots.txt", robots_txt(siteurl).encode("utf-8"))
    headers = security_headers(settings.get("NEWSLETTER_SIGNUP_URL"))
    theme = settings.get("THEME_STATIC_DIR", "theme")
    sections = header_sections(settings, build.state(HeaderSections).by_path)
    write_output(output / "_headers", netlify_headers(headers, [f"/{theme}/*"], sections).encode("utf-8"))
    error_pages = {f"{lang}/": f"{lang}/404.html" for lang in other_languages(settings)
                   if (output / lang / "404.html").exists()}
    write_output(output / ".htaccess", apache_htaccess(headers, error_pages).encode("utf-8"))
    for path, extra in sections.items():
        write_output(output / path.strip("/") / ".htaccess", apache_section(headers, extra).encode("utf-8"))
    record = build_record(settings, head_commit(settings["PATH"]), dt.datetime.now(dt.timezone.utc))
    write_output(output / BUILD_RECORD, record.encode("utf-8"))


def header_sections(settings, others: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Paths with header rules of their own: the members' section and those
    other plugins give (``HeaderSections``: the editor's)."""
    return {f"/{section_url(settings, 'members')}": MEMBERS_HEADERS, **others}


def join_build(pelican):
    Build.current().join("files", write_files)


def add_policy(generator):
    """The site's policy for base.html's ``<meta>`` copy (the header files carry the stronger one)."""
    generator.env.globals["content_security_policy"] = page_policy(generator.settings.get("NEWSLETTER_SIGNUP_URL"))


def register():
    signals.initialized.connect(join_build)
    signals.generator_init.connect(add_policy)
    signals.content_written.connect(record_dates)

"""What browsers, search engines and web servers read at the site root:
icons and manifest, sitemap.xml, robots.txt and header files."""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from languages import other_languages, translation_groups
from strict_build import write_output

from .headers import (MEMBERS_HEADERS, apache_htaccess, apache_section, netlify_headers,
                      security_headers)
from .sitemap import excluded_with_translations, page_urls, robots_txt, sitemap_xml

# Never in the sitemap: the members' section, drafts, the error page, the search page,
# the staff's editor.
EXCLUDED = ("jasenalue/", "luonnokset/", "404.html", "haku/", "admin/")


def record_dates(path, context):
    # The writer's context is a shallow copy of the settings: SITEMAP_DATES is
    # the one dict share_dates put there, so entries added here are kept.
    content = context.get("article") or context.get("page")
    dates = context.get("SITEMAP_DATES")
    if content is None or dates is None or not hasattr(content, "date"):
        return
    relative = Path(path).relative_to(context["OUTPUT_PATH"]).as_posix().removesuffix("index.html")
    stamp = getattr(content, "modified", None) or content.date
    dates[relative] = stamp.date().isoformat()


def write_files(pelican):
    settings = pelican.settings
    output = Path(settings["OUTPUT_PATH"])
    # The theme's files for the site root: icons and the web app manifest.
    for path in sorted((Path(settings["THEME"]) / "root").glob("*")):
        write_output(output / path.name, path.read_bytes())
    siteurl = settings.get("PUBLIC_SITEURL") or settings.get("SITEURL", "")
    groups = translation_groups(settings)
    urls = page_urls(output, excluded_with_translations(EXCLUDED, groups))
    dates = settings.get("SITEMAP_DATES", {})
    sitemap = sitemap_xml(siteurl, urls, dates, groups, settings.get("DEFAULT_LANG", "fi"))
    write_output(output / "sitemap.xml", sitemap.encode("utf-8"))
    write_output(output / "robots.txt", robots_txt(siteurl).encode("utf-8"))
    headers = security_headers(settings.get("NEWSLETTER_SIGNUP_URL"))
    theme = settings.get("THEME_STATIC_DIR", "theme")
    sections = header_sections(settings)
    write_output(output / "_headers", netlify_headers(headers, [f"/{theme}/*"], sections).encode("utf-8"))
    error_pages = {f"{lang}/": f"{lang}/404.html" for lang in other_languages(settings)
                   if (output / lang / "404.html").exists()}
    write_output(output / ".htaccess", apache_htaccess(headers, error_pages).encode("utf-8"))
    for path, extra in sections.items():
        write_output(output / path.strip("/") / ".htaccess", apache_section(headers, extra).encode("utf-8"))


def header_sections(settings) -> dict[str, dict[str, str]]:
    """Paths with header rules of their own: the members' section and HEADER_SECTIONS."""
    return {f"/{settings.get('MEMBERS_URL', 'jasenalue/')}": MEMBERS_HEADERS,
            **settings.get("HEADER_SECTIONS", {})}


def share_dates(pelican):
    pelican.settings["SITEMAP_DATES"] = {}


def register():
    signals.initialized.connect(share_dates)
    signals.content_written.connect(record_dates)
    signals.finalized.connect(write_files)

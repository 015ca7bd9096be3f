"""Security and caching headers, written for the common static hosts."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

# Paths with header rules of their own, e.g. {"/admin/": {"Content-Security-Policy": …}}:
# the web editor's page cannot work under the public pages' policy, and the
# members' section adds noindex and no-cache (site_meta adds it from MEMBERS_URL).
Sections = Mapping[str, Mapping[str, str]]


def content_security_policy(form_targets: list[str]) -> str:
    """A strict policy: nothing from other hosts, no inline script or style.

    'wasm-unsafe-eval' lets the search run Pagefind's WebAssembly; it does
    not allow eval() of JavaScript.
    """
    form_action = " ".join(["'self'", *form_targets])
    return "; ".join([
        "default-src 'none'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self' blob:",
        f"form-action {form_action}",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "upgrade-insecure-requests",
    ])


# Left out of a page's <meta> copy of a policy: directives a <meta> element cannot
# carry (browsers ignore them there), and upgrade-insecure-requests, which is the
# header's and HSTS's to do and would break the plain-http preview and test servers.
HEADER_ONLY = ("frame-ancestors", "report-uri", "report-to", "sandbox", "upgrade-insecure-requests")


def meta_policy(policy: str) -> str:
    """``policy`` for a page's ``<meta http-equiv="Content-Security-Policy">``.

    The second line of defence where a host sends no header (or a wrong
    one): HTML that slipped into a page still cannot run script or send
    forms elsewhere. The header stays the stronger copy.
    """
    return "; ".join(directive for directive in policy.split("; ")
                     if directive.split(" ")[0] not in HEADER_ONLY)


def page_policy(newsletter_url: str | None) -> str:
    """The site's policy as its pages carry it in a ``<meta>`` element."""
    return meta_policy(security_headers(newsletter_url)["Content-Security-Policy"])


def security_headers(newsletter_url: str | None) -> dict[str, str]:
    targets = []
    if newsletter_url:
        parts = urlsplit(newsletter_url)
        targets.append(f"{parts.scheme}://{parts.netloc}")
    return {
        "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Content-Security-Policy": content_security_policy(targets),
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


IMMUTABLE = "public, max-age=31536000, immutable"
# The members' section: never indexed, never served from a cache without asking.
MEMBERS_HEADERS = {"X-Robots-Tag": "noindex, nofollow", "Cache-Control": "no-cache"}


def netlify_headers(headers: dict[str, str], immutable_paths: list[str],
                    sections: Sections | None = None) -> str:
    """_headers for Cloudflare Pages (and Netlify).

    Such hosts join the values of every rule that matches a path. A section
    that replaces a site header first detaches it ("! Name", Cloudflare
    Pages' syntax; Netlify serves the most specific rule's value and needs
    the detach lines removed, docs/hosting.md), so the public policy stays on
    /* and covers every page, the 404 answer included.
    """
    lines = ["/*"] + [f"  {name}: {value}" for name, value in headers.items()]
    for path in immutable_paths:
        lines += ["", path, f"  Cache-Control: {IMMUTABLE}"]
    for path, extra in (sections or {}).items():
        lines += ["", f"{path}*"]
        lines += [f"  ! {name}" for name in extra if name in headers]
        lines += [f"  {name}: {value}" for name, value in extra.items()]
    return "\n".join(lines) + "\n"


def apache_section(headers: dict[str, str], extra: Mapping[str, str]) -> str:
    """.htaccess for a section's folder: its headers replace the site's there."""
    lines = ["# Header rules of this folder (they replace the site's; Apache, mod_headers)."]
    lines += [f'Header always set {name} "{value}"' for name, value in {**headers, **extra}.items()]
    return "\n".join(lines) + "\n"


def apache_htaccess(headers: dict[str, str], error_pages: dict[str, str] | None = None) -> str:
    # Not inside <IfModule mod_headers.c>: without the module the rules would
    # vanish silently and the site would go out without its policy. Apache
    # answers 500 instead, which the deployment's check sees (docs/hosting.md).
    # Sections get a .htaccess of their own (apache_section).
    lines = [
        "# Security and caching headers (Apache; needs mod_headers).",
        "ErrorDocument 404 /404.html",
        # No folder is listed (jasenalue/tiedostot/ has no index page); needs
        # AllowOverride Options=Indexes, else Apache answers 500 as for mod_headers.
        "Options -Indexes",
        "AddDefaultCharset utf-8",
    ]
    # Each language's own error page under its folder ({"sv/": "sv/404.html"}).
    for prefix, page in (error_pages or {}).items():
        lines += [f'<If "%{{REQUEST_URI}} =~ m#^/{prefix}#">', f"  ErrorDocument 404 /{page}", "</If>"]
    lines += [f'Header always set {name} "{value}"' for name, value in headers.items()]
    lines += [
        # Also the compressed copies the rules below serve in the file's place.
        '<FilesMatch "\\.[0-9a-f]{10}\\.(css|js)(\\.br|\\.gz)?$">',
        f'  Header set Cache-Control "{IMMUTABLE}"',
        "</FilesMatch>",
        "# Serve the precompressed copies the build writes next to each text file:",
        "# .br and .gz name the encoding, the name before them the type (Debian's",
        "# mime.conf makes .gz a type of its own and .br the Breton language).",
        "RemoveType .br .gz",
        "RemoveLanguage .br",
        "AddEncoding br .br",
        "AddEncoding gzip .gz",
        "<IfModule mod_rewrite.c>",
        "  RewriteEngine On",
        "  RewriteCond %{HTTP:Accept-Encoding} br",
        "  RewriteCond %{REQUEST_FILENAME}.br -f",
        "  RewriteRule ^(.*)$ $1.br [L]",
        "  RewriteCond %{HTTP:Accept-Encoding} gzip",
        "  RewriteCond %{REQUEST_FILENAME}.gz -f",
        "  RewriteRule ^(.*)$ $1.gz [L]",
        "  # Every answer may depend on it (the plain ones too: a cache must not serve them for all).",
        "  Header merge Vary Accept-Encoding",
        "</IfModule>",
        "AddType text/calendar .ics",
        "AddType application/manifest+json .webmanifest",
    ]
    return "\n".join(lines) + "\n"


def nginx_snippet(headers: dict[str, str], sections: Sections | None = None,
                  error_pages: dict[str, str] | None = None) -> str:
    lines = ["# Include in the server block of the site (nginx with gzip_static and brotli_static)."]
    lines += [f'add_header {name} "{value}" always;' for name, value in headers.items()]
    lines += [
        "gzip_static on;",
        "brotli_static on;  # needs ngx_brotli; remove the line without it",
        "gzip_vary on;  # Vary: Accept-Encoding also on the plain answers, for caches",
        "autoindex off;  # no folder is listed (jasenalue/tiedostot/ has no index page)",
        "charset utf-8;",
        "error_page 404 /404.html;",
        'location ~* "\\.[0-9a-f]{10}\\.(css|js)$" {',
        f'    add_header Cache-Control "{IMMUTABLE}" always;',
    ]
    lines += [f'    add_header {name} "{value}" always;' for name, value in headers.items()]
    lines += ["}"]
    # add_header in a location replaces the server's: a section lists them all.
    for path, extra in (sections or {}).items():
        lines.append(f"location ^~ {path} {{")
        lines += [f'    add_header {name} "{value}" always;' for name, value in {**headers, **extra}.items()]
        lines.append("}")
    for prefix, page in (error_pages or {}).items():
        lines += [f"location /{prefix} {{", f"    error_page 404 /{page};"]
        lines += [f'    add_header {name} "{value}" always;' for name, value in headers.items()]
        lines += ["}"]
    lines += ["# A types block replaces the inherited map of types: the standard one first, then the site's.",
              "include mime.types;",
              "types { text/calendar ics; application/manifest+json webmanifest; }"]
    return "\n".join(lines) + "\n"

"""Security and caching headers, written for the common static hosts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

# Paths with header rules of their own, e.g. {"/admin/": {"Content-Security-Policy": …}}:
# the web editor's page cannot work under the public pages' policy.
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


def public_paths(top_level: Iterable[str], sections: Sections) -> list[str]:
    """_headers paths that cover the site's pages outside the sections: the
    root and each top-level folder or page (``top_level``: "jasenet/", "404.html")."""
    own = {path.strip("/").split("/")[0] for path in sections}
    paths = ["/"]
    for name in sorted(top_level):
        if name.rstrip("/") not in own:
            paths.append(f"/{name}*" if name.endswith("/") else f"/{name}")
    return paths


def netlify_headers(headers: dict[str, str], immutable_paths: list[str],
                    sections: Sections | None = None, top_level: Iterable[str] = ()) -> str:
    """_headers for Netlify and Cloudflare Pages.

    Such hosts join the values of every rule that matches a path, so a header
    that a section replaces cannot be in the rule for /*: it is given for the
    root and each top-level path instead (``top_level``), and the section's
    value in its own rule.
    """
    sections = sections or {}
    replaced = [name for name in headers if any(name in extra for extra in sections.values())]
    lines = ["/*"] + [f"  {name}: {value}" for name, value in headers.items() if name not in replaced]
    if replaced:
        for path in public_paths(top_level, sections):
            lines += ["", path] + [f"  {name}: {headers[name]}" for name in replaced]
    for path in immutable_paths:
        lines += ["", path, f"  Cache-Control: {IMMUTABLE}"]
    lines += ["", "/jasenalue/*", "  X-Robots-Tag: noindex, nofollow", "  Cache-Control: no-cache"]
    for path, extra in sections.items():
        lines += ["", f"{path}*"] + [f"  {name}: {value}" for name, value in extra.items()]
    return "\n".join(lines) + "\n"


def apache_section(headers: dict[str, str], extra: Mapping[str, str]) -> str:
    """.htaccess for a section's folder: its headers replace the site's."""
    lines = ["# Header rules of this folder (they replace the site's; Apache, mod_headers).",
             "<IfModule mod_headers.c>"]
    lines += [f'  Header always set {name} "{value}"' for name, value in {**headers, **extra}.items()]
    lines += ["</IfModule>"]
    return "\n".join(lines) + "\n"


def apache_htaccess(headers: dict[str, str]) -> str:
    lines = [
        "# Security and caching headers (Apache, mod_headers and mod_expires).",
        "ErrorDocument 404 /404.html",
        "<IfModule mod_headers.c>",
    ]
    lines += [f'  Header always set {name} "{value}"' for name, value in headers.items()]
    lines += [
        '  <FilesMatch "\\.[0-9a-f]{10}\\.(css|js)$">',
        f'    Header set Cache-Control "{IMMUTABLE}"',
        "  </FilesMatch>",
        "</IfModule>",
        "# Serve the precompressed copies the build writes next to each text file.",
        "<IfModule mod_rewrite.c>",
        "  RewriteEngine On",
        "  RewriteCond %{HTTP:Accept-Encoding} br",
        "  RewriteCond %{REQUEST_FILENAME}.br -f",
        "  RewriteRule ^(.*)$ $1.br [L]",
        "  RewriteCond %{HTTP:Accept-Encoding} gzip",
        "  RewriteCond %{REQUEST_FILENAME}.gz -f",
        "  RewriteRule ^(.*)$ $1.gz [L]",
        '  <FilesMatch "\\.br$">',
        "    Header set Content-Encoding br",
        "    Header append Vary Accept-Encoding",
        "  </FilesMatch>",
        '  <FilesMatch "\\.gz$">',
        "    Header set Content-Encoding gzip",
        "    Header append Vary Accept-Encoding",
        "  </FilesMatch>",
        "</IfModule>",
        "AddType text/calendar .ics",
        "AddType application/manifest+json .webmanifest",
    ]
    return "\n".join(lines) + "\n"


def nginx_snippet(headers: dict[str, str], sections: Sections | None = None) -> str:
    lines = ["# Include in the server block of the site (nginx with gzip_static and brotli_static)."]
    lines += [f'add_header {name} "{value}" always;' for name, value in headers.items()]
    lines += [
        "gzip_static on;",
        "brotli_static on;  # needs ngx_brotli; remove the line without it",
        "error_page 404 /404.html;",
        'location ~* "\\.[0-9a-f]{10}\\.(css|js)$" {',
        f'    add_header Cache-Control "{IMMUTABLE}" always;',
    ]
    lines += [f'    add_header {name} "{value}" always;' for name, value in headers.items()]
    lines += ["}"]
    # A location with add_header of its own inherits none: list them all.
    for path, extra in (sections or {}).items():
        lines.append(f"location ^~ {path} {{")
        lines += [f'    add_header {name} "{value}" always;' for name, value in {**headers, **extra}.items()]
        lines.append("}")
    lines += ["types { text/calendar ics; application/manifest+json webmanifest; }"]
    return "\n".join(lines) + "\n"

"""The site's structure, read from page front matter.

A page's ``Slug`` is its place in the site ("liitto/hallinto" sits under
"liitto"); ``Nav`` orders it in the main menu (top level) or in its section's
navigation; ``Footer`` puts it in the footer. Nothing is kept by hand in a
template, and every page is reachable: a subpage is listed by its section
whether or not it has a ``Nav`` number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from sitecore import Problem

UNORDERED = 10_000  # pages without Nav come after numbered ones, by title


@dataclass
class NavNode:
    slug: str
    title: str
    url: str
    order: int
    footer: int | None = None
    in_menu: bool = False
    summary: str = ""
    page: object = None  # the Pelican page, for templates that show its text
    children: list[NavNode] = field(default_factory=list)

    @property
    def section(self) -> str:
        return self.slug.split("/")[0]


@dataclass
class NavTree:
    nodes: dict[str, NavNode]

    @property
    def main(self) -> list[NavNode]:
        """Top-level pages with a Nav number, in menu order."""
        top = [n for n in self.nodes.values() if "/" not in n.slug and n.in_menu]
        return sorted(top, key=_order)

    @property
    def footer(self) -> list[NavNode]:
        return sorted(
            (n for n in self.nodes.values() if n.footer is not None),
            key=lambda n: (n.footer, n.title),
        )

    def get(self, slug: str) -> NavNode | None:
        return self.nodes.get(slug.strip("/"))

    def trail(self, slug: str) -> list[NavNode]:
        """The ancestors of ``slug``, top first, excluding the page itself."""
        parts = slug.strip("/").split("/")
        return [
            self.nodes[p]
            for p in ("/".join(parts[:i]) for i in range(1, len(parts)))
            if p in self.nodes
        ]

    def section_of(self, slug: str) -> NavNode | None:
        return self.nodes.get(slug.strip("/").split("/")[0])


def _order(node: NavNode):
    return (node.order, node.title)


def _int_field(page, key: str, label: str, problems: list[Problem]) -> int | None:
    raw = page.metadata.get(key)
    if raw is None or str(raw).strip() == "":
        return None
    try:
        return int(str(raw).strip())
    except ValueError:
        problems.append(Problem(
            page.source_path, label, f"arvo \"{raw}\" ei ole kokonaisluku.",
            f"Kirjoita {label}: ja järjestysnumero, esimerkiksi {label}: 3.",
        ))
        return None


def build_tree(pages) -> tuple[NavTree, list[Problem]]:
    """Build the navigation from Pelican pages; report what doesn't fit."""
    problems: list[Problem] = []
    nodes: dict[str, NavNode] = {}
    sources: dict[str, str] = {}
    for page in pages:
        slug = str(page.slug).strip("/")
        nav = _int_field(page, "nav", "Nav", problems)
        footer = _int_field(page, "footer", "Footer", problems)
        if slug in nodes:
            problems.append(Problem(
                page.source_path, "Slug",
                f"osoite \"{slug}\" on jo sivulla {sources[slug]}.",
                "Anna sivulle oma Slug: kahdella sivulla ei voi olla samaa osoitetta.",
            ))
            continue
        sources[slug] = page.source_path
        nodes[slug] = NavNode(
            slug=slug,
            title=page.metadata.get("nav_title") or page.title,
            url=page.url,
            order=nav if nav is not None else UNORDERED,
            footer=footer,
            in_menu=nav is not None,
            summary=Markup(str(page.metadata.get("summary") or "")).striptags(),
            page=page,
        )
    for slug, node in nodes.items():
        if "/" not in slug:
            continue
        parent_slug = slug.rsplit("/", 1)[0]
        parent = nodes.get(parent_slug)
        if parent is None:
            problems.append(Problem(
                sources[slug], "Slug",
                f"osoitteen \"{slug}\" yläsivua \"{parent_slug}\" ei ole.",
                f"Luo sivu, jonka Slug on {parent_slug}, tai korjaa tämän sivun Slug.",
            ))
            continue
        parent.children.append(node)
    for node in nodes.values():
        node.children.sort(key=_order)
    return NavTree(nodes), problems

"""One generator for all our Markdown content types.

Each content type (member institutions, channels, events, members' content)
is a ``TypedContent`` subclass with a schema, read from its own folder by a
``TypedContentGenerator`` subclass. The loop follows Pelican's own
``PagesGenerator``: read (through the reader cache), validate, register the
source for ``{filename}`` links, put the items in the context, write.
"""

from __future__ import annotations

import logging
import os
from typing import ClassVar

from pelican.contents import Content
from pelican.generators import CachingGenerator

from sitecore import Build, Problem, report
from sitecore.site import is_public

from .schema import Field, validate

logger = logging.getLogger(__name__)


class TypedContent(Content):
    """A Markdown file whose front matter follows ``schema``."""

    schema: ClassVar[tuple[Field, ...]] = ()
    mandatory_properties = ("title",)
    allowed_statuses = ("published",)
    default_status = "published"

    def check(self) -> list[Problem]:
        """Validate the front matter; typed values become ``self.fields``."""
        self.fields, problems = validate(self.metadata, self.get_schema(), self.source_path)
        return problems + self.extra_problems()

    def get_schema(self) -> tuple[Field, ...]:
        """The schema; subclasses whose choices come from settings override this."""
        return self.schema

    def extra_problems(self) -> list[Problem]:
        """Checks across fields, for subclasses."""
        return []


class TypedContentGenerator(CachingGenerator):
    """Reads one folder of one content type into ``context[context_name]``."""

    content_class: ClassVar[type[TypedContent]]
    paths_setting: ClassVar[str]  # e.g. "DIRECTORY_PATHS"
    context_name: ClassVar[str]  # e.g. "institutions"
    item_name: ClassVar[str]  # template variable for one item, e.g. "institution"
    reserved_slugs: ClassVar[frozenset[str]] = frozenset()
    unique_fields: ClassVar[tuple[str, ...]] = ()  # e.g. ("uid",): no two files may share one
    registers_sources: ClassVar[bool] = True  # {filename} links may point at these files

    def __init__(self, *args, **kwargs):
        self.items: list[TypedContent] = []
        super().__init__(*args, **kwargs)

    def generate_context(self):
        items, slugs = [], {}
        seen = {key: {} for key in self.unique_fields}
        for path in self.get_files(self.settings.get(self.paths_setting, [])):
            item = self.get_cached_data(path, None)
            if item is None:
                try:
                    item = self.readers.read_file(
                        base_path=self.path, path=path,
                        content_class=self.content_class, context=self.context,
                    )
                except Exception:
                    # As Pelican's own generators: the build tells the file's
                    # fault from a bug by the exception (strict_build.translate).
                    logger.exception("Could not process %s", path, exc_info=False)
                    # As Pelican's own generators: {filename} links to this file then
                    # say it failed, not that it is missing (no public equivalent).
                    self._add_failed_source_path(path)
                    continue
                if not item.is_valid():
                    self._add_failed_source_path(path)
                    continue
                self.cache_data(path, item)
            problems = item.check()
            problems += self._slug_problems(item, slugs) + self._unique_problems(item, seen)
            for problem in problems:
                report(logger, problem)
            if problems:
                continue
            slugs[item.url or item.slug] = item.source_path
            if self.registers_sources:
                self.add_source_path(item)
            items.append(item)
        self.items = self.order(items)
        self.context[self.context_name] = self.public(self.items)
        self.finalize_context()
        self.save_cache()
        self.readers.save_cache()

    def _slug_problems(self, item, slugs) -> list[Problem]:
        if item.slug in self.reserved_slugs:
            return [Problem(item.source_path, "Slug", f"osoite \"{item.slug}\" on varattu.",
                            "Anna tiedostolle toinen Slug.")]
        address = item.url or item.slug
        if address in slugs:
            return [Problem(item.source_path, "Slug",
                            f"osoite \"{item.slug}\" on jo tiedostolla {slugs[address]}.",
                            "Anna tiedostolle oma Slug: kahdella ei voi olla samaa osoitetta.")]
        return []

    def _unique_problems(self, item, seen) -> list[Problem]:
        problems = []
        for key, owners in seen.items():
            value = item.fields.get(key)
            if value is None:
                continue
            if value in owners:
                name = next(f.name for f in item.get_schema() if f.key == key)
                problems.append(Problem(
                    item.source_path, name, f"sama {name} on jo tiedostolla {owners[value]}.",
                    f"Jokaisella tiedostolla on oma {name}. Jos kopioit tiedoston, "
                    "luo uusi tunniste komennolla .venv/bin/python tasks.py new-event.",
                ))
            else:
                owners[value] = item.source_path
        return problems

    def order(self, items):
        """Items in the order templates list them."""
        return items

    def public(self, items):
        """The items that may appear in public output (``sitecore.site.is_public``)."""
        return [item for item in items if is_public(item, self.settings)]

    def finalize_context(self):
        """Add derived data to the context once all items are read."""

    def refresh_metadata_intersite_links(self):
        for item in self.items:
            item.refresh_metadata_intersite_links()

    def generate_output(self, writer):
        for item in self.public(self.items):
            if item.save_as:
                template = self.get_template(item.template)
                writer.write_file(item.save_as, template, self.context,
                                  relative_urls=self.settings["RELATIVE_URLS"],
                                  url=item.url, **{self.item_name: item})
        self.write_indexes(writer)

    def write_indexes(self, writer):
        """Listing pages, feeds and data files, for subclasses."""

    def write_data(self, save_as: str, data: bytes | str) -> None:
        """Write a data file (JSON, iCalendar) into the output."""
        data = data.encode("utf-8") if isinstance(data, str) else data
        Build.current().write_output(os.path.join(self.output_path, save_as), data)

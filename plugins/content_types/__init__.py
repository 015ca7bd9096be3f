"""Base for our Markdown content types: schema validation and one generator.

Not a Pelican plugin (not in PLUGINS): a library the directory, channels,
events and members' plugins build on (``TypedContent``, ``TypedContentGenerator``).
"""

from .generator import TypedContent, TypedContentGenerator
from .schema import Field, Invalid, validate

__all__ = ["Field", "Invalid", "TypedContent", "TypedContentGenerator", "validate"]

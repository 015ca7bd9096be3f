"""Base for our Markdown content types: schema validation and one generator.

Not a feature by itself: the directory, channels, events and members'
plugins build on ``TypedContent`` and ``TypedContentGenerator``.
"""

from .generator import TypedContent, TypedContentGenerator
from .schema import Field, Invalid, validate

__all__ = ["Field", "Invalid", "TypedContent", "TypedContentGenerator", "register", "validate"]


def register():
    """Nothing to connect: content types register their own generators."""

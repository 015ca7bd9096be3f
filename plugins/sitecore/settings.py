"""A plugin's settings: declared in one place with their defaults, checked at start.

Each plugin lists what it reads as ``Setting``s; ``apply`` fills in the
defaults Pelican's settings lack and returns a Problem for each value of the
wrong kind, so a typo in pelicanconf.py stops the build with the setting's
name instead of a traceback in the middle of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any

from .problems import Problem


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    kinds: tuple[type, ...]  # accepted types of the value
    what: str  # what it is, in Finnish, for the fix
    valid: Callable[[Any], bool] | None = None  # a further check on a value of the right kind


def apply(settings: MutableMapping, declared: Iterable[Setting], source: str = "pelicanconf.py") -> list[Problem]:
    """Fill in defaults; a Problem for each declared setting whose value is wrong."""
    problems = []
    for setting in declared:
        value = settings.setdefault(setting.name, setting.default)
        kinds = setting.kinds
        wrong = not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds)
        if not wrong and setting.valid is not None:
            wrong = not setting.valid(value)
        if wrong:
            problems.append(Problem(
                source, setting.name, f"asetuksen {setting.name} arvo {value!r} ei kelpaa.",
                f"Asetuksen arvoksi kuuluu {setting.what}; oletus on {setting.default!r}."))
    return problems

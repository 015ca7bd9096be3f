"""Finnish alphabetical order without OS locales.

Finnish sorts Å, Ä and Ö after Z, in that order (Å as in Swedish); other
accented letters sort with their base letter (é as e, ü as y).
"""

from __future__ import annotations

import unicodedata

LAST_LETTERS = {"å": 27, "ä": 28, "ö": 29}
FOLDED = {"ü": "y", "ø": "ö", "æ": "ä"}


def _letter_rank(char: str) -> tuple[int, int]:
    if char in LAST_LETTERS:
        return (2, LAST_LETTERS[char])
    char = FOLDED.get(char, char)
    if char in LAST_LETTERS:
        return (2, LAST_LETTERS[char])
    base = unicodedata.normalize("NFD", char)[0]
    if "a" <= base <= "z":
        return (2, ord(base) - ord("a") + 1)
    if base.isdigit():
        return (1, int(base))
    return (0, 0)  # spaces and punctuation sort before letters


def finnish_sort_key(text: str) -> tuple:
    """Key for sorted(): Finnish collation, case-insensitive, ties broken by the text."""
    folded = text.casefold()
    ranks = tuple(_letter_rank(c) for c in folded)
    return (ranks, text)

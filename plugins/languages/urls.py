"""Addresses in each language: a Finnish address, word for word in another language.

A Swedish or English page lives under /sv/ or /en/ at the words of its Finnish
address in that language (``liitto/hallinto/`` → ``sv/forbundet/forvaltning/``).
The words are settings (``URL_WORDS``), never written in a template.
"""

from __future__ import annotations


def localise_path(path: str, lang: str, default_lang: str, words: dict[str, str],
                  strict: bool = True) -> tuple[str, list[str]]:
    """``path`` (a Finnish output path like "liitto/hallinto/") in ``lang``.

    Returns the path and the Finnish words that have no translation: with
    ``strict`` every word needs one; otherwise (post slugs, years) a word
    without one is kept as it is. A word that translates to "" disappears
    (the front page "etusivu" is the language's root).
    """
    if lang == default_lang:
        return path, []
    trailing = path.endswith("/")
    parts, missing = [], []
    for word in filter(None, path.strip("/").split("/")):
        if word in words:
            if words[word]:
                parts.append(words[word])
        elif strict:
            missing.append(word)
            parts.append(word)
        else:
            parts.append(word)
    localised = "/".join([lang, *parts])
    return localised + ("/" if trailing or not parts else ""), missing


def front_url(lang: str, default_lang: str) -> str:
    """The language's front page: "" for the default language, "sv/" for Swedish."""
    return "" if lang == default_lang else f"{lang}/"


def page_url_of(save_as: str) -> str:
    """The URL of an output file: "a/b/index.html" → "a/b/", "404.html" stays."""
    return save_as[: -len("index.html")] if save_as.endswith("index.html") else save_as

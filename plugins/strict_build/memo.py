"""Pages whose inputs are as they were in an earlier build are not rendered again.

A rebuild after one edit used to render every page and then keep the
unchanged ones (``sitecore.reuse``); most of that rendering was for nothing.
Now each page is rendered only when something it is made from changed. A
page is made from:

* the *site*: the code (theme, plugins, installed libraries), the settings,
  the build's states that templates may read, today's date, and every content
  item's fields except its text (title, address, date, summary, translations,
  …): one digest per build (``site_digest``). A change to any of it renders
  every page again, as before;
* the page's *own values*: its address, template, item, listing and
  paginator (what the writer gave the page beyond the shared context);
* the *texts it read*: while a page is rendered, every read of an item's
  text goes through Pelican's public ``Content.get_content`` (``content``, and
  ``summary`` when the item has no Summary of its own), which is wrapped on
  each item for the render phase (``watch``). A page that showed one post's
  text depends on that text only; a listing that showed only titles and
  Summary fields depends on none.

A page is kept when one of the last two builds recorded it with the same
site digest, the same own values and the same texts, and the staged file
(which is the build before the live one) still holds the bytes that build
wrote: the digest of the file is compared, not its time. What the page added
to the states filled while rendering (the social cards' titles) is recorded
with it and added again when it is kept (``Build.separate_states``).

What this cannot see, and how it is kept sound:

* a value whose digest would not be the same in two builds of the same site
  (an object known only by its memory address) makes the page, or when it is
  in the site's part, the whole build, render as before (``Unstable``);
* functions are known by their name and code, not by what their closures
  hold: the state a filter or global reads belongs in a build state;
* ``PAGE_MEMO_VERIFY`` renders every page the memo would keep and stops the
  build if a kept page would have differed: tests build the real site that
  way after edits of each kind.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import functools
import hashlib
import importlib.metadata
import os
import pickle
import sys
import types
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import Any

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from sitecore import Build, Problem

FILE = "rendered-pages.pickle"
WATCHED = ("get_content", "get_summary")  # wrapped on each item while pages render
NOT_FIELDS = frozenset({"_content", "settings", "_context", *WATCHED})  # of an item's fields


class Unstable(Exception):
    """A value whose digest would differ between two builds of the same site."""


# --- digests -------------------------------------------------------------------------------

class Digester:
    """Digests that are equal between builds exactly when the values are equal.

    Objects that live through the build (the context, content items, settings)
    are digested once: the digest is kept with the object, so its id is not
    reused while the build runs. A content item inside a value is digested as
    a reference (its identity); its fields are digested once, on their own
    (``item_fields``), so items that refer to each other (translations) make
    no cycle. Once the site's items are all known (``seal``), a value that
    refers to any other item is *tainted*: a page whose own values are cannot
    be kept.
    """

    def __init__(self):
        self._known: dict[int, tuple[Any, bytes, bool]] = {}
        self._busy: set[int] = set()
        self._tainted = False
        self._cyclic = False
        self.items: dict[tuple, Content] = {}  # identity -> the item, every item met
        self.ambiguous: set[tuple] = set()  # identities two different items share
        self.pending: list[Content] = []  # met, fields not yet digested
        self.fields: dict[tuple, bytes] = {}  # identity -> digest of the item's fields
        self.sealed = False
        self.met: Callable[[Content], None] = lambda item: None  # told of each new item
        self._texts: dict[int, tuple[Content, bytes]] = {}

    def digest(self, value) -> bytes:
        """The digest of ``value``; ``tainted`` says whether it refers to an item
        met only after ``seal``."""
        self._tainted = self._cyclic = False
        return self._digest(value)

    @property
    def tainted(self) -> bool:
        return self._tainted

    def _digest(self, value) -> bytes:
        exact = _EXACT.get(type(value))
        if exact is not None:  # most values: text, numbers, None
            return exact(value)
        known = self._known.get(id(value))
        if known is not None and known[0] is value:
            self._tainted |= known[2]
            return known[1]
        simple = _simple(value)
        if simple is not None:
            return simple
        if id(value) in self._busy:  # a cycle: the outer object's digest covers it
            self._cyclic = True
            return b"cycle:" + _name(type(value))
        outer, self._tainted = self._tainted, False
        outer_cyclic, self._cyclic = self._cyclic, False
        self._busy.add(id(value))
        try:
            parts = self._parts(value)
        finally:
            self._busy.discard(id(value))
        digest = hashlib.blake2b(b"\0".join(parts), digest_size=16).digest()
        tainted, cyclic = self._tainted, self._cyclic
        if not cyclic:
            # One that met an object it is inside of covers that object only
            # where it was met from: digested again wherever it is met.
            self._known[id(value)] = (value, digest, tainted)
        self._tainted, self._cyclic = outer or tainted, outer_cyclic or cyclic
        return digest

    def _parts(self, value) -> list[bytes]:
        kind = type(value)
        if isinstance(value, Content):
            key = self._register(value)
            self._tainted |= self.sealed and key not in self.fields
            return [b"item", *(self._digest(part) for part in key)]
        if isinstance(value, URLWrapper):
            # A category, tag or author: its address follows from its slug and the settings.
            return [b"url", _name(kind), _text(str(value.name)), _text(str(value.slug))]
        if isinstance(value, (list, tuple)):
            return [b"seq", _name(kind), *(self._digest(v) for v in value)]
        if isinstance(value, (set, frozenset)):
            return [b"set", *sorted(self._digest(v) for v in value)]
        if isinstance(value, dict):
            return [b"map", *sorted(self._digest(k) + self._digest(v) for k, v in value.items())]
        if isinstance(value, functools.partial):
            return [b"partial", self._digest(value.func), self._digest(value.args),
                    self._digest(value.keywords)]
        if isinstance(value, Build):
            return [b"build"]  # its states are in the site's digest
        if hasattr(value, "__dict__"):
            return [b"obj", _name(kind), self._digest(dict(vars(value)))]
        if hasattr(kind, "__slots__"):
            return [b"slots", _name(kind), *(self._digest(getattr(value, s, None)) for s in _slots(kind))]
        raise Unstable(f"{kind.__module__}.{kind.__qualname__}")

    def _register(self, item: Content) -> tuple:
        key = identity(item)
        other = self.items.setdefault(key, item)
        if other is not item:
            self.ambiguous.add(key)
        elif id(item) not in self._texts:
            self._texts[id(item)] = (item, _text_digest(item))
            self.pending.append(item)
            self.met(item)
        return key

    def item_fields(self) -> list[bytes]:
        """Digest the fields of every item met so far (and of those they refer
        to), except the text; each item's identity with its fields' digest."""
        while self.pending:
            item = self.pending.pop()
            fields = {k: v for k, v in vars(item).items() if k not in NOT_FIELDS}
            if isinstance(fields.get("translations"), list):
                # Pelican lists them in the order it read the files, which varies
                # between builds; pages name them in an order of their own.
                fields["translations"] = frozenset(fields["translations"])
            self.fields[identity(item)] = self._digest(fields)
        return sorted(self._digest(key) + digest for key, digest in self.fields.items())

    def seal(self) -> None:
        """The site's items are known: values met from now on that refer to
        another item are tainted."""
        self.item_fields()
        self.sealed = True

    def text(self, item: Content) -> bytes:
        """The digest of an item's text as its reader left it (Pelican's
        ``get_content`` makes the page's HTML from it and the site's addresses)."""
        known = self._texts.get(id(item))
        if known is not None and known[0] is item:
            return known[1]
        return _text_digest(item)


def _text_digest(item: Content) -> bytes:
    # What Pelican's get_content starts from (a subclass may provide it).
    text = item._get_content() if hasattr(item, "_get_content") else getattr(item, "_content", None)
    return hashlib.blake2b(str(text).encode("utf-8", "surrogatepass") if text is not None else b"\0",
                           digest_size=16).digest()


def identity(item: Content) -> tuple:
    """An item from one build to the next (two items it cannot tell apart are
    both left out: ``Digester.ambiguous``). Fields only: computed properties
    may not apply to every kind of item."""
    fields = vars(item)
    return (type(item).__qualname__, fields.get("source_path") or "", str(fields.get("lang", "")),
            str(fields.get("slug", "")))


def _text(value: str) -> bytes:
    data = value.encode("utf-8", "surrogatepass")
    if len(data) <= 64:  # shorter than its digest would be: itself, with its length
        return b"s%d:" % len(data) + data
    return b"S" + hashlib.blake2b(data, digest_size=16).digest()


def _scalar(value) -> bytes:
    return b"v" + repr(value).encode()


_EXACT: dict[type, Callable[[Any], bytes]] = {str: _text, int: _scalar, bool: _scalar,
                                              float: _scalar, type(None): _scalar}


def _simple(value) -> bytes | None:
    """The digest of a value that holds no other values, else None."""
    if isinstance(value, (bool, int, float, complex)):
        return _scalar(value)
    if isinstance(value, str):
        return _text(str(value))
    if isinstance(value, (bytes, bytearray)):
        return b"b" + hashlib.blake2b(value, digest_size=16).digest()
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        return b"t" + (repr(value) + str(getattr(value, "tzinfo", ""))).encode()
    if isinstance(value, datetime.tzinfo):
        text = getattr(value, "key", None) or repr(value)
        if " at 0x" not in text:
            return b"z" + text.encode()
    if isinstance(value, PurePath):
        return b"p" + str(value).encode()
    if isinstance(value, enum.Enum):
        return b"e" + _name(type(value)) + repr(value.value).encode()
    if isinstance(value, types.FunctionType):
        # By name and code: a function in a settings file is outside the code digest.
        return b"f" + _qualified(value) + _code(value.__code__)
    if isinstance(value, (types.BuiltinFunctionType, type, types.ModuleType)):
        return b"f" + _qualified(value)  # a library's or ours: in the code digest
    if isinstance(value, types.MethodType):
        return b"m" + _simple(value.__func__)
    if type(value).__module__.startswith("jinja2") and hasattr(value, "name") and \
            type(value).__name__ == "Template":
        return b"j" + str(value.name).encode()  # its source is in the code digest
    return None


def _qualified(value) -> bytes:
    return ((getattr(value, "__module__", "") or "") + "." +
            getattr(value, "__qualname__", getattr(value, "__name__", ""))).encode()


@functools.lru_cache(maxsize=None)
def _code(code: types.CodeType) -> bytes:
    consts = b"".join(_code(c) if isinstance(c, types.CodeType) else repr(c).encode() + b"\0"
                      for c in code.co_consts)
    return hashlib.blake2b(code.co_code + b"\0" + consts + repr(code.co_names).encode(),
                           digest_size=16).digest()


def _name(kind: type) -> bytes:
    return f"{kind.__module__}.{kind.__qualname__}".encode()


def _slots(kind: type) -> list[str]:
    names = []
    for klass in kind.__mro__:
        slots = getattr(klass, "__slots__", ())
        names += [slots] if isinstance(slots, str) else list(slots)
    return [n for n in names if n not in ("__dict__", "__weakref__")]


@functools.cache
def code_digest(folders: tuple[str, ...]) -> bytes:
    """Every file of the theme and the plugins, the Python and every installed library."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(sys.version.encode())
    for dist in sorted(importlib.metadata.distributions(), key=lambda d: d.metadata["Name"] or ""):
        digest.update(f"{dist.metadata['Name']}=={dist.version}\n".encode())
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.digest()


def today(settings: dict) -> tuple[datetime.date, datetime.date]:
    """The day here and in the site's time zone: plugins ask for either
    (the calendar's upcoming events, the members' key periods)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    return datetime.date.today(), datetime.datetime.now(zone).date()


def site_digest(settings: dict, context: dict, build: Build, digester: Digester) -> bytes:
    """One digest of everything every page may read, except items' texts.

    Raises Unstable when some of it cannot be told apart between builds.
    """
    folders = (settings["THEME"], *settings.get("PLUGIN_PATHS", ()))
    states = [state for state in build.states() if getattr(state, "read_while_rendering", True)]
    values = digester.digest((
        code_digest(tuple(str(f) for f in folders)),
        today(settings),
        {k: v for k, v in settings.items() if k != "BUILD"},
        {k: v for k, v in context.items() if k != "BUILD"},
        states,
    ))
    items = digester.item_fields()
    digester.seal()
    return hashlib.blake2b(values + b"".join(items), digest_size=16).digest()


# --- the texts a page reads ---------------------------------------------------------------------

class TextReads:
    """Which items' texts the page being rendered read."""

    def __init__(self):
        self.current: set[int] | None = None
        self.items: dict[int, Content] = {}

    def note(self, item: Content) -> None:
        if self.current is not None:
            self.current.add(id(item))
            self.items[id(item)] = item


def watch(items, reads: TextReads) -> None:
    """Wrap each item's public ``get_content`` and ``get_summary`` to note reads."""
    for item in items:
        content, summary = item.get_content, item.get_summary

        def get_content(siteurl, item=item, content=content):
            reads.note(item)
            return content(siteurl)

        def get_summary(siteurl, item=item, summary=summary):
            if "summary" not in item.metadata:  # Pelican makes it from the text
                reads.note(item)
            return summary(siteurl)

        item.get_content, item.get_summary = get_content, get_summary


def unwatch(items) -> None:
    for item in items:
        for name in WATCHED:
            vars(item).pop(name, None)


# --- the memo ----------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Entry:
    """A page as one build made it."""

    key: bytes  # the site's digest and the page's own values
    texts: tuple[tuple[tuple, bytes], ...]  # (item identity, digest of its text) for texts read
    effects: tuple  # what it added to states filled while rendering
    sha: bytes  # the digest of the bytes written


@dataclasses.dataclass
class PageMemo:
    """The pages of the last two builds, and this build's; see the module."""

    now: dict[str, Entry] = dataclasses.field(default_factory=dict)
    earlier: tuple[dict[str, Entry], dict[str, Entry]] = dataclasses.field(default_factory=lambda: ({}, {}))
    reused: int = 0
    rendered: int = 0
    stale: list[str] = dataclasses.field(default_factory=list)  # verification: would have been wrong
    unstable: str = ""  # why no page could be kept (a value of the site's that cannot be compared)
    filled_while_rendering = True  # the second rendering process reports its entries
    read_while_rendering = False

    def merge(self, other: PageMemo) -> None:
        self.now.update(other.now)
        self.reused += other.reused
        self.rendered += other.rendered
        self.stale += other.stale

    def __getstate__(self):  # what the second rendering process reports
        return {"now": self.now, "reused": self.reused, "rendered": self.rendered, "stale": self.stale}

    def __setstate__(self, state):
        self.__init__(**state)


def load(file: Path) -> tuple[dict, dict]:
    try:
        with file.open("rb") as handle:
            latest, older = pickle.load(handle)
        if isinstance(latest, dict) and isinstance(older, dict):
            return latest, older
    except Exception:  # noqa: BLE001 - no memo, or an unreadable one, only renders every page
        pass
    return {}, {}


def save(file: Path, memo: PageMemo) -> None:
    latest = memo.earlier[0]
    older = {path: entry for path, entry in latest.items() if memo.now.get(path) != entry}
    file.parent.mkdir(parents=True, exist_ok=True)
    with file.open("wb") as handle:
        pickle.dump((memo.now, older), handle, protocol=pickle.HIGHEST_PROTOCOL)


def file_sha(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.blake2b(handle.read(), digest_size=16).digest()
    except OSError:
        return None


class Renderer:
    """Renders a page, or keeps it when an earlier build made it from the same inputs."""

    def __init__(self, build: Build, memo: PageMemo, settings: dict, context: dict, verify: bool):
        self.build, self.memo, self.context, self.verify = build, memo, context, verify
        self.reads = TextReads()
        self.digester = Digester()
        self.watched: list[Content] = []

        def met(item: Content) -> None:
            watch((item,), self.reads)
            self.watched.append(item)

        self.digester.met = met
        try:
            self.site = site_digest(settings, context, build, self.digester)
        except Unstable as unstable:
            self.site = None  # every page is rendered, as without the memo
            memo.unstable = str(unstable)

    def close(self) -> None:
        """The items' own ``get_content`` and ``get_summary`` again."""
        unwatch(self.watched)

    def page_key(self, path: str, template, context: dict, localcontext: dict) -> bytes | None:
        if self.site is None:
            return None
        own = {k: v for k, v in localcontext.items() if context.get(k, _MISSING) is not v}
        try:
            key = self.digester.digest((self.site, path, template,
                                        None if context is self.context else context, own))
        except Unstable:
            return None
        return None if self.digester.tainted else key

    def texts_now(self, entry: Entry) -> bool:
        items, ambiguous = self.digester.items, self.digester.ambiguous
        return all(ident in items and ident not in ambiguous and self.digester.text(items[ident]) == text
                   for ident, text in entry.texts)

    def produce(self, path: str, template, context: dict, localcontext: dict,
                render: Callable[[], bytes]) -> bytes | None:
        """The page's bytes to write, or None when the staged file is kept."""
        key = self.page_key(path, template, context, localcontext)
        kept = None
        if key is not None:
            candidates = [e for e in (self.memo.earlier[0].get(path), self.memo.earlier[1].get(path))
                          if e is not None and e.key == key]
            if candidates:
                sha = file_sha(path)
                kept = next((e for e in candidates if e.sha == sha and self.texts_now(e)), None)
        if kept is not None:
            self.memo.reused += 1  # or, verifying, would have been
            if not self.verify:
                for state in kept.effects:
                    self.build.state(type(state)).merge(state)
                self.build.keep(path)
                self.memo.now[path] = kept
                return None
        self.reads.current = set()
        try:
            with self.build.separate_states() as effects:
                data = render()
        finally:
            read, self.reads.current = self.reads.current, None
        self.memo.rendered += 0 if kept is not None else 1
        sha = hashlib.blake2b(data, digest_size=16).digest()
        if kept is not None and sha != kept.sha:
            self.memo.stale.append(path)
        if key is not None and effects.complete:
            items = [self.reads.items[i] for i in read]
            texts = tuple(sorted((identity(item), self.digester.text(item)) for item in items))
            self.memo.now[path] = Entry(key, texts, tuple(effects.filled), sha)
        return data


_MISSING = object()


def stale_problem(paths: list[str], output: str) -> Problem:
    shown = ", ".join(sorted(os.path.relpath(p, output) for p in paths)[:5])
    return Problem(
        "", "",
        f"sivumuisti olisi jättänyt {len(paths)} sivua vanhoiksi ({shown}).",
        "Tämä on ohjelmointivirhe eikä sisällön vika: jokin sivun syöte puuttuu "
        "sivumuistin tiivisteestä (strict_build.memo). Kerro viesti kehittäjälle; "
        "PAGE_MEMO = False ohittaa muistin siihen asti.")

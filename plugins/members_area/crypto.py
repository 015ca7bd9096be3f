"""Encryption of the members' section, format version 2.

The browser side is theme/static/js/members.js; both follow this file. Each
choice names the threat it answers:

  [GPU]     someone with the published files and a GPU, guessing passwords offline;
  [PROFILE] someone with a copy of a member's browser profile (a stolen laptop,
            a shared computer), during or after the member's login;
  [GROUP]   a member of one group trying to read another group's content.

* Key derivation: Argon2id (RFC 9106), m = 64 MiB, t = 5, p = 1 by default,
  never below OWASP's minimum (m ≥ 19 MiB, t ≥ 2, p = 1), computed in the
  browser by hash-wasm and here by argon2-cffi. A memory-hard function makes
  each guess cost a GPU memory bandwidth, not just arithmetic: about ten
  times fewer guesses per second than PBKDF2-SHA256 at 600 000 rounds
  (README, "Members' section"). [GPU] Passwords are NFC-normalised on both
  sides, so an "ä" typed on another keyboard derives the same key.
* A salt per key slot, changed every rotation period: one derivation tests a
  guess against one slot of one group in one period, never all of them, and
  nothing computed for one period carries to the next. [GPU] The salt is an
  HMAC-SHA256 of the site, the period, the group and the slot under a secret
  salt key (``salt_key`` in MEMBERS_SECRETS, or MEMBERS_SALT_KEY): public
  once its keyring is published, but nobody can compute the salts of a
  future period in advance and have a guess table ready the moment that
  keyring goes live. [GPU] No state is kept in content/; development builds
  use the public ``DEV_SALT_KEY``.
* Rotation: the keyring holds each password's slot for the current period only
  (periods of ``rotation_days`` ≤ 30 days, the longest "Muista minut" login).
  A key-encryption key (KEK) taken from a browser's disk therefore opens only
  builds of the period it was derived in, and nothing at all once the
  password changes. A remembered login ends when its period does: everyone
  logs in again at most once a period. The keyring names the moment its
  period ends (``ends``, the site's time zone) and the browser drops a stored
  key then by its own clock, also when a failing build leaves an old keyring
  live. [PROFILE]
* The browser never keeps the KEK in IndexedDB: deleting a record there
  removes it, not at once its bytes in the database's LevelDB files
  (measured in Chromium 156: after logout, and after the browser was closed,
  the KEK's bytes were still in the profile). It keeps a non-extractable
  AES-KW wrapping key in IndexedDB and the KEK wrapped with it in a file of
  the origin private file system (OPFS), deleted at logout and at expiry: a
  profile copied after logout has the wrapping key alone, which opens
  nothing. [PROFILE]
* Each group has a random 256-bit content key (CEK), new on every build,
  wrapped with AES-256-GCM under each slot's KEK; the slot's associated data
  binds it to its group and salt. A password opens only its own group's
  slots; a member of two groups logs in to both and the browser holds both
  keys. [GROUP]
* Pages, the members' index and attachments are AES-256-GCM encrypted, with
  associated data binding each ciphertext to its URL or file id and group, so
  a swapped or altered file fails to decrypt instead of showing the wrong text.
* Less metadata: envelopes do not name their group (the browser tries the
  keys it holds), and every ciphertext is padded to a size bucket (``bucket``)
  so that sizes tell little about a page, a file or how much a group has.
* The password never stays in the page: the browser empties its field before
  deriving and on pagehide, and while it is shown as text the field is
  autocomplete="off", which keeps Chromium from logging its value in the
  session files it restores tabs from (a test types a shown password, waits
  and leaves, then searches the profile). [PROFILE]
* Every record carries ``v``; the browser refuses other versions and any key
  derivation parameters below the minimum (a tampered keyring cannot make it
  derive a cheap key).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = 2
PREFIX = f"kl-members/v{VERSION}"

# Argon2id: memory in KiB. OWASP's minimum, and what this site uses.
MIN_KDF = {"memory": 19 * 1024, "iterations": 2, "parallelism": 1}
DEFAULT_KDF = {"memory": 64 * 1024, "iterations": 5, "parallelism": 1}
# A keyring asking for more than this is refused too: it would stall a phone.
MAX_KDF = {"memory": 1024 * 1024, "iterations": 20, "parallelism": 4}
ROTATION_EPOCH = dt.date(2021, 1, 1)
MAX_ROTATION_DAYS = 30  # the longest life of a stored key: one period
MIN_BUCKET = 4096
# Development builds' salt key: public, like the development passwords.
DEV_SALT_KEY = hashlib.sha256(f"{PREFIX}|development salt key".encode()).digest()
MIN_SALT_KEY_BYTES = 32


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text)


def normalise(password: str) -> bytes:
    """The bytes a password derives from: NFC, as the browser's String.normalize("NFC")."""
    return unicodedata.normalize("NFC", password).encode("utf-8")


def kdf_problem(kdf: dict) -> str | None:
    """Why these Argon2id parameters are unusable, or None."""
    for name in MIN_KDF:
        value = kdf.get(name)
        if not isinstance(value, int) or value < MIN_KDF[name] or value > MAX_KDF[name]:
            return f"{name} = {value!r}; sallittu {MIN_KDF[name]}–{MAX_KDF[name]}"
    return None


def derive_kek(password: str, salt: bytes, kdf: dict) -> bytes:
    if problem := kdf_problem(kdf):
        raise ValueError(f"Argon2id parameters below the minimum or out of range: {problem}")
    return hash_secret_raw(normalise(password), salt, time_cost=kdf["iterations"],
                           memory_cost=kdf["memory"], parallelism=kdf["parallelism"],
                           hash_len=32, type=Type.ID)


def period_of(day: dt.date, rotation_days: int) -> int:
    """The rotation period a build date falls in."""
    return (day - ROTATION_EPOCH).days // rotation_days


def slot_salt(salt_key: bytes, site: str, period: int, group: str, index: int) -> bytes:
    text = f"{PREFIX}|salt|{site}|{period}|{group}|{index}"
    return hmac.new(salt_key, text.encode("utf-8"), hashlib.sha256).digest()[:16]


def period_ends(period: int, rotation_days: int, zone: str) -> str:
    """When a rotation period ends: midnight after its last day in the site's time zone, ISO 8601."""
    from zoneinfo import ZoneInfo

    last = ROTATION_EPOCH + dt.timedelta(days=(period + 1) * rotation_days)
    return dt.datetime.combine(last, dt.time(), ZoneInfo(zone)).isoformat()


def slot_aad(group: str, salt: bytes) -> bytes:
    return f"{PREFIX}|slot|{group}|{b64(salt)}".encode()


def page_aad(url: str, group: str) -> bytes:
    return f"{PREFIX}|page|{url}|{group}".encode()


def index_aad(group: str) -> bytes:
    return f"{PREFIX}|index|{group}".encode()


def file_aad(file_id: str) -> bytes:
    return f"{PREFIX}|file|{file_id}".encode()


def bucket(size: int) -> int:
    """The padded size: at least 4 KiB, above that Padmé (Nikitin et al., PETS 2019).

    Padmé rounds to a number with few significant bits: it adds at most
    12 % and leaves O(log log n) bits of the size visible.
    """
    if size <= MIN_BUCKET:
        return MIN_BUCKET
    exponent = size.bit_length() - 1
    significant = exponent.bit_length()
    mask = (1 << (exponent - significant)) - 1
    return (size + mask) & ~mask


def seal_bytes(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """AES-256-GCM with a random 96-bit nonce, as iv‖ciphertext‖tag (attachment files)."""
    iv = os.urandom(12)
    return iv + AESGCM(key).encrypt(iv, plaintext, aad)


def seal(key: bytes, plaintext: bytes, aad: bytes) -> dict:
    """``seal_bytes`` for JSON: {"iv", "data"} (data = ciphertext‖tag)."""
    sealed = seal_bytes(key, plaintext, aad)
    return {"iv": b64(sealed[:12]), "data": b64(sealed[12:])}


def open_sealed(key: bytes, sealed: dict, aad: bytes) -> bytes:
    """The inverse of ``seal``; raises cryptography's InvalidTag on a wrong key or data."""
    return AESGCM(key).decrypt(unb64(sealed["iv"]), unb64(sealed["data"]), aad)


def seal_json(key: bytes, data, aad: bytes) -> dict:
    """JSON padded with spaces to its bucket (JSON.parse ignores them), then sealed."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return seal(key, text.ljust(bucket(len(text)), b" "), aad)


def seal_file(key: bytes, data: bytes, aad: bytes) -> bytes:
    """A file padded with zeros to its bucket; its real size travels in the encrypted page."""
    return seal_bytes(key, data.ljust(bucket(len(data)), b"\0"), aad)


def open_envelope(key: bytes, envelopes: list[dict], aad: bytes) -> bytes | None:
    """What the browser does with a list of envelopes: the first one this key opens."""
    for sealed in envelopes:
        try:
            return open_sealed(key, sealed, aad)
        except Exception:  # noqa: BLE001 - InvalidTag: not this group's envelope
            continue
    return None


@dataclass
class Keyring:
    """Content keys of one build and the public keyring that wraps them."""

    keys: dict[str, bytes]  # group -> CEK
    public: dict  # written as JSON for the browser


def make_keyring(passwords: dict[str, list[str]], site: str, day: dt.date,
                 rotation_days: int, kdf: dict | None = None, *, salt_key: bytes,
                 zone: str = "Europe/Helsinki") -> Keyring:
    """A fresh CEK per group, wrapped for each password with this period's slot salt."""
    kdf = dict(kdf or DEFAULT_KDF)
    if problem := kdf_problem(kdf):
        raise ValueError(f"Argon2id parameters below the minimum or out of range: {problem}")
    if not 1 <= rotation_days <= MAX_ROTATION_DAYS:
        raise ValueError(f"rotation_days must be 1–{MAX_ROTATION_DAYS}, not {rotation_days}")
    if len(salt_key) < MIN_SALT_KEY_BYTES:
        raise ValueError(f"the salt key must have at least {MIN_SALT_KEY_BYTES} bytes")
    current = period_of(day, rotation_days)
    keys = {group: AESGCM.generate_key(bit_length=256) for group in sorted(passwords)}
    jobs = [(group, index, password, current, slot_salt(salt_key, site, current, group, index))
            for group in sorted(passwords)
            for index, password in enumerate(passwords[group])]
    # argon2-cffi lets go of the GIL: the derivations run side by side.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        keks = list(pool.map(lambda job: derive_kek(job[2], job[4], kdf), jobs))
    groups: dict[str, dict] = {group: {"slots": []} for group in sorted(passwords)}
    for (group, _index, _password, period, salt), kek in zip(jobs, keks):
        slot = seal(kek, keys[group], slot_aad(group, salt))
        groups[group]["slots"].append({"period": period, "salt": b64(salt), **slot})
    public = {
        "v": VERSION,
        "kdf": {"name": "Argon2id", **kdf},
        "period": current,
        "ends": period_ends(current, rotation_days, zone),
        "cipher": "AES-GCM",
        "groups": groups,
    }
    return Keyring(keys, public)


def unlock_with_kek(public: dict, group: str, kek: bytes, salt: bytes) -> bytes | None:
    """What a stored key opens: the group's CEK, if the keyring still has a slot with its salt."""
    for slot in public["groups"].get(group, {}).get("slots", []):
        if slot["salt"] == b64(salt):
            try:
                return open_sealed(kek, slot, slot_aad(group, salt))
            except Exception:  # noqa: BLE001 - InvalidTag: another password's slot
                return None
    return None


def unlock(public: dict, group: str, password: str) -> tuple[bytes, bytes, bytes] | None:
    """What a login does: (CEK, KEK, salt) of the group's slot this password opens, newest first."""
    kdf = public["kdf"]
    if public.get("v") != VERSION or kdf.get("name") != "Argon2id" or kdf_problem(kdf):
        raise ValueError("unknown format or Argon2id parameters below the minimum")
    for slot in public["groups"].get(group, {}).get("slots", []):
        salt = unb64(slot["salt"])
        kek = derive_kek(password, salt, kdf)
        try:
            return open_sealed(kek, slot, slot_aad(group, salt)), kek, salt
        except Exception:  # noqa: BLE001 - InvalidTag: not this slot
            continue
    return None

"""Encryption of the members' section, format version 1.

Design (see docs and the browser side in theme/static/js/members.js):

* Each members' group has a random 256-bit content key (CEK), new on every
  build; it never leaves the build except wrapped.
* Each password has a key slot: KEK = PBKDF2-HMAC-SHA256(password, salt,
  ≥ 600 000 iterations); the slot holds AES-256-GCM(KEK, CEK). One salt
  serves the whole keyring, so a login costs one key derivation however many
  groups or passwords there are; a group can have several passwords, and one
  can be replaced without touching the others.
* Pages, the members' index and attachments are AES-256-GCM encrypted, with
  associated data binding each ciphertext to its URL or file id and group, so
  a swapped or altered file fails to decrypt instead of showing the wrong text.
* Every record carries ``v`` (and the keyring its ``kdf``), so the key
  derivation can change later without guessing.
"""

from __future__ import annotations

import base64
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

VERSION = 1
MIN_ITERATIONS = 600_000
PREFIX = f"kl-members/v{VERSION}"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text)


def slot_aad(group: str, index: int) -> bytes:
    return f"{PREFIX}|slot|{group}|{index}".encode()


def page_aad(url: str, group: str) -> bytes:
    return f"{PREFIX}|page|{url}|{group}".encode()


def index_aad(group: str) -> bytes:
    return f"{PREFIX}|index|{group}".encode()


def file_aad(file_id: str) -> bytes:
    return f"{PREFIX}|file|{file_id}".encode()


def derive_kek(password: str, salt: bytes, iterations: int) -> bytes:
    if iterations < MIN_ITERATIONS:
        raise ValueError(f"PBKDF2 needs at least {MIN_ITERATIONS} iterations, not {iterations}")
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations)
    return kdf.derive(password.encode("utf-8"))


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


@dataclass
class Keyring:
    """Content keys of one build and the public keyring that wraps them."""

    keys: dict[str, bytes]  # group -> CEK
    public: dict  # written as JSON for the browser


def make_keyring(passwords: dict[str, list[str]], salt: bytes, iterations: int) -> Keyring:
    """A fresh CEK per group, wrapped once per password of the group."""
    keys = {group: AESGCM.generate_key(bit_length=256) for group in sorted(passwords)}
    distinct = sorted({password for group in passwords.values() for password in group})
    # One derivation per distinct password; OpenSSL lets go of the GIL, so in parallel.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        keks = dict(zip(distinct, pool.map(lambda p: derive_kek(p, salt, iterations), distinct)))
    groups = {}
    for group in sorted(passwords):
        slots = []
        for index, password in enumerate(passwords[group]):
            slots.append(seal(keks[password], keys[group], slot_aad(group, index)))
        groups[group] = {"slots": slots}
    public = {
        "v": VERSION,
        "kdf": {"name": "PBKDF2", "hash": "SHA-256", "iterations": iterations, "salt": b64(salt)},
        "cipher": "AES-GCM",
        "groups": groups,
    }
    return Keyring(keys, public)


def unlock(public: dict, password: str) -> dict[str, bytes]:
    """What the browser does: the CEKs of every group the password opens."""
    kdf = public["kdf"]
    kek = derive_kek(password, unb64(kdf["salt"]), kdf["iterations"])
    opened = {}
    for group, entry in public["groups"].items():
        for index, slot in enumerate(entry["slots"]):
            try:
                opened[group] = open_sealed(kek, slot, slot_aad(group, index))
                break
            except Exception:  # noqa: BLE001 - InvalidTag: not this slot
                continue
    return opened


def seal_json(key: bytes, data, aad: bytes) -> dict:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return seal(key, text.encode("utf-8"), aad)

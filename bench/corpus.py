"""Synthetic content for benchmarks: posts, events and members' bulletins.

Written into a temporary copy of the site, never into the repository.
"""

from __future__ import annotations

import os
import random
import secrets
import shutil
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ["Liiton toiminta", "Edunvalvonta", "Hankkeet", "Tutkimukset", "Koulutukset",
              "Jäsenoppilaitokset"]
WORDS = ("musiikki tanssi koulutus konservatorio opiskelija opettaja oppilaitos yhteistyö "
         "kysely hanke seminaari kokous jäsen liitto kulttuuri alue verkosto tutkimus").split()


def paragraph(rnd: random.Random, words: int = 60) -> str:
    text = " ".join(rnd.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def copy_site(target: Path) -> Path:
    """The project (without outputs, caches and the venv) in ``target``."""
    ignore = shutil.ignore_patterns(".venv", "output", ".output.*", ".cache", ".git", "__pycache__",
                                    ".pytest_cache")
    shutil.copytree(ROOT, target, ignore=ignore)
    return target


def write_posts(content: Path, count: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    folder = content / "posts"
    for n in range(count):
        day = f"2020-{1 + n % 12:02d}-{1 + n % 28:02d}"
        tags = ", ".join(sorted({f"aihe {rnd.randint(1, 50)}" for _ in range(3)}))
        body = "\n\n".join(["## Väliotsikko"] + [paragraph(rnd) for _ in range(6)]
                           + ["- kohta yksi\n- kohta kaksi", "[Liitto]({filename}/pages/liitto.md)"])
        (folder / f"bench-{n:04d}.md").write_text(
            f"Title: Vertailukirjoitus {n}\nDate: {day}\nSlug: vertailu-{n:04d}\n"
            f"Category: {CATEGORIES[n % len(CATEGORIES)]}\nTags: {tags}\n"
            f"Author: Konservatorioliiton toimisto\nSummary: {paragraph(rnd, 20)}\n\n{body}\n",
            encoding="utf-8")


def write_events(content: Path, count: int, seed: int = 2) -> None:
    rnd = random.Random(seed)
    folder = content / "events"
    kinds = ["kokous", "koulutus", "seminaari", "kysely", "hanke"]
    for n in range(count):
        month, day = 1 + n % 12, 1 + n % 27
        when = rnd.choice([f"2022-{month:02d}-{day:02d}", f"2022-{month:02d}-{day:02d}/2022-{month:02d}-{day + 1:02d}",
                           f"2022-{month:02d}-{day:02d} 13:00-14:30", f"2022-{month:02d}"])
        (folder / f"bench-{n:04d}.md").write_text(
            f"Title: Vertailutapahtuma {n}\nSlug: vertailutapahtuma-{n:04d}\n"
            f"Uid: {uuid.UUID(int=rnd.getrandbits(128), version=4)}\nWhen: {when}\n"
            f"Kind: {kinds[n % 5]}\nAudience: {'hallitus' if n % 10 == 0 else 'julkinen'}\n"
            f"Location: Helsinki\nSummary: {paragraph(rnd, 15)}\n\n{paragraph(rnd)}\n",
            encoding="utf-8")


def write_bulletins(content: Path, count: int, seed: int = 3) -> None:
    rnd = random.Random(seed)
    folder = content / "members" / "tiedotteet"
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        body = "\n\n".join(paragraph(rnd) for _ in range(5))
        (folder / f"bench-{n:04d}.md").write_text(
            f"Title: Vertailutiedote {n}\nId: {secrets.token_hex(16)}\nDate: 2022-{1 + n % 12:02d}-01\n"
            f"Groups: {'hallitus' if n % 7 == 0 else 'jasenet'}\nSummary: {paragraph(rnd, 15)}\n\n{body}\n",
            encoding="utf-8")


def write_materials(content: Path, total_mb: int, files: int = 10) -> None:
    folder = content / "members" / "materiaalit"
    data = content / "members" / "tiedostot"
    folder.mkdir(parents=True, exist_ok=True)
    data.mkdir(parents=True, exist_ok=True)
    size = total_mb * 1024 * 1024 // files
    for n in range(files):
        (data / f"bench-{n}.pdf").write_bytes(os.urandom(size))
        (folder / f"bench-{n}.md").write_text(
            f"Title: Vertailuaineisto {n}\nId: {secrets.token_hex(16)}\nDate: 2022-01-01\n"
            f"Groups: jasenet\nFile: tiedostot/bench-{n}.pdf\nSummary: Aineisto {n}.\n\nKuvaus.\n",
            encoding="utf-8")

"""Social cards: a 1200×630 image per page title, drawn with Pillow."""

from __future__ import annotations

import functools
import hashlib
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
BACKGROUND = (63, 15, 77)
ACCENT = (226, 182, 240)
TEXT = (255, 255, 255)
DESIGN = "2"  # change when the drawing changes, so cached cards are redrawn
MARGIN = 80


def card_name(title: str) -> str:
    digest = hashlib.sha256(f"{DESIGN}|{title}".encode("utf-8")).hexdigest()[:16]
    return f"{digest}.jpg"


@functools.lru_cache(maxsize=16)
def _font(path: str, size: int):
    return ImageFont.truetype(path, size)


@functools.lru_cache(maxsize=4)
def _background(site_name: str, font_dir: str) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for line in range(5):  # a staff of music, the site's motif
        y = HEIGHT - 150 + line * 14
        draw.line([(MARGIN, y), (WIDTH - MARGIN, y)], fill=(110, 60, 125), width=3)
    draw.rectangle([MARGIN, MARGIN - 30, MARGIN + 120, MARGIN - 22], fill=ACCENT)
    font = _font(str(Path(font_dir) / "DejaVuSans.ttf"), 34)
    draw.text((MARGIN, HEIGHT - 70), site_name, font=font, fill=ACCENT, anchor="ls")
    return image


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def draw_card(title: str, site_name: str, font_dir: str) -> Image.Image:
    image = _background(site_name, font_dir).copy()
    draw = ImageDraw.Draw(image)
    for size in (72, 60, 50, 42):
        font = _font(str(Path(font_dir) / "DejaVuSans-Bold.ttf"), size)
        lines = _wrap(draw, title, font, WIDTH - 2 * MARGIN)
        if len(lines) <= 4:
            break
    lines = lines[:4]
    y = MARGIN + 20
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=TEXT, anchor="la")
        y += int(size * 1.25)
    return image


def render(title: str, site_name: str, font_dir: str, target: Path) -> None:
    """Write the card for ``title`` to ``target``."""
    buffer = BytesIO()
    draw_card(title, site_name, font_dir).save(buffer, "JPEG", quality=85, optimize=False)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".osittainen")  # a stopped build leaves no half card in the cache
    partial.write_bytes(buffer.getvalue())
    partial.replace(target)


def draw_all(titles, site_name: str, font_dir: str, folder: Path) -> None:
    """Write the cards of ``titles`` into ``folder``, each named by ``card_name``."""
    for title in titles:
        render(title, site_name, font_dir, folder / card_name(title))

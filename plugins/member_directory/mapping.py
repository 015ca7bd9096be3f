"""A map of Finland as inline SVG, drawn at build time.

The outline (finland-outline.json) is Natural Earth 1:50m, public domain;
see make_outline.py. Coordinates are projected with a spherical transverse
Mercator centred on 27°E, the meridian of Finland's national grid (TM35FIN),
so the country has its familiar shape.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

OUTLINE = Path(__file__).with_name("finland-outline.json")
CENTRAL_MERIDIAN = 27.0
PADDING = 12
PIN_SPREAD = 9  # px between pins of institutions in the same city


def project(lat: float, lon: float) -> tuple[float, float]:
    """Spherical transverse Mercator; x east, y north, in radians of arc."""
    phi, dlam = math.radians(lat), math.radians(lon - CENTRAL_MERIDIAN)
    b = math.cos(phi) * math.sin(dlam)
    x = 0.5 * math.log((1 + b) / (1 - b))
    y = math.atan2(math.tan(phi), math.cos(dlam))
    return x, y


@functools.lru_cache(maxsize=1)
def outline_rings() -> tuple[tuple[tuple[float, float], ...], ...]:
    data = json.loads(OUTLINE.read_text(encoding="utf-8"))
    return tuple(tuple((lat, lon) for lon, lat in ring) for ring in data["rings"])


@dataclass(frozen=True)
class Frame:
    """Maps projected coordinates into an SVG viewBox of the given width."""

    min_x: float
    max_y: float
    scale: float
    width: int
    height: int

    @classmethod
    def around(cls, rings, width: int) -> Frame:
        points = [project(lat, lon) for ring in rings for lat, lon in ring]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        scale = (width - 2 * PADDING) / (max(xs) - min(xs))
        height = round((max(ys) - min(ys)) * scale + 2 * PADDING)
        return cls(min(xs), max(ys), scale, width, height)

    def point(self, lat: float, lon: float) -> tuple[float, float]:
        x, y = project(lat, lon)
        return (round((x - self.min_x) * self.scale + PADDING, 1),
                round((self.max_y - y) * self.scale + PADDING, 1))


@dataclass(frozen=True)
class Pin:
    lat: float
    lon: float
    label: str  # accessible name
    url: str | None = None  # a link when set
    current: bool = False
    city_level: bool = False  # the point is the city's, not the building's: drawn hollow


def spread(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Move pins that share a spot onto a small circle around it, deterministically."""
    groups: dict[tuple[float, float], list[int]] = {}
    for index, point in enumerate(points):
        groups.setdefault(point, []).append(index)
    result = list(points)
    for (x, y), indices in groups.items():
        if len(indices) < 2:
            continue
        for n, index in enumerate(indices):
            angle = 2 * math.pi * n / len(indices) - math.pi / 2
            result[index] = (round(x + PIN_SPREAD * math.cos(angle), 1),
                             round(y + PIN_SPREAD * math.sin(angle), 1))
    return result


def render_map(pins: list[Pin], label: str, width: int = 320, css_class: str = "map") -> str:
    """SVG markup: the outline and one pin per institution.

    Linked pins are keyboard-focusable <a> elements named by aria-label, so
    the map is a group of links; a map without links is a single image.
    """
    rings = outline_rings()
    frame = Frame.around(rings, width)
    paths = " ".join(
        "M" + "L".join(f"{x},{y}" for x, y in (frame.point(lat, lon) for lat, lon in ring)) + "Z"
        for ring in rings
    )
    interactive = any(pin.url for pin in pins)
    role = 'role="group"' if interactive else 'role="img"'
    parts = [
        f'<svg class="{css_class}" viewBox="0 0 {frame.width} {frame.height}" '
        f'width="{frame.width}" height="{frame.height}" {role} aria-label={quoteattr(label)} '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<path class="map__land" d="{paths}"/>',
    ]
    positions = spread([frame.point(pin.lat, pin.lon) for pin in pins])
    for pin, (x, y) in sorted(zip(pins, positions), key=lambda item: item[0].current):
        css = "map__pin" + (" map__pin--current" if pin.current else "") + (" map__pin--city" if pin.city_level else "")
        radius = 7 if pin.current else 5
        dot = f'<circle class="{css}" cx="{x}" cy="{y}" r="{radius}"/>'
        if pin.url:
            parts.append(f'<a href={quoteattr(pin.url)} aria-label={quoteattr(pin.label)}>'
                         f'<title>{escape(pin.label)}</title>{dot}</a>')
        else:
            parts.append(dot)
    parts.append("</svg>")
    return "".join(parts)

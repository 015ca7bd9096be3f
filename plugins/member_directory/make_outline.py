"""Regenerate finland-outline.json from Natural Earth via the world-atlas package.

Not used by the build: it documents where the shipped outline comes from.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python plugins/member_directory/make_outline.py package/countries-50m.json

Natural Earth data is in the public domain (naturalearthdata.com/about/terms-of-use);
the world-atlas packaging is ISC-licensed (github.com/topojson/world-atlas).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

FINLAND = "246"  # ISO 3166-1 numeric
TOLERANCE = 0.02  # degrees; keeps the coast recognisable at a few hundred pixels
MIN_RING_POINTS = 8


def decode_arcs(topology):
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)
    return arcs


def ring(indices, arcs):
    points = []
    for index in indices:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def simplify(points, tolerance):
    """Douglas–Peucker."""
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    length = math.hypot(x2 - x1, y2 - y1) or 1e-12
    worst, index = 0.0, 0
    for i, (x, y) in enumerate(points[1:-1], 1):
        distance = abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / length
        if distance > worst:
            worst, index = distance, i
    if worst <= tolerance:
        return [points[0], points[-1]]
    left = simplify(points[: index + 1], tolerance)
    return left[:-1] + simplify(points[index:], tolerance)


def simplify_ring(points, tolerance):
    """Douglas–Peucker on a closed ring: split at the point farthest from the start."""
    x0, y0 = points[0]
    far = max(range(len(points)), key=lambda i: math.hypot(points[i][0] - x0, points[i][1] - y0))
    first = simplify(points[: far + 1], tolerance)
    second = simplify(points[far:], tolerance)
    return first[:-1] + second


def main(path):
    topology = json.loads(Path(path).read_text())
    arcs = decode_arcs(topology)
    [finland] = [g for g in topology["objects"]["countries"]["geometries"] if g.get("id") == FINLAND]
    polygons = finland["arcs"] if finland["type"] == "MultiPolygon" else [finland["arcs"]]
    rings = []
    for polygon in polygons:
        outer = simplify_ring(ring(polygon[0], arcs), TOLERANCE)
        if len(outer) >= MIN_RING_POINTS:
            rings.append([[round(x, 3), round(y, 3)] for x, y in outer])
    out = Path(__file__).with_name("finland-outline.json")
    out.write_text(json.dumps({
        "source": "Natural Earth 1:50m admin 0 countries, via world-atlas 2.0.2 (countries-50m.json)",
        "licence": "Public domain (Natural Earth); world-atlas packaging ISC",
        "rings": rings,
    }, separators=(",", ":")) + "\n")
    print(f"{out}: {len(rings)} rings, {sum(map(len, rings))} points")


if __name__ == "__main__":
    main(sys.argv[1])

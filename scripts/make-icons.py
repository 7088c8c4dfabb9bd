"""Draws the web client's icons into web-client/public/assets/icons (run by hand when the
design changes; the PNGs are committed). Standard library only: a few shapes with
anti-aliasing by supersampling, written as PNG with zlib.

The mark: two interlocking rings, for two people, on the accent colour. App icons
are full-bleed and keep the rings inside the central 80% circle, so they also serve
as maskable icons (a launcher may cut them to any shape). The favicons are the same
mark on a rounded square; the "turn" favicon adds a bright dot (a background cue)."""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "web-client" / "public" / "assets" / "icons"
ACCENT = (138, 47, 82)
RING = (250, 246, 241)
DOT = (245, 185, 66)
SAMPLES = 4  # per axis, per pixel


def ring(x: float, y: float, centre: tuple[float, float], r: float, w: float) -> bool:
    return abs(math.hypot(x - centre[0], y - centre[1]) - r) <= w / 2


def rounded(x: float, y: float, radius: float) -> bool:
    """Inside the unit square with rounded corners (for favicons)."""
    dx = max(radius - x, 0.0, x - (1 - radius))
    dy = max(radius - y, 0.0, y - (1 - radius))
    return dx * dx + dy * dy <= radius * radius


def colour_at(x: float, y: float, *, square: bool, dot: bool) -> tuple[int, int, int, int]:
    """The colour at (x, y) in the unit square; alpha 0 outside a favicon's square."""
    if square and not rounded(x, y, 0.22):
        return (0, 0, 0, 0)
    if dot and math.hypot(x - 0.8, y - 0.2) <= 0.17:
        return (*DOT, 255)
    scale = 1.0 if square else 0.72  # maskable: rings within the safe zone
    u, v = 0.5 + (x - 0.5) / scale, 0.5 + (y - 0.5) / scale
    r, w = 0.22, 0.09
    left, right = ring(u, v, (0.37, 0.5), r, w), ring(u, v, (0.63, 0.5), r, w)
    # Interlocked: the right ring passes over the left one at the top crossing and
    # under it at the bottom, with a gap in the ring that goes under.
    if left and right:
        return (*RING, 255)
    if left or right:
        near_left = abs(math.hypot(u - 0.37, v - 0.5) - r) < w * 0.95
        near_right = abs(math.hypot(u - 0.63, v - 0.5) - r) < w * 0.95
        gap = (right and v > 0.5 and near_left) or (left and v < 0.5 and near_right)
        return (*ACCENT, 255) if gap else (*RING, 255)
    return (*ACCENT, 255)


def draw(size: int, *, square: bool, dot: bool = False) -> bytes:
    rows = []
    n = SAMPLES
    for py in range(size):
        row = bytearray([0])  # filter: none
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(n):
                for sx in range(n):
                    c = colour_at((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size,
                                  square=square, dot=dot)  # fmt: skip
                    for i in range(3):
                        acc[i] += c[i] * c[3]
                    acc[3] += c[3]
            alpha = acc[3] / (n * n)
            rgb = [round(acc[i] / acc[3]) if acc[3] else 0 for i in range(3)]
            row += bytes([*rgb, round(alpha)])
        rows.append(bytes(row))
    return png(size, b"".join(rows))


def png(size: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))  # fmt: skip


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon-192.png").write_bytes(draw(192, square=False))
    (OUT / "icon-512.png").write_bytes(draw(512, square=False))
    (OUT / "favicon.png").write_bytes(draw(64, square=True))
    (OUT / "favicon-turn.png").write_bytes(draw(64, square=True, dot=True))
    print(f"icons written to {OUT}")


if __name__ == "__main__":
    main()

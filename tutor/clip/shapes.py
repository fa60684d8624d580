"""The image generator: a coloured, patterned shape on a plain background.

Deterministic: image ``index`` of stream ``seed`` is always the same picture, drawn from its
own random generator ``numpy.random.default_rng([seed, index])`` (so streams can be cut,
resumed and parallelised). Shapes are drawn at twice the size with PIL and averaged down
(anti-aliasing); fill patterns are computed with numpy in a rotated frame.

Seeds: training uses its ``--seed`` (default 0), ``erica clip eval`` uses 1000+ (fresh
images), the committed test images ``tests/data/clip`` use seed 4242.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
from PIL import Image, ImageDraw

from .world import Combo, ShapeWorld, load_world

SUPERSAMPLE = 2
WHITE = np.array([250.0, 250.0, 246.0])


@dataclass(frozen=True)
class GeneratedImage:
    """One generated picture: its combination, canonical caption and pixels (H×W×3 uint8)."""

    index: int
    combo: Combo
    caption: str
    pixels: np.ndarray

    def image(self) -> Image.Image:
        return Image.fromarray(self.pixels)

    def png_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.image().save(buf, format="PNG")
        return buf.getvalue()


def _polygon(shape: str, cx: float, cy: float, r: float, angle: float) -> list[tuple[float, float]]:
    """Vertices of ``shape`` (radius ``r``, centre ``cx, cy``, rotated by ``angle`` radians)."""
    if shape == "square":
        pts = [(math.cos(a), math.sin(a)) for a in np.arange(4) * math.pi / 2 + math.pi / 4]
    elif shape == "triangle":
        pts = [(math.cos(a), math.sin(a)) for a in np.arange(3) * 2 * math.pi / 3 - math.pi / 2]
        pts = [(x * 1.08, y * 1.08 + 0.12) for x, y in pts]
    elif shape == "star":
        pts = []
        for k in range(10):
            rad = 1.0 if k % 2 == 0 else 0.42
            a = k * math.pi / 5 - math.pi / 2
            pts.append((rad * math.cos(a), rad * math.sin(a)))
    elif shape == "cross":
        w, a = 0.3, 0.95
        pts = [(w, -a), (w, -w), (a, -w), (a, w), (w, w), (w, a),
               (-w, a), (-w, w), (-a, w), (-a, -w), (-w, -w), (-w, -a)]
    elif shape == "heart":
        t = np.linspace(0, 2 * math.pi, 48, endpoint=False)
        x = 16 * np.sin(t) ** 3
        y = -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
        pts = list(zip(x / 17.0, (y + 2.5) / 17.0))
    else:
        raise ValueError(f"no drawing for shape {shape!r}")
    ca, sa = math.cos(angle), math.sin(angle)
    return [(cx + r * (x * ca - y * sa), cy + r * (x * sa + y * ca)) for x, y in pts]


def _shape_masks(shape: str, size: int, cx: float, cy: float, r: float, angle: float, edge: float):
    """Fill and outline masks (float 0/1 arrays, ``size``×``size``)."""
    fill = Image.new("L", (size, size), 0)
    line = Image.new("L", (size, size), 0)
    df, dl = ImageDraw.Draw(fill), ImageDraw.Draw(line)
    width = max(1, int(round(edge)))
    if shape == "circle":
        box = [cx - r, cy - r, cx + r, cy + r]
        df.ellipse(box, fill=255)
        dl.ellipse(box, outline=255, width=width)
    else:
        pts = _polygon(shape, cx, cy, r, angle)
        df.polygon(pts, fill=255)
        dl.line(pts + [pts[0]], fill=255, width=width, joint="curve")
    return np.asarray(fill, dtype=np.float32) / 255.0, np.asarray(line, dtype=np.float32) / 255.0


@lru_cache(maxsize=4)
def _grid(size: int) -> tuple[np.ndarray, np.ndarray]:
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    return yy, xx


def _pattern_mask(pattern: str, size: int, rng: np.random.Generator) -> np.ndarray:
    """Where the pattern's second colour (white) goes: 1 there, 0 in the main colour."""
    if pattern == "solid":
        return np.zeros((size, size), dtype=np.float32)
    phi = rng.uniform(0, math.pi)
    yy, xx = _grid(size)
    u = xx * math.cos(phi) + yy * math.sin(phi) + rng.uniform(0, 100)
    v = -xx * math.sin(phi) + yy * math.cos(phi) + rng.uniform(0, 100)
    scale = size / 128.0
    if pattern == "striped":
        period = rng.uniform(11, 17) * scale
        return ((u % period) < period * 0.5).astype(np.float32)
    if pattern == "polka-dotted":
        step = rng.uniform(13, 18) * scale
        rad = step * rng.uniform(0.26, 0.32)
        du, dv = (u % step) - step / 2, (v % step) - step / 2
        return (du * du + dv * dv < rad * rad).astype(np.float32)
    if pattern == "checkered":
        cell = rng.uniform(8, 12) * scale
        return ((np.floor(u / cell) + np.floor(v / cell)) % 2).astype(np.float32)
    raise ValueError(f"no drawing for pattern {pattern!r}")


def render(world: ShapeWorld, combo: Combo, rng: np.random.Generator, size: int | None = None) -> np.ndarray:
    """Draw ``combo`` with random size, position, rotation, pattern scale and background."""
    out = size or world.image_size
    big = out * SUPERSAMPLE
    r = rng.uniform(0.27, 0.44) * big
    margin = r * 1.02
    cx, cy = rng.uniform(margin, big - margin), rng.uniform(margin, big - margin)
    angle = rng.uniform(0, 2 * math.pi)
    fill, line = _shape_masks(combo.shape, big, cx, cy, r, angle, edge=big / 40)
    white = _pattern_mask(combo.pattern, big, rng)

    colour = np.array(world.colours[combo.colour], dtype=np.float32)
    colour = np.clip(colour * rng.uniform(0.9, 1.06) + rng.normal(0, 8, 3), 0, 255)
    second = WHITE - rng.uniform(0, 25)
    grey = rng.uniform(70, 175)
    background = np.clip(grey + rng.normal(0, 10, 3), 0, 255)

    # Compositing is linear in the masks, so average the masks down first (cheaper, same result).
    alpha = np.maximum(fill, line)
    white = alpha * white * (1.0 - line)  # the outline stays in the main colour
    alpha, white = _downsample(alpha, out), _downsample(white, out)
    img = (
        background.astype(np.float32) * (1 - alpha)[..., None]
        + colour.astype(np.float32) * (alpha - white)[..., None]
        + second.astype(np.float32) * white[..., None]
    )
    img += rng.standard_normal(img.shape, dtype=np.float32) * 3.0
    return np.clip(img + 0.5, 0, 255).astype(np.uint8)


def _downsample(mask: np.ndarray, out: int) -> np.ndarray:
    acc = np.zeros((out, out), dtype=np.float32)
    for dy in range(SUPERSAMPLE):
        for dx in range(SUPERSAMPLE):
            acc += mask[dy::SUPERSAMPLE, dx::SUPERSAMPLE]
    return acc * (1.0 / SUPERSAMPLE**2)


def generate(
    n: int,
    seed: int,
    combos: Sequence[Combo] | None = None,
    world: ShapeWorld | None = None,
    start: int = 0,
) -> list[GeneratedImage]:
    """Images ``start .. start+n-1`` of stream ``seed``, each showing a combination drawn
    uniformly from ``combos`` (default: every combination of the world)."""
    world = world or load_world()
    pool = list(combos) if combos is not None else world.combos()
    if not pool:
        raise ValueError("no combinations to draw from")
    out = []
    for i in range(start, start + n):
        rng = np.random.default_rng([seed, i])
        combo = pool[int(rng.integers(len(pool)))]
        out.append(GeneratedImage(i, combo, world.caption(combo), render(world, combo, rng)))
    return out


def draw_each(combos: Sequence[Combo], seed: int, world: ShapeWorld | None = None) -> list[GeneratedImage]:
    """One image per given combination, in order (image ``i`` of stream ``seed`` shows ``combos[i]``)."""
    world = world or load_world()
    out = []
    for i, combo in enumerate(combos):
        rng = np.random.default_rng([seed, i])
        rng.integers(1)  # keep the stream aligned with generate()
        out.append(GeneratedImage(i, combo, world.caption(combo), render(world, combo, rng)))
    return out


def save_images(images: Sequence[GeneratedImage], folder: str | Path, prefix: str = "shape") -> list[Path]:
    """Write PNGs named ``{prefix}-{index:05d}-{caption}.png``; existing files are kept."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for g in images:
        path = folder / f"{prefix}-{g.index:05d}-{g.caption.removeprefix('a ').replace(' ', '-')}.png"
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            g.image().save(tmp, format="PNG")
            tmp.replace(path)
        paths.append(path)
    return paths

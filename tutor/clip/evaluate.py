"""The evaluation behind ``erica clip eval``: fresh generated images, never seen in training.

- ``seen_top1``: images of combinations seen in training; is the right caption the best of all
  combination captions ("a {pattern} {colour} {shape}", 144 of them)?
- ``heldout_top1``: the same for the combinations held out of training (true zero-shot).
- ``attribute_top1``: single-attribute prompts ("a circle" among the shapes, "a red shape"
  among the colours, "a striped shape" among the patterns), mean of the three accuracies,
  over both splits.
- ``search_r5``: a gallery of ``gallery_size`` images of any combination; for every combination
  present, query with its caption; is an image of that combination in the top 5?

Works through the engine's public interface, so any CLIP (bundled or OpenCLIP) can be scored.
Seeds: 1000 (seen), 1001 (held out), 1002 (gallery) by default; training uses 0.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .shapes import generate
from .world import ATTRIBUTES, load_world

if TYPE_CHECKING:  # pragma: no cover
    from .engine import ClipEngine

EVAL_SEED = 1000
TARGETS = {"seen_top1": 0.90, "heldout_top1": 0.70, "attribute_top1": 0.95, "search_r5": 0.90}


@dataclass
class EvalReport:
    seen_top1: float
    heldout_top1: float
    attribute_top1: float
    search_r5: float
    shape_top1: float
    colour_top1: float
    pattern_top1: float
    seed: int
    n_seen: int
    n_heldout: int
    gallery_size: int
    queries: int
    captions: int
    model: str
    seconds: float
    targets: dict[str, float] = field(default_factory=lambda: dict(TARGETS))
    passed: bool = False


def evaluate(engine: "ClipEngine", seed: int = EVAL_SEED, n: int = 500, gallery_size: int = 200) -> EvalReport:
    """Score ``engine`` on ``n`` fresh images per split and a ``gallery_size``-image gallery."""
    t0 = time.perf_counter()
    world = load_world()
    combos = world.combos()
    index = {c: i for i, c in enumerate(combos)}
    text = engine.encode_texts([world.caption(c) for c in combos])

    seen = generate(n, seed, combos=world.seen_combos(), world=world)
    held = generate(n, seed + 1, combos=world.heldout_combos(), world=world)
    images = seen + held
    emb = engine.encode_images([g.pixels for g in images])
    truth = np.array([index[g.combo] for g in images])
    best = np.argmax(emb @ text.T, axis=1)
    correct = best == truth
    seen_top1 = float(correct[: len(seen)].mean())
    held_top1 = float(correct[len(seen) :].mean())

    per_attr = {}
    for attr in ATTRIBUTES:
        values = world.attribute_values(attr)
        prompts = engine.encode_texts([world.attribute_prompt(attr, v) for v in values])
        guess = np.argmax(emb @ prompts.T, axis=1)
        want = np.array([values.index(getattr(g.combo, attr)) for g in images])
        per_attr[attr] = float((guess == want).mean())

    gallery = generate(gallery_size, seed + 2, world=world)
    g_emb = engine.encode_images([g.pixels for g in gallery])
    g_truth = np.array([index[g.combo] for g in gallery])
    present = sorted(set(g_truth.tolist()))
    sims = text[present] @ g_emb.T
    top5 = np.argsort(-sims, axis=1, kind="stable")[:, :5]
    hits = [bool(np.any(g_truth[row] == q)) for row, q in zip(top5, present)]

    report = EvalReport(
        seen_top1=round(seen_top1, 4),
        heldout_top1=round(held_top1, 4),
        attribute_top1=round(float(np.mean(list(per_attr.values()))), 4),
        search_r5=round(float(np.mean(hits)), 4),
        shape_top1=round(per_attr["shape"], 4),
        colour_top1=round(per_attr["colour"], 4),
        pattern_top1=round(per_attr["pattern"], 4),
        seed=seed,
        n_seen=len(seen),
        n_heldout=len(held),
        gallery_size=gallery_size,
        queries=len(present),
        captions=len(combos),
        model=engine.description,
        seconds=round(time.perf_counter() - t0, 1),
    )
    report.passed = all(getattr(report, k) >= v for k, v in TARGETS.items())
    return report

"""Train Erica's small CLIP on generated shapes (``erica clip train``).

The recipe, in short:

- **Model**: open_clip's own ``CLIP`` class from ``configs/erica-shapes.json``: a ModifiedResNet
  image tower (``vision_cfg.layers`` as a list; a CNN learns shape, a tiny ViT did not) at
  64×64 px and a 3-layer text transformer over the compact vocabulary of
  :mod:`tutor.clip.tokenizer`.
- **Data**: images from :mod:`tutor.clip.shapes` for the *seen* combinations only (the world
  file's ``heldout`` list never appears in training). A pool of ``pool_size`` images is drawn
  first and ``refresh`` new ones replace old ones every step (drawing is ~1 ms an image, so
  fresh images for every sample would cost a third of the budget); each sample is randomly
  rotated by a multiple of 90° and mirrored, and gets a fresh random caption every time.
- **Captions**: about a third name all three attributes ("a striped red circle", "a red disc
  with stripes"), the rest fewer ("a red shape", "a striped circle"); this is what makes the
  single-attribute prompts and held-out combinations work. A few words (3 %) are replaced by
  ``<unk>`` so that a word the model does not know carries no meaning (rather than a random one).
- **Objective**: CLIP's symmetric InfoNCE over the batch's image×caption logits, with the
  positives known exactly: a caption is a positive for every image in the batch it correctly
  describes (several images can be "a red shape"), and the target of each row/column is
  uniform over its positives. With one positive per row this is exactly open_clip's
  ``ClipLoss``.
- AdamW, linear warm-up then cosine decay; learnable logit scale clamped at 100.

The shipped weights (``assets/erica-shapes.safetensors``, fp16, 7.3 MB) come from the default
run, ``erica clip train --out tutor/clip/assets``: 1,000 steps × 128 pairs, ~12 minutes on
2 CPU cores; its record (config, loss curve, evaluation) is ``assets/erica-shapes.train.json``.

Deterministic for a seed and a thread count (``torch.manual_seed`` for the initial weights,
``numpy.random.default_rng`` for images, batches and captions). ``minutes`` stops early
(which makes the run machine-dependent). The library never prints: progress goes to a callback.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from .engine import BUNDLED, ClipEngine, register_bundled_config
from .evaluate import EvalReport, evaluate
from .shapes import generate
from .tokenizer import WordTokenizer
from .world import ATTRIBUTES, ShapeWorld, load_world

WEIGHTS_NAME = f"{BUNDLED}.safetensors"
REPORT_NAME = f"{BUNDLED}.train.json"


@dataclass
class TrainConfig:
    seed: int = 0
    steps: int = 1000
    batch_size: int = 128
    lr: float = 2e-3
    min_lr_ratio: float = 0.02
    weight_decay: float = 0.05
    warmup_steps: int = 100
    pool_size: int = 16384
    refresh: int = 32
    p_full: float = 0.35
    p_unknown: float = 0.03  # words replaced by <unk>, so an unknown word carries no meaning
    minutes: float | None = None  # stop early after this long (machine-dependent)
    log_every: int = 50
    eval_n: int = 500  # images per split for the evaluation after training (0: skip)


@dataclass
class TrainEvent:
    """Progress: ``phase`` is "generate", "train" or "eval"; ``loss`` during "train"."""

    phase: str
    done: int
    total: int
    loss: float | None = None


@dataclass
class TrainReport:
    config: dict
    steps: int
    stopped_early: bool
    images_generated: int
    seconds: float
    cpu_seconds: float
    threads: int
    parameters: int
    loss_curve: list[tuple[int, float]]  # (step, mean loss over the preceding log_every steps)
    weights: str
    file_bytes: int
    eval: EvalReport | None = None
    timings: dict[str, float] = field(default_factory=dict)


class _Pool:
    """Generated training images of the seen combinations, refreshed a few at a time."""

    def __init__(self, world: ShapeWorld, seed: int, size: int):
        self.world, self.seed = world, seed
        self.combos = world.seen_combos()
        self.ids = {c: i for i, c in enumerate(world.combos())}
        s = world.image_size
        self.pixels = np.empty((size, s, s, 3), dtype=np.uint8)
        self.combo_ids = np.empty(size, dtype=np.int64)
        self.next_index = 0
        self.cursor = 0

    def add(self, n: int) -> None:
        for g in generate(n, self.seed, combos=self.combos, world=self.world, start=self.next_index):
            slot = self.cursor % len(self.pixels)
            self.pixels[slot] = g.pixels
            self.combo_ids[slot] = self.ids[g.combo]
            self.cursor += 1
        self.next_index += n


def _lr(step: int, cfg: TrainConfig, total: int) -> float:
    if step < cfg.warmup_steps:
        return cfg.lr * (step + 1) / cfg.warmup_steps
    t = (step - cfg.warmup_steps) / max(1, total - cfg.warmup_steps)
    return cfg.lr * (cfg.min_lr_ratio + (1 - cfg.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * min(1.0, t))))


def contrastive_loss(logits_per_image, positives):
    """Symmetric InfoNCE with known positives (bool matrix images×captions, diagonal True)."""
    import torch.nn.functional as F

    pos = positives.float()
    li = -(F.log_softmax(logits_per_image, dim=1) * (pos / pos.sum(1, keepdim=True))).sum(1).mean()
    lt = -(F.log_softmax(logits_per_image.T, dim=1) * (pos.T / pos.T.sum(1, keepdim=True))).sum(1).mean()
    return (li + lt) / 2


def build_model(seed: int):
    """A randomly initialised ``erica-shapes`` open_clip CLIP (deterministic for ``seed``)."""
    import open_clip
    import torch

    register_bundled_config()
    torch.manual_seed(seed)
    return open_clip.CLIP(**open_clip.get_model_config(BUNDLED))


def save_weights(model, path: Path) -> int:
    """fp16 safetensors of the state dict (integer buffers kept); returns the file size."""
    from safetensors.torch import save_file

    state = {k: (v.half() if v.is_floating_point() else v).contiguous().cpu() for k, v in model.state_dict().items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    save_file(state, str(tmp), metadata={"format": "pt", "model": BUNDLED})
    tmp.chmod(0o644)
    tmp.replace(path)
    return path.stat().st_size


def train(
    config: TrainConfig | None = None,
    out_dir: str | Path = ".",
    progress: Callable[[TrainEvent], None] | None = None,
) -> TrainReport:
    """Train, save ``{out_dir}/erica-shapes.safetensors`` (+ ``.train.json``), evaluate."""
    import open_clip
    import torch

    cfg = config or TrainConfig()
    emit = progress or (lambda event: None)
    world = load_world()
    tokenizer = WordTokenizer.from_world(world)
    t_start, c_start = time.perf_counter(), time.process_time()
    timings: dict[str, float] = {}

    model = build_model(cfg.seed)
    model.visual.to(memory_format=torch.channels_last)
    model.train()
    mean = torch.tensor(open_clip.OPENAI_DATASET_MEAN).view(1, 3, 1, 1) * 255
    std = torch.tensor(open_clip.OPENAI_DATASET_STD).view(1, 3, 1, 1) * 255

    pool = _Pool(world, cfg.seed, cfg.pool_size)
    chunk = 512
    for done in range(0, cfg.pool_size, chunk):
        pool.add(min(chunk, cfg.pool_size - done))
        emit(TrainEvent("generate", min(done + chunk, cfg.pool_size), cfg.pool_size))
    timings["generate_pool_s"] = round(time.perf_counter() - t_start, 1)

    decay = [p for n, p in model.named_parameters() if p.ndim >= 2 and "embedding" not in n]
    no_decay = [p for n, p in model.named_parameters() if not (p.ndim >= 2 and "embedding" not in n)]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=cfg.lr, betas=(0.9, 0.98), eps=1e-6,
    )
    rng = np.random.default_rng([cfg.seed, 1])
    attr_ids = {a: {v: i for i, v in enumerate(world.attribute_values(a))} for a in ATTRIBUTES}
    all_combos = world.combos()
    combo_attr = np.array([[attr_ids[a][getattr(c, a)] for a in ATTRIBUTES] for c in world.combos()])
    curve: list[tuple[int, float]] = []
    window: list[float] = []
    t_train = time.perf_counter()
    step = 0
    stopped_early = False
    for step in range(cfg.steps):
        if cfg.minutes is not None and time.perf_counter() - t_start > cfg.minutes * 60:
            stopped_early = True
            break
        if step and cfg.refresh:
            pool.add(cfg.refresh)
        idx = rng.choice(cfg.pool_size, size=cfg.batch_size, replace=False)
        x = torch.from_numpy(pool.pixels[idx]).permute(0, 3, 1, 2).float()
        x = _augment(x, rng)
        x = ((x - mean) / std).contiguous(memory_format=torch.channels_last)
        ids = pool.combo_ids[idx]
        combos = [all_combos[i] for i in ids]
        captions = [world.random_caption(c, rng, cfg.p_full) for c in combos]
        tokens = tokenizer([c.text for c in captions])
        if cfg.p_unknown:
            drop = torch.from_numpy(rng.random(tokens.shape) < cfg.p_unknown) & (tokens > tokenizer.start_id)
            tokens[drop] = tokenizer.unk_id
        want = np.array([[attr_ids[a][c.constraints[a]] if a in c.constraints else -1 for a in ATTRIBUTES]
                         for c in captions])
        have = combo_attr[ids]
        positives = torch.from_numpy(np.all((want[None, :, :] == -1) | (have[:, None, :] == want[None, :, :]), axis=2))

        for group in opt.param_groups:
            group["lr"] = _lr(step, cfg, cfg.steps)
        img = model.encode_image(x, normalize=True)
        txt = model.encode_text(tokens, normalize=True)
        logits = model.logit_scale.exp() * img @ txt.T
        loss = contrastive_loss(logits, positives)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0, math.log(100))
        value = loss.item()
        window.append(value)
        if (step + 1) % cfg.log_every == 0 or step + 1 == cfg.steps:
            curve.append((step + 1, round(float(np.mean(window)), 4)))
            window = []
        emit(TrainEvent("train", step + 1, cfg.steps, value))
    else:
        step = cfg.steps
    if window:
        curve.append((step, round(float(np.mean(window)), 4)))
    timings["train_s"] = round(time.perf_counter() - t_train, 1)

    model.eval()
    out = Path(out_dir).expanduser()
    weights = out / WEIGHTS_NAME
    size = save_weights(model, weights)
    report = TrainReport(
        config=asdict(cfg), steps=step, stopped_early=stopped_early, images_generated=pool.next_index,
        seconds=round(time.perf_counter() - t_start, 1), cpu_seconds=round(time.process_time() - c_start, 1),
        threads=torch.get_num_threads(), parameters=sum(p.numel() for p in model.parameters()),
        loss_curve=curve, weights=str(weights), file_bytes=size, timings=timings,
    )
    if cfg.eval_n:
        emit(TrainEvent("eval", 0, 1))
        engine = ClipEngine.load(BUNDLED, pretrained=str(weights), device="cpu")
        report.eval = evaluate(engine, n=cfg.eval_n)
        emit(TrainEvent("eval", 1, 1))
    (out / REPORT_NAME).write_text(json.dumps(asdict(report), indent=2) + "\n", encoding="utf-8")
    return report


def _augment(x, rng: np.random.Generator):
    """Random multiples of 90° rotation and mirroring, per sample (shapes stay the same shape)."""
    import torch

    k = rng.integers(4, size=len(x))
    flip = rng.random(len(x)) < 0.5
    out = x.clone()
    for r in range(1, 4):
        sel = torch.from_numpy(np.flatnonzero(k == r))
        if len(sel):
            out[sel] = torch.rot90(x[sel], r, dims=(2, 3))
    sel = torch.from_numpy(np.flatnonzero(flip))
    if len(sel):
        out[sel] = out[sel].flip(3)
    return out

"""A tiny real training run: the loss goes down, the weights load back through open_clip."""

from __future__ import annotations

import json

import torch

from tutor.clip import ClipEngine
from tutor.clip.train import TrainConfig, TrainEvent, contrastive_loss, train


def test_contrastive_loss_with_one_positive_is_clip_loss():
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(6, 6, generator=g) * 3
    ours = contrastive_loss(logits, torch.eye(6, dtype=torch.bool))
    expected = (torch.nn.functional.cross_entropy(logits, torch.arange(6))
                + torch.nn.functional.cross_entropy(logits.T, torch.arange(6))) / 2
    assert torch.allclose(ours, expected)


def test_contrastive_loss_spreads_the_target_over_all_positives():
    logits = torch.zeros(2, 2)
    logits[0, 1] = logits[1, 0] = -5.0  # caption 0 fits both images; caption 1 only image 1
    positives = torch.tensor([[True, False], [True, True]])
    assert contrastive_loss(logits, positives) > 0


def test_tiny_training_run_lowers_the_loss(tmp_path):
    events: list[TrainEvent] = []
    cfg = TrainConfig(seed=5, steps=24, batch_size=24, lr=2e-3, warmup_steps=2, pool_size=384, refresh=4,
                      log_every=6, eval_n=0)
    report = train(cfg, tmp_path, events.append)
    losses = [loss for _, loss in report.loss_curve]
    assert len(losses) == 4 and losses[-1] < losses[0] - 0.1, losses
    assert {e.phase for e in events} == {"generate", "train"}
    assert report.steps == 24 and report.images_generated == 384 + 23 * 4
    saved = json.loads((tmp_path / "erica-shapes.train.json").read_text())
    assert saved["loss_curve"][-1][1] == losses[-1]
    engine = ClipEngine.load("erica-shapes", pretrained=str(tmp_path / "erica-shapes.safetensors"), device="cpu")
    assert engine.description.endswith("weights from erica-shapes.safetensors")

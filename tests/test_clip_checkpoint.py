"""Weights through open_clip's own route: ``create_model_and_transforms(name, pretrained=<file>)``.

On a connected machine ``ERICA_CLIP_MODEL=ViT-B-32`` makes open_clip download
``laion2b_s34b_b79k``; here there is no network, so the same route is exercised with a
checkpoint file of a tiny registered config (``tests/data/clip/tiny-test-clip.json``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from knowledge.settings import Settings
from tutor.clip import ClipEngine, ClipError, get_engine
from tutor.clip.engine import BUNDLED_WEIGHTS

TINY = Path(__file__).parent / "data" / "clip" / "tiny-test-clip.json"


@pytest.fixture
def tiny_checkpoint(tmp_path) -> tuple[Path, dict[str, torch.Tensor]]:
    import open_clip

    open_clip.add_model_config(TINY)
    torch.manual_seed(123)
    model = open_clip.create_model("tiny-test-clip", pretrained=None)
    state = {k: v.clone() for k, v in model.state_dict().items()}
    path = tmp_path / "tiny-test-clip.pt"
    torch.save(state, path)
    return path, state


def test_checkpoint_file_loads_through_open_clip(tiny_checkpoint):
    path, state = tiny_checkpoint
    engine = get_engine(Settings(clip_model=str(TINY), clip_pretrained=str(path), clip_device="cpu"))
    loaded = engine.model.state_dict()
    assert set(loaded) == set(state)
    for key, value in state.items():
        assert torch.equal(loaded[key], value), key
    assert engine.info.name == "tiny-test-clip" and not engine.info.bundled
    assert engine.description == "OpenCLIP tiny-test-clip (tiny-test-clip.pt)"
    assert engine.info.recognises is None  # open vocabulary
    # the standard BPE tokenizer comes with it; embeddings work end to end
    texts = engine.encode_texts(["a photo of a cat", "a diagram"])
    assert texts.shape == (2, 32) and np.allclose(np.linalg.norm(texts, axis=1), 1, atol=1e-4)
    assert engine.unknown_words("a photo of a cat") == []  # BPE covers every word


def test_bundled_weights_load_through_the_same_route():
    from safetensors.torch import load_file

    engine = ClipEngine.load("erica-shapes", device="cpu")
    saved = load_file(str(BUNDLED_WEIGHTS))
    assert all(v.dtype in (torch.float16, torch.int64) for v in saved.values())  # fp16 on disk
    loaded = engine.model.state_dict()
    for key, value in saved.items():
        assert torch.equal(loaded[key].to(value.dtype), value), key
    assert BUNDLED_WEIGHTS.stat().st_size <= 25_000_000


def test_unknown_pretrained_tag_is_a_clear_error():
    with pytest.raises(ClipError, match="ERICA_CLIP_PRETRAINED"):
        ClipEngine.load(str(TINY), pretrained="no-such-tag", device="cpu")
    with pytest.raises(ClipError, match="unknown CLIP model 'ViT-Z-99'"):
        ClipEngine.load("ViT-Z-99", device="cpu")
    with pytest.raises(ClipError, match="bundled CLIP weights are missing"):
        ClipEngine.load("erica-shapes", pretrained="/nowhere/weights.safetensors", device="cpu")

"""The bundled CLIP (real committed weights) on committed images it never saw in training."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from knowledge.settings import Settings
from tutor.clip import ClipEngine, ClipError, get_engine
from tutor.clip.world import load_world

pytestmark = pytest.mark.slow
DATA = Path(__file__).parent / "data" / "clip"
MANIFEST = json.loads((DATA / "images.json").read_text())
IMAGES = [str(DATA / "images" / e["file"]) for e in MANIFEST["images"]]
CAPTIONS = [e["caption"] for e in MANIFEST["images"]]
HELDOUT = [e["heldout"] for e in MANIFEST["images"]]


@pytest.fixture(scope="module")
def engine() -> ClipEngine:
    return ClipEngine.load(device="cpu")


def test_engine_says_honestly_which_clip_runs(engine):
    info = engine.info
    assert info.bundled and info.name == "erica-shapes"
    assert engine.description == "Erica's small CLIP trained on generated shapes (6 shapes × 6 colours × 4 patterns)"
    assert info.recognises["shape"][:3] == ["circle", "square", "triangle"]
    assert "polka-dotted" in info.recognises["pattern"]
    assert 1_000_000 < info.parameters < 10_000_000
    json.dumps(asdict(info))


def test_zero_shot_on_committed_images_picks_the_right_combination(engine):
    world = load_world()
    labels = [world.caption(c) for c in world.combos()]  # all 144 combination captions
    results = engine.classify_many(IMAGES, labels)
    right = [r.best == c for r, c in zip(results, CAPTIONS)]
    assert sum(right) >= 20, [(r.best, c) for r, c in zip(results, CAPTIONS) if r.best != c]
    assert sum(r for r, h in zip(right, HELDOUT) if h) >= 4  # held-out combinations: real zero-shot
    top = results[0]
    assert abs(sum(s.probability for s in top.scores) - 1) < 1e-3
    assert top.scores == sorted(top.scores, key=lambda s: -s.probability)
    assert top.image == IMAGES[0]
    json.dumps(asdict(top))


@pytest.mark.parametrize("attribute", ["shape", "colour", "pattern"])
def test_single_attribute_prompts(engine, attribute):
    world = load_world()
    values = world.attribute_values(attribute)
    prompts = [world.attribute_prompt(attribute, v) for v in values]
    results = engine.classify_many(IMAGES, prompts)
    truth = [world.combo_from_text(c) for c in CAPTIONS]
    right = [r.best == world.attribute_prompt(attribute, getattr(t, attribute)) for r, t in zip(results, truth)]
    assert sum(right) >= 22


def test_reading_is_one_plain_sentence(engine):
    r = engine.classify(IMAGES[0], ["a checkered green circle", "a solid blue square"])
    assert r.best == "a checkered green circle"
    assert r.reading.startswith("The model is ") and "'a checkered green circle'" in r.reading
    unknown = engine.classify(IMAGES[0], ["a fluffy cat", "a checkered green circle"])
    assert unknown.unknown_words == ["cat", "fluffy"]
    assert "does not know the word(s) cat, fluffy" in unknown.reading


def test_search_ranks_the_right_image_in_the_top_five(engine):
    gallery = engine.gallery(IMAGES, captions=CAPTIONS)
    found = 0
    for caption in CAPTIONS:
        result = engine.search(caption, gallery, top=5)
        found += any(h.caption == caption for h in result.hits)
    assert found >= 22
    result = engine.search("a striped red heart", gallery, top=3)
    assert [h.rank for h in result.hits] == [1, 2, 3]
    assert result.hits[0].caption == "a striped red heart"
    assert result.hits[0].score >= result.hits[1].score
    json.dumps(asdict(result))


def test_similarity_matrix_has_a_dominant_diagonal(engine):
    m = engine.similarity(IMAGES[:8], CAPTIONS[:8])
    cos = np.array(m.cosine)
    assert cos.shape == (8, 8)
    assert m.diagonal_mean > m.off_diagonal_mean + 0.1
    assert m.rows_matched >= 7
    assert all(abs(sum(row) - 1) < 1e-3 for row in m.probabilities)
    json.dumps(asdict(m))


def test_embeddings_are_unit_norm_and_cached(engine, tmp_path):
    vecs = engine.embed_image_paths(IMAGES[:3])
    assert vecs.shape == (3, engine.info.embed_dim)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1, atol=1e-4)
    again = engine.embed_image_paths(IMAGES[:3])
    assert np.array_equal(vecs, again)
    from PIL import Image

    same = engine.encode_images([Image.open(IMAGES[0]), Path(IMAGES[0]).read_bytes()])
    assert np.allclose(same[0], vecs[0], atol=1e-5) and np.allclose(same[1], vecs[0], atol=1e-5)
    texts = engine.encode_texts(["a red circle", "a blue star"])
    assert np.allclose(np.linalg.norm(texts, axis=1), 1, atol=1e-4)


def test_clear_errors(engine, tmp_path):
    with pytest.raises(ClipError, match="no image file at"):
        engine.classify(tmp_path / "missing.png", ["a red circle"])
    bad = tmp_path / "notes.png"
    bad.write_text("not a picture")
    with pytest.raises(ClipError, match="is not an image"):
        engine.classify(bad, ["a red circle"])
    with pytest.raises(ClipError, match="no labels given"):
        engine.classify(IMAGES[0], [" ", ""])
    with pytest.raises(ClipError, match="query is empty"):
        engine.search("  ", engine.gallery(IMAGES[:2]))
    with pytest.raises(ClipError, match="no folder at"):
        engine.gallery(tmp_path / "nowhere")


def test_get_engine_is_cached_per_settings():
    s = Settings(clip_model="erica-shapes", clip_device="cpu")
    assert get_engine(s) is get_engine(Settings(clip_model="erica-shapes", clip_device="cpu"))

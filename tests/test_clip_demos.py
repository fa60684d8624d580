"""Demos as data: the registry file, selection by concepts/tags, and running each kind."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from tutor.clip import ClipEngine, ClipError, get_demo, load_demos, run_demo, select_demos

DATA = Path(__file__).parent / "data" / "clip"


@pytest.fixture(scope="module")
def engine() -> ClipEngine:
    return ClipEngine.load(device="cpu")


def test_registry_parses_into_specs():
    specs = load_demos()
    assert {s.kind for s in specs} == {"classification", "search", "similarity"}
    zs = get_demo("clip-zero-shot")
    assert zs.runner == "classify" and "zero-shot-classification" in zs.concepts
    assert "multimodal" in zs.tags and zs.params["labels"]


def test_select_demos_by_concepts_then_tags():
    assert [s.id for s in select_demos(["contrastive-learning"], [])] == ["clip-similarity-matrix"]
    assert [s.id for s in select_demos(["image-search"], [])] == ["clip-image-search"]
    both = [s.id for s in select_demos(["image-search"], ["multimodal"])]
    assert both[0] == "clip-image-search" and set(both) == {s.id for s in load_demos()}
    assert select_demos(["gradient-descent"], ["optimisation"]) == []
    assert [s.id for s in select_demos(["CLIP"], [])][:1] == ["clip-zero-shot"]  # case-insensitive


def test_bad_registry_is_a_clear_error(tmp_path):
    bad = tmp_path / "demos.yaml"
    bad.write_text("demos:\n  - {id: x, title: X, kind: movie, runner: classify}\n")
    with pytest.raises(ValueError, match="kind must be one of"):
        load_demos(bad)
    bad.write_text("demos:\n  - {id: y, title: Y, kind: search, runner: teleport}\n")
    with pytest.raises(ValueError, match="runner must be one of"):
        load_demos(bad)
    with pytest.raises(ClipError, match="no demo 'nope'"):
        get_demo("nope")


@pytest.mark.slow
def test_zero_shot_demo(engine, tmp_path):
    result = run_demo(get_demo("clip-zero-shot"), engine, image_dir=tmp_path)
    assert result.kind == "classification" and len(result.classifications) == 3
    assert [c.best for c in result.classifications] == result.params["generate"]
    assert all(Path(c.image).parent == tmp_path for c in result.classifications)
    assert result.model == engine.description
    assert result.reading.startswith("The model is")
    json.dumps(asdict(result))
    own = run_demo(get_demo("clip-zero-shot"), engine, image_dir=tmp_path,
                   images=[str(DATA / "images" / "test4242-00010-solid-blue-star.png")],
                   labels="a solid blue star, a solid blue circle")
    assert own.classifications[0].best == "a solid blue star"


@pytest.mark.slow
def test_search_demo_over_generated_gallery_and_a_folder(engine, tmp_path):
    result = run_demo(get_demo("clip-image-search"), engine, image_dir=tmp_path, gallery_size=60,
                      query="a striped blue star", top=3)
    assert result.search.gallery_size == 60 and len(result.search.hits) == 3
    assert all(h.caption and Path(h.image).is_file() for h in result.search.hits)
    json.dumps(asdict(result))
    folder = run_demo(get_demo("clip-image-search"), engine, image_dir=tmp_path,
                      gallery=str(DATA / "images"), query="a polka-dotted red heart")
    assert folder.search.gallery_size == 24
    assert "polka-dotted-red-heart" in folder.search.hits[0].image


@pytest.mark.slow
def test_similarity_demo(engine, tmp_path):
    result = run_demo(get_demo("clip-similarity-matrix"), engine, image_dir=tmp_path)
    m = result.similarity
    assert len(m.images) == len(m.captions) == 6
    assert m.diagonal_mean > m.off_diagonal_mean
    assert m.rows_matched >= 5
    json.dumps(asdict(result))


def test_overrides_are_checked(engine, tmp_path):
    with pytest.raises(ClipError, match="does not take colour"):
        run_demo(get_demo("clip-zero-shot"), engine, image_dir=tmp_path, colour="red")
    with pytest.raises(ClipError, match="does not name a shape"):
        run_demo(get_demo("clip-zero-shot"), engine, image_dir=tmp_path, generate=["a red thing"])

"""Lesson figures found while ingesting are embedded with CLIP, searchable, tied to their lesson.

The lesson here shows three committed pictures of shapes (tests/data/clip, never used in
training), so the bundled shapes CLIP can find them by a phrase and the asserted ranking is real.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from knowledge.ingest.pipeline import forget, ingest_paths
from tutor.clip import ClipEngine, get_demo, run_demo
from tutor.clip.figures import FigureIndex, lesson_figures

DATA = Path(__file__).parent / "data" / "clip" / "images"
PICTURES = {
    "red-heart.png": ("test4242-00015-striped-red-heart.png", "a striped red heart"),
    "blue-star.png": ("test4242-00010-solid-blue-star.png", "a solid blue star"),
    "green-circle.png": ("test4242-00000-checkered-green-circle.png", "a checkered green circle"),
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def engine() -> ClipEngine:
    return ClipEngine.load(device="cpu")


@pytest.fixture
def shapes_lesson(tmp_path, kb):
    folder = tmp_path / "course"
    (folder / "images").mkdir(parents=True)
    body = ["# Shapes and patterns", "", "A **pattern** is a repeated decoration of a shape.", ""]
    for name, (src, caption) in PICTURES.items():
        shutil.copy(DATA / src, folder / "images" / name)
        body += [f"## {caption.split()[-1].title()}", "", f"![{caption}](images/{name})", ""]
    (folder / "shapes.md").write_text("\n".join(body), encoding="utf-8")
    report = ingest_paths(kb, [folder], course="Shapes")
    assert [(f.status, f.figures) for f in report.files] == [("ingested", 3)]
    return report.files[0].lesson_id


def test_ingest_saves_figures_with_their_lesson_and_section(kb, shapes_lesson):
    figs = lesson_figures(kb.settings.data_dir)
    assert len(figs) == 3
    assert {f.lesson for f in figs} == {shapes_lesson}
    assert {f.caption for f in figs} == {c for _, c in PICTURES.values()}
    assert {f.section for f in figs} == {"heart", "star", "circle"}
    manifest = json.loads(next((kb.settings.data_dir / "figures").glob("*/index.json")).read_text())
    assert manifest["lesson"] == shapes_lesson and len(manifest["figures"]) == 3


def test_lesson_figures_are_searchable_by_a_phrase(engine, kb, shapes_lesson, monkeypatch):
    index = FigureIndex(engine, kb.settings.data_dir)
    for query, caption in [("a striped red heart", "a striped red heart"), ("a blue star", "a solid blue star"),
                           ("a green circle", "a checkered green circle")]:
        hit = engine.search(query, index.gallery(), top=3).hits[0]
        assert hit.caption == caption, query
        assert hit.lesson == shapes_lesson and hit.section == caption.split()[-1]
    assert index.cache_file.is_file()

    # a second index (another process) reads the embeddings from disk instead of encoding again
    def no_encoding(*a, **k):
        raise AssertionError("figures were encoded again")

    monkeypatch.setattr(engine, "encode_images", no_encoding)
    again = FigureIndex(engine, kb.settings.data_dir).gallery()
    assert len(again) == 3


def test_forgetting_the_lesson_removes_its_figures_from_search(engine, kb, shapes_lesson):
    index = FigureIndex(engine, kb.settings.data_dir)
    assert len(index.gallery()) == 3
    forget(kb, shapes_lesson)
    assert lesson_figures(kb.settings.data_dir) == []
    assert len(index.gallery()) == 0


def test_search_demo_over_figures_and_uploaded_pictures(engine, kb, shapes_lesson):
    data_dir = kb.settings.data_dir
    mine = data_dir / "uploads" / "images"
    mine.mkdir(parents=True)
    shutil.copy(DATA / "test4242-00020-striped-red-star.png", mine / "my-star.png")
    result = run_demo(get_demo("clip-image-search"), engine, data_dir=data_dir, gallery="figures",
                      query="a striped red star", top=4).search
    assert result.gallery_size == 4
    assert Path(result.hits[0].image).name == "my-star.png" and result.hits[0].lesson is None
    assert {h.lesson for h in result.hits} == {None, shapes_lesson}
    # the generated gallery gets the figures added on request (pretrained weights: by default)
    merged = run_demo(get_demo("clip-image-search"), engine, data_dir=data_dir, gallery_size=20, figures=True,
                      query="a striped red heart").search
    assert merged.gallery_size == 24
    default = run_demo(get_demo("clip-image-search"), engine, data_dir=data_dir, gallery_size=20,
                       query="a striped red heart").search
    assert default.gallery_size == 20  # the bundled shapes model searches generated pictures only


def test_search_over_no_figures_is_a_clear_error(engine, kb):
    from tutor.clip import ClipError

    with pytest.raises(ClipError, match="no lesson figures"):
        run_demo(get_demo("clip-image-search"), engine, data_dir=kb.settings.data_dir, gallery="figures",
                 query="a circle")


def test_a_broken_picture_is_left_out_and_the_rest_stay_searchable(engine, kb, shapes_lesson):
    folder = next((kb.settings.data_dir / "figures").glob("*/index.json")).parent
    (folder / "999.png").write_bytes(b"not a png at all")
    gallery = FigureIndex(engine, kb.settings.data_dir).gallery()
    assert len(gallery) == 3 and not any(p.endswith("999.png") for p in gallery.images)

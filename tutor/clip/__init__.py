"""Erica's CLIP engine (open_clip): encode images and texts, zero-shot classify, search, and
show the similarity matrix; plus Erica's own small CLIP trained on generated shapes.

    from tutor.clip import get_engine, select_demos, run_demo
    engine = get_engine()                       # from knowledge.settings.Settings (ERICA_CLIP_*)
    engine.classify("shape.png", ["a striped red circle", "a solid blue square"])
    engine.description                          # which CLIP is running, honestly

Results are dataclasses (:mod:`tutor.clip.results`), JSON-serialisable with
``dataclasses.asdict``; images in them are PNG file paths.
"""

from .demos import DemoResult, DemoSpec, get_demo, load_demos, run_demo, select_demos
from .engine import BUNDLED, ClipEngine, Gallery, get_engine
from .results import (
    Classification,
    ClipError,
    LabelScore,
    ModelInfo,
    SearchHit,
    SearchResult,
    SimilarityMatrix,
)

__all__ = [
    "BUNDLED",
    "Classification",
    "ClipEngine",
    "ClipError",
    "DemoResult",
    "DemoSpec",
    "Gallery",
    "LabelScore",
    "ModelInfo",
    "SearchHit",
    "SearchResult",
    "SimilarityMatrix",
    "get_demo",
    "get_engine",
    "load_demos",
    "run_demo",
    "select_demos",
]

"""CLIP demos as data: ``demos.yaml`` parsed into :class:`DemoSpec`, selected by the concepts
and tags a lesson is about, and run into a :class:`DemoResult` (a JSON-serialisable dataclass).

    specs = select_demos(["clip"], ["multimodal"])
    result = run_demo(specs[0], get_engine(), labels=["a red circle", "a blue star"])
    json.dumps(dataclasses.asdict(result))

Images are PNG file paths (see :mod:`tutor.clip.results`). Generated pictures are written to
``image_dir`` (default ``{data_dir}/clip/generated``), named by seed, index and caption, so
re-running a demo reuses its files and the engine's embedding cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import numpy as np
import yaml

from .engine import ClipEngine, ClipError, Gallery
from .figures import FigureIndex
from .results import Classification, DemoResult, SearchResult, SimilarityMatrix
from .shapes import draw_each, generate, save_images
from .world import load_world

DEMOS_FILE = Path(__file__).parent / "demos.yaml"
KINDS = ("classification", "search", "similarity")


@dataclass(frozen=True)
class DemoSpec:
    id: str
    title: str
    kind: str
    runner: str
    description: str = ""
    concepts: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict[str, Any], source: str = "") -> "DemoSpec":
        where = f"{source}: demo {d.get('id', '?')!r}"
        for key in ("id", "title", "kind", "runner"):
            if not d.get(key):
                raise ValueError(f"{where} needs a {key!r}")
        if d["kind"] not in KINDS:
            raise ValueError(f"{where}: kind must be one of {', '.join(KINDS)}, not {d['kind']!r}")
        if d["runner"] not in RUNNERS:
            raise ValueError(f"{where}: runner must be one of {', '.join(RUNNERS)}, not {d['runner']!r}")
        triggers = d.get("triggers") or {}
        return cls(
            id=str(d["id"]),
            title=str(d["title"]),
            kind=str(d["kind"]),
            runner=str(d["runner"]),
            description=str(d.get("description", "") or ""),
            concepts=tuple(str(c) for c in triggers.get("concepts", []) or []),
            tags=tuple(str(t) for t in triggers.get("tags", []) or []),
            params=dict(d.get("params") or {}),
        )


def load_demos(path: str | Path | None = None) -> list[DemoSpec]:
    """All demo definitions of a registry file (default: the bundled ``demos.yaml``)."""
    return list(_load(str(path or DEMOS_FILE)))


@lru_cache(maxsize=8)
def _load(path: str) -> tuple[DemoSpec, ...]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    specs = tuple(DemoSpec.from_dict(d, path) for d in data.get("demos", []) or [])
    ids = [s.id for s in specs]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path}: demo ids must be unique, got {ids}")
    return specs


def select_demos(concept_ids: list[str], tags: list[str], path: str | Path | None = None) -> list[DemoSpec]:
    """Demos triggered by any of ``concept_ids`` or ``tags``: concept matches first (more
    specific), then tag-only matches, each in file order."""
    concepts, tagset = {c.lower() for c in concept_ids}, {t.lower() for t in tags}
    specs = load_demos(path)
    by_concept = [s for s in specs if concepts & {c.lower() for c in s.concepts}]
    by_tag = [s for s in specs if s not in by_concept and tagset & {t.lower() for t in s.tags}]
    return by_concept + by_tag


def get_demo(demo_id: str, path: str | Path | None = None) -> DemoSpec:
    for spec in load_demos(path):
        if spec.id == demo_id:
            return spec
    known = ", ".join(s.id for s in load_demos(path))
    raise ClipError(f"no demo {demo_id!r}: known demos are {known}")


def run_demo(spec: DemoSpec, engine: ClipEngine, **overrides: Any) -> DemoResult:
    """Run ``spec`` with its params, any of them replaced by ``overrides``; ``image_dir`` says
    where generated PNGs go."""
    image_dir = overrides.pop("image_dir", None)
    data_dir = overrides.pop("data_dir", None)
    unknown = set(overrides) - set(RUNNER_PARAMS[spec.runner])
    if unknown:
        raise ClipError(
            f"demo {spec.id!r} does not take {', '.join(sorted(unknown))}; "
            f"it takes {', '.join(RUNNER_PARAMS[spec.runner])} (and image_dir, data_dir)"
        )
    params = {**spec.params, **{k: v for k, v in overrides.items() if v is not None}}
    data = Path(data_dir) if data_dir else _default_data_dir()
    folder = Path(image_dir) if image_dir else data / "clip" / "generated"
    result = RUNNERS[spec.runner](engine, params, folder, data)
    reading = _reading(result)
    out = DemoResult(spec.id, spec.title, spec.kind, engine.description, reading, _jsonable(params))
    if isinstance(result, SearchResult):
        out.search = result
    elif isinstance(result, SimilarityMatrix):
        out.similarity = result
    else:
        out.classifications = list(result)
    return out


# -- runners -----------------------------------------------------------------------------------
def _images_from(params: dict[str, Any], folder: Path, prefix: str) -> list[str]:
    """The student's ``images`` (paths) when given, else pictures drawn for ``generate``."""
    if params.get("images"):
        return [str(p) for p in _as_list(params["images"])]
    captions = _as_list(params.get("generate"))
    if not captions:
        raise ClipError("give images (file paths) or captions to generate pictures from")
    world = load_world()
    try:
        combos = [world.combo_from_text(c) for c in captions]
    except ValueError as e:
        raise ClipError(str(e)) from e
    seed = int(params.get("seed", 0))
    return [str(p) for p in save_images(draw_each(combos, seed, world), folder, f"{prefix}{seed}")]


def _run_classify(engine: ClipEngine, params: dict[str, Any], folder: Path, data_dir: Path) -> list[Classification]:
    images = _images_from(params, folder, "demo")
    return engine.classify_many(images, _as_list(params.get("labels")))


def _run_search(engine: ClipEngine, params: dict[str, Any], folder: Path, data_dir: Path) -> SearchResult:
    """``gallery``: a folder or image list, ``"figures"`` (lesson figures and the student's
    pictures only), or none (generated pictures, plus the figures when ``figures`` says so:
    ``auto`` adds them for pretrained weights, which know real pictures; the bundled shapes
    model knows only generated shapes)."""
    gallery_src = params.get("gallery")
    if gallery_src == "figures":
        gallery = FigureIndex(engine, data_dir).gallery()
        if not len(gallery):
            raise ClipError("no lesson figures or uploaded pictures yet: ingest a lesson with images "
                            "(notebook outputs, images next to Markdown/HTML) or attach a picture")
    elif gallery_src:
        gallery = engine.gallery(gallery_src if isinstance(gallery_src, (str, Path)) else _as_list(gallery_src))
    else:
        seed, size = int(params.get("seed", 7)), int(params.get("gallery_size", 200))
        images = _generated(size, seed)
        paths = save_images(images, folder, f"gallery{seed}")
        gallery = engine.gallery([str(p) for p in paths], captions=[g.caption for g in images])
        if _with_figures(params.get("figures", "auto"), engine):
            gallery = _merge(gallery, FigureIndex(engine, data_dir).gallery())
    return engine.search(str(params.get("query", "")), gallery, top=int(params.get("top", 5)))


@lru_cache(maxsize=4)
def _generated(size: int, seed: int) -> tuple:
    """The search demo's generated gallery (drawing 200 pictures takes ~90 ms; every answer about
    CLIP shows it)."""
    return tuple(generate(size, seed))


def _with_figures(value: Any, engine: ClipEngine) -> bool:
    if str(value).lower() == "auto":
        return not engine.info.bundled
    return str(value).lower() in {"true", "yes", "1", "always"}


def _merge(a: Gallery, b: Gallery) -> Gallery:
    if not len(b):
        return a
    return Gallery(a.images + b.images, np.vstack([a.embeddings, b.embeddings]), a.captions + b.captions,
                   lessons=(a.lessons or [None] * len(a)) + (b.lessons or [None] * len(b)),
                   sections=(a.sections or [""] * len(a)) + (b.sections or [""] * len(b)))


def _run_similarity(engine: ClipEngine, params: dict[str, Any], folder: Path, data_dir: Path) -> SimilarityMatrix:
    captions = _as_list(params.get("captions")) or _as_list(params.get("generate"))
    images = _images_from(params, folder, "pairs")
    return engine.similarity(images, captions)


RUNNERS: dict[str, Callable[[ClipEngine, dict[str, Any], Path, Path], Any]] = {
    "classify": _run_classify,
    "search": _run_search,
    "similarity": _run_similarity,
}
RUNNER_PARAMS: dict[str, tuple[str, ...]] = {
    "classify": ("images", "generate", "labels", "seed"),
    "search": ("query", "gallery", "gallery_size", "seed", "top", "figures"),
    "similarity": ("images", "generate", "captions", "seed"),
}


def _reading(result: Any) -> str:
    if isinstance(result, (SearchResult, SimilarityMatrix)):
        return result.reading
    return " ".join(c.reading for c in result[:1]) + (
        f" (and {len(result) - 1} more image{'s' if len(result) > 2 else ''})" if len(result) > 1 else ""
    )


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Path) else v) for k, v in params.items()}


def _default_data_dir() -> Path:
    from knowledge.settings import Settings

    return Path(Settings().data_dir)

"""Lesson figures and the student's own pictures as a searchable CLIP gallery, each image tied
to where it came from.

Ingestion (``knowledge.ingest.pipeline``) saves the figures of a lesson (notebook PNG outputs,
image files a Markdown/HTML lesson shows) under ``{data_dir}/figures/<key>/`` with an
``index.json`` naming the lesson and, per file, its caption and section. Images attached to
questions in the UI are kept under ``{data_dir}/uploads/images/``.

:class:`FigureIndex` embeds them with the running CLIP engine and keeps the embeddings on disk
(``{data_dir}/clip/index/<model>.npz``, keyed by file, size and modification time), so only new
or changed pictures are encoded; a forgotten lesson's figures drop out on the next search.

    index = FigureIndex(get_engine(), data_dir)
    engine.search("a diagram of a neural network", index.gallery())   # hits carry .lesson
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .engine import ClipEngine, Gallery
from .images import IMAGE_SUFFIXES

INDEX_FILE = "index.json"


@dataclass(frozen=True)
class LessonFigure:
    path: Path
    lesson: str | None  # lesson record id; None for the student's own pictures
    caption: str = ""
    section: str = ""  # heading anchor of the section that shows it


def lesson_figures(data_dir: Path) -> list[LessonFigure]:
    """Every saved lesson figure, in lesson then file order."""
    out: list[LessonFigure] = []
    root = Path(data_dir) / "figures"
    if not root.is_dir():
        return out
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        meta = _read_index(folder)
        lesson = meta.get("lesson")
        files = {f.get("file"): f for f in meta.get("figures", []) if isinstance(f, dict)}
        for p in sorted(folder.iterdir()):
            if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file():
                info = files.get(p.name, {})
                out.append(LessonFigure(p, lesson, str(info.get("caption") or ""), str(info.get("section") or "")))
    return out


def user_images(data_dir: Path) -> list[LessonFigure]:
    folder = Path(data_dir) / "uploads" / "images"
    if not folder.is_dir():
        return []
    return [LessonFigure(p, None) for p in sorted(folder.iterdir())
            if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()]


def _read_index(folder: Path) -> dict:
    try:
        data = json.loads((folder / INDEX_FILE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        legacy = folder / "lesson.txt"  # folders written before index.json existed
        if legacy.is_file():
            return {"lesson": legacy.read_text(encoding="utf-8").strip() or None}
        return {}


class FigureIndex:
    """Lesson figures (and optionally the student's pictures) embedded by one engine."""

    def __init__(self, engine: ClipEngine, data_dir: Path) -> None:
        self.engine = engine
        self.data_dir = Path(data_dir)
        key = hashlib.sha1(f"{engine.info.name}|{engine.info.pretrained}".encode()).hexdigest()[:12]
        self.cache_file = self.data_dir / "clip" / "index" / f"{key}.npz"

    def figures(self, include_user_images: bool = True) -> list[LessonFigure]:
        figs = lesson_figures(self.data_dir)
        return figs + user_images(self.data_dir) if include_user_images else figs

    def gallery(self, include_user_images: bool = True) -> Gallery:
        """The figures as a :class:`Gallery` (captions name the lesson), embedding only what the
        on-disk cache does not hold yet. Unreadable pictures are left out, not fatal."""
        figs = self.figures(include_user_images)
        cache = self._load_cache()
        keys = [_key(f.path) for f in figs]
        todo = [(f, k) for f, k in zip(figs, keys) if k not in cache]
        try:  # in batches; only when a picture is broken, one by one to skip just that one
            cache.update(zip((k for _, k in todo), self.engine.encode_images([f.path for f, _ in todo])))
        except Exception:  # noqa: BLE001
            for f, k in todo:
                try:
                    cache[k] = self.engine.encode_images([f.path])[0]
                except Exception:  # noqa: BLE001 - a broken picture is skipped, the rest stay searchable
                    continue
        kept = [(f, k) for f, k in zip(figs, keys) if k in cache]
        self._save_cache({k: cache[k] for _, k in kept}, changed=bool(todo) or len(cache) != len(kept))
        dim = self.engine.info.embed_dim
        emb = np.stack([cache[k] for _, k in kept]) if kept else np.zeros((0, dim), dtype=np.float32)
        return Gallery([str(f.path) for f, _ in kept], emb, [f.caption or None for f, _ in kept],
                       lessons=[f.lesson for f, _ in kept], sections=[f.section for f, _ in kept])

    def _load_cache(self) -> dict[str, np.ndarray]:
        try:
            with np.load(self.cache_file, allow_pickle=False) as z:
                return dict(zip(z["keys"].tolist(), z["vectors"]))
        except (OSError, ValueError, KeyError):
            return {}

    def _save_cache(self, cache: dict[str, np.ndarray], changed: bool) -> None:
        if not changed:
            return
        self.cache_file.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(cache), dtype=str)
        vecs = np.stack(list(cache.values())) if cache else np.zeros((0, self.engine.info.embed_dim), np.float32)
        fd, tmp = tempfile.mkstemp(dir=self.cache_file.parent, suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, keys=keys, vectors=vecs.astype(np.float32))
            os.replace(tmp, self.cache_file)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)


def _key(path: Path) -> str:
    st = path.stat()
    return f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"

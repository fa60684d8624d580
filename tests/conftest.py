"""Shared fixtures. Every test gets its own data dir; models are real and loaded once."""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class MemoEmbedder:
    """The real packaged all-MiniLM-L6-v2, with a per-session memo of text → vector so that
    loading the starter course into many fresh test KBs embeds each text once."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.memo: dict[str, np.ndarray] = {}

    def embed(self, texts, batch_size: int = 64):
        todo = [t for t in dict.fromkeys(texts) if t not in self.memo]
        if todo:
            for t, v in zip(todo, self.inner.embed(todo, batch_size)):
                self.memo[t] = v
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.memo[t] for t in texts])

    def embed_batch(self, texts):
        return self.embed(texts)

    def embed_one(self, text):
        return self.embed([text])[0]


@pytest.fixture(scope="session")
def embedder():
    from knowledge.embed import get_embedder

    return MemoEmbedder(get_embedder())


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """Each test its own data dir (and no Chroma server unless the test starts one)."""
    d = tmp_path / "erica-data"
    monkeypatch.setenv("ERICA_DATA_DIR", str(d))
    monkeypatch.delenv("ERICA_CHROMA_HOST", raising=False)
    return d


@pytest.fixture
def settings(data_dir):
    from knowledge.settings import Settings

    return Settings(data_dir=data_dir)


@pytest.fixture
def kb(settings, embedder):
    from knowledge.kb import KnowledgeBase

    kb = KnowledgeBase(settings, embedder)
    yield kb
    kb.close()


@pytest.fixture
def starter_kb(kb):
    from knowledge.starter import load_starter

    load_starter(kb)
    return kb

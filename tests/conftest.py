"""Shared fixtures. Every test gets its own data dir; models are real and loaded once."""

from __future__ import annotations

import logging
import os
import signal

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# llama.cpp's threads busy-wait: with a browser, a server and the test process sharing two
# cores, one thread is faster and steadier than two (see docs/benchmarks.md)
os.environ.setdefault("ERICA_LLM_THREADS", "1")


@pytest.fixture(scope="session")
def embedder():
    """The real packaged all-MiniLM-L6-v2, loaded once (it remembers texts it embedded, so
    loading the starter course into many fresh test KBs embeds each text once)."""
    from knowledge.embed import get_embedder

    return get_embedder()


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


class KillOnFirstText(logging.Handler):
    """Kills the model's process with SIGKILL when it has sent its first text (mid-answer)."""

    def __init__(self, times: int = 1) -> None:
        super().__init__(logging.DEBUG)
        self.times = times
        self.killed: list[int] = []

    def emit(self, record: logging.LogRecord) -> None:
        pid = getattr(record, "model_pid", None)
        if pid and len(self.killed) < self.times:
            os.kill(pid, signal.SIGKILL)
            self.killed.append(pid)


@pytest.fixture
def killer():
    """Kills the embedded model's child process (SIGKILL) right after its first text, once."""
    logger = logging.getLogger("tutor.llm.embedded")
    handler, level = KillOnFirstText(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.fixture
def regression_concepts():
    """Three concepts a logistic-regression question names or is near, with the given text as
    Logistic regression's (poor) definition: ``regression_concepts(text)``."""
    from knowledge.models import Concept

    def make(logistic: str) -> list:
        return [Concept(title="Logistic regression", definition=logistic),
                Concept(title="Regression", definition="Regression predicts a continuous value, such as a price, from inputs."),
                Concept(title="Binary classification", definition="Binary classification assigns each example one of two "
                        "labels with a decision threshold on a predicted probability.")]
    return make


"""The heavy shared objects of the UI, created once per process with ``st.cache_resource``.

Each cached function is keyed by what makes the object differ (the data dir, the backend and
model), so a second knowledge base — a test's own data dir, say — gets its own objects. The
objects themselves come from the library; nothing here knows how they work.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import streamlit as st

from knowledge.kb import KnowledgeBase, StoreError, open_kb
from knowledge.settings import Settings
from knowledge.starter import ensure_starter
from tutor.answer import Tutor
from tutor.llm import BACKENDS, LLM, LLMError, get_llm
from tutor.service import make_tutor

log = logging.getLogger(__name__)

__all__ = ["BACKENDS", "settings", "kb", "llm", "llm_label", "tutor", "warm_up", "clip_description", "kb_key"]


def settings() -> Settings:
    """Read on every run (cheap): tests and `erica ui` set ``ERICA_*`` per process."""
    return Settings()


def kb_key(s: Settings) -> str:
    return f"{s.chroma_host or ''}:{s.chroma_port}:{s.collection_prefix}:{s.data_dir}"


@st.cache_resource(show_spinner="Opening the course knowledge graph (the first start loads the starter course)…")
def _kb(key: str, _s: Settings) -> KnowledgeBase:
    kb = open_kb(_s)
    if ensure_starter(kb):
        log.info("loaded the built-in starter course into %s", kb.location)
    kb.view()  # build the graph and catalogue now, not on the first question
    return kb


def kb() -> KnowledgeBase:
    """The knowledge base for these settings; a page that cannot open it shows why and stops."""
    s = settings()
    try:
        return _kb(kb_key(s), s)
    except StoreError as exc:  # locked by another process, server unreachable: the message says what to do
        st.error(str(exc), icon=":material/lock:")
        st.stop()
        raise  # unreachable; keeps type checkers happy


@st.cache_resource(show_spinner=False)
def _llm(backend: str, model: str, key: str, _s: Settings) -> LLM:
    return get_llm(backend, model or None, _s)


def llm(backend: str, model: str = "") -> LLM:
    """The LLM for this backend/model (``auto`` probes Ollama once, then sticks)."""
    s = settings()
    return _llm(backend, model.strip(), kb_key(s), s)


@st.cache_resource(show_spinner=False)
def _tutor(key: str, backend: str, model: str, _kb: KnowledgeBase, _s: Settings) -> Tutor:
    return make_tutor(_kb, lambda: _llm(backend, model, key, _s), _s)


def tutor(backend: str, model: str = "") -> Tutor:
    s = settings()
    return _tutor(kb_key(s), backend, model.strip(), kb(), s)


def llm_label(backend: str, model: str = "") -> str:
    """Which model answers, for people; the error itself when it cannot be built."""
    try:
        return llm(backend, model).name
    except LLMError as exc:
        return f"unavailable ({exc})"


@dataclass
class Warmup:
    """Models loaded in the background after the first page is drawn, so the first question
    does not wait for them. ``ready`` maps a part to its description (or why it failed)."""

    ready: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    thread: threading.Thread | None = None

    def run(self, kb: KnowledgeBase, backend: str, model: str, s: Settings) -> None:
        parts: list[tuple[str, Callable[[], str]]] = [
            ("embedder", lambda: (kb.embed_query("warm up"), s.embed_model)[1]),
            ("llm", lambda: _warm_llm(backend, model, s)),
            ("clip", lambda: _warm_clip(s)),
        ]
        for name, load in parts:
            t0 = time.perf_counter()
            try:
                self.ready[name] = load()
            except Exception as exc:  # reported in the sidebar; the page itself says more when used
                self.ready[name] = f"unavailable ({exc})"
            self.seconds[name] = time.perf_counter() - t0


def _warm_llm(backend: str, model: str, s: Settings) -> str:
    llm = get_llm(backend, model or None, s)  # the embedded model's process is shared per process
    llm.warm_up()  # starts the embedded model's process; an estimate for remote ones
    return llm.name


def _warm_clip(s: Settings) -> str:
    try:
        from tutor.clip.engine import get_engine
    except ImportError:
        return f"{s.clip_model} (CLIP demos not installed)"
    return get_engine(s).description


@st.cache_resource(show_spinner=False)
def _warmup(key: str, _backend: str, _model: str, _kb: KnowledgeBase, _s: Settings) -> Warmup:
    w = Warmup()
    w.thread = threading.Thread(target=w.run, args=(_kb, _backend, _model, _s), name="erica-warmup", daemon=True)
    w.thread.start()
    return w


def warm_up(backend: str | None = None, model: str = "") -> Warmup:
    """Start loading the embedder, the LLM and CLIP in the background (once per knowledge base)."""
    s = settings()
    return _warmup(kb_key(s), backend or s.llm_backend, model.strip(), kb(), s)


def clip_description() -> str:
    """Which CLIP runs the demos: its own description once loaded."""
    s = settings()
    got = warm_up().ready.get("clip")
    return got or f"{s.clip_model} (loading in the background…)"


@st.cache_resource(show_spinner="Preparing questions from the course…", max_entries=4)
def _question_bank(key: str, generation: str, _kb: KnowledgeBase):
    from tutor.quiz import QuestionBank

    return QuestionBank(_kb)


def question_bank():
    """The questions the knowledge base can ask; rebuilt when the knowledge base changes."""
    s = settings()
    k = kb()
    return _question_bank(kb_key(s), k.view().generation, k)

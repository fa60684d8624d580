"""Wiring for the shells (CLI, UI): one place that builds a :class:`Tutor` from settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from knowledge.kb import KnowledgeBase
from knowledge.settings import Settings
from tutor.answer import Answer, Tutor
from tutor.llm.base import LLM


def clip_demo_runner(settings: Settings) -> Callable[[Answer, dict[str, Any]], list[Any]] | None:
    """Runs the CLIP demos that the answer's concepts trigger (None when CLIP is unavailable)."""
    try:
        from tutor.clip.demos import demos_for_answer
    except ImportError:
        return None
    return lambda answer, options: demos_for_answer(answer, options, settings)


def make_tutor(kb: KnowledgeBase, llm: LLM | Callable[[], LLM], settings: Settings | None = None,
               demos: bool = True) -> Tutor:
    settings = settings or kb.settings
    return Tutor(kb, llm, clip_demo_runner(settings) if demos else None)

"""Wiring for the shells (CLI, UI): one place that builds a :class:`Tutor` from settings, and the
bridge from an answer to the live CLIP demos it triggers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from knowledge.kb import KnowledgeBase
from knowledge.settings import Settings
from tutor.answer import Answer, Tutor
from tutor.prompts import quoted_labels, requested_search
from tutor.llm.base import LLM

MAX_DEMOS = 3


def demos_for_answer(answer: Answer, options: dict[str, Any], settings: Settings) -> list[Any]:
    """Run the demos this answer calls for: the student's explicit request (their image and
    labels, or an image-search phrase) first; otherwise the demos that the asked concept
    triggers (registry: tutor/clip/demos.yaml)."""
    from tutor.clip import get_demo, get_engine, run_demo, select_demos

    engine = get_engine(settings)
    where = {"data_dir": settings.data_dir}
    labels = list(options.get("labels") or []) or quoted_labels(answer.question)
    results = []
    if options.get("image") is not None:
        image = options["image"]  # a path, PNG/JPEG bytes or a PIL image; load_image checks it
        spec = get_demo("clip-zero-shot")
        results.append(run_demo(spec, engine, images=[str(image) if isinstance(image, Path) else image],
                                labels=labels or None, **where))
    query = options.get("query") or requested_search(answer.question)
    if query:
        results.append(run_demo(get_demo("clip-image-search"), engine, query=query,
                                gallery=options.get("gallery"), **where))
    if results or not answer.covered or answer.retrieval is None:
        return results
    seeds = answer.retrieval.seeds
    ids = [answer.main.id] + [s.id for s in seeds if s.id != answer.main.id]
    main_step = next((p for p in answer.retrieval.path if p.id == answer.main.id), None)
    tags = list(main_step.tags) if main_step else []
    for spec in select_demos(ids[:1], tags)[:MAX_DEMOS]:
        overrides: dict[str, Any] = dict(where)
        if spec.runner == "classify" and len(labels) >= 2:
            overrides["labels"] = labels
        results.append(run_demo(spec, engine, **overrides))
    return results


def clip_demo_runner(settings: Settings) -> Callable[[Answer, dict[str, Any]], list[Any]] | None:
    """Runs the CLIP demos that an answer triggers (None when the CLIP engine is unavailable)."""
    try:
        import tutor.clip  # noqa: F401
    except ImportError:
        return None
    return lambda answer, options: demos_for_answer(answer, options, settings)


def make_tutor(kb: KnowledgeBase, llm: LLM | Callable[[], LLM], settings: Settings | None = None,
               demos: bool = True) -> Tutor:
    settings = settings or kb.settings
    return Tutor(kb, llm, clip_demo_runner(settings) if demos else None)

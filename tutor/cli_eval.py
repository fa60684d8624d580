"""`erica eval`: retrieval (hit@k, MRR) or, with --answers, whole answers against a rubric.
A shell over :mod:`tutor.evaluate` and :mod:`tutor.evaluate_answers`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table


def _figures(title: str, figures: dict[str, float | int]) -> None:
    from tutor.cli import console

    t = Table(title=title)
    t.add_column("measure")
    t.add_column("value", justify="right")
    for name, val in figures.items():
        t.add_row(name, f"{val:.3f}" if isinstance(val, float) else str(val))
    console.print(t)


def eval_cmd(
    questions: Optional[Path] = typer.Argument(None, help="JSONL: {\"question\", \"lesson\" and/or \"concept\"} per line."),
    k: int = typer.Option(5, "-k", "--k", help="Cut-off for hit@k."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    split: Optional[str] = typer.Option(None, "--split", help="Only lines with this \"split\" (e.g. tune, heldout)."),
    answers: Optional[Path] = typer.Option(None, "--answers", help="Judge whole answers against a rubric (JSONL: "
                                           "question, main, prerequisites, code, uncovered) instead of retrieval."),
    backend: Optional[str] = typer.Option(None, "--backend", help="With --answers: auto | ollama | embedded."),
    model: Optional[str] = typer.Option(None, "--model", help="With --answers: Ollama model name or GGUF path."),
) -> None:
    """How well retrieval finds the expected lesson/concept (hit@k, MRR); with --answers, how good
    whole answers are (main concept, prerequisites, code, uncovered parts, model sentences)."""
    from tutor.cli import _kb, _tutor, console, fail
    from tutor.evaluate import EvalError, evaluate

    if answers is None and questions is None:
        fail("give a question file (retrieval) or --answers FILE (whole answers)")
    try:
        if answers is not None:
            from tutor.evaluate_answers import evaluate_answers

            result = evaluate_answers(_kb(), _tutor(backend, model, demos=False), answers, split=split)
            title, misses = "Answer evaluation", [f"main concept missed: {r['question']!r} → {r['main']}"
                                                   for r in result.rows if not r["main_right"]]
        else:
            result = evaluate(_kb(), questions, k, split=split)
            title, misses = "Retrieval evaluation", [f"miss: {m}" for m in result.misses]
    except EvalError as exc:
        fail(str(exc))
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    _figures(f"{title} on {result.n} questions", result.figures())
    for line in misses[:10]:
        console.print(f"[dim]{escape(line)}[/]", highlight=False)

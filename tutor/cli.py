"""The `erica` command: a shell over the library (parse, call, render). No logic of its own."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from knowledge.settings import Settings

app = typer.Typer(
    help="Erica, an offline AI tutor over a course knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _kb(auto_starter: bool = True):
    from knowledge.kb import StoreError, open_kb
    from knowledge.starter import ensure_starter

    try:
        kb = open_kb(Settings())
    except StoreError as exc:
        fail(str(exc))
    if auto_starter and ensure_starter(kb):
        err.print("[dim]Loaded the built-in starter course (Introduction to AI) into an empty knowledge base.[/]")
    return kb


@app.command()
def stats(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Concepts, edges by kind, lessons and sources in the knowledge base."""
    kb = _kb()
    s = kb.stats()
    if as_json:
        print(json.dumps(s, indent=2))
        return
    t = Table(title="Erica knowledge base", show_header=False)
    t.add_row("store", f"{s['store']} ({s['mode']})")
    t.add_row("concepts", str(s["concepts"]))
    for kind, n in s["edges"].items():
        t.add_row(f"edges: {kind}", str(n))
    t.add_row("lessons", str(s["lessons"]))
    t.add_row("courses", ", ".join(s["courses"]) or "-")
    t.add_row("source files", str(s["sources"]))
    console.print(t)


def _params(top_k, depth, related_depth, max_concepts, min_score):
    from tutor.retrieval import RetrievalError, RetrievalParams

    try:
        return RetrievalParams(top_k=top_k, prereq_depth=depth, related_depth=related_depth,
                               max_concepts=max_concepts, min_score=min_score)
    except RetrievalError as exc:
        fail(str(exc))




@app.command()
def retrieve(
    question: Optional[str] = typer.Argument(None, help="A student question."),
    batch: Optional[Path] = typer.Option(None, "--batch", help="File with one question per line."),
    top_k: int = typer.Option(5, "--top-k", help="Semantic seeds."),
    depth: int = typer.Option(2, "--depth", help="Prerequisite depth."),
    related_depth: int = typer.Option(1, "--related-depth", help="Related-edge depth."),
    max_concepts: int = typer.Option(10, "--max-concepts", help="Cap on concepts in the path."),
    min_score: float = typer.Option(0.3, "--min-score", help="Cosine similarity a seed needs."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON (one object per line with --batch)."),
) -> None:
    """Find the concepts a question is about, their prerequisites and related concepts, in order."""
    from tutor.retrieval import RetrievalError, Retriever

    params = _params(top_k, depth, related_depth, max_concepts, min_score)
    if batch is None and question is None:
        fail("give a QUESTION or --batch FILE")
    if batch is not None:
        if not batch.is_file():
            fail(f"{batch}: no such file (expected one question per line)")
        questions = [q.strip() for q in batch.read_text(encoding="utf-8").splitlines() if q.strip()]
    else:
        questions = [question]
    retriever = Retriever(_kb())
    for q in questions:
        try:
            res = retriever.retrieve(q, params)
        except RetrievalError as exc:
            if batch is not None:
                print(json.dumps({"query": q, "error": str(exc)}))
                continue
            fail(str(exc))
        if as_json:
            d = res.to_dict()
            d.pop("timings_ms", None)
            print(json.dumps(d, ensure_ascii=False))
        else:
            _print_result(res)


def _print_result(res) -> None:
    if res.empty:
        console.print(f"Nothing in the course is close enough to [bold]{res.query}[/] "
                      f"(min score {res.params.min_score}).")
        return
    t = Table(title="Seeds")
    t.add_column("concept")
    t.add_column("score", justify="right")
    t.add_column("similarity", justify="right")
    t.add_column("source")
    for s in res.seeds:
        t.add_row(s.title, f"{s.score:.3f}", f"{s.similarity:.3f}", s.sources[0].label() if s.sources else "")
    console.print(t)
    p = Table(title="Explanation path (prerequisites first)")
    for col in ("#", "concept", "relation", "depth", "source"):
        p.add_column(col)
    for i, step in enumerate(res.path, 1):
        rel = step.relation if not step.via else f"{step.relation} of {step.via}"
        p.add_row(str(i), step.title, rel, str(step.depth), step.sources[0].label() if step.sources else "")
    console.print(p)


@app.command()
def starter() -> None:
    """Load (or refresh) the built-in Introduction-to-AI starter course."""
    from knowledge.starter import load_starter

    kb = _kb(auto_starter=False)
    r = load_starter(kb)
    console.print(f"starter course: {r['units']} units loaded ({r['concepts']} concepts, "
                  f"{r['edges']} edges), {r['skipped']} unchanged")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)


if __name__ == "__main__":
    main()

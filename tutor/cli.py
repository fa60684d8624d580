"""The `erica` command: a shell over the library (parse, call, render). No logic of its own."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from knowledge.settings import Settings
from tutor.clip.cli import app as clip_app
from tutor.cli_eval import eval_cmd
from tutor.cli_practice import _practice, account_app, progress_cmd, quiz
from tutor.cli_print import print_ingest, print_result

app = typer.Typer(
    help="Erica, an offline AI tutor over a course knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(clip_app, name="clip")
app.command("quiz")(quiz)
app.command("progress")(progress_cmd)
app.add_typer(account_app, name="account")
app.command("eval")(eval_cmd)
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
            print_result(res)


def _tutor(backend: str | None, model: str | None, demos: bool = True):
    from tutor.llm import BACKENDS, get_llm
    from tutor.service import make_tutor

    if backend is not None and backend not in BACKENDS:
        fail(f"--backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    settings = Settings()
    return make_tutor(_kb(), lambda: get_llm(backend, model, settings), settings, demos=demos)


def _stream_answer(tutor, question: str, params, conversation=None, as_json: bool = False,
                   demo_options=None, learner=None) -> None:
    from tutor.llm import LLMError
    from tutor.prompts import HEADINGS
    from tutor.render import print_answer, print_markdown
    from tutor.retrieval import RetrievalError

    answer = None
    started = False
    shown_course = False
    try:
        for ev in tutor.stream(question, params, conversation, demo_options, learner=learner):
            if as_json:
                if ev.kind == "done":
                    answer = ev.data
                continue
            if ev.kind == "facts":  # what the course says, before the model writes
                print_markdown(console, ev.data.course_markdown())
                shown_course = True
            elif ev.kind == "token":
                if not started and not ev.data.strip():
                    continue  # nothing shown yet: no "Intuition." heading over an empty intuition
                if not started and shown_course:
                    console.print(f"\n[bold]{HEADINGS['intuition']}.[/] ", end="")
                started = True
                console.print(ev.data, end="", markup=False, highlight=False, soft_wrap=True)
            elif ev.kind == "done":
                answer = ev.data
    except LLMError as exc:
        fail(str(exc))
    except RetrievalError as exc:
        fail(str(exc))
    if as_json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, default=str))
        return
    console.print()
    print_answer(console, answer, course_part=not shown_course)
    if conversation is not None:
        conversation.add(answer)
    if answer.error and conversation is None:
        raise typer.Exit(1)


@app.command()
def ask(
    question: str = typer.Argument(..., help="A student question."),
    backend: Optional[str] = typer.Option(None, "--backend", help="auto | ollama | embedded (default: ERICA_LLM_BACKEND or auto)."),
    model: Optional[str] = typer.Option(None, "--model", help="Ollama model name, or a GGUF path for embedded."),
    top_k: int = typer.Option(5, "--top-k", help="Semantic seeds."),
    depth: int = typer.Option(2, "--depth", help="Prerequisite depth."),
    related_depth: int = typer.Option(1, "--related-depth", help="Related-edge depth."),
    max_concepts: int = typer.Option(10, "--max-concepts", help="Cap on concepts in the path."),
    min_score: float = typer.Option(0.3, "--min-score", help="Cosine similarity a seed needs."),
    image: Optional[Path] = typer.Option(None, "--image", help="An image to run the zero-shot CLIP demo on."),
    labels: Optional[str] = typer.Option(None, "--labels", help="Comma-separated candidate labels for --image."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole answer as JSON."),
    learner: Optional[str] = typer.Option(None, "--learner", help="Adapt to this learner's practice: "
                                          "mastered prerequisites collapse to one line, weak ones come first."),
) -> None:
    """Answer a question like a tutor: prerequisites first, cited sources, what to learn next."""
    params = _params(top_k, depth, related_depth, max_concepts, min_score)
    if image is not None and not image.is_file():
        fail(f"{image}: no such image file")
    options = {"image": str(image) if image else None,
               "labels": [x.strip() for x in (labels or "").split(",") if x.strip()]}
    tutor = _tutor(backend, model)
    tracer = _practice(learner).tracer if learner else None
    _stream_answer(tutor, question, params, as_json=as_json, demo_options=options, learner=tracer)


@app.command()
def chat(
    backend: Optional[str] = typer.Option(None, "--backend", help="auto | ollama | embedded."),
    model: Optional[str] = typer.Option(None, "--model", help="Ollama model name, or a GGUF path."),
) -> None:
    """A multi-turn tutoring session in the terminal (follow-up questions use the history).
    Type /clear to forget the conversation, /quit (or Ctrl-D) to leave."""
    from tutor.answer import Conversation

    tutor = _tutor(backend, model)
    conv = Conversation()
    params = _params(5, 2, 1, 10, 0.3)
    console.print("[bold]Erica[/] — ask a question about the course. /clear resets, /quit leaves.")
    while True:
        try:
            q = console.input("[bold cyan]you>[/] ").strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if not q:
            continue
        if q in ("/quit", "/exit"):
            return
        if q == "/clear":
            conv.clear()
            console.print("[dim]conversation cleared[/]")
            continue
        try:
            _stream_answer(tutor, q, params, conv)
        except typer.Exit:
            continue


@app.command()
def starter() -> None:
    """Load (or refresh) the built-in Introduction-to-AI starter course."""
    from knowledge.starter import load_starter

    kb = _kb(auto_starter=False)
    r = load_starter(kb)
    console.print(f"starter course: {r['units']} units loaded ({r['concepts']} concepts, "
                  f"{r['edges']} edges), {r['skipped']} unchanged")


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Lesson files or folders (searched recursively)."),
    course: Optional[str] = typer.Option(None, "--course", help="Course name (default: the first folder's name)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Parse and report; store nothing."),
    curriculum: Optional[Path] = typer.Option(None, "--curriculum", help="A README with the course's lesson table (lesson order)."),
    llm: Optional[str] = typer.Option(None, "--llm", help="Also extract with this Ollama model (default: ERICA_INGEST_LLM)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Ingest lessons (Markdown incl. Quarto .qmd, R Markdown .Rmd, MDX; HTML, reStructuredText, PDF, notebooks, Word .docx, PowerPoint .pptx, text) into the knowledge graph."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from knowledge.ingest.pipeline import ingest_paths

    kb = _kb(auto_starter=False)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("[dim]{task.fields[what]}"), console=err,
                  transient=True, disable=as_json) as bar:
        task = bar.add_task("ingesting", total=None, what="")

        def progress(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, what=Path(what).name)

        from tutor.llm.completer import ingest_completer

        completer = ingest_completer(kb.settings, llm)
        report = ingest_paths(kb, paths, course=course, dry_run=dry_run, progress=progress,
                              curriculum=curriculum, llm=completer)
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        print_ingest(report)
    if report.count("failed") and not report.count("ingested") and not report.count("unchanged") and not report.count("planned"):
        raise typer.Exit(1)


@app.command()
def lessons(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List ingested lessons (files) and starter units."""
    kb = _kb(auto_starter=False)
    recs = kb.lessons()
    if as_json:
        print(json.dumps([r.__dict__ for r in recs], ensure_ascii=False))
        return
    t = Table(title=f"{len(recs)} lessons")
    for col in ("lesson id", "title", "kind", "concepts", "edges", "ingested"):
        t.add_column(col)
    for r in recs:
        status = "pending (re-run ingest)" if r.sha256.startswith("pending:") else r.ingested_at
        t.add_row(r.id, r.title, r.kind, str(len(r.concepts)), str(len(r.edges)), status)
    console.print(t)


@app.command()
def forget(lesson: str = typer.Argument(..., help="A lesson id from `erica lessons`, or a prefix (lesson folder, course).")) -> None:
    """Delete a lesson and what only it contributed."""
    from knowledge.ingest.pipeline import forget as forget_lessons

    kb = _kb(auto_starter=False)
    try:
        done = forget_lessons(kb, lesson)
    except KeyError as exc:
        fail(str(exc.args[0]))
    for lid, r in done:
        console.print(f"forgot {lid}: {r['concepts_removed']} concepts removed, {r['concepts_kept']} kept "
                      f"(other lessons support them), {r['edges_removed']} edges removed")


@app.command("export")
def export_cmd(file: Path = typer.Argument(..., help="Where to write the export (.json, or .json.gz to compress).")) -> None:
    """Export concepts, edges, sources and lesson hashes to one file (backup / moving machines)."""
    from knowledge.backup import export_kb

    c = export_kb(_kb(auto_starter=False), file)
    console.print(f"exported {c['concepts']} concepts, {c['edges']} edges, {c['lessons']} lessons to {file}")


@app.command("import")
def import_cmd(file: Path = typer.Argument(..., help="A file made by `erica export`.")) -> None:
    """Import an export into this knowledge base (records with the same ids are replaced)."""
    from knowledge.backup import BackupError, import_kb

    kb = _kb(auto_starter=False)
    try:
        c = import_kb(kb, file)
    except BackupError as exc:
        fail(str(exc))
    console.print(f"imported {c['concepts']} concepts, {c['edges']} edges, {c['lessons']} lessons from {file}")


@app.command()
def ui(
    port: int = typer.Option(8501, "--port", help="Port to serve the page on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
) -> None:
    """Start the Streamlit tutor page (headless: open the printed URL in a browser)."""
    import os

    page = Path(__file__).resolve().parents[1] / "ui" / "app.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(page), "--server.port", str(port),
           "--server.address", host, "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
           "--client.toolbarMode", "viewer"]
    console.print(f"Erica is starting on http://{host}:{port} (Ctrl-C to stop)")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    sys.stdout.flush()
    os.execve(sys.executable, cmd, env)  # the server takes this process over: one pid, signals go to it


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)


if __name__ == "__main__":
    main()

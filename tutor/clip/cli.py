"""``erica clip ...``: a thin shell over :mod:`tutor.clip` (parse, call, render).

Errors the user can fix print one message and exit with code 2, never a traceback.
Run standalone with ``python -m tutor.clip.cli``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable, Optional

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from .engine import ClipError

app = typer.Typer(
    help="CLIP: zero-shot classification, text-to-image search, and Erica's small shapes CLIP "
    "(train / eval).",
    no_args_is_help=True,
    add_completion=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code=2)


def _run(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except ClipError as e:
        _fail(str(e))


def _engine():
    from .engine import get_engine

    return get_engine()


def _print_json(obj: Any) -> None:
    out.print(json.dumps(asdict(obj), ensure_ascii=False), markup=False)


@app.command()
def classify(
    images: list[Path] = typer.Argument(..., help="Image file(s) to classify.", show_default=False),
    labels: str = typer.Option(..., "--labels", "-l", help='Candidate labels, comma-separated: "a cat,a dog".'),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Zero-shot classify IMAGE(s) against candidate labels."""
    names = [x.strip() for x in labels.split(",") if x.strip()]
    if not names:
        _fail('no labels given: pass e.g. --labels "a red circle,a blue square"')
    engine = _run(_engine)
    results = _run(lambda: engine.classify_many([str(p) for p in images], names))
    if as_json:
        for r in results:
            _print_json(r)
        return
    for r in results:
        table = Table(title=f"{r.image}", box=box.SIMPLE, title_justify="left")
        table.add_column("label")
        table.add_column("probability", justify="right")
        table.add_column("cosine", justify="right")
        for s in r.scores:
            table.add_row(s.label, f"{s.probability:.1%}", f"{s.similarity:.3f}")
        out.print(table)
        out.print(r.reading)
    out.print(f"[dim]model: {engine.description}[/]")


@app.command()
def search(
    query: str = typer.Argument(..., help='What to look for, e.g. "a striped circle".'),
    gallery: Optional[Path] = typer.Option(None, "--gallery", "-g", help="A folder of images (default: generated shapes)."),
    top: int = typer.Option(5, "--top", "-n", min=1, help="How many results."),
    seed: int = typer.Option(7, "--seed", help="Seed of the generated gallery."),
    size: int = typer.Option(200, "--size", min=1, help="Size of the generated gallery."),
    figures: bool = typer.Option(False, "--figures", help="Search the ingested lesson figures and your "
                                 "uploaded pictures instead (each hit names its lesson)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Rank a gallery of images by similarity to a text QUERY."""
    from knowledge.settings import Settings

    from .demos import get_demo, run_demo

    if figures and gallery is not None:
        _fail("give either --gallery DIR or --figures, not both")
    engine = _run(_engine)
    params: dict[str, Any] = {"query": query, "top": top, "seed": seed, "gallery_size": size,
                              "data_dir": Settings().data_dir}
    if gallery is not None:
        params["gallery"] = str(gallery)
    if figures:
        params["gallery"] = "figures"
    result = _run(lambda: run_demo(get_demo("clip-image-search"), engine, **params).search)
    if as_json:
        _print_json(result)
        return
    table = Table(title=f"'{result.query}' over {result.gallery_size} images", box=box.SIMPLE, title_justify="left")
    lessons = any(h.lesson for h in result.hits)
    cols = [("#", "right"), ("cosine", "right"), ("image", "left"), ("caption", "left")]
    for col, justify in cols + ([("lesson", "left")] if lessons else []):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for h in result.hits:
        row = [str(h.rank), f"{h.score:.3f}", Path(h.image).name, h.caption or ""]
        if lessons:
            row.append(f"{h.lesson}#{h.section}" if h.lesson and h.section else (h.lesson or "your picture"))
        table.add_row(*row)
    out.print(table)
    out.print(result.reading)
    out.print(f"[dim]model: {engine.description}[/]")
    if figures and engine.info.bundled:
        out.print("[dim]Erica's small CLIP knows only generated shapes; for real lesson figures set "
                  "ERICA_CLIP_MODEL / ERICA_CLIP_PRETRAINED to pretrained OpenCLIP weights.[/]")


@app.command()
def info() -> None:
    """Which CLIP is configured, and what it can recognise."""
    engine = _run(_engine)
    out.print(json.dumps(asdict(engine.info), ensure_ascii=False), markup=False)


@app.command()
def train(
    seed: int = typer.Option(0, "--seed", help="Seed: initial weights, images, batches, captions."),
    steps: Optional[int] = typer.Option(None, "--steps", min=1, help="Optimiser steps (default: the recipe's)."),
    minutes: Optional[float] = typer.Option(None, "--minutes", help="Stop after this many minutes (not deterministic)."),
    out_dir: Path = typer.Option(Path("clip-train"), "--out", "-o", help="Folder for the weights and the report."),
    batch_size: Optional[int] = typer.Option(None, "--batch-size", min=2),
    eval_n: Optional[int] = typer.Option(None, "--eval-n", min=0, help="Images per split for the final evaluation."),
    threads: Optional[int] = typer.Option(None, "--threads", min=1, help="torch CPU threads (default: all cores)."),
    pool_size: Optional[int] = typer.Option(None, "--pool-size", min=8, help="Generated images kept in memory."),
) -> None:
    """Train Erica's small CLIP on generated shapes; print the loss curve and the evaluation.

    Use the result with ERICA_CLIP_PRETRAINED=<out>/erica-shapes.safetensors, or ship it by
    copying it to tutor/clip/assets/.
    """
    import os
    import sys

    if "torch" not in sys.modules:  # sleep, don't spin, while waiting for the other thread (shared CPUs)
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import torch
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .train import TrainConfig, TrainEvent
    from .train import train as run_training

    if threads:
        torch.set_num_threads(threads)
    cfg = TrainConfig(seed=seed, minutes=minutes)
    for name, value in (("steps", steps), ("batch_size", batch_size), ("eval_n", eval_n), ("pool_size", pool_size)):
        if value is not None:
            setattr(cfg, name, value)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[info]}"), TimeElapsedColumn())
    with Progress(*columns, console=out, transient=False) as bar:
        tasks: dict[str, Any] = {}

        def on_event(e: TrainEvent) -> None:
            if e.phase not in tasks:
                tasks[e.phase] = bar.add_task(e.phase, total=e.total, info="")
            info = f"loss {e.loss:.3f}" if e.loss is not None else ""
            bar.update(tasks[e.phase], completed=e.done, total=e.total, info=info)

        report = _run(lambda: run_training(cfg, out_dir, on_event))
    _print_curve(report.loss_curve)
    out.print(
        f"{report.steps} steps × {cfg.batch_size} in {report.seconds:.0f} s wall ({report.cpu_seconds:.0f} s CPU, "
        f"{report.threads} threads); {report.parameters / 1e6:.2f} M parameters; "
        f"{report.weights} ({report.file_bytes / 1e6:.1f} MB)"
    )
    if report.eval is not None:
        _print_eval(report.eval)


@app.command("eval")
def evaluate_cmd(
    seed: int = typer.Option(1000, "--seed", help="Seed of the fresh test images (training uses 0)."),
    n: int = typer.Option(500, "--n", min=1, help="Images per split (seen / held-out)."),
    gallery_size: int = typer.Option(200, "--gallery-size", min=5),
    weights: Optional[Path] = typer.Option(None, "--weights", help="erica-shapes weights to score instead of the configured model."),
) -> None:
    """Score the CLIP on fresh generated shapes; the last line is the JSON of the figures."""
    from .engine import BUNDLED, ClipEngine
    from .evaluate import evaluate

    engine = _run(lambda: ClipEngine.load(BUNDLED, str(weights)) if weights else _engine())
    report = _run(lambda: evaluate(engine, seed=seed, n=n, gallery_size=gallery_size))
    _print_eval(report)


def _print_curve(curve: list[tuple[int, float]]) -> None:
    if not curve:
        return
    table = Table(title="loss curve", box=box.SIMPLE, title_justify="left")
    table.add_column("step", justify="right")
    table.add_column("loss", justify="right")
    table.add_column("")
    top = max(v for _, v in curve) or 1.0
    stride = max(1, len(curve) // 12)
    rows = curve[::stride] + ([curve[-1]] if (len(curve) - 1) % stride else [])
    for step, value in rows:
        table.add_row(str(step), f"{value:.3f}", "█" * max(1, round(30 * value / top)))
    out.print(table)


def _print_eval(report: Any) -> None:
    table = Table(title=f"evaluation on fresh images (seed {report.seed})", box=box.SIMPLE, title_justify="left")
    for col in ("metric", "value", "target", ""):
        table.add_column(col, justify="left" if col == "metric" else "right")
    for key in ("seen_top1", "heldout_top1", "attribute_top1", "search_r5", "shape_top1", "colour_top1", "pattern_top1"):
        target = report.targets.get(key)
        value = getattr(report, key)
        mark = "" if target is None else ("[green]ok[/]" if value >= target else "[red]below[/]")
        table.add_row(key, f"{value:.1%}", f"{target:.0%}" if target is not None else "", mark)
    out.print(table)
    out.print(f"[dim]{report.n_seen} seen + {report.n_heldout} held-out images, {report.captions} captions, "
              f"gallery of {report.gallery_size}; model: {report.model}[/]")
    out.print(json.dumps(asdict(report), ensure_ascii=False), markup=False)


if __name__ == "__main__":
    app()

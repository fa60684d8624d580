"""Terminal rendering of an :class:`~tutor.answer.Answer` (the skeleton after the streamed prose)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from tutor import prompts
from tutor.answer import Answer


def _cite(n: int | None) -> str:
    return f" [{n}]" if n else ""


def print_answer(console: Console, a: Answer) -> None:
    h = prompts.HEADINGS
    p = lambda s="": console.print(s, highlight=False, soft_wrap=True)  # noqa: E731
    if not a.covered:
        return
    if a.error:
        p(f"[bold red]! {escape(a.error)}[/]")
    if a.prerequisites:
        p(f"\n[bold]{h['prerequisites']}[/]")
        for i, c in enumerate(a.prerequisites, 1):
            p(f"  {i}. [bold]{escape(c.title)}[/] — {escape(c.definition)}{escape(_cite(c.cite))}")
    if a.main:
        p(f"\n[bold]{h['main']}: {escape(a.main.title)}[/] — {escape(a.main.definition)}{escape(_cite(a.main.cite))}")
    if a.passages:
        p(f"\n[bold]{h['passages']}[/] ({escape(a.main.title if a.main else '')})")
        for x in a.passages:
            for line in x["text"].splitlines():
                p(f"  [italic]{escape(line)}[/]")
            p(f"  {escape(_cite(x.get('cite')).strip())}")
    if a.example:
        title = h["code"] if a.code_requested and a.example["kind"] == "code" else h["example"]
        p(f"\n[bold]{title}[/] ({escape(a.example['concept'])}){escape(_cite(a.example.get('cite')))}")
        for line in a.example["text"].splitlines():
            p(f"  {escape(line)}")
    if a.no_code:
        p(f"\n[italic]{escape(a.no_code)}[/]")
    if a.also:
        p(f"\n[bold]{h['also']}:[/] " + escape(", ".join(c.title + _cite(c.cite) for c in a.also)))
    for demo in a.demos:
        print_demo(console, demo)
    if a.sources:
        p(f"\n[bold]{h['sources']}[/]")
        for s in a.sources:
            p(escape(f"[{s.n}] {s.label()}"))
    if a.next_steps:
        p(f"\n[bold]{h['next']}:[/] " + escape(", ".join(c.title for c in a.next_steps)))
    if a.model:
        p(f"\n[dim]Written by {escape(a.model)}; facts and sources from the course knowledge graph.[/]")


def print_demo(console: Console, demo) -> None:
    """A compact table of a live CLIP demo (the UI shows the images themselves)."""
    from pathlib import Path

    from rich.table import Table

    t = Table(title=f"{prompts.HEADINGS['demos']}: {demo.title}", title_justify="left", caption=demo.model)
    if demo.kind == "classification":
        t.add_column("image")
        t.add_column("best label")
        t.add_column("probability", justify="right")
        t.add_column("runner-up")
        for c in demo.classifications:
            second = c.scores[1] if len(c.scores) > 1 else None
            t.add_row(Path(c.image).name, c.best, f"{c.probability:.0%}",
                      f"{second.label} ({second.probability:.0%})" if second else "")
    elif demo.kind == "search" and demo.search:
        t.add_column("rank", justify="right")
        t.add_column("image")
        t.add_column("score", justify="right")
        for hit in demo.search.hits:
            what = hit.caption or Path(hit.image).name
            if hit.lesson:
                what += f" (lesson {hit.lesson}" + (f"#{hit.section})" if hit.section else ")")
            t.add_row(str(hit.rank), what, f"{hit.score:.3f}")
    elif demo.kind == "similarity" and demo.similarity:
        m = demo.similarity
        t.add_column("image \\ caption")
        for cap in m.captions:
            t.add_column(cap, justify="right")
        for i, row in enumerate(m.cosine):
            t.add_row(f"image {i + 1}", *(f"[bold]{v:.2f}[/]" if i == j else f"{v:.2f}" for j, v in enumerate(row)))
    console.print()
    console.print(t)
    console.print(f"  {escape(demo.reading)}", highlight=False)

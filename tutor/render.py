"""Terminal rendering of an :class:`~tutor.answer.Answer`: the same Markdown the page shows
(:meth:`Answer.course_markdown` before the model writes, :meth:`Answer.rest_markdown` after),
printed through rich; only the live demos have a terminal form of their own."""

from __future__ import annotations

from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape

from tutor.answer import Answer
from tutor.prompts import HEADINGS


def print_markdown(console: Console, text: str) -> None:
    if text.strip():
        console.print(Markdown(text, code_theme="ansi_dark"))


def print_answer(console: Console, a: Answer, course_part: bool = True) -> None:
    """The answer after its streamed prose (``course_part``: also what the course says, when it
    was not printed before the prose)."""
    if not a.covered:
        print_markdown(console, a.nearest_passage_markdown())
        return
    if course_part:
        print_markdown(console, a.course_markdown())
    elif a.error:  # it happened while the model wrote, after the course's part was printed
        console.print(f"[bold red]! {escape(a.error)}[/]", highlight=False, soft_wrap=True)
    for demo in a.demos:
        print_demo(console, demo)
    print_markdown(console, a.rest_markdown())
def print_demo(console: Console, demo) -> None:
    """A compact table of a live CLIP demo (the UI shows the images themselves)."""
    from pathlib import Path

    from rich.table import Table

    t = Table(title=f"{HEADINGS['demos']}: {demo.title}", title_justify="left", caption=demo.model)
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

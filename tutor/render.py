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
    if a.example:
        p(f"\n[bold]{h['example']}[/] ({escape(a.example['concept'])}){escape(_cite(a.example.get('cite')))}")
        for line in a.example["text"].splitlines():
            p(f"  {escape(line)}")
    if a.also:
        p(f"\n[bold]{h['also']}:[/] " + escape(", ".join(c.title for c in a.also)))
    for demo in a.demos:
        render = getattr(demo, "text_summary", None)
        p(f"\n[bold]{h['demos']}:[/] " + escape(render() if callable(render) else str(getattr(demo, "title", demo))))
    if a.sources:
        p(f"\n[bold]{h['sources']}[/]")
        for s in a.sources:
            p(escape(f"[{s.n}] {s.label()}"))
    if a.next_steps:
        p(f"\n[bold]{h['next']}:[/] " + escape(", ".join(c.title for c in a.next_steps)))
    if a.model:
        p(f"\n[dim]Written by {escape(a.model)}; facts and sources from the course knowledge graph.[/]")

"""`erica quiz` and `erica progress`: shells over :class:`tutor.practice.Practice`."""

from __future__ import annotations

import json
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table


def _practice(learner: str):
    from knowledge.progress import LearnerError
    from tutor.cli import _kb, fail
    from tutor.practice import Practice

    try:
        return Practice(_kb(), learner)
    except LearnerError as exc:
        fail(str(exc))


def quiz(
    concept: Optional[str] = typer.Argument(None, help="A concept (title or id) to practise, with its prerequisites."),
    lesson: Optional[str] = typer.Option(None, "--lesson", help="Practise the concepts of a lesson (id or prefix)."),
    next_up: bool = typer.Option(False, "--next", help="Practise what to learn next (the default)."),
    count: int = typer.Option(5, "--count", "-n", min=1, max=50, help="How many questions."),
    learner: str = typer.Option("me", "--learner", help="Whose progress to use and update."),
    as_json: bool = typer.Option(False, "--json", help="Print the questions as JSON and grade nothing."),
) -> None:
    """Multiple-choice questions from the course graph; answers update your mastery."""
    from tutor.cli import console, fail
    from tutor.practice import PracticeError

    p = _practice(learner)
    try:
        qs = p.questions(concept=concept, lesson=lesson, next_up=next_up, count=count)
    except PracticeError as exc:
        fail(str(exc))
    if as_json:
        print(json.dumps({"questions": [q.to_dict() for q in qs]}, ensure_ascii=False))
        return
    if not qs:
        fail("the course has no question to ask here yet (concepts need a definition, a prerequisite or code)")
    right = 0
    for i, q in enumerate(qs, 1):
        console.print(f"\n[bold]Question {i}/{len(qs)}[/] [dim]({q.kind}, {escape(q.concept_title)})[/]")
        console.print(escape(q.prompt), highlight=False)
        if q.code:
            console.print(escape(q.code), highlight=False)
        for j, opt in enumerate(q.options, 1):
            console.print(f"  {j}. {escape(opt)}", highlight=False)
        while True:
            raw = typer.prompt("Your answer (number)", default="", show_default=False).strip()
            if raw.isdigit() and 1 <= int(raw) <= len(q.options):
                break
            console.print(f"[yellow]type a number from 1 to {len(q.options)}[/]")
        g = p.answer(q, int(raw) - 1)
        right += g.correct
        verdict = "[green]right[/]" if g.correct else f"[red]not quite[/] — the answer is: {escape(g.right)}"
        console.print(verdict, highlight=False)
        src = f" [dim]({escape(q.source.label())})[/]" if q.source else ""
        console.print(f"[dim]From the course:[/] {escape(q.passage[:600])}{src}", highlight=False)
        console.print(f"[dim]mastery of {escape(q.concept_title)}: {g.mastery[q.concept]:.0%}[/]")
    console.print(f"\n{right}/{len(qs)} right. `erica progress --learner {learner}` shows where you stand.")


def progress_cmd(
    learner: str = typer.Option("me", "--learner", help="Whose progress to show."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Mastery per lesson, weak concepts and what to learn next."""
    from tutor.cli import console

    p = _practice(learner)
    r = p.report()
    titles = {cid: c.title for cid, c in p.bank.concepts.items()}
    if as_json:
        print(json.dumps(r.to_dict(titles), ensure_ascii=False))
        return
    t = Table(title=f"Progress of {learner}: {len(r.mastered)}/{r.concepts} concepts mastered")
    for col in ("lesson", "concepts", "practised", "mastered", "mastery"):
        t.add_column(col, justify="left" if col == "lesson" else "right")
    for x in r.lessons:
        t.add_row(escape(x.title or x.lesson), str(x.concepts), str(x.practised), str(x.mastered), f"{x.mastery:.0%}")
    console.print(t)
    if r.weak:
        console.print("[bold]Weak:[/] " + ", ".join(escape(titles[c]) for c in r.weak[:10]))
    console.print("[bold]Next to learn:[/] " + (", ".join(escape(titles[c]) for c in r.next[:8]) or "-"))


account_app = typer.Typer(help="Learner accounts for a shared server (ERICA_LOGIN=password, or a Chroma server).",
                          no_args_is_help=True)


@account_app.command("add")
def account_add(
    name: str = typer.Argument(..., help="The learner's name (letters, digits, . _ - @)."),
    password: Optional[str] = typer.Option(None, "--password", help="Default: asked for, not echoed."),
    replace: bool = typer.Option(False, "--replace", help="Set a new password for an existing account."),
) -> None:
    """Create an account (a teacher setting up a class), or reset its password with --replace."""
    from knowledge import accounts
    from tutor.cli import _kb, console, fail

    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        who = accounts.create(_kb(), name, password, replace=replace)
    except accounts.AccountError as exc:
        fail(str(exc))
    console.print(f"account {escape(who)} {'updated' if replace else 'created'}")


@account_app.command("list")
def account_list(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The accounts and the learners with progress."""
    from knowledge import accounts, progress
    from tutor.cli import _kb, console

    kb = _kb()
    names, active = accounts.names(kb), progress.learners(kb)
    if as_json:
        print(json.dumps({"accounts": names, "learners_with_progress": active}))
        return
    console.print("[bold]Accounts:[/] " + (", ".join(map(escape, names)) or "none"))
    console.print("[bold]Learners with progress:[/] " + (", ".join(map(escape, active)) or "none"))


@account_app.command("remove")
def account_remove(
    name: str = typer.Argument(...),
    keep_progress: bool = typer.Option(False, "--keep-progress", help="Keep the learner's progress records."),
) -> None:
    """Delete an account (and, unless --keep-progress, the learner's progress)."""
    from knowledge import accounts
    from tutor.cli import _kb, console, fail

    try:
        accounts.remove(_kb(), name, keep_progress=keep_progress)
    except accounts.AccountError as exc:
        fail(str(exc))
    console.print(f"account {escape(name)} removed")

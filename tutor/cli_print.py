"""How the `erica` command prints a retrieval and an ingest report (rich tables)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

console = Console()
err = Console(stderr=True)


def print_result(res) -> None:
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


def print_ingest(report) -> None:
    failed = [f for f in report.files if f.status == "failed"]
    if failed:
        t = Table(title="Files that failed", title_style="bold red")
        t.add_column("file")
        t.add_column("reason")
        for f in failed:
            t.add_row(f.path, f.reason)
        console.print(t)
    warn = [(f.path, w) for f in report.files for w in f.warnings]
    for path, w in warn[:20]:
        err.print(f"[yellow]warning:[/] {w}", highlight=False)
    tot = report.totals
    t = Table(title=("Dry run: nothing stored — " if report.dry_run else "") + f"Ingest of course '{report.course}'")
    t.add_column("")
    t.add_column("count", justify="right")
    rows = [("files ingested" if not report.dry_run else "files that would be ingested",
             tot["planned"] if report.dry_run else tot["ingested"]),
            ("files skipped (unchanged)", tot["unchanged"]),
            ("files skipped (nothing to learn: contents, directives)", tot["skipped"]), ("files failed", tot["failed"]),
            ("concepts added", tot["concepts_added"]), ("concepts updated (new source)", tot["concepts_updated"]),
            ("concepts merged (variants)", tot["concepts_merged"]), ("edges added", tot["edges_added"]),
            ("figures kept", tot["figures"])]
    for k, v in rows:
        t.add_row(k, str(v))
    console.print(t)
    if report.curriculum:
        console.print(f"[dim]lesson order from {report.curriculum}[/]")

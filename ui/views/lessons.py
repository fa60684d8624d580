"""Lessons: add lesson files to the knowledge base, see what happened to each file, and
forget lessons. Uploads are size-checked, saved under a safe name in
``<data dir>/uploads/<course>/`` and handed to the library's ingestion pipeline."""

from __future__ import annotations

import math
from itertools import groupby
from pathlib import Path

import pandas as pd
import streamlit as st

from knowledge.kb import StoreError
from knowledge.starter import load_starter
from ui import resources
from ui.text import md_escape
from ui.uploads import LESSON_TYPES, course_folder, save_uploads

STATUS = {"ingested": "ingested", "unchanged": "unchanged", "skipped": "skipped", "failed": "failed",
          "planned": "would ingest"}
COLUMNS = ["file", "status", "reason", "lesson", "concepts added", "concepts updated", "concepts merged", "edges added"]


def _row(name: str, status: str, reason: str = "", **counts) -> dict:
    return {"file": name, "status": STATUS.get(status, status), "reason": reason, "lesson": counts.pop("lesson", ""),
            **{c: counts.get(c.replace(" ", "_"), None) for c in COLUMNS[4:]}}


def ingest(kb, settings, files, course: str, dry_run: bool) -> list[dict]:
    """Save the uploads, run the pipeline with a progress bar; one report row per file."""
    folder = course_folder(settings.data_dir / "uploads", course)
    saved, rejected = save_uploads(files, folder, settings.max_file_mb)
    rows = [_row(r.name, "failed", r.reason) for r in rejected]
    if not saved:
        return rows
    try:
        from knowledge.ingest.errors import IngestError
        from knowledge.ingest.pipeline import ingest_paths
        from tutor.llm.completer import ingest_completer
    except ImportError as exc:
        st.error(f"This installation cannot ingest lessons: {exc}. Reinstall Erica (`make setup`).")
        return rows
    names = {p.path.relative_to(folder).as_posix(): p.name for p in saved}  # report path → uploaded name
    bar = st.progress(0.0, text=f"Reading {len(saved)} lesson file{'s' if len(saved) != 1 else ''}…")

    def progress(done: int, total: int, name: str) -> None:
        bar.progress(min(1.0, done / total) if total else 1.0, text=f"{done}/{total} · {Path(name).name}")

    try:
        report = ingest_paths(kb, [p.path for p in saved], course=course.strip() or None, dry_run=dry_run,
                              progress=progress, root=folder, llm=ingest_completer(kb.settings))
    except (IngestError, StoreError) as exc:
        bar.empty()
        st.error(str(exc))
        return rows
    bar.progress(1.0, text="Done")
    for f in report.files:
        why = "; ".join([f.reason, *getattr(f, "warnings", [])] if f.reason else getattr(f, "warnings", []))
        rows.append(_row(names.get(f.path, Path(f.path).name), f.status, why,
                         lesson=f.lesson_id or "", concepts_added=f.concepts_added,
                         concepts_updated=f.concepts_updated, concepts_merged=f.concepts_merged,
                         edges_added=f.edges_added))
    return rows


def render_report(rows: list[dict]) -> None:
    counts = {s: sum(1 for r in rows if r["status"] == STATUS[s]) for s in STATUS}
    summary = ", ".join(f"{n} {s if s != 'planned' else 'to ingest (dry run)'}" for s, n in counts.items() if n)
    failed = [r for r in rows if r["status"] == STATUS["failed"]]
    show = st.success if not failed else (st.error if len(failed) == len(rows) else st.warning)
    show(f"Report: {summary}." + "".join(f"  \n**{md_escape(r['file'])}**: {md_escape(r['reason'])}" for r in failed))
    st.dataframe(pd.DataFrame(rows, columns=COLUMNS), hide_index=True, key="ls_report_table",
                 column_config={"reason": st.column_config.TextColumn(width="large")})


def forget(lesson_id: str) -> None:
    try:
        r = resources.kb().forget_lesson(lesson_id)
    except (KeyError, StoreError) as exc:
        st.session_state.ls_msg = ("error", str(exc).strip("'\""))
        return
    st.session_state.ls_msg = ("success", f"Forgot {lesson_id}: {r['concepts_removed']} concepts and "
                               f"{r['edges_removed']} edges removed, {r['concepts_kept']} concepts kept "
                               "(other lessons also teach them).")


def restore_starter() -> None:
    r = load_starter(resources.kb())
    st.session_state.ls_msg = ("success", f"Starter course: {r['units']} units loaded, {r['skipped']} unchanged.")


def render_lessons(kb) -> None:
    lessons = sorted(kb.lessons(), key=lambda r: (r.course, r.order if r.order is not None else 10**6, r.path))
    st.subheader(f"Lessons in the knowledge base ({len(lessons)})")
    if msg := st.session_state.pop("ls_msg", None):
        (st.error if msg[0] == "error" else st.success)(msg[1])
    if not lessons:
        st.info("No lessons yet. Upload some above, or restore the built-in starter course.")
    for course, group in groupby(lessons, key=lambda r: r.course):
        group = list(group)
        with st.expander(f"{course or 'No course'} — {len(group)} lesson{'s' if len(group) != 1 else ''}",
                         expanded=not all(r.kind == "starter" for r in group), key=f"ls_course_{course}"):
            for r in group:
                text, info, action = st.columns([5, 2.6, 1.4], vertical_alignment="center")
                text.markdown(f"**{md_escape(r.title or r.id)}**  \n{md_escape(r.path)}")
                info.caption(f"{r.kind or 'lesson'} · {len(r.concepts)} concepts · {len(r.edges)} edges"
                             + (f" · {r.ingested_at[:10]}" if r.ingested_at else ""))
                with action.popover("Forget", icon=":material/delete:", key=f"ls_pop_{r.id}"):
                    st.markdown(f"Remove **{md_escape(r.title or r.id)}** and the concepts only it teaches?")
                    st.button("Forget this lesson", key=f"ls_forget_{r.id}", type="primary",
                              on_click=forget, args=(r.id,))
    st.button("Restore the built-in starter course", key="ls_starter", on_click=restore_starter,
              help="Loads the Introduction-to-AI units that are missing or changed; the others are left alone.")


def main() -> None:
    settings = resources.settings()
    kb = resources.kb()
    st.title("Lessons")
    st.caption("Feed Erica your course: Markdown, HTML, reStructuredText, PDF, Jupyter notebooks, Word (.docx), PowerPoint (.pptx) or plain text. Each file "
               "becomes a lesson; its concepts, definitions and prerequisites join the knowledge graph.")
    st.text_input("Course", key="ls_course", value="My course",
                  help="Lessons are grouped by course; files are kept under the data dir in uploads/<course>/.")
    # No `type=` filter: Streamlit would reject other files before this page runs; here every
    # refused file gets a line in the report saying why (and the label says what is accepted).
    st.file_uploader(f"Lesson files: {', '.join('.' + t for t in LESSON_TYPES)} (up to {settings.max_file_mb:g} MB each)",
                     accept_multiple_files=True, key="ls_files", max_upload_size=max(1, math.ceil(settings.max_file_mb)))
    left, right = st.columns([1, 3], vertical_alignment="center")
    go = left.button("Add to the knowledge base", key="ls_ingest", type="primary", icon=":material/upload_file:",
                     disabled=not st.session_state.ls_files)
    right.checkbox("Preview only (dry run: nothing is stored)", key="ls_dry")
    if go and st.session_state.ls_files:
        st.session_state.ls_report = ingest(kb, settings, st.session_state.ls_files, st.session_state.ls_course,
                                            st.session_state.ls_dry)
    if st.session_state.get("ls_report"):
        render_report(st.session_state.ls_report)
    st.divider()
    render_lessons(kb)


main()

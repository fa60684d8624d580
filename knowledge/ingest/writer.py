"""Storing ingested files, crash-safe: their records are written *pending* first and completed
last, so a crash in between is undone by the next run (see :mod:`knowledge.ingest.pipeline`);
its figures go under the data dir; ``forget`` removes lessons and what only they gave."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime, timezone
from pathlib import Path

from ..models import Concept, Edge
from ..store import LessonRecord
from .definitions import definition_quality
from .api_names import api_rank
from .merge import absorb
from .terms import is_code_name, norm_key
from .passages import ConceptNames, lesson_passages

PENDING = "pending:"
log = logging.getLogger(__name__)


WRITE_GROUP = 16  # files stored per write (d2l: 893 Chroma writes -> ~70)


def write_all(kb, todo: list, canon: dict[str, list[Concept]], by_file: dict[str, list[Edge]], course: str,
              names: ConceptNames, existing_ids: set[str], step, dry_run: bool) -> None:
    """Store the ingest's files in reading order, ``WRITE_GROUP`` at a time, filling in each file's
    report line (a dry run only plans); a group that fails is stored file by file, so only the file
    at fault fails."""
    if dry_run:
        for f in todo:
            step(str(f.path))
            mine = canon[f.record_id]
            f.report.concepts_merged = len(f.extraction.concepts) - len(mine)
            f.report.figures = len(f.extraction.document.figures)
            f.report.status = "planned"
            f.report.concepts_added = sum(1 for c in mine if c.id not in existing_ids)
            f.report.concepts_updated = len(mine) - f.report.concepts_added
            f.report.edges_added = len(by_file.get(f.record_id, []))
            existing_ids |= {c.id for c in mine}
        return
    for i in range(0, len(todo), WRITE_GROUP):
        part = todo[i : i + WRITE_GROUP]
        for f in part:
            step(str(f.path))
            f.report.concepts_merged = len(f.extraction.concepts) - len(canon[f.record_id])
            f.report.figures = len(f.extraction.document.figures)
        try:
            write_files(kb, [(f, canon[f.record_id], by_file.get(f.record_id, [])) for f in part], course, names)
            for f in part:
                f.report.status = "ingested"
            continue
        except Exception:  # find the file at fault: store them one by one (each undoes the group's pending record)
            log.warning("storing %d files at once failed; storing them one by one", len(part), exc_info=True)
        for f in part:
            f.report.concepts_added = f.report.concepts_updated = f.report.edges_added = 0
            try:
                write_files(kb, [(f, canon[f.record_id], by_file.get(f.record_id, []))], course, names)
                f.report.status = "ingested"
            except Exception as exc:
                log.exception("storing %s failed", f.path)
                f.report.status = "failed"
                f.report.reason = f"could not be stored ({exc.__class__.__name__}: {exc}); run the ingest again"


def planned_concepts(todo: list, canon: dict[str, list[Concept]], stored: dict[str, Concept]) -> list[Concept]:
    """The concepts :func:`write_all` will store, as it will store them: each group's files merged
    in reading order into what the knowledge base holds (``stored``, by id), a group at a time.
    The pipeline embeds their texts in one pass before writing (a concept several files give is
    embedded as it is stored, not once per file). A guess, never a promise: what it misses (a
    concept a changed lesson's removal alters) is embedded when it is stored."""
    current = {cid: Concept.from_dict(c.to_dict()) for cid, c in stored.items()}
    out: list[Concept] = []
    for i in range(0, len(todo), WRITE_GROUP):
        changed: dict[str, None] = {}
        for f in todo[i : i + WRITE_GROUP]:
            for c in canon[f.record_id]:
                _fold(current, c)
                changed[c.id] = None
        out += [Concept.from_dict(current[cid].to_dict()) for cid in changed]
    return out


def write_files(kb, group: list[tuple], course: str, names: ConceptNames | None = None) -> None:
    """Store several files, ``(file, its canonical concepts, its edges)`` in reading order, with
    one write per kind (Chroma's fixed cost per call is most of a small file's write time). Every
    file of the group is recorded *pending* before anything else is written, so a crash undoes
    the group on the next run; merging is the same as writing them one after another."""
    known_ids = {r.id for r in kb.lessons()} if len(group) > 1 else None
    recs: list[LessonRecord] = []
    for f, mine, _ in group:
        if (f.record_id in known_ids) if known_ids is not None else kb.lesson(f.record_id) is not None:
            kb.forget_lesson(f.record_id)  # changed (or a crashed run left it pending): drop what it gave
        doc = f.extraction.document
        recs.append(LessonRecord(
            id=f.record_id, path=f.rel, title=doc.title, course=course, kind=doc.kind,
            sha256=PENDING + f.sha256, concepts=[c.id for c in mine],
        ))
    kb.upsert_lessons(recs)  # pending: a crash from here on is undone by the next run
    current = kb.store.get_concepts([c.id for _, mine, _ in group for c in mine])
    changed: dict[str, None] = {}
    for f, mine, _ in group:
        for c in mine:
            if _fold(current, c):
                f.report.concepts_added += 1
            else:
                f.report.concepts_updated += 1
            changed[c.id] = None
    kb.upsert_concepts([current[i] for i in changed])
    kb.add_passages([p for f, mine, _ in group
                     for p in lesson_passages(f.extraction.document, f.record_id, mine, names)])
    ends = sorted({x for _, _, edges in group for e in edges for x in (e.src, e.dst)})
    known = set(kb.store.get_concepts(ends))
    added = {e.id for e in kb.add_edges([e for _, _, edges in group for e in edges
                                         if e.src in known and e.dst in known], skip_cycles=True)}
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    for (f, _, edges), rec in zip(group, recs):
        mine_added = list(dict.fromkeys(e.id for e in edges if e.id in added))
        f.report.edges_added = len(mine_added)
        rec.figures = len(save_figures(kb, f))
        rec.sha256, rec.edges, rec.order, rec.ingested_at = f.sha256, mine_added, None, stamp
    kb.upsert_lessons(recs)


def _fold(current: dict[str, Concept], c: Concept) -> bool:
    """Merge ``c`` into ``current`` (by id; a copy when new, so that a later file merges into it
    and not into ``c``). True when it was new."""
    cur = current.get(c.id)
    if cur is None:
        current[c.id] = Concept.from_dict(c.to_dict())
        return True
    _merge_into(cur, c)
    return False


def _merge_into(cur: Concept, c: Concept) -> None:
    """A concept another lesson already gave: a curated definition (starter course, earlier
    lesson) is kept unless this lesson's says better what the concept is ("X is a ..." over
    "... we call this X")."""
    # (an API name's definitions are weighed by how they speak of it, :func:`api_rank`)
    better = bool(c.definition) and (api_rank(c) > api_rank(cur) if is_code_name(cur.title)
                                     else definition_quality(c) > definition_quality(cur))
    keep = cur.definition if cur.taught == "defined" and not better else ""
    absorb(cur, c)
    if better:
        cur.definition = c.definition
    if keep:
        cur.definition = keep
    elif c.sources and (
        (c.definition and cur.definition == c.definition)  # this lesson's definition: cite it first
        # nothing says what it is: cite first the section headed by its name ("Convolutional Neural
        # Networks" § "Main ideas behind CNN", not "YOLO", where **CNN** is only used)
        or (not cur.definition and cur.sources and _headed(c.sources[0], cur) > _headed(cur.sources[0], cur))
    ):
        cur.sources = [c.sources[0]] + [s for s in cur.sources if s != c.sources[0]]


def _headed(src, c: Concept) -> int:
    """2 when the section's heading names the concept (any of its names), 1 when it contains one
    of its names, else 0."""
    heading = f" {norm_key(src.section)} "
    names = {norm_key(n) for n in (c.title, *c.aliases)} - {""}
    if heading.strip() in names:
        return 2
    return 1 if any(f" {n} " in heading for n in names) else 0


def save_figures(kb, f) -> list[Path]:
    """Lesson figures (notebook PNG outputs, images next to lessons) go under the data dir,
    tied to their lesson record, for the CLIP engine to embed and search."""
    figs = f.extraction.document.figures
    if not figs:
        return []
    folder = kb.settings.data_dir / "figures" / hashlib.sha1(f.record_id.encode()).hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*"):
        old.unlink()
    out, index = [], []
    for i, fig in enumerate(figs):
        ext = ".png" if fig.mime == "image/png" else ".jpg" if "jpeg" in fig.mime else ".img"
        p = folder / f"{i:03d}{ext}"
        p.write_bytes(fig.data)
        out.append(p)
        index.append({"file": p.name, "caption": fig.caption, "section": fig.anchor, "cell": fig.cell,
                      "source": fig.source})
    # the manifest tutor.clip.figures reads: which lesson, and per file its caption and section
    manifest = {"lesson": f.record_id, "figures": index}
    (folder / "index.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return out


def forget(kb, lesson: str) -> list[tuple[str, dict[str, int]]]:
    """Forget one lesson record, or every record under a prefix (a lesson folder, a course)."""
    ids = [r.id for r in kb.lessons()]
    if lesson in ids:
        targets = [lesson]
    else:
        prefix = lesson.rstrip("/") + "/"
        targets = [i for i in ids if i.startswith(prefix)]
    if not targets:
        raise KeyError(f"no lesson {lesson!r}; see `erica lessons` for the ids")
    kinds = {r.id: r.kind for r in kb.lessons()}
    out = [(t, kb.forget_lesson(t)) for t in targets]
    if any(kinds[t] == "starter" for t in targets) and not any(
        r.kind == "starter" for r in kb.lessons()
    ):
        # the student removed the starter course: do not bring it back on the next open
        kb.store.set_flag("starter", "declined")
    for t in targets:
        folder = kb.settings.data_dir / "figures" / hashlib.sha1(t.encode()).hexdigest()[:16]
        if folder.is_dir():
            for p in folder.glob("*"):
                p.unlink()
            folder.rmdir()
    return out

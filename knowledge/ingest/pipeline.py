"""`erica ingest` as a library function: files → the knowledge base, safely.

* **Idempotent.** Every file is content-hashed; a file whose hash is stored is skipped (no
  parsing). A changed file first loses what it contributed before, then adds the new version.
* **Atomic per group of files.** Files are stored a group at a time (``writer.WRITE_GROUP``); their
  records are written as *pending* before their concepts and edges and completed after them; a
  crash in between (kill -9) leaves pending records, which the next run treats as changed: it
  removes the partial contributions and ingests those files again.
  Edges are only ever written after both their concepts (see docs/architecture.md).
* **One bad file never stops a batch.** Each failure is reported with the file and the reason;
  nothing stored before is touched.

Each file is a stored lesson record (``COURSE/relative/path.md``); files in one numbered lesson
folder (a README, its lab, its notebooks) share a *lesson group* used for lesson order.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..models import PREREQUISITE, Concept, Edge, slugify
from .aliases import abbreviated_names
from .curriculum import TOC_BLOCK, Curriculum, lesson_id_for, parse_curriculum, toc_curriculum
from .definitions import find_definitions
from .document import Document
from .errors import IngestError
from .extractors import Extractor, extractors_for, run_extractors
from .introduced import CourseProfile
from .llm_extract import CompletionModel
from .manifests import TOCTREE, find_manifests, manifest_curriculum
from .merge import match_existing, merge_variants
from .overrides import CourseOverrides, apply_concepts, find_overrides, known_pairs, read_overrides
from .parsers import SUPPORTED, parse_file, relative_lesson_path
from .passages import ConceptNames
from .prereqs import LessonExtraction, infer_prerequisites
from .report import FileReport, IngestReport
from .topics import add_file_topics
from .writer import PENDING, forget, planned_concepts, write_all

__all__ = ["FileReport", "IngestReport", "PENDING", "discover", "forget", "ingest_paths"]

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]


@dataclass
class _File:
    path: Path
    root: Path
    rel: str = ""
    record_id: str = ""
    sha256: str = ""
    report: FileReport | None = None
    document: Document | None = None
    extraction: LessonExtraction | None = None
    extractor_edges: list[Edge] = field(default_factory=list)


def discover(paths: Iterable[Path | str]) -> tuple[list[_File], list[FileReport]]:
    """Lesson files under the given files/folders (folders recursively; hidden ones skipped).
    A folder is the root its files' ids are relative to; a single file's root is its folder."""
    found: list[_File] = []
    bad: list[FileReport] = []
    for p in map(Path, paths):
        if p.is_dir():
            root = p
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__")))
                for name in sorted(filenames):
                    f = Path(dirpath) / name
                    if f.suffix.lower() in SUPPORTED and not name.startswith("."):
                        found.append(_File(f, root))
        elif p.is_file() or p.is_symlink():
            found.append(_File(p, p.absolute().parent))
        else:
            bad.append(FileReport(str(p), "failed", "no such file or folder; check the path"))
    return found, bad


def _find_curriculum(files: list[_File], explicit: Path | None) -> Curriculum | None:
    candidates = [explicit] if explicit else []
    candidates += [f.path for f in files if f.path.name.lower() == "readme.md" and f.path.parent == f.root]
    for c in candidates:
        try:
            cur = parse_curriculum(c)
        except (OSError, ValueError) as exc:
            log.info("no curriculum in %s: %s", c, exc)
            continue
        if len(cur.entries) >= 3:
            return cur
    return _manifest_order(files)


def _manifest_order(files: list[_File]) -> Curriculum | None:
    """The reading order of a book manifest (``_quarto.yml``, ``_toc.yml``, ``mkdocs.yml`` ...)
    in an ingested folder, when it names three or more of the files."""
    roots = list(dict.fromkeys(f.root for f in files if f.root.is_dir()))
    known: dict[Path, list[str]] = {}
    for f in files:
        try:
            known.setdefault(f.root, []).append(relative_lesson_path(f.path, f.root))
        except IngestError:
            continue
    for manifest, root in find_manifests(roots):
        cur = manifest_curriculum(manifest, root, known.get(root, []))
        if cur is not None:
            return cur
    return None


def _toc_order(files: list[_File]) -> Curriculum | None:
    texts: dict[str, str] = {}
    for f in files:
        if f.rel and f.path.suffix.lower() in (".md", ".markdown"):
            try:
                texts[f.rel] = f.path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
    return toc_curriculum(texts)


def ingest_paths(
    kb,
    paths: Iterable[Path | str],
    course: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    root: Path | None = None,
    *,
    curriculum: Path | None = None,
    max_bytes: int | None = None,
    llm: CompletionModel | None = None,
) -> IngestReport:
    """Ingest lesson files and folders into ``kb``. See the module docstring for guarantees.
    ``llm`` (anything with ``complete(prompt) -> str``, e.g. the Ollama model the CLI and the page
    build from ``Settings.ingest_llm`` with :func:`tutor.llm.completer.ingest_completer`) also
    extracts concepts and relations; its bad replies are skipped."""
    paths = [Path(p) for p in paths]
    files, bad = discover(paths)
    report = IngestReport(files=list(bad), dry_run=dry_run)
    first_root = (root or (files[0].root if files else Path("course"))).absolute()
    course = slugify(course or first_root.name)
    report.course = course
    if not dry_run and kb.is_empty():
        kb.store.set_flag("starter", "declined")  # a teacher's own course starts clean
    if max_bytes is None:
        max_bytes = int(kb.settings.max_file_mb * 1024 * 1024)
    cur = _find_curriculum(files, curriculum)
    report.curriculum = cur.source if cur else ""
    overrides, ov_report = _overrides(kb, [p for p in paths if p.is_dir()], course, report)
    applied = kb.store.get_flag(_OVERRIDES_FLAG + course) or ""
    force = overrides.sha256 != applied  # new, changed or removed: every lesson is read again under it
    if ov_report is not None and not force:
        ov_report.status = "unchanged"
    total = len(files)
    step = _Progress(progress, total * (1 if dry_run else 2))

    # 1. hash; skip unchanged; parse + extract changed files
    todo: list[_File] = []
    context: list[_File] = []
    seen_ids: set[str] = set()
    for f in files:
        step(str(f.path))
        try:
            f.rel = relative_lesson_path(f.path, root or f.root)
        except IngestError as exc:
            f.report = FileReport(str(f.path), "failed", exc.reason)
            report.files.append(f.report)
            continue
        f.record_id = f"{course}/{f.rel}"
        if f.record_id in seen_ids:  # same relative path under two roots
            f.record_id = f"{course}/{f.root.name}/{f.rel}"
        seen_ids.add(f.record_id)
        f.report = FileReport(f.rel, "failed", lesson_id=f.record_id)
        report.files.append(f.report)
        try:
            f.sha256 = _stamp(f.path.read_bytes()) if f.path.is_file() else ""
        except OSError as exc:
            f.report.reason = f"cannot read the file ({exc.strerror}); check permissions"
            continue
        old = kb.lesson(f.record_id)
        if old is not None and old.sha256 == f.sha256 and not force:
            f.report.status = "unchanged"
            context.append(f)
            continue
        if _parse(f, root, max_bytes):
            todo.append(f)
    if not todo:
        return report
    # unchanged files of this ingest are read again (not stored again) when anything changed:
    # prerequisites between lessons need every lesson's text, not only the changed ones
    context = [f for f in context if _parse(f, root, max_bytes, quiet=True)]
    profile = CourseProfile.build(f.document for f in [*todo, *context])  # what the course says about terms
    extractors = extractors_for(llm)
    todo = [f for f in todo if _extract(f, profile, extractors)]
    context = [f for f in context if _extract(f, profile, extractors[:1], quiet=True)]  # only read for order
    if not todo:
        return report

    # 2. prerequisites, with evidence, over the whole set and the concepts already known
    if cur is None:  # no lesson table: the reading order of toc blocks, when the course has them
        cur = _toc_order(files)
        report.curriculum = cur.source if cur else ""
    existing = list(kb.concepts().values())
    ordered = [f for f in files if f.extraction is not None]
    # "bidirectional RNN" names the Bidirectional Recurrent Neural Network where the course writes RNN
    # (the abbreviation may be another lesson's concept, "RL" beside "Reinforcement Learning": read from them merged)
    read = [c for f in ordered for c in f.extraction.concepts]
    abbreviated_names(read, "\n".join(sec.text for f in ordered for sec in f.document.sections),
                      [*existing, *merge_variants(read)])
    # a concept introduced in one place is often defined in another: find that sentence
    find_definitions([f.extraction for f in ordered if f in todo], profile.boilerplate)
    lessons = [f.extraction for f in ordered]
    add_file_topics(lessons, profile.boilerplate)  # a lab or how-to that defines nothing: its title
    teacher, banned = [], []
    if ov_report is not None:  # the teacher's word wins over what was inferred
        ov_report.warnings += apply_concepts(overrides, lessons, existing)
        teacher, w1 = known_pairs(overrides.prerequisites, lessons, existing, "prerequisites")
        banned, w2 = known_pairs(overrides.not_prerequisites, lessons, existing, "not_prerequisites")
        ov_report.warnings += w1 + w2
    extractor_edges = [e for f in ordered for e in f.extractor_edges]
    edges = infer_prerequisites(lessons, cur, existing, teacher=teacher, banned=banned,
                                extra_edges=[e for e in extractor_edges if e.kind == PREREQUISITE])
    edges += [e for e in extractor_edges if e.kind != PREREQUISITE]  # related kinds an extractor named
    # 3. one concept per idea: merge within the batch, then match what the KB already has
    canon = _canonical(ordered, existing, kb)
    by_file = _attribute_edges(edges, ordered, canon)

    # 4. write, a group of files at a time
    existing_ids = {c.id for c in existing}
    names = ConceptNames([c for cs in canon.values() for c in cs] + existing)  # ties passages across lessons
    if not dry_run:  # embed what will be stored in one pass, shortest first (less padding than file by file)
        plan = planned_concepts(todo, canon, {c.id: c for c in existing})
        kb.embedder.embed(sorted({c.embedding_text() for c in plan}, key=len))
    with kb.bulk() if not dry_run else nullcontext():  # each file crash-safe; readers see it all at the end
        write_all(kb, todo, canon, by_file, course, names, existing_ids, step, dry_run)
    if force and not dry_run:
        kb.store.set_flag(_OVERRIDES_FLAG + course, overrides.sha256)  # applied: the next run skips again
    return report


_OVERRIDES_FLAG = "overrides:"
# what the extractors make of a lesson: changed whenever a new rule can change it (here the thirty-third
# session's merges of "ResNet Model" into ResNet, "Introduction to NumPy" into NumPy; the thirty-fourth's
# "bidirectional RNN" as a name of the Bidirectional Recurrent Neural Network), so that a lesson read by an
# older Erica is read again
EXTRACTION_VERSION = "2026-12-06.form-fields-and-spelled-out-names"


def _stamp(data: bytes) -> str:
    """A lesson file's SHA-256 under this extractor: an unchanged file read by an older version of
    the rules is not "unchanged" (each lesson's record carries it, so a crash mid-way loses nothing)."""
    return hashlib.sha256(EXTRACTION_VERSION.encode() + b"\0" + data).hexdigest()


def _overrides(kb, folders: list[Path], course: str, report: IngestReport) -> tuple[CourseOverrides, FileReport | None]:
    """The teacher's overrides file of this course, read and checked (a bad one is reported,
    with the field at fault, and ignored); its report line, or None when there is none."""
    path = find_overrides(folders)
    if path is None:
        return CourseOverrides(), None
    line = FileReport(path.name, "ingested", reason="the teacher's overrides", lesson_id=f"{course}/{path.name}")
    report.files.append(line)
    try:
        return read_overrides(path), line
    except IngestError as exc:
        line.status, line.reason = "failed", exc.reason + " (the lessons were ingested without it)"
        return CourseOverrides(), None


_DIRECTIVE = re.compile(r"^\s{0,3}```+\s*\{?(?:eval_rst|eval-rst|toc|toctree)\}?", re.MULTILINE)


def _only_contents(path: Path) -> str:
    """Why a file with no lesson text is no failure: a ``toc`` block (a chapter index) or
    document directives (a bibliography); "" when neither."""
    try:
        text = path.read_text(encoding="utf-8") if path.suffix.lower() in (".md", ".markdown", ".rst") else ""
    except (OSError, UnicodeDecodeError):
        return ""
    if TOC_BLOCK.search(text) or (path.suffix.lower() == ".rst" and TOCTREE.search(text)):
        return "only a table of contents: the reading order of the files it lists is taken from it"
    if _DIRECTIVE.search(text):
        return "only document directives (a bibliography, an index): nothing to learn from"
    return ""


def _parse(f: _File, root: Path | None, max_bytes: int, quiet: bool = False) -> bool:
    """Parse one file into ``f.document``; on bad input fill its report."""
    try:
        f.document = parse_file(f.path, root or f.root, max_bytes)
    except IngestError as exc:
        if not quiet:
            f.report.reason = exc.reason
            why = _only_contents(f.path)
            if why:
                f.report.status, f.report.reason = "skipped", why
        return False
    except Exception as exc:  # a parser bug must not stop the batch
        log.exception("unexpected error parsing %s", f.path)
        if not quiet:
            f.report.reason = f"could not be parsed ({exc.__class__.__name__}: {exc}); please report this file"
        return False
    return True


def _extract(f: _File, profile: CourseProfile, extractors: list[Extractor], quiet: bool = False) -> bool:
    """Concepts (and the edges an extractor is sure of) of one parsed file into ``f.extraction``:
    every extractor is run the same way; one that fails becomes a warning, and the file fails
    only when none succeeds."""
    doc = f.document
    lesson_id = lesson_id_for(f.rel)
    got, errors, ok = run_extractors(extractors, doc, lesson_id, profile)
    f.extractor_edges += got.edges
    doc.warnings.extend(got.warnings)
    if not ok:
        if not quiet:
            f.report.reason = f"could not be read: {'; '.join(errors)}; please report this file"
        return False
    doc.warnings.extend(f"{f.rel}: {e}; the other extractors' results are kept" for e in errors)
    if not quiet:
        f.report.warnings = list(doc.warnings)
    f.extraction = LessonExtraction(lesson_id, doc, merge_variants(got.concepts) if len(extractors) > 1 else got.concepts)
    return True


class _Progress:
    def __init__(self, cb: Progress | None, total: int) -> None:
        self.cb, self.total, self.done = cb, max(total, 1), 0

    def __call__(self, what: str) -> None:
        self.done += 1
        if self.cb:
            self.cb(min(self.done, self.total), self.total, what)


def _canonical(todo: list[_File], existing: list[Concept], kb) -> dict[str, list[Concept]]:
    """Per file, its concepts under their canonical ids: an existing KB concept's id when it is
    the same idea (title/alias/acronym, or title embedding ≥ 0.9), else the batch-merged id."""
    everything = [c for f in todo for c in f.extraction.concepts]
    merged = merge_variants(everything)
    to_existing = match_existing(merged, existing, kb.embedder) if existing else {}
    lead = {c.id: c for c in merged}
    out: dict[str, list[Concept]] = {}
    for f in todo:
        local = merge_variants(f.extraction.concepts)
        m = match_existing(local, merged)
        for c in local:
            cid = m.get(c.id, c.id)
            if cid not in to_existing and cid in lead and lead[cid].title != c.title:
                # whichever file is stored first, the concept goes by the batch's chosen name
                c.aliases = list(dict.fromkeys(a for a in (c.title, *c.aliases) if a != lead[cid].title))
                c.title = lead[cid].title
            c.id = to_existing.get(cid, cid)
            _own_sources(c, f.record_id)
        out[f.record_id] = list({c.id: c for c in local}.values())
    return out


def _own_sources(c: Concept, record_id: str) -> None:
    """Sources and examples cite the stored file record (so `forget` removes exactly them);
    extraction and prerequisite inference worked with the lesson group."""
    c.sources = [replace(s, lesson=record_id) for s in c.sources]
    c.examples = [replace(e, source=replace(e.source, lesson=record_id)) if e.source else e for e in c.examples]


def _attribute_edges(edges: list[Edge], ordered: list[_File], canon: dict[str, list[Concept]]) -> dict[str, list[Edge]]:
    """Each inferred edge is stored with the *later* of the files that teach its two ends (files
    are stored in order, so both ends exist when the edge is written); an edge between two
    concepts the knowledge base already had goes with the first file of the batch."""
    pos: dict[str, int] = {}
    for i, f in enumerate(ordered):
        for c in canon[f.record_id]:
            pos.setdefault(c.id, i)
    out: dict[str, list[Edge]] = {}
    for e in edges:
        i = max(pos.get(e.src, 0), pos.get(e.dst, 0))
        rid = ordered[i].record_id
        out.setdefault(rid, []).append(Edge(e.src, e.dst, e.kind, e.evidence, rid))
    return out

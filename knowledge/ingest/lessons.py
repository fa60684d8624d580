"""What prerequisite inference knows about lessons: their order and unit (:class:`LessonInfo`),
the concept each lesson and each section is about, where every concept is first taught
(:class:`FirstTaught`), and which sections are furniture or the introduction."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Iterable

from knowledge.models import Concept

from .curriculum import _NUMBERED, Curriculum, lesson_id_for
from .document import Block, Document
from .extract import _GENERIC_TAIL, _QUIZ, _section_roles, heading_term, is_furniture, split_sentences
from .mentions import MentionMatcher
from .terms import initials, is_acronym, term_keys


@dataclass
class LessonInfo:
    """A lesson as inference sees it: its documents (main document first), the global ids of
    the concepts it defines, its order, unit and title, and the concept it is about."""

    lesson_id: str
    docs: list[Document]
    concepts: list[str]  # global concept ids defined here
    order: tuple[float, ...] | None
    unit: str
    title: str
    main: str | None = None
    order_inferred: bool = False  # no order given: guessed from which lessons use which (lesson_order)


@dataclass(frozen=True, order=True)
class FirstTaught:
    """Where a concept is first taught. Instances compare by (lesson order, doc rank, section
    index, offset in the section); ``lesson`` takes no part. ``order`` is None for a concept
    whose lessons have no order: use :meth:`before`, which is never true then."""

    order: tuple[float, ...] | None
    doc_rank: int
    section: int
    offset: int
    lesson: str = field(compare=False)

    def before(self, other: FirstTaught) -> bool:
        """Is this taught before ``other`` (both in ordered lessons)?"""
        if self.order is None or other.order is None:
            return False
        return self < other


@dataclass(frozen=True)
class LabelledSection:
    """The section a cross-reference label names."""

    lesson: LessonInfo
    path: str
    section: int


def _heading(les: LessonInfo, path: str, si: int) -> str:
    doc = next(d for d in les.docs if d.path == path)
    return doc.sections[si].heading or doc.title


def _doc_rank(path: str, lesson_id: str) -> tuple[int, str]:
    rel = path[len(lesson_id):].lstrip("/") if path.startswith(lesson_id) else path
    name = PurePosixPath(rel).name.lower()
    if "/" not in rel and name.startswith("readme"):
        return (0, rel)
    if "/" not in rel and name.endswith((".md", ".html", ".htm", ".txt", ".pdf")) and not name.startswith("assignment"):
        return (1, rel)
    if name.endswith(".ipynb") and "/" not in rel:
        return (2, rel)
    return (3, rel)


def _unit_of(lesson_id: str) -> str:
    parent = posixpath.dirname(lesson_id)
    return parent if parent and _NUMBERED.match(PurePosixPath(parent).name or "") or re.match(
        r"^[A-Za-z]-", PurePosixPath(parent).name or "") else lesson_id


def _resolve(c: Concept, key_owner: dict[str, str]) -> str | None:
    for t in (c.title, *c.aliases):
        for k in sorted(term_keys(t)):
            if k in key_owner:
                return key_owner[k]
    return None


def _resolve_id(name: str, key_owner: dict[str, str], by_id: dict[str, Concept]) -> str | None:
    if name in by_id:
        return name
    for k in sorted(term_keys(name)):
        if k in key_owner:
            return key_owner[k]
    return None


def _title_parts(title: str) -> list[str]:
    """Candidate concept names in a lesson title: ``"Transformers. BERT."`` → Transformers,
    BERT; ``"Pre-trained Networks and Transfer Learning"`` → both halves."""
    out: list[str] = []
    ht = heading_term(title)
    if ht:
        out += [ht[0], *ht[1]]
    for part in re.split(r"\s*(?::|\.\s|\.$|\s[-–—]\s|\s&\s|\sand\s|,|/|\(|\))\s*", title):
        part = part.strip(" .")
        sub = heading_term(part) if part else None
        if sub:
            out += [sub[0], *sub[1]]
    return list(dict.fromkeys(out))


def _named_concept(title: str, key_owner: dict[str, str], allowed: Iterable[str]) -> str | None:
    """The concept of ``allowed`` a title names; an acronym standing alone ("Introduction to AI")
    names the one allowed concept whose words it abbreviates (Artificial Intelligence)."""
    allowed = set(allowed)
    parts = _title_parts(title) if title else []
    for t in parts:
        for name in dict.fromkeys((t, _GENERIC_TAIL.sub("", t))):
            for k in sorted(term_keys(name)):
                if k in key_owner and key_owner[k] in allowed:
                    return key_owner[k]
    for t in parts:
        if is_acronym(t):
            spelled = {cid for k, cid in key_owner.items() if cid in allowed and not k.startswith("acr:")
                       and " " in k and t.lower().rstrip("s") in initials(k)}
            if len(spelled) == 1:
                return spelled.pop()
    return None


def _main_concept(les: LessonInfo, key_owner: dict[str, str]) -> str | None:
    """The concept a lesson is about: the one its main document's title names, else the one
    its curriculum title names. None when neither title names a concept it defines."""
    if not les.docs:
        return None
    return _named_concept(les.docs[0].title, key_owner, les.concepts) or _named_concept(
        les.title, key_owner, les.concepts
    )


def _section_targets(doc: Document, les: LessonInfo, key_owner: dict[str, str],
                     merged_sources: dict[tuple[str, str], list[str]], main_doc: bool,
                     matcher: MentionMatcher) -> list[str | None]:
    """For each section, the concept that a reference in it points to: the concept its
    heading names, else the concept it defines (of several, the one it introduces: see
    :func:`_most_named`), else the concept of the level-1 heading it sits under, else (in the
    introduction of the lesson's main document) the lesson's main concept; None when there is none."""
    out: list[str | None] = []
    h1: str | None = None
    _, cite = _section_roles(doc)
    cited: dict[int, list[Block]] = {}  # blocks of sections cited as one (a quiz heading and the text before it)
    for si, sec in enumerate(doc.sections):
        cited.setdefault(cite.get(si, si), []).extend(sec.blocks)
    for si, sec in enumerate(doc.sections):
        if sec.level == 1 and sec.heading:
            h1 = _named_concept(sec.heading, key_owner, les.concepts)
        shown = doc.sections[cite.get(si, si)]
        head = _named_concept(shown.heading, key_owner, les.concepts) if shown.heading else None
        here = merged_sources.get((doc.path, shown.anchor), [])
        only = here[0] if len(here) == 1 else _most_named(here, cited[cite.get(si, si)], matcher)
        fallback = les.main if main_doc and _is_intro(doc, si) else None
        out.append(head or only or h1 or fallback)
    return out


def _most_named(ids: list[str], blocks: list[Block], matcher: MentionMatcher) -> str | None:
    """Of several concepts defined in a section, the one it introduces: the only one written
    in bold, else the one its sentences name most often (when one leads)."""
    if not ids:
        return None
    bold = [cid for cid in ids if any(cid in matcher.find(t) for b in blocks for t in b.bold)]
    if len(bold) == 1:
        return bold[0]
    counts = dict.fromkeys(bold or ids, 0)
    for b in blocks:
        for sentence in split_sentences(b.text):
            for cid in matcher.find(sentence):
                if cid in counts:
                    counts[cid] += 1
    ranked = sorted(counts.values(), reverse=True)
    if ranked[0] == 0 or (len(ranked) > 1 and ranked[0] == ranked[1]):
        return None
    return max(counts, key=counts.get)


def _first_taught(merged: list[Concept], info: dict[str, LessonInfo],
                  key_owner: dict[str, str]) -> dict[str, FirstTaught]:
    """concept id → where it is first taught: its earliest source, or an earlier section of
    the same lesson whose heading names it (the README section "Policy Gradients Algorithm"
    before the notebook that defines policy gradients). A concept whose lessons have no order
    gets ``order`` None."""
    out: dict[str, FirstTaught] = {}
    by_lesson_doc = {(les.lesson_id, d.path): (les, d) for les in info.values() for d in les.docs}
    for c in merged:
        best: FirstTaught | None = None
        for s in c.sources:
            found = by_lesson_doc.get((s.lesson, s.path))
            if found is None or found[0].order is None:
                continue
            les, d = found
            rank = _doc_rank(d.path, les.lesson_id)[0]
            si = next((i for i, sec in enumerate(d.sections) if sec.anchor == s.anchor), 0)
            offset = _offset(d, si, c)
            key = FirstTaught(les.order, rank, si, offset, les.lesson_id)
            if best is None or key < best:
                best = key
        if best is not None:
            out[c.id] = best
        elif c.sources:
            out[c.id] = FirstTaught(None, 9, 0, 0, c.sources[0].lesson)
    for les in info.values():
        if les.order is None:
            continue
        for d in les.docs:
            rank = _doc_rank(d.path, les.lesson_id)[0]
            for si, sec in enumerate(d.sections):
                if not sec.heading or sec.level < 2:
                    continue
                cid = _named_concept(sec.heading, key_owner, les.concepts)
                if cid is None:
                    continue
                key = FirstTaught(les.order, rank, si, -1, les.lesson_id)
                cur = out.get(cid)
                if cur is not None and cur.order is not None and cur.lesson == les.lesson_id and key < cur:
                    out[cid] = key
    return out


def _offset(doc: Document, si: int, concept: Concept) -> int:
    """Where in its section a concept is first named (to order concepts of one section)."""
    if si >= len(doc.sections):
        return 10**6
    text = " ".join(b.text for b in doc.sections[si].blocks).lower()
    best = 10**6
    for name in (concept.title, *concept.aliases):
        pos = text.find(name.lower())
        if 0 <= pos < best:
            best = pos
    if best == 10**6:
        pos = text.find(concept.definition[:40].lower())
        best = pos if pos >= 0 else best
    return best


def _skipped_sections(doc: Document) -> set[int]:
    skip: set[int] = set()
    level: int | None = None
    for si, sec in enumerate(doc.sections):
        if sec.heading and level is not None and sec.level <= level:
            level = None
        if sec.heading and is_furniture(sec.heading) and not _QUIZ.search(sec.heading):
            level = sec.level
        if level is not None:
            skip.add(si)
    return skip


def _is_intro(doc: Document, si: int) -> bool:
    """The lesson introduction: text before the first sub-heading that is not a quiz."""
    for j in range(0, si + 1):
        sec = doc.sections[j]
        if j > 0 and sec.heading and sec.level >= 2 and not _QUIZ.search(sec.heading):
            return False
    return True


def _target_lesson(target: str, info: dict[str, LessonInfo]) -> str | None:
    if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(".."):
        return None
    lid = lesson_id_for(target)
    if lid in info:
        return lid
    # a misspelt folder ("14-Emdeddings"): same parent and the same lesson number
    parent, name = posixpath.split(lid)
    m = _NUMBERED.match(name)
    if m:
        for other in info:
            op, on = posixpath.split(other)
            om = _NUMBERED.match(on)
            if op == parent and om and om.groups() == m.groups():
                return other
    return None


def _dist(a: LessonInfo, b: LessonInfo) -> float:
    if a.order is None or b.order is None:
        return 0.0
    return abs(b.order[-1] - a.order[-1]) if len(a.order) == len(b.order) else 1.0


def _previous(les: LessonInfo, ordered: list[LessonInfo]) -> LessonInfo | None:
    prev = None
    for other in ordered:
        if other.order >= les.order:
            break
        if other.main:
            prev = other
    return prev


def _first_mention(les: LessonInfo, cid: str, matcher: MentionMatcher) -> tuple[str, str] | None:
    for doc in les.docs:
        skip = _skipped_sections(doc)
        for si, sec in enumerate(doc.sections):
            if si in skip:
                continue
            for b in sec.blocks:
                if b.kind in ("html", "heading"):
                    continue
                for sentence in split_sentences(b.text):
                    if cid in matcher.find(sentence):
                        return f"{doc.path} § {sec.heading or doc.title}", sentence
    return None


def _number(les: LessonInfo, curriculum: Curriculum | None) -> str:
    if curriculum is not None:
        e = curriculum.entry(les.lesson_id)
        if e is not None:
            return str(e.number) if e.number >= 0 else ""
    if les.order:
        return ".".join(str(int(x)) if x < 1000 else f"X{int(x - 1000)}" for x in les.order)
    return ""


def _taught_label(cid: str, first_taught: dict[str, FirstTaught], info: dict[str, LessonInfo],
                  curriculum: Curriculum | None) -> str:
    ft = first_taught.get(cid)
    if ft is None or ft.lesson not in info:
        return "in an earlier lesson"
    les = info[ft.lesson]
    n = _number(les, curriculum)
    return f"'{les.title}'" + (f", lesson {n}" if n else "")

"""Prerequisite edges between concepts, each with the evidence that produced it.

Signals (each edge needs one; lesson order alone never makes an edge):

* **phrase** — a sentence of lesson L refers back ("in the previous unit we learned ...",
  "as we discussed", "builds on", "recall that", "so far") and names a concept X taught in an
  earlier lesson: X → L's main concept (or the concept of that section).
* **link** — lesson L links to an earlier lesson M: the concept the link text names (or M's
  main concept) → L's main concept. Broken links still count when they point into M's folder.
  A link from the body of a lesson into another unit is often an analogy ("this resembles a
  [GAN]"): it only adds to another signal.
* **reference** — a cross-reference (``:numref:`sec_x``` and other roles, read by the parser as
  links to ``label:sec_x``) to a labelled section taught before, in a sentence that does not
  look ahead ("as we will see in ..."): the concept the reference names, else the concept of
  the labelled section, else its lesson's main concept → the concept of the referring section.
* **intro** — the opening of lesson L (its first two sentences) names a concept taught in an
  earlier lesson: X → L's main concept. Later in the introduction such a mention only adds to
  another signal (it is as often context as groundwork).
* **definition** — the definition or the title of concept A uses concept B, taught earlier
  (an earlier lesson, or earlier in the same lesson): B → A. An ordinary word (:func:`~knowledge.ingest.lexicon.is_ordinary_word`)
  counts only as the kind A is ("a perceptron is a binary classification model"). A section
  listing kinds of B ("Well-Known CNN Architectures") makes B → each concept it defines.
* **heading** — a concept first taught in a subsection under a heading that names another kind of
  the same thing (the same head noun: "Layer Normalization" under "Batch Normalization", "Xavier
  Initialization" under "Parameter Initialization"): the heading's concept → it.
* **topic** — a concept L's main document defines under a heading of its own, after L's main
  concept is taught, and that at most one other lesson names: L's main concept → it (object
  detection → intersection over union). Not in a lesson whose title names two topics.
* **lesson order** — L's main concept follows the main concept of the lesson just before it
  in the same unit, and L's text names that concept: previous main → L's main.

Asides ("Note: ...", image credits) and concepts named only as examples of another ("large
transformer models, such as BERT") are no evidence.

Lesson order (a curriculum table or the course's ``toc`` blocks, else numbered folder/file names such as
``lessons/3-NeuralNetworks/04-OwnFramework`` → (3, 4)) orients every signal. Terms that
appear in most lessons ("neural network", "data") are too common to count as a mention.
Edges never form a cycle: candidates are added strongest first and one that would close a
cycle is dropped (:mod:`networkx`).

Each signal is one function of :mod:`knowledge.ingest.signals` (what sentences say) or
:mod:`knowledge.ingest.structure_signals` (where a concept sits); what they know about lessons
(order, units, main concepts, where a concept is first taught) is :mod:`knowledge.ingest.lessons`'s.
This module weighs their candidates (:data:`WEIGHTS`) and keeps the acyclic, confident ones.
"""

from __future__ import annotations

import re
from collections import Counter

from dataclasses import dataclass, field
from typing import Iterable

import networkx as nx

from knowledge.models import Concept, Edge

from .curriculum import Curriculum, order_from_path
from .document import Document
from .extract import split_sentences
from .lessons import (
    FirstTaught, LabelledSection, LessonInfo, _doc_rank, _first_taught, _is_intro, _main_concept, _named_concept, _resolve, _resolve_id,
    _section_targets, _skipped_sections, _unit_of,
)
from .lesson_order import infer_order, mentions_by_lesson
from .lexicon import is_ordinary_word
from .mentions import MentionMatcher
from .merge import merge_variants
from .signals import INFERRED, Place, SignalContext, definition_signal, link_signal, order_signal, phrase_signal, reference_signal
from .related import CONTRAST, OPENING, opening_signal, related_edges
from .structure_signals import glossary_signal, heading_signal, kinds_signal, topic_signal
from .terms import norm_key, term_keys


@dataclass
class LessonExtraction:
    """One parsed lesson file and the concepts extracted from it. Several files may share a
    ``lesson_id`` (a README, its notebooks and lab); ``order`` overrides the lesson order."""

    lesson_id: str
    document: Document
    concepts: list[Concept]
    order: tuple[float, ...] | None = None


# ---------------------------------------------------------------------------------------------
# inference

WEIGHTS = {"phrase": 3.0, "link": 3.0, "reference": 3.0, "definition": 2.5, "definition context": 1.0, "intro": 2.0, "intro later": 1.0, "order": 2.0, "far link": 1.0, "heading": 2.0, "topic": 2.0,
           OPENING: 0.0, CONTRAST: 0.0}  # the last two relate, never order (:mod:`knowledge.ingest.related`)
MIN_WEIGHT = 2.0
TEACHER_WEIGHT = 1000.0  # an edge the teacher's overrides file asks for
COMMON_FRACTION = 0.6  # a term named in more than this share of lessons is too common to be evidence


@dataclass
class _Candidate:
    src: str
    dst: str
    weight: float
    evidence: list[tuple[float, str]]
    lesson: str
    distance: float
    kinds: set[str] = field(default_factory=set)  # the signals that proposed it


def infer_prerequisites(
    lessons: list[LessonExtraction],
    curriculum: Curriculum | None = None,
    known_concepts: Iterable[Concept] = (),
    *,
    extra_edges: Iterable[Edge] = (),
    teacher: Iterable[tuple[str, str]] = (),
    banned: Iterable[tuple[str, str]] = (),
) -> list[Edge]:
    """Confident ``prerequisite_of`` edges between concepts of ``lessons`` (and
    ``known_concepts`` already in the knowledge base), with evidence. Concept ids are those of
    ``merge_variants(known_concepts + all lesson concepts)``: a known concept keeps its id.
    ``extra_edges`` (e.g. from the LLM extractor) join the cycle check with weight 2.5.
    ``teacher`` pairs (first, then; concept names from the course's overrides file) are always
    edges, ``banned`` pairs never. After them, a ``related_to``/``contrasts_with`` edge for each
    pair the signals connect too weakly for an order (:func:`~knowledge.ingest.related.related_edges`)."""
    known = list(known_concepts)
    raw = known + [c for le in lessons for c in le.concepts]
    merged = merge_variants(raw)
    key_owner: dict[str, str] = {}
    for c in merged:
        for t in (c.title, *c.aliases):
            for k in term_keys(t):
                key_owner.setdefault(k, c.id)
    by_id = {c.id: c for c in merged}
    info = _lesson_info(lessons, curriculum, key_owner)
    matcher = MentionMatcher(merged)

    cands: dict[tuple[str, str], _Candidate] = {}

    def add(src: str | None, dst: str | None, kind: str, evidence: str, lesson: str, distance: float = 0.0) -> None:
        if not src or not dst or src == dst:
            return
        w = WEIGHTS[kind]
        c = cands.get((src, dst))
        if c is None:
            cands[(src, dst)] = _Candidate(src, dst, w, [(w, evidence)], lesson, distance, {kind})
        elif evidence not in (e for _, e in c.evidence):
            c.weight += w
            c.evidence.append((w, evidence))
            c.kinds.add(kind)

    mentions = mentions_by_lesson(matcher, info)
    common = _common_terms(mentions, info, merged)
    infer_order(info, mentions, common)
    ctx = SignalContext(
        add=add, info=info, by_id=by_id, first_taught=_first_taught(merged, info, key_owner), matcher=matcher,
        common=common, curriculum=curriculum,
        ordered=sorted((l for l in info.values() if l.order is not None), key=lambda l: l.order),
        sources_at={}, targets_of={}, label_at={}, mentions=mentions,
    )
    for c in merged:
        for src in c.sources:
            ids = ctx.sources_at.setdefault((src.path, src.anchor), [])
            if c.id not in ids:
                ids.append(c.id)
    for les in info.values():
        for di, doc in enumerate(les.docs):
            ctx.targets_of[doc.path] = _section_targets(doc, les, key_owner, ctx.sources_at, di == 0, matcher)
            for si, sec in enumerate(doc.sections):
                for lab in sec.labels:
                    ctx.label_at.setdefault(lab, LabelledSection(les, doc.path, si))
    # the signals, in this order: evidence for one edge keeps the order it was found in
    for les in info.values():
        for di, doc in enumerate(les.docs):
            skip = _skipped_sections(doc)
            targets = ctx.targets_of[doc.path]
            for si, sec in enumerate(doc.sections):
                if si in skip:
                    continue
                at = Place(les, doc, si, f"{doc.path} § {sec.heading or doc.title}", targets[si],
                           di == 0 and _is_intro(doc, si))
                opening = 0  # sentences of the introduction read so far: the first two open the lesson
                for b in sec.blocks:
                    reference_signal(ctx, at, b)
                    link_signal(ctx, at, b)
                    opening = phrase_signal(ctx, at, b, opening)
        order_signal(ctx, les)
    for les in info.values():
        for doc in les.docs:
            for si in range(len(doc.sections)):
                kinds_signal(ctx, les, doc, si)
                heading_signal(ctx, les, doc, si)
    for c in merged:
        definition_signal(ctx, c)
        opening_signal(ctx, c)
    for les in info.values():  # the weakest evidence last: an edge's evidence begins with its strongest
        topic_signal(ctx, les)
        for doc in les.docs:
            for si in range(len(doc.sections)):
                glossary_signal(ctx, les, doc, si)
    homes = _homes(info, key_owner, curriculum)
    for key in [k for k, c in cands.items() if _backwards(c, ctx.first_taught, homes)]:
        del cands[key]
    for e in extra_edges:
        a, b = _resolve_id(e.src, key_owner, by_id), _resolve_id(e.dst, key_owner, by_id)
        if a and b and a != b:
            c = cands.get((a, b))
            if c is None:
                cands[(a, b)] = _Candidate(a, b, 2.5, [(2.5, e.evidence or "extra edge")], e.lesson, 0.0)
            else:
                c.weight += 2.5
                c.evidence.append((2.5, e.evidence or "extra edge"))
    for names in banned:
        a, b = (_resolve_id(n, key_owner, by_id) for n in names)
        cands.pop((a, b), None)
    for names in teacher:
        a, b = (_resolve_id(n, key_owner, by_id) for n in names)
        if a and b and a != b:  # heavier than any inferred edge: the cycle check keeps it
            cands[(a, b)] = _Candidate(a, b, TEACHER_WEIGHT, [(TEACHER_WEIGHT, "the teacher's course file")], "", -1.0)
    prerequisites = _acyclic(cands)
    return prerequisites + related_edges([c for c in cands.values() if c.weight < MIN_WEIGHT], prerequisites)


_MORE = re.compile(r"\(\+(\d+) more signals?\)$")


def signals(evidence: str) -> int:
    """How many of the course's signals an edge rests on: 0 for one stated outright (a curated
    course, the teacher's file, an extractor), else 1 + the others its evidence counts."""
    if not INFERRED.match(evidence):
        return 0
    m = _MORE.search(evidence)
    return 1 + int(m.group(1)) if m else 1


def _backwards(c: _Candidate, first_taught: dict[str, FirstTaught], homes: dict[str, tuple[float, ...]]) -> bool:
    """An edge into a concept whose own lesson or section (``homes``) comes in an earlier lesson
    than where its source is first taught: a later lesson that names both (an appendix revisiting
    linear algebra "for deep learning") says nothing about what comes first, and the course's own
    order says the opposite. A concept only named in passing before its own lesson (an embedding
    mentioned in an earlier unit) is judged by its lesson."""
    a, home = first_taught.get(c.src), homes.get(c.dst)
    return a is not None and a.order is not None and home is not None and home < a.order


def _homes(info: dict[str, LessonInfo], key_owner: dict[str, str],
           curriculum: Curriculum | None) -> dict[str, tuple[float, ...]]:
    """concept id → the order of the first lesson that is about it (its main concept) or gives it
    a section of its own (a heading names it). A chapter's overview page (a toc listing the
    lessons after it) names what the chapter will teach: no home."""
    out: dict[str, tuple[float, ...]] = {}

    def home(cid: str | None, order: tuple[float, ...]) -> None:
        if cid and (cid not in out or order < out[cid]):
            out[cid] = order

    for les in info.values():
        entry = curriculum.entry(les.lesson_id) if curriculum is not None else None
        if les.order is None or (entry is not None and entry.overview):
            continue
        home(les.main, les.order)
        for d in les.docs:
            for sec in d.sections:
                if sec.heading:
                    home(_named_concept(sec.heading, key_owner, les.concepts), les.order)
    return out


def _lesson_info(lessons: list[LessonExtraction], curriculum: Curriculum | None,
                 key_owner: dict[str, str]) -> dict[str, LessonInfo]:
    """The lessons (files grouped by lesson id), their order, units and main concepts."""
    groups: dict[str, list[LessonExtraction]] = {}
    for le in lessons:
        groups.setdefault(le.lesson_id, []).append(le)
    info: dict[str, LessonInfo] = {}
    for lid, les in groups.items():
        docs = sorted((le.document for le in les), key=lambda d: _doc_rank(d.path, lid))
        order = next((le.order for le in les if le.order is not None), None)
        unit = _unit_of(lid)
        title = docs[0].title if docs else lid
        if order is None and curriculum is not None:
            pos = curriculum.position(lid)
            order = (pos,) if pos is not None else None
            entry = curriculum.entry(lid)
            if entry is not None:
                unit = entry.unit or unit
                title = entry.title if entry.number >= 0 and entry.title else title
        if order is None and curriculum is None:
            order = order_from_path(lid)
        ids: list[str] = []
        for le in les:
            for c in le.concepts:
                gid = _resolve(c, key_owner)
                if gid and gid not in ids:
                    ids.append(gid)
        info[lid] = LessonInfo(lid, docs, ids, order, unit, title)
    for les in info.values():
        les.main = _main_concept(les, key_owner)
    return info


def _common_terms(mentions: dict[str, Counter[str]], info: dict[str, LessonInfo], concepts: list[Concept]) -> set[str]:
    """Concepts whose mention is no evidence: ordinary English words (:func:`is_ordinary_word`)
    and terms named in more than :data:`COMMON_FRACTION` of the lessons."""
    general = {c.id for c in concepts if is_ordinary_word(norm_key(c.title))}
    if len(info) < 5:
        return general
    df: dict[str, int] = {}
    for seen in mentions.values():
        for cid in seen:
            df[cid] = df.get(cid, 0) + 1
    return general | {cid for cid, n in df.items() if n > COMMON_FRACTION * len(info)}


def _acyclic(cands: dict[tuple[str, str], _Candidate]) -> list[Edge]:
    g = nx.DiGraph()
    kept: list[Edge] = []
    for c in sorted(cands.values(), key=lambda c: (-c.weight, c.distance, c.src, c.dst)):
        if c.weight < MIN_WEIGHT:
            continue
        if g.has_node(c.dst) and g.has_node(c.src) and nx.has_path(g, c.dst, c.src):
            continue  # would close a cycle: the stronger edges already there win
        g.add_edge(c.src, c.dst)
        ev = sorted((x for x in c.evidence if x[0] > 0), key=lambda x: -x[0])  # (a relation is no signal of order)
        evidence = ev[0][1] + (f" (+{len(ev) - 1} more signal{'s' if len(ev) > 2 else ''})" if len(ev) > 1 else "")
        kept.append(Edge(src=c.src, dst=c.dst, evidence=evidence, lesson=c.lesson))
    return kept

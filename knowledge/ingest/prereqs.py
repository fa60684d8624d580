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
* **lesson order** — L's main concept follows the main concept of the lesson just before it
  in the same unit, and L's text names that concept: previous main → L's main.

Asides ("Note: ...", image credits) and concepts named only as examples of another ("large
transformer models, such as BERT") are no evidence.

Lesson order (a curriculum table or the course's ``toc`` blocks, else numbered folder/file names such as
``lessons/3-NeuralNetworks/04-OwnFramework`` → (3, 4)) orients every signal. Terms that
appear in most lessons ("neural network", "data") are too common to count as a mention.
Edges never form a cycle: candidates are added strongest first and one that would close a
cycle is dropped (:mod:`networkx`).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Iterable

import networkx as nx

from knowledge.models import Concept, Edge

from .dialects import REF_SCHEME
from .curriculum import _NUMBERED, Curriculum, lesson_id_for, order_from_path
from .document import Block, Document, one_line
from .extract import (
    _GENERIC_TAIL,
    _QUIZ,
    _section_roles,
    heading_term,
    is_furniture,
    split_sentences,
    variants_of,
)
from .lexicon import is_ordinary_word
from .mentions import MentionMatcher
from .merge import merge_variants
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

_BUILDS_ON = re.compile(r"\b(?:builds?\s+(?:up)?on|extends|is\s+an\s+extension\s+of|improves\s+on)\b", re.IGNORECASE)
_BACKREF = re.compile(
    r"\b(?:in|from|during|throughout)\s+(?:the\s+|our\s+)?(?:previous|prior|last|earlier|preceding)\s+"
    r"(?:sections?|lessons?|units?|chapters?|modules?|notebooks?|parts?|examples?|lectures?|tasks?)\b"
    r"|\b(?:previous|prior|earlier)\s+(?:sections?|lessons?|units?|chapters?|modules?|lectures?)\b"
    r"|\b(?:we|you)\s+(?:have\s+)?(?:already\s+|previously\s+)?(?:discussed|learned|learnt|seen|talked\s+about|"
    r"covered|introduced|studied|considered|described|dealt\s+with|defined|been\s+using|used)\b[^.;]*?"
    r"\b(?:previous(?:ly)?|before|earlier|already|so\s+far|prior)\b"
    r"|\b(?:previously|earlier|already)\s+(?:learned|learnt|discussed|seen|introduced|covered|described|familiar)\b"
    r"|\brecall\s+(?:that|how|what)\b|\bremember\s+(?:that|how|what)\b"
    r"|\bas\s+(?:we|you)\s+(?:have\s+)?(?:already\s+)?(?:discussed|learned|learnt|seen|know|mentioned)\b"
    r"|\bwe\s+are\s+already\s+familiar\s+with\b|\bintroduced\s+(?:earlier|before|previously)\b"
    r"|\bwe\s+have\s+(?:dealt|worked)\s+with\s+so\s+far\b|\bso\s+far\b",
    re.IGNORECASE,
)
# "Note: for better results you can use X, as described in the previous unit": an aside about
# an option, not what the lesson builds on
_ASIDE = re.compile(
    r"^\W*(?:(?:note|tip|hint|remark|aside|side\s+note|fun\s+fact|did\s+you\s+know)\b\W"
    r"|(?:image|picture|figure|photo|illustration|diagram)s?\s+(?:is\s+|are\s+)?(?:from|by|courtesy|source)\b)",
    re.IGNORECASE)
WEIGHTS = {"phrase": 3.0, "link": 3.0, "reference": 3.0, "definition": 2.5, "definition context": 1.0, "intro": 2.0, "intro later": 1.0, "order": 2.0, "far link": 1.0}
MIN_WEIGHT = 2.0
COMMON_FRACTION = 0.6  # a term named in more than this share of lessons is too common to be evidence


@dataclass
class _Lesson:
    lesson_id: str
    docs: list[Document]
    concepts: list[str]  # global concept ids defined here
    order: tuple[float, ...] | None
    unit: str
    title: str
    main: str | None = None


@dataclass
class _Candidate:
    src: str
    dst: str
    weight: float
    evidence: list[tuple[float, str]]
    lesson: str
    distance: float


def infer_prerequisites(
    lessons: list[LessonExtraction],
    curriculum: Curriculum | None = None,
    known_concepts: Iterable[Concept] = (),
    *,
    extra_edges: Iterable[Edge] = (),
) -> list[Edge]:
    """Confident ``prerequisite_of`` edges between concepts of ``lessons`` (and
    ``known_concepts`` already in the knowledge base), with evidence. Concept ids are those of
    ``merge_variants(known_concepts + all lesson concepts)``: a known concept keeps its id.
    ``extra_edges`` (e.g. from the LLM extractor) join the cycle check with weight 2.5."""
    known = list(known_concepts)
    raw = known + [c for le in lessons for c in le.concepts]
    merged = merge_variants(raw)
    key_owner: dict[str, str] = {}
    for c in merged:
        for t in (c.title, *c.aliases):
            for k in term_keys(t):
                key_owner.setdefault(k, c.id)
    by_id = {c.id: c for c in merged}

    # lessons, their order and units
    groups: dict[str, list[LessonExtraction]] = {}
    for le in lessons:
        groups.setdefault(le.lesson_id, []).append(le)
    info: dict[str, _Lesson] = {}
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
                title = entry.title if entry.number >= 0 else title
        if order is None and curriculum is None:
            order = order_from_path(lid)
        ids: list[str] = []
        for le in les:
            for c in le.concepts:
                gid = _resolve(c, key_owner)
                if gid and gid not in ids:
                    ids.append(gid)
        info[lid] = _Lesson(lid, docs, ids, order, unit, title)
    for les in info.values():
        les.main = _main_concept(les, key_owner)

    first_taught = _first_taught(merged, info, key_owner)
    matcher = MentionMatcher(merged)
    common = _common_terms(matcher, info, merged)

    cands: dict[tuple[str, str], _Candidate] = {}

    def add(src: str | None, dst: str | None, kind: str, evidence: str, lesson: str, distance: float = 0.0) -> None:
        if not src or not dst or src == dst:
            return
        w = WEIGHTS[kind]
        c = cands.get((src, dst))
        if c is None:
            cands[(src, dst)] = _Candidate(src, dst, w, [(w, evidence)], lesson, distance)
        elif evidence not in (e for _, e in c.evidence):
            c.weight += w
            c.evidence.append((w, evidence))

    def earlier(cid: str, les: _Lesson) -> bool:
        ft = first_taught.get(cid)
        return ft is not None and les.order is not None and ft[0] is not None and ft[0] < les.order

    def label(les: _Lesson) -> str:
        n = _number(les, curriculum)
        return f"'{les.title}'" + (f" (lesson {n})" if n else "")

    ordered = sorted((l for l in info.values() if l.order is not None), key=lambda l: l.order)
    sources_at: dict[tuple[str, str], list[str]] = {}
    for c in merged:
        for src in c.sources:
            ids = sources_at.setdefault((src.path, src.anchor), [])
            if c.id not in ids:
                ids.append(c.id)
    targets_of: dict[str, list[str | None]] = {}
    label_at: dict[str, tuple[_Lesson, str, int]] = {}  # cross-reference label → (lesson, doc path, section)
    for les in info.values():
        for di, doc in enumerate(les.docs):
            targets_of[doc.path] = _section_targets(doc, les, key_owner, sources_at, di == 0, matcher)
            for si, sec in enumerate(doc.sections):
                for lab in sec.labels:
                    label_at.setdefault(lab, (les, doc.path, si))
    for les in info.values():
        main = les.main
        for di, doc in enumerate(les.docs):
            skip = _skipped_sections(doc)
            targets = targets_of[doc.path]
            for si, sec in enumerate(doc.sections):
                if si in skip:
                    continue
                where = f"{doc.path} § {sec.heading or doc.title}"
                dst = targets[si]
                intro = di == 0 and _is_intro(doc, si)
                opening = 0  # sentences of the introduction read so far: the first two open the lesson
                for b in sec.blocks:
                    # cross-references to labelled sections taught before ("as described in :numref:`sec_x`")
                    for text, target in b.links:
                        ref = label_at.get(target[len(REF_SCHEME):]) if target.startswith(REF_SCHEME) else None
                        if ref is None or dst is None:
                            continue
                        other, tpath, tsi = ref
                        same = other is les
                        if same and not (tpath == doc.path and tsi < si):
                            continue
                        if not same and (other.order is None or les.order is None or not other.order < les.order):
                            continue
                        sentence = next((x for x in split_sentences(b.text) if text in x), b.text)
                        such = _SUCH_AS.search(sentence)
                        if _FORWARD.search(sentence) or _ASIDE.match(sentence) or (
                                such and such.start() < sentence.find(text)):  # "for example, ResNet in ..."
                            continue
                        named = [cid for cid in matcher.find(text) if cid in other.concepts]
                        src = named[0] if named else (targets_of[tpath][tsi] or other.main)
                        if src in les.concepts and not same and not earlier(src, les):
                            continue
                        add(src, dst, "reference",
                            f"cross-reference in {where} to {tpath} § {_heading(other, tpath, tsi)}: '{_quote(sentence)}'",
                            les.lesson_id, _dist(other, les))
                    # links to earlier lessons
                    for text, target in b.links:
                        tl = _target_lesson(target, info)
                        if tl is None or tl == les.lesson_id or dst is None:
                            continue
                        other = info[tl]
                        if other.order is None or les.order is None or not other.order < les.order:
                            continue
                        named = [cid for cid in matcher.find(text) if cid in other.concepts]
                        src = named[0] if named else other.main
                        far = not intro and other.unit != les.unit  # "this resembles a [GAN]" (another unit)
                        add(src, dst, "far link" if far else "link",
                            f"link in {where}: [{text}]({target}) to earlier lesson {label(other)}",
                            les.lesson_id, _dist(other, les))
                    if b.kind in ("html", "heading") or dst is None or _ASIDE.match(b.text):
                        continue
                    for sentence in split_sentences(b.text):
                        opening += 1
                        found = [cid for cid in matcher.find(sentence) if cid not in common]
                        if not found:
                            continue
                        built = _BUILDS_ON.search(sentence)
                        if built:  # "X builds on Y": Y → X
                            after = [cid for cid in matcher.find(sentence[built.end():]) if cid not in common]
                            before = [cid for cid in matcher.find(sentence[: built.start()]) if cid not in common]
                            if after and (before or dst):
                                a, b2 = after[0], (before[-1] if before else dst)
                                if first_taught.get(a) is None or first_taught.get(b2) is None or not _before(
                                        first_taught[b2], first_taught[a]):
                                    add(a, b2, "phrase", f"phrase in {where}: '{_quote(sentence)}'", les.lesson_id)
                            continue
                        back = _BACKREF.search(sentence)
                        instances = _instances(sentence, matcher, common)
                        for cid in found:
                            if cid == dst or (cid in les.concepts and not earlier(cid, les)) or cid in instances:
                                continue
                            if back and (earlier(cid, les) or first_taught.get(cid, (None,))[0] is None):
                                add(cid, dst, "phrase", f"phrase in {where}: '{_quote(sentence)}'", les.lesson_id)
                            elif intro and earlier(cid, les) and not _FORWARD.search(sentence):
                                add(cid, dst, "intro" if opening <= 2 else "intro later",
                                    f"introduction of {doc.path} names '{by_id[cid].title}' taught earlier "
                                    f"({_taught_label(cid, first_taught, info, curriculum)}): '{_quote(sentence)}'",
                                    les.lesson_id)
        # lesson order: previous lesson of the same unit, when this lesson names its main concept
        if les.order is not None and main:
            prev = _previous(les, ordered)
            if prev is not None and prev.main and prev.unit == les.unit:
                hit = _first_mention(les, prev.main, matcher)
                if hit:
                    src_note = "curriculum table" if curriculum is not None else "numbered folders"
                    add(prev.main, main, "order",
                        f"lesson order: {label(prev)} before {label(les)} per {src_note}, same unit "
                        f"'{les.unit}', and {hit[0]} names '{by_id[prev.main].title}': '{_quote(hit[1])}'",
                        les.lesson_id, _dist(prev, les))
    # a section about kinds of a concept ("Well-Known CNN Architectures"): what it defines is one
    for les in info.values():
        for doc in les.docs:
            for si, sec in enumerate(doc.sections):
                kind = _kinds_heading(sec.heading, matcher, common)
                if kind is None or first_taught.get(kind) is None:
                    continue
                end = next((j for j in range(si + 1, len(doc.sections))
                            if doc.sections[j].heading and doc.sections[j].level <= sec.level), len(doc.sections))
                for sj in range(si, end):
                    for cid in sources_at.get((doc.path, doc.sections[sj].anchor), []):
                        ft = first_taught.get(cid)
                        if (cid != kind and ft is not None and ft[4] == les.lesson_id
                                and _before(first_taught[kind], ft)):
                            add(kind, cid, "definition",
                                f"'{by_id[cid].title}' is taught under '{sec.heading}' in {doc.path}", les.lesson_id)
    # titles that contain another concept ("Stochastic gradient descent" ⊃ "gradient descent"),
    # definitions that use a concept taught before
    for c in merged:
        ft_c = first_taught.get(c.id)
        if ft_c is None:
            continue
        title_hits = [cid for cid in matcher.find_within(c.title) if cid != c.id]
        for cid in title_hits:
            ft_b = first_taught.get(cid)
            if ft_b is not None and _before(ft_b, ft_c):
                add(cid, c.id, "definition",
                    f"title '{c.title}' contains '{by_id[cid].title}' taught earlier "
                    f"({_taught_label(cid, first_taught, info, curriculum)})", ft_c[4])
        for cid in matcher.find(c.definition) if c.taught == "defined" else ():  # an introducing sentence is no definition
            if cid == c.id or cid in title_hits:
                continue
            if cid in common and not _genus(c.definition, c, by_id[cid]):
                continue
            ft_b = first_taught.get(cid)
            if ft_b is None:
                continue
            if _uses(c.definition, by_id[cid], c):  # "transformers use a self-attention mechanism"
                if _before(ft_c, ft_b):
                    add(c.id, cid, "definition",
                        f"definition of '{c.title}' says '{by_id[cid].title}' uses it: '{_quote(c.definition)}'", ft_b[4])
                continue
            if _before(ft_b, ft_c):
                add(cid, c.id, "definition context" if _purpose(c.definition, by_id[cid]) else "definition",
                    f"definition of '{c.title}' uses '{by_id[cid].title}' taught earlier "
                    f"({_taught_label(cid, first_taught, info, curriculum)})", ft_c[4])
    for e in extra_edges:
        a, b = _resolve_id(e.src, key_owner, by_id), _resolve_id(e.dst, key_owner, by_id)
        if a and b and a != b:
            c = cands.get((a, b))
            if c is None:
                cands[(a, b)] = _Candidate(a, b, 2.5, [(2.5, e.evidence or "extra edge")], e.lesson, 0.0)
            else:
                c.weight += 2.5
                c.evidence.append((2.5, e.evidence or "extra edge"))
    return _acyclic(cands)


# ---------------------------------------------------------------------------------------------
# helpers


_FORWARD = re.compile(r"\b(?:will|shall|later|subsequent(?:ly)?|going\s+to|upcoming|next\s+(?:section|chapter)|defer)\b", re.IGNORECASE)


def _heading(les: _Lesson, path: str, si: int) -> str:
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
    allowed = set(allowed)
    for t in _title_parts(title) if title else []:
        for name in dict.fromkeys((t, _GENERIC_TAIL.sub("", t))):
            for k in sorted(term_keys(name)):
                if k in key_owner and key_owner[k] in allowed:
                    return key_owner[k]
    return None


def _main_concept(les: _Lesson, key_owner: dict[str, str]) -> str | None:
    """The concept a lesson is about: the one its main document's title names, else the one
    its curriculum title names. None when neither title names a concept it defines."""
    if not les.docs:
        return None
    return _named_concept(les.docs[0].title, key_owner, les.concepts) or _named_concept(
        les.title, key_owner, les.concepts
    )


def _section_targets(doc: Document, les: _Lesson, key_owner: dict[str, str],
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


def _first_taught(merged: list[Concept], info: dict[str, _Lesson], key_owner: dict[str, str]) -> dict[str, tuple]:
    """concept id → (lesson order, doc rank, section index, offset, lesson id) of where it is
    first taught: its earliest source, or an earlier section of the same lesson whose heading
    names it (the README section "Policy Gradients Algorithm" before the notebook that
    defines policy gradients)."""
    out: dict[str, tuple] = {}
    by_lesson_doc = {(les.lesson_id, d.path): (les, d) for les in info.values() for d in les.docs}
    for c in merged:
        best = None
        for s in c.sources:
            found = by_lesson_doc.get((s.lesson, s.path))
            if found is None or found[0].order is None:
                continue
            les, d = found
            rank = _doc_rank(d.path, les.lesson_id)[0]
            si = next((i for i, sec in enumerate(d.sections) if sec.anchor == s.anchor), 0)
            offset = _offset(d, si, c)
            key = (les.order, rank, si, offset, les.lesson_id)
            if best is None or key[:4] < best[:4]:
                best = key
        if best is not None:
            out[c.id] = best
        elif c.sources:
            out[c.id] = (None, 9, 0, 0, c.sources[0].lesson)
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
                key = (les.order, rank, si, -1, les.lesson_id)
                cur = out.get(cid)
                if cur is not None and cur[0] is not None and cur[4] == les.lesson_id and key[:4] < cur[:4]:
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


def _before(a: tuple, b: tuple) -> bool:
    if a[0] is None or b[0] is None:
        return False
    return a[:4] < b[:4]


def _names(c: Concept) -> str:
    """A regex alternation of the concept's title, aliases and their variants."""
    return "|".join(re.escape(v) for v in variants_of(c.title, c.aliases))


def _uses(definition: str, whole: Concept, part: Concept) -> bool:
    """Does the definition of ``part`` say that ``whole`` uses/contains it?"""
    wpat, ppat = _names(whole), _names(part)
    return bool(re.search(
        rf"(?:{wpat})\w*\s+(?:use|uses|employ|employs|consist\s+of|consists\s+of|contain|contains|rely\s+on|"
        rf"relies\s+on|are\s+built\s+(?:from|on)|is\s+built\s+(?:from|on))\b\s+(?:an?\s+|the\s+)?(?:\w+\s+){{0,2}}(?:{ppat})",
        definition, re.IGNORECASE))


def _purpose(definition: str, other: Concept) -> bool:
    """Is ``other`` named in the definition only as what the concept is for or where it is
    used ("very common for semantic segmentation", "trained in one backpropagation pass")?"""
    return bool(re.search(rf"\b(?:for|in|at|during|across)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){{0,2}}(?:{_names(other)})",
                          definition, re.IGNORECASE))


_KINDS = re.compile(
    r"^(?:(?:well|best|better)[- ]known|different|popular|common|famous|typical|various|several|other|main|"
    r"modern|classic)\s+(?P<what>.+?)\s+(?:architectures|models|algorithms|approaches|methods|variants|types|"
    r"kinds|families)\s*$"
    r"|^(?:types|kinds|variants|families)\s+of\s+(?P<what2>.+)$",
    re.IGNORECASE,
)


def _kinds_heading(heading: str, matcher: MentionMatcher, common: set[str]) -> str | None:
    """The concept a heading lists kinds of: "Well-Known CNN Architectures" → CNN (not
    "Transformer models", which is about the concept itself)."""
    m = _KINDS.match(one_line(heading or "").strip(" #*.:"))
    if not m:
        return None
    named = [cid for cid in matcher.find(m.group("what") or m.group("what2")) if cid not in common]
    return named[-1] if named else None


def _genus(definition: str, c: Concept, kind: Concept) -> bool:
    """Does the definition of ``c`` say what kind of thing it is, naming ``kind`` ("A perceptron
    is a binary classification model")? Then even an ordinary word is evidence."""
    cpat, kpat = _names(c), _names(kind)
    return bool(re.match(
        rf"^(?:an?\s+|the\s+)?(?:{cpat})\w*\s+(?:is|are)\s+(?:an?|the|one)\s+"
        rf"(?:[\w-]+\s+){{0,2}}(?:{kpat})\w*\b",
        definition, re.IGNORECASE))


def _common_terms(matcher: MentionMatcher, info: dict[str, _Lesson], concepts: list[Concept]) -> set[str]:
    """Concepts whose mention is no evidence: ordinary English words (:func:`is_ordinary_word`)
    and terms named in more than :data:`COMMON_FRACTION` of the lessons."""
    general = {c.id for c in concepts if is_ordinary_word(norm_key(c.title))}
    if len(info) < 5:
        return general
    df: dict[str, int] = {}
    for les in info.values():
        seen: set[str] = set()
        for d in les.docs:
            for sec in d.sections:
                seen.update(matcher.find(sec.heading))
                for b in sec.blocks:
                    for sentence in split_sentences(b.text):
                        seen.update(matcher.find(sentence))
        for cid in seen:
            df[cid] = df.get(cid, 0) + 1
    return general | {cid for cid, n in df.items() if n > COMMON_FRACTION * len(info)}


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


def _section_concept(heading: str, key_owner: dict[str, str], les: _Lesson) -> str | None:
    ht = heading_term(heading) if heading else None
    if not ht:
        return None
    for t in (ht[0], *ht[1]):
        for k in sorted(term_keys(t)):
            if k in key_owner and key_owner[k] in les.concepts:
                return key_owner[k]
    return None


def _target_lesson(target: str, info: dict[str, _Lesson]) -> str | None:
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


def _dist(a: _Lesson, b: _Lesson) -> float:
    if a.order is None or b.order is None:
        return 0.0
    return abs(b.order[-1] - a.order[-1]) if len(a.order) == len(b.order) else 1.0


def _previous(les: _Lesson, ordered: list[_Lesson]) -> _Lesson | None:
    prev = None
    for other in ordered:
        if other.order >= les.order:
            break
        if other.main:
            prev = other
    return prev


def _first_mention(les: _Lesson, cid: str, matcher: MentionMatcher) -> tuple[str, str] | None:
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


def _number(les: _Lesson, curriculum: Curriculum | None) -> str:
    if curriculum is not None:
        e = curriculum.entry(les.lesson_id)
        if e is not None:
            return str(e.number) if e.number >= 0 else ""
    if les.order:
        return ".".join(str(int(x)) if x < 1000 else f"X{int(x - 1000)}" for x in les.order)
    return ""


def _taught_label(cid: str, first_taught: dict[str, tuple], info: dict[str, _Lesson], curriculum: Curriculum | None) -> str:
    ft = first_taught.get(cid)
    if ft is None or ft[4] not in info:
        return "in an earlier lesson"
    les = info[ft[4]]
    n = _number(les, curriculum)
    return f"'{les.title}'" + (f", lesson {n}" if n else "")


_SUCH_AS = re.compile(r"\b(?:such\s+as|e\.\s?g\.,?|for\s+example|for\s+instance|including)\s+", re.IGNORECASE)


def _instances(sentence: str, matcher: MentionMatcher, common: set[str]) -> set[str]:
    """Concepts a sentence names only as examples of a concept named before them ("large
    transformer models, such as BERT"): the lesson builds on the category, not on the instance."""
    out: set[str] = set()
    for m in _SUCH_AS.finditer(sentence):
        if not any(cid not in common for cid in matcher.find(sentence[: m.start()])):
            continue
        clause = re.split(r"[,;:.)]", sentence[m.end():], maxsplit=1)[0]
        out.update(matcher.find(" ".join(clause.split()[:6])))
    return out


def _quote(sentence: str, limit: int = 160) -> str:
    s = one_line(sentence)
    return s if len(s) <= limit else s[: limit - 1].rsplit(" ", 1)[0] + "…"


def _acyclic(cands: dict[tuple[str, str], _Candidate]) -> list[Edge]:
    g = nx.DiGraph()
    kept: list[Edge] = []
    for c in sorted(cands.values(), key=lambda c: (-c.weight, c.distance, c.src, c.dst)):
        if c.weight < MIN_WEIGHT:
            continue
        if g.has_node(c.dst) and g.has_node(c.src) and nx.has_path(g, c.dst, c.src):
            continue  # would close a cycle: the stronger edges already there win
        g.add_edge(c.src, c.dst)
        ev = sorted(c.evidence, key=lambda x: -x[0])
        evidence = ev[0][1] + (f" (+{len(ev) - 1} more signal{'s' if len(ev) > 2 else ''})" if len(ev) > 1 else "")
        kept.append(Edge(src=c.src, dst=c.dst, evidence=evidence, lesson=c.lesson))
    return kept

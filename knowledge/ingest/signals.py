"""The prerequisite signals, one function each (see :mod:`knowledge.ingest.prereqs` for what
each one means): :func:`reference_signal`, :func:`link_signal`, :func:`phrase_signal` (back
references, "builds on" and the lesson introduction), :func:`order_signal` and
:func:`definition_signal` (titles and definitions); those that read where a concept sits in
a lesson's structure are :mod:`knowledge.ingest.structure_signals`'s. A signal proposes
candidate edges through :attr:`SignalContext.add`; weighting them and keeping the graph acyclic
is :func:`~knowledge.ingest.prereqs.infer_prerequisites`'s."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from knowledge.models import Concept

from .curriculum import LOOKS_AHEAD, Curriculum
from .dialects import REF_SCHEME
from .document import Block, Document, one_line
from .extract import split_sentences, variants_of
from .lessons import (
    FirstTaught, LabelledSection, LessonInfo, _dist, _first_mention, _heading, _number, _previous, _target_lesson,
    _taught_label,
)
from .mentions import MentionMatcher


# how each signal's evidence below begins: an edge whose evidence begins otherwise was stated (a
# curated course, the teacher's file, an extractor), not inferred from the text
INFERRED = re.compile(r"^(?:cross-reference in |link in |phrase in |introduction of |lesson order: |"
                      r"definition of |title '|'.*?' is taught under ')")


class AddCandidate(Protocol):
    def __call__(self, src: str | None, dst: str | None, kind: str, evidence: str, lesson: str,
                 distance: float = 0.0) -> None: ...


@dataclass
class SignalContext:
    """What the signals read about the course, and ``add`` to propose a candidate edge (kind
    names a weight in :data:`~knowledge.ingest.prereqs.WEIGHTS`)."""

    add: AddCandidate
    info: dict[str, LessonInfo]  # lesson id → lesson
    by_id: dict[str, Concept]
    first_taught: dict[str, FirstTaught]
    matcher: MentionMatcher
    common: set[str]  # concepts whose mention is no evidence
    curriculum: Curriculum | None
    ordered: list[LessonInfo]  # lessons with an order, in that order
    sources_at: dict[tuple[str, str], list[str]]  # (doc path, anchor) → concepts taught there
    targets_of: dict[str, list[str | None]]  # doc path → the concept each section is about
    label_at: dict[str, LabelledSection]  # cross-reference label → its section
    mentions: dict[str, Counter[str]] = field(default_factory=dict)  # lesson id → how often it names each concept

    def earlier(self, cid: str, les: LessonInfo) -> bool:
        """Is ``cid`` first taught in a lesson before ``les``?"""
        ft = self.first_taught.get(cid)
        return ft is not None and les.order is not None and ft.order is not None and ft.order < les.order

    def label(self, les: LessonInfo) -> str:
        n = _number(les, self.curriculum)
        return f"'{les.title}'" + (f" (lesson {n})" if n else "")

    def taught_label(self, cid: str) -> str:
        return _taught_label(cid, self.first_taught, self.info, self.curriculum)

    @cached_property
    def _naming_lessons(self) -> Counter[str]:
        return Counter(cid for seen in self.mentions.values() for cid in seen)

    def named_elsewhere(self, cid: str, lesson_id: str) -> int:
        """How many lessons other than ``lesson_id`` name ``cid``."""
        return self._naming_lessons[cid] - bool(self.mentions.get(lesson_id, Counter())[cid])


@dataclass(frozen=True)
class Place:
    """A section being read: where evidence says it is, the concept an edge found there points
    to (``dst``; None when the section is about none) and whether it is the introduction of
    the lesson's main document."""

    les: LessonInfo
    doc: Document
    si: int
    where: str
    dst: str | None
    intro: bool


def reference_signal(ctx: SignalContext, at: Place, b: Block) -> None:
    """**reference**: cross-references in ``b`` to labelled sections taught before ("as
    described in :numref:`sec_x`"), in a sentence that does not look ahead."""
    les, dst = at.les, at.dst
    for text, target in b.links:
        ref = ctx.label_at.get(target[len(REF_SCHEME):]) if target.startswith(REF_SCHEME) else None
        if ref is None or dst is None:
            continue
        other, tpath, tsi = ref.lesson, ref.path, ref.section
        same = other is les
        if same and not (tpath == at.doc.path and tsi < at.si):
            continue
        if not same and (other.order is None or les.order is None or not other.order < les.order):
            continue
        sentence = next((x for x in split_sentences(b.text) if text in x), b.text)
        such = _SUCH_AS.search(sentence)
        if LOOKS_AHEAD.search(sentence) or _ASIDE.match(sentence) or (
                such and such.start() < sentence.find(text)):  # "for example, ResNet in ..."
            continue
        named = [cid for cid in ctx.matcher.find(text) if cid in other.concepts]
        src = named[0] if named else (ctx.targets_of[tpath][tsi] or other.main)
        if src in les.concepts and not same and not ctx.earlier(src, les):
            continue
        ctx.add(src, dst, "reference",
                f"cross-reference in {at.where} to {tpath} § {_heading(other, tpath, tsi)}: '{_quote(sentence)}'",
                les.lesson_id, _dist(other, les))


def link_signal(ctx: SignalContext, at: Place, b: Block) -> None:
    """**link**: links in ``b`` to an earlier lesson; from the body of a lesson into another
    unit only a "far link" (an analogy more often than groundwork)."""
    les, dst = at.les, at.dst
    for text, target in b.links:
        tl = _target_lesson(target, ctx.info)
        if tl is None or tl == les.lesson_id or dst is None:
            continue
        other = ctx.info[tl]
        if other.order is None or les.order is None or not other.order < les.order:
            continue
        named = [cid for cid in ctx.matcher.find(text) if cid in other.concepts]
        src = named[0] if named else other.main
        far = not at.intro and other.unit != les.unit  # "this resembles a [GAN]" (another unit)
        ctx.add(src, dst, "far link" if far else "link",
                f"link in {at.where}: [{text}]({target}) to earlier lesson {ctx.label(other)}",
                les.lesson_id, _dist(other, les))


def phrase_signal(ctx: SignalContext, at: Place, b: Block, opening: int) -> int:
    """**phrase** and **intro**: sentences of ``b`` that refer back ("as we discussed", "X
    builds on Y") or, in the introduction, name a concept taught earlier. ``opening`` counts
    the sentences of the section read so far (the first two open the lesson); returns it
    updated."""
    les, dst, where = at.les, at.dst, at.where
    matcher, common, first_taught = ctx.matcher, ctx.common, ctx.first_taught
    if b.kind in ("html", "heading") or dst is None or _ASIDE.match(b.text):
        return opening
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
                if first_taught.get(a) is None or first_taught.get(b2) is None or not first_taught[b2].before(
                        first_taught[a]):
                    ctx.add(a, b2, "phrase", f"phrase in {where}: '{_quote(sentence)}'", les.lesson_id)
            continue
        back = _BACKREF.search(sentence)
        instances = _instances(sentence, matcher, common)
        for cid in found:
            if cid == dst or (cid in les.concepts and not ctx.earlier(cid, les)) or cid in instances:
                continue
            ft = first_taught.get(cid)
            if back and (ctx.earlier(cid, les) or ft is None or ft.order is None):
                ctx.add(cid, dst, "phrase", f"phrase in {where}: '{_quote(sentence)}'", les.lesson_id)
            elif at.intro and ctx.earlier(cid, les) and not LOOKS_AHEAD.search(sentence):
                ctx.add(cid, dst, "intro" if opening <= 2 else "intro later",
                        f"introduction of {at.doc.path} names '{ctx.by_id[cid].title}' taught earlier "
                        f"({ctx.taught_label(cid)}): '{_quote(sentence)}'",
                        les.lesson_id)
    return opening


def order_signal(ctx: SignalContext, les: LessonInfo) -> None:
    """**lesson order**: the main concept of the lesson just before ``les`` in the same unit →
    ``les``'s main concept, when ``les`` names it."""
    main = les.main
    if les.order is None or not main:
        return
    prev = _previous(les, ctx.ordered)
    if prev is None or not prev.main or prev.unit != les.unit:
        return
    hit = _first_mention(les, prev.main, ctx.matcher)
    if hit:
        src_note = ("curriculum table" if ctx.curriculum is not None else
                    "the terms each lesson uses (no order given)" if les.order_inferred else "numbered folders")
        ctx.add(prev.main, main, "order",
                f"lesson order: {ctx.label(prev)} before {ctx.label(les)} per {src_note}, same unit "
                f"'{les.unit}', and {hit[0]} names '{ctx.by_id[prev.main].title}': '{_quote(hit[1])}'",
                les.lesson_id, _dist(prev, les))


def definition_signal(ctx: SignalContext, c: Concept) -> None:
    """**definition** (title and definition): a title that contains a concept taught before
    ("Stochastic gradient descent" ⊃ "gradient descent"), a definition that uses one (or says
    that one uses ``c``: then ``c`` → it)."""
    first_taught, by_id = ctx.first_taught, ctx.by_id
    ft_c = first_taught.get(c.id)
    if ft_c is None:
        return
    title_hits = [cid for cid in ctx.matcher.find_within(c.title) if cid != c.id]
    for cid in title_hits:
        ft_b = first_taught.get(cid)
        if ft_b is not None and ft_b.before(ft_c):
            ctx.add(cid, c.id, "definition",
                    f"title '{c.title}' contains '{by_id[cid].title}' taught earlier "
                    f"({ctx.taught_label(cid)})", ft_c.lesson)
    examples = _examples_of(c, ctx) if c.taught == "defined" else set()
    for cid in ctx.matcher.find(c.definition) if c.taught == "defined" else ():  # an introducing sentence is no definition
        if cid == c.id or cid in title_hits:
            continue
        if cid in ctx.common and not _genus(c.definition, c, by_id[cid]):
            continue
        ft_b = first_taught.get(cid)
        if ft_b is None:
            continue
        if _uses(c.definition, by_id[cid], c):  # "transformers use a self-attention mechanism"
            if ft_c.before(ft_b):
                ctx.add(c.id, cid, "definition",
                        f"definition of '{c.title}' says '{by_id[cid].title}' uses it: '{_quote(c.definition)}'",
                        ft_b.lesson)
            continue
        if ft_b.before(ft_c):
            ctx.add(cid, c.id, "definition context" if cid in examples or _purpose(c.definition, by_id[cid]) else "definition",
                    f"definition of '{c.title}' uses '{by_id[cid].title}' taught earlier "
                    f"({ctx.taught_label(cid)})", ft_c.lesson)


# ---------------------------------------------------------------------------------------------
# what sentences and headings say

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
_SUCH_AS = re.compile(r"\b(?:such\s+as|e\.\s?g\.,?|for\s+example|for\s+instance|including)\s+", re.IGNORECASE)


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



def _genus(definition: str, c: Concept, kind: Concept) -> bool:
    """Does the definition of ``c`` say what kind of thing it is, naming ``kind`` ("A perceptron
    is a binary classification model")? Then even an ordinary word is evidence."""
    cpat, kpat = _names(c), _names(kind)
    return bool(re.match(
        rf"^(?:an?\s+|the\s+)?(?:{cpat})\w*\s+(?:is|are)\s+(?:an?|the|one)\s+"
        rf"(?:[\w-]+\s+){{0,2}}(?:{kpat})\w*\b",
        definition, re.IGNORECASE))


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


def _examples_of(c: Concept, ctx: SignalContext) -> set[str]:
    """Concepts the definition of ``c`` names only as examples of what ``c`` is for or covers
    ("Encoder-only models: good for tasks that require understanding of the input, such as sentence
    classification and named entity recognition"): the cue follows a plain noun or ``c`` itself.
    Right after another concept ("Semantic embeddings, such as Word2Vec, are a first step towards
    language modeling") they are examples of that one, and count as it does."""
    out: set[str] = set()
    rest = c.definition  # (a concept also named outside the examples, "a matrix ..., such as a stack of matrices", is more)
    for sentence in split_sentences(c.definition):
        for m in _SUCH_AS.finditer(sentence):
            head = sentence[: m.start()]
            near = [cid for cid in ctx.matcher.find(" ".join(head.split()[-4:])) if cid not in ctx.common]
            if ctx.matcher.find(head) and set(near) <= {c.id}:
                clause = " ".join(re.split(r"[,;:.)]", sentence[m.end():], maxsplit=1)[0].split()[:8])
                out.update(ctx.matcher.find(clause))
                rest = rest.replace(clause, " ")
    return out - set(ctx.matcher.find(rest)) if out else out


def _quote(sentence: str, limit: int = 160) -> str:
    s = one_line(sentence)
    return s if len(s) <= limit else s[: limit - 1].rsplit(" ", 1)[0] + "…"

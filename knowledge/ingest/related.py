"""Related edges: what the course connects without saying which comes first.

Every prerequisite signal (:mod:`knowledge.ingest.signals`, :mod:`knowledge.ingest.structure_signals`)
proposes a candidate with a weight; :mod:`knowledge.ingest.prereqs` keeps the confident ones as
``prerequisite_of`` edges. The rest are still evidence that the course connects two concepts —
one sentence's mention, a definition's passing use, the opening of a concept's own section naming
an earlier one — too weak for an order (a helper judged the openings alone blind: 58 % hold as
prerequisites, ``docs/judged/edges-section-23.jsonl``), but right as a relation. They become
``related_to`` edges, or ``contrasts_with`` where the sentence sets one against the other
("Unlike RNNs, ..."), so that retrieval can bring the neighbours of a topic along and an answer
whose main concept has no prerequisite can still say what its own section builds on.
"""

from __future__ import annotations

import re
from typing import Protocol

from knowledge.models import Concept, Edge

from .curriculum import LOOKS_AHEAD
from .extract import split_sentences
from .lessons import _doc_rank
from .signals import _ASIDE, SignalContext, _instances, _quote

OPENING_SENTENCES = 2  # the sentences that open a concept's own section: what it starts from
# a sentence that sets what follows against the concept being taught (general English)
_CONTRAST = re.compile(
    r"\b(?:unlike|in\s+contrast\s+(?:to|with)|as\s+opposed\s+to|compared\s+(?:to|with)|rather\s+than|"
    r"instead\s+of|differs?\s+from|different\s+from|as\s+an\s+alternative\s+to)\s+", re.IGNORECASE)
OPENING = "opening"  # the candidate kinds of this module (weight 0: never an order by themselves)
CONTRAST = "contrast"
# a name deep in a lesson's introduction, past its opening sentences, relates nothing by itself (a
# sample judged blind: 9 of 16 such pairs held; the openings of concepts' own sections 15 of 21)
LOOSE = frozenset({"intro later"})


class _Weak(Protocol):
    src: str
    dst: str
    weight: float
    evidence: list[tuple[float, str]]
    lesson: str
    kinds: set[str]


def _contrasted(sentence: str, ctx: SignalContext) -> set[str]:
    """Concepts a sentence names right after a contrast ("Unlike recurrent neural networks, ...")."""
    out: set[str] = set()
    for m in _CONTRAST.finditer(sentence):
        clause = re.split(r"[,;:.)]", sentence[m.end():], maxsplit=1)[0]
        out.update(ctx.matcher.find(" ".join(clause.split()[:6])))
    return out


def opening_signal(ctx: SignalContext, c: Concept) -> None:
    """**opening** (a relation, no order): the concepts that the first sentences of a concept's
    own section (headed by it, or about it) name and that were taught before it — in an earlier
    lesson, or an earlier section of its lesson that is not a tool the course uses everywhere
    ("One of the simplest ways to adapt random search to the multi-fidelity setting is successive
    halving"). A name right after "unlike", "compared with", "rather than" is a **contrast**."""
    ft = ctx.first_taught.get(c.id)
    if ft is None or ft.order is None:
        return
    les = ctx.info.get(ft.lesson)
    doc = next((d for d in les.docs if _doc_rank(d.path, les.lesson_id)[0] == ft.doc_rank
                and any(s.path == d.path for s in c.sources)), None) if les is not None else None
    if doc is None or ft.section >= len(doc.sections):
        return
    sec = doc.sections[ft.section]
    targets = ctx.targets_of.get(doc.path) or []
    headed = c.id in ctx.matcher.find(sec.heading or "")
    if not headed and (ft.section >= len(targets) or targets[ft.section] != c.id):
        return  # named in a section about something else: its opening speaks of that
    if c.id in ctx.common and not headed:
        return  # an everyday word ("computation", "dataset") opens from nothing in particular
    prose = [b for b in sec.blocks if b.kind in ("paragraph", "list_item", "quote") and not _ASIDE.match(b.text)]
    sentences = [x for b in prose[:OPENING_SENTENCES] for x in split_sentences(b.text)][:OPENING_SENTENCES]
    seen: set[str] = set()
    for sentence in sentences:
        if LOOKS_AHEAD.search(sentence):
            continue  # "we will use X later": what comes, not what it starts from
        instances, contrasted = _instances(sentence, ctx.matcher, ctx.common), _contrasted(sentence, ctx)
        for cid in ctx.matcher.find(sentence):
            fm = ctx.first_taught.get(cid)
            if cid == c.id or cid in ctx.common or cid in instances or cid in seen or fm is None or not fm.before(ft):
                continue
            if fm.lesson == ft.lesson and (fm.section == ft.section or ctx.named_elsewhere(c.id, les.lesson_id) > 1):
                continue  # the same section; or a tool the course uses widely, first taught inside another topic
            seen.add(cid)
            kind = CONTRAST if cid in contrasted else OPENING
            ctx.add(cid, c.id, kind, f"section '{sec.heading or doc.title}' of {doc.path} about '{c.title}' opens "
                                     f"{'contrasting it with' if kind == CONTRAST else 'with'} '{ctx.by_id[cid].title}' "
                                     f"taught earlier: '{_quote(sentence)}'", les.lesson_id)


_TEACHING = re.compile(r"^(?:section '.*' of .* about '.*' opens (?:with|contrasting it with) '|definition of '.*' uses ')")


def in_its_teaching(evidence: str) -> bool:
    """Whether a related edge's evidence is where the later concept is taught: its own section
    opens with the other one (:func:`opening_signal`), or its definition uses it. (What an answer
    may list to know first when nothing else is; a link or a passing mention is not.)"""
    return bool(_TEACHING.match(evidence))


def related_edges(weak: list[_Weak], prerequisites: list[Edge]) -> list[Edge]:
    """One edge per pair of concepts that some signal connects but none orders confidently
    (``weak``, candidates below the prerequisite bar, not only :data:`LOOSE` ones) and that no
    prerequisite edge joins:
    ``contrasts_with`` when a contrast is all that connects them, else ``related_to``; its
    evidence the strongest one (the direction: the earlier concept first)."""
    joined = {frozenset((e.src, e.dst)) for e in prerequisites}
    out: dict[frozenset[str], Edge] = {}
    for c in sorted(weak, key=lambda c: (-c.weight, c.src, c.dst)):
        pair = frozenset((c.src, c.dst))
        if pair in joined or pair in out or c.kinds <= LOOSE:
            continue
        kind = "contrasts_with" if c.kinds == {CONTRAST} else "related_to"
        evidence = max(c.evidence, key=lambda x: x[0])[1]
        out[pair] = Edge(src=c.src, dst=c.dst, kind=kind, evidence=evidence, lesson=c.lesson)
    return list(out.values())

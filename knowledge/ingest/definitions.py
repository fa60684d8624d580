"""Definitions that define, looked for across the whole course.

A lesson often introduces a term in one place ("we call this *dropout*", a heading) and says
what it is in another, or another lesson does ("Dropout is a regularization method that ...").
After extraction, every concept whose definition does not already state what it is (a sentence
with the concept as subject, :func:`knowledge.ingest.merge.definition_strength` 3, from a
defining sentence) gets the first sentence of the course, in reading order, that says what it is
("X is a ...", "X refers to ...") — else the first with it as subject, else, for a concept the
course only introduced, the first sentence that names it ("... is called X",
"X, which is ...") — and the section that holds it becomes its first source (so the answer
cites where the definition is). A lesson that defines a concept another lesson introduced now
teaches it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.models import Concept, Source

from .document import Document
from .extract import (
    _SUBJ_AFTER, _compose, _find_definition, _Match, _section_roles, _term_pattern, split_sentences, variants_of,
)
from .merge import concept_keys, definition_strength, merge_variants
from .mentions import MentionMatcher
from .prereqs import LessonExtraction

_PROSE = ("paragraph", "list_item", "quote")
# after the name: "is a/an/the/one ...", "refers to", "means", "is defined as", "denotes", "stands for"
_GENUS = re.compile(r"(?:\s*\([^)]{0,60}\))?\s*,?\s+(?:(?:is|are)\s+(?:an?|the|one|defined\s+as|called)\b|"
                    r"refers?\s+to\b|means\b|denotes\b|stands?\s+for\b|describes?\b|measures?\b)", re.IGNORECASE)
MIN_WORDS = 6


def _defines(c: Concept) -> bool:
    return c.taught == "defined" and definition_strength(c) >= 3


def find_definitions(lessons: list[LessonExtraction], boilerplate: Iterable[str] = ()) -> int:
    """Give weakly defined concepts of ``lessons`` (in reading order) the course's first
    sentence that defines them; returns how many concepts got one."""
    merged = merge_variants([c for le in lessons for c in le.concepts])
    weak = {m.id: m for m in merged if not _defines(m)}
    if not weak:
        return 0
    matcher = MentionMatcher(list(weak.values()))
    skip_text = set(boilerplate)
    subject: dict[str, tuple[LessonExtraction, str, Document, int]] = {}  # first sentence with it as subject
    naming: dict[str, tuple[LessonExtraction, str, Document, int]] = {}  # first naming sentence per concept
    done = 0
    for le in lessons:
        doc = le.document
        skip, cite = _section_roles(doc)
        for si, sec in enumerate(doc.sections):
            if si in skip:
                continue
            for bi, b in enumerate(sec.blocks):
                if b.kind not in _PROSE or b.text in skip_text:
                    continue
                sents = split_sentences(b.text)
                for k, sentence in enumerate(sents):
                    if sentence.endswith("?"):
                        continue
                    lead = matcher.leading(sentence)
                    if lead is not None and _SUBJ_AFTER.match(lead[1]):
                        copula = _GENUS.match(lead[1]) is not None
                        for mid in sorted(lead[0] & weak.keys()):
                            text = _compose(sents, _Match(3, k), sec.blocks[bi + 1:])
                            if len(text.split()) < MIN_WORDS:
                                continue
                            if copula:  # "X is a ...", "X refers to ...": the definition
                                _attach(le, weak.pop(mid), text, doc, cite.get(si, si))
                                subject.pop(mid, None)
                                naming.pop(mid, None)
                                done += 1
                            else:  # "X is essentially as old as ...": only if nothing better comes
                                subject.setdefault(mid, (le, text, doc, cite.get(si, si)))
                    for mid in matcher.find(sentence):  # "... is called X", "X, which is ..."
                        if mid in weak and mid not in naming and weak[mid].taught == "introduced":
                            m = _find_definition([sentence], _term_pattern(variants_of(weak[mid].title, weak[mid].aliases)))
                            if m is not None:
                                text = _compose(sents, _Match(m.strength, k), sec.blocks[bi + 1:],
                                                sents[k - 1] if k > 0 else "")
                                if len(text.split()) >= MIN_WORDS:
                                    naming[mid] = (le, text, doc, cite.get(si, si))
    for found in (subject, naming):  # else the first sentence with it as subject, else one that names it
        for mid, (le, text, doc, si) in found.items():
            if mid in weak:
                _attach(le, weak.pop(mid), text, doc, si)
                done += 1
    return done


def _attach(le: LessonExtraction, m: Concept, text: str, doc: Document, si: int) -> None:
    sec = doc.sections[si]
    src = Source(path=doc.path, section=sec.heading, anchor=sec.anchor, lesson=le.lesson_id, page=sec.page,
                 cell=sec.cell)
    keys = concept_keys(m)
    mine = next((c for c in le.concepts if concept_keys(c) & keys), None)
    if mine is None:
        le.concepts.append(Concept(title=m.title, definition=text, aliases=list(m.aliases), sources=[src]))
        return
    mine.definition = text
    mine.taught = "defined"
    mine.sources = [src] + [s for s in mine.sources if s != src]

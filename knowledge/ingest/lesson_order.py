"""A reading order for a course that states none: a folder of notes with no curriculum table,
no numbered names and no ``toc`` blocks ("classification.md", "linear-classify.md",
"optimization-1.md", ...). Every prerequisite signal is oriented by lesson order, so without one
such a course got almost no edges (17 lecture notes: 12).

The order comes from the course itself: a lesson whose terms the other lessons use, while it
uses few of theirs, comes first. Greedily, the next lesson is the one that leans least on the
lessons not yet placed (terms it mentions that they teach) against how much those lean on it
(the ordering heuristic of Eades, Lin and Smyth for a small feedback arc set); ties go to the
natural order of the file names ("neural-networks-2" before "neural-networks-10")."""

from __future__ import annotations

import re

from .extract import split_sentences
from .lessons import LessonInfo
from .mentions import MentionMatcher


def mentions_by_lesson(matcher: MentionMatcher, info: dict[str, LessonInfo]) -> dict[str, set[str]]:
    """lesson id → the concepts its headings and sentences name."""
    out: dict[str, set[str]] = {}
    for lid, les in info.items():
        seen: set[str] = set()
        for d in les.docs:
            for sec in d.sections:
                seen.update(matcher.find(sec.heading))
                for b in sec.blocks:
                    for sentence in split_sentences(b.text):
                        seen.update(matcher.find(sentence))
        out[lid] = seen
    return out


def _natural(lesson_id: str) -> list:
    return [int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", lesson_id)]


def infer_order(info: dict[str, LessonInfo], mentions: dict[str, set[str]], home: dict[str, str],
                ignore: set[str]) -> None:
    """Give every lesson of ``info`` an order ``(i,)`` and mark it inferred, when none has one.
    ``home`` maps a concept to the lesson that teaches it first; concepts in ``ignore`` (terms
    too common to be evidence) do not count."""
    if len(info) < 2 or any(les.order is not None for les in info.values()):
        return
    uses: dict[tuple[str, str], int] = {}  # (teacher, user) → terms the user takes from the teacher
    for user, seen in mentions.items():
        for cid in seen - ignore:
            teacher = home.get(cid)
            if teacher is not None and teacher != user and teacher in info:
                uses[(teacher, user)] = uses.get((teacher, user), 0) + 1
    left = sorted(info, key=_natural)
    placed: list[str] = []
    while left:
        def leaning(lid: str) -> int:
            return sum(uses.get((m, lid), 0) - uses.get((lid, m), 0) for m in left if m != lid)
        nxt = min(left, key=lambda lid: (leaning(lid), _natural(lid)))
        placed.append(nxt)
        left.remove(nxt)
    for i, lid in enumerate(placed):
        info[lid].order = (float(i),)
        info[lid].order_inferred = True

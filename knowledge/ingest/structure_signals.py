"""The prerequisite signals that read where a concept is taught in a lesson's structure rather
than what a sentence says (see :mod:`knowledge.ingest.prereqs`): :func:`kinds_signal` ("kinds of
X" sections), :func:`heading_signal` (a kind under its genus's heading), :func:`topic_signal` (a
lesson's topic before the parts it teaches under their own headings) and :func:`glossary_signal`
(a concept before the terms a list under its heading glosses)."""

from __future__ import annotations

import re

from .document import Document, one_line
from .lessons import LessonInfo, _doc_rank
from .lexicon import stem
from .mentions import MentionMatcher
from .signals import SignalContext

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


def kinds_signal(ctx: SignalContext, les: LessonInfo, doc: Document, si: int) -> None:
    """**definition** (kinds heading): a section about kinds of a concept ("Well-Known CNN
    Architectures"): that concept → each concept the section (and its subsections) teaches."""
    sec = doc.sections[si]
    first_taught = ctx.first_taught
    kind = _kinds_heading(sec.heading, ctx.matcher, ctx.common)
    if kind is None or first_taught.get(kind) is None:
        return
    end = next((j for j in range(si + 1, len(doc.sections))
                if doc.sections[j].heading and doc.sections[j].level <= sec.level), len(doc.sections))
    for sj in range(si, end):
        for cid in ctx.sources_at.get((doc.path, doc.sections[sj].anchor), []):
            ft = first_taught.get(cid)
            if cid != kind and ft is not None and ft.lesson == les.lesson_id and first_taught[kind].before(ft):
                ctx.add(kind, cid, "definition",
                        f"'{ctx.by_id[cid].title}' is taught under '{sec.heading}' in {doc.path}", les.lesson_id)


def heading_signal(ctx: SignalContext, les: LessonInfo, doc: Document, si: int) -> None:
    """**heading** (a kind under its genus): a concept first taught in a section nested under a
    heading that names another kind of the same thing, taught before it ("Layer Normalization"
    under "Batch Normalization", "Additive Attention" under "Attention Scoring Functions": the
    same head noun; the nearest such heading above it): the heading's concept → it."""
    sec = doc.sections[si]
    if not sec.heading or sec.level <= 1:
        return
    targets = ctx.targets_of.get(doc.path) or []
    above, level = [], sec.level
    for j in range(si - 1, -1, -1):  # the headings it sits under, nearest first
        if doc.sections[j].heading and doc.sections[j].level < level and j < len(targets):
            above.append(j)
            level = doc.sections[j].level
    for cid in ctx.sources_at.get((doc.path, sec.anchor), []):
        ft = ctx.first_taught.get(cid)
        if ft is None or ft.lesson != les.lesson_id:
            continue
        for j in above:
            top = targets[j]
            ft_top = ctx.first_taught.get(top) if top else None
            if top != cid and ft_top is not None and _same_head(ctx.by_id[top].title, ctx.by_id[cid].title):
                if ft_top.before(ft):
                    ctx.add(top, cid, "heading",
                            f"'{ctx.by_id[cid].title}' is taught under '{doc.sections[j].heading}' (another kind "
                            f"of {_head_words(ctx.by_id[cid].title)[-1]}) in {doc.path}", les.lesson_id)
                break


def topic_signal(ctx: SignalContext, les: LessonInfo) -> None:
    """**topic**: the concept a lesson is about, taught first in it → each concept the lesson's
    main document defines after it (a lesson on object detection teaches intersection over union
    as part of it) — unless other lessons name that concept too: then it is a tool the course
    uses widely (gradient descent, first taught in the perceptron lesson), not a part of the topic."""
    main = les.main
    ft_main = ctx.first_taught.get(main) if main else None
    if ft_main is None or not les.docs:
        return
    named = set(ctx.matcher.find(les.title)) | set(ctx.matcher.find(les.docs[0].title))
    if len((named - ctx.common) | {main}) > 1:
        return  # "Agentic Protocols (MCP, A2A and NLWeb)", "GANs & Style Transfer": a lesson of several topics
    rank = _doc_rank(les.docs[0].path, les.lesson_id)[0]
    for cid in les.concepts:
        ft = ctx.first_taught.get(cid)
        c = ctx.by_id.get(cid)
        if (cid == main or ft is None or c is None or ft.lesson != les.lesson_id or c.taught != "defined"
                or ft.doc_rank != rank):
            continue
        if ctx.named_elsewhere(cid, les.lesson_id) > 1:
            continue
        home = next((src for src in c.sources if src.lesson == les.lesson_id), None)
        if home is None or cid not in ctx.matcher.find(home.section or ""):
            continue  # defined in passing, not under a heading of its own: as often background (a monomial) as a part
        if ft_main.before(ft):
            ctx.add(main, cid, "topic", f"'{c.title}' is taught under '{les.title}', the lesson about "
                                         f"'{ctx.by_id[main].title}'", les.lesson_id)


def glossary_signal(ctx: SignalContext, les: LessonInfo, doc: Document, si: int) -> None:
    """**topic** (a glossary under its heading): a section about a concept that glosses two or
    more terms in run-in list items ("## Principles of Responsible AI" then "* **Fairness** is
    ...", "* **Transparency** means ..."): that concept → each term first taught there, unless two
    other lessons name the term (:func:`topic_signal`'s rule). A list that glosses the concept itself
    too is the legend of its formula: its other terms are inputs, so no edge."""
    sec = doc.sections[si]
    targets = ctx.targets_of.get(doc.path) or []
    top = targets[si] if si < len(targets) and sec.heading else None
    ft_top = ctx.first_taught.get(top) if top else None
    if ft_top is None or top not in ctx.matcher.find(sec.heading):
        return
    items: list[str] = []
    for b in sec.blocks:
        if b.kind != "list_item" or not b.lead:
            continue
        if top in ctx.matcher.find(b.lead):
            return  # "* **GDD** - ..., * **T<sub>max</sub>** - ...": the legend of a formula, whose inputs come first
        for cid in ctx.matcher.find(b.lead):
            ft = ctx.first_taught.get(cid)
            if (cid != top and cid not in items and ft is not None and ft.lesson == les.lesson_id
                    and ft.section == si and ft_top.before(ft)):
                items.append(cid)
    if len(items) < 2:
        return
    for cid in items:
        if ctx.named_elsewhere(cid, les.lesson_id) > 1:
            continue
        ctx.add(top, cid, "topic", f"'{ctx.by_id[cid].title}' is taught under '{sec.heading}' in {doc.path}, "
                                   f"a list glossing kinds or parts of '{ctx.by_id[top].title}'", les.lesson_id)


_PREPOSITION = re.compile(r"\s+(?:of|from|with|for|in|on|by|to|over|under|using|via|through)\s+.*$", re.IGNORECASE)


def _head_words(title: str) -> list[str]:
    """The words of a name up to its head noun: "Convolutions for Images" → ["convolutions"]."""
    return re.findall(r"[a-z]+", _PREPOSITION.sub("", title).lower())


def _same_head(a: str, b: str) -> bool:
    """Two multi-word names of kinds of one thing: the same head noun ("Batch Normalization",
    "Layer Normalization"), other words apart."""
    wa, wb = _head_words(a), _head_words(b)
    return (len(wa) > 1 and len(wb) > 1 and stem(wa[-1]) == stem(wb[-1])
            and {stem(w) for w in wa[:-1]} != {stem(w) for w in wb[:-1]})

"""The code of a lesson's sections as examples of the concepts they show: a code block belongs to
the concept its section (or the nearest heading above it) is about; the lesson's imports, installs
and plotting are no examples (:func:`knowledge.ingest.dialects.is_setup_code`)."""

from __future__ import annotations

import re

from knowledge.models import Concept, Example, Source

from .api_names import MAX_EXAMPLE_CHARS
from .dialects import code_body, is_setup_code, is_unfinished, solves
from .document import Document
from .merge import MAX_EXAMPLES
from .terms import norm_key
from .vocabulary import heading_term


def attach_examples(
    doc: Document, lesson_id: str, by_section: dict[int, list[Concept]], skip: set[int], cite: dict[int, int]
) -> None:
    """Code blocks become examples of the concept the section (or its parent heading) is about."""
    active: list[tuple[int, Concept | None, bool]] = []  # (heading level, concept, named elsewhere) stack
    # a heading names the concept it is about even when the lesson defines it in another section (the
    # lesson's title, "Chain-of-Thought (CoT) Prompting" over the code of a page titled "Chain-of-Thought
    # Prompting"); such code comes after the code of the concept's own sections
    named = {norm_key(t): c for cs in by_section.values() for c in cs for t in (c.title, *c.aliases)}
    later: list[tuple[Concept, Example]] = []
    for si, sec in enumerate(doc.sections):
        if sec.heading and not (si > 0 and doc.sections[si - 1].anchor == sec.anchor and sec.cell is not None):
            while active and active[-1][0] >= sec.level:
                active.pop()
            mine = by_section.get(si, [])
            key = norm_key((heading_term(sec.heading) or ("",))[0])
            head = next((c for c in mine if norm_key(c.title) == key), None) or (mine[0] if mine else None)
            elsewhere = named.get(key) if head is None and key else None
            parent = next((c for _, c, _ in reversed(active) if c is not None), None)
            active.append((sec.level, head or elsewhere, elsewhere is not None and elsewhere is not parent))
        at = next(((c, far) for _, c, far in reversed(active) if c is not None), (None, False))
        target, far = at
        if target is None:
            mine = by_section.get(si, [])
            target = mine[0] if mine else None
        if target is None or si in skip:
            continue
        shown = doc.sections[cite.get(si, si)]
        section_target = target
        for cb in sec.code_blocks:
            # a block whose first line is a comment naming a concept of the lesson ("# Floor division") shows that one
            titled = _commented(cb.text, named)
            target = titled or section_target
            if len(target.examples) >= MAX_EXAMPLES or len(cb.text.strip()) < 8 or is_setup_code(cb.text, cb.language):
                continue  # imports, installs, seeds, plotting: code that shows no concept
            src = Source(path=doc.path, section=shown.heading, anchor=shown.anchor, lesson=lesson_id, page=sec.page,
                         cell=cb.cell if cb.cell is not None else sec.cell)
            body = code_body(solution_after(doc, si, cb) or cb.text)
            text = body if len(body) <= MAX_EXAMPLE_CHARS else body[: MAX_EXAMPLE_CHARS - 1] + "…"
            if far and titled is None:
                later.append((target, Example(text=text, kind="code", language=cb.language, source=src)))
                continue
            target.examples.append(Example(text=text, kind="code", language=cb.language, source=src))
    for target, ex in later:
        if len(target.examples) < MAX_EXAMPLES:
            target.examples.append(ex)


def solution_after(doc: Document, si: int, cb) -> str | None:
    """The text of the block after ``cb`` (of section ``si``) in ``doc`` that solves it when ``cb``
    is an exercise's template, no valid Python with its blanks to fill in: the lesson's solution,
    often under a "Solution" heading whose code is no example of its own. None otherwise. (The
    template is then neither a concept's example nor a passage: its solution stands for it.)"""
    if not is_unfinished(cb.text, cb.language):
        return None
    after = [b for sec in doc.sections[si:] for b in sec.code_blocks]
    after = after[after.index(cb) + 1:] if cb in after else []
    return next((b.text for b in after if solves(cb.text, b.text, b.language)), None)


_COMMENT = re.compile(r"^\s*(?:#|//|--)\s*([^#].*?)[\s:.]*$")


def _commented(code: str, named: dict[str, Concept]) -> Concept | None:
    """The concept of the lesson the block's first line, a comment, names whole ("# Floor division"
    over ``print(11 // 2)``); None when the comment says anything else ("# addition, subtraction")."""
    first = next((line for line in code.splitlines() if line.strip()), "")
    m = _COMMENT.match(first)
    return named.get(norm_key(m.group(1))) if m else None

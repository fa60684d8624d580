"""The example an answer shows: for a code request the course's code that shows the concept, else
the concept's (or a prerequisite's) first example. See :func:`choose_example`."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from knowledge.ingest.dialects import code_body, is_setup_code, is_unfinished
from knowledge.ingest.passages import defines_concept, defines_kind_of
from knowledge.kb import KnowledgeBase
from knowledge.lexical import name_key
from knowledge.models import Passage
from tutor import prompts

_DEFINES = re.compile(r"^\s*(?:def|class)\s+\w+", re.MULTILINE)


# a code request is answered with the code the question's own words point at, among the seeds' code, when
# they point there this many times more strongly than at the main concept's code ("the elements two sets
# share and the elements in only one of them" asks for the set operations, not a membership test)
ASKED_CODE_RATIO = 2.0
NEAR_BEST = 0.8  # a block scoring this share of the best is as near the question: the one that defines wins
ASKED_CODE_POOL = 12  # the best blocks of the whole course for the question that are looked at


def choose_example(kb: KnowledgeBase, question: str, main, steps, prereqs, refs, cite: Callable,
                   wants_code: bool, seeds: Sequence[str] = ()) -> tuple[dict[str, Any] | None, str | None]:
    """The answer's example: for a code request, the course's code for the main concept (its
    code passage best matching the question, else a code example of it, else code that defines
    a function or class for a concept it leads to directly, else the code of the files beside its
    lesson) or a plain "none";
    otherwise the first example of the main concept, else its code passage best matching the
    question, else a prerequisite's first example. A code request's example (or its "none") gives
    way to other code of the ``seeds`` that the question's own words point at far more strongly
    (:func:`asked_code`: "a character-level RNN language model using PyTorch's built-in nn.RNN"
    shows the concise lesson's ``class RNN``, not the language model's data loader); a question
    that asks for no code keeps its concept's example (its words name ideas, and code matched by
    them was as often wrong as right).
    Returns (example, the "no code" line)."""
    if not wants_code:
        return _first_example(kb, question, main, steps, prereqs, refs, cite), None
    example, no_code = _concept_code(kb, question, main, steps, refs, cite)
    asked = asked_code(kb, question, [steps[s] for s in seeds if s in steps], example)
    if asked is None:
        return example, no_code
    concepts = kb.view().concepts
    # credited to the main concept when tied to it or in its lesson file, else to the first seed it is tied to
    own = steps[main.id].sources[0].path if steps[main.id].sources else None
    credit = main.title if main.id in asked.concepts or asked.source.path == own else next(
        (concepts[c].title for c in seeds if c in asked.concepts and c in concepts), main.title)
    return _code(asked, cite, _named_for(asked, concepts, credit)), None


def _first_example(kb: KnowledgeBase, question: str, main, steps, prereqs, refs,
                   cite: Callable) -> dict[str, Any] | None:
    """The example of an answer that asks for no code (see :func:`choose_example`)."""
    if not steps[main.id].examples:  # none stored with it: its own code passage best matching the question
        hits = kb.search_passages(f"{main.title} {question}", 10, concepts=[main.id], kind="code")
        if hits:
            p = _best_code(hits, steps[main.id])
            return _code(p, cite, _named_for(p, kb.view().concepts, main.title))
    for cid in [main.id, *(p.id for p in prereqs)]:
        step = steps[cid]
        if step.examples:
            ex = step.examples[0]
            return _stored(ex, cite(ex.source) if ex.source else refs[cid].cite, step.title)
    return None


def asked_code(kb: KnowledgeBase, question: str, seed_steps: Sequence,
               shown: dict[str, Any] | None) -> Passage | None:
    """The code block a code request's own words point at, when it is not the ``shown`` example:
    the best match for the question among the course's code (each block read with the prose that
    leads into it), tied to one of the ``seed_steps``
    (path steps) or in a seed's lesson file, scoring :data:`ASKED_CODE_RATIO` times the shown
    example or more — in the shown one's section only when it is no less a definition of the shown
    one's concept, no less a definition and no shorter a block (a call of ``SegNet()`` never
    replaces ``class SegNet``) — and near the best match of the whole course (else the question
    points elsewhere and the concept's code stays). Of the blocks as near the question, a finished
    one, then one that defines a function or class, then a substantial one. None when the shown
    example stays."""
    ranked = kb.search_code(question, None)  # (every block: the shown one's score is needed too)
    found = [(p, s) for p, s in ranked[:ASKED_CODE_POOL] if not is_setup_code(p.text, p.language)]
    ids = {s.id for s in seed_steps}
    files = {s.sources[0].path for s in seed_steps if s.sources}
    tied = [(p, s) for p, s in found if ids & set(p.concepts) or p.source.path in files]
    if not tied or tied[0][1] < NEAR_BEST * found[0][1]:
        return None
    best, score = tied[0]
    if shown is not None and shown.get("kind") == "code":
        was = _passage_of(kb, shown["text"])
        was_score = next((s for p, s in ranked if p is was), 0.0) if was else 0.0
        if score < ASKED_CODE_RATIO * was_score or (
                was is not None and (was.source.path, was.source.section) == (best.source.path, best.source.section)
                and _form(best.text, shown.get("concept", "")) < _form(was.text, shown.get("concept", ""))):
            return None
    near = [t for t in tied if t[1] >= NEAR_BEST * score]
    return max(near, key=lambda t: (not is_unfinished(t[0].text, t[0].language), bool(_DEFINES.search(t[0].text)),
                                    _substantial(t[0].text), t[1]))[0]


def _concept_code(kb: KnowledgeBase, question: str, main, steps, refs,
                  cite: Callable) -> tuple[dict[str, Any] | None, str | None]:
    """A code request's example from the main concept's own code (see :func:`choose_example`)."""
    hits = kb.search_passages(f"{main.title} {question}", 10, concepts=[main.id], kind="code")
    pool = hits or [(p, 0.0) for p in kb.passages_for(main.id, kind="code")]
    if pool:
        p = _best_code(pool, steps[main.id])
        return _code(p, cite, _named_for(p, kb.view().concepts, main.title)), None
    ex = next((e for e in steps[main.id].examples if e.kind == "code"), None)
    if ex is not None:
        return _stored(ex, cite(ex.source) if ex.source else refs[main.id].cite, main.title), None
    # none tied to it: the code of the lesson that teaches it (d2l's "Automatic
    # Differentiation" is taught by a lesson whose code sits under its subsections)
    own = [steps[main.id].sources[0].path] if steps[main.id].sources else []
    hits = kb.search_passages(f"{main.title} {question}", 10, kind="code", paths=own) if own else []
    if hits:
        p = max(hits, key=lambda t: (bool(_DEFINES.search(t[0].text)), t[1]))[0]
        return _code(p, cite, main.title), None
    # none in its lesson: the code of what the concept is made of or leads to directly (d2l's
    # "attention mechanism" is implemented in the sections on its scoring functions),
    # credited to that concept
    concepts = kb.view().concepts
    near = [c for c in kb.graph.unlocks(main.id) if c in concepts]
    hits = kb.search_passages(f"{main.title} {question}", 20, concepts=near, kind="code") if near else []
    defining = [t for t in hits if _DEFINES.search(t[0].text)]
    if defining:  # a class named for one of them, or for a kind of the concept, first
        # ("class MultiHeadAttention", "class DotProductAttention", not a decoder that uses one)
        def implements(p) -> str | None:
            return next((c for c in p.concepts if c in near and defines_concept(p.text, concepts[c].title)), None)
        p = max(defining, key=lambda t: (implements(t[0]) is not None or defines_kind_of(t[0].text, main.title),
                                         t[1]))[0]
        found_by = next((c for c in p.concepts if c in near), near[0])
        return _code(p, cite, _named_for(p, concepts, concepts[found_by].title)), None
    # none there either: the code of the files beside the lesson it is the title of (a lesson's notebook next
    # to its README "# Genetic Algorithms"; not beside a lesson that only has a section on it)
    beside = _beside(kb, own[0]) if own and _titles_lesson(kb, steps[main.id]) else []
    hits = kb.search_passages(f"{main.title} {question}", 10, kind="code", paths=beside) if beside else []
    if hits:
        p = max(hits, key=lambda t: (bool(_DEFINES.search(t[0].text)), _substantial(t[0].text), t[1]))[0]
        return _code(p, cite, main.title), None
    return None, prompts.NO_CODE.format(concept=main.title)


def _passage_of(kb: KnowledgeBase, text: str) -> Passage | None:
    """The code passage an example's ``text`` was taken from (a stored example may be cut short)."""
    text = text.rstrip("…")
    return next((p for p in kb.view().passages(kb.store).all
                 if p.kind == "code" and text in p.text and code_body(p.text).startswith(text)), None)


def _titles_lesson(kb: KnowledgeBase, step) -> bool:
    """Whether the lesson of the concept's first source is titled by its name or an alias."""
    src = step.sources[0] if step.sources else None
    title = kb.view().passages(kb.store).titles.get(src.lesson, "") if src is not None else ""
    keys = {name_key(n) for n in (step.title, *step.aliases)} - {""}
    return any(f" {k} " in f" {name_key(title)} " for k in keys)


def _beside(kb: KnowledgeBase, path: str) -> list[str]:
    """The other files with code in the folder of lesson file ``path`` (none for a file at the
    course's top: its folder is the whole course)."""
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    if not folder:
        return []
    return sorted({p.source.path for p in kb.view().passages(kb.store).all
                   if p.kind == "code" and p.source.path != path and p.source.path.rsplit("/", 1)[0] == folder})


def _best_code(pool, step):
    """Of (code passage, score) pairs, the one that shows the concept best: code that is finished
    (not an exercise's template with blanks, :func:`is_unfinished`), then code that defines
    something (a function, a class) — one named for the concept first (``def batch_norm``, not
    a network that uses it), then one named for a kind of it (``class DotProductAttention``) —
    then a block of a few lines (not "trainer.train()" or "net[1].gamma" alone), in the lesson
    that teaches it, then the best match."""
    own = step.sources[0].path if step.sources else ""
    return max(pool, key=lambda t: (not is_unfinished(t[0].text, t[0].language), bool(_DEFINES.search(t[0].text)),
                                    defines_concept(t[0].text, step.title),
                                    defines_kind_of(t[0].text, step.title), _substantial(t[0].text),
                                    t[0].source.path == own, t[1]))[0]


def _named_for(p, concepts, default: str) -> str:
    """The title of the concept code passage ``p`` is named for (``class DotProductAttention``:
    dot-product attention), else ``default``: what the example is credited to."""
    return next((concepts[c].title for c in p.concepts if c in concepts and defines_concept(p.text, concepts[c].title)),
                default)


def _form(code: str, concept: str) -> tuple[bool, bool, bool]:
    """What a block shows beyond its words: whether it defines ``concept`` (or a kind of it),
    whether it defines something, whether it is a few lines."""
    named = bool(concept) and (defines_concept(code, concept) or defines_kind_of(code, concept))
    return named, bool(_DEFINES.search(code)), _substantial(code)


def _substantial(code: str) -> bool:
    """Whether a code block shows more than a call: three lines of real code or more."""
    return len([ln for ln in code_body(code).split("\n") if ln.strip() and not ln.lstrip().startswith("#")]) >= 3


def _code(p, cite, concept: str) -> dict[str, Any]:
    """The answer's example made of the code passage ``p`` (from its first line of real code)."""
    return {"text": code_body(p.text), "kind": "code", "language": p.language, "cite": cite(p.source), "concept": concept}


def _stored(ex, cited: int | None, concept: str) -> dict[str, Any]:
    """The answer's example made of an example stored with a concept."""
    return {"text": ex.text, "kind": ex.kind, "language": ex.language, "cite": cited, "concept": concept}

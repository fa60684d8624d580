"""Excerpts of lesson passages as an answer quotes them: cut at a sentence end, and for a
prerequisite only what its teaching passage says beyond the definition shown above it."""

from __future__ import annotations

import re
from collections.abc import Callable

from tutor.support import content_words
from knowledge.ingest.lexicon import stem
from knowledge.ingest.sentences import POINTER, names_concept

EXCERPT_CHARS = 700
_SENTENCE_START = re.compile(r"(?<=[.?!:])\s+(?=\S)|\n+")  # where a sentence or a line of a passage starts
PREREQ_EXCERPT_CHARS = 360
MIN_AFTER = 80  # characters of a teaching passage after a prerequisite's definition worth an excerpt


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """A passage cut at a sentence end near ``limit`` characters."""
    if len(text) <= limit:
        return text.strip()
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind(".\n"), cut.rfind("? "), cut.rfind("\n"))  # (a list item ends at its line)
    if end > limit // 2:
        return cut[: end + 1].strip()
    return cut.rsplit(None, 1)[0].rstrip(" ,;:-–—") + " …"  # (not in the middle of a word: "Input Data" is no "I …")


def beyond_definition(text: str, definition: str, limit: int, names: Callable[[str], bool] | None = None) -> str:
    """The excerpt of a prerequisite's teaching passage that its definition (shown just above it)
    does not already say: the text after the definition when enough follows, else none; when the
    definition is not in it, the opening, unless the opening does not name it (``names``): then from
    the first sentence that does (a section's opening may be about stock prices for a whole excerpt
    before it comes to the time steps of a series)."""
    words = definition.rstrip("… ").split()
    start = _find_words(text, words[:8]) if len(words) >= 8 else None
    if start is None:
        opening = excerpt(text, limit)
        if names is None or names(opening):
            return opening
        starts = [0] + [m.end() for m in _SENTENCE_START.finditer(text)]
        at = next((a for a, b in zip(starts, [*starts[1:], len(text)])
                   if names(text[a:b]) and not POINTER.match(text[a:b]) and not _LATER.match(text[a:b])), 0)
        return ("… " if at else "") + excerpt(text[at:], limit)
    end = _find_words(text, words[-6:], start.start())
    after = text[end.end():].lstrip(" .,;:)]") if end is not None else ""
    if definition.rstrip().endswith("…") and after:  # the definition was cut: go on from its next sentence
        nxt = _SENTENCE_START.search(after)
        after = after[nxt.end():] if nxt else ""
    # nothing the definition does not say: no excerpt (the definition is shown, cited, just above)
    return excerpt(after, limit) if len(after) >= MIN_AFTER else ""


# a sentence that puts the subject off to later chapters: "We will revisit generalization in many chapters"
_LATER = re.compile(r"^\W*(?:we\s+will|we'll)\s+(?:revisit|return\s+to|come\s+back\s+to|discuss|cover|see)\b", re.IGNORECASE)


def _find_words(text: str, words: list[str], pos: int = 0) -> re.Match | None:
    """Where ``words`` occur in ``text`` in a row (any spacing, any case), from ``pos``."""
    return re.compile(r"\s+".join(map(re.escape, words)), re.IGNORECASE).search(text, pos) if words else None


LEAD_IN_BLOCK = 400  # the most characters of a formula or list quoted with the passage that leads into it
_LEADS = re.compile(r"[\w,:]\s*$")  # ends in a word, a comma or a colon: "... define the attention over D as"


def with_lead(text: str, following: str | None) -> str:
    """``text`` and what it leads into: the display formula or the list that opens the passage
    ``following`` it, when ``text`` ends without finishing its sentence (the passages of a long
    section may be cut between "Then we can define the attention as" and its formula)."""
    if not following or not _LEADS.search(text):
        return text
    if following.startswith("$$"):
        end = following.find("$$", 2)
        block = following[: end + 2] + following[end + 2:].split("\n", 1)[0] if end > 0 else ""
    elif following.startswith("- "):
        block = "\n".join(ln for ln in following.split("\n\n", 1)[0].split("\n") if ln.startswith("- "))
    else:
        return text
    return f"{text}\n\n{block.strip()}" if block and len(block) <= LEAD_IN_BLOCK else text


def from_definition(text: str, definition: str, limit: int = EXCERPT_CHARS) -> str:
    """The excerpt of a concept's teaching passage for a question that asks what it is: the
    passage's opening when its definition is in it, else from the sentence where the definition
    starts (the lines that lead to it are often how the course motivates it); the opening when
    the definition is not in it at all."""
    at = _find_words(text, definition.split()[:8])
    if at is None or at.start() + len(definition) <= limit:
        return excerpt(text, limit)
    starts = [0] + [m.end() for m in _SENTENCE_START.finditer(text[: at.start() + 1])]
    return "… " + excerpt(text[starts[-1]:], limit)


def _stems(text: str) -> set[str]:
    return {stem(w) for w in content_words(text)}


def excerpt_for(text: str, question: str, limit: int = EXCERPT_CHARS) -> str:
    """The stretch of a passage, at most ``limit`` characters and starting where a sentence or
    line does, that names the most of the question's words ("... given stride and padding?" → the
    sentences with the formula, not the passage's opening); the opening when none names more."""
    if len(text) <= limit:
        return text.strip()
    want = _stems(question)
    starts = [0] + [m.end() for m in _SENTENCE_START.finditer(text)]
    best, best_score = 0, len(want & _stems(excerpt(text, limit)))
    for st in starts[1:]:
        if len(text) - st < limit // 3:
            break
        score = len(want & _stems(excerpt(text[st:], limit)))
        if score > best_score:
            best, best_score = st, score
    cut = excerpt(text[best:], limit)
    return cut if best == 0 else "… " + cut


# The cosine between a question and a lesson passage (its first 1,000 characters) above which the
# passage talks about what is asked although no concept does. On a course whose web-app lesson
# defines no concept, its question scored 0.55 with its passage; 68 d2l and 36 CS231n questions
# that course does not teach scored at most 0.40 with its best passages (docs/benchmarks.md).
PASSAGE_NEAR = 0.5


def nearest_passage(kb, query: str, query_vec, pool: int = 3):
    """The lesson text passage that talks about ``query`` (embedded: ``query_vec``) when no
    concept does: the best by meaning among the ``pool`` best by words, if its cosine reaches
    :data:`PASSAGE_NEAR`; else None."""
    hits = kb.search_passages(query, pool, kind="text")
    if not hits:
        return None
    sims = _cosines(kb, [p for p, _ in hits], query_vec)
    i = int(sims.argmax())
    return hits[i][0] if sims[i] >= PASSAGE_NEAR else None


QUOTE_POOL = 8  # passages by BM25 of the main concept, and of all seeds, among which the quoted one is chosen
RRF_K = 5  # reciprocal-rank fusion constant: how much the first ranks count over the next


def quoted_passage(kb, query: str, query_vec, main_id: str, seed_ids: list[str]):
    """The lesson passage an answer quotes: among the :data:`QUOTE_POOL` best by words (BM25) of
    the main concept's passages and of all the seeds' passages, the best by reciprocal-rank
    fusion of its rank by words and its rank by meaning (cosine of its first 1,000 characters
    with the question); else the main concept's first passage, else None.

    Words alone miss a passage that says what is asked in other words ("subtract the maximum
    score" against "shift the values so that the highest is zero"); meaning alone lost a blind
    comparison with words (docs/judged/passage-choice-ab.jsonl); the fusion over the seeds'
    passages won one (docs/judged/passage-fusion-ab.jsonl)."""
    pool: dict[str, tuple] = {}
    for concepts in ([main_id], seed_ids):
        for p, s in kb.search_passages(query, QUOTE_POOL, concepts=concepts, kind="text"):
            pool.setdefault(p.id, (p, s))
    if not pool:
        first = kb.passages_for(main_id, kind="text")
        return first[0] if first else None
    # the lesson's recap ("In this lesson, you learned about a perceptron ... and how to train it")
    # names what the lesson taught in the question's words but explains none of it: the last resort
    cands = [c for c in pool.values() if not _RECAP.match(c[0].text)] or list(pool.values())
    # a passage from another lesson that never names what the question is about answers its setting, not
    # it ("What is CLIP and how is it used in computer vision?" quoted the computer-vision lesson's examples):
    # the last resort too (its own lessons' passages stay: "filters" in its lesson teach convolutional filters)
    main = kb.get(main_id)
    if main is not None:
        lessons = {src.lesson for src in main.sources}
        cands = [c for c in cands if c[0].source.lesson in lessons or names_concept(c[0].text, main.title, main.aliases)] \
            or cands
    return fused(kb, cands, query_vec)


def fused(kb, cands: list[tuple], query_vec):
    """The passage of ``cands`` ((passage, BM25 score) pairs) best by reciprocal-rank fusion of
    its rank by words and its rank by meaning (cosine with the question)."""
    sims = _cosines(kb, [p for p, _ in cands], query_vec)
    by_words = {p.id: r for r, (p, _) in enumerate(sorted(cands, key=lambda c: -c[1]))}
    by_meaning = {cands[i][0].id: r for r, i in enumerate(sorted(range(len(cands)), key=lambda i: -sims[i]))}
    return max(cands, key=lambda c: 1 / (RRF_K + by_words[c[0].id]) + 1 / (RRF_K + by_meaning[c[0].id]))[0]


_RECAP = re.compile(r"^\W*(?:(?:in|throughout)\s+this\s+(?:lesson|section|chapter|unit|module|notebook|tutorial|lab),?\s+"
                    r"(?:you|we)\s+(?:have\s+)?(?:learned|learnt|saw|seen|discussed|covered|explored|studied|looked)|"
                    r"(?:to\s+summari[sz]e|in\s+summary|to\s+sum\s+up)\b)", re.IGNORECASE)


def _cosines(kb, passages: list, query_vec):
    """Each passage's cosine with the question, by its first 1,000 characters (embedded now: the
    knowledge base stores no passage vectors, see docs/architecture.md)."""
    return kb.embedder.embed([p.text[:1000] for p in passages]) @ query_vec

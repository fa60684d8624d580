"""Which concept a question is about, and the path of concepts centred on it.

The main concept is the one the question names first among the seeds (a broad topic of the
course or an everyday word only when nothing else is named; the whole two named parts belong
to); the path is expanded again from it when the cap on concepts left out what it builds on.
"""

from __future__ import annotations

import dataclasses
import re

from knowledge.ingest.lexicon import zipf
from knowledge.ingest.terms import is_acronym
from knowledge.kb import KnowledgeBase
from tutor.coverage import heads_spelled_out
from tutor.retrieval import RetrievalResult, Retriever
from tutor.seed_order import setting_opening

MAIN_SCORE, MAIN_SIMILARITY = 0.8, 0.7  # a named seed leads with this share of the best score/similarity
BROAD_TOPIC = 0.15  # a concept named in this share of the course's lessons or more is its setting, not its topic
GENERIC_ZIPF = 4.8  # a one-word name this common in everyday English ("model") is a weak sign of the topic


def main_concept(kb: KnowledgeBase, retriever: Retriever, question: str, res: RetrievalResult) -> str:
    """The concept the question names first ("How does Adam combine momentum and RMSProp?" is
    about Adam), among the seeds named in it; the best seed when none is named."""
    text = _words(question)
    spelled = _words(heads_spelled_out(question))  # "explicit and implicit feedback" names explicit feedback too
    concepts = kb.view().concepts
    named = [s for s in res.seeds if s.matched_name and s.id in concepts]
    if not named:
        return res.seeds[0].id
    passages = kb.view().passages(kb.store)
    # the lesson passages' part of a score says which lesson, not which concept is asked: left out here
    top_score, top_sim = max(s.score - s.taught for s in res.seeds), max(s.similarity for s in named)
    best: tuple[bool, bool, int, int, str] | None = None
    spans: dict[str, tuple[int, int]] = {}  # where the question names each named seed (its first mention)
    opening = setting_opening(question)  # "In the A2A protocol, what is ...": where the question is set
    cut = len(_words(question[:opening])) - 1 if opening else 0
    for s in named:
        found = _named_at(concepts[s.id], text, spelled)
        if not found:
            continue
        first = min(m[0] for _, _, m in found)
        spans[s.id] = next((m[0] + 1, m[1] - 1) for _, _, m in found if m[0] == first)
        # named, and nearly as strong as the best seed: a name that only happens to occur in
        # the question ("tabular", "generator") with little else for it does not lead
        # (... unless the question writes its acronym, "BERT": no accident either)
        low = s.score - s.taught < MAIN_SCORE * top_score
        # (a name of several words, "logistic regression", is no accident: it leads whatever its cosine)
        weak = s.similarity < MAIN_SIMILARITY * top_sim
        # a broad topic of the course, named as the setting of the question ("Why should a second
        # function that reads the same IoT Hub events get its own consumer group?"), leads only
        # when nothing else is named, like an everyday word (below)
        broad = passages.concept_share(s.id) >= BROAD_TOPIC
        for name, key, m in found:
            written = is_acronym(name) and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", question) is not None
            if (low and not written) or (weak and " " not in key and not written):
                continue
            # a name that is an everyday word ("model", "network") leads only when nothing else is named
            # ... and so does one the course itself uses in a quarter of its lessons or more ("plot" in a plotting book)
            generic = broad or (" " not in key and (zipf(key) >= GENERIC_ZIPF or retriever.everyday(s.id)))
            rank = (generic, m[0] < cut, m[0], -len(key))  # (named only in the setting: after what is asked)
            if best is None or rank < best[:4]:
                best = (*rank, s.id)
    whole = None if _COMPARES.search(text) else _whole_of_parts(text, spans)  # (a comparison asks about the two)
    if whole is not None and (best is None or whole != best[4]) and not _setting(whole, retriever, passages):
        return whole
    if best and not best[0]:
        return best[4]
    top = res.seeds[0]
    if top.matched_name and _setting(top.id, retriever, passages):
        # only a broad topic or an everyday word is named, and its name lifted it to the top ("Why is a plain
        # Python loop over a large NumPy array so slow?"): the seed most like the question, when it is more so
        alike = [s for s in res.seeds[1:] if s.id in concepts and not _setting(s.id, retriever, passages)
                 and s.similarity > top.similarity]
        if alike:
            return max(alike, key=lambda s: s.similarity).id
    return top.id


def compared_with(kb: KnowledgeBase, retriever: Retriever, question: str, res: RetrievalResult, main_id: str) -> str | None:
    """The concept a comparison sets against the main one ("What is the difference between .loc and
    .iloc?", "How does a deterministic policy differ from a stochastic one?"): the seed other than the
    main concept that the question names first, when it asks for a comparison; else None."""
    text = _words(question)
    if not _COMPARES.search(text):
        return None
    spelled = _words(heads_spelled_out(question))
    view = kb.view()
    passages = view.passages(kb.store)
    best: tuple[int, str] | None = None
    for s in res.seeds:
        c = view.concepts.get(s.id)
        if s.id == main_id or not s.matched_name or c is None or _setting(s.id, retriever, passages):
            continue
        at = [m[0] for _, _, m in _named_at(c, text, spelled)]
        if at and (best is None or min(at) < best[0]):
            best = (min(at), s.id)
    return best[1] if best else None


def _setting(cid: str, retriever: Retriever, passages) -> bool:
    """Whether a concept is the setting of a question rather than its topic: a broad topic of the
    course (named in :data:`BROAD_TOPIC` of its lessons or more) or an everyday word of it."""
    return passages.concept_share(cid) >= BROAD_TOPIC or retriever.everyday(cid)


def _named_at(c, text: str, spelled: str) -> list[tuple[str, str, tuple[int, int]]]:
    """(name, key, span) for each of the concept's names the question writes (lower-case words
    between spaces, :func:`_where`)."""
    return [(name, key, m) for name in (c.title, *c.aliases)
            if (key := " ".join(re.findall(r"[a-z0-9]+", name.lower()))) and (m := _where(key, text, spelled))]


def _words(question: str) -> str:
    """The question as lower-case words between spaces."""
    return " " + " ".join(re.findall(r"[a-z0-9]+", question.lower())) + " "


def _where(key: str, text: str, spelled: str) -> tuple[int, int] | None:
    """Where ``text`` names ``key`` (its span, spaces around), or for a name only the question's
    shared head spells out ("explicit feedback" in "explicit and implicit feedback"), where its
    first word is (so the parts and wholes read from ``text`` stay as the question wrote them)."""
    m = re.search(rf" {re.escape(key)}(?:e?s)? ", text)
    if m:
        return m.start(), m.end()
    if re.search(rf" {re.escape(key)}(?:e?s)? ", spelled):
        w = re.search(rf" {re.escape(key.split()[0])} ", text)
        return (w.start(), w.end()) if w else None
    return None


def centred_on(retriever: Retriever, view, res: RetrievalResult, main_id: str) -> RetrievalResult:
    """``res`` expanded again from the main concept first when the cap on concepts left out
    what it builds on directly (a stronger seed's prerequisites filled the path: "Weight
    decay" and its five before Adam's RMSProp, in a question about both)."""
    if res.seeds[0].id == main_id or not set(view.graph.prerequisites(main_id)) - {s.id for s in res.path}:
        return res
    path, edges = retriever.expand([main_id, *(s.id for s in res.seeds if s.id != main_id)], view, res.params,
                                   retriever.embed_cached(res.query))
    return dataclasses.replace(res, path=path, edges=edges)


# "the generator and the discriminator of a GAN", "the encoder and decoder layers in a transformer":
# two names joined by "and", then the whole they belong to (general English)
_AND = re.compile(r"^ and (?:the |an? )?$")
_COMPARES = re.compile(r" (?:differences? between|differ|different|compared?|comparison|versus|vs|or) ")
_PART_OF = re.compile(r"^ (?:[a-z0-9]+ ){0,3}(?:of|in|inside|within) (?:the |an? )?$")


def _whole_of_parts(text: str, spans: dict[str, tuple[int, int]]) -> str | None:
    """The concept a question names as the whole that two other named concepts are parts of
    ("How are the generator and the discriminator of a GAN trained against each other?" asks about
    the GAN), from where each is named in ``text`` (lower-case words between spaces)."""
    order = sorted(spans.items(), key=lambda kv: kv[1])
    for (_, a), (_, b), (cid, c) in zip(order, order[1:], order[2:]):
        if _AND.match(text[a[1]:b[0]]) and _PART_OF.match(text[b[1]:c[0]]):
            return cid
    return None

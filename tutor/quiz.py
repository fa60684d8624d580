"""Questions from the course graph, graded in the library.

Kinds of multiple-choice question, each built from what the knowledge base holds and each
citing the passage that answers it (shown after the answer):

* ``definition`` — the course's definition with the concept's names blanked → which concept?
* ``term`` — a concept → which of these definitions is its own? (each option's own names blanked)
* ``prerequisite`` — which of these must you understand before X? (from prerequisite edges)
* ``cloze`` — the course's defining sentence of X with another concept it names blanked
* ``code`` — which concept does this code block (from the course) implement?

Distractors are other concepts chosen by embedding similarity to the right one — close enough
to make the student think (siblings under a shared prerequisite and related concepts first),
never the same idea under another name (similarity ≥ :data:`PARAPHRASE` or a name contained in
the other's), never one that fits the question's text about as well as the answer does (a sibling
matching a vague definition: within :data:`AMBIGUOUS` by the same embeddings) — and for a prerequisite question only concepts that build on it (a concept merely
not linked to it may be taught first and needed too). Every
question passes :func:`problems` (one right option, distinct options, no name given away) or
is not asked; its id is a hash of its content, so a session never repeats one.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from knowledge.ingest.definitions import definition_quality
from knowledge.ingest.dialects import is_setup_code
from knowledge.ingest.mentions import MentionMatcher
from knowledge.ingest.prereqs import signals
from knowledge.ingest.terms import is_acronym, norm_key
from knowledge.kb import KnowledgeBase
from knowledge.models import Concept, Source
from tutor.quiz_text import (  # BLANK, blank_names, gives_away: also this module's interface
    BLANK, _first_sentences, _names, _stems, blank_names, gives_away, kind_of, names_overlap,
)

KINDS = ("definition", "term", "prerequisite", "cloze", "code")
OPTIONS = 4
PARAPHRASE = 0.88  # cosine at or above: the same idea, never a distractor
FAR = 0.15  # cosine below: too unrelated to make anyone think
AMBIGUOUS = 0.05  # a distractor must fit the question's text by this much less than the answer
CODE_NEAREST = 3  # a code question's concept is among this many concepts nearest to the code
_DEFINING_VERB = re.compile(r"\b(?:is|are|was|were|means?|refers?\s+to|describes?|denotes?|consists?\s+of)\b")
_DEFINES = re.compile(r"^\s*(?:def|class)\s+\w+", re.MULTILINE)  # code that defines a function or class
MAX_CODE_LINES = 24


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    prompt: str
    options: tuple[str, ...]
    answer: int  # index of the right option
    concept: str  # the concept it tests
    concept_title: str
    source: Source | None = None
    passage: str = ""  # the course's text that answers it
    code: str = ""  # for a code question: the code shown with the prompt
    language: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "kind": self.kind, "prompt": self.prompt, "options": list(self.options),
                "answer": self.answer, "concept": self.concept, "concept_title": self.concept_title,
                "source": self.source.label() if self.source else "", "passage": self.passage,
                "code": self.code, "language": self.language}


@dataclass(frozen=True)
class Graded:
    question: Question
    choice: int
    correct: bool
    right: str  # the right option
    mastery: dict[str, float] = field(default_factory=dict)  # concept id → P(known) after the answer


def grade(q: Question, choice: int) -> bool:
    if not 0 <= choice < len(q.options):
        raise ValueError(f"question {q.id}: choose an option between 1 and {len(q.options)}, not {choice + 1}")
    return choice == q.answer


def problems(q: Question) -> list[str]:
    """What is wrong with a question (empty when it may be asked)."""
    out = []
    if not 3 <= len(q.options) <= 5:
        out.append(f"{len(q.options)} options")
    if not 0 <= q.answer < len(q.options):
        out.append("answer index outside the options")
    keys = [_opt_key(o) for o in q.options]
    if any(not k for k in keys):
        out.append("an empty option")
    if len(set(keys)) != len(keys):
        out.append("two options say the same")
    if not q.prompt.strip() or not q.passage.strip():
        out.append("no prompt or no passage to show after the answer")
    if q.kind in ("definition", "cloze", "code") and 0 <= q.answer < len(q.options):
        if gives_away(q.options[q.answer], q.prompt + "\n" + q.code):
            out.append("the prompt gives the answer away")
    if q.kind == "term" and 0 <= q.answer < len(q.options) and gives_away(q.concept_title, q.options[q.answer]):
        out.append("the right definition names the concept in another form")  # "Flocking": "flocks of birds"
    return out


def _opt_key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _qid(kind: str, concept: str, prompt: str, options: Iterable[str]) -> str:
    h = hashlib.sha1("\x1f".join([kind, concept, prompt, *sorted(options)]).encode("utf-8"))
    return h.hexdigest()[:12]


class QuestionBank:
    """Every question the knowledge base can ask, per concept."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.concepts = kb.concepts()
        self.graph = kb.graph
        self.ids = sorted(self.concepts)
        embs = kb.store.concept_embeddings(self.ids)
        self.ids = [i for i in self.ids if i in embs]
        mat = np.stack([embs[i] for i in self.ids]) if self.ids else np.zeros((0, 1))
        norms = np.linalg.norm(mat, axis=1, keepdims=True) if self.ids else 1
        self.mat = mat / np.maximum(norms, 1e-9)
        self.row = {cid: i for i, cid in enumerate(self.ids)}
        quality = {cid: definition_quality(c) if c.definition else 0 for cid, c in self.concepts.items()}
        # only concepts the course says what they are are asked about or offered as options (a
        # section heading kept as a topic is neither); a definition question needs "X is a ..."
        self.definable = {cid for cid, q in quality.items() if q >= 2 and cid in self.row}
        self.defined = {cid for cid, q in quality.items() if q == 3 and cid in self.row}
        self._matcher: MentionMatcher | None = None
        self._cache: dict[str, list[Question]] = {}

    # -- distractors ------------------------------------------------------------------------
    def similar(self, cid: str, pool: Iterable[str] | None = None, exclude: Iterable[str] = (),
                n: int = OPTIONS - 1) -> list[str]:
        """Up to ``n`` concepts like ``cid`` but not it (from ``pool``, else every concept the course
        defines): siblings and related concepts first, then by embedding similarity, never a
        paraphrase or a name inside the other's."""
        if cid not in self.row:
            return []
        sims = self.mat @ self.mat[self.row[cid]]
        pool_set = set(self.definable if pool is None else pool)
        skip = set(exclude) | {cid}
        me = self.concepts[cid]
        rel = self.graph.related
        near = set(rel.successors(cid)) | set(rel.predecessors(cid)) if cid in rel else set()
        if cid in self.graph.prereq:
            for p in self.graph.prereq.predecessors(cid):
                near |= set(self.graph.prereq.successors(p))
        scored = []
        for other in pool_set - skip:
            if other not in self.row:
                continue
            s = float(sims[self.row[other]])
            if s >= PARAPHRASE or s < FAR:
                continue
            them = self.concepts[other]
            if names_overlap(me, them) or kind_of(me, them) or kind_of(them, me):
                continue
            scored.append((s + (0.1 if other in near else 0.0), other))
        scored.sort(reverse=True)
        chosen: list[str] = []
        for _, other in scored:  # distractors must also differ from each other
            if all(float(self.mat[self.row[other]] @ self.mat[self.row[o]]) < PARAPHRASE for o in chosen):
                chosen.append(other)
            if len(chosen) == n:
                break
        return chosen

    # -- questions --------------------------------------------------------------------------
    def questions(self, cid: str) -> list[Question]:
        """Every checked question on ``cid`` (deterministic for a given knowledge base)."""
        if cid not in self._cache:
            made = [self._definition(cid), self._term(cid), self._prerequisite(cid), self._cloze(cid), self._code(cid)]
            self._cache[cid] = [q for q in made if q is not None and not problems(q)]
        return self._cache[cid]

    def _make(self, kind: str, cid: str, prompt: str, right: str, wrong: list[str], passage: str,
              source: Source | None, code: str = "", language: str = "") -> Question | None:
        if len(wrong) < OPTIONS - 1:
            return None
        options = [right, *wrong[: OPTIONS - 1]]
        qid = _qid(kind, cid, prompt + code, options)
        random.Random(qid).shuffle(options)
        return Question(qid, kind, prompt, tuple(options), options.index(right), cid, self.concepts[cid].title,
                        source, passage, code, language)

    def _nested(self, a: str, b: str) -> bool:
        """One concept's name inside the other's ("Generalization" / "Generalization gap")."""
        return names_overlap(self.concepts[a], self.concepts[b])

    def _source(self, c: Concept) -> Source | None:
        return c.sources[0] if c.sources else None

    def _embed(self, texts: list[str]) -> np.ndarray:
        v = np.asarray(self.kb.embedder.embed(texts), dtype=np.float32)
        return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)

    def _unambiguous(self, cid: str, text: str, others: list[str]) -> list[str]:
        """The distractors that fit ``text`` (a definition with the names blanked) clearly worse
        than the right concept does, by the same embeddings: a sibling whose own meaning matches
        a vague definition just as well would be a second right answer."""
        t = self._embed([text])[0]
        right = float(self.mat[self.row[cid]] @ t)
        return [o for o in others if float(self.mat[self.row[o]] @ t) < right - AMBIGUOUS]

    def _code_points_to(self, cid: str, code: str) -> bool:
        """The concept is among the :data:`CODE_NEAREST` concepts the course defines nearest to
        the code (by the same embeddings): code only loosely tied to it is no fair question."""
        t = self._embed([code])[0]
        pool = [self.row[c] for c in self.definable]
        sims = self.mat[pool] @ t
        mine = float(self.mat[self.row[cid]] @ t)
        return int((sims > mine).sum()) < CODE_NEAREST

    def _definition(self, cid: str) -> Question | None:
        if cid not in self.defined:
            return None
        c = self.concepts[cid]
        text = blank_names(_first_sentences(c.definition, 400), c)
        if not text:
            return None
        wrong = [self.concepts[o].title for o in self._unambiguous(cid, text, self.similar(cid, n=OPTIONS + 3))]
        return self._make("definition", cid, f"Which concept does the course describe here?\n\n“{text}”",
                          c.title, wrong, c.definition, self._source(c))

    def _term(self, cid: str) -> Question | None:
        if cid not in self.defined:
            return None
        c = self.concepts[cid]
        others = self.similar(cid, pool=self.definable, n=OPTIONS + 3)
        right = blank_names(_first_sentences(c.definition), c)
        opts = [blank_names(_first_sentences(self.concepts[o].definition), self.concepts[o]) for o in others]
        # a fragment ("____. Narrow intervals mean ...") is no definition to choose
        opts = [o for o in opts if len(o.replace(BLANK, " ").split()) >= 6 and not re.match(re.escape(BLANK) + r"\s*[.:;]", o)]
        if opts:  # another definition that fits the concept as well as its own would be a second answer
            vecs = self._embed([right, *opts])
            me = self.mat[self.row[cid]]
            fit = vecs @ me
            opts = [o for o, f in zip(opts, fit[1:]) if f < fit[0] - AMBIGUOUS]
        return self._make("term", cid, f"Which of these is how the course defines “{c.title}”?", right, opts,
                          c.definition, self._source(c))

    def _prerequisite(self, cid: str) -> Question | None:
        g = self.graph.prereq
        if cid not in g or cid not in self.definable:
            return None
        # a prerequisite named inside the concept's own title gives itself away
        # ("Gradient descent" before "Gradient descent optimization")
        # "you must understand X first" needs the course to say so twice over: one inferred
        # signal alone (a cross-reference, a definition naming X) was right half the time, judged
        direct = sorted(p for p in g.predecessors(cid) if p in self.definable and not self._nested(p, cid)
                        and signals(g.edges[p, cid].get("evidence", "")) != 1)
        if not direct:
            return None
        right = direct[0]
        # distractors only from what builds on it: a concept merely not linked to it may well be
        # taught first and needed too
        later = nx.descendants(g, cid) & self.definable
        wrong = [w for w in self.similar(right, pool=later, n=OPTIONS + 2) if not self._nested(w, cid)][: OPTIONS - 1]
        c, p = self.concepts[cid], self.concepts[right]
        ev = g.edges[right, cid].get("evidence", "")
        passage = f"{p.title} comes before {c.title} in the course" + (f": {ev}" if ev else ".")
        if right in self.defined:  # a sentence that says what it is, never a remark about it
            passage += f"\n\n{p.title}: {p.definition}"
        return self._make("prerequisite", cid, f"Which of these should you understand before “{c.title}”?",
                          p.title, [self.concepts[w].title for w in wrong], passage, self._source(p))

    def _cloze(self, cid: str) -> Question | None:
        if cid not in self.defined:
            return None
        c = self.concepts[cid]
        sentence = _first_sentences(c.definition, 400)
        if self._matcher is None:
            self._matcher = MentionMatcher([x for x in self.concepts.values()])
        named = [m for m in self._matcher.find(sentence) if m != cid and m in self.definable]
        mine = {norm_key(x) for x in _names(c)}
        for m in named:
            other = self.concepts[m]
            theirs = {norm_key(x) for x in _names(other)}
            if any(b and b in a for a in mine for b in theirs):  # "AI" inside "Narrow AI": not another concept here
                continue
            # only the name and its own forms are blanked: an alias with no word of the title is a
            # related term ("pixel" for "Digital image"), which the sentence may use on its own
            own = [a for a in other.aliases if is_acronym(a) or _stems(a) & _stems(other.title)]
            blanked = blank_names(sentence, Concept(title=other.title, definition="", aliases=own))
            if BLANK not in blanked or blanked.count(BLANK) > 2:
                continue
            verb = _DEFINING_VERB.search(blanked)
            if verb is None or blanked.index(BLANK) < verb.end():
                continue  # "Data privacy in ____ means ...": a blank in the subject is context, not content
            # a concept above or below the answer on its prerequisite path fits the blank too
            # ("a ____ architecture": CNN, but also deep learning)
            g = self.graph.prereq
            line = (nx.ancestors(g, m) | nx.descendants(g, m)) if m in g else set()
            wrong = [self.concepts[o].title for o in self.similar(m, exclude=[cid, *named], n=OPTIONS + 3)
                     if o not in line]
            return self._make("cloze", cid, f"Fill in the blank in the course's definition of “{c.title}”:\n\n“{blanked}”",
                              other.title, wrong, c.definition, self._source(c))
        return None

    def _code(self, cid: str) -> Question | None:
        c = self.concepts[cid]
        if cid not in self.definable:
            return None
        for ex in c.examples:
            if ex.kind != "code" or is_setup_code(ex.text) or len(ex.text.strip().splitlines()) < 3:
                continue
            code = "\n".join(ex.text.strip().splitlines()[:MAX_CODE_LINES])
            low = code.lower()
            if any(gives_away(n, code) for n in _names(c)):
                continue  # the code names its concept ("class TransformerDecoderBlock"): no question
            if not _DEFINES.search(code) or not self._code_points_to(cid, code):
                continue  # setup, data or a plot; or code the embeddings tie to other concepts more
            wrong = [o for o in self._unambiguous(cid, code, self.similar(cid, n=8))
                     if not any(n.lower() in low for n in _names(self.concepts[o]))][: OPTIONS - 1]
            return self._make("code", cid, "Which concept does this code from the course implement?", c.title,
                              [self.concepts[o].title for o in wrong], code, ex.source or self._source(c),
                              code=code, language=ex.language or "python")
        return None

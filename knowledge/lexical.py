"""The lexical half of hybrid retrieval: BM25 over titles, aliases and definitions, plus exact
name spotting (a concept's title or alias written in the question: "YOLO", "U-Net", "TF-IDF")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from .models import Concept, Passage

_WORD = re.compile(r"[a-z0-9]+")
# Greek letters in names are read by their names: "ε-greedy" is "epsilon-greedy", "ℓ2" is "l2"
GREEK = str.maketrans({"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "Δ": "delta", "ε": "epsilon",
                       "θ": "theta", "λ": "lambda", "μ": "mu", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau",
                       "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega", "ℓ": "l"})
_SIZE = re.compile(r"(\d)\s*[×x]\s*(\d)")
_MAX_NGRAM = 6
# a programming operator read as a word of its own, in the lessons and in the question alike: BM25 keeps
# words only, so "Why does 2 ^ 3 not give 8?" never met "XOR (a ^ b) when they mean exponentiation (a ** b)".
# Named by their symbols, not by what they do (a caret is XOR in Python, a power in LaTeX and R)
_OPERATOR_WORDS = {"**": "opstarstar", "//": "opslashslash", "==": "opeqeq", "!=": "opnoteq", "<=": "oplteq",
                   ">=": "opgteq", "+=": "oppluseq", "-=": "opminuseq", "*=": "opstareq", "/=": "opslasheq",
                   "//=": "opslashslasheq", "**=": "opstarstareq", "%=": "oppercenteq",
                   "%": "oppercent", "^": "opcaret", "<<": "opshiftleft", ">>": "opshiftright", ":=": "opwalrus",
                   "@": "opat", "~": "optilde", "&": "opamp", "::": "opcoloncolon"}
# (not "//" of a URL, ">>>" of an interpreter's prompt, nor a piece of a longer run of symbols)
_OPERATOR = re.compile(r"(?<![:/<>=!+\-*%^&@~])(?:"
                       + "|".join(re.escape(o) for o in sorted(_OPERATOR_WORDS, key=len, reverse=True))
                       + r")(?![/<>=*%^&@~])")


def with_operator_words(text: str) -> str:
    """``text`` and, after it, a word for each programming operator it writes (see :data:`_OPERATOR_WORDS`)."""
    found = _OPERATOR.findall(text)
    return f"{text} {' '.join(_OPERATOR_WORDS[o] for o in found)}" if found else text


# an API name as a lesson writes it in code: a call ("filter()", "purrr::map()", "Dataset.map()"),
# an R infix operator ("%in%"), an IPython magic ("%timeit", "%%time") or an attribute (".loc");
# knowledge.ingest.terms keys it in that shape, so "filter()" never meets "Filter"
API_IDENT = r"[A-Za-z_]\w*(?:(?:::|\.|\$)[A-Za-z_]\w*)*"  # a function's name, with its package or object
MAGIC = r"%%?[A-Za-z_]\w*(?![\w%])"
ATTRIBUTE = r"\.[A-Za-z_]\w*"  # an object's attribute a lesson names as such (".loc", ".shape")
CODE_NAME = re.compile(rf"{API_IDENT}\(\)|%[\w.]+%|{MAGIC}|{ATTRIBUTE}")
_CALL_IN_TEXT = re.compile(rf"(?<![\w.:$])({API_IDENT})\(|(%[\w.]+%|(?<![\w%]){MAGIC}|(?<![\w.]){ATTRIBUTE}(?![\w(]))")


def is_code_name(text: str) -> bool:
    return bool(CODE_NAME.fullmatch(text.strip()))


@lru_cache(maxsize=65536)  # the same titles and question words are keyed on every question
def name_key(text: str) -> str:
    """Normalise a name for exact matching: case, hyphens, punctuation and a plural ``s``."""
    words = _WORD.findall(_SIZE.sub(r"\1x\2", text.lower().translate(GREEK)))  # "1×1" and "1 x 1" are written "1x1" too
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words)


def _squash(key: str) -> str:
    return key.replace(" ", "")


def _best(retriever, bm25s, query: str, k: int) -> list[tuple[int, float]]:
    """The ``k`` best documents of a ``bm25s`` index for ``query``: ``[(index, score)]``, best
    first, scores > 0 only. Scores all documents directly (a sparse dot product) instead of
    ``retrieve``, whose per-call thread pool costs more than the scoring on a course's index."""
    words = bm25s.tokenize([with_operator_words(query)], stopwords="en", show_progress=False, return_ids=False)[0]
    if not words or k <= 0:
        return []
    scores = retriever.get_scores(words)
    k = min(k, len(scores))
    top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    top = top[np.lexsort((top, -scores[top]))]  # best first; ties in index order
    return [(int(i), float(scores[i])) for i in top if scores[i] > 0]


class LexicalIndex:
    """BM25 (``bm25s``, sparse matrices) plus a dictionary of concept names."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        import bm25s

        self.ids: list[str] = []
        docs: list[str] = []
        self.names: dict[str, dict[str, float]] = {}  # key → {concept id: 1.0 title / 0.8 alias}
        # an abbreviation's long form ("rnn" → recurrent neural network), to find a longer name a
        # question writes with the abbreviation: "a deep RNN" is the Deep Recurrent Neural Network
        from .ingest.terms import acronym_pairs  # (terms reads GREEK from here)

        self.long_forms: dict[str, list[str]] = {}
        self.calls: dict[str, set[str]] = {}  # an API name as code writes it, lower case → concept ids
        for c in concepts:
            self.ids.append(c.id)
            if is_code_name(c.title):
                self.calls.setdefault(c.title.strip().lower(), set()).add(c.id)
            title_words = f"{c.title} {c.title} " + " ".join(c.aliases)  # names weigh more
            docs.append(with_operator_words(f"{title_words} {c.definition or c.context}"))
            for name, weight in [(c.title, 1.0), *((a, 0.8) for a in c.aliases)]:
                key = name_key(name)
                if not key or (is_code_name(name) and " " not in key):
                    continue  # an API name by one everyday word ("filter()", "%in%") is no name to spot
                for k in {key, _squash(key)}:
                    slot = self.names.setdefault(k, {})
                    slot[c.id] = max(slot.get(c.id, 0.0), weight)
            for short, long in acronym_pairs([c]):
                self.long_forms.setdefault(name_key(short), name_key(long).split())
        self._stopwords = "en"
        self._retriever = None
        if docs:
            tokens = bm25s.tokenize(docs, stopwords=self._stopwords, show_progress=False)
            self._retriever = bm25s.BM25()
            self._retriever.index(tokens, show_progress=False)
        self._bm25s = bm25s

    def bm25(self, query: str, n: int) -> list[tuple[str, float]]:
        """Top ``n`` concepts by BM25: ``[(id, score)]``, best first, scores > 0 only."""
        if self._retriever is None or n <= 0:
            return []
        return [(self.ids[i], score) for i, score in _best(self._retriever, self._bm25s, query, n)]

    def spot_names(self, query: str) -> dict[str, float]:
        """Concepts whose title/alias appears in the query as a phrase: ``{id: strength}``.
        Longest match wins ("TF-IDF" does not also spot "TF"); short names are weaker
        evidence than long ones ("AI" < "CLIP" = "computer vision")."""
        return self.spot(query)[0]

    def spot(self, query: str) -> tuple[dict[str, float], set[str]]:
        """:meth:`spot_names`, and the concepts among them the query names in two or more words
        ("logistic regression", "a deep RNN") or writes as code ("round(2.5)", "%in%"): those are no
        accident of an everyday word."""
        words = _WORD.findall(_SIZE.sub(r"\1x\2", query.lower().translate(GREEK)))
        hits, within, long = self._spot(words)
        for cid in self._calls_in(query):
            hits[cid] = 1.0
            long.add(cid)
        # "deep rnn" read as "deep recurrent neural network" too, where the abbreviation is not
        # part of a longer name already ("Faster R-CNN")
        if any(name_key(w) in self.long_forms and not within[i] for i, w in enumerate(words)):
            spelt = [x for i, w in enumerate(words) for x in (self.long_forms.get(name_key(w), [w]) if not within[i] else [w])]
            more, _, more_long = self._spot(spelt)
            for cid, strength in more.items():  # only longer names: the abbreviation's own concept
                if cid not in hits:             # keeps the weight of its spelling
                    hits[cid] = strength
                    long |= {cid} & more_long
        return hits, long

    def _calls_in(self, query: str) -> set[str]:
        """API names the query writes as code: a call, with or without arguments ("round(2.5)",
        "html_elements()"), an infix operator ("%in%"), a magic ("%timeit") or an attribute (".loc")."""
        if not self.calls or not any(ch in query for ch in "(%."):
            return set()
        found: set[str] = set()
        for m in _CALL_IN_TEXT.finditer(query):
            name = (m.group(1) + "()" if m.group(1) else m.group(2)).lower()
            found |= self.calls.get(name, set())
        return found

    def _spot(self, words: list[str]) -> tuple[dict[str, float], list[bool], set[str]]:
        """The names found in ``words``; for each word, whether a name of two or more words holds
        it; and the concepts found by such a name."""
        used = [False] * len(words)
        within = [False] * len(words)
        long: set[str] = set()
        hits: dict[str, float] = {}
        for size in range(min(_MAX_NGRAM, len(words)), 0, -1):
            for i in range(len(words) - size + 1):
                if any(used[i : i + size]):
                    continue
                gram = " ".join(words[i : i + size])
                matched = False
                for key in {name_key(gram), _squash(name_key(gram))}:
                    if len(key) < 2 or key not in self.names:
                        continue
                    matched = True
                    strength = min(1.0, 0.5 + len(key) / 8)
                    for cid, w in self.names[key].items():
                        hits[cid] = max(hits.get(cid, 0.0), w * strength)
                        if size > 1:
                            long.add(cid)
                if matched:
                    used[i : i + size] = [True] * size
                    within[i : i + size] = [size > 1] * size
        return hits, within, long

    def __len__(self) -> int:
        return len(self.ids)


class PassageIndex:
    """BM25 over the lessons' passages (lesson title + section heading + text): a passage under
    "Training" of "Linear Regression Implementation from Scratch" is about both. With ``leads``
    (passage id → the prose a lesson writes before it), a passage is also what that prose says it
    does: d2l's masked loss is ``def loss(self, Y_hat, Y)`` after "prediction of padding tokens should
    be excluded from loss calculations"."""

    def __init__(self, passages: list[Passage], titles: dict[str, str] | None = None,
                 leads: dict[str, str] | None = None) -> None:
        import bm25s

        self.passages = passages
        self._bm25s = bm25s
        self._retriever = None
        if passages:
            titles, leads = titles or {}, leads or {}
            docs = [with_operator_words(f"{_title_part(titles.get(p.source.lesson, ''), p.source.section)}"
                                        f"{p.source.section} {leads.get(p.id, '')} {p.text}") for p in passages]
            tokens = bm25s.tokenize(docs, stopwords="en", show_progress=False)
            self._retriever = bm25s.BM25()
            self._retriever.index(tokens, show_progress=False)

    def search(self, query: str, k: int | None = None) -> list[tuple[Passage, float]]:
        """The passages (every one, or the best ``k``) with a BM25 score above 0 for ``query``, best first."""
        if self._retriever is None:
            return []
        found = _best(self._retriever, self._bm25s, query, len(self.passages) if k is None else k)
        return [(self.passages[i], score) for i, score in found]


def lead_of(prose: str, limit: int = 400) -> str:
    """The end of ``prose`` that leads into what follows it: its last ``limit`` characters, from a
    sentence's start when the cut falls inside one."""
    if len(prose) <= limit:
        return prose
    tail = prose[-limit:]
    cut = tail.find(". ")
    return tail[cut + 2:] if 0 <= cut < len(tail) - 50 else tail


def _title_part(title: str, section: str) -> str:
    return f"{title} " if title and title != section else ""


def normalise_scores(pairs: list[tuple[str, float]]) -> dict[str, float]:
    if not pairs:
        return {}
    top = max(s for _, s in pairs) or 1.0
    return {cid: float(np.clip(s / top, 0.0, 1.0)) for cid, s in pairs}

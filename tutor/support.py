"""No sentence the course does not support: each sentence the model writes is checked against
the notes it was given (the numbered facts, the main concept's definition, the question) before
the student sees it; unsupported sentences are dropped and kept aside with the reason.

What "supported" means here (no entailment model installs offline that is small enough, so three
cheap, explainable signals):

* **names and numbers** — every number, and every name (a capitalised word inside the sentence,
  an acronym, a word with a digit) must occur in the notes or the question: a small model's
  inventions are mostly new names ("used in medicine", "a type of LSTM");
* **content words** — the share of the sentence's content words (function words and the most
  common English words, by :mod:`wordfreq` frequency, left out; stems compared) found in the
  notes or the question;
* **meaning** — the cosine similarity of the sentence to its closest note sentence, with the
  embedder the knowledge base already loads.

A sentence is shown when it names nothing new and either most of its content words come from the
notes, or it is close in meaning to a note and shares a fair part of its words. Thresholds are in
:class:`SupportRules` and measured in docs/benchmarks.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from knowledge.ingest.lexicon import is_function_word, stem, zipf
from knowledge.ingest.sentences import split_sentences

_CITE = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’-]*|\d+(?:[.,]\d+)?%?")
_SENT_END = re.compile(r"[.!?](?=\s|$)|\n")
COMMON_ZIPF = 5.0  # "make", "way", "used", "simple": words every explanation may use


@dataclass(frozen=True)
class SupportRules:
    covered: float = 0.6  # share of content words from the notes that suffices on its own
    similar: float = 0.6  # cosine to the closest note sentence that, with ...
    covered_when_similar: float = 0.4  # ... this share of content words, also suffices


@dataclass
class Verdict:
    sentence: str
    supported: bool
    coverage: float  # share of content words found in the notes
    similarity: float  # cosine to the closest note sentence
    unknown: list[str] = field(default_factory=list)  # names/numbers not in the notes
    reason: str = ""


def _stem(w: str) -> str:
    return stem(w.strip("'’-"))


def content_words(text: str) -> list[str]:
    """The words that carry what a sentence says (no function words, no very common words)."""
    out = []
    for w in _WORD.findall(_CITE.sub("", text)):
        lw = w.lower()
        if lw[0].isdigit() or len(lw) < 3 or is_function_word(lw) or zipf(lw) >= COMMON_ZIPF:
            continue
        out.append(lw)
    return out


def names(text: str) -> list[str]:
    """Numbers and names: capitalised words not opening the sentence, acronyms, words with digits."""
    out = []
    for s in split_sentences(_CITE.sub("", text)) or [text]:
        words = _WORD.findall(s)
        for i, w in enumerate(words):
            if w[0].isdigit() or any(ch.isdigit() for ch in w):
                out.append(w)
            elif i > 0 and w[0].isupper() and not is_function_word(w) or (len(w) > 1 and w.isupper()):
                out.append(w)
    return out


class SupportChecker:
    """Judges model sentences against the notes of one answer."""

    def __init__(self, notes: Sequence[str], question: str = "", embed: Callable[[list[str]], np.ndarray] | None = None,
                 rules: SupportRules = SupportRules()) -> None:
        self.rules = rules
        text = "\n".join([*notes, question])
        self.stems = {_stem(w) for w in _WORD.findall(text.lower())}
        self.lower = " " + " ".join(_WORD.findall(text.lower())) + " "
        self.embed = embed
        self.note_sentences = [s for n in notes for s in split_sentences(_CITE.sub("", n)) if len(s.split()) >= 3]
        self._mat: np.ndarray | None = None

    def _similarity(self, sentence: str) -> float:
        if self.embed is None or not self.note_sentences:
            return 0.0
        if self._mat is None:
            self._mat = self.embed(self.note_sentences)
        v = self.embed([sentence])[0]
        return float(np.max(self._mat @ v))

    def check(self, sentence: str) -> Verdict:
        bare = _CITE.sub("", sentence).strip()
        words = content_words(bare)
        unknown = [n for n in names(bare) if f" {n.lower()} " not in self.lower and _stem(n) not in self.stems]
        coverage = (sum(_stem(w) in self.stems for w in words) / len(words)) if words else 1.0
        r = self.rules
        if unknown:
            return Verdict(sentence, False, coverage, 0.0, unknown, "names " + ", ".join(dict.fromkeys(unknown)) +
                           ", which the course's notes do not")
        if coverage >= r.covered:
            return Verdict(sentence, True, coverage, 0.0)
        sim = self._similarity(bare)
        if sim >= r.similar and coverage >= r.covered_when_similar:
            return Verdict(sentence, True, coverage, sim)
        return Verdict(sentence, False, coverage, sim, [],
                       f"only {coverage:.0%} of its words come from the notes (closest note: cosine {sim:.2f})")


class SupportFilter:
    """Streams the model's text through, a sentence at a time, keeping only supported sentences."""

    def __init__(self, checker: SupportChecker) -> None:
        self.checker = checker
        self.buf = ""
        self.verdicts: list[Verdict] = []  # every sentence checked, in order

    def _judge(self, sentence: str) -> str:
        if not sentence.strip() or not re.search(r"[A-Za-z]", sentence):
            return sentence
        v = self.checker.check(sentence.strip())
        self.verdicts.append(v)
        return sentence if v.supported else ""

    @property
    def dropped(self) -> list[Verdict]:
        return [v for v in self.verdicts if not v.supported]

    def feed(self, chunk: str) -> str:
        self.buf += chunk
        out = []
        start = 0
        for m in _SENT_END.finditer(self.buf):
            out.append(self._judge(self.buf[start : m.end()]))
            start = m.end()
        self.buf = self.buf[start:]
        return "".join(out)

    def flush(self) -> str:
        rest, self.buf = self.buf, ""
        return self._judge(rest) if rest.strip() else ""

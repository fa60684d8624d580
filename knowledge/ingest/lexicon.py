"""General-language resources for deciding what is an ordinary word.

A one-word term that is common in everyday English ("data", "label", "policy", "belief") is a real
concept when a lesson defines it, but a sentence that merely uses the word is no evidence that
one idea builds on another. Commonness comes from the ``wordfreq`` package's English word
frequencies (Zipf scale: 6 ≈ once per thousand words, 3 ≈ once per million), never from a list of
one course's words. What is common *within a course* is decided from the course itself
(document frequency, in :mod:`knowledge.ingest.prereqs`).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

ORDINARY_ZIPF = 3.5  # ≥ about three times per million words of everyday English


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """The word's frequency in English on the Zipf scale (0 for unknown words)."""
    from wordfreq import zipf_frequency

    # the "small" list (words above ~1 per million) decides the same as the full one at this
    # threshold and takes ~18 MB in memory instead of ~50 MB
    return zipf_frequency(word, "en", wordlist="small")


def is_ordinary_word(term: str) -> bool:
    """A single-word term that everyday English uses often: its mention is no evidence."""
    words = term.lower().replace("-", " ").split()
    return len(words) == 1 and zipf(words[0]) >= ORDINARY_ZIPF


def _lexicon(name: str) -> frozenset[str]:
    """A word list shipped in knowledge/lexicons (one word per line, ``#`` comments)."""
    text = (resources.files("knowledge") / "lexicons" / name).read_text(encoding="utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))


# English function words (articles, pronouns, prepositions, conjunctions, auxiliaries and the
# commonest adverbs): general grammar, the same for every course
_FUNCTION_WORDS = _lexicon("function_words.txt")


def is_function_word(word: str) -> bool:
    return word.lower() in _FUNCTION_WORDS


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The English stem of a word (Snowball's Porter2): "sampling", "samples" → "sampl"."""
    return _stemmer().stemWord(word.lower().replace("’", "'").removesuffix("'s"))


@lru_cache(maxsize=65536)
def lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """English's lemmas of ``word`` by part of speech ("using" → VERB: use), from ``lemminflect``."""
    from lemminflect import getAllLemmas

    return dict(getAllLemmas(word.lower()))


@lru_cache(maxsize=65536)
def word_classes(word: str) -> frozenset[str]:
    """The parts of speech English gives ``word`` ("linear" → ADJ; "model" → NOUN, VERB), from
    ``lemminflect``'s English lexicon; empty for a word it does not know ("softmax")."""
    return frozenset(lemmas(word))


def modifier_only(word: str) -> bool:
    """Whether English knows ``word`` only as an adjective, adverb or verb form — never as a
    noun: "linear", "discrete", "reset", "aligned", "simplest" name no thing on their own. A
    gerund ("pooling", "padding") names an activity, so it is no modifier."""
    w = word.lower()
    classes = word_classes(w)
    return bool(classes) and not classes & {"NOUN", "PROPN"} and not w.endswith("ing")

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


# English function words (articles, pronouns, prepositions, conjunctions, auxiliaries and the
# commonest adverbs): general grammar, the same for every course
_FUNCTION_WORDS = frozenset("""
a an the this that these those it its they them their there here we us our you your i me my he she his her
and or nor but if then else than so as because while whereas although though unless until since
of to for in on at by with without within from into onto over under about above below between among through
during before after against across along around behind beyond upon via per toward towards
is are was were be been being am do does did done has have had having can could shall should will would may
might must not no yes very much many more most less least few some any all each every both either neither
only also just even still already again too quite rather really almost always never often sometimes usually
how why what when where which who whom whose whether whatever however thus hence therefore
one ones other others another such same own
""".split())


def is_function_word(word: str) -> bool:
    return word.lower() in _FUNCTION_WORDS

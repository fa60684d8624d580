"""General-language resources for deciding what is an ordinary word.

A one-word term that is common in everyday English ("data", "label", "policy", "belief") is a real
concept when a lesson defines it, but a sentence that merely uses the word is no evidence that
one idea builds on another. Commonness comes from the ``wordfreq`` package's English word
frequencies (Zipf scale: 6 ≈ once per thousand words, 3 ≈ once per million), never from a list of
one course's words. What is common *within a course* is decided from the course itself
(document frequency, in :mod:`knowledge.ingest.prereqs`).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from importlib import resources

from .terms import is_acronym

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


@lru_cache(maxsize=None)
def word_list(name: str) -> frozenset[str]:
    """A word list shipped in knowledge/lexicons (one word per line, ``#`` comments)."""
    text = (resources.files("knowledge") / "lexicons" / name).read_text(encoding="utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))


# English function words (articles, pronouns, prepositions, conjunctions, auxiliaries and the
# commonest adverbs): general grammar, the same for every course
_FUNCTION_WORDS = word_list("function_words.txt")


def is_function_word(word: str) -> bool:
    return word.lower() in _FUNCTION_WORDS


_STEMMERS = threading.local()


def _stemmer():
    """This thread's Snowball stemmer: one keeps the word it is stemming in itself, so students'
    answers built at once (the UI's sessions, the tutor's threads) must not share one."""
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        import snowballstemmer

        stemmer = _STEMMERS.english = snowballstemmer.stemmer("english")
    return stemmer


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


def can_modify(word: str, unknown: bool = True) -> bool:
    """Whether ``word`` can modify a noun, noun senses or not: an adjective ("symmetric"), a
    participle ("exploding", "structured") or, with ``unknown``, a word English does not know
    ("multilayer"). Looser than :func:`modifier_only`, which wants no noun sense at all."""
    w = word.lower()
    classes = word_classes(w)
    return (unknown and not classes) or "ADJ" in classes or ("VERB" in classes and w.endswith(("ing", "ed")))


_DETERMINERS = {"the", "a", "an", "your", "our", "my", "this", "these", "those", "its", "their", "some"}
_OBJECT_START = _DETERMINERS | {"for", "with", "up", "out"}


def inflected_verb(word: str) -> bool:
    """A verb form other than the bare verb ("divides", "allowed"): a sentence going on, not a noun."""
    return any(lemma != word.lower() for lemma in lemmas(word).get("VERB", ()))


def imperative_step(term: str) -> bool:
    """"Choose a model", "Train the model", "Define fairness metrics", "Let's start": an instruction
    (a verb in its base form opening the phrase) names a step of the lesson, not a topic. The verb
    is an everyday one English knows only as a verb, or one followed by what it acts on ("Train the model";
    "Transfer learning" and "Test set" stay: their first word is a noun too, and no article follows)."""
    written = term.replace("’", "'").split()
    ws = [w.lower() for w in written]
    if len(ws) < 2:
        return False
    if ws[0] in ("let's", "lets"):
        return True
    if re.fullmatch(r"[A-Za-z][a-z]+[A-Z][A-Za-z]*", written[0]):
        return False  # a name written with an inner capital is no verb ("ReAct Prompting", "GoogLeNet Blocks")
    forms = lemmas(ws[0])
    # "Uses the cross-entropy loss": a verb's -s form before what it acts on says what something
    # does (a bullet of properties), it names nothing
    if ws[1] in _DETERMINERS and ws[0].endswith("s") and any(v != ws[0] for v in forms.get("VERB", ())):
        return True
    if ws[0] not in forms.get("VERB", ()) or not _used_as_verb(ws[0]):
        return False
    # a verb English uses often ("compute", a technical verb, also names a thing: "Compute Power"),
    # or one acting on a name in capitals ("Implement ARIMA")
    return ((set(forms) == {"VERB"} and zipf(ws[0]) >= ORDINARY_ZIPF) or ws[1] in _OBJECT_START
            or (len(ws) == 2 and is_acronym(written[1])))


def _used_as_verb(word: str) -> bool:
    """Whether English uses ``word`` as a verb: its past tense is not much rarer than the word
    ("choose"/"chose"; but "google" is mostly a name: "googled" is 50 times rarer). A past tense
    too rare for the word list says nothing."""
    from lemminflect import getInflection

    past = max((zipf(p) for p in getInflection(word, "VBD")), default=0.0)
    return past == 0.0 or past >= zipf(word) - 1.0


_OBJECT_TAIL = re.compile(r"\s+(?:of|to|for|with|in|on|from|into|using|via|by|as|at)\s+.*$", re.IGNORECASE)


def instruction_object(term: str) -> str | None:
    """What an instruction acts on, when that is a thing with a name: "Visualize the ROC curve of
    this model" → "ROC curve", "Let's Start Q-Learning" → "Q-Learning"; None for one that acts
    on an everyday word ("Build
    your model", "Balance the dataset"). ``term`` is an instruction (:func:`imperative_step`)."""
    ws = term.replace("’", "'").split()[1:]
    if ws and ws[0].lower() in ("start", "begin"):  # "Let's start ..."
        ws = ws[1:]
    while ws and ws[0].lower() in _OBJECT_START:
        ws = ws[1:]
    obj = _OBJECT_TAIL.sub("", " ".join(ws)).strip(" !.?:")
    return obj if obj and (" " in obj or not is_ordinary_word(obj)) else None

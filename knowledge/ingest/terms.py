"""Term normalisation shared by extraction, merging, matching and scoring: one place decides
when two spellings name the same concept (case, plurals, hyphens/spaces, articles, acronyms)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from knowledge.lexical import GREEK, is_code_name  # noqa: F401  (is_code_name: shared by the extractors)

from .document import one_line

_SPLIT = re.compile(r"[\s\-_/]+")
_FUNCTION_WORDS = {"of", "over", "and", "the", "for", "to", "in", "on", "a", "an", "with", "by"}
_NO_SINGULAR = {"ethics", "physics", "mathematics", "statistics", "analytics", "graphics", "news", "series",
                "species", "gas", "bias", "lens", "always", "perhaps", "thus", "this", "its", "has", "was",
                "does", "is", "as", "us", "yes", "less", "loss", "class", "cross", "process", "success",
                "access", "address", "express", "mass", "pass", "business", "kubernetes", "pandas", "keras",
                "numpy", "focus", "corpus", "virus", "status", "radius", "consensus", "genus", "bus",
                "analysis", "basis", "axis", "thesis", "hypothesis", "synthesis", "diagnosis", "emphasis",
                "bayes", "lens", "canvas", "atlas", "chaos", "ethos", "cosmos", "logos", "pathos", "alias"}
_IRREGULAR = {"criteria": "criterion", "phenomena": "phenomenon", "indices": "index", "matrices": "matrix",
              "vertices": "vertex", "data": "data", "media": "media", "schemata": "schema",
              "analyses": "analysis", "hypotheses": "hypothesis", "syntheses": "synthesis", "axes": "axis",
              "parentheses": "parenthesis", "diagnoses": "diagnosis"}


_DASHES = str.maketrans({c: "-" for c in "–—‐‑−"})


def ascii_fold(text: str) -> str:
    """ASCII letters of ``text``: accents dropped, dashes made hyphens ("frequency–inverse" stays
    two words), Greek letters spelled out ("ε-greedy" → "epsilon-greedy")."""
    return unicodedata.normalize("NFKD", text.translate(_DASHES).translate(GREEK)).encode("ascii", "ignore").decode("ascii")


def singular(word: str) -> str:
    """English singular of one lower-case word, conservatively (unknown shapes unchanged)."""
    w = word
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) <= 3 or w in _NO_SINGULAR or w.endswith(("ss", "us", "is", "ics")):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("ches") and _more_common(w[:-1], w[:-2]):
        return w[:-1]  # "caches", "niches" (but "batches", "approaches")
    if w.endswith("ses") and not w.endswith("sses") and _more_common(w[:-2], w[:-1]):
        return w[:-2]  # "biases", "buses" (but "cases", "responses")
    if w.endswith("zes") and not w.endswith("zzes") and _more_common(w[:-1], w[:-2]):
        return w[:-1]  # "sizes", "prizes" (but "buzzes", "waltzes")
    if w.endswith(("sses", "xes", "ches", "shes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith("'s"):
        return w[:-1]
    return w


_IRREGULAR_PLURAL = {v: k for k, v in _IRREGULAR.items() if k != v}


def plural(word: str) -> str:
    """English plural of one lower-case singular noun where adding ``s``/``es`` would miss it
    ("matrix" → "matrices", "probability" → "probabilities"); else the word unchanged."""
    if word in _IRREGULAR_PLURAL:
        return _IRREGULAR_PLURAL[word]
    if len(word) > 3 and word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word


def _more_common(a: str, b: str) -> bool:
    from .lexicon import zipf

    return zipf(a) > zipf(b)


def words(text: str) -> list[str]:
    text = ascii_fold(text).lower()
    text = re.sub(r"[^a-z0-9+#\s\-_/]", " ", text)
    return [w for w in _SPLIT.split(text) if w]


def norm_key(text: str) -> str:
    """``"The Convolutional Neural Networks"`` → ``"convolutional neural network"``;
    ``"Auto-Encoders"`` → ``"auto encoder"``; an API name keeps its shape (``"filter()"``)."""
    if is_code_name(text):
        return text.strip().lower()
    ws = words(text)
    while ws and ws[0] in ("the", "a", "an"):
        ws = ws[1:]
    if not ws:
        return ""
    ws[-1] = singular(ws[-1])
    return " ".join(ws)


def compact_key(text: str) -> str:
    """``norm_key`` without spaces, so ``"auto encoder"`` and ``"autoencoder"`` meet."""
    return norm_key(text).replace(" ", "")


def is_acronym(text: str) -> bool:
    """``CNN``, ``GANs``, ``mAP``, ``IoU``, ``TF-IDF`` (``TF–IDF`` with an en dash too), ``R-CNN`` —
    not ``Word2Vec`` or ``ResNet``."""
    t = text.strip()
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9\-\u2013]{0,9}", t) or len(t) < 2:
        return False
    letters = [c for c in t if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    core = letters[:-1] if letters and letters[-1] == "s" else letters
    return upper >= 2 and upper >= 0.5 * len(core)


def acronym_key(text: str) -> str:
    """Lower-case acronym without a plural s or hyphens: ``"GANs"`` → ``"gan"``, ``"R-CNN"`` → ``"rcnn"``."""
    t = text.strip()
    if t.endswith("s") and len(t) > 2 and t[-2].isupper():
        t = t[:-1]
    return re.sub(r"[^a-z0-9]", "", t.lower())


def acronym_pairs(concepts) -> Iterator[tuple[str, str]]:
    """(acronym, long form) for each concept that has its name both ways: ("SGD", "Stochastic gradient
    descent"), ("RNNs", "Recurrent neural network")."""
    for c in concepts:
        names = (c.title, *c.aliases)
        for short in (t for t in names if is_acronym(t)):
            key = acronym_key(short)
            for long in (t for t in names if not is_acronym(t) and key in initials(t)):
                yield short, long


@lru_cache(maxsize=65536)
def initials(text: str) -> frozenset[str]:
    """Possible acronyms of a multi-word term: ``"Bag of Words"`` → ``{"bow", "bw"}``,
    ``"Long Short Term Memory"`` → ``{"lstm"}`` (cached: merging asks for the same titles'
    initials hundreds of thousands of times on a textbook)."""
    ws = [w for w in _SPLIT.split(ascii_fold(text).strip()) if w and re.match(r"[A-Za-z0-9]", w)]
    if len(ws) < 2:
        return frozenset()
    all_w = "".join(w[0] for w in ws).lower()
    content = "".join(w[0] for w in ws if w.lower() not in _FUNCTION_WORDS).lower()
    spaced = [w for w in ascii_fold(text).split() if w and re.match(r"[A-Za-z0-9]", w)]
    by_space = "".join(w[0] for w in spaced).lower() if len(spaced) >= 2 else ""
    return frozenset(o for o in (all_w, content, by_space) if len(o) >= 2)


def spelled_by_parts(key: str, text: str) -> bool:
    """Whether acronym ``key`` (lower case, :func:`acronym_key`) is spelled by the words of
    ``text`` taking the first letter of each and, after it, more letters of the same word in
    order: "Bilingual Evaluation Understudy" spells "bleu", "Global Vectors" "glove",
    "Rectified Linear Unit" "relu"; a small word ("from", "of") may give none, and so may the part of
    a hyphenated word after its first ("Synthetic Minority Over-sampling Technique" spells "smote")."""
    words, optional = [], set()
    for word in re.split(r"\s+", ascii_fold(text).strip()):
        for k, part in enumerate(p for p in _SPLIT.split(word) if p and re.match(r"[A-Za-z0-9]", p)):
            if k:
                optional.add(len(words))
            words.append(part.lower())
    if len(words) < 2 or not key:
        return False

    @lru_cache(maxsize=None)
    def spells(i: int, j: int) -> bool:  # key[j:] from words[i:]
        if i == len(words):
            return j == len(key)
        w = words[i]
        if (w in _FUNCTION_WORDS or i in optional) and spells(i + 1, j):
            return True
        if j == len(key) or key[j] != w[0]:
            return False
        k, at = j + 1, 1  # the word's first letter, then as many more of its letters (in order) as help
        while True:
            if spells(i + 1, k):
                return True
            if k == len(key):
                return False
            at = w.find(key[k], at) + 1
            if at == 0:
                return False
            k += 1

    return spells(0, 0)


@lru_cache(maxsize=65536)
def term_keys(text: str) -> frozenset[str]:
    """All exact-match keys of one spelling (acronyms get an ``acr:`` key as well)."""
    keys = {k for k in (norm_key(text), compact_key(text)) if k}
    if is_acronym(text):
        keys.add("acr:" + acronym_key(text))
    # "Vanishing gradients problem", "Policy Gradient Method", "Broadcasting mechanism": the
    # thing itself, whatever word for a kind of idea follows it
    bare = _KIND_OF_IDEA.sub("", text)
    if bare != text and bare.strip():
        keys |= {k for k in (norm_key(bare), compact_key(bare)) if k}
    # "Convolution neural network" is the "Convolutional Neural Network"; "Position encoding" the
    # "Positional encoding": an adjective in -tional/-sional before the head noun, said as its noun
    if noun_form := noun_form_key(text):
        keys.add(noun_form)
    return frozenset(keys)


def noun_form_key(text: str) -> str:
    """The key of ``text`` with an adjective in -tional/-sional before its head noun said as its
    noun ("Convolutional Neural Network" → "convolution neural network"), or "" when it has none."""
    ws = norm_key(text).split()
    if len(ws) > 1 and any(_TIONAL.search(w) for w in ws[:-1]):
        return " ".join([w[:-2] if _TIONAL.search(w) else w for w in ws[:-1]] + ws[-1:])
    return ""


_TIONAL = re.compile(r"^[a-z]{4,}[ts]ional$")


_KIND_OF_IDEA = re.compile(r"\s+(?:problems?|methods?|approach(?:es)?|techniques?|mechanisms?)$", re.IGNORECASE)


EMOJI_LEAD = re.compile(r"^[^\w(\[\"'`]+", re.UNICODE)
TRAIL_PUNCT = re.compile(r"[\s.:;,!?\-–—]+$")


# a name with the letter that stands for it in the lesson's formulas: "*State s*", "Observation o"
_WITH_VARIABLE = re.compile(r"^(?P<t>[A-Za-z][\w-]{2,}(?:\s+[A-Za-z][\w-]*){0,3})\s+(?P<v>[a-z])$")


def without_variable(term: str) -> str:
    """The name without the letter after it that stands for it in formulas, its last word's
    initial ("State s", "Action a" → "State", "Action"). Other letters label cases ("Plan b",
    "Type a"); a capital one is part of a name ("Vitamin C"); a Greek one is as often a value
    ("with *probability ɛ*") as a name's symbol, so it stays."""
    m = _WITH_VARIABLE.match(term)
    return m.group("t") if m and m.group("v") == m.group("t").split()[-1][0].lower() else term


def clean_term(text: str) -> str:
    """A term as written, without emphasis marks, quotes, a leading or trailing emoji or trailing
    punctuation ("Visualizing Relationships: All About Honey 🍯")."""
    t = one_line(text).replace("--", "–")  # LaTeX/Markdown's en dash: "Nadaraya--Watson"
    t = EMOJI_LEAD.sub("", t)
    t = t.strip(" \"'`*_“”‘’")
    while t and (unicodedata.category(t[-1]) == "So" or t[-1] in "\ufe0f\u200d"):  # an emoji, not "C++"
        t = t[:-1].rstrip()
    t = TRAIL_PUNCT.sub("", t)
    return t.strip()

"""What a quiz question shows, read as text: names blanked, a name given away in another form
(its words, its acronym spelled out), two names too close to tell apart, a definition that leans
on a sentence before it. Used by :mod:`tutor.quiz`."""

from __future__ import annotations

import re

from knowledge.ingest.sentences import split_sentences
from knowledge.ingest.terms import norm_key
from knowledge.ingest.vocabulary import GENERIC_TAIL
from knowledge.lexical import is_code_name
from knowledge.models import Concept

BLANK = "____"
MAX_OPTION_CHARS = 220


def _stems(text: str) -> set[str]:
    """Content-word stems (first five letters of each word of four or more; camelCase and
    snake_case split), to see one name in another form: "rbfkernel"/"RBF kernel", "NetLogo"/"Logo"."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
    return {w[:5].lower() for w in re.split(r"[^A-Za-z]+", text) if len(w) >= 4}


_SMALL = frozenset({"of", "and", "the", "to", "for", "in", "a", "an"})


def spells(acronym: str, text: str) -> bool:
    """``text`` holds consecutive words whose initials spell ``acronym`` ("TF-IDF": "term
    frequency-inverse document frequency"; small words such as "of" may be skipped or used)."""
    letters = re.sub(r"[^A-Za-z]", "", acronym).lower()
    if not 2 <= len(letters) <= 8 or not re.fullmatch(r"[A-Z][A-Za-z0-9-]*", acronym.strip()) \
            or sum(ch.isupper() for ch in acronym) < 2:
        return False
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", text))]

    def match(i: int, j: int) -> bool:  # letters[j:] spelled from words[i:]
        if j == len(letters):
            return True
        if i == len(words):
            return False
        if words[i][0] == letters[j] and match(i + 1, j + 1):
            return True
        return words[i] in _SMALL and j > 0 and match(i + 1, j)

    return any(words[i][0] == letters[0] and match(i, 0) for i in range(len(words)))


def gives_away(answer: str, shown: str) -> bool:
    """The answer's name, or most of its words, or the words its acronym stands for, in what the
    student sees with the question."""
    if spells(answer, shown):
        return True
    if is_code_name(answer):  # an API name: its call in the code ("ds.map(") gives it away
        bare = re.split(r"::|\.|\$", answer.strip().removesuffix("()"))[-1]
        return bool(re.search(r"(?<![\w])" + re.escape(bare) + r"\s*\(|" + re.escape(answer.strip()), shown))
    key = norm_key(answer)
    if key and (re.search(r"(?<!\w)" + re.escape(key) + r"(?!\w)", norm_key(shown))
                or re.sub(r"\W+", "", key) in re.sub(r"[\W_]+", "", shown.lower())):
        return True
    words = _stems(answer)
    return bool(words) and len(words & _stems(shown)) * 2 >= len(words)


def _names(c: Concept) -> list[str]:
    return sorted({n for n in (c.title, *c.aliases) if n.strip()}, key=len, reverse=True)


def blank_names(text: str, c: Concept) -> str:
    """``text`` with every mention of ``c`` (title, aliases, plural) replaced by a blank."""
    for n in _names(c):
        text = re.sub(r"(?<![\w-])" + re.escape(n) + r"(?:e?s)?(?![\w-])", BLANK, text, flags=re.IGNORECASE)
    return text


def _tokens(key: str) -> frozenset[str]:
    return frozenset(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in key.split())


def names_overlap(a: Concept, b: Concept) -> bool:
    """One name inside the other ("Generalization" / "Generalization gap", "Recurrent network" /
    "Recurrent neural network"), also without a generic last word ("Attention mechanism" /
    "Encoder-decoder attention": a kind of it): too close to be told apart in a question."""
    na = [k for x in _names(a) for k in {norm_key(x), norm_key(GENERIC_TAIL.sub("", x))}]
    nb = [k for x in _names(b) for k in {norm_key(x), norm_key(GENERIC_TAIL.sub("", x))}]
    return any(x and y and (x in y or y in x or _tokens(x) <= _tokens(y) or _tokens(y) <= _tokens(x))
               for x in na for y in nb)


def kind_of(a: Concept, b: Concept) -> bool:
    """``a``'s definition makes it a kind of ``b`` ("A genetic algorithm is an evolutionary
    algorithm that ..."): whatever describes ``b`` fits ``a`` too, so one is no distractor for the
    other."""
    first = (split_sentences(a.definition) or [""])[0]
    return any(re.search(r"\b(?:is|are)\s+(?:an?|the|one|some)\s+(?:[\w-]+\s+){0,2}?" + re.escape(n) + r"(?:e?s)?\b",
                         first, re.IGNORECASE) for n in _names(b))


def _first_sentences(text: str, limit: int = MAX_OPTION_CHARS) -> str:
    out = ""
    for s in split_sentences(text):
        if out and len(out) + len(s) > limit:
            break
        out = f"{out} {s}".strip()
    return out if len(out) <= limit else out[: limit - 1].rsplit(" ", 1)[0] + "…"

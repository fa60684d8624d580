"""The other names written around a term: "Convolutional Neural Network (CNN)", "X, also
called Y", "GPT: Generative Pre-Trained Transformer", an acronym a sentence uses for the term;
which shorter name is the same thing ("pooling" / "pooling layer"); and a concept's aliases
cleaned of its title's own forms."""

from __future__ import annotations

import re
from typing import Iterable

from .lexicon import word_classes
from .terms import acronym_key, acronym_pairs, clean_term, initials, is_acronym, norm_key, spelled_by_parts, term_keys
from .vocabulary import valid_term


def _aliases_after(text: str, start: int, term: str, emphasised: Iterable[str] = ()) -> list[str]:
    """Aliases written right after a term occurrence: ``"X (CNN)"``, ``"X, or GANs"``,
    ``"X (also known as PIL)"``, ``"X (Y for short)"``, ``"X, also called Y,"``, ``"X, ANNs"``, ``"**X**, or **Y**"``,
    ``"GPT: Generative Pre-Trained Transformer"``."""
    rest = text[start:]
    out: list[str] = []
    for other in emphasised:
        if clean_term(other) != term and re.match(r"^\s*,?\s*(?:or|also\s+called|also\s+known\s+as|aka)\s+"
                                                    + re.escape(other) + r"\b", rest, re.I):
            if valid_term(clean_term(other)) or is_acronym(clean_term(other)):
                out.append(clean_term(other))
    m = re.match(r"^\s*[:\-–—]\s+([A-Z][\w\-]*(?:\s+[A-Za-z][\w\-]*){1,5})\s*(?:[.;,]|$)", rest)
    if m and is_acronym(term) and _acronym_fits(term, m.group(1)):
        out.append(clean_term(m.group(1)))
    m = re.match(r"^\s*\(\s*(?:((?:also\s+|sometimes\s+|often\s+)?(?:known\s+as|called|referred\s+to\s+as)|aka|a\.k\.a\.|or|short\s+for)\s+)?"
                 r"(?:(?:an?|the)\s+)?([^()]{1,40}?)\s*(for\s+short)?\s*\)", rest, re.I)
    if m:
        cand = clean_term(m.group(2))
        if (m.group(1) or m.group(3)) and valid_term(cand):
            out.append(cand)
        elif (is_acronym(cand) and _acronym_fits(cand, term)) or _clipped(cand, term):
            out.append(cand)
    m = re.match(
        r"^\s*,\s*(?:(also\s+called|also\s+known\s+as|aka)\s+(?:an?\s+|the\s+)?|or\s+(?:simply\s+)?)?"
        r"[\"'“‘]?([\w\-]+(?:\s+[\w\-]+){0,3})[\"'”’]?\s*(?=[,.;:)]|$|\s+(?:is|are|which|that|where)\b)",
        rest,
        re.I,
    )
    if m:
        cand = clean_term(m.group(2))
        quoted = bool(re.match(r"^\s*,\s*(?:or\s+)?[\"'“‘]", rest))
        if (m.group(1) and valid_term(cand)) or (is_acronym(cand) and _acronym_fits(cand, term)) or (
            quoted and valid_term(cand) and len(cand.split()) <= 2
        ):
            out.append(cand)
    return out


def _acronym_fits(acr: str, term: str) -> bool:
    return acronym_key(acr) in initials(term) or acronym_key(acr) == norm_key(term).replace(" ", "")


def _clipped(short: str, term: str) -> bool:
    """A lower-case short form clipped from the term's words, that English does not know as a word:
    "universal functions (ufuncs)", "regular expressions (regexes)"."""
    w = short.lower()
    return (re.fullmatch(r"[a-z]{4,12}", w) is not None and " " in term.strip() and not word_classes(w)
            and spelled_by_parts(w[:-1] if w.endswith("s") else w, term))


def _mention_aliases(sentence: str, occ: re.Pattern[str], term: str, emphasised: Iterable[str] = ()) -> list[str]:
    """Aliases around the term's occurrences in a sentence, and the acronym itself when the
    sentence uses the term's initials ("The way CNNs work ..." for Convolutional Neural Network)."""
    out: list[str] = []
    for m in occ.finditer(sentence):
        out += [a for a in _aliases_after(sentence, m.end(), term, emphasised) if a not in out]
        used = m.group(0)
        if is_acronym(used) and not is_acronym(term) and acronym_key(used) in initials(term):
            acr = used[:-1] if used.endswith("s") and used[-2:-1].isupper() else used
            if acr not in out:
                out.append(acr)
    return out


_NAME_TAIL = {"layer", "layers", "network", "networks", "model", "models", "algorithm", "algorithms", "architecture",
              "architectures", "approach", "method", "technique", "mechanism", "mechanisms", "problem", "framework",
              "function", "unit", "units", "cell", "cells", "process", "system", "systems", "task"}


def _names_same(short: str, long: str) -> bool:
    """Is ``short``, contained in ``long``, another name of it: the same words, the head of it
    ("neural network" in "artificial neural network"), or it without a generic last word
    ("pooling" / "pooling layer")?"""
    s, lo = norm_key(short), norm_key(long)
    if s == lo or lo.endswith(" " + s):
        return True
    return lo.startswith(s + " ") and lo[len(s) + 1:] in _NAME_TAIL


def _clean_aliases(title: str, aliases: Iterable[str]) -> list[str]:
    """Aliases other than the title's own forms, and never the title's one-word head alone:
    "normalization" names more than "batch normalization" does (the emphasis in "this
    *normalization* based on batch statistics ..." is no second name); a longer tail ("dot product
    attention" for "scaled dot product attention") is how a course may well say the same."""
    out: list[str] = []
    tkeys = term_keys(title)
    head = norm_key(title)
    for a in aliases:
        a = clean_term(a)
        single_head = " " not in norm_key(a) and head.endswith(" " + norm_key(a))  # not "dot product attention"
        if a and not (term_keys(a) & tkeys) and a not in out and not single_head:
            out.append(a)
    return out


def _short_forms(concepts: Iterable) -> dict[str, str]:
    """A concept name of several words and the acronym the course gives it as another name:
    ``{"recurrent neural network": "RNN"}`` (the acronym singular, as written)."""
    out: dict[str, str] = {}
    for short, long in acronym_pairs(concepts):
        out.setdefault(norm_key(long), short[:-1] if short.endswith("s") and short[-2:-1].isupper() else short)
    return out


def abbreviated_names(concepts: list, text: str, known: Iterable = ()) -> int:
    """Give each concept whose title holds another concept's full name ("Bidirectional Recurrent
    Neural Network" holds "recurrent neural network", which the course also writes "RNN") the
    name the course writes with the abbreviation ("bidirectional RNN") as an alias, where ``text``
    (the course's prose) uses it; ``known`` (other readings of the concepts: those stored before, the
    lessons' merged) give abbreviations too. Returns how many aliases were added."""
    shorts = _short_forms([*known, *concepts])
    if not shorts:
        return 0
    added = 0
    for c in concepts:
        words = re.findall(r"[A-Za-z0-9]+", c.title)
        have = {norm_key(n) for n in (c.title, *c.aliases)}
        for size in range(len(words) - 1, 1, -1):  # (a strictly longer name: not the concept itself)
            for i in range(len(words) - size + 1):
                short = shorts.get(norm_key(" ".join(words[i:i + size])))
                if short is None:
                    continue
                parts = [*words[:i], short, *words[i + size:]]
                name = " ".join(parts)
                # (as the course writes it: "GRUs from scratch", "bidirectional RNN", "deep-RNN")
                written = r"[\s-]+".join(re.escape(w) + ("s?" if j == i else "") for j, w in enumerate(parts))
                if norm_key(name) in have or not re.search(rf"(?<![\w-]){written}s?(?![\w-])", text, re.IGNORECASE):
                    continue
                c.aliases.append(name)
                have.add(norm_key(name))
                added += 1
    return added


def apply_alias_hints(found: list, hints: list[tuple[str, str, list[str]]]) -> None:
    """"Neural networks are sometimes called Artificial Neural Networks, ANNs": when X is a
    concept of this lesson (one of ``found``, the lesson's candidates), Y (and its aliases) become X's
    aliases instead of a new concept."""
    for subj, term, aliases in hints:
        skeys = term_keys(subj)
        owner = next((f for f in found if term_keys(f.title) & skeys), None)
        if owner is None:
            continue
        tkeys = term_keys(term)
        for f in list(found):
            if f is not owner and term_keys(f.title) & tkeys and f.strength == 2:
                found.remove(f)
        owner.aliases += [a for a in (term, *aliases) if a not in owner.aliases]

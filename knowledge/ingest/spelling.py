"""A teacher's typo in a name ("Depthwise Seperable Convolutions", "VGG Network Architechture", "CUDA
benchmakrs") is no name of its own: the concept takes the spelling the course's own text uses, and
keeps the typo as an alias (a student may copy it). Decided from the course's word counts and
general English, never from a list of words: a word English does not know (neither its word
frequencies nor its dictionary of inflections, "parsing" is a word), written at most
:data:`RARE` times, one letter away from a word the course writes :data:`RATIO` times as often."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ..models import Concept, slugify
from .lexicon import stem, word_classes, zipf

MIN_LETTERS = 6  # shorter words have too many neighbours one letter away
RARE = 2  # a typo is written at most this often
RATIO = 3  # ... beside its right spelling, written this many times as often
MIN_USES = 3  # the right spelling is written at least this often
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_WORD = re.compile(r"[A-Za-z]+")


def _one_letter_away(word: str) -> set[str]:
    """Words one slip away: a letter swapped with the next, replaced, dropped or added, inside the
    word (a changed first letter is another name, "dstack" beside "stack"; a changed ending another
    form, "tokenizers", "nonparametrics"); "s" for "z" is a spelling, not a slip ("parameterisation")."""
    splits = [(word[:i], word[i:]) for i in range(1, len(word) - 1)]
    swapped = {a + b[1] + b[0] + b[2:] for a, b in splits}
    replaced = {a + c + b[1:] for a, b in splits for c in _LETTERS if {c, b[0]} != {"s", "z"}}
    dropped = {a + b[1:] for a, b in splits}
    added = {a + c + b for a, b in splits for c in _LETTERS}
    return (swapped | replaced | dropped | added) - {word}


def respelled(word: str, counts: Counter[str]) -> str | None:
    """The course's spelling of ``word`` when ``word`` is a typo of it (module docstring), else None.
    A word written with capitals inside it is a name ("ResNeXt" beside "ResNet"), never a typo."""
    low = word.lower()
    if (len(low) < MIN_LETTERS or not low.isalpha() or any(ch.isupper() for ch in word[1:])
            or counts[low] > RARE or zipf(low) > 0 or word_classes(low)):
        return None
    need = max(MIN_USES, RATIO * counts[low])
    found = [w for w in _one_letter_away(low) if counts[w] >= need and stem(w) != stem(low)]
    return max(found, key=lambda w: (counts[w], w)) if found else None


def fix_title_spelling(concepts: Iterable[Concept], counts: Counter[str]) -> dict[str, str]:
    """Respell the titles of ``concepts`` in place (:func:`respelled`, the typo kept as an alias);
    returns the new id of each concept renamed, by its old one."""
    renamed: dict[str, str] = {}
    for c in concepts:
        title = _WORD.sub(lambda m: _in_its_case(m.group(0), respelled(m.group(0), counts)), c.title)
        if title != c.title:
            c.aliases = [c.title, *(a for a in c.aliases if a != c.title)]
            renamed[c.id] = slugify(title)
            c.title, c.id = title, renamed[c.id]
    return renamed


def _in_its_case(written: str, right: str | None) -> str:
    if right is None:
        return written
    return right.capitalize() if written[0].isupper() else right

"""Terms a sentence names without emphasis: "... is called the learning rate", "known as gradient
clipping" — the name cut at the first function word or verb that ends it (split from
:mod:`knowledge.ingest.introduced`, which takes them as candidate terms)."""

from __future__ import annotations

import re

from .lexicon import is_function_word, word_classes


_NAMING = re.compile(r"\b(?:called|known\s+as|referred\s+to\s+as|termed|dubbed)\s+(?:(?:it|them|this|these)\s+)?(?:an?\s+|the\s+)?[\"“]?"
                     r"([^\W\d_][\w'’-]*(?:\s+[A-Za-z][\w'’-]*){0,5})", re.IGNORECASE)  # "an ε-greedy policy" too
NAMED_WORDS = 4  # a name longer than this, unemphasised, is cut somewhere we cannot tell


def _named_in(text: str) -> list[str]:
    """Terms a sentence names without emphasis: "... is called the learning rate", "known as
    gradient clipping" (up to four words, cut at the first function word; a longer name, "the ImageNet
    Large Scale Visual Recognition Challenge", or one that goes on after "and", "simultaneous detection
    and segmentation", is no term to cut a piece from)."""
    out = []
    for m in _NAMING.finditer(text):
        ws, words = [], m.group(1).split()
        for k, w in enumerate(words):
            if is_function_word(w) or w.lower() in ("is", "are", "was", "were") or (k and _ends_name(words[k - 1], w)):
                if w.lower() in ("and", "or") and ws and _goes_on(ws[-1], words[k + 1:]):
                    ws = []  # "detection and segmentation": the name goes on
                break
            ws.append(w)
        if len(ws) > NAMED_WORDS:
            continue
        if ws and not text[m.start(1) + len(ws[0]):].startswith("("):  # "the method called createLinks()": code
            out.append(" ".join(ws))
    return out


def _ends_name(before: str, word: str) -> bool:
    """Whether ``word``, after ``before``, is a verb that ends a name given without emphasis: a
    present-tense one ("also known as APIs allow programmers ..."), or a past one after a proper name
    ("a scientist called Joseph Weizenbaum developed Eliza"); not a participle inside the name
    ("leaky averaging", "reconstructing corrupted text")."""
    if word_classes(re.sub(r"\W+$", "", word.lower())) != {"VERB"}:
        return False
    return not word.endswith(("ing", "ed")) or (before[:1].isupper() and word.endswith("ed"))


def _goes_on(head: str, after: list[str]) -> bool:
    """Whether the words after "and"/"or" in a name continue it ("simultaneous detection and
    segmentation") rather than start a clause ("... function and simply returns") or a second
    name of the same kind ("training data and validation data")."""
    nxt = []
    for w in after[:3]:
        nxt.append(re.sub(r"\W+$", "", w))
        if re.search(r"[,.;:)]$", w):
            break
    if not nxt or is_function_word(nxt[0]) or nxt[0].lower() in ("is", "are", "was", "were") or nxt[0].lower().endswith("ly") \
            or word_classes(nxt[0]) == {"VERB"}:
        return False
    return nxt[-1].lower() != head.lower()

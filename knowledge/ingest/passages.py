"""A lesson's own words as passages: runs of a section's text up to :data:`MAX_PASSAGE` characters
(split at paragraph, then sentence, boundaries) and its code blocks, each tied to the concepts it
teaches — the concepts whose source is that section, and the lesson's concepts it names."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

from knowledge.models import Concept, Passage, Source

from .dialects import is_setup_code
from .document import Block, Document, Section
from .extract import is_furniture
from .section_code import solution_after
from .vocabulary import _section_roles

MAX_PASSAGE = 1200
MIN_PASSAGE = 40  # shorter runs join the next block (a lone caption, a one-word list item)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9$(\"'])")


def passage_id(lesson: str, anchor: str, order: int, text: str) -> str:
    return hashlib.sha1(f"{lesson}|{anchor}|{order}|{text}".encode()).hexdigest()[:20]


def _block_text(b: Block) -> str:
    if b.kind == "list_item":
        return f"- {b.text}"
    return b.text


def _split_long(text: str, limit: int) -> list[str]:
    """One over-long paragraph → pieces at sentence boundaries (a sentence over ``limit`` stays whole)."""
    out, cur = [], ""
    for sent in _SENTENCE_END.split(text):
        if cur and len(cur) + 1 + len(sent) > limit:
            out.append(cur)
            cur = sent
        else:
            cur = f"{cur} {sent}" if cur else sent
    if cur:
        out.append(cur)
    return out


def _sep(prev: str, piece: str) -> str:
    """A list item follows the one before it on the next line; anything else after a blank line."""
    return "\n" if piece.startswith("- ") and prev.split("\n")[-1].startswith("- ") else "\n\n"


def _joined(pieces: list[str]) -> str:
    text = pieces[0] if pieces else ""
    for prev, piece in zip(pieces, pieces[1:]):
        text += _sep(prev, piece) + piece
    return text


def _carry_from(cur: list[str], piece: str, limit: int) -> int:
    """Where to end the passage ``cur`` when ``piece`` goes on with a sentence of it ("$$P(y|x)$$"
    + "can be interpreted as ..."): before the display formula and what leads into it, or before
    its last piece, so that they start the next passage with it; at its end when that does not fit."""
    last = len(cur) - 1
    for k in ((last - 1, last) if cur[last].startswith("$$") else (last,)):
        if k > 0 and len(_joined(cur[:k])) >= MIN_PASSAGE and len(_joined(cur[k:] + [piece])) <= limit:
            return k
    return len(cur)


def section_chunks(blocks: Iterable[Block], limit: int = MAX_PASSAGE) -> list[str]:
    """The text of a section's blocks packed into passages of at most ``limit`` characters."""
    pieces: list[str] = []
    for b in blocks:
        text = _block_text(b).strip()
        if text:
            pieces += _split_long(text, limit) if len(text) > limit else [text]
    out: list[str] = []
    cur: list[str] = []  # the pieces of the passage being packed; ``text``: them joined
    text = ""
    for piece in pieces:
        sep = _sep(cur[-1], piece) if cur else ""
        if cur and len(text) + len(sep) + len(piece) > limit and len(text) >= MIN_PASSAGE:
            keep = _carry_from(cur, piece, limit) if piece[:1].islower() else len(cur)
            out.append(_joined(cur[:keep]))
            cur = cur[keep:] + [piece]
            text = _joined(cur)
        else:
            text = f"{text}{sep}{piece}" if cur else piece
            cur.append(piece)
    if text.strip():
        out.append(text)
    return out


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _plain(text: str, code: bool = False) -> str:
    """Lower case, hyphens and underscores as spaces; in code, camelCase split into words."""
    if code:
        text = _CAMEL.sub(" ", text)
    return re.sub(r"[-_]+", " ", text.lower())


# a function or class of two to four parts, defined or called: ``def batch_norm``, ``BatchNorm(``
# (not a variable: ``val_iter`` is no value iteration)
_COMPOUND_IDENTIFIER = re.compile(r"(?<![\w.])((?:[A-Za-z][a-z0-9]*_){1,3}[A-Za-z][a-z0-9]*|(?:[A-Z][a-z0-9]+){2,4})"
                                  r"(?=\s*\()|(?:\bdef|\bclass)\s+((?:[A-Za-z][a-z0-9]*_){1,3}[A-Za-z][a-z0-9]*|"
                                  r"(?:[A-Z][a-z0-9]+){2,4})(?!\w)")
ABBREVIATED_PART = 3  # an identifier's part abbreviates a name's word from this many letters on ("norm", "pos")


class ConceptNames:
    """Finds which concepts a text names (titles and aliases as whole words; in code also as
    identifiers: ``attention_pooling``, ``AttentionPooling``, and identifiers whose parts begin
    the name's words: ``batch_norm``, ``BatchNorm`` for batch normalization). Built once per
    ingest over every concept known, so a passage is tied to concepts that other lessons define."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.ids: dict[str, list[str]] = {}
        self.abbreviable: dict[tuple[str, ...], list[str]] = {}  # the words' first letters → names of 2–4 words
        for c in concepts:
            for name in [c.title, *c.aliases]:
                key = " ".join(_plain(name).split())
                if len(key) >= 3 and c.id not in self.ids.get(key, []):
                    self.ids.setdefault(key, []).append(c.id)
                    words = key.split()
                    if 2 <= len(words) <= 4 and all(w.isalpha() for w in words):
                        self.abbreviable.setdefault(tuple(w[:ABBREVIATED_PART] for w in words), []).append(key)
        names = sorted(self.ids, key=len, reverse=True)
        self.rx = re.compile(r"(?<![\w])(" + "|".join(re.escape(n).replace("\\ ", "\\s+") for n in names)
                             + r")(?:e?s)?(?![\w])") if names else None

    def __call__(self, text: str, code: bool = False) -> list[str]:
        if self.rx is None:
            return []
        found: list[str] = []
        for m in self.rx.finditer(_plain(text, code)):
            found += self.ids.get(" ".join(m.group(1).split()), [])
        if code:
            found += self._abbreviated(text)
        return found

    def _abbreviated(self, code: str) -> list[str]:
        """Concepts a function or class name abbreviates, each part the start of the name's word and
        one part shorter than its word (``batch_norm``: batch normalization; ``batch_size`` is matched whole)."""
        found: list[str] = []
        for ident in {a or b for a, b in _COMPOUND_IDENTIFIER.findall(code)}:
            parts = _plain(ident, code=True).split()
            for key in self.abbreviable.get(tuple(p[:ABBREVIATED_PART] for p in parts), ()):
                if _abbreviates(parts, key.split()) and parts != key.split():
                    found += self.ids[key]
        return found


def _abbreviates(parts: list[str], words: list[str]) -> bool:
    """Whether an identifier's ``parts`` spell a name's ``words`` one for one, each part the whole
    word or its first :data:`ABBREVIATED_PART` letters or more ("batch norm": batch normalization)."""
    return len(parts) == len(words) and all(
        w.startswith(p) and (p == w or len(p) >= ABBREVIATED_PART) for p, w in zip(parts, words))


_DEFINED = re.compile(r"^\s*(?:def|class)\s+(\w+)", re.MULTILINE)


def defines_kind_of(code: str, name: str) -> bool:
    """Whether ``code`` defines a function or class whose name ends with a word of concept
    ``name`` (``class DotProductAttention`` for "attention mechanism"): a kind of it."""
    words = {w for w in _plain(name).split() if len(w) >= 4}
    return any((_plain(ident, code=True).split() or [""])[-1] in words for ident in _DEFINED.findall(code))


def defines_concept(code: str, name: str) -> bool:
    """Whether ``code`` defines a function or class named for concept ``name``, in full or
    abbreviated (``def batch_norm``, ``class BatchNorm``, ``class MultiHeadAttention``), or written as
    the name is, in one word with inner capitals (``class SegNet`` for SegNet, ``class ResNet``)."""
    words = _plain(name).split()
    return any(_abbreviates(parts, words) or "".join(parts) == "".join(words)
               for parts in (_plain(ident, code=True).split() for ident in _DEFINED.findall(code)))


def _only_links(b: Block) -> bool:
    """A block that is nothing but links ("Discussions", "Open in Colab")."""
    return bool(b.links) and b.text.strip() == " ".join(label for label, _ in b.links).strip()


# a credit or a pointer to the picture or video next to it: "Infographic by Jen Looper", "> 🎥 Click
# the image above for a video: ...", "Sketchnote by ..." — the page's furniture, not what it teaches
_CREDIT = re.compile(r"^\W*(?:[A-Za-z][\w-]*\s+){1,2}(?:by|from|courtesy\s+of)\s+"
                     r"\W*[A-Z][\w.'-]*(?:\s+(?:[A-Z][\w.'-]*|and|&|de|van|von))*\W*$")
# a picture credited in a word or two, named or not: "Image by the author", "Picture from this blog post", "Photo by
# Amber Kipp from Unsplash", "Image cred Wikipedia" (a sentence about a picture has a verb: "An image from a camera is ...")
_PICTURE_CREDIT = re.compile(r"^\W*(?:image|picture|photo|figure|illustration|diagram|infographic|sketchnote|drawing|"
                             r"graphic|cartoon|gif|animation)s?\s+(?:by|from|courtesy\s+of|cred(?:it)?s?)\b"
                             r"(?!.*\b(?:is|are|was|were|can|will|shows?|has|have)\b)", re.IGNORECASE)
_POINTER = re.compile(r"\b(?:click|tap|see|watch)\s+(?:on\s+)?the\s+(?:image|picture|video|thumbnail|photo)\s+(?:above|below)\b",
                      re.IGNORECASE)


# "Image Source: Wei et al. (2022)", "Source: ...": where the picture above comes from
_SOURCE_LINE = re.compile(r"^\W*(?:(?:image|figure|photo|picture|diagram|video|table)\s+)?(?:source|credits?)\s*:", re.IGNORECASE)
# a label whose code block is shown apart from the text: "*Prompt:*", "Output:", "Code:"
_CODE_LABEL = re.compile(r"^\W*[A-Za-z][\w-]*(?:\s+[\w-]+)?\s*:\W*$")


def _caption(b: Block) -> bool:
    """A short block that credits the picture above it or points at a video (see :data:`_CREDIT`)."""
    words = len(b.text.split())
    return (words <= 12 and bool(_CREDIT.match(b.text) or _SOURCE_LINE.match(b.text) or _PICTURE_CREDIT.match(b.text))) or (
        words <= 40 and bool(_POINTER.search(b.text)))


def lesson_passages(doc: Document, lesson_id: str, concepts: Sequence[Concept],
                    names: ConceptNames | None = None) -> list[Passage]:
    """Every section of ``doc`` as passages (text, then its code), tied to the lesson's
    ``concepts`` (stored ids, sources citing ``lesson_id``) whose section they are in, and to the
    concepts they name (``names``; default: the lesson's own concepts)."""
    cites: dict[str, list[str]] = {}
    for c in concepts:
        for s in c.sources:
            if s.lesson == lesson_id and s.path == doc.path:
                cites.setdefault(s.anchor, []).append(c.id)
    names = names or ConceptNames(concepts)
    out: list[Passage] = []

    def add(text: str, sec: Section, shown: Section, kind: str, language: str = "", cell: int | None = None) -> None:
        src = Source(path=doc.path, section=shown.heading, anchor=shown.anchor, lesson=lesson_id, page=sec.page,
                     cell=cell if cell is not None else sec.cell)
        named = names(shown.heading) + names(text, code=kind == "code")  # the heading names what it teaches
        ids = list(dict.fromkeys(cites.get(sec.anchor, []) + cites.get(shown.anchor, []) + named))
        order = len(out)
        out.append(Passage(passage_id(lesson_id, sec.anchor, order, text), text, src, kind,  # type: ignore[arg-type]
                           language, ids, order))

    shown: Section | None = None  # text under lesson furniture (a quiz link heading) cites the section before
    under_furniture, _ = _section_roles(doc)  # (and what is nested under it: "Additional Readings" / "## Q-Learning")
    for si, sec in enumerate(doc.sections):
        furniture = bool(sec.heading) and is_furniture(sec.heading)
        if shown is None or not furniture:
            shown = sec
        blocks = [b for b in sec.blocks if b.kind != "heading" and not _only_links(b) and not _caption(b)
                  and not (sec.code_blocks and b.kind == "paragraph" and _CODE_LABEL.match(b.text))]
        if furniture and (blocks or not sec.code_blocks) and all(
                b.kind == "list_item" or b.text.rstrip().endswith("?") for b in blocks):
            continue  # exercises, quiz questions: they ask, they do not teach (code alone, a "Solution", shows)
        if not furniture and si in under_furniture and all(
                b.kind == "list_item" or b.text.rstrip().endswith(("?", ":")) for b in blocks):
            continue  # a reading list nested under one ("To dive deeper into ...:" and links): it points elsewhere
        for chunk in section_chunks(blocks):
            add(chunk, sec, shown, "text")
        for cb in sec.code_blocks:
            if len(cb.text.strip()) >= 8 and not is_setup_code(cb.text, cb.language) \
                    and not solution_after(doc, si, cb):  # (an exercise's template: its solution stands for it)
                add(cb.text, sec, shown, "code", cb.language, cb.cell)
    return out

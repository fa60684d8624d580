"""Glossaries a course writes without the words "is a": a table whose first column names terms
and whose second says what they are, a section that opens by pointing back at its heading
("#### Short Term Memory" / "This type of memory retains ...") or says what it is under the
name's first words ("Naive Bayes models are ..." under "Naive Bayes Classification"), and a list
item's italic run-in lead ("*Off-policy*: using a different policy ..."). :mod:`knowledge.ingest.extract`
reads them as definitions."""

from __future__ import annotations

import re

from .document import Block
from .lexicon import modifier_only, word_classes
from .sentences import _compose, _find_definition, _Match, _term_pattern, split_sentences, variants_of
from .terms import clean_term, singular


# a section's opening sentence that defines what its heading names without naming it: "This type of memory
# retains ...", "This is information that persists ...", "Think of this as a piece of scratch paper ..."
_ANAPHOR = re.compile(
    r"^(?:(?:this|these)\s+(?:type|kind|form|sort|class|variant|family|category)s?\s+of\s+(?P<noun>[\w-]+)\s+(?!is\s+(?:also\s+)?called)\w+"
    r"|(?:this|it)\s+is\s+(?P<bare>[\w-]+)\s+(?:that|which|where|who|used|for)\b"
    r"|(?:this|it)\s+is\s+an?\s+(?!(?:very|really|quite|good|great|important|key|big|common)\b)\w"
    r"|think\s+of\s+(?:this|it)\s+as\s+an?\s"
    r"|this\s+(?!is\b)(?:[\w-]+\s+)?(?P<noun2>[\w-]+)(?:\s+(?:type|kind))?\s+(?!is\s+(?:also\s+)?called)[a-z]\w+)",
    re.IGNORECASE)


def anaphoric_opening(blocks: list[Block], sent_cache: list[list[str]], term: str,
                      pointed: bool = False) -> tuple[str, int, list[str]] | None:
    """The definition of a heading's term when the section's first paragraph opens by pointing
    back at the heading (:data:`_ANAPHOR`; "this type of <noun>" only with the heading's own head
    noun), else None. Only the first paragraph counts: later it points at something else. With
    ``pointed``, only an opening that names the heading's head noun or says "think of this as a"
    counts (for a heading that could also read as a process: "Working Memory")."""
    for bi, b in enumerate(blocks):
        if b.kind in ("html", "heading"):
            continue
        if b.kind != "paragraph" or not sent_cache[bi]:
            return None
        m = _ANAPHOR.match(sent_cache[bi][0])
        noun = m and (m.group("noun") or m.group("noun2"))
        if not m or (noun and singular(noun.lower()) != singular(term.split()[-1].lower())):
            return None
        if pointed and not noun and not m.group(0).lower().startswith("think"):
            return None
        if m.group("bare") and not _a_thing(m.group("bare")):
            return None  # "It is interesting that ...": a remark, not what the heading names
        # named as a glossary line names it, so that the definition reads on its own ("Short Term Memory: This type ...")
        return f"{term}: " + _compose(sent_cache[bi], _Match(3, 0), blocks[bi + 1:]), 2, []
    return None



# a run-in label saying that what follows is what the heading names (general English): "**What it is:**
# When conflicting information exists ...", "**Description:** ...", "**Definition**: ..."
_DEFINING_LABEL = re.compile(r"^\W*(?:what\s+(?:it|this|they)\s+(?:is|are|means?)|what\s+(?:is|are)\s+(?:it|they)"
                             r"|description|definition|meaning)\W*$", re.IGNORECASE)


def labelled_opening(blocks: list[Block], term: str) -> tuple[str, int, list[str]] | None:
    """The definition of a heading's term when the section's first paragraph is labelled as saying
    what it is ("### Context Clash" / "**What it is:** When conflicting information exists within the
    context, ..."), written as a glossary line ("Context Clash: When conflicting ..."); else None."""
    for bi, b in enumerate(blocks):
        if b.kind in ("html", "heading"):
            continue
        if b.kind not in ("paragraph", "list_item") or not b.lead or not _DEFINING_LABEL.match(b.lead):
            return None
        at = b.text.find(b.lead)
        gloss = b.text[at + len(b.lead):].lstrip(" *_:–—-") if at >= 0 else ""
        sents = split_sentences(gloss)
        if not sents or len(gloss.split()) < 5:
            return None
        return f"{term}: " + _compose(sents, _Match(3, 0), blocks[bi + 1:]), 2, []
    return None


# a kind noun after the first words of a heading's name: "Naive Bayes models are ..." under "Naive Bayes
# Classification", "A Pandas Series is ..." under "The Pandas Series Object"
_KIND_NOUN = r"(?:[\s-]+(?:models?|classifiers?|estimators?|algorithms?|methods?|objects?|techniques?|approach(?:es)?))?"
_TYPE_HEADS = {"object", "class", "type", "structure", "container"}  # a name's last word that says only what sort of thing it is


def kin_opening(blocks: list[Block], sent_cache: list[list[str]], term: str) -> tuple[str, int, list[str]] | None:
    """The definition of a heading's term when its section says what the term is under the name's
    first words ("Naive Bayes models are a group of ... classification algorithms" for "Naive Bayes
    Classification"): the subject is all the name's words but the last, maybe with a kind noun after
    them, and the sentence (or the next) names that last word, unless it only says what sort of thing
    the term is ("object"). Written as a glossary line ("Naive Bayes Classification: Naive Bayes
    models are ..."), so that it reads on its own. None when no sentence of the section does."""
    words = re.sub(r"^(?:the|an?)\s+", "", term, flags=re.IGNORECASE).split()
    # (two words or more before the last: "Polynomial Regression" is not what "polynomial" is)
    if len(words) < 3 or not re.search(r"[A-Za-z]{3}", words[-1]) or modifier_only(words[-2]):
        return None
    first, head = " ".join(words[:-1]), singular(words[-1].lower())
    pat = _term_pattern(variants_of(first)) + _KIND_NOUN
    for bi, b in enumerate(blocks):
        if b.kind not in ("paragraph", "list_item") or not sent_cache[bi]:
            continue
        m = _find_definition(sent_cache[bi], pat, allow_so_called=False)
        if m is None or m.strength != 3:
            continue
        text = _compose(sent_cache[bi], m, blocks[bi + 1:])
        said = {singular(w) for w in re.findall(r"[a-z]+", text.lower())}
        if head in said or head in _TYPE_HEADS:
            return f"{' '.join(words)}: {text}", 2, []
    return None


ITALIC_LEAD = re.compile(r"^[^\w]*[^:.!?]{1,60}(?::|\s[-–—])\s")  # a lead of a few words, then a colon or a dash
ITALIC_GLOSS_WORDS = 6  # an italic lead glosses in a clause of this many words or more
# what an italic lead's gloss does not open with when it says what the term is: the reader or the
# author ("You go every day to ..."), a formula, a verb telling what to do ("Try restaurants ...")
_NOT_A_GLOSS = re.compile(r"^\W*(?:(?:you|we|i|they|he|she|it|this|these|that)\b|\$)", re.IGNORECASE)


def italic_gloss(lead: str, gloss: str) -> bool:
    """Whether a list item's italic lead and what follows it are a term and what it is: a clause
    of some words, not a remark, a formula or an instruction, and a lead that is no work's title
    (three capitalised words or more: "*Python Data Science Cookbook*: a book that ...") nor a lone
    word that can be an adjective (a kind's modifier under "two kinds of X:" is :func:`listed_kind`'s). (Nor is
    a lead with a formula's letter, "*State s*": the caller checks.)"""
    words = gloss.split()
    # (a capitalised verb opens an instruction; "assign points to the nearest center" glosses an E-step)
    told = bool(words) and words[0][:1].isupper() and "VERB" in word_classes(words[0].lower()) and not words[0].endswith(("ing", "ed"))
    title = sum(w[:1].isupper() for w in lead.split()) >= 3
    quality = len(lead.split()) == 1 and "ADJ" in word_classes(lead.lower())  # "*Wet*: the deck must drain ...": a check
    return len(words) >= ITALIC_GLOSS_WORDS and not _NOT_A_GLOSS.match(gloss) and not told and not title and not quality


# the header of a table's column that explains the first one
_GLOSS_COLUMN = re.compile(r"^(?:short\s+|brief\s+)?(?:description|definition|meaning|explanation|what\s+it\s+(?:is|does|means))s?$",
                           re.IGNORECASE)


def _a_thing(word: str) -> bool:
    """Whether English knows ``word`` as a noun and never as an adjective ("information", not
    "interesting" or "possible")."""
    classes = word_classes(word.lower())
    return "NOUN" in classes and "ADJ" not in classes


def row_gloss(b: Block, before: list[Block]) -> str:
    """A row of a glossary table, read as a glossary line: "**Simple Reflex Agents** | Perform
    immediate actions ..." → "Simple Reflex Agents: Perform immediate actions ...". A glossary
    table has two columns, or a second column headed "Description" (a table comparing two things,
    "Concern | Prototype | Production", glosses nothing); its first cell is the bold lead. The rest of
    the row (examples, links) is left out; any other row stays as it is."""
    cells = b.text.split(" | ")
    head = _header(b, before)
    columns = head.text.split(" | ")
    if any(len(col.split()) > 4 for col in columns):
        return b.text  # no header row of short labels (it was empty): a layout, not a glossary
    glossary = len(columns) == 2 or (len(columns) > 2 and _GLOSS_COLUMN.match(clean_term(columns[1]) or ""))
    if (head is b or not glossary or len(cells) < 2 or clean_term(cells[0]) != clean_term(b.lead)
            or not re.match(r"^[A-Za-z]", cells[1])):
        return b.text
    return f"{cells[0]}: {cells[1]}"


# the header of a table's column that holds the names of what its rows are about ("Operator | Name | Description")
_NAME_COLUMN = re.compile(r"^(?:name|term|concept|terminology)s?$", re.IGNORECASE)


def _header(b: Block, before: list[Block]) -> Block:
    """The first row of the table ``b`` is a row of (``b`` itself when it is the first)."""
    head = b
    for prev in reversed(before):
        if prev.kind != "table_row":
            break
        head = prev
    return head


def named_row(b: Block, before: list[Block]) -> tuple[str, str] | None:
    """The term and gloss of a row of a table whose header has a "Name" (or "Term") column and a
    "Description" (or "Meaning") column, wherever they stand: "``a // b`` | Floor division | Quotient
    of ``a`` and ``b``, removing fractional parts" under "Operator | Name | Description" →
    ("Floor division", "Floor division: Quotient of a and b, removing fractional parts (a // b)"): what
    the other cells write in code (the operator) closes the gloss. None for any other row (a header,
    a table of other columns, a row with an empty cell, whose columns no longer line up)."""
    head = _header(b, before)
    columns = [clean_term(c) or "" for c in head.text.split(" | ")]
    cells = b.text.split(" | ")
    if head is b or len(cells) != len(columns):
        return None
    name_at = next((i for i, c in enumerate(columns) if _NAME_COLUMN.match(c)), None)
    gloss_at = next((i for i, c in enumerate(columns) if _GLOSS_COLUMN.match(c)), None)
    if name_at is None or gloss_at is None or name_at == gloss_at:
        return None
    name, gloss = clean_term(cells[name_at]), cells[gloss_at].strip()
    if not name or not re.match(r"^[A-Za-z]", gloss) or len(gloss.split()) < 3:
        return None
    code = [c.strip() for i, c in enumerate(cells) if i not in (name_at, gloss_at) and c.strip() in b.code]
    shown = f" ({', '.join(code)})" if code else ""
    return name, f"{name}: {gloss.rstrip('.')}{shown}."


def gerund_thing(heading: str) -> str | None:
    """A two-word heading whose first word ends in -ing ("Working Memory", "Learning Agents"): read
    as a process it names no concept, but it may name a thing; None for any other heading."""
    h = clean_term(heading)
    return h if re.fullmatch(r"[A-Za-z]+ing\s+[A-Za-z][a-z]+", h or "") else None


# a list's lead-in that says its items are kinds of one thing: "We have two types of policies:",
# "There are three kinds of soil sensor:" (up to three words for the thing, then the colon)
_KINDS_OF = re.compile(r"\b(?:types?|kinds?|forms?|classes|categories|sorts?|varieties|flavou?rs|families)\s+of\s+"
                       r"(?P<np>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,2})\s*:\s*$", re.IGNORECASE)


def listed_kind(lead: str, before: list[Block]) -> str | None:
    """The name of the kind a list item's lead stands for when the lead is only a modifier
    ("*Deterministic*: a policy at a given state ...") and the list's lead-in says its items are
    kinds of a thing ("We have two types of policies:"): "Deterministic policy". None otherwise."""
    words = lead.split()
    if not 1 <= len(words) <= 2 or not all(_modifier(w) for w in words):
        return None
    for b in reversed(before):
        if b.kind in ("list_item", "html"):
            continue
        m = _KINDS_OF.search(b.text) if b.kind == "paragraph" else None
        if not m:
            return None
        *head, last = m.group("np").split()
        return clean_term(" ".join([lead, *head, singular(last)]))
    return None


def _modifier(word: str) -> bool:
    """A word English knows only as a modifier, a compound included ("Model-free": free)."""
    return modifier_only(word) or ("-" in word and modifier_only(word.rsplit("-", 1)[1]))


def items_under(blocks: list[Block], bi: int, lead: str) -> list[Block]:
    """The blocks after glossary item ``bi`` up to the next item with a lead set off the same way
    ("**Workers**. ..." then "**Brokers**. ...": a sibling, where "**Pulls jobs** from ..." goes on)."""
    if blocks[bi].kind != "list_item":
        return blocks[bi + 1:] if blocks[bi].kind in ("paragraph", "quote") else []
    sep = re.match(r"\W*" + re.escape(lead) + r"[*_]*\s*([.:,–—-])", blocks[bi].text)
    out = []
    for b in blocks[bi + 1:]:
        if sep and b.kind == "list_item" and b.lead and re.match(
                r"\W*" + re.escape(b.lead) + r"[*_]*\s*" + re.escape(sep.group(1)) + r"\s+[A-Z]", b.text):
            break
        out.append(b)
    return out

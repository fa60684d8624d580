"""A lesson file that teaches no term still has a topic: its title.

A lab ("Training Mountain Car to Escape"), an assignment ("Assignment: Notebooks"), a how-to
("Using Google Colab") or a chapter's opening page often defines nothing, so extraction keeps
no concept from it — and then no question can find it: a student asking what the lab wants
gets the lesson's concepts, never the lab. :func:`add_file_topics` gives each such file one
concept, its title, introduced (never defined: the file's opening is where it comes up), with
the file as its source. Files that already contribute a concept of their own are left alone;
a file whose every concept an earlier file already has (a competition that applies what the
chapter taught, an assignment that uses the lesson's terms) gets its title too.

Files of several lessons that share a title (three lessons have an "Assignment: Notebooks") are
told apart by their lessons: the lesson's main page's title is put before each
("Recurrent Neural Networks — Assignment: Notebooks"), so that each is a concept of its own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import PurePosixPath

from knowledge.models import Concept, Source

from .document import Document
from .lexicon import is_function_word
from .prereqs import LessonExtraction
from .sentences import _fit, split_sentences
from .terms import clean_term, term_keys
from .vocabulary import DIVISION_LABEL, DIVISION_ONLY, heading_term, is_furniture

_WORD = re.compile(r"[a-z][a-z0-9'-]+")
MIN_WORDS = 8  # an opening shorter than this ("Start the lab by opening X") says nothing of the topic
_MAIN_PAGE = re.compile(r"^(?:readme|index)$", re.IGNORECASE)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


# furniture that goes over what came before: a recap, a summary (not "Assignment: Transformers", "Setup", nor a
# page of further resources: "What books does the author suggest next?" asks for it)
_GOES_OVER = re.compile(r"^[^:–—]*\b(?:recap|summary|conclusions?)$", re.IGNORECASE)


# a title that asks the reader something about the course: "What you'll learn and what you'll build"
_TO_THE_READER = re.compile(r"^\W*(?:what|how|where|when|why|who)\b(?!\s+(?:is|are)\b).*\b(?:you|you'll|you’ll|your|we|we'll|we’ll|our|us)\b",
                            re.IGNORECASE)


def _content(title: str) -> set[str]:
    return {w for w in _words(title) if not is_function_word(w)}


def _title(doc: Document) -> str:
    """The file's level-1 heading, else its own title (front matter, a page's <title>, a PDF's),
    but not a parser's stand-in for one: the file's name ("assignment") or its first section's
    heading ("## Serving the form" heads a part of the file, not the file)."""
    title = next((s.heading for s in doc.sections if s.level == 1 and s.heading), "")
    if not title and doc.title != PurePosixPath(doc.path).stem \
            and doc.title not in {s.heading for s in doc.sections if s.level != 1}:
        title = doc.title
    if re.search(r"!\W*$", title):
        return ""  # an exclamation ("Tokenizers, check!", "Part 1 completed!") cheers; it names no topic
    if DIVISION_ONLY.fullmatch(clean_term(title)):
        return ""  # "Week 13": which part of the course it is, no topic
    # (its topic without the label of its division: "Appendix: Tools for Deep Learning")
    return clean_term(DIVISION_LABEL.sub("", clean_term(title), count=1)) if title else ""


def _opening(doc: Document, boilerplate: set[str]) -> tuple[int, str] | None:
    """The file's first paragraph of prose (two sentences) that no other file repeats."""
    for si, sec in enumerate(doc.sections):
        for b in sec.blocks:
            if b.kind in ("paragraph", "list_item", "quote") and b.text not in boilerplate \
                    and len(b.text.split()) >= MIN_WORDS and not b.text.startswith("$$"):
                text = _fit(split_sentences(b.text)[:2])
                if text:
                    return si, text
    return None


_ASKS_WHAT = re.compile(r"^\s*what\s+(?:is|are)\s+(?:an?\s+|the\s+)?(?P<x>[^?]+?)\s*(?:\?|$)", re.IGNORECASE)


def _names_known(title: str, known: set[str]) -> bool:
    """Whether the title names a concept the course already has, in other words: "PAL (Program-Aided
    Language Models)" on a second page about PAL, "What is RL? A short recap" where RL is known."""
    asked = _ASKS_WHAT.match(title)  # "What is Reinforcement Learning?", "What is RL? A short recap"
    ht = heading_term(asked.group("x") if asked else title)
    named = asked.group("x") if asked else re.sub(r"\s*\([^()]*\)\s*$", "", title)
    if ht is None or not term_keys(ht[0]) & term_keys(named):
        return False  # (a step's object is no name of the file: "Build an Ontology" is an assignment, not Ontology)
    return any(term_keys(t) & known for t in (ht[0], *ht[1]))


def _prose(sec, boilerplate: set[str]) -> bool:
    return any(b.kind in ("paragraph", "list_item", "quote") and b.text not in boilerplate for b in sec.blocks)


def _main_page(group: Sequence[LessonExtraction]) -> LessonExtraction:
    """The lesson's own page: a README/index at the lesson's folder, else its first file."""
    for le in group:
        p = PurePosixPath(le.document.path)
        if _MAIN_PAGE.match(p.stem) and str(p.parent) == le.lesson_id:
            return le
    return group[0]


def add_file_topics(lessons: Sequence[LessonExtraction], boilerplate: set[str] | frozenset[str] = frozenset()) -> int:
    """Give every file of ``lessons`` (in reading order) that contributes no concept of its own
    (none that an earlier file lacks) its title as one (see the module docstring). Returns how
    many were added."""
    seen: set[str] = set()
    empty = []  # files with no concept of their own: none, or only ones an earlier file has
    for le in lessons:
        keys = {c.id for c in le.concepts}  # canonical ids: variants are already merged into them
        if not keys - seen:
            empty.append(le)
        seen |= keys
    if not empty:
        return 0
    titles = {le.document.path: _title(le.document) for le in empty}
    shared = Counter(t.lower() for t in titles.values())
    groups: dict[str, list[LessonExtraction]] = {}
    for le in lessons:
        groups.setdefault(le.lesson_id, []).append(le)
    known = {k for le in lessons for c in le.concepts for t in (c.title, *c.aliases) for k in term_keys(t)}
    added = 0
    for le in empty:
        doc = le.document
        title = titles[doc.path]
        opening = _opening(doc, boilerplate)
        if not title or not _content(title) or opening is None or _names_known(title, known):
            continue
        group = groups[le.lesson_id]
        main = _main_page(group)
        if shared[title.lower()] > 1 and main is not le:
            lesson = _title(main.document)
            if lesson and not _content(title) <= _content(lesson):
                title = f"{lesson} — {title}"
        if _TO_THE_READER.match(title):
            continue  # "What you'll learn in this unit", "How you can contribute": the course's frame, no topic
        if is_furniture(title) and (shared[title.lower()] > 1 and title == titles[doc.path] or _GOES_OVER.search(title)):
            # every chapter's "Introduction" page: a page of the book's frame, no topic; nor a page that goes
            # over what came before ("Mid-way Recap")
            continue
        # the whole file is about it: each of its sections is a source, so its passages (the lab's
        # task, its environment, its data) are the ones an answer quotes
        first = next((si for si, s in enumerate(doc.sections) if s.heading), 0)
        sources = [Source(path=doc.path, section=sec.heading, anchor=sec.anchor, lesson=le.lesson_id,
                          page=sec.page, cell=sec.cell)
                   for si, sec in enumerate(doc.sections) if si == first or _prose(sec, boilerplate)]
        le.concepts.append(Concept(title=title, definition="", context=opening[1], sources=sources, taught="introduced"))
        added += 1
    return added

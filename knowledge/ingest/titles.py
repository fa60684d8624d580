"""The concept a lesson's own title names (its first level-1 heading), with the definition the
lesson gives it — or, for a title its prose never repeats, the lesson's opening as where it comes
up. Split from :mod:`knowledge.ingest.extract`, which calls :func:`_doc_title_concept` after the
section-by-section extraction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .course_profile import CourseProfile, Introduced, keep, shares_word
from .document import Document
from .lexicon import is_function_word
from .sentences import _compose, _find_definition, _fit, _Match, _occurrence_regex, _term_pattern, split_sentences, variants_of
from .terms import clean_term, term_keys
from .aliases import _mention_aliases
from .vocabulary import _QUIZ, SETTING as _SETTING, heading_term, valid_term


@dataclass
class _Found:
    title: str
    aliases: list[str]
    definition: str
    strength: int
    section: int
    taught: str = "defined"
    listed: bool = False  # a row of a table of names: one of the things its section lists, not what its heading names


def _doc_title_concept(doc: Document, lesson_id: str, found: list[_Found], skip: set[int],
                       profile: CourseProfile | None = None) -> None:
    """The lesson's own title (its first level-1 heading) is its main concept. Its definition is,
    in order of preference: a definition sentence anywhere in the lesson; the sentence that names
    it in a section further on headed by the title itself (the introduction of "Beam Search" only
    lists it among what is to come, its "## Beam Search" teaches it); the sentence of the
    introduction that names it (with the sentence before, when it starts "This is ..."); the
    opening of the section whose heading names it; the first sentence that mentions it. A title
    the lesson's prose never repeats ("Softmax Regression", named only in a figure caption) is
    still its topic when it passes the heading tests of :func:`keep` (not a recurring step, not
    "Predicting House Prices on Kaggle"): the lesson's opening is where it comes up."""
    h1 = next((i for i, s in enumerate(doc.sections) if s.level == 1 and s.heading), None)
    if h1 is None:
        return
    ht = heading_term(doc.sections[h1].heading)
    if not ht:
        return
    term, aliases = ht
    m = re.match(r"^(?:advanced|modern|basic|classical|classic|applied|practical|simple)\s+(.+\s.+)$", term, re.I)
    if m:  # "Modern Recurrent Neural Networks" is taught as "recurrent neural networks are ..." ("deep" names
        # another concept: a deep RNN is not an RNN)
        aliases = aliases + [m.group(1)]
    if _SETTING.match(term) or _NAMED_KIND.match(term):  # (the lesson's sentences, read only for such a title)
        prose = [x for si, sec in enumerate(doc.sections) if si not in skip for b in sec.blocks
                 if b.kind in ("paragraph", "quote", "list_item") for x in split_sentences(b.text)]
        term = _named_without_setting(prose, term, aliases)
        aliases = aliases + _name_alone(prose, term, aliases)
    keys = set().union(*(term_keys(t) for t in (term, *aliases)))
    if any(keys & term_keys(f.title) for f in found):
        return
    pat = _term_pattern(variants_of(term, aliases))
    occ = _occurrence_regex(pat)
    if m:  # the definition is about the general term: title it so
        for si in [si for si in range(len(doc.sections)) if si not in skip]:
            for b in doc.sections[si].blocks:
                if b.kind in ("paragraph", "quote", "list_item"):
                    sents = split_sentences(b.text)
                    short_pat = _term_pattern(variants_of(m.group(1)))
                    if _find_definition(sents, short_pat):
                        term, aliases = m.group(1), [a for a in aliases if a != m.group(1)] + [ht[0]]
                        break
            else:
                continue
            break
    order = [si for si in range(len(doc.sections)) if si not in skip]
    # 1. a definition anywhere
    for si in order:
        sec = doc.sections[si]
        for bi, b in enumerate(sec.blocks):
            if b.kind in ("html", "heading", "table_row"):
                continue
            sents = split_sentences(b.text)
            m = _find_definition(sents, pat)
            if m:
                text = _compose(sents, m, sec.blocks[bi + 1:])
                if text:
                    found.append(_Found(term, aliases + _mention_aliases(sents[m.sentence], occ, term), text, m.strength, si))
                    return

    def mention(sections: Iterable[int], min_words: int) -> tuple[int, str, list[str]] | None:
        for si in sections:
            sec = doc.sections[si]
            for bi, b in enumerate(sec.blocks):
                if b.kind not in ("paragraph", "quote"):
                    continue
                sents = split_sentences(b.text)
                for k, sentence in enumerate(sents):
                    if (occ.search(sentence) and len(sentence.split()) >= min_words and not sentence.endswith("?")
                            and sentence.endswith((".", "!", ":"))):
                        prev = split_sentences(sec.blocks[bi - 1].text)[-1:] if bi > 0 else []
                        text = _compose(sents, _Match(2, k), sec.blocks[bi + 1:], prev[0] if prev else "")
                        if text:
                            return si, text, _mention_aliases(sentence, occ, term)
        return None

    # 2. a section further on headed by the title itself ("# Beam Search" ... "## Beam Search"): where
    # the lesson teaches it, after an introduction that only lists it among what is to come
    named_by = set().union(*(term_keys(t) for t in (term, *aliases)))
    again = [si for si in order if si != h1 and term_keys(clean_term(doc.sections[si].heading)) & named_by]
    got = mention(again[:1], 8)
    # 3. the introduction (the title's own section and a quiz section right after it)
    intro = [h1] + [si for si in range(h1 + 1, len(doc.sections)) if _QUIZ.search(doc.sections[si].heading)][:1]
    got = got or mention([si for si in intro if si not in skip], 8)
    # 4. the section whose heading names it
    if got is None:
        named = [si for si in order if si != h1 and occ.search(doc.sections[si].heading)]
        for si in named[:1]:
            sec = doc.sections[si]
            for bi, b in enumerate(sec.blocks):
                if b.kind in ("paragraph", "quote") and len(b.text.split()) >= 8:
                    text = _fit(split_sentences(b.text)[:2])
                    got = (si, text, []) if text else None
                    break
    # 5. the first mention anywhere
    if got is None:
        got = mention(order, 8)
    if got is None and profile is not None and not shares_word(term, [f.title for f in found if f.section == h1]):
        # (a title over a definition may name that concept in other words: "Multi-Layer Networks")
        got = _opening(doc, [h1] + order, term, aliases, profile, [f.definition for f in found])
    if got is not None:
        found.append(_Found(term, aliases + got[2], got[1], 1, got[0], "introduced"))  # named, not defined


SETTING_MENTIONS = 2  # sentences that name the topic alone, for it to be the title's concept


def _named_without_setting(prose: list[str], term: str, aliases: list[str]) -> str:
    """The title's topic without its setting ("Function Calling with LLMs" → "Function Calling") when
    the lesson's prose (its sentences) never names the whole title but names the topic alone in two
    sentences or more."""
    m = _SETTING.match(term)
    if m is None or len([w for w in m.group(1).split() if not is_function_word(w.lower())]) < 2 \
            or not valid_term(m.group(1)):
        return term  # (not "The Dataset" of "The Dataset for Pretraining BERT")
    whole = _occurrence_regex(_term_pattern(variants_of(term, aliases)))
    topic = _occurrence_regex(_term_pattern(variants_of(m.group(1))))
    if any(whole.search(x) for x in prose) or sum(1 for x in prose if topic.search(x)) < SETTING_MENTIONS:
        return term
    return m.group(1)


# a name with an inner capital, then one word: "ReAct Prompting", "AutoRec Model"
_NAMED_KIND = re.compile(r"^([A-Z][a-z]+[A-Z][A-Za-z0-9]*)\s+([A-Za-z-]+)$")


def _name_alone(prose: list[str], term: str, aliases: list[str]) -> list[str]:
    """The name a title opens with, as another name, when the lesson's prose uses it alone in two
    sentences or more ("ReAct is a general paradigm that ..." on a page titled "ReAct Prompting")."""
    m = _NAMED_KIND.match(term)
    if m is None or m.group(1) in aliases:
        return []
    alone = re.compile(r"(?<![\w-])" + re.escape(m.group(1)) + r"(?![\w-])(?!\s+" + re.escape(m.group(2)) + r"\b)")
    return [m.group(1)] if sum(1 for x in prose if alone.search(x)) >= SETTING_MENTIONS else []


def _opening(doc: Document, order: list[int], term: str, aliases: list[str],
             profile: CourseProfile, taken: list[str]) -> tuple[int, str, list[str]] | None:
    """The lesson's first paragraph (two sentences), for a title its prose never repeats, when
    the title passes :func:`keep` as a heading and is a name rather than a description (at most
    three words, none a function word: not "Classification of Pet Faces", "Word-level Text
    Generation using RNNs"), and the opening is not the definition of another concept (a
    notebook titled "Practice: Multi-Layer Networks" that opens by defining activation functions)."""
    words = term.split()
    if len(words) > 3 or any(is_function_word(w.lower()) or w.islower() and w.endswith("ing") for w in words[1:]):
        return None
    for si in order:
        for b in doc.sections[si].blocks:
            if b.kind == "paragraph" and len(b.text.split()) >= 8 and not b.text.startswith("$$"):
                text = _fit(split_sentences(b.text)[:2])
                first = split_sentences(b.text)[0]
                if any(first in t for t in taken):
                    return None
                if text and keep(Introduced(term, tuple(aliases), si, "heading", text, title=True), profile):
                    return si, text, []
                return None
    return None

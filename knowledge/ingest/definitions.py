"""Definitions that define, looked for across the whole course.

A lesson often introduces a term in one place ("we call this *dropout*", a heading) and says
what it is in another, or another lesson does ("Dropout is a regularization method that ...").
After extraction, every concept whose definition is not "X is a/refers to ..." (quality 3 of
:func:`definition_quality`) gets the course's first sentence, in reading order, that is — else
the first of quality 2 (X as subject of another verb, or a sentence naming X after saying what
it is) when that beats what it has — and the section that holds it becomes its first source (so
the answer cites where the definition is). A lesson that defines a concept another lesson
introduced now teaches it too. A concept left with only a sentence about the lesson ("Below, we
introduce X", a question, "this is called X" with nothing before it) gets no definition; that
sentence becomes its :attr:`~knowledge.models.Concept.context`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.models import Concept, Source

from .api_names import MIN_WORDS as API_MIN_WORDS
from .document import Document
from .extract import (
    _compose, _find_definition, _Match, _section_roles, _term_pattern,
    split_sentences, variants_of,
)
from .sentences import _ANAPHOR, PRONOUN_NAMED, SELF_DESCRIBED, after_formula, is_meta
from .lexicon import is_function_word, stem
from .terms import is_acronym, is_code_name
from .naming import _occurrence_regex, subject_verb_after
from .remarks import remark_about
from .merge import concept_keys, definition_strength, merge_variants
from .mentions import MentionMatcher
from .prereqs import LessonExtraction

_PROSE = ("paragraph", "list_item", "quote")
_ROW, _CELL = "table_row", " | "  # a table row's text: its cells joined
# the lesson's own recap, read for definitions though it holds no new concepts
_RECAP = re.compile(r"^\W*(?:summary|conclusions?|recap|key\s+takeaways|takeaways?|wrap[- ]?up)\W*$", re.IGNORECASE)
MIN_WORDS = 6
# a list item that glosses the term it opens with, bold or not: "Infrastructure as a Service
# (IaaS): users rent ...", "Word-level representation - we create a vocabulary ..."
_GLOSS_AFTER = re.compile(r"^(?:\s*\([^)]{1,40}\))?\s*(?::|\s[-–—])\s+(?=\S)")
GLOSS_WORDS = 8  # not a remark after a dash: "RAG - due to the larger context window"


def _glosses(after: str) -> bool:
    m = _GLOSS_AFTER.match(after)
    return bool(m) and len(after[m.end():].split()) >= GLOSS_WORDS


# the copula or gloss of a definition within its first words ("Average pooling is an operation", "Alignment - ...")
_GENUS_NEAR = re.compile(
    r"^\W*(?:[^\s,;:.]+\s+){0,8}?(?:(?:\([^)]{0,60}\)\s*)?,?\s*(?:(?:is|are)\s+(?:\w+ly\s+)?(?:an?(?!\s+(?:lot|bit|little)\b)|the|one|defined|called|like\s+an?|"
    # (a plural's genus: "Events are subsets of ...", not "The biases are initialized as zeros", "Eigenvalues
    # are often difficult to ...")
    r"what|how|when|where|that|to)\b|are\s+(?!not\b|(?:often|also|usually|typically|generally|always|sometimes|still|"
    r"then|now|very|quite|rather|more|less|too|so|just|only|all|both)\b|\w+ly\b|\w+ed\b)(?:[\w-]+\s+){0,2}?[\w-]{3,}s\b|"
    r"refers?\s+to\b|means\b|denotes\b|stands?\s+for\b|"
    # "Perplexity can be best understood as the reciprocal of ...": what it is, in other words
    r"(?:can|may)\s+be\s+(?:best\s+|roughly\s+|intuitively\s+|simply\s+)?(?:understood|thought\s+of|seen|viewed|"
    r"interpreted|described|regarded)\s+as\b)|\s*(?:--|–|—|:|-)\s+\S|\s*,\s*(?:where|in\s+which|"
    r"which|i\.e\.)\b)", re.IGNORECASE)
_INNER_ABBREVIATION = re.compile(r"(?<=[A-Za-z])\s+\([A-Za-z]{1,8}\)(?=\s+[a-z])")
# a gloss that goes on about something named before it ("Data Specific - they only work ...")
# (not "X - these are JSON documents ...", "X - this is the minimum ...": the gloss points back at X)
_LEANS = re.compile(r"(?!(?:this\s+is|these\s+are)\s+(?:an?\s+|the\s+)?[\w-]+)(?:they|it|its|their|this|these|those|he|she)\b",
                    re.IGNORECASE)


def definition_quality(c: Concept) -> int:
    """How well the definition of ``c`` says what it is: 3 "X is a/refers to/means ..." or a
    glossary "X – ..."; 2 X as the subject of another verb ("X computes ...", unless the sentence
    is about the lesson, :func:`is_meta`) or a sentence naming X ("... is called X", "X, which
    is ...") whose "this"/"it" has a sentence before it to point to; 1 a sentence that only uses
    X; 0 one about the lesson rather than X (an announcement, a question), a naming sentence
    whose "this" points to nothing, or a fragment."""
    # "the Kullback–Leibler (KL) divergence" names Kullback–Leibler divergence
    sents = [_INNER_ABBREVIATION.sub("", s) for s in split_sentences(c.definition)[:3]]
    if not sents or len(c.definition.split()) < (API_MIN_WORDS if is_code_name(c.title) else MIN_WORDS):
        return 0
    pat = _term_pattern(variants_of(c.title, c.aliases))
    m = _find_definition(sents, pat, in_brackets=True)
    # (read without an abbreviation inside the name: "Cold start (CS) latency - this is ...")
    strength, sentence = (m.strength, sents[m.sentence]) if m else (definition_strength(_with(c, " ".join(sents))), sents[0])
    if strength == 3:
        if remark_about(sentence):
            return 1  # "X is one of the most useful notions", "X stands for ...": uses X, says not what it is
        rest = re.sub(r"^\W*(?:" + pat + r")[\s,:;\-–—]*", "", sentence, count=1, flags=re.IGNORECASE)
        if _LEANS.match(rest):
            return 1  # "Data Specific - they only work on ...": about something named before it
        if _GENUS_NEAR.match(sentence) or (m is not None and m.explicit):
            return 3
        return 0 if is_meta(sentence) else 2
    if strength == 2:
        if sentence.endswith("?"):
            return 0
        alone = sentence is sents[0] and not (m and m.explicit)  # nothing before it, and it needs something
        if alone and (_ANAPHOR.search(sentence) or PRONOUN_NAMED.search(sentence)) and not SELF_DESCRIBED.match(sentence):
            return 0
        # a name given in an announcement ("Up next we talk about a technique called X") only uses it
        return 1 if _ANNOUNCES.search(sentence) and not (m and m.explicit) else 2
    occ = _occurrence_regex(pat)  # cached: compiled anew, thousands would flush the re module's cache
    if not occ.search(c.definition) and not _names_in_other_forms(c):
        return 0  # never names X: the opening of a section headed X, about something else ("Cosine Scheduler")
    k = next((k for k, x in enumerate(sents) if occ.search(x)), 0)  # not the sentence before it ("Consider ...")
    own, at = sents[k], occ.search(sents[k])
    if at and _IN_X_BEFORE.fullmatch(own[: at.start()]) and _WE_DO_AFTER.match(own[at.end():]):
        return 2  # "For instance, in part-of-speech tagging, we annotate every word ...": what is done in it
    if at and is_meta(own) and _ENDS_NAMING.fullmatch(own[at.end():]) and k + 1 < len(sents) and _IT_IS_A.match(sents[k + 1]):
        return 2  # "Let's introduce a multinoulli distribution. It is an extension of ...": what it is, next
    return 0 if is_meta(own) else 1


# what the lesson will do next, in the first person: "Up next we talk about ...", "we will introduce a model named ..."
_ANNOUNCES = re.compile(r"\b(?:we|I)\s+(?:will\s+|'ll\s+|shall\s+|are\s+going\s+to\s+)?(?:now\s+|next\s+|first\s+)?"
                        r"(?:talk\s+about|discuss|introduce|present|cover|look\s+at)\b", re.IGNORECASE)
# the setting of what the sentence says is done ("In X, we annotate ...", not "In X, we will see ...")
_IN_X_BEFORE = re.compile(r"\W*(?:(?:for\s+(?:example|instance)|e\.g\.),?\s+)?in\s+(?:the\s+)?", re.IGNORECASE)
_WE_DO_AFTER = re.compile(r"(?:\s*\([^)]{1,40}\))?\s*,\s*(?:we|one)\s+(?!(?:will|would|can|could|may|might|should|must|need|"
                          r"have|had|do|did|are|were|see|saw|look|discuss|consider|use|used)\b)[a-z]{3,}\b", re.IGNORECASE)
# a sentence ending with the term it brings in, then one saying what "it" is
_ENDS_NAMING = re.compile(r"\s*(?:\$[^$]{1,30}\$)?\s*[.:]?\s*")
_IT_IS_A = re.compile(r"^\W*(?:it|this|they)\s+(?:is|are)\s+(?:an?|the|one)\s+(?!(?:bit|lot|little|good|great|nice)\b)\w", re.IGNORECASE)


def _names_in_other_forms(c: Concept) -> bool:
    """Whether the definition has every word of the concept's name or of an alias in some form
    ("we can serialize (save) the model" names Serialization). Another name with an abbreviation in it
    has no other forms ("a single hidden RNN layer ... these networks are deep" does not name the Deep
    Recurrent Neural Network by its "deep RNN")."""
    have = {stem(w) for w in re.findall(r"[a-z]+", c.definition.lower())}
    for name in (c.title, *(a for a in c.aliases if not any(is_acronym(w) for w in a.split()))):
        words = [w for w in re.findall(r"[a-z]+", name.lower()) if not is_function_word(w)]
        if words and all(stem(w) in have for w in words):
            return True
    return False


def _with(c: Concept, definition: str) -> Concept:
    return Concept(title=c.title, definition=definition, aliases=list(c.aliases))


def find_definitions(lessons: list[LessonExtraction], boilerplate: Iterable[str] = ()) -> int:
    """Give concepts of ``lessons`` (in reading order) whose definition does not say what they
    are the course's best sentence that does: the first "X is a/refers to ..." (quality 3), else
    the first with X as its subject or naming X after saying what it is (2). A concept left with
    a sentence about the lesson rather than about it (an announcement, a question) gets no
    definition (its sentence is kept as :attr:`Concept.context`, where it comes up).
    Returns how many concepts got a better definition."""
    merged = merge_variants([c for le in lessons for c in le.concepts])
    quality = {m.id: definition_quality(m) for m in merged}
    # (an API name's definition is the sentence of its own section that says what it does,
    # :mod:`knowledge.ingest.api_names`; the course-wide search reads names, not code)
    weak = {m.id: m for m in merged if quality[m.id] < 3 and not is_code_name(m.title)}
    introduced = [m for m in merged if m.taught == "introduced"]
    if not weak:
        _mark_defined(lessons, introduced)
        return 0
    searched = set(weak)
    matcher = MentionMatcher(list(weak.values()))
    skip_text = set(boilerplate)
    better: dict[str, tuple[LessonExtraction, str, Document, int]] = {}  # first quality-2 sentence per concept
    done = 0
    for le in lessons:
        doc = le.document
        skip, cite = _section_roles(doc)
        for si, sec in enumerate(doc.sections):
            # lesson furniture is not read; a summary is, only to say what a concept its lesson
            # names but never defines is ("Joint densities allow us to work with correlated ...")
            recap = si in skip
            if recap and not (sec.heading and _RECAP.match(sec.heading.strip())):
                continue
            # (a table's cells are read one by one: "Weak AI refers to ... | Strong AI, or Artificial General
            # Intelligence (AGI), refers to AI systems with human-level intelligence")
            prose = [(bi, b, unit, [] if b.kind == _ROW else sec.blocks[bi + 1:])
                     for bi, b in enumerate(sec.blocks) if b.kind in (*_PROSE, _ROW) and b.text not in skip_text
                     for unit in (b.text.split(_CELL) if b.kind == _ROW else [b.text])]
            previous, before = "", []
            for bi, b, unit, following in prose:
                sents = split_sentences(unit)
                for k, sentence in enumerate(sents):
                    if is_meta(sentence):
                        continue
                    # (an abbreviation inside the name: "chain-of-thought (CoT) prompting enables ...")
                    lead = matcher.leading(_INNER_ABBREVIATION.sub("", sentence))
                    if lead is not None and (subject_verb_after(lead[1]) or (b.kind == "list_item" and k == 0
                                                                            and _glosses(lead[1]))):
                        for mid in sorted(lead[0] & weak.keys()):
                            if recap and (quality[mid] > 1 or le.lesson_id not in weak[mid].lessons()):
                                continue  # a summary speaks for its own lesson's concepts only
                            text = _compose(sents, _Match(3, k), following)
                            if len(text.split()) < MIN_WORDS:
                                continue
                            q = definition_quality(_with(weak[mid], text))
                            if q == 3:  # "X is a ...", "X refers to ...": the definition
                                _attach(le, weak.pop(mid), text, doc, cite.get(si, si))
                                better.pop(mid, None)
                                done += 1
                            elif q > quality[mid] and (not recap or quality[mid] == 0):
                                better.setdefault(mid, (le, text, doc, cite.get(si, si)))
                    for mid in matcher.find(sentence) if not recap else ():  # "... is called X", "X, which is ..."
                        if mid in weak and mid not in better:
                            pat = _term_pattern(variants_of(weak[mid].title, weak[mid].aliases))
                            m = _find_definition([sentence], pat, in_brackets=True)
                            if m is not None and (m.strength == 2 or m.explicit):  # (or "Given ..., their X is ...")
                                text = _compose(sents, _Match(m.strength, k), following,
                                                sents[k - 1] if k > 0 else previous, pat)
                                if len(text.split()) >= MIN_WORDS and definition_quality(_with(weak[mid], text)) > quality[mid]:
                                    better[mid] = (le, text, doc, cite.get(si, si))
                if sents:
                    previous = after_formula(before, sents)
                before = sents
    for mid, (le, text, doc, si) in better.items():
        if mid in weak:
            _attach(le, weak.pop(mid), text, doc, si)
            done += 1
    _clear([m for mid, m in weak.items() if quality[mid] == 0], lessons)  # nothing says what it is
    _mark_defined(lessons, [m for m in introduced if m.id not in searched or m.id in weak])  # (not those given one)
    return done


def _mark_defined(lessons: list[LessonExtraction], introduced: list[Concept]) -> None:
    """A concept the course only introduced (set in italics, named by a heading) whose sentence there
    says what it is ("*Non-maximum suppression* is a greedy algorithm that ...") is defined: its
    definition then counts as one (what it uses comes first, :mod:`knowledge.ingest.signals`).
    ``introduced``: merged concepts no lesson defines (nor the search just gave a definition), so which
    lesson's definition a concept keeps does not change."""
    keys = set().union(*(concept_keys(m) for m in introduced)) if introduced else set()
    for c in (c for le in lessons for c in le.concepts):
        if (c.taught == "introduced" and c.definition and not is_code_name(c.title) and concept_keys(c) & keys
                and definition_quality(c) == 3):
            c.taught = "defined"


def _clear(concepts: list[Concept], lessons: list[LessonExtraction]) -> None:
    """Move the definitions of ``concepts`` (merged) to their context, in every lesson's copy."""
    keys = set().union(*(concept_keys(m) for m in concepts)) if concepts else set()
    for le in lessons:
        for c in le.concepts:
            if c.definition and concept_keys(c) & keys:
                c.context, c.definition = c.context or c.definition, ""


def _attach(le: LessonExtraction, m: Concept, text: str, doc: Document, si: int) -> None:
    sec = doc.sections[si]
    src = Source(path=doc.path, section=sec.heading, anchor=sec.anchor, lesson=le.lesson_id, page=sec.page,
                 cell=sec.cell)
    keys = concept_keys(m)
    mine = next((c for c in le.concepts if concept_keys(c) & keys), None)
    if mine is None:
        le.concepts.append(Concept(title=m.title, definition=text, aliases=list(m.aliases), sources=[src]))
        return
    mine.definition = text
    mine.taught = "defined"
    mine.sources = [src] + [s for s in mine.sources if s != src]

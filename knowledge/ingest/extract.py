"""The structural extractor: concepts from a parsed lesson with no LLM.

A concept is only kept when the lesson *defines* it. Candidates come from headings, bold
(and, more cautiously, italic) terms and glossary-like list items; a candidate becomes a
concept when one of these holds in its section:

* a definition sentence with the term as subject: ``"Dropout is a technique ..."``,
  ``"A perceptron is a binary classification model"``, ``"NER refers to ..."``;
* a naming sentence: ``"... such method is called stochastic gradient descent"``,
  ``"... a larger discipline called Machine Learning"``, ``"The main idea of a GAN is ..."``;
* a glossary item: ``"- **Term** – explanation"``, ``"* **Classification**, where ..."``.

A lesson's own title (its level-1 heading) is also kept when the lesson only *uses* it in
sentences; its definition is then the first sentence about it. Lesson furniture (quizzes,
assignments, conclusions, challenges, "Introduction", "Summary", exercises ...) is never a
concept (:mod:`knowledge.ingest.vocabulary`). Definitions are plain text, 1–3 sentences, at
most :data:`MAX_DEFINITION` chars, found and composed by :mod:`knowledge.ingest.sentences`.

Variants (case, plurals, hyphens, acronyms such as ``"Convolutional Neural Network (CNN)"``)
are merged by :func:`knowledge.ingest.merge.merge_variants`; ``match_existing`` there maps new candidates onto concepts
already in the knowledge base so that a new lesson about them adds a source, not a twin.
"""

from __future__ import annotations

import re
from typing import Iterable

from knowledge.models import Concept, Source

from .api_names import MAX_EXAMPLE_CHARS, api_concepts
from .section_code import attach_examples
from .lexicon import imperative_step, is_ordinary_word
from .leads import lead_names_term
from .introduced import CourseProfile, _bare, abbreviated, find_introduced, keep, term_key
from .document import Block, Document
from .merge import merge_variants
from .sentences import (
    _PLAIN_GLOSS, _SUBJ_AFTER, MAX_DEFINITION, _compose, after_formula, _find_definition, _fit, _gloss_after, _Match,
    _occurrence_regex, _term_pattern, _with_formula, split_sentences, variants_of, with_list,
)
from .terms import clean_term, is_acronym, norm_key, without_variable
from .titles import _doc_title_concept, _Found
from .glosses import (
    ITALIC_LEAD, anaphoric_opening, gerund_thing, italic_gloss, items_under, kin_opening, labelled_opening, listed_kind, named_row,
    row_gloss,
)
from .aliases import _aliases_after, _clean_aliases, _mention_aliases, _names_same, apply_alias_hints
from .vocabulary import (
    _GENERIC_TAIL, _QUIZ, _section_roles, display_title, heading_term, is_furniture, valid_term,
)
from .list_roles import (
    ARTEFACT_NAMED, claim_lead, lists_advice, lists_claims, numbered_label, numbered_labels,
)
from .phrases import complete_modifier, inner_abbreviation, keyword_heading, name_words_after, stressed_predicate, ui_label

# what other modules import from here: the extractor, and (from .sentences and .vocabulary)
# the term and sentence helpers they share with it
__all__ = [
    "MAX_DEFINITION", "MAX_EXAMPLE_CHARS", "_GENERIC_TAIL", "_Match", "_QUIZ", "_SUBJ_AFTER", "_compose",
    "_find_definition", "_fit", "_occurrence_regex", "_section_roles", "_term_pattern", "display_title",
    "extract_concepts", "heading_term", "is_furniture", "split_sentences", "valid_term", "variants_of",
]



# ---------------------------------------------------------------------------------------------
# extraction


def _sentences(b: Block) -> list[str]:
    if b.kind == "table_row":  # each cell is its own text
        return [x for cell in b.text.split(" | ") for x in split_sentences(cell)]
    return split_sentences(b.text)


_ALIAS_HINT = re.compile(
    r"^\W*(?:(?:sometimes|often|also|usually)\s+)?(?:(?:the|a|an)\s+)?(?P<subj>[A-Za-z][\w\-]*(?:\s+[A-Za-z][\w\-]*){0,3}?)"
    r"\s+(?:is|are)\s+(?:also\s+|sometimes\s+|often\s+|usually\s+)?(?:called|known\s+as)\s+(?:an?\s+|the\s+)?$",
    re.IGNORECASE,
)


def _extract_section(doc: Document, si: int, found: list[_Found], hints: list[tuple[str, str, list[str]]],
                     labels: set[str] = frozenset()) -> None:
    """Candidates of one section into ``found``; ``hints`` collects "X are (also) called Y"
    sentences, where Y may be another name of a concept X defined elsewhere in the lesson."""
    sec = doc.sections[si]
    plain = doc.kind in ("pdf", "text")
    sent_cache = [_sentences(b) for b in sec.blocks]
    lead_in = ""  # the sentence before this section, when the section only continues it (a quiz heading)
    if si > 0 and sec.heading and _QUIZ.search(sec.heading):
        prev_blocks = [b for b in doc.sections[si - 1].blocks if b.kind in ("paragraph", "quote")]
        lead_in = (_sentences(prev_blocks[-1]) or [""])[-1] if prev_blocks else ""

    def previous_sentence(bi: int) -> str:
        for j in range(bi - 1, -1, -1):
            if sec.blocks[j].kind == "html":
                continue
            if sent_cache[j]:
                return after_formula(sent_cache[j - 1] if j > 0 else [], sent_cache[j])
            if sec.blocks[j].kind != "heading":
                return ""
        return lead_in

    def aliases_at(sentence: str, pat: str, term: str, emphasised: Iterable[str] = ()) -> list[str]:
        return _mention_aliases(sentence, _occurrence_regex(pat), term, emphasised)

    abbreviations: list[tuple[str, str]] | None = None

    def spelled_out() -> list[tuple[str, str]]:  # (long form, abbreviation) pairs of the section's prose, read once
        nonlocal abbreviations
        if abbreviations is None:
            abbreviations = [pair for b in sec.blocks if b.kind in ("paragraph", "list_item", "quote")
                             for pair in abbreviated(b.text)]
        return abbreviations

    def search(term: str, aliases: list[str]) -> tuple[str, int, list[str]] | None:
        # the long form the section spells its name out as: "## What is RAG?" / "Retrieval-Augmented
        # Generation (RAG) is ...", the subject of that sentence
        key = norm_key(term)
        longs = [long for long, short in spelled_out() if norm_key(short) == key and norm_key(long) != key]
        pat = _term_pattern(variants_of(term, aliases + longs))
        for bi, b in enumerate(sec.blocks):
            if b.kind in ("table_row", "html", "heading"):
                continue
            m = _find_definition(sent_cache[bi], pat)
            if m:
                prev = previous_sentence(bi)
                extra = aliases_at(sent_cache[bi][m.sentence], pat, term, b.bold)
                return _compose(sent_cache[bi], m, sec.blocks[bi + 1:], prev, pat), m.strength, extra
        return None

    # 1. the heading
    # a keyword written as code names what the heading is about ("``for`` loops", "Raising Exceptions: ``raise``")
    ht = keyword_heading(sec.heading, sec.heading_code) if sec.heading_code else None
    if ht is None and sec.heading:
        ht = heading_term(sec.heading)
    if ht:
        term, aliases = ht
        got = search(term, aliases)
        reduced = _GENERIC_TAIL.sub("", term)
        if not got and reduced != term and valid_term(reduced):
            got = search(reduced, aliases)
            if got:
                term = reduced
        if not got:
            got = (anaphoric_opening(sec.blocks, sent_cache, term) or kin_opening(sec.blocks, sent_cache, term)
                   or labelled_opening(sec.blocks, term))
        if got:
            found.append(_Found(term, aliases + got[2], got[0], got[1], si))
    elif sec.heading and (thing := gerund_thing(sec.heading)) and valid_term(thing):
        got = anaphoric_opening(sec.blocks, sent_cache, thing, pointed=True)  # "#### Working Memory" / "Think of this as ..."
        if got:
            found.append(_Found(thing, [], got[0], got[1], si))
    # 2. bold/italic terms and glossary items
    for bi, b in enumerate(sec.blocks):
        if b.kind in ("html", "heading"):
            continue
        sents = sent_cache[bi]
        emphasised = b.bold + b.italic
        terms: list[tuple[str, bool]] = [(t, True) for t in b.bold] + [(t, False) for t in b.italic]
        # a term is often linked where it is named ("one such model is called [VQGAN](...)"):
        # like italics, a link text only counts with a naming sentence
        terms += [(t, False) for t, _ in b.links if t and t not in b.bold and t not in b.italic]
        terms = [(t, e) for t, e in terms if not numbered_label(t, labels)]
        merits = lists_claims(sec, bi) or lists_advice(sec, bi)
        if merits:  # "**Cost** - The cost per token ...": a claim's (or advice's) run-in lead, wherever in the block
            terms = [(t, e) for t, e in terms if not claim_lead(t, b.text)]
        if b.kind == "list_item":  # "*Deterministic*: a policy ..." under "We have two types of policies:"
            for t in [b.lead] if b.lead else b.italic[:1]:
                kind = listed_kind(clean_term(t), sec.blocks[:bi])
                if kind and (gloss := _gloss_after(b.text, t, emphasised)) is not None:  # named whole, as a glossary names it
                    found.append(_Found(kind, [], _fit(split_sentences(f"{kind}: {gloss}")), 3, si))
                    terms = [(x, e) for x, e in terms if x != t]
        if b.kind == "table_row" and not b.lead and (row := named_row(b, sec.blocks[:bi])) and valid_term(row[0]):
            found.append(_Found(row[0], [], _fit(split_sentences(row[1])), 3, si, listed=True))  # "... | Floor division | ..."
        # (a list item's italic run-in lead glosses a term as a bold one does: "*Off-policy*: using a different ...")
        run_in = b.lead or (b.italic[0].rstrip(" :–—-") if b.kind == "list_item" and b.italic and ITALIC_LEAD.match(b.text)
                            and b.text.startswith(b.italic[0]) else "")
        if run_in and numbered_label(run_in, labels):
            run_in = ""
        if run_in and b.kind in ("list_item", "paragraph", "quote", "table_row"):
            lead, given = clean_term(run_in), []
            paren = re.match(r"^(.*?)\s*\(([^()]{1,12})\)$", lead)  # "**Multi-Agent Systems (MAS)** | ..."
            if paren and is_acronym(paren.group(2)):
                lead, given = clean_term(paren.group(1)), [paren.group(2)]
            gloss_text = row_gloss(b, sec.blocks[:bi]) if b.kind == "table_row" else b.text
            expl = (_gloss_after(gloss_text, run_in, emphasised)
                    if valid_term(lead) and lead_names_term(b.text, run_in) and not _an_item(b.text, run_in)
                    and not imperative_step(lead) and not merits else None)
            if expl is not None and run_in != b.lead and (not italic_gloss(run_in, expl) or without_variable(lead) != lead):
                expl = None
            if expl is not None:
                aliases = given + _aliases_after(b.text, b.text.lower().find(run_in.lower()) + len(run_in), lead, emphasised)
                # (a gloss that ends in a colon goes on in the list under it: "**Agents**. An agent is a software entity that:")
                # (up to the next item glossed as this one is: its sibling, not what it goes on with)
                # (or in the display formula after it: "..., which gives the expected return ...:" $$V(s) = ...$$)
                parts, under = split_sentences(gloss_text), items_under(sec.blocks, bi, run_in)
                defin = _fit(parts if _with_formula(parts, under) else with_list(parts, under))
                if len(defin.split()) >= 5:
                    found.append(_Found(lead, aliases, defin, 3, si))
                    done = {lead.lower(), *(a.lower() for a in aliases)}
                    terms = [(t, e) for t, e in terms if clean_term(t).lower() not in done]
        elif b.lead and not lead_names_term(b.text, b.lead):  # a run-in heading, not a term
            terms = [(t, e) for t, e in terms if t != b.lead]
        if plain and b.kind == "list_item":
            m = _PLAIN_GLOSS.match(b.text)
            if m and valid_term(clean_term(m.group(1))):
                found.append(_Found(clean_term(m.group(1)), [], _fit(split_sentences(b.text)), 3, si))
        elif b.kind == "list_item" and not b.lead:
            m = _SELF_GLOSS.match(b.text)  # "Device twins - these are JSON documents kept ..."
            # among qualities ("Why is temperature important?"), only "this is a/the ...": not "this is important"
            if m and (not merits or m.group("det")):
                given = [clean_term(m.group("a"))] if m.group("a") and is_acronym(m.group("a")) else []
                term = clean_term(m.group("t") + m.group("t2"))  # "Device to cloud (D2C) messages"
                if valid_term(term):
                    found.append(_Found(term, given, _fit(split_sentences(b.text)), 3, si))
            elif (r := _RESTATED_GLOSS.match(b.text)) and r.group("again") == r.group("t").lower():
                # "Resistive - a resistive sensor has 2 probes ...": the gloss names the kind in full
                words = name_words_after(b.text, r.end())
                term = clean_term(" ".join([r.group("t"), *words]))
                if words and valid_term(term):
                    gloss = b.text[r.start("gloss"):]
                    found.append(_Found(term, [], _fit(split_sentences(gloss[0].upper() + gloss[1:])), 3, si))
        for raw, is_bold in terms:
            if _an_item(b.text, raw) or ui_label(raw, b.text) or stressed_predicate(raw, b.text):
                continue
            term = complete_modifier(without_variable(clean_term(raw)), b.text)
            given: list[str] = []
            paren = re.match(r"^(.*?)\s*\(([^()]{1,30})\)$", term)
            inner = inner_abbreviation(term)
            spelled = term  # as the sentence spells it, with an abbreviation inside
            if paren and (is_acronym(paren.group(2)) or valid_term(clean_term(paren.group(2)))):
                term, given = clean_term(paren.group(1)), [clean_term(paren.group(2))]
            elif inner is not None:  # "*region of interest (RoI) pooling*"
                term, given = inner
            if not valid_term(term):
                continue
            pat = _term_pattern(variants_of(term, given))
            if inner is not None and spelled != term:
                pat = f"(?:{_term_pattern([spelled])}|{pat})"
            m = _find_definition(sents, pat, allow_subject=is_bold, allow_so_called=is_bold, allow_is_a=True)
            if not m:
                continue
            sentence = sents[m.sentence]
            if not is_bold and _RECOMMENDS.search(sentence):
                continue  # "The [BBC introduction to binary](...) is a great place to start": a resource, not a term
            occ = _occurrence_regex(pat).search(sentence)
            if m.strength == 2 and occ is not None and ARTEFACT_NAMED.search(sentence[: occ.start()]):
                continue  # "a new folder named *code-search-net-tokenizer*": the student's file, not a term
            aliases = given + [a for a in aliases_at(sentence, pat, term, emphasised) if a not in given]
            if m.strength == 2 and occ is not None:
                hint = _ALIAS_HINT.search(sentence[: occ.start()])
                if hint:
                    hints.append((hint.group("subj"), term, aliases))
            found.append(_Found(term, aliases, _compose(sents, m, sec.blocks[bi + 1:], previous_sentence(bi), pat), m.strength, si))
    # 3. plain-text formats have no emphasis: "A perceptron is a ...", "X (also known as Y) is ..."
    if plain:
        for bi, b in enumerate(sec.blocks):
            for k, s in enumerate(sent_cache[bi]):
                m = _PLAIN_SUBJECT.match(s)
                if not m:
                    continue
                term = clean_term(m.group("t") or m.group("t2") or "")
                if not valid_term(term):
                    continue
                aliases = [clean_term(a) for a in (m.group("a"), m.group("b"), m.group("a2"))
                           if a and (valid_term(clean_term(a)) or is_acronym(clean_term(a)))]
                aliases = [re.sub(r"^(?:also\s+known\s+as|also\s+called|aka|or)\s+", "", a, flags=re.I) for a in aliases]
                found.append(_Found(term, aliases, _compose(sent_cache[bi], _Match(3, k), sec.blocks[bi + 1:]), 3, si))


# a sentence recommending what it names (general English): "X is a great place to start", "X is a good read"
_RECOMMENDS = re.compile(r"\b(?:is|are)\s+(?:an?\s+)?(?:really\s+|very\s+)?(?:great|good|nice|excellent|fantastic|useful|handy)\s+"
                         r"(?:place|way|resource|read|starting\s+point|introduction|reference)s?\b", re.IGNORECASE)


# a list item glossing the unemphasised term it opens with, the gloss pointing back at it:
# "Device twins - these are JSON documents ...", "Base temperature - this is the minimum ...".
# Only "this"/"these": "Security - it is public" says something of what the list is about.
_SELF_GLOSS = re.compile(
    r"^(?P<t>[A-Z][\w\-/]*(?:\s+[\w\-/]+){0,4}?)(?:\s+\((?P<a>[A-Za-z0-9]{2,8})\))?(?P<t2>(?:\s+[\w\-/]+){0,2}?)\s+(?:-|--|–|—)\s+"
    r"(?:these|this)\s+(?:is|are)\s+(?P<det>(?:an?|the)\s)?\S.{10,}")


# a list item whose lead is a modifier that its gloss repeats with the noun it qualifies:
# "Resistive - a resistive sensor has 2 probes ...", "Capacitive - a capacitive moisture sensor measures ..."
_RESTATED_GLOSS = re.compile(r"^(?P<t>[A-Z][a-z][\w\-]*)\s+(?:-|--|–|—)\s+(?P<gloss>(?:an?|the)\s+(?P<again>[a-z][\w\-]*))(?![\w-])")


_PLAIN_SUBJECT = re.compile(
    r"^(?:An?|The)\s+(?P<t>[a-z][\w\-]*(?:\s+[a-z][\w\-]*){0,3})"
    r"(?:\s*\((?:also\s+known\s+as|also\s+called|aka|or)?\s*(?P<a>[^)]{1,40})\))?"
    r"(?:\s*,\s*also\s+called\s+(?P<b>[^,]{1,40}),)?\s+(?:is|are)\s+(?:an?|the)\s"
    r"|^(?P<t2>[A-Z][\w\-]+(?:\s+[A-Za-z][\w\-]*){0,3})\s+(?:\((?P<a2>[^)]{1,40})\)\s+)?(?:is|are)\s+(?:an?)\s",
)


def _an_item(text: str, lead: str) -> bool:
    """"**a wolf**, which is dangerous and should be avoided", "**an apple**, which ...": an
    everyday thing with an indefinite article, described after a comma, is an item of a
    story or an example (the things on a game board), not a term the lesson glosses."""
    m = re.fullmatch(r"\W*an?\s+([A-Za-z]+)\W*", lead, re.IGNORECASE)
    return bool(m) and is_ordinary_word(m.group(1)) and bool(re.match(r"^\W*" + re.escape(lead.strip(" *_")) + r"\W*,", text))


def extract_concepts(doc: Document, lesson_id: str, profile: CourseProfile | None = None) -> list[Concept]:
    """Concepts a lesson defines or introduces, each with a source (file, section, anchor,
    page/cell, lesson) and the code examples of the section where it is taught. ``profile``
    holds what the whole course says about terms (:mod:`knowledge.ingest.introduced`); without
    it the lesson alone is the course. Variants within the lesson are merged; use
    :func:`merge_variants` across lessons."""
    found: list[_Found] = []
    skip, cite = _section_roles(doc)
    hints: list[tuple[str, str, list[str]]] = []
    labels = numbered_labels(doc)  # "**Response 1**", "**Response 2**": items counted, no concepts
    for si in range(len(doc.sections)):
        if si not in skip:
            _extract_section(doc, si, found, hints, labels)
    apply_alias_hints(found, hints)
    profile = profile or CourseProfile.build([doc])
    _doc_title_concept(doc, lesson_id, found, skip, profile)
    known = {term_key(t) for f in found for t in (f.title, *f.aliases)}
    defining: dict[int, list[str]] = {}  # a heading over a definition may name that concept in other words
    for f in found:
        if not f.listed:  # (the rows of a table of operators leave "Arithmetic Operations" to its opening)
            defining.setdefault(f.section, []).append(f.title)
    for c in find_introduced(doc, [si for si in range(len(doc.sections)) if si not in skip], known, defining,
                             profile.boilerplate, profile.step_labels,
                             accept=lambda c: keep(c, profile) and not numbered_label(c.term, labels)):
        found.append(_Found(c.term, list(c.aliases), c.definition, 1, c.section, "introduced"))
    _abbreviations_as_aliases(doc, skip, found)
    concepts: list[Concept] = []
    by_section: dict[int, list[Concept]] = {}
    found = _fold_nested(found)
    for f in sorted(found, key=lambda f: (f.section, -f.strength)):
        definition = f.definition
        if len(definition.split()) < 5:
            continue
        sec = doc.sections[f.section]
        shown = doc.sections[cite.get(f.section, f.section)]
        src = Source(path=doc.path, section=shown.heading, anchor=shown.anchor, lesson=lesson_id, page=sec.page, cell=sec.cell)
        c = Concept(title=display_title(f.title), definition=definition, aliases=_clean_aliases(f.title, f.aliases),
                    sources=[src], taught=f.taught)
        concepts.append(c)
        by_section.setdefault(f.section, []).append(c)
    attach_examples(doc, lesson_id, by_section, skip, cite)
    return merge_variants(concepts + api_concepts(doc, lesson_id, skip, cite))


def _abbreviations_as_aliases(doc: Document, skip: set[int], found: list[_Found]) -> None:
    """The abbreviation a lesson gives a concept it has ("non-maximum suppression (NMS)") is
    one of its names: a student may ask "What is NMS?"."""
    by_key = {term_key(f.title): f for f in found}
    for si, sec in enumerate(doc.sections):
        if si in skip:
            continue
        for b in sec.blocks:
            if b.kind in ("paragraph", "list_item", "quote") and "(" in b.text:
                for long, acr in abbreviated(b.text):
                    f = by_key.get(term_key(_bare(long)))
                    if f is not None and acr not in f.aliases:
                        f.aliases.append(acr)


def _fold_nested(found: list[_Found]) -> list[_Found]:
    """Two candidates with the same definition where one title contains the other ("Pooling"
    from the heading, "pooling layer" in bold) are one concept: the longer title wins. The
    shorter becomes an alias only when it names the same thing (:func:`_names_same`); a mere
    modifier ("gradient" inside "gradient descent") was matched inside the longer term's
    sentence and has no definition of its own, so it is dropped."""
    out: list[_Found] = []
    for f in sorted(found, key=lambda f: -len(f.title)):
        host = next((o for o in out if o.definition == f.definition and o.section == f.section
                     and re.search(r"(?<![\w-])" + re.escape(norm_key(f.title)) + r"(?![\w-])", norm_key(o.title))), None)
        if host is None or _named_apart(f.title, host.title, f.definition):
            out.append(f)
        elif _names_same(f.title, host.title):
            host.aliases += [a for a in (f.title, *f.aliases) if a not in host.aliases]
    return sorted(out, key=lambda f: found.index(f))




def _named_apart(short: str, long: str, text: str) -> bool:
    """Whether ``text`` names ``short`` in a sentence of its own, without ``long`` ("... is called
    an exploration policy. This particular one is called an ε-greedy exploration policy"): two
    concepts, the longer a kind of the shorter."""
    s_pat = _term_pattern(variants_of(short))
    l_occ = _occurrence_regex(_term_pattern(variants_of(long)))
    return any(not l_occ.search(x) and _find_definition([x], s_pat) is not None for x in split_sentences(text))

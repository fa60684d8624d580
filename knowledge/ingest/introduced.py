"""Terms a lesson introduces without a definition sentence: the topic a heading names, and a
term set in italics or bold where it first appears ("we call this *minibatch stochastic
gradient descent*"). Textbooks introduce most of their vocabulary this way.

Whether such a term is a concept is decided from the course itself and from general English,
never from a list of one course's words (:class:`~knowledge.ingest.course_profile.CourseProfile`
and :func:`~knowledge.ingest.course_profile.keep`, in their own module):

* a heading that recurs in several documents of the course ("Concise Implementation",
  "Training") is the course's structure, not a topic;
* an emphasised term must be named again elsewhere in the course (in another section), or
  be technical (not made of everyday words only, not a person's name): else it was emphasis,
  not vocabulary ("this is *not* the same", "the *end user*");
* a heading that names a step ("Distributing Data": an everyday verb in -ing) is no topic;
* a single word that everyday English uses often ("target", "context") is no concept on
  this evidence alone (:func:`~knowledge.ingest.lexicon.is_ordinary_word`), nor are function
  words at either end of a phrase ("from scratch"), coordinated phrases ("loud and hot"),
  adverbs and verb forms;
* a long form the text abbreviates ("global interpreter lock (GIL)") names a thing, unless a
  heading or emphasis elsewhere introduces it.

The definition is the sentence that introduces the term (with the next one when it is short),
or for a heading the first sentence of its section that names the topic, else the section's
opening. Definitions found by :mod:`knowledge.ingest.extract` (a sentence that *defines* the
term) always win over these when both exist.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Callable, Iterable

from .course_profile import (  # noqa: F401  (CourseProfile, keep: re-exported, where callers look for them)
    _NOT_A_KIND, _TOKEN, CourseProfile, Introduced, _bare, keep, named_here, shares_word, term_key,
)
from .document import Document
from .lexicon import can_modify, imperative_step, inflected_verb, is_function_word, word_classes, zipf
from .terms import acronym_key, clean_term, initials, is_acronym, spelled_by_parts, without_variable
from .list_roles import ARTEFACT_NAMED, claim_lead, instruction_lead, lists_claims
from .leads import lead_names_term
from .named_terms import _named_in
from .phrases import ui_label
from .vocabulary import SETTING, step_label


def _heading_topics(heading: str, heading_term) -> list[tuple[str, tuple[str, ...], bool]]:
    """(term, aliases, names the whole heading) for each topic a heading names: itself, or
    each part of a coordination ("Padding and Stride", "Residual Connection and Layer
    Normalization", "From ResNet to DenseNet")."""
    ht = heading_term(heading)
    if ht:  # an instruction's object ("Visualize the Optimization Process") is not all the section is about
        return [(_bare(ht[0]), tuple(ht[1]), not imperative_step(clean_term(heading)))]
    h = re.sub(r"^from\s+(.+?)\s+to\s+(.+)$", r"\1 and \2", clean_term(heading), flags=re.IGNORECASE)
    parts = [p for p in re.split(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s+&\s+|\s+vs\.?\s+|\s+versus\s+)\s*", h) if p]
    if len(parts) < 2:
        # "Document Data Stores with the Azure Cosmos DB", "Training with Image Augmentation": what
        # is done and what it is done with, each a topic when it names one
        # ("Begin With the End in Mind" is an instruction, not a topic)
        m = re.match(r"^(.+?)\s+with\s+(?:the\s+|an?\s+)?(.+)$", h, re.IGNORECASE)
        parts = [m.group(1), m.group(2)] if m and not imperative_step(re.sub(r"^[\d.]+\s+", "", h)) else []
    if len(parts) < 2:
        return []
    first, last = parts[0].split(), parts[-1].split()
    if len(parts) == 2 and len(first) == 1 and len(last) == 2 and can_modify(first[0], False) and can_modify(last[0]) \
            and not is_function_word(last[1].lower()):
        # "Symmetric and asymmetric keys", "Vanishing and Exploding Gradients": two kinds of one noun
        # (an unknown first word is a thing of its own: "Softmax and Cross-Entropy Loss")
        parts = [f"{first[0]} {last[1]}", parts[1]]
    out = []
    for p in parts:
        sub = heading_term(p)
        if sub:
            out.append((_bare(sub[0]), tuple(sub[1]), False))
    return out


# a sentence that opens with a phrase and says what it is: "Data poisoning is when someone ...",
# "Cosine similarity is a measure of ...", "Semantic search is the technique of ..."
_DEFINED = re.compile(r"(?:^|(?<=[.!?]\s))(?:(?:An?|The)\s+)?(?P<t>[A-Za-z][\w\-]*(?:\s+[A-Za-z][\w\-]*){1,3}?)"
                      r"\s+(?:is|are|refers\s+to|means)\s+(?:when\b|an?\s|the\s+(?:process|practice|act|technique|task|idea|method)\b)")


DEFINED_RARE_ZIPF = 4.5  # one word of a phrase a paragraph defines must be rarer than this


SLIDE_BULLETS = 3  # the bullets of a slide that gloss its title


def slide_gloss(term: str, prose: list) -> str:
    """What a slide titled ``term`` says of it in its first bullets, as one gloss: "Linear
    Search: checks every item in turn; works on unsorted lists; ..." (the teacher's words, joined)."""
    items = [b.text.rstrip(" .;") for b in prose if b.kind == "list_item" and len(b.text.split()) >= 2][:SLIDE_BULLETS]
    if not items:
        return ""
    return f"{term}: " + "; ".join(_lower_first(x) for x in items) + "."


def _says_what(term: str, aliases, text: str) -> bool:
    """Whether ``text`` says what the term is ("X is a ...", "X refers to ..."): the top
    :func:`~knowledge.ingest.definitions.definition_quality`."""
    from knowledge.models import Concept

    from .definitions import definition_quality

    return bool(text) and definition_quality(Concept(title=term, definition=text, aliases=list(aliases))) == 3


def _lower_first(text: str) -> str:
    """A bullet continuing a sentence: its capital goes unless its first word is a name or a
    symbol ("Checks ..." → "checks ...", "A hash ..." → "a hash ..."; "CNNs ...", "O(n) ..." stay)."""
    first = text.split()[0] if text.split() else ""
    return text[:1].lower() + text[1:] if first.isalpha() and (len(first) == 1 or first[1:].islower()) else text


def _defined_in(text: str, heading: str = "") -> list[str]:
    """Phrases of two to four words that a sentence of ``text`` opens with and defines, without
    emphasis; a phrase of common words only ("The next step is a ...", "The main idea is the ...")
    is none: one of its words must be rarer than everyday talk ("poisoning", "cosine"). One that
    opens with a verb ("Resulting web service") is none either, unless it is the section's
    ``heading``: "Merge sort is a ..." under "Merge Sort" names the thing the heading is about."""
    out = []
    for m in _DEFINED.finditer(text):
        words = m.group("t").lower().split()
        if min(zipf(w) for w in re.split(r"[\s\-]+", m.group("t").lower()) if w) >= DEFINED_RARE_ZIPF:
            continue
        if any(map(is_function_word, words)) or len(set(words)) < len(words) or words[0] in _NOT_A_KIND:
            continue  # "Outcome of NAS", "Ollama Ollama", "Good data communicator"
        first, last = word_classes(words[0]), word_classes(words[-1])
        if ((first == {"VERB"} and term_key(m.group("t")) != term_key(heading)) or words[0].endswith("est")
                or (last and "NOUN" not in last)
                or re.search(r"sel(?:f|ves)$", words[-1])):
            continue  # "Resulting web service", "Simplest form", "Conda itself", "... nowadays"
        out.append(m.group("t"))
    return out


def _annotated(text: str, marked: tuple[str, ...]) -> bool:
    """A block whose emphasis marks up an example rather than introducing terms: three or more
    emphasised spans covering most of its words (entities tagged in a sample sentence)."""
    if len(marked) < 3:
        return False
    words = len(_TOKEN.findall(text))
    return words > 0 and sum(len(_TOKEN.findall(m)) for m in marked) * 2 >= words


def _fixed_phrase(raw: str) -> bool:
    """"*a priori*", "*a posteriori*": an article and a word English does not know on its own
    (lemminflect) is a set phrase set in italics for its language, not a term (not "Priori")."""
    m = re.fullmatch(r"an?\s+([A-Za-z]+)", raw.strip(), re.IGNORECASE)
    return bool(m) and not word_classes(m.group(1))


def _after(blocks: list, block) -> list:
    """The blocks after ``block`` in its section."""
    return next((blocks[i + 1:] for i, x in enumerate(blocks) if x is block), [])


def _lead_in(blocks: list, block) -> str:
    """The sentence leading into the display formula right before ``block`` and the formula, or ""."""
    from .sentences import after_formula, split_sentences

    i = next((i for i, x in enumerate(blocks) if x is block), 0)
    if i < 2 or blocks[i - 2].kind not in ("paragraph", "list_item", "quote"):
        return ""
    return after_formula(split_sentences(blocks[i - 2].text), split_sentences(blocks[i - 1].text))


def find_introduced(doc: Document, sections: Iterable[int], known: set[str],
                    defining: dict[int, list[str]] | None = None, boilerplate: set[str] = frozenset(),
                    step_labels: set[str] = frozenset(), accept: Callable[[Introduced], bool] = lambda c: True,
                    ) -> list[Introduced]:
    """Candidate terms of ``sections`` of ``doc`` (headings and first emphasised uses) whose key
    is not in ``known`` (terms already defined) that ``accept`` (:func:`keep` with the course's
    profile) takes, the first one taken of each key. A heading is a candidate whatever was
    refused before it (its section is where the term is taught: "multidimensional scaling (MDS)"
    in a lesson's overview is refused because a heading introduces it, and "## Multidimensional
    Scaling (MDS)" further on is taken); after a refusal, a term used again in prose is a
    candidate only where its sentence names it (not a table's name set in bold again below its
    refused heading "rainfall"). A heading that shares a word with a concept its section defines
    (``defining``: section → titles) is no candidate: it names that concept in other words
    ("Multi-Layer Networks" over a definition of the multi-layer perceptron)."""
    from .extract import (
        _compose, _find_definition, _fit, _occurrence_regex, _term_pattern, heading_term, split_sentences,
        valid_term, variants_of,
    )
    from .phrases import complete_modifier, inner_abbreviation, keyword_heading, stressed_predicate
    from .sentences import mention_text

    out: list[Introduced] = []
    seen = set(known)
    refused: set[str] = set()  # keys a candidate was refused for: a later one must name the term
    blocks = [(b, sec.blocks[bi + 1:]) for sec in doc.sections for bi, b in enumerate(sec.blocks)
              if b.kind in ("paragraph", "list_item", "quote") and b.text not in boilerplate]
    sentences: dict[int, list[str]] = {}

    def defining_sentence(pat: str) -> str:
        """A sentence of the document that defines the term (as subject, or naming it), if any."""
        for i, (b, after) in enumerate(blocks):
            sents = sentences.get(i)
            if sents is None:
                sents = sentences[i] = split_sentences(b.text)
            m = _find_definition(sents, pat)
            if m is not None:
                return _compose(sents, m, after, pat=pat)
        return ""

    def prose_start(s: str) -> bool:
        return bool(re.match(r"^[\"“'(]?[A-Za-z]", s)) and not s.startswith(("$", "\\"))

    def first_mention(sec, prose: list, occ) -> str:
        """What the first prose sentence of ``sec`` that names the term says of it, or ""."""
        for b in prose:
            if b.lead and b.text.strip(" *_:.") == b.lead.strip(" *_:."):
                continue  # a label naming it ("**Entity Memory Example**"), no sentence about it
            sents = split_sentences(b.text)
            hit = next((i for i, s in enumerate(sents) if occ.search(s) and not s.endswith("?") and prose_start(s)), None)
            if hit is not None:
                return mention_text(sents, hit, _after(sec.blocks, b), _lead_in(sec.blocks, b))
        return ""

    def prose_of(sec) -> list:
        return [b for b in sec.blocks if b.kind in ("paragraph", "list_item", "quote") and b.text not in boilerplate]
    sections = list(sections)
    headed: dict[str, int] = {}  # a term → the first section whose heading is that term alone
    for si in sections:
        if doc.sections[si].heading:
            for term, _, whole in _heading_topics(doc.sections[si].heading, heading_term):
                if whole:
                    headed.setdefault(term_key(term), si)
    for si in sections:
        sec = doc.sections[si]
        prose = prose_of(sec)
        # (a keyword written as code, then its kind: "``for`` loops", which the plain heading tests refuse)
        kw = keyword_heading(sec.heading, sec.heading_code) if sec.heading and sec.heading_code else None
        for term, aliases, whole in [(kw[0], tuple(kw[1]), True)] if kw else _heading_topics(sec.heading, heading_term) if sec.heading else ():
            if shares_word(term, (defining or {}).get(si, []), heads=False) or term_key(term) in seen:
                continue
            if sec.heading == doc.title and (m := SETTING.match(term)) and term_key(m.group(1)) in seen:
                continue  # the lesson's title, its topic in a setting ("Instruction Tuning with SmolLM3"): the topic's
            pat = _term_pattern(variants_of(term, aliases))
            occ = _occurrence_regex(pat)
            text = defining_sentence(pat)
            if whole and doc.kind == "slides" and not _says_what(term, aliases, text):
                # a slide titled with a term glosses it in its bullets: those, before a sentence
                # elsewhere that only says something of it ("BFS uses a queue" in the summary)
                text = slide_gloss(term, prose) or text
            text = text or first_mention(sec, prose, occ)
            if not text and whole and not (defining or {}).get(si):  # the opening is about the heading
                opening = next((b for b in prose if len(b.text.split()) >= 8 and not b.text.startswith("$$")), None)
                text = _fit(split_sentences(opening.text)[:2]) if opening is not None else ""
            if len(text.split()) >= 6:
                uses = sum(len(occ.findall(b.text)) for b in prose)
                c = Introduced(term, tuple(aliases), si, "heading", text, uses, title=whole and sec.heading == doc.title,
                               step=step_label(sec.heading) in step_labels, keyword=kw is not None)
                if accept(c):
                    out.append(c)
                    seen.add(term_key(term))
                else:
                    refused.add(term_key(term))
        said = [" ".join(b.text.lower().split()) for b in prose]
        where = {id(x): i for i, x in enumerate(sec.blocks)}
        times = Counter(said)
        for b, text in zip(prose, said):
            sents = None
            marked = (*b.italic, *b.bold)
            defined = _defined_in(b.text, sec.heading) if b.kind == "paragraph" else ()  # an item labels an example: "X is a disease (DIS)"
            if _annotated(b.text, marked) or times[text] > 1:
                # the same example again with another part marked ("the **quick red fox** jumped
                # ...", then "the quick red fox **jumped over the** ..."): n-grams, spans, not terms
                marked = defined = ()  # an annotated example ("**Tricuspid valve regurgitation** and **lithium carbonate**")
            # "**Understand Agentic RAG:** Learn about ...": a thing to do, not a term
            marked = tuple(t for t in marked if not instruction_lead(t, b.text))
            if marked and lists_claims(sec, where[id(b)]):
                # "**Flexibility** - Working with ...", "**Healthcare**: Facial recognition aids ...": a claim, not a term
                marked = tuple(t for t in marked if not claim_lead(t, b.text))
            short = dict((long, acr) for long, acr in abbreviated(b.text))
            named = [(raw, "emphasis") for raw in (*marked, *_named_in(b.text), *defined)
                     if not (raw == b.lead and not lead_names_term(b.text, raw))  # a run-in heading
                     and not ui_label(raw, b.text)  # "the **Create sensor** box"
                     and not stressed_predicate(raw, b.text)]  # "the agent **gathers data directly**"
            for raw, kind in named + [(raw, "abbreviation") for raw in short]:
                if _fixed_phrase(clean_term(raw)):
                    continue
                term = _bare(without_variable(clean_term(raw)))
                inner = inner_abbreviation(term)  # "*region of interest (RoI) pooling*"
                term, also = inner if inner is not None else (term, [])
                full = complete_modifier(term, b.text, adjective=True) if kind == "emphasis" else term
                completed, term = full != term, full  # "**bidirectional** RNNs"
                if not valid_term(term) or term_key(term) in seen:
                    continue
                sents = sents if sents is not None else split_sentences(b.text)
                given = ([short[raw]] if raw in short else []) + also
                pat = _term_pattern(variants_of(term, given) + ([_bare(clean_term(raw))] if also else []))
                occ = _occurrence_regex(pat)
                hit = next((i for i, s in enumerate(sents) if occ.search(s)), None)
                if hit is None or sents[hit].endswith("?"):
                    continue
                at = occ.search(sents[hit])
                if at is not None and ARTEFACT_NAMED.search(sents[hit][:at.start()]):
                    continue  # "a new folder named *code-search-net-tokenizer*": the student's file, not a term
                text, at_si = defining_sentence(pat), si
                if not text and headed.get(term_key(term), -1) > si:
                    # named in passing before the section that teaches it ("*exhaustive search* (illustrative but
                    # not practical)" in an overview, "## Exhaustive Search" further on): what that section says
                    own = doc.sections[headed[term_key(term)]]
                    text = first_mention(own, prose_of(own), occ)
                    at_si = headed[term_key(term)] if text else si
                # the next sentence goes on about it: "... such as *hard negative mining*. In hard negative
                # mining, we take ...", "... called *X*. X is ..."
                explained = kind == "emphasis" and hit + 1 < len(sents) \
                    and occ.match(sents[hit + 1], _GOES_ON.match(sents[hit + 1]).end()) is not None
                if not text and prose_start(sents[hit]):  # (where it first comes up)
                    text = mention_text(sents, hit, _after(sec.blocks, b), _lead_in(sec.blocks, b))
                    if explained and sents[hit + 1] not in text:
                        text = _fit([text, sents[hit + 1]])
                if len(text.split()) >= 6:
                    c = Introduced(term, tuple(given), at_si, kind, text, completed=completed, explained=explained)
                    if term_key(term) in refused and not named_here(term, text):
                        continue
                    if accept(c):
                        out.append(c)
                        seen.add(term_key(term))
                    else:
                        refused.add(term_key(term))
    return out


# the opening of a sentence that goes on about a term just named: "In X, ...", "With X, ...", "X ..."
_GOES_ON = re.compile(r"^\W*(?:(?:in|with|for|using)\s+)?(?:the\s+)?", re.IGNORECASE)


_ABBREVIATION = re.compile(r"\(([A-Za-z][A-Za-z0-9-]{1,9})\)")
# a short form that keeps the long name's first words and abbreviates the rest: "Agentic
# Retrieval-Augmented Generation (Agentic RAG)", "Graph Neural Network (Graph NN)"
_MIXED_ABBREVIATION = re.compile(r"\(((?:[A-Za-z][a-z-]+\s+){1,2})([A-Z][A-Za-z0-9-]{1,9})\)")
# the other way round: "the ROUGE score (short for Recall-Oriented Understudy for Gisting Evaluation)",
# "CSV, short for comma separated values", "BLEU (which stands for ...)", "FID stands for ..."
_EXPANDED = re.compile(r"(?<![\w-])([A-Z][A-Za-z0-9-]{1,9})(?:\s+[a-z]+)?\]?(?:\([^)\s]*\))?(?:\s*(?:\(|,\s*)"
                       r"(?:short\s+for|which\s+stands\s+for|standing\s+for|stands\s+for)"
                       # ... or says so in a sentence of its own: "FID stands for Fréchet Inception Distance"
                       r"|\s+(?:stands\s+for|is\s+short\s+for|is\s+(?:an?\s+)?(?:acronym|abbreviation)\s+(?:for|of)))"
                       r"\s+([^).,;:]{3,80})")


# ... or expands in quotes: 'SMOTE - "Synthetic Minority Over-sampling Technique" - to balance it'
_QUOTED_EXPANSION = re.compile(r"(?<![\w-])([A-Z][A-Za-z0-9-]{1,9})\s*(?:[-–—:,]|\()\s*[\"“]([^\"”]{3,80})[\"”]")


def abbreviated(text: str) -> list[tuple[str, str]]:
    """(long form, abbreviation) pairs a text introduces: "global interpreter lock (GIL)",
    "Gaussian error linear unit (GELU)" — the words right before the brackets whose initials
    spell the abbreviation (the fewest that do), and the noun after the brackets when the words
    are names ("Kullback–Leibler (KL) divergence"); or an abbreviation the text expands, "ROUGE
    (short for Recall-Oriented Understudy for Gisting Evaluation)", when the expansion spells it."""
    out = []
    for m in (*_EXPANDED.finditer(text), *_QUOTED_EXPANSION.finditer(text)):
        acr, long = m.group(1), " ".join(m.group(2).split())
        # (a quoted expansion may spell it by more letters of its words: "Synthetic Minority Over-sampling Technique")
        spelled = acronym_key(acr) in initials(long) or (m.re is _QUOTED_EXPANSION and spelled_by_parts(acronym_key(acr), long))
        if is_acronym(acr) and spelled and not is_function_word(long.split()[0].lower()):
            out.append((long, acr))
    for m in _ABBREVIATION.finditer(text):
        acr = m.group(1)
        if not is_acronym(acr):
            continue
        key = acronym_key(acr)
        before = text[max(0, m.start() - 120):m.start()]
        spans = list(re.finditer(r"[A-Za-z][\w'’-]*", before))[-8:]
        words = [w.group(0) for w in spans]
        for n in range(2, len(words) + 1):
            # (or spelled by more letters of its words: "Bilingual Evaluation Understudy (BLEU)")
            if (key in initials(" ".join(words[-n:])) or spelled_by_parts(key, " ".join(words[-n:]))) \
                    and not is_function_word(words[-n].lower()):
                long = " ".join(before[spans[-n].start():].split())  # as written: "Kullback–Leibler"
                # "Kullback–Leibler (KL) divergence": names abbreviated, the noun after the brackets
                after = re.match(r"\s+([a-z][a-z-]+)", text[m.end():])
                if (after and words[-1][:1].isupper() and not is_function_word(after.group(1))
                        and not inflected_verb(after.group(1))  # not "Propagation (RMSProp) divides"
                        and not words[-1].lower().endswith("s")):  # nor "Networks (SENets) allow": a plural ends the name
                    long, acr = f"{long} {after.group(1)}", f"{acr} {after.group(1)}"
                out.append((long, acr))
                break
    for m in _MIXED_ABBREVIATION.finditer(text):
        kept, acr = m.group(1).split(), m.group(2)
        if not is_acronym(acr) or is_function_word(kept[0].lower()):
            continue
        key = acronym_key(acr)
        spans = list(re.finditer(r"[A-Za-z][\w'’-]*", text[max(0, m.start() - 160):m.start()]))[-10:]
        words = [w.group(0) for w in spans]
        for n in range(2, len(words) - len(kept) + 1):
            if not (key in initials(" ".join(words[-n:])) or spelled_by_parts(key, " ".join(words[-n:]))):
                continue
            if [w.lower() for w in words[-n - len(kept):-n]] == [w.lower() for w in kept]:
                out.append((" ".join(words[-n - len(kept):]), f"{' '.join(kept)} {acr}"))
            break
    return out

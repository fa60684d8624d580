"""What a list's items are when they are not terms: qualities of something ("**Flexibility** -
...", :func:`lists_merits`), places it is used in ("**Healthcare**: ...", :func:`names_a_domain`),
what the student did ("**Efficiency**: Achieved ...", :func:`lists_deeds`), amounts ("**Minimum**:
1,000 examples", :func:`lists_amounts`), advice ("**Increase model capacity**: Use a larger model",
:func:`lists_advice`) — their bold leads are claims, domains or things to do (:func:`claim_lead`) — and what
names a file or folder the student makes rather than a term (:data:`ARTEFACT_NAMED`). Rules of
general English, not words of one course."""

from __future__ import annotations

import re

from .lexicon import lemmas, word_classes
from .vocabulary import _MERIT

# what a list of qualities is introduced with ("## Benefits of Open Models", "The benefits you will
# get from using it include:"): its bold leads ("**Flexibility** - ...", "**Easy to manage**: ...")
# are claims about something, not terms
_MERITS = re.compile(rf"\b(?:{_MERIT}s?|weakness(?:es)?|pros|cons|why)\b", re.IGNORECASE)
_MERITS_LISTED = re.compile(rf"\b(?:{_MERIT}s|weaknesses|pros|cons)\b", re.IGNORECASE)  # plural: not "takes advantage of", "benefit from"


# what a list of the places something is used in is introduced with ("**Applications**:", "## Applications
# of Video Processing", "Some real-world use cases:"): its bold leads are domains ("**Healthcare**: Facial
# recognition aids in ..."), not terms of the subject
_APPLIED = re.compile(r"\b(?:applications|use[- ]cases|industries)\b", re.IGNORECASE)


def lists_merits(sec, bi: int) -> bool:
    """Whether block ``bi`` of section ``sec`` is among qualities of something: the section's
    heading announces them, or (for a list item) the last sentence of the paragraph before its
    list does."""
    return _announced(sec, bi, _MERITS, _MERITS_LISTED)


def names_a_domain(sec, bi: int) -> bool:
    """Whether block ``bi`` of section ``sec`` names a place something is used in: it is among the
    applications of something (announced as :func:`lists_merits` announces qualities, :data:`_APPLIED`)
    and its lead is followed by a sentence of its own ("**Healthcare**: Facial recognition aids in
    ..."). A gloss that goes on in lower case says what its lead is, a task ("**Text to speech**:
    create a narrated version of a text ..."): that lead is a term."""
    b = sec.blocks[bi]
    lead = b.lead or (b.italic[0] if b.italic else "")
    if not lead or not _announced(sec, bi, _APPLIED, _APPLIED):
        return False
    m = re.search(_lead(lead) + r"[*_]*\s*[-–—:]\s*[*_]*(?P<first>\w)", b.text)
    return bool(m) and m.group("first").isupper()


def lists_claims(sec, bi: int) -> bool:
    """Whether the bold leads of block ``bi`` are claims rather than terms: among qualities, among
    the places something is used in, among what the student did (:func:`lists_deeds`) or among
    amounts (:func:`lists_amounts`)."""
    return lists_merits(sec, bi) or names_a_domain(sec, bi) or lists_deeds(sec, bi) or lists_amounts(sec, bi)


_GLOSS_SEP = r"[*_]*\s*(?::|[-–—]\s)\s*"  # between a run-in lead and its gloss ("**Minimum**: ", "Lead - ")


def _lead(lead: str) -> str:
    """A run-in lead as a regex, without the separator a lead may hold inside its emphasis
    ("**Customer Support:** Agents can ..."): the patterns after it match that separator."""
    return re.escape(lead.rstrip(" *_:–—-") or lead)


def lists_deeds(sec, bi: int) -> bool:
    """Whether list item ``bi`` of ``sec`` is in a list of what was done: half or more of the items
    of its run (two at least) gloss their lead with a verb in the past ("**Efficiency**: Achieved
    alignment with less compute", "**Practical Skills**: Mastered ..."). A lead glossed so is what
    an achievement is about, not a term (a term's gloss says what it is or does: "Combines ...")."""
    items = [b for b in _run_of_items(sec.blocks, bi) if b.lead]
    done = sum(1 for b in items if _past_gloss(b.lead, b.text))
    return done >= 2 and done >= 0.5 * len(items)


def lists_amounts(sec, bi: int) -> bool:
    """Whether list item ``bi`` of ``sec`` is in a list of amounts: half or more of the items of its
    run (two at least) gloss their lead with a number ("**Minimum**: 1,000 examples", "**Recommended**:
    10,000+ examples"). Such a lead labels a value, it names no term."""
    items = [b for b in _run_of_items(sec.blocks, bi) if b.lead]
    counted = sum(1 for b in items if re.match(r"^\W*" + _lead(b.lead) + _GLOSS_SEP + r"[~≈<>≥≤]?\s*\d", b.text))
    return counted >= 2 and counted >= 0.5 * len(items)


def _run_of_items(blocks: list, bi: int) -> list:
    if blocks[bi].kind != "list_item":
        return []
    lo = hi = bi
    while lo > 0 and blocks[lo - 1].kind == "list_item":
        lo -= 1
    while hi + 1 < len(blocks) and blocks[hi + 1].kind == "list_item":
        hi += 1
    return blocks[lo:hi + 1]


def _past_gloss(lead: str, text: str) -> bool:
    m = re.match(r"^\W*" + _lead(lead) + _GLOSS_SEP + r"(?P<gloss>[A-Za-z]+)\b", text)
    if not m:
        return False
    w = m.group("gloss").lower()
    verbs = lemmas(w).get("VERB", ())
    return bool(verbs) and w not in verbs and not w.endswith(("s", "ing"))


def _announced(sec, bi: int, by_heading: re.Pattern, by_intro: re.Pattern) -> bool:
    if by_heading.search(sec.heading or ""):
        return True
    if sec.blocks[bi].kind != "list_item":
        return False
    j = bi - 1
    while j >= 0 and sec.blocks[j].kind in ("list_item", "html"):
        j -= 1
    intro = re.split(r"(?<=[.!?])\s+", sec.blocks[j].text.strip())[-1] if j >= 0 and sec.blocks[j].kind == "paragraph" else ""
    return bool(by_intro.search(intro))


# what names a file, folder or other thing the student makes rather than a term of the subject: "a new
# folder named *dummy*", "a repository under your namespace named *my-awesome-model*" (not "an
# activation function called *ReLU*", "trusted organizations called *Certification authorities*": terms)
ARTEFACT_NAMED = re.compile(
    r"\b(?:folders?|director(?:y|ies)|files?|repositor(?:y|ies)|repos?|namespaces?|branch(?:es)?|buckets?|"
    r"scripts?|notebooks?)\b(?:\s+[\w-]+){0,4}?,?\s+(?:named|called|(?:with|under)\s+the\s+name)\s+[*_`\"'“‘]*$",
    re.IGNORECASE)


def lists_advice(sec, bi: int) -> bool:
    """Whether list item ``bi`` of ``sec`` is in a list of advice: half or more of the items of its
    run of items (two at least) open with a verb-led lead glossed by an instruction ("**Increase
    model capacity**: Use a larger model", "**Train longer**: Increase the number of epochs"). Their
    leads are things to do, not terms ("**Test set**: The data ..." is no such item)."""
    items = [b for b in _run_of_items(sec.blocks, bi) if b.lead]
    advice = sum(1 for b in items if _advice_item(b.lead, b.text))
    return advice >= 2 and advice >= 0.5 * len(items)


def _advice_item(lead: str, text: str) -> bool:
    m = re.match(r"^\W*" + _lead(lead) + r"[*_]*\s*(?::|[-–—]\s)\s*(?P<gloss>\S+)", text)
    return bool(m) and len(lead.split()) >= 2 and _base_verb(lead.split()[0]) and _base_verb(m.group("gloss"))


def instruction_lead(lead: str, text: str) -> bool:
    """Whether ``lead`` is a thing to do glossed by how to do it ("**Understand Agentic RAG:** Learn about
    ...", "**Adjust Based on Feedback**: Ask the user ..."): its first word only a verb in English (not
    "**Reference model**: Keep a frozen copy ...", whose "reference" is a noun too) and its gloss an
    instruction."""
    first = re.sub(r"\W+", "", lead.split()[0]).lower() if lead.split() else ""
    return _advice_item(lead, text) and word_classes(first) == {"VERB"}


def _base_verb(word: str) -> bool:
    w = re.sub(r"\W+$", "", word).lower()
    return bool(w) and not w.endswith("ing") and w in lemmas(w).get("VERB", ())


def claim_lead(term: str, text: str) -> bool:
    """Whether ``text`` has ``term`` as a run-in lead, a dash or colon after it ("**Cost** - The
    cost per token ..."): among qualities (:func:`lists_merits`), a claim, not a term."""
    return bool(re.search(_lead(term) + r"[*_]*\s*[-–—:]\s", text))


_NUMBERED = re.compile(r"^\W*([A-Za-z][\w-]*)\s+(\d{1,3})\W*$")


# sections of one document whose blocks a run-in lead opens, from which on it is a field of a form the
# document fills in again and again ("**Description:** ...", "**Mitigation:** ..." under each threat)
FIELD_SECTIONS = 3


def _label_key(lead: str) -> str:
    return " ".join(re.sub(r"[^\w\s-]", " ", lead).lower().split())


def numbered_labels(doc) -> set[str]:
    """The labels a document fills in rather than terms it names: the words it numbers its run-in
    labels with ("**Response 1**: ...", "**Response 2**: ..."; a word that leads blocks, before a colon,
    with two numbers or more, lower-cased: such a label counts items, the answers of three playgrounds;
    "**Llama 2** and **Llama 3** are ..." in a sentence are names, not labels), and a lead before a
    colon that opens blocks in :data:`FIELD_SECTIONS` sections or more ("**Description:**", "**What to
    do:**" under each of five threats: a form's field; a glossary names a term once)."""
    seen: dict[str, set[str]] = {}
    fields: dict[str, set[int]] = {}
    for si, sec in enumerate(doc.sections):
        for b in sec.blocks:
            if not b.lead:
                continue
            m = _NUMBERED.match(b.lead)
            if m and re.match(r"\W*" + re.escape(b.lead) + r"\W*:", b.text):  # "Response 1: ..." (a label's colon)
                seen.setdefault(m.group(1).lower(), set()).add(m.group(2))
            if re.match(r"\W*" + re.escape(b.lead.rstrip(" *_:")) + r"[\s*_]*:", b.text):  # "**Description:** ...", "**Mitigation**: ..."
                fields.setdefault(_label_key(b.lead), set()).add(si)
    return ({w for w, numbers in seen.items() if len(numbers) >= 2}
            | {k for k, where in fields.items() if len(where) >= FIELD_SECTIONS})


def numbered_label(term: str, labels: set[str]) -> bool:
    """Whether ``term`` is one of a document's labels (:func:`numbered_labels`): numbered, or a
    field filled in section after section."""
    m = _NUMBERED.match(term)
    return (bool(m) and m.group(1).lower() in labels) or _label_key(term) in labels

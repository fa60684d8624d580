"""Whether a bold or italic lead of a paragraph or list item names a term ("**Dropout**: ...") or is a
run-in heading, a step or the reader addressed ("**Practical advice.** There are ...", "**Teachers**,
we have ..."). Split from :mod:`knowledge.ingest.course_profile`."""

from __future__ import annotations

import re

from .course_profile import _step
from .lexicon import zipf


_RUN_IN = re.compile(r"^[^\w]*(?:(?:an?|the|some)\s+)?(?P<lead>.+?)[*_]*\s*\.\s", re.IGNORECASE)
_PREP_TAIL = re.compile(r"\s(?:in|at|for|on)\s+(?P<word>\w+)$", re.IGNORECASE)  # "in detail", "in practice"


# what follows a lead that addresses the reader rather than naming a term: a comma, then "we",
# "you", "to <verb>", "please", ... (general English)
_ADDRESSED = re.compile(r"[*_]*\s*,\s+(?:we|you|to|please|if|here|there|feel|check|start|our|this|these)\b", re.IGNORECASE)


def lead_names_term(text: str, lead: str) -> bool:
    """A bold lead ended by a colon or a dash glosses a term ("**Dropout**: ..."). One ended by a
    full stop is a run-in heading ("**Practical advice.** There are a few things ..."): a term
    unless it reads as a step ("Getting rid of pooling"), an aside about a term ("VGGNet in
    detail") or a numbered item ("Fallacy 1")."""
    at = text.lower().find(lead.lower())
    if at >= 0 and _ADDRESSED.match(text, at + len(lead)):
        return False  # "**Teachers**, we have included ...", "**Students**, to use this ...": the reader addressed
    m = _RUN_IN.match(text)
    if not m or m.group("lead").strip(" *_").lower() != lead.strip(" *_.").lower():
        return True
    lead = " ".join(lead.strip(" *_.").split())
    words = lead.split()
    step = len(words) > 1 and _step(lead) and words[1].lower() not in ("and", "or")  # not "Tagging and Parsing"
    tail = _PREP_TAIL.search(lead)
    return not step and not (tail and zipf(tail.group("word").lower()) >= 4.0) and not re.search(r"\s\d+$", lead)

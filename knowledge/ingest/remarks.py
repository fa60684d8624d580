"""What a sentence says of its subject that is no definition: how important, common or
useful it is, where its name comes from, how it compares, its history, or that the lesson will
get to it ("X is one of the most useful notions", "X stands for ...", "Receptive fields derive
their name from neurophysiology"). :mod:`knowledge.ingest.definitions` rates such a sentence as
one that only uses X; :mod:`knowledge.ingest.naming` does not take one as X's definition."""

from __future__ import annotations

import re

# "X is one of the most useful notions", "X is the reason why ...", "X is an extremely important
# concept": "X is ..." sentences that judge or explain X without saying what it is (general English)
REMARK = re.compile(
    r"\b(?:is|are)\s+(?:(?:often|also|perhaps|probably|arguably|still|usually|mostly|mainly|particularly|especially)\s+)?"
    r"(?:one\s+of\s+the\s+(?:most|best|key|main)\b|the\s+reason\b|"
    # how the author feels about it: "Reasoning is one of the areas that I am most excited about"
    r"one\s+of\s+the\s+(?:\w+\s+)?(?:areas?|topics?|things?|fields?|subjects?|parts?)\s+(?:that\s+|which\s+)?(?:I|we|you)\b|"
    r"(?:(?:an?|the)\s+)?(?:(?:extremely|very|really|particularly|incredibly|enormously|truly|most)\s+)?"
    r"(?:(?:important|useful|fundamental|central|powerful|interesting|key|invaluable|indispensable|"
    r"essential|crucial|vital|valuable|helpful|handy|complicated|complex|difficult|tricky|challenging)\s+"
    r"(?:concept|idea|notion|topic|tool|technique|part|aspect|component|subject|area|thing)s?\b|"
    # (how common a kind is, with what it is for, says what it is: "Fine-tuning is a common technique for
    # transfer learning"; "a valuable tool for understanding ..." judges it)
    r"(?:popular|common)\s+(?:concept|idea|notion|topic|tool|technique|part|aspect|component|subject|area|thing)s?\b"
    r"(?!\s+(?:for|used\s+(?:to|for|in))\b))|"
    # what it is good for, not what it is: "Taylor series are often helpful to answer such questions"
    r"(?:very\s+|particularly\s+|extremely\s+)?(?:helpful|useful|handy|convenient)\s+(?:to|for|in|when)\b|"
    # naming only: "X is a term you find in other fields", "X is short for ..."
    # (not "Inductive bias is a term used in machine learning to describe the set of assumptions ...")
    r"(?:an?\s+)?(?:term|word|name|phrase|expression|abbreviation|acronym)s?\b(?!\s+(?:used|that|which|for)\b)|short\s+for\b|"
    # a place in a sequence the reader must already know: "L2 caches are the next stop"
    r"the\s+(?:next|previous|last|latter|former)\b|"
    # how much it is used, or what it belongs to: "X are widely used", "X is a part of machine learning"
    r"(?:widely|commonly|often|frequently|increasingly|mostly|heavily)\s+(?:used|employed|applied|adopted|deployed)\b|"
    r"(?:an?\s+)?(?:\w+\s+)?part\s+of\b|"
    # a comparison with what was said before: "Logistic regression is the opposite - ..."
    r"the\s+(?:opposite|reverse|converse|same)\b(?!\s+(?:of|as)\b)|"
    # a ranking: "Data parallelism is the simplest strategy"
    r"the\s+(?:simplest|easiest|best|hardest|most\s+(?:popular|common|important|widely|successful|basic))\b|"
    # (a kind of thing with what it is for says what it is: "Ethernet is the most commonly used way of connecting computers")
    r"the\s+most\s+(?:commonly|frequently|often|widely)\s+used\b(?!\s+(?:[\w-]+\s+)?(?:way|method|technique|tool|"
    r"model|approach|algorithm|format|protocol|measure|metric|function)\s+(?:of|for|to)\b)|"
    r"the\s+most\s+\w+\s+(?:way|choice|option)\b)"
    r"|\bstands?\s+for\b"
    # where its name comes from, how good or typical it is, where to begin: "The transposed convolution is named
    # after the matrix transposition", "Adam is considered to be a very efficient algorithm", "X can be useful if
    # ...", "The XOR problem is a classical example of ...", "X is a great place to start"
    r"|\b(?:is|are)\s+(?:so\s+)?(?:named|called)\s+after\b|\bderives?\s+(?:its|their)\s+names?\b"
    r"|\b(?:is|are)\s+(?:often\s+|generally\s+|usually\s+|widely\s+)?(?:considered|regarded|seen)\s+(?:to\s+be\s+|as\s+)?"
    r"(?:an?\s+|the\s+)?(?:(?:very|extremely|really|quite|rather|most)\s+)?(?:efficient|good|great|powerful|popular|"
    r"useful|important|effective|successful|robust|simple|promising|standard)\b"
    r"|\b(?:can|could|may|might)\s+be\s+(?:very\s+|quite\s+|really\s+|extremely\s+|particularly\s+)?(?:useful|helpful|handy)\b"
    r"|\b(?:is|are)\s+(?:an?\s+|the\s+)?(?:classical|classic|typical|good|famous|well-known|canonical|standard)\s+examples?\s+of\b"
    r"|\b(?:is|are)\s+(?:an?\s+|the\s+)?(?:great|good|nice|perfect|ideal)\s+(?:place|way|starting\s+point)\s+to\b"
    # when to assume it, or how it compares: "Label shift is a reasonable assumption to make when ...", "Newton's
    # method is a lot faster once ...", "X is better than Y"
    r"|\b(?:is|are)\s+(?:an?\s+|the\s+)?(?:(?:very|quite|perfectly|entirely)\s+)?(?:reasonable|sensible|valid|natural|safe|"
    r"strong|appropriate|fair|plausible|realistic|common)\s+assumptions?\b"
    r"|\b(?:is|are)\s+(?:a\s+lot|much|far|significantly|considerably|substantially|way)\s+(?:[a-z]{2,}er|more|less)\b"
    r"|\b(?:is|are)\s+(?:(?:often|usually|generally|typically|also)\s+)?(?:[a-z]{3,}er|(?:more|less)\s+[a-z]+)\s+than\b"
    # its history: "Linear regression was invented at the turn of the 19th century", "Max-pooling
    # was introduced in Riesenhuber and Poggio (1999)"
    r"|^\W*(?:[\w-]+\s+){0,5}?(?:was|were)\s+(?:first\s+|originally\s+)?(?:invented|introduced|proposed|developed|"
    r"coined|popularized|described)\s+(?:at|in|by|around|during|over)\b"
    # nothing said yet, or said about the lesson: "The idea of X is the following", "X is the
    # first algorithm we will discuss"
    r"|\b(?:is|are)\s+(?:as\s+follows|the\s+following)\W*$"
    r"|\bwe\s+(?:will|shall|are\s+going\s+to)\s+(?:discuss|consider|see|look|study|cover|use|introduce|meet)\b",
    re.IGNORECASE,
)
# the first "is/are" of a sentence: a remark made after it ("Resampling is the process of making the sampling
# rates match, and is part of preprocessing", "... a variation of the spectrogram that is commonly used in ...")
# is said in a later clause, after what the sentence says its subject is
_FIRST_COPULA = re.compile(r"\b(?:is|are)\b", re.IGNORECASE)
_GENUS = re.compile(r"(?:is|are)\s+(?:\w+ly\s+)?(?:an?|the|one)\s", re.IGNORECASE)  # ... when that first one gave a genus


def remark_about(sentence: str) -> bool:
    """Whether ``sentence`` is a remark about its subject (:data:`REMARK`) rather than a statement of what
    it is: a remark made with a later "is/are" than the sentence's first one, which gave a genus ("is the
    process of ..."), is about something else."""
    m = REMARK.search(sentence)
    if m is None:
        return False
    first = _FIRST_COPULA.search(sentence)
    later = (first is not None and m.start() > first.start() and _FIRST_COPULA.match(sentence, m.start()) is not None
             and _GENUS.match(sentence, first.start()) is not None)
    return not later

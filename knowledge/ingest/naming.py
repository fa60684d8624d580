"""The sentence shapes that say what a term is, or name it: "X is a ...", "X refers to ...", "...
is called X", "X, which is ...", "(or X) is a ...", a name in brackets after a statement, "by
defining X $$...$$" — fixed patterns of general English around an occurrence of the term, and
:func:`_find_definition`, which tries them on each sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import lemmas, word_classes
from .remarks import REMARK
from .terms import is_acronym


_AFTER_BE = (
    r"an?|the|one|some|something|essentially|basically|simply|just|called|known|defined|used|considered|"
    r"based|often|usually|typically|generally|commonly|also|so-called|similar|like|trained|responsible|"
    r"related|opposite|capable|able|what|how|when|where|special|yet|\w+ed|\w+ing|any|another|"
    r"actually|mostly|mainly|primarily|in\s+fact|part|about|to|both"
)
_VERBS = (
    r"(?:refers?\s+to|means?|denotes?|represents?|describes?|consists?\s+of|contains?|"
    r"measures?|computes?|uses?|takes?|builds?|allows?|provides?|learns?|predicts?|generates?|produces?|"
    r"converts?|extracts?|transforms?|divides?|determines?|combines?|helps?|works?|relies?|performs?|"
    r"returns?|maps?|encodes?|estimates?|tries|aims?|removes?|reduces?|keeps?|selects?|applies|"
    r"captures?|can\s+be|could\s+be|deals?\s+with|stands?\s+for|corresponds?\s+to|operates?|"
    r"orchestrates?|looks?\s+for|compares?|trains?|models?|finds?|scores?|assigns?|defines?|"
    # what a theorem or rule says: "the central limit theorem states that ..."
    r"(?:states?|says?|asserts?|guarantees?)\s+that)"
)
_ANAPHOR = re.compile(
    r"^(?:this|these|such|that|those|it|thus|hence|therefore|so|the\s+(?:latter|former|approach|method|process|"
    r"technique|idea|task|model|algorithm|architecture|problem)\b(?!\s+(?:of|behind)\b))\b|\b(?:this|these|those|such|"
    r"the\s+(?:same|above|two|three))\s+(?:[\w-]+\s+)?(?:approach|method|process|technique|idea|task|model|algorithm|"
    r"architecture|problem|representation|mechanism|network|structure|phenomenon|loss|metric|group|quantit(?:y|ie)|"
    r"variable|distribution|operation|function|layer|work|reasoning|setting|scenario|strategy|observation|"
    r"effect|case|procedure)(?:e?s)?\b"
    # the name given to what was just described: "Formally, we call these values scalars", "Usually, this is
    # referred to as ..." (not "Theoretically, this is based on ...", nor a sentence saying what before naming it)
    r"|^\W*(?:[\w-]+,?\s+){0,6}?(?:call|term|dub|name|refer\s+to)\s+(?:this|these|those|such|them)\b"
    r"|^\W*\w+ly,?\s+(?:this|these|it|they)\s+(?:is|are)\s+(?:\w+ly\s+|also\s+)?(?:called|known|named|referred|termed|dubbed)\b",
    re.IGNORECASE,
)


@dataclass
class _Match:
    strength: int  # 3 subject/glossary, 2 naming, 1 mention
    sentence: int
    explicit: bool = False  # named with what it is in the same words (needs no sentence before it)


def _find_definition(
    sentences: list[str], pat: str, *, allow_subject: bool = True, allow_so_called: bool = True,
    in_brackets: bool = False, allow_is_a: bool = False,
) -> _Match | None:
    """The first sentence that defines the term (``pat``): as its subject (strength 3) or by
    naming it (strength 2). Each occurrence of the term is checked against fixed context
    patterns before and after it. ``in_brackets``: a known concept's name in brackets after a
    statement names it too (never used to find new terms: "Brent Werness (Amazon)")."""
    occ = _occurrence_regex(pat)
    for i, s in enumerate(sentences):
        if s.endswith("?"):
            # "What's Flask? Defined as a 'micro-framework' by its creators, Flask provides ...": a
            # question asking what the term is, answered by the next sentence naming it
            ask = _WHAT_IS.match(s)
            nxt = sentences[i + 1] if i + 1 < len(sentences) else ""
            if (ask and occ.fullmatch(ask.group(1).strip()) and nxt and not nxt.endswith("?")
                    and occ.search(nxt)):
                return _Match(3, i + 1)
            continue
        named = False
        for m in occ.finditer(s):
            before, after = s[: m.start()], s[m.end():]
            if continues_name(m.group(0), after):
                continue  # "Large Language" in "Large Language Models (LLMs) can ...": a longer name's start
            if allow_subject and _SUBJ_BEFORE.fullmatch(before) and subject_verb_after(after, _plural(m.group(0))):
                return _Match(3, i)
            if allow_subject and in_brackets:  # known concepts only: the subject after an opening
                if _GIVEN_BEFORE.fullmatch(before) and _SYMBOL_COPULA_AFTER.match(after):
                    # "Given two vectors $x, y$, their dot product $x^\top y$ (also known as inner product) is a sum ..."
                    return _Match(3, i, explicit=True)
                # "Specifically, the class prediction layer uses ...", "If $(X, Y)$ is a pair of ..., then the
                # conditional entropy is defined as ..."
                if ((_EXPLAINING_BEFORE.fullmatch(before) or _COMPARED_BEFORE.fullmatch(before)
                     or _CLAUSE_BEFORE.fullmatch(before)) and subject_verb_after(after)) or (
                        _THEN_BEFORE.fullmatch(before) and _COPULA_AFTER.match(after)):
                    return _Match(3, i)
            if allow_subject and _LEAD_BEFORE.fullmatch(before) and _COPULA_AFTER.match(after):
                return _Match(3, i)  # "As the name implies, word vectors are vectors used to represent words"
            if allow_is_a and _SUBJ_BEFORE.fullmatch(re.sub(r"['‘\"“]$", "", before)) and _IS_A_AFTER.match(after):
                return _Match(3, i)  # "A 'confusion matrix' (or 'error matrix') is a table that ..."
            if allow_subject and _OTHER_NAME_BEFORE.search(before) and (
                    _OTHER_NAME_AFTER.match(after) or _other_name_subject(after)):
                return _Match(3, i)  # "The test group (or treatment group) is a group of individuals who ..."
            if not named and (
                (_NAMED_BEFORE.search(before) and (allow_so_called or not _SO_CALLED.search(before)))
                or (_IDEA_BEFORE.search(before) and _IS_AFTER.match(after))
                or _WHICH_IS_AFTER.match(after)
                or (_NP_START.search(before) and _which_verb_after(after))
                or (_APPOSITIVE_AFTER.match(after) and not _OPENING_PHRASE.match(before))
                or (_APPOSITIVE_BEFORE.search(before) and _THAT_AFTER.match(after))
                or _DASH_AFTER.match(after)
                or _CAPABLE_AFTER.match(after)
                or (_WHICH_ARE_BEFORE.search(before) and re.fullmatch(r"\s*[.;]?\s*", after))
                or _GLOSS_AFTER.match(after)
                or (_WHERE_AFTER.match(after) and _BROUGHT_IN.search(before))
                or (_CONCEPT_OF_BEFORE.search(before) and re.fullmatch(r"\s*\.", after))
                or (_DEFINE_BEFORE.search(before) and (_AS_AFTER.match(after) or _FORMULA_AFTER.match(after)))
                or (in_brackets and _PAREN_BEFORE.search(before) and _PAREN_AFTER.match(after) and len(before.split()) >= 6
                    and not is_acronym(m.group(0)))  # "(NLP)" abbreviates what comes before; it does not name a statement
                # a known concept's name given to what was described: "..., the output layer can also be
                # described as a fully connected layer" (too loose to find new terms: "described as things")
                or (in_brackets and _DESCRIBED_AS_BEFORE.search(before) and re.fullmatch(r"\s*[.;]?\s*", after))
            ):
                named = True
            if _WAY_BEFORE.fullmatch(before) and _WORKS_AFTER.match(after):
                return _Match(2, i, explicit=True)  # "The way CNNs work is based on ...": about it, pointing nowhere
            # known concepts only (too loose to find new terms): the name given last, "We call points with
            # $\nabla L = 0$ critical points"; a kind named with more words, "chain-of-thought prompting, an
            # in-context learning method with ..."
            if in_brackets and not named and (
                (_CALL_BEFORE.search(before) and _NAME_ENDS.match(after))
                or (_THINK_OF_BEFORE.search(before) and _AS_WHAT_AFTER.match(after))
                # a kind of it said to be something: "The classification accuracy is the fraction of all predictions that are correct"
                or (_KIND_BEFORE.fullmatch(before) and _COPULA_AFTER.match(after))
                or (_APPOSITIVE_KNOWN.match(after) and not _OPENING_PHRASE.match(before))
            ):
                return _Match(2, i, explicit=True)
        if named:
            return _Match(2, i)
    return None


def continues_name(found: str, after: str) -> bool:
    """Whether a name written with capitals goes on past the words found ("Large Language" followed
    by " Models (LLMs) can ..."): the words found are the start of a longer name, not its subject
    ("Models" is no verb there)."""
    return bool(_NEXT_CAPITAL.match(after)) and found.split()[-1][:1].isupper()


_NEXT_CAPITAL = re.compile(r"[ \t]+[A-Z][a-z]")


@lru_cache(maxsize=8192)
def _occurrence_regex(pat: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w\-])" + pat + r"(?![\w\-])", re.IGNORECASE)


_I = re.IGNORECASE
_SUBJ_BEFORE = re.compile(
    r"[^\w]*(?:(?:thus|so|hence|therefore|formally|here|now|basically|in\s+short|in\s+other\s+words),?\s+)?"
    r"(?:(?:so-called|the|a|an|one|such|in)\s+)*(?:(?:main\s+|key\s+|basic\s+|general\s+)?"
    r"(?:idea|concept|notion|goal|purpose|problem|task|aim)s?\s+(?:of|behind)\s+(?:an?\s+|the\s+)?)?",
    _I,
)
# a short opening phrase, then the term as the subject of "is a/the ...": "As the name implies,
# word vectors are vectors ...", "In deep learning, X is the ...", "For the unfamiliar: X is a ..." (not a
# condition: "If ..., X is")
_LEAD_BEFORE = re.compile(
    r"[^\w]*(?!(?:if|when|whenever|while|because|since|although|though|unless|once|until|for\s+example|for\s+instance|"
    r"e\.g|recall)\b)(?![^,:]*\b(?:that|we|you|I)\b)[A-Z][^,;:.?!$()]{2,50}[,:]\s+(?:(?:the|an?)\s+)?", _I)
_COPULA_AFTER = re.compile(r"(?:\s*\([^)]{0,60}\))?\s*,?\s+(?:(?:is|are)\s+(?:an?|the|(?:[a-z]+ly\s+)?defined\s+as)\b|are\s+(?!not\b)[a-z]+s\b|"
                           r"refers?\s+to\b|means\b)", _I)
# "we define the Kullback–Leibler divergence as the expected ..."
_DEFINE_BEFORE = re.compile(r"\b(?:(?:we|one|you)\s+(?:can\s+|will\s+|now\s+|formally\s+)?(?:(?:want|need|wish)\s+to\s+(?:\w+ly\s+)?)?define|"
                            r"by\s+defining)\s+(?:an?\s+|the\s+)?$", _I)
# ... or by a display formula: "Shannon gave the answer by defining self-information $$I(X) = ...$$"
_FORMULA_AFTER = re.compile(r"(?:\s*\([^)]{0,60}\))?\s*(?:(?:as|to\s+be|by)?\s*:?\s*\$\$|"
                            # ... or its notation, the formula coming next: "define the conditional entropy $H(Y \mid X)$."
                            r"\$[^$]{1,40}\$\s*\.$)", _I)
# ... followed by words, not by a formula or a pointer ("we define entropy as below", "... to be $...$")
_AS_AFTER = re.compile(r"(?:\s*\([^)]{0,60}\))?\s+(?:as|to\s+be)\s+(?!(?:below|follows|the\s+following)\b)(?:[a-z][\w-]*,?\s+){2}", _I)
# the term's notation right after it, before "is/are": "A trajectory $\tau$ is a sequence of states and actions"
# (not a value: "The label $0$ means ...", nor before another verb: "The update gate $Z_t$ can be used for this purpose")
_NOTATION = r"(?:\s*\$(?=[^$]*[A-Za-z\\])[^$]{1,40}\$(?!\$)(?=\s*,?\s+(?:is|are)\s))?"
_SUBJ_AFTER = re.compile(
    _NOTATION + r"(?:\s*\([^)]{0,60}\))?(?:\s*,\s*(?:also\s+called|also\s+known\s+as|or|aka|i\.e\.)\s+[^,]{1,60},)?"
    r"(?:\s+(?:network|model|architecture|algorithm|approach|method|technique|mechanism|library|"
    r"framework|layer|function|metric|loss|problem|task|process|system|systems|models|networks))?"
    r"\s*,?\s+(?:(?:also|essentially|basically|simply|usually|typically|often|generally|actually|"
    r"normally|mostly|only|just|then|now)\s+)?"
    r"(?:(?:is|are|was|were)\s+(?:[a-z]+ly\s+(?=defined\b))?(?:" + _AFTER_BE + r")|" + _VERBS + r"|"
    # a plural's genus needs no article: "Learning curves are visual representations of ..."
    r"(?:are|were)\s+(?:[a-z-]+\s+){0,2}?[a-z-]{3,}(?<!s)s(?=\s+(?:of|that|which|for|in|used|where|with)\b))\b(?!\s+not\b)",
    _I,
)
# the term, then a present-tense verb English knows only as a verb: "Negative sampling modifies
# the original objective function", "Dropout involves ..." (not "models", "layers": nouns too)
_VERB_S_AFTER = re.compile(r"\s*,?\s+(?:[a-z]+ly\s+)?([a-z]{3,}s)\b(?!\s+not\b)")
_VERB_AFTER = re.compile(r"\s+(?:[a-z]+ly\s+)?([a-z]{3,})\b(?!\s+not\b)")


def subject_verb_after(after: str, plural: bool = False) -> bool:
    """Whether what follows a term makes it the subject of a verb that says what it is or does
    (:data:`_SUBJ_AFTER`, or any verb-only present-tense form English knows, by lemminflect; after
    a ``plural`` name, its bare form: "Activation functions decide whether a neuron ...")."""
    if _SUBJ_AFTER.match(after):
        return True
    m = _VERB_S_AFTER.match(after)
    if m and _says_what_it_does(m.group(1)):
        return True
    m = _VERB_AFTER.match(after) if plural else None
    return bool(m) and m.group(1).lower() + "s" not in _LINKING and _says_what_it_does(m.group(1)) \
        and m.group(1).lower() in lemmas(m.group(1)).get("VERB", ()) and not REMARK.search(after)


def _plural(name: str) -> bool:
    """Whether a name as written is a plural noun ("activation functions", not "loss" or "ReLUs'")."""
    last = name.split()[-1].lower() if name.split() else ""
    return last.endswith("s") and not last.endswith(("ss", "us", "is")) and last[:-1] in lemmas(last).get("NOUN", (last[:-1],))


def _says_what_it_does(verb: str) -> bool:
    """A present-tense verb English knows only as a verb, not one of :data:`_LINKING`."""
    return verb.lower() not in _LINKING and word_classes(verb) == {"VERB"}


def _which_verb_after(after: str) -> bool:
    """A relative clause saying what the term does, right after it: "the *Kullback–Leibler (KL)
    divergence*, which provides a way to measure ...", "*pull*, which retrieves aggregate
    gradients" (:func:`_says_what_it_does`)."""
    m = _WHICH_VERB_AFTER.match(after)
    return bool(m) and _says_what_it_does(m.group(1))


# the term starts its noun phrase (not "Deep reinforcement learning, which applies ..." for
# reinforcement learning)
_NP_START = re.compile(r"(?:^|\b(?:the|an?|and|or|of|called|named)\s+|[,:;(]\s*)[\"'“‘]?$", re.IGNORECASE)
_WHICH_VERB_AFTER = re.compile(r"(?:\s*\([^)]{0,60}\))?\s*,\s*which\s+(?:[a-z]+ly\s+)?([a-z]{3,}s)\b(?!\s+not\b)", re.IGNORECASE)


# verbs that say how the subject seems, what happens to it, or what it needs or holds — not what
# it is or does
_LINKING = {"seems", "appears", "becomes", "remains", "gets", "goes", "comes", "happens", "tends", "occurs", "exists",
            "behaves", "requires", "needs", "considers", "includes", "depends"}


_NAMED_BEFORE = re.compile(
    r"\b(?:called|known\s+as|named|termed|dubbed|referred\s+to\s+as|"
    # "we will refer to this as X", "we call such a direction X": the sentence before says what
    r"refer\s+to\s+(?:this|these|it|them|\$[^$]{1,20}\$)\s+as|call\s+(?:this|these|it|them|such\s+(?:an?\s+)?[\w-]+)(?:\s+[\w-]+)?|"
    # "In computer vision, we refer to such tasks as X", "..., calling this condition X"
    r"refer\s+to\s+such\s+(?:an?\s+)?[\w-]+(?:\s+[\w-]+)?\s+as|calling\s+(?:this|these|it|them|such)(?:\s+[\w-]+)?|"
    # "We refer to the number of rows and columns traversed per slide as stride"
    r"(?:we|one|you)\s+(?:\w+\s+)?refer\s+to\s+(?!(?:this|these|it|them|such)\b)[^,;:]{3,100}?\s+as|"
    # "We call this class of problems unsupervised learning"
    r"call\s+(?:this|these|such)\s+(?:class|kind|type|family|sort|set)\s+of\s+[\w-]+|"
    # "a problem which we call X", "what researchers call X"
    r"(?:which|what)\s+(?:\w+\s+){1,2}call|"
    # "Since it is such a common problem, it has a name: the masked softmax operation."
    r"(?:has|have|goes\s+by|go\s+by)\s+(?:a|the)\s+name\s*:)"
    # the second of two names: "are referred to as the test group and the control group"
    r"\s+(?:an?\s+|the\s+|its\s+|their\s+)?(?:(?:[\w-]+\s+){1,3}(?:and|or)\s+(?:an?\s+|the\s+)?)?[\"'“‘]?$", _I
)
# "token-level tasks, such as text tagging, where each token is assigned a label", "sparse
# features, i.e., features that occur only infrequently": what follows the comma says what X is
_GLOSS_AFTER = re.compile(r"\s*(?:,\s*i\.e\.,?|\(i\.e\.,?)\s*\S", _I)
# "..., where ..." glosses only a term just brought in ("such as text tagging, where", "the
# alternative, symbolic programming, where"), not one referred to ("for the same minibatch, where")
_WHERE_AFTER = re.compile(r"\s*,\s*where\s+(?!(?:we|you|I|they|it)\b)\S", _I)
_BROUGHT_IN = re.compile(r"(?:\bsuch\s+as|,)\s*$", _I)
_SO_CALLED = re.compile(r"so[- ]called\s+(?:an?\s+|the\s+)?[\"'“‘]?$", _I)
IDEA_OF = r"(?:main\s+|key\s+|basic\s+|general\s+|central\s+)?ideas?\s+(?:of|behind)\s+"  # "the main idea of X"
_IDEA_BEFORE = re.compile(r"\b" + IDEA_OF + r"(?:an?\s+|the\s+)?$", _I)
_IS_AFTER = re.compile(r"\s+(?:is|are)\b", _I)
_WAY_BEFORE = re.compile(r"(?:the\s+)?way\s+", _I)
_WORKS_AFTER = re.compile(r"\s+works?\s+is\b", _I)
_WHICH_IS_AFTER = re.compile(
    r"(?:\s+(?:mechanism|model|network|approach|method|technique|layer|task|problem))?"
    r"\s*,\s*which\s+(?:is\s+(?:essentially|basically|simply|an?|the)|are\s+(?:essentially|basically|simply|the|those))\b"
    # ... or its formula: "we should consider the log-likelihood, which is $$\log P(X) = ...$$"
    r"|\s*,\s*which\s+(?:is|are)\s+(?:(?:given|defined)\s+(?:by|as)\s*)?:?\s*\$\$",
    _I,
)
# the kind of thing an appositive says a term is (its symbol may come first: "the regularization constant
# $\lambda$, a nonnegative hyperparameter that ..."; what it is a part or kind of: "statistical learning theory, the
# mathematical subfield of machine learning")
_APPOSITIVE_GENUS = (r"(?:method|technique|algorithm|model|way|process|approach|function|network|layer|metric|measure|"
                     r"procedure|architecture|library|tool|framework|(?:hyper)?parameter|type|kind|(?:sub)?field|branch|"
                     r"discipline|family|class|variant|quantity|distribution|operation|operator|transformation|statistic|"
                     r"estimator|criterion|objective|strategy|mechanism)")
_APPOSITIVE_AFTER = re.compile(r"(?:\s*\$[^$]{1,30}\$)?\s*,\s*(?:an?|the)\s+(?:\w+\s+)?" + _APPOSITIVE_GENUS
                               + r"\s+(?:that|which|whose|for|of|to|used)\b", _I)
# the term inside a phrase that opens the sentence, whose subject the comma brings: "As an instance
# of the encoder--decoder architecture, the overall architecture of the Transformer is ..."
_OPENING_PHRASE = re.compile(r"^\W*(?:as|in|for|with|like|unlike|similar\s+to|compared\s+(?:to|with)|after|before)\b[^,;:]*$", _I)
# "... we can use a parameter, **temperature**, that flattens the distribution"
_APPOSITIVE_BEFORE = re.compile(
    r"\b(?:an?|the)\s+(?:[\w-]+\s+)?(?:parameter|hyperparameter|method|technique|algorithm|model|approach|"
    r"function|metric|measure|procedure|architecture|library|tool|framework|network|layer|trick|quantity)\s*,\s*$",
    _I,
)
_THAT_AFTER = re.compile(r"\s*,\s*(?:that|which)\b", _I)
_DASH_AFTER = re.compile(r"(?:\s+[-–—]\s+|\s*[–—]\s*)(?:creating|building|representing|an?|the)\b", _I)
# the other name, with what it is after it: "The test group (or treatment group) is a group of ..."
_WHAT_IS = re.compile(r"^\W*what(?:'s|’s|\s+is|\s+are)\s+(?:an?\s+|the\s+)?['‘\"“]?(.+?)['’\"”]?\s*\?$", _I)
# a sentence opening with the term and saying what kind of thing it is: for an italic or linked
# term, which is otherwise only a term where a sentence names it ("is called")
_IS_A_AFTER = re.compile(r"['’\"”]?(?:\s*\([^)]{0,60}\))?(?:\s*[\u2600-\u27bf\U0001f000-\U0001faff]+)?\s*,?\s+(?:is|are)\s+"
                         r"(?:an?|one)\s+\w", _I)  # an emoji may follow the term ("Pickle 🥒 is a Python module")
_DESCRIBED_AS_BEFORE = re.compile(r"\b(?:can|may)\s+(?:also\s+)?be\s+described\s+as\s+(?:an?\s+|the\s+)?$", _I)
_OTHER_NAME_BEFORE = re.compile(r"\(\s*(?:or|also\s+called|also\s+known\s+as|aka)\s+(?:an?\s+|the\s+)?$", _I)
_OTHER_NAME_AFTER = re.compile(r"\s*\)\s+(?:is|are)\s+(?:an?|the|one)\b", _I)


def _other_name_subject(after: str) -> bool:
    """The other name in brackets, then what the subject is or does: "the standard deviation (or
    standard error) is defined as ...", "the two-sided test (or two-tailed test) applies when ..."."""
    m = re.match(r"\s*\)", after)
    return bool(m) and subject_verb_after(after[m.end():])


# what it can do, right after it: "... is a universal approximator, capable of representing any ..."
_CAPABLE_AFTER = re.compile(r"\s*,\s*(?:capable\s+of|able\s+to)\s+\w", _I)
# a name given to what comes before it, ending the sentence: "the outputs of the hidden layer, which are hidden representations."
_WHICH_ARE_BEFORE = re.compile(r",\s*which\s+(?:is|are)\s+(?:called\s+|known\s+as\s+)?(?:an?\s+|the\s+)?$", _I)
# the name in brackets after what it says: "The expectation of a convex function is no less than
# the convex function of an expectation (Jensen's inequality).", "(ii) excessively small (the
# vanishing gradient problem)" — not the expansion of an abbreviation: "BERT (Bidirectional ...)"
_PAREN_BEFORE = re.compile(r"(?<![A-Z]{2})(?<![A-Z]{2}s)[^\s(]\s*\(\s*(?:the\s+|i\.e\.,?\s+|also\s+called\s+|(?:also\s+)?known\s+as\s+)?$")
_PAREN_AFTER = re.compile(r"(?:\s+(?:problem|effect|rule|phenomenon|property))?\s*\)\s*(?:[.;,:]|$)", _I)
_CONCEPT_OF_BEFORE = re.compile(r"\b(?:concept|notion)\s+of\s+$", _I)


# what it is of, then the term as the subject: "Given a matrix $A$, its trace $\textrm{tr}(A)$ is the sum ..."
_GIVEN_BEFORE = re.compile(r"[^\w]*(?:given|for)\s+(?:(?:an?|any|two|some|the|all|each)\b)?.{1,120}?,\s+(?:their|its|the)\s+", _I)
_SYMBOL_COPULA_AFTER = re.compile(r"(?:\s*\$[^$]{1,60}\$)?(?:\s*\([^()]{0,80}\))?\s*,?\s+(?:is|are)\s+"
                                  r"(?:an?|the|defined\s+(?:as|by)|given\s+by)\b", _I)
# a condition, then the term as the subject: "If $(X, Y)$ is a pair of ..., then the conditional entropy is ..."
_THEN_BEFORE = re.compile(r"[^\w]*(?:if|when|whenever)\b[^.;]{0,200},\s*then\s+(?:the\s+|an?\s+)?", _I)
# "we call <what was described> X": the name at the end ("We call points with ... critical points.",
# "we call the (constant) length of the vectors the dimensionality of the data")
# (not a call of a function: "we will call the optimization algorithm to update the model parameters")
_CALL_BEFORE = re.compile(r"\b(?:we|one|you|people|researchers)\s+(?:(?:often|usually|typically|also|sometimes|simply|"
                          r"commonly|generally)\s+)?call\s+(?!(?:this|these|it|them|such)\b)(?![^,;:]*\bto\s)"
                          r"[^,;:]{3,120}?\s+(?:the\s+|an?\s+|its\s+|their\s+)?$", _I)
# an adverb that introduces what a thing is or does, then the term: "Specifically, the mask R-CNN replaces ...",
# "Intuitively, the input gate determines ..." (not "Fortunately, the chain rule takes care of this")
EXPLAINING = (r"(?:specifically|formally|informally|intuitively|essentially|basically|simply|generally|typically|"
              r"usually|roughly|mathematically|conceptually|technically|concretely|precisely|loosely|broadly)")
_EXPLAINING_BEFORE = re.compile(r"[^\w]*" + EXPLAINING + r",\s+(?:the\s+|an?\s+)?", _I)
# ... or an opening that compares it with something: "Similar to the loss function in linear regression, the content
# loss measures ...", "Unlike dropout, weight decay keeps ..."
# ... or one that says who brought it in: "Introduced in Wei et al. (2022), chain-of-thought (CoT) prompting enables ..."
COMPARED = (r"(?:(?:just\s+|much\s+)?like|similar(?:ly)?\s+to|unlike|as\s+(?:in|with)|in\s+contrast\s+to|"
            r"compared\s+(?:to|with)|as\s+opposed\s+to|(?:first\s+)?(?:introduced|proposed|developed|presented|coined|"
            r"popularized)\s+(?:in|by))\s+[^,;:?!]{1,80},\s+")
_COMPARED_BEFORE = re.compile(r"[^\w]*" + COMPARED + r"(?:the\s+|an?\s+)?", _I)
# ... or a clause after a contrast: "A derivation ... is beyond the scope of this document, but the central limit
# theorem states that ..."
_CLAUSE_BEFORE = re.compile(r"[^.;]{12,}?[,;]\s+(?:but|whereas)\s+(?:the\s+|an?\s+)?", _I)
# "We can think of the matrix--matrix multiplication $AB$ as performing $m$ matrix--vector products ..."
_THINK_OF_BEFORE = re.compile(r"\b(?:we|you|one)\s+(?:can|could|may|might|should)\s+(?:also\s+|simply\s+)?(?:think\s+of|view|"
                              r"regard|interpret|understand)\s+(?:the\s+|an?\s+)?$", _I)
_AS_WHAT_AFTER = re.compile(r"(?:\s*\$[^$]{1,40}\$)?\s+as\s+(?!(?:follows|below|above)\b)\w", _I)
_KIND_BEFORE = re.compile(r"[^\w]*(?:the|an?)\s+[a-z][\w-]+\s+", _I)
_NAME_ENDS = re.compile(r"\s*(?:[.;]|$|\s+of\s+(?:the|an?|this|these|our)\s+\w+\W*$)", _I)
# ... for a known concept, with more words before the kind: "an in-context learning method with ..."
_APPOSITIVE_KNOWN = re.compile(r"(?:\s*\$[^$]{1,30}\$)?\s*,\s*(?:an?|the)\s+(?:[\w-]+\s+){0,3}?" + _APPOSITIVE_GENUS
                               + r"\s+(?:that|which|whose|for|of|to|used|with)\b", _I)

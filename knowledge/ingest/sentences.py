"""Sentences and the definitions in them: splitting text into sentences
(:func:`split_sentences`), the spellings of a term (:func:`variants_of`) and a regex for them,
finding the sentence that defines or names a term (:func:`_find_definition`), composing a
definition of at most :data:`MAX_DEFINITION` characters around it (:func:`_compose`,
:func:`_fit`) and reading glossary items (:func:`_gloss_after`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from .document import Block, one_line
from .terms import TRAIL_PUNCT, clean_term, initials, is_acronym, singular

MAX_DEFINITION = 400


# ---------------------------------------------------------------------------------------------
# sentences

_ABBREV = re.compile(
    r"\b(?:e\.g|i\.e|eg|ie|etc|vs|cf|al|approx|fig|figs|eq|dr|mr|mrs|ms|st|no|vol|resp|incl|ca)\.$", re.IGNORECASE
)
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    out: list[str] = []
    for piece in _SENT_END.split(one_line(text)):
        piece = piece.strip()
        if not piece:
            continue
        if out and (_ABBREV.search(out[-1]) or re.search(r"(?:^|\b[A-Z][a-z]+\s|\b[A-Z]\.\s?)[A-Z]\.$", out[-1])):
            out[-1] = out[-1] + " " + piece
        else:
            out.append(piece)
    return out


def _term_pattern(variants: Iterable[str]) -> str:
    return _term_pattern_cached(tuple(variants))


@lru_cache(maxsize=4096)
def _term_pattern_cached(variants: tuple[str, ...]) -> str:
    """Regex for any of the spellings: words may be joined by spaces or hyphens, a plural
    ``s``/``es`` may follow; acronyms (``CNN``) match case-sensitively."""
    alts = sorted({v for v in variants if v}, key=len, reverse=True)
    parts = []
    for v in alts:
        toks = [re.escape(t) for t in re.split(r"[\s\-]+", v) if t]
        if not toks:
            continue
        body = r"[\s\-]+".join(toks) + r"(?:e?s)?"
        parts.append(f"(?-i:{body})" if is_acronym(v) else body)
    return r"(?:" + "|".join(parts) + r")"


def variants_of(term: str, aliases: Iterable[str] = ()) -> list[str]:
    """Spellings to look for in sentences: the term, its singular, its aliases, the initials
    of a multi-word term (``CNN``), and the ``"X network"`` short form of ``"X neural network"``."""
    out: list[str] = []
    for t in (term, *aliases):
        t = clean_term(t)
        if not t:
            continue
        out.append(t)
        ws = t.split()
        if ws:
            s = singular(ws[-1].lower())
            if s != ws[-1].lower():
                out.append(" ".join(ws[:-1] + [ws[-1][: len(s)] if len(s) < len(ws[-1]) else s]))
        if re.search(r"\bneural networks?\b", t, re.IGNORECASE) and len(ws) > 2:
            out.append(re.sub(r"\s+neural\s+", " ", t, flags=re.IGNORECASE))
        if not is_acronym(t) and len(re.split(r"[\s\-]+", t)) >= 2:
            out += [ini.upper() for ini in initials(t) if len(ini) >= 2]
        if re.search(r"modell?ing", t, re.IGNORECASE):  # British and American spelling
            out += [re.sub(r"modeling", "modelling", t, flags=re.I), re.sub(r"modelling", "modeling", t, flags=re.I)]
    return list(dict.fromkeys(out))


_AFTER_BE = (
    r"an?|the|one|some|something|essentially|basically|simply|just|called|known|defined|used|considered|"
    r"based|often|usually|typically|generally|commonly|also|so-called|similar|like|trained|responsible|"
    r"related|opposite|capable|able|what|how|when|where|special|yet|\w+ed|\w+ing|any|another|"
    r"actually|mostly|mainly|primarily|in\s+fact|part|about|to"
)
_VERBS = (
    r"(?:refers?\s+to|means?|denotes?|represents?|describes?|consists?\s+of|contains?|"
    r"measures?|computes?|uses?|takes?|builds?|allows?|provides?|learns?|predicts?|generates?|produces?|"
    r"converts?|extracts?|transforms?|divides?|determines?|combines?|helps?|works?|relies?|performs?|"
    r"returns?|maps?|encodes?|estimates?|tries|aims?|removes?|reduces?|keeps?|selects?|applies|"
    r"captures?|can\s+be|could\s+be|deals?\s+with|stands?\s+for|corresponds?\s+to|operates?|"
    r"orchestrates?|looks?\s+for|compares?|trains?|models?|finds?|scores?|assigns?|defines?)"
)
_ANAPHOR = re.compile(
    r"^(?:this|these|such|that|those|it|thus|hence|therefore|so|the\s+(?:latter|former|approach|method|process|"
    r"technique|idea|task|model|algorithm|architecture|problem)\b(?!\s+(?:of|behind)\b))\b|\b(?:this|these|those|such|"
    r"the\s+(?:same|above|two|three))\s+(?:[\w-]+\s+)?(?:approach|method|process|technique|idea|task|model|algorithm|"
    r"architecture|problem|representation|mechanism|network|structure|phenomenon|loss|metric|group|quantit(?:y|ie)|"
    r"variable|distribution|operation|function|layer|work|reasoning|setting|scenario|strategy|observation|"
    r"effect|case|procedure)(?:e?s)?\b",
    re.IGNORECASE,
)


@dataclass
class _Match:
    strength: int  # 3 subject/glossary, 2 naming, 1 mention
    sentence: int


def _find_definition(
    sentences: list[str], pat: str, *, allow_subject: bool = True, allow_so_called: bool = True,
    in_brackets: bool = False,
) -> _Match | None:
    """The first sentence that defines the term (``pat``): as its subject (strength 3) or by
    naming it (strength 2). Each occurrence of the term is checked against fixed context
    patterns before and after it. ``in_brackets``: a known concept's name in brackets after a
    statement names it too (never used to find new terms: "Brent Werness (Amazon)")."""
    occ = _occurrence_regex(pat)
    for i, s in enumerate(sentences):
        if s.endswith("?"):
            continue
        named = False
        for m in occ.finditer(s):
            before, after = s[: m.start()], s[m.end():]
            if allow_subject and _SUBJ_BEFORE.fullmatch(before) and _SUBJ_AFTER.match(after):
                return _Match(3, i)
            if allow_subject and _LEAD_BEFORE.fullmatch(before) and _COPULA_AFTER.match(after):
                return _Match(3, i)  # "As the name implies, word vectors are vectors used to represent words"
            if allow_subject and _OTHER_NAME_BEFORE.search(before) and _OTHER_NAME_AFTER.match(after):
                return _Match(3, i)  # "The test group (or treatment group) is a group of individuals who ..."
            if not named and (
                (_NAMED_BEFORE.search(before) and (allow_so_called or not _SO_CALLED.search(before)))
                or (_IDEA_BEFORE.search(before) and _IS_AFTER.match(after))
                or (_WAY_BEFORE.fullmatch(before) and _WORKS_AFTER.match(after))
                or _WHICH_IS_AFTER.match(after)
                or _APPOSITIVE_AFTER.match(after)
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
            ):
                named = True
        if named:
            return _Match(2, i)
    return None


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
# word vectors are vectors ...", "In deep learning, X is the ..." (not a condition: "If ..., X is")
_LEAD_BEFORE = re.compile(
    r"[^\w]*(?!(?:if|when|whenever|while|because|since|although|though|unless|once|until|for\s+example|for\s+instance|"
    r"e\.g|recall)\b)(?![^,]*\b(?:that|we|you|I)\b)[A-Z][^,;:.?!$()]{2,50},\s+(?:(?:the|an?)\s+)?", _I)
_COPULA_AFTER = re.compile(r"(?:\s*\([^)]{0,60}\))?\s*,?\s+(?:(?:is|are)\s+(?:an?|the|defined\s+as)\b|are\s+(?!not\b)[a-z]+s\b|"
                           r"refers?\s+to\b|means\b)", _I)
# "we define the Kullback–Leibler divergence as the expected ..."
_DEFINE_BEFORE = re.compile(r"\b(?:(?:we|one|you)\s+(?:can\s+|will\s+|now\s+|formally\s+)?define|by\s+defining)\s+(?:an?\s+|the\s+)?$", _I)
# ... or by a display formula: "Shannon gave the answer by defining self-information $$I(X) = ...$$"
_FORMULA_AFTER = re.compile(r"(?:\s*\([^)]{0,60}\))?\s*(?:as|to\s+be|by)?\s*:?\s*\$\$", _I)
# ... followed by words, not by a formula or a pointer ("we define entropy as below", "... to be $...$")
_AS_AFTER = re.compile(r"(?:\s*\([^)]{0,60}\))?\s+(?:as|to\s+be)\s+(?!(?:below|follows|the\s+following)\b)(?:[a-z][\w-]*,?\s+){2}", _I)
_SUBJ_AFTER = re.compile(
    r"(?:\s*\([^)]{0,60}\))?(?:\s*,\s*(?:also\s+called|also\s+known\s+as|or|aka|i\.e\.)\s+[^,]{1,60},)?"
    r"(?:\s+(?:network|model|architecture|algorithm|approach|method|technique|mechanism|library|"
    r"framework|layer|function|metric|loss|problem|task|process|system|systems|models|networks))?"
    r"\s*,?\s+(?:(?:also|essentially|basically|simply|usually|typically|often|generally|actually|"
    r"normally|mostly|only|just|then|now)\s+)?"
    r"(?:(?:is|are|was|were)\s+(?:" + _AFTER_BE + r")|" + _VERBS + r")\b(?!\s+not\b)",
    _I,
)
_NAMED_BEFORE = re.compile(
    r"\b(?:called|known\s+as|named|termed|dubbed|referred\s+to\s+as|"
    # "we will refer to this as X", "we call such a direction X": the sentence before says what
    r"refer\s+to\s+(?:this|these|it|them)\s+as|call\s+(?:this|these|it|them|such\s+(?:an?\s+)?[\w-]+)(?:\s+[\w-]+)?|"
    # "We call this class of problems unsupervised learning"
    r"call\s+(?:this|these|such)\s+(?:class|kind|type|family|sort|set)\s+of\s+[\w-]+|"
    # "a problem which we call X", "what researchers call X"
    r"(?:which|what)\s+(?:\w+\s+){1,2}call|"
    # "Since it is such a common problem, it has a name: the masked softmax operation."
    r"(?:has|have|goes\s+by|go\s+by)\s+(?:a|the)\s+name\s*:)"
    # the second of two names: "are referred to as the test group and the control group"
    r"\s+(?:an?\s+|the\s+)?(?:(?:[\w-]+\s+){1,3}(?:and|or)\s+(?:an?\s+|the\s+)?)?[\"'“‘]?$", _I
)
# "token-level tasks, such as text tagging, where each token is assigned a label", "sparse
# features, i.e., features that occur only infrequently": what follows the comma says what X is
_GLOSS_AFTER = re.compile(r"\s*(?:,\s*i\.e\.,?|\(i\.e\.,?)\s*\S", _I)
# "..., where ..." glosses only a term just brought in ("such as text tagging, where", "the
# alternative, symbolic programming, where"), not one referred to ("for the same minibatch, where")
_WHERE_AFTER = re.compile(r"\s*,\s*where\s+(?!(?:we|you|I|they|it)\b)\S", _I)
_BROUGHT_IN = re.compile(r"(?:\bsuch\s+as|,)\s*$", _I)
_SO_CALLED = re.compile(r"so[- ]called\s+(?:an?\s+|the\s+)?[\"'“‘]?$", _I)
_IDEA_BEFORE = re.compile(
    r"\b(?:main\s+|key\s+|basic\s+|general\s+|central\s+)?ideas?\s+(?:of|behind)\s+(?:an?\s+|the\s+)?$", _I
)
_IS_AFTER = re.compile(r"\s+(?:is|are)\b", _I)
_WAY_BEFORE = re.compile(r"(?:the\s+)?way\s+", _I)
_WORKS_AFTER = re.compile(r"\s+works?\s+is\b", _I)
_WHICH_IS_AFTER = re.compile(
    r"(?:\s+(?:mechanism|model|network|approach|method|technique|layer|task|problem))?"
    r"\s*,\s*which\s+is\s+(?:essentially|basically|simply|an?|the)\b",
    _I,
)
_APPOSITIVE_AFTER = re.compile(
    r"\s*,\s*(?:an?|the)\s+(?:\w+\s+)?(?:method|technique|algorithm|model|way|process|approach|function|"
    r"network|layer|metric|measure|procedure|architecture|library|tool|framework|"
    # what it is a part or kind of: "statistical learning theory, the mathematical subfield of machine learning"
    r"(?:sub)?field|branch|discipline|family|class|variant|quantity|distribution|operation|operator|"
    r"transformation|statistic|estimator|criterion|objective)\s+(?:that|which|whose|for|of|to|used)\b",
    _I,
)
# "... we can use a parameter, **temperature**, that flattens the distribution"
_APPOSITIVE_BEFORE = re.compile(
    r"\b(?:an?|the)\s+(?:[\w-]+\s+)?(?:parameter|hyperparameter|method|technique|algorithm|model|approach|"
    r"function|metric|measure|procedure|architecture|library|tool|framework|network|layer|trick|quantity)\s*,\s*$",
    _I,
)
_THAT_AFTER = re.compile(r"\s*,\s*(?:that|which)\b", _I)
_DASH_AFTER = re.compile(r"(?:\s+[-–—]\s+|\s*[–—]\s*)(?:creating|building|representing|an?|the)\b", _I)
# the other name, with what it is after it: "The test group (or treatment group) is a group of ..."
_OTHER_NAME_BEFORE = re.compile(r"\(\s*(?:or|also\s+called|also\s+known\s+as|aka)\s+(?:an?\s+|the\s+)?$", _I)
_OTHER_NAME_AFTER = re.compile(r"\s*\)\s+(?:is|are)\s+(?:an?|the|one)\b", _I)
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


_LEADS_BACK = re.compile(r"^\W*(?:(?:in\s+practice|in\s+short|again|here|now|so|thus|hence),?\s+)?"
                        r"(?:this|these|those|it|they|such|the\s+(?:latter|former|above))\b", re.IGNORECASE)


def _compose(sentences: list[str], m: _Match, following: list[Block], previous: str = "") -> str:
    """Definition text around a matched sentence: an anaphoric naming sentence ("This approach
    is called X") brings the sentence before it; a short sentence brings the next one; a last
    sentence ending in ':' brings the list after it, and one that ends in ':' or in mid-phrase ("...
    to be") the display formula after it. At most 3 sentences, MAX_DEFINITION chars."""
    i = m.sentence
    parts = [sentences[i]]
    before = sentences[i - 1] if i > 0 else previous
    if m.strength == 2 and i == 0 and _display_end(before) and _POINTS_AT_FORMULA.search(sentences[i]):
        # "$$price = w_area * area + w_age * age + b.$$ Here ... $b$ is called a bias": the formula it names a part of
        formula = before[before.rindex("$$", 0, len(before) - 2):]
        lead = before[: len(before) - len(formula)].strip()
        if len(formula) + len(sentences[i]) < MAX_DEFINITION:
            if lead and not _ANNOUNCES.match(lead) and len(lead) + len(formula) + len(sentences[i]) < MAX_DEFINITION:
                return _fit([lead + " " + formula, sentences[i]])
            return _fit([formula, sentences[i]])
    if m.strength == 2 and _ANAPHOR.search(sentences[i]):
        if not before or _mathy(before):
            if re.match(r"^\W*(?:this|these|such|that|those|it)\b", sentences[i], re.IGNORECASE):
                return ""  # "This algorithm is called X" with nothing to say what "this" is
        elif not _ANNOUNCES.match(before):  # "In this section, we will ...": nothing "this strategy" could point to
            parts.insert(0, before[:-1] + "." if before.endswith(":") else before)
            # "In practice this works quite well. It is what is commonly referred to as ...": the
            # sentence brought in points back too, so the one before it comes as well
            earlier = sentences[i - 2] if i > 1 else ""
            if (earlier and _LEADS_BACK.match(before) and not _mathy(earlier) and not _ANNOUNCES.match(earlier)
                    and not earlier.endswith("?") and len(earlier) + sum(len(p) + 1 for p in parts) <= MAX_DEFINITION):
                parts.insert(0, earlier[:-1] + "." if earlier.endswith(":") else earlier)
    last, keep = i, len(parts)  # a naming sentence is cut rather than left out after what it names
    if not parts[-1].endswith(":") and sum(len(p.split()) for p in parts) < 15 and i + 1 < len(sentences):
        parts.append(sentences[i + 1])
        last = i + 1
    if last == len(sentences) - 1 and _with_formula(parts, following):
        return _fit(parts, keep)  # "... by a leaky average:" / "we define the standard deviation to be" + the formula
    if parts[-1].endswith(":"):
        items: list[str] = []
        if last == len(sentences) - 1:
            for b in following:
                if b.kind == "html" and not items:
                    continue
                if b.kind != "list_item":
                    break
                items.append(TRAIL_PUNCT.sub("", b.text))
                if len(items) == 3:
                    break
        parts[-1] = parts[-1] + " " + "; ".join(items) + "." if items else parts[-1][:-1] + "."
    return _fit(parts, keep)


def _display_end(text: str) -> bool:
    """Whether ``text`` ends in a display formula ($$...$$)."""
    t = text.rstrip()
    return t.endswith("$$") and t.count("$$") >= 2 and t.count("$$") % 2 == 0


# a sentence about the symbols of the formula before it: "Here $b$ is called a bias", "This is called ..."
_POINTS_AT_FORMULA = re.compile(r"^\W*(?:here|where|this|these|such|the\s+above)\b|\$", re.IGNORECASE)


def after_formula(sentences_before: list[str], block_sentences: list[str]) -> str:
    """What a sentence right after block ``block_sentences`` points back to: the block's last
    sentence, or, when the block is a display formula, the sentence before it and the formula."""
    last = block_sentences[-1] if block_sentences else ""
    if len(block_sentences) == 1 and last.startswith("$$") and _display_end(last) and sentences_before:
        return sentences_before[-1] + " " + last
    return last


def _with_formula(parts: list[str], following: Iterable[Block]) -> bool:
    """Append to the last of ``parts`` the display formula that comes right after it, whole, when
    that sentence leads into one (ends in ':' or mid-phrase) and it fits; whether it did."""
    if not parts or not (parts[-1].endswith(":") or parts[-1][-1:].isalnum()):
        return False
    b = next((b for b in following if b.kind != "html"), None)
    math = b.text.strip() if b is not None else ""
    if not (math.startswith("$$") and math.endswith("$$") and math.count("$$") == 2):
        return False
    if len(" ".join(parts)) + len(math) >= MAX_DEFINITION:
        return False
    parts[-1] = parts[-1] + " " + math
    return True


# a sentence that announces what the lesson does ("In this section, we will begin by ...")
_ANNOUNCES = re.compile(r"^\W*in\s+(?:this|the\s+(?:next|following|previous|last))\s+(?:section|chapter|lesson|notebook|unit|"
                        r"module|part)\b", re.IGNORECASE)


def mention_text(sentences: list[str], i: int, following: list[Block] = ()) -> str:
    """A definition from a sentence that only uses a term: the sentence (with the next one when it
    is short), and the sentence before it when it points back ("these models", "the above
    reasoning", "This can lead to ...")."""
    parts = sentences[i:i + (1 if len(sentences[i].split()) >= 12 else 2)]
    if i > 0 and _ANAPHOR.search(sentences[i]) and not _mathy(sentences[i - 1]) and not _ANNOUNCES.match(sentences[i - 1]):
        before = sentences[i - 1]
        before = before[:-1] + "." if before.endswith(":") else before
        if len(" ".join([before, *parts])) <= MAX_DEFINITION:  # never at the cost of the sentence itself
            parts.insert(0, before)
    if i + len(parts) >= len(sentences):
        _with_formula(parts, following)  # "... replace the gradient by a leaky average:" + its formula
    return _fit(parts)


# a sentence about the text rather than the subject: it announces, asks, or points elsewhere
# ("Below, we introduce ...", "Let's see how ...", "We can derive X as follows.", "... but what if ...?")
_META = re.compile(
    r"\?\s*$|\?\s+(?=[A-Z])|\bas\s+follows\W*$|"
    r"^\W*(?:below|next|now|here|let(?:'s|\s+us)|to\s+(?:begin|start|demonstrate|illustrate|implement|accelerate)|"
    r"for\s+(?:example|instance)|e\.g\.|consider|imagine|suppose|assume|in\s+(?:this|the\s+(?:next|following|previous|"
    r"last))\s+(?:section|chapter|lesson|notebook|unit|module|part)|(?:we|I)\s+(?:will|shall|'ll|are\s+going\s+to|now|"
    r"next|first|then|start|begin|continue|turn|introduce|discuss|present|review|focus|proceed|revisit|(?:can|could)\s+"
    r"(?:now\s+)?(?:derive|see|show|visuali[sz]e|implement|use|apply|evaluate|compare|start|begin)))\b",
    re.IGNORECASE,
)


def is_meta(sentence: str) -> bool:
    """A sentence that talks about the lesson (announces, asks, gives an example setting) rather
    than saying what something is; such a sentence never serves as a definition."""
    return _META.search(sentence) is not None


def _mathy(sentence: str) -> bool:
    """A formula rather than prose (few letters, or few real words)."""
    letters = sum(c.isalpha() for c in sentence)
    wordish = len(re.findall(r"\b[a-zA-Z]{3,}\b", sentence))
    return letters < 0.6 * len(sentence.replace(" ", "")) or wordish < 4


def _fit(parts: list[str], keep: int = 1) -> str:
    """``parts`` joined, the last ones left out (but never the first ``keep``), then cut, to fit MAX_DEFINITION."""
    parts = [p.strip() for p in parts if p.strip()][:3]
    text = " ".join(parts)
    while len(text) > MAX_DEFINITION and len(parts) > max(1, keep):
        parts.pop()
        text = " ".join(parts)
    if len(text) > MAX_DEFINITION:
        cut = text[: MAX_DEFINITION - 1].rsplit(" ", 1)[0]
        text = cut.rstrip(",;:") + "…"
    text = re.sub(r"^\W*?(?=[\w\"“(]|\$\$?\\?\w)", "", text, count=1)  # leading emoji/✅/quote marks (not a formula's "$$\")
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    return text.strip()


_GLOSS_SEP = re.compile(
    r"^\s*(?:\([^)]{0,60}\)\s*)?(?:(?:--|–|—|:|-)\s+|,\s*(?:where|which|when|in which|i\.e\.|that|whose|"
    r"also|or)\b|,\s+|\s+(?:is|are|refers?\s+to|means?|corresponds?\s+to|computes?|measures?|allows?|"
    r"takes?|uses?|contains?|represents?|divides?|transforms?|extracts?|only|can|has|have|does|determines?|"
    r"orchestrates?|also)\b|\.\s+(?=[A-Z]))",
    re.UNICODE,
)
_PLAIN_GLOSS = re.compile(r"^([A-Z][\w\-/ ]{1,40}?)\s+(?:--|–|—|:)\s+(\S.{14,})$")


def _gloss_after(text: str, term: str, others: Iterable[str] = ()) -> str | None:
    """The explanation after a glossary term at the start of a block, or None (also when the
    "explanation" starts with another emphasised term: an enumeration, not a gloss)."""
    m = re.match(r"^[^\w]*(?:(?:an?|the|some)\s+)?" + re.escape(term), text, re.IGNORECASE)
    if not m:
        return None
    rest = text[m.end():]
    for other in others:  # "**Many-to-many**, or **sequence-to-sequence** corresponds to ..."
        alt = re.match(r"^\s*,?\s*(?:or|also\s+called|also\s+known\s+as|aka)\s+" + re.escape(other) + r"\b", rest, re.I)
        if alt and clean_term(other).lower() != term.lower():
            rest = rest[alt.end():]
            break
    sep = _GLOSS_SEP.match(rest)
    if not sep:
        return None
    if sep.group(0).lstrip().startswith(".") and len(term.split()) > 3:
        return None
    explanation = rest[sep.end():]
    if len(explanation.split()) < 4:
        return None
    head = " ".join(explanation.split()[:3]).lower()
    if any(o and o.lower() != term.lower() and head.startswith(o.lower().split()[0]) for o in others):
        return None
    return explanation

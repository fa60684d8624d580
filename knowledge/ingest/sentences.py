"""Sentences and the definitions in them: splitting text into sentences
(:func:`split_sentences`), the spellings of a term (:func:`variants_of`) and a regex for them,
finding the sentence that defines or names a term (:func:`_find_definition`, in :mod:`.naming`), composing a
definition of at most :data:`MAX_DEFINITION` characters around it (:func:`_compose`,
:func:`_fit`) and reading glossary items (:func:`_gloss_after`)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from .document import Block, one_line
from .terms import TRAIL_PUNCT, clean_term, initials, is_acronym, plural, singular
from .naming import _ANAPHOR, _SUBJ_AFTER, _find_definition, _Match, _occurrence_regex  # noqa: F401  (re-exported)

MAX_DEFINITION = 400


# ---------------------------------------------------------------------------------------------
# sentences

_ABBREV = re.compile(
    r"\b(?:e\.g|i\.e|eg|ie|etc|vs|cf|al|approx|fig|figs|eq|dr|mr|mrs|ms|st|no|vol|resp|incl|ca)\.$", re.IGNORECASE
)
# (a display formula that ends its sentence ends it too: "... = 1 - \\alpha.$$ It is also referred to as ...")
_SENT_END = re.compile(r"(?:(?<=[.!?])[\"'”’)\]]*|(?<=[.!?]\$\$))\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def ends_with_abbreviation(text: str) -> bool:
    """Whether ``text`` ends in an abbreviation's period ("e.g.", "i.e.", "vs."), not a sentence's."""
    return bool(_ABBREV.search(text.rstrip()))


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
    """Regex for any of the spellings: words may be joined by spaces, hyphens or en dashes, a plural
    ``s``/``es`` may follow; acronyms (``CNN``) match case-sensitively."""
    alts = sorted({v for v in variants if v}, key=len, reverse=True)
    parts = []
    for v in alts:
        toks = [re.escape(t) for t in re.split(r"[\s\-–]+", v) if t]
        if not toks:
            continue
        body = r"[\s\-–]+".join(toks) + r"(?:e?s)?"  # "key–value store" = "key--value store"
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
            elif (p := plural(s)) != s and not is_acronym(ws[-1]):  # "Symmetric matrix" is met as "symmetric matrices"
                out.append(" ".join(ws[:-1] + [p]))
        if re.search(r"\bneural networks?\b", t, re.IGNORECASE) and len(ws) > 2:
            out.append(re.sub(r"\s+neural\s+", " ", t, flags=re.IGNORECASE))
        if not is_acronym(t) and len(re.split(r"[\s\-]+", t)) >= 2:
            out += [ini.upper() for ini in initials(t) if len(ini) >= 2]
        if re.search(r"modell?ing", t, re.IGNORECASE):  # British and American spelling
            out += [re.sub(r"modeling", "modelling", t, flags=re.I), re.sub(r"modelling", "modeling", t, flags=re.I)]
    return list(dict.fromkeys(out))


def names_concept(text: str, title: str, aliases: Iterable[str] = ()) -> bool:
    """Whether ``text`` names a concept by its title or an alias, in any of their written forms
    (plural, hyphen or space, spelling: :func:`variants_of`)."""
    return _occurrence_regex(_term_pattern(variants_of(title, aliases))).search(text) is not None


_LEADS_BACK = re.compile(r"^\W*(?:(?:in\s+practice|in\s+short|again|here|now|so|thus|hence),?\s+)?"
                        r"(?:this|these|those|it|they|such|the\s+(?:latter|former|above)|"
                        r"(?:in|for|with|under)\s+(?:such|these|those|this)\s+\w+)\b", re.IGNORECASE)


PRONOUN_NAMED = re.compile(r"\b(?:it|this|they|these|that)\s+(?:is|are|was|were)\s+(?:(?:\w+ly|also|thus|sometimes|often|then|now)\s+)*"
                           r"(?:called|known|named|termed|referred)\b", re.IGNORECASE)  # "..., it is also called X"


# a sentence that ends by naming a term ("... the notion of layer normalization."), and one that
# goes on about it ("It works just like ...", not "It is worth noting ...")
_NAMES_AT_END = re.compile(r"\b(?:call(?:ed|s)?|named|termed|dubbed|known\s+as|referred\s+to\s+as|notion\s+of|concept\s+of|"
                           r"idea\s+of)\s+[^,;:.]{1,60}(?:,\s+or\s+[^,;:.]{1,12})?[.!]$", re.IGNORECASE)
_GOES_ON = re.compile(r"^(?:(?:in\s+a\s+nutshell|in\s+short|simply\s+put|put\s+simply|in\s+other\s+words|intuitively|"
                      r"formally|roughly\s+speaking),?\s+)?(?:it|they)\s+(?!(?:will|would|may|might|can|could|should|must)\b)(?!(?:is|are|was|were)\s+(?:worth|important|easy|hard|not|also\s+called|called|"
                      r"known|named|possible|clear|common|often|sometimes|natural|interesting|tempting)\b)(?:\w+\s+){0,2}\w+",
                      re.IGNORECASE)


def _names_again(sentence: str, pat: str) -> bool:
    """Whether a sentence after a naming one goes on about the term: names it within its first
    words, and is no question, announcement or pointer elsewhere."""
    occ = _occurrence_regex(pat).search(sentence)
    return (occ is not None and len(sentence[: occ.start()].split()) <= 3 and not sentence.endswith("?")
            and not _ANNOUNCES.match(sentence) and not _LEADS_BACK.match(sentence))


def _compose(sentences: list[str], m: _Match, following: list[Block], previous: str = "", pat: str = "") -> str:
    """Definition text around a matched sentence: an anaphoric naming sentence ("This approach
    is called X") brings the sentence before it; a naming sentence that ends with the name brings
    the next one when it goes on about it ("It works ...", or names the term ``pat`` again: "...
    which is called a recurrent neural network, or RNN. In RNN, we pass ..."); a short sentence brings the next one; a last
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
    # ("Because it allows us to navigate from one state to another, it is also called dynamic knowledge":
    # the sentences before say what "it" is)
    if m.strength == 2 and (_ANAPHOR.search(sentences[i]) or PRONOUN_NAMED.search(sentences[i])) \
            and not SELF_DESCRIBED.match(sentences[i]):
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
    if m.strength == 2 and i + 1 < len(sentences) and _NAMES_AT_END.search(sentences[i]) and (
            _GOES_ON.match(sentences[i + 1]) or (pat and _names_again(sentences[i + 1], pat))):
        # "... led Ba et al. to introduce the notion of layer normalization. It works just like a
        # batch norm, only that it is applied to one observation at a time.": what it is comes next
        parts.append(sentences[i + 1])
        last = i + 1
    elif not parts[-1].endswith(":") and sum(len(p.split()) for p in parts) < 15 and _next_goes_on(sentences, i):
        parts.append(sentences[i + 1])
        last = i + 1
    if last == len(sentences) - 1 and _INTO_LIST.search(parts[-1]) and any(b.kind == "list_item" for b in following[:2]):
        parts[-1] = parts[-1].rstrip()[:-1] + ":"  # "The idea of X is the following." + the numbered steps
    if last == len(sentences) - 1 and _with_formula(parts, following):
        return _fit(parts, keep)  # "... by a leaky average:" / "we define the standard deviation to be" + the formula
    if parts[-1].endswith(":"):
        parts = with_list(parts, following if last == len(sentences) - 1 else [])
    return _fit(parts, keep)


def with_list(parts: list[str], following: list[Block]) -> list[str]:
    """``parts`` whose last one ends in ':' completed by the list items right after it (three at
    most: "An agent is a software entity that: communicates via messages; maintains its own state;
    ..."), or with its colon made a full stop when no list follows."""
    if not parts or not parts[-1].endswith(":"):
        return parts
    items: list[str] = []
    for b in following:
        if b.kind == "html" and not items:
            continue
        if b.kind != "list_item":
            break
        items.append(TRAIL_PUNCT.sub("", b.text))
        if len(items) == 3:
            break
    return parts[:-1] + [parts[-1] + " " + "; ".join(items) + "." if items else parts[-1][:-1] + "."]


# a pointing subject that says itself what it points at: "This operation of getting the most important
# element in the feature map is called pooling" needs no sentence before it
# (a verb in -ing with its object: not "This kind of learning is called ...")
SELF_DESCRIBED = re.compile(r"^\W*(?:this|these|the)\s+(?:[\w-]+\s+)?[\w-]+\s+of\s+[\w-]+ing\s+"
                             r"(?:the|an?|each|every|all|its|their|our|these|those|one|two)\s", re.IGNORECASE)


_INTO_LIST = re.compile(r"\b(?:the\s+following|as\s+follows)\s*\.$", re.IGNORECASE)


def _display_end(text: str) -> bool:
    """Whether ``text`` ends in a display formula ($$...$$)."""
    t = text.rstrip()
    return t.endswith("$$") and t.count("$$") >= 2 and t.count("$$") % 2 == 0


# a sentence about the symbols of the formula before it: "Here $b$ is called a bias", "This is called ..."
# (or names it: "the loss function in the equation is commonly called the cross-entropy loss")
# (or has the formula for its subject: "... the sum of rewards after a point, $$...$$ is called the reward-to-go")
_POINTS_AT_FORMULA = re.compile(r"^\W*(?:here|where|this|these|such|the\s+above)\b|^(?-i:is|are)\s|\$|"
                                r"\bthe\s+(?:above\s+)?(?:equation|formula|expression)\b(?!\s+(?:of|for)\b)", re.IGNORECASE)


def after_formula(sentences_before: list[str], block_sentences: list[str]) -> str:
    """What a sentence right after block ``block_sentences`` points back to: the block's last
    sentence, or, when the block is a display formula, the sentence before it and the formula."""
    last = block_sentences[-1] if block_sentences else ""
    if len(block_sentences) == 1 and last.startswith("$$") and _display_end(last) and sentences_before:
        return sentences_before[-1] + " " + last
    return last


def _with_formula(parts: list[str], following: Iterable[Block]) -> bool:
    """Append to the last of ``parts`` the display formula that comes right after it, whole, when
    that sentence leads into one (ends in ':', ',' or mid-phrase) and it fits; whether it did."""
    if not parts or not (parts[-1].endswith((":", ",")) or parts[-1][-1:].isalnum()):
        return False
    b = next((b for b in following if b.kind != "html"), None)
    math = b.text.strip() if b is not None else ""
    if not (math.startswith("$$") and math.endswith("$$") and math.count("$$") == 2):
        return False
    if len(" ".join(parts)) + len(math) >= MAX_DEFINITION:
        return False
    parts[-1] = parts[-1] + " " + math
    return True


# a sentence about the text itself, not its subject: "So far our discussion was quite abstract", "We have not
# explained yet where ... arise from", "Our treatment so far ..." (general English of textbooks)
_ABOUT_THE_TEXT = re.compile(r"^\W*(?:(?:so\s+far|thus\s+far|until\s+now|up\s+to\s+now|to\s+this\s+point),?\s+"
                             r"(?:our|the|this)\s+(?:discussion|treatment|presentation|exposition|description|analysis)\b|"
                             r"(?:our|this)\s+(?:discussion|treatment|presentation|exposition)\s+(?:so\s+far|thus\s+far|until\s+now)\b|"
                             r"we\s+(?:have\s+not|haven't|did\s+not|didn't)\s+(?:yet\s+)?(?:explained|discussed|covered|said|shown)\b)",
                             re.IGNORECASE)
def _next_goes_on(sentences: list[str], i: int) -> bool:
    """Whether there is a sentence after ``sentences[i]`` that a short definition may bring: not
    one about the text itself (:data:`_ABOUT_THE_TEXT`)."""
    return i + 1 < len(sentences) and not _ABOUT_THE_TEXT.match(sentences[i + 1])


# a sentence that announces what the lesson does ("In this section, we will begin by ...")
_ANNOUNCES = re.compile(r"^\W*in\s+(?:this|the\s+(?:next|following|previous|last))\s+(?:section|chapter|lesson|notebook|unit|"
                        r"module|part)\b", re.IGNORECASE)


def mention_text(sentences: list[str], i: int, following: list[Block] = (), previous: str = "") -> str:
    """A definition from a sentence that only uses a term: the sentence (with the next one when it
    is short), and the sentence before it when it points back ("these models", "the above
    reasoning", "This can lead to ..."); a paragraph's first sentence going on in lower case after
    a display formula ("with $\\pi^*$ being the optimal policy.") comes with the words leading into
    the formula and the formula (``previous``, :func:`after_formula`)."""
    parts = sentences[i:i + (2 if len(sentences[i].split()) < 12 and _next_goes_on(sentences, i) else 1)]
    if (i == 0 and sentences[0][:1].islower() and _display_end(previous) and not _ANNOUNCES.match(previous)
            and len(previous) + len(parts[0]) < MAX_DEFINITION):
        parts[0] = previous + " " + parts[0]
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
    r"^\W*(?:below|(?:up\s+)?next|now|here|let(?:'s|\s+us)|to\s+(?:begin|start|demonstrate|illustrate|implement|accelerate)|"
    r"for\s+(?:example|instance)|e\.g\.|consider|imagine|suppose|assume|in\s+(?:this|the\s+(?:next|following|previous|"
    r"last))\s+(?:section|chapter|lesson|notebook|unit|module|part)|(?:we|I)\s+(?:will|shall|'ll|are\s+going\s+to|now|"
    r"next|first|then|start|begin|continue|turn|introduce|discuss|present|review|focus|proceed|revisit|talk\s+about|"
    r"(?:can|could)\s+"
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
    if POINTER.match(explanation):
        return None  # "**Deep Dive**: For more advanced techniques, explore the ... documentation": a pointer
    return explanation


# what sends the reader elsewhere rather than saying what something is: "For more details, see
# ...", "Check out ...", "Learn more in ...", "Before starting, you might want to review ..."
POINTER = re.compile(
    r"^\W*(?:for\s+(?:more|further|additional|detailed|comprehensive|advanced|a\s+deeper|an?\s+in-depth|details)\b|"
    r"check\s+out\b|see\s+(?:also|the|our|this|these|how|more|here|\[)|learn\s+(?:more|everything|about|how)\b|"
    r"explore\s+(?:the|our|more|these|how)\b|read\s+(?:more|the|about|our)\b|refer\s+to\b|visit\b|"
    r"(?:take|have)\s+a\s+look\b|before\s+(?:starting|diving|you\s+(?:start|begin|dive))\b|find\s+out\s+more\b|"
    r"head\s+(?:over|to)\b|dive\s+deeper\b)",
    re.IGNORECASE,
)

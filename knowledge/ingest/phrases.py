"""English phrase shapes a term can take, from general-language resources only: an emphasised
adjective names the phrase it starts ("*linear* convergence"), and a heading's bracket may name
one model of the kind the heading names ("Convolutional Neural Networks (LeNet)") rather than
abbreviate it ("Gated Recurrent Units (GRU)"); a phrase a step names as a label on screen ("the
**Create sensor** box") is none."""

from __future__ import annotations

import re

from .lexicon import inflected_verb, is_function_word, modifier_only, word_classes
from .terms import acronym_key, initials, is_acronym

_WORD = r"([A-Za-z][\w'’-]*)"
_DETERMINERS = frozenset("a an the this that these those its their our your his her each every all both some "
                         "no two three several many".split())  # what opens a verb's object
_FOLLOWING_WORDS = re.compile(rf"\s+{_WORD}(?:\s+{_WORD})?(?:\s+{_WORD})?")  # up to three words after a term


def name_words_after(text: str, end: int) -> list[str]:
    """The words after position ``end`` of ``text`` that finish a name begun before it: up to
    three, up to a function word or a verb with its object ("encryption uses 2 keys"), ending on
    a word that can be a noun ("gradient methods", not "gradient is")."""
    after = _FOLLOWING_WORDS.match(text, end)
    if not after:
        return []
    words = read = [w for w in after.groups() if w]
    words = words[: next((i for i, w in enumerate(words) if is_function_word(w)), len(words))]
    beyond = re.match(r"\s*([\w'’-]+)", text[after.end():])
    for i in range(1, len(words)):
        # "*Asymmetric* encryption uses 2 keys": a verb with its object after it ends the name
        nxt = read[i + 1] if i + 1 < len(read) else beyond.group(1) if beyond else ""
        if "VERB" in word_classes(words[i].lower()) and words[i].endswith("s") and (
                nxt.lower() in _DETERMINERS or nxt[:1].isdigit()):
            words = words[:i]
            break
    while words and modifier_only(words[-1]):
        words.pop()
    return words


def complete_modifier(term: str, text: str, adjective: bool = False) -> str:
    """An emphasised word English knows only as an adjective or verb names the phrase it starts:
    "we call this *linear* convergence" → "linear convergence", "*accelerated* gradient methods"
    → "accelerated gradient methods" (up to three following words, ending on a word that can be a
    noun; no function word). ``term`` itself when it is no lone modifier or nothing completes it.
    ``adjective``: only an adjective that is no verb form ("bidirectional", not "computed")."""
    if " " in term or is_acronym(term) or not modifier_only(term):
        return term
    if adjective and not ("ADJ" in word_classes(term) and "VERB" not in word_classes(term)):
        return term
    for m in re.finditer(r"(?<![\w-])" + re.escape(term) + r"(?![\w-])", text):
        words = name_words_after(text, m.end())
        if words:
            return " ".join([term, *words])
    return term


def names_instance(kind: str, name: str) -> bool:
    """Whether the bracket of a heading "<kind> (<name>)" names one model or tool of that kind
    rather than abbreviating it: one word spelt as a name ("LeNet", "GloVe", "word2vec", "VGG")
    whose letters are not the kind's initials ("Gated Recurrent Units (GRU)" abbreviates)."""
    if " " in name or not re.fullmatch(r"[A-Za-z][\w-]*", name):
        return False
    if not (re.search(r"[A-Z]", name[1:]) or re.search(r"\d", name)):
        return False
    key = acronym_key(name)
    if key in initials(kind) or (is_acronym(name) and key[:1] == kind[:1].lower()):
        return False
    return not _contracts(key, [w.lower() for w in re.findall(r"[A-Za-z]+", kind)])


def _contracts(key: str, words: list[str]) -> bool:
    """Whether ``key`` is made of the beginnings of some of ``words``, in order ("glove" from
    "global vectors", "densenet" from "densely connected networks")."""
    if not key:
        return True
    for i, w in enumerate(words):
        for n in range(min(len(w), len(key)), 1, -1):
            if key.startswith(w[:n]) and _contracts(key[n:], words[i + 1:]):
                return True
    return False


_INNER_ABBREVIATION = re.compile(r"^(?P<long>.+?)\s*\((?P<acr>[A-Za-z][A-Za-z0-9-]{1,9})\)\s+(?P<rest>[a-z][\w\s-]{1,40})$")


def inner_abbreviation(term: str) -> tuple[str, list[str]] | None:
    """A term with its abbreviation inside it, "region of interest (RoI) pooling": the term
    without the brackets and the short form ("region of interest pooling", ["RoI pooling"]),
    when the bracket spells the words before it; else None."""
    m = _INNER_ABBREVIATION.match(term)
    if not m or not is_acronym(m.group("acr")) or acronym_key(m.group("acr")) not in initials(m.group("long")):
        return None
    rest = " ".join(m.group("rest").split())
    return f"{m.group('long')} {rest}", [f"{m.group('acr')} {rest}"]


def stressed_predicate(term: str, text: str) -> bool:
    """Whether an emphasised phrase is what its sentence's subject does, not a name: its first word
    is a verb's -s form and a noun comes right before it ("the agent **gathers data directly**",
    "Pandas concatenation *preserves index*"), not a noun that happens to end in -s ("A **rules
    engine** ...", "Go to File → **Models Library**")."""
    words = term.split()
    at = text.find(term)
    if len(words) < 2 or at <= 0 or not words[0].islower() or not words[0].endswith("s"):
        return False
    if not inflected_verb(words[0]):
        return False  # not a verb's -s form ("class labels")
    before = re.search(r"([A-Za-z][\w-]*)\s+$", text[:at])
    return bool(before) and not is_function_word(before.group(1).lower()) and "NOUN" in word_classes(before.group(1).lower())


# a language's keyword set as code, then the kind of thing it makes: "``for`` loops", "``while`` Loops",
# "``lambda`` functions", "The ``with`` statement"
_KEYWORD_HEADING = re.compile(r"^(?:the\s+)?(?P<kw>[a-z_]+)\s+(?P<kind>(?:[a-z]+\s+)?[a-z]+)$", re.IGNORECASE)


def keyword_heading(heading: str, code: list[str]) -> tuple[str, list[str]] | None:
    """The term a heading names with a keyword written as code, or None: the keyword and a noun
    after it ("``for`` loops" → "for loops"; the keyword alone is often a word of English, "for",
    "with", so the plain heading tests refuse it); a name with the keyword inside ("Anonymous
    (``lambda``) Functions" → "Anonymous Functions", also "lambda functions" and "lambda"); or
    the keywords a described heading ends with ("Raising Exceptions: ``raise``" → "raise",
    "Catching Exceptions: ``try`` and ``except``" → "try and except", the description their alias)."""
    h = heading.strip()
    m = _KEYWORD_HEADING.match(h)
    if m and m.group("kw") in code and _a_kind(m.group("kind")):
        return f"{m.group('kw')} {m.group('kind')}", []
    m = _KEYWORD_INSIDE.match(h)
    if m and m.group("kw") in code and _a_kind(m.group("kind")):
        return f"{m.group('name')} {m.group('kind')}", [f"{m.group('kw')} {m.group('kind')}", m.group("kw")]
    m = _KEYWORDS_AFTER.match(h)
    if m:
        kws = re.split(r"\s+and\s+", m.group("kws"))
        if all(k in code for k in kws):
            return " and ".join(kws), [m.group("what")]
    return None


def _a_kind(kind: str) -> bool:
    """Whether ``kind`` ("loops", "functions") names a kind of thing: its last word a noun."""
    ws = kind.lower().split()
    return not any(map(is_function_word, ws)) and "NOUN" in word_classes(ws[-1].rstrip("s"))


# "Anonymous (``lambda``) Functions": a name, the keyword in brackets, the kind
_KEYWORD_INSIDE = re.compile(r"^(?P<name>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*)?)\s*\((?P<kw>[a-z_]+)\)\s+(?P<kind>[A-Za-z]+)$")
# "Raising Exceptions: ``raise``", "Catching Exceptions: ``try`` and ``except``": what the section does
# (two words or more), then the keyword, or two that work together
_KEYWORDS_AFTER = re.compile(r"^(?P<what>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*)+)\s*:\s*(?P<kws>[a-z]+(?:\s+and\s+[a-z]+)?)$")


# the widgets a step names by their label: "the **Create sensor** box", "select the **MANAGE** tab"
_WIDGET = r"(?:box|pane|button|menu|tab|field|dialog|window|checkbox|drop-?down|icon|panel|toolbar|blade|list|section|page)s?\b"


_CHOSEN = r"\b(?:select(?:s|ed|ing)?|click(?:s|ed|ing)?|press(?:es|ed|ing)?|tap(?:s|ped|ping)?|set\s+(?:the\s+\w+\s+)?to)"
_SCREEN_WORDS = re.compile(r"\b" + _WIDGET + "|" + _CHOSEN, re.IGNORECASE)


def ui_label(term: str, text: str) -> bool:
    """Whether ``text`` names ``term`` as the label of something on screen ("In the **Create
    sensor** box ...", "select the **Predictions** tab", "select **Save Changes**"): a step's
    instruction, not a term."""
    if not _SCREEN_WORDS.search(text):  # most text names nothing on screen: no per-term pattern
        return False
    t = re.escape(term)
    return bool(re.search(rf"{t}[*_`\"'”’]*\s+(?:{_WIDGET}|(?:is|are)\s+selected\b)"
                          rf"|{_CHOSEN}(?:\s+on)?(?:\s+the)?\s+[*_`\"'“‘]*{t}", text, re.IGNORECASE))

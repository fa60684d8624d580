"""Honest partial coverage: which parts of a question the course does not cover.

A question's parts are its topic phrases: the runs of words between function words, punctuation
the words of asking (knowledge/lexicons/question_words.txt: "explain", "derive", "python", ...)
and the commonest English words ("see", "get"). A part is covered when the course says it:
the phrase itself occurs in the course's text (concept names, definitions, passages, examples),
or every word of it that names something — rare in everyday English ("reparameterization"), or
written as a name ("Wasserstein", "AdamW") — occurs in the course (same stem). A part of everyday
words only ("detect motion") names no topic and is never reported. This misses a new compound
of known words ("group normalization" in a course that teaches both words): a wrong "the course
does not cover ..." costs a student more than a missed one. Nothing here knows any course: only general English and the course's own
text. (:func:`asked` is the question without what it sets aside, "instead of X": where its names are.)
"""

from __future__ import annotations

import re

from knowledge.ingest.lexicon import is_function_word, stem, word_classes, word_list, zipf

_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "this", "these", "those", "my", "our", "your", "each",
                          "every"})
VERY_COMMON_ZIPF = 5.5  # words this common ("see", "get", "make") end a part like function words
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9'’+-]*|[.,;:!?()\[\]\"“”]|\d+")


def _question_words() -> frozenset[str]:
    return word_list("question_words.txt")


def _whole_concept_words() -> frozenset[str]:
    return word_list("whole_concept_words.txt")


def _norm(word: str) -> str:
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def _breaks(word: str) -> bool:
    lw = word.lower()
    return (not word[0].isalnum() or is_function_word(lw) or lw in _question_words() or lw.isdigit()
            or (zipf(lw) >= VERY_COMMON_ZIPF and not word.isupper()))


# the languages and libraries students write code in (tutor/prompts.py: a code request names one)
TOOLS = r"(?:python|pytorch|tensorflow|numpy|pandas|jax|keras|scikit-learn|sklearn|matplotlib|seaborn|sql|r)"
# what a question sets aside, not what it asks about: "with Keras instead of PyTorch", "from scratch
# rather than fine-tuning one", "without a learning rate" (general English; up to a clause's end);
# and the language it is to be written in, at a clause's end: "when coding REINFORCE in PyTorch?" is about
# REINFORCE ("with PyTorch, and with Keras" may ask about both)
_SET_ASIDE = re.compile(r"\b(?:instead\s+of|rather\s+than|other\s+than|as\s+opposed\s+to|without)\s+"
                        r"(?:(?!\b(?:and|but|so|then|when|while|because|or)\b)[^,;:.?!()])*"
                        r"|\bin\s+(?:plain\s+)?" + TOOLS + r"(?=\s*(?:[,;:.?!()]|$))", re.IGNORECASE)


def asked(question: str) -> str:
    """The question without what it sets aside (:data:`_SET_ASIDE`), its shared heads spelled out
    (:func:`heads_spelled_out`): where the names it asks about are (retrieval spots names in
    this; the words set aside still count as words)."""
    return heads_spelled_out(_SET_ASIDE.sub(" , ", question))


# two modifiers sharing one head noun: "explicit and implicit feedback", "max or average pooling"
_SHARED_HEAD = re.compile(r"\b([A-Za-z][\w-]*)(\s+(?:and|or)\s+)([A-Za-z][\w-]*)\s+([A-Za-z][\w-]*)\b")


def heads_spelled_out(question: str) -> str:
    """``question`` with each head two modifiers share written after the first as well ("explicit
    and implicit feedback" → "explicit feedback and implicit feedback"), so both names are in it
    (general English; no word is removed, so every name already in it stays)."""
    def spell(m: re.Match) -> str:
        a, join, b, head = m.groups()
        if any(is_function_word(w.lower()) or w.lower() in _question_words() for w in (a, b, head)):
            return m.group(0)
        return f"{a} {head}{join}{b} {head}"

    return _SHARED_HEAD.sub(spell, question)


def parts(question: str) -> list[str]:
    """The topic phrases of a question, in order."""
    out: list[str] = []
    run: list[str] = []
    for tok in [*_TOKEN.findall(question), "."]:
        if _breaks(tok):
            if run and tok.lower() in _DETERMINERS and len(run) > 1 and "VERB" in word_classes(run[-1].lower()):
                run.pop()  # "perceptrons shrink the input": the verb of the clause is no part of a topic
            if run:
                out.append(" ".join(run))
            run = []
        else:
            run.append(tok)
    return list(dict.fromkeys(out))


# "what's", "don't", "can't": the word before the contraction is what asks
_CONTRACTION = re.compile(r"(?:'s|n't|'re|'ve|'ll|'d|'m)$")
_IRREGULAR_NOT = {"can't": "can", "won't": "will", "shan't": "shall"}
# the function words that ask about one side of a concept, not what it is ("why", "when", "where")
_ASPECT_FUNCTION_WORDS = frozenset({"why", "when", "where", "which", "whether", "than"})


def _plain_word(tok: str) -> str:
    """A question's word, lower case, without a contraction ("what's" → "what", "can't" → "can")."""
    w = tok.lower().replace("’", "'")
    return _CONTRACTION.sub("", _IRREGULAR_NOT.get(w, w))


def _asks_whole(word: str) -> bool:
    """A word of asking for a concept as a whole: a function word or one of whole_concept_words.txt."""
    return word not in _ASPECT_FUNCTION_WORDS and (is_function_word(word) or word in _whole_concept_words()
                                                  or _norm(word) in _whole_concept_words())


# "What is X in a GAN?", "What's X in PyTorch?": what X is, in the setting where the student met it
_IN_SETTING = re.compile(r"^(?P<q>\W*what(?:'s|’s|\s+(?:is|are))\s+\S.*?)\s+(?:in|within)\s+(?:an?\s+|the\s+)?"
                         r"[\w-]+(?:\s+[\w-]+){0,2}\s*\?\s*$", re.IGNORECASE)


def asks_what_it_is(question: str, names: list[str]) -> bool:
    """Whether ``question`` asks only what the concept called ``names`` is: every topic phrase of
    it, once its words of asking are set aside, names the concept (its words among a name's, or a
    name's among its and one more: "LSTM network"), and every other word is a function word or a
    word of asking for the whole concept (knowledge/lexicons/whole_concept_words.txt: "What's X?",
    "Explain X and give a python example"). "How does X learn?", "Why does X help?", "X vs Y" ask
    about more than what it is."""
    setting = _IN_SETTING.match(question)
    if setting and asks_what_it_is(setting.group("q") + "?", names):
        return True  # "What is mode collapse in a GAN?": what it is, where it comes up
    own = [{_stem(w) for w in n.replace("-", " ").split()} for n in names if n.strip()]
    topics = [[w for w in part.split() if not _asks_whole(_plain_word(w))] for part in parts(asked(question))]
    topics = [t for t in topics if t]
    if not topics or not own:
        return False
    for part in topics:
        words = {_stem(w) for w in " ".join(part).replace("-", " ").split()}
        if not any(words <= name or (name <= words and len(words - name) <= 1) for name in own):
            return False
    in_parts = {w.lower() for part in topics for w in part}
    return all(not tok[0].isalnum() or tok.lower() in in_parts or (not tok.isdigit() and _asks_whole(_plain_word(tok)))
               for tok in _TOKEN.findall(question))


KEY_ZIPF = 4.0  # a word of a phrase rarer than this in everyday English ("rotary position embeddings") names a topic
# a word standing alone must be rarer ("reparameterization", "entropy"): "shrink", "downside" alone are
# more often said in passing than asked about
LONE_KEY_ZIPF = 3.3


def _stem(word: str) -> str:
    return stem(_norm(word))


def key_words(part: str) -> list[str]:
    """The words of a part that name something: rare in everyday English, or written as a name
    (an acronym, a capital inside the question, a digit)."""
    words = part.split()
    rare = KEY_ZIPF if len(words) > 1 else LONE_KEY_ZIPF
    return [w for w in words if max(zipf(w.lower().replace("’", "'")), zipf(_norm(w))) < rare
            or (len(w) > 1 and w.isupper())
            or w[0].isupper() or any(ch.isdigit() for ch in w)]


class CourseText:
    """The course's words, for asking whether it covers a phrase."""

    def __init__(self, texts: list[str]) -> None:
        words = [_norm(w) for t in texts for w in re.findall(r"[A-Za-z][A-Za-z0-9'’+-]*", t)]
        self.counts: dict[str, int] = {}
        for w in words:  # a range or compound written with a hyphen says each of its words too ("wk1-wk76")
            for x in {w, *(_norm(p) for p in re.split(r"[-+]", w) if p and p != w)}:
                self.counts[x] = self.counts.get(x, 0) + 1
        self.stems = {_stem(w) for w in self.counts}
        self.blob = " " + " ".join(words) + " "

    def has(self, word: str) -> bool:
        """The word, or a word of the same stem, occurs in the course; a hyphenated word counts
        when it or all its pieces do ("encoder-decoder")."""
        if _norm(word) in self.counts or _stem(word) in self.stems:
            return True
        pieces = [p for p in re.split(r"[-+]", word) if p]
        return len(pieces) > 1 and all(self.has(p) for p in pieces)

    def covers(self, part: str) -> bool:
        """A part that names nothing (no rare or name-like word) is no topic; otherwise every
        word that names something must occur in the course."""
        if f" {' '.join(_norm(w) for w in part.split())} " in self.blob:
            return True
        return all(self.has(w) for w in key_words(part))

    def uncovered(self, question: str) -> list[str]:
        return [p for p in parts(question) if not self.covers(p)]


def course_texts(kb) -> list[str]:
    """Everything the knowledge base holds in the course's words."""
    out = []
    for c in kb.concepts().values():
        out += [c.title, *c.aliases, c.definition, c.context, *(e.text for e in c.examples)]
    out += [p.text for p in kb.store.all_passages()]
    return out

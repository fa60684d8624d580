"""No sentence the course does not support: each sentence the model writes is checked against
the notes it was given (the numbered facts, the main concept's definition, the question) before
the student sees it; unsupported sentences are dropped and kept aside with the reason.

What "supported" means here (no entailment model ships in any package this project can install
offline, so cheap, explainable signals):

* **names and numbers** — every number, and every name (a capitalised word inside the sentence,
  an acronym, a word with a digit) must occur in the notes or the question: a small model's
  inventions are often new names;
* **the prompt played back** — a sentence using the prompt's words for the conversation
  ("student", "notes", "cite": :data:`tutor.prompts.ROLE_WORDS`) that the notes and question do
  not use talks about the prompt, not the topic;
* **words that come together** — the share of the sentence's content words (function words and
  the most common English words, by :mod:`wordfreq` frequency, left out; Snowball stems compared)
  found in the notes or the question, and the share of its neighbouring content-word pairs that
  one note sentence has both of: a wrong relation made of the notes' words ("U-Net uses skip
  connections to extract patterns") pairs words that no note sentence puts together;
* **a garbled copy** (the bundled model's profile, which shows only a note's sentence as the
  course wrote it, standing alone: see ``PARAPHRASE_RULES``) — a copy that repeats a word no note sentence repeats ("translation
  equivariance (or translation equivariance)"), frames a note's sentence with a lead-in of the
  model's own ("So, the next part of the sentence is: ...", "Premise: \"...\""), or calls a concept a
  kind of itself ("CBoW is a type of Continuous bag-of-words (CBoW) ...");
* **meaning** — the cosine similarity of the sentence to its closest note sentence, with the
  embedder the knowledge base already loads: a near-paraphrase of one note is shown.

A sentence is shown when it names nothing new and does not play the prompt back, and either half
its content words come from the notes with nearly all their pairs found together in one note
sentence, or it is a near-paraphrase of a note sentence. Thresholds are in :class:`SupportRules`,
tuned on one half of a hand-judged sample and reported on the other (docs/benchmarks.md): this
check cannot tell a wrong relation made of one note sentence's own words, so it lowers the share
of unsupported sentences shown, it does not reach none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import numpy as np

from knowledge.ingest.lexicon import is_function_word, stem, zipf
from knowledge.ingest.sentences import split_sentences
from knowledge.ingest.terms import acronym_key, initials, is_acronym, norm_key

_CITE = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’-]*|\d+(?:[.,]\d+)?%?")
MIN_WORDS = 3  # a "sentence" shorter than this ("Intuition.", "Sure!") says nothing
REPEATED = "it repeats a sentence of the course the answer already shows: it adds nothing to it"
COMMON_ZIPF = 5.0  # "make", "way", "used", "simple": words every explanation may use


@dataclass(frozen=True)
class SupportRules:
    """Tuned on the tuning half of a hand-judged sample (docs/judged/support.jsonl)."""

    covered: float = 0.5  # share of content words from the notes, together with ...
    together: float = 0.9  # ... this share of its neighbouring content-word pairs found in one note sentence
    near_copy: float = 0.9  # or a cosine this high to one note sentence (a paraphrase of it)
    copied: float = 0.0  # and at least this share of its words in runs of COPY_RUN words found in one note sentence
    verbatim: float = 0.0  # and this share of its words following one note sentence's wording in order (:meth:`SupportChecker.follows`)


# The bundled 135M model's sentences that pass the checks above can still join the notes' words
# into a wrong relation ("The GAN is a type of neural network that can be trained using a generative
# adversarial network"); its supported sentences keep runs of the notes' own wording. Eight judged
# samples showed that any freedom left to it (half its words copied in runs, then nine tenths in
# runs) is used for a new kind of garble, each sample a new one. So for a small model the answer shows
# only a sentence that is a note sentence as the course wrote it (nine tenths of its words in that
# sentence's order, no content word or "not" of its own, whole, standing without what stood beside
# it in the lesson: :meth:`SupportChecker._not_verbatim`): the model chooses which of the course's
# sentences to lead with, it does not reword them. A capable model's sentences are held to the rules
# above alone.
COPY_RUN = 4
PARAPHRASE_RULES = SupportRules(copied=0.5, verbatim=0.9)


@dataclass
class Verdict:
    sentence: str
    supported: bool
    coverage: float  # share of content words found in the notes
    similarity: float  # cosine to the closest note sentence
    together: float = 0.0  # share of neighbouring content-word pairs that one note sentence has both of
    unknown: list[str] = field(default_factory=list)  # names/numbers not in the notes
    reason: str = ""


def _stem(w: str) -> str:
    return stem(w.strip("'’-"))


def content_words(text: str) -> list[str]:
    """The words that carry what a sentence says (no function words, no very common words)."""
    out = []
    for w in _WORD.findall(_CITE.sub("", text)):
        lw = w.lower()
        if lw[0].isdigit() or len(lw) < 3 or is_function_word(lw) or zipf(lw) >= COMMON_ZIPF:
            continue
        out.append(lw)
    return out


def names(text: str) -> list[str]:
    """Numbers and names: capitalised words not opening the sentence, acronyms, words with digits."""
    out = []
    for s in split_sentences(_CITE.sub("", text)) or [text]:
        words = _WORD.findall(s)
        for i, w in enumerate(words):
            if w[0].isdigit() or any(ch.isdigit() for ch in w):
                out.append(w)
            elif i > 0 and w[0].isupper() and not is_function_word(w) or (len(w) > 1 and w.isupper()):
                out.append(w)
    return out


class SupportChecker:
    """Judges model sentences against the notes of one answer."""

    def __init__(self, notes: Sequence[str], question: str = "", embed: Callable[[list[str]], np.ndarray] | None = None,
                 rules: SupportRules = SupportRules(), role_words: Sequence[str] = (), shown: Sequence[str] = ()) -> None:
        self.rules = rules
        # what the answer shows the student in the course's own words (definitions, passages): a
        # copy of one of its sentences repeats the answer instead of adding to it
        self.shown = [" " + " ".join(_tokens(_CITE.sub("", t))) + " " for t in shown if t.strip()]
        text = "\n".join([*notes, question])
        self.stems = {_stem(w) for w in _WORD.findall(text.lower())}
        self.lower = " " + " ".join(_WORD.findall(text.lower())) + " "
        self.embed = embed
        self.role_words = {w for w in role_words if f" {w} " not in self.lower}  # ours, not the course's
        self.note_sentences = [s for n in notes for s in split_sentences(_CITE.sub("", n)) if len(s.split()) >= 3]
        self.note_stems = [{_stem(w) for w in content_words(s)}
                           for n in [*notes, question] for s in split_sentences(_CITE.sub("", n))]
        self.note_counts: list[dict[str, int]] = []  # content-word counts of each note sentence
        for n in [*notes, question]:
            for s in split_sentences(_CITE.sub("", n)):
                c: dict[str, int] = {}
                for w in content_words(s):
                    c[_stem(w)] = c.get(_stem(w), 0) + 1
                self.note_counts.append(c)
        # the runs of COPY_RUN words of each note sentence, apart: phrases stitched together from two
        # notes make a claim neither makes ("make a dog look like a cat" + "start with a random image")
        self.note_runs: list[set[tuple[str, ...]]] = []
        self.note_tokens: list[tuple[list[str], str]] = []  # each note sentence's words, and its text
        for n in notes:  # without its "[3] Title (beginner):" header, which is the answer's, not the course's
            head = _NOTE_HEAD.match(n)
            for s in split_sentences(_CITE.sub("", n[head.end():] if head else n)):
                self.note_tokens.append((_tokens(s), s))
        self.question_stems = {_stem(w) for w in _tokens(question)}
        self.cited_runs: dict[int, list[set[tuple[str, ...]]]] = {}  # by the note's number: what citing [n] may copy
        for n in notes:
            num = re.match(r"\s*\[(\d+)\]", n)
            for s in split_sentences(_CITE.sub("", n)):
                t = _tokens(s)
                runs = {tuple(t[i:i + COPY_RUN]) for i in range(len(t) - COPY_RUN + 1)}
                if runs:
                    self.note_runs.append(runs)
                    if num:
                        self.cited_runs.setdefault(int(num.group(1)), []).append(runs)
        self._mat: np.ndarray | None = None

    def _similarity(self, sentence: str) -> float:
        if self.embed is None or not self.note_sentences:
            return 0.0
        if self._mat is None:
            self._mat = self.embed(self.note_sentences)
        v = self.embed([sentence])[0]
        return float(np.max(self._mat @ v))

    def copied(self, sentence: str, cites: Sequence[int] | None = None) -> float:
        """The largest share of the sentence's words inside runs of COPY_RUN words that one note
        sentence has (one of the notes numbered ``cites``, when given)."""
        toks = _tokens(sentence)
        if not toks:
            return 1.0
        best = 0
        for runs in (self.note_runs if cites is None else [r for c in cites for r in self.cited_runs.get(c, [])]):
            hit = [False] * len(toks)
            for i in range(len(toks) - COPY_RUN + 1):
                if tuple(toks[i:i + COPY_RUN]) in runs:
                    hit[i:i + COPY_RUN] = [True] * COPY_RUN
            best = max(best, sum(hit))
        return best / len(toks)

    def follows(self, sentence: str) -> tuple[float, int]:
        """The largest share of the sentence's words that follow one note sentence's wording in
        its order, in stretches of COPY_RUN - 1 words or more, and that note sentence's index."""
        toks = _tokens(sentence)
        best, source = 0, -1
        for i, (note, _) in enumerate(self.note_tokens):
            if note:
                blocks = SequenceMatcher(None, toks, note, autojunk=False).get_matching_blocks()
                size = sum(b.size for b in blocks if b.size >= COPY_RUN - 1)
                if size > best:
                    best, source = size, i
        return (best / len(toks) if toks else 0.0), source

    def _not_verbatim(self, bare: str, after: str, followed: tuple[float, int]) -> str:
        """Why a small model's sentence is not the course's own sentence, or "": less than
        :attr:`SupportRules.verbatim` of it follows a note sentence's wording, it adds a content
        word of its own or a "not" (or drops one), it is not whole (an unclosed bracket or quote, a
        lowercase start, code, a cut "e.g."), or it opens with "it"/"this" and nothing before it
        (``after``) says what. ``followed``: :meth:`follows` of ``bare``."""
        share, i = followed
        if share < self.rules.verbatim:
            return (f"only {share:.0%} of it follows a note sentence's wording; the bundled model's sentence is shown "
                    "only as the course wrote it")
        source = self.note_tokens[i][1]
        # as written, not only the same stem: "can be optimal" → "can be optimized" is another claim
        own = set(content_words(source))  # lower case, as written
        added = [w for w in content_words(bare) if w not in own]
        if added:
            return f"it adds '{added[0]}' to the note's sentence it copies: a copy garbled by a small model"
        if _negations(bare) != _negations(source) and not set(_negations(bare)) <= set(_negations(source)):
            return "it says 'not' where the note's sentence does not: a copy garbled by a small model"
        whole = re.sub(r'^\W*"(?=[^"]*$)', "", bare)  # a quote the model opened and never closed
        if (whole.count("(") != whole.count(")") or whole.count("[") != whole.count("]") or whole.count('"') % 2
                or _CODE.search(whole) or _CUT.search(whole) or re.match(r"^\W*[a-z]", whole)):
            return "it is a piece of a sentence or of code, not a whole sentence"
        away = _POINTS_AWAY.search(whole)
        if away:
            return (f"it points to something the answer does not show ('{away.group(0)}'): the course's sentence "
                    "needs its figure or example beside it")
        alone = not after.strip()  # nothing of the model's is shown before it
        lead = _POINTS_BACK.match(whole) or _GOES_ON.match(whole)
        if lead and alone:
            return f"it opens with '{lead.group(1)}', which points to nothing shown before it"
        if alone and _ALSO.search(whole):
            return "it says 'also' of something nothing shown before it says"
        if alone:
            for m in _THAT_ONE.finditer(whole):
                word = m.group(2).lower()
                said = {_stem(w) for w in _tokens(whole[: m.start()])}
                if m.group(1).lower() != "such":  # "such trajectories": a kind of them described before, even if asked about
                    said |= self.question_stems
                if not is_function_word(word) and _stem(word) not in said:
                    return (f"'{m.group(0)}' points to what stood before it in the lesson, and nothing shown before it "
                            "says what")
        return ""

    def _repeats(self, source: int) -> str:
        """Why a copy of note sentence ``source`` (an index of :attr:`note_tokens`) adds nothing,
        or "": the answer already shows that sentence (the main concept's definition, a
        prerequisite's, a quoted passage), so the copy only says it again, usually not what was
        asked ("The idea of embedding is ..." under a question about swapping in another dataset)."""
        words = " " + " ".join(self.note_tokens[source][0]) + " "
        return REPEATED if any(words in text for text in self.shown) else ""

    def _garbled(self, bare: str) -> str:
        """Why a copy of the notes' wording is still not theirs, or "": it repeats a word that
        no note sentence repeats ("translation equivariance (or translation equivariance)",
        "Adadelta is a variant of Adadelta"), or it frames the copy with a lead-in of its own
        ("So, the next part of the sentence is: \"We also use O ...\"")."""
        counts: dict[str, int] = {}
        for w in content_words(bare):
            counts[_stem(w)] = counts.get(_stem(w), 0) + 1
        twice = [w for w, n in counts.items() if n >= 2]
        if twice and self.note_counts:
            for w in twice:
                if counts[w] > max(c.get(w, 0) for c in self.note_counts):
                    return (f"it says '{w}' {counts[w]} times where no note sentence does: a copy garbled "
                            "by a small model")
        lead = re.match(r"^([^:\"“]{3,}?)\s*(:\s*[\"“]|[:\"“])", bare)
        # a label before a quotation ("Premise: \"..."), or three words or more before a colon or quote
        if lead and len(_tokens(lead.group(1))) >= (1 if re.search(r"[\"“]", lead.group(2)) and ":" in lead.group(2) else 3):
            words = " ".join(_tokens(lead.group(1)))
            if f" {words} " not in self.lower and self.copied(bare[lead.end():]) >= 0.8:
                return ("it frames a note's sentence with a lead-in of its own ('" + lead.group(1).strip() +
                        "'): the words before the copy are the model's, not the course's")
        same = _ITSELF.match(bare)
        if same and _same_name(same.group(1), same.group(2)):
            return f"it calls {same.group(1).strip()} a kind of itself: a copy garbled by a small model"
        return ""

    def check(self, sentence: str, after: str = "") -> Verdict:
        """The verdict on ``sentence``; ``after``: what the answer has shown of the model's text before it."""
        bare = _CITE.sub("", sentence).strip()
        words = content_words(bare)
        unknown = [n for n in names(bare) if f" {n.lower()} " not in self.lower and _stem(n) not in self.stems]
        coverage = (sum(_stem(w) in self.stems for w in words) / len(words)) if words else 1.0
        r = self.rules
        played = [w for w in re.findall(r"[a-z]+", bare.lower()) if w in self.role_words]
        if played:
            return Verdict(sentence, False, coverage, 0.0, reason=f"talks about the conversation ('{played[0]}'), "
                           "not the topic: the prompt played back")
        if len(bare.split()) < MIN_WORDS:
            return Verdict(sentence, False, coverage, 0.0, reason="a fragment ('" + bare + "'): it says nothing")
        if unknown:
            return Verdict(sentence, False, coverage, 0.0, unknown=unknown, reason="names " + ", ".join(dict.fromkeys(unknown)) +
                           ", which the course's notes do not")
        stems = [_stem(w) for w in words]
        pairs = list(zip(stems, stems[1:]))
        together = (sum(any(a in s and b in s for s in self.note_stems) for a, b in pairs) / len(pairs)) if pairs else 1.0
        copied = self.copied(bare)
        if r.copied and copied < r.copied:
            return Verdict(sentence, False, coverage, 0.0, together, reason=
                           f"only {copied:.0%} of it keeps the notes' wording (runs of {COPY_RUN} words); a small "
                           "model's own phrasing of the notes is not shown")
        if r.copied:
            garbled = self._garbled(bare)
            if r.verbatim and not garbled:  # the small model's profile: only the course's sentence, not one shown already
                followed = self.follows(bare)
                garbled = self._not_verbatim(bare, after, followed) or self._repeats(followed[1])
            if garbled:
                return Verdict(sentence, False, coverage, 0.0, together, reason=garbled)
        cites = sorted({int(x) for m in _CITE.finditer(sentence) for x in re.findall(r"\d+", m.group(0))})
        if r.copied and cites and self.cited_runs and self.copied(bare, cites) < r.copied:
            return Verdict(sentence, False, coverage, 0.0, together, reason=
                           f"it cites [{', '.join(map(str, cites))}], but its wording comes from another note: "
                           "the citation would send the student to the wrong section")
        if coverage >= r.covered and together >= r.together:
            return Verdict(sentence, True, coverage, 0.0, together)
        sim = self._similarity(bare)
        if sim >= r.near_copy:
            return Verdict(sentence, True, coverage, sim, together)
        return Verdict(sentence, False, coverage, sim, together, reason=
                       f"its words do not come together from the notes ({coverage:.0%} of them found, "
                       f"{together:.0%} of their pairs in one note sentence; closest note: cosine {sim:.2f})")


# "CBoW is a type of Continuous bag-of-words (CBoW) ...", "Adadelta is a variant of Adadelta"
_ITSELF = re.compile(r"^\W*(?:the\s+)?([\w' -]{2,60}?)\s+(?:is|are)\s+(?:a|an|one)\s+(?:\w+\s+)?(?:type|kind|form|"
                     r"variant|version|special\s+case|example)s?\s+of\s+(?:an?\s+|the\s+)?([\w' -]{2,60}?)(?=\s*[(,.;]|\s+"
                     r"(?:that|which|where|who|with|used|to|for|in)\b|$)", re.IGNORECASE)


# a note's header as the answer writes it: "[3] Mean Average Precision (also called mAP; beginner): "
_NOTE_HEAD = re.compile(r"^\s*\[\d+\]\s*[^(:]+?\s*\((?:also called [^;)]*;\s*)?[\w-]+\):\s")
_NEGATION = re.compile(r"\b(?:not|no|never|cannot|without|neither|nor)\b|n't\b", re.IGNORECASE)


def _negations(text: str) -> list[str]:
    return sorted(m.group(0).lower() for m in _NEGATION.finditer(text))


_CODE = re.compile(r"(?:^|\s)#\s*\S|`|>>>|\b\w+\.\w+\(")  # a comment, inline code, a prompt, a call
# a sentence cut at "(eg." or after the first letter of "e.g." (the model's text ended there)
_CUT = re.compile(r"\b(?:e\.?g|i\.?e|cf|vs)\.$|[\s,(][a-z]\.$", re.IGNORECASE)
# a sentence that needs what stood next to it in the lesson: "The GAN architecture is illustrated in the
# figure.", "As you can see, ...", "Note that in this case, ..."
_POINTS_AWAY = re.compile(
    r"\b(?:(?:in|on|from)\s+(?:the|this|that)\s+(?:figure|fig|image|picture|diagram|plot|graph|table|example|case|code|"
    r"cell|notebook|listing)s?\b|as\s+(?:you\s+can\s+see|shown|illustrated|depicted|we\s+(?:saw|have\s+seen|will\s+see|"
    r"can\s+see))\b|(?:is|are|was|were)\s+(?:illustrated|shown|depicted|plotted|visualized)\b|"
    r"(?:the\s+)?(?:above|below)\b|the\s+following\b|in\s+this\s+case\b|as\s+follows\b|:\s*$|"
    # the lesson's narration and its cross-references: "let's first see how ...", "(the section on adagrad)"
    r"\blet(?:'s|’s|\s+us)\b|\bthe\s+section\s+on\b)", re.IGNORECASE)
# "such trajectories", "these models": a thing named before the sentence (unless the sentence or the question names it)
_THAT_ONE = re.compile(r"\b(such|these|those|this|both)\s+([A-Za-z][\w-]*)", re.IGNORECASE)
_POINTS_BACK = re.compile(r"^\W*(it|its|this|these|they|their|such|that|those|he|she|them)\b", re.IGNORECASE)
# a sentence that goes on from the one before it: a connective ("However, we also shrink w"), or
# "the (main) difference/idea/reason" with no "of/between" saying of what (general English)
_GOES_ON = re.compile(
    r"^\W*(however|thus|therefore|hence|consequently|moreover|furthermore|besides|instead|similarly|likewise|"
    r"for\s+example|for\s+instance|e\.g\.|"
    r"nevertheless|nonetheless|still|otherwise|accordingly|meanwhile|conversely|then|so|but|and|yet|or|again|"
    r"in\s+(?:contrast|addition|particular|turn|other\s+words|this\s+way|that\s+case|short)|on\s+the\s+other\s+hand|"
    r"as\s+a\s+result|as\s+such|by\s+contrast|for\s+this\s+reason|that\s+is\s+why|this\s+is\s+why|after\s+all|"
    r"the\s+(?:main\s+|key\s+|major\s+|only\s+|big\s+|other\s+)?(?:difference|advantage|disadvantage|drawback|benefit|"
    r"reason|idea|trick|catch|problem|solution|answer|result)s?\b(?!\s+(?:between|of|with|to|for|behind)\b))\b",
    re.IGNORECASE)
_ALSO = re.compile(r"\balso\b(?!\s+(?:called|known|referred|named|termed|written|denoted|abbreviated)\b)", re.IGNORECASE)


def _same_name(a: str, b: str) -> bool:
    """Whether two names are one: the same words, or one the other's abbreviation."""
    a, b = a.strip(), b.strip()
    if norm_key(a) == norm_key(b):
        return True
    return any(is_acronym(x) and acronym_key(x) in initials(y) for x, y in ((a, b), (b, a)))


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())

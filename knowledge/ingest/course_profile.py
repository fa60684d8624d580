"""What a whole course says about its terms (:class:`CourseProfile`: in how many documents a
heading recurs, in how many sections a term is named, whether it is used as a noun, which words
end its headings) and whether a candidate term is vocabulary (:func:`keep`, from that profile and
from general English). The candidates themselves come from :mod:`knowledge.ingest.introduced`."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from .lexicon import ORDINARY_ZIPF, imperative_step, is_function_word, word_classes, zipf
from .terms import acronym_key, ascii_fold, clean_term, is_acronym, singular

if TYPE_CHECKING:
    from .document import Document

_TOKEN = re.compile(r"[A-Za-z0-9+#]+")
RECURRING_HEADING_DOCS = 3  # a heading in this many documents is structure
MIN_SECTIONS = 2  # an emphasised term must be named in this many sections of the course
STEP_SECTIONS = 2  # the object of a labelled step heading must be named in another section too
MAX_WORDS = 5
WIDE_SECTIONS = 4  # an emphasised single word named in this many sections is the course's vocabulary ...
# a first word that picks one out rather than naming a kind ("the single best network")
_NOT_A_KIND = {"single", "same", "whole", "entire", "certain", "particular", "various", "other", "different",
               "new", "old", "good", "bad", "big", "small", "simple", "typical", "main", "first", "last"}
# adjectives that point at an instance or a moment rather than name a kind (general English)
_POINTING = {"specific", "particular", "certain", "various", "given", "other", "different", "entire", "key", "main",
             "current", "latest", "future", "emerging", "upcoming"}
KIND_DOCS = 2  # a word that ends headings in this many documents names a kind of thing
SECTION_USES = 3  # ... as is a heading its own section names this often ...
TOPIC_USES = 5  # a one-word heading its section names this often, and few sections of the course name ...
TOPIC_SHARE = 0.05  # ... (at most this share of them), is that section's topic however everyday ("Color")
RARE_HEADING_ZIPF = 4.0  # ... or a word rarer than this that its section names twice ("Storytelling")
WIDELY_USED_ZIPF = 4.2  # ... unless everyday English uses it even more ("input", "sample", "context")


@dataclass(frozen=True)
class Introduced:
    """A term a section introduces: ``kind`` is ``"heading"``, ``"emphasis"`` or
    ``"abbreviation"`` (a long form the text gives an abbreviation: "global interpreter lock
    (GIL)")."""

    term: str
    aliases: tuple[str, ...]
    section: int
    kind: str
    definition: str
    uses: int = 0  # for a heading: how often its own section's prose names it
    completed: bool = False  # an emphasised adjective with the words it modifies ("**bidirectional** RNNs")
    title: bool = False  # a heading that is its document's title: the lesson's topic
    step: bool = False  # a heading labelled as one of the course's steps ("Task - capture audio")
    explained: bool = False  # the next sentence goes on about it ("... such as *X*. In X, we take ...")
    keyword: bool = False  # a heading naming a language's keyword written as code, with its kind ("``for`` loops")


def _key(tokens: list[str]) -> str:
    low = [t.lower() for t in tokens]
    return " ".join(low[:-1] + [singular(low[-1])]) if low else ""


def _bare(term: str) -> str:
    """Without a leading article: "The GloVe Model" → "GloVe Model"."""
    return re.sub(r"^(?:the|a|an)\s+", "", term, flags=re.IGNORECASE)


def term_key(term: str) -> str:
    return _key(_TOKEN.findall(ascii_fold(term)))


# a word right after a determiner and right before a verb, preposition or punctuation is a noun
_NOUN_USE = re.compile(
    r"\b(?:a|an|the|this|that|each|every|our|its|their|such)\s+([A-Za-z][\w-]*)"
    r"(?=\s*[.,;:)]|\s+(?:is|are|was|were|of|in|for|to|and|with|that|which|can|will|has|have|on|by)\b)",
    re.IGNORECASE)


@dataclass
class CourseProfile:
    """Counts over every document of an ingest: in how many documents each heading's topic is
    a heading, and in how many sections each candidate term is named."""

    heading_docs: Counter[str] = field(default_factory=Counter)
    term_sections: Counter[str] = field(default_factory=Counter)
    boilerplate: set[str] = field(default_factory=set)  # paragraphs repeated in several documents
    noun_uses: Counter[str] = field(default_factory=Counter)  # "the variance of", "each epoch,": used as a noun
    heads: Counter[str] = field(default_factory=Counter)  # last words of headings: the kinds of things the course names
    marked: set[str] = field(default_factory=set)  # terms some heading or emphasis of the course introduces
    step_labels: set[str] = field(default_factory=set)  # "task", "step n": labels of the course's step headings
    sections: int = 0  # sections in the whole course
    words: Counter[str] = field(default_factory=Counter)  # how often the course writes each word (letters only)

    def structure_phrases(self) -> list[str]:
        """Headings of several words that recur across documents ("concise implementation",
        "implementation from scratch"): the course's structure, also inside a longer heading."""
        got = self.__dict__.get("_structure")
        if got is None:
            got = self.__dict__["_structure"] = [
                k for k, n in self.heading_docs.items() if n >= RECURRING_HEADING_DOCS and " " in k]
        return got

    @classmethod
    def build(cls, docs: Iterable[Document]) -> "CourseProfile":
        from .extract import heading_term  # extract imports this module
        from .vocabulary import TOLD_HOW, step_label

        docs = list(docs)
        prof = cls()
        cands: set[str] = set()
        paragraphs: Counter[str] = Counter()
        for d in docs:
            paragraphs.update({b.text for sec in d.sections for b in sec.blocks if len(b.text) >= 20})
        prof.boilerplate = {t for t, n in paragraphs.items() if n >= RECURRING_HEADING_DOCS}
        labels: Counter[str] = Counter()
        for d in docs:
            labels.update({lab for sec in d.sections if sec.level > 1 and sec.heading != d.title
                           for lab in [step_label(sec.heading)] if lab})
        prof.step_labels = {lab for lab, n in labels.items() if n >= RECURRING_HEADING_DOCS}
        for d in docs:
            seen: set[str] = set()
            heads: set[str] = set()
            for sec in d.sections:
                ht = heading_term(sec.heading) if sec.heading else None
                if ht:
                    k = term_key(_bare(ht[0]))
                    cands.add(k)
                    if " " in k:
                        heads.add(k.split()[-1])
                    # a document's own title is its topic, never structure; nor is "Softmax
                    # Revisited" (coming back to a topic is no recurring step of each lesson)
                    if sec.level != 1 and not TOLD_HOW.search(clean_term(sec.heading)):
                        seen.add(k)
                for b in sec.blocks:
                    for t in (*b.italic, *b.bold):
                        k = term_key(clean_term(t))
                        if k and len(k.split()) <= MAX_WORDS:
                            cands.add(k)
            prof.heading_docs.update(seen)
            prof.heads.update(heads)
        for d in docs:
            for sec in d.sections:
                for b in sec.blocks:
                    for m in _NOUN_USE.finditer(b.text):
                        prof.noun_uses[term_key(m.group(1))] += 1  # "cross-entropy" → "cross entropy"
        prof.marked = set(cands)
        prefixes = {" ".join(k.split()[:n]) for k in cands for n in range(1, len(k.split()))}
        for d in docs:
            prof.sections += len(d.sections)
            for sec in d.sections:
                toks = [t.lower() for t in _TOKEN.findall(ascii_fold(" ".join([sec.heading, *(b.text for b in sec.blocks)])))]
                prof.words.update(t for t in toks if t.isalpha())
                found: set[str] = set()
                for i in range(len(toks)):
                    for n in range(1, MAX_WORDS + 1):
                        if i + n > len(toks):
                            break
                        k = " ".join(toks[i:i + n - 1] + [singular(toks[i + n - 1])])
                        if k in cands:
                            found.add(k)
                        if " ".join(toks[i:i + n]) not in prefixes:
                            break
                prof.term_sections.update(found)
        return prof


# an adverb or a verb form ("computationally", "trained", "normalize")
_NOT_A_NOUN_END = re.compile(r"(?:ly|ed|ize|ise|izes|ises)$")


def plausible_term(term: str, used_widely: bool = False, spelled: bool = False) -> bool:
    """General-English shape of a term: no function word at either end, no coordination,
    a single word neither everyday English nor an adverb or verb form. A single word the
    course uses widely (``used_widely``) may be a little more common ("kernel", "momentum")."""
    ws = term.split()
    if not ws or len(ws) > MAX_WORDS or re.search(r"\d{3,}|[^\w\s\-–'’.+×]", term):
        return False
    if is_acronym(term):
        return True
    low = [w.lower() for w in ws]
    if is_function_word(low[0]) or is_function_word(low[-1]):
        return False
    if (len(ws) == 2 and low[0].endswith("ly")) or (len(ws) > 1 and low[-1].isdigit()):
        return False  # "computationally efficient", "previously seen", "Fallacy 3"
    if any(w in ("and", "or", "nor", "but", "&") for w in low):
        return False
    if len(ws) == 1:
        w = low[0]
        # wordfreq splits a hyphenated compound and scores its commonest part ("self-attention"
        # scores as "self"): no evidence either way, the noun and section tests decide
        compound = bool(re.fullmatch(r"[a-z]+(?:[-–][a-z]+)+", w))
        common = not compound and zipf(w) >= (WIDELY_USED_ZIPF if used_widely else ORDINARY_ZIPF)
        if common or is_function_word(w) or _NOT_A_NOUN_END.search(w) or len(w) < 4:
            return False
    if not spelled and any(is_function_word(w) and w not in ("of", "to", "for", "in", "on", "with", "by", "over", "through", "per")
                           for w in low):
        return False  # "how they work", "without parameter update"
    return True


# English suffixes that make nouns ("tokenization", "locality", "entailment", "log-likelihood"):
# a mass noun is seldom written after "the", so the course may never show it in _NOUN_USE
_NOUN_FORM = re.compile(r"(?:tion|sion|ment|ness|ity|ance|ence|ency|ism|ogy|hood|ship)$")


# endings English gives adjectives, whatever a dictionary also lists the word as
_ADJECTIVE_END = re.compile(r"(?:ian|ive|ous|ful|less|able|ible)$")


def _everyday(term: str) -> bool:
    if re.search(r"(?<![\w-])[a-z]-\w", term, re.IGNORECASE):
        return False  # a symbol's name: "t-test", "p-value", "k-means" (wordfreq would score "test")
    words = [w for w in re.split(r"[\s\-]+", term.lower()) if w]
    return all(zipf(w) >= 3.5 or is_function_word(w) for w in words)


def _gerund_step(term: str) -> bool:
    """"Distributing Data", "Signing Up", "Using PyTorch": a heading that names a step (an everyday
    verb in -ing followed by what it acts on), not a topic."""
    ws = term.lower().split()
    if len(ws) < 2 or not ws[0].endswith("ing") or "-" in ws[0]:
        return False
    if len(ws[0]) < 6:  # "using": short -ing words are mostly nouns ("string", "thing"); English says which
        return word_classes(ws[0]) == {"VERB"}
    stem = ws[0][:-3]
    return any(zipf(v) >= 3.5 for v in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else stem))


def _step(term: str) -> bool:
    """A phrase naming a step of the lesson: "Distributing Data", "Choose a model"."""
    return _gerund_step(term) or imperative_step(term)


def _topic_heading(c: Introduced, prof: CourseProfile) -> bool:
    """A one-word heading its own section is about: a word English does not know ("Quartiles",
    "Steganography"), a rare one its section names again ("Sampling", "Storytelling"), or an
    everyday one its section keeps naming and few other sections do ("Color" in a lesson on
    meaningful charts; not "Model" or "Data", named everywhere). Written as a heading, capitalised;
    never an adjective ending, a recurring heading or one the section never names."""
    w = c.term
    if c.kind != "heading" or not re.fullmatch(r"[A-Z][a-z]+", w) or c.uses < 1:
        return False
    low = w.lower()
    if _ADJECTIVE_END.search(low) or _NOT_A_NOUN_END.search(low) or prof.heading_docs[term_key(w)] >= RECURRING_HEADING_DOCS:
        return False
    f = zipf(low)
    if f == 0:  # a name English lacks; "-ial"/"-ar" ones are adjectives ("Binomial", "Nonlinear")
        return not low.endswith(("ial", "ar"))
    if f < RARE_HEADING_ZIPF:
        return c.uses >= 2
    # counted only where the whole heading is the term (not "Service" of "Service versus Model")
    named = prof.term_sections[term_key(w)]
    return c.uses >= TOPIC_USES and 0 < named and named - 1 <= TOPIC_SHARE * prof.sections


def _defined_subject(c: Introduced) -> bool:
    """Whether an emphasised word is the subject its introducing sentence opens with, then "is"/"are"."""
    return c.kind == "emphasis" and " " not in c.term and len(c.term) >= 3 and not is_function_word(c.term.lower()) and re.match(
        rf"^\W*(?:(?:an?|the)\s+)?{re.escape(c.term)}[*_`]*\s*,?\s+(?:is|are)\s+(?!not\b)", c.definition, re.IGNORECASE
    ) is not None


def _name_like(term: str) -> bool:
    """Two or three capitalised words and nothing else ("Ada Lovelace"): a person or a title."""
    ws = term.split()
    return 2 <= len(ws) <= 3 and all(w[:1].isupper() and w[1:].islower() for w in ws)


def _heading_phrase(c: Introduced, k: str, prof: CourseProfile) -> bool:
    """A heading that describes what its section does ("Back to training", "Asking for help on
    the forums", "Implementation of Q-Learning", "Padding inputs"): a phrase with a function word
    inside, or opening with a verb in -ing, that neither its section nor any other part of the
    course ever writes. A name the course uses is a term ("Learning rate decay": "learning rate"
    is named throughout). A document's title names the lesson's topic: never such a phrase."""
    ws = c.term.split()
    if c.uses or c.title or c.keyword or len(ws) < 2 or prof.term_sections[k] > 1:
        return False  # (the heading itself is one section naming it)
    if any(is_function_word(w.lower()) for w in ws[1:]):
        return True
    return ws[0].lower().endswith("ing") and prof.term_sections[term_key(" ".join(ws[:2]))] <= 1


def keep(c: Introduced, prof: CourseProfile) -> bool:
    k = term_key(c.term)
    # the course names an emphasised word in many sections, or a heading's section keeps naming its
    # topic ("Correlation", "Derivatives", "Optimization"): it may be a little more common
    widely = (prof.term_sections[k] >= WIDE_SECTIONS if c.kind == "emphasis" else c.uses >= SECTION_USES)
    # a long form whose abbreviation spells every word, small ones too ("Infrastructure as a Service
    # (IaaS)"): its function words are part of the name
    spelled = c.kind == "abbreviation" and any(
        acronym_key(a) == "".join(w[0] for w in c.term.lower().split()) for a in c.aliases)
    topic = _topic_heading(c, prof)
    # an emphasised word the sentence opens with and says what it is ("*Functions* are groups of code
    # that have a name ...", "*Ethics* is about the shared values ..."): the course's term, however everyday
    topic = topic or _defined_subject(c)
    if not topic and not c.keyword and not plausible_term(c.term, used_widely=widely, spelled=spelled):
        return False
    if not topic and " " in c.term and c.term.split()[0].lower() in _POINTING:
        return False  # "a **specific task**", "a *particular case*": an instance pointed at, not a kind named
    # one plain word (not "ResNet"/"IoU"), or a hyphenated one ("Task-Specific" is an adjective)
    compound = re.fullmatch(r"[A-Za-z][a-z]+(?:-[A-Za-z][a-z]+)+", c.term)
    if " " not in c.term and (c.term.islower() or c.term[1:].islower() or compound):
        # a compound whose last part is a technical noun is one ("cross-entropy"); a common last
        # part says nothing ("end-to-end", "state-of-the-art" are adjectives)
        head = singular(c.term.lower().split("-")[-1])
        technical_head = compound and prof.noun_uses[head] > 0 and zipf(head) < ORDINARY_ZIPF
        # a heading whose section keeps naming its -ing word names a technique ("Subsampling",
        # "Preconditioning"): a gerund is a noun even where no "the" comes before it (an adjective
        # heading, "Binomial", "Context-Sensitive", "Bidirectional", is named as often: no -ing)
        gerund = c.kind == "heading" and c.term.lower().endswith("ing") and c.uses >= SECTION_USES
        # ... or one a sentence gives as a name ("This operation ... is called pooling"): a noun too
        gerund = gerund or (c.term.lower().endswith("ing") and named_here(c.term, c.definition))
        # a heading English knows only as a noun ("Donuts!"), or a word English does not know
        # that the sentence gives as a name ("a data platform called Dataverse"): a noun, though
        # the course never writes "the" before it
        classes = word_classes(c.term.lower())
        named = not classes and not compound and c.term[:1].isupper() and named_here(c.term, c.definition)
        noun = ((classes == {"NOUN"} and c.kind == "heading") or named) and not _ADJECTIVE_END.search(c.term.lower())
        if (prof.noun_uses[k] == 0 and not _NOUN_FORM.search(c.term.lower()) and not technical_head and not gerund
                and not noun and not topic and not c.keyword):  # (a keyword its heading writes as code: "raise")
            return False  # never used as a noun in the course: an adjective or a verb ("sparse", "interpret")
    if c.completed:  # "**bidirectional** RNNs", not "*fresh* dataset": a technical noun, or a kind the headings name
        head = singular(c.term.lower().split()[-1])
        if zipf(head) >= ORDINARY_ZIPF and prof.heads[head] < KIND_DOCS:
            return False
    if c.kind == "heading":
        if _heading_phrase(c, k, prof):
            return False
        if c.step and c.uses < 2 and prof.term_sections[k] < STEP_SECTIONS:
            return False  # "Task - capture audio": what the student does here, unless its section or the course keeps naming it
        if any(f" {r} " in f" {k} " for r in prof.structure_phrases()):
            return False  # "Linear Regression Implementation from Scratch": a recurring step, applied
        # a step heading is rarely a phrase the course uses elsewhere; "Learning Rate" is
        return prof.heading_docs[k] < RECURRING_HEADING_DOCS and not (
            _step(c.term) and prof.term_sections[k] < 3 * MIN_SECTIONS)
    if c.kind == "abbreviation":
        # the course gave it a short name: a named thing, not a phrase — unless a heading or an
        # emphasis elsewhere introduces it (there it is taught; here it is named again)
        return " " in c.term and k not in prof.marked
    if prof.term_sections[k] >= MIN_SECTIONS or named_here(c.term, c.definition) or c.explained:
        return True
    # emphasised once and never named again: vocabulary only when it is technical, or a kind of
    # thing the course's headings name ("mean absolute error", "ridge regression", "outer product":
    # error, regression, product end headings of several documents; "soft drinks" do not)
    words = c.term.lower().split()
    kind = (1 < len(words) <= 3 and prof.heads[singular(words[-1])] >= KIND_DOCS and len(set(words)) == len(words)
            and not any(map(is_function_word, words)) and not words[0].endswith("ing")
            and words[0] not in _NOT_A_KIND)  # not "fishing network", "single best network"
    return (kind or not _everyday(c.term)) and not _name_like(c.term)


# the sentence gives the term as a name: "is called the condition number", "(or treatment group)",
# "so-called imperative tools", or has it as its subject: "A type II error is ..."
_NAMING_BEFORE = re.compile(
    r"(?:\b(?:called|call|calling|known\s+as|referred\s+to\s+as|refer\s+to\s+\w+\s+as|termed|dubbed|so-called)"
    r"(?:\s+\S+){0,4}?|\((?:or|also|i\.e\.,?))\s+(?:(?:the|an?)\s+)?\(?$", re.IGNORECASE)
_SUBJECT_BEFORE = re.compile(r"(?:^|[.!?]\s+)(?:(?:an?|the)\s+)?$", re.IGNORECASE)
# the sentence gives the term a symbol: "a **probability density function** p(x)", "the learning rate $\eta$"
_SYMBOL_AFTER = re.compile(r"^[*_]*\s*(?:\$[^$\s][^$]{0,24}\$|\\\([^)]{1,24}\\\)|[A-Za-z]\([a-z](?:,\s?[a-z])*\))(?!\w)")
_SUBJECT_AFTER = re.compile(r"^\)?\s*(?:,[^,]{1,40},\s*)?(?:\([^)]{1,40}\)\s*)?(?:is|are|refers\s+to|means|denotes)\b")


def named_here(term: str, text: str) -> bool:
    """Whether ``text`` (the sentence introducing ``term``) names it rather than only uses it."""
    for m in re.finditer(r"(?<![\w-])" + re.escape(term) + r"(?![\w-])", text, re.IGNORECASE):
        before, after = text[: m.start()], text[m.end():]
        if (_NAMING_BEFORE.search(before[-80:]) or (_SUBJECT_BEFORE.search(before) and _SUBJECT_AFTER.match(after))
                or _SYMBOL_AFTER.match(after)):
            return True
    return False


def _content_words(term: str) -> set[str]:
    return {singular(w) for w in _TOKEN.findall(ascii_fold(term).lower()) if not is_function_word(w)}


def shares_word(term: str, others: Iterable[str], heads: bool = True) -> bool:
    """Whether ``term`` shares a content word with one of ``others``; with ``heads`` False a
    head noun both end in does not count ("Generative Adversarial Networks" and "generator
    network" are two things; "Multi-Layer Networks" and "multi-layer perceptron" one)."""
    mine = _content_words(term)
    last = _content_words(_TOKEN.findall(ascii_fold(term).lower())[-1]) if not heads and mine else set()
    for o in others:
        common = mine & _content_words(o)
        if not heads and common:
            words = _TOKEN.findall(ascii_fold(o).lower())
            common -= last & (_content_words(words[-1]) if words else set())
        if common:
            return True
    return False

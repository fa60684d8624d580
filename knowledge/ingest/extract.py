"""The structural extractor: concepts from a parsed lesson with no LLM.

A concept is only kept when the lesson *defines* it. Candidates come from headings, bold
(and, more cautiously, italic) terms and glossary-like list items; a candidate becomes a
concept when one of these holds in its section:

* a definition sentence with the term as subject: ``"Dropout is a technique ..."``,
  ``"A perceptron is a binary classification model"``, ``"NER refers to ..."``;
* a naming sentence: ``"... such method is called stochastic gradient descent"``,
  ``"... a larger discipline called Machine Learning"``, ``"The main idea of a GAN is ..."``;
* a glossary item: ``"- **Term** – explanation"``, ``"* **Classification**, where ..."``.

A lesson's own title (its level-1 heading) is also kept when the lesson only *uses* it in
sentences; its definition is then the first sentence about it. Lesson furniture (quizzes,
assignments, conclusions, challenges, "Introduction", "Summary", exercises ...) is never a
concept. Definitions are plain text, 1–3 sentences, at most :data:`MAX_DEFINITION` chars.

Variants (case, plurals, hyphens, acronyms such as ``"Convolutional Neural Network (CNN)"``)
are merged by :func:`knowledge.ingest.merge.merge_variants`; ``match_existing`` there maps new candidates onto concepts
already in the knowledge base so that a new lesson about them adds a source, not a twin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from knowledge.models import Concept, Example, Source

from .dialects import is_setup_code
from .introduced import CourseProfile, find_introduced, keep, term_key
from .document import Block, Document, one_line
from .merge import MAX_EXAMPLES, merge_variants
from .terms import EMOJI_LEAD, TRAIL_PUNCT, acronym_key, clean_term, initials, is_acronym, norm_key, singular, term_keys

MAX_DEFINITION = 400
MAX_EXAMPLE_CHARS = 4000



# ---------------------------------------------------------------------------------------------
# what is never a concept

_FURNITURE = re.compile(
    r"^(?:pre|post)?[- ]?(?:lecture|lesson)?[- ]?quiz(?:zes)?\b|^quiz|^assignments?\b|^homework|^review\b|"
    r"^self[- ]study|^conclusions?\b|^challenges?\b|^summary\b|^exercises?\b|^example notebooks?\b|"
    r"^references?\b|^further reading|^(?:additional |more )?resources\b|^credits?\b|^acknowledge?ments?\b|"
    r"^labs?\b|^instructions?\b|^hints?\b|^table of contents|^what you will learn|^learning (?:objectives|goals)|"
    r"^prerequisites?\b|^next steps?\b|^getting started|^install|^setup\b|^set up\b|"
    r"^in this (?:section|lesson|unit|module|chapter)|^notes?\b|^warning\b|"
    r"^.*\b(?:warning|caution|tip|hint|note)s?$|^.*\bnotebooks?$|^licen[cs]e\b|^key takeaways|^knowledge check|^your turn|^try it\b|^final thoughts|"
    r"^wrap[- ]up|^takeaways?\b|"
    r"^(?:introduction|intro|recap|overview|practice|background|motivation|goals?|discussion|questions?|solutions?|"
    r"answers?|about|appendix|faq|tasks?|examples?|notebooks?|contents|\d+)$",
    re.IGNORECASE,
)
# parts of a document whose text is read but whose heading names no topic
_DOC_PART = re.compile(r"^(?:glossary|preface|foreword|bibliography|index|notation|about this book|"
                       r"key terms|terminology|vocabulary)$", re.IGNORECASE)
_PROCESS_VERBS = {
    "training", "using", "loading", "implementing", "visualizing", "visualising", "dealing", "keeping",
    "preventing", "classifying", "representing", "detecting", "building", "creating", "applying",
    "exploring", "getting", "running", "making", "introducing", "comparing", "understanding",
    "evaluating", "defining", "computing", "working", "playing", "generating", "solving", "choosing",
    "selecting", "adding", "preparing", "writing", "reading", "installing", "testing", "measuring",
    "improving", "tuning", "fine-tuning", "saving", "plotting", "calculating", "finding", "learning",
    "pre-processing", "experimenting", "trying", "taking", "looking", "putting", "setting", "starting",
}
_DETERMINERS = {"the", "a", "an", "our", "your", "this", "these", "that", "those", "it", "them", "its", "their", "my"}
_LEARNING_NOUN_FOLLOWERS = {"rate", "rates", "curve", "curves", "algorithm", "algorithms", "problem"}
_GENERIC_HEAD = {
    "other", "different", "typical", "main", "some", "more", "further", "examples", "example", "scenarios",
    "properties", "problems", "tools", "principles", "datasets", "recent", "brief", "history", "types",
    "kinds", "applications", "advantages", "limitations", "comparison", "basic", "key", "important",
    "common", "several", "many", "simple", "our", "my", "your", "this", "these", "why", "how", "when",
    "where", "which", "who", "first", "second", "third", "final", "next", "previous", "part", "step",
}
_BAD_FIRST = {
    "this", "that", "these", "those", "it", "we", "you", "our", "your", "its", "their", "there", "here",
    "which", "what", "how", "why", "when", "note", "hint", "tip", "image", "images", "picture", "figure",
    "see", "read", "try", "use", "open", "continue", "go", "let", "click", "task", "step", "remember",
    "important", "warning", "if", "or", "and", "then", "then", "for", "to", "in", "on", "at", "by",
    "with", "from", "as", "not", "no", "yes", "but", "so", "also", "only", "each", "every", "all",
    "some", "any", "one", "two", "three", "very", "much", "more", "most", "less", "do", "does", "is",
    "are", "was", "were", "be", "can", "could", "should", "would", "will", "may", "might", "must",
}
_STOP_TERMS = {
    "x", "y", "z", "n", "m", "if", "or", "and", "then", "not", "true", "false", "none", "null", "ok",
    "note", "notes", "hint", "tip", "warning", "important", "example", "examples", "task", "tasks",
    "notebook", "notebooks", "lab", "exercise", "exercises", "assignment", "quiz", "image", "images",
    "picture", "figure", "code", "python", "instructions", "solution", "answer", "question",
    "introduction", "summary", "conclusion", "challenge", "review", "setup", "above", "below", "left",
    "right", "top", "bottom", "here", "there", "always", "never", "each", "every", "all", "any",
}


def is_furniture(text: str) -> bool:
    """A lesson-level heading or term that is never a concept (quiz, assignment, summary ...)."""
    t = EMOJI_LEAD.sub("", one_line(text)).strip()
    t = TRAIL_PUNCT.sub("", t)
    return bool(_FURNITURE.match(t)) or t.lower() in _STOP_TERMS


def valid_term(term: str) -> bool:
    t = term
    if not (2 <= len(t) <= 60) or "\n" in t:
        return False
    ws = t.split()
    if not 1 <= len(ws) <= 6:
        return False
    letters = sum(c.isalpha() for c in t)
    if letters < 2 or letters < 0.6 * len(t.replace(" ", "")):
        return False
    if re.search(r"[=(){}\[\]<>|\\$@]|\.\w|_|://|^\d", t) and not re.match(r"^\d+D-", t):
        return False
    low = t.lower()
    if ws[0].lower() in _BAD_FIRST or low in _STOP_TERMS or is_furniture(t):
        return False
    if len(ws) >= 3 and re.search(r"\b(?:is|are|was|were|can|will|should|we|you|our)\b", low):
        return False
    if len(ws) == 1 and len(t) <= 2 and not t.isupper():
        return False
    if len(ws) > 1 and ws[0].lower() in _PROCESS_VERBS and ws[1].lower() in _DETERMINERS:
        return False  # "Training the generator" is a step, not a concept
    if len(ws) == 1 and t.islower() and re.search(r"(?:ive|ous|al|ful|less|able|ible)$", t) and not is_acronym(t):
        return False  # a lone adjective ("adversarial", "contrastive")
    if re.search(r"\b(?:definition|example|exercise|notebook|tutorial|homework)s?\b", low):
        return False
    return True


def display_title(term: str) -> str:
    """Title as shown: first letter upper case (acronyms and camel case untouched), the head
    noun in the singular (``"Generative Adversarial Networks"`` → ``"... Network"``)."""
    t = clean_term(term)
    ws = t.split(" ")
    last = ws[-1]
    if (
        len(ws) <= 5
        and not is_acronym(last)
        and not re.search(r"\b(?:of|to|for|in|with|and|or|vs)\b", t.lower())
        and re.fullmatch(r"[A-Za-z][A-Za-z\-]*s", last)
    ):
        segs = last.split("-")
        seg = segs[-1]
        sing = singular(seg.lower())
        if sing != seg.lower():
            if seg.lower().endswith("ies"):
                seg = seg[:-3] + ("Y" if seg[-3].isupper() else "y")
            elif seg.lower().startswith(sing):
                seg = seg[: len(sing)]
            else:  # irregular ("Matrices" → "Matrix")
                seg = sing.upper() if seg.isupper() else (sing.capitalize() if seg[:1].isupper() else sing)
            segs[-1] = seg
            ws[-1] = "-".join(segs)
    t = " ".join(ws)
    if t[:1].islower() and not re.match(r"^[a-z]+[A-Z]", t):
        t = t[0].upper() + t[1:]
    return t


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
    r"technique|idea|task|model|algorithm|architecture|problem)\b(?!\s+(?:of|behind)\b))\b|\b(?:this|such|the\s+same)\s+"
    r"(?:approach|method|process|technique|idea|task|model|algorithm|architecture|problem|representation|"
    r"mechanism|network|structure|phenomenon|loss|metric)\b",
    re.IGNORECASE,
)


@dataclass
class _Match:
    strength: int  # 3 subject/glossary, 2 naming, 1 mention
    sentence: int


def _find_definition(
    sentences: list[str], pat: str, *, allow_subject: bool = True, allow_so_called: bool = True
) -> _Match | None:
    """The first sentence that defines the term (``pat``): as its subject (strength 3) or by
    naming it (strength 2). Each occurrence of the term is checked against fixed context
    patterns before and after it."""
    occ = _occurrence_regex(pat)
    for i, s in enumerate(sentences):
        if s.endswith("?"):
            continue
        named = False
        for m in occ.finditer(s):
            before, after = s[: m.start()], s[m.end():]
            if allow_subject and _SUBJ_BEFORE.fullmatch(before) and _SUBJ_AFTER.match(after):
                return _Match(3, i)
            if not named and (
                (_NAMED_BEFORE.search(before) and (allow_so_called or not _SO_CALLED.search(before)))
                or (_IDEA_BEFORE.search(before) and _IS_AFTER.match(after))
                or (_WAY_BEFORE.fullmatch(before) and _WORKS_AFTER.match(after))
                or _WHICH_IS_AFTER.match(after)
                or _APPOSITIVE_AFTER.match(after)
                or (_APPOSITIVE_BEFORE.search(before) and _THAT_AFTER.match(after))
                or _DASH_AFTER.match(after)
                or (_CONCEPT_OF_BEFORE.search(before) and re.fullmatch(r"\s*\.", after))
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
    r"\b(?:called|known\s+as|named|termed|dubbed|referred\s+to\s+as)\s+(?:an?\s+|the\s+)?[\"'“‘]?$", _I
)
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
    r"network|layer|metric|measure|procedure|architecture|library|tool|framework)\s+(?:that|which|for|of|to|used)\b",
    _I,
)
# "... we can use a parameter, **temperature**, that flattens the distribution"
_APPOSITIVE_BEFORE = re.compile(
    r"\b(?:an?|the)\s+(?:[\w-]+\s+)?(?:parameter|hyperparameter|method|technique|algorithm|model|approach|"
    r"function|metric|measure|procedure|architecture|library|tool|framework|network|layer|trick|quantity)\s*,\s*$",
    _I,
)
_THAT_AFTER = re.compile(r"\s*,\s*(?:that|which)\b", _I)
_DASH_AFTER = re.compile(r"\s+[-–—]\s+(?:creating|building|representing|an?|the)\b", _I)
_CONCEPT_OF_BEFORE = re.compile(r"\b(?:concept|notion)\s+of\s+$", _I)


def _compose(sentences: list[str], m: _Match, following: list[Block], previous: str = "") -> str:
    """Definition text around a matched sentence: an anaphoric naming sentence ("This approach
    is called X") brings the sentence before it; a short sentence brings the next one; a last
    sentence ending in ':' brings the list after it. At most 3 sentences, MAX_DEFINITION chars."""
    i = m.sentence
    parts = [sentences[i]]
    if m.strength == 2 and _ANAPHOR.search(sentences[i]):
        before = sentences[i - 1] if i > 0 else previous
        if not before or _mathy(before):
            if re.match(r"^\W*(?:this|these|such|that|those|it)\b", sentences[i], re.IGNORECASE):
                return ""  # "This algorithm is called X" with nothing to say what "this" is
        else:
            parts.insert(0, before[:-1] + "." if before.endswith(":") else before)
    last = i
    if not parts[-1].endswith(":") and sum(len(p.split()) for p in parts) < 15 and i + 1 < len(sentences):
        parts.append(sentences[i + 1])
        last = i + 1
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
    return _fit(parts)


def _mathy(sentence: str) -> bool:
    """A formula rather than prose (few letters, or few real words)."""
    letters = sum(c.isalpha() for c in sentence)
    wordish = len(re.findall(r"\b[a-zA-Z]{3,}\b", sentence))
    return letters < 0.6 * len(sentence.replace(" ", "")) or wordish < 4


def _fit(parts: list[str]) -> str:
    parts = [p.strip() for p in parts if p.strip()][:3]
    text = " ".join(parts)
    while len(text) > MAX_DEFINITION and len(parts) > 1:
        parts.pop()
        text = " ".join(parts)
    if len(text) > MAX_DEFINITION:
        cut = text[: MAX_DEFINITION - 1].rsplit(" ", 1)[0]
        text = cut.rstrip(",;:") + "…"
    text = re.sub(r"^\W*?(?=[\w\"“(])", "", text)  # leading emoji/✅/quote marks
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


# ---------------------------------------------------------------------------------------------
# headings → candidate terms


@lru_cache(maxsize=8192)
def heading_term(heading: str) -> tuple[str, list[str]] | None:
    """The concept a heading names, as (term, aliases), or None for lesson furniture, process
    headings ("Training the Perceptron"), questions and compounds ("X vs. Y", "X and Y")."""
    h = clean_term(heading)
    if not h or is_furniture(h) or re.fullmatch(r"page \d+", h, re.I) or _DOC_PART.match(h):
        return None
    if re.match(r"^(?:exercises?|examples?|assignments?|labs?|quiz|challenge|notebooks?)\b", h, re.I):
        return None
    m = re.match(r"^what\s+(?:is|are)\s+(?:an?\s+|the\s+)?(.+)$", h, re.I)
    if m:
        h = clean_term(m.group(1))
    elif re.match(r"^(?:how|why|what|when|where|which|who)\b", h, re.I):
        return None
    h = re.sub(r"^(?:an?\s+)?(?:introduction|intro)\s+(?:to|into)\s+(?:the\s+)?", "", h, flags=re.I)
    h = re.sub(r"^(?:overview\s+of|basics\s+of|understanding)\s+", "", h, flags=re.I)
    aliases: list[str] = []
    m = re.match(r"^(.+?)\s*\(([^()]{1,40})\)$", h)
    if m:
        h, alias = clean_term(m.group(1)), clean_term(m.group(2))
        aliases.append(alias)
    else:
        parts = [clean_term(p) for p in re.split(r"\s*(?::|\.\s|\s[-–—]\s)\s*", h) if clean_term(p)]
        if len(parts) == 2:
            a, b = parts
            generic_a = bool(re.search(r"\b(?:example|exercise|part|problem|step|case|demo|task)s?\b", a, re.I))
            if is_acronym(a) and len(b.split()) > 1:
                h, aliases = a, [b]
            elif is_acronym(b) and len(a.split()) > 1 and not generic_a:
                h, aliases = a, [b]
            else:
                h = b
        elif len(parts) > 2:
            h = parts[-1]
    m = re.match(r"^((?:\w+\s+)*?)(\w+)/(\w+)$", h)
    if m and not is_acronym(h):
        h, aliases = m.group(1) + m.group(2), aliases + [m.group(1) + m.group(3)]
    if len(h.split()) >= 3:
        h = re.sub(r"\s+tasks?$", "", h, flags=re.I)
    first = h.split()[0].lower() if h.split() else ""
    if first in _GENERIC_HEAD:
        return None
    if re.search(r"\s(?:and|vs\.?|versus|&|or)\s|,", h, re.I):
        return None
    if first in _PROCESS_VERBS and not (
        len(h.split()) > 1 and h.split()[1].lower() in _LEARNING_NOUN_FOLLOWERS
    ) and not (first == "learning" and len(h.split()) == 1):
        return None
    if not valid_term(h):
        return None
    return h, [a for a in aliases if valid_term(a) or is_acronym(a)]


_GENERIC_TAIL = re.compile(
    r"\s+(?:model|models|algorithm|algorithms|architecture|architectures|approach|method|technique|"
    r"mechanisms?|problem|framework)$",
    re.IGNORECASE,
)


def _aliases_after(text: str, start: int, term: str, emphasised: Iterable[str] = ()) -> list[str]:
    """Aliases written right after a term occurrence: ``"X (CNN)"``, ``"X, or GANs"``,
    ``"X (also known as PIL)"``, ``"X, also called Y,"``, ``"X, ANNs"``, ``"**X**, or **Y**"``,
    ``"GPT: Generative Pre-Trained Transformer"``."""
    rest = text[start:]
    out: list[str] = []
    for other in emphasised:
        if clean_term(other) != term and re.match(r"^\s*,?\s*(?:or|also\s+called|also\s+known\s+as|aka)\s+"
                                                    + re.escape(other) + r"\b", rest, re.I):
            if valid_term(clean_term(other)) or is_acronym(clean_term(other)):
                out.append(clean_term(other))
    m = re.match(r"^\s*[:\-–—]\s+([A-Z][\w\-]*(?:\s+[A-Za-z][\w\-]*){1,5})\s*(?:[.;,]|$)", rest)
    if m and is_acronym(term) and _acronym_fits(term, m.group(1)):
        out.append(clean_term(m.group(1)))
    m = re.match(r"^\s*\(\s*(?:(also\s+known\s+as|also\s+called|aka|or)\s+)?([^()]{1,40}?)\s*\)", rest, re.I)
    if m:
        cand = clean_term(m.group(2))
        if m.group(1) and valid_term(cand):
            out.append(cand)
        elif is_acronym(cand) and _acronym_fits(cand, term):
            out.append(cand)
    m = re.match(
        r"^\s*,\s*(?:(also\s+called|also\s+known\s+as|aka)\s+(?:an?\s+|the\s+)?|or\s+(?:simply\s+)?)?"
        r"[\"'“‘]?([\w\-]+(?:\s+[\w\-]+){0,3})[\"'”’]?\s*(?=[,.;:)]|$|\s+(?:is|are|which|that|where)\b)",
        rest,
        re.I,
    )
    if m:
        cand = clean_term(m.group(2))
        quoted = bool(re.match(r"^\s*,\s*(?:or\s+)?[\"'“‘]", rest))
        if (m.group(1) and valid_term(cand)) or (is_acronym(cand) and _acronym_fits(cand, term)) or (
            quoted and valid_term(cand) and len(cand.split()) <= 2
        ):
            out.append(cand)
    return out


def _acronym_fits(acr: str, term: str) -> bool:
    return acronym_key(acr) in initials(term) or acronym_key(acr) == norm_key(term).replace(" ", "")


# ---------------------------------------------------------------------------------------------
# extraction


@dataclass
class _Found:
    title: str
    aliases: list[str]
    definition: str
    strength: int
    section: int
    taught: str = "defined"


def _sentences(b: Block) -> list[str]:
    if b.kind == "table_row":  # each cell is its own text
        return [x for cell in b.text.split(" | ") for x in split_sentences(cell)]
    return split_sentences(b.text)


_QUIZ = re.compile(r"\bquiz", re.IGNORECASE)


def _section_roles(doc: Document) -> tuple[set[int], dict[int, int]]:
    """Which sections to skip (lesson furniture such as assignments, challenges, reviews, and
    what is nested under them) and which section to cite for each: text under a quiz heading
    ("## Pre-lecture quiz" followed by the lesson intro) is cited as the section before it."""
    skip: set[int] = set()
    cite: dict[int, int] = {}
    furniture_level: int | None = None
    last_content = 0
    for si, sec in enumerate(doc.sections):
        if sec.heading and furniture_level is not None and (sec.level <= furniture_level or sec.level == 0):
            furniture_level = None
        if sec.heading and is_furniture(sec.heading):
            if _QUIZ.search(sec.heading):
                cite[si] = last_content
                continue
            furniture_level = sec.level
        if furniture_level is not None:
            skip.add(si)
            continue
        if sec.heading and not (_QUIZ.search(sec.heading)):
            last_content = si
        cite[si] = si if not (sec.heading and _QUIZ.search(sec.heading)) else last_content
    return skip, cite


_ALIAS_HINT = re.compile(
    r"^\W*(?:(?:sometimes|often|also|usually)\s+)?(?:(?:the|a|an)\s+)?(?P<subj>[A-Za-z][\w\-]*(?:\s+[A-Za-z][\w\-]*){0,3}?)"
    r"\s+(?:is|are)\s+(?:also\s+|sometimes\s+|often\s+|usually\s+)?(?:called|known\s+as)\s+(?:an?\s+|the\s+)?$",
    re.IGNORECASE,
)


def _extract_section(doc: Document, si: int, found: list[_Found], hints: list[tuple[str, str, list[str]]]) -> None:
    """Candidates of one section into ``found``; ``hints`` collects "X are (also) called Y"
    sentences, where Y may be another name of a concept X defined elsewhere in the lesson."""
    sec = doc.sections[si]
    plain = doc.kind in ("pdf", "text")
    sent_cache = [_sentences(b) for b in sec.blocks]
    lead_in = ""  # the sentence before this section, when the section only continues it (a quiz heading)
    if si > 0 and sec.heading and _QUIZ.search(sec.heading):
        prev_blocks = [b for b in doc.sections[si - 1].blocks if b.kind in ("paragraph", "quote")]
        lead_in = (_sentences(prev_blocks[-1]) or [""])[-1] if prev_blocks else ""

    def previous_sentence(bi: int) -> str:
        for j in range(bi - 1, -1, -1):
            if sec.blocks[j].kind == "html":
                continue
            if sent_cache[j]:
                return sent_cache[j][-1]
            if sec.blocks[j].kind != "heading":
                return ""
        return lead_in

    def aliases_at(sentence: str, pat: str, term: str, emphasised: Iterable[str] = ()) -> list[str]:
        return _mention_aliases(sentence, _occurrence_regex(pat), term, emphasised)

    def search(term: str, aliases: list[str]) -> tuple[str, int, list[str]] | None:
        pat = _term_pattern(variants_of(term, aliases))
        for bi, b in enumerate(sec.blocks):
            if b.kind in ("table_row", "html", "heading"):
                continue
            m = _find_definition(sent_cache[bi], pat)
            if m:
                prev = previous_sentence(bi)
                extra = aliases_at(sent_cache[bi][m.sentence], pat, term, b.bold)
                return _compose(sent_cache[bi], m, sec.blocks[bi + 1:], prev), m.strength, extra
        return None

    # 1. the heading
    ht = heading_term(sec.heading) if sec.heading else None
    if ht:
        term, aliases = ht
        got = search(term, aliases)
        reduced = _GENERIC_TAIL.sub("", term)
        if not got and reduced != term and valid_term(reduced):
            got = search(reduced, aliases)
            if got:
                term = reduced
        if got:
            found.append(_Found(term, aliases + got[2], got[0], got[1], si))
    # 2. bold/italic terms and glossary items
    for bi, b in enumerate(sec.blocks):
        if b.kind in ("html", "heading"):
            continue
        sents = sent_cache[bi]
        emphasised = b.bold + b.italic
        terms: list[tuple[str, bool]] = [(t, True) for t in b.bold] + [(t, False) for t in b.italic]
        # a term is often linked where it is named ("one such model is called [VQGAN](...)"):
        # like italics, a link text only counts with a naming sentence
        terms += [(t, False) for t, _ in b.links if t and t not in b.bold and t not in b.italic]
        if b.lead and b.kind in ("list_item", "paragraph", "quote", "table_row"):
            lead = clean_term(b.lead)
            expl = _gloss_after(b.text, b.lead, emphasised) if valid_term(lead) else None
            if expl is not None:
                aliases = _aliases_after(b.text, b.text.lower().find(b.lead.lower()) + len(b.lead), lead, emphasised)
                defin = _fit(split_sentences(b.text))
                if len(defin.split()) >= 5:
                    found.append(_Found(lead, aliases, defin, 3, si))
                    done = {lead.lower(), *(a.lower() for a in aliases)}
                    terms = [(t, e) for t, e in terms if clean_term(t).lower() not in done]
        if plain and b.kind == "list_item":
            m = _PLAIN_GLOSS.match(b.text)
            if m and valid_term(clean_term(m.group(1))):
                found.append(_Found(clean_term(m.group(1)), [], _fit(split_sentences(b.text)), 3, si))
        for raw, is_bold in terms:
            term = clean_term(raw)
            given: list[str] = []
            paren = re.match(r"^(.*?)\s*\(([^()]{1,30})\)$", term)
            if paren and (is_acronym(paren.group(2)) or valid_term(clean_term(paren.group(2)))):
                term, given = clean_term(paren.group(1)), [clean_term(paren.group(2))]
            if not valid_term(term):
                continue
            pat = _term_pattern(variants_of(term, given))
            m = _find_definition(sents, pat, allow_subject=is_bold, allow_so_called=is_bold)
            if not m:
                continue
            sentence = sents[m.sentence]
            aliases = given + [a for a in aliases_at(sentence, pat, term, emphasised) if a not in given]
            occ = _occurrence_regex(pat).search(sentence)
            if m.strength == 2 and occ is not None:
                hint = _ALIAS_HINT.search(sentence[: occ.start()])
                if hint:
                    hints.append((hint.group("subj"), term, aliases))
            found.append(_Found(term, aliases, _compose(sents, m, sec.blocks[bi + 1:], previous_sentence(bi)), m.strength, si))
    # 3. plain-text formats have no emphasis: "A perceptron is a ...", "X (also known as Y) is ..."
    if plain:
        for bi, b in enumerate(sec.blocks):
            for k, s in enumerate(sent_cache[bi]):
                m = _PLAIN_SUBJECT.match(s)
                if not m:
                    continue
                term = clean_term(m.group("t") or m.group("t2") or "")
                if not valid_term(term):
                    continue
                aliases = [clean_term(a) for a in (m.group("a"), m.group("b"), m.group("a2"))
                           if a and (valid_term(clean_term(a)) or is_acronym(clean_term(a)))]
                aliases = [re.sub(r"^(?:also\s+known\s+as|also\s+called|aka|or)\s+", "", a, flags=re.I) for a in aliases]
                found.append(_Found(term, aliases, _compose(sent_cache[bi], _Match(3, k), sec.blocks[bi + 1:]), 3, si))


_PLAIN_SUBJECT = re.compile(
    r"^(?:An?|The)\s+(?P<t>[a-z][\w\-]*(?:\s+[a-z][\w\-]*){0,3})"
    r"(?:\s*\((?:also\s+known\s+as|also\s+called|aka|or)?\s*(?P<a>[^)]{1,40})\))?"
    r"(?:\s*,\s*also\s+called\s+(?P<b>[^,]{1,40}),)?\s+(?:is|are)\s+(?:an?|the)\s"
    r"|^(?P<t2>[A-Z][\w\-]+(?:\s+[A-Za-z][\w\-]*){0,3})\s+(?:\((?P<a2>[^)]{1,40})\)\s+)?(?:is|are)\s+(?:an?)\s",
)


def _apply_alias_hints(found: list[_Found], hints: list[tuple[str, str, list[str]]]) -> None:
    """"Neural networks are sometimes called Artificial Neural Networks, ANNs": when X is a
    concept of this lesson, Y (and its aliases) become X's aliases instead of a new concept."""
    for subj, term, aliases in hints:
        skeys = term_keys(subj)
        owner = next((f for f in found if term_keys(f.title) & skeys), None)
        if owner is None:
            continue
        tkeys = term_keys(term)
        for f in list(found):
            if f is not owner and term_keys(f.title) & tkeys and f.strength == 2:
                found.remove(f)
        owner.aliases += [a for a in (term, *aliases) if a not in owner.aliases]


def _doc_title_concept(doc: Document, lesson_id: str, found: list[_Found], skip: set[int]) -> None:
    """The lesson's own title (its first level-1 heading) is its main concept. Its definition is,
    in order of preference: a definition sentence anywhere in the lesson; the sentence of the
    introduction that names it (with the sentence before, when it starts "This is ..."); the
    opening of the section whose heading names it; the first sentence that mentions it."""
    h1 = next((i for i, s in enumerate(doc.sections) if s.level == 1 and s.heading), None)
    if h1 is None:
        return
    ht = heading_term(doc.sections[h1].heading)
    if not ht:
        return
    term, aliases = ht
    m = re.match(r"^(?:deep|advanced|modern|basic|classical|classic|applied|practical|simple)\s+(.+\s.+)$", term, re.I)
    if m:  # "Deep Reinforcement Learning" is taught as "reinforcement learning (RL) is ..."
        aliases = aliases + [m.group(1)]
    keys = set().union(*(term_keys(t) for t in (term, *aliases)))
    if any(keys & term_keys(f.title) for f in found):
        return
    pat = _term_pattern(variants_of(term, aliases))
    occ = _occurrence_regex(pat)
    if m:  # the definition is about the general term: title it so
        for si in [si for si in range(len(doc.sections)) if si not in skip]:
            for b in doc.sections[si].blocks:
                if b.kind in ("paragraph", "quote", "list_item"):
                    sents = split_sentences(b.text)
                    short_pat = _term_pattern(variants_of(m.group(1)))
                    if _find_definition(sents, short_pat):
                        term, aliases = m.group(1), [a for a in aliases if a != m.group(1)] + [ht[0]]
                        break
            else:
                continue
            break
    order = [si for si in range(len(doc.sections)) if si not in skip]
    # 1. a definition anywhere
    for si in order:
        sec = doc.sections[si]
        for bi, b in enumerate(sec.blocks):
            if b.kind in ("html", "heading", "table_row"):
                continue
            sents = split_sentences(b.text)
            m = _find_definition(sents, pat)
            if m:
                text = _compose(sents, m, sec.blocks[bi + 1:])
                if text:
                    found.append(_Found(term, aliases + _mention_aliases(sents[m.sentence], occ, term), text, m.strength, si))
                    return

    def mention(sections: Iterable[int], min_words: int) -> tuple[int, str, list[str]] | None:
        for si in sections:
            sec = doc.sections[si]
            for bi, b in enumerate(sec.blocks):
                if b.kind not in ("paragraph", "quote"):
                    continue
                sents = split_sentences(b.text)
                for k, sentence in enumerate(sents):
                    if (occ.search(sentence) and len(sentence.split()) >= min_words and not sentence.endswith("?")
                            and sentence.endswith((".", "!", ":"))):
                        prev = split_sentences(sec.blocks[bi - 1].text)[-1:] if bi > 0 else []
                        text = _compose(sents, _Match(2, k), sec.blocks[bi + 1:], prev[0] if prev else "")
                        if text:
                            return si, text, _mention_aliases(sentence, occ, term)
        return None

    # 2. the introduction (the title's own section and a quiz section right after it)
    intro = [h1] + [si for si in range(h1 + 1, len(doc.sections)) if _QUIZ.search(doc.sections[si].heading)][:1]
    got = mention([si for si in intro if si not in skip], 8)
    # 3. the section whose heading names it
    if got is None:
        named = [si for si in order if si != h1 and occ.search(doc.sections[si].heading)]
        for si in named[:1]:
            sec = doc.sections[si]
            for bi, b in enumerate(sec.blocks):
                if b.kind in ("paragraph", "quote") and len(b.text.split()) >= 8:
                    text = _fit(split_sentences(b.text)[:2])
                    got = (si, text, []) if text else None
                    break
    # 4. the first mention anywhere
    if got is None:
        got = mention(order, 8)
    if got is not None:
        found.append(_Found(term, aliases + got[2], got[1], 1, got[0]))


def _mention_aliases(sentence: str, occ: re.Pattern[str], term: str, emphasised: Iterable[str] = ()) -> list[str]:
    """Aliases around the term's occurrences in a sentence, and the acronym itself when the
    sentence uses the term's initials ("The way CNNs work ..." for Convolutional Neural Network)."""
    out: list[str] = []
    for m in occ.finditer(sentence):
        out += [a for a in _aliases_after(sentence, m.end(), term, emphasised) if a not in out]
        used = m.group(0)
        if is_acronym(used) and not is_acronym(term) and acronym_key(used) in initials(term):
            acr = used[:-1] if used.endswith("s") and used[-2:-1].isupper() else used
            if acr not in out:
                out.append(acr)
    return out


def extract_concepts(doc: Document, lesson_id: str, profile: CourseProfile | None = None) -> list[Concept]:
    """Concepts a lesson defines or introduces, each with a source (file, section, anchor,
    page/cell, lesson) and the code examples of the section where it is taught. ``profile``
    holds what the whole course says about terms (:mod:`knowledge.ingest.introduced`); without
    it the lesson alone is the course. Variants within the lesson are merged; use
    :func:`merge_variants` across lessons."""
    found: list[_Found] = []
    skip, cite = _section_roles(doc)
    hints: list[tuple[str, str, list[str]]] = []
    for si in range(len(doc.sections)):
        if si not in skip:
            _extract_section(doc, si, found, hints)
    _apply_alias_hints(found, hints)
    _doc_title_concept(doc, lesson_id, found, skip)
    known = {term_key(t) for f in found for t in (f.title, *f.aliases)}
    profile = profile or CourseProfile.build([doc])
    defining: dict[int, list[str]] = {}  # a heading over a definition may name that concept in other words
    for f in found:
        defining.setdefault(f.section, []).append(f.title)
    for c in find_introduced(doc, [si for si in range(len(doc.sections)) if si not in skip], known, defining,
                             profile.boilerplate):
        if keep(c, profile):
            found.append(_Found(c.term, list(c.aliases), c.definition, 1, c.section, "introduced"))
    concepts: list[Concept] = []
    by_section: dict[int, list[Concept]] = {}
    found = _fold_nested(found)
    for f in sorted(found, key=lambda f: (f.section, -f.strength)):
        definition = f.definition
        if len(definition.split()) < 5:
            continue
        sec = doc.sections[f.section]
        shown = doc.sections[cite.get(f.section, f.section)]
        src = Source(path=doc.path, section=shown.heading, anchor=shown.anchor, lesson=lesson_id, page=sec.page, cell=sec.cell)
        c = Concept(title=display_title(f.title), definition=definition, aliases=_clean_aliases(f.title, f.aliases),
                    sources=[src], taught=f.taught)
        concepts.append(c)
        by_section.setdefault(f.section, []).append(c)
    _attach_examples(doc, lesson_id, by_section, skip, cite)
    return merge_variants(concepts)


def _fold_nested(found: list[_Found]) -> list[_Found]:
    """Two candidates with the same definition where one title contains the other ("Pooling"
    from the heading, "pooling layer" in bold) are one concept: the longer title wins. The
    shorter becomes an alias only when it names the same thing (:func:`_names_same`); a mere
    modifier ("gradient" inside "gradient descent") was matched inside the longer term's
    sentence and has no definition of its own, so it is dropped."""
    out: list[_Found] = []
    for f in sorted(found, key=lambda f: -len(f.title)):
        host = next((o for o in out if o.definition == f.definition and o.section == f.section
                     and re.search(r"(?<![\w-])" + re.escape(norm_key(f.title)) + r"(?![\w-])", norm_key(o.title))), None)
        if host is None:
            out.append(f)
        elif _names_same(f.title, host.title):
            host.aliases += [a for a in (f.title, *f.aliases) if a not in host.aliases]
    return sorted(out, key=lambda f: found.index(f))


_NAME_TAIL = {"layer", "layers", "network", "networks", "model", "models", "algorithm", "algorithms", "architecture",
              "architectures", "approach", "method", "technique", "mechanism", "mechanisms", "problem", "framework",
              "function", "unit", "units", "cell", "cells", "process", "system", "systems", "task"}


def _names_same(short: str, long: str) -> bool:
    """Is ``short``, contained in ``long``, another name of it: the same words, the head of it
    ("neural network" in "artificial neural network"), or it without a generic last word
    ("pooling" / "pooling layer")?"""
    s, lo = norm_key(short), norm_key(long)
    if s == lo or lo.endswith(" " + s):
        return True
    return lo.startswith(s + " ") and lo[len(s) + 1:] in _NAME_TAIL


def _clean_aliases(title: str, aliases: Iterable[str]) -> list[str]:
    out: list[str] = []
    tkeys = term_keys(title)
    for a in aliases:
        a = clean_term(a)
        if a and not (term_keys(a) & tkeys) and a not in out:
            out.append(a)
    return out


def _attach_examples(
    doc: Document, lesson_id: str, by_section: dict[int, list[Concept]], skip: set[int], cite: dict[int, int]
) -> None:
    """Code blocks become examples of the concept the section (or its parent heading) is about."""
    active: list[tuple[int, Concept | None]] = []  # (heading level, concept) stack
    for si, sec in enumerate(doc.sections):
        if sec.heading and not (si > 0 and doc.sections[si - 1].anchor == sec.anchor and sec.cell is not None):
            while active and active[-1][0] >= sec.level:
                active.pop()
            mine = by_section.get(si, [])
            head = next((c for c in mine if norm_key(c.title) == norm_key((heading_term(sec.heading) or ("",))[0])), None)
            active.append((sec.level, head or (mine[0] if mine else None)))
        target = next((c for _, c in reversed(active) if c is not None), None)
        if target is None:
            mine = by_section.get(si, [])
            target = mine[0] if mine else None
        if target is None or si in skip:
            continue
        shown = doc.sections[cite.get(si, si)]
        for cb in sec.code_blocks:
            if len(target.examples) >= MAX_EXAMPLES or len(cb.text.strip()) < 8 or is_setup_code(cb.text):
                continue  # imports, installs, seeds, plotting: code that shows no concept
            src = Source(path=doc.path, section=shown.heading, anchor=shown.anchor, lesson=lesson_id, page=sec.page,
                         cell=cb.cell if cb.cell is not None else sec.cell)
            text = cb.text if len(cb.text) <= MAX_EXAMPLE_CHARS else cb.text[: MAX_EXAMPLE_CHARS - 1] + "…"
            target.examples.append(Example(text=text, kind="code", language=cb.language, source=src))

"""API names a lesson teaches: the functions and operators of a programming course.

A course about a library teaches its functions as much as its ideas ("`filter()` allows you to
keep rows based on the values of the columns", a section headed "`unnest_longer()`", "Use `cut()`
to break up a numeric vector into discrete buckets"), and a student asks about them in those
words ("How do I reorder factor levels?" is answered by `fct_reorder()`). An inline code span
(Markdown's backticks, HTML's ``<code>``, reStructuredText's literals, a code font in Word,
PowerPoint or PDF) becomes a concept when the lesson

* heads a section with it, alone or with its kind ("`filter()`", "The `launch()` method"), or
* says what it does in a sentence about it: the span is the sentence's subject ("`round()` uses
  ...", "The `geom_smooth()` function will ...", also written with arguments: "`is.na(x)` works
  with ..."; not "`is.na()` can also ...", one more use), the sentence says what to use it for
  ("Use `cut()` to break up ...", "To tidy this data, we'll use `pivot_longer()`:"), names it as
  the means ("... zoom to small values of the y-axis with `coord_cartesian()`:") or describes it in
  apposition ("`str_c()`, which takes ...", "the function `show_query()`"). A sentence that points
  back ("You can use `coalesce()` to replace them:") brings the one it points at.

A mere mention ("... close by using `[` with `lapply()`") is none. In prose only call-shaped names
(``name()``, ``pkg::name()``, ``obj.name()``) and infix operators (``%in%``) qualify — a bare
``x`` or ``df`` is a variable, and a class a heading names is a heading term like any other.
The concept keeps the name as written (its key keeps the call shape,
:data:`knowledge.lexical.CODE_NAME`, so ``filter()`` never merges with a "Filter" the course
defines in words); its examples are the code blocks of its section that call it; between lessons
the definition that speaks of it best wins (:func:`api_rank`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.lexical import API_IDENT
from knowledge.models import Concept, Example, Source

from .dialects import code_body, is_setup_code
from .document import Document, Section
from .lexicon import is_function_word
from .sentences import _fit, is_meta, split_sentences
from .terms import is_code_name

_KIND = r"(?:function|method|class|package|library|module|api|operator|verb|helper|object|attribute|argument|parameter|magic|indexer|property|iterator|generator)"
_HEADING = re.compile(rf"^(?:the\s+)?\x00(?:\s+(?P<kind>{_KIND})s?)?$", re.IGNORECASE)
_AUX = {"is", "are", "was", "were", "can", "could", "will", "would", "does", "do", "has", "have", "should",
        "may", "might", "must", "also", "then", "now", "simply", "just", "only", "always", "never", "lets"}
_SUBJECT_ADVERB = r"(?:(?:also|then|now|simply|just|only|always|never|basically)\s+)?"
_ORDINAL = r"(?:(?:first|second|third|next|finally|similarly|likewise),?\s+)?"  # "First, the `loc` attribute allows ..."
MAX_EXAMPLES = 2
MIN_WORDS = 4  # "`read_tsv()` reads tab delimited files." says all there is
MAX_EXAMPLE_CHARS = 4000

# how a sentence speaks of a span, strongest first
HEADING, SUBJECT, PURPOSE, MEANS, APPOSITION = 5, 4, 3, 2, 1
SHORT = 8  # a describing sentence shorter than this brings the next one of its paragraph


@dataclass(frozen=True)
class _Said:
    """One sentence that says what an API name does, and where."""

    strength: int
    section: int
    text: str
    back: bool = False  # it points back at what the sentence before it says


def _subject(sentence: str, span: str) -> bool:
    """The span opens the sentence and a verb follows: "`filter()` allows you to ...", "The
    `mean()` function is ..."; not "`filter()` and `arrange()` ..." (two subjects)."""
    m = re.match(rf"^{_ORDINAL}(?:the\s+|a\s+)?{re.escape(span)}(?:\s+{_KIND})?\s+{_SUBJECT_ADVERB}([a-z]+)\b", sentence,
                 re.IGNORECASE)
    if not m or re.match(rf"^(?:the\s+|a\s+)?{re.escape(span)}(?:\s+{_KIND})?\s+(?:\w+\s+)?also\b", sentence,
                         re.IGNORECASE):
        return False  # "`is.na()` can also be useful in ...": one more use, said after what it is
    word = m.group(1).lower()
    return word in _AUX or not is_function_word(word)


def _purpose(sentence: str, span: str) -> bool:
    """What to use it for: "Use `cut()` to break up ...", "To tidy this data, we'll use `pivot_longer()`:"."""
    name = re.escape(span)
    return bool(re.search(rf"\b(?:use|uses|using|call|calling|apply|applying)\s+(?:the\s+)?{name}"
                          rf"(?:\s+{_KIND})?\s+(?:\w+\s+)?to\s+[a-z]+", sentence, re.IGNORECASE)
                or re.match(rf"^to\s+[a-z]+\b[^.;]*\buse\s+(?:the\s+)?{name}(?:\s+{_KIND})?\s*[.:]?$", sentence,
                            re.IGNORECASE))


def _means(sentence: str, span: str) -> bool:
    """The sentence ends with the span as the means of what it says: "We can improve it by
    reordering the levels using `fct_reorder()`.", "... zoom to small values with `coord_cartesian()`:"."""
    return bool(re.search(rf"\b(?:using|with|via|by)\s+(?:the\s+)?{re.escape(span)}(?:\s+{_KIND})?\s*[.:]?$", sentence)
                # "NumPy provides this in the `np.partition` function."
                or re.search(rf"\bin\s+the\s+{re.escape(span)}\s+{_KIND}\s*[.:]?$", sentence))


def _apposition(sentence: str, span: str) -> bool:
    """Named beside what it is or does: "`str_c()`, which takes ...", "... generated by the dplyr
    function `show_query()`"."""
    name = re.escape(span)
    return bool(re.search(rf"{name}(?:\s+{_KIND})?,\s+which\s+[a-z]+", sentence, re.IGNORECASE)
                or re.search(rf"\b{_KIND}\s+{name}", sentence, re.IGNORECASE))


# a sentence that leaves what it says for later ("`across()` has three important arguments, which
# we'll discuss in the following sections") brings the sentence after it
_POINTS_AHEAD = re.compile(r"\b(?:which|that)\s+(?:we|you)(?:'ll|\s+will)\s+(?:discuss|see|cover|explore|learn|look\s+at)\b"
                           r"|\b(?:in|over)\s+the\s+(?:following|next)\s+(?:sections?|chapters?|lessons?)\b",
                           re.IGNORECASE)

# a sentence that points back ("One way to do that is with `fct_reorder()`") says less on its own
_POINTS_BACK = re.compile(r"^\W*(?:it|this|that|these|those|they)\b|\b(?:do|does|did)\s+(?:that|this|it|so)\b"
                          r"|\b(?:to|for)\s+(?:do\s+)?(?:this|that)\b|\bto\s+\w+\s+(?:them|it|this|that|these)\s*[.:]?$",
                          re.IGNORECASE)


_CALL_WITH_ARGS = re.compile(rf"({API_IDENT})\([^()]{{1,30}}\)")


def _canonical(span: str, text: str = "") -> str:
    """The API name an inline code span writes: itself when call-shaped ("filter()", "%in%"), the
    call without its arguments when a sentence describes it with them ("`is.na(x)` works with any
    type of vector" is about is.na()), a name the ``text`` gives its kind ("the `np.partition`
    function" is np.partition(), "the `loc` attribute" is .loc), else ""."""
    if is_code_name(span):
        return span
    m = _CALL_WITH_ARGS.fullmatch(span.strip())
    if m:
        return m.group(1) + "()"
    if text and len(span) > 1 and re.fullmatch(API_IDENT, span) and "$" not in span and "::" not in span:
        kind = re.search(rf"(?<![\w.]){re.escape(span)}\s+(function|method|attribute|indexer|property|statement)s?\b",
                         text, re.IGNORECASE)
        # "the `break` statement": a statement of the language ("the `axis` keyword" is an argument's)
        if kind and kind.group(1).lower() == "statement":
            return f"{span} statement" if span.isidentifier() and span.islower() else ""
        if kind:  # (an attribute is written as one, ".loc": so it never merges with a word, "Loc")
            return f"{span}()" if kind.group(1).lower() in ("function", "method") else "." + span.rsplit(".", 1)[-1]
    return ""


def api_rank(c: Concept) -> tuple[bool, float]:
    """How well an API name's definition says what it does, to choose between two lessons' (a
    section headed by the name first, then a sentence with it as subject, purpose, means,
    apposition; one pointing back ranks half a step lower)."""
    name = c.title.strip()
    headed = bool(c.sources) and bool(re.match(rf"^(?:the\s+)?{re.escape(name)}(?:\s+{_KIND}s?)?$",
                                               c.sources[0].section.strip(), re.IGNORECASE))
    best = 0.0
    for sentence in split_sentences(c.definition):
        for span in [name] + [m.group(0) for m in _CALL_WITH_ARGS.finditer(sentence) if _canonical(m.group(0)) == name]:
            if span in sentence:
                st = next((st for st, test in _TESTS if test(sentence, span)), 0)
                best = max(best, st - (0.5 if st and _POINTS_BACK.search(sentence) else 0.0))
    return headed, best


# a heading that says what its section does, then the API names that do it: "Timing Code Snippets:
# `%timeit` and `%time`", "Fast Sorting in NumPy: `np.sort` and `np.argsort`"
_SUBTITLED = re.compile(r"^[^\x00:]{3,80}:\s*\x00(?:\s*(?:,|,?\s*and|,?\s*or|&)\s*\x00)*$", re.IGNORECASE)
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
_CALLABLE = {"function", "method", "iterator", "generator", "helper", "verb"}
_LEADS = re.compile(r"^\x00\s*:\s*[^\x00:]{3,80}$")  # the name, then what its section shows about it
_ONLY_SPANS = re.compile(r"^\x00(?:\s*(?:,|,?\s*and|,?\s*or|&)\s*\x00)*$", re.IGNORECASE)


def _split_at_spans(sentences: list[str], spans) -> list[str]:
    """Sentences split again where one opens with a code span (English splits no sentence before a
    lower-case word: "... in the np.partition function. np.partition takes an array ...")."""
    if not spans:
        return sentences
    at = re.compile(r"(?<=[.!?])\s+(?=(?:" + "|".join(re.escape(x) for x in sorted(spans, key=len, reverse=True)) + r")(?![\w]))")
    return [part for x in sentences for part in at.split(x) if part]


def heading_names(sec: Section, code: str = "") -> list[str]:
    """The API names a heading is about ("`filter()`", "The `launch()` method" → "launch()"; the
    names after a colon, "Partial Sorts: `np.partition`" → "np.partition()": a dotted name a heading
    gives is a function; bare names its section's code calls, "### `zip`" → "zip()": ``code``, the
    section's code with that of the notebook cells under the same heading), or none (a class a heading
    names, "The `Trainer` class", is a heading term like any other)."""
    spans = [x for x in sec.heading_code if x in sec.heading]
    if not spans or len(spans) != len(sec.heading_code):
        return []
    h = sec.heading
    for x in spans:
        h = h.replace(x, "\x00", 1)
    h = h.strip()
    if len(spans) == 1 and _LEADS.match(h) and is_code_name(spans[0]):
        return [spans[0]]  # "`range()`: A List Is Not Always a List"
    if len(spans) == 1 and (m := _HEADING.match(h)):
        if is_code_name(spans[0]):
            return [spans[0]]
        # (a bare name, "### `zip`", "The `map` function", is a call when the section's code calls it; not a class)
        return _called(spans, code) if (m.group("kind") or "function").lower() in _CALLABLE else []
    if _ONLY_SPANS.match(h):  # "### `map` and `filter`": names the section's code calls
        return _called(spans, code)
    if not _SUBTITLED.match(h):
        return []
    names = [x if is_code_name(x) else f"{x}()" if _DOTTED.fullmatch(x) else "" for x in spans]
    return [n for n in names if n] if all(names) else []


def _under(doc: Document, si: int) -> list[int]:
    """Section ``si`` and the sections right after it under the same heading (a notebook's cells:
    the heading's markdown cell, then its code and text cells)."""
    out = [si]
    while out[-1] + 1 < len(doc.sections) and (doc.sections[out[-1] + 1].heading, doc.sections[out[-1] + 1].level) == (
            doc.sections[si].heading, doc.sections[si].level):
        out.append(out[-1] + 1)
    return out


def _code_under(doc: Document, si: int) -> str:
    """The code of section ``si`` with that of the cells under the same heading (:func:`_under`)."""
    return "\n".join(cb.text for sj in _under(doc, si) for cb in doc.sections[sj].code_blocks)


def _called(spans: list[str], code: str) -> list[str]:
    """``spans`` as calls ("zip()") when each is a bare name ``code`` calls ("zip(a, b)"), else
    none: a heading of bare names is about what its code does with them."""
    if not all(re.fullmatch(r"[A-Za-z_]\w*", x) and re.search(rf"(?<![\w.]){re.escape(x)}\(", code) for x in spans):
        return []
    return [f"{x}()" for x in spans]


def api_concepts(doc: Document, lesson_id: str, skip: set[int], cite: dict[int, int]) -> list[Concept]:
    """The API names ``doc`` teaches (see the module docstring), one concept each, with a source
    at the section that teaches it best and up to :data:`MAX_EXAMPLES` code blocks there that call it.
    Its definition is the strongest sentence about it, with the next strongest of the same section."""
    said: dict[str, list[_Said]] = {}
    headed = {si: heading_names(sec, _code_under(doc, si)) for si, sec in enumerate(doc.sections) if si not in skip}
    # (a bare name the lesson's headings make a call is that call in its sentences: "The `filter` iterator ...")
    calls = {n[:-2]: n for names in headed.values() for n in names if n.endswith("()")}
    for si, sec in enumerate(doc.sections):
        if si in skip:
            continue
        for name in headed[si]:
            said.setdefault(name, []).append(_Said(HEADING, si, ""))
        for b in sec.blocks:
            spans = {c: n for c in dict.fromkeys(b.code) if (n := _canonical(c, b.text) or calls.get(c, ""))}
            if b.kind not in ("paragraph", "list_item", "quote") or not spans:
                continue
            sentences = _split_at_spans(split_sentences(b.text), spans)
            for k, sentence in enumerate(sentences):
                if sentence.endswith("?") or is_meta(sentence):
                    continue  # "Let's use `x()` to ...": about the lesson's next step, not what x() is
                for span, name in ((x, n) for x, n in spans.items() if x in sentence):
                    strength = next((st for st, test in _TESTS if test(sentence, span)), 0)
                    if strength:
                        text, back = sentence, bool(_POINTS_BACK.search(sentence))
                        if back and k > 0:  # "You can use `coalesce()` to replace them": what "them" are
                            text = sentences[k - 1] + " " + text
                        elif (len(sentence.split()) < SHORT or _POINTS_AHEAD.search(sentence)) and k + 1 < len(sentences):
                            text += " " + sentences[k + 1]  # "... three arguments, which we'll discuss ...": the next says them
                        said.setdefault(name, []).append(_Said(strength, si, text, back))
    concepts = []
    for name, hits in said.items():
        best = max(hits, key=_weight)  # (the first of the strongest)
        si = best.section
        group = _under(doc, si)  # (a notebook's cells under one heading are one section)
        parts = [h.text for h in sorted((h for h in hits if h.section in group and h.text), key=lambda h: -_weight(h))]
        if not parts:
            parts = [_best_sentence([doc.sections[sj] for sj in group], name)]
        definition = _fit(list(dict.fromkeys(parts))[:2])
        if len(definition.split()) < MIN_WORDS:
            continue
        sec = doc.sections[si]
        shown = doc.sections[cite.get(si, si)]
        src = Source(path=doc.path, section=shown.heading, anchor=shown.anchor, lesson=lesson_id, page=sec.page,
                     cell=sec.cell)
        concepts.append(Concept(title=name, definition=definition, sources=[src],
                                examples=_examples(doc, si, name, src)))
    return concepts


def _weight(h: _Said) -> float:
    return h.strength - (0.5 if h.back else 0.0)


def _best_sentence(secs: list[Section], span: str) -> str:
    """What a section headed by an API name says of it when no sentence describes it: the first
    sentence that mentions it, else the section's first sentence."""
    sentences = [x for sec in secs for b in sec.blocks if b.kind in ("paragraph", "list_item", "quote")
                 for x in split_sentences(b.text) if not x.endswith("?") and not is_meta(x)]
    # "np.sort()" a heading gave is written "np.sort" too, the attribute ".loc" "loc"
    bare = span[:-2] if span.endswith("()") else span[1:] if span.startswith(".") else span
    named = re.compile(rf"(?<![\w.%]){re.escape(bare)}(?![\w%])")
    return next((x for x in sentences if named.search(x)), sentences[0] if sentences else "")


_TESTS = ((SUBJECT, _subject), (PURPOSE, _purpose), (MEANS, _means), (APPOSITION, _apposition))


def _examples(doc: Document, si: int, span: str, src: Source) -> list[Example]:
    """Code blocks of the section (and its subsections) that use the name; setup code is none."""
    called = (re.escape(span[:-2]) + r"\s*\(" if span.endswith("()") else re.escape(span) + r"(?!\w)" if span.startswith(".")
              else r"(?<!\w)" + re.escape(span) + r"(?!\w)")
    level = doc.sections[si].level
    out: list[Example] = []
    for sj in range(si, len(doc.sections)):
        sec = doc.sections[sj]
        if sj > si and sec.heading and sec.level <= level:
            break
        for cb in sec.code_blocks:
            if len(out) >= MAX_EXAMPLES:
                return out
            if not re.search(called, cb.text) or is_setup_code(cb.text, cb.language):
                continue
            body = code_body(cb.text)
            text = body if len(body) <= MAX_EXAMPLE_CHARS else body[: MAX_EXAMPLE_CHARS - 1] + "…"
            out.append(Example(text=text, kind="code", language=cb.language,
                               source=Source(path=src.path, section=src.section, anchor=src.anchor, lesson=src.lesson,
                                             page=sec.page, cell=cb.cell if cb.cell is not None else sec.cell)))
    return out

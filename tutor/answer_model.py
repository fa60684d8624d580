"""What an answer is, as data: the :class:`Answer` a student sees (the CLI and the page render it),
the numbered sources it cites, the events of a streamed answer and the chat memory."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from tutor import prompts
from tutor.retrieval import RetrievalResult
from tutor.support import REPEATED


@dataclass
class NumberedSource:
    n: int
    path: str
    section: str
    anchor: str = ""
    lesson: str = ""
    page: int | None = None
    cell: int | None = None
    lesson_title: str = ""
    course: str = ""
    # what the knowledge base holds from this section, for the page's source view:
    # [{"id", "title", "text" (what it is), "example": {"text", "kind", "language"} | None}]
    concepts: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def of(cls, n: int, src) -> "NumberedSource":
        """Source ``src`` (a :class:`knowledge.models.Source`) as the answer's [n]."""
        return cls(n, src.path, src.section, src.anchor, src.lesson, src.page, src.cell)

    def label(self) -> str:
        where = f" § {self.section}" if self.section else ""
        unit = "slide" if self.path.lower().endswith(".pptx") else "page"  # a deck's "page" is its slide
        extra = f", {unit} {self.page}" if self.page is not None else ""
        extra += f", cell {self.cell}" if self.cell is not None else ""
        return f"{self.path}{where}{extra}"


def described(definition: str, context: str = "", quoted: Iterable[str] = ()) -> str:
    """What the answer says a concept is: its definition; for a concept the course names but
    never defines, the sentence where it comes up, marked as such (never passed off as a
    definition) — unless one of the passages the answer ``quoted`` holds it whole (not twice)."""
    if definition:
        return definition
    flat = " ".join(context.split())
    if context and not any(flat in " ".join(q.split()) for q in quoted):
        return f"(not defined in the course; it comes up here: “{context}”)"
    return "(not defined in the course)"


@dataclass
class ConceptRef:
    id: str
    title: str
    definition: str = ""
    cite: int | None = None  # the [n] of its source
    note: str = ""  # the course's own sentence about it, for the model: the definition, else where it comes up
    weak: bool = False  # the student got it wrong in practice: explained first and flagged
    defined: bool = True  # the course says what it is (else ``definition`` says where it comes up)


class LearnerModel(Protocol):
    """What an answer needs to know about the student asking (:class:`tutor.mastery.Tracer`)."""

    def mastered(self, cid: str) -> bool: ...

    def weak(self, cid: str) -> bool: ...


def adapt(prerequisites: list[ConceptRef], learner: LearnerModel | None) -> tuple[list[ConceptRef], list[ConceptRef]]:
    """The prerequisites to explain and the ones the student has mastered (collapsed to one
    line). Weak ones come first, flagged; the rest keep their explanation order."""
    if learner is None:
        return prerequisites, []
    known = [p for p in prerequisites if learner.mastered(p.id)]
    rest = [p for p in prerequisites if not learner.mastered(p.id)]
    for p in rest:
        p.weak = learner.weak(p.id)
    return [p for p in rest if p.weak] + [p for p in rest if not p.weak], known


@dataclass
class Answer:
    """Everything a student sees, as data (the CLI and UI render it)."""

    question: str
    retrieval_query: str
    covered: bool
    model: str = ""
    profile: str = ""  # "paraphrase" (a small model explains the main definition) or "compose" (a capable one, the whole path)
    text: str = ""  # the model's prose (intuition), citations validated
    main: ConceptRef | None = None
    prerequisites: list[ConceptRef] = field(default_factory=list)
    known: list[ConceptRef] = field(default_factory=list)  # prerequisites the student has mastered
    compared: list[ConceptRef] = field(default_factory=list)  # what the question sets against the main concept
    also: list[ConceptRef] = field(default_factory=list)
    example: dict[str, Any] | None = None  # {"text", "kind", "language", "cite", "concept"}
    # the course's own words on the main concept, best match for the question first:
    # [{"text", "cite", "concept", "section"}] (empty when the course keeps no passages, e.g. the starter)
    passages: list[dict[str, Any]] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)  # parts of the question the course does not cover
    code_requested: bool = False
    no_code: str | None = None  # said when code was asked for and the course has none
    sources: list[NumberedSource] = field(default_factory=list)
    # the sections that answer the question as asked, best first (retrieval's ranked lessons, one
    # section per file); ``n`` is the section's [n] when the answer cites it, else 0
    read: list[NumberedSource] = field(default_factory=list)
    next_steps: list[ConceptRef] = field(default_factory=list)
    nearest: list[ConceptRef] = field(default_factory=list)  # when not covered
    demos: list[Any] = field(default_factory=list)
    # the model's sentences left out because the course's notes do not support them: [{"sentence", "reason"}]
    unsupported: list[dict[str, str]] = field(default_factory=list)
    # every sentence of the model's checked, shown or not: [{"sentence", "shown", "coverage", "similarity", "reason"}]
    checked: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the numbered course notes the model was given
    error: str | None = None
    retrieval: RetrievalResult | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        d = asdict(self)
        if self.retrieval is not None:
            d["retrieval"] = self.retrieval.to_dict()
        d["demos"] = [asdict(x) if hasattr(x, "__dataclass_fields__") else x for x in self.demos]
        return d

    def coverage_note(self) -> str:
        """What the answer leaves out because the course does not teach it (empty when nothing)."""
        if not self.uncovered or not self.covered:
            return ""
        about = f"; here is what it teaches about {self.main.title}" if self.main else ""
        return f"_The course does not cover {_listed(self.uncovered)} yet{about}._"

    def markdown(self) -> str:
        """The whole answer as Markdown, the one rendering of an answer (the page shows it, the
        CLI prints it through rich): the course explains first, in its own words and in
        prerequisite order (:meth:`course_markdown`); the model's intuition follows; then code,
        related concepts, sources and what to learn next (:meth:`rest_markdown`)."""
        if not self.covered:
            return "\n\n".join(x for x in (self.text, self.nearest_passage_markdown()) if x)
        return "\n\n".join(x for x in (self.course_markdown(), self.intuition_markdown(), self.rest_markdown()) if x)

    def nearest_passage_markdown(self) -> str:
        """For a question no concept answers: the lesson passage that talks about it, if one
        does, quoted with its source."""
        if self.covered or not self.passages:
            return ""
        return "\n\n".join(x for x in (_quotes(self.passages), self.sources_markdown()) if x)

    def sources_markdown(self) -> str:
        if not self.sources:
            return ""
        return f"**{prompts.HEADINGS['sources']}**\n\n" + "\n".join(f"[{s.n}] {s.label()}  " for s in self.sources)

    def intuition_markdown(self) -> str:
        return f"**{prompts.HEADINGS['intuition']}.** {self.text.strip()}" if self.covered and self.text.strip() else ""

    def course_markdown(self) -> str:
        """What the course says, before any model time: what is not covered, prerequisites (with
        the passage that teaches each), the main concept and the passage that answers the question."""
        h = prompts.HEADINGS
        if not self.covered:
            return ""
        quotes: dict[str, list[dict[str, Any]]] = {}
        for p in self.passages:
            quotes.setdefault(p.get("concept_id") or p.get("concept"), []).append(p)

        def quoted(key: str, indent: str = "") -> str:
            text = _quotes(quotes.get(key, []))
            return "\n".join(indent + line for line in text.splitlines())

        out = [self.coverage_note()]
        if self.error:
            out.append(f"> ⚠️ {self.error}")
        if self.known:
            out.append(f"**{h['known']}:** " + ", ".join(k.title + _cite(k.cite) for k in self.known))
        if self.prerequisites:
            out.append(f"**{h['prerequisites']}**")
            for i, p in enumerate(self.prerequisites, 1):
                item = f"{i}. **{p.title}**{WEAK_FLAG if p.weak else ''} — {p.definition}{_cite(p.cite)}"
                q = quoted(p.id, "   ")
                out.append(item + ("\n\n" + q if q else ""))
        if self.main:
            out.append(f"**{h['main']}: {self.main.title}** — {self.main.definition}{_cite(self.main.cite)}")
            q = quoted(self.main.id) or quoted(self.main.title)
            if q:
                out.append(f"**{h['passages']}**\n\n{q}")
        for c in self.compared:
            q = quoted(c.id)
            out.append(f"**{h['compared']}: {c.title}** — {c.definition}{_cite(c.cite)}" + ("\n\n" + q if q else ""))
        return "\n\n".join(x for x in out if x)

    def rest_markdown(self) -> str:
        h = prompts.HEADINGS
        if not self.covered:
            return ""
        out = []
        if self.example:
            ex = self.example
            body = f"```{ex.get('language') or ''}\n{ex['text']}\n```" if ex["kind"] == "code" else ex["text"]
            title = h["code"] if self.code_requested and ex["kind"] == "code" else h["example"]
            out.append(f"**{title}** ({ex.get('concept', '')}){_cite(ex.get('cite'))}\n\n{body}")
        if self.no_code:
            out.append(f"_{self.no_code}_")
        if self.also:
            out.append(f"**{h['also']}:** " + ", ".join(a.title + _cite(a.cite) for a in self.also))
        if self.sources:
            out.append(self.sources_markdown())
        if self.read:
            out.append(f"**{h['read']}:** " + "; ".join(s.label() + _cite(s.n) for s in self.read))
        if self.next_steps:
            out.append(f"**{h['next']}:** " + ", ".join(n.title for n in self.next_steps))
        if self.model:
            again = sum(u.get("reason") == REPEATED for u in self.unsupported)
            n = len(self.unsupported) - again
            left = (f" {n} of its sentences left out: the course does not support {'it' if n == 1 else 'them'}."
                    .replace("1 of its sentences", "One of its sentences") if n else "")
            left += (f" {again} left out as {'it repeats' if again == 1 else 'they repeat'} the course's words shown above."
                     if again else "")
            out.append(f"_Written by {self.model}; facts and sources from the course knowledge graph.{left}_")
        return "\n\n".join(out)


WEAK_FLAG = " ⚠️ _you missed this in practice; read it first_"


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _cite(n: int | None) -> str:
    return f" [{n}]" if n else ""


def _quote(text: str) -> str:
    return text.strip().replace("\n", "\n> ")


def _quotes(passages: list[dict[str, Any]]) -> str:
    """Passages as one Markdown block quote, each with its [n]."""
    return "\n>\n".join(f"> {_quote(p['text'])}{_cite(p.get('cite'))}" for p in passages)




@dataclass
class Event:
    """One step of a streamed answer, in this order: ``retrieval`` (the concepts found),
    ``facts`` (the answer's skeleton from the course, before any model time), ``queue`` (students
    still ahead while another answer is being written; 0 when this one's turn comes), ``token``
    (the model's prose), ``error``, ``demo``, ``done`` (the whole :class:`Answer`)."""

    kind: str
    data: Any = None


@dataclass
class Turn:
    question: str
    answer: str
    topic: str = ""  # the main concept's title


@dataclass
class Conversation:
    """Chat memory for follow-up questions."""

    turns: list[Turn] = field(default_factory=list)

    def add(self, answer: Answer) -> None:
        self.turns.append(Turn(answer.question, answer.text, answer.main.title if answer.main else ""))

    def clear(self) -> None:
        self.turns.clear()

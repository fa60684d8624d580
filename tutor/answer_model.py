"""What an answer is, as data: the :class:`Answer` a student sees (the CLI and the page render it),
the numbered sources it cites, the events of a streamed answer and the chat memory."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tutor import prompts
from tutor.retrieval import RetrievalResult


@dataclass
class NumberedSource:
    n: int
    path: str
    section: str
    anchor: str = ""
    lesson: str = ""
    page: int | None = None
    cell: int | None = None

    def label(self) -> str:
        where = f" § {self.section}" if self.section else ""
        extra = f", page {self.page}" if self.page is not None else ""
        extra += f", cell {self.cell}" if self.cell is not None else ""
        return f"{self.path}{where}{extra}"


def described(definition: str, context: str = "") -> str:
    """What the answer says a concept is: its definition; for a concept the course names but
    never defines, the sentence where it comes up, marked as such (never passed off as a
    definition)."""
    if definition:
        return definition
    return f"(not defined in the course; it comes up here: “{context}”)" if context else "(not defined in the course)"


@dataclass
class ConceptRef:
    id: str
    title: str
    definition: str = ""
    cite: int | None = None  # the [n] of its source
    note: str = ""  # the course's own sentence about it, for the model: the definition, else where it comes up


@dataclass
class Answer:
    """Everything a student sees, as data (the CLI and UI render it)."""

    question: str
    retrieval_query: str
    covered: bool
    model: str = ""
    text: str = ""  # the model's prose (intuition), citations validated
    main: ConceptRef | None = None
    prerequisites: list[ConceptRef] = field(default_factory=list)
    also: list[ConceptRef] = field(default_factory=list)
    example: dict[str, Any] | None = None  # {"text", "kind", "language", "cite", "concept"}
    # the course's own words on the main concept, best match for the question first:
    # [{"text", "cite", "concept", "section"}] (empty when the course keeps no passages, e.g. the starter)
    passages: list[dict[str, Any]] = field(default_factory=list)
    code_requested: bool = False
    no_code: str | None = None  # said when code was asked for and the course has none
    sources: list[NumberedSource] = field(default_factory=list)
    next_steps: list[ConceptRef] = field(default_factory=list)
    nearest: list[ConceptRef] = field(default_factory=list)  # when not covered
    demos: list[Any] = field(default_factory=list)
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

    def markdown(self) -> str:
        """The whole answer as Markdown (the UI renders it; lesson text stays text)."""
        h = prompts.HEADINGS
        if not self.covered:
            return self.text
        out = [f"**{h['intuition']}.** {self.text.strip()}" if self.text.strip() else ""]
        if self.error:
            out.append(f"> ⚠️ {self.error}")
        if self.prerequisites:
            out.append(f"**{h['prerequisites']}**")
            out.extend(f"{i}. **{p.title}** — {p.definition}{_cite(p.cite)}" for i, p in enumerate(self.prerequisites, 1))
        if self.main:
            out.append(f"**{h['main']}: {self.main.title}** — {self.main.definition}{_cite(self.main.cite)}")
        if self.passages:
            quoted = "\n>\n".join(f"> {_quote(p['text'])}{_cite(p.get('cite'))}" for p in self.passages)
            out.append(f"**{h['passages']}** ({self.main.title if self.main else ''})\n\n{quoted}")
        if self.example:
            ex = self.example
            body = f"```{ex.get('language') or ''}\n{ex['text']}\n```" if ex["kind"] == "code" else ex["text"]
            title = h["code"] if self.code_requested and ex["kind"] == "code" else h["example"]
            out.append(f"**{title}**{_cite(ex.get('cite'))}\n\n{body}")
        if self.no_code:
            out.append(f"_{self.no_code}_")
        if self.also:
            out.append(f"**{h['also']}:** " + ", ".join(a.title + _cite(a.cite) for a in self.also))
        if self.sources:
            out.append(f"**{h['sources']}**\n\n" + "\n".join(f"[{s.n}] {s.label()}  " for s in self.sources))
        if self.next_steps:
            out.append(f"**{h['next']}:** " + ", ".join(n.title for n in self.next_steps))
        if self.model:
            out.append(f"_Written by {self.model}; facts and sources from the course knowledge graph._")
        return "\n\n".join(x for x in out if x)


def _cite(n: int | None) -> str:
    return f" [{n}]" if n else ""


def _quote(text: str) -> str:
    return text.strip().replace("\n", "\n> ")




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

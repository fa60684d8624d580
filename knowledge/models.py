"""The course as data: concepts, their sources and examples, and typed edges.

Dataclasses only; storage lives in :mod:`knowledge.store`, the graph in :mod:`knowledge.graph`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Difficulty = Literal["beginner", "intermediate", "advanced"]
DIFFICULTIES: tuple[str, ...] = ("beginner", "intermediate", "advanced")

PREREQUISITE = "prerequisite_of"
RELATED_KINDS: tuple[str, ...] = ("is_a", "part_of", "contrasts_with", "related_to")
EDGE_KINDS: tuple[str, ...] = (PREREQUISITE, *RELATED_KINDS)


def slugify(text: str) -> str:
    """Stable concept id from a title: ``"Convolutional Neural Network (CNN)"`` →
    ``"convolutional-neural-network-cnn"``; ``"TF-IDF"`` → ``"tf-idf"``; an API call apart from
    the word it spells: ``"filter()"`` → ``"filter-call"``, ``"%in%"`` → ``"in-operator"``."""
    text = re.sub(r"\(\)\s*$", "-call", text.strip())
    text = re.sub(r"^%([\w.]+)%$", r"\1-operator", text)
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", norm.lower()).strip("-")
    return slug or "concept"


@dataclass(frozen=True)
class Source:
    """Where a fact came from: a lesson file (or URI), a section and, optionally, a page/cell."""

    path: str
    section: str = ""
    anchor: str = ""
    lesson: str = ""
    page: int | None = None
    cell: int | None = None

    def label(self) -> str:
        where = self.section or self.anchor
        extra = f", page {self.page}" if self.page is not None else ""
        extra += f", cell {self.cell}" if self.cell is not None else ""
        return f"{self.path}" + (f" § {where}" if where else "") + extra

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Source":
        return cls(
            path=str(d.get("path", "")),
            section=str(d.get("section", "") or ""),
            anchor=str(d.get("anchor", "") or ""),
            lesson=str(d.get("lesson", "") or ""),
            page=d.get("page"),
            cell=d.get("cell"),
        )


@dataclass(frozen=True)
class Example:
    """A short worked example (prose, code or math) with its own source."""

    text: str
    kind: str = "text"  # text | code | math
    language: str = ""
    source: Source | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Example":
        src = d.get("source")
        return cls(
            text=str(d.get("text", "")),
            kind=str(d.get("kind", "text") or "text"),
            language=str(d.get("language", "") or ""),
            source=Source.from_dict(src) if isinstance(src, dict) else None,
        )


TAUGHT = ("defined", "introduced")


@dataclass
class Concept:
    """One thing a student can learn. ``id`` is the slug of the canonical title."""

    title: str
    definition: str
    id: str = ""
    aliases: list[str] = field(default_factory=list)
    difficulty: str = "beginner"
    tags: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    # how the course teaches it: "defined" (a sentence says what it is) or "introduced" (a
    # heading names it, or it is set in italics/bold where first used, with no defining sentence)
    taught: str = "defined"
    # for a concept with no definition: the sentence where the course introduces it (searched
    # and embedded with the concept, shown as where it comes up, never as its definition)
    context: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = slugify(self.title)
        if self.taught not in TAUGHT:
            raise ValueError(f"concept {self.title!r}: taught must be one of {', '.join(TAUGHT)}, not {self.taught!r}")
        if self.difficulty not in DIFFICULTIES:
            raise ValueError(
                f"concept {self.title!r}: difficulty must be one of {', '.join(DIFFICULTIES)}, "
                f"not {self.difficulty!r}"
            )

    def embedding_text(self) -> str:
        """What is embedded: title + aliases + definition (else the sentence introducing it)."""
        head = self.title
        if self.aliases:
            head += " (" + ", ".join(self.aliases) + ")"
        return f"{head}: {self.definition or self.context}"

    def lessons(self) -> set[str]:
        return {s.lesson for s in self.sources if s.lesson}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Concept":
        return cls(
            id=str(d.get("id", "") or ""),
            title=str(d["title"]),
            definition=str(d.get("definition", "")),
            aliases=[str(a) for a in d.get("aliases", []) or []],
            difficulty=str(d.get("difficulty", "beginner") or "beginner"),
            tags=[str(t) for t in d.get("tags", []) or []],
            sources=[Source.from_dict(s) for s in d.get("sources", []) or []],
            examples=[Example.from_dict(e) for e in d.get("examples", []) or []],
            taught=str(d.get("taught", "defined") or "defined"),
            context=str(d.get("context", "") or ""),
        )


@dataclass(frozen=True)
class Edge:
    """A typed edge ``src --kind--> dst``.

    For ``prerequisite_of`` the source must be learned before the destination
    ("embeddings prerequisite_of CLIP"). ``evidence`` says why the edge exists and
    ``lesson`` which lesson contributed it (empty for hand-made edges).
    """

    src: str
    dst: str
    kind: str = PREREQUISITE
    evidence: str = ""
    lesson: str = ""

    def __post_init__(self) -> None:
        if self.kind not in EDGE_KINDS:
            raise ValueError(f"edge kind must be one of {', '.join(EDGE_KINDS)}, not {self.kind!r}")
        if self.src == self.dst:
            raise ValueError(f"an edge cannot join concept {self.src!r} to itself")

    @property
    def id(self) -> str:
        return f"{self.src}|{self.kind}|{self.dst}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Edge":
        return cls(
            src=str(d["src"]),
            dst=str(d["dst"]),
            kind=str(d.get("kind", PREREQUISITE)),
            evidence=str(d.get("evidence", "") or ""),
            lesson=str(d.get("lesson", "") or ""),
        )


@dataclass
class Passage:
    """A piece of a lesson in its own words (a paragraph run of one section, or one code block),
    tied to the concepts it teaches, so that answers can quote the course. ``source.lesson`` is
    the stored lesson record it belongs to (forgetting the lesson removes it)."""

    id: str
    text: str
    source: Source
    kind: Literal["text", "code"] = "text"
    language: str = ""
    concepts: list[str] = field(default_factory=list)
    order: int = 0  # position in its lesson

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Passage":
        return cls(
            id=str(d["id"]),
            text=str(d.get("text", "")),
            source=Source.from_dict(d.get("source") or {}),
            kind="code" if d.get("kind") == "code" else "text",
            language=str(d.get("language", "") or ""),
            concepts=[str(x) for x in d.get("concepts") or []],
            order=int(d.get("order") or 0),
        )

"""What a parsed lesson file looks like: a :class:`Document` of :class:`Section` s, each with
plain-text :class:`Block` s (that keep which words were bold or italic), code blocks, links and
figures. Every parser (Markdown, HTML, PDF, notebook, Word, slides, plain text) produces this shape, so the
extractors never see markup.

Lesson text is data: parsers turn markup into plain text and never execute or render it; text
that looks like instructions ("ignore previous instructions ...") is kept as ordinary text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CodeBlock:
    """A fenced/indented code block or a notebook code cell, kept verbatim."""

    text: str
    language: str = ""
    cell: int | None = None


@dataclass(frozen=True)
class Figure:
    """An image that belongs to the lesson: a PNG output of a notebook cell, or a local image
    file a Markdown/HTML lesson links to (missing files are skipped)."""

    data: bytes
    caption: str = ""
    anchor: str = ""
    cell: int | None = None
    mime: str = "image/png"
    source: str = ""  # the image path for a linked file; empty for notebook outputs


@dataclass
class Block:
    """One paragraph, list item, quote paragraph or table row as plain text.

    ``bold``/``italic`` are the emphasised spans in order (plain text), ``code`` the inline code
    spans (an API name a lesson teaches: ``filter()``); ``lead`` is the
    emphasised span the block starts with (after an optional article), if any — the shape of a
    glossary item ``- **Term** – explanation``.
    """

    text: str
    kind: str = "paragraph"  # paragraph | list_item | quote | table_row | html
    bold: list[str] = field(default_factory=list)
    italic: list[str] = field(default_factory=list)
    lead: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (link text, target)
    code: list[str] = field(default_factory=list)  # inline code spans ("`filter()`"), in order


@dataclass
class Section:
    """A heading and what follows it up to the next heading (a page for PDF; a markdown cell,
    or its part under one heading, for a notebook). ``anchor`` is the GitHub-style slug of the
    heading, unique within the document; text before the first heading has ``heading == ""``."""

    heading: str
    anchor: str
    level: int = 0
    blocks: list[Block] = field(default_factory=list)
    code_blocks: list[CodeBlock] = field(default_factory=list)
    page: int | None = None
    cell: int | None = None
    labels: list[str] = field(default_factory=list)  # cross-reference targets defined here (``:label:``)
    heading_code: list[str] = field(default_factory=list)  # inline code spans in the heading

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks if b.text)

    @property
    def links(self) -> list[str]:
        return [target for b in self.blocks for _, target in b.links]


@dataclass
class Document:
    """One parsed lesson file. ``path`` is posix and relative to the ingest root."""

    path: str
    title: str
    kind: str  # markdown | html | rst | pdf | notebook | word | slides | text
    sections: list[Section] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    sha256: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def links(self) -> list[str]:
        seen: dict[str, None] = {}
        for s in self.sections:
            for target in s.links:
                seen.setdefault(target, None)
        return list(seen)

    @property
    def text(self) -> str:
        parts = []
        for s in self.sections:
            if s.heading:
                parts.append(s.heading)
            if s.text:
                parts.append(s.text)
        return "\n\n".join(parts)


# ---------------------------------------------------------------------------------------------
# text helpers shared by parsers and extractors

# a font that sets code: a run in it inside a sentence is inline code (Word, PowerPoint, PDF)
MONOSPACE_FONT = re.compile(r"consolas|courier|menlo|monaco|mono|lucida console|source code|fira code|inconsolata|"
                            r"jetbrains|cascadia", re.IGNORECASE)

_WS = re.compile(r"[ \t\r\f\v\u00a0]+")


def clean_text(text: str) -> str:
    """Collapse runs of spaces (not newlines) and strip; normalise odd spaces and NFC."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u200b", "").replace("\ufeff", "")
    lines = [_WS.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


_GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "epsilon": "ε", "varepsilon": "ε",
          "theta": "θ", "lambda": "λ", "mu": "μ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ",
          "chi": "χ", "psi": "ψ", "omega": "ω", "ell": "ℓ"}
_SYMBOL = re.compile(r"\s*(?:([A-Za-z])|\\(" + "|".join(_GREEK) + r"))(?:_\{?(\d)\}?)?\s*")
_TIMES = re.compile(r"\s*(\d+)\s*\\times\s*(\d+)\s*")


def symbol_in_name(math: str, after: str) -> str | None:
    """Inline math that is part of a name, as plain text: a one-symbol formula joined by a hyphen
    to the word after it ("$n$-gram" → "n-gram", "$\\epsilon$-greedy" → "ε-greedy", "$\\ell_2$-regularized"
    → "ℓ2-regularized"), or a size "$1 \\times 1$" → "1×1"; None for any other formula."""
    m = _TIMES.fullmatch(math)
    if m:
        return f"{m.group(1)}×{m.group(2)}"
    m = _SYMBOL.fullmatch(math)
    if m and re.match(r"-[A-Za-z]", after):
        return (m.group(1) or _GREEK[m.group(2)]) + (m.group(3) or "")
    return None


def one_line(text: str) -> str:
    return _WS.sub(" ", text.replace("\n", " ")).strip()


class AnchorMaker:
    """GitHub-style heading anchors, unique within one document: ``"🚀 Challenge"`` →
    ``"-challenge"``, a second ``"Post-lecture quiz"`` → ``"post-lecture-quiz-1"``."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def __call__(self, heading: str) -> str:
        base = github_slug(heading)
        n = self._seen.get(base)
        self._seen[base] = 0 if n is None else n + 1
        return base if n is None else f"{base}-{n + 1}"


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation and emoji removed (letters,
    digits, ``-`` and ``_`` kept), each space a hyphen."""
    text = heading.strip().lower()
    text = "".join(
        ch
        for ch in text
        if ch in "-_ " or (unicodedata.category(ch)[0] in "LNM" and ch not in "\ufe0e\ufe0f")
    )
    return text.replace(" ", "-")

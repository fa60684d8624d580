"""Graphviz DOT for the pictures of the knowledge graph (rendered by ``st.graphviz_chart``).

Every label and id is escaped here: concept titles come from lesson files, and a quote or a
backslash in a title must not end the DOT string early. Prerequisite edges are solid blue
arrows (learn the source first); related edges are dashed grey and labelled with their kind.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from knowledge.models import PREREQUISITE

SEED_FILL, SEED_LINE = "#ffe08a", "#b7791f"
FOCUS_FILL = "#ffe08a"
NODE_FILL, NODE_LINE = "#eef2f7", "#8a94a6"
PREREQ_COLOUR = "#2b6cb0"
RELATED_COLOUR = "#8a8a8a"
DIRECTED_RELATED = {"is_a", "part_of"}  # read as "A is a B", "A is part of B"

LEGEND = (
    "Gold: what the question is about · solid blue arrow: prerequisite (learn the arrow's start first) · "
    "dashed grey: related (labelled with how)"
)


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    highlight: bool = False  # a seed (or the concept in focus)
    note: str = ""  # a second, smaller line (e.g. "seed 0.83")
    fill: str = ""  # a fill colour of its own (mastery), else the default or the highlight


@dataclass(frozen=True)
class Link:
    src: str
    dst: str
    kind: str


def quote(text: object) -> str:
    """A DOT quoted string: one line, backslashes and quotes escaped."""
    flat = " ".join(str(text).split())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(node: Node, width: int = 20) -> str:
    lines = textwrap.wrap(" ".join(node.label.split()), width) or [node.id]
    if node.note:
        lines.append(node.note)
    escaped = [quote(line)[1:-1] for line in lines[:4]]
    return '"' + "\\n".join(escaped) + '"'


def to_dot(nodes: Iterable[Node], links: Iterable[Link], rankdir: str = "LR") -> str:
    """A DOT digraph of these nodes and typed links (links to unknown nodes are dropped)."""
    nodes = list(nodes)
    known = {n.id for n in nodes}
    out = [
        "digraph G {",
        f"  rankdir={rankdir}; bgcolor=\"transparent\"; nodesep=0.25; ranksep=0.45;",
        f"  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11, "
        f"fillcolor=\"{NODE_FILL}\", color=\"{NODE_LINE}\", margin=\"0.12,0.06\"];",
        "  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];",
    ]
    for n in nodes:
        style = f", fillcolor=\"{SEED_FILL}\", color=\"{SEED_LINE}\", penwidth=2" if n.highlight else ""
        if n.fill:
            style += f", fillcolor=\"{n.fill}\""
        out.append(f"  {quote(n.id)} [label={_label(n)}{style}];")
    seen: set[tuple[str, str, str]] = set()
    for e in links:
        if e.src not in known or e.dst not in known or (e.src, e.dst, e.kind) in seen:
            continue
        seen.add((e.src, e.dst, e.kind))
        if e.kind == PREREQUISITE:
            attrs = f"color=\"{PREREQ_COLOUR}\", penwidth=1.6"
        else:
            direction = "" if e.kind in DIRECTED_RELATED else ", dir=none"
            attrs = (f"color=\"{RELATED_COLOUR}\", fontcolor=\"{RELATED_COLOUR}\", style=dashed, "
                     f"label={quote(e.kind.replace('_', ' '))}{direction}")
        out.append(f"  {quote(e.src)} -> {quote(e.dst)} [{attrs}];")
    out.append("}")
    return "\n".join(out)


def retrieval_dot(result) -> str:
    """The subgraph a question retrieved (a :class:`tutor.retrieval.RetrievalResult`)."""
    seeds = {s.id: s for s in result.seeds}
    nodes = [
        Node(step.id, step.title, step.id in seeds,
             f"seed {seeds[step.id].score:.2f}" if step.id in seeds else "")
        for step in result.path
    ]
    links = [Link(e.src, e.dst, e.kind) for e in result.edges]
    return to_dot(nodes, links)


def neighbourhood_dot(kb, cid: str, depth: int = 1) -> str:
    """A concept with its prerequisites, what it unlocks and its related concepts (the walk is
    the knowledge base's: :meth:`knowledge.kb.KnowledgeBase.neighbourhood`)."""
    ids, edges = kb.neighbourhood(cid, depth)
    concepts = kb.concepts()
    nodes = [Node(c, concepts[c].title, c == cid) for c in ids]
    return to_dot(nodes, [Link(e.src, e.dst, e.kind) for e in edges])


# mastery, from "not yet" to "mastered": a colour-blind-safe ramp (light grey → blue) with a
# separate orange for weak concepts
UNSEEN_FILL = "#f2f2f2"
MASTERY_RAMP = ["#deebf7", "#9ecae1", "#4292c6", "#2171b5"]
WEAK_FILL = "#fdae6b"
MASTERY_LEGEND = ("Grey: not practised yet · light to dark blue: mastery growing (darkest: mastered) · "
                  "orange: weak, practise it · blue arrow: prerequisite")


def mastery_fill(p: float, seen: bool, weak: bool, mastered_at: float) -> str:
    if weak:
        return WEAK_FILL
    if not seen:
        return UNSEEN_FILL
    if p >= mastered_at:
        return MASTERY_RAMP[-1]
    return MASTERY_RAMP[min(len(MASTERY_RAMP) - 2, int(p / mastered_at * (len(MASTERY_RAMP) - 1)))]


def mastery_dot(kb, ids: list[str], fills: dict[str, str], notes: dict[str, str]) -> str:
    """These concepts and the prerequisite edges among them, each filled by the learner's mastery."""
    concepts = kb.concepts()
    keep = [c for c in ids if c in concepts]
    g = kb.graph.prereq
    links = [Link(a, b, PREREQUISITE) for a in keep for b in keep if g.has_edge(a, b)]
    nodes = [Node(c, concepts[c].title, False, notes.get(c, ""), fills.get(c, "")) for c in keep]
    return to_dot(nodes, links, rankdir="TB")

"""Scoring inferred prerequisite edges against a hand-made gold set (precision, recall)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import networkx as nx

from knowledge.models import Concept, Edge

from .terms import term_keys


def _rows(path: Path | str) -> list[dict]:
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(json.loads(line))
    return out


def load_gold(path: Path | str) -> list[dict[str, str]]:
    """Gold edges, one JSON object per line: ``{"src": ..., "dst": ..., "why": ...}`` (node
    rows, ``{"node": ..., "aliases": [...]}``, are read by :func:`load_gold_nodes`)."""
    return [r for r in _rows(path) if "src" in r]


def load_gold_nodes(path: Path | str) -> dict[str, list[str]]:
    """The gold sample's nodes and their other names, when the file lists them: every pair of
    them was judged, so an inferred edge between two nodes with no gold path is wrong."""
    return {r["node"]: list(r.get("aliases", [])) for r in _rows(path) if "node" in r}


@dataclass
class EdgeScore:
    precision: float  # correct / evaluable inferred edges
    recall: float  # gold edges found / gold edges
    strict_precision: float  # like precision, but only a direct gold edge counts as correct
    evaluable: int  # inferred edges whose both endpoints map to gold concepts
    correct: int
    found: int  # gold edges with a matching inferred edge (direct, or a path of inferred edges)
    gold: int
    unmapped_gold_names: list[str] = field(default_factory=list)


def score_edges(inferred: list[Edge], gold: list[dict[str, str]], concepts: Iterable[Concept] = (),
                nodes: dict[str, list[str]] | None = None) -> EdgeScore:
    """Precision/recall of inferred prerequisite edges against a gold set.

    A gold name matches a concept when its normalised form (case, plural, hyphens, articles)
    equals the concept's title or an alias, or it is the concept's acronym. Precision is
    computed over the *evaluable* inferred edges — those whose both endpoints map to concepts
    named in the gold set; one is correct when the gold set has that edge or implies it through
    a chain of gold edges (prerequisite is transitive). ``strict_precision`` counts direct gold
    edges only. Recall: the share of gold edges whose endpoints are joined by an inferred edge
    or a chain of inferred edges. ``nodes`` (name → aliases) adds judged nodes without gold
    edges and the other names a node goes by."""
    cs = list(concepts)
    concept_keys: dict[str, set[str]] = {}
    for c in cs:
        ks: set[str] = set()
        for t in (c.title, *c.aliases):
            ks |= term_keys(t)
        concept_keys[c.id] = ks
    for e in inferred:  # endpoints without a concept: read the id (a slug) as a name
        for end in (e.src, e.dst):
            concept_keys.setdefault(end, term_keys(end.replace("-", " ")))
    nodes = nodes or {}
    gold_nodes = sorted({g[k] for g in gold for k in ("src", "dst")} | set(nodes))

    def keys_of(n: str) -> set[str]:
        return set().union(term_keys(n), *(term_keys(a) for a in nodes.get(n, [])))

    names = {n: {cid for cid, ks in concept_keys.items() if ks & keys_of(n)} for n in gold_nodes}
    to_gold: dict[str, str] = {}
    for n, ids in names.items():
        for cid in ids:
            to_gold.setdefault(cid, n)
    gg = nx.DiGraph()
    gg.add_edges_from((g["src"], g["dst"]) for g in gold)
    direct = {(g["src"], g["dst"]) for g in gold}
    evaluable = correct = strict = 0
    ig = nx.DiGraph()
    for e in inferred:
        a, b = to_gold.get(e.src), to_gold.get(e.dst)
        if a is None or b is None or a == b:
            continue
        ig.add_edge(a, b)
        evaluable += 1
        if (a, b) in direct:
            strict += 1
        if gg.has_node(a) and gg.has_node(b) and nx.has_path(gg, a, b):
            correct += 1
    found = sum(1 for g in gold if ig.has_node(g["src"]) and ig.has_node(g["dst"]) and nx.has_path(ig, g["src"], g["dst"]))
    return EdgeScore(
        precision=correct / evaluable if evaluable else 0.0,
        recall=found / len(gold) if gold else 0.0,
        strict_precision=strict / evaluable if evaluable else 0.0,
        evaluable=evaluable,
        correct=correct,
        found=found,
        gold=len(gold),
        unmapped_gold_names=sorted(n for n, ids in names.items() if not ids),
    )

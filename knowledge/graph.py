"""The typed concept graph in memory (NetworkX), rebuilt from the store's edges.

Two directed graphs over the same nodes: ``prereq`` holds ``prerequisite_of`` edges
(``u → v``: learn u before v; always acyclic) and ``related`` holds the related kinds
(``is_a``, ``part_of``, ``contrasts_with``, ``related_to``), traversed in both directions.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from .models import PREREQUISITE, Edge


class CycleError(ValueError):
    """Adding a prerequisite edge would close a cycle."""

    def __init__(self, edge: Edge, cycle: list[str]) -> None:
        self.edge = edge
        self.cycle = cycle
        loop = " → ".join([*cycle, cycle[0]])
        super().__init__(
            f"refused: '{edge.src} prerequisite_of {edge.dst}' would close the cycle {loop}; "
            "prerequisites must form an order, so remove or reverse one of these edges"
        )


class KnowledgeGraph:
    def __init__(self, nodes: Iterable[str] = (), edges: Iterable[Edge] = ()) -> None:
        self.prereq = nx.DiGraph()
        self.related = nx.DiGraph()
        self.prereq.add_nodes_from(nodes)
        self.related.add_nodes_from(self.prereq.nodes)
        for e in edges:
            self.add(e, check=False)

    # -- building ---------------------------------------------------------------------
    def copy(self) -> "KnowledgeGraph":
        new = KnowledgeGraph()
        new.prereq = self.prereq.copy()
        new.related = self.related.copy()
        return new

    def has_node(self, cid: str) -> bool:
        return cid in self.prereq

    def add_node(self, cid: str) -> None:
        self.prereq.add_node(cid)
        self.related.add_node(cid)

    def remove_node(self, cid: str) -> None:
        if cid in self.prereq:
            self.prereq.remove_node(cid)
            self.related.remove_node(cid)

    def cycle_through(self, edge: Edge) -> list[str] | None:
        """The cycle ``edge`` would close, as a node list starting at its source, else None."""
        if edge.kind != PREREQUISITE or edge.dst not in self.prereq or edge.src not in self.prereq:
            return None
        if self.prereq.has_edge(edge.src, edge.dst):
            return None
        try:
            back = nx.shortest_path(self.prereq, edge.dst, edge.src)
        except nx.NetworkXNoPath:
            return None
        return [edge.src, *back[:-1]]

    def add(self, edge: Edge, check: bool = True) -> None:
        """Add an edge; with ``check``, a prerequisite edge closing a cycle raises CycleError."""
        for n in (edge.src, edge.dst):
            if n not in self.prereq:
                self.add_node(n)
        if edge.kind == PREREQUISITE:
            if check and (cycle := self.cycle_through(edge)):
                raise CycleError(edge, cycle)
            self.prereq.add_edge(edge.src, edge.dst, evidence=edge.evidence)
        else:
            kinds = self.related.get_edge_data(edge.src, edge.dst, {}).get("kinds", {})
            self.related.add_edge(edge.src, edge.dst, kinds={**kinds, edge.kind: edge.evidence})

    def remove(self, edge: Edge) -> None:
        if edge.kind == PREREQUISITE:
            if self.prereq.has_edge(edge.src, edge.dst):
                self.prereq.remove_edge(edge.src, edge.dst)
        elif self.related.has_edge(edge.src, edge.dst):
            kinds = dict(self.related[edge.src][edge.dst]["kinds"])
            kinds.pop(edge.kind, None)
            if kinds:
                self.related[edge.src][edge.dst]["kinds"] = kinds
            else:
                self.related.remove_edge(edge.src, edge.dst)

    # -- reading ----------------------------------------------------------------------
    def prerequisites(self, cid: str) -> list[str]:
        return sorted(self.prereq.predecessors(cid)) if cid in self.prereq else []

    def unlocks(self, cid: str) -> list[str]:
        """Concepts that ``cid`` is a prerequisite of (what to learn next)."""
        return sorted(self.prereq.successors(cid)) if cid in self.prereq else []

    def related_to(self, cid: str) -> list[tuple[str, str]]:
        """``[(neighbour, kind)]`` over related edges in either direction, sorted."""
        if cid not in self.related:
            return []
        out: dict[str, str] = {}
        for nb in self.related.successors(cid):
            out.setdefault(nb, sorted(self.related[cid][nb]["kinds"])[0])
        for nb in self.related.predecessors(cid):
            out.setdefault(nb, sorted(self.related[nb][cid]["kinds"])[0])
        return sorted(out.items())

    def edges(self) -> list[Edge]:
        out = [Edge(u, v, PREREQUISITE, d.get("evidence", "")) for u, v, d in self.prereq.edges(data=True)]
        for u, v, d in self.related.edges(data=True):
            out.extend(Edge(u, v, k, ev) for k, ev in sorted(d["kinds"].items()))
        return out

    def counts(self) -> dict[str, int]:
        counts = {PREREQUISITE: self.prereq.number_of_edges()}
        for _, _, d in self.related.edges(data=True):
            for k in d["kinds"]:
                counts[k] = counts.get(k, 0) + 1
        return counts

    def __len__(self) -> int:
        return self.prereq.number_of_nodes()

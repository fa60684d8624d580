"""Graph-aware retrieval: semantic + lexical seeds, prerequisites up to a depth, related concepts,
capped and put in explanation order (prerequisites before what needs them)."""

from __future__ import annotations

import time
from collections import deque
from typing import Any

import networkx as nx

from knowledge.kb import KnowledgeBase
from knowledge.lexical import name_key, normalise_scores
from knowledge.models import PREREQUISITE

from .citing import cite_best_passage, elsewhere, heading_is_about, lead_with, own_sections_first, ranked_lessons
from .coverage import asked
from .seed_order import narrower_first, setting_after
# the records retrieval returns (kept importable from here)
from .retrieval_model import (  # noqa: F401
    EdgeUsed, PathStep, RetrievalError, RetrievalParams, RetrievalResult, Seed,
)

# fusion weights: cosine similarity is the base; BM25 and an exact name in the question add to it
W_BM25 = 0.15
W_NAME = 0.35
W_SPECIFIC = 0.05  # among concepts named in the question, the more specific (more prerequisites) leads
SEED_RELATIVE = 0.6  # a seed needs at least this share of the best cosine + BM25 score
W_PASSAGE = 0.3  # a concept taught in one of the lesson passages that best match the question (BM25)
PASSAGE_POOL = 16
PASSAGE_ELSEWHERE = 3  # of those, the best few may add their section to a seed's sources
CITED_PASSAGES = 2  # the lessons of this many best passages are always among the seeds' sources
LEAD_RATIO = 1.1  # the best passage, this far ahead of the next by BM25, has its lesson among the first two cited
NAMED_SEED = 0.8  # a name spotted this surely (an acronym: 0.8) keeps a seed for the concept
NAME_SLACK = 0.15  # how far below min_score a concept named in the question may be
STRONG_WORDS = 0.9  # ... and a concept both BM25 rankings put this near their best (its text, its section)
RELATED_MIN_COSINE = 0.0  # a related concept less like the question than this (unlike it) is no help to it
RELATED_PER_CONCEPT = 3  # at most this many related concepts through one concept (a broad one relates to many)
# a one-word name the course uses in this share of its lessons or fewer weighs in full; from there
# its weight falls to nothing at EVERYDAY_TO ("layer", "class", "tensor": half of d2l's lessons)
EVERYDAY_FROM = 0.25
EVERYDAY_TO = 0.6


class Retriever:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    # The three raw parts, exposed separately so the benchmark can time them alone.
    def embed(self, query: str):
        return self.kb.embed_query(query)

    def dense(self, embedding, n: int) -> list[tuple[str, float]]:
        return self.kb.nearest(embedding, n)

    def retrieve(self, query: str, params: RetrievalParams | None = None) -> RetrievalResult:
        params = params or RetrievalParams()
        if not query or not query.strip():
            raise RetrievalError("the question is empty: ask something, e.g. \"What is a CNN?\"")
        query = " ".join(query.split())
        t0 = time.perf_counter()
        emb = self.embed(query)
        self._last = (query, emb)  # the lexical-only candidates reuse it (see embed_cached)
        t1 = time.perf_counter()
        pool = max(params.top_k * 4, 20)
        dense = self.dense(emb, pool)
        t2 = time.perf_counter()
        view = self.kb.view()
        seeds, hits = self._seeds(query, dense, view, params)
        lessons = ranked_lessons(seeds, hits)
        t3 = time.perf_counter()
        path, edges = self.expand([s.id for s in seeds], view, params, emb)
        t4 = time.perf_counter()
        timings = {
            "embed": (t1 - t0) * 1e3, "dense": (t2 - t1) * 1e3,
            "seeds": (t3 - t2) * 1e3, "expand": (t4 - t3) * 1e3, "total": (t4 - t0) * 1e3,
        }
        return RetrievalResult(query, seeds, path, edges, params, timings, lessons)

    # -- seeds ------------------------------------------------------------------------
    def _seeds(self, query, dense, view, params) -> tuple[list[Seed], list]:
        """The seeds, and the passages that match the question best by BM25 (``(passage, score)``)."""
        concepts = view.concepts
        lex = view.lexical
        sims = {cid: s for cid, s in dense if cid in concepts}
        bm25 = normalise_scores(lex.bm25(query, max(params.top_k * 4, 20)))
        names, long_names = lex.spot(asked(query))  # (what it sets aside is no name it asks about)
        taught, passages, ahead, hits = self._taught_in_passages(query, view)
        missing = [cid for cid in {*bm25, *names, *taught} if cid not in sims and cid in concepts]
        if missing:  # cosine for lexical-only candidates, from their stored vectors
            vecs = view.vectors(missing, self.kb.store)
            emb = self.embed_cached(query)
            for cid, v in vecs.items():
                sims[cid] = float(v @ emb)
        scored = []
        best_base = 0.0
        for cid, sim in sims.items():
            # a concept named in the question may sit a little below min_score, not far
            # ("temperature" in a baking question is not the sampling temperature)
            # ... and a name of several words ("logistic regression") is the question's topic whatever
            # the cosine of its stored text (a poor definition can leave it far off): no floor; a
            # concept the question's words point at twice over, by its text and by its own section
            # ("share the same weights" → Tied Parameters), or whose section holds the passage that
            # matches the question best ("gamma 0.99" → Discounting), is as if named
            near = cid in names or min(taught.get(cid, 0.0), bm25.get(cid, 0.0)) >= STRONG_WORDS or taught.get(cid, 0.0) >= 1.0
            floor = -1.0 if cid in long_names else params.min_score - NAME_SLACK if near else params.min_score
            if sim < floor:
                continue
            base = sim + W_BM25 * bm25.get(cid, 0.0) + W_PASSAGE * taught.get(cid, 0.0)
            best_base = max(best_base, base)
            fused = base
            if cid in names:  # (a one-word name weighs by how everyday the course's lessons make it)
                fused += W_NAME * names[cid] * (1.0 if cid in long_names else self._specific(cid, view))
                fused += W_SPECIFIC * min(1.0, len(view.graph.prerequisites(cid)) / 4)
            scored.append((fused, sim, cid))
        scored.sort(key=lambda t: (-t[0], t[2]))
        if scored:
            # relative to the best evidence from the whole question (cosine + BM25): a name spotted
            # in it ("trained on ImageNet") lifts that concept but does not push out the others
            floor = best_base * SEED_RELATIVE
            scored = [t for t in scored if t[0] >= floor]
        seeds: list[Seed] = []
        keys: dict[str, Seed] = {}
        for fused, sim, cid in scored:
            c = concepts[cid]
            ckeys = {name_key(n) for n in [c.title, *c.aliases]} - {""}
            dup = next((keys[k] for k in ckeys if k in keys), None)
            if dup is not None:  # same concept under an alias/variant spelling: merge
                dup.merged.append(cid)
                dup.sources.extend(s for s in c.sources if s not in dup.sources)
                continue
            if len(seeds) >= params.top_k and not self._named_specifically(cid, names, long_names, view):
                continue  # past the cap, only a concept the question names may still take a place
            seed = Seed(cid, c.title, fused, sim, own_sections_first(c) + elsewhere(cid, c, passages), cid in names,
                        taught=W_PASSAGE * taught.get(cid, 0.0))
            seeds.append(seed)
            for k in ckeys:
                keys.setdefault(k, seed)
        seeds = setting_after(narrower_first(self._keep_named(seeds, params.top_k), query, concepts), query, concepts)
        for best in passages[:CITED_PASSAGES] if seeds else ():
            cite_best_passage(seeds, best)
        if seeds and ahead is not None:
            lead_with(seeds, ahead)
        return seeds, hits

    def _relevant(self, related: list[str], view, query_vector, via: dict[str, str]) -> list[str]:
        """``related`` most like the question first, at most :data:`RELATED_PER_CONCEPT` through
        one concept, none with a cosine below :data:`RELATED_MIN_COSINE` (unchanged without
        ``query_vector``)."""
        if query_vector is None or not related:
            return related
        sim = {cid: float(v @ query_vector) for cid, v in view.vectors(related, self.kb.store).items()}
        kept: list[str] = []
        per: dict[str, int] = {}
        for cid in sorted(related, key=lambda cid: -sim.get(cid, 0.0)):
            if sim.get(cid, 0.0) < RELATED_MIN_COSINE:
                continue
            per[via[cid]] = per.get(via[cid], 0) + 1
            if per[via[cid]] <= RELATED_PER_CONCEPT:
                kept.append(cid)
        return kept

    def _named_specifically(self, cid: str, names: dict[str, float], long_names: set[str], view) -> bool:
        """Whether the question names ``cid`` by a specific name: several words ("next sentence
        prediction"), or one spotted surely (an acronym, "BERT") that is no everyday word of the course."""
        return cid in long_names or (names.get(cid, 0.0) >= NAMED_SEED and self._specific(cid, view) >= 1.0)

    @staticmethod
    def _keep_named(seeds: list[Seed], top_k: int) -> list[Seed]:
        """The ``top_k`` best seeds, where each seed past them (one the question names specifically:
        :meth:`_named_specifically`) takes the place of the weakest seed the question does not name:
        what a student names is part of what they ask."""
        chosen = seeds[:top_k]
        for s in seeds[top_k:]:
            out = next((x for x in reversed(chosen) if not x.matched_name), None)
            if out is None:
                break
            chosen.remove(out)
            chosen.append(s)
        return sorted(chosen, key=lambda x: -x.score)

    def _specific(self, cid: str, view) -> float:
        """How much a concept's one-word name, written in the question, says the question is about
        it: in full for a word few of the course's lessons use ("dropout"), less and less for an
        everyday one of the course ("layer", "tensor"), which a question about tied parameters
        uses in passing. Names of several words always count in full."""
        key = name_key(view.concepts[cid].title)
        if not key or " " in key:
            return 1.0
        share = view.passages(self.kb.store).lesson_share(key)
        return float(min(1.0, max(0.0, (EVERYDAY_TO - share) / (EVERYDAY_TO - EVERYDAY_FROM))))

    def everyday(self, cid: str) -> bool:
        """Whether a concept's one-word name is an everyday word of this course: a quarter of its
        lessons or more use it (:func:`_specific` below 1)."""
        return self._specific(cid, self.kb.view()) < 1.0

    def _taught_in_passages(self, query: str, view) -> tuple[dict[str, float], list, Any, list]:
        """Concepts whose own section (first source), or a section whose heading lists them ("Rewards
        and the discounting", another lesson's: :func:`tutor.citing.heading_is_about`), holds one of
        the passages that best match the question by BM25, each with that passage's score relative to
        the best (the lesson's own words can match a question the concept's name and definition do not:
        "LazyLinear"),
        the best few passages themselves (for :func:`tutor.citing.elsewhere`), and the best one when it is
        :data:`LEAD_RATIO` ahead of the next (else None), and all the passages found with their scores."""
        concepts = view.concepts
        hits = view.passages(self.kb.store).index.search(query, PASSAGE_POOL)
        if not hits or hits[0][1] <= 0:
            return {}, [], None, []
        top = hits[0][1]
        out: dict[str, float] = {}
        for p, score in hits:
            for cid in p.concepts:
                c = concepts.get(cid)
                if c is not None and c.sources and (
                        (c.sources[0].path == p.source.path and c.sources[0].section == p.source.section)
                        or heading_is_about(p.source.section, c)):
                    out[cid] = max(out.get(cid, 0.0), score / top)
        ahead = hits[0][0] if len(hits) == 1 or hits[0][1] >= LEAD_RATIO * hits[1][1] else None
        return out, [p for p, _ in hits[:PASSAGE_ELSEWHERE]], ahead, hits

    def embed_cached(self, query: str):
        if getattr(self, "_last", (None,))[0] != query:
            self._last = (query, self.embed(query))
        return self._last[1]

    # -- expansion --------------------------------------------------------------------
    def expand(self, seed_ids: list[str], view, params: RetrievalParams, query_vector=None):
        """The path from ``seed_ids``: the seeds, their prerequisites up to ``params.prereq_depth``
        (nearer first; at one depth the most advanced first, which the cap keeps), then related concepts up to ``params.related_depth``, capped at
        ``params.max_concepts``, in explanation order. With ``query_vector`` (the question's
        embedding), related concepts at one depth come most like the question first, at most
        :data:`RELATED_PER_CONCEPT` through one concept, none unlike it (a broad seed's neighbours:
        "IPython" relates to every magic and to a K-Means demo; a question about the debugger gets the
        three most like it)."""
        g = view.graph
        chosen: dict[str, tuple[str, str, int, str]] = {}  # id → (relation, via, depth, kind)
        order: list[str] = []
        for sid in seed_ids:
            chosen[sid] = ("seed", "", 0, "")
            order.append(sid)
        # prerequisites, breadth-first from all seeds together: nearer ones first
        prereqs: list[str] = []
        frontier = deque((sid, 0) for sid in seed_ids)
        seen = set(seed_ids)
        while frontier:
            cid, d = frontier.popleft()
            if d >= params.prereq_depth:
                continue
            for p in view.prerequisites_advanced_first(cid):
                if p not in seen:
                    seen.add(p)
                    chosen[p] = ("prerequisite", cid, d + 1, PREREQUISITE)
                    prereqs.append(p)
                    frontier.append((p, d + 1))
        # related concepts around the seeds
        related: list[str] = []
        frontier = deque((sid, 0) for sid in seed_ids)
        while frontier:
            cid, d = frontier.popleft()
            if d >= params.related_depth:
                continue
            for nb, kind in g.related_to(cid):
                if nb not in seen:
                    seen.add(nb)
                    chosen[nb] = ("related", cid, d + 1, kind)
                    related.append(nb)
                    frontier.append((nb, d + 1))
        # the cap: seeds, then nearer prerequisites, then related (stable: BFS order)
        prereqs.sort(key=lambda c: chosen[c][2])
        related = self._relevant(related, view, query_vector, {c: chosen[c][1] for c in related})
        related.sort(key=lambda c: chosen[c][2])
        keep = (order + prereqs + related)[: params.max_concepts]
        rank = {cid: i for i, cid in enumerate(keep)}
        # explanation order: topological over prerequisite reachability among kept concepts
        dag = nx.DiGraph()
        dag.add_nodes_from(keep)
        kept = set(keep)
        for v in keep:
            stack, visited = [(v, 0)], {v}
            while stack:
                x, d = stack.pop()
                if d >= params.prereq_depth + 2:
                    continue
                for u in g.prereq.predecessors(x) if x in g.prereq else ():
                    if u in visited:
                        continue
                    visited.add(u)
                    if u in kept:
                        dag.add_edge(u, v)
                    stack.append((u, d + 1))
        ordered = list(nx.lexicographical_topological_sort(dag, key=lambda n: rank[n]))
        concepts = view.concepts
        path = []
        for cid in ordered:
            c = concepts[cid]
            relation, via, depth, kind = chosen[cid]
            path.append(PathStep(cid, c.title, c.definition, c.difficulty, relation, via, depth, kind,
                                 own_sections_first(c), list(c.examples), list(c.tags), list(c.aliases), c.taught,
                                 c.context))
        edges = [EdgeUsed(u, v, PREREQUISITE, d.get("evidence", ""))
                 for u, v, d in g.prereq.subgraph(keep).edges(data=True)]
        for u, v, d in g.related.subgraph(keep).edges(data=True):
            edges.extend(EdgeUsed(u, v, k, ev) for k, ev in sorted(d["kinds"].items()))
        edges.sort(key=lambda e: (e.kind != PREREQUISITE, rank[e.dst], rank[e.src], e.kind))
        return path, edges


def prerequisites_of(res: RetrievalResult, target: str) -> set[str]:
    """The concepts of ``res`` that ``target`` builds on: its ancestors over the prerequisite
    edges used, and the prerequisite steps reached from it (not from another seed)."""
    preds: dict[str, set[str]] = {}
    for e in res.edges:
        if e.kind == "prerequisite_of":
            preds.setdefault(e.dst, set()).add(e.src)
    out, stack = set(), [target]
    while stack:
        for p in preds.get(stack.pop(), ()):
            if p not in out:
                out.add(p)
                stack.append(p)
    # prerequisites reached through concepts the cap dropped still count; not those of another seed
    via = {s.id: s.via for s in res.path}
    for s in (s for s in res.path if s.relation == "prerequisite"):
        up = s.via
        while up in via and up != target and via[up]:
            up = via[up]
        out |= {s.id} if up == target or up not in via else set()
    return out

"""Forgetting a lesson: what only it contributed goes, what other lessons support stays.

Write order keeps the store consistent across a crash (docs/architecture.md): edges before the
concepts they touch. The caller holds the knowledge base's write section and reloads its view."""

from __future__ import annotations

import numpy as np

from .store import ChromaStore


def forget_lesson(store: ChromaStore, lesson_id: str) -> dict[str, int]:
    """Delete lesson ``lesson_id`` (which must exist) from ``store``. Concepts that other lessons
    support keep those other sources; edges that only this lesson gave go, and so do edges to
    removed concepts. Returns counts of what changed."""
    rec = store.get_lesson(lesson_id)
    # 1. edges this lesson contributed (edges before concepts)
    edge_lessons = {e.id: ls for e, ls in store.all_edges() if lesson_id in ls}
    gone_edges, kept_edges = [], 0
    for eid, ls in edge_lessons.items():
        rest = [x for x in ls if x != lesson_id]
        if rest:
            store.set_edge_lessons(eid, rest)
            kept_edges += 1
        else:
            gone_edges.append(eid)
    store.delete_edges(gone_edges)
    # 2. concepts: drop this lesson's sources/examples; delete concepts left with none
    concepts = store.get_concepts(rec.concepts)
    to_delete, to_update = [], []
    for c in concepts.values():
        srcs = [s for s in c.sources if s.lesson != lesson_id]
        if not srcs:
            to_delete.append(c.id)
            continue
        c.sources = srcs
        c.examples = [x for x in c.examples if not (x.source and x.source.lesson == lesson_id)]
        to_update.append(c)
    if to_update:
        embs = store.concept_embeddings([c.id for c in to_update])
        store.upsert_concepts(to_update, np.stack([embs[c.id] for c in to_update]))
    touching = store.edges_touching(to_delete) if to_delete else []
    store.delete_edges(touching)
    store.delete_concepts(to_delete)
    store.delete_progress(concepts=to_delete)  # nobody's mastery of a concept that is gone
    store.delete_passages(lesson_id)
    store.delete_lesson(lesson_id)
    return {
        "concepts_removed": len(to_delete),
        "concepts_kept": len(to_update),
        "edges_removed": len(gone_edges) + len(touching),
        "edges_kept": kept_edges,
    }

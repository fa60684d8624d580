"""Retrieval latency at 3,120 and 100,000 concepts (embedded Chroma, warm).

Prints p50/p95 of a full retrieval (embed + search + seeds + expand + order) and, measured in the
same run, the raw parts alone: query embedding, Chroma query, graph expansion — and the ratio
full / sum-of-parts (target ≤ 1.3).

The graph is generated: the starter course plus synthetic concepts in "units", each concept
with 1–3 prerequisites among earlier concepts (preferential attachment: foundations get large
fan-out) and ~0.5 related edges. Concept texts are real sentences; at 100,000 the vectors are
mixtures of real MiniLM embeddings of the unit topics (embedding 100k texts on 2 cores would
dominate the run and is not what is measured here).

    python bench/retrieval.py [--sizes 3120 100000] [--queries 60]
    python bench/retrieval.py --course d2l      # the d2l knowledge base and its student questions
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.courses import COURSES, CORPUS, course_paths  # noqa: E402
from knowledge.embed import get_embedder  # noqa: E402
from knowledge.kb import KnowledgeBase  # noqa: E402
from knowledge.models import Concept, Edge, Source  # noqa: E402
from knowledge.settings import Settings  # noqa: E402
from knowledge.starter import load_starter, load_units  # noqa: E402
from tutor.retrieval import RetrievalParams, Retriever  # noqa: E402

TOPICS = ["optimisation", "vision", "language", "search", "logic", "probability", "agents",
          "generative models", "reinforcement", "ethics", "audio", "graphs", "robotics", "time series"]
QUALIFIERS = ["regularised", "sparse", "stochastic", "hierarchical", "attention-based", "recurrent",
              "convolutional", "variational", "contrastive", "Bayesian", "distributed", "quantised"]
NOUNS = ["encoder", "estimator", "policy", "kernel", "classifier", "tokenizer", "planner", "loss",
         "sampler", "detector", "embedding", "scheduler", "memory", "graph", "ranker", "parser"]

QUESTIONS = [
    "What is CLIP and how is it used in computer vision?", "How does backpropagation work?",
    "Why do we need pooling in a CNN?", "What is TF-IDF?", "How does YOLO detect objects?",
    "What is overfitting and how do I avoid it?", "Explain attention in transformers",
    "What is a genetic algorithm?", "How does Q-learning learn a policy?", "What is word2vec?",
    "What is transfer learning?", "How do GANs generate images?", "What is an autoencoder?",
    "How does U-Net segment images?", "What is zero-shot classification?", "What is A* search?",
]


def synthetic(n_total: int, base: list[Concept], embedder, seed: int = 7):
    rng = random.Random(seed)
    n = n_total - len(base)
    topic_vecs = embedder.embed([f"{t} in machine learning" for t in TOPICS])
    noun_vecs = embedder.embed([f"a {q} {x}" for q in QUALIFIERS for x in NOUNS])
    concepts, vecs, edges = [], [], []
    ids = [c.id for c in base]
    weights = [1.0] * len(ids)
    for i in range(n):
        t, q, x = rng.randrange(len(TOPICS)), rng.randrange(len(QUALIFIERS)), rng.randrange(len(NOUNS))
        title = f"{QUALIFIERS[q]} {NOUNS[x]} for {TOPICS[t]} {i}"
        c = Concept(title=title, definition=f"A {QUALIFIERS[q]} {NOUNS[x]} used in {TOPICS[t]}; variant {i}.",
                    sources=[Source(f"synthetic/unit-{i // 40}.md", f"Part {i % 40}", lesson=f"syn-{i // 40}")])
        v = 0.6 * topic_vecs[t] + 0.8 * noun_vecs[q * len(NOUNS) + x]
        v = v + np.random.default_rng(i).normal(0, 0.05, v.shape)
        concepts.append(c)
        vecs.append(v / np.linalg.norm(v))
        for p in set(rng.choices(range(len(ids)), weights=weights, k=rng.randint(1, 3))):
            edges.append(Edge(ids[p], c.id))
            weights[p] += 1.0
        if rng.random() < 0.5 and ids:
            edges.append(Edge(c.id, ids[rng.randrange(len(ids))], "related_to"))
        ids.append(c.id)
        weights.append(1.0)
    return concepts, np.asarray(vecs, dtype=np.float32), edges


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def run(size: int, n_queries: int) -> dict:
    embedder = get_embedder()
    with tempfile.TemporaryDirectory() as tmp:
        kb = KnowledgeBase(Settings(data_dir=Path(tmp)), embedder)
        t = time.perf_counter()
        load_starter(kb)
        base = [c for u in load_units() for c in u.concepts]
        concepts, vecs, edges = synthetic(size, base, embedder)
        kb.upsert_concepts(concepts, vecs)
        # starter edges are already in; synthetic ones point from earlier to later concepts
        kb.store.upsert_edges(edges)
        kb.store.bump_generation()
        build = time.perf_counter() - t
        r = measure(kb, embedder, QUESTIONS, n_queries)
        kb.close()
    return {"size": size, "build_s": build, **r}


def run_course(corpus: Path, course: str, n_queries: int) -> dict:
    """The same measurement on a shared course ingested into an empty data dir, asked the
    course's own student questions (tests/data/<course>_questions.jsonl)."""
    import json

    from knowledge.ingest.pipeline import ingest_paths

    root = Path(__file__).resolve().parents[1]
    embedder = get_embedder()
    qfile = root / "tests" / "data" / ("d2l_questions.jsonl" if course == "d2l" else "ai4b_questions.jsonl")
    questions = [json.loads(x)["question"] for x in qfile.read_text(encoding="utf-8").splitlines() if x.strip()]
    paths, curriculum = course_paths(corpus, course)
    with tempfile.TemporaryDirectory() as tmp:
        kb = KnowledgeBase(Settings(data_dir=Path(tmp)), embedder)
        t = time.perf_counter()
        ingest_paths(kb, paths, course=course, curriculum=curriculum)
        build = time.perf_counter() - t
        r = measure(kb, embedder, questions, n_queries)
        size = len(kb.concepts())
        kb.close()
    return {"size": size, "build_s": build, **r}


def measure(kb: KnowledgeBase, embedder, questions: list[str], n_queries: int) -> dict:
    retr = Retriever(kb)
    params = RetrievalParams()
    t = time.perf_counter()
    retr.retrieve(questions[0], params)  # warm: view, lexical index, model
    warmup = time.perf_counter() - t
    qs = [questions[i % len(questions)] for i in range(n_queries)]
    full, p_embed, p_query, p_expand = [], [], [], []
    view = kb.view()
    for q in qs:
        t0 = time.perf_counter()
        res = retr.retrieve(q, params)
        full.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        e = embedder.embed_one(q)
        p_embed.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        kb.store.query(e, max(params.top_k * 4, 20))
        p_query.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        retr.expand([s.id for s in res.seeds], view, params, e)
        p_expand.append(time.perf_counter() - t0)
    ms = lambda xs: {"p50": pct(xs, 0.5) * 1e3, "p95": pct(xs, 0.95) * 1e3}  # noqa: E731
    parts = statistics.median(p_embed) + statistics.median(p_query) + statistics.median(p_expand)
    return {
        "warmup_s": warmup, "full": ms(full),
        "embed": ms(p_embed), "chroma_query": ms(p_query), "expand": ms(p_expand),
        "ratio": statistics.median(full) / parts,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[3120, 100_000])
    ap.add_argument("--queries", type=int, default=60)
    ap.add_argument("--course", choices=COURSES,
                    help="measure on this shared course (ingested first) instead of generated graphs")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    args = ap.parse_args()
    runs = [lambda: run_course(args.corpus, args.course, args.queries)] if args.course else [
        (lambda size=size: run(size, args.queries)) for size in args.sizes]
    for go in runs:
        r = go()
        print(f"\n== {r['size']:,} concepts (built in {r['build_s']:.1f} s, first query {r['warmup_s']:.2f} s)")
        for k in ("full", "embed", "chroma_query", "expand"):
            print(f"  {k:13s} p50 {r[k]['p50']:7.2f} ms   p95 {r[k]['p95']:7.2f} ms")
        print(f"  ratio full / (embed + chroma query + expand), medians: {r['ratio']:.2f}  (target <= 1.3)")


if __name__ == "__main__":
    main()

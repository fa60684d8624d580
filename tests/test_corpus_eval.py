"""Retrieval and prerequisite quality on real courses nobody on the project wrote: the shared
AI-For-Beginners corpus and the Dive into Deep Learning textbook, each ingested once for the
module into its own data dir (no starter course).

* lesson hit@5 of the development questions in tests/data/ai4b_questions.jsonl (written before
  looking at retrieval output; each names the lesson folder that should be retrieved);
* precision/recall of the inferred prerequisite edges against the *blind* rows of
  tests/data/prereq_gold.jsonl (rows with "review": true were added after looking at the output),
  and against the complete blind sample tests/data/ai4b_prereq_gold.jsonl (every pair of 40 nodes judged).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.ingest import load_gold, score_edges
from knowledge.ingest.pipeline import ingest_paths
from knowledge.kb import KnowledgeBase
from knowledge.models import PREREQUISITE
from knowledge.settings import Settings
from tutor.evaluate import evaluate

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent / "data"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

if not CORPUS.exists():
    pytest.skip("shared corpus (../shared/corpus) not present", allow_module_level=True)


@pytest.fixture(scope="module")
def corpus_kb(tmp_path_factory, embedder):
    settings = Settings(data_dir=tmp_path_factory.mktemp("ai4b-data"), chroma_host=None, ingest_llm=None)
    kb = KnowledgeBase(settings, embedder)
    report = ingest_paths(kb, [CORPUS / "ai-for-beginners", CORPUS / "ai-for-beginners-notebooks"],
                          course="ai-for-beginners", curriculum=CORPUS / "ai-for-beginners-meta" / "README.md")
    assert report.count("failed") == 0, [f for f in report.files if f.status == "failed"]
    yield kb
    kb.close()


def test_questions_find_their_lesson(corpus_kb):
    res = evaluate(corpus_kb, DATA / "ai4b_questions.jsonl", k=5)
    figures = res.figures()
    assert figures["lesson questions"] >= 40
    assert figures["lesson hit@5"] >= 0.9, res.misses
    assert figures["lesson MRR"] >= 0.8, res.misses


def test_inferred_prerequisites_are_precise_on_the_blind_gold_set(corpus_kb):
    gold = load_gold(DATA / "prereq_gold.jsonl")
    blind = [g for g in gold if not g.get("review")]
    edges = [e for e in corpus_kb.graph.edges() if e.kind == PREREQUISITE]
    concepts = list(corpus_kb.concepts().values())
    score = score_edges(edges, blind, concepts)
    assert score.precision >= 0.8, score
    assert score.recall >= 0.5, score
    assert score_edges(edges, gold, concepts).precision >= 0.8


def test_inferred_prerequisites_hold_on_the_complete_blind_sample(corpus_kb):
    """AI-For-Beginners' second gold sample, built like d2l's (tests/data/ai4b_gold/NOTES.md):
    40 nodes drawn at random from the lessons' headings, every ordered pair judged from the
    course text before any extractor output was seen. Unlike the first sample, which lists some
    true edges only, an inferred edge between two of its nodes with no gold path is wrong."""
    from knowledge.ingest import load_gold_nodes

    gold_file = DATA / "ai4b_prereq_gold.jsonl"
    edges = [e for e in corpus_kb.graph.edges() if e.kind == PREREQUISITE]
    score = score_edges(edges, load_gold(gold_file), list(corpus_kb.concepts().values()), load_gold_nodes(gold_file))
    assert not score.unmapped_gold_names, score.unmapped_gold_names
    assert score.evaluable >= 12 and score.precision >= 0.85, score
    assert score.recall >= 0.3, score


@pytest.fixture(scope="module")
def d2l_kb(tmp_path_factory, embedder):
    settings = Settings(data_dir=tmp_path_factory.mktemp("d2l-data"), chroma_host=None, ingest_llm=None)
    kb = KnowledgeBase(settings, embedder)
    report = ingest_paths(kb, [CORPUS / "d2l-en"], course="d2l")
    assert report.count("failed") == 0, [(f.path, f.reason) for f in report.files if f.status == "failed"]
    assert report.curriculum == "toc blocks"
    yield kb
    kb.close()


def test_a_textbook_gives_hundreds_of_concepts_and_edges_that_hold(d2l_kb):
    """Dive into Deep Learning: recall of concepts and edges, prerequisite precision against the
    blind gold sample (tests/data/d2l_prereq_gold.jsonl: 45 section topics, every pair judged
    before any extractor output was seen), and the held-out half of the student questions
    (never tuned on)."""
    from knowledge.ingest import load_gold_nodes

    concepts = list(d2l_kb.concepts().values())
    edges = [e for e in d2l_kb.graph.edges() if e.kind == PREREQUISITE]
    assert len(concepts) >= 800 and len(edges) >= 800
    gold_file = DATA / "d2l_prereq_gold.jsonl"
    score = score_edges(edges, load_gold(gold_file), concepts, load_gold_nodes(gold_file))
    assert score.evaluable >= 25 and score.precision >= 0.8, score
    held_out = evaluate(d2l_kb, DATA / "d2l_questions.jsonl", k=5, split="heldout").figures()
    assert held_out["lesson hit@5"] >= 0.85, held_out

"""The knowledge base: Chroma as the source of truth, NetworkX view, cycle refusal, persistence."""

from __future__ import annotations

import pytest

from knowledge.graph import CycleError
from knowledge.kb import KBLockedError, KnowledgeBase, MissingConceptError
from knowledge.models import Concept, Edge, Source, slugify
from knowledge.store import LessonRecord


def _c(title, definition, lesson="l1", **kw):
    return Concept(title=title, definition=definition,
                   sources=[Source(path=f"{lesson}.md", section="Intro", lesson=lesson)], **kw)


def test_slug_ids_are_stable():
    assert slugify("Convolutional Neural Network (CNN)") == "convolutional-neural-network-cnn"
    assert slugify("TF-IDF") == "tf-idf"
    assert Concept(title="U-Net", definition="x").id == "u-net"


def test_concepts_and_edges_persist_for_a_second_process_view(settings, embedder):
    kb = KnowledgeBase(settings, embedder)
    kb.upsert_concepts([_c("Vector", "An ordered list of numbers."),
                        _c("Dot product", "Sum of elementwise products of two vectors.")])
    kb.add_edges([Edge("vector", "dot-product")])
    kb.close()
    again = KnowledgeBase(settings, embedder)  # a fresh view built only from the store
    assert set(again.concepts()) == {"vector", "dot-product"}
    assert again.graph.prerequisites("dot-product") == ["vector"]
    assert again.get("dot-product").sources[0].path == "l1.md"
    again.close()


def test_bulk_writes_bump_the_generation_once_and_the_view_follows_them(settings, embedder):
    kb = KnowledgeBase(settings, embedder)
    kb.upsert_concepts([_c("Vector", "An ordered list of numbers.")])
    before = kb.store.generation()
    with kb.bulk():
        kb.upsert_concepts([_c("Dot product", "Sum of elementwise products of two vectors.")])
        kb.add_edges([Edge("vector", "dot-product")])  # needs the concept just written: the view has it
        assert kb.get("dot-product") is not None
        assert kb.graph.prerequisites("dot-product") == ["vector"]
        assert kb.store.generation() == before  # other readers are not disturbed mid-ingest
        # a write the view cannot follow drops it; the next read comes from the store
        kb.delete_concepts(["dot-product"])
        assert kb.get("dot-product") is None and kb.graph.prerequisites("dot-product") == []
    assert kb.store.generation() != before
    kb.close()
    again = KnowledgeBase(settings, embedder)
    assert set(again.concepts()) == {"vector"}
    again.close()


def test_cycle_is_refused_with_the_cycle_named(kb):
    kb.upsert_concepts([_c("A thing", "a"), _c("B thing", "b"), _c("C thing", "c")])
    kb.add_edges([Edge("a-thing", "b-thing"), Edge("b-thing", "c-thing")])
    with pytest.raises(CycleError) as info:
        kb.add_edges([Edge("c-thing", "a-thing")])
    msg = str(info.value)
    assert "c-thing → a-thing → b-thing → c-thing" in msg
    # nothing of the refused batch was stored
    assert kb.graph.prerequisites("a-thing") == []
    assert kb.stats()["prerequisite_edges"] == 2


def test_related_edges_do_not_count_as_cycles(kb):
    kb.upsert_concepts([_c("Cat", "a"), _c("Dog", "b")])
    kb.add_edges([Edge("cat", "dog", "contrasts_with"), Edge("dog", "cat", "related_to")])
    assert kb.stats()["related_edges"] == 2
    assert kb.graph.related_to("cat") == [("dog", "contrasts_with")]


def test_edge_to_missing_concept_is_refused(kb):
    kb.upsert_concepts([_c("Alpha", "a")])
    with pytest.raises(MissingConceptError, match="beta"):
        kb.add_edges([Edge("alpha", "beta")])


def test_deleting_a_concept_removes_its_edges(kb):
    kb.upsert_concepts([_c("Alpha", "a"), _c("Beta", "b"), _c("Gamma", "c")])
    kb.add_edges([Edge("alpha", "beta"), Edge("beta", "gamma"), Edge("alpha", "gamma", "related_to")])
    kb.delete_concepts(["beta"])
    assert set(kb.concepts()) == {"alpha", "gamma"}
    assert kb.store.edges_touching(["beta"]) == []
    assert kb.stats()["prerequisite_edges"] == 0
    assert kb.stats()["related_edges"] == 1


def test_dangling_edge_in_the_store_is_never_seen(kb):
    """A crash between deleting a concept and its edges cannot leak into the graph."""
    kb.upsert_concepts([_c("Alpha", "a"), _c("Beta", "b")])
    kb.add_edges([Edge("alpha", "beta")])
    kb.store.delete_concepts(["beta"])  # simulate the crash: edge left behind in Chroma
    kb.store.bump_generation()
    assert "beta" not in kb.graph.prereq
    assert kb.graph.unlocks("alpha") == []


def test_forget_lesson_keeps_other_lessons_sources(kb):
    shared = Concept(title="Gradient", definition="Direction of steepest ascent.",
                     sources=[Source("a.md", "S", lesson="a"), Source("b.md", "T", lesson="b")])
    kb.upsert_concepts([shared, _c("Only A", "x", lesson="a"), _c("Only B", "y", lesson="b")])
    kb.add_edges([Edge("gradient", "only-a", lesson="a"), Edge("gradient", "only-b", lesson="b")])
    kb.upsert_lesson(LessonRecord(id="a", path="a.md", concepts=["gradient", "only-a"], edges=[]))
    kb.upsert_lesson(LessonRecord(id="b", path="b.md", concepts=["gradient", "only-b"], edges=[]))
    report = kb.forget_lesson("a")
    assert report["concepts_removed"] == 1
    assert set(kb.concepts()) == {"gradient", "only-b"}
    assert [s.lesson for s in kb.get("gradient").sources] == ["b"]
    assert kb.graph.unlocks("gradient") == ["only-b"]
    assert [r.id for r in kb.lessons()] == ["b"]
    with pytest.raises(KeyError, match="no lesson 'zzz'"):
        kb.forget_lesson("zzz")


def test_second_process_gets_a_clear_error_in_embedded_mode(settings, embedder, monkeypatch):
    import subprocess
    import sys

    kb = KnowledgeBase(settings, embedder)
    code = (
        "import os; from knowledge.settings import Settings; from knowledge.kb import KnowledgeBase\n"
        "try:\n    KnowledgeBase(Settings())\nexcept Exception as e:\n    print(type(e).__name__, e)\n"
    )
    env = {**__import__("os").environ, "ERICA_LOCK_TIMEOUT": "0.2"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert "KBLockedError" in out.stdout
    assert "ERICA_CHROMA_HOST" in out.stdout
    kb.close()
    assert issubclass(KBLockedError, Exception)


def test_browsing_questions_are_the_knowledge_bases(kb):
    """What the pages ask of the course lives in the library: concept search, the concepts a
    section teaches, and the neighbourhood of a concept."""
    from knowledge.models import Concept, Edge, Source

    src = Source("lesson.md", "Basics", lesson="lesson")
    other = Source("lesson.md", "More", lesson="lesson")
    kb.upsert_concepts([Concept("Gradient descent", "Gradient descent moves weights downhill.", sources=[src]),
                        Concept("Learning rate", "The learning rate sets the step size.", sources=[src]),
                        Concept("Momentum", "Momentum averages past gradients.", sources=[other]),
                        Concept("Loss", "The loss measures error.", sources=[other])])
    kb.add_edges([Edge("loss", "gradient-descent"), Edge("gradient-descent", "momentum"),
                  Edge("learning-rate", "momentum", "related_to")])
    assert kb.search_concepts("grad")[0] == "gradient-descent"
    assert kb.search_concepts("")[:2] == ["gradient-descent", "learning-rate"]
    assert [c.id for c in kb.concepts_citing("lesson.md", "Basics")] == ["gradient-descent", "learning-rate"]
    assert kb.concepts_citing("lesson.md", "Nowhere") == []
    ids, edges = kb.neighbourhood("momentum")
    assert ids == ["gradient-descent", "learning-rate", "momentum"]
    assert {(e.src, e.dst) for e in edges} == {("gradient-descent", "momentum"), ("learning-rate", "momentum")}


def test_demo_results_say_their_kind():
    from tutor.clip.results import Classification, DemoResult, SearchResult, result_kind

    assert result_kind(Classification("x.png", [], "a cat", 0.9, "")) == "classification"
    assert result_kind(SearchResult("a cat", [], 0, "")) == "search"
    assert result_kind(DemoResult("d", "t", "search", "m", "", {})) == "demo"
    assert result_kind(3) == "int"

"""`erica export` / `erica import`: a round trip keeps concepts, edges, sources and lesson hashes."""

from __future__ import annotations

import json

import pytest

from knowledge.backup import BackupError, export_kb, import_kb
from knowledge.kb import KnowledgeBase
from knowledge.settings import Settings


def test_round_trip(starter_kb, tmp_path, embedder):
    from knowledge import progress
    progress.save(starter_kb, "ada", {"clip": {"p": 0.8, "asked": 2, "right": 2, "evidence": 0}})
    from knowledge import accounts
    accounts.create(starter_kb, "ada", "lovelace-1843")
    f = tmp_path / "kb.json.gz"
    counts = export_kb(starter_kb, f)
    assert counts["concepts"] >= 150
    other = KnowledgeBase(Settings(data_dir=tmp_path / "other"), embedder)
    got = import_kb(other, f)
    assert got["reused_vectors"] == 1
    assert set(other.concepts()) == set(starter_kb.concepts())
    assert other.get("clip").sources == starter_kb.get("clip").sources
    assert other.get("clip").examples == starter_kb.get("clip").examples
    assert sorted(e.id for e in other.graph.edges()) == sorted(e.id for e in starter_kb.graph.edges())
    assert {(r.id, r.sha256) for r in other.lessons()} == {(r.id, r.sha256) for r in starter_kb.lessons()}
    assert got["learners"] == 1 and progress.load(other, "ada")["clip"]["p"] == 0.8  # progress travels too
    assert accounts.verify(other, "ada", "lovelace-1843") == "ada"  # and accounts, as hashes
    # the imported store answers the same way
    from tutor.retrieval import Retriever
    q = "What is CLIP and how is it used in computer vision?"
    a, b = Retriever(starter_kb).retrieve(q).to_dict(), Retriever(other).retrieve(q).to_dict()
    a.pop("timings_ms"), b.pop("timings_ms")
    assert a == b
    other.close()


@pytest.mark.parametrize("content, message", [
    (b"not json at all", "not JSON"),
    (json.dumps({"format": "something-else"}).encode(), "field 'format'"),
    (json.dumps({"format": "erica-knowledge-base", "version": 1, "concepts": {}, "edges": [], "lessons": []}).encode(),
     "field 'concepts' must be a list"),
    (json.dumps({"format": "erica-knowledge-base", "version": 1, "concepts": [],
                 "edges": [{"src": "a", "dst": "b"}], "lessons": []}).encode(), "not in the file"),
])
def test_bad_import_files_are_refused_and_nothing_is_lost(starter_kb, tmp_path, content, message):
    before = len(starter_kb.concepts())
    f = tmp_path / "bad.json"
    f.write_bytes(content)
    with pytest.raises(BackupError, match=message):
        import_kb(starter_kb, f)
    assert len(starter_kb.concepts()) == before

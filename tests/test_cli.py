"""The `erica` command driven for real (typer's CliRunner, the real KB and models)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tutor.cli import app

runner = CliRunner()


def test_retrieve_json_loads_the_starter_course_and_finds_clip():
    res = runner.invoke(app, ["retrieve", "What is CLIP and how is it used in computer vision?", "--json"])
    assert res.exit_code == 0, res.output
    line = [ln for ln in res.stdout.splitlines() if ln.startswith("{")][0]
    out = json.loads(line)
    assert set(out) >= {"query", "seeds", "path", "edges"}
    assert out["seeds"][0]["id"] == "clip"
    assert {"id", "title", "score", "sources"} <= set(out["seeds"][0])
    assert {"path", "section"} <= set(out["seeds"][0]["sources"][0])
    ids = [p["id"] for p in out["path"]]
    assert "contrastive-learning" in ids and "embedding" in ids


def test_batch_gives_one_json_object_per_line(tmp_path):
    qs = tmp_path / "qs.txt"
    qs.write_text("What is backpropagation?\n\nWhat is a GAN?\n   \nWhat is TF-IDF?\n", encoding="utf-8")
    res = runner.invoke(app, ["retrieve", "--batch", str(qs), "--json"])
    assert res.exit_code == 0, res.output
    lines = [json.loads(ln) for ln in res.stdout.splitlines() if ln.startswith("{")]
    assert [ln["query"] for ln in lines] == ["What is backpropagation?", "What is a GAN?", "What is TF-IDF?"]
    assert lines[2]["seeds"][0]["id"] == "tf-idf"


def test_empty_question_is_a_clear_error_not_a_traceback():
    res = runner.invoke(app, ["retrieve", "   "])
    assert res.exit_code == 2
    assert "empty" in res.output and "Traceback" not in res.output


def test_bad_knob_is_refused():
    res = runner.invoke(app, ["retrieve", "What is a CNN?", "--max-concepts", "0"])
    assert res.exit_code == 2 and "max_concepts" in res.output


def test_stats_counts_edges_by_kind():
    res = runner.invoke(app, ["stats", "--json"])
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout[res.stdout.index("{"):])
    assert s["concepts"] >= 150
    assert s["edges"]["prerequisite_of"] >= 150
    assert s["lessons"] >= 10 and s["mode"] == "embedded"

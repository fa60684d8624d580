"""``erica clip ...`` through typer's CliRunner: real commands, tmp data dir, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tutor.clip.cli import app

DATA = Path(__file__).parent / "data" / "clip"
STAR = DATA / "images" / "test4242-00010-solid-blue-star.png"
runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ERICA_DATA_DIR", str(tmp_path))
    for var in ("ERICA_CLIP_MODEL", "ERICA_CLIP_PRETRAINED", "ERICA_CLIP_DEVICE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return tmp_path


@pytest.mark.slow
def test_classify_prints_a_table_and_a_reading():
    result = runner.invoke(app, ["classify", str(STAR), "--labels", "a solid blue star,a striped red circle"])
    assert result.exit_code == 0, result.output
    assert "a solid blue star" in result.output and "The model is" in result.output
    js = runner.invoke(app, ["classify", str(STAR), "--labels", "a solid blue star,a striped red circle", "--json"])
    assert json.loads(js.stdout.strip().splitlines()[-1])["best"] == "a solid blue star"


@pytest.mark.slow
def test_search_over_generated_gallery_and_folder(data_dir):
    result = runner.invoke(app, ["search", "a striped circle", "--top", "3", "--size", "40"])
    assert result.exit_code == 0, result.output
    assert "over 40 images" in result.output
    assert (data_dir / "clip" / "generated").is_dir()
    folder = runner.invoke(app, ["search", "a polka-dotted red heart", "--gallery", str(DATA / "images"), "--json"])
    assert folder.exit_code == 0, folder.output
    hits = json.loads(folder.stdout.strip().splitlines()[-1])["hits"]
    assert "polka-dotted-red-heart" in hits[0]["image"]


@pytest.mark.slow
def test_eval_last_line_is_json():
    result = runner.invoke(app, ["eval", "--n", "24", "--gallery-size", "30"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"seen_top1", "heldout_top1", "attribute_top1", "search_r5"} <= set(figures)
    assert figures["n_seen"] == 24


@pytest.mark.slow
def test_info():
    result = runner.invoke(app, ["info"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["description"].startswith("Erica's small CLIP")


def test_train_tiny_run_writes_weights(tmp_path):
    out = tmp_path / "run"
    result = runner.invoke(app, ["train", "--steps", "3", "--batch-size", "8", "--pool-size", "64",
                                 "--eval-n", "0", "--out", str(out), "--threads", "1"])
    assert result.exit_code == 0, result.output
    assert (out / "erica-shapes.safetensors").is_file()
    assert "loss curve" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["classify", "missing.png", "--labels", "a cat"], "no image file at"),
        (["classify", "notes.png", "--labels", "a cat"], "is not an image"),
        (["classify", str(STAR), "--labels", " , "], "no labels given"),
        (["search", "a circle", "--gallery", "no-such-folder"], "no folder at"),
        (["search", "  "], "query is empty"),
    ],
)
def test_errors_exit_2_with_a_message_and_no_traceback(data_dir, args, message):
    (data_dir / "notes.png").write_text("not a picture")
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output

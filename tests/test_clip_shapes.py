"""The shapes world, the image generator and the compact tokenizer (no model needed)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tutor.clip.shapes import draw_each, generate, save_images
from tutor.clip.tokenizer import WordTokenizer
from tutor.clip.world import Combo, load_world


@pytest.fixture(scope="module")
def world():
    return load_world()


def test_generator_is_deterministic_per_seed_and_index(world):
    a = generate(6, seed=3, world=world)
    b = generate(6, seed=3, world=world)
    assert [g.combo for g in a] == [g.combo for g in b]
    assert all(np.array_equal(x.pixels, y.pixels) for x, y in zip(a, b))
    # image i does not depend on where the batch starts
    tail = generate(2, seed=3, world=world, start=4)
    assert np.array_equal(tail[0].pixels, a[4].pixels)
    other = generate(6, seed=4, world=world)
    assert not all(np.array_equal(x.pixels, y.pixels) for x, y in zip(a, other))


def test_generated_images_have_the_world_size_and_named_combination(world):
    combos = [Combo("star", "blue", "striped"), Combo("heart", "red", "solid")]
    images = draw_each(combos, seed=11, world=world)
    assert [g.combo for g in images] == combos
    assert [g.caption for g in images] == ["a striped blue star", "a solid red heart"]
    assert images[0].pixels.shape == (world.image_size, world.image_size, 3)
    assert images[0].pixels.dtype == np.uint8
    assert images[0].png_bytes().startswith(b"\x89PNG")


def test_solid_red_shape_is_mostly_red_where_it_is_drawn(world):
    [g] = draw_each([Combo("square", "red", "solid")], seed=5, world=world)
    px = g.pixels.reshape(-1, 3).astype(int)
    red = (px[:, 0] > 150) & (px[:, 1] < 90) & (px[:, 2] < 90)
    assert red.mean() > 0.1  # the square covers a good part of the picture


def test_save_images_writes_pngs_named_by_caption(tmp_path, world):
    images = draw_each([Combo("circle", "green", "checkered")], seed=1, world=world)
    [path] = save_images(images, tmp_path, prefix="t")
    assert path.name == "t-00000-checkered-green-circle.png"
    mtime = path.stat().st_mtime_ns
    save_images(images, tmp_path, prefix="t")  # existing files are kept
    assert path.stat().st_mtime_ns == mtime


def test_world_heldout_split(world):
    combos, held = world.combos(), world.heldout_combos()
    assert len(combos) == len(world.shapes) * len(world.colours) * len(world.patterns) == 144
    assert 0.1 < len(held) / len(combos) < 0.2
    assert not set(held) & set(world.seen_combos())
    for attr in ("shape", "colour", "pattern"):  # every value is still seen in training
        assert {getattr(c, attr) for c in world.seen_combos()} == set(world.attribute_values(attr))


def test_captions_and_parsing(world):
    c = Combo("circle", "orange", "polka-dotted")
    assert world.caption(c) == "a polka-dotted orange circle"
    assert world.attribute_prompt("colour", "orange") == "an orange shape"
    assert world.attribute_prompt("shape", "triangle") == "a triangle"
    assert world.parse("A photo of a Polka-Dotted orange circle") == {
        "shape": "circle", "colour": "orange", "pattern": "polka-dotted"}
    assert world.parse("a red disc with stripes") == {"shape": "circle", "colour": "red", "pattern": "striped"}
    assert world.combo_from_text("checkered blue heart") == Combo("heart", "blue", "checkered")
    with pytest.raises(ValueError, match="does not name a shape"):
        world.combo_from_text("a red thing")


def test_random_captions_name_the_right_attributes(world):
    rng = np.random.default_rng(0)
    c = Combo("cross", "purple", "striped")
    caps = [world.random_caption(c, rng, p_full=0.5) for _ in range(200)]
    assert any(len(k.constraints) == 3 for k in caps) and any(len(k.constraints) < 3 for k in caps)
    for cap in caps:
        assert c.matches(cap.constraints)
        assert world.parse(cap.text).items() >= cap.constraints.items()


def test_every_caption_word_is_in_the_vocabulary(world):
    tok = WordTokenizer.from_world(world)
    rng = np.random.default_rng(1)
    for combo in world.combos()[::7]:
        for _ in range(20):
            assert tok.unknown_words(world.random_caption(combo, rng).text) == []
    for attr in ("shape", "colour", "pattern"):
        for v in world.attribute_values(attr):
            assert tok.unknown_words(world.attribute_prompt(attr, v)) == []


def test_tokenizer_layout_and_unknown_words(world):
    tok = WordTokenizer.from_world(world)
    ids = tok(["a striped red circle", "Circles"])
    assert ids.shape == (2, world.context_length)
    row = ids[0].tolist()
    assert row[0] == tok.start_id and row[5] == tok.end_id and set(row[6:]) == {tok.pad_id}
    assert tok.decode(row) == "a striped red circle"
    assert tok.decode(ids[1].tolist()) == "circle"  # plural folded
    assert tok.words("a Colour") == ["a", "colour"]
    assert tok.words("a color") == ["a", "colour"]  # alias
    assert tok.unknown_words("a fluffy cat") == ["fluffy", "cat"]
    assert tok("a fluffy cat")[0, 2].item() == tok.unk_id
    long = tok(" ".join(["red"] * 50))[0]
    assert long[-1].item() == tok.end_id  # truncated, still ends with <end>
    assert re.fullmatch(r"[a-z<>]+", " ".join(tok.vocab).replace(" ", ""))

"""A typo in a heading is no name of its own: the concept takes the course's spelling."""

from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path

from knowledge.ingest.pipeline import ingest_paths
from knowledge.ingest.spelling import respelled


def test_a_rare_unknown_word_a_letter_away_from_a_common_one_of_the_course_is_a_typo():
    counts = Counter({"separable": 9, "seperable": 1, "architecture": 40, "architechture": 1, "resnet": 30,
                      "resnext": 1, "tokenizer": 12, "tokenizers": 1, "benchmark": 5, "benchmakr": 0, "stack": 20,
                      "dstack": 1, "reparameterisation": 6, "reparameterization": 1, "passing": 9, "parsing": 1})
    assert respelled("Seperable", counts) == "separable"
    assert respelled("Architechture", counts) == "architecture"
    assert respelled("benchmakr", counts) == "benchmark"  # two letters swapped
    assert respelled("ResNeXt", counts) is None  # capitals inside: a name
    assert respelled("tokenizers", counts) is None  # another form of the same word
    assert respelled("separable", counts) is None  # the common spelling itself
    assert respelled("dstack", counts) is None  # another first letter: another name
    assert respelled("reparameterization", counts) is None  # a spelling of its own
    assert respelled("Parsing", counts) is None  # an English word, however rare in the course
    counts["seperable"] = 3
    assert respelled("Seperable", counts) is None  # written as often as that: the course's own spelling


def test_a_heading_typo_takes_the_spelling_of_the_prose_and_its_definition(kb, tmp_path: Path):
    root = tmp_path / "course"
    (root / "01-mobile").mkdir(parents=True)
    (root / "01-mobile" / "README.md").write_text(textwrap.dedent("""
        # Small networks for phones

        Phones need networks that use few parameters. Separable filters help: a separable
        filter is cheaper to apply than a full one, and separable layers stack well.

        ## Depthwise Seperable Convolutions

        Depthwise separable convolutions are a cheaper alternative to standard convolutions that filter
        each channel on its own and then mix the channels with a pointwise convolution.

        Using separable layers cuts the parameters of a layer by a factor close to the kernel area.
        """), encoding="utf-8")
    ingest_paths(kb, [root], course="mobile")
    titles = {c.title: c for c in kb.concepts().values()}
    assert "Depthwise Separable Convolution" in titles, sorted(titles)
    dsc = titles["Depthwise Separable Convolution"]
    assert dsc.definition.startswith("Depthwise separable convolutions are a cheaper alternative")
    assert "Depthwise Seperable Convolution" in dsc.aliases
    assert not any("Seperable" in t for t in titles)

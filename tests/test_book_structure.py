"""A textbook's own structure read as a teacher would expect: ``toc`` blocks give the reading
order, ``:label:``/``:numref:`` cross-references tie sections together (and become
prerequisite evidence), and ``$...$`` math is never read as emphasis. The little book here is
written for these tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

from knowledge.ingest import parse_file
from knowledge.ingest.curriculum import toc_curriculum
from knowledge.ingest.pipeline import ingest_paths
from knowledge.models import PREREQUISITE


def _write(root: Path, rel: str, text: str) -> None:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def _book(root: Path) -> Path:
    # chapter folders named so that their alphabetical order is *not* the reading order
    _write(root, "chapter_basics/index.md", """
        # Basics
        :label:`chap_basics`

        The first chapter.

        ```toc
        :maxdepth: 2

        vectors
        gradients
        ```
        """)
    _write(root, "chapter_basics/vectors.md", """
        # Vectors
        :label:`sec_vectors`

        A *vector* is an ordered list of numbers, written $\\mathbf{x}_i$ with entries $x_1, x_2$.
        Vectors are added entry by entry and scaled by numbers.
        """)
    _write(root, "chapter_basics/gradients.md", """
        # Gradients
        :label:`sec_gradients`

        The *gradient* is the vector of partial derivatives of a function. Recall the vectors
        of :numref:`sec_vectors`: a gradient is one of them, with one entry per input.
        """)
    _write(root, "chapter_advanced/index.md", """
        # Advanced Topics

        Built on the basics of :numref:`chap_basics`.

        ```toc
        descent
        ```
        """)
    _write(root, "chapter_advanced/descent.md", """
        # Gradient Descent
        :label:`sec_descent`

        *Gradient descent* is an optimization method that repeatedly steps against the gradient
        described in :numref:`sec_gradients`. In :numref:`sec_vectors` we will later see more.
        """)
    return root


def test_toc_blocks_give_the_reading_order_and_chapters_follow_their_references(tmp_path):
    root = _book(tmp_path / "book")
    texts = {p.relative_to(root).as_posix(): p.read_text() for p in root.rglob("*.md")}
    cur = toc_curriculum(texts)
    assert cur is not None and cur.source == "toc blocks"
    order = [e.lesson_ids[0] for e in cur.entries]
    # "advanced" sorts before "basics" by name, but it refers back to the basics chapter
    assert order == ["chapter_basics/index", "chapter_basics/vectors", "chapter_basics/gradients",
                     "chapter_advanced/index", "chapter_advanced/descent"]
    assert cur.entry("chapter_advanced/descent").unit == "Advanced Topics"
    assert toc_curriculum({"a.md": "# A\n\nno toc here\n"}) is None


def test_labels_and_cross_references_survive_parsing_and_math_is_not_emphasis(tmp_path):
    root = _book(tmp_path / "book")
    vec = parse_file(root / "chapter_basics/vectors.md", root=root)
    assert vec.sections[0].labels == ["sec_vectors"]
    block = vec.sections[0].blocks[0]
    assert block.italic == ["vector"]  # the underscores of $\mathbf{x}_i$ and $x_1, x_2$ open no italics
    assert "$\\mathbf{x}_i$" in block.text and "$x_1, x_2$" in block.text
    grad = parse_file(root / "chapter_basics/gradients.md", root=root)
    para = grad.sections[0].blocks[0]
    assert "the section on vectors" in para.text and ":numref:" not in para.text
    assert ("the section on vectors", "label:sec_vectors") in para.links


def test_backward_cross_references_become_prerequisites_and_forward_ones_do_not(kb, tmp_path):
    root = _book(tmp_path / "book")
    rep = ingest_paths(kb, [root], course="book")
    assert rep.curriculum == "toc blocks"
    cs = kb.concepts()
    title = {cid: c.title for cid, c in cs.items()}
    edges = {(title[e.src], title[e.dst]): e for e in kb.graph.edges() if e.kind == PREREQUISITE}
    assert ("Gradient", "Gradient Descent") in edges
    assert "cross-reference" in edges[("Gradient", "Gradient Descent")].evidence
    assert ("Vector", "Gradient") in edges
    # "In the section on vectors we will later see more" looks ahead: no evidence from it
    assert all("will later" not in e.evidence for e in edges.values())


def test_an_index_that_is_only_a_table_of_contents_or_directives_is_skipped_not_failed(kb, tmp_path):
    root = tmp_path / "book"
    _write(root, "chapter_x/index.md", """
        # Chapter X
        :label:`chap_x`

        ```toc
        intro
        ```
        """)
    _write(root, "chapter_x/intro.md", """
        # Vectors

        A *vector* is an ordered list of numbers that can be added and scaled.
        """)
    _write(root, "references.md", """
        ```eval_rst
        .. only:: html

           References
        ```
        """)
    rep = ingest_paths(kb, [root], course="book")
    status = {f.path: (f.status, f.reason) for f in rep.files}
    assert status["references.md"] == ("skipped", "only document directives (a bibliography, an index): nothing to learn from")
    assert status["chapter_x/index.md"][0] == "skipped"
    assert "table of contents" in status["chapter_x/index.md"][1]
    assert status["chapter_x/intro.md"][0] == "ingested"
    assert rep.totals["skipped"] == 2 and rep.totals["failed"] == 0


def test_a_later_chapter_revisiting_a_topic_does_not_make_it_depend_on_what_came_between(kb, tmp_path):
    """An appendix that revisits vectors and refers to attention (taught after vectors) gives no
    edge attention → vector: vectors have their own section earlier, so the order says the
    opposite. The chapter's overview page names what comes without being anyone's home."""
    root = tmp_path / "book"
    _write(root, "chapter_basics/index.md", """
        # Basics
        :label:`chap_basics`

        ```toc
        vectors
        ```
        """)
    _write(root, "chapter_basics/vectors.md", """
        # Vectors
        :label:`sec_vectors`

        A *vector* is an ordered list of numbers that can be added and scaled.
        """)
    _write(root, "chapter_models/index.md", """
        # Models

        Built on :numref:`chap_basics`.

        ```toc
        attention
        ```
        """)
    _write(root, "chapter_models/attention.md", """
        # Attention
        :label:`sec_attention`

        *Attention* is a weighted average of value vectors, weighted by how well each key matches
        a query. Recall the vectors of :numref:`sec_vectors`.
        """)
    _write(root, "chapter_appendix/index.md", """
        # Appendix

        More on the ideas of :numref:`sec_attention`.

        ```toc
        vectors-again
        ```
        """)
    _write(root, "chapter_appendix/vectors-again.md", """
        # Vectors

        Vectors are everywhere in attention models. Recall the attention of :numref:`sec_attention`:
        its weights form a vector that sums to one.
        """)
    ingest_paths(kb, [root], course="book")
    title = {cid: c.title for cid, c in kb.concepts().items()}
    edges = {(title.get(e.src), title.get(e.dst)) for e in kb.graph.edges() if e.kind == PREREQUISITE}
    assert ("Vector", "Attention") in edges
    assert ("Attention", "Vector") not in edges

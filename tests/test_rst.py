"""reStructuredText lessons (Sphinx courses): docutils reads them, Sphinx's own roles and
directives read by what they mean, a root ``index.rst``'s toctree gives the reading order.
The lesson text here is ours."""

from __future__ import annotations

from pathlib import Path

from knowledge.ingest.parsers import parse_file

TREES = """\
.. _trees:

Trees
=====

.. toctree::
   :maxdepth: 2

   heaps

A **tree** is a hierarchical data structure made of nodes, where every node except the root has
exactly one parent. See :ref:`the traversal <tree-traversal>` below and :func:`~collections.deque`.

.. note::

   Trees appear everywhere: file systems, parse trees and decision trees.

.. _tree-traversal:

Traversal
---------

*Breadth-first traversal* visits the nodes level by level, using a queue.

.. code-block:: python
   :linenos:

   from collections import deque

   def bfs(root):
       queue = deque([root])
       while queue:
           node = queue.popleft()
           queue.extend(node.children)

The height of a balanced tree with :math:`n` nodes is

.. math::

   h = \\lceil \\log_2 (n + 1) \\rceil

.. glossary::

   Leaf
      A node with no children: the ends of the tree's branches.

.. automodule:: heapq
   :members:

.. versionadded:: 2.0

.. seealso:: The chapter on graphs, which generalise trees.
"""

HEAPS = """\
Heaps
=====

A **binary heap** is a complete binary tree in which every parent is ordered before its
children. It builds on :doc:`trees`.

.. include:: secret.txt

Operations
----------

=========  ===========
Operation  Cost
=========  ===========
push       O(log n)
pop        O(log n)
=========  ===========
"""

INDEX = """\
Data Structures
===============

Welcome to the course on data structures for beginners.

.. toctree::
   :maxdepth: 2

   chapters/intro
   Trees <chapters/trees>
   chapters/heaps
"""

INTRO = """\
Introduction
============

An **algorithm** is a finite sequence of steps that solves a problem, and a data structure keeps
the values an algorithm works on.
"""


def _course(root: Path) -> Path:
    (root / "chapters").mkdir(parents=True)
    (root / "index.rst").write_text(INDEX)
    (root / "chapters" / "intro.rst").write_text(INTRO)
    (root / "chapters" / "trees.rst").write_text(TREES)
    (root / "chapters" / "heaps.rst").write_text(HEAPS)
    (root / "chapters" / "secret.txt").write_text("THE INCLUDED FILE")
    return root


def test_a_sphinx_lesson_reads_as_a_student_sees_it(tmp_path):
    root = _course(tmp_path / "course")
    doc = parse_file(root / "chapters" / "trees.rst", root)
    assert doc.kind == "rst" and doc.title == "Trees"
    assert [(s.heading, s.level) for s in doc.sections] == [("Trees", 1), ("Traversal", 2)]
    top, traversal = doc.sections
    first = top.blocks[0]
    assert first.text.startswith("A tree is a hierarchical data structure") and first.bold == ["tree"]
    assert "See the traversal below and deque." in first.text  # a reference reads as its title, API names as code
    texts = [b.text for s in doc.sections for b in s.blocks]
    assert "Trees appear everywhere: file systems, parse trees and decision trees." in texts  # a note's text ...
    assert "Note" not in texts  # ... not its label
    assert traversal.code_blocks[0].language == "python" and "queue.popleft()" in traversal.code_blocks[0].text
    assert "The height of a balanced tree with $n$ nodes is" in texts  # math as LaTeX, as in Markdown
    assert "$$h = \\lceil \\log_2 (n + 1) \\rceil$$" in texts
    assert any(t.startswith("Leaf") and "A node with no children" in t for t in texts)  # a glossary entry
    assert "The chapter on graphs, which generalise trees." in texts  # seealso keeps its text
    assert not any("heapq" in t or "2.0" in t or "maxdepth" in t for t in texts)  # generated API, versions, toctree


def test_an_included_file_is_never_read(tmp_path):
    root = _course(tmp_path / "course")
    doc = parse_file(root / "chapters" / "heaps.rst", root)
    assert "THE INCLUDED FILE" not in doc.text
    assert any(b.kind == "table_row" and b.text == "push | O(log n)" for s in doc.sections for b in s.blocks)


def test_a_sphinx_course_ingests_in_its_toctree_order_with_doc_links_as_evidence(kb, tmp_path):
    from knowledge.ingest.pipeline import ingest_paths
    from knowledge.models import PREREQUISITE

    root = _course(tmp_path / "course")
    report = ingest_paths(kb, [root], course="ds")
    assert report.count("failed") == 0, [(f.path, f.reason) for f in report.files]
    assert report.curriculum == "book manifest index.rst"
    by_title = {c.title.lower(): c for c in kb.concepts().values()}
    assert by_title["tree"].definition.startswith("A tree is a hierarchical data structure")
    heap = by_title["binary heap"]
    assert "It builds on Trees." in heap.definition  # :doc: reads as the linked page's title
    edges = {(kb.get(e.src).title, kb.get(e.dst).title, e.evidence) for e in kb.graph.edges() if e.kind == PREREQUISITE}
    # the link to the earlier lesson, numbered by the toctree (index 1, intro 2 ... as Sphinx reads them)
    assert any(s == "Tree" and "link in chapters/heaps.rst" in ev and "earlier lesson 'Trees'" in ev
               for s, _, ev in edges), edges


def test_settings_and_parameters_are_text_not_terms_and_a_page_inside_only_keeps_its_title(tmp_path):
    """A field list (":color: the colour ...") and a typed parameter list ("tol : float") hold
    settings of a function, not glossary terms; a whole page wrapped in ``.. only:: html`` keeps
    its title and sections."""
    from knowledge.ingest.extract import extract_concepts

    (tmp_path / "solvers.rst").write_text("""\
:authors: A. Teacher

.. only:: html

  Iterative Solvers
  =================

  A **conjugate gradient solver** is an iterative method for symmetric positive definite systems.

  Parameters of the solver:

  tol : float
      Relative tolerance to achieve before the solver stops.
  maxiter : integer
      Maximum number of iterations before the solver gives up.

  Keyword arguments of the plot:

  :color: the colour of the drawn object, as a triplet of floats.
  :opacity: how transparent the drawn object is, from 0 to 1.
""")
    doc = parse_file(tmp_path / "solvers.rst", tmp_path)
    assert doc.title == "Iterative Solvers" and doc.sections[0].heading == "Iterative Solvers"
    texts = [b.text for s in doc.sections for b in s.blocks]
    assert "tol (float): Relative tolerance to achieve before the solver stops." in texts
    assert "color: the colour of the drawn object, as a triplet of floats." in texts
    assert not any("A. Teacher" in t for t in texts)
    titles = {c.title.lower() for c in extract_concepts(doc, "solvers")}
    assert "conjugate gradient solver" in titles
    assert not titles & {"tol", "tolfloat", "maxiter", "color", "opacity", "author"}

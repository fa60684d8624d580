"""Lesson ingestion, the pure part: files → documents → concepts + prerequisite edges.

* :func:`parse_file` — Markdown, HTML, PDF, notebooks, Word, PowerPoint, plain text → :class:`Document`
  (sections with heading anchors, page/cell, code blocks, links, figures);
  bad input raises :class:`IngestError` naming the file and what to do.
* :func:`extract_concepts` — the structural extractor (no LLM); :func:`merge_variants`,
  :func:`match_existing` and :func:`absorb` keep one concept per idea across lessons.
* :func:`infer_prerequisites` — prerequisite edges with evidence, never a cycle;
  :func:`parse_curriculum` / :func:`lesson_id_for` give lesson order;
  :func:`score_edges` evaluates edges against a gold set.
* :func:`llm_extract` — the optional extractor over any ``complete(prompt) -> str`` model.

Storage, hashing, embedding and progress reporting are the caller's (``erica ingest``).
"""

from .document import Block, CodeBlock, Document, Figure, Section, github_slug
from .errors import IngestError
from .extract import extract_concepts
from .merge import absorb, match_existing, merge_variants
from .llm_extract import CompletionModel, LLMExtraction, llm_extract, parse_json_reply
from .parsers import SUPPORTED, parse_file, relative_lesson_path
from .curriculum import Curriculum, CurriculumEntry, lesson_id_for, order_from_path, parse_curriculum
from .edge_eval import EdgeScore, load_gold, load_gold_nodes, score_edges
from .prereqs import LessonExtraction, infer_prerequisites

__all__ = [
    "Block",
    "CodeBlock",
    "CompletionModel",
    "Curriculum",
    "CurriculumEntry",
    "Document",
    "EdgeScore",
    "Figure",
    "IngestError",
    "LLMExtraction",
    "LessonExtraction",
    "SUPPORTED",
    "Section",
    "absorb",
    "extract_concepts",
    "github_slug",
    "infer_prerequisites",
    "lesson_id_for",
    "llm_extract",
    "load_gold",
    "load_gold_nodes",
    "match_existing",
    "merge_variants",
    "order_from_path",
    "parse_curriculum",
    "parse_file",
    "parse_json_reply",
    "relative_lesson_path",
    "score_edges",
]

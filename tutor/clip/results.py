"""What the CLIP engine returns: plain dataclasses, JSON-serialisable with
``json.dumps(dataclasses.asdict(result))``.

Images are referenced by **PNG file path** (a string): the path the caller gave, or the file a
demo wrote its generated picture to. An image passed in memory (bytes, PIL image, array) is
referenced as ``"<in-memory image N>"``. Paths keep results small and JSON-friendly; the UI
shows them with ``st.image(path)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ClipError(Exception):
    """A CLIP problem the user can fix; the message says how (shown as is by the CLI and UI)."""


@dataclass
class ModelInfo:
    """Which CLIP is running, honestly: ``description`` is what to tell the student."""

    name: str  # "erica-shapes", "ViT-B-32", ...
    pretrained: str  # open_clip tag, checkpoint path, or the bundled asset's file name
    description: str  # "Erica's small CLIP trained on generated shapes (...)"
    device: str
    embed_dim: int
    parameters: int
    bundled: bool
    # What it was trained to recognise (bundled model: shape/colour/pattern names);
    # None for open-vocabulary OpenCLIP models.
    recognises: dict[str, list[str]] | None = None


@dataclass
class LabelScore:
    label: str
    probability: float  # softmax over the candidate labels (CLIP's logit scale)
    similarity: float  # cosine similarity of image and label embeddings


@dataclass
class Classification:
    """Zero-shot classification of one image against candidate labels, best first."""

    image: str
    scores: list[LabelScore]
    best: str
    probability: float
    reading: str  # "The model is 93% sure this is 'a striped red circle'."
    unknown_words: list[str] = field(default_factory=list)


@dataclass
class SearchHit:
    rank: int
    image: str
    score: float  # cosine similarity with the query
    caption: str | None = None  # the true caption, when the gallery knows it (generated images)
    lesson: str | None = None  # the lesson record a lesson figure belongs to
    section: str = ""  # and the section anchor that shows it


@dataclass
class SearchResult:
    """A text query ranked over a gallery of images, best first."""

    query: str
    hits: list[SearchHit]
    gallery_size: int
    reading: str
    unknown_words: list[str] = field(default_factory=list)


@dataclass
class SimilarityMatrix:
    """Cosine similarities of a batch of images (rows) and captions (columns).

    Contrastive training pushes the diagonal (matching pairs) up and everything else down;
    ``probabilities`` is each row's softmax with the model's logit scale, as in training.
    """

    images: list[str]
    captions: list[str]
    cosine: list[list[float]]
    probabilities: list[list[float]]
    diagonal_mean: float
    off_diagonal_mean: float
    rows_matched: int  # rows whose best caption is the diagonal one
    reading: str


@dataclass
class DemoResult:
    """What a demo produced; exactly one of ``classifications``/``search``/``similarity`` is
    filled, according to ``kind``."""

    demo_id: str
    title: str
    kind: str
    model: str  # which CLIP ran it (the engine's honest description)
    reading: str  # one line for the student
    params: dict[str, Any]
    classifications: list[Classification] = field(default_factory=list)
    search: SearchResult | None = None
    similarity: SimilarityMatrix | None = None


def result_kind(obj: object) -> str:
    """``classification``, ``search`` or ``similarity`` for an engine result, ``demo`` for a demo's
    result (:class:`DemoResult`, whose ``kind`` says which it holds)."""
    if isinstance(obj, Classification):
        return "classification"
    if isinstance(obj, SearchResult):
        return "search"
    if isinstance(obj, SimilarityMatrix):
        return "similarity"
    if isinstance(obj, DemoResult):
        return "demo"
    return type(obj).__name__

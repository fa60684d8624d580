"""The CLIP engine: one object over an open_clip model that encodes images and texts, and on
top of that classifies zero-shot, searches a gallery and computes similarity matrices.

Which model comes from settings (``ERICA_CLIP_MODEL``, ``ERICA_CLIP_PRETRAINED``,
``ERICA_CLIP_DEVICE``):

- ``erica-shapes`` (default): Erica's bundled small CLIP (``configs/erica-shapes.json``,
  weights ``assets/erica-shapes.safetensors``), or other weights for that architecture when
  ``clip_pretrained`` is a file (e.g. the output of ``erica clip train``);
- any other name goes to open_clip: a registered model name (``ViT-B-32``) with a pretrained
  tag (default ``laion2b_s34b_b79k`` for ViT-B-32) or a local checkpoint file; a path to an
  open_clip model-config JSON (registered with ``open_clip.add_model_config``); or
  ``hf-hub:`` / ``local-dir:`` names.

Both load through ``open_clip.create_model_and_transforms(name, pretrained=...)``. Engines are
built once per settings by :func:`get_engine`. The library never prints.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np
from PIL import Image

from .images import IMAGE_SUFFIXES, ImageLike, load_image
from .results import (
    Classification,
    ClipError,
    LabelScore,
    ModelInfo,
    SearchHit,
    SearchResult,
    SimilarityMatrix,
)
from .world import CONFIG_DIR, load_world

if TYPE_CHECKING:  # pragma: no cover
    from knowledge.settings import Settings

BUNDLED = "erica-shapes"
BUNDLED_CONFIG = CONFIG_DIR / f"{BUNDLED}.json"
BUNDLED_WEIGHTS = Path(__file__).parent / "assets" / f"{BUNDLED}.safetensors"
DEFAULT_PRETRAINED = {"ViT-B-32": "laion2b_s34b_b79k"}

_register_lock = threading.Lock()


@dataclass
class Gallery:
    """Images to search: their references, unit-norm embeddings (rows), their captions when
    known (generated images, lesson figures) and, for lesson figures, the lesson record id and
    section anchor each came from."""

    images: list[str]
    embeddings: np.ndarray
    captions: list[str | None]
    lessons: list[str | None] | None = None
    sections: list[str] | None = None

    def __len__(self) -> int:
        return len(self.images)


def default_device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def register_bundled_config() -> None:
    """Make ``erica-shapes`` (and its siblings in ``configs/``) known to open_clip."""
    import open_clip

    with _register_lock:
        if BUNDLED not in open_clip.list_models():
            open_clip.add_model_config(BUNDLED_CONFIG)


class ClipEngine:
    """Encode images and texts; classify, search and compare on top of that.

    Build with :meth:`load` (or :func:`get_engine` for the settings' cached one), or directly
    from an open_clip ``model``, its ``preprocess`` transform and a ``tokenizer``.
    """

    def __init__(
        self,
        model: Any,
        preprocess: Callable[[Image.Image], Any],
        tokenizer: Callable[[list[str]], Any],
        info: ModelInfo,
        batch_size: int = 64,
    ):
        import torch

        self.model = model.eval()
        self.preprocess = preprocess
        self.tokenizer = tokenizer
        self.info = info
        self.batch_size = batch_size
        self.device = torch.device(info.device)
        self._text_cache: dict[str, np.ndarray] = {}
        self._image_cache: dict[tuple[str, int, int], np.ndarray] = {}
        self._lock = threading.Lock()

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def load(cls, model: str = BUNDLED, pretrained: str | None = None, device: str | None = None) -> "ClipEngine":
        import open_clip

        device = device or default_device()
        register_bundled_config()
        bundled = model == BUNDLED
        name = model
        if model.endswith(".json") and Path(model).is_file():
            open_clip.add_model_config(model)
            name = Path(model).stem
        if bundled:
            weights = pretrained or str(BUNDLED_WEIGHTS)
            if not Path(weights).is_file():
                raise ClipError(
                    f"the bundled CLIP weights are missing ({weights}): reinstall Erica, "
                    "or train them with `erica clip train --out tutor/clip/assets`"
                )
        elif name.startswith(("hf-hub:", "local-dir:")):
            weights = ""  # config and weights come from the hub repo / the folder
        elif name not in open_clip.list_models():
            raise ClipError(
                f"unknown CLIP model {name!r}: set ERICA_CLIP_MODEL to {BUNDLED!r}, an open_clip model name "
                "(e.g. ViT-B-32; see open_clip.list_models()), a model-config .json file, or hf-hub:/local-dir:"
            )
        else:
            weights = pretrained or DEFAULT_PRETRAINED.get(name) or _first_tag(name)
        try:
            clip, _, preprocess = open_clip.create_model_and_transforms(name, pretrained=weights or None, device=device)
        except Exception as e:  # open_clip raises RuntimeError/FileNotFoundError/HF errors
            raise ClipError(_load_error(name, weights, e)) from e
        parameters = sum(p.numel() for p in clip.parameters())
        embed_dim = _embed_dim(clip, name)
        if bundled:
            from .tokenizer import WordTokenizer

            world = load_world()
            tokenizer = WordTokenizer.from_world(world)
            if clip.vocab_size != tokenizer.vocab_size:
                raise ClipError(
                    f"{BUNDLED_CONFIG.name} has vocab_size {clip.vocab_size} but the world file has "
                    f"{tokenizer.vocab_size} words: retrain with `erica clip train`"
                )
            counts = f"{len(world.shapes)} shapes × {len(world.colours)} colours × {len(world.patterns)} patterns"
            description = f"Erica's small CLIP trained on generated shapes ({counts})"
            if pretrained:
                description += f", weights from {Path(pretrained).name}"
            info = ModelInfo(BUNDLED, Path(weights).name, description, str(device), embed_dim, parameters,
                             True, world.recognises())
        else:
            tokenizer = open_clip.get_tokenizer(name)
            tag = Path(weights).name if weights and Path(weights).is_file() else (weights or name.split(":", 1)[0])
            info = ModelInfo(name, str(weights), f"OpenCLIP {name} ({tag})", str(device), embed_dim,
                             parameters, False, None)
        return cls(clip, preprocess, tokenizer, info)

    # -- the interface: embeddings ---------------------------------------------------------
    @property
    def description(self) -> str:
        return self.info.description

    @property
    def logit_scale(self) -> float:
        return float(self.model.logit_scale.detach().exp().clamp(max=100).cpu())

    def encode_images(self, images: Sequence[ImageLike], batch_size: int | None = None) -> np.ndarray:
        """Unit-norm embeddings, one row per image (paths, PNG bytes, PIL images or arrays)."""
        import torch

        loaded = [load_image(im, i)[0] for i, im in enumerate(images)]
        if not loaded:
            return np.zeros((0, self.info.embed_dim), dtype=np.float32)
        out = []
        size = batch_size or self.batch_size
        with self._lock, torch.inference_mode():
            for start in range(0, len(loaded), size):
                batch = torch.stack([self.preprocess(im) for im in loaded[start : start + size]])
                feats = self.model.encode_image(batch.to(self.device), normalize=True)
                out.append(feats.float().cpu().numpy())
        return np.concatenate(out)

    def encode_texts(self, texts: Sequence[str], batch_size: int = 256) -> np.ndarray:
        """Unit-norm embeddings, one row per text (cached per text)."""
        import torch

        texts = [str(t) for t in texts]
        todo = list(dict.fromkeys(t for t in texts if t not in self._text_cache))
        with self._lock, torch.inference_mode():
            for start in range(0, len(todo), batch_size):
                chunk = todo[start : start + batch_size]
                tokens = self.tokenizer(chunk).to(self.device)
                feats = self.model.encode_text(tokens, normalize=True).float().cpu().numpy()
                if len(self._text_cache) > 8192:
                    self._text_cache.clear()
                self._text_cache.update(zip(chunk, feats))
        if not texts:
            return np.zeros((0, self.info.embed_dim), dtype=np.float32)
        return np.stack([self._text_cache[t] for t in texts])

    def embed_image_paths(self, paths: Sequence[str | Path]) -> np.ndarray:
        """Unit-norm embeddings of image files (cached per path, size and modification time)."""
        keys = []
        for p in paths:
            path = Path(p).expanduser()
            if not path.is_file():
                raise ClipError(f"no image file at {path}: check the path")
            st = path.stat()
            keys.append((str(path), st.st_size, st.st_mtime_ns))
        missing = [k for k in dict.fromkeys(keys) if k not in self._image_cache]
        if missing:
            vecs = self.encode_images([k[0] for k in missing])
            self._image_cache.update(zip(missing, vecs))
        if not keys:
            return np.zeros((0, self.info.embed_dim), dtype=np.float32)
        return np.stack([self._image_cache[k] for k in keys])

    def unknown_words(self, text: str) -> list[str]:
        """Words the text tower cannot represent (only the bundled compact vocabulary has any)."""
        fn = getattr(self.tokenizer, "unknown_words", None)
        return fn(text) if fn else []

    # -- built on top: classify, search, compare -------------------------------------------
    def classify(self, image: ImageLike, labels: Sequence[str]) -> Classification:
        """Zero-shot: which of ``labels`` describes ``image`` best, with probabilities."""
        return self.classify_many([image], labels)[0]

    def classify_many(self, images: Sequence[ImageLike], labels: Sequence[str]) -> list[Classification]:
        labels = _clean_labels(labels)
        refs = [self._ref(im, i) for i, im in enumerate(images)]
        img = self._encode_any(images)
        txt = self.encode_texts(labels)
        cos = img @ txt.T
        probs = _softmax(self.logit_scale * cos)
        unknown = sorted({w for label in labels for w in self.unknown_words(label)})
        out = []
        for ref, c, p in zip(refs, cos, probs):
            order = np.argsort(-p, kind="stable")
            scores = [LabelScore(labels[j], round(float(p[j]), 4), round(float(c[j]), 4)) for j in order]
            out.append(Classification(ref, scores, scores[0].label, scores[0].probability,
                                      _classification_reading(scores, unknown), unknown))
        return out

    def gallery(self, images: Sequence[ImageLike] | str | Path, captions: Sequence[str | None] | None = None) -> Gallery:
        """A searchable gallery from a folder of images or a list of images (embeddings cached)."""
        if isinstance(images, (str, Path)):
            folder = Path(images).expanduser()
            if not folder.is_dir():
                raise ClipError(f"no folder at {folder}: give a folder of images or a list of image paths")
            images = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
            if not images:
                raise ClipError(f"{folder} has no images ({', '.join(sorted(IMAGE_SUFFIXES))})")
        images = list(images)
        refs = [self._ref(im, i) for i, im in enumerate(images)]
        caps = list(captions) if captions is not None else [None] * len(images)
        return Gallery(refs, self._encode_any(images), caps)

    def search(self, query: str, gallery: Gallery, top: int = 5) -> SearchResult:
        """Text → images: the gallery ranked by similarity to ``query``."""
        query = query.strip()
        if not query:
            raise ClipError("the search query is empty: type what to look for, e.g. 'a striped circle'")
        if len(gallery) == 0:
            raise ClipError("the gallery is empty: give a folder of images or a list of image paths")
        scores = gallery.embeddings @ self.encode_texts([query])[0]
        order = np.argsort(-scores, kind="stable")[: max(1, top)]
        hits = [SearchHit(r + 1, gallery.images[j], round(float(scores[j]), 4), gallery.captions[j],
                          gallery.lessons[j] if gallery.lessons else None,
                          gallery.sections[j] if gallery.sections else "")
                for r, j in enumerate(order)]
        unknown = self.unknown_words(query)
        reading = f"The best match for '{query}' among {len(gallery)} images has cosine similarity {hits[0].score:.2f}"
        reading += f" (number {len(hits)}: {hits[-1].score:.2f})." if len(hits) > 1 else "."
        if hits[0].caption:
            reading += f" It shows {hits[0].caption}."
        if hits[0].lesson:
            reading += f" It is a figure of the lesson {hits[0].lesson}."
        if unknown:
            reading += f" Note: this model does not know the word(s) {', '.join(unknown)}."
        return SearchResult(query, hits, len(gallery), reading, unknown)

    def similarity(self, images: Sequence[ImageLike], captions: Sequence[str]) -> SimilarityMatrix:
        """The image×caption similarity matrix that contrastive training shapes."""
        captions = _clean_labels(captions)
        refs = [self._ref(im, i) for i, im in enumerate(images)]
        cos = self._encode_any(images) @ self.encode_texts(captions).T
        probs = _softmax(self.logit_scale * cos)
        n = min(cos.shape)
        diag = np.array([cos[i, i] for i in range(n)])
        off = cos[~np.eye(*cos.shape, dtype=bool)]
        matched = int(sum(int(np.argmax(cos[i])) == i for i in range(n)))
        d, o = float(diag.mean()) if n else 0.0, float(off.mean()) if off.size else 0.0
        reading = (f"Matching pairs (the diagonal) average {d:.2f} cosine similarity, mismatched pairs "
                   f"{o:.2f}; {matched} of {n} images pick their own caption.")
        return SimilarityMatrix(refs, captions, _rounded(cos), _rounded(probs), round(d, 4), round(o, 4),
                                matched, reading)

    # -- helpers ---------------------------------------------------------------------------
    def _encode_any(self, images: Sequence[ImageLike]) -> np.ndarray:
        if images and all(isinstance(im, (str, Path)) for im in images):
            return self.embed_image_paths(images)  # type: ignore[arg-type]
        return self.encode_images(images)

    @staticmethod
    def _ref(image: ImageLike, index: int) -> str:
        if isinstance(image, (str, Path)):
            return str(Path(image).expanduser())
        return f"<in-memory image {index}>"


def _clean_labels(labels: Sequence[str]) -> list[str]:
    out = [str(label).strip() for label in labels if str(label).strip()]
    if not out:
        raise ClipError("no labels given: pass at least one caption, e.g. --labels \"a red circle,a blue square\"")
    return out


def _softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def _rounded(m: np.ndarray) -> list[list[float]]:
    return [[round(float(v), 4) for v in row] for row in m]


def _classification_reading(scores: list[LabelScore], unknown: list[str]) -> str:
    best = scores[0]
    if len(scores) == 1:
        text = f"With one label there is nothing to choose: '{best.label}' gets 100%."
    elif best.probability >= 0.5:
        text = f"The model is {best.probability:.0%} sure this is '{best.label}'."
    else:
        second = scores[1]
        text = (f"The model leans towards '{best.label}' ({best.probability:.0%}), "
                f"with '{second.label}' close behind ({second.probability:.0%}).")
    if unknown:
        text += f" It does not know the word(s) {', '.join(unknown)}, so they carry no meaning for it."
    return text


def _embed_dim(clip: Any, name: str) -> int:
    import open_clip

    cfg = open_clip.get_model_config(name) if not name.startswith("hf-hub:") else None
    if cfg and "embed_dim" in cfg:
        return int(cfg["embed_dim"])
    proj = getattr(clip, "text_projection", None)
    return int(proj.shape[-1]) if proj is not None and hasattr(proj, "shape") else 0


def _first_tag(name: str) -> str:
    import open_clip

    tags = open_clip.list_pretrained_tags_by_model(name)
    if not tags:
        raise ClipError(
            f"open_clip has no pretrained weights for {name!r}: set ERICA_CLIP_PRETRAINED to a checkpoint "
            "file, or pick a model from `open_clip.list_pretrained()`"
        )
    return tags[0]


def _load_error(name: str, weights: str, err: Exception) -> str:
    msg = f"could not load CLIP model {name!r} with weights {weights!r}: {err}."
    if not os.path.isfile(weights):
        msg += (" If these are downloadable weights, this machine needs the network once (they are cached"
                " afterwards); otherwise set ERICA_CLIP_PRETRAINED to a local checkpoint file, or unset"
                f" ERICA_CLIP_MODEL to use the bundled {BUNDLED!r} model.")
    return msg


@lru_cache(maxsize=4)
def _cached_engine(model: str, pretrained: str | None, device: str | None) -> ClipEngine:
    return ClipEngine.load(model, pretrained, device)


def get_engine(settings: "Settings | None" = None) -> ClipEngine:
    """The engine for these settings (default: ``Settings()``), built once and cached."""
    if settings is None:
        from knowledge.settings import Settings

        settings = Settings()
    pretrained = str(settings.clip_pretrained) if settings.clip_pretrained else None
    return _cached_engine(settings.clip_model, pretrained, settings.clip_device)

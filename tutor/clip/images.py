"""Images in, the way the engine accepts them: a file path, PNG/JPEG bytes, a PIL image or an
H×W×3 uint8 array. Results refer to an image by its path, or ``"<in-memory image N>"``."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Union

import numpy as np
from PIL import Image, UnidentifiedImageError

from .results import ClipError

ImageLike = Union[str, Path, bytes, Image.Image, np.ndarray]
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"}


def load_image(item: ImageLike, index: int = 0) -> tuple[Image.Image, str]:
    """An RGB PIL image and how results refer to it (the file path, or a placeholder)."""
    if isinstance(item, Image.Image):
        return item.convert("RGB"), f"<in-memory image {index}>"
    if isinstance(item, np.ndarray):
        return Image.fromarray(item.astype(np.uint8)).convert("RGB"), f"<in-memory image {index}>"
    if isinstance(item, (bytes, bytearray)):
        try:
            return Image.open(io.BytesIO(item)).convert("RGB"), f"<in-memory image {index}>"
        except (UnidentifiedImageError, OSError) as e:
            raise ClipError(f"image {index} is not a picture PIL can read (PNG, JPEG, ...): {e}") from e
    path = Path(item).expanduser()
    if not path.is_file():
        raise ClipError(f"no image file at {path}: check the path")
    try:
        with Image.open(path) as im:
            return im.convert("RGB"), str(path)
    except (UnidentifiedImageError, OSError) as e:
        raise ClipError(f"{path} is not an image PIL can read (PNG, JPEG, WebP, ...)") from e

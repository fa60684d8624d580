"""Saving uploaded lesson files safely: a size limit, a safe base name, a folder per course.

A browser sends whatever name it likes (``../../etc/passwd``, ``C:\\x\\lesson.md``, control
characters); only a cleaned base name is kept, and files land under
``<data dir>/uploads/<course slug>/``. Pure functions: no Streamlit here.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from knowledge.ingest.parsers import CONVERT, SUPPORTED
from knowledge.models import slugify

LESSON_TYPES: tuple[str, ...] = tuple(ext.lstrip(".") for ext in SUPPORTED)  # what ingest reads
MAX_NAME = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9._ ()+-]+")


def safe_name(name: str) -> str:
    """A base name that is safe to create in a folder: no directories, no ``..``, no control
    or shell-special characters, not hidden, at most ``MAX_NAME`` characters (extension kept)."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    base = _UNSAFE.sub("_", base).strip(" .")
    base = re.sub(r"_{2,}", "_", base)
    if base in {"", ".", ".."} or set(base) <= {"_", "."}:
        base = "upload"
    stem, dot, ext = base.rpartition(".")
    if dot and stem and len(ext) <= 10:
        stem = stem[: MAX_NAME - len(ext) - 1].rstrip(" .")
        if not stem.strip("_ "):
            stem = "upload"
        return f"{stem}.{ext.lower()}"
    return base[:MAX_NAME]


def course_folder(uploads: Path, course: str) -> Path:
    return uploads / (slugify(course) if course.strip() else "uploads")


@dataclass
class Saved:
    """An upload written to disk: the name the browser sent and where it now is."""

    name: str
    path: Path


@dataclass
class Rejected:
    """An upload refused before ingestion (reported like a failed file)."""

    name: str
    reason: str


def check_upload(name: str, size: int, max_mb: float) -> str | None:
    """Why this upload is refused, or None."""
    ext = safe_name(name).rpartition(".")[2].lower()
    if ext not in LESSON_TYPES:
        if f".{ext}" in CONVERT:  # a format Erica does not read, and how to bring it
            return f"'.{ext}' is {CONVERT['.' + ext]}"
        return (f"'.{ext}' is not a lesson file type; upload Markdown (.md; also Quarto .qmd, R Markdown .rmd, "
                "MDX .mdx), HTML (.html), reStructuredText (.rst), PDF, a Jupyter notebook (.ipynb), Word (.docx), "
                "PowerPoint (.pptx) or plain text (.txt)")
    if size == 0:
        return "the file is empty"
    if size > max_mb * 1024 * 1024:
        return (f"the file is {size / 1024 / 1024:.1f} MB, over the {max_mb:g} MB limit "
                "(set ERICA_MAX_FILE_MB to raise it)")
    return None


def save_uploads(files, folder: Path, max_mb: float) -> tuple[list[Saved], list[Rejected]]:
    """Write accepted uploads (objects with ``.name`` and ``.getvalue()``) into ``folder``;
    returns the saved paths and the refused files. Two uploads with the same safe name in one
    batch get distinct names; a file re-uploaded later replaces the earlier copy (so ingestion
    can tell it is unchanged)."""
    saved: list[Saved] = []
    rejected: list[Rejected] = []
    used: set[str] = set()
    for f in files:
        data = f.getvalue()
        reason = check_upload(f.name, len(data), max_mb)
        if reason:
            rejected.append(Rejected(f.name, reason))
            continue
        name = safe_name(f.name)
        stem, _, ext = name.rpartition(".")
        n = 2
        while name in used:
            name = f"{stem}-{n}.{ext}"
            n += 1
        used.add(name)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        tmp = path.with_name(f".{name}.part")
        tmp.write_bytes(data)
        tmp.replace(path)
        saved.append(Saved(f.name, path))
    return saved, rejected


def save_image(data: bytes, name: str, folder: Path) -> Path:
    """Keep a student's picture as a file (the CLIP demos read images by path), named by its
    content so the same picture is stored once: ``<folder>/<sha256[:16]>.<ext>``."""
    ext = safe_name(name).rpartition(".")[2].lower() or "png"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(data).hexdigest()[:16]}.{ext if ext.isalnum() else 'png'}"
    if not path.exists():
        tmp = path.with_name(f".{path.name}.part")
        tmp.write_bytes(data)
        tmp.replace(path)
    return path

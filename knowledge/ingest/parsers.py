"""From a file on disk to a :class:`~knowledge.ingest.document.Document`, with the checks
every format shares: the file is inside the ingest root, has a supported extension, is not
empty, not over the size limit, and (for text formats) is text, not binary.

Encoding policy for text formats (``.md``/``.mdx``/``.qmd``/``.rmd``, ``.html``, ``.rst``, ``.txt``, ``.ipynb``): UTF-8 (a BOM is
allowed; UTF-16 with a BOM too). A file that is not valid UTF-8 is decoded as Windows-1252 —
the usual encoding of legacy Western lesson files, a superset of printable Latin-1 — and a
warning is added to ``Document.warnings``; pass ``fallback_encoding=None`` to make it an error
instead. Bytes that are undefined in Windows-1252, or NUL bytes, mean the file is binary or in
another encoding: an :class:`IngestError` asks to re-save it as UTF-8.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from pathlib import Path

from .document import Document
from .errors import IngestError

SUPPORTED = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdx": "markdown",  # MDX (Docusaurus, doc-builders): components reduced, see site_markup
    ".qmd": "markdown",  # Quarto
    ".rmd": "markdown",  # R Markdown
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".ipynb": "notebook",
    ".txt": "text",
    ".docx": "word",  # Word: styles give the headings (knowledge.ingest.office)
    ".pptx": "slides",  # PowerPoint: a section per slide, speaker notes included
    ".rst": "rst",  # reStructuredText (Sphinx): docutils, Sphinx's roles and directives by meaning
}
# formats a teacher may have that Erica does not read, and how to bring them
CONVERT = {
    ".doc": "an old binary Word file: open it in Word or LibreOffice and save it as .docx",
    ".ppt": "an old binary PowerPoint file: open it in PowerPoint or LibreOffice and save it as .pptx",
    ".odt": "an OpenDocument text: save it as .docx (or export it as PDF)",
    ".odp": "OpenDocument slides: save them as .pptx (or export them as PDF)",
    ".key": "Keynote slides: export them as .pptx or PDF",
}


def default_max_bytes() -> int:
    """The size limit from :class:`knowledge.settings.Settings` (``ERICA_MAX_FILE_MB``)."""
    from knowledge.settings import Settings

    return int(Settings().max_file_mb * 1024 * 1024)


def default_framework() -> str:
    """The framework whose code tabs are kept (``ERICA_CODE_FRAMEWORK``, default pytorch)."""
    from knowledge.settings import Settings

    return Settings().code_framework.strip().lower() or "pytorch"


def relative_lesson_path(path: Path, root: Path) -> str:
    """``path`` as a posix path relative to ``root``; :class:`IngestError` if it escapes the
    root (``../`` components or a symlink pointing outside). ``path`` may be relative to root."""
    root_abs = Path(os.path.normpath(root.absolute()))
    candidate = path
    lexical = Path(os.path.normpath(candidate.absolute()))  # '..' that climbs out
    real = candidate.resolve()  # a symlink that points out
    if not lexical.is_relative_to(root_abs) or not real.is_relative_to(root.resolve()):
        raise IngestError(
            path,
            f"is outside the ingest root {root}; ingest files from inside the course folder "
            "(paths with '../' or links that leave it are refused)",
        )
    rel = lexical.relative_to(root_abs)
    if not rel.parts:
        raise IngestError(path, "is the ingest root itself, not a lesson file")
    return rel.as_posix()


def parse_file(
    path: Path | str,
    root: Path | str | None = None,
    max_bytes: int | None = None,
    *,
    fallback_encoding: str | None = "cp1252",
    framework: str | None = None,
) -> Document:
    """Parse one lesson file. ``Document.path`` is relative to ``root`` (default: the file's
    folder); ``framework``: in lessons with framework tabs, the one whose code is kept (default
    ``ERICA_CODE_FRAMEWORK``, pytorch). Raises :class:`IngestError` naming the file and what to do
    for any bad input."""
    path = Path(path)
    root_p = Path(root) if root is not None else path.absolute().parent
    rel = relative_lesson_path(path, root_p)
    kind = SUPPORTED.get(path.suffix.lower())
    if kind is None:
        hint = CONVERT.get(path.suffix.lower())
        raise IngestError(
            rel,
            (f"unsupported file type {path.suffix!r}, {hint}" if hint else
             f"unsupported file type {path.suffix or '(no extension)'!r}; supported: " + ", ".join(sorted(SUPPORTED))),
        )
    if not path.is_file():
        raise IngestError(rel, "no such file (or not a regular file)")
    limit = default_max_bytes() if max_bytes is None else max_bytes
    size = path.stat().st_size
    if size > limit:
        raise IngestError(
            rel,
            f"file is {size / 1048576:.1f} MB, over the {limit / 1048576:.1f} MB limit; split it, "
            "or raise the limit with ERICA_MAX_FILE_MB",
        )
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(rel, "file is empty; add lesson text or leave it out of the ingest")
    sha = hashlib.sha256(data).hexdigest()
    file_dir, root_r = path.resolve().parent, root_p.resolve()
    if kind == "pdf":
        from .pdf import parse_pdf

        doc = parse_pdf(data, rel)
    elif kind in ("word", "slides"):
        from .office import parse_docx
        from .slides import parse_pptx

        doc = (parse_docx if kind == "word" else parse_pptx)(data, rel)
    else:
        text, warnings = decode_text(data, rel, fallback_encoding)
        if not text.strip():
            raise IngestError(rel, "file is empty; add lesson text or leave it out of the ingest")
        if kind == "markdown":
            from .markdown import parse_markdown

            from .site_markup import dialect_of

            doc = parse_markdown(text, rel, file_dir=file_dir, root=root_r, framework=framework or default_framework(),
                                 dialect=dialect_of(path.suffix, text))
        elif kind == "html":
            from .html import parse_html

            doc = parse_html(text, rel, file_dir=file_dir, root=root_r)
        elif kind == "rst":
            from .rst import parse_rst

            doc = parse_rst(text, rel, file_dir=file_dir, root=root_r)
        elif kind == "notebook":
            from .notebook import parse_notebook

            doc = parse_notebook(text, rel, framework=framework or default_framework())
        else:
            from .text import parse_text

            doc = parse_text(text, rel)
        doc.warnings[:0] = warnings
    if not any(s.blocks or s.code_blocks for s in doc.sections):
        raise IngestError(rel, f"no lesson text found in this {kind} file; check that it is the right file")
    doc.sha256 = sha
    return doc


def decode_text(data: bytes, rel: str, fallback_encoding: str | None = "cp1252") -> tuple[str, list[str]]:
    """Bytes of a text-format lesson → (text, warnings); see the module doc for the policy."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            raise IngestError(rel, "file has a UTF-16 mark but is not valid UTF-16; re-save it as UTF-8") from exc
    if b"\x00" in data:
        raise IngestError(
            rel,
            "file contains NUL bytes, so it is binary, not a text lesson (wrong extension?); "
            "convert it to Markdown, HTML, PDF or plain text",
        )
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        if fallback_encoding is None:
            raise IngestError(
                rel, f"file is not UTF-8 (bad byte at offset {exc.start}); re-save it as UTF-8"
            ) from exc
        try:
            text = data.decode(fallback_encoding)
        except UnicodeDecodeError as exc2:
            raise IngestError(
                rel,
                f"file is neither UTF-8 nor {fallback_encoding} (bad byte at offset {exc2.start}); "
                "it may be binary or in another encoding: re-save it as UTF-8",
            ) from exc2
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
        if controls > max(2, len(text) // 100):
            raise IngestError(rel, "file looks binary (many control characters); convert it to a text lesson")
        return text, [
            f"{rel}: not UTF-8; decoded as {fallback_encoding} — check accented characters, "
            "or re-save the file as UTF-8"
        ]

"""PDF lessons with pypdf: one section per page (heading ``Page N``, anchor ``page-N``), the
page's text split into paragraphs. PDFs carry no reliable bold/heading markup, so extraction
from them relies on sentence patterns and glossary lines only."""

from __future__ import annotations

import io
import re
from pathlib import PurePosixPath

from .document import Block, Document, Section, clean_text, one_line
from .errors import IngestError


def parse_pdf(data: bytes, doc_path: str) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise IngestError(doc_path, "not a PDF file (no %PDF header); check the file or its extension")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # noqa: BLE001 - pypdf raises several types for unsupported crypto
                ok = 0
            if not ok:
                raise IngestError(doc_path, "the PDF is password-protected; save an unprotected copy and ingest that")
        pages = list(reader.pages)
        texts = [page.extract_text() or "" for page in pages]
        meta_title = ""
        try:
            meta_title = str((reader.metadata or {}).get("/Title") or "")
        except Exception:  # noqa: BLE001 - broken metadata is not worth failing for
            meta_title = ""
    except IngestError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError) as exc:
        raise IngestError(
            doc_path,
            f"the PDF is corrupt or unreadable ({exc.__class__.__name__}: {str(exc)[:120]}); "
            "re-export it from the original document",
        ) from exc
    sections: list[Section] = []
    for n, text in enumerate(texts, start=1):
        text = text.replace("\r", "\n")
        text = re.sub(r"-\n(?=[a-z])", "", text)  # words hyphenated across lines
        paras = [clean_text(one_line(p)) for p in re.split(r"\n\s*\n", text)]
        if len(paras) <= 1:  # many PDFs have no blank lines: one line per paragraph line
            paras = _join_lines(text)
        blocks = [Block(text=_BULLET.sub("", p), kind=_kind(p)) for p in paras if _BULLET.sub("", p)]
        if blocks:
            sections.append(Section(heading=f"Page {n}", anchor=f"page-{n}", level=1, blocks=blocks, page=n))
    if not sections:
        raise IngestError(doc_path, "the PDF has no extractable text (a scan?); run OCR on it first or export the text")
    title = one_line(meta_title)
    if not title:
        first = sections[0].blocks[0].text
        title = first if len(first) <= 80 and not first.endswith(".") else PurePosixPath(doc_path).stem
    return Document(path=doc_path, title=title, kind="pdf", sections=sections)


def _join_lines(text: str) -> list[str]:
    """Group lines into paragraphs: a line ending a sentence (or short, like a heading or a
    list item) ends its paragraph."""
    paras: list[str] = []
    cur: list[str] = []
    for line in (one_line(l) for l in text.split("\n")):
        if not line:
            if cur:
                paras.append(" ".join(cur))
                cur = []
            continue
        if re.match(r"^([-•*–]|\d+[.)])\s", line) and cur:
            paras.append(" ".join(cur))
            cur = []
        cur.append(line)
        if line.endswith((".", ":", "?", "!")) or len(line) < 40:
            paras.append(" ".join(cur))
            cur = []
    if cur:
        paras.append(" ".join(cur))
    return paras


_BULLET = re.compile(r"^(?:[-•*–]|\d+[.)])\s+")


def _kind(text: str) -> str:
    return "list_item" if _BULLET.match(text) else "paragraph"

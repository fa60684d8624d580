"""PowerPoint lessons (``.pptx``, python-pptx): each slide is a section headed by its title
(``Slide N`` without one; ``Section Header`` slides a level-1 section, the others level 2), citing
the slide number as its page; its text boxes in reading order (top to bottom, left to right) —
bullets of a body placeholder or an indented paragraph are list items —, its tables, pictures and
then the speaker notes, where a teacher often writes out what the slide only lists. Paragraphs set
in a monospace font are code. The pieces shared with Word are :mod:`knowledge.ingest.office`'s."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import PurePosixPath

from .document import Document, clean_text, one_line
from .document import MONOSPACE_FONT
from .office import _Builder, _Para, _Run, reading


def parse_pptx(data: bytes, doc_path: str) -> Document:
    import pptx
    from pptx.exc import PackageNotFoundError

    with reading(doc_path, "PowerPoint", PackageNotFoundError):
        prs = pptx.Presentation(io.BytesIO(data))
        out = _Builder()
        title = ""
        for n, slide in enumerate(prs.slides, start=1):
            head = _slide_title(slide)
            layout = (slide.slide_layout.name or "").lower()
            if n == 1 and head and ("title" in layout and "content" not in layout):
                title = head
            level = 1 if (n == 1 and title) or "section" in layout else 2
            out.heading(head or f"Slide {n}", level, page=n)
            for shape in _reading_order(slide.shapes):
                if shape is not None and _is_title(shape):
                    continue
                _slide_shape(shape, out)
            notes = slide.notes_slide.notes_text_frame if slide.has_notes_slide else None
            if notes is not None:
                out.flush_code()
                for para in notes.paragraphs:
                    out.para(_Para(list(_pptx_runs(para)), "paragraph"))
            out.flush_code()
        core_title = one_line(prs.core_properties.title or "")
    sections = out.sections.finish()
    return Document(path=doc_path, title=core_title or title or PurePosixPath(doc_path).stem, kind="slides",
                    sections=sections, figures=out.figures)


def _slide_title(slide) -> str:
    t = slide.shapes.title
    return one_line(clean_text(t.text_frame.text)) if t is not None and t.has_text_frame else ""


def _is_title(shape) -> bool:
    if not shape.is_placeholder:
        return False
    from pptx.enum.shapes import PP_PLACEHOLDER

    return shape.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


def _reading_order(shapes) -> list:
    return sorted(shapes, key=lambda s: ((s.top or 0) // 100000, s.left or 0))  # rows ~0.1 inch apart


def _slide_shape(shape, out: _Builder) -> None:
    from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

    if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
        for s in _reading_order(shape.shapes):
            _slide_shape(s, out)
        return
    if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
        try:
            img = shape.image
            out.figure(img.blob, img.content_type, shape._element.nvPicPr.cNvPr.get("descr") or "")
        except (AttributeError, KeyError, ValueError):
            pass  # a linked (not embedded) picture: nothing to keep
        return
    if getattr(shape, "has_table", False) and shape.has_table:
        for row in shape.table.rows:
            out.row([c.text for c in row.cells])
        return
    if not shape.has_text_frame:
        return
    body = shape.is_placeholder and shape.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
    for para in shape.text_frame.paragraphs:
        bullet = body or para.level > 0 or _has_bullet(para)
        out.para(_Para(list(_pptx_runs(para)), "list_item" if bullet else "paragraph"))
    out.flush_code()


def _has_bullet(para) -> bool:
    ppr = para._p.pPr
    return ppr is not None and any(ppr.find(f"{{http://schemas.openxmlformats.org/drawingml/2006/main}}{t}") is not None
                                   for t in ("buChar", "buAutoNum"))


def _pptx_runs(para) -> Iterator[_Run]:
    for r in para.runs:
        f = r.font
        link = ""
        try:
            link = r.hyperlink.address or ""
        except (AttributeError, KeyError):
            link = ""
        yield _Run(r.text, bool(f.bold), bool(f.italic), link, bool(MONOSPACE_FONT.search(f.name or "")))

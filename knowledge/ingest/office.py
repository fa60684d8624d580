"""Word lessons (``.docx``, python-docx), read into the same
:class:`~knowledge.ingest.document.Document` shape as every other format, and the pieces shared
with slide decks (:mod:`knowledge.ingest.slides`): runs, paragraphs, the section builder.

Word: paragraph styles give the structure — ``Title`` the document title, ``Heading N`` a section
of level N (also a custom style based on one, or an outline level; a short line typed wholly in
bold is the lowest heading), list styles or numbering a list item, ``Quote`` a quote; tables
become one row block per row; bold and italic runs are the block's emphasised spans (a bold run
the paragraph opens with is its lead, as in Markdown's ``- **Term** – ...``); hyperlinks keep
their target; equations become LaTeX (:mod:`knowledge.ingest.omml`); pictures are the lesson's
figures. Paragraphs set wholly in a monospace font (Consolas, Courier, Menlo …) or a code style
are code blocks.

A file that is not a Word or PowerPoint package (a renamed ``.doc``/``.ppt``, a damaged zip)
raises :class:`~knowledge.ingest.errors.IngestError` naming the file and what to do.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from .document import MONOSPACE_FONT, Block, CodeBlock, Document, Figure, one_line
from .errors import IngestError
from .markdown import SectionBuilder

_CODE_STYLE = re.compile(r"\bcode\b|preformatted|source", re.IGNORECASE)
_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_IMAGE_MIME = {"image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp"}


@dataclass
class _Run:
    text: str
    bold: bool = False
    italic: bool = False
    link: str = ""
    mono: bool = False


@dataclass
class _Para:
    """One paragraph as runs, with what kind of block it makes."""

    runs: list[_Run] = field(default_factory=list)
    kind: str = "paragraph"  # paragraph | list_item | quote | code

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


def _block(p: _Para) -> Block | None:
    """The plain-text block of a paragraph: its emphasised spans (adjacent runs of one kind
    joined), its lead (the bold span it opens with) and its links."""
    text = one_line(p.text)
    if not text:
        return None
    bold, italic, links = _spans(p.runs, "bold"), _spans(p.runs, "italic"), []
    for r in p.runs:
        if r.link and r.text.strip():
            if links and links[-1][1] == r.link:
                links[-1] = (one_line(links[-1][0] + r.text), r.link)
            else:
                links.append((one_line(r.text), r.link))
    first = next((r for r in p.runs if r.text.strip()), None)
    lead = bold[0] if bold and first is not None and first.bold else ""
    return Block(text=text, kind=p.kind if p.kind != "code" else "paragraph", bold=bold, italic=italic, lead=lead,
                 links=links, code=_spans(p.runs, "mono"))


def _spans(runs: list[_Run], attr: str) -> list[str]:
    """The text of each stretch of runs set in ``attr`` (bold, italic or monospace); a space-only run
    between two such runs does not end the stretch."""
    out: list[str] = []
    cur: list[str] = []
    for r in runs:
        if getattr(r, attr) and r.text:
            cur.append(r.text)
        elif cur and r.text and not r.text.strip():
            cur.append(r.text)
        elif r.text:
            if one_line("".join(cur)):
                out.append(one_line("".join(cur)))
            cur = []
    if one_line("".join(cur)):
        out.append(one_line("".join(cur)))
    return out


class _Builder:
    """Sections, blocks, code and figures of one document, in order."""

    def __init__(self) -> None:
        self.sections = SectionBuilder()
        self.figures: list[Figure] = []
        self._code: list[str] = []

    def heading(self, text: str, level: int, page: int | None = None, runs: list[_Run] | None = None) -> None:
        self.flush_code()
        self.sections.start(text, level, page=page).heading_code = _spans(runs or [], "mono")

    def para(self, p: _Para) -> None:
        if p.kind == "code" or (p.runs and all(r.mono for r in p.runs if r.text.strip()) and p.text.strip()):
            self._code.append(p.text.rstrip())
            return
        self.flush_code()
        b = _block(p)
        if b is not None:
            self.sections.current.blocks.append(b)

    def row(self, cells: list[str]) -> None:
        self.flush_code()
        texts = [one_line(c) for c in cells]
        if any(texts):
            self.sections.current.blocks.append(Block(text=" | ".join(t for t in texts if t), kind="table_row"))

    def figure(self, data: bytes, mime: str, caption: str) -> None:
        if data and mime in _IMAGE_MIME:
            self.figures.append(Figure(data=data, caption=one_line(caption), anchor=self.sections.current.anchor,
                                       mime=mime, source=""))

    def flush_code(self) -> None:
        while self._code and not self._code[-1].strip():
            self._code.pop()
        if self._code:
            self.sections.current.code_blocks.append(CodeBlock(text="\n".join(self._code), language=""))
        self._code = []


@contextmanager
def reading(doc_path: str, what: str, *errors: type[Exception]) -> Iterator[None]:
    """Turns what a damaged or mislabelled ``what`` ("Word", "PowerPoint") file makes its reader
    raise (``errors``, a broken zip, a missing part) into an :class:`IngestError` saying what to do."""
    try:
        yield
    except IngestError:
        raise
    except (*errors, zipfile.BadZipFile, KeyError, ValueError, AttributeError, TypeError) as exc:
        raise IngestError(
            doc_path,
            f"not a readable {what} file ({exc.__class__.__name__}: {str(exc)[:100]}); save it again from {what} "
            f"as {'.docx' if what == 'Word' else '.pptx'} (old .doc/.ppt files must be converted first)",
        ) from exc


# --------------------------------------------------------------------------------------------- Word

def parse_docx(data: bytes, doc_path: str) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    with reading(doc_path, "Word", PackageNotFoundError):
        d = docx.Document(io.BytesIO(data))
        styles = _StyleTable(d)
        out = _Builder()
        title = ""
        for item in d.iter_inner_content():
            if hasattr(item, "rows"):  # a table
                for row in item.rows:
                    out.row(_unique_cells(row.cells))
                continue
            style = styles.paragraph_name(item)
            text = one_line(item.text)
            level = styles.heading_level(item)
            if level == 0:  # the Title style
                title = title or text
                if text:
                    out.heading(text, 1)
                continue
            para = _Para(list(_docx_runs(item, styles)), _docx_kind(item, style))
            if level is None and _bold_line(para):
                level = BOLD_LINE_LEVEL
            if level is not None and text:
                out.heading(text, level, runs=para.runs)
                continue
            for blob, mime, alt in _docx_pictures(item, d):
                out.figure(blob, mime, alt)
            out.para(para)
        out.flush_code()
        core_title = one_line(d.core_properties.title or "")
    sections = out.sections.finish()
    title = core_title or title or next((s.heading for s in sections if s.level == 1), "") or PurePosixPath(doc_path).stem
    return Document(path=doc_path, title=title, kind="word", sections=sections, figures=out.figures)


BOLD_LINE_LEVEL = 3  # a short line wholly in bold, with no heading style: the lowest heading
BOLD_LINE_WORDS = 8
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OUTLINE = _W + "outlineLvl"
_VAL = _W + "val"


class _StyleTable:
    """The document's styles by id, read once (python-docx looks a style up by scanning them all,
    for every paragraph and run): name, base style and outline level of each."""

    def __init__(self, d) -> None:
        self.styles: dict[str, tuple[str, str, int | None]] = {}
        self.default = ""
        for st in d.styles.element.style_lst:
            sid = st.styleId or ""
            name = st.name_val or ""
            base = st.basedOn_val or ""
            ppr = st.pPr
            lvl = ppr.find(_OUTLINE) if ppr is not None else None
            outline = int(lvl.get(_VAL)) if lvl is not None and (lvl.get(_VAL) or "").isdigit() else None
            self.styles[sid] = (name, base, outline)
            if st.type == 1 and st.default:  # WD_STYLE_TYPE.PARAGRAPH: the style of a paragraph that names none
                self.default = sid

    def paragraph_id(self, p) -> str:
        ppr = p._p.pPr
        return (ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else "") or self.default

    def paragraph_name(self, p) -> str:
        return self.styles.get(self.paragraph_id(p), ("", "", None))[0]

    def run_name(self, r) -> str:
        rpr = r._r.rPr
        sid = rpr.style.val if rpr is not None and rpr.style is not None else ""
        return self.styles.get(sid, ("", "", None))[0] if sid else ""

    def heading_level(self, p) -> int | None:
        """The heading level of a paragraph (0 for the ``Title`` style), from its style or the
        styles it is based on ("Heading 2", a custom "Lesson Heading" based on it, a translated
        name with the built-in id ``Heading2``) or an outline level set on it; None for body text."""
        ppr = p._p.pPr
        own = ppr.find(_OUTLINE) if ppr is not None else None
        if own is not None and (own.get(_VAL) or "").isdigit() and int(own.get(_VAL)) < 9:
            return int(own.get(_VAL)) + 1
        sid, depth = self.paragraph_id(p), 0
        while sid and depth < 6:
            name, base, outline = self.styles.get(sid, ("", "", None))
            if name.strip().lower() == "title" or sid.lower() == "title":
                return 0
            m = _HEADING_STYLE.match(name.strip()) or re.fullmatch(r"heading(\d)", sid, re.IGNORECASE)
            if m:
                return int(m.group(1))
            if outline is not None and outline < 9:
                return outline + 1
            sid, depth = base, depth + 1
        return None


def _bold_line(p: _Para) -> bool:
    """A short line set wholly in bold, not a list item or code, not ending like a sentence: a
    heading typed without a heading style ("Key Terms")."""
    text = one_line(p.text)
    return (p.kind == "paragraph" and 0 < len(text.split()) <= BOLD_LINE_WORDS and not text.endswith((".", ":", ","))
            and all(r.bold for r in p.runs if r.text.strip()) and text[:1].isupper())


def _docx_kind(p, style: str) -> str:
    low = style.lower()
    if _CODE_STYLE.search(low):
        return "code"
    if "quote" in low:
        return "quote"
    ppr = p._p.pPr
    if low.startswith("list") or (ppr is not None and ppr.numPr is not None):
        return "list_item"
    return "paragraph"


def _docx_runs(p, styles: _StyleTable) -> Iterator[_Run]:
    """The paragraph's runs in order: text runs, a hyperlink's runs (with its target), and its
    equations as LaTeX (``$...$``; ``$$...$$`` for a displayed one)."""
    from docx.text.hyperlink import Hyperlink
    from docx.text.run import Run

    from .omml import M, omml_to_latex

    for child in p._p.iterchildren():
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == _W + "r":
            yield _docx_run(Run(child, p), "", styles)
        elif tag == _W + "hyperlink":
            link = Hyperlink(child, p)
            for r in link.runs:
                yield _docx_run(r, link.address or "", styles)
        elif tag == M + "oMath":
            yield _Run(f"${omml_to_latex(child)}$")
        elif tag == M + "oMathPara":
            for math in child.iter(M + "oMath"):
                yield _Run(f"$${omml_to_latex(math)}$$")


def _docx_run(r, link: str, styles: _StyleTable) -> _Run:
    style = styles.run_name(r)
    bold = bool(r.bold) or style.lower() in ("strong", "bold")
    italic = bool(r.italic) or style.lower() in ("emphasis", "italic")
    font = r.font.name or ""
    return _Run(r.text, bold, italic, link, bool(MONOSPACE_FONT.search(font)) or bool(_CODE_STYLE.search(style)))


def _docx_pictures(p, d) -> Iterable[tuple[bytes, str, str]]:
    """The pictures drawn in a paragraph: (bytes, mime type, alt text)."""
    for inline in p._p.xpath(".//wp:inline | .//wp:anchor"):
        descr = next(iter(inline.xpath("./wp:docPr/@descr")), "")
        for rid in inline.xpath(".//a:blip/@r:embed"):
            part = d.part.related_parts.get(rid)
            if part is not None:
                yield part.blob, part.content_type, str(descr)


def _unique_cells(cells) -> list[str]:
    """Cell texts of a row, a merged cell (the same cell object repeated) once."""
    out, seen = [], set()
    for c in cells:
        if id(c._tc) not in seen:
            seen.add(id(c._tc))
            out.append(c.text)
    return out

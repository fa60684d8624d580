"""PDF lessons with pypdf. Headings come from the fonts: a short line set larger than the body
text (the size most of the text has) is a heading, the larger the higher its level, and a short
capitalised line wholly in a bold face at body size is the lowest one; a heading wrapped over
two lines is one. Sections run from heading to heading across pages (each with the page it
starts on); bold runs inside a paragraph are its bold terms, as in Markdown. Paragraphs and
list items come from the layout where it shows them (the space between paragraphs, an item's
indent, a line stopping short; a page printed from a browser draws no bullet glyphs), else from
sentence ends. Sub- and superscripts stay on their line. Running headers and footers (a line on
half the pages) are dropped. A PDF whose fonts show no heading gets one section per page
(heading ``Page N``, anchor ``page-N``)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from .document import MONOSPACE_FONT, AnchorMaker, Block, Document, Section, clean_text, one_line
from .errors import IngestError
from .lexicon import is_function_word


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
        pages = _without_running_lines([_page_lines(page) for page in reader.pages])
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
    sections = _by_headings(pages) or _by_pages(pages)
    if not sections:
        raise IngestError(doc_path, "the PDF has no extractable text (a scan?); run OCR on it first or export the text")
    title = one_line(meta_title) or next((sec.heading for sec in sections if sec.level == 1 and not _PAGE.match(sec.heading)), "")
    if not title:
        first = sections[0].blocks[0].text
        title = first if len(first) <= 80 and not first.endswith(".") else PurePosixPath(doc_path).stem
    return Document(path=doc_path, title=title, kind="pdf", sections=sections)


@dataclass
class _Line:
    text: str
    size: float  # the largest font size on the line, in points as printed
    bold: list[str] = field(default_factory=list)  # runs set in a bold face
    all_bold: bool = False
    lead: str = ""  # the bold run the line starts with, if it does
    x: float = 0.0  # where the line starts, in points from the page's left edge
    y: float = 0.0  # its baseline, in points from the bottom
    code: list[str] = field(default_factory=list)  # runs set in a monospace face ("sorted()" in a sentence)


def _page_lines(page) -> list[_Line]:
    """The page's text lines with their font size and bold runs (pypdf's text visitor)."""
    lines: list[_Line] = []
    parts: list[tuple[str, float, bool, bool]] = []  # (text, size, bold, monospace)
    last_y: list[float] = []
    start: list[float] = []  # (x, y) of the line's first run

    def flush() -> None:
        text = _CONTROL.sub("", "".join(t for t, _, _, _ in parts))
        if text.strip():
            size = max(sz for t, sz, _, _ in parts if t.strip())
            bold = [one_line(t) for t, _, b, _ in parts if b and t.strip()]
            x, y = start if start else (0.0, 0.0)
            runs = [(t, b) for t, _, b, _ in parts if t.strip()]
            lead = one_line(runs[0][0]) if runs[0][1] else ""
            code = [one_line(t) for t, _, _, m in parts if m and t.strip()]
            lines.append(_Line(text, size, bold, all(b for _, b in runs), lead, x, y, code))
        parts.clear()
        start.clear()

    def visit(text, cm, tm, font, size) -> None:
        y = tm[5] * (cm[3] or 1) + cm[5]
        scale = abs(tm[3] * (cm[3] or 1)) or 1.0
        # a sub- or superscript sits a little off the baseline: still the same line
        if last_y and abs(y - last_y[0]) > max(1.0, 0.45 * float(size) * scale) and parts:
            flush()
        if not last_y or not parts or abs(y - last_y[0]) > max(1.0, 0.45 * float(size) * scale):
            last_y[:] = [y]
        name = str((font or {}).get("/BaseFont", ""))
        bold = bool(_BOLD_FONT.search(name))
        mono = bool(MONOSPACE_FONT.search(name))
        pieces = text.replace("\r", "\n").split("\n")
        for k, piece in enumerate(pieces):
            if piece:
                if not start and piece.strip():
                    start[:] = [round(float(tm[4] * (cm[0] or 1) + cm[4]), 1), round(float(y), 1)]
                parts.append((piece, round(float(size) * scale, 1), bold, mono))
            if k < len(pieces) - 1:
                flush()

    page.extract_text(visitor_text=visit)
    flush()
    return lines


def _without_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Drop running headers and footers: a line (digits aside) printed on at least three pages
    and on half of them ("CS 101 — Lecture notes", "Page 3 of 12")."""
    if len(pages) < 3:
        return pages
    key = lambda ln: re.sub(r"\d+", "#", one_line(ln.text).lower())  # noqa: E731
    on: dict[str, int] = {}
    for lines in pages:
        for k in {key(ln) for ln in lines}:
            on[k] = on.get(k, 0) + 1
    running = {k for k, n in on.items() if n >= 3 and n * 2 >= len(pages)}
    return [[ln for ln in lines if key(ln) not in running] for lines in pages]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # a glyph the font maps to no character (an emoji)
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_PAGE = re.compile(r"^Page \d+$")
HEADING_SCALE = 1.15  # a line set this much larger than the body text is a heading


def _body_size(pages: list[list[_Line]]) -> float:
    weight: dict[float, int] = {}
    for lines in pages:
        for line in lines:
            weight[line.size] = weight.get(line.size, 0) + len(line.text)
    return max(weight, key=lambda s: weight[s]) if weight else 0.0


def _heading_level(line: _Line, body: float, sizes: list[float]) -> int:
    """0 for body text; else 1, 2, ... from the largest heading size down. A heading is short,
    has letters, ends with no sentence punctuation, and is set larger than the body (or, at body
    size, wholly bold and on a line of its own)."""
    t = one_line(line.text)
    if not (2 <= len(t) <= 90) or len(t.split()) > 12 or not re.search(r"[A-Za-z]{2}", t) or re.search(r"[.,;:]$", t):
        return 0
    if line.size >= body * HEADING_SCALE:
        return sizes.index(line.size) + 1
    if line.all_bold and t[:1].isupper() and len(t.split()) <= 8:
        return len(sizes) + 1
    return 0


def _by_headings(pages: list[list[_Line]]) -> list[Section]:
    """Sections under the headings the fonts show; [] when the PDF has none (one font size)."""
    body = _body_size(pages)
    sizes = sorted({ln.size for lines in pages for ln in lines if ln.size >= body * HEADING_SCALE}, reverse=True)
    marked = [[(ln, _heading_level(ln, body, sizes)) for ln in lines] for lines in pages]
    if not any(level for page in marked for _, level in page):
        return []
    sections: list[Section] = []
    heading, level, page_no, anchor_page, body_lines = "", 1, 1, 1, []
    anchors = AnchorMaker()

    def close() -> None:
        blocks = _blocks(body_lines)
        if blocks or heading:
            title = heading or f"Page {anchor_page}"
            sections.append(Section(heading=title, anchor=f"page-{anchor_page}" if not heading else anchors(heading),
                                    level=level, blocks=blocks, page=anchor_page))

    for page_no, page in enumerate(marked, start=1):
        for ln, lv in page:
            if lv:
                if heading and not body_lines and lv == level:  # a heading wrapped over two lines
                    heading = one_line(heading + " " + ln.text)
                    continue
                close()
                heading, level, anchor_page, body_lines = one_line(ln.text), lv, page_no, []
            else:
                if not body_lines and not heading:
                    anchor_page = page_no
                body_lines.append(ln)
    close()
    return sections


def _by_pages(pages: list[list[_Line]]) -> list[Section]:
    """One section per page (heading ``Page N``): a PDF whose fonts mark no heading."""
    sections = []
    for n, lines in enumerate(pages, start=1):
        blocks = _blocks(lines)
        if blocks:
            sections.append(Section(heading=f"Page {n}", anchor=f"page-{n}", level=1, blocks=blocks, page=n))
    return sections


def _line_step(lines: list[_Line]) -> float:
    """The usual distance between the baselines of two lines of one paragraph (0: unknown)."""
    steps = sorted(round(a.y - b.y, 1) for a, b in zip(lines, lines[1:]) if 0.8 * b.size <= a.y - b.y <= 3 * b.size)
    return steps[len(steps) // 4] if steps else 0.0  # the lower quartile: most steps are inside paragraphs


def _starts_block(prev: _Line, ln: _Line, step: float) -> bool:
    """Whether the layout puts ``ln`` in a new paragraph or list item: a gap above it wider than
    the usual line step, or a line set further in than the one before (a list item, an indented
    paragraph); a line back at the margin after a one-line indented start is its continuation."""
    gap = prev.y - ln.y
    if step and 0 < gap and gap > step * 1.45:
        return True
    return ln.x > prev.x + 8


def _full_widths(lines: list[_Line]) -> dict[float, int]:
    """How many characters a full line holds, per font size (code and captions run otherwise)."""
    by_size: dict[float, list[int]] = {}
    for ln in lines:
        by_size.setdefault(ln.size, []).append(len(one_line(ln.text)))
    return {size: sorted(w)[int(len(w) * 0.9)] if len(w) >= 5 else max(w) for size, w in by_size.items()}


def _blocks(lines: list[_Line]) -> list[Block]:
    """Paragraphs and list items of a run of lines. Where the layout shows them (gaps between
    paragraphs, indented list items, as in a page printed from HTML or a word processor), the
    layout decides; else a line ending a sentence (or short, like a list item) ends its
    paragraph. A bulleted line always starts one. Bold runs stay with their paragraph."""
    step = _line_step(lines)
    by_layout = bool(step) and any(_starts_block(a, b, step) for a, b in zip(lines, lines[1:]))
    # a line well short of a full one ends its paragraph or item (tight list items show no gap)
    full = _full_widths(lines)
    margin = min((ln.x for ln in lines), default=0.0)
    paras: list[tuple[str, list[str], bool, list[str]]] = []  # (text, bold runs, set in from the margin, code runs)
    cur: list[_Line] = []

    def end() -> None:
        if cur:
            text = " ".join(one_line(ln.text) for ln in cur)
            text = re.sub(r"(?<=[a-z])- (?=[a-z])", "", text)  # a word hyphenated across lines
            paras.append((clean_text(text), [b for ln in cur for b in ln.bold], by_layout and cur[0].x > margin + 8,
                          [c for ln in cur for c in ln.code]))
            cur.clear()

    for ln in lines:
        t = one_line(ln.text)
        if not t:
            end()
            continue
        # a line opening with a bold term after a finished sentence starts a glossary item
        glossary = ln.lead and cur and one_line(cur[-1].text).endswith((".", "!", "?", ":"))
        # an item of a tight list without bullet glyphs: the line before stops well short of a full
        # one (a wrapped line leaves at most a word's room) and this one opens with a capital
        if cur and by_layout and t[:1].isupper():
            before = one_line(cur[-1].text)
            last_word = before.rsplit(None, 1)[-1].lower() if before else ""
            glossary = glossary or (len(before) < 0.88 * full.get(cur[-1].size, 0) and not before.endswith((",", "-"))
                                    and not is_function_word(last_word))  # "... (KIF) and" goes on
        if cur and (_BULLET.match(t) or (by_layout and (glossary or _starts_block(cur[-1], ln, step)))):
            end()
        cur.append(ln)
        if by_layout:
            if len(t) < 0.75 * full.get(ln.size, 0) and not t.endswith("-"):
                end()
        elif t.endswith((".", ":", "?", "!")) or (len(t) < 40 and not t.endswith("-")):
            end()
    end()
    out = []
    for text, bold, indented, code in paras:
        bare = _BULLET.sub("", text)
        if bare:
            bold = [b for b in bold if len(b) > 1 and b in bare]
            lead = bold[0] if bold and re.match(r"^\W*(?:(?:an?|the)\s+)?" + re.escape(bold[0]), bare, re.I) else ""
            out.append(Block(text=bare, kind="list_item" if indented else _kind(text), bold=bold, lead=lead,
                             code=[c for c in code if c in bare]))
    return out


# bullets as text: ASCII marks, Unicode bullets, and the Symbol/Wingdings glyphs office exports map
# to the private use area
_BULLET = re.compile(r"^(?:[•▪◦●■►▸➢✓\uf0a7\uf0b7\uf0d8\uf076\uf0fc]\s*|(?:[-*–]|\d+[.)])\s+)")


def _kind(text: str) -> str:
    return "list_item" if _BULLET.match(text) else "paragraph"

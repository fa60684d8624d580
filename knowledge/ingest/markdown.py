"""Markdown lessons (and notebook markdown cells) with markdown-it-py.

Headings split sections; paragraphs, list items, quotes and table rows become plain-text
blocks that remember their bold/italic spans and links; fenced code becomes code blocks.
Inline and block HTML is reduced to its text (tags dropped, ``<script>``/``<style>``
contents dropped), so raw HTML in a lesson is never treated as markup downstream.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from bs4 import BeautifulSoup, Comment
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .dialects import DEFAULT_FRAMEWORK, LABEL_SCHEME, NOT_CODE, code_for_framework, code_language, preprocess_markdown
from .site_markup import MDX, chunk_options, mdx_to_markdown, pandoc_to_commonmark
from .document import AnchorMaker, Block, CodeBlock, Document, Figure, Section, clean_text, one_line, symbol_in_name

# $...$ and $$...$$ are math, read before emphasis: "$\\mathbf{W}_t$ and $b_t$" holds no italics.
# A "$" next to a digit or a space does not open or close math ("costs $5 and $6").
# A site generator's YAML front matter ("---\nlayout: page\ntitle: ...\n---", Jekyll, Hugo) is
# metadata, not a setext heading: its ``title`` titles a lesson that has no level-1 heading.
# Footnotes ("[^1]" and "[^1]: ...", Pandoc and GitHub Markdown) are read as such: the mark is no
# text, and the notes, which markdown-it gathers at the end of the file, are not lesson text.
_MD = (MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
       .use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
       .use(front_matter_plugin).use(footnote_plugin))
_FRONT_TITLE = re.compile(r"^title\s*:\s*(?P<q>[\"']?)(?P<title>.+?)(?P=q)\s*$", re.MULTILINE)

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}
MAX_FIGURE_BYTES = 10 * 1024 * 1024
_LONE_MATH = re.compile(r"\$[^$]+\$")
_ARTICLE = re.compile(r"^(?:[^\w\s]*\s*)?(?:an?|the|some)?\s*$", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


def resolve_link(href: str, doc_path: str) -> str:
    """A link target as a root-relative posix path (``#frag`` kept), or the URL unchanged.

    Targets that would leave the root keep their ``..`` prefix and so match no lesson."""
    href = href.strip()
    if not href or _SCHEME.match(href):
        return href
    path, _, frag = href.partition("#")
    if not path:
        return f"{doc_path}#{frag}" if frag else doc_path
    path = unquote(path.split("?", 1)[0])
    base = PurePosixPath(doc_path).parent
    joined = posixpath.normpath(str(base / path) if not path.startswith("/") else path.lstrip("/"))
    return f"{joined}#{frag}" if frag else joined


def html_to_text(html: str) -> str:
    """The visible text of an HTML fragment: tags, comments, scripts and styles dropped."""
    soup = BeautifulSoup(html, "html.parser")
    for el in soup(["script", "style", "noscript", "template"]):
        el.decompose()
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    return soup.get_text(" ")


class SectionBuilder:
    """Collects sections for one document; shared by the Markdown and notebook parsers."""

    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.anchors = AnchorMaker()

    @property
    def current(self) -> Section:
        if not self.sections:
            self.sections.append(Section(heading="", anchor="", level=0))
        return self.sections[-1]

    def start(self, heading: str, level: int, *, cell: int | None = None, page: int | None = None) -> Section:
        heading = one_line(heading)
        sec = Section(heading=heading, anchor=self.anchors(heading) if heading else "", level=level, cell=cell, page=page)
        self.sections.append(sec)
        return sec

    def continue_in_cell(self, cell: int) -> None:
        """A notebook markdown cell without a heading of its own: a new section under the
        heading in force, so that citations can name the cell."""
        cur = self.current
        if cur.cell == cell:
            return
        if not cur.blocks and not cur.code_blocks and cur.cell is None:
            cur.cell = cell
            return
        self.sections.append(Section(heading=cur.heading, anchor=cur.anchor, level=cur.level, cell=cell))

    def finish(self) -> list[Section]:
        return [s for s in self.sections if s.heading or s.blocks or s.code_blocks]


class _Inline:
    """Plain text of one inline token run, with its emphasised spans and links."""

    def __init__(self, children: list[Token]) -> None:
        self.parts: list[str] = []
        self.bold: list[str] = []
        self.italic: list[str] = []
        self.code: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.images: list[tuple[str, str]] = []  # (src, alt)
        self.lead = ""
        self._stack: list[tuple[str, int, bool]] = []  # (kind, start index into parts, at start)
        self._link: list[tuple[str, int]] = []
        self._skip = 0  # inside <script>/<style>
        for i, tok in enumerate(children):
            if tok.type == "math_inline":
                after = children[i + 1].content if i + 1 < len(children) and children[i + 1].type == "text" else ""
                name = symbol_in_name(tok.content, after)
                if name is not None:  # "$n$-grams", "$1 \times 1$ convolution": part of a name, kept as text
                    self.parts.append(name)
                    continue
            self._token(tok)

    def _text(self) -> str:
        return "".join(self.parts)

    def _token(self, tok: Token) -> None:
        t = tok.type
        if t == "html_inline":
            tag = tok.content.strip().lower()
            if re.match(r"<(script|style)\b", tag):
                self._skip += 1
            elif re.match(r"</(script|style)\s*>", tag):
                self._skip = max(0, self._skip - 1)
            elif re.match(r"<br\b", tag):
                self.parts.append(" ")
            elif re.match(r"<img\b", tag):
                soup = BeautifulSoup(tok.content, "html.parser").find("img")
                if soup is not None and soup.get("src"):
                    self.images.append((str(soup.get("src")), str(soup.get("alt") or "")))
            return
        if self._skip:
            return
        if t in ("text", "code_inline"):
            self.parts.append(tok.content)
            if t == "code_inline" and tok.content.strip():
                self.code.append(tok.content.strip())
        elif t == "math_inline":
            self.parts.append(f"${tok.content}$")
        elif t == "math_inline_double":
            self.parts.append(f"$${tok.content}$$")
        elif t in ("softbreak", "hardbreak"):
            self.parts.append(" ")
        elif t in ("strong_open", "em_open"):
            at_start = bool(_ARTICLE.match(self._text()))
            self._stack.append((t[:-5], len(self.parts), at_start))
        elif t in ("strong_close", "em_close") and self._stack:
            kind, start, at_start = self._stack.pop()
            span = one_line("".join(self.parts[start:]))
            if span:
                (self.bold if kind == "strong" else self.italic).append(span)
                if kind == "strong" and at_start and not self.lead:
                    self.lead = span
        elif t == "link_open":
            self._link.append((str(tok.attrs.get("href", "")), len(self.parts)))
        elif t == "link_close" and self._link:
            href, start = self._link.pop()
            self.links.append((one_line("".join(self.parts[start:])), href))
        elif t == "image":
            self.images.append((str(tok.attrs.get("src", "")), tok.content))

    @property
    def text(self) -> str:
        return one_line(self._text())


def parse_markdown_into(
    builder: SectionBuilder,
    source: str,
    doc_path: str,
    *,
    cell: int | None = None,
    file_dir: Path | None = None,
    root: Path | None = None,
    figures: list[Figure] | None = None,
    framework: str = DEFAULT_FRAMEWORK,
    dialect: str = "",
) -> str:
    """Parse Markdown ``source`` into ``builder``; return the first level-1 heading, else the
    front matter's title ("" if neither).
    Dialect markup (roles, framework tabs, fence attributes; Pandoc/Quarto/MyST divs, attributes,
    references; MDX components when ``dialect`` is "mdx") is reduced first
    (:mod:`knowledge.ingest.dialects`, :mod:`knowledge.ingest.site_markup`); ``framework`` is the
    one whose code is kept."""
    if dialect == MDX:
        source = mdx_to_markdown(source, framework)
    tokens = _MD.parse(preprocess_markdown(pandoc_to_commonmark(source, dialect), framework))
    title = front_title = ""
    containers: list[str] = []  # list_item | blockquote
    row: list[_Inline] | None = None
    if cell is not None and not (tokens and tokens[0].type == "heading_open"):
        builder.continue_in_cell(cell)

    def add_images(images: list[tuple[str, str]]) -> None:
        if figures is None or file_dir is None or root is None:
            return
        for src, alt in images:
            fig = _load_figure(src, alt, file_dir, root, builder.current.anchor)
            if fig is not None:
                figures.append(fig)

    def emit(inl: _Inline, kind: str) -> None:
        text = clean_text(inl.text)
        if kind == "paragraph" and _LONE_MATH.fullmatch(text):
            text = f"${text}$"  # a paragraph that is one formula is displayed like "$$...$$"
        add_images(inl.images)
        builder.current.labels += [h[len(LABEL_SCHEME):] for _, h in inl.links if h.startswith(LABEL_SCHEME)]
        if not text:
            return
        links = [(label, resolve_link(href, doc_path)) for label, href in inl.links if not href.startswith(LABEL_SCHEME)]
        if _navigation(text, links):
            return  # "< [Previous](a.ipynb) | [Contents](Index.ipynb) | [Next](b.ipynb) >": a page's menu, no prose
        builder.current.blocks.append(
            Block(text=text, kind=kind, bold=inl.bold, italic=inl.italic, lead=inl.lead, links=links, code=inl.code)
        )

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        t = tok.type
        if t == "footnote_block_open":  # the notes: skipped to their end
            while i < len(tokens) and tokens[i].type != "footnote_block_close":
                i += 1
            i += 1
            continue
        if t == "heading_open":
            inl = _Inline(tokens[i + 1].children or [])
            level = int(tok.tag[1])
            builder.start(inl.text, level, cell=cell).heading_code = inl.code
            builder.current.blocks.clear()
            if inl.links:  # a heading that is a link ("## [Assignment](lab/README.md)")
                builder.current.blocks.append(
                    Block(text="", kind="heading", links=[(lbl, resolve_link(h, doc_path)) for lbl, h in inl.links])
                )
            if level == 1 and not title:
                title = inl.text
            i += 3
            continue
        if t == "front_matter":
            m = _FRONT_TITLE.search(tok.content)
            front_title = one_line(m.group("title")) if m else ""
        elif t in ("bullet_list_open", "ordered_list_open"):
            pass
        elif t == "list_item_open":
            containers.append("list_item")
        elif t == "blockquote_open":
            containers.append("quote")
        elif t in ("list_item_close", "blockquote_close") and containers:
            containers.pop()
        elif t == "tr_open":
            row = []
        elif t == "tr_close" and row is not None:
            merged = _merge_row(row)
            if merged is not None:
                emit(merged, "table_row")
            row = None
        elif t == "inline":
            inl = _Inline(tok.children or [])
            if row is not None:
                row.append(inl)
            else:
                kind = containers[-1] if containers else "paragraph"
                # a paragraph directly inside a list item is the item; deeper nesting is still an item
                emit(inl, "list_item" if "list_item" in containers else kind)
        elif t in ("math_block", "math_block_label"):
            math = one_line(tok.content)
            if math:
                kind = containers[-1] if containers else "paragraph"
                builder.current.blocks.append(Block(text=f"$${math}$$", kind="list_item" if "list_item" in containers else kind))
        elif t in ("fence", "code_block"):
            lang, output = code_language(tok.info or "") if t == "fence" else ("", False)
            body, shown = chunk_options(tok.content.rstrip("\n"), tok.info.strip() if t == "fence" else "")
            code = None if output or not shown or lang in NOT_CODE else code_for_framework(body, framework)
            if code is not None:
                builder.current.code_blocks.append(CodeBlock(text=code, language=lang, cell=cell))
        elif t == "html_block":
            if figures is not None:
                soup = BeautifulSoup(tok.content, "html.parser")
                add_images([(str(im.get("src") or ""), str(im.get("alt") or "")) for im in soup.find_all("img")])
            text = clean_text(html_to_text(tok.content))
            if text:
                builder.current.blocks.append(Block(text=one_line(text), kind="html"))
        i += 1
    return title or front_title


def _merge_row(cells: list[_Inline]) -> _Inline | None:
    texts = [c.text for c in cells]
    if not any(texts):
        return None
    merged = _Inline([])
    merged.parts = [" | ".join(t for t in texts if t)]
    for c in cells:
        merged.bold += c.bold
        merged.italic += c.italic
        merged.links += c.links
        merged.images += c.images
        merged.code += c.code
    merged.lead = cells[0].lead if cells and cells[0].lead == cells[0].text else ""
    return merged


def _navigation(text: str, links: list[tuple[str, str]]) -> bool:
    """A paragraph made only of links between arrows and bars: the page's previous/contents/next menu."""
    if len(links) < 2:
        return False
    rest = text
    for label, _ in links:
        rest = rest.replace(label, "", 1)
    return re.fullmatch(r"[\s<>|·•«»←→\[\]()/,:\-–—]*", rest) is not None


def _load_figure(src: str, alt: str, file_dir: Path, root: Path, anchor: str) -> Figure | None:
    """A local image the lesson shows, if it exists inside the root (missing files are normal)."""
    if not src or _SCHEME.match(src):
        return None
    rel = unquote(src.split("#", 1)[0].split("?", 1)[0])
    mime = IMAGE_TYPES.get(Path(rel).suffix.lower())
    if mime is None:
        return None
    try:
        target = (file_dir / rel).resolve()
        root_r = root.resolve()
        if not target.is_relative_to(root_r) or not target.is_file():
            return None
        if target.stat().st_size > MAX_FIGURE_BYTES:
            return None
        data = target.read_bytes()
    except OSError:
        return None
    return Figure(data=data, caption=one_line(alt), anchor=anchor, mime=mime, source=target.relative_to(root_r).as_posix())


def parse_markdown(
    source: str, doc_path: str, *, file_dir: Path | None = None, root: Path | None = None,
    framework: str = DEFAULT_FRAMEWORK, dialect: str = "",
) -> Document:
    builder = SectionBuilder()
    figures: list[Figure] = []
    title = parse_markdown_into(builder, source, doc_path, file_dir=file_dir, root=root, figures=figures,
                                framework=framework, dialect=dialect)
    sections = builder.finish()
    if not title:
        title = next((s.heading for s in sections if s.heading), "") or PurePosixPath(doc_path).stem
    return Document(path=doc_path, title=title, kind="markdown", sections=sections, figures=figures)

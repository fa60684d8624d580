"""HTML lessons with BeautifulSoup (the stdlib ``html.parser`` backend).

``<script>``, ``<style>``, ``<noscript>``, ``<template>`` and comments are dropped entirely;
headings ``h1``–``h6`` split sections (anchor: the heading's ``id`` if it has one, else its
GitHub-style slug); ``p``/``li``/``dt``/``dd``/table rows/quotes become plain-text blocks with
their bold/italic spans; ``pre`` becomes code blocks. Nothing is ever rendered or executed.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from .document import Block, CodeBlock, Document, Figure, clean_text, one_line
from .markdown import SectionBuilder, _load_figure, resolve_link

_DROP = ("script", "style", "noscript", "template", "head", "iframe", "object", "embed", "svg", "canvas")
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_BLOCKS = {"p", "li", "dt", "dd", "tr", "caption", "figcaption", "summary"}
_ARTICLE = re.compile(r"^(?:[^\w\s]*\s*)?(?:an?|the|some)?\s*$", re.IGNORECASE)
# elements that break the text flow; everything else (em, sub, a, code, span, ...) runs on inline
_BREAKS = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table", "thead", "tbody", "br",
           "blockquote", "pre", "section", "article", "figure", "figcaption", "caption", "summary", "details",
           "header", "footer", "main", "aside", "hr", *(f"h{i}" for i in range(1, 7))}
# site furniture around a lesson page, never its content
_FURNITURE = ("nav", "footer")


def _text(el: Tag) -> str:
    """The text of ``el`` as a reader sees it, on one line: inline elements run on without a
    space ("o<sub>2</sub>" → "o2", "(<em>x</em>)" → "(x)"); block elements and <br> separate words."""
    out: list[str] = []
    for node in el.descendants:
        if isinstance(node, Comment):
            continue
        if isinstance(node, NavigableString):
            out.append(str(node))
        elif isinstance(node, Tag) and node.name in _BREAKS:
            out.append(" ")
    return one_line("".join(out))


class _Walker:
    def __init__(self, doc_path: str, file_dir: Path | None, root: Path | None) -> None:
        self.doc_path = doc_path
        self.file_dir = file_dir
        self.root = root
        self.builder = SectionBuilder()
        self.figures: list[Figure] = []
        self.title = ""
        self._loose: list[str] = []  # text directly inside a container (div, body, ...)
        self._quote = 0

    def flush_loose(self) -> None:
        text = clean_text(one_line("".join(self._loose)))
        self._loose = []
        if text:
            self.builder.current.blocks.append(Block(text=text, kind="quote" if self._quote else "paragraph"))

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                if str(child).strip():
                    self._loose.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name in _HEADINGS:
                self.flush_loose()
                heading = _text(child)
                if heading:
                    sec = self.builder.start(heading, _HEADINGS[name])
                    sec.heading_code = _code_spans(child)
                    if child.get("id"):
                        sec.anchor = str(child.get("id"))
                    if _HEADINGS[name] == 1 and not self.title:
                        self.title = heading
                continue
            if name == "pre":
                self.flush_loose()
                code = child.get_text()
                lang = ""
                code_el = child.find("code")
                for cls in (code_el.get("class") if isinstance(code_el, Tag) else None) or child.get("class") or []:
                    if str(cls).startswith(("language-", "lang-")):
                        lang = str(cls).split("-", 1)[1]
                if code.strip():
                    self.builder.current.code_blocks.append(CodeBlock(text=code.strip("\n"), language=lang))
                continue
            if name == "img":
                self._image(child)
                continue
            if name in _BLOCKS:
                self.flush_loose()
                self._block(child, name)
                continue
            if name == "br":
                self._loose.append(" ")
                continue
            if name in ("blockquote",):
                self.flush_loose()
                self._quote += 1
                self.walk(child)
                self.flush_loose()
                self._quote -= 1
                continue
            if name in ("div", "section", "article", "main", "body", "html", "ul", "ol", "dl", "table",
                        "thead", "tbody", "tfoot", "header", "footer", "nav", "aside", "figure", "details",
                        "form", "fieldset", "center"):
                self.flush_loose()
                self.walk(child)
                self.flush_loose()
                continue
            # inline element directly in a container: part of the loose text
            self._loose.append(child.get_text())
            for img in child.find_all("img"):
                self._image(img)

    def _image(self, img: Tag) -> None:
        if self.file_dir is None or self.root is None:
            return
        fig = _load_figure(str(img.get("src") or ""), str(img.get("alt") or ""), self.file_dir, self.root,
                           self.builder.current.anchor)
        if fig is not None:
            self.figures.append(fig)

    def _block(self, el: Tag, name: str) -> None:
        nested = [c for c in el.find_all(["ul", "ol", "dl", "table", "pre", "blockquote"], recursive=False)]
        for n in nested:
            n.extract()
        if name == "tr":
            cells = [_text(c) for c in el.find_all(["td", "th"])]
            text = " | ".join(c for c in cells if c)
        else:
            text = _text(el)
        bold = [_text(b) for b in el.find_all(["b", "strong"])]
        italic = [_text(b) for b in el.find_all(["i", "em", "dfn"])]
        lead = ""
        first = _first_emphasis(el)
        if first is not None:
            lead = _text(first)
        if name == "dt" and text:
            lead = text
        links = [(_text(a), resolve_link(str(a.get("href")), self.doc_path))
                 for a in el.find_all("a") if a.get("href")]
        for img in el.find_all("img"):
            self._image(img)
        text = clean_text(text)
        blocks = self.builder.current.blocks
        if name == "dd" and text and blocks and blocks[-1].kind == "term":
            term_block = blocks.pop()  # <dt>Term</dt><dd>explanation</dd> → one glossary item
            text, lead = f"{term_block.text} – {text}", term_block.text
            bold, italic, links = term_block.bold + bold, term_block.italic + italic, term_block.links + links
            name = "li"
        if text:
            kind = {"li": "list_item", "dt": "term", "dd": "paragraph", "tr": "table_row"}.get(name, "paragraph")
            if self._quote and kind == "paragraph":
                kind = "quote"
            self.builder.current.blocks.append(
                Block(text=text, kind=kind, bold=[b for b in bold if b], italic=[i for i in italic if i],
                      lead=lead, links=links, code=_code_spans(el))
            )
        for n in nested:  # nested lists/tables come after the item's own text
            wrapper = BeautifulSoup("", "html.parser").new_tag("div")
            wrapper.append(n)
            self.walk(wrapper)
            self.flush_loose()


def _code_spans(el: Tag) -> list[str]:
    """Inline code in an element: ``<code>``/``<tt>``, or docutils' ``<span class="literal">``."""
    spans = [c for c in el.find_all(["code", "tt", "span"])
             if c.name != "span" or "literal" in (c.get("class") or [])]
    return [t for t in (clean_text(c.get_text()) for c in spans if not c.find_parent(["code", "tt"])) if t]


def _first_emphasis(el: Tag) -> Tag | None:
    """The <b>/<strong>/<dfn> the block starts with (after an optional article), if any."""
    seen = ""
    for node in el.descendants:
        if isinstance(node, Tag) and node.name in ("b", "strong", "dfn"):
            return node if _ARTICLE.match(seen) else None
        if isinstance(node, NavigableString) and not isinstance(node, Comment):
            seen += str(node)
            if not _ARTICLE.match(seen):
                return None
    return None


def parse_html(source: str, doc_path: str, *, file_dir: Path | None = None, root: Path | None = None) -> Document:
    soup = BeautifulSoup(source, "html.parser")
    title_el = soup.find("title")
    page_title = _text(title_el) if title_el else ""
    for el in soup.find_all(_DROP):
        el.decompose()
    for el in soup.find_all(_FURNITURE):
        if el.find(list(_HEADINGS)) is None:  # a footer that holds a lesson heading is content
            el.decompose()
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    walker = _Walker(doc_path, file_dir, root)
    walker.walk(soup.body or soup)
    walker.flush_loose()
    sections = walker.builder.finish()
    title = walker.title or page_title or next((s.heading for s in sections if s.heading), "") or PurePosixPath(doc_path).stem
    return Document(path=doc_path, title=title, kind="html", sections=sections, figures=walker.figures)

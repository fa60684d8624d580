"""Plain-text lessons: paragraphs separated by blank lines; a line is a heading when it starts
with ``#`` marks or is underlined with ``===``/``---`` (setext style). The first heading, or a
short first line, is the title."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from .document import Block, Document, clean_text, one_line
from .markdown import SectionBuilder

_ATX = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_UNDERLINE = re.compile(r"^(=+|-+)\s*$")
_BULLET = re.compile(r"^\s*(?:[-•*–]|\d+[.)])\s+")


def parse_text(source: str, doc_path: str) -> Document:
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    builder = SectionBuilder()
    title = ""
    para: list[str] = []

    def flush() -> None:
        if not para:
            return
        items: list[tuple[str, str]] = []
        for line in para:
            if _BULLET.match(line) or not items:
                items.append(("list_item" if _BULLET.match(line) else "paragraph", _BULLET.sub("", line)))
            else:
                items[-1] = (items[-1][0], items[-1][1] + " " + line.strip())
        for kind, text in items:
            text = clean_text(one_line(text))
            if text:
                builder.current.blocks.append(Block(text=text, kind=kind))
        para.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        m = _ATX.match(line)
        if m:
            flush()
            builder.start(m.group(2), len(m.group(1)))
            title = title or (m.group(2) if len(m.group(1)) == 1 else "")
            i += 1
            continue
        if line.strip() and not para and _UNDERLINE.match(nxt) and len(line.strip()) <= 120:
            flush()
            level = 1 if nxt.strip().startswith("=") else 2
            builder.start(line.strip(), level)
            title = title or (line.strip() if level == 1 else "")
            i += 2
            continue
        if not line.strip():
            flush()
        else:
            para.append(line)
        i += 1
    flush()
    sections = builder.finish()
    if not title:
        first = next((s.heading for s in sections if s.heading), "")
        if not first and sections and sections[0].blocks:
            cand = sections[0].blocks[0].text
            first = cand if len(cand) <= 80 and not cand.endswith(".") else ""
        title = first or PurePosixPath(doc_path).stem
    return Document(path=doc_path, title=title, kind="text", sections=sections)

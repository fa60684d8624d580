"""Jupyter notebooks with nbformat: markdown cells are lesson text (parsed as Markdown, one
section per cell or per heading inside a cell), code cells are code examples, and PNG outputs
of code cells are kept as lesson figures. Other outputs (text, HTML, widgets) are ignored."""

from __future__ import annotations

import base64
import binascii
from pathlib import PurePosixPath

import nbformat

from .dialects import DEFAULT_FRAMEWORK, code_for_framework
from .document import CodeBlock, Document, Figure
from .errors import IngestError
from .markdown import SectionBuilder, parse_markdown_into


def parse_notebook(source: str, doc_path: str, framework: str = DEFAULT_FRAMEWORK) -> Document:
    try:
        nb = nbformat.reads(source, as_version=4)
    except Exception as exc:  # nbformat raises several types for broken JSON/structure
        raise IngestError(
            doc_path,
            f"not a readable Jupyter notebook ({exc.__class__.__name__}: {str(exc)[:160]}); "
            "open and re-save it in Jupyter, or export it to Markdown",
        ) from exc
    cells = nb.get("cells")
    if not isinstance(cells, list):
        raise IngestError(doc_path, "notebook has no 'cells' list; re-save it in Jupyter")
    lang = ""
    meta = nb.get("metadata") or {}
    if isinstance(meta, dict):
        info = meta.get("language_info") or meta.get("kernelspec") or {}
        if isinstance(info, dict):
            lang = str(info.get("name") or info.get("language") or "")
    builder = SectionBuilder()
    figures: list[Figure] = []
    warnings: list[str] = []
    title = ""
    for idx, cell in enumerate(cells):
        ctype = cell.get("cell_type")
        src = cell.get("source", "")
        if isinstance(src, list):
            src = "".join(src)
        src = str(src)
        if ctype == "markdown":
            h1 = parse_markdown_into(builder, src, doc_path, cell=idx, framework=framework)
            title = title or h1
        elif ctype == "code":
            code = code_for_framework(src.rstrip("\n"), framework) if src.strip() else None
            if code is not None:
                builder.current.code_blocks.append(CodeBlock(text=code, language=lang or "python", cell=idx))
            for out in cell.get("outputs", []) or []:
                data = (out.get("data") or {}) if isinstance(out, dict) else {}
                png = data.get("image/png")
                if not png:
                    continue
                if isinstance(png, list):
                    png = "".join(png)
                try:
                    raw = base64.b64decode(str(png), validate=False)
                except (binascii.Error, ValueError):
                    warnings.append(f"cell {idx}: an image output is not valid base64; skipped")
                    continue
                if not raw.startswith(b"\x89PNG"):
                    warnings.append(f"cell {idx}: an image/png output is not a PNG; skipped")
                    continue
                sec = builder.current
                caption = f"Output of cell {idx}" + (f" ({sec.heading})" if sec.heading else "")
                figures.append(Figure(data=raw, caption=caption, anchor=sec.anchor, cell=idx))
    sections = builder.finish()
    if not title:
        title = next((s.heading for s in sections if s.heading), "") or PurePosixPath(doc_path).stem
    return Document(path=doc_path, title=title, kind="notebook", sections=sections, figures=figures, warnings=warnings)

"""Text that the pages splice into their own Markdown."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$])")


def md_escape(text: object) -> str:
    """Text shown literally inside our own Markdown (titles, paths, labels)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


# a formula the course wrote in LaTeX: "$$...$$", or "$...$" holding math rather than money
_MATH = re.compile(r"(\$\$.+?\$\$|\$(?=\S)[^$\n]*?[\\^_={}][^$\n]*?(?<=\S)\$|\$[A-Za-z]\$)")


def md_with_math(text: object) -> str:
    """Course text shown inside our Markdown: literal, except its LaTeX formulas, which the page
    renders ("replace the gradient by $\\mathbf{v}_t = \\beta \\mathbf{v}_{t-1} + \\mathbf{g}_t$")."""
    parts = _MATH.split(" ".join(str(text).split()))
    return "".join(p if i % 2 else _MD_SPECIAL.sub(r"\\\1", p) for i, p in enumerate(parts))

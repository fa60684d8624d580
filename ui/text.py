"""Text that the pages splice into their own Markdown."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$])")


def md_escape(text: object) -> str:
    """Text shown literally inside our own Markdown (titles, paths, labels)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))

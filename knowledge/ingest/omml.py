"""Word's equations (Office Math Markup, ``m:oMath``) as LaTeX, so a handout's formulas reach the
knowledge base the way Markdown's ``$...$`` do: fractions, powers and indices, roots, sums and
integrals, brackets, functions, accents, limits and matrices; any other element contributes the
LaTeX of its children, and letters, digits and symbols are kept as written (a few operators named
the LaTeX way: ``∑`` → ``\\sum``, ``≤`` → ``\\le``)."""

from __future__ import annotations

M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_SYMBOLS = {"∑": r"\sum", "∫": r"\int", "∏": r"\prod", "≤": r"\le", "≥": r"\ge", "≠": r"\ne", "±": r"\pm",
            "×": r"\times", "·": r"\cdot", "→": r"\to", "∞": r"\infty", "≈": r"\approx", "∈": r"\in", "∂": r"\partial",
            "∇": r"\nabla", "−": "-", "⋅": r"\cdot", "√": r"\sqrt"}
_ACCENTS = {"̂": r"\hat", "̃": r"\tilde", "̄": r"\bar", "⃗": r"\vec", "̇": r"\dot"}
_FUNCTIONS = {"sin", "cos", "tan", "log", "ln", "exp", "max", "min", "lim", "det", "arg", "sup", "inf"}


def omml_to_latex(el) -> str:
    """LaTeX of one OMML element (an ``m:oMath`` or any part of one)."""
    return " ".join(_latex(el).split())


def _val(el, path: str, default: str = "") -> str:
    found = el.find(path)
    return found.get(f"{M}val", default) if found is not None else default


def _part(el, name: str) -> str:
    found = el.find(f"{M}{name}")
    return _latex(found) if found is not None else ""


def _text(text: str) -> str:
    """Letters and symbols as written; an operator LaTeX names by a command gets it, and a space
    so the next letter does not join the command ("±b" → "\\pm b")."""
    out = []
    for ch in text:
        named = _SYMBOLS.get(ch, ch)
        out.append(named + " " if named.startswith("\\") else named)
    return "".join(out)


def _latex(el) -> str:  # noqa: C901 - one branch per OMML construct
    tag = el.tag.replace(M, "") if isinstance(el.tag, str) else ""
    if tag == "r":
        return "".join(_text(t.text or "") for t in el.iter(f"{M}t"))
    if tag == "f":
        return rf"\frac{{{_part(el, 'num')}}}{{{_part(el, 'den')}}}"
    if tag == "sSup":
        return f"{{{_part(el, 'e')}}}^{{{_part(el, 'sup')}}}"
    if tag == "sSub":
        return f"{{{_part(el, 'e')}}}_{{{_part(el, 'sub')}}}"
    if tag == "sSubSup":
        return f"{{{_part(el, 'e')}}}_{{{_part(el, 'sub')}}}^{{{_part(el, 'sup')}}}"
    if tag == "rad":
        deg = _part(el, "deg")
        return rf"\sqrt[{deg}]{{{_part(el, 'e')}}}" if deg.strip() else rf"\sqrt{{{_part(el, 'e')}}}"
    if tag == "nary":
        op = _text(_val(el, f"{M}naryPr/{M}chr", "∫")).strip()
        sub, sup = _part(el, "sub"), _part(el, "sup")
        return op + (f"_{{{sub}}}" if sub.strip() else "") + (f"^{{{sup}}}" if sup.strip() else "") + f" {_part(el, 'e')}"
    if tag == "d":
        beg, end = _val(el, f"{M}dPr/{M}begChr", "("), _val(el, f"{M}dPr/{M}endChr", ")")
        sep = _val(el, f"{M}dPr/{M}sepChr", ",")
        inner = f"{sep} ".join(_latex(e) for e in el.findall(f"{M}e"))
        return rf"\left{_delim(beg)} {inner} \right{_delim(end)}"
    if tag == "func":
        name = _part(el, "fName").strip()
        return (f"\\{name}" if name in _FUNCTIONS else name) + f" {_part(el, 'e')}"
    if tag == "acc":
        accent = _ACCENTS.get(_val(el, f"{M}accPr/{M}chr", "̂"), r"\hat")
        return f"{accent}{{{_part(el, 'e')}}}"
    if tag == "bar":
        return rf"\overline{{{_part(el, 'e')}}}"
    if tag in ("limLow", "limUpp"):
        lim = _part(el, "lim")
        return f"{_part(el, 'e')}" + (f"_{{{lim}}}" if tag == "limLow" else f"^{{{lim}}}")
    if tag == "m":
        rows = [" & ".join(_latex(e) for e in mr.findall(f"{M}e")) for mr in el.findall(f"{M}mr")]
        return r"\begin{matrix} " + r" \\ ".join(rows) + r" \end{matrix}"
    if tag == "eqArr":
        return r" \\ ".join(_latex(e) for e in el.findall(f"{M}e"))
    if tag.endswith("Pr"):  # properties: how it looks, nothing to read
        return ""
    return "".join(_latex(child) for child in el)


def _delim(ch: str) -> str:
    if not ch:
        return "."
    return {"{": r"\{", "}": r"\}", "|": "|", "‖": r"\|", "⟨": r"\langle", "⟩": r"\rangle", "⌈": r"\lceil",
            "⌉": r"\rceil", "⌊": r"\lfloor", "⌋": r"\rfloor"}.get(ch, ch)

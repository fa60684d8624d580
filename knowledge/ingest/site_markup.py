"""Markdown as publishing tools write it, reduced to the CommonMark the parser reads.

Teachers publish courses with Quarto, R Markdown and Pandoc (``.qmd``, ``.Rmd``, ``.md``), MyST
(Jupyter Book) and MDX (Docusaurus, the Hugging Face doc-builder: ``.mdx``). Each adds markup a
student never sees on the rendered page. These are rules of the tools, not of one course.

Every Markdown file (the Pandoc family, :func:`pandoc_to_commonmark`):

* fenced divs ``::: {.callout-note}`` ... ``:::`` (Quarto callouts, Docusaurus admonitions
  ``:::tip``, MyST ``:::{note}``): the fences go, the content stays; a heading inside one titles
  the box (or labels a tab of a tab set), so it goes rather than start a section of the lesson;
* MyST admonition directives (```` ```{note} ````): their content is prose; their title and
  ``:option:`` lines go;
* heading attributes ``# Title {#sec-intro .unnumbered}`` and doc-builder anchors
  ``# Title[[intro]]`` leave the title; the id becomes a label cross references point at;
* Quarto cross references ``@sec-intro``, ``@fig-flow`` become words ("the section on intro",
  "the figure") linked to that label;
* bracketed citations ``[@wickham2014; @x]``, shortcodes ``{{< video ... >}}`` and GitHub's alert
  marks (``> [!TIP]``) go; a span ``[text]{.underline}`` keeps its text.

Quarto and R Markdown only (``.qmd``, ``.rmd``): an in-text citation ``@wickham2014`` reads
"Wickham (2014)" (in other Markdown "@name" is a person's handle and stays); inline code the page
replaces by its value (`` `r nrow(flights)` ``) goes.

MDX only (:func:`mdx_to_markdown`): ``import``/``export`` statements go; a self-closing
component (``<Youtube id="..."/>``, a quiz ``<Question choices={[...]}/>``, over several lines)
goes; a container component's tags (``<Tip>`` ... ``</Tip>``) go and its content stays; framework
switches (``{#if fw === 'pt'}`` ... ``{:else}`` ... ``{/if}``, ``<frameworkcontent><pt>`` ...
``</pt><tf>`` ...) keep only the preferred framework's branch.

Code chunks: :func:`chunk_options` reads Quarto's ``#| echo: false`` lines and R Markdown's
``{r setup, include=FALSE}`` header; a chunk the rendered page hides is not an example.
"""

from __future__ import annotations

import re

from .dialects import LABEL_SCHEME, REF_KINDS, REF_SCHEME, cited_authors, humanise_label

QUARTO = "quarto"
MDX = "mdx"
DIALECT_OF_SUFFIX = {".qmd": QUARTO, ".rmd": QUARTO, ".mdx": MDX}
# a component at a line's start, outside code: "<Tip>", "<CourseFloatingBanner chapter={12}", "{#if fw === 'pt'}"
# (HTML's tags are lower-case)
_COMPONENT_LINE = re.compile(r"^\s{0,3}(?:<[A-Z][\w.]*(?=[\s/>]|$)|\{#if\s)")


def dialect_of(suffix: str, source: str) -> str:
    """The dialect of a Markdown file: by its suffix (``.qmd``/``.rmd`` Quarto, ``.mdx`` MDX); a ``.md``
    whose prose, outside code fences, has a component at a line's start is MDX too (the Hugging Face
    doc-builder renders ``.md`` pages with ``<Tip>`` and ``<CourseFloatingBanner .../>`` as MDX:
    read as plain Markdown, a component over several lines became a paragraph of its attributes)."""
    dialect = DIALECT_OF_SUFFIX.get(suffix.lower(), "")
    if dialect or suffix.lower() not in (".md", ".markdown"):
        return dialect
    fence: str | None = None
    for line in source.split("\n"):
        f = _FENCE.match(line)
        if fence is not None:
            if _closes(f, fence[0], len(fence)):
                fence = None
        elif f:
            fence = f.group("fence")
        elif _COMPONENT_LINE.match(line):
            return MDX
    return ""

_FENCE = re.compile(r"^\s{0,3}(?P<fence>`{3,}|~{3,})\s*(?P<info>.*?)\s*$")
_DIV = re.compile(r"^\s{0,3}:{3,}\s*(?P<attrs>.*?)\s*$")
_ATX = re.compile(r"^(?P<marks>\s{0,3}#{1,6})\s+(?P<text>.*?)\s*$")
_HEADING_ATTRS = re.compile(r"\s*\{(?P<attrs>[#.-][^{}]*|[^{}]*=[^{}]*)\}\s*$")
_DOC_ANCHOR = re.compile(r"\s*\[\[(?P<id>[\w.-]+)\]\]\s*$")
_ID = re.compile(r"#(?P<id>[\w:.-]+)")
# MyST directives whose body is prose a student reads (```{note}, ```{admonition} Title)
_ADMONITIONS = {"note", "tip", "hint", "important", "warning", "caution", "attention", "danger", "error",
                "seealso", "admonition", "dropdown", "sidebar", "margin", "topic", "epigraph", "aside"}
_DIRECTIVE = re.compile(r"^\{(?P<name>[\w-]+)\}\s*(?P<arg>.*)$")
_DIRECTIVE_OPTION = re.compile(r"^\s*:[\w-]+:.*$")
_XREF = re.compile(r"(?<![\w@.\[])-?@(?P<kind>" + "|".join(REF_KINDS) + r")-(?P<name>[\w-]*\w)")
# "[Chapter -@sec-functions]": a reference whose number the text names itself
_XREF_BRACKET = re.compile(r"\[[^\[\]@]{0,40}?-@(?P<kind>" + "|".join(REF_KINDS) + r")-(?P<name>[\w-]*\w)\]")
_BRACKET_CITE = re.compile(r"\s?\[(?=[^\[\]]*(?<![\w.])-?@[A-Za-z])[^\[\]]*\](?![(\[{])")
_TEXT_CITE = re.compile(r"(?<![\w@.\[/])@(?P<key>[A-Za-z][\w:.-]*\w)")
_SPAN = re.compile(r"\[(?P<text>[^\[\]]+)\]\{[^{}]*\}")
_SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}")
# inline code the page replaces by its value: "`r nrow(flights)` flights", "`{python} len(x)`"
_INLINE_VALUE = re.compile(r"\s?`(?:r|\{r\}|\{python\}|\{julia\})\s[^`\n]+`")
_SENTENCE_START_REF = re.compile(r"(^\s*|[.!?]\s+)\[the\b")


def _closes(f: re.Match[str] | None, char: str, length: int) -> bool:
    """Whether fence line ``f`` closes a fence opened with ``length`` ``char``s."""
    return bool(f) and f.group("fence")[0] == char and len(f.group("fence")) >= length and not f.group("info")


def _heading(line: str, in_div: bool) -> list[str] | None:
    """An ATX heading without its attributes (plus the label its id names), or nothing when the
    heading titles a fenced div or a directive; None when ``line`` is no heading."""
    m = _ATX.match(line)
    if not m:
        return None
    if in_div:
        return [""]
    text, label = m.group("text"), ""
    attrs, anchor = _HEADING_ATTRS.search(text), _DOC_ANCHOR.search(text)
    if attrs:  # "{#sec-x .unnumbered}"
        text, i = text[:attrs.start()], _ID.search(attrs.group("attrs"))
        label = i.group("id") if i else ""
    elif anchor:  # "[[x]]"
        text, label = text[:anchor.start()], anchor.group("id")
    text = re.sub(r"\s+#+\s*$", "", text).strip()
    out = [f"{m.group('marks')} {text}"]
    if label:
        out.append(f"[]({LABEL_SCHEME}{label})")
    return out


def _xref(m: re.Match[str]) -> str:
    """``@sec-data-tidy`` → a link reading "the section on data tidy" to the label ``sec-data-tidy``."""
    kind, name = m.group("kind"), m.group("name")
    return f"[{humanise_label(f'{kind}_{name}')}]({REF_SCHEME}{kind}-{name})"


# GitHub's alerts: "> [!TIP]" opens a quote that is a tip box
_ALERT = re.compile(r"^(?P<quote>\s{0,3}(?:>\s*)+)\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*", re.IGNORECASE)


# a reference to a figure or table set aside, "(@fig-x)", "(see @tbl-y)", ", @fig-x.": the page shows a
# number there; in words ("the figure") it only interrupts the sentence
_ASIDE_XREF = re.compile(r"\s*\((?:see\s+|as\s+in\s+)?-?@(?:fig|tbl|lst|eq)-[\w-]*\w\)|,\s*-?@(?:fig|tbl|lst)-[\w-]*\w(?=\s*[.;])")


def _prose(line: str, dialect: str) -> str:
    line = _ALERT.sub(lambda m: m.group("quote"), line)
    line = _ASIDE_XREF.sub("", line)
    line = _SHORTCODE.sub("", line)
    line = _XREF_BRACKET.sub(_xref, line)
    line = _XREF.sub(_xref, line)
    line = _BRACKET_CITE.sub("", line)
    if dialect == QUARTO:
        line = _TEXT_CITE.sub(lambda m: cited_authors(m.group("key")), line)
        line = _INLINE_VALUE.sub("", line)
    line = _SENTENCE_START_REF.sub(lambda m: m.group(1) + "[The", line)  # "@fig-x shows ..." → "The figure shows ..."
    return _SPAN.sub(lambda m: m.group("text"), line)


def pandoc_to_commonmark(source: str, dialect: str = "") -> str:
    """Fenced divs, MyST admonitions, heading attributes, cross references, citations, spans and
    shortcodes reduced to CommonMark (see the module doc); code is passed through untouched."""
    out: list[str] = []
    fences: list[tuple[str, int, bool]] = []  # (char, length, is a directive whose body is prose)
    divs = 0
    options = False  # at the head of a directive body: ":class: dropdown" lines
    for line in source.split("\n"):
        f = _FENCE.match(line)
        if fences and not fences[-1][2]:  # inside code
            if _closes(f, *fences[-1][:2]):
                fences.pop()
            out.append(line)
            continue
        if f:
            mark, info = f.group("fence"), f.group("info")
            if fences and _closes(f, *fences[-1][:2]):
                fences.pop()  # the end of a directive
                out.append("")
                continue
            d = _DIRECTIVE.match(info)
            if d and d.group("name").lower() in _ADMONITIONS:
                fences.append((mark[0], len(mark), True))
                out.append("")
                options = True
                continue
            fences.append((mark[0], len(mark), False))
            out.append(line)
            continue
        if options and _DIRECTIVE_OPTION.match(line):
            continue
        options = False
        div = _DIV.match(line)
        if div:  # ":::: {.callout-note}" opens (it has attributes), ":::" closes
            divs = divs + 1 if div.group("attrs") else max(0, divs - 1)
            out.append("")
            continue
        h = _heading(line, divs > 0 or any(p for _, _, p in fences))
        if h is not None:
            out += h
            continue
        out.append(_prose(line, dialect))
    return "\n".join(out)


# -- MDX ------------------------------------------------------------------------------------------

_FRAMEWORK_ALIASES = {"pt": "pytorch", "torch": "pytorch", "pytorch": "pytorch", "tf": "tensorflow",
                      "tensorflow": "tensorflow", "jax": "jax", "flax": "jax", "mx": "mxnet", "mxnet": "mxnet",
                      "paddle": "paddle"}
_MODULE_LINE = re.compile(r"^(?:import|export)\b(?=[\s{*])")
_IF = re.compile(r"^\s*\{#if\s+(?P<expr>.+?)\}\s*$")
_ELSE_IF = re.compile(r"^\s*\{:else\s+if\s+(?P<expr>.+?)\}\s*$")
_ELSE = re.compile(r"^\s*\{:else\}\s*$")
_END_IF = re.compile(r"^\s*\{/if\}\s*$")
_COMPARE = re.compile(r"\w+\s*(?P<op>===|==|!==|!=)\s*(?P<q>[\"'])(?P<value>[\w-]+)(?P=q)")
_TAG_START = re.compile(r"^\s*<(?P<close>/)?(?P<name>[A-Z][\w.]*|frameworkcontent|pt|tf|jax|hfoptions|hfoption)(?=[\s/>]|$)")
_INLINE_COMPONENT = re.compile(r"</?[A-Z][\w.]*(?:\s[^<>]*?)?/?>")
_JSX_COMMENT = re.compile(r"\{/\*.*?\*/\}")
_JSX_SPACE = re.compile(r"\{\s*([\"'])\s*\1\s*\}")
_TAB_TAGS = {"pt", "tf", "jax", "hfoption"}
_GROUP_TAGS = {"frameworkcontent", "hfoptions"}


def _framework_of(value: str) -> str:
    return _FRAMEWORK_ALIASES.get(value.strip().lower(), "")


def _condition(expr: str, framework: str) -> bool | None:
    """``fw === 'pt'`` for ``framework`` pytorch → True; None when it tests no framework."""
    result: bool | None = None
    for m in _COMPARE.finditer(expr):
        fw = _framework_of(m.group("value"))
        if not fw:
            continue
        hit = (fw == framework) != m.group("op").startswith("!")
        result = hit if result is None else (result or hit)
    return result


def _tag_end(text: str, start: int) -> tuple[int, bool] | None:
    """Where the tag opened at ``text[start]`` ends (index after ``>``) and whether it closes
    itself; braces, brackets and quotes of its attributes are skipped. None if it never ends."""
    depth, quote, i = 0, "", start + 1
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'`":
            quote = ch
        elif ch in "{[(":
            depth += 1
        elif ch in "}])":
            depth = max(0, depth - 1)
        elif ch == ">" and depth == 0:
            return i + 1, text[i - 1] == "/"
        i += 1
    return None


def _tab_framework(tag: str) -> str:
    name = re.match(r"<(\w+)", tag)
    if not name:
        return ""
    if name.group(1) == "hfoption":
        i = re.search(r"\bid\s*=\s*[\"']([^\"']+)", tag)
        return _framework_of(i.group(1)) if i else ""
    return _framework_of(name.group(1))


def mdx_to_markdown(source: str, framework: str = "pytorch") -> str:
    """MDX reduced to Markdown: module lines, components and other frameworks' branches dropped
    (see the module doc); code fences pass through unchanged."""
    framework = framework.lower()
    lines = source.split("\n")
    out: list[str] = []
    fence: str | None = None
    keep = [True]  # per open {#if}/tab: whether its text is kept
    ifs: list[dict[str, bool]] = []  # per {#if}: a branch taken; the parent's keep
    group_choice: list[str] = []  # per <frameworkcontent>: the framework whose tab is kept
    i = 0

    def emit(text: str) -> None:
        if all(keep):
            out.append(text)

    while i < len(lines):
        line = lines[i]
        f = _FENCE.match(line)
        if fence is not None:
            if _closes(f, fence[0], len(fence)):
                fence = None
            emit(line)
            i += 1
            continue
        if f:
            fence = f.group("fence")
            emit(line)
            i += 1
            continue
        if _MODULE_LINE.match(line):  # import/export, to the end of its braces
            depth = 0
            while i < len(lines):
                depth += sum(lines[i].count(c) for c in "{[(") - sum(lines[i].count(c) for c in "}])")
                i += 1
                if depth <= 0:
                    break
            continue
        opening = _IF.match(line)
        if opening:  # a test no framework decides keeps its first branch
            cond = _condition(opening.group("expr"), framework)
            chosen = cond is None or cond
            ifs.append({"taken": chosen})
            keep.append(chosen)
            i += 1
            continue
        branch = _ELSE_IF.match(line)
        if ifs and (branch or _ELSE.match(line)):
            cond = _condition(branch.group("expr"), framework) if branch else True
            chosen = not ifs[-1]["taken"] and (cond is None or cond)
            ifs[-1]["taken"] = ifs[-1]["taken"] or chosen
            keep[-1] = chosen
            i += 1
            continue
        if _END_IF.match(line) or (not ifs and (branch or _ELSE.match(line))):
            if ifs:
                ifs.pop()
                keep.pop()
            i += 1  # (a stray {/if} or {:else} is markup too)
            continue
        t = _TAG_START.match(line)
        if t:
            text = "\n".join(lines[i:i + 400])  # a component's attributes end within a page
            start = text.index("<")
            end = _tag_end(text, start)
            if end is not None:
                stop, self_closing = end
                tag = text[start:stop]
                consumed = tag.count("\n")
                rest = text[stop:].split("\n", 1)[0]
                name = t.group("name")
                if t.group("close"):
                    if name in _TAB_TAGS and len(keep) > 1:
                        keep.pop()
                    elif name in _GROUP_TAGS and group_choice:
                        group_choice.pop()
                    emit("")
                elif not self_closing:
                    if name in _GROUP_TAGS:
                        group_choice.append(_group_framework(lines, i + consumed + 1, name, framework))
                    elif name in _TAB_TAGS:
                        fw = _tab_framework(tag)
                        want = group_choice[-1] if group_choice else framework
                        keep.append(not fw or fw == want)
                    emit("")
                rest = _INLINE_COMPONENT.sub("", rest).strip()
                if rest:
                    emit(rest)
                i += consumed + 1
                continue
        line = _JSX_COMMENT.sub("", line)
        line = _JSX_SPACE.sub(" ", line)
        emit(_INLINE_COMPONENT.sub("", line))
        i += 1
    return "\n".join(out)


def _group_framework(lines: list[str], start: int, name: str, framework: str) -> str:
    """The framework whose tab a ``<frameworkcontent>``/``<hfoptions>`` group keeps: the preferred
    one when the group has it, else its first framework tab."""
    found: list[str] = []
    for line in lines[start:]:
        if re.match(rf"^\s*</{name}>", line):
            break
        t = _TAG_START.match(line)
        if t and not t.group("close") and t.group("name") in _TAB_TAGS:
            fw = _tab_framework(line.strip())
            if fw:
                found.append(fw)
    return framework if framework in found or not found else found[0]


# -- code chunks ----------------------------------------------------------------------------------

_OPTION_LINE = re.compile(r"^\s*(?:#|//|--)\|(?:\s*(?P<key>[\w.-]+)\s*:\s*(?P<value>.*?)\s*$|.*$)")  # or a value's next line
_HEADER_OPTION = re.compile(r"\b(?P<key>include|echo)\s*=\s*(?P<value>\w+)", re.IGNORECASE)
_FALSE = {"false", "f", "no"}


def chunk_options(code: str, info: str = "") -> tuple[str, bool]:
    """(``code`` without its ``#|`` option lines, whether the rendered page shows it). A chunk
    with ``include: false`` or ``echo: false`` (or ``{r setup, include=FALSE}``) is hidden."""
    lines = code.split("\n")
    shown = True
    k = 0
    while k < len(lines):
        m = _OPTION_LINE.match(lines[k])
        if not m:
            break
        if (m.group("key") or "").lower() in ("include", "echo") and m.group("value").strip().lower() in _FALSE:
            shown = False
        k += 1
    if info.startswith("{"):
        for m in _HEADER_OPTION.finditer(info):
            if m.group("value").lower() in _FALSE:
                shown = False
    return "\n".join(lines[k:]), shown

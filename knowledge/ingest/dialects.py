"""Markup dialects that lesson Markdown carries on top of CommonMark, reduced to what a student reads.

Textbooks written for Sphinx/MyST or d2lbook, and Pandoc-style Markdown, put markup in the text
that CommonMark leaves as literal characters: roles (``:numref:`sec_x```, ``:eqref:`eq_y```,
``:cite:`Key.2020```, ``:label:`fig_z```), framework tabs (``:begin_tab:`pytorch``` ...
``:end_tab:``), code fences with attributes (```` ```{.python .input} ````), notebook magics
that select a framework (``%%tab pytorch``, ``#@tab mxnet``, ``if tab.selected('pytorch'):``) and highlighted
spans (``[**the loss**]``, and in d2lbook documents ``(**the loss**)``). These are dialect rules, not words of one course:

* roles: a reference becomes words ("the figure", "the section on attention pooling", "the
  equation"), a citation or label disappears, any other role keeps its content;
* tabs: only the preferred framework's tab (or one for ``all``) is kept;
* code: the language is the first class of a Pandoc attribute block; output blocks and directive
  fences (``toc``, ``eval_rst``, ``mermaid``, ``math``) are not code;
  a block for another framework, or one that only selects frameworks, is dropped; inside a block,
  ``if tab.selected(...)`` branches keep the preferred framework's lines.

:func:`is_setup_code` tells code that only sets things up (imports, installs, magics, seeds,
display settings) from code that shows something.
"""

from __future__ import annotations

import ast
import re
import textwrap

DEFAULT_FRAMEWORK = "pytorch"
# fences that hold a document directive or a diagram, not code a student runs
NOT_CODE = {"toc", "eval_rst", "eval-rst", "mermaid", "math", "dot", "figure", "image", "toctree", "tableofcontents",
            "{toc}", "{eval-rst}", "{math}", "{mermaid}"}

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ROLE = re.compile(r"\s?:(?P<role>[a-z][\w-]*):`(?P<target>[^`]*)`")
_BEGIN_TAB = re.compile(r"^\s*:begin_tab:`(?P<tabs>[^`]*)`\s*$")
_END_TAB = re.compile(r"^\s*:end_tab:\s*$")
_HIGHLIGHT = re.compile(r"\[\*\*(?P<text>.+?)\*\*\](?!\()")
_HIGHLIGHT_LINES = re.compile(r"\[\*\*(?P<text>(?:(?!\n\s*\n).)+?)\*\*\](?!\()", re.DOTALL)
# d2lbook also highlights with parentheses ("Fortunately, (**performing in-place operations**) is
# easy.") and marks text for the book alone with "(~~...~~)"; elsewhere "(**term**)" is a bold term
# in parentheses, so only in its documents
_PAREN_HIGHLIGHT_LINES = re.compile(r"\((?P<mark>\*\*|~~)(?P<text>(?:(?!\n\s*\n).)+?)(?P=mark)\)", re.DOTALL)
_D2LBOOK = re.compile(r":(?:label|numref|eqref|begin_tab|cite|citet):`|\[\*\*.+?\*\*\](?!\()")
_TAB_MAGIC = re.compile(r"^\s*(?:%%tab|#@tab)\s+(?P<tabs>.+?)\s*$")
_SAVE_MARK = re.compile(r"\s*#\s*@save\s*$")
_TAB_IF = re.compile(r"^(?P<indent>\s*)(?P<kw>if|elif)\s+tab\.selected\((?P<tabs>[^)]*)\)\s*:\s*$")
_TAB_ELSE = re.compile(r"^(?P<indent>\s*)else\s*:\s*$")
_SELECTOR_LINE = re.compile(r"^\s*(?:%load_ext\s+\S*tab\S*|tab\.interact_select\(.*\))\s*$")
_REF_KIND = {"fig": "the figure", "tab": "the table", "eq": "the equation", "sec": "the section",
             "subsec": "the section", "chap": "the chapter", "chapter": "the chapter", "alg": "the algorithm",
             # Quarto's kinds (@tbl-x, @thm-x, ...)
             "tbl": "the table", "ch": "the chapter", "lst": "the listing", "thm": "the theorem", "lem": "the lemma",
             "def": "the definition", "exm": "the example", "exr": "the exercise", "cor": "the corollary",
             "prp": "the proposition"}
REF_KINDS = tuple(_REF_KIND)
_DROP_ROLES = {"cite", "citep", "citealp", "width", "height", "bibliography"}
_TEXT_CITE_ROLES = {"citet", "citeauthor"}  # the citation is a part of the sentence: "Tieleman and Hinton (2012) proposed ..."
_LABEL_ROLES = {"label", "eqlabel"}
_REF_ROLES = {"numref", "ref", "numref-s", "eqref"}
# link schemes the Markdown parser reads back: a cross-reference to a label, and a label itself
REF_SCHEME = "label:"
LABEL_SCHEME = "label-def:"


def _frameworks(spec: str) -> set[str]:
    return {t.strip().strip("'\"").lower() for t in re.split(r"[,\s]+", spec) if t.strip().strip("'\"")}


def _wanted(spec: str, framework: str) -> bool:
    tabs = _frameworks(spec)
    return not tabs or "all" in tabs or framework in tabs


def humanise_label(target: str) -> str:
    """``sec_attention-pooling`` → ``the section on attention pooling``; ``fig_rnn`` → ``the figure``."""
    kind, _, rest = target.partition("_")
    words = re.sub(r"[-_.]+", " ", rest or kind).strip()
    what = _REF_KIND.get(kind.lower())
    if what is None:
        return re.sub(r"[-_.]+", " ", target).strip()
    if what in ("the section", "the chapter") and words:
        return f"{what} on {words}"
    return what


def cited_authors(key: str) -> str:
    """A bibliography key read as the authors it names: ``Tieleman.Hinton.2012`` → "Tieleman and
    Hinton (2012)", ``Moon.Smola.Chang.ea.2010`` → "Moon et al. (2010)", ``boucheron2005theory`` →
    "Boucheron (2005)"; "" for a key that names no one."""
    key = key.strip()
    m = re.fullmatch(r"([a-z]+)(\d{4})[a-z]*", key)
    if m:
        return f"{m.group(1).capitalize()} ({m.group(2)})"
    parts = [x for x in key.split(".") if x]
    year = parts.pop() if parts and re.fullmatch(r"\d{4}[a-z]?", parts[-1]) else ""
    if not parts or not all(re.fullmatch(r"[A-Za-z][\w'-]*", x) for x in parts):
        return ""
    names = [x for x in parts if x.lower() != "ea"]
    who = (f"{names[0]} et al." if len(names) > 2 or len(names) < len(parts) else " and ".join(names))
    return f"{who} ({year})" if year else who


def _role(m: re.Match[str], links: bool) -> str:
    role, target = m.group("role").lower(), m.group("target")
    lead = " " if m.group(0).startswith(" ") else ""
    if role in _DROP_ROLES or (role in _LABEL_ROLES and not links):
        return ""
    if role in _TEXT_CITE_ROLES:
        names = [cited_authors(k) for k in target.split(",") if k.strip()]
        return lead + " and ".join(n for n in names if n) if any(names) else ""
    if role in _LABEL_ROLES:  # kept as an empty link the parser files under the section
        return f"{lead}[]({LABEL_SCHEME}{target})" if re.fullmatch(r"[\w.:-]+", target) else ""
    if role in _REF_ROLES:
        words = "the equation" if role == "eqref" else humanise_label(target)
        if links and re.fullmatch(r"[\w.:-]+", target):
            return f"{lead}[{words}]({REF_SCHEME}{target})"
        return lead + words
    return lead + target  # :math:`x^2`, :term:`gradient`, :code:`x` ...


# MathJax's own delimiters, as kramdown/Jekyll notes write them ("\\(p\\)", "\\[ ... \\]") or with one
# backslash: the same math as "$p$" / "$$...$$", which the parser reads
_MATHJAX_INLINE = re.compile(r"\\\\?\((?P<math>(?:(?!\n\s*\n).){1,400}?)\\\\?\)", re.DOTALL)
_MATHJAX_DISPLAY = re.compile(r"\\\\?\[(?P<math>(?:(?!\n\s*\n).){1,2000}?)\\\\?\]", re.DOTALL)


def mathjax_to_dollars(text: str) -> str:
    """``\\(x\\)`` → ``$x$`` and ``\\[x\\]`` → ``$$x$$`` (prose only: code is never passed here)."""
    text = _MATHJAX_DISPLAY.sub(lambda m: f"$${m.group('math').strip()}$$", text)
    return _MATHJAX_INLINE.sub(lambda m: f"${m.group('math').strip()}$", text)


def clean_roles(text: str, links: bool = False) -> str:
    """Roles and highlight brackets of one line of prose reduced to plain words. With
    ``links``, a cross-reference stays a Markdown link to ``label:<target>`` (its text the
    words) and a label an empty link to ``label-def:<name>``, so that the parser can tie
    references to the sections they point at."""
    text = _ROLE.sub(lambda m: _role(m, links), text)
    return _HIGHLIGHT.sub(lambda m: m.group("text"), text)


def preprocess_markdown(source: str, framework: str = DEFAULT_FRAMEWORK) -> str:
    """Prose roles cleaned and other frameworks' tabs dropped; code fences pass through unchanged
    (they are read by :func:`code_language` and :func:`code_for_framework` after parsing)."""
    framework = framework.lower()
    out: list[str] = []
    fence: str | None = None
    keep = True  # inside a tab for another framework: False
    prose: list[str] = []  # prose lines since the last fence: highlights may span lines

    d2lbook = bool(_D2LBOOK.search(source))

    def flush() -> None:
        if prose:
            text = _HIGHLIGHT_LINES.sub(lambda m: m.group("text"), "\n".join(prose))
            text = mathjax_to_dollars(text)
            if d2lbook:
                text = _PAREN_HIGHLIGHT_LINES.sub(lambda m: m.group("text"), text)
            out.append(text)
            prose.clear()

    for line in source.split("\n"):
        m = _FENCE.match(line)
        if fence is None and m:
            flush()
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip()[len(m.group(1)):]:
                fence = None
            if keep:
                out.append(line)
            continue
        if m:
            fence = m.group(1)
            if keep:
                out.append(line)
            continue
        tab = _BEGIN_TAB.match(line)
        if tab:
            keep = _wanted(tab.group("tabs"), framework)
            continue
        if _END_TAB.match(line):
            keep = True
            continue
        if keep:
            prose.append(clean_roles(line, links=True))
    flush()
    return "\n".join(out)


# how notebooks and chunk headers name Python ("ipython3", "py")
_LANGUAGE_ALIASES = {"ipython3": "python", "ipython": "python", "python3": "python", "py": "python"}
# what a doc-builder writes after the language of a block that shows what code printed: ```python out, ```py trace
_OUTPUT_WORDS = ("out", "output", "trace", "traceback", "stdout", "stderr")
# MyST's code directives name the language after them: ```{code-cell} ipython3
_CODE_DIRECTIVES = {"code-cell", "code-block", "code", "sourcecode"}


def code_language(info: str) -> tuple[str, bool]:
    """A fence's info string → (language, is_output). ``{.python .input}`` → ``("python", False)``;
    ``{.python .output}`` → ``("python", True)``; ``python title="x"`` → ``("python", False)``;
    Quarto/R Markdown chunks ``{r}``, ``{python echo=FALSE}``, ``{{r}}`` → ``"r"``, ``"python"``;
    MyST ``{code-cell} ipython3`` → ``"python"``; ``python out``, ``py trace``, ``out`` (what code
    printed) → output."""
    info = info.strip()
    if info.startswith("{="):  # Pandoc raw output for one format ("{=html}"): what the page renders, not code
        return info[2:].strip("} ").lower(), True
    if info.startswith("{"):
        classes = re.findall(r"\.([\w+#-]+)", info)
        if classes:
            lang = next((c for c in classes if c not in ("input", "output")), "")
            return _LANGUAGE_ALIASES.get(lang.lower(), lang.lower()), "output" in classes
        m = re.match(r"\{+\s*([\w+#-]+)\s*[,}\s]?\}*\s*(\S*)", info)
        if not m:
            return "", False
        lang = m.group(1).lower()
        if lang in _CODE_DIRECTIVES:
            lang = m.group(2).lower()
        return _LANGUAGE_ALIASES.get(lang, lang), False
    words = info.split()
    lang = words[0].lower() if words else ""
    if lang in _OUTPUT_WORDS:  # ```out: what the code printed
        return "", True
    return _LANGUAGE_ALIASES.get(lang, lang), len(words) > 1 and words[1].lower() in _OUTPUT_WORDS


def code_for_framework(code: str, framework: str = DEFAULT_FRAMEWORK) -> str | None:
    """The block as a student of ``framework`` reads it, or None when it belongs to another
    framework or only selects frameworks."""
    framework = framework.lower()
    lines = code.split("\n")
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None:
        return None
    m = _TAB_MAGIC.match(lines[first])
    if m:
        if not _wanted(m.group("tabs"), framework):
            return None
        lines = lines[:first] + lines[first + 1:]
    lines = [_SAVE_MARK.sub("", ln) for ln in lines if not _SELECTOR_LINE.match(ln)]
    out: list[str] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        m = _TAB_IF.match(ln)
        if not m:
            out.append(ln)
            i += 1
            continue
        indent = len(m.group("indent"))
        taken = False  # a branch of this if/elif/else chain was kept
        while i < len(lines):
            head = _TAB_IF.match(lines[i]) or _TAB_ELSE.match(lines[i])
            if not head or len(head.group("indent")) != indent:
                break
            if "tabs" in head.groupdict() and head.groupdict().get("tabs") is not None:
                chosen = not taken and _wanted(head.group("tabs"), framework)
            else:
                chosen = not taken
            taken = taken or chosen
            i += 1
            body: list[str] = []
            while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
                body.append(lines[i])
                i += 1
            if chosen:
                step = min((len(b) - len(b.lstrip()) for b in body if b.strip()), default=indent) - indent
                out.extend(b[step:] if b.strip() else "" for b in body)
    text = "\n".join(out).strip("\n")
    return text if text.strip() else None


_SETUP_LINE = re.compile(
    # R's library()/require()/install.packages() and Julia's "using" load packages like Python's import
    r"^\s*(?:(?:from\s+\S+\s+)?import\s|%|!|pip\s|conda\s|#|(?:library|require|requireNamespace|"
    r"suppressPackageStartupMessages|install\.packages)\s*\(|using\s+[A-Z]\w*(?:\s*[,:]|\s*$)|"
    r"[\w.]*(?:use_svg_display|set_np|filterwarnings|set_printoptions|manual_seed|set_seed|seed|"
    r"set_style|set_theme|rcParams\[?|config\.update|simplefilter|matplotlib_inline|interact_select)\b)"
)


_PLOT_LINE = re.compile(
    r"^\s*(?:plt\.|fig\b|ax\w*[\.\[]|[\w.]*\b(?:plot|imshow|show|show_images|show_heatmaps|"
    r"show_trace\w*|show_bboxes|legend|xlabel|ylabel|title|subplots?|figure|savefig|display)\()"
)


# a name bound to a value or another name, no call: "d2l = sys.modules[__name__]", "DEVICE = 'cpu'"
_BINDING = re.compile(r"^\s*[A-Za-z_][\w.]*\s*=\s*[\w.\[\]'\"]+\s*$")
_PLOT_CALL = re.compile(r"\b(?:plt|ax|axes|fig)\.\w+\(|\.(?:imshow|set_[xy]label|set_title|colorbar|legend|"
                        r"savefig|subplots)\(")
# a name alone: a notebook or an R console prints its value ("table1", "raw_datasets.features")
_SHOW_VALUE = re.compile(r"^\s*[A-Za-z_][\w.]*\s*;?\s*$")
_SCAFFOLD = re.compile(r"^\s*(?:def |class |return\b|for |if |else|elif |with |[\"']{3}|\w+\s*=\s*$)")


_PYTHON = ("python", "py", "python3", "ipython", "ipython3")
_CONSOLE = re.compile(r"^\s*(?:>>> |In \[\d*\]:)", re.MULTILINE)
_NOT_PYTHON_LINE = re.compile(r"^\s*(?:%|!|\$ )|\?\??\s*$")


def is_unfinished(code: str, language: str) -> bool:
    """True for a Python block that is not valid Python once magics and shell lines are set aside:
    an exercise's template with its blanks to fill in ("random_num =", "action = # Take a random
    action"), which a lesson follows with its solution. Other languages, a console session (its
    prompts and what came back) and Python that parses: False."""
    if language.lower() not in _PYTHON or _CONSOLE.search(code):
        return False  # (a console session shows what was typed and what came back: no program)
    lines = [ln for ln in code.split("\n") if not _NOT_PYTHON_LINE.search(ln)]
    try:
        ast.parse(textwrap.dedent("\n".join(lines)))
    except (SyntaxError, ValueError):
        return True
    return False


_NAMED = re.compile(r"^\s*(?:def|class)\s+(\w+)", re.MULTILINE)
_BINDS = re.compile(r"^\s*([A-Za-z_]\w*)\s*=(?!=)", re.MULTILINE)


# a blank left to fill in: "random_num =", "action = # Take a random action", "# TODO: ..."
_BLANK = re.compile(r"^\s*[A-Za-z_][\w.\[\]'\"]*\s*=\s*(?:#.*)?$|#\s*TODO\b", re.MULTILINE)


def solves(template: str, code: str, language: str) -> bool:
    """Whether ``code`` is the solution of exercise template ``template`` (unfinished code with a
    blank to fill in, see :func:`is_unfinished`): finished code that defines the same function or
    class, or, when the template defines none, binds the same first name ("state_space = ...")."""
    m = _NAMED.search(template)
    a = _BINDS.search(template) if m is None else None
    if (m is None and a is None) or not _BLANK.search(template) or is_unfinished(code, language):
        return False
    same = (rf"^\s*(?:def|class)\s+{re.escape(m.group(1))}\b" if m is not None
            else rf"^\s*{re.escape(a.group(1))}\s*=(?!=)")  # type: ignore[union-attr]
    return re.search(same, code, re.MULTILINE) is not None


def code_body(code: str) -> str:
    """``code`` without its leading setup lines (imports, magics, installs, display options) when
    at least two lines of real code follow: "%matplotlib inline / from d2l import torch as d2l /
    import torch / x = ..." shows the concept from "x = ..." on."""
    lines = code.split("\n")
    i = 0
    while i < len(lines) and (not lines[i].strip() or (_SETUP_LINE.match(lines[i]) and not lines[i].lstrip().startswith("#"))):
        i += 1
    rest = [ln for ln in lines[i:] if ln.strip()]
    return "\n".join(lines[i:]) if i and len(rest) >= 2 else code


# what any programming or shell language shows somewhere in a block: a call, an assignment, a
# bracket, an operator, a path or an option
_UNLABELLED = ("", "text", "txt", "plain", "plaintext", "none")
_CODE_SYNTAX = re.compile(r"[(){}\[\]=;<>|&$/\\]|\b\w+\.\w|\s-{1,2}\w|:\s*$", re.MULTILINE)


def is_setup_code(code: str, language: str = "") -> bool:
    """True when the code shows no concept: every line only imports, installs, runs a magic or
    shell command, seeds or sets display options, or names a value to print it (``table1``,
    ``raw_datasets``, ``model.config.id2label``), or (in a block with no ``language``) no line has
    any code syntax (words set in a fence, "w ##o ##r ##d") — or it is drawing code (half or more of its
    working lines call a plotting library, as in a ``show_heatmaps`` helper)."""
    lines = [ln for ln in code.split("\n") if ln.strip()]
    if not lines or all(_SETUP_LINE.match(ln) or _PLOT_LINE.match(ln) or _SHOW_VALUE.match(ln) for ln in lines):
        return True
    if language.lower() in _UNLABELLED and not _CODE_SYNTAX.search(code):
        return True  # words in a fence with no language, no code at all: "w ##o ##r ##d", a list of tokens
    imports = sum(1 for ln in lines if _SETUP_LINE.match(ln))
    if imports >= 0.75 * len(lines) and all(_SETUP_LINE.match(ln) or _BINDING.match(ln) for ln in lines):
        return True  # imports, then "d2l = sys.modules[__name__]", "device = 'cpu'": still setup
    work = [ln for ln in lines if not _SETUP_LINE.match(ln) and not _SCAFFOLD.match(ln)]
    plotting = sum(1 for ln in work if _PLOT_CALL.search(ln) or _PLOT_LINE.match(ln))
    return bool(work) and plotting >= 0.5 * len(work)

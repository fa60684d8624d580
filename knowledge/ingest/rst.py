"""reStructuredText lessons (``.rst``: Sphinx courses, Python documentation) with docutils.

The source is parsed by docutils — never with file inclusion or raw HTML — into its document
tree, then written as HTML and read by :func:`knowledge.ingest.html.parse_html`, so headings,
lists, definition lists (a glossary: the term and what it means), tables, code, emphasis and
links read as in every other format. Before writing: math (``:math:``, ``.. math::``) becomes
``$...$``/``$$...$$`` LaTeX as in Markdown, and a literal block keeps its language.

Sphinx adds roles and directives plain docutils does not know. Each one a file uses is
registered before parsing, by what it means to a reader: a cross reference (``:ref:``,
``:term:``, ``:numref:``) reads as its title; ``:doc:`` is a link to that lesson (prerequisite
evidence, like a Markdown link); an API role (``:func:``, ``:class:``) is inline code;
``code-block`` and its kin are code with their language; navigation and generated API pages
(``toctree``, ``automodule``, ``literalinclude``, ``index``) are dropped; any other directive
(``seealso``, ``versionadded``, ``only``, ``glossary``, ``tab``) keeps its content as text.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive

from .document import Document
from .errors import IngestError

_DIRECTIVE = re.compile(r"^\s*\.\.\s+([\w:.+-]+)::", re.MULTILINE)
_ROLE = re.compile(r"(?<![\w`]):([\w:.+-]+):`")
# directives whose output is navigation, generated API text or a file elsewhere: nothing to read
_DROPPED = {"toctree", "literalinclude", "index", "highlight", "currentmodule", "module", "tabularcolumns",
            "plot", "bibliography", "autosummary", "automodule", "autoclass", "autofunction", "automethod",
            "autoattribute", "autodata", "autoexception", "program", "option", "envvar", "py:module",
            "py:currentmodule", "sectionauthor", "codeauthor", "moduleauthor", "meta", "raw", "include"}
_CODE = {"code-block", "sourcecode", "ipython", "jupyter-execute", "doctest", "testcode", "code-cell",
         "testsetup", "jupyter-input", "nbplot"}
# roles that name code: inline code; :doc: links a lesson; the others read as their title
_CODE_ROLES = re.compile(r"^(?:py:|cpp:|c:|js:)?(?:func|class|meth|mod|attr|obj|data|const|exc|type|member|"
                         r"command|file|kbd|samp|program|option|envvar|code|literal)$")
_PRE_LANG = re.compile(r'<pre class="([^"]*)" lang="([\w+#.-]+)"')
_TITLED = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.DOTALL)
_SETTINGS = {"report_level": 5, "halt_level": 5, "file_insertion_enabled": False, "raw_enabled": False,
             "syntax_highlight": "none", "math_output": "LaTeX", "warning_stream": False, "input_encoding": "unicode",
             "output_encoding": "unicode", "embed_stylesheet": False, "stylesheet_path": "", "doctitle_xform": True,
             "sectsubtitle_xform": False, "_disable_config": True}


def parse_rst(source: str, doc_path: str, *, file_dir: Path | None = None, root: Path | None = None) -> Document:
    from docutils.core import publish_doctree, publish_from_doctree
    from docutils.writers.html5_polyglot import Writer as Html5Writer
    from docutils.utils import SystemMessage

    from .html import parse_html

    _register(source)
    source = _unwrap_conditionals(source)
    _HERE.set(file_dir)
    try:
        tree = publish_doctree(source, source_path=doc_path, settings_overrides=_SETTINGS)
    except (SystemMessage, ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        raise IngestError(doc_path, f"the reStructuredText could not be read ({exc.__class__.__name__}: "
                                    f"{str(exc)[:120]}); check the markup near the line it names") from exc
    for node in list(tree.findall(nodes.system_message)):
        node.parent.remove(node)  # docutils' own complaints are not lesson text
    for node in list(tree.findall(nodes.docinfo)):  # authors, dates: about the page, not lesson text
        node.parent.remove(node)
    for node in list(tree.findall(nodes.field_list)):  # ":color: the color of the object": settings, not terms
        _replace(node, nodes.container("", *[_field_paragraph(f) for f in node.children if isinstance(f, nodes.field)]))
    for node in list(tree.findall(nodes.definition_list)):
        if next(node.findall(nodes.classifier), None) is not None:  # "tol : float": parameters
            _replace(node, nodes.container("", *[_field_paragraph(i) for i in node.children
                                                 if isinstance(i, nodes.definition_list_item)]))
    for node in list(tree.findall(nodes.problematic)):
        _replace(node, nodes.Text(node.astext()))
    for node in list(tree.findall(nodes.math)):
        _replace(node, nodes.Text(f"${node.astext()}$"))
    for node in list(tree.findall(nodes.math_block)):
        _replace(node, nodes.paragraph(text=f"$${node.astext().strip()}$$"))
    for node in list(tree.findall(nodes.Admonition)):  # a note's text is lesson text; its label ("Note") is not
        _replace(node, nodes.container("", *[c for c in node.children if not isinstance(c, nodes.title)]))
    for node in tree.findall(nodes.literal_block):
        lang = node.get("language") or next((c for c in node.get("classes", []) if c not in ("code", "literal-block")), "")
        node["classes"] = [f"language-{lang}"] if lang else []  # written as lang="..." (see _PRE_LANG)
    html = publish_from_doctree(tree, writer=Html5Writer(), settings_overrides=_SETTINGS)
    html = html if isinstance(html, str) else html.decode("utf-8")
    html = _PRE_LANG.sub(r'<pre class="\1 language-\2"', html)  # the writer names a block's language in lang=
    doc = parse_html(html, doc_path, file_dir=file_dir, root=root)
    doc.kind = "rst"
    # the page's own title; with none, docutils titles the HTML with the file's path
    doc.title = str(tree.get("title") or "").strip() or next((sec.heading for sec in doc.sections if sec.heading), "") \
        or Path(doc_path).stem
    return doc


_CONDITIONAL = re.compile(r"^([ \t]*)\.\.[ \t]+(?:only|ifconfig)::[^\n]*\n((?:\1[ \t]+[^\n]*\n|[ \t]*\n)*)", re.MULTILINE)


def _unwrap_conditionals(source: str) -> str:
    """``.. only:: html`` (or ``ifconfig``) around a page: its content, dedented, so titles and
    sections inside it stay the page's (a directive's body may hold no section)."""
    def unwrap(m: re.Match) -> str:
        lines = m.group(2).splitlines(keepends=True)
        indents = [len(ln) - len(ln.lstrip()) for ln in lines if ln.strip()]
        cut = min(indents) if indents else 0
        return m.group(1) + "\n" + "".join(ln[cut:] if ln.strip() else ln for ln in lines)
    return _CONDITIONAL.sub(unwrap, source)


def _field_paragraph(item):
    """A field (":color: the colour of the object") or a typed parameter ("tol : float" + its
    description) as one plain paragraph: "color: the colour of the object"."""
    name = item.next_node(nodes.field_name) or item.next_node(nodes.term)
    kind = item.next_node(nodes.classifier)
    body = item.next_node(nodes.field_body) or item.next_node(nodes.definition)
    head = (name.astext() if name is not None else "") + (f" ({kind.astext()})" if kind is not None else "")
    return nodes.paragraph(text=f"{head}: {' '.join((body.astext() if body is not None else '').split())}")


def _replace(node, new) -> None:
    """``node`` replaced by ``new``; its ids and names (a target's anchor) go with it."""
    for att in ("ids", "names", "classes", "dupnames", "backrefs"):
        if att in node.attributes:
            node[att] = []
    node.replace_self(new)


def _register(source: str) -> None:
    """Register the roles and directives ``source`` uses that docutils does not know."""
    from docutils.parsers.rst import directives, roles

    for name in {n.lower() for n in _DIRECTIVE.findall(source)}:
        if name not in directives._directive_registry and name not in directives._directives:  # noqa: SLF001
            directives.register_directive(name, _Dropped if name in _DROPPED else _Code if name in _CODE else _Content)
    for name in {n.lower() for n in _ROLE.findall(source)}:
        if name not in roles._role_registry and name not in roles._roles:  # noqa: SLF001
            roles.register_local_role(name, _role)


_HERE: ContextVar[Path | None] = ContextVar("rst_file_dir", default=None)  # the file's folder, for :doc: titles
_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+.:_])\1{2,}\s*$")


def _doc_title(uri: str) -> str:
    """What Sphinx shows for ``:doc:`trees``: the linked page's first title, else its name."""
    here = _HERE.get()
    name = Path(uri).stem.replace("-", " ").replace("_", " ")
    if here is None:
        return name
    try:
        lines = (here / uri).read_text(encoding="utf-8", errors="replace").splitlines()[:60]
    except OSError:
        return name
    for a, b in zip(lines, lines[1:]):
        if a.strip() and not _UNDERLINE.match(a) and _UNDERLINE.match(b) and len(b.strip()) >= len(a.strip()):
            return a.strip()
    return name


def _role(name, rawtext, text, lineno, inliner, options=None, content=None):
    from docutils.utils import unescape

    text = unescape(text)
    m = _TITLED.match(text)
    title, target = (m.group(1).strip(), m.group(2).strip()) if m else (text.strip(), text.strip())
    title = title.lstrip("~!")
    if name == "doc":
        uri = target if target.endswith(".rst") else f"{target}.rst"
        return [nodes.reference(rawtext, title if m else _doc_title(uri), refuri=uri)], []
    if _CODE_ROLES.match(name):
        return [nodes.literal(rawtext, title.split(".")[-1] if text.startswith("~") else title)], []
    return [nodes.Text(title)], []


class _AnyOptions(dict):
    """An option spec that takes every option as text (Sphinx directives take many)."""

    def __contains__(self, key) -> bool:
        return True

    def __getitem__(self, key):
        return lambda value: value or ""

    def get(self, key, default=None):
        return self[key]


class _Base(Directive):
    has_content = True
    optional_arguments = 10
    final_argument_whitespace = True
    option_spec = _AnyOptions()


class _Dropped(_Base):
    """Navigation, generated API text or a file from elsewhere: nothing a student reads here."""

    def run(self):
        return []


class _Code(_Base):
    """``code-block:: python`` and its kin: a literal block with its language."""

    def run(self):
        lang = self.arguments[0].split()[0] if self.arguments else ("python" if "python" in self.name else "")
        text = "\n".join(self.content)
        node = nodes.literal_block(text, text)
        if lang:
            node["language"] = lang
        return [node]


class _Content(_Base):
    """Any other directive: its argument (unless a version number) and content, as text."""

    def run(self):
        box = nodes.container()
        said = " ".join(self.arguments)
        if said and not re.fullmatch(r"[\d.\s]+", said):  # "seealso:: the chapter on trees"; not "versionadded:: 2.0"
            box += nodes.paragraph(text=said)
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]

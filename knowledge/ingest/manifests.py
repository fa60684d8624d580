"""Reading order from a book's build manifest.

Publishing tools list a course's chapters in order in a YAML file next to them: Quarto
(``_quarto.yml``: ``book: chapters: [index.qmd, intro.qmd, ...]``), Jupyter Book (``_toc.yml``:
``file: intro``), bookdown (``_bookdown.yml``: ``rmd_files``), MkDocs (``mkdocs.yml``: ``nav: -
Home: index.md``, paths under ``docs/``), the Hugging Face doc-builder (``_toctree.yml``:
``local: chapter1/1``), MyST (``myst.yml``) and Sphinx (``index.rst``: its ``.. toctree::`` entries, and
theirs in turn, depth first) and Nextra (``_meta.json`` or ``_meta.en.json`` in each folder: its pages and
sub-folders in menu order, depth first). Whatever the schema, the manifest's strings that
name a lesson file of the course — with or without its extension, relative to the manifest's
folder — are that course's reading order. A manifest naming fewer than three lessons is not one.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

import yaml

from .curriculum import Curriculum, CurriculumEntry, lesson_id_for

MANIFESTS = ("_quarto.yml", "_quarto.yaml", "_toc.yml", "_toctree.yml", "_bookdown.yml", "mkdocs.yml",
             "mkdocs.yaml", "myst.yml", "index.rst")
_EXTENSIONS = ("", ".md", ".mdx", ".qmd", ".rmd", ".ipynb", ".markdown", ".html", ".htm", ".txt", ".pdf", ".rst")
TOCTREE = re.compile(r"^([ \t]*)\.\.\s+toctree::[^\n]*\n((?:\1[ \t]+[^\n]*\n|[ \t]*\n)*)", re.MULTILINE)
_MAX_DEPTH = 3  # manifests sit at the course root or a few folders down (chapters/en/_toctree.yml)
MIN_ENTRIES = 3
# a Nextra menu: "_meta.json", or one language's, "_meta.en.json"
NEXTRA_META = re.compile(r"^_meta(\.[A-Za-z]{2}(?:[-_][A-Za-z]{2,4})?)?\.json$")
_PAGE_SUFFIXES = (".md", ".mdx", ".markdown", ".ipynb")


class _Lenient(yaml.SafeLoader):
    """A safe loader that reads unknown tags (MkDocs' ``!!python/name:...``, ``!ENV``) as plain values."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_Lenient.add_multi_constructor("", _any_tag)
_Lenient.add_multi_constructor("!", _any_tag)
_Lenient.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def _strings(node: object, title: str = "") -> Iterator[tuple[str, str]]:
    """Every string of a YAML tree in document order, mapping keys included (``- Home: index.md``),
    each with the title its mapping gives (``local: chapter2/2``, ``title: Behind the pipeline``;
    MkDocs' ``Home: index.md``)."""
    if isinstance(node, str):
        yield node, title
    elif isinstance(node, dict):
        own = node.get("title")
        own = own.strip() if isinstance(own, str) else ""
        for k, v in node.items():
            if isinstance(k, str):
                yield k, own
            named = isinstance(k, str) and isinstance(v, str) and len(node) == 1 and not re.fullmatch(r"[a-z_-]+", k)
            yield from _strings(v, own or (k if named else ""))  # "Home: index.md", not "local: chapter1/2"
    elif isinstance(node, list):
        for x in node:
            yield from _strings(x)


def _toctree(page: Path, base: Path, depth: int = 0, seen: set[Path] | None = None) -> list[str]:
    """The documents a Sphinx page's ``.. toctree::`` directives list, each followed by those its
    own toctrees list (depth first: the book's reading order), as paths relative to ``base``;
    entries are "path" or "Title <path>", options (``:maxdepth: 2``) and ``self`` skipped."""
    seen = seen if seen is not None else set()
    if depth > _MAX_DEPTH or page in seen:
        return []
    seen.add(page)
    try:
        text = page.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    out: list[str] = []
    for m in TOCTREE.finditer(text):
        for line in m.group(2).splitlines():
            entry = line.strip()
            if not entry or entry.startswith(":") or entry == "self" or "*" in entry:
                continue
            named = re.match(r"^.*<([^<>]+)>$", entry)
            entry = (named.group(1) if named else entry).strip().removesuffix(".rst")
            if "://" in entry:
                continue
            target = (page.parent / entry) if not entry.startswith("/") else (base / entry.lstrip("/"))
            out.append(PurePosixPath(os.path.relpath(target, base)).as_posix())
            out += _toctree(target.with_suffix(".rst"), base, depth + 1, seen)
    return out


def _nextra_order(folder: Path, base: Path, lang: str, depth: int = 0) -> list[str]:
    """The pages of a Nextra site under ``folder`` in menu order, as paths relative to ``base``: the
    keys of the folder's ``_meta`` file (``lang``: its language part, ".en" or ""), each a page
    (``key.en.mdx``, ``key.mdx``) then, for a sub-folder, its own pages; pages the menu leaves out come
    after it, by name."""
    if depth > _MAX_DEPTH:
        return []
    meta = next((m for m in (folder / f"_meta{lang}.json", folder / "_meta.json") if m.is_file()), None)
    keys: list[str] = []
    if meta is not None:
        try:
            data = json.loads(meta.read_text(encoding="utf-8", errors="replace"))
        except (OSError, ValueError):
            data = {}
        keys = [k for k in data if isinstance(k, str)] if isinstance(data, dict) else []
    try:
        names = sorted(p.name for p in folder.iterdir() if not p.name.startswith((".", "_")))
    except OSError:
        return []
    stems = [n.split(".", 1)[0] for n in names]
    out: list[str] = []
    for key in dict.fromkeys(keys + stems):
        for name in names:
            page = folder / name
            if page.is_file() and name.split(".", 1)[0] == key and name.lower().endswith(_PAGE_SUFFIXES) and (
                    not lang or f"{lang}." in name or name.count(".") == 1):
                out.append(PurePosixPath(os.path.relpath(page, base)).as_posix())
        if (folder / key).is_dir():
            out += _nextra_order(folder / key, base, lang, depth + 1)
    return out


def find_manifests(roots: Iterable[Path]) -> list[tuple[Path, Path]]:
    """(manifest, its ingest root) for each manifest under ``roots``, shallowest first."""
    found: list[tuple[int, str, Path, Path]] = []
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            depth = len(Path(dirpath).relative_to(root).parts)
            keep = depth < _MAX_DEPTH
            dirnames[:] = sorted(d for d in dirnames if keep and not d.startswith((".", "_", "node_modules")))
            for name in filenames:
                if name.lower() in MANIFESTS or NEXTRA_META.match(name):
                    found.append((depth, str(Path(dirpath) / name), Path(dirpath) / name, root))
    return [(p, r) for _, _, p, r in sorted(found)]


def manifest_curriculum(manifest: Path, root: Path, known: Iterable[str]) -> Curriculum | None:
    """The reading order a manifest gives the lessons ``known`` (root-relative posix paths of
    the files being ingested); None when it names fewer than :data:`MIN_ENTRIES` of them or is
    not YAML."""
    try:
        nextra = NEXTRA_META.match(manifest.name)
        data = (_toctree(manifest, manifest.parent) if manifest.suffix == ".rst"
                else _nextra_order(manifest.parent, manifest.parent, nextra.group(1) or "") if nextra
                else yaml.load(manifest.read_text(encoding="utf-8", errors="replace"), Loader=_Lenient))  # noqa: S506
    except (OSError, yaml.YAMLError):
        return None
    by_lower = {k.lower(): k for k in known}
    base = PurePosixPath(manifest.parent.relative_to(root).as_posix())
    bases = [base, base / "docs"] if manifest.name.startswith("mkdocs") else [base]
    order: list[str] = []
    titles: dict[str, str] = {}
    for s, title in _strings(data):
        s = s.strip()
        if not s or "://" in s or len(s) > 300 or "\n" in s:
            continue
        s = s.split("#", 1)[0].lstrip("./").lstrip("/") if not s.startswith("../") else s
        hit = None
        for b in bases:
            stem = PurePosixPath(os.path.normpath(str(b / s))).as_posix() if s else ""
            for cand in [stem + ext for ext in _EXTENSIONS] + [f"{stem}/index{ext}" for ext in _EXTENSIONS[1:]]:
                if cand.lower() in by_lower:
                    hit = by_lower[cand.lower()]
                    break
            if hit:
                break
        if hit and hit not in order:
            order.append(hit)
            titles[hit] = title
    if len(order) < MIN_ENTRIES:
        return None
    # an entry without a title of its own keeps its document's title ("" here)
    entries = [CurriculumEntry(number=n, title=titles[p], lesson_ids=(lesson_id_for(p),),
                               unit=PurePosixPath(p).parent.name, position=float(n))
               for n, p in enumerate(order, 1)]
    return Curriculum(entries=entries, source=f"book manifest {manifest.relative_to(root).as_posix()}")

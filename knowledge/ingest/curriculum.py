"""Lesson order of a course: lesson ids from file paths, numbers from numbered folder/file
names, and the lesson table of a course README (a curriculum)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import networkx as nx

from .document import one_line
from .markdown import _MD, resolve_link

_DOTTED = re.compile(r"^\d+(?:\.\d+)*")
_NUMBERED = re.compile(r"^(?:(\d+)|([A-Za-z])(\d+))(?:[-_. ]|$)")
_SUPPORT_DIRS = {"lab", "labs", "assignment", "assignments", "solution", "solutions", "images", "img", "data",
                 "notebooks", "exercises", "src", "code"}


@dataclass(frozen=True)
class CurriculumEntry:
    number: int
    title: str
    lesson_ids: tuple[str, ...]
    unit: str = ""
    position: float = 0.0
    overview: bool = False  # an index that lists the lessons after it (a chapter's toc page)


@dataclass
class Curriculum:
    """The lesson order of a course, from the lesson table of its README."""

    entries: list[CurriculumEntry] = field(default_factory=list)
    source: str = ""

    def position(self, lesson_id: str) -> float | None:
        for e in self.entries:
            if lesson_id in e.lesson_ids:
                return e.position
        return None

    def entry(self, lesson_id: str) -> CurriculumEntry | None:
        return next((e for e in self.entries if lesson_id in e.lesson_ids), None)


# ---------------------------------------------------------------------------------------------
# lesson ids and order


def lesson_id_for(path: str) -> str:
    """The lesson a root-relative file belongs to: its deepest numbered folder
    (``lessons/3-NeuralNetworks/04-OwnFramework/lab/README.md`` →
    ``lessons/3-NeuralNetworks/04-OwnFramework``), a numbered file without its extension
    (``course/03-perceptron.md`` → ``course/03-perceptron``), else the file without extension."""
    p = PurePosixPath(path.split("#", 1)[0])
    parts = list(p.parts)
    if not parts:
        return ""
    if _NUMBERED.match(p.stem) and p.suffix:
        return str(p.with_suffix(""))
    dirs = parts[:-1]
    for j in range(len(dirs) - 1, -1, -1):
        if _NUMBERED.match(dirs[j]) and dirs[j].lower() not in _SUPPORT_DIRS:
            return "/".join(dirs[: j + 1])
    return str(p.with_suffix(""))


def order_from_path(lesson_id: str) -> tuple[float, ...] | None:
    """Numbers of the numbered parts of a lesson id: ``.../3-NeuralNetworks/04-OwnFramework``
    → (3, 4), a chapter and section number ``notebooks/05.06-Linear-Regression`` → (5, 6);
    letter-prefixed parts (``X1-MultiModal``) come after all numbered ones."""
    nums: list[float] = []
    for part in PurePosixPath(lesson_id).parts:
        m = _NUMBERED.match(part)
        if m:
            nums.append(float(m.group(1)) if m.group(1) else 1000.0 + float(m.group(3)))
            if m.group(1):  # "05.06-...": the section's number after its chapter's
                nums += [float(x) for x in re.findall(r"\.(\d+)", _DOTTED.match(part).group(0))]
        elif nums or re.match(r"^[A-Za-z]+-", part):
            if re.match(r"^[A-Z]-", part):  # "X-Extras": an unnumbered unit after the rest
                nums.append(1000.0)
    return tuple(nums) or None


def parse_curriculum(readme_path: Path | str, root: Path | str | None = None) -> Curriculum:
    """Lesson order from a course README's lesson table: rows whose first cell is a number are
    lessons (in that order), rows with a roman numeral are units. Links in a row name its
    lessons (paths resolved relative to the README, as lesson ids relative to ``root``, by
    default the README's folder)."""
    readme = Path(readme_path)
    base = Path(root) if root is not None else readme.parent
    rel_dir = readme.parent.resolve().relative_to(base.resolve()).as_posix() if readme.parent.resolve() != base.resolve() else ""
    text = readme.read_text(encoding="utf-8", errors="replace")
    tokens = _MD.parse(text)
    rows: list[list[tuple[str, list[str]]]] = []
    row: list[tuple[str, list[str]]] | None = None
    for tok in tokens:
        if tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close" and row is not None:
            rows.append(row)
            row = None
        elif tok.type == "inline" and row is not None:
            parts: list[str] = []
            links: list[str] = []
            for ch in tok.children or []:
                if ch.type in ("text", "code_inline"):
                    parts.append(ch.content)
                elif ch.type == "link_open":
                    links.append(str(ch.attrs.get("href", "")))
            row.append((one_line("".join(parts)), links))
    entries: list[CurriculumEntry] = []
    pending_unit: tuple[str, tuple[str, ...]] | None = None
    unit = ""
    doc_path = f"{rel_dir}/README.md" if rel_dir else "README.md"
    for cells in rows:
        if len(cells) < 2:
            continue
        first, title_cell = cells[0][0].strip(), cells[1]
        ids = tuple(dict.fromkeys(
            lesson_id_for(resolve_link(h, doc_path)) for h in title_cell[1]
            if h and not re.match(r"^[a-z]+:", h) and not resolve_link(h, doc_path).startswith("..")
        ))
        if re.fullmatch(r"\d+", first):
            n = int(first)
            entries.append(CurriculumEntry(number=n, title=title_cell[0], lesson_ids=ids, unit=unit, position=float(n)))
            if pending_unit is not None:
                uname, uids = pending_unit
                if uids:
                    entries.append(CurriculumEntry(number=-1, title=uname, lesson_ids=uids, unit=uname, position=n - 0.5))
                pending_unit = None
        elif re.fullmatch(r"[IVXLC]+", first):
            unit = title_cell[0].strip("* ")
            pending_unit = (unit, ids)
    lesson_rows = {lid for e in entries if e.number >= 0 for lid in e.lesson_ids}
    entries = [e for e in entries if e.number >= 0 or not set(e.lesson_ids) & lesson_rows]
    entries.sort(key=lambda e: e.position)
    return Curriculum(entries=entries, source=str(readme))


# ---------------------------------------------------------------------------------------------
# toc blocks (Sphinx/MyST, d2lbook): each index file lists its sections in reading order

TOC_BLOCK = _TOC = re.compile(r"^\s{0,3}(`{3,}|~{3,})\s*\{?toc(?:tree)?\}?[^\n]*\n(?P<body>.*?)^\s{0,3}\1\s*$", re.M | re.S)
_LABEL = re.compile(r":(?:eq)?label:`([^`]+)`")
_REF = re.compile(r":(?:numref|ref|eqref)`([^`]+)`|:(?:numref|ref|eqref):`([^`]+)`")


def toc_entries(text: str, doc_path: str, known: set[str]) -> list[str]:
    """The files a document's ``toc`` blocks list, in order, as root-relative paths among
    ``known`` (an entry may omit the ``.md`` extension; options such as ``:maxdepth:`` and
    captions are skipped)."""
    out: list[str] = []
    for m in _TOC.finditer(text):
        for line in m.group("body").splitlines():
            entry = line.strip()
            if not entry or entry.startswith((":", "#")):
                continue
            entry = re.sub(r"^.*<(.+)>$", r"\1", entry)  # "Title <path>"
            target = resolve_link(entry, doc_path)
            for cand in (target, f"{target}.md", f"{target}.ipynb", f"{target}/index.md"):
                if cand in known and cand not in out:
                    out.append(cand)
                    break
    return out


def toc_curriculum(texts: dict[str, str]) -> Curriculum | None:
    """Reading order from ``toc`` blocks: ``texts`` maps root-relative Markdown paths to their
    source. An index file comes first, then what its toc lists, depth first. Top-level indexes
    that no toc lists (the chapters of a book whose root index is not given) are ordered by
    their cross-references: a chapter whose sections are referred to (``:numref:``) from
    another chapter more than it refers to that chapter comes first. None when no file has a
    toc block."""
    known = set(texts)
    children = {p: toc_entries(t, p, known) for p, t in texts.items()}
    children = {p: cs for p, cs in children.items() if cs}
    if not children:
        return None
    listed = {c for cs in children.values() for c in cs}
    roots = sorted(p for p in children if p not in listed)

    def subtree(p: str, seen: set[str]) -> list[str]:
        out = [p]
        seen.add(p)
        for c in children.get(p, []):
            if c not in seen:
                out += subtree(c, seen)
        return out

    trees = {r: subtree(r, set()) for r in roots}
    labels = {r: {lab for p in tree for lab in _LABEL.findall(texts[p])} for r, tree in trees.items()}
    refs = {r: [x for p in tree for x in _backward_refs(texts[p])] for r, tree in trees.items()}
    rank = _order_by_references(roots, labels, refs)
    entries: list[CurriculumEntry] = []
    n = 0
    for r in rank:
        unit = _first_heading(texts[r]) or PurePosixPath(r).parent.name
        for p in trees[r]:
            n += 1
            entries.append(CurriculumEntry(number=n, title=_first_heading(texts[p]) or PurePosixPath(p).stem,
                                           lesson_ids=(lesson_id_for(p),), unit=unit, position=float(n),
                                           overview=p in children))
    return Curriculum(entries=entries, source="toc blocks")


def _order_by_references(roots: list[str], labels: dict[str, set[str]], refs: dict[str, list[str]]) -> list[str]:
    """Top-level parts in an order that respects their backward cross-references: B after A
    when B refers to A's labels more often than A to B's (a cycle loses its weakest link);
    among parts free to go next, the most referred-to (net) first, then by name."""
    g = nx.DiGraph()
    g.add_nodes_from(roots)
    net = {r: 0 for r in roots}
    for a in roots:
        for b in roots:
            if a == b:
                continue
            b_to_a = sum(1 for x in refs[b] if x in labels[a])
            a_to_b = sum(1 for x in refs[a] if x in labels[b])
            net[a] += b_to_a - a_to_b
            if b_to_a > a_to_b:
                g.add_edge(a, b, weight=b_to_a - a_to_b)
    while True:
        try:
            cycle = nx.find_cycle(g)
        except nx.NetworkXNoCycle:
            break
        u, v = min(cycle[:], key=lambda e: (g.edges[e[0], e[1]]["weight"], e))[:2]
        g.remove_edge(u, v)
    return list(nx.lexicographical_topological_sort(g, key=lambda r: (-net[r], r)))


# a sentence that looks ahead ("as we will see in ...", "the next chapter") says nothing about
# what came before: shared by chapter ordering and the prerequisite signals
LOOKS_AHEAD = re.compile(r"\b(?:will|shall|later|subsequent(?:ly)?|going\s+to|upcoming|forthcoming|"
                         r"next\s+(?:section|chapter|lesson|unit)|defer|postpone)\b", re.IGNORECASE)


def _backward_refs(text: str) -> list[str]:
    """Targets of the cross-references in ``text`` whose sentence does not look ahead ("as we
    will see in :numref:`x`" says nothing about what came before)."""
    out: list[str] = []
    for m in _REF.finditer(text):
        start = max(text.rfind(". ", 0, m.start()), text.rfind("\n\n", 0, m.start()))
        end = min((i for i in (text.find(". ", m.end()), text.find("\n\n", m.end())) if i >= 0), default=len(text))
        if not LOOKS_AHEAD.search(text[start + 1:m.start()] + " " + text[m.end():end]):
            out.append(m.group(1) or m.group(2))
    return out


def _first_heading(text: str) -> str:
    m = re.search(r"^#\s+(.+?)\s*#*\s*$", text, re.M)
    return one_line(m.group(1)) if m else ""

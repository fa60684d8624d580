"""Courses published with Quarto / R Markdown (``.qmd``, ``.Rmd``), MyST and MDX (``.mdx``) read
as a student sees the rendered page: callouts, attributes, cross references, citations,
components and other frameworks' branches never reach a concept, a definition or an example.
The lesson text here is written for these tests."""

from __future__ import annotations

from pathlib import Path

from knowledge.ingest import extract_concepts, parse_file
from knowledge.ingest.lessons import lesson_id_for
from knowledge.ingest.manifests import find_manifests, manifest_curriculum
from knowledge.ingest.pipeline import ingest_paths
from knowledge.ingest.prereqs import LessonExtraction, infer_prerequisites
from knowledge.models import PREREQUISITE
from knowledge.ingest.site_markup import chunk_options, mdx_to_markdown, pandoc_to_commonmark

QUARTO = """---
title: "Tidy data"
format: html
---

# Tidy data {#sec-tidy-data .unnumbered}

::: callout-note
## Prerequisites

This chapter uses the **tidyr** package; see @sec-workflow-basics and [@wickham2014; @other2020].
:::

```{r}
#| label: setup
#| message: false
library(tidyverse)
```

**Tidy data** is a table where every variable is a column and every observation is a row, as
@wickham2014 put it. [Three rules]{.underline} make a dataset tidy, shown in @fig-tidy. {{< video https://example.org/tidy >}}
@fig-tidy draws the `r nrow(table1)` rows of `table1`. A column holds one variable (@fig-columns), and a
row one observation, @fig-rows.

```{r}
#| fig-alt: >
#|   Three panels, each showing
#|   one rule of tidy data.
#| echo: false
knitr::include_graphics("images/tidy.png")
```

```{=html}
<iframe src="https://example.org/widget"></iframe>
```

```{r setup-hidden, include=FALSE}
options(width = 70)
```

```{r}
table1 |>
  mutate(rate = cases / population * 10000)
```

## Pivoting {#sec-pivoting}

**Pivoting** is the reshaping of a table between a long and a wide form[^long], as [Chapter -@sec-tidy-data]
showed.

[^long]: A long form has more rows, a wide form more columns.
"""


def test_a_quarto_chapter_reads_as_its_rendered_page(tmp_path: Path) -> None:
    (tmp_path / "tidy.qmd").write_text(QUARTO, encoding="utf-8")
    doc = parse_file(tmp_path / "tidy.qmd", tmp_path)
    assert doc.title == "Tidy data"
    assert [s.heading for s in doc.sections] == ["Tidy data", "Pivoting"]  # the callout's title is no section
    assert doc.sections[0].labels == ["sec-tidy-data"] and doc.sections[1].labels == ["sec-pivoting"]
    text = " ".join(b.text for s in doc.sections for b in s.blocks)
    for markup in (":::", "{#", "{.", "@", "[@", "{{<", "#|", "[^", "more rows", "Chapter"):
        assert markup not in text, markup  # footnotes are not lesson text
    assert "see the section on workflow basics" in text and "Wickham (2014) put it" in text
    assert "Three rules make a dataset tidy, shown in the figure. The figure draws the rows of table1." in text
    assert "A column holds one variable, and a row one observation." in text  # a reference set aside goes
    assert "a long and a wide form, as the section on tidy data showed." in text
    codes = [cb for s in doc.sections for cb in s.code_blocks]
    # the hidden chunks (echo: false, include=FALSE) are not on the page; option lines go
    assert [(cb.language, cb.text.split("\n")[0]) for cb in codes] == [
        ("r", "library(tidyverse)"), ("r", "table1 |>")]
    cs = {c.title: c for c in extract_concepts(doc, "tidy")}
    assert cs["Tidy data"].definition.startswith("Tidy data is a table where every variable is a column")
    assert "Pivoting" in cs and not any("{" in t or "Prerequisites" == t for t in cs)


def test_a_cross_reference_to_a_labelled_section_is_a_prerequisite(tmp_path: Path) -> None:
    lessons = {
        "01-vectors.qmd": "# Vectors {#sec-vectors}\n\nA **vector** is an ordered list of numbers that share one type.\n",
        "02-matrices.qmd": ("# Matrices {#sec-matrices}\n\nA **matrix** is a grid of numbers in rows and columns. Each row"
                            " of a matrix is a vector, as in @sec-vectors.\n"),
    }
    out = []
    for name, text in lessons.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        doc = parse_file(tmp_path / name, tmp_path)
        lid = lesson_id_for(doc.path)
        out.append(LessonExtraction(lid, doc, extract_concepts(doc, lid)))
    edges = {(e.src, e.dst): e.evidence for e in infer_prerequisites(out)}
    assert edges[("vector", "matrix")].startswith("cross-reference in 02-matrices.qmd § Matrices to 01-vectors.qmd")
    assert "the section on vectors" in edges[("vector", "matrix")]  # (without the label, no edge: tried)


MDX = """import Tip from "../components/Tip.svelte"
export const metadata = {
  title: "Tokenizers",
}

<FrameworkSwitchCourse {fw} />

# Tokenizers[[tokenizers]]

{#if fw === 'pt'}

<CourseFloatingBanner chapter={2}
  classNames="absolute z-10 right-0 top-0"
  notebooks={[
    {label: "Colab", value: "https://example.org/pt.ipynb"},
]} />

{:else}

<CourseFloatingBanner chapter={2} notebooks={[{label: "Colab", value: "https://example.org/tf.ipynb"}]} />

{/if}

<Youtube id="abc123"/>

A **tokenizer** is the component that splits raw text into tokens and maps each token to an integer id.{" "}

<Tip>

✏️ Try it with a sentence of your own!

</Tip>

{#if fw === 'pt'}
```py
ids = tokenizer("Hello there", return_tensors="pt")["input_ids"]
```
{:else}
```py
ids = tokenizer("Hello there", return_tensors="tf")["input_ids"]
```
{/if}

```python out
[101, 7592, 2045, 102]
```

```py trace
KeyError: 'input_ids'
```

> [!TIP]
> Batches are padded to their longest sequence.

## Padding[[padding]]

<frameworkcontent>
<pt>
**Padding** is the filling of shorter sequences with a special token so that a batch forms one tensor.
</pt>
<tf>
**Padding** is what makes a batch rectangular for Keras.
</tf>
</frameworkcontent>

<Question
\tchoices={[
\t\t{
\t\t\ttext: "A tokenizer trains the model",
\t\t\texplain: "No: it only prepares <code>input_ids</code>.",
\t\t\tcorrect: false
\t\t},
\t]}
/>
"""


def test_an_mdx_lesson_keeps_its_prose_and_the_chosen_frameworks_code(tmp_path: Path) -> None:
    (tmp_path / "2.mdx").write_text(MDX, encoding="utf-8")
    doc = parse_file(tmp_path / "2.mdx", tmp_path, framework="pytorch")
    assert doc.title == "Tokenizers" and [s.heading for s in doc.sections] == ["Tokenizers", "Padding"]
    text = " ".join(b.text for s in doc.sections for b in s.blocks)
    for markup in ("import", "export", "<", "{", "Colab", "Question", "trains the model", "Keras"):
        assert markup not in text, markup
    assert "Try it with a sentence of your own!" in text  # a container's content stays
    assert "Batches are padded to their longest sequence." in text and "[!" not in text
    [code] = [cb for s in doc.sections for cb in s.code_blocks]  # output and trace blocks are not code
    assert code.language == "python" and 'return_tensors="pt"' in code.text
    cs = {c.title: c for c in extract_concepts(doc, "2")}
    assert cs["Tokenizer"].definition.startswith("A tokenizer is the component that splits raw text")
    assert cs["Padding"].definition.startswith("Padding is the filling of shorter sequences")

    tf = parse_file(tmp_path / "2.mdx", tmp_path, framework="tensorflow")
    [code] = [cb for s in tf.sections for cb in s.code_blocks]
    assert 'return_tensors="tf"' in code.text
    assert "Keras" in " ".join(b.text for s in tf.sections for b in s.blocks)


def test_a_md_page_with_components_is_read_as_mdx(tmp_path: Path) -> None:
    """The Hugging Face doc-builder renders ``.md`` pages with components as MDX: a banner component
    over several lines is no paragraph of its attributes, a ``<Tip>`` keeps its content; a ``.md``
    whose only "components" sit in a code fence, or whose tags are HTML's, stays plain Markdown."""
    from knowledge.ingest.site_markup import MDX as MDX_DIALECT, dialect_of

    page = ("# DPO exercise\n\n<CourseFloatingBanner chapter={12}\n  classNames=\"absolute z-10\"\n"
            "  notebooks={[\n    {label: \"Google Colab\", value: \"https://colab.example/4.ipynb\"},\n]} />\n\n"
            "Direct preference optimization trains a model on pairs of preferred and rejected answers.\n\n"
            "<Tip>\n\nStart from an instruct model.\n\n</Tip>\n")
    (tmp_path / "3.md").write_text(page, encoding="utf-8")
    doc = parse_file(tmp_path / "3.md", tmp_path)
    text = " ".join(b.text for s in doc.sections for b in s.blocks)
    assert "classNames" not in text and "Colab" not in text and "CourseFloatingBanner" not in text, text
    assert text.startswith("Direct preference optimization trains") and "Start from an instruct model." in text
    assert dialect_of(".md", page) == MDX_DIALECT and dialect_of(".mdx", "plain") == MDX_DIALECT
    assert dialect_of(".md", "# Code\n\n```jsx\n<Button onClick={go} />\n```\n") == ""
    assert dialect_of(".md", "# Figure\n\n<img src=\"a.png\">\n<div align=\"center\">x</div>\n") == ""
    assert dialect_of(".qmd", page) == "quarto"


def test_a_framework_switch_no_framework_decides_keeps_its_first_branch() -> None:
    src = "{#if mode === 'full'}\nLong version.\n{:else}\nShort version.\n{/if}\n"
    assert mdx_to_markdown(src).split() == ["Long", "version."]
    assert mdx_to_markdown("Before.\n{/if}\nAfter.\n").split() == ["Before.", "After."]  # a stray close is markup too
    # a group without the preferred framework keeps its first framework's tab
    src = "<frameworkcontent>\n<tf>\nKeras text.\n</tf>\n<jax>\nJax text.\n</jax>\n</frameworkcontent>\n"
    assert "Keras text." in mdx_to_markdown(src, "pytorch") and "Jax" not in mdx_to_markdown(src, "pytorch")


def test_myst_admonitions_are_prose_and_code_cells_are_code(tmp_path: Path) -> None:
    src = ("# Loss functions\n\n```{note} A reminder\n:class: dropdown\nA **loss function** measures how far a prediction"
           " is from the target value.\n```\n\n```{code-cell} ipython3\nloss = ((pred - y) ** 2).mean()\n```\n")
    (tmp_path / "loss.md").write_text(src, encoding="utf-8")
    doc = parse_file(tmp_path / "loss.md", tmp_path)
    [sec] = doc.sections
    assert [b.text for b in sec.blocks] == ["A loss function measures how far a prediction is from the target value."]
    assert [(cb.language, cb.text) for cb in sec.code_blocks] == [("python", "loss = ((pred - y) ** 2).mean()")]


def test_plain_markdown_keeps_handles_and_code_keeps_its_markup() -> None:
    src = "Thanks to @octocat for the fix.\n\n```python\n# @sec-x in a comment, ::: and {#id}\n```\n"
    assert pandoc_to_commonmark(src) == src  # "@name" is a handle outside Quarto; code is untouched
    assert chunk_options("#| echo: true\nx <- 1") == ("x <- 1", True)
    assert chunk_options("x <- 1", "{r, echo=FALSE}") == ("x <- 1", False)


def _book(root: Path, manifest: str, name: str = "_quarto.yml") -> Path:
    # file names whose alphabetical order is *not* the reading order
    files = {
        "zeta-vectors.qmd": "# Vectors\n\nA **vector** is an ordered list of numbers that share one type.\n",
        "beta-matrices.qmd": "# Matrices\n\nA **matrix** is a grid of numbers where each row is a vector of the same length.\n",
        "alpha-tensors.qmd": "# Tensors\n\nA **tensor** is a matrix extended to any number of axes, such as a stack of matrices.\n",
    }
    root.mkdir(parents=True)
    for rel, text in files.items():
        (root / rel).write_text(text, encoding="utf-8")
    (root / name).write_text(manifest, encoding="utf-8")
    return root


def test_a_book_manifest_gives_the_reading_order(kb, tmp_path: Path) -> None:
    quarto = "project:\n  type: book\nbook:\n  title: Linear algebra\n  chapters:\n    - zeta-vectors.qmd\n" \
             "    - part: Grids\n      chapters:\n        - beta-matrices.qmd\n        - alpha-tensors.qmd\n"
    rep = ingest_paths(kb, [_book(tmp_path / "book", quarto)], course="book")
    assert rep.curriculum == "book manifest _quarto.yml"
    title = {cid: c.title for cid, c in kb.concepts().items()}
    edges = {(title[e.src], title[e.dst]) for e in kb.graph.edges() if e.kind == PREREQUISITE}
    assert ("Matrix", "Tensor") in edges  # tensors come after matrices: the definition builds on them


def test_without_a_manifest_the_same_book_has_no_reading_order(kb, tmp_path: Path) -> None:
    rep = ingest_paths(kb, [_book(tmp_path / "book", "not a manifest", "notes.txt")], course="book")
    assert rep.curriculum == ""
    title = {cid: c.title for cid, c in kb.concepts().items()}
    assert ("Matrix", "Tensor") not in {(title[e.src], title[e.dst]) for e in kb.graph.edges()}


def test_manifests_of_other_tools_name_their_files_in_their_own_ways(tmp_path: Path) -> None:
    known = ["docs/zeta-vectors.md", "docs/beta-matrices.md", "docs/alpha-tensors.md", "docs/notes.md"]
    mkdocs = ("site_name: Algebra\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
              "nav:\n  - Vectors: zeta-vectors.md\n  - Grids:\n      - Matrices: beta-matrices.md\n      - alpha-tensors.md\n"
              "  - Elsewhere: https://example.org/zeta-vectors.md\n")
    (tmp_path / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    cur = manifest_curriculum(tmp_path / "mkdocs.yml", tmp_path, known)
    assert cur is not None and [e.lesson_ids[0] for e in cur.entries] == ["docs/zeta-vectors", "docs/beta-matrices", "docs/alpha-tensors"]
    assert [e.title for e in cur.entries] == ["Vectors", "Matrices", ""]
    # the Hugging Face doc-builder: paths without extension, relative to the manifest's folder
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "_toctree.yml").write_text(
        "- title: 1. Basics\n  sections:\n  - local: chapter1/1\n    title: Intro\n  - local: chapter1/2\n"
        "- title: 2. More\n  sections:\n  - local: chapter2/1\n", encoding="utf-8")
    hf = ["en/chapter1/1.mdx", "en/chapter1/2.mdx", "en/chapter2/1.mdx", "en/chapter2/2.mdx"]
    cur = manifest_curriculum(tmp_path / "en" / "_toctree.yml", tmp_path, hf)
    assert cur is not None and [e.title for e in cur.entries] == ["Intro", "", ""]  # "" keeps the document's title
    assert [m.relative_to(tmp_path).as_posix() for m, _ in find_manifests([tmp_path])] == ["mkdocs.yml", "en/_toctree.yml"]
    # two names are no reading order; nor is a file that is not YAML
    (tmp_path / "_toc.yml").write_text("root: docs/zeta-vectors\nchapters:\n  - file: docs/beta-matrices\n", encoding="utf-8")
    assert manifest_curriculum(tmp_path / "_toc.yml", tmp_path, known) is None
    (tmp_path / "_toc.yml").write_text("chapters: [unclosed\n", encoding="utf-8")
    assert manifest_curriculum(tmp_path / "_toc.yml", tmp_path, known) is None


def test_a_nextra_menu_gives_the_reading_order_of_its_pages_and_folders(tmp_path: Path) -> None:
    """Nextra's ``_meta.en.json`` in each folder lists its pages and sub-folders in menu order (another
    language's pages and ``_meta.de.json`` are not read); a page the menu leaves out comes after it."""
    pages = tmp_path / "pages"
    for rel in ("intro.en.mdx", "intro/settings.en.mdx", "intro/basics.en.mdx", "intro/basics.de.mdx",
                "techniques/zeroshot.en.mdx", "techniques/fewshot.en.mdx", "techniques/extra.en.mdx"):
        (pages / rel).parent.mkdir(parents=True, exist_ok=True)
        (pages / rel).write_text("# Page\n\nText.\n", encoding="utf-8")
    (pages / "_meta.en.json").write_text('{"intro": "Introduction", "techniques": "Techniques", '
                                         '"courses": {"type": "menu", "title": "Courses"}}', encoding="utf-8")
    (pages / "_meta.de.json").write_text('{"techniques": "Techniken", "intro": "Einleitung"}', encoding="utf-8")
    (pages / "intro" / "_meta.en.json").write_text('{"basics": "Basics", "settings": "Settings"}', encoding="utf-8")
    (pages / "techniques" / "_meta.en.json").write_text('{"zeroshot": "Zero-shot", "fewshot": "Few-shot"}', encoding="utf-8")
    known = [p.relative_to(tmp_path).as_posix() for p in pages.rglob("*.mdx")]
    manifest = pages / "_meta.en.json"
    assert find_manifests([tmp_path])[0][0] in (manifest, pages / "_meta.de.json")
    cur = manifest_curriculum(manifest, tmp_path, known)
    assert cur is not None and [e.lesson_ids[0] for e in cur.entries] == [
        "pages/intro.en", "pages/intro/basics.en", "pages/intro/settings.en", "pages/techniques/zeroshot.en",
        "pages/techniques/fewshot.en", "pages/techniques/extra.en"]

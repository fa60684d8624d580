"""Markup dialects (Sphinx/MyST roles, d2lbook framework tabs, Pandoc fence attributes) reduced
to what a student reads; setup and plotting code is never an example. The lesson text here is
written for these tests."""

from __future__ import annotations

from pathlib import Path

from knowledge.ingest import extract_concepts, parse_file
from knowledge.ingest.dialects import (
    clean_roles,
    code_for_framework,
    code_language,
    humanise_label,
    is_setup_code,
    preprocess_markdown,
)

LESSON = """# Kernel Smoothing

:label:`sec_kernel-smoothing`

**Kernel smoothing** is a way to estimate a function by averaging nearby observations with weights
from a kernel :cite:`Someone.1999,Other.2001`, as sketched in :numref:`fig_kernel` and
:eqref:`eq_smooth`; it builds on :numref:`sec_weighted-mean`. The [**bandwidth**] sets how near
"nearby" is.

:begin_tab:`mxnet`
The MXNet version keeps arrays on the context.
:end_tab:

:begin_tab:`pytorch`
The PyTorch version keeps tensors on the device.
:end_tab:

```{.python .input}
%load_ext d2lbook.tab
tab.interact_select('mxnet', 'pytorch')
```

```{.python .input}
%%tab mxnet
from mxnet import np
```

```{.python .input}
%%tab pytorch
import torch
```

```{.python .input}
%%tab all
def smooth(x, y, queries, width):  #@save
    weights = kernel((queries[:, None] - x[None, :]) / width)
    if tab.selected('mxnet'):
        weights = weights / weights.sum(axis=1, keepdims=True)
    if tab.selected('pytorch', 'jax'):
        weights = weights / weights.sum(dim=1, keepdim=True)
    return weights @ y
```

```{.python .output}
tensor([0.5, 0.25])
```

```{.python .input}
%%tab pytorch
d2l.plot(queries, smooth(x, y, queries, 0.5), 'x', 'y')
```
"""


def test_roles_become_words_and_citations_disappear():
    assert clean_roles("as in :numref:`fig_kernel` and :eqref:`eq_smooth`") == "as in the figure and the equation"
    assert clean_roles("see :numref:`sec_weighted-mean`.") == "see the section on weighted mean."
    assert clean_roles("a kernel :cite:`A.1999,B.2001` here") == "a kernel here"
    # a textual citation is the sentence's subject: it stays, as the authors it names
    assert clean_roles(":citet:`Tieleman.Hinton.2012` proposed RMSProp") == "Tieleman and Hinton (2012) proposed RMSProp"
    assert clean_roles("shown by :citet:`Moon.Smola.Chang.ea.2010`.") == "shown by Moon et al. (2010)."
    assert clean_roles("the [**bandwidth**] and [**a link**](x.md)") == "the bandwidth and [**a link**](x.md)"
    assert clean_roles("area :math:`\\pi r^2`") == "area \\pi r^2"
    assert humanise_label("chap_optimization") == "the chapter on optimization"


def test_d2lbook_highlights_with_parentheses_only_in_its_own_documents():
    from knowledge.ingest.dialects import preprocess_markdown

    d2l = "See :numref:`sec_x`.\n\nFortunately, (**performing in-place\noperations**) is easy.\n"
    assert "Fortunately, performing in-place\noperations is easy." in preprocess_markdown(d2l)
    book_only = "See :numref:`sec_x`.\n\n(~~The MNIST dataset is too simple as a benchmark.~~)\n"
    assert "\nThe MNIST dataset is too simple as a benchmark.\n" in preprocess_markdown(book_only)
    plain = "A convolutional network (**CNN**) is a network.\n"  # a bold term in parentheses
    assert preprocess_markdown(plain) == plain


def test_only_the_chosen_frameworks_tab_is_kept_and_code_fences_pass_through():
    text = preprocess_markdown(LESSON)
    assert "PyTorch version" in text and "MXNet version" not in text
    assert ":label:" not in text and ":cite:" not in text and ":numref:" not in text
    assert "%%tab mxnet" in text  # code is handled after parsing, fences untouched
    assert "MXNet version" in preprocess_markdown(LESSON, "mxnet")


def test_fence_attributes_and_framework_selection_in_code():
    assert code_language("{.python .input}") == ("python", False)
    assert code_language("{.python .output}") == ("python", True)
    assert code_language("bash title='x'") == ("bash", False)
    assert code_for_framework("%%tab mxnet\nfrom mxnet import np") is None
    assert code_for_framework("#@tab tensorflow\nx = tf.ones(3)") is None
    assert code_for_framework("%load_ext d2lbook.tab\ntab.interact_select('mxnet', 'pytorch')") is None
    code = code_for_framework("%%tab all\ndef f(x):  #@save\n    if tab.selected('mxnet'):\n        return x.asnumpy()\n"
                              "    if tab.selected('pytorch', 'jax'):\n        return x.numpy()\n    return x")
    assert code == "def f(x):\n    return x.numpy()\n    return x"
    chain = "if tab.selected('mxnet'):\n    a = 1\nelif tab.selected('pytorch'):\n    a = 2\nelse:\n    a = 3"
    assert code_for_framework(chain) == "a = 2"
    assert code_for_framework(chain, "tensorflow") == "a = 3"


def test_setup_and_plotting_code_is_not_an_example():
    assert is_setup_code("from d2l import torch as d2l\nimport torch\n%matplotlib inline\nd2l.use_svg_display()")
    assert is_setup_code("!pip install torch\ntorch.manual_seed(0)")
    assert is_setup_code("d2l.plot(x, y, 'x', 'y')\nplt.show()")
    assert not is_setup_code("import torch\nlogits = torch.randn(3)\nprobs = torch.softmax(logits, dim=0)")
    drawing = ("def draw_grid(images, titles):\n    fig, axes = plt.subplots(1, len(images))\n"
               "    for ax, img, t in zip(axes, images, titles):\n        pic = ax.imshow(img)\n"
               "        ax.set_title(t)\n    fig.colorbar(pic, ax=axes)")
    assert is_setup_code(drawing)  # a helper that only draws
    # a book's import cell that binds a name or two is still setup (d2l's preface block)
    assert is_setup_code("import inspect\nimport math\nimport os\nimport sys\nd2l = sys.modules[__name__]")
    assert not is_setup_code("import torch\nimport math\nimport sys\nx = torch.arange(12)")
    assert not is_setup_code("def softmax(X):\n    X_exp = torch.exp(X)\n    return X_exp / X_exp.sum(1, keepdims=True)")
    # other languages load packages too: R's library(), Julia's using
    # names alone only print values: nothing shown of how anything works
    assert is_setup_code("table1\n\ntable2\n\ntable3", "r") and is_setup_code("raw_datasets.features", "python")
    assert not is_setup_code("table1 |>\n  mutate(rate = cases / population)", "r")
    assert is_setup_code("library(tidyverse)\nlibrary(babynames)") and is_setup_code('install.packages("arrow")')
    assert is_setup_code("using Plots, LinearAlgebra")
    # words set in a fence without a language are no code; a labelled query is
    assert is_setup_code("w ##o ##r ##d") and not is_setup_code("SELECT name FROM t", "sql")
    assert not is_setup_code("tokens = tokenizer.tokenize(text)")
    assert not is_setup_code("library(tidyverse)\nx <- c(1, 2)\nmean(x)") and not is_setup_code("using_cache = True")


def test_a_dialect_lesson_parses_clean(tmp_path: Path):
    (tmp_path / "smoothing.md").write_text(LESSON, encoding="utf-8")
    doc = parse_file(tmp_path / "smoothing.md", tmp_path, framework="pytorch")
    codes = [cb for s in doc.sections for cb in s.code_blocks]
    assert [cb.language for cb in codes] == ["python", "python", "python"]
    assert all("mxnet" not in cb.text and "%%tab" not in cb.text and "@save" not in cb.text for cb in codes)
    assert "0.25" not in "".join(cb.text for cb in codes)  # the output block is not code
    [concept] = [c for c in extract_concepts(doc, "smoothing") if c.title.lower() == "kernel smoothing"]
    assert ":cite:" not in concept.definition and "the figure" in concept.definition
    assert concept.definition.startswith("Kernel smoothing is a way to estimate a function")
    [example] = concept.examples  # the imports and the plot are not examples
    assert example.text.startswith("def smooth(") and "weights.sum(dim=1" in example.text


def test_an_example_starts_where_the_code_shows_the_concept():
    """A cell that opens with imports and magics is shown from its first line of real code;
    a comment stays, and a cell with too little after its imports is kept whole."""
    from knowledge.ingest.dialects import code_body

    assert code_body("%matplotlib inline\nfrom d2l import torch as d2l\nimport torch\n\nx = torch.arange(3)\ny = x * 2") == (
        "x = torch.arange(3)\ny = x * 2")
    assert code_body("import torch\nx = 1") == "import torch\nx = 1"
    assert code_body("# Define it\nimport torch\nx = 1\ny = 2").startswith("# Define it")


def test_mathjax_delimiters_are_read_as_math():
    """Notes written for MathJax (kramdown, Jekyll) put math in \\( \\) and \\[ \\]: read as the
    same math as $...$, never as parentheses whose backslashes Markdown drops."""
    from knowledge.ingest.dialects import mathjax_to_dollars, preprocess_markdown

    assert mathjax_to_dollars(r"keep a unit with probability \\(p\\) or \(1-p\)") == "keep a unit with probability $p$ or $1-p$"
    assert mathjax_to_dollars(r"the loss \\[ L = \sum_i L_i \\] over") == r"the loss $$L = \sum_i L_i$$ over"
    assert mathjax_to_dollars("f(x) (in parentheses) stays") == "f(x) (in parentheses) stays"
    src = "Text \\\\(x^2\\\\).\n\n```python\ns = re.sub('\\\\(', '', s)\n```\n"
    assert "$x^2$" in preprocess_markdown(src) and "re.sub('\\\\(', '', s)" in preprocess_markdown(src)

"""API names a programming lesson teaches become concepts (knowledge/ingest/api_names.py).

All lesson text here is written for these tests."""

from __future__ import annotations

from knowledge.ingest import extract_concepts, merge_variants
from knowledge.ingest.html import parse_html
from knowledge.ingest.markdown import parse_markdown
from knowledge.ingest.rst import parse_rst

LESSON = """# Working with tables

## Keeping rows

Two verbs pick rows of a table: `keep_rows()` and `order_rows()`. You could get close with `lapply()` and a loop.

### `keep_rows()`

`keep_rows()` retains the rows of a table whose values satisfy every condition you give it.
Each further argument is another condition.

```r
trips |> keep_rows(distance > 100)
```

```r
library(tabletools)
```

### `order_rows()`

Use `order_rows()` to sort a table by one or more of its columns, ties broken by the next column.

```r
trips |> order_rows(year, month)
```

### `%among%`

When a value may equal any of several, write `x %among% c(1, 2)` instead of chaining comparisons with `|`.

## Filters

A filter is a small matrix of weights that slides over an image to detect a pattern.

## The `Ledger` class

It keeps every change made to a table so that any earlier version can be restored.
"""


def _by_title(concepts):
    return {c.title: c for c in concepts}


def test_functions_a_lesson_heads_or_describes_become_concepts():
    doc = parse_markdown(LESSON, "tables.md")
    got = _by_title(extract_concepts(doc, "tables"))
    assert got["keep_rows()"].definition.startswith("keep_rows() retains the rows of a table")
    assert got["keep_rows()"].sources[0].section == "keep_rows()"
    assert got["order_rows()"].definition.startswith("Use order_rows() to sort a table")
    assert "several" in got["%among%"].definition
    assert got["Ledger class"].definition.startswith("It keeps every change")
    # a mere mention is no concept
    assert "lapply()" not in got


def test_an_api_name_keeps_its_examples_and_stays_apart_from_a_word():
    doc = parse_markdown(LESSON, "tables.md")
    got = _by_title(extract_concepts(doc, "tables"))
    code = [e.text for e in got["keep_rows()"].examples]
    assert code == ["trips |> keep_rows(distance > 100)"]  # the library() line shows nothing
    assert [e.text for e in got["order_rows()"].examples] == ["trips |> order_rows(year, month)"]
    assert got["keep_rows()"].id == "keep-rows-call" and got["%among%"].id == "among-operator"
    # "filter()" of one lesson and "Filter" of another are two things, never merged
    other = parse_markdown("# Two meanings\n\n## Frames\n\n`filter()` keeps the rows of a data frame that match a test.\n\n## Kernels\n\n"
                           "A **filter** is a small matrix of weights that slides over an image.\n", "img.md")
    merged = _by_title(merge_variants(extract_concepts(other, "img") + extract_concepts(doc, "tables")))
    assert "filter()" in merged and "Filter" in merged
    assert merged["filter()"].id != merged["Filter"].id


def test_html_and_restructuredtext_code_spans_count_too():
    html = ("<h1>Strings</h1><h2><code>pad_text()</code></h2>"
            "<p><code>pad_text()</code> adds spaces to a string until it reaches the width you ask for.</p>")
    got = _by_title(extract_concepts(parse_html(html, "strings.html"), "strings"))
    assert got["pad_text()"].definition.startswith("pad_text() adds spaces")
    rst = ("Arrays\n======\n\nThe function ``grid_of()`` builds an array of evenly spaced points over a range.\n\n"
           "``grid_of()`` returns a new array each time it is called.\n")
    got = _by_title(extract_concepts(parse_rst(rst, "arrays.rst"), "arrays"))
    assert got["grid_of()"].definition.startswith("grid_of() returns a new array")


def test_what_a_function_is_for_said_before_it_or_beside_its_kind():
    text = ("# Reshaping\n\n## Longer tables\n\nTo turn column names into values, we'll use `stack_cols()`:\n\n"
            "```r\nscores |> stack_cols(starts_with(\"wk\"))\n```\n\n"
            "## Queries\n\nYou can read the SQL that a pipeline sends to the database with the function `sql_of()`.\n\n"
            "## Levels\n\nOne way to do that is with `sort_levels()`.\n\n"
            "## Plots\n\nA plot is easier to read when its bars are ordered, which we get by sorting the levels "
            "of a factor using `sort_levels()`.\n")
    got = _by_title(extract_concepts(parse_markdown(text, "reshape.md"), "reshape"))
    assert got["stack_cols()"].definition.startswith("To turn column names into values")
    assert got["stack_cols()"].examples and "stack_cols(" in got["stack_cols()"].examples[0].text
    assert got["sql_of()"].definition.startswith("You can read the SQL")
    # a sentence that only points back loses to one that says what the function does
    assert got["sort_levels()"].definition.startswith("A plot is easier to read")


def test_a_sentence_that_points_back_brings_the_one_it_points_at():
    text = ("# Cleaning\n\n## Gaps\n\nSpreadsheets typed by hand often leave a cell empty when its value repeats "
            "the row above. You can use `fill_down()` to replace them:\n\n```r\ntreatment |> fill_down(person)\n```\n")
    got = _by_title(extract_concepts(parse_markdown(text, "clean.md"), "clean"))
    assert got["fill_down()"].definition.startswith("Spreadsheets typed by hand often leave a cell empty")
    assert got["fill_down()"].definition.endswith("to replace them:")


def test_across_lessons_the_sentence_with_the_function_as_subject_wins():
    """A later lesson that says what a function does as its subject gives its definition, over an
    earlier lesson's passing "One way to do that is with ..."."""
    first = parse_markdown("# Exploring\n\n## Categories\n\nCategories have no order of their own, so you might "
                           "reorder them for a clearer chart. One way to do that is with `sort_levels()`.\n", "explore.md")
    later = parse_markdown("# Factors\n\n## Order\n\n`sort_levels()` takes a factor and a numeric vector, and "
                           "orders the factor's levels by the summary of that vector.\n", "factors.md")
    got = _by_title(merge_variants(extract_concepts(first, "explore") + extract_concepts(later, "factors")))
    assert got["sort_levels()"].definition.startswith("sort_levels() takes a factor")
    assert [s.path for s in got["sort_levels()"].sources] == ["factors.md", "explore.md"]  # cited where it is defined


def test_a_call_written_with_its_arguments_names_the_function():
    """"`is_gap(x)` works with any type of vector" describes is_gap(); "`is_gap()` can also be
    useful in ..." is one more use, not what it is."""
    text = ("# Gaps\n\n### `is_gap()`\n\n`is_gap(x)` works with any type of vector and returns `TRUE` for a missing "
            "value and `FALSE` for everything else.\n\n`is_gap()` can also be useful in `order_rows()`, to put gaps first.\n")
    got = _by_title(extract_concepts(parse_markdown(text, "gaps.md"), "gaps"))
    assert got["is_gap()"].definition.startswith("is_gap(x) works with any type of vector")
    assert "can also" not in got["is_gap()"].definition


def test_an_api_name_is_cited_where_it_is_defined_not_where_a_heading_mentions_it():
    from knowledge.models import Concept, Source
    from tutor.citing import own_sections_first

    defined = Source(path="tidy.md", section="Data in column names")
    aside = Source(path="loops.md", section="Vs stack_cols()")
    own = Source(path="reshape.md", section="stack_cols()")
    c = Concept(title="stack_cols()", definition="To tidy this data, we'll use stack_cols():", sources=[defined, aside])
    assert own_sections_first(c) == [defined, aside]
    c.sources = [defined, aside, own]
    assert own_sections_first(c)[0] == own


def test_a_question_that_writes_a_call_names_that_function():
    """"Why does round(2.5) give 2?" names round() — as code, with or without its arguments — while
    the word "round" alone, or "%in%" read as a word, names nothing."""
    from knowledge.lexical import LexicalIndex
    from knowledge.models import Concept

    ix = LexicalIndex([Concept(title="round()", definition="round() rounds a number half way to the even integer."),
                       Concept(title="%in%", definition="x %in% y is TRUE where a value of x is anywhere in y."),
                       Concept(title="Rounding", definition="Rounding replaces a number by a shorter one near it.")])
    assert ix.spot("Why does round(2.5) give 2?") == ({"round-call": 1.0}, {"round-call"})
    assert ix.spot("Can I use %in% instead of several == comparisons?")[0] == {"in-operator": 1.0}
    assert ix.spot("Is a round number rounded in the data?")[0] == {}


def test_a_sentence_that_leaves_the_details_for_later_brings_the_next_one():
    text = ("# Iteration\n\n## Many columns\n\n`each_col()` has two important arguments, which we'll discuss in the "
            "following sections. The first says which columns to visit, and the second what to do with each of them.\n")
    got = _by_title(extract_concepts(parse_markdown(text, "iter.md"), "iter"))
    assert got["each_col()"].definition.endswith("what to do with each of them.")


def test_a_heading_that_names_its_functions_after_a_colon_and_magics():
    """"Counting Fast: `ct.tally` and `ct.tally_by`" heads a section about both functions (a dotted
    name a heading gives is a function, keyed as a call); an IPython magic ("`%clock`") is an API name
    too, also in a question. A heading that only mentions a name ("Notes on `ct.tally` speed") heads none."""
    from knowledge.lexical import LexicalIndex

    doc = parse_markdown("# Counting\n\n## Counting Fast: `ct.tally` and `ct.tally_by`\n\nThe `ct.tally` "
                         "function counts how often each value occurs in an array, and ct.tally_by counts per group.\n\n"
                         "```python\nct.tally(x)\nct.tally_by(x, groups)\n```\n\n"
                         "## Timing: `%clock`\n\nThe `%clock` magic runs a statement many times and reports the "
                         "fastest run.\n\n## Notes on `ct.tally` speed\n\nIt is quick because it is written in C.\n",
                         "count.md")
    got = _by_title(extract_concepts(doc, "count"))
    assert got["ct.tally()"].definition.startswith("The ct.tally function counts how often"), sorted(got)
    assert "ct.tally_by()" in got and got["ct.tally()"].examples
    assert got["%clock"].definition.startswith("The %clock magic runs a statement"), sorted(got)
    assert got["ct.tally()"].sources[0].section.startswith("Counting Fast")
    ix = LexicalIndex(list(got.values()))
    assert got["%clock"].id in ix.spot("How does %clock decide how many runs to make?")[0]


def test_a_name_the_sentence_gives_its_kind_and_one_that_opens_a_sentence():
    """A span the sentence gives its kind names an API name though it is no call: "the `ct.pick`
    function" is ct.pick(), "First, the `first` attribute allows ..." the attribute .first (written so,
    it never merges with a word); a sentence that opens with a code span is a sentence of its own
    ("... in the `ct.pick` function. `ct.pick` takes ..."). A question writing ".first" names it."""
    doc = parse_markdown("# Tables\n\n## Picking\n\nSometimes we only want the smallest values. The library provides "
                         "this in the `ct.pick` function. `ct.pick` takes a table and a number and returns the rows "
                         "with the smallest values first.\n\n```python\nct.pick(t, 3)\n```\n\nFirst, the `first` "
                         "attribute allows selecting rows by their label:\n\n```python\nt.first[2]\n```\n", "tables.md")
    got = _by_title(extract_concepts(doc, "tables"))
    assert got["ct.pick()"].definition.startswith("ct.pick takes a table"), sorted(got)
    assert got["ct.pick()"].examples and got[".first"].examples, sorted(got)
    assert got[".first"].definition.startswith("First, the first attribute allows"), sorted(got)
    from knowledge.lexical import LexicalIndex

    assert got[".first"].id in LexicalIndex(list(got.values())).spot("When should I use .first on a table?")[0]


def test_a_heading_of_bare_names_its_cells_call_and_a_name_before_a_colon():
    """In a notebook, "### `pair`" (then a code cell calling `pair(a, b)`) and "### `spread` and `keep`"
    head sections about those functions, each defined by its own sentence in the cells under the heading
    ("The `keep` iterator passes on ..."), not by the section's opening about the first; "## `span()`: A
    Range Is Not a List" heads one about span(). "## The `Board` Class" names a class, no call, and a
    bare name the code never calls names nothing."""
    import json

    from knowledge.ingest.notebook import parse_notebook

    def md(text):
        return {"cell_type": "markdown", "id": f"m{len(text)}", "metadata": {}, "source": text}

    def code(text):
        return {"cell_type": "code", "id": f"c{len(text)}", "execution_count": None, "metadata": {}, "outputs": [],
                "source": text}

    cells = [md("# Walking Lists\nWe walk over lists in many ways."),
             md("## `span()`: A Range Is Not a List\nThe `span()` function returns a lazy sequence of numbers."),
             code("for i in span(10):\n    print(i)"),
             md("### `pair`\nOften you need two lists at once, side by side."),
             code("for a, b in pair(L, R):\n    print(a, b)"),
             md("### `spread` and `keep`\nThe `spread` iterator takes a function and applies it to every value of a list:"),
             code("spread(abs, L)"),
             md("The `keep` iterator passes on only the values for which the function returns True:"),
             code("keep(is_even, L)"),
             md("### `tally`\nWe count the values by hand here."),
             code("counts = {}\nfor x in L:\n    counts[x] = counts.get(x, 0) + 1"),
             md("## The `Board` Class\nThe board holds the pieces of the game on a grid of squares."),
             code("b = Board(8)")]
    nb = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    got = _by_title(extract_concepts(parse_notebook(nb, "walk.ipynb"), "walk"))
    assert {"span()", "pair()", "spread()", "keep()"} <= set(got), sorted(got)
    assert got["keep()"].definition.startswith("The keep iterator passes on only the values"), got["keep()"]
    assert got["spread()"].definition.startswith("The spread iterator takes a function"), got["spread()"]
    assert "tally()" not in got and "Board()" not in got, sorted(got)


def test_a_keyword_written_as_code_then_its_kind_heads_a_concept(tmp_path):
    """"## `for` loops" and "## `while` loops": the keyword alone is a word of English ("for", "while"),
    but written as code with the kind of statement after it, the heading names a concept of the language."""
    from knowledge.ingest import parse_file
    from knowledge.ingest.introduced import CourseProfile

    (tmp_path / "loops.md").write_text(
        "# Repeating Code\n\nPrograms repeat work in loops.\n\n## `for` loops\n\nLoops run a block of code again and "
        "again. To print every item of a list, we can write a `for` loop over the list and print each item in turn.\n\n"
        "```python\nfor x in [1, 2, 3]:\n    print(x)\n```\n\n## `while` loops\n\nThe other kind of loop is a while loop, "
        "which runs until some condition stops holding.\n\n## For the curious\n\nMore is in the reference manual.\n")
    doc = parse_file(tmp_path / "loops.md", tmp_path)
    got = {c.title.lower().rstrip("s"): c for c in extract_concepts(doc, "loops", CourseProfile.build([doc]))}
    assert "for loop" in got and "while loop" in got, sorted(got)
    assert got["while loop"].definition.startswith("The other kind of loop is a while loop"), got["while loop"]
    assert not [t for t in got if t.startswith("for the")], sorted(got)
    from knowledge.ingest.vocabulary import display_title  # the keyword is no preposition joining two names

    assert display_title("for loops") == "For loop" and display_title("Tools for Deep Learning") == "Tools for Deep Learning"
    assert display_title("Continuous bag-of-words") == "Continuous bag-of-words"


def test_a_statement_the_sentence_names_with_its_kind():
    """"The `halt` statement leaves the loop at once" names the halt statement (a keyword of the
    language, named with its kind, no call); "the `axis` keyword" is an argument's name, no statement."""
    doc = parse_markdown("# Loops\n\n## Leaving early\n\nThe `halt` statement leaves the loop at once, whatever is left "
                         "of the list.\n\n```python\nfor x in L:\n    halt\n```\n\nThe `axis` keyword says which "
                         "dimension of the table is summed away.\n", "loops.md")
    got = _by_title(extract_concepts(doc, "loops"))
    assert got["halt statement"].definition.startswith("The halt statement leaves the loop at once"), sorted(got)
    assert not [t for t in got if t.startswith("axis")], sorted(got)

"""Word and PowerPoint lessons: a teacher's .docx handout and .pptx slide deck, written here with
python-docx and python-pptx (the lesson text is ours), parse into sections, definitions, code and
figures, and ingest into concepts, passages and prerequisite edges like any other format."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from knowledge.ingest.errors import IngestError
from knowledge.ingest.parsers import parse_file

def _png() -> bytes:
    """A small PNG: a picture for the documents to hold."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


PNG = _png()


def _code_paragraph(doc, text: str) -> None:
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.font.name = "Consolas"


def write_handout(path: Path) -> Path:
    """A Word handout: title, headings, a bold term glossed in a list, code in Consolas, a
    table, a picture and a hyperlink."""
    import docx

    d = docx.Document()
    d.core_properties.title = "Sorting Data"
    d.add_paragraph("Sorting Data", style="Title")
    d.add_paragraph("Why Order Matters", style="Heading 1")
    d.add_paragraph("Searching a list is much faster once the list is in order.")
    d.add_paragraph("Bubble Sort", style="Heading 2")
    p = d.add_paragraph()
    p.add_run("Bubble sort").bold = True
    p.add_run(" is a sorting algorithm that repeatedly swaps adjacent items that are in the wrong order.")
    item = d.add_paragraph(style="List Bullet")
    item.add_run("Pass").bold = True
    item.add_run(" – one sweep through the whole list, comparing each neighbouring pair of items once.")
    for line in ("def bubble_sort(items):", "    for i in range(len(items)):",
                 "        for j in range(len(items) - 1 - i):",
                 "            if items[j] > items[j + 1]:",
                 "                items[j], items[j + 1] = items[j + 1], items[j]"):
        _code_paragraph(d, line)
    d.add_paragraph("Merge Sort", style="Heading 2")
    d.add_paragraph("Merge sort is a divide-and-conquer sorting algorithm that splits the list in halves, sorts "
                    "each half and merges them; unlike bubble sort it needs only n log n comparisons.")
    d.add_paragraph("Recall that binary search also halves the list at every step.")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Algorithm", "Comparisons"
    table.cell(1, 0).text, table.cell(1, 1).text = "Merge sort", "n log n"
    d.add_picture(io.BytesIO(PNG))
    d.add_paragraph("See the visualiser for a demonstration of every pass.")
    d.save(path)
    return path


def bullet_deck(title: str, subtitle: str, slides: list[tuple[str, list[str]]]):
    """A deck with a title slide, then one "Title and Content" slide per (title, bullets)."""
    from pptx import Presentation

    prs = Presentation()
    s = prs.slides.add_slide(prs.slide_layouts[0])
    s.shapes.title.text, s.placeholders[1].text = title, subtitle
    for head, bullets in slides:
        s = prs.slides.add_slide(prs.slide_layouts[1])
        s.shapes.title.text = head
        body = s.placeholders[1].text_frame
        body.text = bullets[0]
        for line in bullets[1:]:
            body.add_paragraph().text = line
    return prs


def write_deck(path: Path) -> Path:
    """A slide deck: a title slide, content slides with bullets, a code box in Courier New,
    a picture, and speaker notes that say what the slide only lists."""
    from pptx.util import Inches

    prs = bullet_deck("Searching Data", "Week 3", [("Linear Search", ["Checks every item in turn",
                                                                      "Works on unsorted lists"])])
    s = prs.slides[1]
    s.notes_slide.notes_text_frame.text = ("Linear search is a search algorithm that checks each item of a list "
                                           "in turn until it finds the target or reaches the end.")
    s = prs.slides.add_slide(prs.slide_layouts[1])
    s.shapes.title.text = "Binary Search"
    body = s.placeholders[1].text_frame
    p = body.paragraphs[0]
    r = p.add_run()
    r.text = "Binary search"
    r.font.bold = True
    p.add_run().text = " halves the sorted list at every step, so it needs only log n comparisons, unlike linear search."
    box = s.shapes.add_textbox(Inches(1), Inches(5), Inches(6), Inches(1)).text_frame
    box.text = "def binary_search(items, target):"
    box.paragraphs[0].runs[0].font.name = "Courier New"
    for line in ("    lo, hi = 0, len(items) - 1", "    while lo <= hi:", "        mid = (lo + hi) // 2"):
        q = box.add_paragraph()
        q.text = line
        q.runs[0].font.name = "Courier New"
    s.shapes.add_picture(io.BytesIO(PNG), Inches(7), Inches(1), Inches(1), Inches(1))
    s.notes_slide.notes_text_frame.text = ("Recall linear search from the previous slide: binary search needs the "
                                           "list to be sorted first.")
    prs.save(path)
    return path


def test_a_word_handout_parses_into_sections_definitions_code_and_figures(tmp_path):
    doc = parse_file(write_handout(tmp_path / "sorting.docx"), tmp_path)
    assert doc.kind == "word" and doc.title == "Sorting Data"
    heads = [(s.heading, s.level) for s in doc.sections]
    assert ("Why Order Matters", 1) in heads and ("Bubble Sort", 2) in heads and ("Merge Sort", 2) in heads
    bubble = next(s for s in doc.sections if s.heading == "Bubble Sort")
    first = bubble.blocks[0]
    assert first.text.startswith("Bubble sort is a sorting algorithm") and first.bold == ["Bubble sort"]
    assert first.lead == "Bubble sort"
    item = next(b for b in bubble.blocks if b.kind == "list_item")
    assert item.lead == "Pass" and item.text.startswith("Pass – one sweep")
    assert len(bubble.code_blocks) == 1 and bubble.code_blocks[0].text.startswith("def bubble_sort(items):")
    assert "items[j], items[j + 1]" in bubble.code_blocks[0].text  # the code keeps its lines and indentation
    merge = next(s for s in doc.sections if s.heading == "Merge Sort")
    assert any(b.kind == "table_row" and b.text == "Merge sort | n log n" for b in merge.blocks)
    assert len(doc.figures) == 1 and doc.figures[0].mime == "image/png" and doc.figures[0].anchor == merge.anchor


def test_a_slide_deck_parses_a_section_per_slide_with_its_notes(tmp_path):
    doc = parse_file(write_deck(tmp_path / "searching.pptx"), tmp_path)
    assert doc.kind == "slides" and doc.title == "Searching Data"
    assert [s.heading for s in doc.sections] == ["Searching Data", "Linear Search", "Binary Search"]
    assert [s.page for s in doc.sections] == [1, 2, 3]  # a citation names the slide
    linear = doc.sections[1]
    assert [b.kind for b in linear.blocks[:2]] == ["list_item", "list_item"]
    assert linear.blocks[-1].text.startswith("Linear search is a search algorithm")  # the speaker notes
    binary = doc.sections[2]
    assert binary.blocks[0].bold == ["Binary search"] and binary.blocks[0].lead == "Binary search"
    assert binary.code_blocks and binary.code_blocks[0].text.startswith("def binary_search(items, target):")
    assert "mid = (lo + hi) // 2" in binary.code_blocks[0].text
    assert len(doc.figures) == 1 and doc.figures[0].anchor == binary.anchor


def test_office_lessons_ingest_into_concepts_passages_code_and_edges(kb, tmp_path):
    from knowledge.ingest.pipeline import ingest_paths
    from knowledge.models import PREREQUISITE

    root = tmp_path / "course"
    root.mkdir()
    write_deck(root / "01-searching.pptx")
    write_handout(root / "02-sorting.docx")
    report = ingest_paths(kb, [root], course="algorithms")
    assert report.count("failed") == 0, [(f.path, f.reason) for f in report.files]
    by_title = {c.title.lower(): c for c in kb.concepts().values()}
    linear = by_title["linear search"]
    assert linear.definition.startswith("Linear search is a search algorithm")  # from the speaker notes
    assert linear.sources[0].path == "01-searching.pptx" and linear.sources[0].page == 2
    from tutor.answer_model import NumberedSource
    assert NumberedSource.of(1, linear.sources[0]).label() == "01-searching.pptx § Linear Search, slide 2"
    bubble = by_title["bubble sort"]
    assert bubble.definition.startswith("Bubble sort is a sorting algorithm")
    assert any("def bubble_sort" in e.text for e in bubble.examples)
    assert by_title["merge sort"].definition.startswith("Merge sort is a divide-and-conquer sorting algorithm")
    edges = {(kb.get(e.src).title.lower(), kb.get(e.dst).title.lower()) for e in kb.graph.edges() if e.kind == PREREQUISITE}
    assert ("binary search", "merge sort") in edges  # the handout's "Recall that binary search ..."
    assert kb.passages_for(bubble.id, kind="code")


@pytest.mark.parametrize("name", ["broken.docx", "broken.pptx"])
def test_a_damaged_office_file_is_refused_with_what_to_do(tmp_path, name):
    (tmp_path / name).write_bytes(b"PK\x03\x04 this is not really a zip package")
    with pytest.raises(IngestError) as err:
        parse_file(tmp_path / name, tmp_path)
    assert name in str(err.value) and "save it again" in str(err.value)


def test_an_old_binary_office_file_says_how_to_convert_it(tmp_path):
    (tmp_path / "week1.ppt").write_bytes(b"\xd0\xcf\x11\xe0 old compound file")
    with pytest.raises(IngestError) as err:
        parse_file(tmp_path / "week1.ppt", tmp_path)
    assert "week1.ppt" in str(err.value) and "save it as .pptx" in str(err.value)


def test_a_terse_slide_is_glossed_by_its_bullets(tmp_path):
    """Slides say it in bullets, not sentences: a slide titled with a term and no sentence saying
    what it is gives the concept its first bullets as the gloss, in the teacher's words (before
    a sentence elsewhere that only says something of it)."""
    from knowledge.ingest.extract import extract_concepts

    prs = bullet_deck("Hashing", "Week 4", [
        ("Hash Tables", ["Store key-value pairs in buckets", "A hash function picks the bucket",
                         "Lookups take constant time on average", "Resize when full"]),
        ("Summary", ["Hash tables give constant-time lookups"]),  # says something of it, not what it is
    ])
    prs.save(tmp_path / "hashing.pptx")
    got = {c.title: c for c in extract_concepts(parse_file(tmp_path / "hashing.pptx", tmp_path), "hashing")}
    assert got["Hash Table"].definition == ("Hash Tables: store key-value pairs in buckets; a hash function picks the "
                                            "bucket; lookups take constant time on average.")
    assert "Hashing" not in got and "Week 4" not in got  # the title slide names the deck, it teaches nothing


def test_word_headings_without_the_built_in_styles(tmp_path):
    """Teachers' templates: a custom heading style based on "Heading 1", an outline level set on
    the paragraph, or a short line typed in bold are headings too; a bold term opening a sentence
    is not."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    d = docx.Document()
    custom = d.styles.add_style("Lesson Heading", WD_STYLE_TYPE.PARAGRAPH)
    custom.base_style = d.styles["Heading 1"]
    d.add_paragraph("Graphs", style="Lesson Heading")
    d.add_paragraph("A graph is a set of vertices joined by edges.")
    d.add_paragraph().add_run("Key Terms").bold = True
    p = d.add_paragraph()
    p.add_run("Vertex").bold = True
    p.add_run(" is a point of the graph that edges join.")
    d.save(tmp_path / "graphs.docx")
    doc = parse_file(tmp_path / "graphs.docx", tmp_path)
    assert [(s.heading, s.level) for s in doc.sections] == [("Graphs", 1), ("Key Terms", 3)]
    assert doc.sections[1].blocks[0].lead == "Vertex"


def test_word_equations_become_latex(tmp_path):
    """A handout's equations (Office Math) reach the knowledge base as LaTeX, like Markdown's
    ``$...$``: a fraction, a power and a square root inline, a sum displayed."""
    import docx
    from docx.oxml import parse_xml

    m = 'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
    inline = (f'<m:oMath {m}><m:r><m:t>x=</m:t></m:r><m:f><m:num><m:r><m:t>-b±</m:t></m:r><m:rad><m:radPr>'
              f'<m:degHide m:val="1"/></m:radPr><m:deg/><m:e><m:sSup><m:e><m:r><m:t>b</m:t></m:r></m:e><m:sup><m:r>'
              f'<m:t>2</m:t></m:r></m:sup></m:sSup><m:r><m:t>-4ac</m:t></m:r></m:e></m:rad></m:num><m:den><m:r>'
              f'<m:t>2a</m:t></m:r></m:den></m:f></m:oMath>')
    display = (f'<m:oMathPara {m}><m:oMath><m:r><m:t>μ=</m:t></m:r><m:f><m:num><m:r><m:t>1</m:t></m:r></m:num>'
               f'<m:den><m:r><m:t>n</m:t></m:r></m:den></m:f><m:nary><m:naryPr><m:chr m:val="∑"/></m:naryPr><m:sub>'
               f'<m:r><m:t>i=1</m:t></m:r></m:sub><m:sup><m:r><m:t>n</m:t></m:r></m:sup><m:e><m:sSub><m:e><m:r>'
               f'<m:t>x</m:t></m:r></m:e><m:sub><m:r><m:t>i</m:t></m:r></m:sub></m:sSub></m:e></m:nary></m:oMath>'
               f'</m:oMathPara>')
    d = docx.Document()
    d.add_paragraph("Quadratic Equations", style="Heading 1")
    p = d.add_paragraph("The roots of a quadratic are ")
    p._p.append(parse_xml(inline))
    p.add_run(" for any coefficients with a nonzero a.")
    d.add_paragraph("The mean of n values is")
    d.add_paragraph()._p.append(parse_xml(display))
    d.save(tmp_path / "maths.docx")
    texts = [b.text for s in parse_file(tmp_path / "maths.docx", tmp_path).sections for b in s.blocks]
    assert r"The roots of a quadratic are $x=\frac{-b\pm \sqrt{{b}^{2}-4ac}}{2a}$ for any coefficients" in texts[0]
    assert texts[-1] == r"$$μ=\frac{1}{n}\sum_{i=1}^{n} {x}_{i}$$"


def test_a_function_set_in_a_code_font_in_a_handout_is_a_concept(tmp_path):
    """A handout names the functions it teaches in Consolas inside its sentences, as Markdown does
    with backticks: "`sorted()` returns a new list ..." makes sorted() a concept."""
    import docx

    from knowledge.ingest import extract_concepts

    d = docx.Document()
    d.add_paragraph("Sorting in Python", style="Title")
    d.add_paragraph("Built-in Sorting", style="Heading 1")
    p = d.add_paragraph()
    p.add_run("sorted()").font.name = "Consolas"
    p.add_run(" returns a new list holding the items of any iterable in ascending order, leaving the original as it was.")
    _code_paragraph(d, "ranked = sorted(scores, reverse=True)")
    path = tmp_path / "sorting.docx"
    d.save(path)
    doc = parse_file(path, tmp_path)
    assert any("sorted()" in b.code for s in doc.sections for b in s.blocks)
    got = {c.title: c for c in extract_concepts(doc, "sorting")}
    assert got["sorted()"].definition.startswith("sorted() returns a new list")
    assert got["sorted()"].examples and "sorted(scores" in got["sorted()"].examples[0].text

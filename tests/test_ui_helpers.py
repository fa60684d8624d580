"""Fast checks of the UI's pure helpers: safe upload names and the DOT it draws graphs with."""

from __future__ import annotations


import pytest

from knowledge.models import PREREQUISITE, Concept, Edge, Source
from ui.graphs import Link, Node, neighbourhood_dot, quote, to_dot
from ui.uploads import check_upload, course_folder, safe_name, save_uploads


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("notes.md", "notes.md"),
        ("../../etc/passwd.md", "passwd.md"),
        ("C:\\Users\\eve\\lesson 1.PDF", "lesson 1.pdf"),
        ("..", "upload"),
        (".hidden.md", "hidden.md"),
        ("a/b/../../../x.ipynb", "x.ipynb"),
        ("leçon<script>.html", "lecon_script_.html"),
        ("\x00\x01.txt", "upload.txt"),
        ("x" * 300 + ".md", "x" * 117 + ".md"),
    ],
)
def test_safe_name_keeps_a_safe_base_name(raw, safe):
    assert safe_name(raw) == safe
    assert "/" not in safe_name(raw) and not safe_name(raw).startswith(".")


def test_check_upload_refuses_wrong_type_empty_and_oversize():
    assert check_upload("lesson.md", 10, 1.0) is None
    assert check_upload("chapter.qmd", 10, 1.0) is None and check_upload("Intro.Rmd", 10, 1.0) is None  # what ingest reads
    assert all(check_upload(n, 10, 1.0) is None for n in ("week1.pptx", "Handout.docx", "trees.rst"))
    assert "save it as .pptx" in check_upload("week1.ppt", 10, 1.0)  # how to bring what Erica does not read
    assert "not a lesson file type" in check_upload("tool.exe", 10, 1.0)
    assert "empty" in check_upload("lesson.md", 0, 1.0)
    assert "over the 1 MB limit" in check_upload("big.pdf", 2 * 1024 * 1024, 1.0)


class Upload:
    def __init__(self, name: str, data: bytes) -> None:
        self.name, self._data = name, data

    def getvalue(self) -> bytes:
        return self._data


def test_save_uploads_stays_inside_the_course_folder(tmp_path):
    folder = course_folder(tmp_path / "uploads", "Intro to AI / 2025")
    saved, rejected = save_uploads(
        [Upload("../../evil.md", b"# Evil\n"), Upload("evil.md", b"# Twin\n"), Upload("x.exe", b"MZ")], folder, 1.0
    )
    assert [s.path.name for s in saved] == ["evil.md", "evil-2.md"]
    assert all(s.path.parent == folder and folder.is_relative_to(tmp_path / "uploads") for s in saved)
    assert folder.name == "intro-to-ai-2025"
    assert [r.name for r in rejected] == ["x.exe"]
    assert saved[1].path.read_bytes() == b"# Twin\n"


def test_dot_escapes_quotes_backslashes_and_newlines():
    dot = to_dot([Node('a"b', 'Say "hi"\\ there\n<b>bold</b>', True), Node("c", "C")],
                 [Link('a"b', "c", PREREQUISITE), Link("c", 'a"b', "related_to"), Link("c", "gone", PREREQUISITE)])
    assert '"a\\"b" [label="Say \\"hi\\"\\\\ there\\n<b>bold</b>"' in dot
    assert '"a\\"b" -> "c" [color=' in dot and "style=dashed" in dot and "gone" not in dot
    assert quote('x"\\') == '"x\\"\\\\"'
    # every quote inside a label is escaped: the quotes that delimit strings pair up on each line
    for line in dot.splitlines():
        assert line.replace('\\\\', "").replace('\\"', "").count('"') % 2 == 0


def test_neighbourhood_graph_of_a_concept(kb):
    src = Source("lesson.md", "S", lesson="lesson")
    kb.upsert_concepts([Concept(t, f"{t} is a thing.", sources=[src]) for t in ("Alpha", "Beta", "Gamma", "Delta")])
    kb.add_edges([Edge("alpha", "beta"), Edge("beta", "gamma"), Edge("beta", "delta", "related_to")])
    dot = neighbourhood_dot(kb, "beta")
    assert '"alpha" -> "beta"' in dot and '"beta" -> "gamma"' in dot and '"beta" -> "delta"' in dot
    assert 'label="related to"' in dot


def test_save_image_names_the_file_by_its_content(tmp_path):
    from ui.uploads import save_image

    a = save_image(b"\x89PNG fake", "../../me.PNG", tmp_path / "images")
    b = save_image(b"\x89PNG fake", "other.png", tmp_path / "images")
    assert a == b and a.parent == tmp_path / "images" and a.suffix == ".png" and a.read_bytes() == b"\x89PNG fake"


def test_course_text_keeps_its_formulas_and_nothing_else_is_markdown():
    """Quiz prompts and options quote definitions that carry LaTeX (issue 11 keeps it so the page
    renders it); everything around the formulas is shown literally, and a dollar amount is no formula."""
    from ui.text import md_with_math

    got = md_with_math(r"____ takes a step, $\theta \leftarrow \theta - \eta g$, where $\eta$ is the *rate*.")
    assert got == r"\_\_\_\_ takes a step, $\theta \leftarrow \theta - \eta g$, where $\eta$ is the \*rate\*\."
    assert md_with_math("It costs $5 and $10.") == r"It costs \$5 and \$10\."
    assert md_with_math(r"a leaky average: $$v_t = \beta v_{t-1} + g_t$$") == r"a leaky average: $$v_t = \beta v_{t-1} + g_t$$"

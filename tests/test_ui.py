"""The Streamlit pages, driven by ``streamlit.testing.v1.AppTest`` through the real entry point.

Each test has its own data dir (the autouse fixture). The knowledge base for it is opened
through the library's process-wide registry (``open_kb``) with the session's memoising
embedder, so the page finds it already loaded with the starter course instead of embedding
the course again. One test asks the real embedded LLM; the others need no model.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from knowledge.settings import Settings
from tutor.retrieval import RetrievalParams

APP = str(Path(__file__).resolve().parents[1] / "ui" / "app.py")
TIMEOUT = 600  # seconds per run: the first question loads models on 2 shared cores


@pytest.fixture
def ui_kb(data_dir, embedder):
    """The knowledge base the page will open, with the starter course, via the registry."""
    from knowledge.kb import open_kb
    from knowledge.starter import load_starter

    kb = open_kb(Settings(), embedder)
    load_starter(kb)
    yield kb
    kb.close()


@pytest.fixture
def app(ui_kb):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shape_png(shape: str = "circle", colour: str = "red", pattern: str = "solid") -> bytes:
    """A picture the bundled CLIP knows (drawn by its own generator when present)."""
    try:
        from tutor.clip.shapes import draw_each
        from tutor.clip.world import Combo

        return draw_each([Combo(shape, colour, pattern)], seed=4242)[0].png_bytes()
    except ImportError:
        from PIL import Image, ImageDraw

        img = Image.new("RGB", (64, 64), (120, 120, 120))
        ImageDraw.Draw(img).ellipse([12, 12, 52, 52], fill=(215, 35, 35))
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        return buf.getvalue()


def clip_demos_installed() -> bool:
    from tutor.service import clip_demo_runner

    return clip_demo_runner(Settings()) is not None


def texts(at) -> str:
    return "\n".join(m.value for m in [*at.markdown, *at.caption])


# -- chat ---------------------------------------------------------------------------------------
@pytest.mark.slow
def test_chat_streams_an_answer_with_new_settings_and_an_image(app, ui_kb):
    """Sidebar defaults are the library's; changed settings apply to the question; the answer
    has its retrieved context and graph; an attached image gets the classification demo."""
    at = app
    defaults = RetrievalParams()
    sb = at.sidebar
    assert sb.slider(key="opt_top_k").value == defaults.top_k
    assert sb.slider(key="opt_prereq_depth").value == defaults.prereq_depth
    assert sb.slider(key="opt_related_depth").value == defaults.related_depth
    assert sb.slider(key="opt_max_concepts").value == defaults.max_concepts
    assert sb.slider(key="opt_min_score").value == pytest.approx(defaults.min_score)
    metrics = {m.label: m.value for m in at.metric}
    stats = ui_kb.stats()
    assert metrics["Concepts"] == str(stats["concepts"])
    assert metrics["Prerequisite edges"] == str(stats["prerequisite_edges"])
    assert metrics["Lessons"] == str(stats["lessons"])

    sb.selectbox(key="opt_backend").select("embedded")
    sb.slider(key="opt_top_k").set_value(3)
    sb.slider(key="opt_max_concepts").set_value(6)
    sb.slider(key="opt_prereq_depth").set_value(1)
    labels = ["a red circle", "a blue square", "a green star"]
    sb.text_input(key="opt_labels").input(", ".join(labels))
    at.chat_input(key="ask").upload("my-shape.png", shape_png(), "image/png").set_value("What is CLIP?")
    at.run()
    assert not at.exception, [e.value for e in at.exception]

    [turn] = at.session_state.chat
    answer = turn["answer"]
    p = answer.retrieval.params
    assert (p.top_k, p.max_concepts, p.prereq_depth) == (3, 6, 1)
    assert len(answer.retrieval.seeds) <= 3 and len(answer.retrieval.path) <= 6
    # the model ran; its prose may be empty when the guard drops all of it (SmolLM2 sometimes loops
    # on this prompt: "... and Transformer Transformer Transformer ..."), the page still answers
    assert answer.main.title == "CLIP" and answer.error is None
    assert "SmolLM2" in answer.model
    shown = texts(at)
    assert "The main idea: CLIP" in shown and ("Intuition." in shown) == bool(answer.text.strip())
    assert any(e.label == "View retrieved context" for e in at.expander)
    assert at.get("graphviz_chart"), "the retrieved subgraph is drawn"
    assert "Explanation path" in shown and "Seeds" in shown
    assert "SmolLM2" in "\n".join(c.value for c in at.sidebar.caption)
    if clip_demos_installed():
        [demo] = [d for d in answer.demos if getattr(d, "classifications", None)][:1]
        c = demo.classifications[0]
        assert {s.label for s in c.scores} == set(labels)
        assert at.get("vega_lite_chart"), "the label probabilities are drawn as bars"
        assert "Best match" in shown

    # "Check my understanding" under the answer: three questions on its concepts, graded in place
    at.button(key="m0-check").click().run()
    assert not at.exception, [e.value for e in at.exception]
    checks = at.session_state["checks"]["m0"]
    assert len(checks) == 3 and checks[0].concept == "clip"
    at.radio(key="m0-q1-choice").set_value(checks[0].answer)
    [check] = [b for b in at.button if b.proto.form_id == "m0-q1-form"]
    check.click().run()
    assert [s.value for s in at.success] == ["Right."]
    assert ui_kb.store.get_progress("me")["clip"]["right"] == 1

    at.sidebar.button(key="clear_chat").click().run()
    assert at.session_state.chat == []
    assert "Hi, I'm Erica" in texts(at)


@pytest.mark.slow
def test_a_model_crash_mid_answer_is_a_message_and_the_next_question_works(app, killer):
    """The embedded model runs in its own process: killed mid-answer (as SIGILL or the OOM killer
    would), the page shows the course's facts and a clear line, and the next question is answered."""
    at = app
    at.sidebar.selectbox(key="opt_backend").select("embedded")
    at.chat_input(key="ask").set_value("What is a perceptron?").run()
    assert not at.exception, [e.value for e in at.exception]
    broken = at.session_state.chat[-1]["answer"]
    stopped = "the embedded model stopped (signal 9, killed); the next question restarts it"
    assert broken.error and stopped in broken.error and killer.killed
    shown = texts(at)
    assert stopped in shown and "The main idea: Perceptron" in shown
    at.chat_input(key="ask").set_value("What is overfitting?").run()
    assert not at.exception, [e.value for e in at.exception]
    answer = at.session_state.chat[-1]["answer"]
    assert answer.error is None and answer.checked and answer.main.title == "Overfitting"
    assert len(killer.killed) == 1


def test_chat_question_the_course_does_not_cover(app):
    """No LLM is needed when nothing in the course is close: Erica says so, without inventing."""
    at = app
    at.sidebar.slider(key="opt_min_score").set_value(0.95)
    at.chat_input(key="ask").set_value("zxqv wobble frumious bandersnatch").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "does not cover" in texts(at)
    assert at.session_state.chat[0]["answer"].covered is False


# -- practice --------------------------------------------------------------------------------
def _answer(at, q, right: bool) -> None:
    """Choose an option of the question ``q`` on the page and check it."""
    box = f"pq-{q.id}"
    choice = q.answer if right else (q.answer + 1) % len(q.options)
    at.radio(key=f"{box}-choice").set_value(choice)
    [button] = [b for b in at.button if b.proto.form_id == f"{box}-form"] or [None]
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_practice_page_quizzes_grades_with_the_passage_and_shows_progress(app, ui_kb):
    """A practice round of the default profile on a laptop: questions from the course, the
    library's verdict with the passage that answers it, mastery saved; the progress tab shows
    the lessons and the map coloured by mastery. No login on a laptop."""
    at = app
    at.switch_page("views/practice.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Practising as" in texts(at) and "me" in texts(at)
    at.radio(key="practice_mode").set_value("A concept").run()
    at.selectbox(key="practice_concept").select("CLIP").run()
    at.number_input(key="practice_count").set_value(3).run()
    at.button(key="practice_start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    qs = at.session_state["quiz"]["questions"]
    assert 1 <= len(qs) <= 3 and qs[0].concept == "clip"  # the concept first, then its prerequisites
    _answer(at, qs[0], right=True)
    shown = texts(at)
    assert [s.value for s in at.success] == ["Right."]
    assert "From the course" in shown and qs[0].passage.strip()[:40] in shown
    if len(qs) > 1:
        _answer(at, qs[1], right=False)
        assert any("the answer is: " in e.value for e in at.error)
    saved = ui_kb.store.get_progress("me")
    assert saved["clip"]["asked"] == 1 and saved["clip"]["right"] == 1  # kept next to the knowledge base
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Mastered"].endswith(f"/ {len(ui_kb.concepts())}")
    [lessons] = [d.value for d in at.dataframe]
    assert len(lessons) == len(ui_kb.lessons()) and lessons["practised"].sum() >= 1
    assert "Your map of a lesson" in texts(at) and at.get("graphviz_chart")
    # a second profile on the same laptop starts from nothing
    at.sidebar.text_input(key="profile_name").input("sam").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Practising as **sam**" in [c.value for c in at.caption][0].replace("\\", "")
    assert ui_kb.store.get_progress("sam") == {}


def test_a_shared_server_signs_students_in_with_hashed_passwords(ui_kb, monkeypatch):
    """ERICA_LOGIN=password (the default with a Chroma server): the sign-in page is the only
    page until a student signs in; accounts keep a bcrypt hash, never the password."""
    monkeypatch.setenv("ERICA_LOGIN", "password")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "sign in so that your practice and progress stay yours" in texts(at).lower()
    assert "learner" not in at.session_state
    assert not at.chat_input  # no chat before signing in
    at.text_input(key="signup_name").input("ana")
    at.text_input(key="signup_password").input("correct horse")
    at.text_input(key="signup_again").input("correct horse")
    [create] = [b for b in at.button if b.label == "Create my account"]
    create.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["learner"] == "ana"
    stored = ui_kb.store.get_account("ana")
    assert stored and "correct horse" not in stored and stored.startswith("$2")
    assert at.chat_input(key="ask") is not None  # the tutor's pages now
    at.sidebar.button(key="sign_out").click().run()
    assert "learner" not in at.session_state
    at.text_input(key="signin_name").input("ana")
    at.text_input(key="signin_password").input("wrong password")
    [sign_in] = [b for b in at.button if b.label == "Sign in"]
    sign_in.click().run()
    assert "wrong name or password" in [e.value for e in at.error][0]
    at.text_input(key="signin_password").input("correct horse")
    [sign_in] = [b for b in at.button if b.label == "Sign in"]
    sign_in.click().run()
    assert at.session_state["learner"] == "ana"


# -- knowledge --------------------------------------------------------------------------------
def test_knowledge_page_searches_and_walks_the_graph(app, ui_kb):
    at = app
    at.switch_page("views/knowledge.py").run()
    at.text_input(key="kn_search").input("gradient descent").run()
    pick = at.selectbox(key="kn_concept")
    assert pick.options[0] == "Gradient descent"  # the name match first
    pick.select("gradient-descent").run()
    c = ui_kb.get("gradient-descent")
    shown = texts(at)
    assert c.definition in shown and "Prerequisites" in shown and "Unlocks" in shown
    assert at.get("graphviz_chart")
    first_prereq = ui_kb.graph.prerequisites("gradient-descent")[0]
    at.button(key=f"kn_pre_{first_prereq}").click().run()
    assert at.selectbox(key="kn_concept").value == first_prereq
    assert ui_kb.get(first_prereq).definition in texts(at)


def test_knowledge_page_opens_the_concept_a_link_names(app, ui_kb):
    at = app
    at.query_params["concept"] = "clip"
    at.switch_page("views/knowledge.py").run()
    assert at.selectbox(key="kn_concept").value == "clip"
    assert ui_kb.get("clip").definition in texts(at)


# -- lessons ----------------------------------------------------------------------------------
GOOD_LESSON = b"""# Bayes' theorem

Bayes' theorem is a rule that updates the probability of a hypothesis after seeing evidence.

## Prior probability

A prior probability is the probability of a hypothesis before any evidence is seen.
Bayes' theorem builds on the prior probability.
"""


def test_lessons_page_refuses_bad_uploads_before_ingesting(ui_kb, monkeypatch):
    monkeypatch.setenv("ERICA_MAX_FILE_MB", "0.001")  # 1 KB
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page("views/lessons.py").run()
    lessons_before = len(ui_kb.lessons())
    at.file_uploader(key="ls_files").set_value(
        [("big.md", b"# Big\n" + b"x" * 4096, "text/markdown"), ("../../empty.txt", b"", "text/plain"),
         ("tool.exe", b"MZ\x90", "application/x-msdownload")]
    )
    at.run()
    at.button(key="ls_ingest").click().run()
    assert not at.exception, [e.value for e in at.exception]
    report = at.session_state.ls_report
    assert [(r["file"], r["status"]) for r in report] == [
        ("big.md", "failed"), ("../../empty.txt", "failed"), ("tool.exe", "failed")]
    assert "over the 0.001 MB limit" in report[0]["reason"]
    assert "empty" in report[1]["reason"]
    assert "not a lesson file type" in report[2]["reason"]
    assert any("3 failed" in e.value for e in at.error)
    assert len(ui_kb.lessons()) == lessons_before
    uploads = Settings().data_dir / "uploads"
    assert not uploads.exists() or not any(p.is_file() for p in uploads.rglob("*"))



def test_lessons_page_ingests_reports_and_forgets(app, ui_kb):
    at = app
    at.switch_page("views/lessons.py").run()
    at.text_input(key="ls_course").input("Probability 101").run()
    at.file_uploader(key="ls_files").set_value(
        [("../../bayes.md", GOOD_LESSON, "text/markdown"), ("broken.pdf", b"%PDF-1.4 this is not a pdf", "application/pdf")]
    )
    at.run()
    at.button(key="ls_ingest").click().run()
    assert not at.exception, [e.value for e in at.exception]
    report = {r["file"]: r for r in at.session_state.ls_report}
    assert report["../../bayes.md"]["status"] == "ingested"
    assert report["../../bayes.md"]["concepts added"] >= 1
    assert report["broken.pdf"]["status"] == "failed" and report["broken.pdf"]["reason"]
    saved = Settings().data_dir / "uploads" / "probability-101" / "bayes.md"
    assert saved.read_bytes() == GOOD_LESSON
    lesson = next(r for r in ui_kb.lessons() if r.id.startswith("probability-101/"))
    assert at.button(key=f"ls_forget_{lesson.id}")

    # the same file again is reported unchanged
    at.button(key="ls_ingest").click().run()
    assert {r["file"]: r["status"] for r in at.session_state.ls_report}["../../bayes.md"] == "unchanged"

    at.button(key=f"ls_forget_{lesson.id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert all(r.id != lesson.id for r in ui_kb.lessons())
    assert any(f"Forgot {lesson.id}" in s.value for s in at.success)


@pytest.mark.slow
def test_a_student_asks_about_a_lesson_just_uploaded(app, ui_kb):
    """Upload on the Lessons page, then ask on the Chat page: the answer cites the new lesson. The
    starter course already teaches Bayes' theorem (an alias of conditional probability), so the
    lesson adds its source to that concept instead of making a twin."""
    at = app
    at.switch_page("views/lessons.py").run()
    at.text_input(key="ls_course").input("Probability 101").run()
    at.file_uploader(key="ls_files").set_value([("bayes.md", GOOD_LESSON, "text/markdown")])
    at.run()
    at.button(key="ls_ingest").click().run()
    assert at.session_state.ls_report[0]["status"] == "ingested"

    at.switch_page("views/chat.py").run()
    at.sidebar.selectbox(key="opt_backend").select("embedded")
    at.chat_input(key="ask").set_value("What is Bayes' theorem?").run()
    assert not at.exception, [e.value for e in at.exception]
    answer = at.session_state.chat[-1]["answer"]
    main = ui_kb.get(answer.main.id)
    assert "Bayes' theorem" in [main.title, *main.aliases]
    assert any(s.path.endswith("bayes.md") for s in main.sources)
    cited = {(s.path, s.section) for s in answer.sources}
    assert ("bayes.md", "Bayes' theorem") in cited and ("bayes.md", "Prior probability") in cited
    assert "bayes.md § Bayes' theorem" in texts(at)

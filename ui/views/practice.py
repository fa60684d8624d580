"""Practice: questions from the course graph (what to learn next, a concept or a lesson), the
verdict with the course's own passage after each answer, and the student's progress — per
lesson and as the graph coloured by mastery. Everything it shows comes from
:class:`tutor.practice.Practice`."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from knowledge.progress import DEFAULT_LEARNER, LearnerError, check_learner
from tutor.mastery import MASTERED
from tutor.practice import PracticeError
from ui import learner, resources
from ui.graphs import MASTERY_LEGEND, mastery_dot, mastery_fill
from ui.quiz import graded, quiz_question
from ui.text import md_escape

MODES = ("What to learn next", "A concept", "A lesson")
MAP_LIMIT = 40  # concepts drawn in one mastery map


def profile_box() -> None:
    """On a laptop: one default profile, another name for a second student (no password)."""
    if resources.settings().login_required:
        return
    with st.sidebar:
        st.subheader("Profile")
        name = st.text_input("Whose practice", value=st.session_state.get("learner", DEFAULT_LEARNER),
                             key="profile_name", help="Progress is kept per name, next to the knowledge base.")
        try:
            name = check_learner(name)
        except LearnerError as exc:
            st.error(str(exc))
            return
        if name != st.session_state.get("learner", DEFAULT_LEARNER):
            st.session_state.learner = name
            st.session_state.pop("quiz", None)


def start(p, mode: str, choice: str | None, count: int) -> None:
    try:
        if mode == MODES[1]:
            qs = p.questions(concept=choice, count=count)
        elif mode == MODES[2]:
            qs = p.questions(lesson=choice, count=count)
        else:
            qs = p.questions(next_up=True, count=count)
    except PracticeError as exc:
        st.session_state.quiz = {"error": str(exc), "questions": []}
        return
    st.session_state.quiz = {"questions": qs, "what": choice or "what to learn next"}


def practise_tab(p) -> None:
    kb = resources.kb()
    bank = p.bank
    c1, c2, c3 = st.columns([2, 3, 1])
    mode = c1.radio("Practise", MODES, key="practice_mode")
    choice = None
    if mode == MODES[1]:
        names = sorted({bank.concepts[c].title for c in bank.definable}, key=str.lower)
        choice = c2.selectbox("Concept", names, index=None, key="practice_concept",
                              placeholder="Type to search the course's concepts")
    elif mode == MODES[2]:
        lessons = {r.id: r.title or r.id for r in kb.lessons()}
        choice = c2.selectbox("Lesson", list(lessons), index=None, key="practice_lesson",
                              format_func=lambda i: lessons[i], placeholder="Choose a lesson")
    else:
        nxt = [bank.concepts[c].title for c in p.next_concepts()[:5]]
        c2.caption("Next for you: " + (", ".join(md_escape(t) for t in nxt) or "everything is mastered"))
    count = c3.number_input("Questions", 1, 20, 5, key="practice_count")
    if st.button("Start practising", type="primary", icon=":material/play_arrow:", key="practice_start",
                 disabled=mode != MODES[0] and not choice):
        start(p, mode, choice, int(count))
    quiz = st.session_state.get("quiz")
    if not quiz:
        st.info("Questions come from the course itself: definitions, prerequisites, the course's own sentences "
                "and code. After each answer you see the passage that answers it.")
        return
    if quiz.get("error"):
        st.error(quiz["error"])
        return
    qs = quiz["questions"]
    if not qs:
        st.warning("The course has no question to ask here yet (a concept needs a definition, a prerequisite "
                   "or code). Try another concept or what to learn next.")
        return
    bar = st.empty()  # filled after the questions: an answer graded in this run counts at once
    for i, q in enumerate(qs, 1):
        quiz_question(p, q, key=f"pq-{q.id}", number=f"{i}.")
    done = [graded()[q.id] for q in qs if q.id in graded()]
    right = sum(g.correct for g in done)
    bar.progress(len(done) / len(qs), text=f"{len(done)} of {len(qs)} answered · {right} right")
    if len(done) == len(qs):
        st.success(f"Done: {right} of {len(qs)} right. Your progress is saved; the next round picks up "
                   "from where you stand.", icon=":material/flag:")


def progress_tab(p) -> None:
    r = p.report()
    titles = {cid: c.title for cid, c in p.bank.concepts.items()}
    c1, c2, c3 = st.columns(3)
    c1.metric("Mastered", f"{len(r.mastered)} / {r.concepts}")
    c2.metric("Weak", len(r.weak), help="Answered wrong and still below 50 %: practise these.")
    c3.metric("Ready to learn", len(r.next), help="Not mastered yet, every prerequisite mastered.")
    if r.weak:
        st.markdown("**Weak:** " + ", ".join(md_escape(titles[c]) for c in r.weak[:12]))
    st.markdown("**Next to learn:** " + (", ".join(md_escape(titles[c]) for c in r.next[:8]) or "—"))
    st.markdown("**By lesson**")
    table = pd.DataFrame([{"lesson": x.title or x.lesson, "concepts": x.concepts, "practised": x.practised,
                           "mastered": x.mastered, "mastery": round(x.mastery * 100)} for x in r.lessons],
                         columns=["lesson", "concepts", "practised", "mastered", "mastery"])
    st.dataframe(table, hide_index=True, key="progress_lessons", column_config={
        "mastery": st.column_config.ProgressColumn("mastery", format="%d %%", min_value=0, max_value=100)})
    st.markdown("**Your map of a lesson** — coloured by mastery")
    lessons = [x.lesson for x in r.lessons]
    names = {x.lesson: x.title or x.lesson for x in r.lessons}
    practised = [x.lesson for x in r.lessons if x.practised]
    if not lessons:
        return
    pick = st.selectbox("Lesson", lessons, index=lessons.index(practised[0]) if practised else 0,
                        format_func=lambda i: names[i], key="map_lesson")
    ids = p.lesson_concepts(pick)[:MAP_LIMIT]
    status = p.status(ids)
    fills = {s.id: mastery_fill(s.mastery, s.seen, s.weak, MASTERED) for s in status}
    notes = {s.id: f"{s.mastery:.0%}" + (f" · {s.right}/{s.asked}" if s.asked else "") for s in status if s.seen}
    st.graphviz_chart(mastery_dot(resources.kb(), ids, fills, notes), width="stretch")
    st.caption(MASTERY_LEGEND)


def main() -> None:
    profile_box()
    learner.sidebar_badge()
    p = learner.practice()
    st.title("Practice")
    st.caption(f"Practising as **{md_escape(p.learner)}** · progress is kept next to the knowledge base.")
    tab1, tab2 = st.tabs(["Practise", "My progress"])
    with tab1:
        practise_tab(p)
    with tab2:
        progress_tab(p)


main()

"""One multiple-choice question on a page: the options, then the library's verdict with the
course passage that answers it. Grading and mastery are :meth:`tutor.practice.Practice.answer`'s;
this only draws them. Used by the Practice page and by "Check my understanding" under answers."""

from __future__ import annotations

import streamlit as st

from tutor.practice import Practice
from tutor.quiz import Graded, Question
from ui.text import md_escape, md_with_math


def graded() -> dict[str, Graded]:
    """This session's answered questions, by question id."""
    return st.session_state.setdefault("graded", {})


def quiz_question(p: Practice, q: Question, key: str, number: str = "") -> Graded | None:
    """Draw ``q``; grade the student's choice once; afterwards show the verdict."""
    done = graded().get(q.id)
    with st.container(border=True, key=f"{key}-box"):
        st.markdown(f"**{md_escape(number)}** {md_with_math(q.prompt)}" if number else md_with_math(q.prompt))
        if q.code:
            st.code(q.code, language=q.language or None)
        if done is None:
            slot = st.empty()  # the options, replaced by the verdict once answered
            with slot.container(), st.form(f"{key}-form", border=False):
                choice = st.radio("Your answer", range(len(q.options)), index=None, key=f"{key}-choice",
                                  format_func=lambda i: md_with_math(q.options[i]), label_visibility="collapsed")
                if st.form_submit_button("Check my answer", type="primary"):
                    if choice is None:
                        st.warning("Pick one of the options first.")
                    else:
                        done = graded()[q.id] = p.answer(q, int(choice))
            if done is not None:
                slot.empty()
        if done is not None:
            render_feedback(done)
    return done


def render_feedback(g: Graded) -> None:
    q = g.question
    for i, opt in enumerate(q.options):
        mark = (":green[:material/check_circle:]" if i == q.answer else
                ":red[:material/cancel:]" if i == g.choice else ":gray[:material/radio_button_unchecked:]")
        st.markdown(f"{mark} {md_with_math(opt)}")
    if g.correct:
        st.success("Right.", icon=":material/check_circle:")
    else:
        st.error(f"Not quite — the answer is: {md_with_math(g.right)}", icon=":material/cancel:")
    src = f" — _{md_escape(q.source.label())}_" if q.source else ""
    st.markdown(f"**From the course**{src}")
    st.markdown("> " + q.passage.strip().replace("\n", "\n> "))
    if q.concept in g.mastery:
        st.caption(f"Your mastery of {md_escape(q.concept_title)}: {g.mastery[q.concept]:.0%}")

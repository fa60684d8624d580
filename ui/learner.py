"""Who is practising: the signed-in student on a shared server, the default profile on a laptop.

The page keeps only the learner's name in the session; the accounts, the password check and
the practice itself are the library's (:mod:`knowledge.accounts`, :class:`tutor.practice.Practice`).
"""

from __future__ import annotations

import streamlit as st

from knowledge import accounts
from knowledge.progress import DEFAULT_LEARNER
from tutor.practice import Practice
from ui import resources
from ui.text import md_escape


def current() -> str | None:
    """The learner of this browser session (None: a shared server, nobody signed in yet)."""
    if not resources.settings().login_required:
        return st.session_state.get("learner", DEFAULT_LEARNER)
    return st.session_state.get("learner")


def practice() -> Practice | None:
    """This session's :class:`Practice` (its asked-questions memory lasts the session); a new one
    when the learner or the knowledge base changed."""
    who = current()
    if who is None:
        return None
    bank = resources.question_bank()
    p = st.session_state.get("practice")
    if p is None or p.learner != who or p.bank is not bank:
        p = st.session_state.practice = Practice(resources.kb(), who, bank=bank)
    return p


def sign_in_page() -> None:
    """The only page on a shared server until a student signs in."""
    st.title("Erica — Your AI Tutor")
    st.caption("This tutor is shared: sign in so that your practice and progress stay yours.")
    kb = resources.kb()
    tabs = st.tabs(["Sign in", "Create an account"] if resources.settings().allow_signup else ["Sign in"])
    with tabs[0], st.form("sign_in"):
        name = st.text_input("Name", key="signin_name")
        password = st.text_input("Password", type="password", key="signin_password")
        if st.form_submit_button("Sign in", type="primary"):
            try:
                st.session_state.learner = accounts.verify(kb, name, password)
                st.rerun()
            except accounts.AccountError as exc:
                st.error(str(exc))
    if len(tabs) > 1:
        with tabs[1], st.form("sign_up"):
            name = st.text_input("Name", key="signup_name", help="Letters, digits, '.', '_', '-' or '@'.")
            password = st.text_input("Password", type="password", key="signup_password",
                                     help=f"At least {accounts.MIN_PASSWORD} characters.")
            again = st.text_input("Password again", type="password", key="signup_again")
            if st.form_submit_button("Create my account", type="primary"):
                if password != again:
                    st.error("the two passwords differ")
                else:
                    try:
                        st.session_state.learner = accounts.create(kb, name, password)
                        st.rerun()
                    except accounts.AccountError as exc:
                        st.error(str(exc))


def sign_out() -> None:
    for k in ("learner", "practice", "quiz", "checks"):
        st.session_state.pop(k, None)


def sidebar_badge() -> None:
    """Who is signed in, with a way out (shared server only)."""
    who = current()
    if who and resources.settings().login_required:
        with st.sidebar:
            st.caption(f"Signed in as **{md_escape(who)}**")
            st.button("Sign out", key="sign_out", icon=":material/logout:", on_click=sign_out)

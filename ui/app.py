"""Erica's Streamlit shell: ``erica ui`` (or ``streamlit run ui/app.py``).

Four pages over the library — Chat, Practice, Lessons, Knowledge (on a shared server, a sign-in
page first). This entry point sets up the page,
opens the knowledge base once (loading the starter course into an empty one) and hands over
to ``st.navigation``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Erica runs its models eagerly and never compiles kernels. Importing transformers makes torch
# import Triton (a GPU kernel compiler, ~80 MB resident) anyway; keep it out of the page's process.
# torch treats Triton as optional (its import fails → "no Triton") and runs exactly the same.
sys.modules.setdefault("triton", None)

import streamlit as st  # noqa: E402

try:
    import ui  # noqa: F401  (installed with the project)
except ImportError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ui import learner, resources  # noqa: E402

st.set_page_config(page_title="Erica — Your AI Tutor", page_icon="🎓", layout="wide")
st.set_option("client.toolbarMode", "viewer")  # a tutor for students: no developer menu

# Keep the chat settings when the student visits another page (Streamlit forgets the values
# of widgets that a run did not draw, unless they were last set through session state).
for _k in [k for k in st.session_state.keys() if str(k).startswith("opt_")]:
    st.session_state[_k] = st.session_state[_k]

resources.kb()  # open once, load the starter course into an empty knowledge base

if learner.current() is None:  # a shared server: nothing but the sign-in until a student signs in
    st.navigation([st.Page(learner.sign_in_page, title="Sign in", icon=":material/login:")]).run()
    st.stop()

pages = [
    st.Page("views/chat.py", title="Chat", icon=":material/chat:", url_path="chat", default=True),
    st.Page("views/practice.py", title="Practice", icon=":material/quiz:", url_path="practice"),
    st.Page("views/lessons.py", title="Lessons", icon=":material/menu_book:", url_path="lessons"),
    st.Page("views/knowledge.py", title="Knowledge", icon=":material/hub:", url_path="knowledge"),
]
st.navigation(pages).run()

# Load the embedder, the LLM and CLIP in the background now that the page is drawn.
resources.warm_up(st.session_state.get("opt_backend"), st.session_state.get("opt_model", ""))

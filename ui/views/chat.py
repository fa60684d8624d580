"""Chat: ask Erica; answers stream in, with their retrieved context and live CLIP demos.

Order of the page: sidebar inputs, title, session state, replay history, then the new question.
"""

from __future__ import annotations

import streamlit as st

from tutor.answer import Conversation
from tutor.llm import BACKENDS, LLMError
from tutor.retrieval import RetrievalError, RetrievalParams
from ui import learner, resources
from ui.components import render_answer, render_stats
from ui.demos import render_demo
from ui.quiz import quiz_question
from ui.uploads import save_image

DEFAULTS = RetrievalParams()  # the library's defaults, not ours
IMAGE_TYPES = ["png", "jpg", "jpeg", "webp", "gif", "bmp"]
MAX_IMAGE_MB = 10
AVATAR = ":material/school:"
IMAGE_QUESTION = "What does CLIP see in my picture?"
SUGGESTIONS = ("What is CLIP?", "How does gradient descent work?", "What is a convolutional neural network?")

OPTIONS = {  # sidebar widget key → library default
    "opt_top_k": DEFAULTS.top_k,
    "opt_prereq_depth": DEFAULTS.prereq_depth,
    "opt_related_depth": DEFAULTS.related_depth,
    "opt_max_concepts": DEFAULTS.max_concepts,
    "opt_min_score": DEFAULTS.min_score,
    "opt_model": "",
    "opt_labels": "",
}


def clear_chat() -> None:
    st.session_state.chat = []
    st.session_state.conversation = Conversation()


def params() -> RetrievalParams:
    ss = st.session_state
    return RetrievalParams(top_k=ss.opt_top_k, min_score=float(ss.opt_min_score), prereq_depth=ss.opt_prereq_depth,
                           related_depth=ss.opt_related_depth, max_concepts=ss.opt_max_concepts)


def labels() -> list[str]:
    return [x.strip() for x in st.session_state.opt_labels.split(",") if x.strip()]


def sidebar(kb, settings) -> None:
    for k, v in OPTIONS.items():
        st.session_state.setdefault(k, v)
    st.session_state.setdefault("opt_backend", settings.llm_backend if settings.llm_backend in BACKENDS else "auto")
    with st.sidebar:
        st.subheader("Settings")
        st.caption("Changes apply to the next question.")
        st.slider("Semantic search results (top-k)", 1, 20, key="opt_top_k",
                  help="How many concepts the question is matched to before the graph is walked.")
        st.slider("Prerequisite depth", 0, 6, key="opt_prereq_depth",
                  help="How many steps back along prerequisite edges to explain first.")
        st.slider("Related depth", 0, 3, key="opt_related_depth",
                  help="How many steps along related edges (is a, part of, contrasts with) to include.")
        st.slider("Max concepts", 1, 30, key="opt_max_concepts",
                  help="Cap on the concepts in one explanation.")
        st.slider("Min score", 0.0, 1.0, step=0.05, key="opt_min_score",
                  help="Cosine similarity a concept needs to count as a match (its exact name also counts).")
        st.selectbox("LLM backend", BACKENDS, key="opt_backend",
                     help="auto: Ollama when it runs and has the model, else the embedded SmolLM2.")
        st.text_input("Model", key="opt_model", placeholder=f"default: {settings.ollama_model} / bundled SmolLM2",
                      help="An Ollama model name, or a .gguf path for the embedded backend.")
        st.text_input("Labels for an attached image", key="opt_labels", placeholder="a red circle, a striped blue star",
                      help="Comma-separated. Attach an image to your question (the + in the chat box) "
                           "and CLIP picks the label that fits.")
        st.button("Clear chat", key="clear_chat", icon=":material/delete_sweep:", on_click=clear_chat, width="stretch")
        st.divider()
        st.subheader("Knowledge graph")
        backend, model = st.session_state.opt_backend, st.session_state.opt_model
        render_stats(kb, resources.llm_label(backend, model), resources.clip_description())


def render_question(turn: dict) -> None:
    with st.chat_message("user"):
        st.markdown(turn["question"])
        if turn.get("image"):
            st.image(turn["image"], width=160, caption=turn.get("image_name"))
            if turn.get("labels"):
                st.caption("Labels: " + ", ".join(turn["labels"]))


def queue_message(ahead: int) -> str:
    where = ("The tutor's model is writing another student's answer; yours is next." if ahead == 1 else
             f"The tutor's model is busy: {ahead} questions are ahead of yours (you are number {ahead + 1} in line).")
    return where + " The course's facts are below already; the intuition follows when it is your turn."


def stream_answer(kb, turn: dict, key: str):
    """Stream one answer into the current chat message; returns the finished Answer (or None)."""
    tutor = resources.tutor(st.session_state.opt_backend, st.session_state.opt_model)
    options = None
    if turn.get("image"):
        path = save_image(turn["image"], turn["image_name"] or "image.png",
                          resources.settings().data_dir / "uploads" / "images")
        options = {"explicit": True, "image": str(path), "labels": turn["labels"]}
    live = st.empty()
    with live.container():
        status = st.status("Searching the course knowledge graph…")
        demo_box = st.container()
        facts_box = st.empty()  # the course's part first, as in the finished answer
        queue_box = st.empty()
        text_box = st.empty()
    answer, parts, prefix, n_demos = None, [], "", 0
    practice = learner.practice()
    try:
        for ev in tutor.stream(turn["question"], params(), st.session_state.conversation, options,
                               learner=practice.tracer if practice else None):
            if ev.kind == "retrieval":
                res = ev.data
                found = ", ".join(s.title for s in res.seeds[:3]) or "nothing close enough"
                status.update(label=f"Found {found} · {len(res.path)} concepts", state="complete")
                prefix = "" if res.empty else "**Intuition.** "
            elif ev.kind == "facts":  # the course's facts at once, while the model writes (or waits)
                facts_box.markdown(ev.data.course_markdown())
            elif ev.kind == "queue":
                if ev.data:
                    queue_box.info(queue_message(ev.data), icon=":material/hourglass_top:")
                else:
                    queue_box.empty()
            elif ev.kind == "token":
                queue_box.empty()
                parts.append(ev.data)
                text_box.markdown(prefix + "".join(parts) + " ▌")
            elif ev.kind == "demo":
                with demo_box:
                    render_demo(ev.data, key=f"{key}-live{n_demos}", image=turn.get("image"))
                n_demos += 1
            elif ev.kind == "done":
                answer = ev.data
    except (LLMError, RetrievalError) as exc:
        live.empty()
        st.error(str(exc))
        return None
    live.empty()
    render_answer(answer, kb, key, image=turn.get("image"))
    return answer


def check_understanding(answer, key: str) -> None:
    """Three questions on the answer's concepts (the main one first), answered in place."""
    p = learner.practice()
    if p is None or answer is None or not answer.covered or answer.main is None:
        return
    checks = st.session_state.setdefault("checks", {})
    if key not in checks:
        if st.button("Check my understanding", key=f"{key}-check", icon=":material/quiz:",
                     help="Three questions on this answer's concepts; your answers count towards your progress."):
            ids = [answer.main.id, *(c.id for c in answer.prerequisites), *(c.id for c in answer.known)]
            checks[key] = p.check_understanding(ids)
        else:
            return
    qs = checks[key]
    if not qs:
        st.caption("The course has no question on these concepts yet.")
    for i, q in enumerate(qs, 1):
        quiz_question(p, q, key=f"{key}-q{i}", number=f"{i}.")


def ask(kb, question: str, image=None) -> None:
    turn = {"question": question, "image": image.getvalue() if image else None,
            "image_name": image.name if image else None, "labels": labels() if image else []}
    render_question(turn)
    key = f"m{len(st.session_state.chat)}"
    with st.chat_message("assistant", avatar=AVATAR):
        answer = stream_answer(kb, turn, key=key)
        check_understanding(answer, key)
    if answer is not None:
        turn["answer"] = answer
        st.session_state.chat.append(turn)
        st.session_state.conversation.add(answer)


def main() -> None:
    settings = resources.settings()
    kb = resources.kb()
    sidebar(kb, settings)
    learner.sidebar_badge()
    st.title("Erica — Your AI Tutor")
    st.caption("Answers come from the course knowledge graph: prerequisites first, every fact with its source.")
    if "chat" not in st.session_state:
        clear_chat()
    for i, turn in enumerate(st.session_state.chat):
        render_question(turn)
        with st.chat_message("assistant", avatar=AVATAR):
            render_answer(turn["answer"], kb, key=f"m{i}", image=turn.get("image"))
            check_understanding(turn["answer"], f"m{i}")
    picked = None
    welcome = st.empty()
    if not st.session_state.chat:
        with welcome.container(), st.chat_message("assistant", avatar=AVATAR):
            st.markdown("Hi, I'm Erica. Ask me anything about the course — or try one of these:")
            cols = st.columns(len(SUGGESTIONS))
            for j, (col, q) in enumerate(zip(cols, SUGGESTIONS)):
                if col.button(q, key=f"suggest_{j}", width="stretch"):
                    picked = q
    prompt = st.chat_input("Ask Erica about the course (attach an image with + to try CLIP on it)", key="ask",
                           accept_file=True, file_type=IMAGE_TYPES, max_upload_size=MAX_IMAGE_MB)
    if prompt:
        image = prompt.files[0] if prompt.files else None
        question = prompt.text.strip() or (IMAGE_QUESTION if image else "")
        if question:
            welcome.empty()
            ask(kb, question, image)
    elif picked:
        welcome.empty()
        ask(kb, picked)


main()

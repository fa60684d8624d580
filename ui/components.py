"""Rendering helpers shared by the pages: an answer, its retrieved context, sources, stats.

Lesson text and model output go through ``st.markdown`` with its default HTML escaping (never
``unsafe_allow_html``), so Markdown, LaTeX and code blocks render and HTML shows as text.
Titles and paths that we splice into our own Markdown are escaped with :func:`md_escape`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from knowledge.kb import KnowledgeBase
from knowledge.models import Concept, Example
from tutor.answer_model import described
from ui.demos import render_demo
from ui.text import md_escape
from ui.graphs import LEGEND, neighbourhood_dot, retrieval_dot

KNOWLEDGE_PAGE = "views/knowledge.py"
# -- the knowledge base ---------------------------------------------------------------------
def render_stats(kb: KnowledgeBase, llm_name: str, clip_name: str) -> None:
    """Knowledge graph stats and the active models (the chat page's sidebar)."""
    s = kb.stats()
    st.caption(f"Stored in ChromaDB ({md_escape(s['mode'])}) · embeddings {md_escape(s['embedder'])}")
    c1, c2 = st.columns(2)
    c1.metric("Concepts", s["concepts"], help="Concepts stored in ChromaDB")
    c2.metric("Lessons", s["lessons"])
    c1.metric("Prerequisite edges", s["prerequisite_edges"])
    c2.metric("Related edges", s["related_edges"], help="is a, part of, contrasts with, related to")
    st.caption(f"**LLM:** {md_escape(llm_name)}")
    st.caption(f"**CLIP:** {md_escape(clip_name)}")


def render_example(ex: Example) -> None:
    if ex.kind == "code":
        st.code(ex.text, language=ex.language or None)
    elif ex.kind == "math" and "$" not in ex.text:
        st.latex(ex.text)
    else:
        st.markdown(ex.text)


def concept_link(c: Concept | None, cid: str, label: str | None = None) -> None:
    """A link to the knowledge page showing this concept."""
    title = c.title if c else cid
    st.page_link(KNOWLEDGE_PAGE, label=label or f"Open “{title}” in the knowledge browser",
                 icon=":material/hub:", query_params={"concept": cid})


def render_source(src, key: str) -> None:
    """One numbered source; clicking opens what the knowledge base held from that section when
    the answer was written (the answer carries it: nothing is read from the store here)."""
    with st.popover(md_escape(f"[{src.n}] {src.label()}"), key=key, width="stretch"):
        if src.lesson_title:
            st.markdown(f"**{md_escape(src.lesson_title)}**" + (f" — {md_escape(src.course)}" if src.course else ""))
        st.caption(md_escape(src.label()))
        if not src.concepts:
            st.info("The knowledge base held no concept from this section when this answer was written.")
        for c in src.concepts:
            st.markdown(f"**{md_escape(c['title'])}** — {c['text']}")
            ex = c.get("example")
            if ex:
                render_example(Example(ex["text"], ex["kind"], ex.get("language") or ""))
            st.page_link(KNOWLEDGE_PAGE, label=f"Open “{c['title']}” in the knowledge browser",
                         icon=":material/hub:", query_params={"concept": c["id"]})


# -- answers ---------------------------------------------------------------------------------
def render_answer(answer, kb: KnowledgeBase, key: str, image: bytes | None = None) -> None:
    """A finished answer: the library's Markdown, the live demos (``image``: the student's own
    picture, shown with its classification), then the retrieved context."""
    st.markdown(answer.markdown())
    if not answer.covered and answer.nearest:
        cols = st.columns(min(3, len(answer.nearest)))
        for col, ref in zip(cols, answer.nearest):
            with col:
                concept_link(None, ref.id, label=ref.title)
    if answer.demos:
        st.markdown("**Try it live**")
        for i, demo in enumerate(answer.demos):
            render_demo(demo, key=f"{key}-demo{i}", image=image)
    if answer.retrieval is not None and not answer.retrieval.empty:
        render_context(answer, kb, key)


def render_context(answer, kb: KnowledgeBase, key: str) -> None:
    res = answer.retrieval
    with st.expander("View retrieved context", icon=":material/manage_search:", key=f"{key}-ctx"):
        st.markdown("**Seeds** — the concepts the question is about")
        st.dataframe(seed_table(res), hide_index=True, key=f"{key}-seeds")
        st.markdown("**Explanation path** — prerequisites first")
        st.markdown(path_markdown(res.path))
        if answer.sources:
            st.markdown("**Sources** — click one to see what the course says there")
            for s in answer.sources:
                render_source(s, key=f"{key}-src{s.n}")
        st.markdown("**Retrieved subgraph**")
        st.graphviz_chart(retrieval_dot(res), width="stretch")
        st.caption(LEGEND)
        p = res.params
        st.caption(
            f"top-k {p.top_k} · min score {p.min_score:g} · prerequisite depth {p.prereq_depth} · "
            f"related depth {p.related_depth} · max concepts {p.max_concepts}"
            + _timings(answer.timings_ms)
        )


def _timings(t: dict[str, float]) -> str:
    parts = [f"{name.replace('_', ' ')} {t[name] / 1000:.1f} s" for name in ("retrieval", "queue", "first_token", "total") if t.get(name)]
    return (" · " + " · ".join(parts)) if parts else ""


def seed_table(res) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "concept": s.title,
                "score": round(s.score, 3),
                "similarity": round(s.similarity, 3),
                "name in question": "✓" if s.matched_name else "",
                "source": s.sources[0].label() if s.sources else "",
            }
            for s in res.seeds
        ],
        columns=["concept", "score", "similarity", "name in question", "source"],
    )


def path_markdown(path: Sequence) -> str:
    lines = []
    for i, step in enumerate(path, 1):
        if step.relation == "seed":
            how = "asked about"
        elif step.relation == "prerequisite":
            how = f"prerequisite, {step.depth} step{'s' if step.depth != 1 else ''} before"
        else:
            how = f"{step.kind.replace('_', ' ')} ({step.depth} step{'s' if step.depth != 1 else ''})"
        lines.append(f"{i}. **{md_escape(step.title)}** — {md_escape(how)}")
    return "\n".join(lines) or "_(empty)_"


def render_concept_graph(kb: KnowledgeBase, cid: str) -> None:
    st.graphviz_chart(neighbourhood_dot(kb, cid), width="stretch")
    st.caption(LEGEND.replace("what the question is about", "this concept"))

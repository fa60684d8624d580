"""Knowledge: search and browse the course's concepts; one concept with its definition,
aliases, sources, examples, prerequisites, what it unlocks, and a small graph around it."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from knowledge.models import Concept
from tutor.answer_model import described
from ui import resources
from ui.components import render_concept_graph, render_example
from ui.text import md_escape

MAX_HITS = 50


def go_to(cid: str) -> None:
    """Button callback: show another concept (and leave the search so it is in the list)."""
    st.session_state.kn_search = ""
    st.session_state.kn_concept = cid


def pick_row(hits: list[str]) -> None:
    rows = st.session_state.kn_table.selection.rows
    if rows and rows[0] < len(hits):
        st.session_state.kn_concept = hits[rows[0]]


def concept_buttons(kb, ids: list[str], key: str) -> None:
    concepts = kb.concepts()
    if not ids:
        st.caption("none")
        return
    for cid in ids:
        st.button(concepts[cid].title if cid in concepts else cid, key=f"kn_{key}_{cid}", on_click=go_to,
                  args=(cid,), icon=":material/arrow_forward:", type="tertiary")


def render_concept(kb, c: Concept) -> None:
    g = kb.graph
    st.subheader(c.title)
    st.caption(" · ".join([c.difficulty, *(f"#{t}" for t in c.tags)]))
    st.markdown(described(c.definition, c.context))
    if c.aliases:
        st.markdown("**Also called:** " + ", ".join(md_escape(a) for a in c.aliases))
    left, mid, right = st.columns(3)
    with left:
        st.markdown("**Prerequisites**")
        st.caption("learn these first")
        concept_buttons(kb, g.prerequisites(c.id), "pre")
    with mid:
        st.markdown("**Unlocks**")
        st.caption("what to learn next")
        concept_buttons(kb, g.unlocks(c.id), "next")
    with right:
        st.markdown("**Related**")
        st.caption("is a, part of, contrasts with")
        related = g.related_to(c.id)
        concept_buttons(kb, [nb for nb, _ in related], "rel")
    if c.examples:
        st.markdown("**Examples**")
        for ex in c.examples:
            render_example(ex)
            if ex.source:
                st.caption(md_escape(ex.source.label()))
    st.markdown("**Sources**")
    for s in c.sources:
        rec = kb.lesson(s.lesson) if s.lesson else None
        lesson = f" — lesson “{md_escape(rec.title)}”" if rec and rec.title else ""
        st.markdown(f"- {md_escape(s.label())}{lesson}")


def main() -> None:
    kb = resources.kb()
    concepts = kb.concepts()
    st.title("Knowledge graph")
    s = kb.stats()
    st.caption(f"{s['concepts']} concepts · {s['prerequisite_edges']} prerequisite edges · "
               f"{s['related_edges']} related edges · {s['lessons']} lessons")
    if not concepts:
        st.info("The knowledge base is empty: add lessons on the Lessons page.")
        return
    wanted = st.query_params.get("concept")  # a link from an answer's source
    if wanted in concepts and st.session_state.get("kn_from_link") != wanted:
        st.session_state.kn_from_link = wanted
        go_to(wanted)
    st.text_input("Search concepts", key="kn_search", placeholder="e.g. gradient, CNN, attention",
                  help="Matches titles, aliases and tags, then the words of definitions.")
    hits = kb.search_concepts(st.session_state.kn_search, MAX_HITS)
    if st.session_state.get("kn_concept") not in hits:
        st.session_state.kn_concept = hits[0] if hits else None
    if not hits:
        st.warning("No concept matches that search.")
        return
    browse, detail = st.columns([2, 3], gap="large")
    with browse:
        st.selectbox(f"Concept ({len(hits)} shown)", hits, key="kn_concept",
                     format_func=lambda cid: concepts[cid].title if cid in concepts else cid)
        table = pd.DataFrame(
            [{"concept": concepts[c].title, "difficulty": concepts[c].difficulty} for c in hits]
        )
        st.dataframe(table, hide_index=True, height=420, key="kn_table", on_select=partial(pick_row, hits),
                     selection_mode="single-row")
        st.caption("Pick a concept above, or click a row.")
    with detail:
        render_concept(kb, concepts[st.session_state.kn_concept])
    st.markdown(f"**Around {md_escape(concepts[st.session_state.kn_concept].title)} in the graph**")
    render_concept_graph(kb, st.session_state.kn_concept)


main()

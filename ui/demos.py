"""Live CLIP demos inside answers, rendered the way a person reads them: one function per kind.

* zero-shot classification (:class:`tutor.clip.results.Classification`) → the image and the
  label probabilities as bars;
* text → image search (``SearchResult``) → the query and an image grid, each with its score;
* similarity matrix (``SimilarityMatrix``) → the images and a heatmap of image × caption
  cosine similarities, numbers in the cells.

A demo arrives as a :class:`tutor.clip.demos.DemoResult` (title, the model that ran it, and
its classifications / search / similarity) or as a bare engine result. Results reference
images by PNG path (or ``"<in-memory image N>"`` for the student's own picture, which the page
passes in as ``image``). An unknown kind falls back to its text, so a new demo never breaks a
page. Every text here is shown as text (escaped Markdown), never as HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from tutor.clip.results import result_kind
from ui.text import md_escape

GRID_COLUMNS = 4
BAR, BAR_BEST = "#a7b4c8", "#2b6cb0"


def _esc(text: Any) -> str:
    return md_escape(text)


def _parts(demo: Any) -> tuple[str, str, list[Any]]:
    """(title, which model ran it, the results) of a :class:`tutor.clip.demos.DemoResult` —
    or of a bare engine result."""
    if result_kind(demo) == "demo":
        results = [*demo.classifications, *(r for r in (demo.search, demo.similarity) if r is not None)]
        return demo.title, demo.model, results
    return "", "", [demo]


def _description(demo: Any) -> str:
    """What the student should look at, from the demo registry (``tutor/clip/demos.yaml``)."""
    demo_id = getattr(demo, "demo_id", "")
    if not demo_id:
        return ""
    try:
        from tutor.clip.demos import get_demo

        return get_demo(demo_id).description
    except Exception:  # an unknown id or no CLIP: the demo still shows, without the note
        return ""


def show_image(ref: Any, fallback: Any = None, **kw: Any) -> None:
    """An image by path (or the fallback for an in-memory one); a caption when it is gone."""
    if isinstance(ref, str) and not ref.startswith("<"):
        if Path(ref).is_file():
            st.image(ref, **kw)
            return
        st.caption(f"(image no longer on disk: {_esc(Path(ref).name)})")
        return
    if fallback is not None:
        st.image(fallback, **kw)
    elif not isinstance(ref, str) and ref is not None:
        st.image(ref, **kw)


def _unknown(words: list[str]) -> None:
    if words:
        st.caption("This model does not know the word(s): " + ", ".join(_esc(w) for w in words))


def render_classification(r: Any, key: str, image: Any = None) -> None:
    left, right = st.columns([1, 2], vertical_alignment="center")
    with left:
        show_image(r.image, image, width=180)
    with right:
        st.markdown(f"Best match: **{_esc(r.best)}** ({r.probability:.0%})")
        df = pd.DataFrame({"label": [s.label for s in r.scores], "probability": [float(s.probability) for s in r.scores],
                           "cosine": [float(s.similarity) for s in r.scores]})
        chart = (
            alt.Chart(df)
            .mark_bar(cornerRadiusEnd=3)
            .encode(
                x=alt.X("probability:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%", title="probability")),
                y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False)),
                color=alt.condition(alt.datum.label == r.best, alt.value(BAR_BEST), alt.value(BAR)),
                tooltip=["label", alt.Tooltip("probability:Q", format=".1%"), alt.Tooltip("cosine:Q", format=".3f")],
            )
        )
        text = chart.mark_text(align="left", dx=4, fontSize=11).encode(
            text=alt.Text("probability:Q", format=".0%"), color=alt.value("#333"))
        st.altair_chart(chart + text, width="stretch", height=60 + 26 * len(df), key=f"{key}-bars")
    st.caption(_esc(r.reading))
    _unknown(list(getattr(r, "unknown_words", []) or []))


def render_search(r: Any, key: str, image: Any = None) -> None:
    st.markdown(f"Searching {r.gallery_size} images for *{_esc(r.query)}*")
    hits = list(r.hits)
    for start in range(0, len(hits), GRID_COLUMNS):
        cols = st.columns(GRID_COLUMNS)
        for col, hit in zip(cols, hits[start : start + GRID_COLUMNS]):
            with col:
                label = f"#{hit.rank} · score {hit.score:.2f}" + (f" · {hit.caption}" if hit.caption else "")
                if getattr(hit, "lesson", None):
                    label += f" · from {hit.lesson}" + (f"#{hit.section}" if hit.section else "")
                show_image(hit.image, caption=label, width="stretch")
    st.caption(_esc(r.reading))
    _unknown(list(getattr(r, "unknown_words", []) or []))


def render_similarity(r: Any, key: str, image: Any = None) -> None:
    names = [f"image {i + 1}" for i in range(len(r.images))]
    if r.images:
        cols = st.columns(max(len(r.images), 4))
        for col, ref, name in zip(cols, r.images, names):
            with col:
                show_image(ref, image, caption=name, width="stretch")
    cells = [{"image": names[i], "caption": r.captions[j], "cosine": float(v)}
             for i, row in enumerate(r.cosine) for j, v in enumerate(row) if j < len(r.captions)]
    if cells:
        df = pd.DataFrame(cells)
        base = alt.Chart(df).encode(
            x=alt.X("caption:N", sort=list(r.captions), title=None,
                    axis=alt.Axis(labelAngle=-30, labelLimit=220, labelOverlap=False, orient="top")),
            y=alt.Y("image:N", sort=names, title=None, axis=alt.Axis(labelOverlap=False)),
        )
        heat = base.mark_rect().encode(
            color=alt.Color("cosine:Q", scale=alt.Scale(scheme="blues"), title="cosine",
                            legend=alt.Legend(gradientLength=max(60, 34 * len(names) - 30))),
            tooltip=["image", "caption", alt.Tooltip("cosine:Q", format=".3f")],
        )
        cut = float(df["cosine"].quantile(0.75))
        nums = base.mark_text(fontSize=11).encode(
            text=alt.Text("cosine:Q", format=".2f"),
            color=alt.condition(alt.datum.cosine > cut, alt.value("white"), alt.value("#222")),
        )
        st.altair_chart(heat + nums, width="stretch", height=110 + 34 * len(names), key=f"{key}-heat")
    st.caption(_esc(r.reading))


RENDERERS: dict[str, Callable[..., None]] = {
    "classification": render_classification,
    "search": render_search,
    "similarity": render_similarity,
}
DEFAULT_TITLES = {
    "classification": "Zero-shot classification",
    "search": "Text → image search",
    "similarity": "Image–caption similarity matrix",
}


def render_demo(demo: Any, key: str, image: Any = None) -> None:
    """Render one demo in a bordered box; ``image`` is the student's picture, if any."""
    title, model, results = _parts(demo)
    kinds = [result_kind(r) for r in results]
    with st.container(border=True, key=f"{key}-box"):
        heading = title or (DEFAULT_TITLES.get(kinds[0], "Live demo") if kinds else "Live demo")
        st.markdown(f":material/science: **{_esc(heading)}**")
        if about := _description(demo):
            st.caption(_esc(about))
        for i, (r, kind) in enumerate(zip(results, kinds)):
            fn = RENDERERS.get(kind)
            if fn is not None:
                fn(r, f"{key}-{i}", image)
            else:
                st.text(str(getattr(r, "reading", r)))
        if not results:
            st.caption(_esc(getattr(demo, "reading", "") or "This demo produced nothing to show."))
        if model:
            st.caption(f"Run live by {_esc(model)}")

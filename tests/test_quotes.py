"""What an answer quotes for its main concept: asked only what a concept is, the passage where the
course teaches it; a passage that leads into a formula or a list is quoted with it."""

from __future__ import annotations

from ollama_stub import ScriptedLLM

from tutor.answer import Tutor
from tutor.coverage import asks_what_it_is
from tutor.excerpts import from_definition, quoted_passage, with_lead


def test_a_question_that_asks_only_what_a_concept_is_is_told_from_one_that_asks_about_an_aspect():
    attention, gru = ["Attention Mechanism"], ["Gated Recurrent Unit", "GRU"]
    assert asks_what_it_is("Explain the attention mechanism and give a python example", attention)
    assert asks_what_it_is("What is a GRU?", gru)
    assert asks_what_it_is("Tell me about gated recurrent units.", gru)
    assert asks_what_it_is("What is an LSTM network?", ["Long Short-Term Memory", "LSTM"])  # one word more
    assert asks_what_it_is("What's a GRU?", gru) and asks_what_it_is("What exactly is a GRU?", gru)
    assert asks_what_it_is("I don't understand GRUs, please explain them briefly.", gru)
    assert not asks_what_it_is("Why can't a GRU forget?", gru)
    # an aspect: how it learns, why it helps, how it differs, when to use it
    assert not asks_what_it_is("How does a GRU learn?", gru)
    assert not asks_what_it_is("Why does the attention mechanism help translation?", attention)
    assert not asks_what_it_is("What is a GRU and when should I prefer it?", gru)
    assert not asks_what_it_is("What is the difference between a GRU and an LSTM?", gru)
    # a phrase that holds the name among other words is about something else
    assert not asks_what_it_is("How can simple agents following local rules produce flocking behaviour?", ["Flocking"])
    assert not asks_what_it_is("What is it?", gru)
    # where the student met it ("in a GAN", "in a transformer") asks no more than what it is
    assert asks_what_it_is("What is mode collapse in a GAN?", ["Mode Collapse"])
    assert asks_what_it_is("What is self-attention in a transformer?", ["Self-attention"])
    assert not asks_what_it_is("What is the role of a GRU in a language model?", gru)
    assert not asks_what_it_is("What is a GRU and why is it used in a language model?", gru)


def test_a_passage_cut_before_its_formula_or_list_is_quoted_with_it():
    lead = "Then we can define the attention over the database as"
    formula = "$$\\textrm{Attention}(q, D) = \\sum_i \\alpha(q, k_i) v_i,$$\n\nwhere the weights are scalars."
    assert with_lead(lead, formula) == lead + "\n\n$$\\textrm{Attention}(q, D) = \\sum_i \\alpha(q, k_i) v_i,$$"
    items = "- a query\n- a key\n\nThe rest of the section."
    assert with_lead("Attention needs three things:", items) == "Attention needs three things:\n\n- a query\n- a key"
    # a finished sentence, or a passage that goes on in prose, is quoted alone
    assert with_lead("The weights sum to one.", formula) == "The weights sum to one."
    assert with_lead(lead, "which is a weighted sum.") == lead
    assert with_lead(lead, None) == lead


def test_the_excerpt_for_what_a_concept_is_starts_where_the_course_defines_it():
    opening = "Networks so far needed inputs of a fixed size. " * 20
    definition = "Attention pooling is a weighted average of the values, weighted by query-key similarity."
    text = opening + definition + " It generalises the plain average."
    got = from_definition(text, definition, 300)
    assert got.startswith("… Attention pooling is a weighted average") and "plain average" in got
    short = "Motivation first. " + definition
    assert from_definition(short, definition, 300) == short  # the definition fits: the passage's opening leads to it
    assert from_definition(text, "never said here", 300).startswith("Networks so far")


LESSON = """# Regularization

## Dropout

Deep networks with many parameters fit noise in small training sets, and the weights of
neighbouring units adapt to each other's mistakes. Dropout is a regularization technique that zeroes
a random subset of a layer's units at each training step, so that no unit can rely on any other.
At prediction time every unit is kept and the activations are scaled to match.

## Dropout in practice

What is a good dropout rate? Dropout rates of 0.2 to 0.5 are usual; dropout on the input layer
should be lower. Try dropout on your model and compare dropout rates: dropout slows training down.
"""


def test_asked_what_a_concept_is_the_answer_quotes_where_the_course_teaches_it(kb, tmp_path):
    """Words and meaning rank the practical section first (it says "dropout" six times and asks "What
    is ..."); the answer to "What is dropout?" quotes the section that says what it is."""
    from knowledge.ingest.pipeline import ingest_paths

    course = tmp_path / "course" / "dropout"
    course.mkdir(parents=True)
    (course / "README.md").write_text(LESSON)
    ingest_paths(kb, [tmp_path / "course"])
    tutor = Tutor(kb, ScriptedLLM(["It drops units [1]."]))
    q = "What is dropout?"
    assert quoted_passage(kb, q, tutor.retriever.embed_cached(q), "dropout", ["dropout"]).source.section == "Dropout in practice"
    a = tutor.ask(q)
    assert a.main.title == "Dropout"
    [quoted] = a.passages
    assert quoted["section"] == "Dropout" and "zeroes a random subset" in quoted["text"]
    # asked about an aspect, the answer still quotes the passage that answers it
    b = Tutor(kb, ScriptedLLM(["It drops units [1]."])).ask("How do different dropout rates change my accuracy?")
    assert b.passages[0]["section"] == "Dropout in practice"


def test_a_prerequisite_excerpt_starts_where_its_passage_comes_to_it():
    """A prerequisite defined elsewhere is quoted from its teaching passage: the opening when the
    opening names it; else from the first sentence that does — not one that sends the reader
    elsewhere or puts it off to later chapters — since a section may talk about stock prices for a
    whole excerpt before it comes to the time steps of a series."""
    from tutor.excerpts import beyond_definition

    prices = "Stock prices of a market index rise and fall every trading day, and traders watch them closely. " * 5
    text = (prices + "Learn more about the time step in the next notebook. We will revisit the time step later. "
            "At each time step t we observe the price x_t of the index. Prices are noisy.")
    names = lambda s: "time step" in s.lower()  # noqa: E731
    got = beyond_definition(text, "A definition that the passage does not hold at all.", 200, names)
    assert got.startswith("… At each time step t we observe"), got
    assert beyond_definition(text, "A definition that the passage does not hold at all.", 200).startswith("Stock prices")
    named_early = "The time step indexes the series. " + prices
    assert beyond_definition(named_early, "A definition that the passage does not hold at all.", 200, names).startswith("The time step")


def test_no_prerequisite_quote_from_a_section_about_something_else():
    """The passage tied to a concept that neither holds its definition nor names it, in a section whose
    heading is about something else, is not quoted as teaching it; under a heading that names it, the
    section's opening is."""
    from types import SimpleNamespace

    from knowledge.models import Passage, Source
    from tutor.retrieval_model import PathStep

    def step(title: str, section: str) -> PathStep:
        return PathStep(title.lower(), title, "Tau is the window we condition on, the last values of the series.", "beginner",
                        "prerequisite", "", 1, "prerequisite_of", [Source(path="seq.md", section=section)], [], [], [])

    def tutor(section: str):
        opening = Passage("p1", "Stock prices of a market index rise and fall every day.", Source(path="seq.md", section=section))
        return SimpleNamespace(kb=SimpleNamespace(passages_for=lambda cid, kind="text": [opening]))

    assert Tutor._teaching_passage(tutor("Autoregressive Models"), step("Window size", "Autoregressive Models")) is None
    got = Tutor._teaching_passage(tutor("Window Size and Its Choice"), step("Window size", "Window Size and Its Choice"))
    assert got is not None and got.id == "p1"

"""Concepts a course introduces without a defining sentence (headings, first emphasised uses,
"is called X"), kept or dropped by what the course itself says about each term, and definitions
found across the course. The little course here is written for these tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from knowledge.ingest import extract_concepts, parse_file
from knowledge.ingest.introduced import CourseProfile
from knowledge.ingest.pipeline import ingest_paths
from knowledge.models import Concept


def _write(root: Path, rel: str, text: str) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return p


def _course(root: Path) -> Path:
    _write(root, "01-training/README.md", """
        # Training Deep Networks

        Long training runs are fragile when the updates blow up.

        ## Concise Implementation

        In practice we rescale large updates before applying them; we call this *gradient clipping*, and it
        is *not* the same as lowering the step size. The idea goes back to *Ada Lovelace*,
        who never wrote about it.

        ## Padding and Stride

        The padding of an input adds zeros around its border. The stride is the number of cells the
        window moves each step, and a *sparse* grid of positions is the result of a large stride.

        ## Distributing Data

        We copy each minibatch to every device before the step.
        """)
    _write(root, "02-stability/README.md", """
        # Stable Updates

        ## Concise Implementation

        Gradient clipping is a technique that rescales every gradient whose norm exceeds a chosen
        threshold, so that one bad minibatch cannot ruin the model.

        ## Looking Ahead

        A *Nesterov momentum* step looks ahead along the previous update before it computes the
        gradient, and a *learning rate warm-up* raises the step size slowly at the start. A *lookahead
        optimizer* is an optimizer that keeps a slow copy of the weights and pulls it towards the fast one.
        """)
    _write(root, "03-review/README.md", """
        # Review

        ## Concise Implementation

        Gradient clipping and warm-up together keep training stable.
        """)
    return root


def _titles(concepts: list[Concept]) -> dict[str, Concept]:
    return {c.title: c for c in concepts}


def test_what_the_course_says_decides_which_introduced_terms_are_concepts(tmp_path):
    root = _course(tmp_path / "course")
    docs = [parse_file(p, root) for p in sorted(root.rglob("*.md"))]
    profile = CourseProfile.build(docs)
    first = _titles(extract_concepts(docs[0], "01-training", profile))
    # "we call this X" after saying what it does names it: a (naming) definition
    assert "Gradient clipping" in first and first["Gradient clipping"].taught == "defined"
    assert "we call this gradient clipping" in first["Gradient clipping"].definition
    # each topic of a coordinated heading, each used as a noun in the course
    assert {"Padding", "Stride"} <= set(first)
    # a heading in three documents is the course's structure; a step heading; emphasis that is
    # no vocabulary (a function word, a person named once, an adjective never used as a noun)
    for not_a_concept in ("Concise Implementation", "Distributing Data", "Not", "Ada Lovelace", "Sparse"):
        assert not_a_concept not in first, not_a_concept
    second = _titles(extract_concepts(docs[1], "02-stability", profile))
    assert "Nesterov momentum" in second  # technical, though named only once
    assert "Learning rate warm-up" not in second  # everyday words, named once: emphasis, not vocabulary


def test_a_definition_elsewhere_in_the_course_replaces_an_introducing_sentence(kb, tmp_path):
    root = _course(tmp_path / "course")
    ingest_paths(kb, [root], course="course")
    gc = next(c for c in kb.concepts().values() if c.title == "Gradient clipping")
    assert gc.taught == "defined"
    assert gc.definition.startswith("Gradient clipping is a technique that rescales every gradient")
    assert gc.sources[0].path == "02-stability/README.md" and gc.sources[0].section == "Concise Implementation"
    assert {s.path for s in gc.sources} == {"01-training/README.md", "02-stability/README.md"}


def test_how_a_concept_is_taught_is_stored_and_checked():
    c = Concept(title="Stride", definition="The stride is the number of cells the window moves.", taught="introduced")
    assert Concept.from_dict(c.to_dict()).taught == "introduced"
    assert Concept.from_dict({"title": "Old", "definition": "From before the field existed."}).taught == "defined"
    with pytest.raises(ValueError, match="taught must be one of"):
        Concept(title="X", definition="y", taught="guessed")


def test_retrieval_says_which_concepts_are_only_introduced(kb, tmp_path):
    from tutor.retrieval import Retriever

    ingest_paths(kb, [_course(tmp_path / "course")], course="course")
    res = Retriever(kb).retrieve("What is gradient clipping?")
    step = next(s for s in res.path if s.title == "Gradient clipping")
    assert step.taught == "defined" and res.to_dict()["path"][0]["taught"] in ("defined", "introduced")
    # an italic term whose sentence says what it is is defined ("A *lookahead optimizer* is an optimizer
    # that ..."); one whose sentence only says what it does, or a heading, is introduced
    assert kb.get("lookahead-optimizer").taught == "defined"
    assert kb.get("nesterov-momentum").taught == "introduced"
    assert kb.get("stable-update").taught == "introduced"


@pytest.mark.parametrize(("title", "text", "quality"), [
    ("Dropout", "Dropout is a regularization method that zeroes random units during training.", 3),
    ("Intention", "Intentions are specific actions that an agent plans in order to reach its goals.", 3),
    ("Average pooling", "Average pooling is essentially as old as convolutional networks themselves.", 2),
    ("Beam search", "Keep the k best partial outputs at every step. This method is called beam search.", 2),
    ("Threshold unit", "A simple network had one neuron, also called a threshold unit, with manual weights.", 2),
    ("Squared error", "For regression problems, the most common loss function is the squared error.", 1),
    ("Forward pass", "The process described above is called the forward pass.", 0),
    ("Dynamic memory", "Because it lets us move between states, it is also called dynamic memory.", 0),
    ("Eigendecomposition", "Below, we introduce eigendecomposition and say why it is so important.", 0),
    ("Kernel trick", "We can derive the kernel trick for this model as follows.", 0),
    ("Continuous likelihood", "But what if we want to work with the continuous likelihood instead?", 0),
    ("Eigenvalue", "Eigenvalues are often one of the most useful notions we meet in linear algebra.", 1),
    ("TF-IDF", "TF-IDF stands for term frequency-inverse document frequency in information retrieval.", 1),
    ("Minibatch", "We build feature maps for the same minibatch, where the height of one is half the other.", 1),
    ("Data Specific", "Data Specific - they only work well on the kind of images they were trained on.", 1),
    # how it compares, or when to assume it: a remark
    ("Newton's method", "Newton's method is a lot faster once it has started working on convex problems.", 1),
    ("Label shift", "Label shift is a reasonable assumption to make when we believe that y causes x.", 1),
    ("Adagrad", "Adagrad is slower than plain stochastic gradient descent on this problem.", 1),
    # the subject after an opening that compares it, or after a contrast; what a theorem states
    ("Content loss", "Similar to the loss in linear regression, the content loss measures the difference in content.", 2),
    ("Central limit theorem", "The proof is long, but the central limit theorem states that sums of many variables tend "
                              "to a Gaussian.", 2),
    ("Text tagging", "Consider token-level tasks, such as text tagging, where each token is assigned a label.", 2),
    ("Sparse feature", "Now consider a model trained on sparse features, i.e., features that occur only rarely.", 2),
    ("Higher-order term", "The square of a small step is smaller still. We will refer to this as a higher-order term.", 2),
    ("Linear regression", "Linear regression was invented at the turn of the 19th century.", 1),  # its history
    ("Linear regression", "Linear regression is both the simplest and most popular tool for regression problems.", 2),
    # the most used kind of thing, with what it is for: what it is; the most used, alone: a remark
    ("Ethernet", "Ethernet is the most commonly used way of connecting computers in a rack.", 3),
    ("ReLU", "ReLU is the most commonly used activation nowadays.", 1),
    # what it is worth or how hard it is, not what it is
    ("Learning curve", "Learning curves are invaluable tools that help you judge a run before it is over.", 1),
    ("Time zone", "Time zones are an enormously complicated topic because of the politics behind them.", 1),
    ("Retrieval", "Retrieval is a particularly crucial aspect of any memory a chatbot keeps.", 1),
    ("Scheduling", "Scheduling is one of the areas that I am most excited about in this whole course.", 1),
    ("Scheduling", "Scheduling is one of the tasks an operating system performs for every process.", 3),
])
def test_definition_quality_tells_a_definition_from_a_sentence_about_the_lesson(title, text, quality):
    from knowledge.ingest.definitions import definition_quality

    assert definition_quality(Concept(title=title, definition=text)) == quality


def test_an_announcement_is_never_a_definition_but_stays_as_where_the_concept_comes_up(kb, tmp_path):
    root = tmp_path / "course"
    _write(root, "01-linear/README.md", """
        # Linear Algebra

        ## Eigendecomposition

        Below, we introduce *eigendecomposition* and try to say why it matters so much in practice.
        A matrix times one of its own special vectors only stretches that vector by some factor.
        """)
    _write(root, "02-pca/README.md", """
        # Principal Components

        ## Directions of Spread

        Principal directions come from the eigendecomposition of the covariance matrix of the data.
        """)
    ingest_paths(kb, [root], course="la")
    c = next(c for c in kb.concepts().values() if c.title.lower() == "eigendecomposition")
    assert c.definition == ""  # the course never says what it is
    assert c.context.startswith("Below, we introduce eigendecomposition")
    assert "eigendecomposition" in c.embedding_text().lower() and "Below" in c.embedding_text()
    from tutor.answer_model import described
    assert described(c.definition, c.context).startswith("(not defined in the course; it comes up here:")


def test_emphasis_that_tags_an_example_introduces_no_terms(tmp_path):
    """Entities marked up in a sample sentence are the example's data, not the course's vocabulary."""
    root = tmp_path / "course"
    _write(root, "01-ner/README.md", """
        # Entity Recognition

        An entity recogniser tags each token of a sentence with the kind of thing it names. For example:

        **Tricuspid valve regurgitation** and **lithium carbonate** **toxicity** in a newborn infant.

        A *token classifier* assigns one label to every token of its input.
        """)
    doc = parse_file(root / "01-ner/README.md", root)
    titles = set(_titles(extract_concepts(doc, "01-ner", CourseProfile.build([doc]))))
    assert "Token classifier" in titles
    assert not {"Lithium carbonate", "Tricuspid valve regurgitation", "Toxicity"} & titles


def test_named_terms_mass_nouns_compounds_and_a_chapter_called_introduction(tmp_path):
    """Recall on textbook vocabulary, decided from general English and the course: a term the
    sentence *names* ("is called the condition number") is a concept though it is made of
    everyday words and named once; a mass noun is one though the course never writes "the"
    before it; a hyphenated compound is judged by its use, not by the commonest of its parts;
    a chapter titled "Introduction" is read; "X Revisited" is about X."""
    root = tmp_path / "course"
    _write(root, "01-intro/index.md", """
        # Introduction

        A learning program improves with data. Its settings are found by *tokenization* of the text first,
        and the ratio between the largest and the smallest eigenvalue is called the *condition number*.
        These insights move you from *end user* to power user.

        ## Supervised Learning

        Supervised learning fits a model to examples whose answers are known.
        """)
    _write(root, "02-attention/README.md", """
        # Attention

        ## Self-Attention

        Each token attends to every other token of the same sequence, and the weights come from a softmax.

        ## Task-Specific

        A head can be trained on one task only, and the weights stay frozen for the others.

        ## Cross-Entropy Revisited

        The cross-entropy of the predicted distribution and the labels is the loss, one token at a time.
        """)
    docs = [parse_file(p, root) for p in sorted(root.rglob("*.md"))]
    profile = CourseProfile.build(docs)
    intro = _titles(extract_concepts(docs[0], "01-intro", profile))
    assert {"Condition number", "Tokenization", "Supervised Learning"} <= set(intro)
    assert "End user" not in intro  # everyday words, named once, and not named by the sentence
    attention = _titles(extract_concepts(docs[1], "02-attention", profile))
    assert {"Self-Attention", "Cross-Entropy"} <= set(attention)
    assert not {"Task-Specific", "Cross-Entropy Revisited"} & set(attention)


def test_merged_variants_keep_the_plain_name(tmp_path):
    from knowledge.ingest.merge import merge_variants
    from knowledge.models import Source

    def c(title, aliases=()):
        return Concept(title=title, definition=f"{title} is a method to compute gradients.", aliases=list(aliases),
                       sources=[Source(path="a.md", section="s")])

    (one,) = merge_variants([c("Backpropagation Algorithm", ["backpropagation"]), c("Backpropagation")])
    assert one.title == "Backpropagation" and one.id == "backpropagation"


def test_a_titles_head_alone_is_no_alias():
    from knowledge.ingest.aliases import _clean_aliases

    assert _clean_aliases("Batch normalization", ["normalization", "BatchNorm", "batch-normalization"]) == ["BatchNorm"]
    assert _clean_aliases("Empirical risk", ["risk"]) == []
    assert _clean_aliases("Pooling layer", ["pooling"]) == ["pooling"]  # not its head: the operation it applies


def test_names_given_without_emphasis_in_quotes_or_after_it():
    """"... and called it a "decomposable attention model"", "$\\epsilon$ is called the
    "exploration parameter"": quoted names, and a name after "called it", are named terms."""
    from knowledge.ingest.named_terms import _named_in

    assert _named_in('They proposed attention and called it a "decomposable attention model".') == [
        "decomposable attention model"]
    assert _named_in('where ε is called the "exploration parameter" and is chosen by the user') == [
        "exploration parameter"]
    assert _named_in("This policy is called an ε-greedy exploration policy because it explores") == [
        "ε-greedy exploration policy"]


def test_a_key_to_press_and_a_function_called_by_name_are_no_concepts(tmp_path):
    """A step's keys ("press **Ctrl-Shift-P**") and a function a step names ("the method called
    `drawEdges()`") are what to do and what to edit, not terms; a name after "called" that is
    not followed by a call still is one."""
    root = tmp_path / "course"
    _write(root, "01-db/README.md", """
        # Querying a Database

        1. Open the database by pressing **Ctrl-Shift-P** (or **Cmd+Shift+P** on a Mac) and typing the command.
        2. Complete the code in `graph.js` to draw the chart. Look for the method called `drawEdges()` and add a loop.

        A column that holds the key of a row in another table is called a foreign key.
        """)
    docs = [parse_file(p, root) for p in sorted(root.rglob("*.md"))]
    titles = _titles(extract_concepts(docs[0], "01-db", CourseProfile.build(docs)))
    assert not {"Ctrl-Shift-P", "Cmd+Shift+P", "drawEdge", "DrawEdge", "drawEdges"} & set(titles), titles
    assert "Foreign key" in titles


def test_question_headings_nouns_names_and_what_a_heading_works_with(tmp_path):
    """Terms a lesson names in ways a teacher of another subject writes them: a question heading
    whose first word is also a verb ("What are Open Source Models?"), a heading that is a plain
    noun ("Donuts!"), a made-up product name the text gives ("a data platform called Dataverse"),
    both sides of "X with the Y" and a symbol's name ("t-test"). An instruction that starts the
    same way ("Open the notebook", "Begin With the End in Mind") stays no concept."""
    root = tmp_path / "course"
    _write(root, "01-charts/README.md", """
        # Charts of Proportions

        ## Donuts!

        A pie chart with a hole in the middle is easier to read; donuts leave room for a label, and a
        donut keeps the eye on the length of each arc rather than on the area of each slice.

        ## Open the notebook

        Run every cell of the notebook from the top before you change the chart.

        ## Begin With the End in Mind

        Decide who will read the chart before you draw it, and keep that reader in mind.
        """)
    _write(root, "02-models/README.md", """
        # Hosting Models

        ## What are Open Source Models?

        Software counts as open when its source may be shared and changed. For a language model the
        bar is higher: open source models publish their weights, their training data and their code.

        ## Storing the App's Data

        The platform has an underlying data store called Dataverse that keeps the tables of the app.

        ## Document Stores with the Azure Cosmos DB

        A document store keeps each record as a JSON document with fields of its own. Azure Cosmos DB
        is a cloud service that stores such documents and answers queries on them.

        ## Comparing Two Means

        If both samples are normal, we can apply the **Student t-test** to compare their means.
        """)
    docs = [parse_file(p, root) for p in sorted(root.rglob("*.md"))]
    profile = CourseProfile.build(docs)
    charts = _titles(extract_concepts(docs[0], "01-charts", profile))
    models = _titles(extract_concepts(docs[1], "02-models", profile))
    assert "Donut" in charts, charts
    assert not {t for t in charts if t.lower().startswith(("open", "end", "begin"))}, charts
    assert {"Open Source Model", "Dataverse", "Azure Cosmos DB", "Document Store", "Student t-test"} <= set(models), models


def test_a_phrase_a_paragraph_defines_without_emphasis(tmp_path):
    """"Data poisoning is when ..." opens a sentence and says what the phrase is: a concept,
    though nothing sets it in bold. A phrase of everyday words ("The next step is a ...") and a
    list item that labels an example ("Lithium carbonate is a medication (MED)") are none."""
    root = tmp_path / "course"
    _write(root, "01-security/README.md", """
        # Securing Models

        Attacks on training data are hard to spot. Data poisoning is when someone changes the
        examples a model learns from so that it makes the mistakes they want.

        The next step is a review of every source of training data.

        Tags in a sample sentence:

        * Lithium carbonate is a medication (`MED`)
        """)
    docs = [parse_file(p, root) for p in sorted(root.rglob("*.md"))]
    titles = _titles(extract_concepts(docs[0], "01-security", CourseProfile.build(docs)))
    assert "Data poisoning" in titles, titles
    assert titles["Data poisoning"].definition.startswith("Data poisoning is when")
    assert not {"Next step", "Lithium carbonate"} & set(titles), titles


def test_the_leads_of_a_list_of_benefits_and_of_steps_are_no_concepts(tmp_path):
    """Bold leads that name qualities of something ("## Benefits of Open Models", "The benefits
    you get from the store include:") or steps ("**Save the File**: ...") are claims and
    instructions, not terms; a glossary list of methods keeps its terms."""
    root = tmp_path / "course"
    _write(root, "01-models/README.md", """
        # Open Models

        ## Benefits of Open Models

        **Flexibility** - Working with open models lets you swap one model for another in minutes.

        **Cost** - The cost per token of serving these models is lower than that of hosted ones.

        ## Storing Data

        The benefits you will get from using the table store include but are not limited to:

        - **Easy to manage**: Both the metadata and data are kept in the cloud, so nothing needs care.
        - **Rich metadata**: Data types and relationships are used directly within the forms.

        Some common security testing methods for models are:

        - **Data sanitization**: This is the process of removing private information from the training data.
        - **Save the File**: Save the changes and close the text editor before you go on.
        """)
    docs = [parse_file(p, root) for p in sorted(root.rglob("*.md"))]
    titles = _titles(extract_concepts(docs[0], "01-models", CourseProfile.build(docs)))
    assert "Data sanitization" in titles, titles
    assert not {"Flexibility", "Cost", "Easy to manage", "Rich metadata", "Save the File",
                "Benefits of Open Models"} & set(titles), titles


def test_the_leads_of_a_list_of_applications_are_no_concepts(tmp_path):
    """Bold leads of a list announced as applications ("**Applications**:", "## Applications of Image
    Search", "Real-world use cases:") and followed by a sentence of their own name where something
    is used ("**Healthcare**: Radiologists use ..."), not terms; an application glossed in lower case
    is a task and a term ("**Reverse image search**: finding ..."), and a list of kinds keeps its terms."""
    root = tmp_path / "course"
    _write(root, "01-search/README.md", """
        # Image Search

        ## Similarity Search

        **Similarity search** finds the stored images whose embeddings lie closest to a query embedding.

        **Applications**:

        - **Healthcare**: Radiologists use similarity search to find earlier scans that resemble a new one.
        - **Online Shopping**: Shoppers photograph a lamp and the store shows lamps that look like it.

        Two kinds of index are common:

        - **Flat index**: an index that compares the query with every stored vector, exactly and slowly.
        - **Graph index**: an index that links each vector to its neighbours and walks the links to the query.

        ## Applications of Image Search

        - **Art History**: Museums match photographs of paintings against their catalogues of old prints.
        - **Reverse image search**: finding the pages on which a given picture appears, given only the picture.

        ## Stories from the field

        Real-world use cases of the search include:

        - **Wildlife Monitoring**: Camera traps send pictures that rangers match against known animals.
        """)
    docs = [parse_file(p, root) for p in sorted(root.rglob("*.md"))]
    titles = _titles(extract_concepts(docs[0], "01-search", CourseProfile.build(docs)))
    assert {"Similarity Search", "Flat index", "Graph index", "Reverse image search"} <= set(titles), titles
    assert not {"Healthcare", "Online Shopping", "Art History", "Wildlife Monitoring"} & set(titles), titles


def test_a_long_form_its_abbreviation_spells_and_a_list_that_glosses_it(kb, tmp_path):
    """"Infrastructure as a Service (IaaS)": the abbreviation spells every word, "as" and "a" too,
    so the long form is a name; the list item that opens with it and a colon is its definition. A
    short remark after a dash ("RAG - due to the larger context window") defines nothing."""
    root = tmp_path / "course"
    _write(root, "01-cloud/README.md", """
        # The Cloud

        Most cloud services fall into three kinds: Infrastructure as a Service (IaaS), Platform as a
        Service (PaaS) and Software as a Service (SaaS).

        * Infrastructure as a Service (IaaS): users rent servers, storage and networks and run their own software on them.
        * Platform as a Service (PaaS): users rent an environment for building, testing and running their applications.
        """)
    ingest_paths(kb, [root], course="course")
    got = {c.title: c for c in kb.concepts().values()}
    assert {"Infrastructure as a Service", "Platform as a Service", "Software as a Service"} <= set(got), set(got)
    assert got["Infrastructure as a Service"].definition.startswith("Infrastructure as a Service (IaaS): users rent servers")
    assert "IaaS" in got["Infrastructure as a Service"].aliases
    from knowledge.ingest.definitions import _glosses
    assert not _glosses(" (RAG) - due to the larger context window")


def test_a_one_word_heading_its_section_is_about_is_a_concept(tmp_path):
    """A one-word heading is its section's topic when English does not know the word
    ("Quartiles"), when it is rare and the section names it again ("Storytelling"), or when it is
    everyday but the section keeps naming it and few other sections do ("Color"). An everyday
    heading the whole course names ("Data") and one its section never names stay no concept."""
    root = tmp_path / "course"
    _write(root, "01-stats/README.md", """
        # Describing Data

        Tables hold data; the data has rows and columns, and we describe the data here.

        ## Quartiles

        Sorting the data and cutting it into four groups of equal size gives quartiles: the first
        quartile holds the lowest quarter of the values, and quartiles show the spread of the data.

        ## Data

        We collect data, clean data and store data; our data has owners, and the data needs care.

        ## Sketchbook

        A drawing of the whole lesson.
        """)
    _write(root, "02-charts/README.md", """
        # Meaningful Charts

        A chart shows data to a reader; charts need data to tell a story.

        ## Color

        The chart above showed how color can add a layer of meaning to a chart. A color may mean danger in one culture and luck in
        another, so choose each color with care; a palette of color-blind safe colors helps every
        reader, and color should never be the only way a chart tells two groups apart. Too much color
        distracts the reader.

        ## Storytelling

        A chart is part of a story about the data: storytelling orders the charts so the reader
        follows the argument from question to answer. Good storytelling also ends with what to do next.
        """)
    _write(root, "03-tables/README.md", """
        # Working with Tables

        A table of data keeps one row for each record. Joining two tables of data matches their keys.

        ## Keys

        A key names a row; the data of two tables meet where their keys agree.
        """)
    docs = [parse_file(p, root) for p in sorted(root.rglob("*.md"))]
    prof = CourseProfile.build(docs)
    stats = _titles(extract_concepts(docs[0], "01-stats", prof))
    charts = _titles(extract_concepts(docs[1], "02-charts", prof))
    assert "Quartile" in stats or "Quartiles" in stats, stats
    assert {"Color", "Storytelling"} <= set(charts), charts
    assert not {"Data", "Sketchbook"} & set(stats), stats


def test_a_term_the_text_gives_a_symbol_is_named(tmp_path):
    """"described by a **probability density function** p(x)": a phrase of everyday words the text
    emphasises once is a term when the sentence gives it a symbol; emphasised words with no symbol
    ("a **good example**") stay no concept."""
    root = tmp_path / "course"
    _write(root, "01-prob/README.md", """
        # Probability

        ## Continuous Variables

        The probability of a bus arriving at one exact time is zero. We can only talk about the
        probability of falling in an interval, and the distribution is described by a
        **probability density function** p(x), whose integral over the interval gives that probability.
        A **good example** is the time when the bus arrives.
        """)
    docs = [parse_file(p, root) for p in sorted(root.rglob("*.md"))]
    titles = _titles(extract_concepts(docs[0], "01-prob", CourseProfile.build(docs)))
    assert "Probability density function" in titles, titles
    assert "Good example" not in titles


def test_a_heading_coordinating_two_modifiers_of_one_noun_names_both_kinds():
    """"Symmetric and asymmetric keys" is about symmetric keys and asymmetric keys, "Vanishing and
    Exploding Gradients" about two kinds of gradient; "Softmax and Cross-Entropy Loss", "Sensor and
    actuator timing" and "Padding and Stride" coordinate two things."""
    from knowledge.ingest.extract import heading_term
    from knowledge.ingest.introduced import _heading_topics

    def topics(h: str) -> list[str]:
        return [t.lower() for t, _, _ in _heading_topics(h, heading_term)]

    assert topics("Symmetric and asymmetric keys") == ["symmetric keys", "asymmetric keys"]
    assert topics("Vanishing and Exploding Gradients") == ["vanishing gradients", "exploding gradients"]
    assert topics("Bidirectional and Multilayer RNNs") == ["bidirectional rnns", "multilayer rnns"]
    assert "softmax" in topics("Softmax and Cross-Entropy Loss")
    assert topics("Sensor and actuator timing")[0] == "sensor"
    assert topics("Padding and Stride") == ["padding", "stride"]


def test_the_object_of_a_labelled_step_is_no_topic_unless_the_course_names_it_elsewhere(tmp_path):
    """Headings that several lessons open with one label ("Task - ...", "Step 2: ...") are the
    course's steps: what the student does there ("Task - capture audio") is no topic, unless its
    section or another section names it again ("Task - install the Azure CLI", the tool used
    throughout). Without such a recurring label a heading stays a topic."""
    for n, (task, extra) in enumerate([("capture audio", "Recorded sound is stored as samples."),
                                       ("install the Azure CLI", "The Azure CLI creates every resource."),
                                       ("sign up for a free cloud subscription", "Some services have a free tier.")]):
        _write(tmp_path, f"0{n + 1}-lesson/README.md", f"""
            # Lesson {n + 1}

            Devices send data to the cloud, where services store and process it.

            ## Task - {task}

            Work through the guide for your device to {task} before going on.

            ## Later

            {extra} With the Azure CLI you can check what you made.
            """)
    docs = [parse_file(p, tmp_path) for p in sorted(tmp_path.rglob("*.md"))]
    profile = CourseProfile.build(docs)
    assert profile.step_labels == {"task"}
    titles = {t.lower() for d in docs for t in _titles(extract_concepts(d, d.path.split("/")[0], profile))}
    assert "azure cli" in titles, titles
    assert not {"capture audio", "free cloud subscription"} & titles, titles
    single = _titles(extract_concepts(docs[0], "01-lesson", CourseProfile.build(docs[:1])))
    assert "Capture audio" in single  # one lesson alone: no recurring label, the heading is its topic


def test_a_clause_is_no_term():
    """A bold lead or a heading that is a clause ("**It’s a non-stationarity environment condition**, so ...",
    "I'm familiar with Unreal") names nothing; a name stays one."""
    from knowledge.ingest.vocabulary import valid_term

    assert not valid_term("It’s a non-stationarity environment condition")
    assert not valid_term("I'm familiar with Unreal")
    assert valid_term("Q-learning") and valid_term("Actor-critic method")
    # a predicate or a step stressed ("the framework *defers initialization*", "agents **learn with batches of
    # experience**"), not a verb that names a part ("Forget gate", "Mask R-CNN")
    assert not valid_term("Defers initialization") and not valid_term("Learn with batches of experience")
    assert valid_term("Forget gate") and valid_term("Mask R-CNN") and valid_term("Reset gate")


def test_an_amount_is_no_term_and_a_formula_letter_is_no_part_of_one():
    """An amount stressed ("an **infinite amount of small coins**") names nothing; a name written
    with the letter its formulas use for it ("*State s*: a complete description ...") is the name
    alone, while a letter that labels a case ("Plan b"), a capital ("Vitamin C") or a Greek value ("with
    *probability ɛ*") stays."""
    from knowledge.ingest.terms import without_variable
    from knowledge.ingest.vocabulary import valid_term

    assert not valid_term("Infinite amount of small coins") and not valid_term("Lots of data")
    assert valid_term("Number of inputs")
    assert without_variable("State s") == "State" and without_variable("Action a") == "Action"
    assert without_variable("Plan b") == "Plan b" and without_variable("Vitamin C") == "Vitamin C"
    assert without_variable("Probability ɛ") == "Probability ɛ"



def test_a_term_the_next_sentence_goes_on_about_is_kept(tmp_path):
    """An everyday phrase set in italics once is vocabulary, unless the next sentence goes on about it
    ("... such as *cold start pruning*. In cold start pruning, we drop ..."): then the lesson teaches it,
    and that sentence is part of what it says of it."""
    _write(tmp_path, "01-trees/README.md", """
        # Pruning Trees

        A tree that grows without limit fits noise. Another way to address this is to use a more careful
        approach, such as *cold start pruning*. In cold start pruning, we drop every branch that no sample
        reached during the first pass over the training data.

        Gardeners also speak of a *sunny corner* where the trees grow faster than elsewhere in the park.
        """)
    doc = parse_file(tmp_path / "01-trees/README.md", tmp_path)
    got = _titles(extract_concepts(doc, "01-trees", CourseProfile.build([doc])))
    assert "Cold start pruning" in got and "In cold start pruning, we drop" in got["Cold start pruning"].definition
    assert "Sunny corner" not in got


def test_what_the_subject_does_stressed_is_no_term(tmp_path):
    """"In *online planning*, the rover **gathers samples directly**: it drives ..." stresses what the
    rover does (a verb's -s form right after a noun), and "The log file *preserves order*" too: neither is a
    term; "one of two *class labels*" (a noun ending in s) and the italic "*online planning*" stay
    candidates."""
    from knowledge.ingest.phrases import stressed_predicate

    _write(tmp_path, "01-rovers/README.md", """
        # Rover Planning

        - In *online planning*, the rover **gathers samples directly**: it drives to a site and scoops soil
          before it decides where to go next.
        - The log file *preserves order*, even when two logs share a time stamp.

        Each sample gets one of two *class labels*, wet or dry, from the lab on board.
        """)
    doc = parse_file(tmp_path / "01-rovers/README.md", tmp_path)
    got = _titles(extract_concepts(doc, "01-rovers", CourseProfile.build([doc])))
    assert not {"Gathers samples directly", "Preserves order"} & set(got), sorted(got)
    assert stressed_predicate("gathers samples directly", "the rover gathers samples directly: it")
    assert not stressed_predicate("class labels", "one of two class labels, wet")
    assert not stressed_predicate("rules engine", "A rules engine looks for rules")


def test_a_term_named_in_an_overview_is_taught_under_its_own_heading(tmp_path):
    """A lesson's overview names "tessellated sampling (TS)" in passing, its own section further on
    teaches it under "Tessellated Sampling (TS)": the overview's mention is no concept (a heading of the
    course introduces it), and refusing it there leaves the term to the heading."""
    _write(tmp_path, "01-sampling/README.md", """
        # Sampling Surfaces

        Here we compare a couple of ways to place points on a surface: tessellated sampling (TS) and
        jittered grids, each with its own cost.

        ## Tessellated Sampling (TS)

        The surface is cut into small triangles first, and one point is drawn inside each triangle, so
        that no region of the surface is left without a point.

        ## TS on Curved Surfaces

        On a curved surface the triangles shrink where the curvature grows.
        """)
    doc = parse_file(tmp_path / "01-sampling/README.md", tmp_path)
    got = _titles(extract_concepts(doc, "01-sampling", CourseProfile.build([doc])))
    assert "Tessellated Sampling" in got, sorted(got)
    assert got["Tessellated Sampling"].sources[0].section == "Tessellated Sampling (TS)"
    assert "TS" in got["Tessellated Sampling"].aliases


def test_a_keyword_a_heading_writes_as_code_names_its_topic(tmp_path):
    """Headings of a programming lesson name their topic by a keyword set as code: inside a name
    ("Anonymous (``lambda``) Functions": anonymous functions, also asked about as "lambda"), or after
    what the section does ("Raising Errors: ``raise``", "Catching Errors: ``try`` and ``except``"); a
    keyword refused as an everyday verb elsewhere is the topic here."""
    _write(tmp_path, "08-functions.md", """
        # Functions and Errors

        ## Anonymous (``lambda``) Functions

        A short one-off function can be written inline with the ``lambda`` statement, which returns it
        without giving it a name.

        ## Raising Errors: ``raise``

        The way a function reports that it cannot go on is the ``raise`` statement, followed by the
        error to report.

        ## Catching Errors: ``try`` and ``except``

        The caller handles a reported error with the ``try`` and ``except`` clauses: the first runs the
        code, the second runs only when that code raised an error.
        """)
    doc = parse_file(tmp_path / "08-functions.md", tmp_path)
    got = _titles(extract_concepts(doc, "08-functions", CourseProfile.build([doc])))
    assert "Anonymous Function" in got and "lambda" in got["Anonymous Function"].aliases, sorted(got)
    assert "Raise" in got and "Raising Errors" in got["Raise"].aliases
    assert "Try and except" in got and "Catching Errors" in got["Try and except"].aliases


def test_an_everyday_word_the_course_defines_is_its_term(tmp_path):
    """"*Recipes* are lists of steps that ..." says what the emphasised everyday word is: a concept of
    this course, however common the word; "a *simple* way" and "*recipes* again" elsewhere stay none."""
    _write(tmp_path, "01-cooking/README.md", """
        # Cooking Basics

        *Recipes* are lists of steps that turn raw ingredients into a dish, each step with its own time.

        There is a *simple* way to start: follow one of them exactly before changing anything.
        """)
    doc = parse_file(tmp_path / "01-cooking/README.md", tmp_path)
    got = _titles(extract_concepts(doc, "01-cooking", CourseProfile.build([doc])))
    assert "Recipe" in got and got["Recipe"].definition.startswith("Recipes are lists of steps"), sorted(got)
    assert "Simple" not in got


def test_a_term_an_overview_lists_is_taught_by_its_own_section(tmp_path):
    """A lesson's introduction lists what is to come ("... two alternatives: *full scan* (illustrative
    but not practical) and *ladder search* (the standard method)"); further on, "## Full Scan" and "##
    Ladder Search" teach each. The lesson's title concept and the emphasised term both say what they are
    in the words of their own sections, and cite them."""
    _write(tmp_path, "07-search/README.md", """
        # Ladder Search

        Decoding picks the next token again and again. In this section we first formalise the quick
        strategy and then compare it with two alternatives: *full scan* (illustrative but not practical)
        and *ladder search* (the standard method in practice).

        ## Full Scan

        If the goal is the most likely output, we may consider a full scan: enumerate every possible output
        sequence with its probability and keep the one that scores highest.

        ## Ladder Search

        You could view decoding strategies as lying on a spectrum, with ladder search striking a compromise
        between the speed of the quick strategy and the optimality of a full scan. It keeps the best few
        partial outputs at every step.
        """)
    doc = parse_file(tmp_path / "07-search/README.md", tmp_path)
    got = _titles(extract_concepts(doc, "07-search", CourseProfile.build([doc])))
    assert got["Ladder Search"].definition.startswith("You could view decoding strategies"), got["Ladder Search"].definition
    full = next(c for t, c in got.items() if t.lower() == "full scan")
    assert full.definition.startswith("If the goal is the most likely output") and full.sources[0].section == "Full Scan"


def test_a_page_titled_by_its_week_has_no_topic_concept(kb, tmp_path):
    """A course of lecture notes titles each week's overview page "Week 7" (front matter): which part
    of the course it is, no topic (read off a held-out course; "Week 7: Energy-Based Models" keeps
    its topic); nor is a page titled "What you'll learn in this unit" (another held-out course)."""
    root = tmp_path / "notes"
    _write(root, "week07/07.md", """
        ---
        title: Week 7
        ---

        ## Lecture part A

        We introduce energy-based models and contrast them with probabilistic models, then look at
        the free energy and how it is minimised during inference.
        """)
    _write(root, "week08/08.md", """
        ---
        title: "Week 8: Contrastive Methods"
        ---

        ## Lecture part A

        Contrastive methods push down the energy of training samples and pull up the energy of
        other points, so that the energy surface takes the right shape.
        """)
    _write(root, "week09/intro.md", """
        # What you'll learn in this unit

        In this unit we look at the tools of the trade, and at the end of it you will put together a
        small project of your own from the pieces shown along the way.
        """)
    ingest_paths(kb, [root], course="notes")
    titles = {c.title for c in kb.concepts().values()}
    assert not any(t.lower().startswith("week") for t in titles), titles
    assert "Contrastive Methods" in titles
    assert not any(t.lower().startswith("what") for t in titles), titles  # the course's frame, no topic

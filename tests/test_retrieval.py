"""Graph-aware retrieval on the starter course, in embedded mode and against a real
`chroma run` server: the same tests, both modes."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from knowledge.kb import KnowledgeBase
from knowledge.settings import Settings
from knowledge.starter import load_starter
from tutor.retrieval import RetrievalError, RetrievalParams, Retriever

CLIP_Q = "What is CLIP and how is it used in computer vision?"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real Chroma server (`chroma run`) on a free loopback port for the whole session;
    each test uses its own collections (a unique prefix) so no data is shared."""
    exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if exe is None:
        pytest.fail("the `chroma` command is missing: install the project with `make setup`")
    port = _free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = open(path / "server.log", "w")
    proc = subprocess.Popen([exe, "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"chroma run exited: {(path / 'server.log').read_text()[-2000:]}")
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma run did not start within 60 s")
    yield port
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(params=["embedded", "server"])
def course(request, data_dir, embedder):
    if request.param == "server":
        port = request.getfixturevalue("chroma_server")
        settings = Settings(data_dir=data_dir, chroma_host="127.0.0.1", chroma_port=port,
                            collection_prefix=f"t{uuid.uuid4().hex[:10]}")
    else:
        settings = Settings(data_dir=data_dir)
    kb = KnowledgeBase(settings, embedder)
    load_starter(kb)
    yield Retriever(kb)
    kb.close()


def test_clip_question_walks_back_to_contrastive_learning_and_embeddings(course):
    res = course.retrieve(CLIP_Q)
    assert res.seeds[0].id == "clip"
    ids = [s.id for s in res.path]
    assert "contrastive-learning" in ids and "embedding" in ids
    # explanation order: every prerequisite comes before what needs it
    pos = {cid: i for i, cid in enumerate(ids)}
    assert pos["contrastive-learning"] < pos["clip"]
    assert pos["embedding"] < pos["contrastive-learning"]
    for e in res.edges:
        if e.kind == "prerequisite_of":
            assert pos[e.src] < pos[e.dst], e
    assert len(res.path) <= res.params.max_concepts
    assert res.seeds[0].sources and res.seeds[0].sources[0].path.startswith("starter/")


def test_path_is_deterministic(course):
    a = course.retrieve(CLIP_Q).to_dict()
    b = course.retrieve(CLIP_Q).to_dict()
    a.pop("timings_ms"), b.pop("timings_ms")
    assert a == b


def test_exact_terms_hit_through_the_lexical_signal(course):
    for q, cid in [("TF-IDF", "tf-idf"), ("how does YOLO find objects?", "yolo"), ("explain U-Net", "u-net")]:
        res = course.retrieve(q)
        assert res.seeds and res.seeds[0].id == cid, (q, [s.id for s in res.seeds])


def test_cap_keeps_seeds_then_nearest_prerequisites(course):
    res = course.retrieve(CLIP_Q, RetrievalParams(top_k=1, max_concepts=3, related_depth=0))
    assert [s.id for s in res.seeds] == ["clip"]
    assert len(res.path) == 3
    assert all(step.relation in ("seed", "prerequisite") for step in res.path)
    assert all(step.depth <= 1 for step in res.path)
    assert res.path[-1].id == "clip"


def test_a_concept_the_question_names_keeps_a_seed(starter_kb):
    """"How is BERT pretrained with masked language modeling and next sentence prediction?": the
    two long names and unnamed neighbours can outscore the acronym, but a concept the student
    names by a specific name takes the place of the weakest seed the question does not name;
    a name spotted only weakly (an everyday word) does not."""
    from tutor.retrieval import Seed

    r = Retriever(starter_kb)
    view = starter_kb.view()
    ids = sorted(c for c in view.concepts if " " in view.concepts[c].title)[:5]
    a, b, c, d, e = (Seed(cid, view.concepts[cid].title, score, 0.5, [], matched_name=named)
                     for cid, score, named in zip(ids, (1.5, 1.4, 1.2, 0.8, 0.7), (False, True, False, True, True)))
    names = {b.id: 1.0, d.id: 0.8, e.id: 0.5}
    assert r._named_specifically(b.id, names, {b.id}, view) and r._named_specifically(d.id, names, set(), view)
    assert not r._named_specifically(e.id, names, set(), view) and not r._named_specifically(a.id, names, set(), view)
    # past the cap only d (named specifically) was kept as a candidate: it replaces c, the weakest unnamed seed
    assert [s.id for s in r._keep_named([a, b, c, d], 3)] == [a.id, b.id, d.id]
    assert [s.id for s in r._keep_named([a, b, d], 3)] == [a.id, b.id, d.id]  # room for all


def test_empty_query_is_a_clear_error(course):
    with pytest.raises(RetrievalError, match="empty"):
        course.retrieve("   \n ")


def test_nothing_above_min_score_gives_an_empty_result(course):
    res = course.retrieve("What is a good recipe for sourdough bread with rye flour?")
    assert res.empty and res.path == [] and res.edges == []


def test_bad_params_are_refused():
    with pytest.raises(RetrievalError, match="max_concepts"):
        RetrievalParams(max_concepts=0)


def test_eval_reports_a_tuning_or_held_out_half(starter_kb, tmp_path):
    import json

    from tutor.evaluate import EvalError, evaluate

    path = tmp_path / "q.jsonl"
    rows = [{"question": "What is CLIP?", "concept": "clip", "split": "tune"},
            {"question": "What is a perceptron?", "concept": "perceptron", "split": "heldout"},
            {"question": "What is overfitting?", "concept": "overfitting", "split": "heldout"}]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert evaluate(starter_kb, path).n == 3
    held = evaluate(starter_kb, path, split="heldout")
    assert held.n == 2 and held.figures()["concept hit@5"] == 1.0
    with pytest.raises(EvalError, match="no question has"):
        evaluate(starter_kb, path, split="dev")


def test_a_concepts_prerequisites_are_its_own_not_another_seeds():
    """With two seeds ("Adam ... and weight decay"), the main concept's prerequisites are its
    ancestors and the prerequisite steps reached from it — weight decay's prerequisites are not
    Adam's (tests/data/answers_d2l.jsonl: Adam had gained Overfitting and Training data)."""
    from tutor.retrieval import EdgeUsed, PathStep, RetrievalResult, prerequisites_of

    def step(cid: str, relation: str, via: str = "", depth: int = 0) -> PathStep:
        return PathStep(cid, cid, "", "beginner", relation, via, depth, "", [], [], [], [])

    res = RetrievalResult("q", [], [step("momentum", "prerequisite", "adam", 1), step("overfitting", "prerequisite", "weight-decay", 1),
                                    step("sgd", "prerequisite", "momentum", 2), step("weight-decay", "seed"), step("adam", "seed"),
                                    step("dropped-via", "prerequisite", "not-kept", 2)],
                          [EdgeUsed("momentum", "adam", "prerequisite_of"), EdgeUsed("overfitting", "weight-decay", "prerequisite_of")])
    assert prerequisites_of(res, "adam") == {"momentum", "sgd", "dropped-via"}
    assert prerequisites_of(res, "weight-decay") == {"overfitting", "dropped-via"}


def test_the_lessons_own_words_find_the_concept_they_teach(data_dir, embedder, tmp_path, monkeypatch):
    """A question in the words of a lesson's passage ("LazyLinear"), not of any concept's name or
    definition, seeds the concept that passage's section teaches; the main concept is still the
    one the question names (the passage part of a score is left out when choosing it)."""
    import tutor.retrieval as retrieval
    from knowledge.ingest.pipeline import ingest_paths

    course = tmp_path / "course"
    course.mkdir()
    (course / "01-layers.md").write_text(
        "# Layers\n\n## Fully Connected Layer\n\nA fully connected layer is a layer that multiplies its input by a "
        "weight matrix and adds a bias.\n\nEvery input unit is connected to every output unit, so the weight matrix "
        "has one row per output.\n", encoding="utf-8")
    (course / "02-lazy.md").write_text(
        "# Deferred Shapes\n\n## Lazy Initialization\n\nLazy initialization is a way of creating a network's parameters "
        "only when data first flows through it.\n\nIn PyTorch you write nn.LazyLinear(256) and leave out the input "
        "width; the framework infers it from the first minibatch and only then allocates the weights.\n",
        encoding="utf-8")
    kb = KnowledgeBase(Settings(data_dir=data_dir), embedder)
    try:
        ingest_paths(kb, [course])
        r = Retriever(kb)
        q = "What shape do the weights of a LazyLinear layer have before the first minibatch?"
        seeds = [s.title for s in r.retrieve(q).seeds]
        assert seeds[0] == "Lazy Initialization", seeds
        monkeypatch.setattr(retrieval, "W_PASSAGE", 0.0)
        assert [s.title for s in r.retrieve(q).seeds][0] != "Lazy Initialization"  # the passages made the difference
    finally:
        kb.close()


def _ingested(kb: KnowledgeBase, course: Path, files: dict[str, str]) -> KnowledgeBase:
    """``kb`` with the lesson ``files`` (name → text) written under ``course`` and ingested."""
    from knowledge.ingest.pipeline import ingest_paths

    course.mkdir()
    for name, text in files.items():
        (course / name).write_text(text, encoding="utf-8")
    ingest_paths(kb, [course])
    return kb


def test_a_section_whose_heading_lists_a_concept_teaches_it_too(data_dir, embedder, tmp_path, monkeypatch):
    """The passage that best matches the question sits in another lesson's section whose heading
    lists the concept with another ("Rewards and the discounting"), not in the concept's own
    section: it still points at the concept, even a little below the cosine floor. A heading that
    only holds the name in a longer one ("Deep Q-Learning") or does something with it ("Create the
    Q-table") is not about it."""
    import tutor.retrieval as retrieval
    from knowledge.models import Concept
    from tutor.citing import heading_is_about

    assert heading_is_about("Rewards and the discounting", Concept(title="Discounting", definition=""))
    assert heading_is_about("Policy vs. value", Concept(title="Policy", definition=""))
    assert not heading_is_about("Deep Q-Learning", Concept(title="Q-Learning", definition=""))
    assert not heading_is_about("Create and initialize the Q-table", Concept(title="Q-table", definition=""))

    kb = _ingested(KnowledgeBase(Settings(data_dir=data_dir), embedder), tmp_path / "course", {
        "01-glossary.md": "# Glossary\n\n## Discounting\n\nDiscounting is performed because rewards that come early are "
        "more likely to happen than rewards far in the future.\n\n## Exploration\n\nExploration is trying random "
        "actions in order to find more information about the environment.\n\n## Monte Carlo sampling\n\nMonte Carlo "
        "sampling estimates the discounted return of a whole episode: each reward times gamma to the power of "
        "its time step, summed.\n",
        "02-framework.md": "# The Framework\n\n## States and observations\n\nA state is a complete description of the "
        "world; an observation is a partial description of it.\n\n## Rewards and the discounting\n\nWe define a rate "
        "called gamma between 0 and 1, most of the time between 0.95 and 0.99. The larger the gamma, the more "
        "the agent cares about the long-term outcome; the smaller the gamma, the more it cares about the "
        "nearest cheese.\n"})
    try:
        r = Retriever(kb)
        q = "What is the discount rate gamma, and why should my agent care about it?"
        assert [s.title for s in r.retrieve(q).seeds][:1] == ["Discounting"]
        # the concept whose section holds the best passage may sit a little below the cosine floor
        q2 = "What happens when the rate is 0.99 instead of 0.5?"
        strict = RetrievalParams(min_score=0.4)
        assert [s.title for s in r.retrieve(q2, strict).seeds][:1] == ["Discounting"]
        with monkeypatch.context() as m:
            m.setattr(Retriever, "_taught_in_passages", lambda self, q, view: ({}, [], None, []))
            assert "Discounting" not in [s.title for s in r.retrieve(q2, strict).seeds]
        monkeypatch.setattr(retrieval, "heading_is_about", lambda heading, c: False)
        assert [s.title for s in r.retrieve(q).seeds][:1] != ["Discounting"]  # the heading made the difference
    finally:
        kb.close()


def test_a_seed_also_cites_the_other_lesson_where_the_questions_words_are():
    """A lab that teaches nothing new but uses the concept ("Multi-class classification with
    perceptrons") is where a question about it is answered: the best-matching passage that uses the
    seed in another lesson adds its section after the concept's own — once, and never its own lesson again."""
    from knowledge.models import Concept, Passage, Source
    from tutor.citing import elsewhere

    own = Source(path="lessons/03-perceptron/README.md", section="Perceptron")
    lab = Source(path="lessons/03-perceptron/lab/README.md", section="Multi-class classification")
    c = Concept(title="Perceptron", definition="A perceptron is a binary classifier.", sources=[own])
    passages = [Passage(id="p1", text="Train one perceptron per digit.", source=lab, concepts=[c.id, "mnist"]),
                Passage(id="p2", text="A perceptron draws a line.", source=own, concepts=[c.id]),
                Passage(id="p3", text="Another lab.", source=Source(path="x/lab.md", section="X"), concepts=[c.id])]
    assert elsewhere(c.id, c, passages) == [lab]
    assert elsewhere(c.id, c, passages[1:2]) == []  # its own lesson is cited already
    assert elsewhere("mnist", c, passages[1:]) == []  # a passage that does not use the concept


def test_the_best_passages_lesson_is_always_cited():
    """"How do I train on multiple GPUs with the high-level API?" is answered word for word by a
    "Concise Implementation" section that teaches no concept of its own: when no seed cites the
    lesson of the best-matching passage, the seed that passage uses (else the first) cites it after
    its own sections; a lesson already cited is not added twice."""
    from knowledge.models import Passage, Source
    from tutor.citing import cite_best_passage
    from tutor.retrieval import Seed

    gpus = Source(path="gpus/multiple-gpus.md", section="Training on Multiple GPUs")
    concise = Source(path="gpus/multiple-gpus-concise.md", section="Concise Implementation for Multiple GPUs")
    par = Source(path="perf/auto-parallelism.md", section="Automatic Parallelism")
    seeds = [Seed("auto-parallelism", "Automatic Parallelism", 0.8, 0.5, [par]),
             Seed("multi-gpu-training", "Multi-GPU Training", 0.7, 0.5, [gpus])]
    best = Passage(id="p", text="net = nn.DataParallel(net)", source=concise, concepts=["multi-gpu-training", "gpu"])
    cite_best_passage(seeds, best)
    assert seeds[0].sources == [par] and seeds[1].sources == [gpus, concise]
    cite_best_passage(seeds, best)
    assert seeds[1].sources == [gpus, concise]  # once
    other = Passage(id="q", text="...", source=Source(path="x/lab.md", section="Lab"), concepts=["mnist"])
    cite_best_passage(seeds, other)
    assert seeds[0].sources == [par, other.source]  # no seed in it: the first seed cites it
    # cited only by a fifth seed, after four that cite other files: the first seed cites it too
    files = [Source(path=f"f{i}.md", section=f"S{i}") for i in range(6)]
    far = [Seed(f"s{i}", f"S{i}", 1 - i / 10, 0.5, [files[i]]) for i in range(5)] + [Seed("pipe", "Pipeline", 0.3, 0.5, [files[5]])]
    music = Passage(id="m", text="music = synthesiser(...)", source=files[5], concepts=["pipe"])
    cite_best_passage(far, music)
    assert far[0].sources == [files[0], files[5]] and far[5].sources == [files[5]]


def test_a_passage_far_ahead_of_the_rest_has_its_lesson_among_the_first_two():
    """A question in a lab's own words ("the Hollywood Heads dataset") matches that lab's passage
    far ahead of any other: its lesson is cited second by the first seed when the seeds' first two
    lessons are others, and left where it is when it is one of them already."""
    from knowledge.models import Passage, Source
    from tutor.citing import lead_with
    from tutor.retrieval import Seed

    seg = Source(path="seg/README.md", section="Segmentation", lesson="seg")
    pets = Source(path="pets/README.md", section="Pets", lesson="pets")
    det = Source(path="det/README.md", section="Object Detection", lesson="det")
    lab = Source(path="det/lab/README.md", section="The Dataset", lesson="det/lab")
    seeds = [Seed("segmentation", "Segmentation", 0.8, 0.5, [seg, pets]), Seed("box", "Bounding box", 0.6, 0.5, [det, lab])]
    best = Passage(id="p", text="Hollywood Heads Dataset contains ...", source=lab, concepts=["box"])
    lead_with(seeds, best)
    assert seeds[0].sources == [seg, lab, pets] and seeds[1].sources == [det, lab]
    lead_with(seeds, best)
    assert seeds[0].sources == [seg, lab, pets]  # among the first two already: unchanged


def test_the_lessons_that_answer_a_question_fuse_the_seeds_files_with_the_best_passages():
    """Retrieval ranks the files that answer a question by reciprocal rank over two rankings: the
    files its seeds cite, in order, and the files of the passages that match the question best by
    BM25. A file both rank high leads; a file only one ranks comes after; ties keep the seeds'
    order; each file comes with its seed's section, else the best passage's."""
    from knowledge.models import Passage, Source
    from tutor.citing import ranked_lessons
    from tutor.retrieval import Seed

    a, b, c = (Source(path=f"{x}.md", section=f"Section {x}") for x in "abc")
    c_lab, d_lab = Source(path="c.md", section="Lab of c"), Source(path="d.md", section="Lab d")
    seeds = [Seed("x", "X", 0.9, 0.5, [a, b]), Seed("y", "Y", 0.8, 0.5, [c])]
    hits = [(Passage(id=str(i), text="...", source=src), 9.0 - i) for i, src in enumerate([c_lab, c, d_lab, a])]
    got = ranked_lessons(seeds, hits)
    # a: 1st and 3rd, c: 3rd and 1st (a tie, the seeds' order breaks it), b: 2nd of the seeds only,
    # d: 2nd of the passages only (a tie with b)
    assert [s.path for s in got] == ["a.md", "c.md", "b.md", "d.md"]
    assert got[1] is c and got[3] is d_lab  # a seed's own section before a passage's
    # a file the passages rank first and the seeds third overtakes the seeds' second, which no passage finds
    hits = [(Passage(id="p", text="...", source=c_lab), 9.0), (Passage(id="q", text="...", source=a), 8.0)]
    assert [s.path for s in ranked_lessons(seeds, hits)] == ["a.md", "c.md", "b.md"]
    assert [s.path for s in ranked_lessons([], hits)] == ["c.md", "a.md"]  # no seed: the passages alone
    assert ranked_lessons(seeds, []) == [a, b, c]


def test_a_how_to_answered_in_a_lab_ranks_the_lab_first(kb, tmp_path):
    """A question in the words of a lab that teaches no concept of its own ("what do I change when
    training runs out of GPU memory?") is answered by that lab: retrieval's ``lessons`` put it first
    although the seeds, concepts the question is about, are taught elsewhere; the answer points to
    it under "Where the course answers this"; `erica eval` ranks lessons the same way."""
    from ollama_stub import ScriptedLLM

    from knowledge.ingest.pipeline import ingest_paths
    from tutor.answer import Tutor
    from tutor.evaluate import evaluate

    course = tmp_path / "course"
    files = {
        "01-training/README.md": "# Training a model\n\nA **batch size** is the number of examples the model "
                                 "sees before each update of its weights. A **learning rate** is the size of "
                                 "each update. Training repeats updates over the dataset for several epochs.\n",
        "02-gpus/README.md": "# GPU memory\n\n**GPU memory** is the memory on the graphics card that holds the "
                             "model's weights, its activations and the batch being trained on.\n",
        "03-lab/README.md": "Work through the notebook. If the run stops with an out of memory error, "
                            "halve the batch size and use gradient accumulation to keep the effective batch; "
                            "mixed precision halves the memory again.\n",
        "04-errors/README.md": "Errors you may meet: the run stops with an out of memory error, the loss becomes "
                               "NaN, or the notebook cannot find the dataset.\n",
    }
    for name, text in files.items():
        (course / name).parent.mkdir(parents=True, exist_ok=True)
        (course / name).write_text(text)
    ingest_paths(kb, [course])
    q = "My run stops with an out of memory error: how should I change the batch size to fit in GPU memory?"
    res = Retriever(kb).retrieve(q)
    seed_files = [src.path for s in res.seeds for src in s.sources]
    assert res.seeds and not seed_files[0].endswith("03-lab/README.md")
    assert res.lessons[0].path.endswith("03-lab/README.md"), [x.path for x in res.lessons]
    answer = Tutor(kb, ScriptedLLM(["Halve the batch [1]."])).ask(q)
    assert answer.read and answer.read[0].path.endswith("03-lab/README.md")
    assert "Where the course answers this" in answer.markdown()
    qs = tmp_path / "q.jsonl"
    qs.write_text(json.dumps({"question": q, "lesson": "03-lab"}) + "\n")
    assert evaluate(kb, qs).figures()["lesson hit@1"] == 1.0


def test_a_passage_is_found_by_its_lessons_title():
    """d2l's "Linear Regression Implementation from Scratch" has a "Training" section that never
    says "from scratch": the lesson's title is part of each passage's BM25 text, so "implement
    linear regression from scratch" finds it before the concise lesson's "Training"."""
    from knowledge.lexical import PassageIndex, with_operator_words
    from knowledge.models import Passage, Source

    scratch = Passage(id="a", text="We loop over the minibatches, compute the loss and update the weights.",
                      source=Source(path="lr-scratch.md", section="Training", lesson="lr-scratch"), concepts=[])
    concise = Passage(id="b", text="We call fit with the model and the data module; it loops over the minibatches.",
                      source=Source(path="lr-concise.md", section="Training", lesson="lr-concise"), concepts=[])
    titles = {"lr-scratch": "Linear Regression Implementation from Scratch",
              "lr-concise": "Concise Implementation of Linear Regression"}
    q = "How do I train linear regression from scratch over minibatches?"
    assert PassageIndex([scratch, concise], titles).search(q, 1)[0][0].id == "a"
    assert PassageIndex([concise, scratch], titles).search(q, 1)[0][0].id == "a"


def test_an_operator_in_the_question_finds_the_passage_that_writes_it():
    """BM25 reads words only: "Why is 2 ^ 3 not 8 in Python?" shares nothing but "python" with the
    passage that warns about XOR (``a ^ b``) against exponentiation (``a ** b``), and the shorter
    passage about the power function wins. Operators are read as words of their own in the
    lessons and the question alike; a URL's "//" and an interpreter prompt's ">>>" are not operators."""
    from knowledge.lexical import PassageIndex, with_operator_words
    from knowledge.models import Passage, Source

    xor = Passage(id="xor", text="Users of other languages write the XOR a ^ b in Python when they mean a ** b.",
                  source=Source(path="ops.md", section="Bitwise operators", lesson="ops"), concepts=[])
    power = Passage(id="pow", text="The pow function can give the power of two numbers in Python.",
                    source=Source(path="funcs.md", section="Functions", lesson="funcs"), concepts=[])
    q = "Why is 2 ^ 3 not 8 in Python?"
    for order in ([xor, power], [power, xor]):
        assert PassageIndex(order).search(q, 1)[0][0].id == "xor"
    assert PassageIndex([power, xor]).search("Why does 2 to the 3 not give 8 in Python?", 1)[0][0].id == "pow"
    assert with_operator_words("x //= 2 and x[i] += 1") == "x //= 2 and x[i] += 1 opslashslasheq oppluseq"
    assert with_operator_words("see https://example.org and >>> print(1)") == "see https://example.org and >>> print(1)"


def test_a_longer_name_written_with_an_abbreviation_is_spotted():
    """"a deep RNN" names the Deep Recurrent Neural Network: an abbreviation the course gives a
    concept ("RNNs" for Recurrent Neural Network) is read as its long form too, so the longer
    name it is part of is found; the abbreviation alone still names its own concept."""
    from knowledge.lexical import LexicalIndex
    from knowledge.models import Concept

    index = LexicalIndex([Concept(title="Recurrent Neural Network", definition="", aliases=["RNNs"]),
                          Concept(title="Deep Recurrent Neural Network", definition=""),
                          Concept(title="Gated Recurrent Unit", definition="", aliases=["GRU"])])
    got = index.spot_names("In a deep RNN with stacked layers, how do I make a multi-layer GRU?")
    assert got["deep-recurrent-neural-network"] == 1.0 and "gated-recurrent-unit" in got
    assert set(index.spot_names("What is an RNN?")) == {"recurrent-neural-network"}



def test_a_concept_the_question_names_in_several_words_is_a_seed_whatever_its_cosine(kb, regression_concepts):
    """A concept whose stored definition says nothing of it ("That works for this data ...") sits
    far from the question by cosine, below the floor a one-word name keeps; named in the question
    in two words, it is still a seed."""
    kb.upsert_concepts(regression_concepts(
        "That works for this data, which has rather weak correlations between pumpkin colour and city."))
    q = "If logistic regression predicts categories, why is it taught with regression and how does the sigmoid give a 0 or 1 label?"
    seeds = Retriever(kb).retrieve(q).seeds
    assert "logistic-regression" in [s.id for s in seeds]
    assert next(s for s in seeds if s.id == "logistic-regression").similarity < 0.15


def test_the_second_best_passages_lesson_is_cited_too(kb, tmp_path, monkeypatch):
    """An assignment that teaches no concept can hold the question's words about as well as the
    lesson it belongs to (AI-For-Beginners: its UFO-dataset assignment scored 9.00 by BM25 against
    the lesson notebook's 9.01): the lessons of the two best passages are both cited. (This one
    has no title either, so it is no concept of its own: knowledge.ingest.topics.)"""
    import tutor.retrieval as retrieval
    from knowledge.ingest.pipeline import ingest_paths

    lesson = {
        "README.md": "# Text Representation\n\nA **bag of words** is a vector that counts how often each word of a "
                     "vocabulary occurs in a text. We train a bag of words classifier on the news dataset: each text "
                     "column becomes a vector and the label column is the class the classifier learns to predict from "
                     "the dataset.\n",
        "assignment.md": "Rerun the notebook with your own dataset, such as one about UFO "
                         "sightings: pick its text column and its label column.\n",
    }
    for name, text in lesson.items():
        (tmp_path / "course" / "13-textrep").mkdir(parents=True, exist_ok=True)
        (tmp_path / "course" / "13-textrep" / name).write_text(text)
    ingest_paths(kb, [tmp_path / "course"])
    q = "How would I pick the text column and label column from the UFO sightings dataset to train the bag of words classifier?"
    hits = kb.search_passages(q, 2)
    assert [p.source.path.split("/")[-1] for p, _ in hits] == ["README.md", "assignment.md"]
    cited = {src.path for s in Retriever(kb).retrieve(q).seeds for src in s.sources}
    assert any(p.endswith("assignment.md") for p in cited)
    monkeypatch.setattr(retrieval, "CITED_PASSAGES", 1)
    cited = {src.path for s in Retriever(kb).retrieve(q).seeds for src in s.sources}
    assert not any(p.endswith("assignment.md") for p in cited)


def test_an_everyday_word_of_the_course_names_no_topic(data_dir, embedder, tmp_path, monkeypatch):
    """"How do I make two layers share the same weights?" writes "layer", a concept the course
    uses in every lesson: that word says little of what the question is about, so the concept
    taught in the section in the question's words (Tied Parameters, by its text and by its
    section: as if named) leads, and "Layer" weighs less than a rare one-word name would."""
    from knowledge.ingest.pipeline import ingest_paths

    course = tmp_path / "course"
    course.mkdir()
    (course / "01-layers.md").write_text(
        "# Layers\n\n## Layer\n\nA layer is a function that maps a tensor to a tensor and holds parameters.\n\n"
        "Stacking one layer on another layer builds a network.\n", encoding="utf-8")
    (course / "02-conv.md").write_text(
        "# Convolutions\n\n## Convolutional Layer\n\nA convolutional layer is a layer that slides a small kernel over "
        "its input.\n\nEach layer of this kind shares its kernel across positions.\n", encoding="utf-8")
    (course / "03-norm.md").write_text(
        "# Normalization\n\n## Batch Normalization\n\nBatch normalization is a layer that rescales the activations "
        "of a minibatch.\n\nPut this layer after a convolutional layer.\n", encoding="utf-8")
    (course / "04-params.md").write_text(
        "# Parameter Management\n\n## Parameter Access\n\nParameter access is reading a model's weights by name, "
        "for inspection or for saving.\n\n## Tied Parameters\n\nSometimes we want two layers to share the same weights: "
        "we build the layer once and use that same layer object twice, so both places hold one parameter "
        "tensor and updating it changes both layers.\n", encoding="utf-8")
    kb = KnowledgeBase(Settings(data_dir=data_dir), embedder)
    try:
        ingest_paths(kb, [course])
        view = kb.view()
        passages = view.passages(kb.store)
        assert passages.lesson_share("layer") == 0.0  # four lessons: too few for a share to say anything
        import knowledge.view
        monkeypatch.setattr(knowledge.view, "MIN_LESSONS", 4)  # (a real course has dozens)
        assert passages.lesson_share("layer") == 1.0 and passages.lesson_share("kernel") == 0.25
        retriever = Retriever(kb)
        assert retriever._specific("layer", view) == 0.0  # used in every lesson
        assert retriever._specific("batch-normalization", view) == 1.0  # two words
        q = "How do I make two layers share the same weights?"
        seeds = retriever.retrieve(q).seeds
        assert seeds[0].title == "Tied Parameter", [s.title for s in seeds]
        import tutor.retrieval as retrieval
        monkeypatch.setattr(retrieval, "EVERYDAY_FROM", 1.0)  # every one-word name in full
        monkeypatch.setattr(retrieval, "EVERYDAY_TO", 2.0)
        full = {s.title: s.score for s in retriever.retrieve(q).seeds}
        weighed = {s.title: s.score for s in seeds}
        assert "Layer" in full and "Layer" not in weighed  # its name lifted it, the word alone does not
        assert full["Tied Parameter"] == pytest.approx(weighed["Tied Parameter"])
        # the question's words point at Tied Parameters twice over (the concept's text and its own
        # section, both best by BM25): its cosine may sit below the floor as a named concept's may
        strict = RetrievalParams(min_score=seeds[0].similarity + 0.05)
        assert "Tied Parameter" in [s.title for s in retriever.retrieve(q, strict).seeds]
        monkeypatch.setattr(retrieval, "STRONG_WORDS", 1.01)
        # ... and its own section holds the passage that matches the question best, which alone will do
        assert "Tied Parameter" in [s.title for s in retriever.retrieve(q, strict).seeds]
        monkeypatch.setattr(Retriever, "_taught_in_passages", lambda self, q, view: ({}, [], None, []))
        assert "Tied Parameter" not in [s.title for s in retriever.retrieve(q, strict).seeds]
    finally:
        kb.close()


def test_two_modifiers_sharing_a_head_name_two_concepts(kb):
    """"explicit and implicit feedback" names explicit feedback too: the head both modifiers share
    is spelled out after the first (general English), so both are names the question asks about;
    "What is X and how does Y work?" is left as it is."""
    from knowledge.models import Concept
    from tutor.coverage import heads_spelled_out

    assert heads_spelled_out("How do explicit and implicit feedback differ?") == \
        "How do explicit feedback and implicit feedback differ?"
    assert heads_spelled_out("Compare max or average pooling.") == "Compare max pooling or average pooling."
    assert heads_spelled_out("What is dropout and how does it work?") == "What is dropout and how does it work?"
    kb.upsert_concepts([
        Concept(title="Explicit feedback", definition="Explicit feedback is a rating a user gives on purpose, such as "
                                                      "stars or a thumbs-up."),
        Concept(title="Implicit feedback", definition="Implicit feedback is what a user's behaviour tells about their "
                                                      "taste, such as clicks and watch time."),
    ])
    seeds = Retriever(kb).retrieve("How do explicit and implicit feedback differ?").seeds
    assert {s.id for s in seeds if s.matched_name} == {"explicit-feedback", "implicit-feedback"}


def test_what_a_question_sets_aside_is_no_name_it_asks_about(kb):
    """"... with Keras instead of PyTorch?" asks about Keras: a name after "instead of", "rather
    than" or "without" is what the student sets aside, so it gets no name's weight (its words still
    count, as words of the question); a name before the clause or after its end still does; so is
    the language code is to be written in ("... in PyTorch?")."""
    from knowledge.models import Concept
    from tutor.coverage import asked

    assert asked("Train it with Keras instead of PyTorch, and report F1?") == "Train it with Keras  , , and report F1?"
    assert asked("How can Adadelta work without a learning rate and what replaces it?") == \
        "How can Adadelta work  , and what replaces it?"
    # the language code is to be written in, at the end of a clause, is its setting
    assert asked("How do I build the loss when coding REINFORCE in PyTorch?") == "How do I build the loss when coding REINFORCE  , ?"
    assert asked("How do I use pandas in NumPy code?") == "How do I use pandas in NumPy code?"
    kb.upsert_concepts([
        Concept(title="PyTorch", definition="PyTorch is a deep learning framework whose models are Python classes "
                                            "trained in a loop you write yourself."),
        Concept(title="Keras", definition="Keras is a high-level deep learning API whose models are compiled and "
                                          "then trained with a single fit call."),
    ])
    r = Retriever(kb)
    seeds = r.retrieve("How do I train a model with Keras compile and fit instead of PyTorch?").seeds
    assert seeds[0].id == "keras" and seeds[0].matched_name
    assert all(not s.matched_name for s in seeds if s.id == "pytorch")
    both = r.retrieve("How do I train a model with PyTorch, and with Keras?").seeds
    assert {s.id for s in both if s.matched_name} == {"keras", "pytorch"}


def test_related_concepts_come_most_like_the_question_first_and_at_most_three_through_one(kb):
    """A broad concept relates to six others; for a question about its debugger, its neighbours on
    the path are those most like the question first, at most three of them, and not the colour
    theme. Without the question's vector the graph's order stands (all six under the cap)."""
    from knowledge.models import Concept, Edge
    from tutor.retrieval import RELATED_PER_CONCEPT, RetrievalParams, Retriever

    shell = ("Notebook Shell", "The notebook shell is an interactive command prompt for running Python code.")
    others = [
        ("Colour Theme", "A colour theme sets the colours of the text and background of the shell."),
        ("Paste Block", "A paste block inserts several lines of copied code at once."),
        ("Plot Magic", "The plot magic draws figures inline under the cell that makes them."),
        ("Post-Mortem Debugger", "The post-mortem debugger opens an interactive prompt at the line where an exception was raised."),
        ("Exception Traceback", "An exception traceback lists the calls that led to an error when an exception is raised."),
        ("Step Mode", "Step mode runs code one line at a time so that you can inspect variables while debugging."),
    ]
    kb.upsert_concepts([Concept(title=t, definition=d) for t, d in [shell, *others]])
    kb.add_edges([Edge("notebook-shell", t.lower().replace(" ", "-"), kind="related_to") for t, _ in others])
    retriever, view = Retriever(kb), kb.view()
    params = RetrievalParams(max_concepts=10)
    question = "How do I open the debugger when an exception is raised in the notebook shell?"
    path, _ = retriever.expand(["notebook-shell"], view, params, retriever.embed(question))
    related = [s.title for s in path if s.relation == "related"]
    assert RELATED_PER_CONCEPT == 3 and len(related) == 3, related
    assert related[0] in {"Post-Mortem Debugger", "Exception Traceback"}, related
    assert set(related) <= {"Post-Mortem Debugger", "Exception Traceback", "Step Mode"}, related
    plain, _ = retriever.expand(["notebook-shell"], view, params)
    assert len([s for s in plain if s.relation == "related"]) == 6


def test_under_the_cap_the_most_advanced_prerequisites_are_kept(kb):
    """Attention builds directly on four concepts; the cap keeps room for two. Those kept are the
    ones that themselves build on most (the encoder–decoder architecture, the RNN it builds on),
    not the first by name (a convolutional network named in the chapter's history)."""
    from knowledge.models import Concept, Edge
    from tutor.retrieval import RetrievalParams, Retriever

    titles = ["Attention", "Convolutional Network", "Encoder Decoder", "Recurrent Network", "Neural Network", "Basics"]
    kb.upsert_concepts([Concept(title=t, definition=f"{t} is a topic of the course.") for t in titles])
    ids = {t: t.lower().replace(" ", "-") for t in titles}
    chain = [("Basics", "Neural Network"), ("Neural Network", "Recurrent Network"), ("Recurrent Network", "Encoder Decoder")]
    direct = [(t, "Attention") for t in ("Convolutional Network", "Encoder Decoder", "Recurrent Network", "Basics")]
    kb.add_edges([Edge(ids[a], ids[b]) for a, b in chain + direct])
    view = kb.view()
    assert view.prerequisites_advanced_first("attention") == ["encoder-decoder", "recurrent-network", "basics",
                                                              "convolutional-network"]
    path, _ = Retriever(kb).expand(["attention"], view, RetrievalParams(max_concepts=3, related_depth=0))
    assert [s.id for s in path] == ["recurrent-network", "encoder-decoder", "attention"]


def test_a_narrower_seed_the_question_writes_comes_before_the_broader_one() -> None:
    """Read off a held-out course of lecture notes: "Why does a transformer language model need a
    mask in its self-attention?" is about Self-attention masking, which the question writes ("mask"),
    before Self-attention; "Anisotropic GCNs" before "Graph Convolutional Network" (its abbreviation);
    a comparative is no name ("why is YOLO so much faster than R-CNN?" keeps R-CNN before Faster
    R-CNN), and a narrower concept whose own words the question does not write stays behind."""
    from knowledge.models import Concept
    from tutor.retrieval import Seed
    from tutor.seed_order import narrower_first

    concepts = {c.id: c for c in (
        Concept(title="Self-attention", definition="d", id="sa"), Concept(title="Self-attention masking", definition="d", id="sam"),
        Concept(title="Graph Convolutional Network", definition="d", aliases=["GCN"], id="gcn"),
        Concept(title="Anisotropic GCNs", definition="d", id="agcn"),
        Concept(title="R-CNN", definition="d", id="rcnn"), Concept(title="Faster R-CNN", definition="d", id="frcnn"),
        Concept(title="Language model", definition="d", id="lm"), Concept(title="Neural language model", definition="d", id="nlm"))}

    def order(query: str, ids: list[str]) -> list[str]:
        seeds = [Seed(i, concepts[i].title, 1.0 - k / 10, 0.5, []) for k, i in enumerate(ids)]
        return [s.id for s in narrower_first(seeds, query, concepts)]

    assert order("Why does a transformer language model need a mask in its self-attention?", ["sa", "lm", "sam"]) == \
        ["sam", "sa", "lm"]
    assert order("What's the difference between isotropic and anisotropic graph convolutional networks?",
                 ["gcn", "agcn"]) == ["agcn", "gcn"]
    assert order("Why is YOLO so much faster than R-CNN style object detectors?", ["rcnn", "frcnn"]) == ["rcnn", "frcnn"]
    assert order("What does a language model predict?", ["lm", "nlm"]) == ["lm", "nlm"]


def test_a_seed_the_question_names_goes_before_a_longer_name_that_splits_its_words() -> None:
    """Read off a held-out course on deep RL: "What are target networks ...?" names Target network; Target
    policy network, first on its cosine, puts a word of its own between those the question writes
    together, so it goes second. A longer name that only adds words around the one named keeps its
    place ("Twin Delayed DDPG" for "TD3 ... DDPG", "Frequent checkpoint saving" for "save a checkpoint"),
    as does one the question names too (by an alias: "minibatch SGD")."""
    from knowledge.models import Concept
    from tutor.retrieval import Seed
    from tutor.seed_order import narrower_first

    concepts = {c.id: c for c in (
        Concept(title="Target network", definition="d", id="tn"), Concept(title="Target policy network", definition="d", id="tpn"),
        Concept(title="DDPG", definition="d", id="ddpg"), Concept(title="Twin Delayed DDPG", definition="d", aliases=["TD3"], id="td3"),
        Concept(title="Gradient descent", definition="d", id="gd"),
        Concept(title="Stochastic gradient descent", definition="d", aliases=["SGD"], id="sgd"))}

    def order(query: str, ids: list[str], named: set[str]) -> list[str]:
        seeds = [Seed(i, concepts[i].title, 1.0 - k / 10, 0.5, [], i in named) for k, i in enumerate(ids)]
        return [s.id for s in narrower_first(seeds, query, concepts)]

    assert order("What are target networks, and how does polyak averaging update them?", ["tpn", "tn"], {"tn"}) == ["tn", "tpn"]
    assert order("What tricks does TD3 add on top of DDPG?", ["td3", "ddpg"], {"ddpg"}) == ["td3", "ddpg"]
    assert order("How is minibatch SGD between full-batch gradient descent and single examples?", ["sgd", "gd"], {"gd"}) == \
        ["sgd", "gd"]


def test_a_setting_the_question_opens_with_goes_after_what_it_asks() -> None:
    """Read off a held-out course on AI agents: "In the A2A protocol, what is an Agent Card ...?" asks
    about the card; the protocol, named in the opening "In ...," and first on its cosine, is where the
    card lives. A seed named only there goes after the first seed named in what is asked; with none
    named there, or a question that names its setting again, the order stays."""
    from knowledge.models import Concept
    from tutor.retrieval import Seed
    from tutor.seed_order import setting_after

    concepts = {c.id: c for c in (
        Concept(title="Agent-to-Agent Protocol", definition="d", aliases=["A2A"], id="a2a"),
        Concept(title="Agent Card", definition="d", id="card"), Concept(title="Task queue", definition="d", id="q"),
        Concept(title="Middleware pipeline", definition="d", id="mw"))}

    def order(query: str, ids: list[str], named: set[str], sims: dict[str, float] | None = None) -> list[str]:
        seeds = [Seed(i, concepts[i].title, 1.0 - k / 10, (sims or {}).get(i, 0.5), [], i in named) for k, i in enumerate(ids)]
        return [s.id for s in setting_after(seeds, query, concepts)]

    assert order("In the A2A protocol, what is an Agent Card and what does it tell other agents?",
                 ["a2a", "q", "card"], {"a2a", "card"}) == ["q", "card", "a2a"]
    # nothing named as what is asked: the opening may be the topic ("In the YOLOv1 loss, why ...?", "In
    # pipeline parallelism, how do the chunks set the global batch size?")
    assert order("In the A2A protocol, how does middleware pass a request on?", ["a2a", "mw", "q"], {"a2a"},
                 {"a2a": 0.45, "mw": 0.63, "q": 0.3}) == ["a2a", "mw", "q"]
    assert order("In the A2A protocol, how does an Agent Card reach other agents?", ["a2a", "card"], {"a2a", "card"}) == \
        ["a2a", "card"]
    assert order("In the A2A protocol, why does the A2A protocol need an Agent Card?", ["a2a", "card"], {"a2a", "card"}) == \
        ["a2a", "card"]
    assert order("What is an Agent Card in the A2A protocol?", ["a2a", "card"], {"a2a", "card"}) == ["a2a", "card"]

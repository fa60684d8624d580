"""Quizzes from the course graph, mastery per learner (BKT with evidence along prerequisite
edges), progress kept next to the knowledge base, and the `erica quiz` / `erica progress`
commands — on the built-in starter course and a small course written for these tests."""

from __future__ import annotations

import json
import re

import networkx as nx

import pytest
from typer.testing import CliRunner

from knowledge import progress
from knowledge.models import Concept
from tutor.mastery import BKT, Tracer
from tutor.practice import Practice, PracticeError
from tutor.quiz import BLANK, KINDS, QuestionBank, blank_names, gives_away, grade, problems


def test_every_question_on_the_starter_course_passes_the_checks(starter_kb):
    bank = QuestionBank(starter_kb)
    qs = [q for cid in bank.concepts for q in bank.questions(cid)]
    assert len(qs) > len(bank.concepts)  # more questions than concepts
    assert {q.kind for q in qs} == set(KINDS)
    assert len({q.id for q in qs}) == len(qs)  # ids from content: no two questions alike
    for q in qs:
        assert problems(q) == [], (q.id, problems(q))
        assert len(set(map(str.lower, q.options))) == len(q.options) == 4
        assert q.passage and q.source is not None
    # the answer is not always in the same place
    assert len({q.answer for q in qs}) == 4


def test_distractors_are_close_but_never_the_concept_or_what_it_builds_on(starter_kb):
    bank = QuestionBank(starter_kb)
    g = starter_kb.graph.prereq
    import networkx as nx
    for cid in bank.concepts:
        for q in bank.questions(cid):
            if q.kind == "prerequisite":
                right = q.options[q.answer]
                ancestors = {bank.concepts[a].title for a in nx.ancestors(g, cid)}
                later = {bank.concepts[d].title for d in nx.descendants(g, cid)}
                assert right in ancestors
                assert {o for i, o in enumerate(q.options) if i != q.answer} <= later, q.prompt  # built on it
            if q.kind == "definition":
                assert BLANK in q.prompt and q.concept_title.lower() not in q.prompt.lower()


def test_names_are_blanked_and_a_bad_question_is_caught():
    c = Concept(title="Dropout", definition="", aliases=["dropout layer"])
    assert blank_names("Dropout zeroes units; a dropout layer does it at random.", c) == \
        f"{BLANK} zeroes units; a {BLANK} does it at random."
    from tutor.quiz import Question
    q = Question("x", "definition", "What is Dropout here?", ("Dropout", "dropout", "Pooling"), 0, "dropout",
                 "Dropout", None, "text")
    found = problems(q)
    assert "two options say the same" in found and "the prompt gives the answer away" in found
    with pytest.raises(ValueError, match="choose an option between 1 and 3"):
        grade(q, 5)
    # the name in another form gives it away too
    assert gives_away("RBF kernel", "def rbfkernel(x, y):") and gives_away("NetLogo", "a Logo dialect for agents")
    assert not gives_away("Dropout", f"{BLANK} randomly drops units while training")
    # an API name is given away by its call, whatever object it is called on
    assert gives_away("Dataset.map()", "ds = ds.map(tokenize, batched=True)") and gives_away("%in%", "x %in% c(1, 2)")
    assert not gives_away("Dataset.map()", "mapping = {'a': 1}")


def test_a_kind_of_the_answer_is_no_distractor():
    """Whatever describes evolutionary algorithms describes a genetic algorithm too."""
    from knowledge.models import Concept
    from tutor.quiz_text import kind_of

    ga = Concept(title="Genetic algorithm", aliases=["GA"],
                 definition="A genetic algorithm is an evolutionary algorithm that encodes solutions as chromosomes.")
    ea = Concept(title="Evolutionary algorithm", definition="An evolutionary algorithm is an optimisation method "
                 "modelled on natural selection.")
    assert kind_of(ga, ea) and not kind_of(ea, ga)
    gd = Concept(title="Gradient descent", definition="Gradient descent is a method that follows the gradient.")
    assert not kind_of(ga, gd) and not kind_of(gd, ea)


def test_what_a_question_may_not_be_built_on():
    """Sentences that do not say what a concept is on their own, and an acronym whose words are
    shown with it."""
    from knowledge.ingest.remarks import REMARK as _EVALUATES
    from tutor.quiz_text import spells
    assert gives_away("TF-IDF", f"{BLANK} weighs term frequency-inverse document frequency")
    assert spells("BoW", "the bag of words model") and not spells("GAN", "a good network")
    for naming in ("TF-IDF stands for term frequency", "Transfer learning is a term you find in education",
                   "L2 caches are the next stop", "Eigenvalues are often one of the most useful notions",
                   "Recommender systems are widely employed in industry", "Neural networks are a part of AI",
                   "Data parallelism is the simplest strategy", "The idea of positional encoding is the following.",
                   "Random search is the first optimization algorithm we will discuss."):
        assert _EVALUATES.search(naming), naming
    assert not _EVALUATES.search("A convolutional network is a network that shares its weights")


def test_a_cloze_blanks_what_the_definition_says_and_offers_nothing_on_its_path(starter_kb):
    bank = QuestionBank(starter_kb)
    g = bank.graph.prereq
    clozes = [q for cid in sorted(bank.concepts) for q in bank.questions(cid) if q.kind == "cloze"]
    assert len(clozes) >= 10
    for q in clozes:
        body = q.prompt.split("\n\n", 1)[1]
        assert re.search(r"\b(?:is|are|was|were|means?|refers? to|describes?|denotes?|consists? of)\b",
                         body[: body.index(BLANK)]), body  # the blank is in what the sentence says
        right = next(c for c, x in bank.concepts.items() if x.title == q.options[q.answer])
        line = nx.ancestors(g, right) | nx.descendants(g, right) if right in g else set()
        assert not {bank.concepts[c].title for c in line} & set(q.options), q


def test_bkt_updates_follow_the_stated_rule():
    import networkx as nx
    g = nx.DiGraph([("vector", "embedding"), ("embedding", "clip")])
    tr = Tracer(g, BKT())
    changed = tr.answer("clip", True, options=4)
    post = BKT().posterior(0.3, True, 0.25)
    assert tr.mastery("clip") == pytest.approx(post + (1 - post) * 0.05)
    # a right answer on CLIP is evidence for what it builds on, weaker the further away
    assert set(changed) == {"clip", "embedding", "vector"}
    assert 0.3 < tr.mastery("vector") < tr.mastery("embedding") < tr.mastery("clip")
    tr2 = Tracer(g, BKT())
    tr2.answer("vector", False)
    # a wrong answer lowers what builds on it, but flags only the concept asked about
    assert tr2.mastery("clip") < 0.3 and tr2.weak("vector") and not tr2.weak("clip")
    # the frontier: not mastered, every prerequisite mastered
    for _ in range(4):
        tr.answer("vector", True)
    assert tr.mastered("vector") and tr.frontier(["vector", "embedding", "clip"]) == ["embedding"]


def test_progress_is_per_learner_survives_restarts_and_follows_forgotten_lessons(starter_kb, settings, embedder):
    p = Practice(starter_kb, "ada")
    qs = p.questions(concept="Backpropagation", count=4)
    assert qs and len({q.id for q in qs}) == len(qs)
    assert not set(q.id for q in p.questions(concept="Backpropagation", count=4)) & {q.id for q in qs}  # no repeats
    for q in qs:
        p.answer(q, q.answer)
    seen = set(progress.load(starter_kb, "ada"))
    assert {q.concept for q in qs} <= seen
    assert progress.load(starter_kb, "grace") == {}  # another learner sees nothing of it
    # a restart: a new knowledge base object on the same data dir
    starter_kb.close()
    from knowledge.kb import KnowledgeBase
    kb2 = KnowledgeBase(settings, embedder=embedder)
    again = Practice(kb2, "ada")
    assert again.tracer.mastery(qs[0].concept) > 0.5
    assert again.report().to_dict({})["learner"] == "ada"
    # forgetting a lesson removes progress on the concepts that went with it
    lesson = next(r for r in kb2.lessons() if qs[0].concept in r.concepts)
    only_there = [c for c in lesson.concepts if c in seen and kb2.get(c) and
                  all(s.lesson == lesson.id for s in kb2.get(c).sources)]
    kb2.forget_lesson(lesson.id)
    left = kb2.store.get_progress("ada")
    assert not set(only_there) & set(left)
    kb2.close()


def test_bad_learner_names_and_unknown_topics_get_clear_errors(starter_kb):
    with pytest.raises(progress.LearnerError, match="learner name"):
        Practice(starter_kb, "../etc")
    p = Practice(starter_kb)
    with pytest.raises(PracticeError, match="no lesson 'nowhere'"):
        p.questions(lesson="nowhere")


def test_quiz_and_progress_commands(starter_kb):
    from tutor.cli import app
    starter_kb.close()
    r = CliRunner().invoke(app, ["quiz", "--next", "--count", "3", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout[r.stdout.index("{"):])
    assert len(data["questions"]) == 3
    for q in data["questions"]:
        assert {"id", "kind", "prompt", "options", "answer", "concept", "source"} <= set(q)
        assert 0 <= q["answer"] < len(q["options"])
    r = CliRunner().invoke(app, ["quiz", "Backpropagation", "--count", "2", "--learner", "lin"], input="1\n1\n")
    assert r.exit_code == 0, r.output
    assert "From the course:" in r.output and "mastery of" in r.output
    r = CliRunner().invoke(app, ["progress", "--learner", "lin", "--json"])
    rep = json.loads(r.stdout[r.stdout.index("{"):])
    assert rep["learner"] == "lin" and rep["lessons"] and rep["next"]
    assert sum(x["practised"] for x in rep["lessons"]) >= 1


def test_answers_adapt_to_what_the_student_has_practised(starter_kb):
    """Mastered prerequisites collapse to one line ("You already know"), weak ones come first
    and flagged; the model is asked to explain only the prerequisites left."""
    from ollama_stub import ScriptedLLM

    from tutor.answer import Tutor

    class Recording(ScriptedLLM):
        def stream(self, messages, **kw):
            self.last = "\n".join(m.content for m in messages)
            return super().stream(messages, **kw)

    llm = Recording(["CLIP matches pictures and words."])
    tutor = Tutor(starter_kb, llm)
    q = "What is CLIP and how is it used in computer vision?"
    plain = tutor.ask(q)
    builds_on = llm.last.split("builds on ", 1)[1].split(". ")[0]
    assert "Embedding" in builds_on
    pre = [p.id for p in plain.prerequisites]
    assert "embedding" in pre and "contrastive-learning" in pre and not plain.known
    p = Practice(starter_kb, "kim")
    for _ in range(6):  # right answers on embedding until it is mastered
        p.tracer.answer("embedding", True, 4)
    p.tracer.answer("contrastive-learning", False, 4)  # and a miss on contrastive learning
    assert p.tracer.mastered("embedding") and p.tracer.weak("contrastive-learning")
    a = tutor.ask(q, learner=p.tracer)
    assert [k.id for k in a.known] == ["embedding"]
    assert "embedding" not in [x.id for x in a.prerequisites]
    assert a.prerequisites[0].id == "contrastive-learning" and a.prerequisites[0].weak
    md = a.markdown()
    assert "**You already know:** Embedding" in md and "you missed this in practice" in md
    # the model is not asked to explain what the student already knows
    builds_on = llm.last.split("builds on ", 1)[1].split(". ")[0]
    assert builds_on.startswith("Contrastive learning") and "Embedding" not in builds_on
    # three questions on the answer's concepts, the main one first
    checks = p.check_understanding([a.main.id, *(c.id for c in a.prerequisites)])
    assert len(checks) == 3 and checks[0].concept == "clip"


def test_accounts_keep_a_hash_and_refuse_bad_input(starter_kb):
    from knowledge import accounts

    accounts.create(starter_kb, "ana", "correct horse")
    stored = starter_kb.store.get_account("ana")
    assert stored.startswith("$2") and "correct horse" not in stored
    assert accounts.verify(starter_kb, "ana", "correct horse") == "ana"
    for name, pw in (("ana", "wrong password"), ("bob", "correct horse")):
        with pytest.raises(accounts.AccountError, match="wrong name or password"):
            accounts.verify(starter_kb, name, pw)
    with pytest.raises(accounts.AccountError, match="is taken"):
        accounts.create(starter_kb, "ana", "another password")
    with pytest.raises(accounts.AccountError, match="at least 8"):
        accounts.create(starter_kb, "cy", "short")
    with pytest.raises(accounts.AccountError, match="at most 72 bytes"):
        accounts.create(starter_kb, "cy", "é" * 40)
    with pytest.raises(accounts.AccountError, match="learner name"):
        accounts.create(starter_kb, "../cy", "long enough")
    accounts.create(starter_kb, "ana", "a new password", replace=True)
    assert accounts.verify(starter_kb, "ana", "a new password") == "ana"
    Practice(starter_kb, "ana").answer(*(lambda q: (q, q.answer))(Practice(starter_kb, "ana").questions(count=1)[0]))
    assert starter_kb.store.get_progress("ana")
    accounts.remove(starter_kb, "ana")
    assert accounts.names(starter_kb) == [] and starter_kb.store.get_progress("ana") == {}


def test_login_setting():
    from knowledge.settings import Settings

    assert not Settings().login_required  # a laptop: the default profile, no login
    assert Settings(chroma_host="127.0.0.1").login_required  # a shared server
    assert not Settings(chroma_host="127.0.0.1", login="none").login_required
    assert Settings(login="password").login_required
    with pytest.raises(ValueError, match="ERICA_LOGIN"):
        Settings(login="maybe").login_required


def test_account_commands(starter_kb):
    from tutor.cli import app
    starter_kb.close()
    r = CliRunner().invoke(app, ["account", "add", "lee"], input="long enough\nlong enough\n")
    assert r.exit_code == 0 and "account lee created" in r.output, r.output
    r = CliRunner().invoke(app, ["account", "add", "lee", "--password", "long enough"])
    assert r.exit_code == 2 and "is taken" in r.output
    r = CliRunner().invoke(app, ["account", "list", "--json"])
    assert json.loads(r.stdout)["accounts"] == ["lee"]
    r = CliRunner().invoke(app, ["account", "remove", "nobody"])
    assert r.exit_code == 2 and "no account called 'nobody'" in r.output

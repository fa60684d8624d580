"""The embedded model runs in a child process: a crash there is a message, never a dead tutor.

These tests run the real bundled SmolLM2 in its real child process (``python -m
tutor.llm.worker``) and kill that process with SIGKILL right after it sent its first text — the
way an illegal instruction, a segmentation fault or the OOM killer would end it — then check what
the student sees and that the next question is answered by a fresh child. Concurrency: four
students asking at once take turns, each gets a whole answer of their own.
"""

from __future__ import annotations

import gc
import os
import signal
import threading
import time
import warnings

import pytest
from typer.testing import CliRunner

from knowledge.settings import Settings
from tutor.answer import Tutor
from tutor.llm import LLM, ChatMessage, LLMError, get_llm
from tutor.llm.embedded import EmbeddedLLM, describe_exit
from tutor.llm.queue import TurnQueue

pytestmark = pytest.mark.slow

STOPPED = "the embedded model stopped (signal 9, killed); the next question restarts it"


@pytest.fixture(scope="module")
def llm() -> EmbeddedLLM:
    return EmbeddedLLM.from_settings(Settings(llm_model_path=None))


def test_exit_descriptions():
    assert describe_exit(-signal.SIGILL) == "signal 4, illegal instruction"
    assert describe_exit(-signal.SIGSEGV) == "signal 11, segmentation fault"
    assert describe_exit(-signal.SIGKILL) == "signal 9, killed"
    assert describe_exit(3) == "exit code 3"


def test_the_model_runs_in_its_own_process(llm):
    text = llm.complete([ChatMessage("user", "Say hello to a student.")], max_tokens=12, temperature=0.0)
    assert text.strip()
    assert llm.process.pid not in (None, os.getpid())
    assert llm.count_tokens("Backpropagation applies the chain rule.") > 3
    same = get_llm("embedded", settings=Settings(llm_model_path=None))
    assert isinstance(same, EmbeddedLLM) and same.process is llm.process  # one child per model


def test_a_question_gets_the_same_answer_whatever_was_asked_before(llm):
    """Sampling starts from one seed on every request: at temperature 1.0 the same question asked
    before and after another gets the same words (llama.cpp's default seed moves on per request)."""
    story = [ChatMessage("user", "Tell me a short story about a cat.")]
    first = llm.complete(story, max_tokens=40, temperature=1.0)
    llm.complete([ChatMessage("user", "Explain gradient descent in two sentences.")], max_tokens=40, temperature=1.0)
    assert llm.complete(story, max_tokens=40, temperature=1.0) == first


def test_an_answer_leaves_no_connection_open(llm):
    """Each answer hangs up its connection to the model's process when it ends, rather than leaving
    an open socket per question for the garbage collector (a page serves students for days)."""
    llm.complete([ChatMessage("user", "Say hello.")], max_tokens=4, temperature=0.0)  # the child is up
    gc.collect()  # (what earlier tests left for the collector is finalised before, not counted here)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        for _ in range(3):
            llm.complete([ChatMessage("user", "Say hello.")], max_tokens=4, temperature=0.0)
        gc.collect()
    assert not [str(w.message) for w in seen if issubclass(w.category, ResourceWarning) and "socket" in str(w.message)]


def test_a_killed_model_is_an_error_and_the_next_answer_works(llm, killer):
    msgs = [ChatMessage("user", "Explain in five sentences what a neural network is.")]
    before = llm.process.starts
    got: list[str] = []
    with pytest.raises(LLMError) as err:
        for chunk in llm.stream(msgs, max_tokens=120, temperature=0.0):
            got.append(chunk)
    assert str(err.value) == STOPPED
    assert got and len(killer.killed) == 1  # it died mid-answer, after its first text
    again = llm.complete(msgs, max_tokens=16, temperature=0.0)
    assert again.strip()
    assert llm.process.starts == before + 1 and llm.process.pid != killer.killed[0]


def test_tutor_shows_the_course_facts_and_the_stop_message(starter_kb, llm, killer):
    tutor = Tutor(starter_kb, llm)
    a = tutor.ask("What is a perceptron?")
    assert a.error and STOPPED in a.error
    assert a.main.title == "Perceptron" and a.main.definition and a.sources  # the course's facts stand
    b = tutor.ask("What is a perceptron?")
    assert b.error is None and b.checked  # the restarted model wrote (what is shown is what the course supports)


def test_cli_chat_reports_the_stop_and_answers_the_next_question(killer):
    from tutor.cli import app

    res = CliRunner().invoke(app, ["chat", "--backend", "embedded"],
                             input="What is a perceptron?\nWhat is a perceptron?\n/quit\n")
    assert res.exit_code == 0, res.output
    assert STOPPED in res.output and "Traceback" not in res.output
    first, second = res.output.split(STOPPED, 1)
    assert "The main idea: Perceptron" in first  # the course's part of the broken answer, printed before the model
    after = second.split("you>", 1)[1]
    assert "The main idea: Perceptron" in after and "Written by SmolLM2" in after and STOPPED not in after
    assert "stopped" not in second.split("you>", 1)[1]


class Timed(LLM):
    """The model, noting when each student's text came from it (the support check may show none of it)."""

    def __init__(self, inner: LLM) -> None:
        self.inner, self.name, self.queue = inner, inner.name, inner.queue
        self.context_window = inner.context_window
        self.times: dict[str, list[float]] = {}

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def stream(self, messages, **kw):  # type: ignore[no-untyped-def]
        chunks = self.inner.stream(messages, **kw)
        mine = self.times.setdefault(threading.current_thread().name, [])
        try:
            for chunk in chunks:
                mine.append(time.perf_counter())
                yield chunk
        finally:
            chunks.close()


def test_four_students_at_once_take_turns_and_each_gets_a_whole_answer(starter_kb, llm):
    timed = Timed(llm)
    tutor = Tutor(starter_kb, timed)
    questions = ["What is a perceptron?", "What is overfitting?", "What is an embedding?", "What is CLIP?"]
    mains = ["Perceptron", "Overfitting", "Embedding", "CLIP"]
    results: dict[str, dict] = {}
    barrier = threading.Barrier(len(questions))

    def student(q: str) -> None:
        barrier.wait()
        seen = {"queue": [], "tokens": [], "facts_before_tokens": False}
        for ev in tutor.stream(q):
            t = time.perf_counter()
            if ev.kind == "facts":
                seen["facts_before_tokens"] = not seen["tokens"]
            elif ev.kind == "queue":
                seen["queue"].append(ev.data)
            elif ev.kind == "token":
                seen["tokens"].append(t)
            elif ev.kind == "done":
                seen["answer"] = ev.data
        results[q] = seen

    threads = [threading.Thread(target=student, args=(q,), name=q) for q in questions]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=600)
    assert len(results) == 4
    spans = []
    for q, main in zip(questions, mains):
        r = results[q]
        a = r["answer"]
        assert a.error is None and a.checked, (q, a.error)  # each wrote a whole answer
        assert a.main.title == main and a.question == q
        assert r["facts_before_tokens"]
        spans.append((timed.times[q][0], timed.times[q][-1]))
    places = sorted(max(r["queue"], default=0) for r in results.values())
    assert places == [0, 1, 2, 3]  # one answered at once, the others told how many were ahead
    spans.sort()
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "two answers were written at the same time"


def test_turn_queue_is_first_come_first_served():
    q = TurnQueue()
    a, b, c = q.join(), q.join(), q.join()
    assert (a.ahead, b.ahead, c.ahead) == (0, 1, 2)
    assert a.wait(0) and not b.wait(0.01)
    b.leave()  # a student who gave up waiting
    assert c.ahead == 1
    a.leave()
    assert c.wait(1) and c.ahead == 0 and len(q) == 1
    c.leave()
    c.leave()
    assert len(q) == 0


def test_a_model_that_cannot_load_is_a_clear_error_from_the_child(tmp_path):
    junk = tmp_path / "notes.gguf"
    junk.write_text("these are lecture notes, not a model")
    llm = EmbeddedLLM(junk)
    with pytest.raises(LLMError, match=r"The embedded model could not start \(llama.cpp could not load .*notes.gguf"):
        llm.complete([ChatMessage("user", "Hi")], max_tokens=4)
    assert not llm.process.running()


def test_counting_tokens_prints_nothing_to_the_terminal(capfd):
    """The embedded model counts tokens with a vocabulary-only llama.cpp model in this process;
    loading it must not print llama.cpp's context warning into the student's terminal."""
    from tutor.llm import embedded as emb
    from tutor.llm.llamacpp import default_model_path

    path = default_model_path()
    emb._TOKENIZERS.pop(str(path.resolve()), None)  # load it afresh here
    capfd.readouterr()
    n = len(emb._tokenizer(path).tokenize(b"Attention pools the values.", add_bos=False, special=True))
    out, err = capfd.readouterr()
    assert n > 3 and "n_ctx" not in err and "llama_context" not in err and out == ""

"""The Ollama backend against tests/ollama_stub.py (no real Ollama can be installed here).

Tests marked slow generate with the real embedded SmolLM2 behind the stub; the others use
a scripted model or never reach generation.
"""

from __future__ import annotations

import time

import ollama
import pytest
from ollama_stub import OllamaStub, ScriptedLLM, closed_port_url

from knowledge.settings import Settings
from tutor.llm import ChatMessage, LLMError
from tutor.llm.base import SAMPLING_SEED
from tutor.llm.llamacpp import LlamaCppLLM
from tutor.llm.ollama import OllamaLLM

QUESTION = [ChatMessage("system", "You are a patient tutor."), ChatMessage("user", "What is a matrix?")]


@pytest.fixture(scope="module")
def embedded() -> LlamaCppLLM:
    # the bundled SmolLM2 with the settings' context and threads: loaded once, shared by every test module
    return LlamaCppLLM.from_settings(Settings(llm_model_path=None))


@pytest.fixture(scope="module")
def stub(embedded):
    with OllamaStub(llm=embedded, models=["qwen2.5", "llama3.2:1b"]) as server:
        yield server


@pytest.fixture
def scripted_stub():
    with OllamaStub(llm=ScriptedLLM(["Vectors", " add", " tip", " to", " tail", "."]), models=["qwen2.5"]) as server:
        yield server


# -- probing ------------------------------------------------------------------------


def test_available_for_a_served_model_with_or_without_tag(stub):
    assert OllamaLLM("qwen2.5", host=stub.url).available()
    assert OllamaLLM("qwen2.5:latest", host=stub.url).available()
    assert OllamaLLM("llama3.2:1b", host=stub.url).available()
    assert OllamaLLM("qwen2.5", host=stub.url).models() == ["llama3.2:1b", "qwen2.5:latest"]


def test_not_available_for_a_model_it_does_not_have(stub):
    missing = OllamaLLM("mistral", host=stub.url)
    assert not missing.available()
    assert not OllamaLLM("llama3.2", host=stub.url).available()  # only the :1b tag is pulled
    problem = missing.problem()
    assert "does not have model 'mistral'" in problem
    assert "ollama pull mistral" in problem and "qwen2.5:latest" in problem


def test_unreachable_host_is_a_clear_error():
    url = closed_port_url()
    llm = OllamaLLM("qwen2.5", host=url)
    started = time.perf_counter()
    assert not llm.available(timeout=1.0)
    assert time.perf_counter() - started < 2.0
    with pytest.raises(LLMError) as err:
        llm.complete(QUESTION, max_tokens=8)
    message = str(err.value)
    assert f"Ollama not reachable at {url}" in message
    assert "ollama serve" in message and "--backend embedded" in message


def test_unknown_model_is_a_clear_error(scripted_stub):
    llm = OllamaLLM("mistral", host=scripted_stub.url)
    with pytest.raises(LLMError) as err:
        list(llm.stream(QUESTION, max_tokens=8))
    assert str(err.value) == (
        f"Ollama at {scripted_stub.url} does not have model 'mistral'; "
        "run `ollama pull mistral` or pick one of: qwen2.5:latest."
    )


# -- generation, scripted ---------------------------------------------------------------


def test_options_reach_ollama(scripted_stub):
    llm = OllamaLLM("qwen2.5", host=scripted_stub.url, context_window=2048)
    assert llm.complete(QUESTION, max_tokens=3, temperature=0.0, stop=["\n\n"]) == "Vectors add tip"
    method, path, body = scripted_stub.requests[-1]
    assert (method, path) == ("POST", "/api/chat")
    assert body["model"] == "qwen2.5" and body["stream"] is True
    assert body["options"] == {"num_predict": 3, "temperature": 0.0, "seed": SAMPLING_SEED, "num_ctx": 2048, "stop": ["\n\n"]}
    assert body["messages"] == [m.to_dict() for m in QUESTION]


def test_a_slow_server_times_out_clearly():
    with OllamaStub(llm=ScriptedLLM(delay=2.0)) as server:
        llm = OllamaLLM("qwen2.5", host=server.url, timeout=0.3)
        with pytest.raises(LLMError, match=r"did not answer within 0.3 s.*ERICA_OLLAMA_TIMEOUT"):
            llm.complete(QUESTION)


def test_an_error_line_mid_answer_keeps_the_partial_answer():
    with OllamaStub(llm=ScriptedLLM(fail_after=2)) as server:
        got: list[str] = []
        with pytest.raises(LLMError, match="stopped mid-answer with an error"):
            for chunk in OllamaLLM("qwen2.5", host=server.url).stream(QUESTION):
                got.append(chunk)
    assert got == ["Hello", ","]


# -- generation with the real model behind the stub ---------------------------------------


@pytest.mark.slow
def test_streams_real_text(stub):
    llm = OllamaLLM("qwen2.5", host=stub.url)
    assert llm.name == f"qwen2.5 via Ollama at {stub.url}"
    chunks = list(llm.stream(QUESTION, max_tokens=16, temperature=0.0))
    assert 1 < len(chunks) <= 16
    assert "".join(chunks).strip()


@pytest.mark.slow
def test_stub_speaks_ollamas_shapes(stub):
    """The official client parses the stub's answers into its own typed responses."""
    client = ollama.Client(host=stub.url, timeout=30)
    whole = client.chat(model="qwen2.5", messages=[m.to_dict() for m in QUESTION], options={"num_predict": 4})
    assert whole.done and whole.done_reason == "length" and whole.message.role == "assistant"
    assert whole.message.content and whole.eval_count == 4 and whole.prompt_eval_count > 0
    parts = list(client.chat(model="qwen2.5:latest", messages=[m.to_dict() for m in QUESTION],
                             options={"num_predict": 4}, stream=True))
    assert [p.done for p in parts] == [False] * (len(parts) - 1) + [True]
    assert parts[-1].done_reason in ("stop", "length") and parts[-1].message.content == ""
    assert client.show("qwen2.5").details.format == "gguf"
    with pytest.raises(ollama.ResponseError) as err:
        client.show("mistral")
    assert err.value.status_code == 404 and err.value.error == "model 'mistral' not found"


@pytest.mark.slow
def test_connection_dropped_mid_stream_keeps_the_partial_answer(embedded):
    with OllamaStub(llm=embedded, drop_after=3) as server:
        got: list[str] = []
        with pytest.raises(LLMError) as err:
            for chunk in OllamaLLM("qwen2.5", host=server.url).stream(QUESTION, max_tokens=32):
                got.append(chunk)
    assert len(got) == 3 and "".join(got).strip()
    assert "broke off mid-answer" in str(err.value) and "ask again" in str(err.value)

"""get_llm("auto"): Ollama when it answers and has the model, else the embedded model."""

from __future__ import annotations

import time

import pytest
from ollama_stub import OllamaStub, ScriptedLLM, closed_port_url

from knowledge.settings import Settings
from tutor.llm import get_llm
from tutor.llm.embedded import EmbeddedLLM
from tutor.llm.ollama import OllamaLLM


@pytest.fixture
def stub():
    with OllamaStub(llm=ScriptedLLM(["A", " tensor", "."]), models=["qwen2.5"]) as server:
        yield server


def auto_settings(**kw) -> Settings:
    return Settings(**{"llm_backend": "auto", "ollama_model": "qwen2.5", "llm_model_path": None, **kw})


def test_picks_ollama_when_it_serves_the_model(stub):
    llm = get_llm(settings=auto_settings(ollama_host=stub.url))
    assert isinstance(llm, OllamaLLM)
    assert llm.name == f"qwen2.5 via Ollama at {stub.url}"
    assert llm.complete([{"role": "user", "content": "What is a tensor?"}]) == "A tensor."


def test_reads_the_host_from_the_environment(stub, monkeypatch):
    monkeypatch.delenv("ERICA_OLLAMA_HOST", raising=False)
    monkeypatch.delenv("ERICA_LLM_BACKEND", raising=False)
    monkeypatch.delenv("ERICA_OLLAMA_MODEL", raising=False)
    monkeypatch.setenv("OLLAMA_HOST", stub.url)
    assert get_llm().name == f"qwen2.5 via Ollama at {stub.url}"


def test_falls_back_to_embedded_when_ollama_is_unreachable():
    started = time.perf_counter()
    llm = get_llm(settings=auto_settings(ollama_host=closed_port_url()))
    assert time.perf_counter() - started < 3.0
    assert isinstance(llm, EmbeddedLLM)
    assert llm.name == "SmolLM2-135M-Instruct (embedded llama.cpp)"


def test_falls_back_to_embedded_when_the_model_is_not_pulled(stub):
    llm = get_llm(model="mistral", settings=auto_settings(ollama_host=stub.url))
    assert llm.name.endswith("(embedded llama.cpp)")


def test_a_gguf_path_means_embedded(stub, tmp_path):
    gguf = tmp_path / "tiny-tutor.Q8_0.gguf"
    gguf.write_bytes(b"GGUF")  # not loaded: choosing a backend never loads a model
    llm = get_llm(model=str(gguf), settings=auto_settings(ollama_host=stub.url))
    assert isinstance(llm, EmbeddedLLM) and llm.name == "tiny-tutor (embedded llama.cpp)"


def test_named_backend_is_used_as_asked(stub):
    assert isinstance(get_llm("embedded", settings=auto_settings(ollama_host=stub.url)), EmbeddedLLM)
    assert isinstance(get_llm("OLLAMA", settings=auto_settings(ollama_host=closed_port_url())), OllamaLLM)

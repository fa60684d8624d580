"""The LLM interface and get_llm's choices, without any model or network."""

from __future__ import annotations

import pytest
from ollama_stub import ScriptedLLM, closed_port_url

from knowledge.settings import Settings
from tutor.llm import BACKENDS, ChatMessage, LLMError, as_messages, get_llm
from tutor.llm.ollama import OllamaLLM, full_name, normalize_host


def test_complete_is_the_joined_stream():
    llm = ScriptedLLM(["Gradient", " descent", " descends", "."])
    chat = [ChatMessage("user", "What does gradient descent do?")]
    assert llm.complete(chat) == "Gradient descent descends."
    assert llm.complete(chat, max_tokens=2) == "Gradient descent"


def test_messages_may_be_dicts_but_roles_are_checked():
    assert as_messages([{"role": "user", "content": "hi"}]) == [ChatMessage("user", "hi")]
    with pytest.raises(ValueError, match="role must be one of"):
        ChatMessage("teacher", "hi")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one message"):
        as_messages([])


def test_default_token_count_is_an_estimate():
    llm = ScriptedLLM()
    assert llm.count_tokens("") == 0
    assert llm.count_tokens("four") == 1
    assert 20 <= llm.count_tokens("word " * 20) <= 30


def test_unknown_backend_lists_the_choices():
    with pytest.raises(LLMError) as err:
        get_llm("gpt5", settings=Settings())
    assert "'gpt5'" in str(err.value)
    for name in BACKENDS:
        assert name in str(err.value)


def test_ollama_backend_is_built_without_touching_the_network():
    url = closed_port_url()
    llm = get_llm("ollama", model="llama3.2", settings=Settings(ollama_host=url))
    assert isinstance(llm, OllamaLLM)
    assert llm.name == f"llama3.2 via Ollama at {url}"


def test_ollama_names_and_hosts_follow_ollama():
    assert full_name("qwen2.5") == "qwen2.5:latest"
    assert full_name("qwen2.5:7b") == "qwen2.5:7b"
    assert full_name("hf.co/org/model") == "hf.co/org/model:latest"
    assert normalize_host(None) == "http://127.0.0.1:11434"
    assert normalize_host("10.0.0.5") == "http://10.0.0.5:11434"
    assert normalize_host("10.0.0.5:8080/") == "http://10.0.0.5:8080"
    assert normalize_host("https://ollama.example.org/") == "https://ollama.example.org"

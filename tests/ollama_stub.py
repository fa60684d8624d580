"""A stand-in for an Ollama server, for tests.

No Ollama server can be installed on this machine (no internet, no ``ollama`` binary), so the
tests talk to Erica's own implementation of Ollama's REST protocol instead
(:class:`tutor.llm.protocol.ProtocolServer`, the same server the embedded model's child process
runs), backed by a real :class:`tutor.llm.LLM` — by default the embedded llama.cpp SmolLM2 — so
tokens are real. On top of the library server the stub records every request
(``requests``: ``(method, path, json_body)``) and, with ``drop_after=N``, closes the connection
after N chunks without finishing the chunked body, like a server that dies mid-answer.

    with OllamaStub(llm=embedded, models=["qwen2.5"]) as stub:
        OllamaLLM("qwen2.5", host=stub.url).complete([...])
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterable, Iterator
from typing import Any

from tutor.llm.base import LLM, LLMError, as_messages
from tutor.llm.protocol import OLLAMA_VERSION, ProtocolServer


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (a port just freed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class _LazyLLM(LLM):
    """The embedded SmolLM2, loaded in this process on the first request."""

    name = "SmolLM2-135M-Instruct (embedded llama.cpp)"

    def __init__(self) -> None:
        self._llm: LLM | None = None

    @property
    def real(self) -> LLM:
        if self._llm is None:
            from tutor.llm.llamacpp import LlamaCppLLM

            self._llm = LlamaCppLLM()
        return self._llm

    def stream(self, messages, **kw):  # type: ignore[no-untyped-def]
        return self.real.stream(messages, **kw)

    def count_tokens(self, text: str) -> int:
        return self.real.count_tokens(text)


class OllamaStub(ProtocolServer):
    """An Ollama look-alike on ``127.0.0.1:<free port>``, served from a background thread."""

    def __init__(
        self,
        llm: LLM | None = None,
        models: Iterable[str] = ("qwen2.5",),
        *,
        drop_after: int | None = None,
        version: str = OLLAMA_VERSION,
        parameter_size: str = "135M",
    ) -> None:
        path = getattr(llm, "model_path", None)
        super().__init__(llm or _LazyLLM(), models, version=version, size=path.stat().st_size if path else 0,
                         details={"parameter_size": parameter_size, "quantization_level": "Q4_1"})
        self.drop_after = drop_after
        self.requests: list[tuple[str, str, Any]] = []

    def record(self, method: str, path: str, body: Any) -> None:
        self.requests.append((method, path, body))

    def hang_up_after(self) -> int | None:
        return self.drop_after


class ScriptedLLM(LLM):
    """A real, tiny LLM for fast tests of the HTTP side: answers with ``chunks`` (at most
    ``max_tokens`` of them), optionally after ``delay`` seconds, optionally failing with
    :class:`LLMError` after ``fail_after`` chunks."""

    name = "scripted"

    def __init__(
        self,
        chunks: Iterable[str] = ("Hello", ",", " student", "."),
        *,
        delay: float = 0.0,
        fail_after: int | None = None,
    ) -> None:
        self.chunks = list(chunks)
        self.delay = delay
        self.fail_after = fail_after

    def stream(self, messages, *, max_tokens=512, temperature=0.2, stop=None):  # type: ignore[no-untyped-def]
        as_messages(messages)

        def generate() -> Iterator[str]:
            time.sleep(self.delay)
            for i, chunk in enumerate(self.chunks[:max_tokens]):
                if self.fail_after is not None and i >= self.fail_after:
                    raise LLMError("the scripted model failed on purpose")
                yield chunk

        return generate()

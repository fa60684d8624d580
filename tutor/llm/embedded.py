"""Embedded backend: a GGUF model run by llama.cpp in a child process that Erica supervises.

The model never runs inside the page's or the CLI's process. :class:`ModelProcess` starts
``python -m tutor.llm.worker`` on the first question (or at warm-up), which serves the model with
Ollama's protocol on a loopback port; :class:`EmbeddedLLM` talks to it through the same client as
a real Ollama (:class:`~tutor.llm.ollama.OllamaLLM`). If the child dies — an illegal instruction,
a segmentation fault, memory running out, a kill — the answer being written ends with a clear
message (``the embedded model stopped (signal 4, illegal instruction); the next question
restarts it``) and the next question starts a new child.

One child serves every :class:`EmbeddedLLM` of a process with the same (model, context,
threads); its students take turns through :attr:`ModelProcess.queue`. Prompt budgeting
(:meth:`EmbeddedLLM.count_tokens`) uses the model's tokenizer loaded here vocabulary-only: no
model weights and no compute kernels in this process.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tutor.llm.base import LLM, ChatMessage, LLMError
from tutor.llm.llamacpp import default_threads, model_label, resolve_model_path
from tutor.llm.queue import TurnQueue

if TYPE_CHECKING:
    from llama_cpp import Llama

    from knowledge.settings import Settings
    from tutor.llm.ollama import OllamaLLM

log = logging.getLogger(__name__)

START_TIMEOUT_S = 180.0  # loading a multi-GB GGUF from a cold disk can take a while
_PROJECT_ROOT = Path(__file__).resolve().parents[2]


def describe_exit(code: int) -> str:
    """``-4`` → ``signal 4, illegal instruction``; ``3`` → ``exit code 3``."""
    if code < 0:
        try:
            what = (signal.strsignal(-code) or signal.Signals(-code).name).lower()
        except ValueError:
            what = "unknown signal"
        return f"signal {-code}, {what}"
    return f"exit code {code}"


class ModelProcess:
    """The child process that runs one model, started on demand and again after it dies."""

    def __init__(self, path: Path, n_ctx: int, n_threads: int) -> None:
        self.path = path
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self.label = model_label(path)
        self.queue = TurnQueue()
        self.starts = 0  # how many children were started (1 + restarts)
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._url: str | None = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def running(self) -> bool:
        return self.pid is not None

    def url(self) -> str:
        """The child's address, starting it first when it is not running."""
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._start()
            assert self._url is not None
            return self._url

    def _start(self) -> None:
        self._reap()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_PROJECT_ROOT), env.get("PYTHONPATH", "")) if p)
        self._stderr = tempfile.TemporaryFile()
        cmd = [sys.executable, "-m", "tutor.llm.worker", "--model", str(self.path), "--name", self.label,
               "--ctx", str(self.n_ctx), "--threads", str(self.n_threads)]
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
                                env=env, close_fds=True)
        self.starts += 1
        line = _read_line(proc, START_TIMEOUT_S)
        info: dict[str, Any] = {}
        try:
            info = json.loads(line) if line else {}
        except json.JSONDecodeError:
            pass
        if "url" not in info:
            proc.kill()
            code = proc.wait()
            why = info.get("error") or self._stderr_tail() or describe_exit(code)
            raise LLMError(f"The embedded model could not start ({why}).")
        self._proc, self._url = proc, str(info["url"])

    def stopped(self, wait_s: float = 2.0) -> str | None:
        """When the child has died: how (``signal 9, killed``), else None. Waits up to ``wait_s``
        for a child whose connection just broke to finish dying."""
        proc = self._proc
        if proc is None:
            return None
        try:
            code = proc.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            return None
        return describe_exit(code)

    def _stderr_tail(self, limit: int = 400) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace").strip()
        return text[-limit:]

    def _reap(self) -> None:
        if self._proc is not None:
            if self._proc.stdin:
                self._proc.stdin.close()
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.wait()
        if self._stderr is not None:
            self._stderr.close()
        self._proc = self._stderr = self._url = None

    def close(self) -> None:
        """Let the child go: it exits when its standard input closes."""
        with self._lock:
            proc = self._proc
            if proc is not None and proc.stdin:
                proc.stdin.close()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
            self._reap()


def _read_line(proc: subprocess.Popen[bytes], timeout: float) -> str:
    """The child's first line of output, or "" when it exits or ``timeout`` passes first."""
    assert proc.stdout is not None
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    buf = b""
    try:
        while b"\n" not in buf:
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                return ""
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            buf += chunk
    finally:
        sel.close()
    return buf.split(b"\n", 1)[0].decode("utf-8", "replace")


_PROCESSES: dict[tuple[str, int, int], ModelProcess] = {}
_TOKENIZERS: dict[str, "Llama"] = {}
_REGISTRY_LOCK = threading.Lock()


def model_process(path: Path, n_ctx: int, n_threads: int) -> ModelProcess:
    """The one child process for (model, context, threads) in this process."""
    key = (str(path.resolve()), n_ctx, n_threads)
    with _REGISTRY_LOCK:
        if key not in _PROCESSES:
            if not _PROCESSES:
                atexit.register(close_all)
            _PROCESSES[key] = ModelProcess(Path(key[0]), n_ctx, n_threads)
        return _PROCESSES[key]


def close_all() -> None:
    """Let every child process go and free the tokenizers (at exit, while llama.cpp's bindings
    still exist)."""
    with _REGISTRY_LOCK:
        for p in _PROCESSES.values():
            p.close()
        for tok in _TOKENIZERS.values():
            tok.close()
        _TOKENIZERS.clear()


def _quiet():
    """llama-cpp-python's own stdout/stderr silencer (pinned version), else nothing."""
    try:
        from llama_cpp._utils import suppress_stdout_stderr
    except ImportError:  # pragma: no cover - another llama-cpp-python layout
        return contextlib.nullcontext()
    return suppress_stdout_stderr(disable=False)


def _tokenizer(path: Path) -> "Llama":
    key = str(path.resolve())
    with _REGISTRY_LOCK:
        if key not in _TOKENIZERS:
            from llama_cpp import Llama

            if not _PROCESSES and not _TOKENIZERS:
                atexit.register(close_all)

            try:
                # llama.cpp warns on stderr that a vocabulary-only model has no training context
                # ("n_ctx_seq (512) > n_ctx_train (0)") even with verbose=False: not for the student
                with _quiet():
                    _TOKENIZERS[key] = Llama(model_path=key, vocab_only=True, verbose=False)
            except (ValueError, RuntimeError, OSError) as e:
                raise LLMError(
                    f"llama.cpp could not read {path} ({e}); check that it is a complete GGUF model file, "
                    "or unset ERICA_LLM_MODEL_PATH to use the bundled SmolLM2-135M-Instruct."
                ) from e
        return _TOKENIZERS[key]


class EmbeddedLLM(LLM):
    """A GGUF chat model run by llama.cpp in a supervised child process."""

    def __init__(self, model_path: str | Path | None = None, *, n_ctx: int = 4096, n_threads: int | None = None,
                 timeout: float = 120.0) -> None:
        path = resolve_model_path(model_path)
        self.model_path = path
        self.context_window = n_ctx
        self.n_threads = n_threads or default_threads()
        self.timeout = timeout
        self.name = f"{model_label(path)} (embedded llama.cpp)"
        self.process = model_process(path, n_ctx, self.n_threads)
        self.queue = self.process.queue

    @classmethod
    def from_settings(cls, settings: "Settings", model_path: str | Path | None = None) -> "EmbeddedLLM":
        return cls(model_path or settings.llm_model_path, n_ctx=settings.llm_context, n_threads=settings.llm_threads)

    def warm_up(self) -> None:
        self.count_tokens("warm up")
        self.process.url()

    @property
    def parameters(self) -> float | None:
        """The model's size, from its GGUF metadata (read with its tokenizer, no weights loaded)."""
        from tutor.llm.base import parameters_from_metadata

        return parameters_from_metadata(_tokenizer(self.model_path).metadata)

    @property
    def capable(self) -> bool:  # type: ignore[override]
        from tutor.llm.base import CAPABLE_PARAMETERS

        n = self.parameters
        return n is not None and n >= CAPABLE_PARAMETERS

    def stream(
        self,
        messages: Iterable[ChatMessage | Mapping[str, str]],
        *,
        max_tokens: int = 512,
        temperature: float = 0.2,
        stop: list[str] | None = None,
    ) -> Iterator[str]:
        from tutor.llm.ollama import OllamaLLM

        url = self.process.url()  # starts (or restarts) the child; LLMError when it cannot
        client = OllamaLLM(self.process.label, host=url, timeout=self.timeout, context_window=self.context_window)
        chunks = client.stream(messages, max_tokens=max_tokens, temperature=temperature, stop=stop)
        return self._relay(chunks, client)

    def _relay(self, chunks: Iterator[str], client: OllamaLLM) -> Iterator[str]:
        pid = self.process.pid
        try:
            for i, chunk in enumerate(chunks):
                if i == 0:  # observable in logs (and by tests that kill the child mid-answer)
                    log.debug("first text from the embedded model (pid %s)", pid, extra={"model_pid": pid})
                yield chunk
        except LLMError as e:
            how = self.process.stopped()
            if how is not None:
                raise LLMError(f"the embedded model stopped ({how}); the next question restarts it") from e
            cause = e.__cause__
            said = getattr(cause, "error", None)  # the child's own message (ollama.ResponseError)
            if isinstance(said, str) and said:
                raise LLMError(said) from e
            raise LLMError(f"the embedded model did not answer ({cause or e}); ask again") from e
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()  # hangs up: the child stops generating and serves the next student
            client.close()  # (its connections closed now, not left to the garbage collector)

    def count_tokens(self, text: str) -> int:
        """Exact, with the model's own tokenizer (vocabulary only, loaded in this process)."""
        if not text:
            return 0
        return len(_tokenizer(self.model_path).tokenize(text.encode("utf-8"), add_bos=False, special=True))

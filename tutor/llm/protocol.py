"""Ollama's REST protocol served over any :class:`~tutor.llm.base.LLM`.

Erica's embedded model runs in a child process that serves this protocol on a loopback port
(:mod:`tutor.llm.worker`), so the tutor talks to "embedded" and "ollama" through one client
(:class:`~tutor.llm.ollama.OllamaLLM`). The tests' Ollama stand-in is this server too.

The part of Ollama's API that the official ``ollama`` Python client uses, in Ollama's shapes:

* ``GET /`` → ``Ollama is running``; ``GET /api/version`` → ``{"version": "..."}``
* ``GET /api/tags`` → ``{"models": [{"name", "model", "modified_at", "size", "digest", "details"}]}``
* ``POST /api/chat`` → NDJSON over chunked transfer (``"stream": true``, Ollama's default):
  one ``{"model", "created_at", "message": {"role": "assistant", "content"}, "done": false}``
  line per chunk, then a ``"done": true`` line with ``done_reason`` and the duration/count
  fields; or one JSON object (``"stream": false``). Options ``num_predict``, ``temperature``
  and ``stop`` are honoured. An unknown model → 404 ``{"error": "model \\"x\\" not found,
  try pulling it first"}``; a failure while generating → an ``{"error": ...}`` line, as Ollama.
* ``POST /api/show`` → model details; unknown model → 404 ``{"error": "model 'x' not found"}``.

Model names follow Ollama: ``qwen2.5`` means ``qwen2.5:latest``. Requests are served on
threads; a backend that can run one generation at a time (llama.cpp) serialises them itself.
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading
import time
from collections.abc import Iterable
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tutor.llm.base import LLM, LLMError

OLLAMA_VERSION = "0.6.5"  # the Ollama API version this server speaks


def full_name(model: str) -> str:
    """Ollama's own naming: a model without a tag means ``:latest``."""
    return model if ":" in model.rsplit("/", 1)[-1] else f"{model}:latest"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


class ProtocolServer:
    """Serves ``llm`` under the names ``models`` on ``host:port`` (port 0: a free one), from a
    background thread. ``details`` describes the model as ``/api/tags`` reports it.

    Subclasses may override :meth:`record` (every request) and :meth:`hang_up_after` (a chunk
    count after which the connection is dropped mid-answer) — the tests' stub does.
    """

    def __init__(
        self,
        llm: LLM,
        models: Iterable[str],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        details: dict[str, Any] | None = None,
        size: int = 0,
        version: str = OLLAMA_VERSION,
    ) -> None:
        self.llm = llm
        self.models = [full_name(m) for m in models]
        self.details = {"parent_model": "", "format": "gguf", "family": "llama", "families": ["llama"],
                        "parameter_size": "", "quantization_level": "", **(details or {})}
        self.size = size
        self.version = version
        self._address = (host, port)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- hooks ---------------------------------------------------------------------------

    def record(self, method: str, path: str, body: Any) -> None:
        """Called for every request (nothing by default)."""

    def hang_up_after(self) -> int | None:
        """Chunks to send before dropping the connection mid-answer (never, by default)."""
        return None

    # -- lifecycle -----------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the server is not running; use it as a context manager or call start()")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "ProtocolServer":
        handler = type("Handler", (_Handler,), {"owner": self})
        self._server = _Server(self._address, handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="ollama-protocol", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "ProtocolServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- Ollama's JSON shapes ------------------------------------------------------------

    def serves(self, model: str) -> bool:
        return full_name(model) in self.models

    def tags(self) -> dict[str, Any]:
        return {"models": [{"name": n, "model": n, "modified_at": _now(), "size": self.size,
                            "digest": hashlib.sha256(n.encode()).hexdigest(), "details": self.details}
                           for n in self.models]}

    def show(self, model: str) -> dict[str, Any]:
        return {
            "modelfile": f"# Modelfile\nFROM {full_name(model)}\n",
            "parameters": "",
            "template": "{{ .Prompt }}",
            "details": self.details,
            "model_info": {"general.architecture": self.details.get("family", "llama"),
                           "llama.context_length": self.llm.context_window},
            "capabilities": ["completion"],
            "modified_at": _now(),
        }


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a client that hung up (a student who left, a closed stream): nothing to report
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    owner: ProtocolServer
    protocol_version = "HTTP/1.1"  # keep-alive and chunked bodies, like Ollama's Go server
    server_version = "erica-ollama-protocol"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: Any, content_type: str = "application/json; charset=utf-8") -> None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _chunk(self, obj: dict[str, Any]) -> None:
        data = json.dumps(obj).encode() + b"\n"
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _not_found(self) -> None:
        self._send(404, "404 page not found", "text/plain")

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        self.owner.record("GET", self.path, None)
        if self.path == "/":
            self._send(200, "Ollama is running", "text/plain; charset=utf-8")
        elif self.path == "/api/version":
            self._send(200, {"version": self.owner.version})
        elif self.path == "/api/tags":
            self._send(200, self.owner.tags())
        else:
            self._not_found()

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            self.owner.record("POST", self.path, raw)
            self._send(400, {"error": "invalid character in request body"})
            return
        self.owner.record("POST", self.path, body)
        model = str(body.get("model") or "")
        if self.path not in ("/api/chat", "/api/show"):
            self._not_found()
        elif not model:
            self._send(400, {"error": "model is required"})
        elif self.path == "/api/show":
            if self.owner.serves(model):
                self._send(200, self.owner.show(model))
            else:
                self._send(404, {"error": f"model '{model}' not found"})
        elif not self.owner.serves(model):
            self._send(404, {"error": f'model "{model}" not found, try pulling it first'})
        else:
            self._chat(model, body)

    def _chat(self, model: str, body: dict[str, Any]) -> None:
        options = body.get("options") or {}
        num_predict = int(options.get("num_predict") or 128)
        messages = [{"role": m["role"], "content": m.get("content", "")} for m in body.get("messages", [])]
        if not messages:  # Ollama answers an empty chat by loading the model
            self._send(200, {"model": model, "created_at": _now(), "message": {"role": "assistant", "content": ""},
                             "done_reason": "load", "done": True})
            return
        llm = self.owner.llm
        started = time.perf_counter_ns()
        try:
            chunks = llm.stream(messages, max_tokens=num_predict,
                                temperature=float(options.get("temperature", 0.8)),
                                stop=options.get("stop") or None)
        except LLMError as e:
            self._send(500, {"error": str(e)})
            return

        def final(text: str) -> dict[str, Any]:
            total = time.perf_counter_ns() - started
            eval_count = llm.count_tokens(text)
            return {"done_reason": "length" if eval_count >= num_predict else "stop", "done": True,
                    "total_duration": total, "load_duration": 0,
                    "prompt_eval_count": sum(llm.count_tokens(m["content"]) for m in messages),
                    "prompt_eval_duration": 0, "eval_count": eval_count, "eval_duration": total}

        if body.get("stream", True) is False:
            try:
                text = "".join(chunks)
            except LLMError as e:
                self._send(500, {"error": str(e)})
                return
            self._send(200, {"model": model, "created_at": _now(),
                             "message": {"role": "assistant", "content": text}, **final(text)})
            return

        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        parts: list[str] = []
        drop = self.owner.hang_up_after()
        try:
            for text in chunks:
                if drop is not None and len(parts) >= drop:
                    self.close_connection = True  # hang up without the closing 0-length chunk
                    return
                parts.append(text)
                self._chunk({"model": model, "created_at": _now(),
                             "message": {"role": "assistant", "content": text}, "done": False})
            done = {"model": model, "created_at": _now(), "message": {"role": "assistant", "content": ""}}
            self._chunk({**done, **final("".join(parts))})
        except LLMError as e:
            self._chunk({"error": str(e)})
        except (BrokenPipeError, ConnectionResetError):  # the client went away
            self.close_connection = True
            return
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()  # frees the model for the next request
        self.wfile.write(b"0\r\n\r\n")

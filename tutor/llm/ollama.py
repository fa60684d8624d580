"""Ollama backend: a model served by ``ollama serve``, through the official ``ollama`` client.

Host from ``OLLAMA_HOST`` / ``ERICA_OLLAMA_HOST`` (default ``http://127.0.0.1:11434``), model
from ``ERICA_OLLAMA_MODEL`` (default ``qwen2.5``). Every failure (server down, model not
pulled, timeout, connection lost mid-answer) becomes an :class:`LLMError` that says what to do.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import httpx
import ollama
import pydantic

from tutor.llm.base import CAPABLE_PARAMETERS, LLM, SAMPLING_SEED, ChatMessage, LLMError, as_messages, parameters_from_label
from tutor.llm.protocol import full_name

if TYPE_CHECKING:
    from knowledge.settings import Settings

DEFAULT_HOST = "http://127.0.0.1:11434"
DEFAULT_PORT = 11434
DEFAULT_MODEL = "qwen2.5"


def normalize_host(host: str | None) -> str:
    """``"127.0.0.1:11434"`` → ``"http://127.0.0.1:11434"``; a bare host gets Ollama's port,
    as ``ollama`` itself reads ``OLLAMA_HOST``."""
    host = (host or "").strip() or DEFAULT_HOST
    if "://" not in host:
        parts = urllib.parse.urlsplit("http://" + host)
        netloc = parts.netloc if parts.port else f"{parts.netloc or '127.0.0.1'}:{DEFAULT_PORT}"
        host = f"http://{netloc}{parts.path}"
    return host.rstrip("/")


class OllamaLLM(LLM):
    """A model served by Ollama. Nothing touches the network until :meth:`stream`,
    :meth:`models` or :meth:`available` is called."""

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        host: str | None = None,
        timeout: float = 120.0,
        context_window: int = 4096,
    ) -> None:
        self.model = model
        self.host = normalize_host(host)
        self.timeout = timeout
        self.context_window = context_window
        self.client = ollama.Client(host=self.host, timeout=timeout)
        self.name = f"{model} via Ollama at {self.host}"
        self._capable: bool | None = None

    @classmethod
    def from_settings(cls, settings: "Settings", model: str | None = None) -> "OllamaLLM":
        return cls(
            model or settings.ollama_model,
            host=settings.ollama_host,
            timeout=settings.ollama_timeout,
            context_window=settings.llm_context,
        )

    # -- what the server has ---------------------------------------------------------

    @property
    def parameters(self) -> float | None:
        """The model's size as Ollama reports it (``/api/show``: model_info's parameter count, or
        the details' "7.6B"); None when it does not say or cannot be asked."""
        try:
            info = self.client.show(self.model)
        except (ConnectionError, httpx.HTTPError, ollama.ResponseError, pydantic.ValidationError):
            return None
        count = (info.modelinfo or {}).get("general.parameter_count")
        if isinstance(count, (int, float)) and count > 0:
            return float(count)
        details = info.details
        return parameters_from_label(details.parameter_size or "") if details else None

    @property
    def capable(self) -> bool:  # type: ignore[override]
        """Composes whole explanations unless Ollama says the model is small (under ~1B); a model
        whose size Ollama does not report is taken to be one the student chose for its quality."""
        if self._capable is None:
            n = self.parameters
            self._capable = n is None or n >= CAPABLE_PARAMETERS
        return self._capable

    def models(self, *, timeout: float | None = None) -> list[str]:
        """Names of the models this Ollama has pulled (``"qwen2.5:latest"``, ...)."""
        try:
            if timeout is None:
                listing = self.client.list()
            else:
                with ollama.Client(host=self.host, timeout=timeout) as probe:
                    listing = probe.list()
        except (ConnectionError, httpx.HTTPError, ollama.ResponseError, pydantic.ValidationError) as e:
            raise LLMError(self._unreachable()) from e
        return sorted(m.model for m in listing.models if m.model)

    def has_model(self, names: Iterable[str]) -> bool:
        wanted = full_name(self.model)
        return any(full_name(n) == wanted for n in names)

    def problem(self, *, timeout: float = 1.0) -> str | None:
        """``None`` when the server answers (``/api/version``) and has the model
        (``/api/tags``); otherwise what is wrong and what to do, in one sentence."""
        try:
            r = httpx.get(f"{self.host}/api/version", timeout=timeout)
            r.raise_for_status()
            r.json()["version"]
            names = self.models(timeout=timeout)
        except (httpx.HTTPError, ValueError, KeyError, TypeError):
            return self._unreachable()
        except LLMError as e:
            return str(e)
        return None if self.has_model(names) else self._missing_model(names)

    def close(self) -> None:
        """Hang up the client's connections to the server (a fresh request connects again)."""
        self.client.close()

    def available(self, *, timeout: float = 1.0) -> bool:
        """A quick probe: does the server answer within ``timeout`` and have the model?"""
        return self.problem(timeout=timeout) is None

    # -- generation ------------------------------------------------------------------

    def stream(
        self,
        messages: Iterable[ChatMessage | Mapping[str, str]],
        *,
        max_tokens: int = 512,
        temperature: float = 0.2,
        stop: list[str] | None = None,
    ) -> Iterator[str]:
        msgs = [m.to_dict() for m in as_messages(messages)]
        options: dict[str, Any] = {
            "num_predict": max_tokens,
            "temperature": temperature,
            "seed": SAMPLING_SEED,
            "num_ctx": self.context_window,
        }
        if stop:
            options["stop"] = list(stop)
        return self._generate(msgs, options)

    def _generate(self, msgs: list[dict[str, str]], options: dict[str, Any]) -> Iterator[str]:
        started = False  # a chunk came back: failures from here on are "broke off mid-answer"
        try:
            for part in self.client.chat(model=self.model, messages=msgs, stream=True, options=options):
                started = True
                text = part.message.content
                if text:
                    yield text
        except ollama.ResponseError as e:
            if e.status_code == 404 and "not found" in str(e.error):
                raise LLMError(self._missing_model(self._names_or_none())) from e
            if started:
                raise LLMError(
                    f"Ollama at {self.host} stopped mid-answer with an error: {e.error}; "
                    "the answer is incomplete, ask again."
                ) from e
            raise LLMError(
                f"Ollama at {self.host} answered with an error: {e.error} (HTTP {e.status_code}); "
                "see the log of `ollama serve`."
            ) from e
        except httpx.TimeoutException as e:
            raise LLMError(
                f"Ollama at {self.host} did not answer within {self.timeout:g} s (it may still be loading "
                f"'{self.model}'); ask again, raise ERICA_OLLAMA_TIMEOUT, or choose the embedded model "
                "(--backend embedded)."
            ) from e
        except (httpx.HTTPError, OSError) as e:  # refused, or gone mid-answer (RemoteProtocolError, ReadError)
            raise LLMError(self._broke(e) if started else self._unreachable()) from e
        except (json.JSONDecodeError, pydantic.ValidationError) as e:
            raise LLMError(
                f"Ollama at {self.host} sent a reply this client cannot read ({e}); "
                "is it really Ollama, and up to date?"
            ) from e

    # -- messages --------------------------------------------------------------------

    def _unreachable(self) -> str:
        return (
            f"Ollama not reachable at {self.host}; start it with `ollama serve` (or set OLLAMA_HOST "
            "to where it runs), or choose the embedded model (--backend embedded)."
        )

    def _missing_model(self, names: list[str] | None) -> str:
        if names is None:
            choices = "the ones `ollama list` shows"
        else:
            choices = "one of: " + ", ".join(names) if names else "another one (none is pulled yet)"
        return (
            f"Ollama at {self.host} does not have model '{self.model}'; "
            f"run `ollama pull {self.model}` or pick {choices}."
        )

    def _broke(self, e: BaseException) -> str:
        return (
            f"The connection to Ollama at {self.host} broke off mid-answer ({type(e).__name__}: {e}); "
            "the answer is incomplete. Check that `ollama serve` is still running and ask again."
        )

    def _names_or_none(self) -> list[str] | None:
        try:
            return self.models(timeout=min(self.timeout, 5.0))
        except LLMError:
            return None

"""LLM backends behind one small interface (:class:`LLM`): Ollama, or llama.cpp embedded.

>>> llm = get_llm()                      # auto: Ollama if it answers and has the model, else embedded
>>> for chunk in llm.stream([ChatMessage("user", "What is a tensor?")], max_tokens=64): ...
>>> llm.name                             # which model wrote the answer
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tutor.llm.base import LLM, ChatMessage, LLMError, as_messages

if TYPE_CHECKING:
    from knowledge.settings import Settings

__all__ = ["BACKENDS", "LLM", "ChatMessage", "LLMError", "as_messages", "get_llm"]

BACKENDS: tuple[str, ...] = ("auto", "ollama", "embedded")
AUTO_PROBE_TIMEOUT = 1.0  # seconds `auto` waits for Ollama before going embedded

log = logging.getLogger(__name__)


def get_llm(backend: str | None = None, model: str | None = None, settings: "Settings | None" = None) -> LLM:
    """The LLM to answer with.

    ``backend``: ``"ollama"``, ``"embedded"`` (llama.cpp in a child process Erica supervises) or ``"auto"`` (default:
    ``settings.llm_backend``): Ollama when it answers within a second and has the model, else
    embedded. ``model``: for Ollama a model name (default ``settings.ollama_model``); for
    embedded a GGUF path (default ``settings.llm_model_path``, else the bundled SmolLM2);
    under ``auto`` a path ending in ``.gguf`` means embedded.
    """
    if settings is None:
        from knowledge.settings import Settings

        settings = Settings()
    choice = (backend or settings.llm_backend or "auto").strip().lower()
    if choice not in BACKENDS:
        asked = backend or settings.llm_backend
        raise LLMError(f"Unknown LLM backend '{asked}'; choose one of: {', '.join(BACKENDS)}.")

    from tutor.llm.embedded import EmbeddedLLM

    if choice == "embedded" or (choice == "auto" and model and model.lower().endswith(".gguf")):
        return EmbeddedLLM.from_settings(settings, model_path=model)

    from tutor.llm.ollama import OllamaLLM

    remote = OllamaLLM.from_settings(settings, model=model)
    if choice == "ollama":
        return remote
    problem = remote.problem(timeout=AUTO_PROBE_TIMEOUT)
    if problem is None:
        return remote
    log.info("answering with the embedded model: %s", problem)
    return EmbeddedLLM.from_settings(settings)

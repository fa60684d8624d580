"""The LLM concept extractor's model: a chat backend behind ``complete(prompt) -> str``.

``knowledge.ingest`` only knows that protocol (:class:`knowledge.ingest.llm_extract.CompletionModel`);
the CLI and the page build the completer here, from ``--llm`` or ``ERICA_INGEST_LLM``, and pass it in.
"""

from __future__ import annotations

from knowledge.settings import Settings

from .base import ChatMessage


class ChatCompleter:
    """Adapts a chat LLM to the extractor's ``complete(prompt) -> str``."""

    def __init__(self, chat) -> None:
        self.chat = chat

    def complete(self, prompt: str) -> str:
        return self.chat.complete([ChatMessage("user", prompt)], max_tokens=900, temperature=0.0)


def ingest_completer(settings: Settings, model: str | None = None) -> ChatCompleter | None:
    """The Ollama model ``model`` (default ``settings.ingest_llm``) as a completer; None when
    neither names one (structural extraction only)."""
    name = model or settings.ingest_llm
    if not name:
        return None
    from . import get_llm

    return ChatCompleter(get_llm("ollama", name, settings))

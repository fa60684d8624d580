"""The one interface every LLM backend implements.

A backend implements :meth:`LLM.stream` (and, when it can do better than the
four-characters-a-token estimate, :meth:`LLM.count_tokens`); everything else
(:meth:`LLM.complete`, message coercion) is built here on top of it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from tutor.llm.queue import TurnQueue

Role = Literal["system", "user", "assistant"]
ROLES: tuple[str, ...] = ("system", "user", "assistant")


class LLMError(Exception):
    """Anything that went wrong talking to a model. The message is meant for the user
    and says what to do next. Raised from :meth:`LLM.stream` also *after* some chunks
    were yielded (a server that went away mid-answer): keep what you already have."""


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    content: str

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, not {self.role!r}")

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def as_messages(messages: Iterable[ChatMessage | Mapping[str, str]]) -> list[ChatMessage]:
    """Accept :class:`ChatMessage` objects or ``{"role": ..., "content": ...}`` dicts."""
    out = []
    for m in messages:
        out.append(m if isinstance(m, ChatMessage) else ChatMessage(m["role"], m["content"]))  # type: ignore[arg-type]
    if not out:
        raise ValueError("a chat needs at least one message")
    return out


class LLM(ABC):
    """A chat model. ``name`` says which model wrote an answer, for people
    (``"SmolLM2-135M-Instruct (embedded llama.cpp)"``, ``"qwen2.5 via Ollama at http://..."``);
    ``context_window`` is the number of tokens prompt and answer must share."""

    name: str = "LLM"
    context_window: int = 4096
    # set by backends that answer one question at a time (the embedded model): callers take
    # turns through it, and a waiting student is told their place (see tutor.llm.queue)
    queue: "TurnQueue | None" = None

    @abstractmethod
    def stream(
        self,
        messages: Iterable[ChatMessage | Mapping[str, str]],
        *,
        max_tokens: int = 512,
        temperature: float = 0.2,
        stop: list[str] | None = None,
    ) -> Iterator[str]:
        """Yield the answer as text chunks. Raises :class:`LLMError`, possibly mid-way."""

    def complete(
        self,
        messages: Iterable[ChatMessage | Mapping[str, str]],
        *,
        max_tokens: int = 512,
        temperature: float = 0.2,
        stop: list[str] | None = None,
    ) -> str:
        """The whole answer as one string."""
        return "".join(self.stream(messages, max_tokens=max_tokens, temperature=temperature, stop=stop))

    def warm_up(self) -> None:
        """Load what the first answer would otherwise wait for (the tokenizer, a model process)."""
        self.count_tokens("warm up")

    def count_tokens(self, text: str) -> int:
        """Tokens ``text`` takes, for budgeting a prompt. This default is an estimate
        (about four characters a token for English); backends with a tokenizer override it."""
        return (len(text) + 3) // 4

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

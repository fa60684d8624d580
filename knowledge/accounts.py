"""Learner accounts for a shared server: a name and a bcrypt hash of the password, kept next to
the knowledge base (a Chroma collection beside the progress records), so every UI replica on
one Chroma server signs the same students in. The password itself is never stored.

bcrypt (a well-kept library; chromadb already depends on it) salts every hash and makes each
check deliberately slow. It reads at most 72 bytes of a password, so a longer one is refused
rather than silently cut. On a laptop there are no accounts: the page uses the default profile.
"""

from __future__ import annotations

import bcrypt

from knowledge.kb import KnowledgeBase
from knowledge.progress import LearnerError, check_learner

MIN_PASSWORD = 8
MAX_PASSWORD_BYTES = 72  # bcrypt's limit


class AccountError(ValueError):
    """Signing up or in failed; the message says why and what to do."""


def _check_password(password: str) -> bytes:
    raw = (password or "").encode("utf-8")
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(raw) > MAX_PASSWORD_BYTES:
        raise AccountError(f"a password may have at most {MAX_PASSWORD_BYTES} bytes (UTF-8)")
    return raw


def _name(learner: str) -> str:
    try:
        return check_learner(learner)
    except LearnerError as exc:
        raise AccountError(str(exc)) from None


def create(kb: KnowledgeBase, learner: str, password: str, *, replace: bool = False) -> str:
    """A new account (``replace``: set a new password for an existing one, e.g. by a teacher)."""
    name = _name(learner)
    raw = _check_password(password)
    if not replace and kb.store.get_account(name) is not None:
        raise AccountError(f"the name {name!r} is taken; sign in, or choose another name")
    kb.store.put_account(name, bcrypt.hashpw(raw, bcrypt.gensalt()).decode("ascii"))
    return name


def verify(kb: KnowledgeBase, learner: str, password: str) -> str:
    """The learner's name when the password is theirs; else :class:`AccountError` (the same
    message for an unknown name and a wrong password, so names cannot be probed)."""
    name = _name(learner)
    stored = kb.store.get_account(name)
    raw = (password or "").encode("utf-8")
    if stored is None or len(raw) > MAX_PASSWORD_BYTES or not bcrypt.checkpw(raw, stored.encode("ascii")):
        raise AccountError("wrong name or password")
    return name


def remove(kb: KnowledgeBase, learner: str, *, keep_progress: bool = False) -> None:
    name = _name(learner)
    if kb.store.get_account(name) is None:
        raise AccountError(f"no account called {name!r}")
    kb.store.delete_account(name)
    if not keep_progress:
        kb.store.delete_progress(learner=name)


def names(kb: KnowledgeBase) -> list[str]:
    return kb.store.account_names()

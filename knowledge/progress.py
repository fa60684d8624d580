"""Learners' progress, kept next to the knowledge base (a Chroma collection beside the
concepts), so that every UI replica on one Chroma server sees the same progress and it survives
restarts. A learner sees and changes only their own records: every call names the learner.

A record is one learner and one concept: the tracer's state (P(known), questions asked and
answered right, evidence carried in from neighbouring concepts) — see :mod:`tutor.mastery`.
Forgetting a lesson removes the progress on the concepts that went with it
(:func:`knowledge.forget.forget_lesson`).
"""

from __future__ import annotations

import re
from typing import Any

from knowledge.kb import KnowledgeBase

DEFAULT_LEARNER = "me"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")


class LearnerError(ValueError):
    """A learner name that cannot be used; the message says what is allowed."""


def check_learner(name: str) -> str:
    name = (name or "").strip()
    if not _NAME.match(name):
        raise LearnerError(f"learner name {name!r}: use 1–64 letters, digits, '.', '_', '-' or '@', "
                           "starting with a letter or digit")
    return name


def load(kb: KnowledgeBase, learner: str) -> dict[str, dict[str, Any]]:
    """The learner's records for concepts that still exist in the knowledge base."""
    learner = check_learner(learner)
    known = kb.concepts()
    return {cid: st for cid, st in kb.store.get_progress(learner).items() if cid in known}


def save(kb: KnowledgeBase, learner: str, states: dict[str, dict[str, Any]]) -> None:
    kb.store.upsert_progress(check_learner(learner), states)


def reset(kb: KnowledgeBase, learner: str) -> None:
    kb.store.delete_progress(learner=check_learner(learner))


def learners(kb: KnowledgeBase) -> list[str]:
    return kb.store.learners()

"""`erica eval --answers FILE.jsonl`: how good are whole answers, against a rubric per question.

Each line: ``{"question", "main", "prerequisites": [...], "code": bool, "uncovered": [...],
"lesson"?, "split"?}`` — the concept the question is about, the concepts the course teaches
first that a student needs, whether code was asked for, and the parts of the question the course
does not cover (names as the course writes them; "long short-term memory (LSTM)" matches either
form). Reported:

* **main concept** — the answer's main concept is the rubric's (title or alias, plural-blind);
* **prerequisites** — precision (the answer's prerequisites, mastered or not, that the rubric
  lists; a rubric lists a few, so this is a floor) and recall (the rubric's that the answer has);
* **code relevance** — for code requests: the code shown is the course's code for the rubric's
  main concept; "no code" said instead is counted apart;
* **uncovered parts** — recall (the rubric's uncovered parts the answer names) and false alarms
  (parts named on questions the course covers entirely);
* **the model's sentences** — the share the support check drops (the share of shown sentences
  that are still unsupported needs a person: bench/support.py);
* **lesson cited** — the rubric's lesson is among the answer's sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.kb import KnowledgeBase
from knowledge.lexical import name_key
from tutor.answer import Tutor
from tutor.evaluate import EvalError, read_jsonl

FIELDS = ("question", "main")


def _rubric_problem(obj: dict[str, Any]) -> str | None:
    if not all(str(obj.get(f, "")).strip() for f in FIELDS):
        return "needs a non-empty 'question' and 'main' (the concept it asks about)"
    for f in ("prerequisites", "uncovered"):
        if not isinstance(obj.get(f, []), list):
            return f"'{f}' must be a list of names"
    return None


def load_rubric(path: Path, split: str | None = None) -> list[dict[str, Any]]:
    rows = read_jsonl(path, "'question', 'main', 'prerequisites', 'code', 'uncovered'", _rubric_problem)
    out = [r for r in rows if split is None or r.get("split") == split]
    if not out:
        raise EvalError(f"{path}: no rubric lines" + (f" with \"split\": {split!r}" if split else ""))
    return out


def _forms(name: str) -> set[str]:
    """A name's keys: as written, and each side of "long form (ABBR)"."""
    out = {name_key(name)}
    m = re.match(r"^(.*?)\s*\(([^)]+)\)(.*)$", name)
    if m:  # "radial basis function (RBF) kernel": "radial basis function kernel", "RBF kernel", "RBF"
        out |= {name_key(m.group(1) + m.group(3)), name_key(m.group(2) + m.group(3)), name_key(m.group(2))}
    return {k for k in out if k}


@dataclass
class AnswerEval:
    n: int = 0
    main_right: int = 0
    prereq_shown: int = 0
    prereq_shown_right: int = 0
    prereq_gold: int = 0
    prereq_gold_found: int = 0
    code_asked: int = 0
    code_right: int = 0
    code_none: int = 0
    uncovered_gold: int = 0
    uncovered_found: int = 0
    covered_questions: int = 0
    false_alarms: int = 0
    sentences: int = 0
    sentences_dropped: int = 0
    lesson_questions: int = 0
    lesson_cited: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)

    def figures(self) -> dict[str, float | int]:
        def r(a: int, b: int) -> float:
            return round(a / b, 3) if b else 0.0

        return {"questions": self.n, "main concept accuracy": r(self.main_right, self.n),
                "prerequisite precision": r(self.prereq_shown_right, self.prereq_shown),
                "prerequisite recall": r(self.prereq_gold_found, self.prereq_gold),
                "code requests": self.code_asked, "code relevance": r(self.code_right, self.code_asked),
                "code requests answered 'no code'": self.code_none,
                "uncovered parts": self.uncovered_gold, "uncovered recall": r(self.uncovered_found, self.uncovered_gold),
                "false uncovered alarms": r(self.false_alarms, self.covered_questions),
                "model sentences": self.sentences, "model sentences dropped": r(self.sentences_dropped, self.sentences),
                "lesson cited": r(self.lesson_cited, self.lesson_questions)}

    def to_dict(self) -> dict[str, Any]:
        return {**self.figures(), "answers": self.rows}


def _matches(found: str, gold: str) -> bool:
    """An uncovered part named: most of the rubric's words are in it (or the other way round)."""
    a, b = set(name_key(found).split()), set(name_key(gold).split())
    return bool(a and b) and len(a & b) * 2 >= min(len(a), len(b))


def evaluate_answers(kb: KnowledgeBase, tutor: Tutor, path: Path, split: str | None = None) -> AnswerEval:
    rubric = load_rubric(path, split)
    keys: dict[str, set[str]] = {}
    for c in kb.concepts().values():
        for n in (c.title, *c.aliases):
            keys.setdefault(name_key(n), set()).add(c.id)

    def ids(name: str) -> set[str]:
        return {cid for k in _forms(name) for cid in keys.get(k, ())}

    ev = AnswerEval()
    for item in rubric:
        a = tutor.ask(item["question"])
        ev.n += 1
        main_ok = bool(a.main) and a.main.id in ids(item["main"])
        ev.main_right += main_ok
        shown = [p.id for p in (*a.prerequisites, *a.known)]
        gold = [ids(p) for p in item.get("prerequisites", [])]
        gold_ids = set().union(*gold) if gold else set()
        ev.prereq_shown += len(shown)
        ev.prereq_shown_right += sum(p in gold_ids for p in shown)
        ev.prereq_gold += len(gold)
        ev.prereq_gold_found += sum(bool(g & set(shown)) for g in gold)
        code_ok = None
        if item.get("code"):
            ev.code_asked += 1
            ex = a.example or {}
            code_ok = ex.get("kind") == "code" and bool(ids(item["main"]) & ids(str(ex.get("concept", ""))))
            ev.code_right += code_ok
            ev.code_none += bool(a.no_code)
        gold_unc = [str(u) for u in item.get("uncovered", [])]
        found_unc = [g for g in gold_unc if any(_matches(f, g) for f in a.uncovered)]
        ev.uncovered_gold += len(gold_unc)
        ev.uncovered_found += len(found_unc)
        if not gold_unc:
            ev.covered_questions += 1
            ev.false_alarms += bool(a.uncovered)
        ev.sentences += len(a.checked)
        ev.sentences_dropped += sum(not c["shown"] for c in a.checked)
        cited = None
        if item.get("lesson"):
            want = str(item["lesson"]).strip("/").lower()
            ev.lesson_questions += 1
            cited = any(want in (s.lesson or "").lower() or want in s.path.lower() for s in a.sources)
            ev.lesson_cited += cited
        ev.rows.append({"question": item["question"], "main": a.main.title if a.main else None,
                        "main_right": main_ok, "prerequisites": [p.title for p in a.prerequisites],
                        "gold_prerequisites": item.get("prerequisites", []), "code_right": code_ok,
                        "uncovered": a.uncovered, "gold_uncovered": gold_unc, "lesson_cited": cited,
                        "shown_sentences": sum(c["shown"] for c in a.checked), "sentences": len(a.checked)})
    return ev

"""How many of the model's shown sentences the course does not support, and how much of the
model's text survives the check (tutor/support.py).

It ingests each shared course into a temporary knowledge base (bench/courses.py), asks the
rubric questions of tests/data/answers_{ai4b,d2l}.jsonl (``--n`` per course, tuning and held-out
halves alternating) with the bundled embedded model, and writes one JSON line per model sentence:
the question, its split, the numbered notes the model was given, the sentence, whether the
checker showed it and why not, and empty ``"supported"`` / ``"note"`` fields to judge by hand
(supported = every claim in it is stated in, or follows directly from, the notes or the
question; a played-back instruction counts as not supported).

With ``--judged FILE`` it prints, per split: sentences, the share the checker shows, the share of
SHOWN sentences judged unsupported (goal 0), the share of judged-supported sentences it drops
(intuition lost), and the same with no check at all.

    python bench/support.py --n 24 --out docs/judged/support.jsonl
    python bench/support.py --judged docs/judged/support.jsonl [--recheck]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.courses import CORPUS, course_kb, read_judged, write_sample  # noqa: E402

RUBRICS = {"ai-for-beginners": ROOT / "tests" / "data" / "answers_ai4b.jsonl",
           "d2l": ROOT / "tests" / "data" / "answers_d2l.jsonl"}


def rubric(course: str) -> list[dict]:
    return [json.loads(x) for x in RUBRICS[course].read_text(encoding="utf-8").splitlines() if x.strip()]


def generate(corpus: Path, n: int, max_tokens: int, skip: int = 0, questions: Path | None = None) -> list[dict]:
    from tutor.answer import Tutor
    from tutor.llm.embedded import EmbeddedLLM

    rows: list[dict] = []
    llm = None
    for course in RUBRICS:
        t0 = time.perf_counter()
        with course_kb(course, corpus) as kb:
            print(f"{course}: ingested in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
            llm = llm or EmbeddedLLM.from_settings(kb.settings)
            tutor = Tutor(kb, llm, max_tokens=max_tokens, paraphrase_sentences=3)  # the first three, to judge
            items = ([q for q in map(json.loads, questions.read_text(encoding="utf-8").splitlines()) if q["course"] == course]
                     if questions else rubric(course))
            for item in items[skip:skip + n]:
                a = tutor.ask(item["question"])
                for c in a.checked:
                    rows.append({"course": course, "split": item.get("split", "fresh"), "question": item["question"],
                                 "main": a.main.title if a.main else "", "notes": a.notes, "sentence": c["sentence"],
                                 "shown": c["shown"], "reason": c["reason"], "coverage": c["coverage"],
                                 "similarity": c["similarity"], "supported": None, "note": ""})
                print(f"  {item['question'][:60]!r}: {sum(c['shown'] for c in a.checked)}/{len(a.checked)} shown",
                      file=sys.stderr)
    return rows


def recheck(rows: list[dict]) -> None:
    """The current checker's verdict on each judged sentence (its notes and question are in the row)."""
    from knowledge.embed import get_embedder
    from tutor.prompts import ROLE_WORDS, SCAFFOLD_SHAPES
    from tutor.support import PARAPHRASE_RULES, SupportChecker

    emb = get_embedder()
    for r in rows:  # the judged sentences are the bundled model's: its (paraphrase) profile's rules
        played_back = any(p.match(r["sentence"]) for p in SCAFFOLD_SHAPES)  # the guard's part that needs no prompt
        r["shown"] = not played_back and SupportChecker(r["notes"], r["question"], embed=emb.embed, role_words=ROLE_WORDS,
                                                        rules=PARAPHRASE_RULES).check(r["sentence"]).supported


def report(path: Path, again: bool = False) -> None:
    _, judged = read_judged(path, "supported")
    if again:
        recheck(judged)
    firsts: set[int] = set()  # the paraphrase profile shows only each answer's first sentence
    seen: set[tuple[str, str]] = set()
    for i, r in enumerate(judged):
        if (r["course"], r["question"]) not in seen:
            seen.add((r["course"], r["question"]))
            firsts.add(i)
    for split, first in [(sp, f) for f in (False, True) for sp in ("tune", "heldout", "fresh", None)]:
        rows = [r for i, r in enumerate(judged) if (split is None or r["split"] == split) and (not first or i in firsts)]
        if not rows:
            continue
        shown = [r for r in rows if r["shown"]]
        good = [r for r in rows if r["supported"]]
        bad_shown = sum(not r["supported"] for r in shown)
        lost = sum(not r["shown"] for r in good)
        figures = {
            "split": split or "all", "first sentence only": first, "sentences": len(rows), "shown": len(shown),
            "unsupported_among_shown": round(bad_shown / len(shown), 3) if shown else 0.0,
            "unsupported_without_check": round(sum(not r["supported"] for r in rows) / len(rows), 3),
            "supported_dropped": round(lost / len(good), 3) if good else 0.0,
            "survival": round(len(shown) / len(rows), 3),
        }
        print(json.dumps(figures))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--n", type=int, default=24, help="questions per course")
    ap.add_argument("--skip", type=int, default=0, help="start after this many rubric lines (a fresh sample)")
    ap.add_argument("--questions", type=Path, help="JSON lines {course, question}: a fresh sample, not the rubric's")
    ap.add_argument("--max-tokens", type=int, default=220)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--judged", type=Path)
    ap.add_argument("--recheck", action="store_true", help="with --judged: judge with the current checker, not the stored verdicts")
    args = ap.parse_args()
    if args.judged:
        report(args.judged, args.recheck)
        return
    write_sample(generate(args.corpus, args.n, args.max_tokens, args.skip, args.questions), args.out, "model sentences")


if __name__ == "__main__":
    main()

"""Answers with the embedded model in its own process: time to first text against raw llama.cpp
on the very same prompt, memory of the tutor's and the model's processes, and students asking at
the same moment.

* ask: ``Tutor.stream`` from the question to the first text shown (retrieval, prompt building,
  the request to the model's child process, chat template, prefill, the first sentence).
* raw: ``llama_cpp.Llama`` in this process on the same messages: ``create_chat_completion``
  to its first token, and ``Llama.eval`` of the prompt's tokens (bare prefill), KV cache emptied.
  Before each timed ask the child answers another question, so only the system prompt's tokens
  can be reused from its cache (as for a real next student).
* memory: resident set of this process (the tutor: knowledge base, embedder) and of the model's
  child process, read from /proc.
* concurrent: N students ask different questions at the same moment (threads of one process,
  as the sessions of one page); each one's wait for its turn, time to the course facts, to the
  first text of the model and to the whole answer. The last line says how many students a machine
  holds before the last one waits more than 30 s for the first text.

Targets: ask's first text ≤ 1.2 × raw prefill.

    python bench/answer.py [--repeat 3] [--threads N] [--concurrent 1,2,4,6,8]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from knowledge.kb import KnowledgeBase  # noqa: E402
from knowledge.settings import Settings  # noqa: E402
from knowledge.starter import load_starter  # noqa: E402
from tutor import prompts  # noqa: E402
from tutor.answer import Tutor  # noqa: E402
from tutor.llm.embedded import EmbeddedLLM  # noqa: E402
from tutor.llm.llamacpp import LlamaCppLLM, load_llama  # noqa: E402
from tutor.retrieval import RetrievalParams  # noqa: E402

QUESTION = "What is CLIP and how is it used in computer vision?"
OTHER = "What is overfitting?"
STUDENTS = ["What is a perceptron?", "How does gradient descent work?", "What is an embedding?",
            "What is overfitting?", "What is a convolutional neural network?", "What is attention?",
            "What is reinforcement learning?", "What is a decision tree?", "What is backpropagation?",
            "What is a transformer?"]
WAIT_LIMIT_S = 30.0


def rss_mib(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def first_text(tutor: Tutor, question: str, params: RetrievalParams) -> tuple[float, float, str]:
    """Seconds to the first text shown and to the end, and the text."""
    t0 = time.perf_counter()
    first, text = None, ""
    for ev in tutor.stream(question, params):
        if ev.kind == "token":
            text += ev.data
            if first is None:
                first = time.perf_counter()
    end = time.perf_counter()
    return (first or end) - t0, end - t0, text


def concurrent(tutor: Tutor, n: int) -> list[dict[str, float]]:
    barrier = threading.Barrier(n)
    rows: list[dict[str, float]] = [{} for _ in range(n)]

    def student(i: int) -> None:
        barrier.wait()
        t0 = time.perf_counter()
        row = rows[i]
        for ev in tutor.stream(STUDENTS[i % len(STUDENTS)]):
            t = time.perf_counter() - t0
            if ev.kind == "facts":
                row["facts_s"] = t
            elif ev.kind == "token" and "first_s" not in row:
                row["first_s"] = t
            elif ev.kind == "done":
                row["total_s"] = t
                row["queue_s"] = ev.data.timings_ms.get("queue", 0.0) / 1e3
                row["ok"] = float(ev.data.error is None)

    threads = [threading.Thread(target=student, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--max-tokens", type=int, default=96)
    ap.add_argument("--max-concepts", type=int, default=None,
                    help="retrieval cap (default: the library's 10); 4 gives a ~700-token context")
    ap.add_argument("--concurrent", default="1,2,4,6,8", help="numbers of students asking at once ('' skips)")
    args = ap.parse_args()
    params = RetrievalParams(max_concepts=args.max_concepts) if args.max_concepts else RetrievalParams()
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), llm_threads=args.threads)
        kb = KnowledgeBase(settings)
        load_starter(kb)
        llm = EmbeddedLLM.from_settings(settings)
        tutor = Tutor(kb, llm, max_tokens=args.max_tokens)
        tutor.ask(QUESTION, params=params)  # warm: the model's process, KB view, lexical index

        # the exact messages the tutor sends, run raw in this process
        raw = LlamaCppLLM(llm.model_path, n_ctx=llm.context_window, n_threads=llm.n_threads)
        llama, lock = load_llama(raw.model_path, raw.context_window, raw.n_threads)
        answer, facts = tutor._skeleton(QUESTION, QUESTION, tutor.retriever.retrieve(QUESTION, params))
        pre = [p.title for p in answer.prerequisites]
        main_note = (answer.main.cite, answer.main.definition) if answer.main.cite else None
        messages = [m.to_dict() for m in prompts.build_messages(QUESTION, facts, answer.main.title, pre,
                                                                 count_tokens=llm.count_tokens,
                                                                 main_note=main_note)]
        tokens = llama.tokenize("\n".join(m["content"] for m in messages).encode(), add_bos=True)
        n_prompt = len(tokens)

        ask_ttft, ask_tps, raw_ttft, bare = [], [], [], []
        for _ in range(args.repeat):
            tutor.ask(OTHER, params=params)  # the child's cache now holds another prompt
            ttft, total, text = first_text(tutor, QUESTION, params)
            n = llm.count_tokens(text)  # text comes a sentence at a time: count tokens, not events
            ask_ttft.append(ttft)
            ask_tps.append((n - 1) / (total - ttft) if n > 1 and total > ttft else 0.0)
            with lock:
                llama.reset()
                t0 = time.perf_counter()
                for chunk in llama.create_chat_completion(messages=messages, max_tokens=args.max_tokens,
                                                          temperature=0.2, stream=True):
                    if chunk["choices"][0]["delta"].get("content"):
                        raw_ttft.append(time.perf_counter() - t0)
                        break
                llama.reset()
                t0 = time.perf_counter()
                llama.eval(tokens)
                bare.append(time.perf_counter() - t0)
                llama.reset()
        del llama
        from tutor.llm.llamacpp import close_all

        close_all()  # the raw copy leaves this process before its memory is read

        med = statistics.median
        print(f"model: {llm.name}, threads {llm.n_threads}; prompt ≈ {n_prompt} tokens "
              f"({len(facts)} numbered facts, max_concepts {params.max_concepts}); {args.repeat} runs, medians")
        print(f"  erica ask   first text shown {med(ask_ttft) * 1e3:8.0f} ms   generation {med(ask_tps):5.1f} tok/s")
        print(f"  raw chat    first token      {med(raw_ttft) * 1e3:8.0f} ms")
        print(f"  raw prefill (Llama.eval)     {med(bare) * 1e3:8.0f} ms   ({n_prompt / med(bare):.0f} tok/s)")
        print(f"  ratio ask first text / raw prefill: {med(ask_ttft) / med(bare):.2f}  (target <= 1.2)")
        tutor_mib, model_mib = rss_mib(), rss_mib(llm.process.pid or "self")
        print(f"  memory: tutor process {tutor_mib:.0f} MiB, model process {model_mib:.0f} MiB")
        out.update(prompt_tokens=n_prompt, ask_first_text_ms=med(ask_ttft) * 1e3, raw_prefill_ms=med(bare) * 1e3,
                   ratio=med(ask_ttft) / med(bare), tutor_rss_mib=tutor_mib, model_rss_mib=model_mib)

        tutor.max_tokens = Tutor(kb, llm).max_tokens  # the tutor's real answer length from here on
        capacity = 0
        for n in [int(x) for x in args.concurrent.split(",") if x.strip()]:
            rows = concurrent(tutor, n)
            worst_first = max(r.get("first_s", r["total_s"]) for r in rows)
            print(f"  {n} at once: facts shown after ≤ {max(r['facts_s'] for r in rows) * 1e3:.0f} ms; "
                  f"queue wait p50 {med(r['queue_s'] for r in rows):.1f} s, max {max(r['queue_s'] for r in rows):.1f} s; "
                  f"first text max {worst_first:.1f} s; whole answers max {max(r['total_s'] for r in rows):.1f} s; "
                  f"{sum(int(r['ok']) for r in rows)}/{n} complete")
            out[f"concurrent_{n}"] = {"max_first_text_s": worst_first, "max_queue_s": max(r["queue_s"] for r in rows),
                                      "max_total_s": max(r["total_s"] for r in rows)}
            if worst_first <= WAIT_LIMIT_S:
                capacity = n
        if args.concurrent.strip():
            print(f"  students asking at once before the last waits > {WAIT_LIMIT_S:.0f} s for text: ≥ {capacity} "
                  f"(largest tried that stayed under)")
            out["capacity_30s"] = capacity
        kb.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()

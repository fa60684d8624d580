"""Time to first token and tokens/s of `erica ask` with the embedded model, next to raw llama.cpp
on the very same prompt, measured in the same run.

* ask: ``Tutor.stream`` from the question to the first streamed token (retrieval, prompt
  building, chat template, prefill, first sampled token), and generation tokens/s after it.
* raw: ``llama_cpp.Llama.create_chat_completion(stream=True)`` on the same messages: time to the
  first token (template + prefill + first token), and ``Llama.eval`` of the same token count
  (bare prefill). The KV cache is emptied before every run so no prefix is reused.

Target: ask's time to first token ≤ 1.2 × raw prefill.

    python bench/answer.py [--repeat 3] [--threads N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from knowledge.kb import KnowledgeBase  # noqa: E402
from knowledge.settings import Settings  # noqa: E402
from knowledge.starter import load_starter  # noqa: E402
from tutor import prompts  # noqa: E402
from tutor.answer import Tutor  # noqa: E402
from tutor.llm.llamacpp import LlamaCppLLM, load_llama  # noqa: E402
from tutor.retrieval import RetrievalParams  # noqa: E402

QUESTION = "What is CLIP and how is it used in computer vision?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--max-tokens", type=int, default=96)
    ap.add_argument("--max-concepts", type=int, default=None,
                    help="retrieval cap (default: the library's 10); 4 gives the issue's ~650-token context")
    args = ap.parse_args()
    params = RetrievalParams(max_concepts=args.max_concepts) if args.max_concepts else RetrievalParams()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), llm_threads=args.threads)
        kb = KnowledgeBase(settings)
        load_starter(kb)
        llm = LlamaCppLLM.from_settings(settings)
        tutor = Tutor(kb, llm, max_tokens=args.max_tokens)
        llama, lock = load_llama(llm.model_path, llm.context_window, llm.n_threads)
        tutor.ask(QUESTION, params=params)  # warm: model, KB view, lexical index

        # the exact messages the tutor sends
        answer, facts, pre = tutor._skeleton(QUESTION, QUESTION, tutor.retriever.retrieve(QUESTION, params))
        main_note = (answer.main.cite, answer.main.definition) if answer.main.cite else None
        messages = [m.to_dict() for m in prompts.build_messages(QUESTION, facts, answer.main.title, pre,
                                                                 main_note=main_note)]
        tokens = llama.tokenize("\n".join(m["content"] for m in messages).encode(), add_bos=True)
        n_prompt = len(tokens)

        ask_ttft, ask_tps, raw_ttft, raw_tps, bare = [], [], [], [], []
        for _ in range(args.repeat):
            with lock:
                llama.reset()
            t0 = time.perf_counter()
            first, text = None, ""
            for ev in tutor.stream(QUESTION, params):
                if ev.kind == "token":
                    text += ev.data
                    if first is None:
                        first = time.perf_counter()
            end = time.perf_counter()
            # events carry a sentence at a time after the first one (the repetition guard),
            # so generated tokens are counted with the model's tokenizer, not as events
            n = llm.count_tokens(text)
            ask_ttft.append(first - t0)
            ask_tps.append((n - 1) / (end - first) if n > 1 else 0.0)

            with lock:
                llama.reset()
                t0 = time.perf_counter()
                first, n = None, 0
                for chunk in llama.create_chat_completion(messages=messages, max_tokens=args.max_tokens,
                                                          temperature=0.2, stream=True):
                    if chunk["choices"][0]["delta"].get("content"):
                        n += 1
                        if first is None:
                            first = time.perf_counter()
                end = time.perf_counter()
                raw_ttft.append(first - t0)
                raw_tps.append((n - 1) / (end - first) if n > 1 else 0.0)
                llama.reset()
                t0 = time.perf_counter()
                llama.eval(tokens)
                bare.append(time.perf_counter() - t0)
                llama.reset()
        kb.close()

    med = statistics.median
    print(f"model: {llm.name}, threads {llm.n_threads}; prompt ≈ {n_prompt} tokens "
          f"({len(facts)} numbered facts, max_concepts {params.max_concepts}); {args.repeat} runs, medians")
    print(f"  erica ask   time to first token {med(ask_ttft) * 1e3:8.0f} ms   generation {med(ask_tps):5.1f} tok/s")
    print(f"  raw chat    time to first token {med(raw_ttft) * 1e3:8.0f} ms   generation {med(raw_tps):5.1f} tok/s")
    print(f"  raw prefill (Llama.eval)        {med(bare) * 1e3:8.0f} ms   ({n_prompt / med(bare):.0f} tok/s)")
    print(f"  ratio ask TTFT / raw chat TTFT:     {med(ask_ttft) / med(raw_ttft):.2f}")
    print(f"  ratio ask TTFT / raw prefill:       {med(ask_ttft) / med(bare):.2f}  (target <= 1.2)")


if __name__ == "__main__":
    main()

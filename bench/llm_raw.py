"""Raw llama.cpp speed of the embedded model: prefill (prompt evaluation) and generation.

    .venv/bin/python bench/llm_raw.py                 # ~650-token lesson prompt, 64 generated tokens, 3 runs
    .venv/bin/python bench/llm_raw.py --threads 1 --json

The figures are llama.cpp's own (``Llama.eval`` of the prompt tokens from an empty KV cache,
then greedy sample + eval one token at a time), below the chat template and the streaming
layer; see :func:`tutor.llm.llamacpp.measure_raw_speed`. Reuse from another bench script:

    from llm_raw import lesson_prompt, measure      # bench/ is on sys.path when run as a script
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys

from tutor.llm.llamacpp import LlamaCppLLM, RawSpeed, measure_raw_speed

# A lesson written for this benchmark (not taken from any course material).
LESSON = [
    "Lesson 4: Gradient descent. A model has parameters, numbers it can change, and a loss, "
    "one number that says how wrong its predictions are on the training examples. Training "
    "means finding parameters that make the loss small. For a model with two parameters you "
    "could draw the loss as a landscape of hills and valleys; real models have millions of "
    "parameters, so we need a method that works without drawing anything.",
    "The gradient is the vector of partial derivatives of the loss with respect to each "
    "parameter. It points in the direction in which the loss grows fastest. Gradient descent "
    "therefore takes a small step in the opposite direction: new parameters equal old "
    "parameters minus the learning rate times the gradient. Repeating this step walks the "
    "parameters downhill, one step at a time, until the loss stops improving.",
    "The learning rate controls the size of each step. If it is too small, training crawls "
    "and may stop before reaching a good valley. If it is too large, the steps overshoot the "
    "valley floor, the loss bounces from one side to the other, and it can even grow without "
    "limit. A common practice is to start with a moderate value, watch the loss curve, and "
    "lower the rate when progress stalls; schedules such as step decay or cosine decay do "
    "this automatically.",
    "Computing the gradient on the whole training set for every step is expensive. "
    "Stochastic gradient descent estimates it from a small random batch of examples instead. "
    "Each estimate is noisy, but it is cheap, and the noise can even help the parameters "
    "escape shallow valleys and flat regions. Batch sizes between 16 and 512 are typical; "
    "larger batches give smoother estimates and use hardware better, smaller ones update "
    "more often.",
    "Momentum adds memory to the walk. Instead of following only the current gradient, the "
    "update keeps a running average of recent gradients, so consistent directions build up "
    "speed while directions that flip sign cancel out. Adam goes one step further and scales "
    "each parameter's step by a running estimate of how large its gradients usually are, so "
    "rarely updated parameters still move. Adam is a sensible default for neural networks, "
    "while plain stochastic gradient descent with momentum often generalises slightly better "
    "when tuned with care.",
    "Worked example. Suppose the loss is L(w) = (w - 3) squared, with a single parameter w "
    "that starts at 0. The derivative is 2(w - 3), which equals -6 at w = 0. With a learning "
    "rate of 0.1 the first step moves w to 0 - 0.1 times -6, that is 0.6. The next derivative "
    "is -4.8, so w becomes 1.08, then 1.464, and so on: every step closes one fifth of the "
    "remaining distance to the minimum at w = 3. With a learning rate of 1.1 the same walk "
    "overshoots further on every step and diverges.",
    "Common pitfalls: forgetting to shuffle the data between epochs, so batches are not "
    "random; features on very different scales, which stretch the loss landscape into narrow "
    "ravines; and judging progress on the training loss alone, which hides overfitting. "
    "Always keep a validation set and stop when its loss starts rising.",
]
SYSTEM = (
    "You are Erica, a patient tutor. Answer the student's question using only the lesson "
    "passages below. Cite the passage you rely on and keep the answer short.\n\n"
)
QUESTION = "\n\nStudent question: Why can a learning rate that is too large make training diverge?\nAnswer:"


def lesson_prompt(llm: LlamaCppLLM, target_tokens: int = 650) -> str:
    """A lesson-like prompt of ``target_tokens`` tokens (by ``llm``'s tokenizer): instructions,
    lesson passages (cycled if needed), a question."""
    fixed = llm.count_tokens(SYSTEM) + llm.count_tokens(QUESTION) + 1  # + BOS
    passages, i = [], 0
    while llm.count_tokens("\n\n".join(passages)) < target_tokens - fixed:
        passages.append(f"[{i + 1}] {LESSON[i % len(LESSON)]}")
        i += 1
    body_tokens = llm.llama.tokenize("\n\n".join(passages).encode(), add_bos=False, special=False)
    body = llm.llama.detokenize(body_tokens[: max(0, target_tokens - fixed)]).decode("utf-8", "ignore")
    return SYSTEM + body + QUESTION


def measure(
    target_tokens: int = 650, gen_tokens: int = 64, threads: int | None = None, repeat: int = 3
) -> list[RawSpeed]:
    """``repeat`` runs of :func:`measure_raw_speed` on the bundled model (after one warm-up)."""
    llm = LlamaCppLLM(n_threads=threads)
    prompt = lesson_prompt(llm, target_tokens)
    measure_raw_speed(llm, prompt[:200], gen_tokens=2)  # warm-up: page the weights in
    return [measure_raw_speed(llm, prompt, gen_tokens=gen_tokens) for _ in range(repeat)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tokens", type=int, default=650, help="prompt length in tokens (default 650)")
    ap.add_argument("--gen", type=int, default=64, help="tokens to generate (default 64)")
    ap.add_argument("--threads", type=int, default=None, help="llama.cpp threads (default: all cores)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="print the runs as JSON")
    args = ap.parse_args(argv)

    runs = measure(args.tokens, args.gen, args.threads, args.repeat)
    if args.json:
        print(json.dumps([r.to_dict() for r in runs], indent=2))
        return 0
    first = runs[0]
    print(f"{first.model}, {first.n_threads} threads, load average {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} CPUs")
    for i, r in enumerate(runs, 1):
        print(f"run {i}: prefill {r.prompt_tokens} tokens in {r.prefill_s:.2f} s ({r.prefill_tok_per_s:.0f} tok/s); "
              f"generation {r.gen_tokens} tokens in {r.gen_s:.2f} s ({r.gen_tok_per_s:.1f} tok/s)")
    print(f"median: prefill {statistics.median(r.prefill_s for r in runs):.2f} s, "
          f"generation {statistics.median(r.gen_tok_per_s for r in runs):.1f} tok/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

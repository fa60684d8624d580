"""CLIP engine latency: ``python bench/clip.py [--repeats 30] [--threads N] [--model erica-shapes]``.

Measures, with the configured (default: bundled) CLIP on CPU:

- model load time (open_clip create + weights), cold in this process;
- zero-shot classification of 1 image × 5 labels, warm: p50/p95 over repeats, with the label
  embeddings cached (the usual case in a demo) and uncached;
- search over a 200-image gallery: embedding the gallery cold, then warm queries (new text each
  time, gallery embeddings cached);
- the raw forward passes next to them: image tower alone (1 image) and text tower alone (5 labels),
  so the engine's own overhead shows as a ratio.

Prints a table and, as its last line, JSON with every figure (for docs/benchmarks.md).
Target: classification ≤ 100 ms (p50, warm) with the bundled model on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LABELS = ["a striped red circle", "a solid blue square", "a polka-dotted green star",
          "a checkered yellow triangle", "a striped purple heart"]


def _timeit(fn, repeats: int) -> dict[str, float]:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(p95, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=30)
    ap.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's choice)")
    ap.add_argument("--model", default="erica-shapes")
    ap.add_argument("--pretrained", default=None)
    args = ap.parse_args()

    t0 = time.perf_counter()
    import torch

    from tutor.clip.engine import ClipEngine
    from tutor.clip.shapes import generate, save_images

    if args.threads:
        torch.set_num_threads(args.threads)
    import_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    engine = ClipEngine.load(args.model, args.pretrained, device="cpu")
    load_s = time.perf_counter() - t1

    images = generate(201, seed=31337)
    probe = images[0].image()
    with tempfile.TemporaryDirectory() as tmp:
        paths = [str(p) for p in save_images(images[1:], tmp, "bench")]

        def classify_cached():
            engine.classify(probe, LABELS)

        def classify_uncached():
            engine._text_cache.clear()
            engine.classify(probe, LABELS)

        t = time.perf_counter()
        gallery = engine.gallery(paths)
        gallery_cold_ms = (time.perf_counter() - t) * 1000
        counter = iter(range(10**9))

        def search_warm():
            engine.search(f"a striped red circle {next(counter) % 1}", gallery, top=5)
            engine._text_cache.clear()

        pixel = engine.preprocess(probe).unsqueeze(0)
        tokens = engine.tokenizer(LABELS)

        def image_tower():
            with torch.inference_mode():
                engine.model.encode_image(pixel)

        def text_tower():
            with torch.inference_mode():
                engine.model.encode_text(tokens)

        figures = {
            "model": engine.description,
            "parameters": engine.info.parameters,
            "threads": torch.get_num_threads(),
            "cpu_count": os.cpu_count(),
            "import_s": round(import_s, 2),
            "load_s": round(load_s, 2),
            "classify_1x5_labels_cached": _timeit(classify_cached, args.repeats),
            "classify_1x5_labels_uncached": _timeit(classify_uncached, args.repeats),
            "image_tower_1": _timeit(image_tower, args.repeats),
            "text_tower_5": _timeit(text_tower, args.repeats),
            "gallery_200_embed_cold_ms": round(gallery_cold_ms, 1),
            "search_200_warm": _timeit(search_warm, args.repeats),
        }
    raw = figures["image_tower_1"]["p50_ms"] + figures["text_tower_5"]["p50_ms"]
    figures["ratio_classify_uncached_over_raw_towers"] = round(
        figures["classify_1x5_labels_uncached"]["p50_ms"] / raw, 2)
    figures["ratio_classify_cached_over_image_tower"] = round(
        figures["classify_1x5_labels_cached"]["p50_ms"] / figures["image_tower_1"]["p50_ms"], 2)
    figures["ratio_search_warm_over_text_tower"] = round(
        figures["search_200_warm"]["p50_ms"] / figures["text_tower_5"]["p50_ms"], 2)
    figures["target_classify_ms"] = 100
    figures["classify_within_target"] = figures["classify_1x5_labels_uncached"]["p50_ms"] <= 100

    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"CLIP latency — {figures['model']} ({figures['threads']} threads)")
    table.add_column("what")
    table.add_column("p50 ms", justify="right")
    table.add_column("p95 ms", justify="right")
    for key in ("classify_1x5_labels_cached", "classify_1x5_labels_uncached", "image_tower_1", "text_tower_5",
                "search_200_warm"):
        table.add_row(key, f"{figures[key]['p50_ms']:.1f}", f"{figures[key]['p95_ms']:.1f}")
    table.add_row("gallery_200_embed_cold", f"{figures['gallery_200_embed_cold_ms']:.0f}", "")
    table.add_row("model load (s)", f"{figures['load_s']:.2f}", "")
    console = Console()
    console.print(table)
    console.print(json.dumps(figures), markup=False, soft_wrap=True)


if __name__ == "__main__":
    main()

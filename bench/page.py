"""The page's time to first text (the answer's course part) against the same tutor in a plain process.

Starts the real ``erica ui`` on the starter course, drives it with Debian's headless Chromium
(Playwright, /usr/bin/chromium; never a downloaded browser), and times a question from Enter to
the first text of the answer on the screen; then the tutor's own server-side timing of that
answer (shown under "View retrieved context"). Afterwards the same question is timed in this
process with ``Tutor.stream`` (what ``erica ask``/``erica chat`` run). Before every timed question
another one is answered, so the model's cache holds another prompt each time; every timed page
question is asked in a fresh browser session.

Target: page first text ≤ 1.3 × the plain process's.

    python bench/page.py [--repeat 3] [--threads N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
QUESTION = "What is CLIP and how is it used in computer vision?"
OTHER = "What is overfitting?"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_ui(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tutor.cli", "ui", "--port", str(port), "--host", "127.0.0.1"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return proc, url
        except OSError:
            time.sleep(0.2)
    raise SystemExit("erica ui did not start")


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds() -> dict[str, float]:
    """CPU time used so far by the browser, the page's server and the model's process."""
    out = {"browser": 0.0, "page server": 0.0, "model process": 0.0}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = stat.read_text()
            cmd = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        fields = raw.rsplit(")", 1)[1].split()
        used = (int(fields[11]) + int(fields[12])) / TICK
        if b"chromium" in cmd:
            out["browser"] += used
        elif b"tutor.llm.worker" in cmd:
            out["model process"] += used
        elif b"streamlit" in cmd or b"tutor.cli" in cmd:
            out["page server"] += used
    return out


def ask(page, question: str, n: int) -> tuple[float, dict[str, float]]:
    """Seconds from Enter to the n-th answer's first text on the screen (waits for the whole
    answer), and the CPU seconds each process used until that first text."""
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    before = cpu_seconds()
    t0 = time.monotonic()
    box.press("Enter")
    page.get_by_text("The main idea:").nth(n).wait_for()  # the course's part, shown before the model writes
    first = time.monotonic() - t0
    after = cpu_seconds()
    page.get_by_text("View retrieved context").nth(n).wait_for()
    return first, {k: round(after[k] - before[k], 2) for k in after}


def page_runs(url: str, repeat: int) -> tuple[list[float], list[str], list[dict[str, float]]]:
    from playwright.sync_api import sync_playwright

    firsts, server_side, cpu = [], [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(300_000)
        page.goto(url)
        page.get_by_text("Prerequisite edges").wait_for()
        for _ in range(120):  # the models load in the background after the first page
            if not page.get_by_text("loading in the background").count():
                break
            page.wait_for_timeout(2000)
            page.reload()
            page.get_by_text("Prerequisite edges").wait_for()
        for _ in range(repeat):
            page.goto(url)  # a fresh session: an empty chat
            page.get_by_text("Prerequisite edges").wait_for()
            ask(page, OTHER, 0)
            first, used = ask(page, QUESTION, 1)
            firsts.append(first)
            cpu.append(used)
            page.get_by_text("View retrieved context").nth(1).click()
            timing = page.get_by_text(re.compile(r"first token [\d.]+ s")).last.inner_text()
            found = re.search(r"(retrieval|queue|first token).*", timing)
            server_side.append(found.group(0) if found else timing)
        browser.close()
    return firsts, server_side, cpu


def plain_runs(data_dir: Path, threads: int | None, repeat: int) -> list[float]:
    from knowledge.kb import open_kb
    from knowledge.settings import Settings
    from tutor.llm import get_llm
    from tutor.service import make_tutor

    settings = Settings(data_dir=data_dir, llm_threads=threads, llm_backend="embedded")
    kb = open_kb(settings)
    tutor = make_tutor(kb, get_llm("embedded", settings=settings), settings, demos=False)
    tutor.ask(OTHER)  # warm
    out = []
    for _ in range(repeat):
        tutor.ask(OTHER)
        t0 = time.perf_counter()
        for ev in tutor.stream(QUESTION):
            if ev.kind == "facts":  # the course's part (the model's own text may never come)
                out.append(time.perf_counter() - t0)
                break
        for _ in tutor.stream(OTHER):  # finish the model's work before the next run
            pass
    kb.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=None, help="llama.cpp threads (default: all cores)")
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit("needs Debian's chromium at /usr/bin/chromium (make browser)")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "erica-data"
        env = {**os.environ, "ERICA_DATA_DIR": str(data), "ERICA_LLM_BACKEND": "embedded",
               "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
        env.pop("ERICA_LLM_THREADS", None)
        if args.threads:
            env["ERICA_LLM_THREADS"] = str(args.threads)
        proc, url = start_ui(env)
        try:
            firsts, server_side, cpu = page_runs(url, args.repeat)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        plain = plain_runs(data, args.threads, args.repeat)
    med = statistics.median
    print(f"question: {QUESTION!r}; {args.repeat} runs, medians; threads {args.threads or os.cpu_count()}")
    print(f"  page (Chromium, Enter → first text on screen): {med(firsts):.2f} s  runs {[round(x, 2) for x in firsts]}")
    print(f"  the page's tutor, server side:                  {server_side}")
    print(f"  CPU seconds until the first text, per process:  {cpu}")
    print(f"  plain process (Tutor.stream → first text):     {med(plain):.2f} s  runs {[round(x, 2) for x in plain]}")
    print(f"  ratio page / plain: {med(firsts) / med(plain):.2f}  (target <= 1.3)")
    print(json.dumps({"page_first_text_s": med(firsts), "plain_first_text_s": med(plain),
                      "ratio": med(firsts) / med(plain), "server_side": server_side, "cpu_s": cpu}))


if __name__ == "__main__":
    main()

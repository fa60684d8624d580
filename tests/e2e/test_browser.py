"""End to end: `erica ui` (streamlit) on a free port, driven by Playwright in Debian's
headless Chromium. Asks "What is CLIP?", waits for the streamed answer and the live demo,
checks understanding under it, adds a lesson, practises and opens the mastery view; saves screenshots and the measured figures under tests/artifacts/ (git-ignored).

Never downloads a browser: it uses /usr/bin/chromium (`make test` installs it) and is skipped
with the reason when that is missing.
"""

from __future__ import annotations

import json
import re
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
QUESTION = "What is CLIP?"
LESSON = """# Bayes' theorem

Bayes' theorem is a rule that updates the probability of a hypothesis after seeing evidence.

## Prior probability

A prior probability is the probability of a hypothesis before any evidence is seen.
Bayes' theorem builds on the prior probability.
"""

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                       "(`make browser` or `apt-get install chromium`); no browser is ever downloaded"),
]


def shape_png() -> bytes:
    """A solid red circle as the bundled CLIP's generator draws it (a picture it can name)."""
    from tutor.clip.shapes import draw_each
    from tutor.clip.world import Combo

    return draw_each([Combo("circle", "red", "solid")], seed=4242)[0].png_bytes()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SCROLLERS = """() => Math.max(900, ...[...document.querySelectorAll('*')]
    .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowY) && !e.closest('[data-testid=stDataFrame]'))
    .map(e => e.scrollHeight))"""


def shot(page, name: str) -> None:
    """A screenshot of the whole page. Streamlit scrolls inside its own containers, so the
    window is first made as tall as the scrolling content, then scrolled to the top."""
    for _ in range(2):  # a taller window can reflow the content once
        height = page.evaluate(SCROLLERS)
        page.set_viewport_size({"width": 1400, "height": min(int(height) + 20, 8000)})
        page.wait_for_timeout(400)
    page.evaluate("() => document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; })")
    page.wait_for_timeout(600)
    page.screenshot(path=ARTIFACTS / name, full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


def memory(pid: int) -> dict[str, float]:
    """Resident memory of a process from /proc, in MB: all of it, and its private (anonymous)
    and file-backed (mapped libraries, shared with other processes) parts."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key = line.split(":")[0]
        if key in ("VmRSS", "RssAnon", "RssFile"):
            out[key] = round(int(line.split()[1]) / 1024)
    return out


def memory_map(pid: int, top: int = 25) -> str:
    """The largest resident parts of a process (/proc/PID/smaps), to see where memory goes."""
    sizes: dict[str, int] = {}
    name = "[anon]"
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        parts = line.split()
        if parts and "-" in parts[0] and len(parts) >= 5 and ":" in parts[3]:
            name = parts[5] if len(parts) > 5 else "[anon]"
        elif parts and parts[0] == "Rss:":
            sizes[name] = sizes.get(name, 0) + int(parts[1])
    rows = sorted(sizes.items(), key=lambda kv: -kv[1])[:top]
    return "\n".join(f"{kb / 1024:8.1f} MB  {n}" for n, kb in rows) + "\n"


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (the embedded model's own process among them)."""
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            out += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def model_process(pid: int) -> int | None:
    for child in children(pid):
        try:
            if b"tutor.llm.worker" in Path(f"/proc/{child}/cmdline").read_bytes():
                return child
        except OSError:
            pass
    return None


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise AssertionError(f"streamlit did not answer on {url} within {timeout:.0f} s")


def server_env(tmp_path) -> dict[str, str]:
    env = {**os.environ, "ERICA_DATA_DIR": str(tmp_path / "erica-data"), "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "ERICA_LLM_BACKEND": "embedded"}
    env.pop("ERICA_CHROMA_HOST", None)
    return env


@pytest.fixture
def prepare():
    """Steps to run (with the server's environment) before the server starts."""
    return []


@pytest.fixture
def server(tmp_path, prepare):
    port = free_port()
    env = server_env(tmp_path)
    for cmd in prepare:
        subprocess.run([sys.executable, "-m", "tutor.cli", *cmd], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log = (tmp_path / "streamlit.log").open("wb")
    t0 = time.monotonic()
    # the real `erica ui` command (it execs streamlit, so proc.pid is the server's pid)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tutor.cli", "ui", "--port", str(port), "--host", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, timeout=120)
        yield {"url": url, "proc": proc, "started": t0, "log": tmp_path / "streamlit.log"}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.mark.timeout(900)
def test_ask_what_is_clip_in_a_browser(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=300_000)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    figures: dict[str, float | str] = {}
    url, proc = server["url"], server["proc"]
    from knowledge.settings import Settings
    from tutor.service import clip_demo_runner

    expect_demo = clip_demo_runner(Settings()) is not None  # CLIP demos installed
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(300_000)
        try:
            page.goto(url)
            expect(page.get_by_role("heading", name="Erica — Your AI Tutor")).to_be_visible()
            figures["cold_start_to_first_page_s"] = round(time.monotonic() - server["started"], 1)
            expect(page.get_by_text("Prerequisite edges")).to_be_visible()
            shot(page, "ui-01-chat-empty.png")
            # the models load in the background after the first page; wait for them (the
            # sidebar names the CLIP model once it is loaded) so the timing below is a warm one
            for _ in range(60):
                if not page.get_by_text("loading in the background").count():
                    break
                page.wait_for_timeout(5000)
                page.reload()
                expect(page.get_by_text("Prerequisite edges")).to_be_visible()
            figures["start_to_models_loaded_s"] = round(time.monotonic() - server["started"], 1)

            box = page.get_by_test_id("stChatInputTextArea")
            box.fill(QUESTION)
            t_ask = time.monotonic()
            box.press("Enter")
            # the course's part is on the screen at once; the bundled model's intuition shows only
            # when a sentence of it keeps the notes' wording (often none does)
            expect(page.get_by_text("The main idea: CLIP").first).to_be_visible()
            figures["question_to_course_part_s"] = round(time.monotonic() - t_ask, 1)
            shot(page, "ui-02-streaming.png")
            ctx = page.get_by_text("View retrieved context")
            expect(ctx).to_be_visible()
            figures["question_to_full_answer_s"] = round(time.monotonic() - t_ask, 1)
            expect(page.get_by_text("The main idea: CLIP")).to_be_visible()
            if expect_demo:
                demo = page.locator("[class*='st-key-m0-demo0-box']")
                expect(demo).to_be_visible()
                demo.locator("img").first.wait_for()
            page.wait_for_timeout(1500)  # let charts and images finish drawing
            shot(page, "ui-03-answer.png")

            # "Check my understanding" under the answer: three questions on its concepts, in place
            page.get_by_role("button", name="Check my understanding").first.click()
            check = page.locator("[class*='st-key-m0-q1-box']")
            expect(check).to_be_visible()
            check.locator("[role='radiogroup'] label").first.click()
            check.get_by_role("button", name="Check my answer").click()
            expect(check.get_by_text("From the course")).to_be_visible()
            page.wait_for_timeout(600)
            check.scroll_into_view_if_needed()
            check.screenshot(path=ARTIFACTS / "ui-03b-check-understanding.png")

            ctx.click()
            expect(page.get_by_text("Retrieved subgraph")).to_be_visible()
            page.locator("[data-testid='stGraphVizChart'] svg").first.wait_for()
            page.wait_for_timeout(800)
            shot(page, "ui-04-context.png")
            # the tutor's own timings (server side), shown under the context
            timing = page.get_by_text(re.compile(r"first token [\d.]+ s")).first.inner_text()
            figures["tutor_timings"] = re.search(r"retrieval.*", timing).group(0)
            page.get_by_test_id("stPopover").first.locator("button").click()
            expect(page.get_by_text("in the knowledge browser").first).to_be_visible()
            page.screenshot(path=ARTIFACTS / "ui-05-source.png")
            figures["memory_mb_after_answer"] = memory(proc.pid)
            worker = model_process(proc.pid)
            assert worker is not None, "the embedded model runs in a child process of the page"
            figures["memory_mb_model_process"] = memory(worker)

            page.keyboard.press("Escape")

            # the student's own picture and labels: the classification demo runs on it
            picture = tmp_path / "my-shape.png"
            picture.write_bytes(shape_png())
            labels = page.get_by_role("textbox", name="Labels for an attached image")
            labels.fill("a red circle, a blue star, a green triangle")
            labels.press("Enter")
            page.locator("[data-testid='stChatInput'] input[type=file]").set_input_files(picture)
            expect(page.get_by_text("my-shape.png").first).to_be_visible()
            box.fill("Which label fits my picture?")
            # send once the attachment has finished uploading (Enter while it uploads is ignored)
            send = page.get_by_test_id("stChatInputSubmitButton")
            expect(send).to_be_enabled()
            page.wait_for_timeout(500)
            send.click()
            mine = page.locator("[class*='st-key-m1-demo0-box']")
            expect(mine).to_be_visible()
            mine.locator("img").first.wait_for()
            page.wait_for_timeout(1500)
            mine.scroll_into_view_if_needed()
            mine.screenshot(path=ARTIFACTS / "ui-06-my-image-demo.png")
            expect(mine.get_by_text("Best match: a red circle")).to_be_visible()

            page.goto(f"{url}/knowledge?concept=clip")
            expect(page.get_by_text("Around CLIP in the graph")).to_be_visible()
            page.locator("[data-testid='stGraphVizChart'] svg").first.wait_for()
            page.wait_for_timeout(800)
            shot(page, "ui-07-knowledge.png")

            page.goto(f"{url}/lessons")
            expect(page.get_by_text("Lessons in the knowledge base")).to_be_visible()
            lesson = tmp_path / "bayes.md"
            lesson.write_text(LESSON, encoding="utf-8")
            broken = tmp_path / "broken.pdf"
            broken.write_bytes(b"%PDF-1.4 not really a pdf")
            page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([lesson, broken])
            expect(page.get_by_text("broken.pdf")).to_be_visible()
            page.get_by_role("button", name="Add to the knowledge base").click()
            expect(page.get_by_text("Report:")).to_be_visible()
            expect(page.get_by_text("bayes.md").first).to_be_visible()
            shot(page, "ui-08-lessons.png")

            # a practice round (what to learn next), then the progress and the mastery map
            page.goto(f"{url}/practice")
            expect(page.get_by_role("heading", name="Practice")).to_be_visible()
            page.get_by_role("button", name="Start practising").click()
            boxes = page.locator("[class*='st-key-pq-'][class*='-box']")
            # the round's questions render one by one: count them once the third is there (counted
            # at the first, a slow machine saw 2 of the round's 4 and answered only those)
            expect(boxes.nth(2)).to_be_visible()
            for i in range(3):
                box = boxes.nth(i)
                box.locator("[role='radiogroup'] label").nth(i % 2).click()
                box.get_by_role("button", name="Check my answer").click()
                expect(box.get_by_text("From the course")).to_be_visible()
                # the page has rerun with this answer counted before the next click (on a busy
                # machine a click during the rerun could be lost)
                expect(page.get_by_text(re.compile(rf"{i + 1} of \d+ answered"))).to_be_visible()
            expect(page.get_by_text(re.compile(r"3 of \d+ answered"))).to_be_visible()
            shot(page, "ui-09-practice.png")
            page.get_by_role("tab", name="My progress").click()
            expect(page.get_by_text("Your map of a lesson")).to_be_visible()
            page.locator("[data-testid='stGraphVizChart'] svg").last.wait_for()
            page.wait_for_timeout(800)
            shot(page, "ui-10-mastery.png")
            figures["memory_mb_all_models"] = memory(proc.pid)
            (ARTIFACTS / "ui-memory.txt").write_text(memory_map(proc.pid))
            assert not page.get_by_test_id("stException").count(), "a page raised an exception"
        except Exception:
            page.screenshot(path=ARTIFACTS / "ui-failure.png")
            raise
        finally:
            figures["demo_expected"] = str(expect_demo)
            (ARTIFACTS / "ui-figures.json").write_text(json.dumps(figures, indent=2))
            browser.close()
    # Target: 1.5 GiB, measured 1.44-1.50 GiB, most of it from importing torch (a CUDA build) and
    # sentence-transformers (docs/benchmarks.md; tests/artifacts/ui-memory.txt). RSS moves by
    # ~100 MB from run to run (file-backed pages), so this guards regressions, not the target.
    rss = figures["memory_mb_all_models"]["VmRSS"]
    assert rss <= 2300, f"the UI process uses {rss} MB with all models loaded"


D2L_ATTENTION = ROOT.parent / "shared" / "corpus" / "d2l-en" / "chapter_attention-mechanisms-and-transformers"


@pytest.mark.timeout(900)
@pytest.mark.skipif(not D2L_ATTENTION.exists(), reason="needs the shared corpus (../shared/corpus/d2l-en)")
@pytest.mark.parametrize("prepare", [[["ingest", str(D2L_ATTENTION), "--course", "d2l"]]])
def test_a_textbook_answer_with_passages_code_and_what_the_course_leaves_out(server, prepare):
    """A teacher's course (d2l's attention chapter, ingested before the page starts): an answer
    quoting the course's passages with math, the course's code for the concept, and a question
    whose second half the chapter does not cover."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=300_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(300_000)
        try:
            page.goto(server["url"])
            expect(page.get_by_text("Prerequisite edges")).to_be_visible()
            box = page.get_by_test_id("stChatInputTextArea")
            box.fill("Explain the attention mechanism and give a python example")
            box.press("Enter")
            expect(page.get_by_text("View retrieved context").first).to_be_visible()
            expect(page.get_by_text("In the course's words").first).to_be_visible()
            expect(page.get_by_text("Code from the course").first).to_be_visible()
            expect(page.get_by_role("button", name="Check my understanding").first).to_be_visible()  # drawn
            expect(page.locator("[data-testid='stCode'] code").first).to_be_visible()  # the course's code
            page.wait_for_timeout(1500)
            shot(page, "ui-11-textbook-answer.png")
            box.fill("How do positional encodings tell self-attention about token order, and how do rotary "
                     "position embeddings differ from them?")
            box.press("Enter")
            expect(page.get_by_text(re.compile(r"The course does not cover .*rotary position embeddings"))).to_be_visible()
            expect(page.get_by_text("View retrieved context").nth(1)).to_be_visible()
            page.wait_for_timeout(1000)
            shot(page, "ui-12-partial-coverage.png")
            assert not page.get_by_test_id("stException").count(), "a page raised an exception"
        except Exception:
            page.screenshot(path=ARTIFACTS / "ui-failure-textbook.png")
            raise
        finally:
            browser.close()

"""Answers that teach: retrieval → numbered facts → the LLM's prose + a skeleton from the graph.

The factual skeleton (prerequisites in order, definitions, the course's own passages, code,
sources, what to learn next) comes from the knowledge graph, so it is right even when a small
model's prose is weak; the model writes the intuition, citing the numbered facts. Citations to
facts that do not exist are removed while streaming. The answer as data: :mod:`tutor.answer_model`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

from knowledge.kb import KnowledgeBase
from knowledge.models import Source
from tutor import prompts
from tutor.answer_model import Answer, ConceptRef, Conversation, Event, NumberedSource, Turn, described
from tutor.filters import CitationFilter, RepetitionGuard
from tutor.llm.base import LLM, LLMError
from tutor.retrieval import PathStep, RetrievalParams, RetrievalResult, Retriever

__all__ = ["Answer", "ConceptRef", "Conversation", "Event", "NumberedSource", "Turn", "Tutor"]

QUEUE_POLL_S = 0.2  # how often a waiting student's place in the queue is re-read
MAX_PASSAGES = 1  # passages of the main concept quoted in an answer
_DEFINES = re.compile(r"^\s*(?:def|class)\s+\w+", re.MULTILINE)
EXCERPT_CHARS = 700


class Tutor:
    """Answers questions from a knowledge base with an LLM, optionally with live demos."""

    def __init__(
        self,
        kb: KnowledgeBase,
        llm: LLM | Callable[[], LLM],
        demo_runner: Callable[[Answer, dict[str, Any]], list[Any]] | None = None,
        max_tokens: int = 220,
    ) -> None:
        self.kb = kb
        self.retriever = Retriever(kb)
        self._llm = llm
        self.demo_runner = demo_runner
        self.max_tokens = max_tokens

    @property
    def llm(self) -> LLM:
        if not isinstance(self._llm, LLM):
            self._llm = self._llm()
        return self._llm

    def retrieval_query(self, question: str, conversation: Conversation | None) -> tuple[str, str]:
        """The text to retrieve with, and the earlier topic when this is a follow-up."""
        if conversation and conversation.turns and prompts.is_follow_up(question):
            topic = next((t.topic for t in reversed(conversation.turns) if t.topic), "")
            if topic:
                return f"{topic}: {question}", topic
        return question, ""

    def ask(self, question: str, **kw: Any) -> Answer:
        answer = None
        for ev in self.stream(question, **kw):
            if ev.kind == "done":
                answer = ev.data
        assert answer is not None
        return answer

    def stream(
        self,
        question: str,
        params: RetrievalParams | None = None,
        conversation: Conversation | None = None,
        demo_options: dict[str, Any] | None = None,
    ) -> Iterator[Event]:
        t0 = time.perf_counter()
        query, topic = self.retrieval_query(question, conversation)
        res = self.retriever.retrieve(query, params)
        yield Event("retrieval", res)
        if res.empty:
            answer = self._not_covered(question, query, res)
            yield Event("token", answer.text)
            yield Event("done", answer)
            return
        answer, facts, prereq_titles = self._skeleton(question, query, res)
        yield Event("facts", answer)  # the course's facts are there at once, before any model time
        demos_first = self.demo_runner is not None and prompts.is_demo_request(question, demo_options)
        if demos_first:  # "which of these labels fits this image?": run the student's demo first
            yield from self._demos(answer, demo_options or {})
        llm = self.llm
        answer.model = llm.name
        history = [(t.question, t.answer) for t in conversation.turns] if conversation else []
        messages = prompts.build_messages(
            question, facts, answer.main.title, prereq_titles, history, topic, llm.count_tokens,
            demo_readings=[getattr(d, "reading", "") for d in answer.demos],
            main_note=(answer.main.cite, answer.main.note) if answer.main.cite else None,
        )
        filt = CitationFilter({s.n for s in answer.sources})
        guard = RepetitionGuard(echo=prompts.scaffold(question, answer.main.title, prereq_titles, answer.main.cite))
        parts: list[str] = []
        t1 = time.perf_counter()
        first = None
        failure: LLMError | None = None
        ticket = llm.queue.join() if llm.queue is not None else None
        stream = None
        try:
            if ticket is not None:  # another student's answer is being written: wait for our turn
                ahead = None
                while not ticket.wait(QUEUE_POLL_S):
                    if ticket.ahead != ahead:
                        ahead = ticket.ahead
                        yield Event("queue", ahead)
                if ahead is not None:
                    yield Event("queue", 0)
            stream = llm.stream(messages, max_tokens=self.max_tokens, temperature=0.2)
            for chunk in stream:
                if first is None:
                    first = time.perf_counter()
                chunk, stop = guard.feed(chunk)
                text = filt.feed(chunk)
                if text:
                    parts.append(text)
                    yield Event("token", text)
                if stop:
                    break
        except LLMError as exc:
            failure = exc
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()  # frees the model (also when the student went away mid-answer)
            if ticket is not None:
                ticket.leave()
        tail = filt.feed(guard.flush()) + filt.flush()
        if tail:
            parts.append(tail)
            yield Event("token", tail)
        if failure is not None:  # "cut short" when part of an answer was shown
            template = prompts.BACKEND_FAILED if "".join(parts).strip() else prompts.BACKEND_UNAVAILABLE
            answer.error = template.format(error=failure)
        if answer.error:
            yield Event("error", answer.error)
        answer.text = "".join(parts).strip()
        answer.timings_ms = {
            "retrieval": (t1 - t0) * 1e3,
            "queue": (ticket.waited_s if ticket is not None else 0.0) * 1e3,
            "first_token": ((first or time.perf_counter()) - t0) * 1e3,
            "total": (time.perf_counter() - t0) * 1e3,
        }
        if self.demo_runner is not None and not demos_first:
            yield from self._demos(answer, demo_options or {})
        yield Event("done", answer)

    def _demos(self, answer: Answer, options: dict[str, Any]) -> Iterator[Event]:
        try:
            results = self.demo_runner(answer, options)
        except Exception as exc:  # a demo must never break an answer
            results = []
            answer.error = (answer.error + " " if answer.error else "") + f"The live demo failed: {exc}"
            yield Event("error", answer.error)
        for r in results:
            answer.demos.append(r)
            yield Event("demo", r)

    # -- building blocks ---------------------------------------------------------------
    def _skeleton(self, question: str, query: str, res: RetrievalResult):
        sources: list[NumberedSource] = []
        index: dict[tuple[str, str], int] = {}

        def cite(src: Source | None) -> int | None:
            if src is None:
                return None
            key = (src.path, src.section)
            if key not in index:
                index[key] = len(sources) + 1
                sources.append(NumberedSource(index[key], src.path, src.section, src.anchor,
                                              src.lesson, src.page, src.cell))
            return index[key]

        main_id = res.seeds[0].id
        steps = {s.id: s for s in res.path}
        facts: list[tuple[int, str]] = []
        refs: dict[str, ConceptRef] = {}
        for step in res.path:
            n = cite(step.sources[0] if step.sources else None)
            refs[step.id] = ConceptRef(step.id, step.title, described(step.definition, step.context), n,
                                      step.definition or step.context)
            if n is not None:
                facts.append((n, _fact(step)))
        main = refs[main_id]
        main_pos = [s.id for s in res.path].index(main_id)
        needed = _ancestors(res, main_id)
        prereqs = [refs[s.id] for s in res.path[:main_pos] if s.id in needed]
        also = [refs[s.id] for s in res.path if s.id != main_id and s.id not in needed]
        wants_code = prompts.is_code_request(question)
        example, no_code = self._example(question, main, steps, prereqs, refs, cite, wants_code)
        excerpts = [{"text": _excerpt(p.text), "cite": cite(p.source), "concept": main.title, "section": p.source.section}
                    for p in self._passages(query, main_id)]
        nxt = [ConceptRef(c.id, c.title, described(c.definition, c.context)) for c in res.next_steps(self.kb)]
        answer = Answer(question, query, True, main=main, prerequisites=prereqs, also=also,
                        example=example, passages=excerpts, code_requested=wants_code, no_code=no_code,
                        sources=sources, next_steps=nxt, retrieval=res)
        return answer, facts, [p.title for p in prereqs]

    def _passages(self, query: str, main_id: str) -> list:
        """The main concept's passage that best matches the question (BM25 over its passages),
        else the first one that teaches it."""
        hits = self.kb.search_passages(query, MAX_PASSAGES, concepts=[main_id], kind="text")
        if hits:
            return [p for p, _ in hits]
        return self.kb.passages_for(main_id, kind="text")[:1]

    def _example(self, question, main, steps, prereqs, refs, cite, wants_code):
        """The answer's example: for a code request, the course's code for the main concept (its
        code passage best matching the question, else a code example of it) or a plain "none";
        otherwise the first example of the main concept or a prerequisite."""
        if wants_code:
            hits = self.kb.search_passages(f"{main.title} {question}", 10, concepts=[main.id], kind="code")
            pool = hits or [(p, 0.0) for p in self.kb.passages_for(main.id, kind="code")]
            if pool:  # code that defines something (a function, a class) shows a concept best
                p = max(pool, key=lambda t: (bool(_DEFINES.search(t[0].text)), t[1]))[0]
                return ({"text": p.text, "kind": "code", "language": p.language, "cite": cite(p.source),
                         "concept": main.title}, None)
            ex = next((e for e in steps[main.id].examples if e.kind == "code"), None)
            if ex is None:
                return None, prompts.NO_CODE.format(concept=main.title)
            return ({"text": ex.text, "kind": "code", "language": ex.language,
                     "cite": cite(ex.source) if ex.source else refs[main.id].cite, "concept": main.title}, None)
        for cid in [main.id, *(p.id for p in prereqs)]:
            step = steps[cid]
            if step.examples:
                ex = step.examples[0]
                return ({"text": ex.text, "kind": ex.kind, "language": ex.language,
                         "cite": cite(ex.source) if ex.source else refs[cid].cite, "concept": step.title}, None)
        return None, None

    def _not_covered(self, question: str, query: str, res: RetrievalResult) -> Answer:
        emb = self.retriever.embed_cached(query)
        concepts = self.kb.concepts()
        near = [ConceptRef(cid, concepts[cid].title, described(concepts[cid].definition, concepts[cid].context))
                for cid, _ in self.retriever.dense(emb, 3) if cid in concepts]
        text = (prompts.NOT_COVERED.format(nearest=", ".join(n.title for n in near)) if near
                else prompts.NOT_COVERED_NOTHING)
        return Answer(question, query, False, text=text, nearest=near, retrieval=res,
                      model="(no model: the course knowledge graph has nothing on this)")


def _excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """A passage cut at a sentence end near ``limit`` characters."""
    if len(text) <= limit:
        return text.strip()
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind(".\n"), cut.rfind("? "))
    return (cut[: end + 1] if end > limit // 2 else cut.rstrip() + " …").strip()


def _fact(step: PathStep) -> str:
    also = f"also called {', '.join(step.aliases[:3])}; " if step.aliases else ""
    text = f"{step.title} ({also}{step.difficulty}): {step.definition or step.context}"
    if step.examples:
        ex = step.examples[0].text.strip().replace("\n", " ")
        text += f" Example: {ex[:240]}"
    return text


def _ancestors(res: RetrievalResult, target: str) -> set[str]:
    preds: dict[str, set[str]] = {}
    for e in res.edges:
        if e.kind == "prerequisite_of":
            preds.setdefault(e.dst, set()).add(e.src)
    out, stack = set(), [target]
    while stack:
        for p in preds.get(stack.pop(), ()):
            if p not in out:
                out.add(p)
                stack.append(p)
    # prerequisites reached through concepts the cap dropped still count
    out |= {s.id for s in res.path if s.relation == "prerequisite"}
    return out

"""Answers that teach: retrieval → numbered facts → the LLM's prose + a skeleton from the graph.

The factual skeleton (prerequisites in order, definitions, the course's own passages, code,
sources, what to learn next) comes from the knowledge graph, so it is right even when a small
model's prose is weak; the model writes the intuition, citing the numbered facts. Citations to
facts that do not exist are removed while streaming. The answer as data: :mod:`tutor.answer_model`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from knowledge.ingest.definitions import definition_quality
from knowledge.ingest.sentences import names_concept, split_sentences
from knowledge.ingest.related import in_its_teaching
from knowledge.kb import KnowledgeBase
from knowledge.ingest.vocabulary import GENERIC_TAIL
from knowledge.models import PREREQUISITE, Concept, Source
from tutor import prompts
from tutor.answer_model import Answer, ConceptRef, Conversation, Event, LearnerModel, NumberedSource, Turn, adapt, described
from tutor.coverage import CourseText, asks_what_it_is, course_texts
from tutor.examples import choose_example
from tutor.excerpts import EXCERPT_CHARS, PREREQ_EXCERPT_CHARS, beyond_definition, excerpt_for, from_definition, fused, nearest_passage, quoted_passage, with_lead
from tutor.filters import CitationFilter, RepetitionGuard, SupportFilter
from tutor.main_concept import centred_on, compared_with, main_concept
from tutor.support import PARAPHRASE_RULES, SupportChecker, SupportRules
from tutor.llm.base import LLM, LLMError
from tutor.retrieval import PathStep, RetrievalParams, RetrievalResult, Retriever, prerequisites_of

__all__ = ["Answer", "ConceptRef", "Conversation", "Event", "NumberedSource", "Turn", "Tutor"]

QUEUE_POLL_S = 0.2  # how often a waiting student's place in the queue is re-read
OPENING_PREREQUISITES = 3  # at most this many related concepts stand in for prerequisites
READ_LESSONS = 3  # the answer points to this many sections where the course answers the question
BROAD_GROUNDWORK = 0.25  # a concept named in this share of the course's lessons or more is what the whole course
# is about: no one thing to know first


class Tutor:
    """Answers questions from a knowledge base with an LLM, optionally with live demos."""

    def __init__(self, kb: KnowledgeBase, llm: LLM | Callable[[], LLM],
                 demo_runner: Callable[[Answer, dict[str, Any]], list[Any]] | None = None,
                 max_tokens: int = 220, compose_tokens: int = 700, paraphrase_sentences: int = 1) -> None:
        self.kb = kb
        self.retriever = Retriever(kb)
        self._llm = llm
        self.demo_runner = demo_runner
        self.max_tokens = max_tokens  # the short paraphrase of a small model
        self.compose_tokens = compose_tokens  # the whole explanation of a capable one
        # a small model's first sentence is the one most often supported by the course (hand-judged:
        # docs/benchmarks.md); it stops there
        self.paraphrase_sentences = paraphrase_sentences

    def uncovered(self, question: str) -> list[str]:
        """The parts of ``question`` the course does not cover (see :mod:`tutor.coverage`)."""
        gen = self.kb.view().generation
        if getattr(self, "_course_text", (None, None))[0] != gen:
            self._course_text = (gen, CourseText(course_texts(self.kb)))
        return self._course_text[1].uncovered(question)

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
        learner: LearnerModel | None = None,
    ) -> Iterator[Event]:
        """The answer as events (see :class:`Event`). With ``learner`` (the student's mastery) the
        prerequisites they have mastered collapse to one line and weak ones come first, flagged;
        the model is asked to explain only the ones left."""
        t0 = time.perf_counter()
        query, topic = self.retrieval_query(question, conversation)
        res = self.retriever.retrieve(query, params)
        yield Event("retrieval", res)
        if res.empty:
            answer = self._not_covered(question, query, res)
            yield Event("token", answer.text)
            yield Event("done", answer)
            return
        answer, facts = self._skeleton(question, query, res)
        answer.uncovered = self.uncovered(question)
        answer.prerequisites, answer.known = adapt(answer.prerequisites, learner)
        prereq_titles = [p.title for p in answer.prerequisites]
        yield Event("facts", answer)  # the course's facts are there at once, before any model time
        demos_first = self.demo_runner is not None and prompts.is_demo_request(question, demo_options)
        if demos_first:  # "which of these labels fits this image?": run the student's demo first
            yield from self._demos(answer, demo_options or {})
        llm = self.llm
        answer.model = llm.name
        compose = bool(getattr(llm, "capable", False))
        answer.profile = "compose" if compose else "paraphrase"
        if compose:  # a capable model also reads the course's passages, numbered like the facts
            facts = facts + [(p["cite"], p["text"]) for p in answer.passages if p.get("cite")]
        history = [(t.question, t.answer) for t in conversation.turns] if conversation else []
        messages = prompts.build_messages(
            question, facts, answer.main.title, prereq_titles, history, topic, llm.count_tokens,
            demo_readings=[getattr(d, "reading", "") for d in answer.demos],
            main_note=(answer.main.cite, answer.main.note) if answer.main.cite else None,
            compose=compose, uncovered=answer.uncovered,
        )
        filt = CitationFilter({s.n for s in answer.sources})
        guard = RepetitionGuard(echo=prompts.scaffold(question, answer.main.title, prereq_titles, answer.main.cite),
                                shapes=prompts.SCAFFOLD_SHAPES)
        # the notes numbered as the model saw them (a sentence citing [n] is checked against note n)
        notes = [f"[{n}] {t}" for n, t in facts] + [f"[{answer.main.cite}] {answer.main.note}" if answer.main.cite
                                                      else answer.main.note]
        shown = [answer.main.definition, *(p.definition for p in answer.prerequisites), *(x["text"] for x in answer.passages)]
        support = SupportFilter(SupportChecker(notes, question, embed=self.kb.embedder.embed, role_words=prompts.ROLE_WORDS,
                                               rules=SupportRules() if compose else PARAPHRASE_RULES, shown=shown),
                                limit=None if compose else self.paraphrase_sentences)
        parts: list[str] = []
        t1 = time.perf_counter()
        first = None
        failure: LLMError | None = None
        skip = not compose and not answer.main.defined  # a small model paraphrases what the course says X is: none
        ticket = llm.queue.join() if llm.queue is not None and not skip else None
        stream = None
        capped = False
        try:
            if ticket is not None:  # another student's answer is being written: wait for our turn
                ahead = None
                while not ticket.wait(QUEUE_POLL_S):
                    if ticket.ahead != ahead:
                        ahead = ticket.ahead
                        yield Event("queue", ahead)
                if ahead is not None:
                    yield Event("queue", 0)
            stream = iter(()) if skip else llm.stream(messages, temperature=0.2,
                                                      max_tokens=self.compose_tokens if compose else self.max_tokens)
            for chunk in stream:
                if first is None:
                    first = time.perf_counter()
                chunk, stop = guard.feed(chunk)
                text = filt.feed(support.feed(chunk))
                if text.strip() or (text and parts):  # no blank start to an empty intuition
                    parts.append(text)
                    yield Event("token", text)
                capped = support.full
                if stop or capped:
                    break
        except LLMError as exc:
            failure = exc
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()  # frees the model (also when the student went away mid-answer)
            if ticket is not None:
                ticket.leave()
        tail = ("" if capped else filt.feed(support.feed(guard.flush()) + support.flush())) + filt.flush()
        if tail.strip() or (tail and parts):
            parts.append(tail)
            yield Event("token", tail)
        if failure is not None:  # "cut short" when part of an answer was shown
            template = prompts.BACKEND_FAILED if "".join(parts).strip() else prompts.BACKEND_UNAVAILABLE
            answer.error = template.format(error=failure)
        if answer.error:
            yield Event("error", answer.error)
        answer.text = "".join(parts).strip()
        answer.unsupported = [{"sentence": v.sentence, "reason": v.reason} for v in support.dropped]
        answer.checked = [{"sentence": v.sentence, "shown": v.supported, "coverage": round(v.coverage, 3),
                           "similarity": round(v.similarity, 3), "reason": v.reason} for v in support.verdicts]
        answer.notes = [f"[{n}] {t}" for n, t in facts]
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
                sources.append(NumberedSource.of(index[key], src))
            return index[key]

        main_id = main_concept(self.kb, self.retriever, question, res)
        res = centred_on(self.retriever, self.kb.view(), res, main_id)
        steps = {s.id: s for s in res.path}
        facts: list[tuple[int, str]] = []
        refs: dict[str, ConceptRef] = {}
        for step in res.path:
            n = cite(step.sources[0] if step.sources else None)
            refs[step.id] = ConceptRef(step.id, step.title, described(step.definition, step.context), n,
                                      step.definition or step.context, defined=bool(step.definition))
            if n is not None:
                facts.append((n, _fact(step)))
        main = refs[main_id]
        main_pos = [s.id for s in res.path].index(main_id)
        # what to know first: the concepts the main one builds on directly, when the path holds
        # any (their own prerequisites come under "also"); else all it builds on
        needed = prerequisites_of(res, main_id)
        needed = {e.src for e in res.edges if e.kind == PREREQUISITE and e.dst == main_id} & needed or needed
        # ... not a word the course uses everywhere ("dataset", "layer": met in every lesson, no
        # groundwork), unless the concept builds on nothing else (broadcasting on tensors)
        # ... nor what the whole course is about ("Deep learning" before Adam), unless it is all there is
        passages = self.kb.view().passages(self.kb.store)
        needed = {cid for cid in needed if not self.retriever.everyday(cid)
                  and passages.concept_share(cid) < BROAD_GROUNDWORK} or needed
        # ... nor what the course only names and never says what it is (a chapter's title, "Convolutions for
        # Images"), unless it is all there is: it comes under "also"; never one whose only sentence is about
        # something else ("Text prompt" under "Text Generation is the ability of a model to generate new text")
        needed = {cid for cid in needed if steps[cid].taught != "introduced" or not about_else(steps[cid])}
        needed = {cid for cid in needed if steps[cid].definition or steps[cid].taught != "introduced"} or needed
        prereqs = [refs[s.id] for s in res.path[:main_pos] if s.id in needed]
        if not prereqs:  # the graph orders nothing before it: what its section opens with or its definition uses
            needed = {e.src for e in res.edges if e.kind != PREREQUISITE and e.dst == main_id and in_its_teaching(e.evidence)
                      and not self.retriever.everyday(e.src) and passages.concept_share(e.src) < BROAD_GROUNDWORK}
            prereqs = [refs[s.id] for s in res.path if s.id in needed][:OPENING_PREREQUISITES]
            needed = {r.id for r in prereqs}
        # what a comparison sets against it, with the passage that teaches it (unless it comes first anyway)
        other = compared_with(self.kb, self.retriever, question, res, main_id)
        compared = [refs[other]] if other in refs and other not in needed else []
        also = [refs[s.id] for s in res.path if s.id != main_id and s.id not in needed and s.id != other]
        wants_code = prompts.is_code_request(question, passages.libraries)
        example, no_code = choose_example(self.kb, question, main, steps, prereqs, refs, cite, wants_code,
                                          [s.id for s in res.seeds])
        # asked only what it is ("What is X?", "Explain X and give a python example"): the passage where the
        # course says so; else the passage that answers what was asked (how it learns, why it helps)
        whole = asks_what_it_is(question, [main.title, *steps[main_id].aliases])
        main_passages = self._passages(query, main_id, res, steps[main_id] if whole else None)
        excerpts = []
        for p in main_passages:  # (a short passage that leads into a formula or a list is quoted with it)
            text = with_lead(p.text, getattr(passages.following(p), "text", None))
            limit = max(EXCERPT_CHARS, len(text)) if len(p.text) <= EXCERPT_CHARS else EXCERPT_CHARS
            excerpts.append({"text": from_definition(text, steps[main_id].definition, limit) if whole
                             else excerpt_for(text, question, limit), "cite": cite(p.source), "concept": main.title,
                             "concept_id": main_id, "section": p.source.section})
        quoted = {p.id for p in main_passages}
        if not main.defined:  # where it comes up, unless a passage just below quotes it
            main.definition = described("", steps[main_id].context, [x["text"] for x in excerpts])
        for ref in [*prereqs, *compared]:  # the passage that teaches each prerequisite, shorter, each quoted once
            p = self._teaching_passage(steps[ref.id])
            step = steps[ref.id]
            text = beyond_definition(p.text, step.definition, PREREQ_EXCERPT_CHARS,
                                     lambda s, step=step: _names(s, step)) if p is not None else ""
            if text and p.id not in quoted:
                quoted.add(p.id)
                excerpts.append({"text": text, "cite": cite(p.source),
                                 "concept": ref.title, "concept_id": ref.id, "section": p.source.section})
        nxt = [ConceptRef(c.id, c.title, described(c.definition, c.context)) for c in res.next_steps(self.kb)]
        # where the course answers the question as asked (a how-to can sit in a lab the concepts are not taught in)
        # (a section the answer cites already is that source, described once)
        read = [sources[index[key] - 1] if key in index else NumberedSource.of(0, src)
                for src in res.lessons[:READ_LESSONS] for key in [(src.path, src.section)]]
        described_here = [*sources, *(r for r in read if not r.n)]
        lessons = {lid: self.kb.lesson(lid) for lid in {src.lesson for src in described_here if src.lesson}}  # one read each
        for src in described_here:
            self._describe_source(src, lessons.get(src.lesson))
        answer = Answer(question, query, True, main=main, prerequisites=prereqs, compared=compared, also=also,
                        example=example, passages=excerpts, code_requested=wants_code, no_code=no_code,
                        sources=sources, read=read, next_steps=nxt, retrieval=res)
        return answer, facts

    def _describe_source(self, src: NumberedSource, rec) -> None:
        """Fill in what the page shows when a student opens a source: its lesson (``rec``) and the
        concepts the knowledge base holds from that section (with an example from there)."""
        if rec is not None:
            src.lesson_title, src.course = rec.title or rec.id, rec.course or ""
        for c in self.kb.concepts_citing(src.path, src.section):
            ex = next((x for x in c.examples if x.source and x.source.section == src.section), None)
            src.concepts.append({"id": c.id, "title": c.title, "text": described(c.definition, c.context),
                                 "example": {"text": ex.text, "kind": ex.kind, "language": ex.language} if ex else None})

    def _teaching_passage(self, step: PathStep, query: str = ""):
        """The passage of the section that defines the concept, else of the others tied to it: the
        one that says what it is (holds the start of its definition), else with ``query`` the best
        of the section's passages by words and meaning (:func:`~tutor.excerpts.fused`), else the
        first that names it, else the opening of its section when the heading names it; None
        otherwise ("Time step" defined in passing under "Autoregressive Models": that section's opening
        is about stock prices)."""
        found = self.kb.passages_for(step.id, kind="text")
        if not found:
            return None
        home = step.sources[0] if step.sources else None
        same = [p for p in found if home and p.source.path == home.path and p.source.section == home.section]
        pool = same or found
        start = " ".join(step.definition.split()[:8]).lower()
        defining = next((p for p in pool if start and start in " ".join(p.text.split()).lower()), None)
        if defining is not None or not query or len(pool) == 1:
            # ... else the section's opening when the section is about it (its heading names it); a passage
            # that neither holds its definition nor names it, in a section about something else, is none
            return defining or next((p for p in pool if _names(p.text, step)), None) or (
                pool[0] if same and _names(home.section or "", step) else None)
        scores = {p.id: s for p, s in self.kb.search_passages(query, len(found), concepts=[step.id], kind="text")}
        return fused(self.kb, [(p, scores.get(p.id, 0.0)) for p in pool], self.retriever.embed_cached(query))

    def _passages(self, query: str, main_id: str, res: RetrievalResult, teaching: PathStep | None = None) -> list:
        """The passage quoted for the main concept: the one that teaches it (``teaching``: its step)
        when the question asks only what it is, else :func:`~tutor.excerpts.quoted_passage`."""
        p = self._teaching_passage(teaching, query) if teaching is not None else None
        p = p or quoted_passage(self.kb, query, self.retriever.embed_cached(query), main_id, [s.id for s in res.seeds])
        return [p] if p is not None else []

    def _not_covered(self, question: str, query: str, res: RetrievalResult) -> Answer:
        emb = self.retriever.embed_cached(query)
        concepts = self.kb.concepts()
        near = [ConceptRef(cid, concepts[cid].title, described(concepts[cid].definition, concepts[cid].context))
                for cid, _ in self.retriever.dense(emb, 3) if cid in concepts]
        text = (prompts.NOT_COVERED.format(nearest=", ".join(n.title for n in near)) if near
                else prompts.NOT_COVERED_NOTHING)
        p, passages, sources = nearest_passage(self.kb, query, emb), [], []
        if p is not None:  # no concept, but a lesson talks about it: quote the course, cite it
            sources = [NumberedSource.of(1, p.source)]
            self._describe_source(sources[0], self.kb.lesson(p.source.lesson) if p.source.lesson else None)
            passages = [{"text": excerpt_for(p.text, question), "cite": 1, "concept": "", "section": p.source.section}]
            text = prompts.NOT_COVERED_PASSAGE.format(section=p.source.section or p.source.path)
        return Answer(question, query, False, text=text, nearest=near, retrieval=res, uncovered=self.uncovered(question),
                      passages=passages, sources=sources, model="(no model: the course knowledge graph has nothing on this)")


def about_else(step: PathStep) -> bool:
    """Whether a step's definition is about something else: it does not say what the step is
    (:func:`~knowledge.ingest.definitions.definition_quality` under 2) and its first sentence does not
    name it ("Text Generation is the ability of a model to generate new text. It ... based on some
    text prompt" is about text generation, not the prompt)."""
    if not step.definition or names_concept(split_sentences(step.definition)[0], step.title, step.aliases):
        return False
    return definition_quality(Concept(title=step.title, definition=step.definition, aliases=list(step.aliases))) < 2


def _names(text: str, step: PathStep) -> bool:
    """Whether ``text`` names the step's concept: by a name in any written form, or by its title
    without a generic last word ("Policy Gradients Algorithm" is named "policy gradients")."""
    aliases = list(getattr(step, "aliases", []))
    bare = GENERIC_TAIL.sub("", step.title)
    return names_concept(text, step.title, aliases) or (bare != step.title and names_concept(text, bare))


def _fact(step: PathStep) -> str:
    also = f"also called {', '.join(step.aliases[:3])}; " if step.aliases else ""
    text = f"{step.title} ({also}{step.difficulty}): {step.definition or step.context}"
    if step.examples:
        ex = step.examples[0].text.strip().replace("\n", " ")
        text += f" Example: {ex[:240]}"
    return text

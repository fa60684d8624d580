"""What stands between the model's stream and the student: citations checked against the
sources list (:class:`CitationFilter`), loops, the prompt played back and label lines caught a
sentence at a time (:class:`RepetitionGuard`), and each sentence judged against the notes before it
is shown (:class:`SupportFilter`, with :class:`tutor.support.SupportChecker`). All work on chunks
as they stream."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from knowledge.ingest.sentences import ends_with_abbreviation

if TYPE_CHECKING:
    from tutor.support import SupportChecker, Verdict

_CITE = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")


class CitationFilter:
    """Streams text through, dropping ``[n]`` citations that point at no source."""

    def __init__(self, valid: set[int]) -> None:
        self.valid = valid
        self.buf = ""

    def _fix(self, m: re.Match) -> str:
        nums = [n for n in (int(x) for x in m.group(1).split(",")) if n in self.valid]
        return "[" + ", ".join(map(str, nums)) + "]" if nums else ""

    def feed(self, chunk: str) -> str:
        self.buf += chunk
        cut = self.buf.rfind("[")
        if cut != -1 and "]" not in self.buf[cut:] and len(self.buf) - cut < 16:
            ready, self.buf = self.buf[:cut], self.buf[cut:]
        else:
            ready, self.buf = self.buf, ""
        return _CITE.sub(self._fix, ready)

    def flush(self) -> str:
        out, self.buf = _CITE.sub(self._fix, self.buf), ""
        return out


# "The student explains:", "In simple words:": a label the model wrote to itself, with no content
_LABEL_LINE = re.compile(r"^\s*(?:\S+\s+){0,4}\S+:\s*$")
# ... or in front of the content: "A student explains: Overfitting happens when ..."
_LABEL_PREFIX = re.compile(
    r"^(\s*)(?:(?:a|an|the|in|to)\s+){0,2}(?:(?:student|course|teacher|tutor)\s+(?:explains|says|asks|answers|means|writes)"
    r"|simple\s+words|intuition|answer|explanation)\s*:\s*",
    re.IGNORECASE,
)


class RepetitionGuard:
    """What a small model must not show, caught a sentence at a time (text is released when a
    sentence is complete, so nothing below is ever shown):

    * a loop, word for word ("It is a type of ... It is a type of ...") or reworded ("CLIP is a
      variant of CNN that uses a transformer, a type of neural network that ..."): a sentence with
      the same words as an earlier one, or (six words or more) 75 % of its words from one earlier
      sentence, or one that goes round in circles itself (a run of four words three times) ends
      the answer;
    * the prompt played back ("A student asks: What is dropout?"): a sentence made of the words
      of a line of the prompt's own scaffolding (``echo``), one that opens with such a line
      (filled with any name, ``shapes``), or a short label line ("In simple
      words:"), is dropped, and a label in front of content ("A student explains: ...") is cut
      off; the answer goes on.
    """

    _SENT = re.compile(r"[^.!?\n]+[.!?\n]")
    NEAR = 0.75

    def __init__(self, echo: Sequence[str] = (), shapes: Sequence[re.Pattern[str]] = ()) -> None:
        self.text = ""
        self.shapes = shapes  # lines of the prompt as patterns: played back whatever they were filled with
        self.seen: list[set[str]] = []
        self.echo = [w for line in echo for m in self._SENT.finditer(line + "\n") if len(w := self._content(m.group())) >= 3]
        # a sentence that opens with a whole line of the scaffolding ("In the course, Dropout [1] means:
        # “...”") plays the prompt back, whatever it quotes after it
        self.openers = [o for line in echo if len((o := self._flat(line)).split()) >= 3]
        self.done = 0  # end of the last complete sentence; everything before it is decided
        self.dropped: dict[str, int] = {}
        self.stopped = False
        self.after_drop = False

    _COMMON = frozenset("the and you your for with that this are was were its has have can not but from".split())

    @staticmethod
    def _words(s: str) -> set[str]:
        return {w for w in re.findall(r"\w+", s.lower()) if len(w) > 2}

    @classmethod
    def _content(cls, s: str) -> set[str]:
        """The words that say something: what a line of the prompt and its echo share."""
        return cls._words(s) - cls._COMMON

    @staticmethod
    def _loops(sentence: str, n: int = 4, times: int = 3) -> bool:
        """A sentence that goes round in circles: some run of ``n`` words ``times`` times."""
        w = re.findall(r"\w+", sentence.lower())
        grams = [tuple(w[i : i + n]) for i in range(len(w) - n + 1)]
        return any(grams.count(g) >= times for g in set(grams))

    def _repeats(self, words: set[str]) -> bool:
        for old in self.seen:
            if len(words) >= 4 and words == old:
                return True
            if len(words) >= 6 and len(words & old) >= self.NEAR * len(words):
                return True
        return False

    @staticmethod
    def _flat(s: str) -> str:
        return " ".join(re.findall(r"[a-z]+", s.lower()))

    def _echoes(self, words: set[str]) -> bool:
        return len(words) >= 3 and any(len(words & e) >= self.NEAR * len(words) for e in self.echo)

    def _judge(self, sentence: str) -> str:
        """``"keep"``, ``"drop"`` or ``"stop"``."""
        words = self._words(sentence)
        flat = self._flat(sentence)
        if (self._echoes(self._content(sentence)) or _LABEL_LINE.match(sentence)
                or any(flat.startswith(o) for o in self.openers) or any(p.match(sentence.lstrip(" \"”’)\n")) for p in self.shapes)):
            key = " ".join(sorted(words)) or sentence.strip().lower()
            self.dropped[key] = self.dropped.get(key, 0) + 1
            return "stop" if self.dropped[key] >= 3 else "drop"  # the same line over and over: a loop
        if self._repeats(words) or self._loops(sentence):
            return "stop"
        if words:
            self.seen.append(words)
        return "keep"

    def feed(self, chunk: str) -> tuple[str, bool]:
        """Returns (text to emit, stop?)."""
        if self.stopped:
            return "", True
        self.text += chunk
        out = []
        for m in self._SENT.finditer(self.text, self.done):
            verdict = self._judge(m.group())
            if verdict == "stop":
                self.stopped = True
                return "".join(out).rstrip(), True
            if verdict == "keep":
                kept = _LABEL_PREFIX.sub(r"\1", m.group())
                if self.after_drop:  # the closing quote of a dropped quotation is no part of what follows
                    kept = re.sub(r"^\s*[\"”’)\]]+", "", kept)
                out.append(kept)
            self.after_drop = verdict == "drop"
            self.done = m.end()
        return "".join(out), False

    def flush(self) -> str:
        """The unfinished last sentence, if it is fit to show."""
        if self.stopped or self.done >= len(self.text):
            return ""
        rest, self.done = self.text[self.done :], len(self.text)
        if _LABEL_PREFIX.match(rest.strip() + ":"):  # a label cut off before its colon
            return ""
        return _LABEL_PREFIX.sub(r"\1", rest) if self._judge(rest) == "keep" else ""


# a sentence ends at . ! ? or a line break — not at an abbreviation's period ("e.g.": a copy cut there is a piece)
_SENT_END = re.compile(r"[.!?](?=\s|$)|\n")


class SupportFilter:
    """Streams the model's text through, a sentence at a time, keeping only supported sentences."""

    def __init__(self, checker: SupportChecker, limit: int | None = None) -> None:
        self.checker = checker
        self.limit = limit  # sentences to check at most; the model's text after them is not shown
        self.buf = ""
        self.verdicts: list[Verdict] = []  # every sentence checked, in order
        self.last = ""  # the last character let through
        self.shown = ""  # the model's sentences let through so far

    @property
    def full(self) -> bool:
        return self.limit is not None and len(self.verdicts) >= self.limit

    def _judge(self, sentence: str) -> str:
        if self.full:
            return ""
        if not sentence.strip() or not re.search(r"[A-Za-z]", sentence):
            return self._emit(sentence)
        v = self.checker.check(sentence.strip(), self.shown)
        self.verdicts.append(v)
        if v.supported:
            self.shown += sentence
        return self._emit(sentence) if v.supported else ""

    def _emit(self, text: str) -> str:
        """``text``, with a space before it when the model ran two sentences together ("pairs.The")."""
        if text and self.last and not self.last.isspace() and not text[0].isspace() and text[0].isalnum():
            text = " " + text
        if text:
            self.last = text[-1]
        return text

    @property
    def dropped(self) -> list[Verdict]:
        return [v for v in self.verdicts if not v.supported]

    def feed(self, chunk: str) -> str:
        self.buf += chunk
        out = []
        start = 0
        for m in _SENT_END.finditer(self.buf):
            if m.group(0) == "." and ends_with_abbreviation(self.buf[start : m.end()]):
                continue
            out.append(self._judge(self.buf[start : m.end()]))
            start = m.end()
        self.buf = self.buf[start:]
        return "".join(out)

    def flush(self) -> str:
        rest, self.buf = self.buf, ""
        return self._judge(rest) if rest.strip() else ""

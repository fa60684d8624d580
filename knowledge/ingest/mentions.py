"""Finding the concepts a piece of text names: titles, aliases and their variants, matched on
word boundaries, longest first (:class:`MentionMatcher`). Ordinary words that lessons bold as
terms (:func:`knowledge.ingest.lexicon.is_ordinary_word`) are real concepts but no evidence when
merely mentioned."""

from __future__ import annotations

import re

from knowledge.models import Concept

from .extract import _GENERIC_TAIL, variants_of
from .lexicon import is_ordinary_word
from .naming import COMPARED, EXPLAINING, IDEA_OF
from .terms import acronym_key, ascii_fold, is_acronym, is_code_name, norm_key, singular

_TOKEN = re.compile(r"[A-Za-z0-9+#]+")
# (after an adverb and its comma: "Specifically, the class prediction layer uses ...")
# (... or after "The idea of": "The idea behind NiN is to apply a fully connected layer at each pixel")
# (... or after a comparison: "Similar to the loss function in linear regression, the content loss measures ...")
_LEAD = re.compile(r"^\W*(?:" + EXPLAINING + r",\s+|" + COMPARED + r")?(?:(?:the\s+)?" + IDEA_OF + r")?(?:(?:an?|the)\s+)?", re.IGNORECASE)


def _span_key(tokens: list[str]) -> str:
    low = [t.lower() for t in tokens]
    return "".join(low[:-1]) + singular(low[-1])


class MentionMatcher:
    """Finds concept mentions in text: titles and aliases, any case (acronyms: upper case
    only), singular or plural, spaces or hyphens; a multi-word title also by its initials of
    three or more letters ("CNN") when no other concept has the same initials, and without a
    generic last word ("attention" for "Attention Mechanism"). Matching is greedy, longest
    first, over word n-grams — fast enough for a whole course. An API name ("filter()",
    "%in%") is found only as written in code, never by the word it spells ("filter")."""

    def __init__(self, concepts: list[Concept]) -> None:
        self.lookup: dict[str, set[str]] = {}
        code: dict[str, set[str]] = {}
        for c in concepts:
            if is_code_name(c.title):
                code.setdefault(c.title, set()).add(c.id)
        concepts = [c for c in concepts if not is_code_name(c.title)]
        self._code = code
        self._code_re = re.compile(
            r"(?<![\w.$:%])(?:" + "|".join(re.escape(n) for n in sorted(code, key=len, reverse=True)) + r")(?![\w(])"
        ) if code else None
        self.prefixes: set[str] = set()  # joined lower-case tokens that start a longer name
        owners: dict[str, set[str]] = {}
        self.max_len = 1
        for c in concepts:
            names = list(variants_of(c.title, c.aliases))
            reduced = _GENERIC_TAIL.sub("", c.title)
            if reduced != c.title and not is_ordinary_word(norm_key(reduced)):
                names.append(reduced)
            for v in names:
                toks = _TOKEN.findall(ascii_fold(v))
                if not toks or len(v) < 2:
                    continue
                self.max_len = max(self.max_len, len(toks))
                lt = [t.lower() for t in toks]
                for k in range(1, len(lt)):
                    self.prefixes.add("".join(lt[:k]))
                if is_acronym(v):
                    explicit = any(is_acronym(a) and acronym_key(a) == acronym_key(v) for a in (c.title, *c.aliases))
                    if not explicit and len(acronym_key(v)) < 3:
                        continue
                    owners.setdefault("acr:" + acronym_key(v), set()).add(c.id)
                    if explicit:
                        self.lookup.setdefault("acr:" + acronym_key(v), set()).add(c.id)
                else:
                    self.lookup.setdefault(_span_key(toks), set()).add(c.id)
        for k, ids in owners.items():  # initials: only when unambiguous
            if k not in self.lookup and len(ids) == 1:
                self.lookup[k] = set(ids)
        self._cache: dict[str, list[str]] = {}
        self._starts = {t.lower() for c in concepts for v in variants_of(c.title, c.aliases)
                        for t in _TOKEN.findall(ascii_fold(v))[:1]}

    def _scan(self, text: str, whole: bool = True) -> list[tuple[int, int, set[str]]]:
        folded = ascii_fold(text) if not text.isascii() else text
        toks = list(_TOKEN.finditer(folded))
        n = len(toks)
        words = [t.group(0) for t in toks]
        low = [w.lower() for w in words]
        # tokens i..j may form one name only if separated by spaces/hyphens
        joined = [not folded[toks[k].end(): toks[k + 1].start()].strip(" \t\n-") for k in range(n - 1)]
        out: list[tuple[int, int, set[str]]] = []
        i = 0
        lookup = self.lookup
        while i < n:
            reach = i + 1
            prefix = low[i]
            while reach < n and reach - i < self.max_len and joined[reach - 1] and prefix in self.prefixes:
                prefix += low[reach]
                reach += 1
            hit = None
            for j in range(reach, i, -1):
                if not whole and j - i == n:
                    continue
                ids: set[str] | None = None
                if words[j - 1] != low[j - 1]:
                    span = folded[toks[i].start(): toks[j - 1].end()]
                    if is_acronym(span):
                        ids = lookup.get("acr:" + acronym_key(span))
                        if not ids and span.isupper() and len(span) <= 6:
                            continue
                if not ids:
                    ids = lookup.get("".join(low[i:j - 1]) + singular(low[j - 1]))
                if ids:
                    hit = (i, j, ids)
                    break
            if hit:
                out.append(hit)
                i = hit[1]
            else:
                i += 1
        return out

    def leading(self, sentence: str) -> tuple[set[str], str] | None:
        """Concepts a sentence opens with (after an article: "A perceptron is ..."), and the
        rest of the sentence after the name; None when it opens with none."""
        head = sentence[:200]
        folded = ascii_fold(head) if not head.isascii() else head
        start = _LEAD.match(folded).end()
        body = folded[start:]
        first = _TOKEN.match(body)
        # (a one-word name in the plural opens it too: "Events are subsets of the sample space")
        if first is None or (first.group(0).lower() not in self._starts and singular(first.group(0).lower()) not in self._starts):
            return None
        hits = self._scan(body)
        if not hits or hits[0][0] != 0:
            return None
        _, j, ids = hits[0]
        toks = list(_TOKEN.finditer(body))
        return ids, body[toks[j - 1].end():]

    def find(self, text: str) -> list[str]:
        hit = self._cache.get(text)
        if hit is not None:
            return hit
        out: list[str] = []
        for _, _, ids in self._scan(text):
            for cid in sorted(ids):
                if cid not in out:
                    out.append(cid)
        for cid in self._code_names(text):
            if cid not in out:
                out.append(cid)
        if len(self._cache) < 50000 and len(text) < 2000:
            self._cache[text] = out
        return out

    def find_within(self, title: str) -> list[str]:
        """Concepts named by a proper part of a title, e.g. "gradient descent" in
        "Stochastic gradient descent"."""
        if is_code_name(title):  # "row_number()" holds no "Row" nor "Number"
            return []
        out: list[str] = self._code_names(title)
        toks = _TOKEN.findall(ascii_fold(title))
        for start in range(len(toks)):
            sub = " ".join(toks[start:])
            for _, _, ids in self._scan(sub, whole=start > 0):
                for cid in sorted(ids):
                    if cid not in out:
                        out.append(cid)
        return out

    def _code_names(self, text: str) -> list[str]:
        if self._code_re is None or not any(ch in text for ch in "()%"):
            return []
        return [cid for m in self._code_re.finditer(text) for cid in sorted(self._code[m.group(0)])]

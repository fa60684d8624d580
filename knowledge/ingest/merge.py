"""Merging and matching concepts: variants of one concept (case, plurals, hyphens, acronyms,
near-identical embeddings) become one concept with aliases, and a new lesson's candidates are
mapped onto concepts already in the knowledge base, so a lesson about a known concept adds a
source instead of a twin."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

import numpy as np

from knowledge.models import Concept

from .terms import (
    acronym_key, acronym_pairs, clean_term, initials, is_acronym, is_code_name, noun_form_key, norm_key, spelled_by_parts,
    term_keys,
)
from .api_names import api_rank
from .vocabulary import GENERIC_TAIL

MAX_EXAMPLES = 5
EMBED_THRESHOLD = 0.9


class Embedder(Protocol):
    def embed(self, texts: list[str]) -> np.ndarray:  # rows L2-normalised
        ...


def concept_keys(c: Concept) -> set[str]:
    """Exact-match keys of a concept: normalised title and aliases, their compact forms, and
    acronym keys (an explicit acronym alias, or the initials of a multi-word title)."""
    keys: set[str] = set()
    for t in (c.title, *c.aliases):
        keys |= term_keys(t)
    return keys


def _acronym_index(concepts: list[Concept]) -> dict[str, set[int]]:
    """initials of multi-word titles → concept indexes (to resolve a bare acronym)."""
    idx: dict[str, set[int]] = {}
    for i, c in enumerate(concepts):
        for t in (c.title, *c.aliases):
            if not is_acronym(t):
                for ini in initials(t):
                    idx.setdefault("acr:" + ini, set()).add(i)
    return idx


def _spells_out(c: Concept, key: str) -> bool:
    """Whether concept ``c`` has a long form of its own for the acronym key ``key``."""
    return any(not is_acronym(t) and (key in initials(t) or spelled_by_parts(key, t)) for t in (c.title, *c.aliases))


def _long_forms(concepts: list[Concept]) -> dict[str, str]:
    """acronym key → the long form a concept gives it ("Stochastic gradient descent" with the
    alias "SGD"), for acronyms that name one thing only."""
    seen: dict[str, set[str]] = {}
    for short, long in acronym_pairs(concepts):
        seen.setdefault(acronym_key(short), set()).add(norm_key(long))
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def _spelled_out(term: str, long_forms: dict[str, str]) -> str:
    """The key of ``term`` with an acronym inside it spelled out ("Minibatch SGD" → "minibatch
    stochastic gradient descent"), or "" when it has none the concepts spell out."""
    words = term.split()
    if len(words) < 2:
        return ""
    out, changed = [], False
    for w in words:
        long = long_forms.get(acronym_key(w)) if is_acronym(w) else None
        out.append(long or w)
        changed |= long is not None
    return norm_key(" ".join(out)) if changed else ""


# a last word saying what kind of thing a name is: "ResNet Model", "Naive Bayes Classifier", "Transformer
# Architecture", "Q-Learning algorithm", "Bayesian Personalized Ranking Loss" name the thing itself;
# "Language model", "Reward model", "Optimization algorithm", "Style loss" something else than "Language",
# "Reward", "Optimization", "Style"
_MODEL_KINDS = r"models?|architectures?|algorithms?|classifiers?|networks?"  # one of them is any other
_KIND_TAIL = re.compile(r"^(?P<base>.+?)\s+(?P<kind>" + _MODEL_KINDS + r"|loss(?:es)?|functions?|layers?)$", re.IGNORECASE)
_PROCESS_NOUN = re.compile(r"(?:tion|sion|ing|ment|ness|ity|ics)$", re.IGNORECASE)
_TECHNICAL = re.compile(r"[A-Za-z][A-Z]|[-\u2013\d]")  # "ResNet", "textCNN", "Skip-gram", "Encoder–Decoder", "Word2Vec"


def _kind_tail(title: str) -> tuple[str, str]:
    """The name before a last word saying what kind of thing it is, and that word ("ResNet Model" →
    ("ResNet", "model")), or ("", "")."""
    m = _KIND_TAIL.match(title.strip())
    return (m.group("base"), m.group("kind").lower()) if m and not is_code_name(title) else ("", "")


def kind_tail_base(title: str) -> str:
    """The name before a last word saying what kind of thing it is ("ResNet Model" → "ResNet"), or ""."""
    return _kind_tail(title)[0]


# a lesson's title around the name of what it teaches: "Introduction to Q-Learning", "Information Theory
# Basics", "Implementation of Multilayer Perceptrons"
_WRAPPER = re.compile(r"^(?:(?:an?\s+)?(?:introduction|intro|overview|basics|fundamentals)\s+(?:to|of)\s+(?:the\s+)?(?P<a>.+)"
                      r"|(?P<b>.+?)\s+(?:basics|fundamentals|overview|revisited)"
                      r"|(?:implementation|implementing)\s+(?:of\s+)?(?P<c>.+))$",
                      re.IGNORECASE)


def wrapped_base(title: str) -> str:
    """The name a lesson-style title wraps ("Introduction to NumPy" → "NumPy"), or ""."""
    m = _WRAPPER.match(title.strip())
    return next((g for g in m.groups() if g), "") if m and not is_code_name(title) else ""


def same_with_kind(bare: Concept, tailed: Concept) -> bool:
    """Whether ``tailed`` ("Naive Bayes Classifier") is concept ``bare`` ("Naive Bayes") named with
    the kind of thing it is: a technical or several-word name ("ResNet", "Encoder–Decoder", "Gaussian
    Mixture") is; one everyday word ("Language", "Reward", "Optimization"), or any name before "loss"
    ("Cross-entropy loss"), only when the course says it is that kind of thing ("Generator is a
    network that ...", "The Transformer is an instance of the encoder–decoder architecture")."""
    base, kind = _kind_tail(tailed.title)
    if not base or norm_key(base) not in concept_keys(bare):
        return False
    if bare.definition and bare.definition == tailed.definition and bare.sources and tailed.sources \
            and bare.sources[0].path == tailed.sources[0].path:
        return True  # one sentence of a lesson defines both ("Loss" and "Loss Function"): one thing
    words = base.split()
    # (a loss is named after what it measures, "Cross-entropy loss", "Mean squared error loss": the same
    # only when the course says that it is a loss, "Bayesian personalized ranking (BPR) is a ... loss")
    if not kind.startswith("loss") and (_TECHNICAL.search(base) or is_acronym(base) or len(words) >= 2):
        return True
    if len(words) == 1 and _PROCESS_NOUN.search(base):
        return False  # "Optimization algorithm", "Embedding model": what does it, not the thing done
    # (a model kind is said in any of its words, "Generator is a network", a loss, function or layer in its own:
    # "The discriminator is a network" does not make "Discriminator loss" the discriminator)
    one = kind[:-2] if kind.endswith("sses") else kind[:-1] if kind.endswith("s") and not kind.endswith("ss") else kind
    kinds = f"(?:{_MODEL_KINDS})" if re.fullmatch(_MODEL_KINDS, kind) else re.escape(one) + r"(?:es|s)?"
    genus = re.compile(r"^\W*(?:the\s+)?" + re.escape(base) + r"s?(?:\s+\([^)]{1,20}\))?\s+(?:is|are)\s+(?:an?|the|one)\s+"
                       r"(?:[\w-]+\s+){0,4}?"
                       r"(?:(?:instance|kind|type)\s+of\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?)?" + kinds + r"\b",
                       re.IGNORECASE)
    return any(genus.match(d) for d in (bare.definition, tailed.definition) if d)


def definition_strength(c: Concept) -> int:
    """How definitional a concept's definition reads: 3 when it is about the concept as its
    subject ("X is ...", "X – ..."), 2 when it names it ("... is called X"), 1 otherwise."""
    d = norm_key(c.definition)
    names = [norm_key(t) for t in (c.title, *c.aliases) if norm_key(t)]
    for name in names:
        if _subject_rx(name).match(d):
            return 3
    low = c.definition.lower()
    for t in (c.title, *c.aliases):
        if _named_rx(t.lower()).search(low):
            return 2
    return 1


# one compiled pattern per name, kept here: built on the fly, thousands of them would push the
# re module's own cache (512 patterns) out, and the fixed patterns of every other module with it
@lru_cache(maxsize=16384)
def _subject_rx(name: str) -> re.Pattern[str]:
    return re.compile(r"^(?:(?:an?|the|one|such|so called)\s+)*(?:(?:main\s+)?(?:idea|concept|notion)\s+(?:of|behind)\s+"
                      r"(?:an?\s+|the\s+)?)?" + re.escape(name))


@lru_cache(maxsize=16384)
def _named_rx(name: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:called|known as|named|termed|referred to as)\s+(?:an?\s+|the\s+)?" + re.escape(name))


def absorb(target: Concept, other: Concept) -> Concept:
    """Fold ``other`` into ``target`` (same concept): aliases, sources and examples are
    unioned; the stronger definition wins (ties: ``target``'s), and one the course defines is
    "defined" even where another lesson only introduced it. Returns ``target``."""
    tkeys = term_keys(target.title)
    for a in [other.title, *other.aliases]:
        a = clean_term(a)
        if a and not (term_keys(a) & tkeys) and a not in target.aliases and (
            not any(term_keys(a) & term_keys(x) for x in target.aliases)
        ):
            target.aliases.append(a)
    for s in other.sources:
        if s not in target.sources:
            target.sources.append(s)
    for e in other.examples:
        if e not in target.examples and len(target.examples) < MAX_EXAMPLES * 2:
            target.examples.append(e)
    # (a lesson title's own words are no name of the concept: "The implementation of DeepFM is similar to ...")
    names = [a for a in target.aliases if not wrapped_base(a)]

    def rank(c: Concept) -> tuple:  # a defining sentence beats an introducing one
        if is_code_name(c.title):
            return api_rank(c)
        if wrapped_base(c.title):
            return c.taught == "defined", definition_strength(Concept(title=target.title, definition=c.definition, aliases=names))
        return c.taught == "defined", definition_strength(c)

    if rank(other) > rank(target):
        target.definition = other.definition
        if is_code_name(target.title) and other.sources:  # an API name is cited where its definition is
            target.sources = [other.sources[0]] + [s for s in target.sources if s != other.sources[0]]
    if not target.context:
        target.context = other.context
    if other.taught == "defined":
        target.taught = "defined"
    for t in other.tags:
        if t not in target.tags:
            target.tags.append(t)
    return target


def merge_variants(concepts: list[Concept], embedder: Embedder | None = None, threshold: float = EMBED_THRESHOLD) -> list[Concept]:
    """Merge concepts that name the same thing: same normalised title/alias (case, plural,
    hyphen/space, article), an acronym and its expansion, and — with an ``embedder`` — titles
    whose embeddings have cosine ≥ ``threshold``. The first concept of a group keeps its id
    and title (a heading-style or longer title is preferred over a bare acronym, a plain name
    over one with a generic tail such as "algorithm")."""
    n = len(concepts)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    owner: dict[str, int] = {}
    for i, c in enumerate(concepts):
        for k in concept_keys(c):
            if k in owner:
                union(owner[k], i)
            else:
                owner[k] = i
    acr = _acronym_index(concepts)
    for i, c in enumerate(concepts):
        for t in (c.title, *c.aliases):
            if is_acronym(t) and not _spells_out(c, acronym_key(t)):  # (one spelled out its own way: see match_existing)
                hits = acr.get("acr:" + acronym_key(t), set())
                if len({find(h) for h in hits}) == 1:
                    union(i, next(iter(hits)))
    long_forms = _long_forms(concepts)
    for i, c in enumerate(concepts):
        for t in (c.title, *c.aliases):
            k = _spelled_out(t, long_forms)
            if k and k in owner:
                union(owner[k], i)
    for i, c in enumerate(concepts):  # "ResNet Model" is ResNet; "Introduction to NumPy" teaches NumPy
        base, wrapped = kind_tail_base(c.title), wrapped_base(c.title)
        j = owner.get(norm_key(base)) if base else None
        if j is not None and find(i) != find(j) and same_with_kind(concepts[j], c):
            union(i, j)
        j = owner.get(norm_key(wrapped)) if wrapped else None
        if j is not None:
            union(i, j)
    if embedder is not None and n > 1:
        titles = [c.title for c in concepts]
        vecs = np.asarray(embedder.embed(titles), dtype=np.float32)
        sims = vecs @ vecs.T
        for i in range(n):
            for j in range(i + 1, n):
                if sims[i, j] >= threshold and find(i) != find(j) and _embedding_merge_ok(concepts[i], concepts[j]):
                    union(i, j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    out: list[Concept] = []
    for root in sorted(groups):
        members = groups[root]
        def contained(i: int) -> int:
            k = norm_key(concepts[i].title)
            return sum(1 for m in members if m != i and norm_key(concepts[m].title).endswith(" " + k))

        def with_kind(i: int) -> bool:  # "ResNet Model", "Introduction to ResNet" beside "ResNet"
            bases = {norm_key(kind_tail_base(concepts[i].title)), norm_key(wrapped_base(concepts[i].title))} - {""}
            return any(bases & term_keys(concepts[m].title) for m in members if m != i)

        # the plain name leads: not a bare acronym, not "Backpropagation Algorithm" beside "Backpropagation",
        # nor "Minibatch SGD" beside "Minibatch stochastic gradient descent"
        def noun_form(i: int) -> bool:  # "Convolution neural network" beside "Convolutional Neural Network"
            return any(norm_key(concepts[i].title) == noun_form_key(concepts[m].title) for m in members if m != i)

        lead = min(members, key=lambda i: (with_kind(i), is_acronym(concepts[i].title), noun_form(i),
                                           bool(_spelled_out(concepts[i].title, long_forms)),
                                           bool(GENERIC_TAIL.search(concepts[i].title)), -contained(i), i))
        target = _copy(concepts[lead])
        for i in members:
            if i != lead:
                absorb(target, concepts[i])
        out.append(target)
    return out


def _embedding_merge_ok(a: Concept, b: Concept) -> bool:
    """Embedding similarity alone must not merge siblings that differ in one qualifier
    ("Semantic segmentation" / "Instance segmentation", "Forget gate" / "Input gate"), nor an API
    name with a word ("filter()" / "Filter")."""
    if is_code_name(a.title) or is_code_name(b.title):
        return False
    wa, wb = set(norm_key(a.title).split()), set(norm_key(b.title).split())
    if wa and wb and len(wa) == len(wb) and len(wa ^ wb) == 2 and len(wa & wb) >= 1:
        x, y = sorted(wa - wb)[0], sorted(wb - wa)[0]
        return x[:4] == y[:4]  # "layer"/"layered" are one word; "semantic"/"instance" are siblings
    return True


def _copy(c: Concept) -> Concept:
    return Concept(
        id=c.id, title=c.title, definition=c.definition, aliases=list(c.aliases), difficulty=c.difficulty,
        tags=list(c.tags), sources=list(c.sources), examples=list(c.examples), taught=c.taught, context=c.context,
    )


def match_existing(
    candidates: list[Concept],
    existing: list[Concept],
    embedder: Embedder | None = None,
    threshold: float = EMBED_THRESHOLD,
) -> dict[str, str]:
    """Map candidate concept ids to ids of ``existing`` concepts that are the same concept:
    by normalised title/alias, by acronym ↔ expansion, and — with an ``embedder`` — by title
    embedding cosine ≥ ``threshold``. Unmatched candidates are absent from the result; the
    caller adds their sources to the matched concept (see :func:`absorb`) instead of storing
    a twin."""
    index: dict[str, set[str]] = {}
    for e in existing:
        for k in concept_keys(e):
            index.setdefault(k, set()).add(e.id)
    acr: dict[str, set[str]] = {}
    for e in existing:
        for t in (e.title, *e.aliases):
            if not is_acronym(t):
                for ini in initials(t):
                    acr.setdefault("acr:" + ini, set()).add(e.id)
    tailed: dict[str, list[Concept]] = {}
    wrappers: dict[str, list[Concept]] = {}
    for e in existing:
        if base := kind_tail_base(e.title):
            tailed.setdefault(norm_key(base), []).append(e)
        if base := wrapped_base(e.title):
            wrappers.setdefault(norm_key(base), []).append(e)
    out: dict[str, str] = {}
    by_id = {e.id: e for e in existing}
    for c in candidates:
        hits: set[str] = set()
        for k in concept_keys(c):
            hits |= index.get(k, set())
        if not hits:
            # an acronym stands for another concept's long form only when this one gives it none of its own
            # (an "MDS" spelled out "multidimensional scaling" is not the "multi-dimensional subarray")
            for t in (c.title, *c.aliases):
                if is_acronym(t) and not _spells_out(c, acronym_key(t)):
                    hits |= acr.get("acr:" + acronym_key(t), set())
        if not hits:
            for t in (c.title, *c.aliases):
                if not is_acronym(t):
                    for ini in initials(t):
                        hits |= {h for h in index.get("acr:" + ini, set()) if not _spells_out(by_id[h], ini)}
        if not hits:  # "ResNet Model" for an existing ResNet, ResNet for an existing "ResNet Model" or "Introduction to ResNet"
            base = kind_tail_base(c.title)
            hits = {h for h in index.get(norm_key(base), set()) if same_with_kind(by_id[h], c)} if base else set()
            hits |= {e.id for e in tailed.get(norm_key(c.title), ()) if same_with_kind(c, e)}
            wrapped = wrapped_base(c.title)
            hits |= index.get(norm_key(wrapped), set()) if wrapped else set()
            hits |= {e.id for e in wrappers.get(norm_key(c.title), ())}
        if len(hits) == 1:
            out[c.id] = next(iter(hits))
        elif len(hits) > 1:  # prefer the one whose title itself matches
            exact = [e.id for e in existing if e.id in hits and term_keys(e.title) & term_keys(c.title)]
            out[c.id] = exact[0] if exact else sorted(hits)[0]
    rest = [c for c in candidates if c.id not in out]
    if embedder is not None and rest and existing:
        names: list[str] = []
        owners: list[str] = []
        for e in existing:
            for t in (e.title, *e.aliases):
                names.append(t)
                owners.append(e.id)
        ev = np.asarray(embedder.embed(names), dtype=np.float32)
        cv = np.asarray(embedder.embed([c.title for c in rest]), dtype=np.float32)
        sims = cv @ ev.T
        for row, c in enumerate(rest):
            j = int(np.argmax(sims[row]))
            if sims[row, j] >= threshold and _embedding_merge_ok(c, by_id[owners[j]]):
                out[c.id] = owners[j]
    return out

"""The order of a question's seeds once they are scored: a narrower concept the question writes
before the broader one it names a kind of (and a named broader one before a longer name that splits
its words), and the setting a what-is question opens with after what it asks about. Split from
:mod:`tutor.retrieval`."""

from __future__ import annotations

import re

from knowledge.ingest.lexicon import is_function_word, lemmas
from knowledge.lexical import name_key

from .retrieval_model import Seed


def narrower_first(seeds: list[Seed], query: str, concepts) -> list[Seed]:
    """The seeds, a narrower one moved before a broader one it names a kind of when the question
    writes the narrower one's own words: "Why does a transformer language model need a mask in its
    self-attention?" is about Self-attention masking before Self-attention, "How do I compute the
    relaxed free energy?" about the relaxed version before Free Energy (read off a held-out course
    of lecture notes: the broader name, written in the question too, scored first). And the other
    way round: a broader one the question names goes before a narrower one whose own words it does
    not write ("What are target networks ...?" is about Target network, not Target policy network)."""
    said = set(name_key(query).split())

    def same(w: str, word: str) -> bool:  # "mask" for "masking": a word or an inflection of it (not "fast" for "faster")
        return w == word or (min(len(w), len(word)) >= 4 and any(w == word + x or word == w + x for x in ("s", "es", "d", "ed", "ing")))

    def written(word: str) -> bool:
        return any(same(w, word) for w in said)

    def comparative(word: str) -> bool:  # "Faster R-CNN" in "why is YOLO so much faster ...?"
        forms = lemmas(word)
        return bool(forms) and set(forms) <= {"ADJ", "ADV"} and all(word not in v for v in forms.values())

    names = {s.id: [name_key(n).split() for n in (concepts[s.id].title, *concepts[s.id].aliases)]
             for s in seeds if s.id in concepts}

    def narrows(b: str, a: str) -> bool:  # b's name is a's and words of its own the question writes
        for wb in names.get(b, ()):
            for wa in names.get(a, ()):
                if wa and set(wa) < set(wb):
                    extra = [w for w in wb if w not in wa and not is_function_word(w) and not comparative(w)]
                    if extra and any(map(written, extra)):
                        return True
        return False

    words = name_key(query).split()

    def phrase_written(name: list[str]) -> bool:  # the words of a name, one after another (or inflected)
        return any(all(same(words[i + k], w) for k, w in enumerate(name)) for i in range(len(words) - len(name) + 1))

    def widens(a: Seed, b: Seed) -> bool:
        """a, named in the question in words b's name splits ("target network" in "target policy network")"""
        if not a.matched_name or b.matched_name or any(all(map(written, wb)) for wb in names.get(b.id, ())):
            return False  # (b named too, by an alias: "minibatch SGD")
        for wb in names.get(b.id, ()):
            for wa in names.get(a.id, ()):
                if len(wa) > 1 and set(wa) < set(wb) and phrase_written(wa):
                    at = [wb.index(w) for w in wa]
                    if at == sorted(at) and at[-1] - at[0] + 1 > len(wa):
                        return True
        return False

    pairs = {(b.id, a.id) for b in seeds for a in seeds if a is not b and narrows(b.id, a.id)}
    pairs |= {(a.id, b.id) for a in seeds for b in seeds if a is not b and widens(a, b)}
    out = list(seeds)
    for _ in range(len(out) if pairs else 0):
        move = next(((i, j) for i in range(len(out)) for j in range(i + 1, len(out)) if (out[j].id, out[i].id) in pairs), None)
        if move is None:
            break
        i, j = move
        out.insert(i, out.pop(j))
    return out


# a question that opens by saying where it is set, then asks: "In the A2A protocol, what is an Agent Card ...?",
# "In PyTorch, how do I ...?" (general English)
SETTING_OPENING = re.compile(
    r"^\W*(?:in|within|inside|with|using|for|on)\s+(?P<setting>[^,?;:]{2,80}),\s*"
    r"(?=(?:what|what's|how|why|when|which|where|who|can|could|should|would|is|are|do|does|did)\b)", re.IGNORECASE)


_WHAT_IS = re.compile(r"\W*what(?:'s|’s|\s+is|\s+are)\s+(?:an?\s+|the\s+)?", re.IGNORECASE)


def setting_opening(query: str) -> int:
    """Where the opening that sets a what-is question ends ("In the A2A protocol, what is ...": after the
    comma), or 0."""
    m = SETTING_OPENING.match(query)
    return m.end() if m and _WHAT_IS.match(query[m.end():]) else 0


def setting_after(seeds: list[Seed], query: str, concepts) -> list[Seed]:
    """The seeds, one the question names only in its opening setting ("In the A2A protocol, what is an
    Agent Card ...?": the protocol) moved after the seed named as what it then asks about (Agent Card):
    the setting is where the asked thing lives, not what is asked. Only for "what is ..." after the
    opening: "In pipeline parallelism, how do the chunks set the batch size?" asks about the setting."""
    m = SETTING_OPENING.match(query)
    if not m:
        return seeds
    # ... and then asks what something is: "what is an Agent Card" (not "how do the chunks determine the batch
    # size", which asks about the setting's own workings: "In pipeline parallelism, ...")
    what = _WHAT_IS.match(query[m.end():])
    if not what:
        return seeds
    setting, rest = name_key(m.group("setting")).split(), name_key(query[m.end() + what.end():]).split()[:6]

    def written(words: list[str], sid: str) -> bool:
        c = concepts.get(sid)
        names = [name_key(n).split() for n in (c.title, *c.aliases)] if c is not None else []
        return any(n and any(words[i:i + len(n)] == n or (len(n) == 1 and words[i].rstrip("s") == n[0].rstrip("s"))
                             for i in range(len(words) - len(n) + 1)) for n in names)

    def only_setting(s: Seed) -> bool:
        return s.matched_name and written(setting, s.id) and not written(rest, s.id)

    # (nothing named after the opening: the opening may well be the topic, "In the YOLOv1 loss, why ...?")
    asked = next((i for i, s in enumerate(seeds) if s.matched_name and written(rest, s.id)), None)
    if asked is None:
        return seeds
    before = [s for s in seeds[:asked] if only_setting(s)]
    if not before:
        return seeds
    out = [s for s in seeds if s not in before]
    at = out.index(seeds[asked]) + 1
    return out[:at] + before + out[at:]

"""A compact word-level tokenizer for the bundled CLIP.

Why not open_clip's standard BPE tokenizer? Its 49,408-token vocabulary would make the token
embedding alone (49,408 × 128 ≈ 6.3 M parameters) 1.7 times the whole bundled model (3.6 M:
3.01 M image tower, 0.62 M text tower + logit scale), and the model only ever sees the ~50 words of its
world in training: every other row would stay at its random initial value, so "knowing" more
tokens would not make it understand more — it would only make unknown words look meaningful.
A compact vocabulary (the words of ``configs/erica-shapes.world.json``, 47 words + 4 special
tokens) keeps the weights at 7.3 MB in fp16 and makes the model's limits explicit: a word
outside the vocabulary becomes ``<unk>`` (trained to carry no meaning by replacing 3 % of
training words with it) and :meth:`WordTokenizer.unknown_words` names it, so the tutor can say
honestly "the bundled model does not know the word 'cat'". OpenCLIP models keep their own
tokenizer (``open_clip.get_tokenizer``).

Called like an open_clip tokenizer: ``tokenizer(["a red circle"])`` → LongTensor
``[n, context_length]`` laid out ``<start> words... <end> <pad>...``; the text tower pools the
``<end>`` position (``pool_type: "eos"`` in ``configs/erica-shapes.json``).
"""

from __future__ import annotations

import re
from typing import Sequence

import torch

from .world import ShapeWorld

PAD, UNK, END, START = "<pad>", "<unk>", "<end>", "<start>"
_WORD = re.compile(r"[a-z]+")


class WordTokenizer:
    def __init__(self, vocab: Sequence[str], context_length: int, aliases: dict[str, str] | None = None):
        if list(vocab[:4]) != [PAD, UNK, END, START]:
            raise ValueError(f"vocabulary must start with {PAD}, {UNK}, {END}, {START}")
        self.vocab = list(vocab)
        self.ids = {w: i for i, w in enumerate(self.vocab)}
        self.context_length = context_length
        self.aliases = dict(aliases or {})
        self.pad_id, self.unk_id, self.end_id, self.start_id = 0, 1, 2, 3

    @classmethod
    def from_world(cls, world: ShapeWorld) -> "WordTokenizer":
        return cls(world.vocab, world.context_length, world.aliases)

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    def words(self, text: str) -> list[str]:
        """Lower-cased words, aliases applied, plurals folded (``"Circles"`` → ``"circle"``)."""
        out = []
        for w in _WORD.findall(text.lower()):
            w = self.aliases.get(w, w)
            if w not in self.ids and w.endswith("s") and w[:-1] in self.ids:
                w = w[:-1]
            out.append(w)
        return out

    def unknown_words(self, text: str) -> list[str]:
        return [w for w in self.words(text) if w not in self.ids]

    def encode(self, text: str) -> list[int]:
        ids = [self.ids.get(w, self.unk_id) for w in self.words(text)]
        ids = ids[: self.context_length - 2]
        return [self.start_id, *ids, self.end_id]

    def __call__(self, texts: str | Sequence[str], context_length: int | None = None) -> torch.LongTensor:
        if isinstance(texts, str):
            texts = [texts]
        n_ctx = context_length or self.context_length
        out = torch.full((len(texts), n_ctx), self.pad_id, dtype=torch.long)
        for row, text in enumerate(texts):
            ids = self.encode(text)[:n_ctx]
            ids[-1] = self.end_id
            out[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
        return out

    def decode(self, ids: Sequence[int]) -> str:
        words = [self.vocab[i] for i in ids if i not in (self.pad_id, self.start_id, self.end_id)]
        return " ".join(words)

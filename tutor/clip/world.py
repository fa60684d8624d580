"""The shapes world as data: what the bundled CLIP was trained on and can recognise.

``configs/erica-shapes.world.json`` lists the shapes, colours (with their RGB), fill patterns,
caption templates, the attribute combinations held out of training and the text vocabulary.
:class:`ShapeWorld` is that file parsed into a dataclass; captions are built from it here,
images are drawn from it in :mod:`tutor.clip.shapes`.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

CONFIG_DIR = Path(__file__).parent / "configs"
WORLD_FILE = CONFIG_DIR / "erica-shapes.world.json"
ATTRIBUTES: tuple[str, ...] = ("shape", "colour", "pattern")
_AN = re.compile(r"(^|\s)a ([aeiou])")
_PLACEHOLDER = re.compile(r"\{(shape|colour|pattern|pattern_noun)\}")


@dataclass(frozen=True)
class Combo:
    """One attribute combination, e.g. ``Combo("circle", "red", "striped")``."""

    shape: str
    colour: str
    pattern: str

    @property
    def key(self) -> str:
        """``"striped red circle"`` — how combinations are named in the world file."""
        return f"{self.pattern} {self.colour} {self.shape}"

    def matches(self, constraints: dict[str, str]) -> bool:
        return all(getattr(self, attr) == value for attr, value in constraints.items())


@dataclass(frozen=True)
class Caption:
    """A caption and the attributes it pins down (a partial caption pins fewer)."""

    text: str
    constraints: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ShapeWorld:
    name: str
    image_size: int
    shapes: tuple[str, ...]
    shape_words: dict[str, list[str]]
    colours: dict[str, tuple[int, int, int]]
    patterns: tuple[str, ...]
    pattern_words: dict[str, list[str]]
    pattern_nouns: dict[str, list[str]]
    canonical_template: str
    attribute_templates: dict[str, str]
    templates: tuple[str, ...]
    heldout: frozenset[str]
    vocab: tuple[str, ...]
    aliases: dict[str, str]
    context_length: int

    @classmethod
    def load(cls, path: str | Path = WORLD_FILE) -> "ShapeWorld":
        d = json.loads(Path(path).read_text(encoding="utf-8"))
        world = cls(
            name=d["name"],
            image_size=int(d["image_size"]),
            shapes=tuple(d["shapes"]),
            shape_words={k: list(v) for k, v in d["shape_words"].items()},
            colours={k: tuple(v) for k, v in d["colours"].items()},
            patterns=tuple(d["patterns"]),
            pattern_words={k: list(v) for k, v in d["pattern_words"].items()},
            pattern_nouns={k: list(v) for k, v in d["pattern_nouns"].items()},
            canonical_template=d["canonical_template"],
            attribute_templates=dict(d["attribute_templates"]),
            templates=tuple(d["templates"]),
            heldout=frozenset(d["heldout"]),
            vocab=tuple(d["vocab"]),
            aliases=dict(d.get("aliases", {})),
            context_length=int(d["context_length"]),
        )
        unknown = {k for k in world.heldout if k not in {c.key for c in world.combos()}}
        if unknown:
            raise ValueError(f"{path}: held-out combinations not in the world: {sorted(unknown)}")
        return world

    # -- combinations --------------------------------------------------------------------
    @property
    def colour_names(self) -> tuple[str, ...]:
        return tuple(self.colours)

    def combos(self) -> list[Combo]:
        return [
            Combo(s, c, p) for s, c, p in itertools.product(self.shapes, self.colours, self.patterns)
        ]

    def seen_combos(self) -> list[Combo]:
        return [c for c in self.combos() if c.key not in self.heldout]

    def heldout_combos(self) -> list[Combo]:
        return [c for c in self.combos() if c.key in self.heldout]

    def recognises(self) -> dict[str, list[str]]:
        """What the bundled model can name: ``{"shape": [...], "colour": [...], "pattern": [...]}``."""
        return {"shape": list(self.shapes), "colour": list(self.colours), "pattern": list(self.patterns)}

    # -- captions ------------------------------------------------------------------------
    def caption(self, combo: Combo) -> str:
        """The canonical caption: ``"a striped red circle"``."""
        return self._fill(self.canonical_template, combo, None)

    def attribute_prompt(self, attribute: str, value: str) -> str:
        """``attribute_prompt("colour", "red")`` → ``"a red shape"``."""
        combo = Combo(self.shapes[0], self.colour_names[0], self.patterns[0])
        combo = Combo(**{**combo.__dict__, attribute: value})
        return self._fill(self.attribute_templates[attribute], combo, None)

    def attribute_values(self, attribute: str) -> tuple[str, ...]:
        return {"shape": self.shapes, "colour": self.colour_names, "pattern": self.patterns}[attribute]

    def random_caption(self, combo: Combo, rng: np.random.Generator, p_full: float | None = None) -> Caption:
        """A training caption for ``combo``: a random template with random synonyms. With
        ``p_full``, a template naming all three attributes is picked with that probability,
        else one naming fewer ("a red shape", "a striped circle")."""
        pool = self.templates
        if p_full is not None:
            full, partial = self._template_split
            pool = (full if rng.random() < p_full else partial) or self.templates
        template = pool[int(rng.integers(len(pool)))]
        return Caption(self._fill(template, combo, rng), self.template_constraints(template, combo))

    @cached_property
    def _template_split(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(templates naming all attributes, templates naming fewer)."""
        n = [len(self.template_constraints(t, Combo("", "", ""))) for t in self.templates]
        full = tuple(t for t, k in zip(self.templates, n) if k == len(ATTRIBUTES))
        return full, tuple(t for t, k in zip(self.templates, n) if k < len(ATTRIBUTES))

    @staticmethod
    def template_constraints(template: str, combo: Combo) -> dict[str, str]:
        named = {m.replace("pattern_noun", "pattern") for m in _PLACEHOLDER.findall(template)}
        return {attr: getattr(combo, attr) for attr in ATTRIBUTES if attr in named}

    def _fill(self, template: str, combo: Combo, rng: np.random.Generator | None) -> str:
        def pick(options: list[str]) -> str:
            return options[int(rng.integers(len(options)))] if rng is not None else options[0]

        words = {
            "shape": pick(self.shape_words[combo.shape]),
            "colour": combo.colour,
            "pattern": pick(self.pattern_words[combo.pattern]),
            "pattern_noun": pick(self.pattern_nouns[combo.pattern]),
        }
        return _AN.sub(r"\1an \2", _PLACEHOLDER.sub(lambda m: words[m.group(1)], template))

    def parse(self, text: str) -> dict[str, str]:
        """The attributes a caption names: ``"a striped red circle"`` →
        ``{"shape": "circle", "colour": "red", "pattern": "striped"}`` (only those found)."""
        low = " " + re.sub(r"[^a-z-]+", " ", text.lower()) + " "
        found: dict[str, str] = {}
        tables = {
            "shape": self.shape_words,
            "colour": {c: [c] for c in self.colours},
            "pattern": {p: self.pattern_words[p] + self.pattern_nouns[p] for p in self.patterns},
        }
        for attr, table in tables.items():
            for value, words in table.items():
                if any(f" {w} " in low for w in words):
                    found[attr] = value
                    break
        return found

    def combo_from_text(self, text: str) -> Combo:
        """The full combination a caption names; a clear error when it names fewer than three."""
        found = self.parse(text)
        missing = [a for a in ATTRIBUTES if a not in found]
        if missing:
            raise ValueError(
                f"{text!r} does not name a {' or '.join(missing)}: write e.g. "
                f"{self.caption(self.combos()[1])!r}"
            )
        return Combo(found["shape"], found["colour"], found["pattern"])


@lru_cache(maxsize=4)
def load_world(path: str | None = None) -> ShapeWorld:
    """The world file, parsed once."""
    return ShapeWorld.load(path or WORLD_FILE)

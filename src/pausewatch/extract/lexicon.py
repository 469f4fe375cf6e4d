"""The trigger vocabulary (data/triggers.json), loaded once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..model import EventType

LEXICON_PATH = Path(__file__).resolve().parent.parent / "data" / "triggers.json"


@dataclass(frozen=True)
class Lexicon:
    nouns: dict[str, frozenset[EventType]]
    verbs: dict[str, frozenset[EventType]]
    adjectives: dict[str, frozenset[EventType]]
    words: dict[str, frozenset[str]]  # named word classes: people, violence, halt_verbs, ...

    def word_class(self, name: str) -> frozenset[str]:
        return self.words.get(name, frozenset())


def _index(raw: dict[str, dict[str, list[str]]], part: str) -> dict[str, frozenset[EventType]]:
    index: dict[str, set[EventType]] = {}
    for name, entry in raw.items():
        for lemma in entry.get(part, []):
            index.setdefault(lemma, set()).add(EventType(name))
    return {lemma: frozenset(types) for lemma, types in index.items()}


@lru_cache(maxsize=1)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    data = json.loads(path.read_text(encoding="utf-8"))
    types = {k: v for k, v in data.items() if k in EventType.__members__.values() or k in set(EventType)}
    words = {k: frozenset(v) for k, v in data.items() if isinstance(v, list)}
    return Lexicon(_index(types, "nouns"), _index(types, "verbs"), _index(types, "adjectives"), words)

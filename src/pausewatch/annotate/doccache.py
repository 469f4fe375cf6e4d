"""Per-Doc caches of what spaCy recomputes on every access, for a finished (fully annotated) Doc.

`Doc.text` joins every token, `Doc.sents` and `Span.ents` walk the whole document: asked once per
sentence or per number they made extraction quadratic in the length of a report. The cache holds
plain values only (a Span would keep its Doc alive through the weak-keyed table).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from spacy.tokens import Doc, Span

Ent = tuple[int, int, int, int, int]  # start, end, label, kb_id, span_id
T = TypeVar("T")


class _DocParts:
    """The text, sentence bounds and entities of one Doc, computed once."""

    def __init__(self, doc: Doc) -> None:
        self.text: str = doc.text
        self.sents = [(s.start, s.end) for s in doc.sents]
        self.ents: list[Ent] = [(e.start, e.end, e.label, e.kb_id, e.id) for e in doc.ents]
        self.ent_starts = [ent[0] for ent in self.ents]
        self.results: dict[Hashable, Any] = {}


_PARTS: WeakKeyDictionary[Doc, _DocParts] = WeakKeyDictionary()


def _parts(doc: Doc) -> _DocParts:
    parts = _PARTS.get(doc)
    if parts is None:
        parts = _PARTS[doc] = _DocParts(doc)
    return parts


def _span(doc: Doc, ent: Ent) -> Span:
    start, end, label, kb_id, span_id = ent
    return Span(doc, start, end, label=label, kb_id=kb_id, span_id=span_id)


def text_of(doc: Doc) -> str:
    """`doc.text`, joined once."""
    return _parts(doc).text


def sentences(doc: Doc) -> list[Span]:
    """`list(doc.sents)`, with the bounds found once."""
    return [doc[start:end] for start, end in _parts(doc).sents]


def doc_ents(doc: Doc) -> list[Span]:
    """`doc.ents`, with the entities found once."""
    return [_span(doc, ent) for ent in _parts(doc).ents]


def ents_in(span: Span) -> list[Span]:
    """`span.ents` (the entities wholly inside the span) without walking the whole document."""
    parts = _parts(span.doc)
    found = []
    for ent in parts.ents[bisect_left(parts.ent_starts, span.start) :]:
        if ent[1] > span.end:
            break
        found.append(_span(span.doc, ent))
    return found


def span_text(span: Span) -> str:
    """`span.text`, cut from the cached text instead of joined token by token."""
    return text_of(span.doc)[span.start_char : span.end_char]


def remembered(doc: Doc, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per Doc and key; what it returns must not hold the Doc or a Span or Token of it."""
    results = _parts(doc).results
    if key not in results:
        results[key] = compute()
    return results[key]

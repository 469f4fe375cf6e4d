"""Vague amounts ("dozens", "tens of thousands") and the low/best/high table in data/vague_amounts.json."""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any

from spacy.tokens import Span, Token

from pausewatch.annotate.doccache import span_text, text_of
from pausewatch.model import Count, Qualifier

from .counted import QuantityMention, _counted_head, _noun_phrase


@functools.cache
def conventions() -> dict[str, Any]:
    """The published low/best/high conventions (data/vague_amounts.json), read once."""
    raw = resources.files("pausewatch").joinpath("data/vague_amounts.json").read_text(encoding="utf-8")
    table: dict[str, Any] = json.loads(raw)
    return table


def bounds(best: int, qualifier: Qualifier | None) -> tuple[int, int]:
    """Low and high for a figure under the qualifier convention."""
    row = conventions()["qualifiers"][qualifier.value if qualifier else "exact"]
    return _percent(best, row["low_pct"]), _percent(best, row["high_pct"])


def _percent(value: int, pct: int) -> int:
    """value * pct / 100, rounded half up, in integers."""
    return (value * pct + 50) // 100


@functools.cache
def _vague_re() -> re.Pattern[str]:
    """One alternation over every form in the vague-amount table, longest first."""
    forms = {form: key for key, row in conventions()["amounts"].items() for form in row["forms"]}
    alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE)


def _vague_key(phrase: str) -> str:
    """The table row a matched form belongs to."""
    folded = " ".join(phrase.lower().split())
    return next(k for k, row in conventions()["amounts"].items() if folded in row["forms"])


def find_vague_amounts(sent: Span) -> list[QuantityMention]:
    """ "dozens of civilians", "several hundred", "tens of thousands": table ranges, vague=True."""
    mentions = []
    for match in _vague_re().finditer(span_text(sent)):
        start, end = sent.start_char + match.start(), sent.start_char + match.end()
        span = sent.doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            mentions.append(_vague_mention(span, _vague_key(match.group(0))))
    return mentions


def _vague_mention(span: Span, key: str) -> QuantityMention:
    """A vague amount with the table's low/best/high and the noun it quantifies."""
    row = conventions()["amounts"][key]
    doc, last = span.doc, span[-1]
    head = _vague_head(last)
    counted, end = _noun_phrase(head, span.end_char) if head is not None else (None, None)
    end = span.end_char if end is None else end
    count = Count(best=row["best"], low=row["low"], high=row["high"], qualifier=None, counted=counted,
                  text=text_of(doc)[span.start_char : end])
    return QuantityMention(count=count, start=span.start_char, end=end,
                           head_index=head.i if head is not None else -1, vague=True)


def _vague_head(last: Token) -> Token | None:
    """The noun a vague amount quantifies: "of" object, or the noun it modifies."""
    if last.lower_ == "of":
        objects = [c for c in last.children if c.dep_ == "pobj"]
        return objects[0] if objects else None
    head = _counted_head(last)
    if head is None and last.dep_ in ("amod", "det", "nummod") and last.head.pos_ in ("NOUN", "PROPN"):
        return last.head
    return head

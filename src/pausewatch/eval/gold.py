"""Score extraction against a gold file in the format of ../shared/gold/FORMAT.md.

Event match: same type and overlapping evidence (character spans in the document), one-to-one,
largest overlap first. On matched events: accuracy of date, admin1, count, claimed_by (same person
or organisation, aliases allowed), polarity and status. Quotes match when the predicted text starts
with the gold `starts_with`; speaker accuracy on matched quotes.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIELDS = ("date", "admin1", "count", "claimed_by", "polarity", "status")
_WORD = re.compile(r"\w+")
_GENERIC = frozenset({"the", "of", "s", "for", "and"})


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Report:
    events: PRF = field(default_factory=PRF)
    by_type: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    field_hits: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    quotes: PRF = field(default_factory=PRF)
    speaker_hits: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        matched = self.events.tp
        return {
            "events": self.events.as_dict(),
            "by_type": {t: p.as_dict() for t, p in sorted(self.by_type.items())},
            "fields": {f: round(self.field_hits[f] / matched, 4) if matched else 0.0 for f in FIELDS},
            "quotes": self.quotes.as_dict(),
            "speaker_accuracy": round(self.speaker_hits / self.quotes.tp, 4) if self.quotes.tp else 0.0,
        }


def _key(name: str) -> list[str]:
    text = name.casefold().replace("defense", "defence").replace("sergey", "sergei")
    return [w for w in _WORD.findall(text) if w not in _GENERIC]


def _same_word(x: str, y: str) -> bool:
    """Syria/Syrian, Russia/Russian, Ukraine/Ukrainian: a country and its adjective name one party."""
    short, long = sorted((x, y), key=len)
    return x == y or (len(short) >= 4 and len(long) - len(short) <= 3 and long.startswith(short[:-1]))


def _within(small: list[str], big: list[str]) -> bool:
    return all(any(_same_word(w, v) for v in big) for w in small)


def same_party(a: str | None, b: str | None) -> bool:
    """Aliases allowed: equal names, one name's words within the other's, or the same surname."""
    if not a or not b:
        return a == b
    ka, kb = _key(a), _key(b)
    if not ka or not kb:
        return False
    if _within(ka, kb) or _within(kb, ka):
        return True
    return len(ka) >= 2 and len(kb) >= 2 and ka[-1] == kb[-1]


def _span_of(text: str, fragment: str) -> tuple[int, int]:
    start = text.find(fragment)
    if start < 0:
        start = _loose_find(text, fragment)
    return (start, start + len(fragment)) if start >= 0 else (-1, -1)


def _loose_find(text: str, fragment: str) -> int:
    """Find a fragment whose whitespace differs from the text's."""
    words = fragment.split()
    if not words:
        return -1
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.search(pattern, text)
    return match.start() if match else -1


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _field_equal(name: str, gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    if name == "claimed_by":
        return same_party(gold.get(name), pred.get(name))
    if name == "admin1":
        return same_party(gold.get(name), pred.get(name)) if gold.get(name) else pred.get(name) is None
    return bool(gold.get(name) == pred.get(name))


def score_document(gold: dict[str, Any], pred: dict[str, Any], text: str, report: Report) -> None:
    gold_events = [(e, _span_of(text, e["evidence"])) for e in gold.get("events", [])]
    pred_events = [(e, _span_of(text, e["evidence"])) for e in pred.get("events", [])]
    pairs = sorted(
        (
            (_overlap(gs, ps), gi, pi)
            for gi, (g, gs) in enumerate(gold_events)
            for pi, (p, ps) in enumerate(pred_events)
            if g["type"] == p["type"] and _overlap(gs, ps) > 0
        ),
        reverse=True,
    )
    used_g, used_p = set(), set()
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        _record_match(gold_events[gi][0], pred_events[pi][0], report)
    for gi, (g, _) in enumerate(gold_events):
        if gi not in used_g:
            report.events.fn += 1
            report.by_type[g["type"]].fn += 1
            report.misses.append({"doc": gold["doc"], "kind": "missed", "type": g["type"], "evidence": g["evidence"]})
    for pi, (p, _) in enumerate(pred_events):
        if pi not in used_p:
            report.events.fp += 1
            report.by_type[p["type"]].fp += 1
            report.misses.append({"doc": gold["doc"], "kind": "spurious", "type": p["type"], "evidence": p["evidence"]})
    _score_quotes(gold.get("quotes", []), pred.get("quotes", []), report)


def _record_match(gold: dict[str, Any], pred: dict[str, Any], report: Report) -> None:
    report.events.tp += 1
    report.by_type[gold["type"]].tp += 1
    for name in FIELDS:
        if _field_equal(name, gold, pred):
            report.field_hits[name] += 1
        else:
            report.misses.append(
                {
                    "doc": "",
                    "kind": f"wrong {name}",
                    "type": gold["type"],
                    "gold": gold.get(name),
                    "pred": pred.get(name),
                    "evidence": gold["evidence"],
                }
            )


def _normal(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split())


def _score_quotes(gold: list[dict[str, Any]], pred: list[dict[str, Any]], report: Report) -> None:
    used: set[int] = set()
    for g in gold:
        start = _normal(g["starts_with"])
        hit = next((i for i, p in enumerate(pred) if i not in used and _normal(p["text"]).startswith(start)), None)
        if hit is None:
            report.quotes.fn += 1
            continue
        used.add(hit)
        report.quotes.tp += 1
        report.speaker_hits += same_party(g.get("speaker"), pred[hit].get("speaker"))
    report.quotes.fp += len(pred) - len(used)


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(gold: list[dict[str, Any]], predicted: dict[str, dict[str, Any]], texts: dict[str, str]) -> Report:
    """Score predictions (by doc name) against gold records, reading evidence spans in the texts."""
    report = Report()
    for record in gold:
        pred = predicted.get(record["doc"], {"events": [], "quotes": []})
        score_document(record, pred, texts.get(record["doc"], ""), report)
    return report

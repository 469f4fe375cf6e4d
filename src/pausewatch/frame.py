"""frame: per outlet, how it names the parties, whom it lets speak, and what it leaves out."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from .model import Mention, OutletFrame, QuoteRecord

PARTIES_PATH = Path(__file__).parent / "data" / "parties.json"
UNKNOWN_OUTLET = "unknown outlet"


@lru_cache(maxsize=1)
def party_terms() -> dict[str, str]:
    """term -> side, longest terms first so "terrorist groups" wins over "terrorist"."""
    data = json.loads(PARTIES_PATH.read_text(encoding="utf-8"))
    terms = {t: side for side, words in data.items() if isinstance(words, list) for t in words}
    return dict(sorted(terms.items(), key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=1)
def _term_pattern() -> re.Pattern[str]:
    """Matched against lower-cased text: four times faster than an IGNORECASE alternation."""
    alternatives = "|".join(re.escape(t.lower()) for t in party_terms())
    return re.compile(rf"\b({alternatives})\b")


def count_terms(text: str) -> Counter[str]:
    """How often each party label occurs; plural and singular are reported as written."""
    return Counter(m.group(1) for m in _term_pattern().finditer(text.lower()))


def frame_outlets(
    documents: Iterable[tuple[str, str | None, Mapping[str, int]]],
    mentions: Iterable[Mention],
    quotes: Iterable[QuoteRecord],
) -> list[OutletFrame]:
    """Per outlet: its documents' party labels (doc_id, outlet, count_terms of the text), the speakers it
    quotes, the event types it reports and those it leaves out."""
    outlet_of: dict[str, str] = {}
    terms: dict[str, Counter[str]] = defaultdict(Counter)
    docs: Counter[str] = Counter()
    for doc_id, outlet_name, counts in documents:
        outlet = outlet_name or UNKNOWN_OUTLET
        outlet_of[doc_id] = outlet
        terms[outlet].update(counts)
        docs[outlet] += 1
    quoted: dict[str, Counter[str]] = defaultdict(Counter)
    for quote in quotes:
        quoted[outlet_of.get(quote.doc_id, UNKNOWN_OUTLET)][quote.speaker or "unnamed"] += 1
    types: dict[str, Counter[str]] = defaultdict(Counter)
    for mention in mentions:
        types[outlet_of.get(mention.doc_id, UNKNOWN_OUTLET)][str(mention.type)] += 1
    every_type = set().union(*[set(c) for c in types.values()]) if types else set()
    return [
        OutletFrame(outlet, dict(terms[outlet].most_common()), dict(quoted[outlet].most_common()), docs[outlet],
                    dict(sorted(types[outlet].items())), tuple(sorted(every_type - set(types[outlet]))))
        for outlet in sorted(docs)
    ]

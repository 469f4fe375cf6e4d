"""A hand-built store for the web tests: fictional reports, claims and events, no spaCy needed.

The other test_web_* modules import `fill_store` from here; the tests below check the data is sound.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pausewatch.consolidate.merge import to_event
from pausewatch.model import (
    Article,
    Count,
    Event,
    EventType,
    Guess,
    Mention,
    Place,
    Polarity,
    Precision,
    Qualifier,
    QuoteRecord,
    Rejected,
    RejectReason,
    Status,
    sha256_hex,
)
from pausewatch.store import Store

XSS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "<svg onload=window.__xss=1></svg>",
    '"><iframe src="javascript:window.__xss=1"></iframe>',
]
KORVASH = Place("Korvash", "Korvash", "Northern Province", "VR", 41.52, 23.41, Precision.TOWN)
OLD_MARKET = Place("Old Market", "Old Market", "Northern Province", "VR", 41.535, 23.43, Precision.NEIGHBOURHOOD)
NORTH = Place("Northern Province", "Northern Province", "Northern Province", "VR", 41.8, 23.9, Precision.ADMIN1)
BRIDGE = Place("Stone Bridge", "Stone Bridge", "River District", "VR", 41.21, 23.05, Precision.POINT)

WIRE = """Northern Wire, 1 March 2030

Officials said the humanitarian pause began at 8am in Korvash.
The ministry said 1,200 civilians left through the eastern corridor on Monday.
"The corridor will stay open until Friday," said General Dana Orlov.
Aid convoys reached the reception centre in Northern Province.
"""
LEDGER = """Ledger Daily, 2 March 2030

The humanitarian pause began in Korvash on Monday morning, monitors confirmed.
Monitors said only 300 civilians left Korvash on Monday.
The Defence Ministry denied that any strikes hit the Old Market.
The pause was extended by 48 hours on Wednesday, the ministry said.
"""
MONITOR = """Valley Monitor, 2 March 2030

Residents said strikes hit the Old Market on Monday, killing 4 people.
Rebels shelled the Stone Bridge checkpoint, according to the ministry.
Talks on a wider ceasefire are expected, a UN envoy said.
"""


def doc_id(text: str) -> str:
    return sha256_hex(text.encode())


def article(text: str, outlet: str, published: dt.date, title: str, url: str | None = None) -> Article:
    did = doc_id(text)
    return Article(did, f"{outlet.split()[0].lower()}.txt", f"/reports/{did[:8]}.txt", text, title, outlet,
                   Guess("byline", 0.9), published, Guess("dateline", 0.9), url, ("READ MORE",), {})


def mention(a: Article, sentence: str, type_: EventType, claimed_by: str, **fields: object) -> Mention:
    start = a.text.index(sentence)
    base: dict[str, object] = dict(polarity=Polarity.ASSERTED, status=Status.HAPPENED, outlet=a.outlet,
                                   published=a.published, claim_kind="speaker")
    base.update(fields)
    return Mention(a.doc_id, type_, claimed_by, evidence=sentence, span=(start, start + len(sentence)),
                   **base)  # type: ignore[arg-type]


def count(n: int, counted: str, qualifier: Qualifier | None = None) -> Count:
    return Count(n, n, n, qualifier, counted, f"{n:,} {counted}")


def sample() -> tuple[list[Article], list[list[Mention]], list[QuoteRecord]]:
    """Three reports and the claims they make, grouped as consolidation would group them."""
    wire = article(WIRE, "Northern Wire", dt.date(2030, 3, 1), "Pause begins in Korvash", "https://wire.example/p")
    ledger = article(LEDGER, "Ledger Daily", dt.date(2030, 3, 2), "Only 300 left, monitors say")
    monitor = article(MONITOR, "Valley Monitor", dt.date(2030, 3, 2), "Strikes hit Old Market")
    d1, d3 = dt.date(2030, 3, 1), dt.date(2030, 3, 3)
    groups = [
        [mention(wire, "Officials said the humanitarian pause began at 8am in Korvash.", EventType.PAUSE,
                 "Officials", date=d1, place=KORVASH, phase="started"),
         mention(ledger, "The humanitarian pause began in Korvash on Monday morning, monitors confirmed.",
                 EventType.PAUSE, "monitors", date=d1, place=KORVASH, phase="started")],
        [mention(wire, "The ministry said 1,200 civilians left through the eastern corridor on Monday.",
                 EventType.EVACUATION, "the ministry", date=d1, place=KORVASH, count=count(1200, "civilians")),
         mention(ledger, "Monitors said only 300 civilians left Korvash on Monday.", EventType.EVACUATION,
                 "Monitors", date=d1, place=KORVASH, count=count(300, "civilians"))],
        [mention(monitor, "Residents said strikes hit the Old Market on Monday, killing 4 people.",
                 EventType.STRIKE, "Residents", date=d1, place=OLD_MARKET),
         mention(ledger, "The Defence Ministry denied that any strikes hit the Old Market.", EventType.STRIKE,
                 "The Defence Ministry", polarity=Polarity.DENIED, date=d1, place=OLD_MARKET)],
        [mention(wire, "Aid convoys reached the reception centre in Northern Province.", EventType.AID,
                 "Northern Wire", claim_kind="outlet", date=d1, place=NORTH)],
        [mention(ledger, "The pause was extended by 48 hours on Wednesday, the ministry said.", EventType.PAUSE,
                 "the ministry", date=d3, place=KORVASH, phase="extended")],
        [mention(monitor, "Rebels shelled the Stone Bridge checkpoint, according to the ministry.",
                 EventType.ATTACK, "the ministry", date=d1, place=BRIDGE, actor="Rebels")],
        [mention(monitor, "Talks on a wider ceasefire are expected, a UN envoy said.", EventType.NEGOTIATION,
                 "a UN envoy", status=Status.PLANNED)],
    ]
    quote_text = '"The corridor will stay open until Friday,"'
    quote = QuoteRecord(wire.doc_id, "General Dana Orlov", quote_text, WIRE.index(quote_text),
                        WIRE.index(quote_text) + len(quote_text))
    return [wire, ledger, monitor], groups, [quote]


def hostile() -> tuple[list[Article], list[list[Mention]], list[QuoteRecord]]:
    """A report whose every field carries script-injection payloads, as a hostile scrape might."""
    sentence = f"Officials {XSS[1]} said 50 people {XSS[0]} left the {XSS[2]} camp."
    text = f"{XSS[0]} Breaking {XSS[3]}\n\n{sentence}\nMore {XSS[1]} text.\n"
    evil_place = Place(f"Camp {XSS[1]}", f"Camp {XSS[2]}", f"Province {XSS[0]}", "VR", 41.4, 23.6, Precision.TOWN)
    a = Article(doc_id(text), f"{XSS[0]}.txt", "/reports/evil.txt", text, f"Title {XSS[2]}", f"Outlet {XSS[0]}",
                Guess(f"byline {XSS[1]}", 0.5), dt.date(2030, 3, 2), Guess("dateline", 0.5),
                "javascript:window.__xss=1", (), {})
    m = mention(a, sentence, EventType.EVACUATION, f"Speaker {XSS[1]}", date=dt.date(2030, 3, 2),
                place=evil_place, count=count(50, f"people {XSS[0]}"), actor=XSS[3], phase=XSS[2])
    quote = QuoteRecord(a.doc_id, f"Speaker {XSS[0]}", sentence, m.span[0], m.span[1])
    return [a], [[m]], [quote]


def fill_store(db_url: str, with_hostile: bool = False) -> Store:
    """A store holding the sample reports, their claims and events (and the hostile report if asked)."""
    articles, groups, quotes = sample()
    if with_hostile:
        evil_articles, evil_groups, evil_quotes = hostile()
        articles, groups, quotes = articles + evil_articles, groups + evil_groups, quotes + evil_quotes
    store = Store.open(db_url)
    rejected = [Rejected("/reports/broken.bin", RejectReason.BINARY, "not text")]
    store.save_batch(articles, [m for g in groups for m in g], quotes, rejected)
    store.replace_events(events_of(groups))
    return store


def events_of(groups: list[list[Mention]]) -> list[Event]:
    return [to_event(g, f"ev-test{i:02d}", {}) for i, g in enumerate(groups)]


def test_web_data_sample_spans_hold_their_evidence() -> None:
    articles, groups, _ = sample()
    texts = {a.doc_id: a.text for a in articles}
    assert all(texts[m.doc_id][m.span[0] : m.span[1]] == m.evidence for g in groups for m in g)


def test_web_data_fill_store_writes_events(tmp_path: Path) -> None:
    with fill_store(f"sqlite:///{tmp_path / 'w.db'}", with_hostile=True) as store:
        events = store.load_events()
    marks = {e.event_id: str(e.corroboration) for e in events}
    assert len(events) == 8
    assert marks["ev-test01"] == "contested" and marks["ev-test00"] == "corroborated"

"""publish: the briefing escapes hostile text and attributes every claim; exports are deterministic."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pausewatch.model import (
    Corroboration,
    Count,
    CountPart,
    Event,
    EventType,
    FigureRange,
    Guess,
    Mention,
    OutletFrame,
    Place,
    Polarity,
    Precision,
    Qualifier,
    Rejected,
    RejectReason,
    Status,
)
from pausewatch.publish import (
    ArticleInfo,
    Briefing,
    Review,
    claims_to_records,
    events_to_geojson,
    events_to_records,
    render_briefing,
    write_outputs,
)
from pausewatch.publish.briefing import csp_hash, safe_url
from pausewatch.publish.exports import events_json_chunks, geojson_chunks, neutralise

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://evil.example","x")'
DOC_A, DOC_B, DOC_C = "a" * 64, "b" * 64, "c" * 64


def _place(name: str, lat: float | None, lon: float | None, precision: Precision) -> Place:
    return Place(name, name, "Wadi Sahel", "Marevia", lat, lon, precision)


def _mention(doc: str, kind: EventType, by: str, evidence: str, start: int, **kw: object) -> Mention:
    m = Mention(doc_id=doc, type=kind, claimed_by=by, polarity=Polarity.ASSERTED, status=Status.HAPPENED,
                evidence=evidence, span=(start, start + len(evidence)), outlet="Outlet A",
                date=date(2031, 3, 4))
    return dataclasses.replace(m, **kw)  # type: ignore[arg-type]


def _count(n: int, qualifier: Qualifier | None = None) -> Count:
    return Count(n, n, n, qualifier, "civilians", str(n))


HADAR = _place("East Hadar", 33.51, 36.29, Precision.NEIGHBOURHOOD)
PROVINCE = _place("Wadi <b>Sahel</b>", 33.9, 36.7, Precision.ADMIN1)
COUNTRY = _place("Marevia", 34.0, -1.5, Precision.COUNTRY)

EVAC_A = _mention(DOC_A, EventType.EVACUATION, "Ministry of Defence",
                  f"2,350 civilians left via the corridor {SCRIPT}", 10,
                  count=dataclasses.replace(_count(2350), parts=(CountPart(1120, "children"),)), place=HADAR)
EVAC_B = _mention(DOC_B, EventType.EVACUATION, 'Monitor "Q" & Sons',
                  'Only about 900 people & "families" left', 40, outlet=IMG,
                  count=_count(900, Qualifier.ABOUT), place=HADAR)
STRIKE_YES = _mention(DOC_B, EventType.STRIKE, 'Monitor "Q" & Sons', f"Jets struck the market {IMG}", 90,
                      outlet=IMG, place=PROVINCE)
STRIKE_NO = _mention(DOC_A, EventType.STRIKE, "Ministry of Defence", "No strikes were carried out", 120,
                     polarity=Polarity.DENIED, place=PROVINCE)
AID = _mention(DOC_C, EventType.AID, "UN spokesperson", "A convoy of 12 trucks is expected & welcome", 5,
               outlet="Outlet C", date=None)
PAUSE_A = _mention(DOC_A, EventType.PAUSE, "Outlet A", "The pause was extended", 200, place=COUNTRY)
PAUSE_C = _mention(DOC_C, EventType.PAUSE, "Outlet C", "The truce was extended by 24 hours", 60,
                   outlet="Outlet C", place=COUNTRY)
TALKS = _mention(DOC_C, EventType.NEGOTIATION, FORMULA, "-2+3 delegations met", 90, outlet="+cmd",
                 actor="@SUM(A1)")

EVENTS = [
    Event("e1", EventType.EVACUATION, date(2031, 3, 4), HADAR, (EVAC_A, EVAC_B), Corroboration.CONTESTED,
          FigureRange(900, 2350, 2350, {"Ministry of Defence": 2350, 'Monitor "Q" & Sons': 900}, "civilians"),
          ("count",), ("Ministry of Defence", 'Monitor "Q" & Sons')),
    Event("e2", EventType.STRIKE, date(2031, 3, 4), PROVINCE, (STRIKE_YES, STRIKE_NO),
          Corroboration.CONTESTED, None, ("polarity",), ("Ministry of Defence", 'Monitor "Q" & Sons')),
    Event("e3", EventType.AID, None, None, (AID,), Corroboration.SINGLE_SOURCE, None, (),
          ("UN spokesperson",)),
    Event("e4", EventType.PAUSE, date(2031, 3, 5), COUNTRY, (PAUSE_A, PAUSE_C), Corroboration.CORROBORATED,
          None, (), ("Outlet A", "Outlet C")),
    Event("e5", EventType.NEGOTIATION, date(2031, 3, 3), None, (TALKS,), Corroboration.SINGLE_SOURCE, None,
          (), (FORMULA,)),
]


def _article(doc: str, outlet: str, url: str | None, title: str) -> ArticleInfo:
    return ArticleInfo(doc, f"{doc[:4]}.txt", outlet, date(2031, 3, 5), title, url,
                       Guess("byline", 0.8), Guess("dateline", 0.6), None)


BRIEFING = Briefing(
    title=f"Hadar pause {SCRIPT}",
    generated_at=datetime(2031, 3, 6, 12, 0, tzinfo=UTC),
    events=EVENTS,
    frames=[OutletFrame("Outlet A", {"terrorists": 4, SCRIPT: 1}, {"Ministry of Defence": 3}, 2,
                        {"evacuation": 1, "strike": 1}, ("aid",)),
            OutletFrame(IMG, {"rebels": 2}, {'Monitor "Q" & Sons': 2}, 1, {"strike": 1}, ("pause",))],
    articles=[_article(DOC_A, "Outlet A", "javascript:alert(1)", SCRIPT),
              _article(DOC_B, IMG, "https://example.org/a?x=1&y=2", "Evacuees & strikes"),
              _article(DOC_C, "Outlet C", None, "Aid")],
    rejected=[Rejected("bad.bin", RejectReason.BINARY, IMG)],
    reviews={"e1": Review("B2", f"checked {SCRIPT}", "analyst & co", datetime(2031, 3, 6, 9, 0))},
)


class _Collector(HTMLParser):
    """Start tags and text nodes, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Collector:
    parser = _Collector()
    parser.feed(html)
    parser.close()
    return parser


def _section(html: str, sid: str) -> str:
    start = html.index(f'<section id="{sid}">')
    return html[start:html.index("</section>", start)]


def _event_card(html: str, event_id: str) -> str:
    start = html.index(f'id="event-{event_id}"')
    ends = [html.find(marker, start) for marker in ('class="tl-item', "</section>")]
    return html[start:min(e for e in ends if e > 0)]


@pytest.fixture(scope="module")
def html() -> str:
    return render_briefing(BRIEFING)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_outputs(BRIEFING, tmp_path_factory.mktemp("out"))


def _csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


# ---------------------------------------------------------------- escaping


def test_publish_html_escapes_hostile_text(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img" not in html.lower()
    assert "<b>Sahel" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Monitor &#34;Q&#34; &amp; Sons" in html


def test_publish_html_has_only_its_own_script(html: str) -> None:
    assert html.count("<script") == 1
    script = re.search(r"<script>(.*?)</script>", html, re.S)
    assert script is not None
    assert f"script-src '{csp_hash(script.group(1))}'" in html


def test_publish_html_makes_no_external_requests(html: str) -> None:
    assert not re.search(r"""(src|@import|url\()\s*=?\s*["']?https?:""", html)
    assert "<link" not in html


def test_publish_html_links_only_http_urls(html: str) -> None:
    assert 'href="javascript:' not in html.lower()
    assert 'href="https://example.org/a?x=1&amp;y=2"' in html
    assert "javascript:alert(1)</code>" in html


@pytest.mark.parametrize("url", ["javascript:alert(1)", " javascript:alert(1)", "JaVaScRiPt:alert(1)",
                                 "java\tscript:alert(1)", "data:text/html,<b>", "//evil.example/x", "http://[x"])
def test_publish_safe_url_refuses_non_http(url: str) -> None:
    assert safe_url(url) is None


def test_publish_safe_url_keeps_http() -> None:
    assert safe_url("HTTPS://example.org/x?a=1&b=2") == "HTTPS://example.org/x?a=1&b=2"


@settings(max_examples=80, deadline=None)
@given(text=st.text(min_size=1, max_size=60), field=st.sampled_from(["evidence", "claimed_by", "outlet"]))
def test_publish_any_text_round_trips_as_text(text: str, field: str) -> None:
    def render(value: str) -> _Collector:
        m = dataclasses.replace(EVAC_A, **{field: value})  # type: ignore[arg-type]
        event = Event("x", EventType.EVACUATION, date(2031, 3, 4), HADAR, (m,), Corroboration.SINGLE_SOURCE,
                      None)
        b = dataclasses.replace(BRIEFING, events=[event], frames=[], rejected=[], reviews={})
        return _parse(render_briefing(b))

    parsed, baseline = render(text), render("plain words")
    assert parsed.tags == baseline.tags
    assert any(text in node for node in parsed.text)


# ---------------------------------------------------------------- content


def test_publish_contested_event_shows_both_sides(html: str) -> None:
    section = _section(html, "contradictions")
    assert 'id="contra-e1"' in section and 'id="contra-e2"' in section
    assert "2,350 civilians left via the corridor &lt;script&gt;" in section
    assert "Only about 900 people &amp; &#34;families&#34; left" in section
    assert f'href="#ev-{EVAC_A.mention_id}"' in section and f'href="#ev-{EVAC_B.mention_id}"' in section
    assert "No strikes were carried out" in section and "Jets struck the market" in section
    assert "denied" in section and "asserted" in section


def test_publish_evidence_anchors_exist_for_every_mention(html: str) -> None:
    for event in EVENTS:
        for m in event.mentions:
            assert html.count(f'id="ev-{m.mention_id}"') == 1


def test_publish_single_source_is_phrased_as_claim(html: str) -> None:
    card = _event_card(html, "e3")
    assert "Single source: claimed by UN spokesperson" in card
    assert "<strong>UN spokesperson</strong> says" in card


def test_publish_undated_events_listed_apart(html: str) -> None:
    start = html.index('id="undated"')
    assert html.index('id="event-e3"') > start
    assert html.index('id="event-e5"') < start


def test_publish_summary_names_largest_disagreement(html: str) -> None:
    summary = html[html.index('id="summary"'):html.index("</p>", html.index('id="summary"'))]
    assert "The largest disagreement is on evacuation counts in East Hadar: 2,350" in summary
    assert "about 900" in summary and "contested" in summary


def test_publish_review_grade_shown_on_event(html: str) -> None:
    assert "review: B2" in _event_card(html, "e1")


def test_publish_claim_shows_the_shares_its_figure_names(html: str, outputs: dict[str, Path]) -> None:
    assert "2,350 civilians, including 1,120 children" in _event_card(html, "e1")
    exported = json.loads(outputs["events.json"].read_text(encoding="utf-8"))
    counts = [m["count"] for e in exported for m in e["mentions"] if m["count"]]
    assert {"best": 1120, "counted": "children"} in [p for c in counts for p in c["parts"]]


def test_publish_figures_list_each_source_value(html: str) -> None:
    section = _section(html, "figures")
    assert "900 / 2,350 / 2,350" in section
    assert "<svg" in section and "about 900" in section and "Ministry of Defence" in section


def test_publish_framing_table_lists_terms_and_omissions(html: str) -> None:
    section = _section(html, "framing")
    assert "terrorists × 4" in section and "rebels × 2" in section
    assert "aid" in section and "pause" in section


def _markers(html: str) -> list[str]:
    return re.findall(r'<g class="marker"[^>]*>.*?</g>', _section(html, "map"), re.S)


def test_publish_map_draws_province_as_approximate_circle(html: str) -> None:
    province = [g for g in _markers(html) if 'data-precision="admin1"' in g]
    assert len(province) == 1
    assert 'class="approx"' in province[0] and "stroke-dasharray" in province[0]
    assert "approximate (province)" in province[0] and 'class="dot' not in province[0]


def test_publish_map_draws_precise_places_as_dots(html: str) -> None:
    hadar = [g for g in _markers(html) if 'data-place="East Hadar"' in g]
    assert len(hadar) == 1 and 'class="dot m-contested"' in hadar[0]


def test_publish_map_omits_country_level(html: str) -> None:
    assert 'data-precision="country"' not in html


# ---------------------------------------------------------------- exports


def _permuted() -> Briefing:
    events = [dataclasses.replace(e, mentions=tuple(reversed(e.mentions))) for e in reversed(EVENTS)]
    return dataclasses.replace(BRIEFING, events=events)


def test_exports_json_is_deterministic(tmp_path: Path, outputs: dict[str, Path]) -> None:
    again = write_outputs(BRIEFING, tmp_path / "again")
    permuted = write_outputs(_permuted(), tmp_path / "permuted")
    for name in ("events.json", "events.csv", "claims.csv", "events.geojson", "briefing.html"):
        assert outputs[name].read_bytes() == again[name].read_bytes() == permuted[name].read_bytes(), name


def test_exports_json_orders_events_and_mentions(outputs: dict[str, Path]) -> None:
    records = json.loads(outputs["events.json"].read_text(encoding="utf-8"))
    assert [r["event_id"] for r in records] == ["e3", "e5", "e1", "e2", "e4"]
    ids = [m["mention_id"] for m in records[2]["mentions"]]
    assert ids == sorted(ids) and records[2]["review"]["grade"] == "B2"
    assert "2031-03-06T12" not in outputs["events.json"].read_text(encoding="utf-8")


def test_exports_records_match_files(outputs: dict[str, Path]) -> None:
    assert json.loads(outputs["events.json"].read_text(encoding="utf-8")) == events_to_records(
        EVENTS, BRIEFING.reviews)
    assert len(claims_to_records(EVENTS)) == sum(len(e.mentions) for e in EVENTS)


@pytest.mark.parametrize("count", [0, 1, 5])
def test_exports_streamed_json_holds_one_record_per_line(count: int) -> None:
    """Written event by event, the files parse to the records and hold one event (feature) per line."""
    events = EVENTS[:count]
    text = "".join(events_json_chunks(events, BRIEFING.reviews))
    assert json.loads(text) == events_to_records(events, BRIEFING.reviews)
    assert len(text.splitlines()) == (count + 2 if count else 1)
    geojson = "".join(geojson_chunks(events))
    assert json.loads(geojson) == events_to_geojson(events)
    features = len(events_to_geojson(events)["features"])
    assert len(geojson.splitlines()) == (features + 2 if features else 1)


def test_exports_geojson_is_valid(outputs: dict[str, Path]) -> None:
    gj = json.loads(outputs["events.geojson"].read_text(encoding="utf-8"))
    assert gj == events_to_geojson(EVENTS) and gj["type"] == "FeatureCollection"
    by_id = {f["id"]: f for f in gj["features"]}
    assert set(by_id) == {"e1", "e2", "e4"}
    assert by_id["e1"]["geometry"] == {"type": "Point", "coordinates": [36.29, 33.51]}
    assert by_id["e2"]["properties"]["precision"] == "admin1" and by_id["e2"]["properties"]["approximate"]
    assert all(f["type"] == "Feature" for f in gj["features"])


def test_exports_claims_csv_has_one_row_per_mention(outputs: dict[str, Path]) -> None:
    rows = _csv(outputs["claims.csv"])
    assert rows[0][:3] == ["mention_id", "event_id", "doc_id"]
    assert sorted(r[0] for r in rows[1:]) == sorted(m.mention_id for e in EVENTS for m in e.mentions)


def test_exports_csv_neutralises_formulas(outputs: dict[str, Path]) -> None:
    claims = {r["mention_id"]: r for r in csv.DictReader(outputs["claims.csv"].open(encoding="utf-8"))}
    talk = claims[TALKS.mention_id]
    assert talk["claimed_by"] == "'" + FORMULA and talk["outlet"] == "'+cmd"
    assert talk["evidence"] == "'-2+3 delegations met" and talk["actor"] == "'@SUM(A1)"
    events = {r["event_id"]: r for r in csv.DictReader(outputs["events.csv"].open(encoding="utf-8"))}
    assert events["e5"]["sources"] == "'" + FORMULA and events["e4"]["lon"] == "-1.5"


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@x", "\t=1", "\r=1"])
def test_exports_neutralise_prefixes_formula_text(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


def test_exports_hxl_second_row_is_hashtags(outputs: dict[str, Path]) -> None:
    rows = _csv(outputs["events.hxl.csv"])
    assert rows[0] == _csv(outputs["events.csv"])[0]
    assert rows[1][0] == "#event+id" and all(tag.startswith("#") for tag in rows[1])
    assert rows[2:] == _csv(outputs["events.csv"])[1:]


def test_exports_events_csv_columns(outputs: dict[str, Path]) -> None:
    rows = list(csv.DictReader(outputs["events.csv"].open(encoding="utf-8")))
    e1 = next(r for r in rows if r["event_id"] == "e1")
    assert (e1["count_low"], e1["count_best"], e1["count_high"]) == ("900", "2350", "2350")
    assert e1["review_grade"] == "B2" and e1["precision"] == "neighbourhood" and e1["n_claims"] == "2"


def test_publish_syndicated_copies_are_folded_under_the_original_claim() -> None:
    copies = ["d" * 64, "e" * 64]
    original = _mention(DOC_A, EventType.AID, "UN spokesperson", "Forty trucks crossed at dawn", 30)
    repeats = [dataclasses.replace(original, doc_id=doc, outlet="Wire reprint") for doc in copies]
    reworded = dataclasses.replace(repeats[1], evidence="Forty lorries crossed at dawn", span=(80, 109))
    event = Event("s1", EventType.AID, date(2031, 3, 4), None, (*repeats, original, reworded),
                  Corroboration.SINGLE_SOURCE, None, (), ("UN spokesperson",))
    articles = [_article(DOC_A, "Outlet A", None, "Trucks"),
                *(dataclasses.replace(_article(d, "Wire reprint", None, "Trucks"), syndicated_of=DOC_A)
                  for d in copies)]
    page = render_briefing(dataclasses.replace(BRIEFING, events=[event], articles=articles, reviews={}))
    card = _event_card(page, "s1")
    assert card.count("Forty trucks crossed at dawn") == 1 and "Forty lorries crossed at dawn" in card
    assert "repeated word for word in 2 syndicated copies" in card and "— Outlet A" in card
    assert page.count(f'id="ev-{original.mention_id}"') == 1
    assert page.count("1 claim in this copy repeats the original word for word") == 2
    assert '<b>4</b><span>claims</span>' in page

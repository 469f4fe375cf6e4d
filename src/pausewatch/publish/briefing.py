"""Render a Briefing as one self-contained HTML page in which every piece of report text is escaped."""

from __future__ import annotations

import base64
import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined

from pausewatch.model import Corroboration, Event, Mention, OutletFrame, Place, Polarity, Precision, Qualifier

if TYPE_CHECKING:
    from pausewatch.model import Guess, Rejected
    from pausewatch.publish import ArticleInfo, Briefing, Review

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_QUALIFIERS = {
    Qualifier.ABOUT: "about",
    Qualifier.AT_LEAST: "at least",
    Qualifier.UP_TO: "up to",
    Qualifier.MORE_THAN: "more than",
    Qualifier.LESS_THAN: "less than",
}
_APPROXIMATE = (Precision.ADMIN1, Precision.COUNTRY)
_MAP_W, _MAP_H, _MAP_PAD = 760.0, 460.0, 70.0
_BAR_X, _BAR_W, _ROW_H = 180.0, 220.0, 20.0


# ---------------------------------------------------------------- formatting


def fmt_date(d: date | None) -> str:
    """Day Month Year, independent of the machine's locale."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}" if d else "undated"


def fmt_period(dates: Iterable[date]) -> str:
    """First to last date, or one date when they are the same."""
    ds = sorted(set(dates))
    if not ds:
        return "no dates given"
    return fmt_date(ds[0]) if ds[0] == ds[-1] else f"{fmt_date(ds[0])} – {fmt_date(ds[-1])}"


def fmt_count(m: Mention) -> str:
    """A count as the source gave it: '2,350', 'about 900'."""
    if m.count is None:
        return ""
    qualifier = _QUALIFIERS.get(m.count.qualifier) if m.count.qualifier else None
    return f"{qualifier} {m.count.best:,}" if qualifier else f"{m.count.best:,}"


def type_label(t: str) -> str:
    return str(t).replace("_", " ")


def place_label(p: Place | None) -> str:
    """A place name that says when it is only a province or country, never passing it off as a spot."""
    if p is None:
        return "place not given"
    name = p.canonical or p.name
    if p.precision == Precision.ADMIN1:
        return f"{name} (approximate: province level)"
    if p.precision == Precision.COUNTRY:
        return f"{name} (country level only)"
    return f"{name}, {p.admin1}" if p.admin1 and p.admin1 != name else name


def fmt_guess(g: Guess) -> str:
    return f"{g.method}, confidence {g.confidence:.0%}"


def safe_url(url: str | None) -> str | None:
    """Only absolute http(s) URLs become links; javascript:, data: and the like stay plain text."""
    if not url or any(ord(ch) <= 0x20 or ord(ch) == 0x7F for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# ---------------------------------------------------------------- view model


@dataclass(frozen=True, slots=True)
class ClaimView:
    """One mention as the page shows it: who claims what, through which outlet, with its sentence."""

    id: str
    event_id: str
    doc_id: str
    start: int
    type: str
    claimed_by: str
    claim_kind: str
    outlet: str
    denied: bool
    status: str
    count: int | None
    count_text: str
    counted: str | None
    date_text: str
    place_text: str
    evidence: str
    copy: bool  # from a syndicated copy of another document

    @property
    def verb(self) -> str:
        return "denies" if self.denied else "says"

    @property
    def source_text(self) -> str:
        return self.claimed_by if self.claimed_by == self.outlet else f"{self.claimed_by} via {self.outlet}"

    @property
    def count_full(self) -> str:
        return f"{self.count_text} {self.counted}" if self.count_text and self.counted else self.count_text


@dataclass(frozen=True, slots=True)
class EventView:
    id: str
    type: str
    date: date | None
    place: Place | None
    corroboration: str
    contested_on: tuple[str, ...]
    claims: list[ClaimView]
    headline: str
    attribution: str
    review: Review | None


def _claim_view(e: Event, m: Mention, docs: dict[str, ArticleInfo]) -> ClaimView:
    doc = docs.get(m.doc_id)
    return ClaimView(
        id=m.mention_id, event_id=e.event_id, doc_id=m.doc_id, start=m.span[0], type=str(m.type),
        claimed_by=m.claimed_by, claim_kind=m.claim_kind,
        outlet=m.outlet or (doc.outlet if doc else None) or "unknown outlet",
        denied=m.polarity == Polarity.DENIED, status=str(m.status),
        count=m.count.best if m.count else None, count_text=fmt_count(m),
        counted=m.count.counted if m.count else None, date_text=fmt_date(m.date),
        place_text=place_label(m.place) if m.place else "", evidence=m.evidence,
        copy=bool(doc and doc.syndicated_of),
    )


def _headline(e: Event) -> str:
    """A topic label (type, phase, figure range, place), never a statement that something happened."""
    bits = [type_label(e.type).capitalize()]
    bits += sorted({m.phase for m in e.mentions if m.phase})
    if e.figures:
        f = e.figures
        n = f"{f.best:,}" if f.low == f.high else f"{f.low:,}–{f.high:,}"
        bits.append(f"{n} {f.counted}" if f.counted else n)
    if e.place:
        bits.append(e.place.canonical or e.place.name)
    return " · ".join(bits)


def _attribution(e: Event, names: list[str]) -> str:
    """Whose claim this is, phrased so a single source is never presented as fact."""
    if e.corroboration == Corroboration.CONTESTED:
        on = ", ".join(e.contested_on) or "its details"
        return f"Contested on {on}: the sources ({_join(names)}) disagree."
    if e.corroboration == Corroboration.CORROBORATED:
        n = max(len(e.sources), len(names))
        return f"Reported by {n} independent sources: {_join(names)}."
    return f"Single source: claimed by {_join(names)}; not independently confirmed."


def event_view(e: Event, docs: dict[str, ArticleInfo], reviews: dict[str, Review]) -> EventView:
    claims = sorted((_claim_view(e, m, docs) for m in e.mentions), key=lambda c: (c.claimed_by, c.id))
    names = list(dict.fromkeys(c.claimed_by for c in claims)) or ["an unnamed source"]
    return EventView(
        id=e.event_id, type=str(e.type), date=e.date, place=e.place, corroboration=str(e.corroboration),
        contested_on=e.contested_on, claims=claims,
        headline=_headline(e), attribution=_attribution(e, names), review=reviews.get(e.event_id),
    )


def _event_key(v: EventView) -> tuple[str, str, str]:
    return (v.date.isoformat() if v.date else "", v.type, v.id)


# ---------------------------------------------------------------- summary and header


@dataclass(frozen=True, slots=True)
class Stats:
    documents: int
    outlets: int
    events: int
    claims: int
    corroborated: int
    single_source: int
    contested: int
    rejected: int
    period: str
    published: str


def _stats(b: Briefing, views: list[EventView]) -> Stats:
    outlets = {a.outlet for a in b.articles if a.outlet} | {c.outlet for v in views for c in v.claims}
    outlets.discard("unknown outlet")
    count = {c: sum(v.corroboration == c for v in views) for c in Corroboration}
    return Stats(
        documents=len(b.articles), outlets=len(outlets), events=len(views),
        claims=sum(len(v.claims) for v in views), corroborated=count[Corroboration.CORROBORATED],
        single_source=count[Corroboration.SINGLE_SOURCE], contested=count[Corroboration.CONTESTED],
        rejected=len(b.rejected), period=fmt_period(v.date for v in views if v.date),
        published=fmt_period(a.published for a in b.articles if a.published),
    )


def _largest_disagreement(views: list[EventView]) -> str:
    """The contested figure whose highest and lowest claims lie furthest apart, in words."""
    best: tuple[float, str, ClaimView, ClaimView, EventView] | None = None
    for v in views:
        counted = [c for c in v.claims if c.count is not None and not c.denied]
        if v.corroboration != Corroboration.CONTESTED or len({c.count for c in counted}) < 2:
            continue
        lo = min(counted, key=lambda c: (c.count or 0, c.id))
        hi = max(counted, key=lambda c: (c.count or 0, c.id))
        ratio = (hi.count or 0) / max(lo.count or 0, 1)
        if best is None or (ratio, v.id) > (best[0], best[1]):
            best = (ratio, v.id, lo, hi, v)
    if best is None:
        return ""
    _, _, lo, hi, v = best
    where = f" in {v.place.canonical or v.place.name}" if v.place else ""
    return (f"The largest disagreement is on {type_label(v.type)} counts{where}: "
            f"{hi.count_text} ({hi.source_text}) vs {lo.count_text} ({lo.source_text}).")


def _denial_sentence(views: list[EventView]) -> str:
    split = [v for v in views if any(c.denied for c in v.claims) and not all(c.denied for c in v.claims)]
    if not split:
        return ""
    v = split[0]
    yes = next(c for c in v.claims if not c.denied)
    no = next(c for c in v.claims if c.denied)
    where = f" in {v.place.canonical or v.place.name}" if v.place else ""
    when = f" on {fmt_date(v.date)}" if v.date else ""
    return (f"On {_plural(len(split), 'event')} one side denies what another asserts; for example, the "
            f"{type_label(v.type)}{where}{when} is asserted by {yes.source_text} and denied by "
            f"{no.source_text}.")


def summarize(b: Briefing, views: list[EventView], s: Stats) -> str:
    """One plain-language paragraph built only from the data, for a reader with a minute to spare."""
    dated = f", dated {s.period}" if s.period != "no dates given" else ""
    parts = [
        f"{_plural(s.documents, 'report')} from {_plural(s.outlets, 'outlet')} describe "
        f"{_plural(s.events, 'event')}{dated}.",
        f"{_plural(s.corroborated, 'event is', 'events are')} corroborated by two or more independent "
        f"sources, {s.single_source:,} rest{'s' if s.single_source == 1 else ''} on a single source and "
        f"{s.contested:,} {'is' if s.contested == 1 else 'are'} contested.",
        _largest_disagreement(views),
        _denial_sentence(views),
        f"Analysts have graded {_plural(len(b.reviews), 'event')}." if b.reviews else "",
        f"{_plural(s.rejected, 'document')} could not be read; the appendix lists why." if s.rejected else "",
    ]
    return " ".join(p for p in parts if p)


# ---------------------------------------------------------------- sections


@dataclass(frozen=True, slots=True)
class Side:
    label: str
    denied: bool
    count: int | None
    claims: list[ClaimView]


def _position(c: ClaimView, on: tuple[str, ...]) -> tuple[str, ...]:
    """What a claim says on the disputed points; claims saying the same thing stand on one side."""
    key = ["denies" if c.denied else "asserts"]
    key += [c.count_text] if c.count_text else []
    key += [c.date_text] if "date" in on else []
    key += [c.place_text] if "place" in on and c.place_text else []
    return tuple(key)


def sides(v: EventView) -> list[Side]:
    groups: dict[tuple[str, ...], list[ClaimView]] = defaultdict(list)
    for c in v.claims:
        groups[_position(c, v.contested_on)].append(c)
    out = [Side(" · ".join(k), cs[0].denied, cs[0].count, cs) for k, cs in groups.items()]
    return sorted(out, key=lambda s: (s.denied, -(s.count or 0), s.label))


@dataclass(frozen=True, slots=True)
class FigureRow:
    claim: ClaimView
    y: float
    width: float


@dataclass(frozen=True, slots=True)
class FigureView:
    """One event's figures and an SVG range chart: shaded low-high band, best line, a bar per source."""

    event: EventView
    low: int
    best: int
    high: int
    counted: str | None
    rows: list[FigureRow]
    band_x: float
    band_w: float
    best_x: float
    height: float
    axis_max: int


def figure_view(e: Event, v: EventView) -> FigureView | None:
    if e.figures is None:
        return None
    f = e.figures
    seen: dict[tuple[str, str, str], ClaimView] = {}
    for c in v.claims:
        if c.count is not None:
            seen.setdefault((c.claimed_by, c.outlet, c.count_text), c)
    claims = sorted(seen.values(), key=lambda c: (-(c.count or 0), c.claimed_by))
    top = max([f.high, f.best, 1] + [c.count or 0 for c in claims])
    scale = _BAR_W / top
    rows = [FigureRow(c, 14 + i * _ROW_H, round((c.count or 0) * scale, 1)) for i, c in enumerate(claims)]
    return FigureView(
        event=v, low=f.low, best=f.best, high=f.high, counted=f.counted, rows=rows,
        band_x=round(_BAR_X + f.low * scale, 1), band_w=round(max((f.high - f.low) * scale, 1.5), 1),
        best_x=round(_BAR_X + f.best * scale, 1), height=34 + len(rows) * _ROW_H, axis_max=top,
    )


@dataclass(frozen=True, slots=True)
class SpeakerView:
    name: str
    kinds: list[str]
    outlets: list[str]
    n: int
    groups: list[tuple[str, list[ClaimView]]]


def speakers(views: list[EventView]) -> list[SpeakerView]:
    """Every source with its claims grouped by event type, the most prolific first."""
    by: dict[str, list[ClaimView]] = defaultdict(list)
    for v in views:
        for c in v.claims:
            by[c.claimed_by].append(c)
    out = [_speaker(name, cs) for name, cs in by.items()]
    return sorted(out, key=lambda s: (-s.n, s.name))


def _speaker(name: str, cs: list[ClaimView]) -> SpeakerView:
    groups: dict[str, list[ClaimView]] = defaultdict(list)
    for c in sorted(cs, key=lambda c: (c.date_text, c.id)):
        groups[type_label(c.type)].append(c)
    return SpeakerView(name, sorted({c.claim_kind for c in cs}), sorted({c.outlet for c in cs}), len(cs),
                       sorted(groups.items()))


@dataclass(frozen=True, slots=True)
class FrameView:
    outlet: str
    documents: int
    terms: list[tuple[str, int]]
    quoted: list[tuple[str, int]]
    reports: list[tuple[str, int]]
    not_reported: list[str]


def _ranked(d: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(d.items(), key=lambda kv: (-kv[1], kv[0]))


def frame_views(frames: list[OutletFrame]) -> list[FrameView]:
    return [FrameView(f.outlet, f.documents, _ranked(f.terms), _ranked(f.quoted),
                      [(type_label(t), n) for t, n in _ranked(f.event_types)],
                      sorted(type_label(t) for t in f.not_reported))
            for f in sorted(frames, key=lambda f: f.outlet)]


def term_matrix(frames: list[FrameView]) -> list[tuple[str, list[int]]]:
    """Party label by outlet, so 'terrorists' in one column sits beside 'rebels' in another."""
    totals: dict[str, int] = defaultdict(int)
    for f in frames:
        for term, n in f.terms:
            totals[term] += n
    terms = sorted(totals, key=lambda t: (-totals[t], t))
    return [(t, [dict(f.terms).get(t, 0) for f in frames]) for t in terms]


# ---------------------------------------------------------------- map


@dataclass(frozen=True, slots=True)
class Marker:
    x: float
    y: float
    r: float
    name: str
    label: str
    approximate: bool
    precision: str
    corroboration: str
    events: list[EventView]
    label_x: float = 0.0
    label_y: float = 0.0
    anchor: str = "start"


@dataclass(frozen=True, slots=True)
class MapView:
    width: float
    height: float
    markers: list[Marker]
    unmapped: list[EventView]
    scale_px: float
    scale_label: str
    extent: str


def _deg(value: float, hemispheres: str) -> str:
    return f"{abs(value):.3f}°{hemispheres[0] if value >= 0 else hemispheres[1]}"


def _mappable(v: EventView) -> bool:
    p = v.place
    return p is not None and p.lat is not None and p.lon is not None and p.precision != Precision.COUNTRY


def _worst(views: list[EventView]) -> str:
    for c in (Corroboration.CONTESTED, Corroboration.SINGLE_SOURCE, Corroboration.CORROBORATED):
        if any(v.corroboration == c for v in views):
            return str(c)
    return str(Corroboration.SINGLE_SOURCE)


@dataclass(frozen=True, slots=True)
class _Projection:
    """Equirectangular, fitted to the points' bounding box with a margin for labels."""

    k: float
    x0: float
    y1: float
    scale: float
    ox: float
    oy: float

    def __call__(self, lat: float, lon: float) -> tuple[float, float]:
        return (round(self.ox + (lon * self.k - self.x0) * self.scale, 1),
                round(self.oy + (self.y1 - lat) * self.scale, 1))


def _projection(lats: list[float], lons: list[float]) -> _Projection:
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    x0, x1, y0, y1 = min(lons) * k, max(lons) * k, min(lats), max(lats)
    scale = min((_MAP_W - 2 * _MAP_PAD) / max(x1 - x0, 0.02), (_MAP_H - 2 * _MAP_PAD) / max(y1 - y0, 0.02))
    return _Projection(k, x0, y1, scale, (_MAP_W - (x1 - x0) * scale) / 2, (_MAP_H - (y1 - y0) * scale) / 2)


def _scale_bar(px_per_degree: float) -> tuple[float, str]:
    km_per_px = 111.32 / px_per_degree
    fits = [n for n in (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000) if n / km_per_px <= 140]
    km = fits[-1] if fits else 0.5
    return round(km / km_per_px, 1), f"{km:g} km"


def _marker(proj: _Projection, place: Place, views: list[EventView]) -> Marker:
    x, y = proj(place.lat or 0.0, place.lon or 0.0)
    approx = place.precision in _APPROXIMATE
    name = place.canonical or place.name
    label = f"{name}: approximate (province)" if approx else name
    label += f" ({len(views)})" if len(views) > 1 else ""
    return Marker(x, y, 30.0 if approx else 5.0 + min(len(views), 5), name, label, approx,
                  str(place.precision), _worst(views), views)


Box = tuple[float, float, float, float]


def _label_box(x: float, y: float, anchor: str, text: str) -> Box:
    width = 6.2 * len(text)  # rough width of 11px text; enough to keep labels apart
    x0 = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    return (x0, y - 11, x0 + width, y + 3)


def _free(box: Box, taken: list[Box]) -> bool:
    inside = box[0] >= 0 and box[2] <= _MAP_W and box[1] >= 0 and box[3] <= _MAP_H
    clear = not any(box[0] < t[2] and t[0] < box[2] and box[1] < t[3] and t[1] < box[3] for t in taken)
    return inside and clear


def _spots(m: Marker) -> list[tuple[float, float, str]]:
    if m.approximate:
        return [(m.x, m.y + m.r + 13, "middle"), (m.x, m.y - m.r - 5, "middle")]
    d = m.r + 4
    return [(m.x + d, m.y + 4, "start"), (m.x - d, m.y + 4, "end"), (m.x + d, m.y + 17, "start"),
            (m.x - d, m.y - 9, "end"), (m.x + d, m.y - 9, "start"), (m.x - d, m.y + 17, "end")]


def _place_labels(markers: list[Marker]) -> list[Marker]:
    """Greedy label placement: the first spot around each marker that covers no other label or dot."""
    taken = [(m.x - m.r, m.y - m.r, m.x + m.r, m.y + m.r) for m in markers if not m.approximate]
    out = []
    for m in markers:
        spots = _spots(m)
        x, y, anchor = next((s for s in spots if _free(_label_box(*s, m.label), taken)), spots[0])
        taken.append(_label_box(x, y, anchor, m.label))
        out.append(replace(m, label_x=x, label_y=y, anchor=anchor))
    return out


def map_view(views: list[EventView]) -> MapView:
    """Events with usable coordinates; province centroids become dashed circles, countries are not drawn."""
    groups: dict[tuple[float, float, str, str], list[EventView]] = defaultdict(list)
    for v in filter(_mappable, views):
        p = v.place
        assert p is not None and p.lat is not None and p.lon is not None
        groups[(p.lat, p.lon, p.canonical or p.name, str(p.precision))].append(v)
    unmapped = [v for v in views if not _mappable(v)]
    if not groups:
        return MapView(_MAP_W, _MAP_H, [], unmapped, 0.0, "", "")
    lats, lons = [k[0] for k in groups], [k[1] for k in groups]
    proj = _projection(lats, lons)
    places = {k: next(v.place for v in vs if v.place) for k, vs in groups.items()}
    markers = [_marker(proj, places[k], vs) for k, vs in sorted(groups.items())]
    markers.sort(key=lambda m: (not m.approximate, m.name))
    px, label = _scale_bar(proj.scale)
    extent = (f"{_deg(min(lats), 'NS')} – {_deg(max(lats), 'NS')}, "
              f"{_deg(min(lons), 'EW')} – {_deg(max(lons), 'EW')}")
    return MapView(_MAP_W, _MAP_H, _place_labels(markers), unmapped, px, label, extent)


# ---------------------------------------------------------------- sources appendix


@dataclass(frozen=True, slots=True)
class DocView:
    doc_id: str
    name: str
    title: str | None
    outlet: str
    outlet_how: str
    published: str
    published_how: str
    link: str | None
    url_text: str | None
    syndicated_of: str | None
    syndicated_name: str | None
    copies: int
    claims: list[ClaimView]
    credibility: str = ""
    credibility_note: str = ""


def _doc_view(a: ArticleInfo, claims: list[ClaimView], copies: int, names: dict[str, str]) -> DocView:
    return DocView(
        doc_id=a.doc_id, name=a.name, title=a.title, outlet=a.outlet or "unknown outlet",
        outlet_how=fmt_guess(a.outlet_guess), published=fmt_date(a.published) if a.published else "unknown",
        published_how=fmt_guess(a.published_guess), link=safe_url(a.url), url_text=a.url,
        syndicated_of=a.syndicated_of, syndicated_name=names.get(a.syndicated_of or "", a.syndicated_of),
        copies=copies, claims=sorted(claims, key=lambda c: (c.start, c.id)),
        credibility="" if a.credibility is None else f"{a.credibility:.2f}", credibility_note=a.credibility_note,
    )


def _orphan(doc_id: str, claims: list[ClaimView]) -> DocView:
    """A document cited by a mention but missing from the article list still gets its evidence anchors."""
    return DocView(doc_id, doc_id[:16], None, claims[0].outlet, "from the mention", "unknown", "not given",
                   None, None, None, None, 0, sorted(claims, key=lambda c: (c.start, c.id)))


def doc_views(articles: list[ArticleInfo], views: list[EventView]) -> list[DocView]:
    by_doc: dict[str, list[ClaimView]] = defaultdict(list)
    for v in views:
        for c in v.claims:
            by_doc[c.doc_id].append(c)
    copies: dict[str, int] = defaultdict(int)
    for a in articles:
        if a.syndicated_of:
            copies[a.syndicated_of] += 1
    names = {a.doc_id: a.title or a.name for a in articles}
    docs = [_doc_view(a, by_doc.pop(a.doc_id, []), copies[a.doc_id], names) for a in articles]
    docs += [_orphan(d, cs) for d, cs in by_doc.items()]
    return sorted(docs, key=lambda d: (d.outlet, d.name, d.doc_id))


# ---------------------------------------------------------------- render


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """Autoescape is on for every template: report text is hostile input."""
    env = Environment(
        loader=PackageLoader("pausewatch.publish", "templates"),
        autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    env.filters.update(date=fmt_date, type=type_label, place=place_label, guess=fmt_guess)
    env.globals.update(sides=sides)
    return env


def csp_hash(script: str) -> str:
    """The Content-Security-Policy hash that lets our one inline script run and nothing injected."""
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


def build_context(b: Briefing) -> dict[str, Any]:
    docs = {a.doc_id: a for a in b.articles}
    views = sorted((event_view(e, docs, b.reviews) for e in b.events), key=_event_key)
    by_id = {v.id: v for v in views}
    stats = _stats(b, views)
    figures = [f for e in b.events if (f := figure_view(e, by_id[e.event_id]))]
    figures.sort(key=lambda f: (type_label(f.event.type), _event_key(f.event)))
    frames = frame_views(b.frames)
    return dict(
        b=b, stats=stats, summary=summarize(b, views, stats), events=views,
        days=_days(views), undated=[v for v in views if v.date is None], figures=figures,
        contested=[v for v in views if v.corroboration == Corroboration.CONTESTED],
        speakers=speakers(views), frames=frames, terms=term_matrix(frames), map=map_view(views),
        docs=doc_views(b.articles, views), rejected=sorted(b.rejected, key=_rejected_key),
        types=sorted({v.type for v in views}),
    )


def _rejected_key(r: Rejected) -> tuple[str, str]:
    return (r.source, str(r.reason))


def _days(views: list[EventView]) -> list[tuple[date, list[EventView]]]:
    days: dict[date, list[EventView]] = defaultdict(list)
    for v in views:
        if v.date is not None:
            days[v.date].append(v)
    return sorted(days.items())


def render_briefing(b: Briefing) -> str:
    """One self-contained HTML page: inline CSS and SVG, one hashed inline script, no external requests."""
    env = _environment()
    script = env.get_template("briefing.js").render()
    return env.get_template("briefing.html.j2").render(**build_context(b), script_hash=csp_hash(script))

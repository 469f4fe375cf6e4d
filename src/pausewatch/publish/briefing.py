"""Render a Briefing as one self-contained HTML page in which every piece of report text is escaped."""

from __future__ import annotations

import base64
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined

from pausewatch.model import Corroboration, Event, Mention, OutletFrame, Place, Polarity, Precision, Qualifier
from pausewatch.publish.svg import figure_view, map_view
from pausewatch.publish.views import ClaimView, DocView, EventView, FrameView, Side, SpeakerView, Stats

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


def fmt_shares(m: Mention) -> str:
    """The parts a figure names, as written: '3 children, 4 women'."""
    parts = m.count.parts if m.count else ()
    return ", ".join(f"{p.best:,} {p.counted}" if p.counted else f"{p.best:,}" for p in parts)


def type_label(t: str) -> str:
    return str(t).replace("_", " ")


@lru_cache(maxsize=4096)
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


def _claim_view(e: Event, m: Mention, docs: dict[str, ArticleInfo], copies: tuple[str, ...] = ()) -> ClaimView:
    doc = docs.get(m.doc_id)
    return ClaimView(
        id=m.mention_id, event_id=e.event_id, doc_id=m.doc_id, start=m.span[0], type=str(m.type),
        claimed_by=m.claimed_by, claim_kind=m.claim_kind,
        outlet=m.outlet or (doc.outlet if doc else None) or "unknown outlet",
        denied=m.polarity == Polarity.DENIED, status=str(m.status),
        count=m.count.best if m.count else None, count_text=fmt_count(m),
        counted=m.count.counted if m.count else None, date_text=fmt_date(m.date),
        place_text=place_label(m.place) if m.place else "", evidence=m.evidence,
        copy=bool(doc and doc.syndicated_of), copies=copies, shares=fmt_shares(m),
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


def _original(m: Mention, docs: dict[str, ArticleInfo]) -> str | None:
    """The document this mention's document is a syndicated copy of, if it is one."""
    doc = docs.get(m.doc_id)
    return doc.syndicated_of if doc else None


def _said_alike(m: Mention, docs: dict[str, ArticleInfo]) -> tuple[object, ...]:
    """What a syndicated copy's claim shares with its original's: everything but the document."""
    return (_original(m, docs) or m.doc_id, m.claimed_by, m.claim_kind, m.polarity, m.status, m.count, m.date,
            m.place, m.evidence)


def fold_copies(mentions: Iterable[Mention], docs: dict[str, ArticleInfo]) -> list[tuple[Mention, tuple[str, ...]]]:
    """One line per claim: each mention shown, with the syndicated copies that repeat it word for word.

    A wire story re-published forty times would otherwise fill the page with forty identical lines.
    Originals stand before copies, so a copy is folded into its original's claim when there is one.
    """
    alike: dict[tuple[object, ...], list[Mention]] = defaultdict(list)
    for m in sorted(mentions, key=lambda m: (_original(m, docs) is not None, m.mention_id)):
        alike[_said_alike(m, docs)].append(m)
    return [(first, tuple(m.doc_id for m in rest)) for first, *rest in alike.values()]


def event_view(e: Event, docs: dict[str, ArticleInfo], reviews: dict[str, Review]) -> EventView:
    claims = sorted((_claim_view(e, m, docs, copies) for m, copies in fold_copies(e.mentions, docs)),
                    key=lambda c: (c.claimed_by, c.id))
    names = list(dict.fromkeys(c.claimed_by for c in claims)) or ["an unnamed source"]
    return EventView(
        id=e.event_id, type=str(e.type), date=e.date, place=e.place, corroboration=str(e.corroboration),
        contested_on=e.contested_on, claims=claims,
        headline=_headline(e), attribution=_attribution(e, names), review=reviews.get(e.event_id),
    )


def _event_key(v: EventView) -> tuple[str, str, str]:
    return (v.date.isoformat() if v.date else "", v.type, v.id)


# ---------------------------------------------------------------- summary and header



def _stats(b: Briefing, views: list[EventView]) -> Stats:
    outlets = {a.outlet for a in b.articles if a.outlet} | {c.outlet for v in views for c in v.claims}
    outlets.discard("unknown outlet")
    count = {c: sum(v.corroboration == c for v in views) for c in Corroboration}
    return Stats(
        documents=len(b.articles), outlets=len(outlets), events=len(views),
        claims=sum(1 + len(c.copies) for v in views for c in v.claims), corroborated=count[Corroboration.CORROBORATED],
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


# ---------------------------------------------------------------- sources appendix


def _doc_view(a: ArticleInfo, claims: list[ClaimView], copies: int, names: dict[str, str], folded: int) -> DocView:
    return DocView(
        doc_id=a.doc_id, name=a.name, title=a.title, outlet=a.outlet or "unknown outlet",
        outlet_how=fmt_guess(a.outlet_guess), published=fmt_date(a.published) if a.published else "unknown",
        published_how=fmt_guess(a.published_guess), link=safe_url(a.url), url_text=a.url,
        syndicated_of=a.syndicated_of, syndicated_name=names.get(a.syndicated_of or "", a.syndicated_of),
        copies=copies, claims=sorted(claims, key=lambda c: (c.start, c.id)), folded=folded,
        credibility="" if a.credibility is None else f"{a.credibility:.2f}", credibility_note=a.credibility_note,
    )


def _orphan(doc_id: str, claims: list[ClaimView]) -> DocView:
    """A document cited by a mention but missing from the article list still gets its evidence anchors."""
    return DocView(doc_id, doc_id[:16], None, claims[0].outlet, "from the mention", "unknown", "not given",
                   None, None, None, None, 0, sorted(claims, key=lambda c: (c.start, c.id)))


def doc_views(articles: list[ArticleInfo], views: list[EventView]) -> list[DocView]:
    by_doc: dict[str, list[ClaimView]] = defaultdict(list)
    folded: Counter[str] = Counter()
    for v in views:
        for c in v.claims:
            by_doc[c.doc_id].append(c)
            folded.update(c.copies)
    copies: dict[str, int] = defaultdict(int)
    for a in articles:
        if a.syndicated_of:
            copies[a.syndicated_of] += 1
    names = {a.doc_id: a.title or a.name for a in articles}
    docs = [_doc_view(a, by_doc.pop(a.doc_id, []), copies[a.doc_id], names, folded[a.doc_id]) for a in articles]
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


def stream_briefing(b: Briefing) -> Iterator[str]:
    """One self-contained HTML page: inline CSS and SVG, one hashed inline script, no external requests.

    Rendered piece by piece, so writing a large briefing never holds the whole page.
    """
    env = _environment()
    script = env.get_template("briefing.js").render()
    return env.get_template("briefing.html.j2").generate(**build_context(b), script_hash=csp_hash(script))


def render_briefing(b: Briefing) -> str:
    return "".join(stream_briefing(b))

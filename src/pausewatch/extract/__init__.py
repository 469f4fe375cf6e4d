"""extract: typed event mentions from an annotated article. The last stage that sees a spaCy Doc."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from ..annotate.dates import event_date, find_time_mentions
from ..annotate.doccache import doc_ents, ents_in, sentences, span_text
from ..annotate.gazetteer import Gazetteer
from ..annotate.quantities import find_quantities
from ..annotate.quotes import Quote, find_quotes
from ..annotate.speakers import NameRegistry, register_people
from ..model import Article, Count, EventType, Mention, Place, Precision, QuoteRecord, Status
from .attribution import claim_for
from .lexicon import Lexicon, load_lexicon
from .roles import (
    actor_of,
    choose_count,
    choose_place,
    place_name_as_written,
    polarity_of,
    status_of,
    target_of,
)
from .triggers import Trigger, find_triggers

__all__ = ["Extraction", "extract_mentions"]

PARTY_VERBS = frozenset(
    {"blame", "accuse", "urge", "call", "criticise", "criticize", "condemn", "support", "back", "thank", "warn", "ask"}
    | {"tell", "invite", "pressure", "press", "hold", "sanction"}
)
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "NORP"})
_LINE_BREAK = re.compile("\n")
PHASE_WORDS = {
    "announced": {"announce", "declare", "agree", "propose", "offer"},
    "started": {"start", "begin", "take", "come", "enter", "open", "introduce", "establish"},
    "extended": {"extend", "prolong", "renew", "extension", "prolongation"},
    "ended": {"end", "expire", "run", "collapse", "break", "violate", "close", "over", "halt"},
}


@dataclass(frozen=True, slots=True)
class Extraction:
    mentions: list[Mention]
    quotes: list[QuoteRecord]


@dataclass
class _Context:
    """What every mention of one document shares."""

    article: Article
    quotes: list[Quote]
    registry: NameRegistry
    default_place: Place | None
    narrative_day: date | None
    lexicon: Lexicon
    paragraph_day: tuple[int, date] | None = None  # the last day a sentence of this paragraph named
    paragraph: int = 0


def _places_in(sent: Span, gazetteer: Gazetteer) -> list[tuple[Span, Place]]:
    found = []
    for ent in ents_in(sent):
        if ent.label_ not in PLACE_LABELS:
            continue
        place = gazetteer.lookup(place_name_as_written(ent))
        if place is None or (ent.label_ == "NORP" and place.precision == Precision.COUNTRY) or _names_a_party(ent):
            continue
        found.append((ent, place))
    return found


def _names_a_party(ent: Span) -> bool:
    """ "Damascus and Moscow stopped", "blamed Moscow": a capital standing for its government, not a location.

    A place that hits or is hit ("shells hit Sheikh Saeed") stays a place: only subjects, agents and
    the object of a verb addressed to a party count.
    """
    root = ent.root
    while root.dep_ == "conj":
        root = root.head
    if root.dep_ in {"nsubj", "nsubjpass", "agent"} or (root.dep_ == "pobj" and root.head.dep_ == "agent"):
        return True
    return root.dep_ == "dobj" and root.head.lemma_.lower() in PARTY_VERBS


def _default_place(doc: Doc, gazetteer: Gazetteer) -> Place | None:
    """The place a report is about: its most named town (or finer), for events that name none."""
    counts: Counter[str] = Counter()
    by_name: dict[str, Place] = {}
    for ent in doc_ents(doc):
        place = gazetteer.lookup(ent.text) if ent.label_ in PLACE_LABELS and not _names_a_party(ent) else None
        if place is not None and place.precision in {Precision.TOWN, Precision.NEIGHBOURHOOD}:
            town = gazetteer.lookup(place.canonical) if place.precision == Precision.TOWN else place
            key = place.canonical
            counts[key] += 1 if place.precision == Precision.NEIGHBOURHOOD else 2
            by_name[key] = town or place
    return by_name[counts.most_common(1)[0][0]] if counts else None


def _narrative_day(doc: Doc, published: date | None) -> date | None:
    """A dispatch that narrates one day: all its explicit dates fall on that day."""
    mentions = (m for sent in sentences(doc) for m in find_time_mentions(sent, published))
    days = {m.date for m in mentions if m.date is not None and not m.vague}
    return days.pop() if len(days) == 1 else None


def _phase(trigger: Trigger) -> str | None:
    if trigger.type not in {EventType.PAUSE, EventType.CORRIDOR, EventType.AID, EventType.RELEASE}:
        return None
    words = {t.lemma_.lower() for t in (trigger.token, trigger.token.head, *trigger.token.children)}
    for phase, lemmas in PHASE_WORDS.items():
        if words & lemmas:
            return phase
    return None


def _mention(
    trigger: Trigger,
    sent: Span,
    quantities: list[tuple[Count, int, int]],
    ctx: _Context,
    places: list[tuple[Span, Place]],
) -> Mention:
    tok, lex = trigger.token, ctx.lexicon
    status = status_of(tok, lex)
    when = event_date(sent, ctx.article.published, status == Status.PLANNED)
    if when is None and status == Status.HAPPENED and not _has_time(sent, ctx.article.published):
        when = ctx.narrative_day or _paragraph_day(ctx)
    claim = claim_for(tok, sent, ctx.quotes, ctx.registry, ctx.article.outlet or "unknown outlet")
    return Mention(
        doc_id=ctx.article.doc_id,
        type=trigger.type,
        claimed_by=claim.claimed_by,
        claim_kind=claim.kind,
        polarity=polarity_of(tok, lex),
        status=status,
        evidence=span_text(sent),
        span=(sent.start_char, sent.end_char),
        outlet=ctx.article.outlet,
        published=ctx.article.published,
        date=when,
        place=choose_place(tok, places, ctx.default_place),
        actor=actor_of(tok),
        target=target_of(tok),
        count=choose_count(tok, trigger.type, quantities, lex),
        phase=_phase(trigger),
        trigger=tok.text,
    )


def _paragraph_day(ctx: _Context) -> date | None:
    """The day an earlier sentence of the same paragraph named: reports narrate one day per paragraph
    ("On Monday shelling hit the bridge. Two civilians were killed."), and a new paragraph may move on."""
    return ctx.paragraph_day[1] if ctx.paragraph_day and ctx.paragraph_day[0] == ctx.paragraph else None


def _has_time(sent: Span, published: date | None) -> bool:
    return any(m.kind != "time_of_day" for m in find_time_mentions(sent, published))


def _first_per_type(triggers: list[Trigger]) -> list[Trigger]:
    """One mention per event type per sentence, unless another clause with its own subject reports
    a second one ("checkpoints were shelled, gunmen attacked the road")."""
    kept: dict[EventType, list[Trigger]] = {}
    for trig in triggers:
        same = kept.setdefault(trig.type, [])
        if not same or all(_separate_clauses(trig, other) for other in same):
            same.append(trig)
    return [t for group in kept.values() for t in group]


def _own_subject(tok: Token) -> Token | None:
    if tok.pos_ != "VERB":
        return None
    return next((c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}), None)


def _separate_clauses(a: Trigger, b: Trigger) -> bool:
    sa, sb = _own_subject(a.token), _own_subject(b.token)
    return sa is not None and sb is not None and sa.lemma_ != sb.lemma_ and a.token.dep_ != "xcomp" != b.token.dep_


def _quantities(sent: Span) -> list[tuple[Count, int, int]]:
    doc = sent.doc
    out = []
    for q in find_quantities(sent):
        token = doc.char_span(q.start, q.end, alignment_mode="expand")
        out.append((q.count, token.start if token is not None else sent.start, q.head_index))
    return out


def extract_mentions(doc: Doc, article: Article, gazetteer: Gazetteer) -> Extraction:
    """All event mentions and quotations of one article."""
    quotes = find_quotes(doc)
    registry = NameRegistry()
    register_people(doc, registry)
    ctx = _Context(
        article,
        quotes,
        registry,
        _default_place(doc, gazetteer),
        _narrative_day(doc, article.published),
        load_lexicon(),
    )
    mentions: list[Mention] = []
    breaks = [m.start() for m in _LINE_BREAK.finditer(article.text)]  # cleaned text: a line is a paragraph
    for sent in sentences(doc):
        ctx.paragraph = bisect.bisect_left(breaks, sent.start_char)
        triggers = _first_per_type(find_triggers(sent, ctx.lexicon))
        if triggers:
            places, quantities = _places_in(sent, gazetteer), _quantities(sent)
            mentions.extend(_mention(t, sent, quantities, ctx, places) for t in triggers)
        day = event_date(sent, article.published, False)
        if day is not None:
            ctx.paragraph_day = (ctx.paragraph, day)
    records = [QuoteRecord(article.doc_id, q.speaker, q.text, q.start, q.end) for q in quotes]
    return Extraction(drop_repeated_claims(mentions), records)


def drop_repeated_claims(mentions: list[Mention]) -> list[Mention]:
    """A figure a report repeats (lead, then the spokesman's quote) is one claim, kept where first made;
    the shares a repetition names ("17 civilians, including five children") join the first claim."""
    first: dict[tuple[EventType, int, str], int] = {}
    kept: list[Mention] = []
    for m in mentions:
        key = (m.type, m.count.best, (m.count.counted or "").lower()) if m.count else None
        if key is None:
            kept.append(m)
        elif key in first:
            kept[first[key]] = _with_shares(kept[first[key]], m)
        else:
            first[key] = len(kept)
            kept.append(m)
    return kept


def _with_shares(claim: Mention, repeat: Mention) -> Mention:
    """The first claim, given the repetition's shares when it named none itself."""
    if claim.count is None or claim.count.parts or repeat.count is None or not repeat.count.parts:
        return claim
    return replace(claim, count=replace(claim.count, parts=repeat.count.parts))

"""Time expressions in a sentence, resolved to calendar days against the publication date.

dateparser reads absolute dates; these rules cover what it gets wrong or leaves open:

- A bare weekday ("Monday", "on Tuesday", "late on Saturday", "Monday night") is the most
  recent such day on or before the publication day (the same weekday is that day itself);
  with ``future=True`` the next one on or after it. "last Monday" is strictly before,
  "next Monday" strictly after, "this Monday" the Monday of the publication week, and
  "Tuesday last week" the Tuesday of the previous calendar week (weeks start on Monday).
- "the weekend" is its Saturday, resolved like a weekday; "last weekend" is the previous week's.
- A day and month without a year ("October 24", "24 October", "24/10", "24.10") take the
  year that puts them nearest on or before the publication day (on or after with future).
  Numeric forms are read day first (24/10), month first only when that is the sole reading.
- today, tonight, this morning = published; yesterday, last night, the past 24 hours,
  the day before = published - 1; tomorrow = + 1; "three days ago" = - 3.
- Periods have no single day: "last week", "the last seven days", "since 2011",
  "last September", "in August 2015", "recently", "48-hour" give date None, vague True.
- A time of day alone ("4pm GMT", "09:00 am local time") is kind time_of_day with no date.
- In a sentence, the verb a date hangs on can override the caller's direction: "since",
  past tense and perfect resolve backwards, will/would forwards ("said it would halt
  strikes on Thursday"); plan verbs ("is set to", "scheduled for") keep the caller's flag, and so
  does a date inside a noun phrase ("would condemn the August 21 attack": the attack's own time).
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dateparser
from spacy.tokens import Doc, Span, Token

from pausewatch.annotate.doccache import ents_in, remembered, span_text, text_of
from pausewatch.annotate.quantities import parse_number

log = logging.getLogger(__name__)

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SATURDAY = 5
_WD = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)(?![a-z])\.?"
)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_NUMERIC = (
    r"(?<![\d$£€.,/])(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}(?:/(?:\d{4}|\d{2}))?"
    r"|\d{1,2}\.\d{2}(?:\.(?:\d{4}|\d{2}))?)"
    r"(?![\d/]|\.\d|\s*(?:million|billion|thousand|bn|per|percent|%|km|kilomet|mile|met|am|pm|a\.m|p\.m|gmt|hrs))"
)
_ABSOLUTE = (
    rf"(?:\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR}\b)?"
    rf"|\b{_MONTH}\s+(?:the\s+)?{_DAY}(?![\d:])(?:,?\s+{_YEAR}\b)?|{_NUMERIC})"
)

# Scanning raw sentences: month and weekday names must be capitalised ("may", "march" are verbs).
_SCAN_RES = (
    re.compile(rf"(?:\b{_WD},?\s+(?:the\s+)?)?{_ABSOLUTE}"),
    re.compile(
        rf"\b(?:(?:[Ll]ast|[Nn]ext|[Tt]his|[Pp]revious|[Cc]oming|[Ll]ate|[Ee]arly)\s+)?{_WD}\b"
        r"(?:\s+(?:morning|afternoon|evening|night))?(?:\s+(?:last|next|this)\s+week\b)?"
    ),
    re.compile(r"\b(?:[Tt]he|[Tt]his|[Ll]ast|[Nn]ext)\s+weekend\b"),
    re.compile(
        r"\b(?:(?:the\s+)?day\s+before\s+yesterday|yesterday|today|tonight|tomorrow|last\s+night"
        r"|this\s+(?:morning|afternoon|evening)|(?:the\s+)?(?:past|last|previous)\s+24\s+hours"
        r"|(?:the\s+)?(?:day\s+before|previous\s+day)(?!\s+(?:the|a|an|its|his|her|their|that|this)\b)"
        r"|\w+\s+days?\s+ago)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)(?:\s+(?:local\s+time|GMT|UTC)\b)?"
        r"|\b(?:[01]?\d|2[0-3]):[0-5]\d\b(?:\s*(?:am|pm|hrs|hours)\b)?(?:\s+(?:local\s+time|GMT|UTC)\b)?"
        r"|\b(?:noon|midnight)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:(?:last|this|next|past|previous)\s+(?:week|month|year)|in\s+recent\s+(?:days|weeks|months)"
        r"|recently)\b",
        re.IGNORECASE,
    ),
)
_NOT_DATES = frozenset({"24/7"})

# Resolving a normalised (lower-case) expression.
_ABSOLUTE_RE = re.compile(_ABSOLUTE, re.IGNORECASE)
_HAS_YEAR_RE = re.compile(rf"\b{_YEAR}\b|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}")
_DOTTED_RE = re.compile(r"^\d{1,2}\.\d{1,2}(?:\.\d{2,4})?$")
_WEEKDAY_RE = re.compile(rf"\b({'|'.join(_WEEKDAYS)})\b")
_WEEKEND_RE = re.compile(r"\bweekend\b")
_WEEK_SHIFT_RE = re.compile(r"\b(last|previous|next|this) week(?:end)?\b")
_DAY_MODIFIER_RE = re.compile(rf"\b(last|previous|past|next|coming|this) (?:{'|'.join(_WEEKDAYS)})\b")
_DAYS_AGO_RE = re.compile(r"\b(\w+) days? ago\b")
_TIME_OF_DAY_RE = re.compile(
    r"\b\d{1,2}(?::\d\d)?\s*(?:a\.?m\b\.?|p\.?m\b\.?)|\b\d{1,2}[:.]\d\d\b"
    r"|\b(?:noon|midnight|morning|afternoon|evening|night|dawn|dusk|daybreak|nightfall|local time|gmt|utc)\b"
)
_RELATIVE_DAYS = (
    (re.compile(r"\bday before yesterday\b"), -2),
    (re.compile(r"\bday after tomorrow\b"), 2),
    (re.compile(r"\byesterday\b|\blast night\b|\b(?:past|last|previous) 24 hours\b"), -1),
    (re.compile(r"\bday before\b|\bprevious day\b|\bday earlier\b"), -1),
    (re.compile(r"\btomorrow\b"), 1),
    (re.compile(r"\btoday\b|\btonight\b|\bthis (?:morning|afternoon|evening)\b"), 0),
)
_SHIFTS = {"last": -1, "previous": -1, "next": 1, "this": 0}
_FUTURE_AUX = frozenset({"will", "would", "shall", "'ll", "wo"})
_NOUN_MODIFIER_DEPS = frozenset({"nmod", "compound", "poss", "amod"})
_PLAN_LEMMAS = frozenset({"schedule", "plan", "set", "expect", "due", "slate", "intend", "aim", "propose"})
_REPORTING_LEMMAS = frozenset({"say", "tell", "announce", "add", "report", "state", "claim", "tweet",
                               "reiterate", "confirm", "note", "write", "declare", "insist", "warn",
                               "explain", "stress", "deny", "accuse", "allege"})


@dataclass(frozen=True)
class TimeMention:
    """A time expression; start/end are char offsets in the sentence's Doc."""

    text: str
    start: int
    end: int
    date: date | None
    kind: str  # "absolute", "weekday", "relative", "span" or "time_of_day"
    vague: bool  # a period with no single day ("last week", "since 2011")


def find_time_mentions(sent: Span, published: date | None, future: bool = False) -> list[TimeMention]:
    """Every time expression in the sentence (spaCy DATE/TIME entities plus a regex scan), resolved.

    Extraction asks this of a sentence several times (narrative day, event date, has a time): once per Doc.
    """
    key = ("time_mentions", sent.start, sent.end, published, future)
    return list(remembered(sent.doc, key, lambda: tuple(_time_mentions(sent, published, future))))


def _time_mentions(sent: Span, published: date | None, future: bool) -> list[TimeMention]:
    return [_time_mention(sent.doc, start, end, published, future) for start, end in _candidate_spans(sent)]


def event_date(sent: Span, published: date | None, future: bool) -> date | None:
    """The day of the event this sentence reports: the best-placed non-vague resolved mention."""
    days = [m for m in find_time_mentions(sent, published, future) if m.date is not None and not m.vague]
    if not days:
        return None
    return min(days, key=lambda m: _rank(sent, m)).date


def _rank(sent: Span, mention: TimeMention) -> tuple[bool, bool, int, int]:
    """Prefer dates on the event verb over a reporting verb, on the main verb, then nearest to it."""
    tok = _span_root(sent.doc, mention.start, mention.end)
    governor = _governor(tok)
    reporting = governor.lemma_ in _REPORTING_LEMMAS
    return reporting, governor != sent.root, abs(tok.i - sent.root.i), mention.start


def _candidate_spans(sent: Span) -> list[tuple[int, int]]:
    """Char spans of DATE/TIME entities and regex hits, overlapping ones merged."""
    spans = [(e.start_char, e.end_char) for e in ents_in(sent) if e.label_ in ("DATE", "TIME")]
    for regex in _SCAN_RES:
        spans += [(sent.start_char + m.start(), sent.start_char + m.end()) for m in regex.finditer(span_text(sent))
                  if m.group(0) not in _NOT_DATES]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _time_mention(doc: Doc, start: int, end: int, published: date | None, future: bool) -> TimeMention:
    """Resolve one candidate span, letting its verb's tense set the direction."""
    text = text_of(doc)[start:end]
    kind = _kind(_normalise(text))
    resolved = resolve_date(text, published, _direction(doc, start, end, future))
    return TimeMention(text=text, start=start, end=end, date=resolved, kind=kind, vague=kind == "span")


def _span_root(doc: Doc, start: int, end: int) -> Token:
    """The syntactic root of the tokens covering a char span."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else doc[0]


def _direction(doc: Doc, start: int, end: int, future: bool) -> bool:
    """True to resolve forwards: "since" looks back, the governing verb's tense wins over the flag."""
    root = _span_root(doc, start, end)
    first = doc.char_span(start, end, alignment_mode="expand")
    if first is not None and first.start > 0 and doc[first.start - 1].lower_ == "since":
        return False
    if _names_a_noun(root):
        return future
    tense = _tense(_governor(root))
    return future if tense is None else tense == "future"


def _names_a_noun(tok: Token) -> bool:
    """A date inside a noun phrase ("the August 21 attack", "Tuesday's talks") dates that noun's event.

    The verb above it says nothing of that event's time: "would condemn the August 21 attack" condemns a
    past attack, so the caller's own flag (the mention's status) sets the direction instead.
    """
    return tok.dep_ in _NOUN_MODIFIER_DEPS and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i != tok.i


def _governor(tok: Token) -> Token:
    """The verb a date hangs on (or the root of a verbless fragment)."""
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _tense(verb: Token) -> str | None:
    """ "future" (will/would), "past" (past tense or perfect) or None when the verb does not say."""
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in _FUTURE_AUX for a in auxes):
        return "future"
    if verb.lemma_ in _PLAN_LEMMAS or any(a.tag_ == "TO" for a in auxes):  # "was to start on Thursday"
        return None
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" or a.lower_ in ("has", "have") for a in auxes):
        return "past"
    if verb.dep_ == "conj" and not auxes and verb.head.i != verb.i:
        return _tense(verb.head)
    return None


def _normalise(expr: str) -> str:
    """Lower-case, fold quotes and spaces, trim punctuation at the ends."""
    flat = " ".join(str(expr).replace("\u2019", "'").lower().split())
    return flat.strip(" ,.;:()[]\"'")


def _kind(expr: str) -> str:
    """Which rule resolves a normalised expression."""
    if _ABSOLUTE_RE.search(expr):
        return "absolute"
    if _relative_offset(expr) is not None:
        return "relative"
    if _WEEKDAY_RE.search(expr) or _WEEKEND_RE.search(expr):
        return "weekday"
    if _TIME_OF_DAY_RE.search(expr):
        return "time_of_day"
    return "span"


@functools.lru_cache(maxsize=8192)
def resolve_date(expr: str, published: date | None, future: bool = False) -> date | None:
    """The calendar day an expression names, relative to the publication day; None if none."""
    try:
        return _resolve(_normalise(expr), published, future)
    except (OverflowError, ValueError) as err:  # dates past year 1 / 9999
        log.debug("cannot resolve %r against %s: %s", expr, published, err)
        return None


def _resolve(expr: str, published: date | None, future: bool) -> date | None:
    """Dispatch on the kind of expression."""
    kind = _kind(expr)
    if kind == "absolute":
        return _resolve_absolute(expr, published, future)
    if published is None:
        return None
    if expr.startswith("since "):
        future = False
    if kind == "relative":
        offset = _relative_offset(expr)
        return published + timedelta(days=offset) if offset is not None else None
    if kind == "weekday":
        return _resolve_weekday(expr, published, future)
    return None


def _relative_offset(expr: str) -> int | None:
    """Days from the publication day for today / yesterday / three days ago ..."""
    for regex, offset in _RELATIVE_DAYS:
        if regex.search(expr):
            return offset
    match = _DAYS_AGO_RE.search(expr)
    if match:
        count = 1 if match.group(1) in ("a", "one") else parse_number(match.group(1))
        return -count if count is not None and count < 10_000 else None
    return None


def _resolve_weekday(expr: str, published: date, future: bool) -> date:
    """A weekday (or the weekend's Saturday) relative to the publication day."""
    match = _WEEKDAY_RE.search(expr)
    weekday = _WEEKDAYS.index(match.group(1)) if match else _SATURDAY
    week = _WEEK_SHIFT_RE.search(expr)
    modifier = _DAY_MODIFIER_RE.search(expr)
    this = modifier if modifier and modifier.group(1) == "this" else None
    calendar = week or this
    if calendar:
        monday = published - timedelta(days=published.weekday())
        return monday + timedelta(days=7 * _SHIFTS[calendar.group(1)] + weekday)
    return _nearest_weekday(published, weekday, modifier.group(1) if modifier else None, future)


def _nearest_weekday(published: date, weekday: int, modifier: str | None, future: bool) -> date:
    """last/previous/past: strictly before; next/coming: strictly after; else on or before/after."""
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    if modifier in ("last", "previous", "past"):
        return published - timedelta(days=back or 7)
    if modifier in ("next", "coming"):
        return published + timedelta(days=ahead or 7)
    return published + timedelta(days=ahead) if future else published - timedelta(days=back)


def _resolve_absolute(expr: str, published: date | None, future: bool) -> date | None:
    """A written date via dateparser; without a year, the year nearest the publication day."""
    match = _ABSOLUTE_RE.search(expr)
    if match is None:
        return None
    # dateparser reads "11.03" as 11:03, so dotted day.month is written with slashes
    body = _DOTTED_RE.sub(lambda m: m.group(0).replace(".", "/"), match.group(0))
    has_year = bool(_HAS_YEAR_RE.search(body))
    if not has_year and published is None:
        return None
    parsed = _dateparser(body, published, future, "DMY") or _dateparser(body, published, future, "MDY")
    if parsed is None or has_year or published is None:
        return parsed
    return _nearest_year(parsed.month, parsed.day, published, future)


def _dateparser(text: str, published: date | None, future: bool, order: str) -> date | None:
    """dateparser with pausewatch's settings; any failure of the library is a None."""
    settings: dict[str, object] = {
        "PREFER_DATES_FROM": "future" if future else "past",
        "DATE_ORDER": order,
        "REQUIRE_PARTS": ["day", "month"],
    }
    if published is not None:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception as err:  # noqa: BLE001 - third-party parser; a failure must not stop the pipeline
        log.debug("dateparser failed on %r: %s", text, err)
        return None
    return parsed.date() if parsed is not None else None


def _nearest_year(month: int, day: int, published: date, future: bool) -> date | None:
    """month/day in the year putting it nearest on or before (after, if future) the publication day."""
    step = 1 if future else -1
    for offset in range(9):  # 29 February needs up to eight years
        try:
            candidate = date(published.year + step * offset, month, day)
        except ValueError:
            continue
        if (candidate >= published) if future else (candidate <= published):
            return candidate
    return None

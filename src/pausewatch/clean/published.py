"""Publication date guessing: a dateline, else reasoning over the dates and weekdays the text gives."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

from pausewatch.model import Guess

NO_GUESS = Guess("none", 0.0)

_MONTHS = {name: number for number, names in enumerate((
    "january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
    "august aug", "september sept sep", "october oct", "november nov", "december dec"), 1)
    for name in names.split()}
_WEEKDAYS = {name: number for number, names in enumerate((
    "monday mon", "tuesday tues tue", "wednesday wed", "thursday thurs thur thu", "friday fri",
    "saturday sat", "sunday sun"))
    for name in names.split()}
_MONTH = r"(?:" + "|".join(sorted((m.title() for m in _MONTHS), key=len, reverse=True)) + r")\b\.?"
_WEEKDAY = r"(?:" + "|".join(sorted((w.title() for w in _WEEKDAYS), key=len, reverse=True)) + r")\b\.?"
_FULL_WEEKDAY = r"(?P<w>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DATE = re.compile(
    rf"\b(?:(?P<wd>{_WEEKDAY}),?\s+(?:the\s+)?)?(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH})"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?"
)
_DATELINE_LABEL = re.compile(r"\s*(?:(?:date of publication|published|posted|last updated|updated|date)"
                             r"(?:\s+(?:on|at))?\s*:?\s*)?", re.I)
_ISO_DATE = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
_NUMERIC_DATE = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2((?:19|20)\d\d)(?!\d)")
_GLUED_DATE = re.compile(rf"(?P<m>{_MONTH})\s+(?P<d>\d\d)(?P<y>(?:19|20)\d\d)\b")
_TOP_CHARS = 300
# Verbs of saying only: "announced" or "declared on Saturday" often date the event, not the report.
_VERBS = (r"(?:said|says|told|stated|reported|added|confirmed|reiterated|tweeted|warned|claimed|noted"
          r"|insisted|denied|wrote|explained|stressed|urged|emphasi[sz]ed|pointed out)")
_PREPOSITION_BEFORE = re.compile(r"\b(?:on|since|until|till|from|by|before|after|of|that|between|and)\W*$",
                                 re.I)
_RELATIVE_BEFORE = re.compile(r"\b(yesterday|today)\W{0,3}$", re.I)
_YESTERDAY = re.compile(r"\byesterday\b", re.I)
_NOT_ATTACHED = rf"(?!,?\s+(?:last|next|this)\s+week)(?!,?\s+(?:the\s+)?\d)(?!,?\s+{_MONTH})"
_REPORTED = (
    re.compile(rf"\b{_VERBS}\s+(?:(?:late|early)\s+)?(?:on\s+)?(?:(?:late|early)\s+)?"
               rf"{_FULL_WEEKDAY}\b{_NOT_ATTACHED}"),
    re.compile(rf"(?:^|[.!?]\s+)On\s+{_FULL_WEEKDAY}\b{_NOT_ATTACHED},?\s+[^.!?\n]{{0,150}}?\b{_VERBS}\b",
               re.M),
)


@dataclass(frozen=True, slots=True)
class _DateMention:
    """An explicit day and month in the text, with the year and weekday written beside it, if any."""

    month: int
    day: int
    year: int | None
    weekday: int | None
    offset: int | None = None  # days to publication: "yesterday, Friday, 14 March" gives 1, "today, ..." 0


def guess_published(text: str, year_hint: int | None = None, *,
                    today: date | None = None) -> tuple[date | None, Guess]:
    """The publication date a careful reader would infer from the text.

    1. dateline (0.9): a full date with its year starting one of the first five non-blank lines,
       possibly after a weekday or a label ("Fri 07 Apr 2017 at 0914", "12 March 2025", "Published
       April 4 2017", "Last updated at Aug 142016", "26.12.2014", "2016-10-25"; numeric dates are
       day first with "." or "-", month first with "/", unless that cannot be), or a weekday with a
       full date in the first 300 characters not led by a preposition ("AFP Sunday 1 Feb 2015", but
       not "opened on Monday, 10 March 2025").
    2. Otherwise explicit day+month mentions ("October 24", "20 October, 2016"). A year-less one takes
       its year from a weekday written beside it ("Monday, October 24": the most recent year, not
       after the ceiling, in which that date is a Monday), where the ceiling is the latest year written
       in a full date of the text, else year_hint (the run's most common year), else today's year
       (and then a date that would lie in the future goes back one year).
    3. relative-date (0.8): "yesterday, Friday, 14 March" or "today, 14 March" give the day itself.
    4. D is the latest explicit date. A weekday attached to a verb of saying ("said Tuesday",
       "On Thursday, Lavrov said") is read as the first such day on or after D; the latest of those,
       if any, is the publication day ("weekday+date", 0.6, +0.1 if the day is D + 1); else D + 1
       when the text says "yesterday" ("yesterday+date", 0.5); else D ("latest-date", 0.5). All gain
       0.2 when D's year is written in D itself, 0.1 when it comes from another date of the text or
       from a weekday under a written or hinted ceiling, and lose 0.1 when it rests on today's date;
       0.8 at most. Weekdays followed by "last/next week" or by a date are ignored.
    No explicit date: (None, Guess("none", 0.0)).
    """
    head = _dateline(text)
    if head is not None:
        return head, Guess("dateline", 0.9)
    mentions = list(_date_mentions(text))
    ceiling = max((m.year for m in mentions if m.year), default=None)
    now = today or date.today()
    resolved = [(found, m.offset) for m in mentions if (found := _resolve(m, ceiling, year_hint, now))]
    relative = [day + timedelta(days=offset) for (day, _), offset in resolved if offset is not None]
    if relative:
        return max(relative), Guess("relative-date", 0.8)
    if not resolved:
        return None, NO_GUESS
    latest, source = max(found for found, _ in resolved)
    return _publication_day(latest, source, _reported_weekdays(text), _YESTERDAY.search(text) is not None)


def _publication_day(latest: date, source: str, weekdays: set[int], yesterday: bool) -> tuple[date, Guess]:
    """Rule 4 of guess_published: the latest explicit date, moved to a reported weekday after it."""
    bonus = {"stated": 0.2, "text": 0.1, "weekday": 0.1, "hint": 0.0}.get(source, -0.1)
    days = [(weekday - latest.weekday()) % 7 for weekday in weekdays]
    if days:
        step = max(days)
        return latest + timedelta(days=step), _guess("weekday+date", 0.6 + bonus + 0.1 * (step == 1))
    if yesterday:
        return latest + timedelta(days=1), _guess("yesterday+date", 0.5 + bonus)
    return latest, _guess("latest-date", 0.5 + bonus)


def _guess(method: str, confidence: float) -> Guess:
    """A Guess whose confidence is capped at 0.8: reasoning from the text never beats a dateline."""
    return Guess(method, round(min(confidence, 0.8), 2))


def _dateline(text: str) -> date | None:
    """Rule 1 of guess_published: a dated line at the top, or a weekday and full date near the top."""
    for line in [line for line in text.split("\n") if line.strip()][:5]:
        label = _DATELINE_LABEL.match(line)
        found = _date_at(line, label.end() if label else 0)
        if found:
            return found
    top = text[:_TOP_CHARS]
    near_top = (_mention(m) for m in _DATE.finditer(top)
                if m["wd"] and m["y"] and not _PREPOSITION_BEFORE.search(top, 0, m.start()))
    return next((_safe_date(m.year, m.month, m.day) for m in near_top if m and m.year), None)


def _date_at(line: str, position: int) -> date | None:
    """A full date (with year) written at this position: ISO, numeric, glued or with a month name."""
    if match := _ISO_DATE.match(line, position):
        return _safe_date(int(match[1]), int(match[2]), int(match[3]))
    if match := _NUMERIC_DATE.match(line, position):
        first, second, year = int(match[1]), int(match[3]), int(match[4])
        day_first = (match[2] != "/" or first > 12) and second <= 12
        return _safe_date(year, second, first) if day_first else _safe_date(year, first, second)
    if match := _GLUED_DATE.match(line, position):
        return _safe_date(int(match["y"]), _MONTHS[match["m"].rstrip(".").lower()], int(match["d"]))
    match = _DATE.match(line, position)
    mention = _mention(match) if match else None
    return _safe_date(mention.year, mention.month, mention.day) if mention and mention.year else None


def _date_mentions(text: str) -> Iterator[_DateMention]:
    """Every explicit day+month in the text, with "yesterday" or "today" written just before it."""
    for match in _DATE.finditer(text):
        mention = _mention(match)
        relative = _RELATIVE_BEFORE.search(text, max(0, match.start() - 14), match.start())
        if mention and relative:
            yield replace(mention, offset=1 if relative[1].lower() == "yesterday" else 0)
        elif mention:
            yield mention


def _mention(match: re.Match[str]) -> _DateMention | None:
    """A date regex match as a mention; None when the day cannot exist in that month."""
    month = _MONTHS[(match["m1"] or match["m2"]).rstrip(".").lower()]
    day = int(match["d1"] or match["d2"])
    weekday = _WEEKDAYS[match["wd"].rstrip(".").lower()] if match["wd"] else None
    year = int(match["y"]) if match["y"] else None
    if _safe_date(year or 2000, month, day) is None:
        return None
    return _DateMention(month, day, year, weekday)


def _resolve(mention: _DateMention, ceiling: int | None, year_hint: int | None,
             today: date) -> tuple[date, str] | None:
    """A mention as a date, with where its year came from: stated, weekday, text, hint or today."""
    if mention.year:
        resolved = _safe_date(mention.year, mention.month, mention.day)
        return (resolved, "stated") if resolved else None
    year, source = ((ceiling, "text") if ceiling else (year_hint, "hint") if year_hint
                    else (today.year, "today"))
    if mention.weekday is not None:
        for candidate in range(year, year - 28, -1):
            pinned = _safe_date(candidate, mention.month, mention.day)
            if pinned and pinned.weekday() == mention.weekday:
                return pinned, "weekday" if source != "today" else source
    resolved = _safe_date(year, mention.month, mention.day)
    if resolved and source == "today" and resolved > today:
        resolved = _safe_date(year - 1, mention.month, mention.day)
    return (resolved, source) if resolved else None


def _reported_weekdays(text: str) -> set[int]:
    """Weekdays attached to a reporting verb, as numbers (Monday = 0)."""
    return {_WEEKDAYS[match["w"].lower()] for pattern in _REPORTED for match in pattern.finditer(text)}


def _safe_date(year: int, month: int, day: int) -> date | None:
    """date(), or None for a day that does not exist (30 February)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None

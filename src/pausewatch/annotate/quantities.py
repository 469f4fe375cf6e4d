"""Numbers in a sentence, with their qualifier, low/best/high range and the noun they count.

Conventions (the table lives in data/vague_amounts.json so the README can publish it):

- ``best`` is always the figure as written, so it compares exactly with gold counts.
- A qualifier sets the range as a percentage of the figure, rounded half up:
  exact 100-100, about 90-110, at_least and more_than 100-150, up_to and less_than 50-100.
  Every range contains ``best``.
- A range ("between 15 and 20", "15-20", "two or three") gives low and high as written,
  best their midpoint rounded down, and no qualifier.
- Vague amounts ("dozens", "several hundred", "tens of thousands") are not counts: gold
  gives them ``count: null``. ``find_vague_amounts`` returns them with the fixed
  low/best/high of the table and ``vague=True`` so consolidation can use them for ranges.
- Durations count their unit: "48-hour" is 48 "hours", "three-day" is 3 "days".
- Numbers that belong to dates, times, years, percentages, money, ordinals, phone
  numbers or proper names ("Resolution 2254") are not quantities.

Written numbers are read in `numbers`, the noun a figure counts is found in `counted`, and the
convention table and vague amounts live in `vague_amounts`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from pausewatch.annotate.doccache import span_text, text_of
from pausewatch.model import Count, Qualifier

from .counted import QuantityMention, _counted_head, _noun_phrase
from .numbers import _PHRASES, _QUALIFIER_PHRASES, _is_number_token, parse_number
from .vague_amounts import bounds
from .vague_amounts import conventions as conventions  # re-exported
from .vague_amounts import find_vague_amounts as find_vague_amounts  # re-exported

log = logging.getLogger(__name__)

_PRECEDING_QUALIFIER_RE = re.compile(rf"(?:^|(?<=[\s(\[,;:–—-]))({_PHRASES})\s*$", re.IGNORECASE)
_FOLLOWING_QUALIFIER_RE = re.compile(r"^(?:\s*\+|\s*-?\s*plus\b|\s+or more\b|\s+or so\b)", re.IGNORECASE)
_FOLLOWING_QUALIFIERS = {"+": Qualifier.MORE_THAN, "plus": Qualifier.MORE_THAN,
                         "or more": Qualifier.AT_LEAST, "or so": Qualifier.ABOUT}

_PHONE_RE = re.compile(r"(?<![\w,.])(?:\+\d{1,4}|\(\d{1,4}\)|\d{2,4})(?:[ .-]\(?\d{2,4}\)?){2,}(?![\w])")
_YEAR_RE = re.compile(r"^(?:1[89]|20)\d\d$")

_EXCLUDED_ENTS = frozenset({"PERCENT", "MONEY", "ORDINAL", "FAC", "GPE", "LOC", "ORG", "LAW", "PRODUCT",
                            "WORK_OF_ART", "EVENT", "PERSON", "LANGUAGE"})
_DATE_ENTS = frozenset({"DATE", "TIME"})
_MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                     "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
                     "sep", "sept", "oct", "nov", "dec"})
_PERCENT_WORDS = frozenset({"%", "percent", "per", "pc", "pct"})
_CURRENCY_BEFORE = frozenset({"$", "£", "€", "¥", "usd", "eur", "gbp", "us$", "rub", "sdg", "uah", "ils"})
_CURRENCY_AFTER = frozenset({"dollars", "dollar", "euros", "euro", "pounds", "rubles", "roubles", "usd",
                             "eur", "hryvnias", "shekels", "cents", "lira", "liras", "francs"})
_TIME_AFTER = frozenset({"am", "pm", "a.m.", "p.m.", "gmt", "utc", "hrs", "o'clock"})
_YEAR_BEFORE = frozenset({"in", "since", "of", "by", "until", "till", "from", "year", "early", "late", "mid"})
_NAME_WORDS = frozenset({"No", "No.", "Resolution", "Route", "Road", "Highway", "Article", "Flight",
                         "Brigade", "Division", "Battalion", "Regiment", "Building", "Block", "Gate",
                         "Apartments", "Chapter", "Section", "Paragraph", "Number", "#", "Unit", "Camp"})
_UNITS = {"hour": "hours", "day": "days", "night": "nights", "week": "weeks", "month": "months",
          "year": "years", "minute": "minutes", "km": "km", "kilometre": "kilometres",
          "kilometer": "kilometers", "mile": "miles", "metre": "metres", "meter": "meters"}
_TIME_UNITS = frozenset({"hour", "day", "night", "week", "month", "year", "minute", "hours", "days",
                         "nights", "weeks", "months", "years", "minutes"})
_RANGE_GAPS = frozenset({"-", "–", "—", "to", "or"})


@dataclass(frozen=True)
class _Group:
    """A run of tokens that together write one number ("1.2 million", "forty - two")."""

    start: int  # Doc token index of the first token
    end: int  # Doc token index after the last token
    value: int


def find_quantities(sent: Span) -> list[QuantityMention]:
    """Every written count in the sentence, with qualifier, range and counted noun phrase."""
    phones = [m.span() for m in _PHONE_RE.finditer(span_text(sent))]
    groups = [g for g in _number_groups(sent) if not _excluded(sent, g, phones)]
    mentions: list[QuantityMention] = []
    index = 0
    while index < len(groups):
        pair = groups[index : index + 2]
        if len(pair) == 2 and _is_range(sent.doc, pair[0], pair[1]):
            mentions.append(_range_mention(sent, pair[0], pair[1]))
            index += 2
        else:
            mentions.append(_mention(sent, groups[index]))
            index += 1
    return mentions


def _number_groups(sent: Span) -> list[_Group]:
    """Runs of number tokens, each parsed; a run that does not parse is split into its tokens."""
    groups: list[_Group] = []
    for start, end in _runs(sent):
        value = parse_number(_group_text(sent, start, end))
        if value is not None:
            groups.append(_Group(start, end, value))
        elif end - start > 1:
            groups.extend(_single_groups(sent, start, end))
    return groups


def _single_groups(sent: Span, start: int, end: int) -> list[_Group]:
    """A run that does not parse as one number, read as the longest numbers it holds, left to right.

    "September 15 2016 Twenty-three civilians" runs 15, 2016 and twenty-three together; each is its own.
    """
    groups: list[_Group] = []
    i = start
    while i < end:
        found = next(((j, value) for j in range(end, i, -1)
                      if (value := parse_number(_group_text(sent, i, j))) is not None), None)
        if found is None:
            i += 1
            continue
        groups.append(_Group(i, found[0], found[1]))
        i = found[0]
    return groups


def _runs(sent: Span) -> list[tuple[int, int]]:
    """(start, end) Doc token indices of maximal runs of number tokens."""
    runs: list[tuple[int, int]] = []
    i = sent.start
    while i < sent.end:
        if not _is_number_token(sent.doc[i]):
            i += 1
            continue
        end = _run_end(sent, i)
        runs.append((_with_article(sent, i), end))
        i = end
    return runs


def _run_end(sent: Span, start: int) -> int:
    """Index after the last token of the run beginning at start."""
    doc, end = sent.doc, start + 1
    while end < sent.end:
        step = _join_step(doc[end - 1], doc, end, sent.end)
        if not step:
            return end
        end += step
    return end


def _join_step(prev: Token, doc: Doc, i: int, limit: int) -> int:
    """How many tokens (gap plus number) continue the run after prev; 0 when it ends."""
    tok = doc[i]
    if _is_number_token(tok) and not tok.is_space:
        return 1
    if i + 1 >= limit or not _is_number_token(doc[i + 1]):
        return 0
    nxt = doc[i + 1]
    both_digits = prev.text[0].isdigit() and nxt.text[0].isdigit()
    if tok.is_space and both_digits and re.fullmatch(r"\d{3}", nxt.text):
        return 2
    if tok.text == "-" and prev.is_alpha and nxt.is_alpha:
        return 2
    if tok.lower_ == "and" and prev.lower_ in ("hundred", "thousand", "million") and nxt.is_alpha:
        return 2
    return 0


def _with_article(sent: Span, start: int) -> int:
    """Include "a" in "a dozen" / "a hundred" / "a million"."""
    tok = sent.doc[start]
    scale = tok.lower_ in ("dozen", "hundred", "thousand", "million")
    if scale and start > sent.start and sent.doc[start - 1].lower_ in ("a", "an"):
        return start - 1
    return start



def _group_text(sent: Span, start: int, end: int) -> str:
    """The run as written in the text."""
    doc = sent.doc
    return text_of(doc)[doc[start].idx : doc[end - 1].idx + len(doc[end - 1].text)]


def _excluded(sent: Span, group: _Group, phones: list[tuple[int, int]]) -> bool:
    """Numbers that are not counts: dates, times, years, percentages, money, ordinals, names, phones."""
    doc = sent.doc
    first, last = doc[group.start], doc[group.end - 1]
    checks = (
        _in_phone(sent, first, phones),
        _is_pronoun_one(group, first, last),
        first.ent_type_ in _EXCLUDED_ENTS or last.ent_type_ in _EXCLUDED_ENTS,
        last.ent_type_ in _DATE_ENTS and not (_is_duration(doc, group) or _counts_a_thing(last)),
        _is_year(doc, group, first),
        _next_lower(doc, group.end) in _PERCENT_WORDS | _CURRENCY_AFTER | _TIME_AFTER | _MONTHS,
        _prev_lower(doc, group.start) in _CURRENCY_BEFORE | _MONTHS,
        _is_name_part(doc, group),
    )
    return any(checks)


def _in_phone(sent: Span, tok: Token, phones: list[tuple[int, int]]) -> bool:
    """True when the token sits inside something written like a phone number."""
    offset = tok.idx - sent.start_char
    return any(start <= offset < end for start, end in phones)


def _is_pronoun_one(group: _Group, first: Token, last: Token) -> bool:
    """ "one of the checkpoints", "one can wonder": 'one' that counts nothing."""
    return group.end - group.start == 1 and first.lower_ == "one" and last.dep_ != "nummod"


def _is_year(doc: Doc, group: _Group, first: Token) -> bool:
    """A bare four-digit year ("in 2015", "since 2011", "September 15 2016")."""
    if group.end - group.start != 1 or not _YEAR_RE.match(first.text):
        return False
    after_day = group.start > 1 and doc[group.start - 1].is_digit and _prev_lower(doc, group.start - 1) in _MONTHS
    return first.ent_type_ in _DATE_ENTS or _prev_lower(doc, group.start) in _YEAR_BEFORE or after_day


def _is_name_part(doc: Doc, group: _Group) -> bool:
    """Numbers inside names: "Resolution 2254", "Route 5", "1070 Apartments"."""
    before = doc[group.start - 1].text if group.start > 0 else ""
    after = doc[group.end].text if group.end < len(doc) else ""
    return before in _NAME_WORDS or after in _NAME_WORDS


def _is_duration(doc: Doc, group: _Group) -> bool:
    """ "48-hour", "24 hours", "three days": a time span, which counts its unit."""
    unit = _hyphen_unit(doc, group)
    if unit is not None:
        return unit.lower_ in _UNITS
    last = doc[group.end - 1]
    return last.dep_ == "nummod" and last.head.lower_ in _TIME_UNITS


def _counts_a_thing(last: Token) -> bool:
    """True when a number in a DATE/TIME entity still counts a noun ("between 15 and 20 soldiers")."""
    head = _counted_head(last)
    return head is not None and head.lower_ not in _MONTHS | _TIME_AFTER and head.ent_type_ not in _DATE_ENTS


def _hyphen_unit(doc: Doc, group: _Group) -> Token | None:
    """The noun of "48-hour" / "three-day" / "10-member", if the number is written that way."""
    if group.end + 1 >= len(doc) or doc[group.end].text != "-":
        return None
    noun = doc[group.end + 1]
    return noun if noun.pos_ in ("NOUN", "PROPN") and noun.is_alpha else None


def _prev_lower(doc: Doc, i: int) -> str:
    """Lower-cased text of the token before i ('' at the start)."""
    return str(doc[i - 1].lower_) if i > 0 else ""


def _next_lower(doc: Doc, i: int) -> str:
    """Lower-cased text of token i ('' past the end)."""
    return str(doc[i].lower_) if i < len(doc) else ""


def _is_range(doc: Doc, low: _Group, high: _Group) -> bool:
    """ "15-20", "15 to 20", "two or three", "between 15 and 20" (not "from 10 to 20")."""
    gap = doc[low.end : high.start].text.strip().lower()
    if low.value >= high.value:
        return False
    before = _prev_lower(doc, low.start)
    if gap == "and":
        return before == "between"
    return gap in _RANGE_GAPS and before != "from"


def _range_mention(sent: Span, low: _Group, high: _Group) -> QuantityMention:
    """One mention for a written range; counted from its upper figure."""
    doc = sent.doc
    head, counted, counted_end = _range_counted(doc, low, high)
    begin = _qualifier_start(sent, low)[1]
    if _prev_lower(doc, low.start) == "between":
        begin = doc[low.start - 1].idx
    end = counted_end if counted_end is not None else _char_end(doc, high)
    count = Count(best=(low.value + high.value) // 2, low=low.value, high=high.value, qualifier=None,
                  counted=counted, text=text_of(doc)[begin:end])
    return QuantityMention(count=count, start=begin, end=end, head_index=head)


def _range_counted(doc: Doc, low: _Group, high: _Group) -> tuple[int, str | None, int | None]:
    """The counted phrase of a range, whichever of its two figures the parser hung on the noun."""
    found = _counted(doc, high, _char_end(doc, high))
    other = _counted_head(doc[low.end - 1]) if found[0] == -1 else None
    if other is None or other.i < high.end:
        return found
    text, end = _noun_phrase(other, _char_end(doc, high))
    return other.i, text, end


def _mention(sent: Span, group: _Group) -> QuantityMention:
    """One mention for a single figure with its qualifier."""
    doc = sent.doc
    qualifier, begin = _qualifier_start(sent, group)
    after, after_end = _following_qualifier(doc, group)
    qualifier = qualifier or after
    head, counted, counted_end = _counted(doc, group, after_end)
    end = counted_end if counted_end is not None else after_end
    low, high = bounds(group.value, qualifier)
    count = Count(best=group.value, low=low, high=high, qualifier=qualifier, counted=counted,
                  text=text_of(doc)[begin:end])
    return QuantityMention(count=count, start=begin, end=end, head_index=head)


def _char_end(doc: Doc, group: _Group) -> int:
    """Char offset just after the group's last token."""
    last = doc[group.end - 1]
    return int(last.idx + len(last.text))


def _qualifier_start(sent: Span, group: _Group) -> tuple[Qualifier | None, int]:
    """The qualifier written just before the number, and where the phrase starts."""
    doc = sent.doc
    begin = doc[group.start].idx
    match = _PRECEDING_QUALIFIER_RE.search(text_of(doc)[sent.start_char : begin])
    if not match:
        return None, begin
    return _QUALIFIER_PHRASES[match.group(1).lower()], sent.start_char + match.start(1)


def _following_qualifier(doc: Doc, group: _Group) -> tuple[Qualifier | None, int]:
    """ "1,000+", "1,000-plus", "10 or more", "20 or so", and where the figure ends."""
    end = _char_end(doc, group)
    match = _FOLLOWING_QUALIFIER_RE.match(text_of(doc)[end : end + 12])
    if not match:
        return None, end
    key = re.sub(r"[\s-]+", " ", match.group(0)).strip().lower()
    return _FOLLOWING_QUALIFIERS[key], end + match.end()


def _counted(doc: Doc, group: _Group, after: int) -> tuple[int, str | None, int | None]:
    """(head token index, counted noun phrase, char end of the phrase) for a figure."""
    unit = _hyphen_unit(doc, group)
    if unit is not None:
        return unit.i, _plural(unit.lower_) if group.value != 1 else unit.lower_, unit.idx + len(unit)
    head = _counted_head(doc[group.end - 1])
    if head is None:
        return -1, None, None
    text, end = _noun_phrase(head, after)
    return head.i, text, end


def _plural(noun: str) -> str:
    """Plural of a unit noun ("hour" -> "hours", "day" -> "days")."""
    if noun in _UNITS:
        return _UNITS[noun]
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")

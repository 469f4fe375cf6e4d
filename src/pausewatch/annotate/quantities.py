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
"""

from __future__ import annotations

import functools
import json
import logging
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Span, Token

from pausewatch.model import Count, Qualifier

log = logging.getLogger(__name__)

_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_SMALL = {w: i for i, w in enumerate(_ONES)}
_TENS = {
    w: 10 * i
    for i, w in enumerate(("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"), 2)
}
_MULTIPLIERS = {"hundred": 100, "dozen": 12}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "bn": 10**9, "mln": 10**6}
_NUMBER_WORDS = frozenset(_SMALL) | frozenset(_TENS) | frozenset(_MULTIPLIERS) | frozenset(_SCALES)
_MAX_DIGITS = 15  # no reported count is larger; also keeps int() far from its digit limit

_QUALIFIER_PHRASES: dict[str, Qualifier] = {
    **dict.fromkeys(
        ("about", "around", "some", "approximately", "approx.", "nearly", "almost", "roughly",
         "an estimated", "estimated", "close to", "circa"),
        Qualifier.ABOUT,
    ),
    **dict.fromkeys(
        ("at least", "no fewer than", "no less than", "not less than", "a minimum of"), Qualifier.AT_LEAST
    ),
    **dict.fromkeys(
        ("up to", "as many as", "no more than", "not more than", "a maximum of", "at most"), Qualifier.UP_TO
    ),
    **dict.fromkeys(
        ("more than", "over", "upwards of", "in excess of", "above", "exceeding", "just over",
         "well over"),
        Qualifier.MORE_THAN,
    ),
    **dict.fromkeys(("fewer than", "less than", "under", "below", "just under"), Qualifier.LESS_THAN),
}
_PHRASES = "|".join(re.escape(p) for p in sorted(_QUALIFIER_PHRASES, key=len, reverse=True))
_LEADING_QUALIFIER_RE = re.compile(rf"^(?:{_PHRASES})\s+")
_PRECEDING_QUALIFIER_RE = re.compile(rf"(?:^|(?<=[\s(\[,;:–—-]))({_PHRASES})\s*$", re.IGNORECASE)
_FOLLOWING_QUALIFIER_RE = re.compile(r"^(?:\s*\+|\s*-?\s*plus\b|\s+or more\b|\s+or so\b)", re.IGNORECASE)
_FOLLOWING_QUALIFIERS = {"+": Qualifier.MORE_THAN, "plus": Qualifier.MORE_THAN,
                         "or more": Qualifier.AT_LEAST, "or so": Qualifier.ABOUT}

_SPACES_RE = re.compile(r"[\s\u00a0\u2009\u202f]+")
_DIGITS_RE = re.compile(
    r"(\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)(?:\.(\d+))?(?:\s*-?\s*(thousand|million|billion|bn|mln))?",
    re.ASCII,
)
_NUM_TOKEN_RE = re.compile(r"^\d[\d,.]*$", re.ASCII)
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
_STOP_DEPS = frozenset({"det", "nummod", "quantmod", "poss", "case", "prep", "predet", "neg"})
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod", "advmod", "punct", "cc", "conj"})
_RANGE_GAPS = frozenset({"-", "–", "—", "to", "or"})


@dataclass(frozen=True)
class QuantityMention:
    """A figure found in a sentence; offsets are char offsets in the sentence's Doc."""

    count: Count
    start: int
    end: int
    head_index: int  # Doc token index of the counted noun's head, -1 when nothing is counted
    vague: bool = False  # True for "dozens", "several hundred": gold wants count null for these


@dataclass(frozen=True)
class _Group:
    """A run of tokens that together write one number ("1.2 million", "forty - two")."""

    start: int  # Doc token index of the first token
    end: int  # Doc token index after the last token
    value: int


def parse_number(text: str) -> int | None:
    """Read a written integer (digits, grouped digits, scaled decimals or words); None otherwise."""
    try:
        return _parse_number(_normalise(text))
    except (ValueError, ArithmeticError, InvalidOperation):
        return None


def _normalise(text: str) -> str:
    """Lower-case, fold odd spaces and drop a leading qualifier ("some 10")."""
    flat = _SPACES_RE.sub(" ", str(text)).strip().lower().rstrip(".")
    return _LEADING_QUALIFIER_RE.sub("", flat)


def _parse_number(text: str) -> int | None:
    """Digits first, then number words."""
    if not text or len(text) > 80:
        return None
    match = _DIGITS_RE.fullmatch(text)
    if match:
        return _digits_value(match.group(1), match.group(2), match.group(3))
    return _words_value(text)


def _digits_value(whole: str, fraction: str | None, scale: str | None) -> int | None:
    """Value of a digit string with an optional decimal part and scale word."""
    digits = re.sub(r"[ ,]", "", whole)
    if len(digits) > _MAX_DIGITS or (fraction is not None and len(fraction) > _MAX_DIGITS):
        return None
    value = Decimal(digits + "." + (fraction or "0")) * (_SCALES[scale] if scale else 1)
    if value != value.to_integral_value():
        return None
    return int(value)


def _words_value(text: str) -> int | None:
    """Value of English number words ("three hundred and five", "a dozen", "two million")."""
    words = [w for w in re.split(r"[\s-]+", text) if w and w != "and"]
    if len(words) > 1 and words[0] in ("a", "an") and words[1] in (_MULTIPLIERS.keys() | _SCALES.keys()):
        words[0] = "one"
    total, current = 0, 0
    for word in words:
        if word in _SMALL or word in _TENS:
            current += _SMALL.get(word, 0) + _TENS.get(word, 0)
        elif word in _MULTIPLIERS:
            current = (current or 1) * _MULTIPLIERS[word]
        elif word in _SCALES:
            total, current = total + (current or 1) * _SCALES[word], 0
        else:
            return None
    return total + current if words else None


@functools.cache
def conventions() -> dict[str, Any]:
    """The published low/best/high conventions (data/vague_amounts.json), read once."""
    raw = resources.files("pausewatch").joinpath("data/vague_amounts.json").read_text(encoding="utf-8")
    table: dict[str, Any] = json.loads(raw)
    return table


def bounds(best: int, qualifier: Qualifier | None) -> tuple[int, int]:
    """Low and high for a figure under the qualifier convention."""
    row = conventions()["qualifiers"][qualifier.value if qualifier else "exact"]
    return _percent(best, row["low_pct"]), _percent(best, row["high_pct"])


def _percent(value: int, pct: int) -> int:
    """value * pct / 100, rounded half up, in integers."""
    return (value * pct + 50) // 100


def find_quantities(sent: Span) -> list[QuantityMention]:
    """Every written count in the sentence, with qualifier, range and counted noun phrase."""
    phones = [m.span() for m in _PHONE_RE.finditer(sent.text)]
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
    """The tokens of a run that each parse on their own."""
    doc = sent.doc
    parsed = [(i, parse_number(doc[i].text)) for i in range(start, end) if _is_number_token(doc[i])]
    return [_Group(i, i + 1, value) for i, value in parsed if value is not None]


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


def _is_number_token(tok: Token) -> bool:
    """A token that writes (part of) a number."""
    return bool(_NUM_TOKEN_RE.match(tok.text)) or tok.lower_ in _NUMBER_WORDS


def _group_text(sent: Span, start: int, end: int) -> str:
    """The run as written in the text."""
    doc = sent.doc
    return doc.text[doc[start].idx : doc[end - 1].idx + len(doc[end - 1].text)]


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
    """A bare four-digit year ("in 2015", "since 2011")."""
    if group.end - group.start != 1 or not _YEAR_RE.match(first.text):
        return False
    return first.ent_type_ in _DATE_ENTS or _prev_lower(doc, group.start) in _YEAR_BEFORE


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
                  counted=counted, text=doc.text[begin:end])
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
                  text=doc.text[begin:end])
    return QuantityMention(count=count, start=begin, end=end, head_index=head)


def _char_end(doc: Doc, group: _Group) -> int:
    """Char offset just after the group's last token."""
    last = doc[group.end - 1]
    return int(last.idx + len(last.text))


def _qualifier_start(sent: Span, group: _Group) -> tuple[Qualifier | None, int]:
    """The qualifier written just before the number, and where the phrase starts."""
    doc = sent.doc
    begin = doc[group.start].idx
    match = _PRECEDING_QUALIFIER_RE.search(doc.text[sent.start_char : begin])
    if not match:
        return None, begin
    return _QUALIFIER_PHRASES[match.group(1).lower()], sent.start_char + match.start(1)


def _following_qualifier(doc: Doc, group: _Group) -> tuple[Qualifier | None, int]:
    """ "1,000+", "1,000-plus", "10 or more", "20 or so", and where the figure ends."""
    end = _char_end(doc, group)
    match = _FOLLOWING_QUALIFIER_RE.match(doc.text[end : end + 12])
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


def _noun_phrase(head: Token, after: int) -> tuple[str, int | None]:
    """The counted phrase: the head with its modifiers after char offset `after`, and conjuncts."""
    if head.idx < after:
        return head.text, None
    doc, start = head.doc, head.i
    while start > 0 and _is_modifier_of(doc[start - 1], head, after):
        start -= 1
    last = _last_conjunct(head)
    end = last.idx + len(last)
    return doc.text[doc[start].idx : end], end


def _is_modifier_of(tok: Token, head: Token, after: int) -> bool:
    """A token left of the head that belongs in the counted phrase ("wounded", "square", "Russian")."""
    return (tok.idx >= after and tok.dep_ not in _STOP_DEPS and not _is_number_token(tok)
            and head.is_ancestor(tok))


def _counted_head(tok: Token) -> Token | None:
    """The noun a number counts: its nummod head, or the object of "N of the X"."""
    if tok.dep_ in ("nummod", "quantmod") and tok.head.pos_ in ("NOUN", "PROPN") and tok.head != tok:
        return tok.head
    if tok.dep_ == "conj" and _is_number_token(tok.head):
        return _counted_head(tok.head)
    for child in tok.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [c for c in child.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")]
            return objects[0] if objects else None
    return None


def _last_conjunct(head: Token) -> Token:
    """The last noun coordinated with the head ("women and children"), unless it has its own figure."""
    last = head
    for conj in head.conjuncts:
        if conj.i <= last.i or conj.pos_ not in ("NOUN", "PROPN"):
            continue
        own = any(c.dep_ in ("nummod", "det", "poss") for c in conj.children)  # "and a checkpoint"
        if own or not _only_modifiers(head.doc, last.i, conj.i):
            break
        last = conj
    return last


def _only_modifiers(doc: Doc, start: int, end: int) -> bool:
    """True when the tokens strictly between start and end are coordinators or modifiers."""
    return all(doc[i].dep_ in _MODIFIER_DEPS for i in range(start + 1, end))


def _plural(noun: str) -> str:
    """Plural of a unit noun ("hour" -> "hours", "day" -> "days")."""
    if noun in _UNITS:
        return _UNITS[noun]
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


@functools.cache
def _vague_re() -> re.Pattern[str]:
    """One alternation over every form in the vague-amount table, longest first."""
    forms = {form: key for key, row in conventions()["amounts"].items() for form in row["forms"]}
    alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE)


def _vague_key(phrase: str) -> str:
    """The table row a matched form belongs to."""
    folded = " ".join(phrase.lower().split())
    return next(k for k, row in conventions()["amounts"].items() if folded in row["forms"])


def find_vague_amounts(sent: Span) -> list[QuantityMention]:
    """ "dozens of civilians", "several hundred", "tens of thousands": table ranges, vague=True."""
    mentions = []
    for match in _vague_re().finditer(sent.text):
        start, end = sent.start_char + match.start(), sent.start_char + match.end()
        span = sent.doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            mentions.append(_vague_mention(span, _vague_key(match.group(0))))
    return mentions


def _vague_mention(span: Span, key: str) -> QuantityMention:
    """A vague amount with the table's low/best/high and the noun it quantifies."""
    row = conventions()["amounts"][key]
    doc, last = span.doc, span[-1]
    head = _vague_head(last)
    counted, end = _noun_phrase(head, span.end_char) if head is not None else (None, None)
    end = span.end_char if end is None else end
    count = Count(best=row["best"], low=row["low"], high=row["high"], qualifier=None, counted=counted,
                  text=doc.text[span.start_char : end])
    return QuantityMention(count=count, start=span.start_char, end=end,
                           head_index=head.i if head is not None else -1, vague=True)


def _vague_head(last: Token) -> Token | None:
    """The noun a vague amount quantifies: "of" object, or the noun it modifies."""
    if last.lower_ == "of":
        objects = [c for c in last.children if c.dep_ == "pobj"]
        return objects[0] if objects else None
    head = _counted_head(last)
    if head is None and last.dep_ in ("amod", "det", "nummod") and last.head.pos_ in ("NOUN", "PROPN"):
        return last.head
    return head

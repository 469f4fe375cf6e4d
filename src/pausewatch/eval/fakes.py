"""Score pausewatch on a FA-KES-layout CSV: per-article event fields derived from its own extraction.

Nothing here is learned from the rows: every field comes from the extracted mentions through the small
tables below (general conflict-reporting terms), and is written in the data set's own vocabulary, read
from the CSV. The relevant mentions of an article are its asserted, not planned casualties, strike and
attack mentions, in document order; its lead is the first LEAD_SENTENCES sentences that carry one
(news reports put the incident first and background after).

- date: the report's own date (dateline or metadata). FA-KES annotators date an incident by the report
  that tells it: on the dev split the publication date matches the annotation in 69 % of the rows, the
  narrated day ("on Tuesday") in 58 %. Without one: the relevant mentions' dates (a death figure weighs
  FIGURE_WEIGHT, others 1), then any mention's, then the first full date near the top of the text.
- governorate: vote of the relevant mentions' gazetteer admin1, mapped onto the vocabulary (Rif Dimashq
  -> damascus, as the annotations do); death figures weigh FIGURE_WEIGHT and the lead LEAD_WEIGHT times
  more. Else the Syrian governorate the text names most (gazetteer), else by governorate name.
- actor, cause: the lead votes; a mention votes for the classes whose terms occur in its actor (weight
  ACTOR_WEIGHT) or sentence (weight 1, territory phrases such as "rebel-held" removed); the class naming
  the victims is not their killer; aircraft without a coalition term are the Syrian/Russian air force;
  for the cause each mention names its most specific cause (chemical > execution > explosion > shooting
  > shelling; clashes with no weapon named count as shooting). What the lead does not attribute stays
  "unknown", as in the annotations.
- counts: the death figures (casualty mentions whose trigger or counted noun is not an injury word)
  of the first sentence that gives one in the chosen governorate, split by the counted noun into
  children, women, non-civilians, and civilians (civilians, people, no noun). Figures are not summed:
  later sentences repeat the lead's toll, update it, or give background totals ("more than 280000 have
  died"), so the lead's figure per class is kept (the largest, if the sentence gives two of a class).
  Civilians are at least children + women, since FA-KES counts children and women within civilians.
"""

from __future__ import annotations

import csv
import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dateparser.search import search_dates
from rich.console import Console
from rich.table import Table

from ..credibility import ArticleFigures, CredibilityScore, score_articles
from ..errors import PausewatchError
from ..model import Article, EventType, Mention, Place, Polarity, Status
from ..settings import Settings

log = logging.getLogger(__name__)

COUNT_FIELDS = ("civilians", "children", "women", "noncivilians")
CLASS_FIELDS = ("date", "location", "actor", "cause")
RELEVANT_TYPES = frozenset({EventType.CASUALTIES, EventType.STRIKE, EventType.ATTACK})
CREDIBLE_AT = 0.5  # fixed in advance: a score at or above the neutral middle predicts label 1
WORST_MISSES = 40
DATELINE_CHARS = 300
DATE_SEARCH: Any = {"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"], "STRICT_PARSING": True}

# Governorate names and their usual spellings in English reports and gazetteers (admin1 names).
GOVERNORATES: dict[str, str] = {
    "aleppo": r"aleppo|halab",
    "damascus": r"damascus|dimashq|dimashk",  # Damascus and Rif Dimashq (Damascus countryside)
    "idlib": r"idl[ie]b",
    "deir ezzor": r"deir\W*(?:[ea][zl]?\W*)?z{0,2}[ao]u?r|dayr\W*az\W*zawr",
    "raqqa": r"raqq?ah?|rakkah?",
    "homs": r"homs|hims",
    "hasakeh": r"has+ak(?:ah|eh|a|e)",
    "hama": r"hamah?",
    "daraa": r"dara'?a|deraa|dar'a",
    "lattakia": r"latt?akiy?a|ladhiqiyah",
    "quneitra": r"quneitra|qunaytirah|kuneitra",
    "tartous": r"tart[ou]u?s",
}

# Perpetrator classes: terms that name them in reports. A trailing * marks a stem.
ACTOR_TERMS: dict[str, tuple[str, ...]] = {
    "coalition": ("coalition", "u.s.", "us-led", "u.s.-led", "american", "united states", "pentagon",
                  "french", "british"),
    "isis": ("islamic state", "isis", "isil", "daesh", "is group", "is militant*", "is jihadist*", "(is)"),
    "nusra": ("nusra", "fateh al-sham", "fatah al-sham", "tahrir al-sham", "hts", "al-qaeda", "al qaeda"),
    "kurdish": ("kurd*", "ypg", "sdf", "syrian democratic forces", "pyd", "ypj", "asayish"),
    "opposition": ("rebel*", "opposition", "free syrian army", "fsa", "insurgent*", "jaish al-islam",
                   "ahrar al-sham", "faylaq", "islamist*"),
    "government": ("regime", "government", "syrian army", "syrian troops", "syrian forces", "army",
                   "russia*", "assad*", "loyalist*", "pro-government", "hezbollah", "hizballah", "iranian",
                   "barrel bomb*", "helicopter*"),
}
# How the data set's own class names are recognised, per internal class.
ACTOR_NAMES: dict[str, str] = {
    "government": r"government|regime|russia", "isis": r"isis|islamic state|isil|daesh",
    "coalition": r"coalition", "opposition": r"opposition|rebel", "nusra": r"nusra",
    "kurdish": r"self.administration|kurd|sdf|ypg", "unknown": r"unknown",
}

# Causes of death, most specific first (a chlorine barrel bomb is chemical; a car bomb is an explosion).
CAUSE_TERMS: dict[str, tuple[str, ...]] = {
    "chemical": ("chemical*", "toxic", "gas", "chlorine", "sarin", "asphyxia*", "suffocat*", "nerve agent*"),
    "execution": ("execut*", "behead*", "firing squad*", "summary killing*"),
    "explosion": ("explosion*", "explosive device*", "explosive-laden", "explosives", "blast*", "car bomb*",
                  "car-bomb*", "truck bomb*", "motorcycle bomb*", "bomb blast*", "suicide", "booby", "ied", "ieds",
                  "landmine*", "mine", "mines", "detonat*", "explod*"),
    "shooting": ("shot", "shooting", "gunfire", "sniper*", "gunm*", "bullet*", "opened fire", "machine gun*"),
    "shelling": ("shell*", "mortar*", "rocket*", "artillery", "missile*", "air strike*", "airstrike*",
                 "air raid*", "raid*", "warplane*", "jet*", "barrel bomb*", "bombard*", "bombing*",
                 "helicopter*", "aircraft", "aerial", "strike*"),
}
# Ground combat with no weapon named: deaths in clashes are deaths by gunfire (checked after the table).
COMBAT_TERMS = ("clash*", "gun battle*", "firefight*", "battle*", "fighting", "infighting")
CAUSE_NAMES: dict[str, str] = {
    "chemical": r"chemical|gas|toxic", "execution": r"execut", "explosion": r"explos|blast",
    "shooting": r"shoot|gun", "shelling": r"shell|aerial|air|bombard", "unknown": r"unknown",
}

# Who a figure counts, by the counted noun (checked in this order: "family members" are civilians);
# a noun of none of these classes ("people", "persons") or none at all counts civilians.
VICTIMS: dict[str, tuple[str, ...]] = {
    "children": ("child*", "kid", "kids", "boy*", "girl*", "schoolchild*", "infant*", "baby", "babies",
                 "minor*", "toddler*", "teenager*", "student*", "pupil*"),
    "women": ("woman", "women", "mother*", "wife", "wives"),
    "civilians": ("civilian*", "famil*", "resident*", "villager*", "worker*", "patient*", "medic*"),
    "noncivilians": ("fighter*", "soldier*", "militant*", "troop*", "rebel*", "terrorist*", "jihadist*",
                     "gunm*", "insurgent*", "militiam*", "militia*", "combatant*", "officer*", "personnel",
                     "guard*", "commander*", "recruit*", "member*", "mercenar*", "extremist*", "policem*",
                     "army", "forces", "servicem*", "conscript*"),
}
INJURY = re.compile(r"\b(?:wound|injur|hurt)", re.IGNORECASE)
ACTOR_WEIGHT, EVIDENCE_WEIGHT, FIGURE_WEIGHT, LEAD_WEIGHT = 3, 1, 2, 3
LEAD_SENTENCES = 2
STATE_ADJECTIVES = frozenset({"syrian", "syrian and russian", "russian and syrian", "russian and regime"})
# Where a side holds ground is not who killed: "rebel-held", "held by IS", "regime stronghold".
TERRITORY = re.compile(r"\b[\w.]+[- ](?:held|controlled|run|besieged)\b|\b(?:held|controlled|besieged|run) by "
                       r"(?:the )?[\w.-]+(?: [\w.-]+)?|\b[\w.-]+ strongholds?\b|\bloyal to [\w.-]+", re.IGNORECASE)


def _pattern(terms: Iterable[str]) -> re.Pattern[str]:
    """One case-insensitive regex for a term list: whole words, or stems where a term ends in *."""
    parts = [re.escape(t[:-1]) if t.endswith("*") else re.escape(t) + r"(?!\w)" for t in terms]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")", re.IGNORECASE)


def _word_pattern(regex: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{regex})(?!\w)", re.IGNORECASE)


GOVERNORATE_RE = {name: _word_pattern(regex) for name, regex in GOVERNORATES.items()}
ACTOR_RE = {name: _pattern(terms) for name, terms in ACTOR_TERMS.items()}
CAUSE_RE = {name: _pattern(terms) for name, terms in CAUSE_TERMS.items()}
COMBAT_RE = _pattern(COMBAT_TERMS)
VICTIM_RE = {name: _pattern(terms) for name, terms in VICTIMS.items()}
AIR_RE = _pattern(("warplane*", "jet*", "air strike*", "airstrike*", "air raid*", "aircraft", "aerial"))


@dataclass(frozen=True, slots=True)
class Prediction:
    """The FA-KES fields pausewatch derives for one article, with the sentence behind each."""

    doc_id: str  # unique per row (unit ids repeat in FA-KES)
    unit_id: str
    outlet: str | None
    date: date | None
    governorate: str | None
    actor: str
    cause: str
    counts: dict[str, int]
    evidence: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Gold:
    """One row's annotation, as the data set gives it."""

    unit_id: str
    date: date | None
    location: str
    actor: str
    cause: str
    counts: dict[str, int]
    label: int | None


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The data set's own class names, and how pausewatch's classes map onto them."""

    locations: tuple[str, ...]
    actors: tuple[str, ...]
    causes: tuple[str, ...]

    def location(self, governorate: str | None) -> str:
        return _vocab_value(governorate, self.locations, GOVERNORATE_RE) or (governorate or "unknown")

    def actor(self, internal: str) -> str:
        return _vocab_value(internal, self.actors, _names(ACTOR_NAMES)) or self._unknown(self.actors)

    def cause(self, internal: str) -> str:
        return _vocab_value(internal, self.causes, _names(CAUSE_NAMES)) or self._unknown(self.causes)

    @staticmethod
    def _unknown(values: Sequence[str]) -> str:
        return next((v for v in values if "unknown" in v.lower()), "unknown")


def _names(table: Mapping[str, str]) -> dict[str, re.Pattern[str]]:
    return {name: re.compile(regex, re.IGNORECASE) for name, regex in table.items()}


def _vocab_value(internal: str | None, values: Sequence[str],
                 patterns: Mapping[str, re.Pattern[str]]) -> str | None:
    """The data set value that the internal class's name pattern recognises."""
    pattern = patterns.get(internal or "")
    return next((v for v in values if pattern is not None and pattern.search(v)), None)


# ---------------------------------------------------------------- prediction from the extraction


def relevant(mentions: Iterable[Mention]) -> list[Mention]:
    """Asserted casualties, strikes and attacks that happened or go on, in document order."""
    keep = [m for m in mentions if m.type in RELEVANT_TYPES and m.polarity == Polarity.ASSERTED
            and m.status != Status.PLANNED]
    return sorted(keep, key=lambda m: m.span)


def lead(mentions: Sequence[Mention], sentences: int = LEAD_SENTENCES) -> list[Mention]:
    """The mentions of the first sentences that carry any (news puts the incident first)."""
    spans = list(dict.fromkeys(m.span for m in mentions))[:sentences]
    return [m for m in mentions if m.span in spans]


def is_death_figure(mention: Mention) -> bool:
    """A casualty mention with a figure that counts the dead, not the wounded."""
    if mention.type != EventType.CASUALTIES or mention.count is None:
        return False
    return not INJURY.search(mention.trigger or "") and not INJURY.search(mention.count.counted or "")


def _weight(mention: Mention) -> int:
    return FIGURE_WEIGHT if is_death_figure(mention) else 1


Vote = tuple[str | None, float, str]


def _vote(items: Iterable[Vote]) -> tuple[str | None, str]:
    """The value with the largest total weight (earliest first on ties), and its first evidence."""
    totals: dict[str, float] = defaultdict(float)
    evidence: dict[str, str] = {}
    for value, weight, sentence in items:
        if value is not None:
            totals[value] += weight
            evidence.setdefault(value, sentence)
    if not totals:
        return None, ""
    best = max(totals, key=lambda v: (totals[v], -list(evidence).index(v)))
    return best, evidence[best]


def _lead_vote(mentions: Sequence[Mention], votes: Callable[[Mention], list[tuple[str, float]]]
               ) -> tuple[str | None, str]:
    """Vote over the lead only: what the lead does not attribute, the report leaves unknown."""
    return _vote((name, weight, m.evidence) for m in lead(mentions) for name, weight in votes(m))


def governorate_of(name: str | None) -> str | None:
    """The vocabulary governorate an admin1 (or any place) name denotes, e.g. Rif Dimashq -> damascus."""
    if not name:
        return None
    return next((gov for gov, pattern in GOVERNORATE_RE.items() if pattern.search(name)), None)


def place_governorate(place: Place | None) -> str | None:
    """The governorate of a Syrian place (by its admin1, or its own name when it is one)."""
    if place is None or place.country not in (None, "Syria"):
        return None
    return governorate_of(place.admin1) or governorate_of(place.canonical)


def predict_governorate(mentions: Sequence[Mention], text_places: Sequence[Place] = (),
                        text: str = "") -> tuple[str | None, str]:
    """The casualty/strike/attack mentions' governorate (the lead counts triple); else the most named."""
    pool = relevant(mentions)
    first = set(lead(pool))
    found = _vote((place_governorate(m.place), _weight(m) * (LEAD_WEIGHT if m in first else 1), m.evidence)
                  for m in pool)
    if found[0] is not None:
        return found
    found = _vote((place_governorate(p), 1, f"{p.name} (most named governorate)") for p in text_places)
    return found if found[0] is not None else most_named_governorate(text)


def most_named_governorate(text: str) -> tuple[str | None, str]:
    """The governorate whose name occurs most often in the text (earliest on ties)."""
    hits = {gov: pattern.findall(text) for gov, pattern in GOVERNORATE_RE.items()}
    first = {gov: (m.start() if (m := GOVERNORATE_RE[gov].search(text)) else 0) for gov in hits}
    ranked = sorted((g for g in hits if hits[g]), key=lambda g: (-len(hits[g]), first[g]))
    return (ranked[0], "most named in the text") if ranked else (None, "")


def predict_date(mentions: Sequence[Mention], article: Article) -> tuple[date | None, str]:
    """The report's own date; else the casualty/strike/attack mentions' date; else a date in the text."""
    if article.published is not None:
        return article.published, f"publication date ({article.published_guess.method})"
    for pool in (relevant(mentions), mentions):
        chosen, sentence = _vote((m.date.isoformat() if m.date else None, _weight(m), m.evidence) for m in pool)
        if chosen is not None:
            return date.fromisoformat(chosen), sentence
    return text_date(article.text)


def text_date(text: str) -> tuple[date | None, str]:
    """The first full date (day, month and year) near the top of the text, day first when ambiguous."""
    found = search_dates(text[:DATELINE_CHARS], languages=["en"], settings=DATE_SEARCH) or []
    return (found[0][1].date(), found[0][0]) if found else (None, "")


def _class_votes(text: str, patterns: Mapping[str, re.Pattern[str]], weight: int) -> list[tuple[str, float]]:
    return [(name, weight) for name, pattern in patterns.items() if pattern.search(text)]


def _victim_classes(mentions: Sequence[Mention]) -> set[str]:
    """Actor classes that name the counted victims ("29 rebels killed"): they are not the killers."""
    counted = " ".join(m.count.counted or "" for m in mentions if is_death_figure(m) and m.count)
    return {name for name, pattern in ACTOR_RE.items() if pattern.search(counted)}


def actor_votes(mention: Mention) -> list[tuple[str, float]]:
    """Actor classes named by one mention: its actor strongly, its sentence weakly (territory aside)."""
    agent = (mention.actor or "").strip()
    votes = _class_votes(agent, ACTOR_RE, ACTOR_WEIGHT)
    if agent.lower() in STATE_ADJECTIVES:
        votes.append(("government", ACTOR_WEIGHT))  # "Syrian air strikes": the state's forces
    sentence = TERRITORY.sub(" ", mention.evidence)
    votes += _class_votes(sentence, ACTOR_RE, EVIDENCE_WEIGHT)
    if AIR_RE.search(sentence) and not ACTOR_RE["coalition"].search(sentence):
        votes.append(("government", EVIDENCE_WEIGHT))  # aircraft over Syria: the Syrian or Russian air force
    return votes


def predict_actor(mentions: Sequence[Mention]) -> tuple[str, str]:
    """The perpetrator class the lead names, never the class of the victims; else unknown."""
    pool = relevant(mentions)
    victims = _victim_classes(lead(pool))
    chosen, sentence = _lead_vote(pool, lambda m: [v for v in actor_votes(m) if v[0] not in victims])
    return chosen or "unknown", sentence


def cause_votes(mention: Mention) -> list[tuple[str, float]]:
    """The most specific cause the mention's trigger and sentence name (chemical before shelling)."""
    text = f"{mention.trigger or ''} {mention.evidence}"
    found = [name for name, pattern in CAUSE_RE.items() if pattern.search(text)]
    if not found and COMBAT_RE.search(text):
        found = ["shooting"]
    return [(found[0], _weight(mention))] if found else []


def predict_cause(mentions: Sequence[Mention]) -> tuple[str, str]:
    """The cause of death the lead names; else unknown."""
    chosen, sentence = _lead_vote(relevant(mentions), cause_votes)
    return chosen or "unknown", sentence


def victim_class(counted: str | None) -> str:
    """Children, women, non-civilians, or civilians (people, civilians, no noun) by the counted noun."""
    text = counted or ""
    return next((name for name, pattern in VICTIM_RE.items() if pattern.search(text)), "civilians")


def predict_counts(mentions: Sequence[Mention], governorate: str | None) -> tuple[dict[str, int], str]:
    """The figures of the first sentence giving a death toll here: per class the largest of them."""
    figures = [m for m in relevant(mentions) if is_death_figure(m) and not _elsewhere(m, governorate)]
    counts = dict.fromkeys(COUNT_FIELDS, 0)
    for m in lead(figures, 1):
        name = victim_class(m.count.counted if m.count else None)
        counts[name] = max(counts[name], m.count.best if m.count else 0)
    counts["civilians"] = max(counts["civilians"], counts["children"] + counts["women"])
    return counts, figures[0].evidence if figures else ""


def _elsewhere(mention: Mention, governorate: str | None) -> bool:
    found = place_governorate(mention.place)
    return governorate is not None and found is not None and found != governorate


def predict(article: Article, mentions: Sequence[Mention], text_places: Sequence[Place] = ()) -> Prediction:
    """Every FA-KES field for one article, from its mentions (and the places it names, as a last resort)."""
    when, date_ev = predict_date(mentions, article)
    gov, gov_ev = predict_governorate(mentions, text_places, article.text)
    actor, actor_ev = predict_actor(mentions)
    cause, cause_ev = predict_cause(mentions)
    counts, count_ev = predict_counts(mentions, gov)
    evidence = {"date": date_ev, "location": gov_ev, "actor": actor_ev, "cause": cause_ev, "counts": count_ev}
    return Prediction(article.doc_id, article.name, article.outlet, when, gov, actor, cause, counts, evidence)


def article_figures(prediction: Prediction) -> ArticleFigures:
    """The pure data the credibility signal needs."""
    return ArticleFigures(prediction.doc_id, prediction.outlet, prediction.date, prediction.governorate,
                          dict(prediction.counts))


# ---------------------------------------------------------------- gold and scores


def parse_fakes_date(text: str) -> date | None:
    """A FA-KES m/d/yy date."""
    try:
        return datetime.strptime(text.strip(), "%m/%d/%y").date()
    except ValueError:
        return None


def format_fakes_date(value: date | None) -> str:
    """m/d/yy without zero padding, as FA-KES writes dates."""
    return "" if value is None else f"{value.month}/{value.day}/{value:%y}"


def _int(text: str | None) -> int:
    try:
        return int(float(text or 0))
    except ValueError:
        return 0


def gold_of(article: Article) -> Gold | None:
    """The annotation carried in a FA-KES row's meta, or None when the row has none."""
    meta = {key.lower(): value for key, value in article.meta.items()}
    if "label" not in meta or "location" not in meta:
        return None
    counts = {name: _int(meta.get(f"nb_{name}")) for name in COUNT_FIELDS}
    label = meta["label"].strip()
    return Gold(article.name, parse_fakes_date(meta.get("date", "")), meta["location"].strip(),
                meta.get("actor", "").strip(), meta.get("cause_of_death", "").strip(), counts,
                int(label) if label in {"0", "1"} else None)


def vocabulary_of(golds: Iterable[Gold]) -> Vocabulary:
    """The class names the data set itself uses, most frequent first."""
    golds = list(golds)

    def names(get: Callable[[Gold], str]) -> tuple[str, ...]:
        return tuple(v for v, _ in Counter(get(g) for g in golds if get(g)).most_common())

    return Vocabulary(names(lambda g: g.location), names(lambda g: g.actor), names(lambda g: g.cause))


def roc_auc(scores: Sequence[float], labels: Sequence[int]) -> float | None:
    """ROC AUC by the Mann-Whitney U statistic (ties count half); None without both classes."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y == 1]
    neg = [s for s, y in zip(scores, labels, strict=True) if y == 0]
    if not pos or not neg:
        return None
    ranks = _midranks([*pos, *neg])
    u = sum(ranks[: len(pos)]) - len(pos) * (len(pos) + 1) / 2
    return u / (len(pos) * len(neg))


def _midranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, tied values sharing their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for k in range(start, end + 1):
            ranks[order[k]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def accuracy_f1(scores: Sequence[float], labels: Sequence[int], threshold: float) -> tuple[float, float]:
    """Accuracy and F1 (label 1 positive) of predicting 1 when the score is at least the threshold."""
    predicted = [int(s >= threshold) for s in scores]
    pairs = list(zip(predicted, labels, strict=True))
    tp = sum(p == y == 1 for p, y in pairs)
    fp, fn = sum(p == 1 and y == 0 for p, y in pairs), sum(p == 0 and y == 1 for p, y in pairs)
    accuracy = sum(p == y for p, y in pairs) / len(pairs) if pairs else 0.0
    return accuracy, (2 * tp / (2 * tp + fp + fn) if tp else 0.0)


def within(predicted: int, gold: int, tolerance: float = 0.1) -> bool:
    """Within ±10 % of the gold figure (exactly, for a gold zero)."""
    return abs(predicted - gold) <= tolerance * gold


@dataclass
class _Scores:
    hits: Counter[str] = field(default_factory=Counter)
    confusion: dict[str, Counter[tuple[str, str]]] = field(default_factory=lambda: defaultdict(Counter))
    misses: list[dict[str, Any]] = field(default_factory=list)


def _row(pred: Prediction, vocab: Vocabulary) -> dict[str, str]:
    """The prediction in the data set's own vocabulary."""
    return {"date": format_fakes_date(pred.date), "location": vocab.location(pred.governorate),
            "actor": vocab.actor(pred.actor), "cause": vocab.cause(pred.cause)}


def _gold_row(gold: Gold) -> dict[str, str]:
    return {"date": format_fakes_date(gold.date), "location": gold.location, "actor": gold.actor,
            "cause": gold.cause}


def _score_one(scores: _Scores, pred: Prediction, gold: Gold, vocab: Vocabulary) -> None:
    mine, theirs = _row(pred, vocab), _gold_row(gold)
    for name in CLASS_FIELDS:
        scores.hits[name] += mine[name] == theirs[name]
        if name != "date":
            scores.confusion[name][(theirs[name], mine[name])] += 1
        if mine[name] != theirs[name]:
            scores.misses.append(_miss(pred, name, theirs[name], mine[name], 1.0))
    for name in COUNT_FIELDS:
        got, want = pred.counts[name], gold.counts[name]
        scores.hits[f"{name}_exact"] += got == want
        scores.hits[f"{name}_within_10pct"] += within(got, want)
        if got != want:
            size = abs(math.log1p(got) - math.log1p(want))
            scores.misses.append(_miss(pred, name, str(want), str(got), size))


def _miss(pred: Prediction, name: str, gold: str, got: str, size: float) -> dict[str, Any]:
    evidence = pred.evidence.get("counts" if name in COUNT_FIELDS else name, "")
    return {"unit_id": pred.unit_id, "field": name, "gold": gold, "predicted": got, "size": round(size, 3),
            "evidence": evidence}


def score_predictions(preds: Sequence[Prediction], golds: Sequence[Gold], vocab: Vocabulary,
                      credibility: Mapping[str, CredibilityScore]) -> dict[str, Any]:
    """Field accuracies, count agreement, credibility against the labels, confusion tables, misses."""
    scores = _Scores()
    for pred, gold in zip(preds, golds, strict=True):
        _score_one(scores, pred, gold, vocab)
    n = max(1, len(preds))
    result: dict[str, Any] = {"articles": len(preds)}
    names = {"date": "date", "location": "governorate", "actor": "actor", "cause": "cause"}
    result.update({f"{names[f]}_accuracy": round(scores.hits[f] / n, 4) for f in CLASS_FIELDS})
    result.update({key: round(scores.hits[key] / n, 4) for f in COUNT_FIELDS
                   for key in (f"{f}_exact", f"{f}_within_10pct")})
    result.update(_credibility_scores(preds, golds, credibility))
    result["_confusion"] = {f: dict(c) for f, c in scores.confusion.items()}
    result["_misses"] = sorted(scores.misses, key=lambda m: -m["size"])[:WORST_MISSES]
    return result


def _credibility_scores(preds: Sequence[Prediction], golds: Sequence[Gold],
                        credibility: Mapping[str, CredibilityScore]) -> dict[str, Any]:
    pairs = [(credibility[p.doc_id].score, g.label) for p, g in zip(preds, golds, strict=True)
             if g.label is not None and p.doc_id in credibility]
    scores, labels = [s for s, _ in pairs], [y for _, y in pairs if y is not None]
    auc = roc_auc(scores, labels)
    accuracy, f1 = accuracy_f1(scores, labels, CREDIBLE_AT)
    corroborated = sum(credibility[p.doc_id].agreement is not None for p in preds if p.doc_id in credibility)
    return {"credibility_auc": None if auc is None else round(auc, 4),
            "credibility_accuracy": round(accuracy, 4), "credibility_f1": round(f1, 4),
            "credibility_threshold": CREDIBLE_AT,
            "credibility_label1_rate": round(sum(labels) / len(labels), 4) if labels else None,
            "credibility_corroborated": corroborated}


# ---------------------------------------------------------------- entry points


def evaluate_fakes(path: Path, settings: Settings, predictions: Path | None = None) -> dict[str, Any]:
    """Run the pipeline on every article of a FA-KES CSV and score the derived fields."""
    from ..extract_cmd import extract_results  # the NLP pipeline loads only when an evaluation runs

    if not path.is_file():
        raise PausewatchError(f"FA-KES file {path} not found")
    results, rejected = extract_results([str(path)], settings)
    scored = [(r.article, r.mentions, g) for r in results if (g := gold_of(r.article)) is not None]
    if not scored:
        raise PausewatchError(f"{path}: no FA-KES rows with annotations (label, location) were read")
    log.info("FA-KES: %d articles scored, %d rejected", len(scored), len(rejected))
    preds = predict_all([(article, mentions) for article, mentions, _ in scored], settings)
    golds = [g for _, _, g in scored]
    vocab = vocabulary_of(golds)
    credibility = score_articles([article_figures(p) for p in preds])
    result = score_predictions(preds, golds, vocab, credibility)
    result["rejected"] = len(rejected)
    if predictions is not None:
        write_predictions(predictions, preds, vocab, credibility)
    return result


def predict_all(items: Sequence[tuple[Article, Sequence[Mention]]], settings: Settings) -> list[Prediction]:
    """Predictions for extracted articles, with the places each text names as the last resort."""
    from ..annotate.gazetteer import load_gazetteer

    gazetteer = load_gazetteer(tuple(settings.gazetteers))
    return [predict(article, mentions, [p for _, _, p in gazetteer.find_places(article.text)])
            for article, mentions in items]


PREDICTION_COLUMNS = ("unit_id", "date", "location", "actor", "cause_of_death", "nb_children", "nb_civilians",
                      "nb_noncivilians", "nb_women", "credibility")


def write_predictions(path: Path, preds: Sequence[Prediction], vocab: Vocabulary,
                      credibility: Mapping[str, CredibilityScore]) -> None:
    """One CSV row per article, in the data set's own columns and vocabulary."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PREDICTION_COLUMNS)
        for pred in preds:
            row = _row(pred, vocab)
            score = credibility[pred.doc_id].score if pred.doc_id in credibility else 0.5
            writer.writerow([pred.unit_id, row["date"], row["location"], row["actor"], row["cause"],
                             *(pred.counts[n] for n in ("children", "civilians", "noncivilians", "women")),
                             f"{score:.4f}"])


def render_fakes(result: Mapping[str, Any], console: Console) -> None:
    """Scores, confusion tables and the worst misses as rich tables."""
    console.print(_summary_table(result))
    for name, confusion in result.get("_confusion", {}).items():
        console.print(_confusion_table(name, confusion))
    console.print(_misses_table(result.get("_misses", [])))


def _summary_table(result: Mapping[str, Any]) -> Table:
    table = Table(title=f"FA-KES ({result['articles']} articles, {result.get('rejected', 0)} rejected)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in result.items():
        if not key.startswith("_") and key not in {"articles", "rejected"}:
            table.add_row(key, _shown(value))
    return table


def _shown(value: object) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _confusion_table(name: str, confusion: Mapping[tuple[str, str], int]) -> Table:
    """One row per gold class: how many, how many right, and what it was mistaken for."""
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    for (gold, guess), n in confusion.items():
        rows[gold][guess] += n
    table = Table(title=f"{name}: confusions (gold class -> predicted)")
    table.add_column("gold", overflow="fold")
    table.add_column("n", justify="right")
    table.add_column("right", justify="right")
    table.add_column("mistaken for", overflow="fold")
    for gold, guesses in sorted(rows.items(), key=lambda kv: -sum(kv[1].values())):
        wrong = ", ".join(f"{p} ({n})" for p, n in guesses.most_common() if p != gold)
        table.add_row(gold, str(sum(guesses.values())), str(guesses[gold]), wrong)
    return table


def _misses_table(misses: Sequence[Mapping[str, Any]]) -> Table:
    table = Table(title="worst misses")
    for column in ("unit_id", "field", "gold", "predicted", "evidence"):
        table.add_column(column, overflow="fold")
    for miss in misses:
        table.add_row(miss["unit_id"], miss["field"], miss["gold"], miss["predicted"], miss["evidence"][:160])
    return table

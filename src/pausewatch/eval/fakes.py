"""Score pausewatch on a FA-KES-layout CSV: read the annotations, compare the fields that fakes_rules
derives from each article's extraction, check the credibility signal against the labels, and report.
"""

from __future__ import annotations

import csv
import logging
import math
import random
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from ..credibility import ArticleFigures, CredibilityScore, score_articles, score_documents
from ..errors import PausewatchError
from ..model import Article, Mention
from ..settings import Settings
from .fakes_rules import (
    ACTOR_NAMES,
    ACTOR_RE,
    ACTOR_TERMS,
    ACTOR_WEIGHT,
    AIR_RE,
    CAUSE_NAMES,
    CAUSE_RE,
    CAUSE_TERMS,
    COMBAT_RE,
    COMBAT_TERMS,
    COUNT_FIELDS,
    DATE_SEARCH,
    DATELINE_CHARS,
    EVIDENCE_WEIGHT,
    FIGURE_WEIGHT,
    GOVERNORATE_RE,
    GOVERNORATES,
    INJURY,
    LEAD_SENTENCES,
    LEAD_WEIGHT,
    RELEVANT_TYPES,
    STATE_ADJECTIVES,
    TERRITORY,
    VICTIM_RE,
    VICTIMS,
    Prediction,
    Vote,
    actor_votes,
    article_figures,
    cause_votes,
    days_given,
    governorate_of,
    is_death_figure,
    lead,
    most_named_governorate,
    place_governorate,
    predict,
    predict_actor,
    predict_all,
    predict_cause,
    predict_counts,
    predict_date,
    predict_governorate,
    relevant,
    text_date,
    victim_class,
)

__all__ = [  # the rules live in fakes_rules; callers and tests import them from here
    "accuracy_f1", "auc_interval", "by_outlet", "ACTOR_NAMES", "ACTOR_RE", "ACTOR_TERMS", "actor_votes",
    "ACTOR_WEIGHT", "AIR_RE",
    "article_figures", "CAUSE_NAMES", "CAUSE_RE", "CAUSE_TERMS", "cause_votes", "CLASS_FIELDS", "COMBAT_RE",
    "COMBAT_TERMS", "COUNT_FIELDS", "CREDIBLE_AT", "DATE_SEARCH", "days_given", "DATELINE_CHARS", "evaluate_fakes",
    "EVIDENCE_WEIGHT", "FIGURE_WEIGHT", "format_fakes_date", "Gold", "gold_of", "governorate_of", "GOVERNORATE_RE",
    "GOVERNORATES", "INJURY", "is_death_figure", "lead", "LEAD_SENTENCES", "LEAD_WEIGHT", "most_named_governorate",
    "parse_fakes_date", "place_governorate", "predict", "predict_actor", "predict_all", "predict_cause",
    "predict_counts", "predict_date", "predict_governorate", "Prediction", "PREDICTION_COLUMNS", "relevant",
    "RELEVANT_TYPES", "render_fakes", "roc_auc", "score_predictions", "STATE_ADJECTIVES", "TERRITORY", "text_date",
    "victim_class", "VICTIM_RE", "VICTIMS", "Vocabulary", "vocabulary_of", "Vote", "within", "WORST_MISSES",
    "write_predictions",
]

log = logging.getLogger(__name__)

CLASS_FIELDS = ("date", "location", "actor", "cause")
CREDIBLE_AT = 0.5  # fixed in advance: a score at or above the neutral middle predicts label 1
WORST_MISSES = 40
BOOTSTRAP_RESAMPLES = 1000


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


def labelled_auc(pairs: Iterable[tuple[float, int | None]], digits: int = 4) -> float | None:
    """The rounded ROC AUC of (score, label) pairs, rows without a label left out; None without both classes."""
    kept = [(score, label) for score, label in pairs if label is not None]
    auc = roc_auc([score for score, _ in kept], [label for _, label in kept])
    return None if auc is None else round(auc, digits)


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
    result.update(_ceilings(preds, golds))
    result["by_outlet"] = by_outlet(preds, golds, vocab, credibility)
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
            "credibility_auc_ci90": auc_interval(scores, labels),
            "credibility_accuracy": round(accuracy, 4), "credibility_f1": round(f1, 4),
            "credibility_threshold": CREDIBLE_AT,
            "credibility_label1_rate": round(sum(labels) / len(labels), 4) if labels else None,
            "credibility_corroborated": corroborated}


def by_outlet(preds: Sequence[Prediction], golds: Sequence[Gold], vocab: Vocabulary,
              credibility: Mapping[str, CredibilityScore]) -> dict[str, dict[str, Any]]:
    """Per outlet: how many articles, how well their fields were read, their labels and credibility.

    Shows whether one outlet's house style (datelines, toll phrasing) drags a field down, and whether the
    signal separates an outlet's own reports or only ranks outlets.
    """
    groups: dict[str, list[tuple[Prediction, Gold]]] = defaultdict(list)
    for pred, gold in zip(preds, golds, strict=True):
        groups[pred.outlet or "unknown"].append((pred, gold))
    return {outlet: _outlet_scores(pairs, vocab, credibility) for outlet, pairs in sorted(groups.items())}


def _outlet_scores(pairs: Sequence[tuple[Prediction, Gold]], vocab: Vocabulary,
                   credibility: Mapping[str, CredibilityScore]) -> dict[str, Any]:
    n = len(pairs)
    rows = [(_row(p, vocab), _gold_row(g)) for p, g in pairs]
    scored = [(credibility[p.doc_id].score, g.label) for p, g in pairs
              if p.doc_id in credibility and g.label is not None]
    labels = [y for _, y in scored if y is not None]
    return {"articles": n,
            "governorate_accuracy": round(sum(m["location"] == t["location"] for m, t in rows) / n, 3),
            "date_accuracy": round(sum(m["date"] == t["date"] for m, t in rows) / n, 3),
            "civilians_exact": round(sum(p.counts["civilians"] == g.counts["civilians"] for p, g in pairs) / n, 3),
            "label1_rate": round(sum(labels) / len(labels), 3) if labels else None,
            "mean_credibility": round(statistics.fmean(s for s, _ in scored), 3) if scored else None,
            "credibility_auc": labelled_auc(scored, 3)}


def auc_interval(scores: Sequence[float], labels: Sequence[int], level: float = 0.90,
                 resamples: int = BOOTSTRAP_RESAMPLES) -> list[float] | None:
    """Percentile bootstrap interval of the ROC AUC (fixed seed: the same rows give the same interval).

    On a few hundred rows an AUC moves by several points from sample to sample; the interval says how far.
    """
    rng = random.Random(0)
    n = len(scores)
    found = []
    for _ in range(resamples):
        rows = [rng.randrange(n) for _ in range(n)]
        auc = roc_auc([scores[i] for i in rows], [labels[i] for i in rows])
        if auc is not None:
            found.append(auc)
    if not found:
        return None
    found.sort()
    tail = (1 - level) / 2
    return [round(found[int(tail * (len(found) - 1))], 4), round(found[int((1 - tail) * (len(found) - 1))], 4)]


def _ceilings(preds: Sequence[Prediction], golds: Sequence[Gold]) -> dict[str, Any]:
    """What the text and the signal allow, whatever the rules choose.

    date_ceiling: share of articles whose annotated date is one of the days the report gives (its own or a
    mention's), the most any date rule could reach. credibility_auc_on_annotations: the credibility signal
    run on the annotated date, governorate and counts instead of the extracted ones (perfect extraction).
    """
    pairs = list(zip(preds, golds, strict=True))
    reachable = sum(g.date is not None and g.date in p.dates_found for p, g in pairs)
    annotated = [ArticleFigures(p.doc_id, p.outlet, g.date, g.location, dict(g.counts)) for p, g in pairs]
    scores = score_articles(annotated)
    return {"date_ceiling": round(reachable / max(1, len(pairs)), 4),
            "credibility_auc_on_annotations": labelled_auc((scores[p.doc_id].score, g.label) for p, g in pairs)}


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
    result["credibility_auc_briefing"] = _briefing_signal_auc(scored)
    result["rejected"] = len(rejected)
    if predictions is not None:
        write_predictions(predictions, preds, vocab, credibility)
    return result


def _briefing_signal_auc(scored: Sequence[tuple[Article, Sequence[Mention], Gold]]) -> float | None:
    """The AUC of the signal the briefing and dashboard show (credibility.score_documents over the
    consolidated events), so what users read is scored too, not only the FA-KES-field variant."""
    from ..consolidate import consolidate

    events = consolidate([m for _, mentions, _ in scored for m in mentions])
    shown = score_documents(events, {article.doc_id: article.outlet for article, _, _ in scored})
    return labelled_auc((shown[a.doc_id].score, g.label) for a, _, g in scored)


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
    console.print(_outlet_table(result.get("by_outlet", {})))
    for name, confusion in result.get("_confusion", {}).items():
        console.print(_confusion_table(name, confusion))
    console.print(_misses_table(result.get("_misses", [])))


def _summary_table(result: Mapping[str, Any]) -> Table:
    table = Table(title=f"FA-KES ({result['articles']} articles, {result.get('rejected', 0)} rejected)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in result.items():
        if not key.startswith("_") and key not in {"articles", "rejected"} and not isinstance(value, dict):
            table.add_row(key, _shown(value))
    return table


OUTLET_COLUMNS = {"articles": "n", "governorate_accuracy": "gov", "date_accuracy": "date",
                  "civilians_exact": "civ", "label1_rate": "lab1", "mean_credibility": "cred", "credibility_auc": "AUC"}


def _outlet_table(outlets: Mapping[str, Mapping[str, Any]]) -> Table:
    table = Table(title="by outlet", caption="gov, date, civ: field accuracy; lab1: share labelled 1; cred: mean "
                  "credibility; AUC: within the outlet")
    table.add_column("outlet", no_wrap=True)
    for header in OUTLET_COLUMNS.values():
        table.add_column(header, justify="right", no_wrap=True)
    for outlet, scores in outlets.items():
        table.add_row(outlet, *(_shown(scores[c], 2) for c in OUTLET_COLUMNS))
    return table


def _shown(value: object, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}" if isinstance(value, float) else str(value)


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

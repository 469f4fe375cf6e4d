"""Derive the FA-KES fields of one article from its own extraction, by fixed rules.

Nothing here is learned from the rows: every field comes from the extracted mentions through the small
tables below (general conflict-reporting terms); fakes.py writes it in the data set's own vocabulary,
read from the CSV. The relevant mentions of an article are its asserted, not planned casualties, strike and
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

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dateparser.search import search_dates

from ..credibility import ArticleFigures
from ..model import Article, EventType, Mention, Place, Polarity, Status
from ..settings import Settings

COUNT_FIELDS = ("civilians", "children", "women", "noncivilians")
RELEVANT_TYPES = frozenset({EventType.CASUALTIES, EventType.STRIKE, EventType.ATTACK})
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


Days = frozenset[date]  # an alias: inside Prediction, "date" is a field's name


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
    dates_found: Days = frozenset()  # every day the report gave: its own, and its mentions'



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
        shares = [(m.count.counted, m.count.best), *((p.counted, p.best) for p in m.count.parts)] if m.count else []
        for counted, value in shares:  # "16 civilians including 3 children": the whole, then its shares
            name = victim_class(counted)
            counts[name] = max(counts[name], value)
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
    given = days_given(article, mentions) | ({when} if when else set())
    return Prediction(article.doc_id, article.name, article.outlet, when, gov, actor, cause, counts, evidence,
                      given)


def days_given(article: Article, mentions: Sequence[Mention]) -> Days:
    """The days a report gives: its publication date and its mentions' dates (what any date rule picks from)."""
    found = {m.date for m in mentions if m.date is not None}
    return frozenset(found | ({article.published} if article.published else set()))


def article_figures(prediction: Prediction) -> ArticleFigures:
    """The pure data the credibility signal needs."""
    return ArticleFigures(prediction.doc_id, prediction.outlet, prediction.date, prediction.governorate,
                          dict(prediction.counts))


def predict_all(items: Sequence[tuple[Article, Sequence[Mention]]], settings: Settings) -> list[Prediction]:
    """Predictions for extracted articles, with the places each text names as the last resort."""
    from ..annotate.gazetteer import load_gazetteer

    gazetteer = load_gazetteer(tuple(settings.gazetteers))
    return [predict(article, mentions, [p for _, _, p in gazetteer.find_places(article.text)])
            for article, mentions in items]

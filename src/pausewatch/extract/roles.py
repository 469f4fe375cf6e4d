"""The roles of an event mention, read off the dependency parse around its trigger.

polarity: a negation, a failure verb ("abandoned plans to"), or a negative subject ("nobody", "few")
on the path from the trigger up to the clause that reports it makes the claim a denial.
status: future modals and planning verbs make it planned; present tense, progressives and
"continue/remain/still" make it ongoing; otherwise it happened.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from spacy.tokens import Span, Token

from ..annotate.speakers import is_reporting_verb
from ..model import Count, CountPart, EventType, Place, Polarity, Precision, Status
from .lexicon import Lexicon

ET = EventType
SHARE_WORDS = frozenset({"including", "among", "incl", "incl."})  # "16 civilians including three children"
SHARE_PRONOUNS = frozenset({"them", "whom", "those"})  # "among them five children"
NEGATIVE_SUBJECTS = frozenset({"nobody", "none", "few", "noone", "nothing", "neither"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "would", "could", "might", "going"})
PRESENT_AUX = frozenset({"can", "may", "must"})
PEOPLE_TYPES = frozenset({ET.EVACUATION, ET.MEDICAL_EVACUATION, ET.CASUALTIES, ET.OBSTRUCTION, ET.RELEASE})
COUNTED_BY_TYPE: dict[EventType, frozenset[str]] = {
    ET.CORRIDOR: frozenset({"corridor", "passage", "checkpoint", "crossing", "route", "lane", "exit"}),
    ET.PAUSE: frozenset({"hour", "day", "week", "minute", "month"}),
    ET.AID: frozenset({"truck", "lorry", "convoy", "ton", "tonne", "parcel", "meal", "basket", "vehicle", "kit"}),
    ET.STRIKE: frozenset({"strike", "airstrike", "raid", "missile", "bomb", "sortie", "drone", "rocket"}),
    ET.ATTACK: frozenset({"shell", "rocket", "mortar", "attack", "round", "missile", "drone"}),
}
DIRECTIONS = frozenset(
    [
        "east",
        "eastern",
        "west",
        "western",
        "north",
        "northern",
        "south",
        "southern",
        "central",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
    ]
)


def clause_path(trigger: Token) -> Iterator[Token]:
    """The trigger and its heads, up to (not into) the verb that reports it."""
    tok = trigger
    for _ in range(12):
        yield tok
        if tok.head is tok or is_reporting_verb(tok.head):
            return
        tok = tok.head


def polarity_of(trigger: Token, lex: Lexicon) -> Polarity:
    failure = lex.word_class("failure")
    for tok in clause_path(trigger):
        if any(c.dep_ == "neg" or c.lower_ in {"no", "never"} for c in tok.children):
            return Polarity.DENIED
        if tok.lemma_.lower() in failure or tok.lower_ == "without":
            return Polarity.DENIED
        if any(c.dep_ in {"nsubj", "nsubjpass"} and _negative_subject(c) for c in tok.children):
            return Polarity.DENIED
    top = list(clause_path(trigger))[-1]
    return Polarity.DENIED if top.head.lemma_.lower() == "deny" else Polarity.ASSERTED


def _negative_subject(subject: Token) -> bool:
    """ "nobody", "few", "no one", "no civilians": a subject that denies the event."""
    return subject.lower_ in NEGATIVE_SUBJECTS or any(c.dep_ == "det" and c.lower_ == "no" for c in subject.children)


def status_of(trigger: Token, lex: Lexicon) -> Status:
    """Planned, ongoing or happened, from the first finite verb (or telling construction) above the trigger."""
    planning, continuing = lex.word_class("planning"), lex.word_class("continuing")
    for tok in clause_path(trigger):
        lemma = tok.lemma_.lower() if tok is not trigger else ""  # "agreed to a truce" happened
        auxes = {c.lower_ for c in tok.children if c.dep_ in {"aux", "auxpass"}}
        if auxes & FUTURE_AUX or lemma in planning or _conditional(tok):
            return Status.PLANNED
        if lemma in continuing or any(c.lower_ in continuing for c in tok.children if c.dep_ == "advmod"):
            return Status.ONGOING
        if "to" in auxes:
            infinitive = _infinitive_status(tok, lex)
            if infinitive is not None:
                return infinitive
            continue
        if tok.pos_ in {"VERB", "AUX"} and tok.dep_ not in {"amod", "acl"} and _finite(tok):
            return _tense_status(tok, auxes)
    return Status.HAPPENED


def _finite(verb: Token) -> bool:
    """A verb that carries tense itself or through an auxiliary; participles and bare forms do not."""
    if verb.tag_ in {"VBD", "VBZ", "VBP", "MD"}:
        return True
    return any(c.dep_ in {"aux", "auxpass"} and c.tag_ in {"VBD", "VBZ", "VBP", "MD"} for c in verb.children)


def _conditional(verb: Token) -> bool:
    """ "unless a guarantee is given", "if the corridor opens": not yet happened."""
    return any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in verb.children)


def _infinitive_status(verb: Token, lex: Lexicon) -> Status | None:
    """What a to-infinitive says about its event, by what governs it; None to keep climbing."""
    head = verb.head
    lemma = head.lemma_.lower()
    if lemma in lex.word_class("continuing") or lemma in {"begin", "start"}:
        return Status.ONGOING
    if lemma in lex.word_class("enabling_verbs") and head.tag_ == "VBD":
        return Status.HAPPENED  # "allowed 3,180 civilians to leave"
    if lemma == "be" or head.pos_ in {"NOUN", "PROPN"}:
        return Status.PLANNED  # "the goal is to", "moves to renew"
    return None


def _tense_status(verb: Token, auxes: set[str]) -> Status:
    if verb.tag_ == "VBP" and verb.dep_ == "advcl" and not auxes and _past_clause(verb.head):
        return Status.HAPPENED  # "were killed when shells hit": "hit" is past, not present
    if auxes & PRESENT_AUX:
        return Status.ONGOING
    if verb.tag_ == "VBG" and auxes & {"is", "are", "am", "'re", "'s", "been"}:
        return Status.ONGOING
    if verb.tag_ in {"VBZ", "VBP"} or auxes & {"is", "are", "am"} and verb.tag_ != "VBN":
        return Status.ONGOING
    if verb.tag_ == "VBN" and auxes & {"are", "is", "am"}:
        return Status.ONGOING
    return Status.HAPPENED


def _past_clause(verb: Token) -> bool:
    """Whether a verb is in the past, by its own tag or its auxiliaries'."""
    return verb.tag_ == "VBD" or any(c.dep_ in {"aux", "auxpass"} and c.tag_ == "VBD" for c in verb.children)


def _phrase(head: Token, limit: int = 8) -> str:
    """A noun phrase without its relative clauses and appositions, trimmed to a readable length."""
    skip = {"relcl", "acl", "appos", "punct", "prep", "advcl"}
    tokens = [head]
    for child in head.children:
        if child.dep_ not in skip:
            tokens.extend(child.subtree)
    tokens.sort(key=lambda t: t.i)
    tokens = [t for t in tokens if t.dep_ != "det" or t.i != tokens[0].i][:limit]
    return " ".join(t.text for t in tokens).replace(" - ", "-").strip()


def actor_of(trigger: Token) -> str | None:
    """Who did it: the active subject, the passive agent, or a noun trigger's national modifier."""
    if trigger.pos_ == "VERB":
        for child in trigger.children:
            if child.dep_ == "nsubj":
                return _phrase(child)
            if child.dep_ == "agent":
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                return _phrase(obj) if obj is not None else None
        return None
    for child in trigger.children:
        if child.dep_ in {"poss"} or child.ent_type_ in {"NORP", "ORG"} and child.dep_ in {"amod", "compound"}:
            return _phrase(child, 4)
    head = trigger.head
    if trigger.dep_ == "dobj" and head.pos_ == "VERB":
        return actor_of(head)
    return None


def target_of(trigger: Token) -> str | None:
    if trigger.pos_ != "VERB":
        return None
    for child in trigger.children:
        if child.dep_ in {"dobj", "nsubjpass"}:
            return _phrase(child, 6)
    return None


def _counted_fits(kind: EventType, quantity_head: Token | None, counted: str | None, lex: Lexicon) -> bool:
    words = {w.lower().rstrip("s") for w in (counted or "").split()} | {(counted or "").lower()}
    if quantity_head is not None:
        words.add(quantity_head.lemma_.lower())
    if kind in PEOPLE_TYPES:
        people = lex.word_class("people")
        return bool(words & people) or any(w.rstrip("s") in people for w in words)
    if kind == ET.RESTORATION:
        return not words & (lex.word_class("people") | COUNTED_BY_TYPE[ET.PAUSE])
    return bool(words & COUNTED_BY_TYPE.get(kind, frozenset()))


def choose_count(
    trigger: Token, kind: EventType, quantities: list[tuple[Count, int, int]], lex: Lexicon
) -> Count | None:
    """The figure that belongs to this event: type-compatible counted noun, nearest the trigger.

    A share of another figure ("16 civilians including three children") is never the event's figure,
    however near the trigger it stands: the whole is chosen and carries its shares as parts.
    """
    doc = trigger.doc
    heads = {head_index: count for count, _, head_index in quantities if 0 <= head_index < len(doc)}
    wholes = {index: whole_of(doc[index], set(heads) - {index}) for index in heads}
    best: tuple[int, Count, int] | None = None
    for count, start_token, head_index in quantities:
        head = doc[head_index] if head_index in heads else None
        if not _counted_fits(kind, head, count.counted, lex) or wholes.get(head_index) is not None:
            continue
        distance = abs(start_token - trigger.i)
        if best is None or distance < best[0]:
            best = (distance, count, head_index)
    if best is None:
        return None
    parts = tuple(CountPart(heads[i].best, heads[i].counted) for i, whole in wholes.items() if whole == best[2])
    return replace(best[1], parts=parts) if parts else best[1]


def _first_conjunct(noun: Token) -> Token:
    """ "five children and two women": women -> children."""
    while noun.dep_ == "conj" and noun.head.pos_ in ("NOUN", "PROPN"):
        noun = noun.head
    return noun


def _among_them(noun: Token) -> bool:
    """ "among them five children": the noun follows "among them", so it names a share of a figure before.

    After the noun ("546 people, among them many children") the phrase opens the noun's own shares.
    """
    return any(prep.lower_ in SHARE_WORDS | {"of"} and any(o.lower_ in SHARE_PRONOUNS for o in prep.children)
               for prep in noun.children if prep.dep_ == "prep" and prep.i < noun.i)


def whole_of(noun: Token, others: set[int]) -> int | None:
    """The index of the counted noun this one is a share of, if any.

    "X including / among Y": Y hangs, through the preposition (and any conjunction), under X in the same
    clause; "Y were among X": Y is the subject of the copula whose "among" takes X.
    """
    through_share = False
    for tok in noun.ancestors:
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ != "prep":  # "including" is tagged a verb
            break
        through_share = through_share or tok.lower_ in SHARE_WORDS
        if through_share and tok.i in others:
            return tok.i
    first = _first_conjunct(noun)
    if _among_them(first):  # "killing 17 civilians, among them five children and two women": the figure before
        return max((i for i in others if i < first.i), default=None)
    if noun.dep_ == "nsubj" and noun.head.lemma_ == "be":
        for prep in noun.head.children:
            if prep.lower_ == "among":
                return next((obj.i for obj in prep.children if obj.dep_ == "pobj" and obj.i in others), None)
    return None


def place_name_as_written(ent: Span) -> str:
    """ "eastern Aleppo" keeps its direction word; the entity alone would lose it."""
    doc = ent.doc
    start = ent.start
    if start > 0 and doc[start - 1].lower_ in DIRECTIONS:
        start -= 1
    return doc[start : ent.end].text


def choose_place(trigger: Token, places: list[tuple[Span, Place]], default: Place | None) -> Place | None:
    """Where it happened: the most specific place in the trigger's clause (nearest first), else the document's."""
    if not places:
        return default
    clause = trigger if trigger.pos_ == "VERB" else trigger.head
    subtree = {t.i for t in clause.subtree}
    local = [(s, p) for s, p in places if s.root.i in subtree] or places
    rank = {Precision.POINT: 0, Precision.NEIGHBOURHOOD: 0, Precision.TOWN: 1, Precision.ADMIN1: 2}
    span, place = min(local, key=lambda sp: (rank.get(sp[1].precision, 3), abs(sp[0].start - trigger.i)))
    return place

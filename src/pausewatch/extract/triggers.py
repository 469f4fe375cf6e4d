"""Find event triggers in a sentence: lexicon lookup, then structural rules on the parse.

The lexicon says which words can signal which event type; the rules decide by structure:
- halting violence is a pause ("stopped carrying out airstrikes", "combat operations were suspended");
- what is called for, demanded, proposed or rejected is the content of a negotiation, not an event;
- "wounded militants came" describes people, it does not report casualties;
- leaving is an evacuation only when people leave; carrying the wounded is a medical evacuation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Span, Token

from ..model import EventType
from .lexicon import Lexicon, load_lexicon

ET = EventType
VIOLENT_GERUNDS = frozenset({"bomb", "shell", "fire", "strike", "attack", "fight", "bombing", "shelling", "firing"})


@dataclass(frozen=True, slots=True)
class Trigger:
    type: EventType
    token: Token


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _modifiers(tok: Token) -> set[str]:
    return {_lemma(c) for c in tok.children if c.dep_ in {"amod", "compound", "nmod", "npadvmod"}}


def _candidate_types(tok: Token, lex: Lexicon) -> frozenset[EventType]:
    lemma = _lemma(tok)
    if tok.pos_ in {"NOUN", "PROPN"} and tok.ent_type_ not in {"GPE", "LOC", "PERSON"}:
        return lex.nouns.get(lemma, frozenset()) | lex.nouns.get(tok.lower_, frozenset())
    if tok.pos_ == "VERB" or (tok.pos_ == "ADJ" and tok.tag_ == "VBN"):
        return lex.verbs.get(lemma, frozenset())
    if tok.pos_ == "ADJ":
        return lex.adjectives.get(lemma, frozenset())
    return frozenset()


def _subject(verb: Token) -> Token | None:
    """Subject of a verb, climbing through xcomp/relcl/acl/conj to the clause that has one."""
    seen = 0
    while seen < 4:
        subj = _children(verb, "nsubj", "nsubjpass")
        if subj:
            return subj[0]
        if verb.dep_ in {"relcl", "acl"}:
            return verb.head
        if verb.dep_ not in {"xcomp", "conj", "advcl"} or verb.head is verb:
            return None
        verb, seen = verb.head, seen + 1
    return None


def _is_people(tok: Token | None, lex: Lexicon) -> bool:
    if tok is None:
        return False
    people = lex.word_class("people")
    if _lemma(tok) in people or tok.lower_ in people or tok.like_num:
        return True
    if any(_lemma(c) in people for c in tok.conjuncts) or tok.lower_ in {"they", "who", "we"}:
        return True
    return _lemma(tok) in lex.word_class("collective_nouns") and any(
        _is_people(p, lex) for prep in _children(tok, "prep") if prep.lower_ == "of" for p in _children(prep, "pobj")
    )


def _keep(tok: Token, kind: EventType, lex: Lexicon) -> bool:
    """Structural filters that decide whether a lexicon hit really reports an event of that type."""
    if _is_background(tok, kind, lex):
        return False
    check = _FILTERS.get(kind)
    return check(tok, lex) if check else True


def _is_background(tok: Token, kind: EventType, lex: Lexicon) -> bool:
    """Words that frame a report rather than report an event.

    A noun modifying an institution or a plan ("aid coordinator", "evacuation plans"), a pause or
    a fight named as the setting ("ahead of the ceasefire", "while the pause holds"), and the
    subject of a hypothetical "for the pause to work".
    """
    if tok.pos_ in {"NOUN", "PROPN"} and tok.dep_ == "compound":
        return _lemma(tok.head) in lex.word_class("compound_heads_not_events")
    if str(kind) in lex.word_class("background_types") and _in_framing_phrase(tok, lex):
        return True
    head = tok.head
    return (
        tok.dep_ == "nsubj"
        and head.lemma_.lower() in lex.word_class("hypothetical_verbs")
        and any(c.lower_ == "to" for c in head.children)
    )


def _in_framing_phrase(tok: Token, lex: Lexicon) -> bool:
    """Inside "ahead of / despite / during X" or an adverbial clause "while / since / until X"."""
    node = tok
    while node.dep_ in {"pobj", "prep", "compound", "amod", "conj"} and node.head is not node:
        node = node.head
        if node.lower_ in lex.word_class("frame_preps"):
            return True
    markers = lex.word_class("background_markers")
    clause = tok if tok.pos_ in {"VERB", "AUX"} else tok.head
    return clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in markers for c in clause.children)


def _keep_strike(tok: Token, lex: Lexicon) -> bool:
    if _lemma(tok) == "strike" and tok.pos_ == "NOUN" and "hunger" in _modifiers(tok):
        return False
    if _lemma(tok) in lex.word_class("weak_strike"):
        return tok.dep_ in {"nsubj", "nsubjpass"} and _lemma(tok.head) in lex.word_class("air_attack_verbs")
    return True


def _keep_attack(tok: Token, lex: Lexicon) -> bool:
    lemma = _lemma(tok)
    if tok.pos_ in {"VERB", "ADJ"} and tok.dep_ in {"amod", "acl"} and tok.tag_ == "VBN":
        return False  # "besieged districts", "the encircled east": a description, not an attack
    if lemma in {"operation", "artillery", "combat"}:
        aimed = any(c.dep_ == "prep" and c.lower_ == "against" for c in tok.children)
        return bool(_modifiers(tok) & lex.word_class("military_modifiers")) or lemma != "operation" or aimed
    if lemma == "fire" and tok.pos_ == "NOUN":
        return _lemma(tok.head) not in {"cease", "hold", "withhold"}
    if lemma in {"advance", "capture", "seize", "retake", "recapture", "reclaim"}:
        return tok.pos_ == "VERB"
    return True


def _keep_casualties(tok: Token, lex: Lexicon) -> bool:
    if tok.dep_ in {"amod", "dobj", "pobj"} and _lemma(tok) in {"wound", "injure", "kill", "wounded", "injured"}:
        return False  # "wounded militants", "assist the wounded": people, not a report of casualties
    if tok.pos_ == "ADJ" and _lemma(tok) in {"wounded", "injured"}:
        return tok.dep_ in {"acomp", "ROOT", "conj"}
    return True


def _keep_evacuation(tok: Token, lex: Lexicon) -> bool:
    lemma = _lemma(tok)
    if tok.pos_ == "VERB" and _is_intention(tok, lex):
        return False
    if lemma in lex.word_class("people_moving_verbs") and tok.pos_ == "VERB":
        mover = _subject(tok) or _noun_before(tok)
        return _is_people(mover, lex) and not _children(tok, "dative")
    if lemma in {"exit", "withdrawal", "departure"}:
        return any(c.lower_ == "of" for c in tok.children)
    return True


def _noun_before(verb: Token) -> Token | None:
    """When the parse lost a verb's subject, the nearest noun before it in the same clause."""
    for tok in reversed(verb.doc[max(verb.sent.start, verb.i - 8) : verb.i]):
        if tok.pos_ in {"VERB", "AUX"} and tok.dep_ not in {"aux", "auxpass"}:
            return None
        if tok.pos_ in {"NOUN", "PROPN"} and tok.dep_ not in {"pobj", "compound"}:
            return tok
    return None


def _is_intention(verb: Token, lex: Lexicon) -> bool:
    """ "wishing to escape", "trying to leave", "can leave" in a relative clause: wanted, not done."""
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    head = verb.head
    if infinitive and _lemma(head) in lex.word_class("intent_verbs"):
        return True  # "wishing to escape", "trying to leave"
    if infinitive and _lemma(head) in lex.word_class("enabling_verbs") and head.tag_ != "VBD":
        return True  # "can use the corridors to leave"; but "allowed 3,180 civilians to leave" happened
    if infinitive and verb.dep_ == "advcl":
        return True  # purpose: "use the corridors to leave"
    modal = any(c.dep_ == "aux" and c.lower_ in {"can", "could", "may", "might"} for c in verb.children)
    return modal and verb.dep_ == "relcl"


def _keep_release(tok: Token, lex: Lexicon) -> bool:
    """A release needs people released: "an exchange of fire" and "areas freed" are not releases."""
    people = lex.word_class("release_people")
    scope = list(tok.subtree) if tok.pos_ != "VERB" else _children(tok, "dobj", "nsubjpass")
    return any(t.lemma_.lower() in people or t.lower_ in people for t in scope)


def _keep_aid(tok: Token, lex: Lexicon) -> bool:
    lemma, mods = _lemma(tok), _modifiers(tok)
    if lemma in {"centre", "center"}:
        return bool(mods & lex.word_class("aid_center_modifiers"))
    if lemma in {"effort", "access", "truck", "supply"}:
        return bool(mods & lex.word_class("humanitarian_modifiers")) or lemma == "supply" and tok.tag_ == "NNS"
    return True


def _keep_corridor(tok: Token, lex: Lexicon) -> bool:
    lemma, mods = _lemma(tok), _modifiers(tok)
    if lemma == "passage" and "safe" in mods:
        return False  # safe passage is a guarantee
    if lemma in {"route", "lane"} and not mods & lex.word_class("humanitarian_modifiers"):
        return False
    if tok.dep_ in {"nsubj", "nsubjpass", "dobj", "ROOT", "appos", "attr"}:
        return True
    if tok.dep_ == "conj" and tok.head.dep_ in {"nsubj", "nsubjpass", "dobj"}:
        return True
    return tok.dep_ == "pobj" and (_counted(tok) or _attack_target(tok, lex))


def _counted(tok: Token) -> bool:
    """ "through three corridors": how many corridors there are is news in itself."""
    return any(c.dep_ == "nummod" for c in tok.children)


def _attack_target(tok: Token, lex: Lexicon) -> bool:
    """ "fired mortar shells at the bridge corridor", "opened fire on the checkpoint"."""
    prep = tok.head
    if prep.lower_ not in {"at", "on", "against", "upon"}:
        return False
    verb = prep.head if prep.head.pos_ == "VERB" else prep.head.head
    attack_verbs = {v for v, types in lex.verbs.items() if ET.ATTACK in types}
    return _lemma(verb) in attack_verbs or _lemma(prep.head) in {"fire", "attack", "shelling"}


def _keep_guarantee(tok: Token, lex: Lexicon) -> bool:
    return True


def _keep_restoration(tok: Token, lex: Lexicon) -> bool:
    """Clearing is restoration when mines, rubble or an area are cleared, not "security clearance"."""
    if _lemma(tok) not in {"clear", "clearing", "clearance"}:
        return True
    objects = lex.word_class("clearing_objects")
    return any(_lemma(t) in objects for t in [*tok.subtree, tok.head])


def _keep_obstruction(tok: Token, lex: Lexicon) -> bool:
    lemma = _lemma(tok)
    if lemma in {"stop", "block", "prevent", "bar", "disperse", "detain"}:
        objs = _children(tok, "dobj", "nsubjpass")
        return any(_is_people(o, lex) for o in objs) or lemma == "block" and bool(objs)
    if lemma == "shield":
        return "human" in _modifiers(tok)
    if lemma == "trap":
        return tok.dep_ != "amod"
    return True


def _keep_negotiation(tok: Token, lex: Lexicon) -> bool:
    lemma = _lemma(tok)
    if lemma in {"call", "push"} and tok.pos_ == "VERB":
        return any(c.lower_ in {"on", "for", "upon"} or c.dep_ in {"xcomp", "prt"} for c in tok.children)
    if lemma in {"call", "pressure", "offer", "meeting", "deal"} and tok.pos_ == "NOUN":
        return tok.dep_ in {"dobj", "nsubj", "nsubjpass", "pobj", "ROOT"}
    return True


def _keep_medical(tok: Token, lex: Lexicon) -> bool:
    return _mentions_medical(tok, lex)


_FILTERS = {
    ET.STRIKE: _keep_strike,
    ET.ATTACK: _keep_attack,
    ET.CASUALTIES: _keep_casualties,
    ET.EVACUATION: _keep_evacuation,
    ET.AID: _keep_aid,
    ET.CORRIDOR: _keep_corridor,
    ET.GUARANTEE: _keep_guarantee,
    ET.RELEASE: _keep_release,
    ET.RESTORATION: _keep_restoration,
    ET.OBSTRUCTION: _keep_obstruction,
    ET.NEGOTIATION: _keep_negotiation,
    ET.MEDICAL_EVACUATION: _keep_medical,
}


def _mentions_medical(tok: Token, lex: Lexicon) -> bool:
    """Whether the clause around a trigger, or the people it is about, are the sick or wounded."""
    medical = lex.word_class("medical")
    clause = tok
    while clause.pos_ not in {"VERB", "AUX"} and clause.head is not clause:
        clause = clause.head
    subject = _subject(clause) if clause.pos_ in {"VERB", "AUX"} else None
    scope = list(clause.subtree) + (list(subject.subtree) if subject is not None else [])
    return any(_lemma(t) in medical or t.lower_ in medical for t in scope)


def _halt_targets(verb: Token, lex: Lexicon) -> list[Token]:
    """Violence nouns a halt verb stops: "halted strikes", "stopped carrying out airstrikes"."""
    direct = _children(verb, "dobj", "nsubjpass")
    if not _children(verb, "dobj"):
        direct += _children(verb, "nsubj")
    for xcomp in _children(verb, "xcomp", "pcomp"):
        direct += _children(xcomp, "dobj")
    violence = lex.word_class("violence")
    direct += [x for x in _children(verb, "xcomp") if _lemma(x) in VIOLENT_GERUNDS]
    hits = [t for t in direct if _lemma(t) in violence or _lemma(t) in lex.nouns and ET.STRIKE in lex.nouns[_lemma(t)]]
    return hits + [c for t in hits for c in _children(t, "compound", "amod")]


def _idle_infinitive(verb: Token, lex: Lexicon) -> bool:
    """ "pressure on them to cease hostilities": a halt someone wants, unless it is planned or agreed."""
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    return infinitive and verb.head.lemma_.lower() not in lex.word_class("planning")


def _pause_by_halting(sent: Span, lex: Lexicon) -> tuple[list[Trigger], set[int]]:
    triggers: list[Trigger] = []
    consumed: set[int] = set()
    for tok in sent:
        if tok.pos_ == "VERB" and _lemma(tok) in lex.word_class("halt_verbs") and not _idle_infinitive(tok, lex):
            targets = _halt_targets(tok, lex)
            if targets:
                triggers.append(Trigger(ET.PAUSE, tok))
                consumed.update(t.i for t in targets)
    return triggers, consumed


def _absorbed_by_content_verbs(sent: Span, lex: Lexicon) -> set[int]:
    """Tokens inside what is called for, demanded, proposed or forbidden: not events of their own."""
    absorbed: set[int] = set()
    content = lex.word_class("content_verbs")
    for tok in sent:
        permits = _lemma(tok) in lex.word_class("permit_verbs") and _children(tok, "neg")
        if tok.pos_ == "VERB" and (_lemma(tok) in content or permits):
            for child in _children(tok, "xcomp", "ccomp", "dobj", "prep"):
                absorbed.update(t.i for t in child.subtree if t.dep_ != "relcl")
    return absorbed


def _special_triggers(sent: Span, lex: Lexicon) -> Iterator[Trigger]:
    """Multi-word signals the lexicon cannot hold: "get them out", "not allowing", "are against"."""
    for tok in sent:
        lemma = _lemma(tok)
        if lemma in {"get", "take", "bring"} and any(c.lower_ == "out" for c in tok.children):
            yield Trigger(ET.EVACUATION, tok)
        if lemma in lex.word_class("permit_verbs") and _children(tok, "neg"):
            yield Trigger(ET.OBSTRUCTION, tok)
        if tok.lower_ == "hostage":
            yield Trigger(ET.OBSTRUCTION, tok)
        if tok.lower_ == "against" and tok.head.lemma_ == "be":
            yield Trigger(ET.NEGOTIATION, tok)
        if lemma == "use" and _uses_corridor(tok, lex):
            yield Trigger(ET.EVACUATION, tok)
        if lemma == "passage" and "safe" in _modifiers(tok):
            yield Trigger(ET.GUARANTEE, tok)
        if lemma == "turn" and any(c.lower_ == "back" for c in tok.children) and _turned_back_people(tok, lex):
            yield Trigger(ET.OBSTRUCTION, tok)


def _turned_back_people(verb: Token, lex: Lexicon) -> bool:
    """ "residents had been turned back by armed men": people stopped from leaving."""
    passive = any(c.dep_ == "auxpass" for c in verb.children)
    return (passive and _is_people(_subject(verb), lex)) or any(_is_people(o, lex) for o in _children(verb, "dobj"))


def _uses_corridor(verb: Token, lex: Lexicon) -> bool:
    """People using a corridor are leaving by it ("nobody has used the corridors")."""
    modal = any(c.lower_ in {"can", "could", "may", "might"} for c in verb.children)
    objects = [o for d in _children(verb, "dobj") for o in (d, *d.conjuncts)]
    corridor_nouns = {n for n, types in lex.nouns.items() if ET.CORRIDOR in types}
    routes = [o for o in objects if _lemma(o) in corridor_nouns or o.ent_type_ in {"FAC", "LOC"}]
    return not modal and _is_people(_subject(verb), lex) and bool(routes)


def find_triggers(sent: Span, lexicon: Lexicon | None = None) -> list[Trigger]:
    """All triggers of a sentence after the structural rules, in sentence order."""
    lex = lexicon or load_lexicon()
    pauses, consumed = _pause_by_halting(sent, lex)
    absorbed = _absorbed_by_content_verbs(sent, lex)
    specials = [t for t in _special_triggers(sent, lex) if t.type == ET.NEGOTIATION or t.token.i not in absorbed]
    consumed |= {o.i for t in specials if _lemma(t.token) == "use" for o in _children(t.token, "dobj")}
    found = list(pauses) + specials
    for tok in sent:
        if tok.i in consumed:
            continue
        for kind in sorted(_candidate_types(tok, lex)):
            if kind != ET.NEGOTIATION and tok.i in absorbed:
                continue
            if _keep(tok, kind, lex):
                found.append(Trigger(_medical_or(kind, tok, lex), tok))
    return sorted(found, key=lambda t: t.token.i)


def _medical_or(kind: EventType, tok: Token, lex: Lexicon) -> EventType:
    """An evacuation of the sick or wounded is a medical evacuation."""
    if kind == ET.EVACUATION and _mentions_medical(tok, lex):
        return ET.MEDICAL_EVACUATION
    return kind

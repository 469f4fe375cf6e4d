"""Who claims a mention: the quoted speaker, the subject of the verb that reports it, or the outlet.

A claim is never a fact: "Russia says 8,500 were evacuated" is Russia's claim. The order is
(1) a quotation the trigger sits in, (2) a reporting verb above the trigger in the parse,
(3) "according to X" or any reporting verb in the sentence, (4) the outlet's own voice.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from ..annotate.quotes import Quote
from ..annotate.speakers import NameRegistry, is_reporting_verb, name_of, speaker_in, subject_of


@dataclass(frozen=True, slots=True)
class Claim:
    claimed_by: str
    kind: str  # speaker | source | outlet


def _quote_at(offset: int, quotes: list[Quote]) -> Quote | None:
    return next((q for q in quotes if q.start <= offset < q.end), None)


def _reporting_ancestor(trigger: Token) -> Token | None:
    for tok in trigger.ancestors:
        if is_reporting_verb(tok):
            return tok
    return None


def claim_for(trigger: Token, sent: Span, quotes: list[Quote], registry: NameRegistry, outlet: str) -> Claim:
    quote = _quote_at(trigger.idx, quotes)
    if quote is not None and quote.speaker:
        return _own_voice(Claim(quote.speaker, "speaker"), outlet)
    verb = _reporting_ancestor(trigger)
    if verb is not None:
        subj = subject_of(verb)
        name = name_of(subj, registry) if subj is not None else None
        if name:
            return _own_voice(Claim(name, "source"), outlet)
    name = speaker_in(sent, registry, main_clause_only=True)
    if name:
        return _own_voice(Claim(name, "source"), outlet)
    return Claim(outlet, "outlet")


def _own_voice(claim: Claim, outlet: str) -> Claim:
    """ "our documentation team", "we": the outlet speaking of itself."""
    words = claim.claimed_by.lower().split()
    return Claim(outlet, "outlet") if words and words[0] in {"our", "we", "us"} else claim

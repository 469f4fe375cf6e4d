"""What a figure counts: the counted noun and its phrase, and the QuantityMention that carries them."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from pausewatch.annotate.doccache import text_of
from pausewatch.model import Count

from .numbers import _is_number_token

_STOP_DEPS = frozenset({"det", "nummod", "quantmod", "poss", "case", "prep", "predet", "neg"})
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod", "advmod", "punct", "cc", "conj"})


@dataclass(frozen=True)
class QuantityMention:
    """A figure found in a sentence; offsets are char offsets in the sentence's Doc."""

    count: Count
    start: int
    end: int
    head_index: int  # Doc token index of the counted noun's head, -1 when nothing is counted
    vague: bool = False  # True for "dozens", "several hundred": gold wants count null for these


def _noun_phrase(head: Token, after: int) -> tuple[str, int | None]:
    """The counted phrase: the head with its modifiers after char offset `after`, and conjuncts."""
    if head.idx < after:
        return head.text, None
    doc, start = head.doc, head.i
    while start > 0 and _is_modifier_of(doc[start - 1], head, after):
        start -= 1
    last = _last_conjunct(head)
    end = last.idx + len(last)
    return text_of(doc)[doc[start].idx : end], end


def _is_modifier_of(tok: Token, head: Token, after: int) -> bool:
    """A token left of the head that belongs in the counted phrase ("wounded", "square", "Russian")."""
    return (tok.idx >= after and tok.dep_ not in _STOP_DEPS and not _is_number_token(tok)
            and head.is_ancestor(tok))


def _counted_head(tok: Token) -> Token | None:
    """The noun a number counts: its nummod head, or the object of "N of the X"."""
    if tok.dep_ in ("nummod", "quantmod") and tok.head.pos_ in ("NOUN", "PROPN") and tok.head != tok:
        return tok.head
    if tok.dep_ == "conj" and _is_number_token(tok.head):
        return _counted_head(tok.head)
    for child in tok.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [c for c in child.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")]
            return objects[0] if objects else None
    return None


def _last_conjunct(head: Token) -> Token:
    """The last noun coordinated with the head ("women and children"), unless it has its own figure."""
    last = head
    for conj in head.conjuncts:
        if conj.i <= last.i or conj.pos_ not in ("NOUN", "PROPN"):
            continue
        own = any(c.dep_ in ("nummod", "det", "poss") for c in conj.children)  # "and a checkpoint"
        if own or not _only_modifiers(head.doc, last.i, conj.i):
            break
        last = conj
    return last


def _only_modifiers(doc: Doc, start: int, end: int) -> bool:
    """True when the tokens strictly between start and end are coordinators or modifiers."""
    return all(doc[i].dep_ in _MODIFIER_DEPS for i in range(start + 1, end))

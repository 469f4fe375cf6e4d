"""Who says something: reporting verbs, their subjects, and the names those subjects stand for.

Used by quote attribution and by claim attribution in extract. The rules work on the dependency
parse: the speaker of "X said", "X told reporters", "X, the minister, added" is the subject of a
reporting verb; "according to X" names X. Titles ("Defense Ministry spokesman Major-General")
are peeled off a person's name; a bare surname or pronoun is linked to the full name met earlier.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from .doccache import remembered

_SPEECH = json.loads((Path(__file__).resolve().parent.parent / "data" / "speech.json").read_text(encoding="utf-8"))
REPORTING_VERBS = frozenset(_SPEECH["reporting_verbs"])
TITLE_WORDS = frozenset(_SPEECH["title_words"])  # role words peeled off the front of a person's name
ROLE_NOUNS = frozenset(_SPEECH["role_nouns"])
SPOKES_NOUNS = frozenset(_SPEECH["spokes_nouns"])  # unnamed spokesmen and sources stand for their organisation
DOCUMENT_NOUNS = frozenset(_SPEECH["document_nouns"])  # "the leaflets say": their author speaks
ORGANISATION_WORDS = frozenset(_SPEECH["organisation_words"])
PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i", "who"])
DIRECTION_WORDS = frozenset(["east", "eastern", "west", "western", "north", "northern", "south", "southern", "central"])


@dataclass
class NameRegistry:
    """Names met in one document with their offsets, so "Konashenkov added" or "he said" resolves."""

    people: list[tuple[int, str]] = field(default_factory=list)
    speakers: list[tuple[int, str]] = field(default_factory=list)

    def remember(self, name: str, is_person: bool, offset: int) -> None:
        (self.people if is_person else self.speakers).append((offset, name))
        if is_person:
            self.speakers.append((offset, name))

    def last_person(self, before: int) -> str | None:
        earlier = [(o, n) for o, n in self.people if o < before]
        return max(earlier)[1] if earlier else None

    def last_organisation(self, before: int) -> str | None:
        people = {n for _, n in self.people}
        earlier = [(o, n) for o, n in self.speakers if o < before and n not in people]
        return max(earlier)[1] if earlier else None

    def first_person_after(self, offset: int) -> str | None:
        later = [(o, n) for o, n in self.people if o > offset]
        return min(later)[1] if later else None

    def last_speaker(self, before: int) -> str | None:
        earlier = [(o, n) for o, n in self.speakers if o < before]
        return max(earlier)[1] if earlier else None

    def expand(self, name: str) -> str:
        """Return the longest known personal name that ends with this one (surname -> full name)."""
        key = " " + name.casefold()
        matches = [n for _, n in self.people if n.casefold().endswith(key)]
        return max(matches, key=len) if matches else name


def is_proper(token: Token) -> bool:
    """Proper nouns, and acronyms such as ICRC that the tagger takes for common nouns."""
    if token.pos_ == "PROPN" and token.text[:1].isupper():
        return True
    return len(token.text) > 1 and token.text.isupper() and token.is_alpha


def is_reporting_verb(token: Token) -> bool:
    return token.pos_ in {"VERB", "AUX"} and token.lemma_.lower() in REPORTING_VERBS


def according_to_object(tokens: Iterable[Token]) -> Token | None:
    """The noun after "according to", if the span has one."""
    for tok in tokens:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
            for child in tok.doc[tok.i + 1].children:
                if child.dep_ == "pobj":
                    return child
    return None


def subject_of(verb: Token, outside: tuple[int, int] | None = None) -> Token | None:
    """The verb's subject, skipping any inside the quotation being attributed.

    When the parse gives a verb two subjects ("Strikes killed 30, the ministry said"), the one
    nearest the verb is the speaker.
    """
    passive_report = is_reporting_verb(verb) and any(c.dep_ == "auxpass" for c in verb.children)
    subjects = [
        c
        for c in verb.children
        if (c.dep_ == "nsubj" or (c.dep_ == "nsubjpass" and not passive_report)) and not _inside(c, outside)
    ]
    if subjects:
        return min(subjects, key=lambda c: abs(c.i - verb.i))
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    if verb.dep_ in {"advcl", "conj", "xcomp"} and verb.head is not verb:
        return subject_of(verb.head, outside)  # "..., adding that": the adder is the main subject
    return None


def _inside(token: Token, span: tuple[int, int] | None) -> bool:
    return span is not None and span[0] <= token.idx < span[1]


def _name_tokens(head: Token) -> list[Token]:
    """The proper-name part of a noun phrase: compounds and capitalised modifiers up to the head."""
    keep = [
        t
        for t in head.subtree
        if t.i <= head.i
        and (t.dep_ in {"compound", "amod", "punct", "nmod"} or t is head)
        and (t.text[:1].isupper() or t.text == "-" or t is head)
        and t.lower_ != "the"
        and t.ent_type_ not in {"DATE", "TIME"}
    ]
    run: list[Token] = []
    for tok in reversed(keep):  # contiguous run that ends at the head
        if run and tok.i != run[-1].i - 1:
            break
        run.append(tok)
    run.reverse()
    return run + _of_phrase(head)


def _of_phrase(head: Token) -> list[Token]:
    """ "Ministry of Defense", "Observatory for Human Rights": a capitalised of/for complement."""
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in {"of", "for"} and prep.i == head.i + 1:
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.text[:1].isupper():
                return [prep, *[t for t in pobj.subtree if t.i <= pobj.i]]
    return []


def _strip_titles(tokens: list[Token]) -> list[Token]:
    """Peel role words off the front of a person's name, keep them for organisations."""
    if len(tokens) < 2 or tokens[-1].lower_ in TITLE_WORDS:
        return tokens
    i = len(tokens) - 1
    while i > 0 and tokens[i - 1].lower_ not in TITLE_WORDS and tokens[i - 1].text[:1].isupper():
        i -= 1
    tail = tokens[i:]
    if len(tail) < len(tokens) and tail:
        return tail
    return tokens


def _appos_name(head: Token) -> Token | None:
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN":
            return child
    return None


def looks_like_person(tokens: list[Token]) -> bool:
    """Two or more capitalised words with no organisation word look like a person's name."""
    words = [t for t in tokens if t.text != "-"]
    return (
        len(words) >= 2
        and all(t.pos_ == "PROPN" and not t.text.isupper() for t in words)
        and not any(t.lower_ in ORGANISATION_WORDS for t in words)
        and not any(t.ent_type_ in {"GPE", "NORP", "LOC", "FAC"} or t.lower_ in DIRECTION_WORDS for t in words)
    )


def name_of(token: Token, registry: NameRegistry, before: int | None = None) -> str | None:
    """The speaker's name for the head of a subject phrase, resolving pronouns and surnames.

    `before` bounds the search for a pronoun's antecedent: for '"...," he said' the antecedent
    comes before the quotation, never from inside it.
    """
    if token.lower_ in PRONOUNS:
        at = token.idx if before is None else min(before, token.idx)
        return registry.last_person(at) or registry.last_speaker(at)
    appos = _appos_name(token)
    if appos is not None and not is_proper(token):
        token = appos
    tokens = _name_tokens(token)
    if not any(is_proper(t) for t in tokens):
        return _common_noun_speaker(token, registry)
    person = looks_like_person(_strip_titles(tokens)) if is_proper(token) else False
    chosen = _strip_titles(tokens) if person else _org_tokens(tokens)
    text = _join(chosen)
    if len(chosen) == 1 and is_proper(token):
        text = registry.expand(text)
        person = " " in text
    registry.remember(text, person, token.idx)
    return text


def _org_tokens(tokens: list[Token]) -> list[Token]:
    """For "Kremlin spokesperson" keep the organisation and drop the trailing role noun."""
    while len(tokens) > 1 and tokens[-1].lower_ in ROLE_NOUNS:
        tokens = tokens[:-1]
    while tokens and tokens[0].lower_ in {"the", "-"}:
        tokens = tokens[1:]
    return tokens


def _common_noun_speaker(token: Token, registry: NameRegistry) -> str | None:
    """ "the minister said": the last person named before; "the leaflets say": the leaflets."""
    if token.lower_ in SPOKES_NOUNS and (_indefinite(token) or _described(token)):
        phrase = " ".join(t.text for t in token.subtree if t.i <= token.i and t.dep_ not in {"det", "poss", "case"})
        registry.remember(phrase, False, token.idx)  # "a military source" ... "the source said"
        return phrase
    if token.lower_ in SPOKES_NOUNS:  # "the spokesman": stands for the organisation named before
        return registry.last_organisation(token.idx) or registry.last_speaker(token.idx)
    if token.lower_ in ROLE_NOUNS:
        at = token.idx
        return registry.last_person(at) or registry.first_person_after(at) or registry.last_speaker(at)
    if token.lemma_.lower() in DOCUMENT_NOUNS:
        return _author_of(token, registry)
    if token.pos_ in {"NOUN", "PROPN"}:
        return _phrase_up_to(token)
    return None


def _phrase_up_to(token: Token) -> str:
    """The noun phrase up to its head, without determiners: "Syria's air force"."""
    tokens = [t for t in token.subtree if t.i <= token.i and t.dep_ != "det"]
    return "".join(t.text_with_ws for t in tokens[:-1]) + tokens[-1].text if tokens else token.text


def _author_of(document: Token, registry: NameRegistry) -> str | None:
    """ "the leaflets say": whoever dropped, issued or published the leaflets earlier in the text."""
    lemma = document.lemma_.lower()
    for tok in reversed(document.doc[: document.i]):
        if tok.lemma_.lower() == lemma and tok.dep_ in {"dobj", "nsubjpass"} and tok.head.pos_ == "VERB":
            author = subject_of(tok.head) if tok.dep_ == "dobj" else None
            if author is not None and author.lemma_.lower() not in DOCUMENT_NOUNS:
                return name_of(author, registry)
    owner = [c for c in document.children if c.dep_ in {"compound", "poss"}]
    return _phrase_up_to(owner[0]) if owner else None


def _described(token: Token) -> bool:
    """ "the military source": a modifier says which source, so the phrase names it."""
    return any(c.dep_ in {"amod", "compound"} for c in token.children)


def _indefinite(token: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in {"a", "an", "one"} for c in token.children)


def _join(tokens: list[Token]) -> str:
    out = ""
    for tok in tokens:
        out += tok.text + (tok.whitespace_ if tok is not tokens[-1] and tok.text != "-" else "")
        if tok.text == "-":
            out = out.rstrip()
    return out.strip()


def speaker_in(
    sent: Span, registry: NameRegistry, outside: tuple[int, int] | None = None, main_clause_only: bool = False
) -> str | None:
    """The speaker a sentence names via a reporting verb or "according to", ignoring quoted text.

    With main_clause_only, a reporting verb buried in a subordinate clause ("even as a monitor said")
    does not speak for the whole sentence.
    """
    tokens = [t for t in sent if outside is None or not (outside[0] <= t.idx < outside[1])]
    verbs = [t for t in tokens if is_reporting_verb(t) and (not main_clause_only or _main_clause(t))]
    for verb in sorted(verbs, key=lambda t: t.dep_ != "ROOT"):
        subj = subject_of(verb, outside)
        if subj is not None:
            name = name_of(subj, registry, before=outside[0] if outside else None)
            if name:
                return name
    obj = according_to_object(tokens)
    return name_of(obj, registry) if obj is not None else None


def _main_clause(verb: Token) -> bool:
    return verb.dep_ == "ROOT" or (verb.head.dep_ == "ROOT" and verb.dep_ in {"parataxis", "ccomp", "conj"})


def register_people(doc: Doc, registry: NameRegistry) -> None:
    """Remember every full personal name in the document, so later surnames and pronouns resolve."""
    for name, offset in remembered(doc, ("people",), lambda: tuple(_people(doc))):
        registry.remember(name, True, offset)


def _people(doc: Doc) -> Iterator[tuple[str, int]]:
    """Full personal names with their offsets (found once per Doc: quotes and extraction both ask)."""
    for tok in doc:
        if tok.pos_ == "PROPN" and tok.dep_ != "compound":
            tokens = _strip_titles(_name_tokens(tok))
            if looks_like_person(tokens):
                yield _join(tokens), tok.idx

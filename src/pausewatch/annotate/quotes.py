"""Direct quotations and their speakers.

A quotation is text between straight or curly double quotes, of at least MIN_WORDS words (shorter
ones are scare quotes: 'so-called "moderate" rebels'). Its speaker is named by a reporting verb or
"according to" outside the quote in the same paragraph; a quote with no attribution of its own takes
the speaker of the paragraph, else of the previous paragraph when the text runs on from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from .doccache import sentences, text_of
from .speakers import NameRegistry, register_people, speaker_in

MIN_WORDS = 4
_QUOTE_RE = re.compile(r"\"([^\"\n]+)\"|“([^”\n]+)(?:”|$)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Quote:
    start: int  # char offset of the quoted text (inside the marks)
    end: int
    text: str
    speaker: str | None


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """Char spans of quoted text (without the marks) of MIN_WORDS words or more."""
    spans = []
    for match in _QUOTE_RE.finditer(text):
        group = 1 if match.group(1) is not None else 2
        start, end = match.span(group)
        inner = text[start:end].strip()
        if len(inner.split()) >= MIN_WORDS:
            spans.append((start, end))
    return spans


def _sentences_touching(doc: Doc, start: int, end: int) -> list[Span]:
    """Sentences of the quote's paragraph that overlap it or sit right beside it."""
    para_start, para_end = _paragraph_of(text_of(doc), start)
    return [
        s
        for s in sentences(doc)
        if para_start <= s.start_char < para_end and s.start_char < end + 3 and s.end_char > start - 3
    ]


def _paragraph_of(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end == -1 else end


def _attributed_speaker(doc: Doc, span: tuple[int, int], registry: NameRegistry) -> str | None:
    for sent in _sentences_touching(doc, *span):
        name = speaker_in(sent, registry, outside=(span[0] - 1, span[1] + 1))
        if name:
            return name
    return None


def find_quotes(doc: Doc) -> list[Quote]:
    """Every quotation in the document with the speaker the text names, in reading order."""
    registry = NameRegistry()
    register_people(doc, registry)
    text = text_of(doc)
    quotes: list[Quote] = []
    paragraph_speaker: dict[int, str] = {}
    pending: list[tuple[tuple[int, int], int]] = []
    for span in find_quote_spans(text):
        para = _paragraph_of(text, span[0])
        speaker = _attributed_speaker(doc, span, registry)
        if speaker:
            paragraph_speaker.setdefault(para[0], speaker)
        pending.append((span, para[0]))
        quotes.append(Quote(span[0], span[1], text[span[0] : span[1]].strip(), speaker))
    return [_fill_speaker(q, p, paragraph_speaker, text) for q, (_, p) in zip(quotes, pending, strict=True)]


def _fill_speaker(quote: Quote, para_start: int, by_para: dict[int, str], text: str) -> Quote:
    """A quote without its own attribution: the paragraph's speaker, else the previous paragraph's."""
    if quote.speaker:
        return quote
    speaker = by_para.get(para_start)
    if speaker is None and text[para_start : quote.start].strip() in {'"', "“"}:
        earlier = [p for p in by_para if p < para_start]
        speaker = by_para[max(earlier)] if earlier else None
    return Quote(quote.start, quote.end, quote.text, speaker)

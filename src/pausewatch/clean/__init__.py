"""Stage 2, clean: a RawDocument becomes an Article whose text is whole lines of the raw text.

HTML goes through trafilatura first (lxml's <body> text when trafilatura finds nothing). Then every
line is judged on its own by the rules of `lines._verdict`, so cleaning is idempotent and every body
line survives verbatim (gold evidence and later character offsets rely on it). The outlet and the
publication date come from the container when it gives them, else they are guessed, and the
Guess says how (method) and how sure (confidence).

Modules: `lines` (boilerplate line rules), `html` (trafilatura and lxml), `outlet` and `published`
(the two guesses).
"""

from __future__ import annotations

import logging

from pausewatch.model import Article, Guess, RawDocument, Rejected, RejectReason

from .html import _html_page, _Page
from .lines import _clean_lines
from .outlet import canonical_outlet as canonical_outlet  # public, as before
from .outlet import guess_outlet
from .published import guess_published

__all__ = ["clean_article", "guess_outlet", "guess_published"]

logger = logging.getLogger(__name__)

MAX_CHARS = 2_000_000


def clean_article(raw: RawDocument, year_hint: int | None = None, *,
                  max_chars: int = MAX_CHARS) -> Article | Rejected:
    """Strip boilerplate lines, keep the body verbatim, and guess outlet and publication date."""
    page = _html_page(raw) if raw.media_type == "html" else _Page(raw.text, raw.title, raw.outlet,
                                                                    raw.published)
    lines = page.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    body = _clean_lines(lines, page.title)
    text, cut_note = _bound("\n".join(body.kept), max_chars)
    removed = (*body.removed, *body.comments, *((cut_note,) if cut_note else ()))
    if not text.strip():
        detail = f"no body text left after removing {len(removed)} boilerplate lines"
        return Rejected(raw.source, RejectReason.NO_TEXT, detail, raw.doc_id)
    outlet, outlet_guess = guess_outlet(text, body.removed, given=page.outlet, url=raw.url,
                                        html_title=page.site_in_title)
    published, published_guess = ((page.published, Guess("metadata", 1.0)) if page.published
                                  else guess_published("\n".join(lines[:body.end]), year_hint))
    return Article(raw.doc_id, raw.name, raw.source, text, body.title, outlet, outlet_guess, published,
                   published_guess, url=raw.url, removed=removed, meta=dict(raw.meta))


def _bound(text: str, max_chars: int) -> tuple[str, str | None]:
    """Cut text over max_chars at the last paragraph (else line) boundary, with a note; a single line
    longer than max_chars is the one case where the text ends inside a line (at a space if any)."""
    if len(text) <= max_chars:
        return text, None
    logger.info("text of %s characters cut to max_chars=%s", len(text), max_chars)
    head = text[:max_chars]
    cut = next((i for i in (head.rfind("\n\n"), head.rfind("\n"), head.rfind(" ")) if i > 0), max_chars)
    kept = head[:cut].rstrip("\n")
    return kept, f"[cut: {len(text) - len(kept):,} characters beyond max_chars={max_chars:,}]"

"""HTML pages: trafilatura's body text and metadata, lxml's <body> text when trafilatura finds none."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from lxml import etree
from lxml import html as lxml_html

from pausewatch.model import RawDocument

logger = logging.getLogger(__name__)

_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—]\s+")


@dataclass(frozen=True, slots=True)
class _Page:
    """The text to clean and what the container (or the HTML's metadata) says about it."""

    text: str
    title: str | None
    outlet: str | None
    published: date | None
    site_in_title: str | None = None  # "Site" in an HTML <title> "Headline | Site"



def _html_page(raw: RawDocument) -> _Page:
    """trafilatura's body text, title and markup date; og:site_name as the outlet; lxml as a fallback.

    trafilatura's own site name is not used: without og:site_name it guesses from the <title> and
    can take the headline for the site. The <title>'s last " | " or " - " part is passed on as a
    weaker hint instead. trafilatura is imported here, by the first HTML page: plain-text runs never need it.
    """
    import trafilatura

    doc = trafilatura.bare_extraction(
        raw.text, url=raw.url, include_comments=False, favor_precision=False, with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    tree = _parse_html(raw.text)
    outlet, site_in_title = raw.outlet or _meta_site_name(tree), _site_in_title(tree)
    text = getattr(doc, "text", None)
    if not text:
        logger.debug("trafilatura found no text in %s; falling back to <body> text", raw.source)
        text = _body_text(tree)
    published = raw.published or _iso_date(getattr(doc, "date", None))
    return _Page(text, raw.title or getattr(doc, "title", None), outlet, published, site_in_title)


def _parse_html(markup: str) -> lxml_html.HtmlElement | None:
    """An lxml tree, or None when the markup cannot be parsed at all."""
    try:
        return lxml_html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return None


def _meta_site_name(tree: lxml_html.HtmlElement | None) -> str | None:
    """The site name the page declares (og:site_name, application-name)."""
    if tree is None:
        return None
    names = tree.xpath("//meta[@property='og:site_name' or @name='application-name']/@content")
    return next((str(name).strip() for name in names if str(name).strip()), None)


def _site_in_title(tree: lxml_html.HtmlElement | None) -> str | None:
    """The last part of "Headline | Site" (or " - ", " – ", " — ") in <title>, when short."""
    title = tree.findtext(".//title") if tree is not None else None
    parts = _TITLE_SEPARATOR.split(title.strip()) if title else []
    return parts[-1] if len(parts) > 1 and 1 <= len(parts[-1].split()) <= 5 else None


def _body_text(tree: lxml_html.HtmlElement | None) -> str:
    """Text of <body> without scripts and styles, one text node per line."""
    if tree is None:
        return ""
    for element in tree.xpath("//script|//style|//noscript|//template"):
        element.drop_tree()
    body = tree.find("body")
    root = body if body is not None else tree
    return "\n".join(part.strip() for part in root.itertext() if part.strip())


def _iso_date(value: object) -> date | None:
    """A YYYY-MM-DD string as a date, else None."""
    try:
        return date.fromisoformat(value[:10]) if isinstance(value, str) else None
    except ValueError:
        return None

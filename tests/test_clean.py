"""clean: gold evidence survives, scrape boilerplate does not, guesses say how they were made."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pausewatch.clean import clean_article, guess_outlet, guess_published
from pausewatch.ingest import ingest
from pausewatch.model import Article, Guess, RawDocument, Rejected, RejectReason, sha256_hex
from pausewatch.settings import Settings

CURRENCY_WIDGET = re.compile(r"^[\s\d.,]*\d[\s\d.,]*[$€£]\s*$|^[$€£]\s*[\d.,]+$")
SUPPORT_WIDGET = re.compile(r"^\s*(support|donate)\b[^.!?]*$", re.I)
NEWSLETTER = re.compile(r"\b(newsletters?|sign up|subscribe|stay informed)\b", re.I)
READ_MORE = re.compile(r"^\s*read more\b", re.I)
COMMENT_MARKERS = re.compile(r"^\s*(notify of|\d+ comments?|leave a comment|view all comments)\s*$", re.I)
SEED_YEAR = 2016  # the year of the seed reports, as the pipeline's year_hint would give it


def text_doc(text: str, title: str | None = None, **fields: Any) -> RawDocument:
    return RawDocument(sha256_hex(text.encode("utf-8", "surrogatepass")), "test", "test.txt", text, "text",
                       "utf-8", title=title, **fields)


def cleaned(raw: RawDocument, year_hint: int | None = None, **kwargs: Any) -> Article:
    article = clean_article(raw, year_hint, **kwargs)
    assert isinstance(article, Article), article
    return article


@pytest.fixture(scope="module")
def gold(shared: Path) -> dict[str, dict[str, Any]]:
    lines = (shared / "gold" / "seeds.jsonl").read_text(encoding="utf-8").splitlines()
    return {record["doc"]: record for record in map(json.loads, filter(str.strip, lines))}


@pytest.fixture(scope="module")
def seeds(shared: Path) -> dict[str, tuple[RawDocument, Article]]:
    items = ingest([str(shared / "seeds")], Settings.model_validate({}))
    raws = [item for item in items if isinstance(item, RawDocument)]
    assert len(raws) == len(list((shared / "seeds").glob("*.txt")))
    return {raw.name: (raw, cleaned(raw, SEED_YEAR)) for raw in raws}


def fragments(evidence: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+", evidence) if part.strip()]


# ---- seeds --------------------------------------------------------------------------------------
def test_clean_keeps_every_gold_evidence_fragment(seeds: dict[str, tuple[RawDocument, Article]],
                                                  gold: dict[str, dict[str, Any]]) -> None:
    for name, record in gold.items():
        text = seeds[name][1].text
        wanted = [event["evidence"] for event in record["events"]]
        wanted += [quote["starts_with"] for quote in record["quotes"]]
        missing = [part for evidence in wanted for part in fragments(evidence) if part not in text]
        assert missing == [], name


def test_clean_text_lines_are_verbatim_raw_lines(seeds: dict[str, tuple[RawDocument, Article]]) -> None:
    for raw, article in seeds.values():
        raw_lines = set(raw.text.split("\n"))
        assert all(line in raw_lines for line in article.text.split("\n") if line), raw.name


@pytest.mark.parametrize(("label", "pattern"), [("currency widget", CURRENCY_WIDGET),
                                                ("support widget", SUPPORT_WIDGET),
                                                ("newsletter", NEWSLETTER), ("read more", READ_MORE)])
def test_clean_drops_boilerplate_lines(seeds: dict[str, tuple[RawDocument, Article]], label: str,
                                       pattern: re.Pattern[str]) -> None:
    seen_in_raw = 0
    for raw, article in seeds.values():
        seen_in_raw += sum(bool(pattern.search(line)) for line in raw.text.split("\n"))
        assert not [line for line in article.text.split("\n") if pattern.search(line)], (label, raw.name)
    assert seen_in_raw, f"no {label} line in the seeds: the test proves nothing"


def test_clean_cuts_comment_section(seeds: dict[str, tuple[RawDocument, Article]]) -> None:
    cut = 0
    for raw, article in seeds.values():
        lines = raw.text.split("\n")
        marker = next((i for i, line in enumerate(lines) if COMMENT_MARKERS.match(line)), None)
        if marker is None:
            continue
        cut += 1
        after = [line for line in lines[marker:] if line.strip()]
        assert not set(after) & set(article.text.split("\n")), raw.name
        assert set(after) <= set(article.removed), raw.name
    assert cut, "no seed has a comment section: the test proves nothing"


def test_clean_title_is_kept_out_of_text_and_not_repeated(
        seeds: dict[str, tuple[RawDocument, Article]]) -> None:
    titled = [article for _, article in seeds.values() if article.title]
    assert titled
    for article in titled:
        assert article.title not in article.text.split("\n")


@pytest.mark.parametrize("number", ["000", "002"])
def test_clean_published_guess_matches_gold(seeds: dict[str, tuple[RawDocument, Article]],
                                            gold: dict[str, dict[str, Any]], number: str) -> None:
    name = next(name for name in seeds if name.startswith(number))
    article = seeds[name][1]
    assert article.published == date.fromisoformat(gold[name]["published"])
    assert 0.5 <= article.published_guess.confidence <= 0.8


def test_clean_outlet_guess_is_never_wrong_on_seeds(seeds: dict[str, tuple[RawDocument, Article]],
                                                    gold: dict[str, dict[str, Any]]) -> None:
    found = 0
    for name, (_, article) in seeds.items():
        if article.outlet is not None:
            found += 1
            assert article.outlet == gold[name]["outlet"], name
        else:
            assert article.outlet_guess == Guess("none", 0.0)
    assert found >= 3


def test_clean_fakes_outlet_comes_from_metadata(shared: Path) -> None:
    items = ingest([str(shared / "fakes" / "fakes-dev.csv")], Settings.model_validate({}))
    articles = [cleaned(raw) for raw in items if isinstance(raw, RawDocument)]
    assert all(article.outlet_guess == Guess("metadata", 1.0) for article in articles)
    assert all(article.meta["label"] in ("0", "1") for article in articles)


# ---- line rules on written examples -------------------------------------------------------------
BODY = "The convoy crossed the checkpoint at noon, the agency said."


@pytest.mark.parametrize("line", [
    "Home | World | Middle East | Opinion", "Skip to main content", "1,200 €", "Support Example Radio",
    "Read more: Truce talks stall again in Geneva", "Sign up for our daily briefing", "Share on Facebook",
    "Facebook Twitter WhatsApp Email", "© 2019 Example Radio. All rights reserved.",
    "This story is available in Arabic on our Arabic site.", "aleppo truce syria",
])
def test_clean_drops_boilerplate_line(line: str) -> None:
    article = cleaned(text_doc(f"{BODY}\n{line}\n{BODY}"))
    assert line not in article.text.split("\n") and line in article.removed


@pytest.mark.parametrize("line", [
    "He left.", "“We will stay,” she said.", "Evacuees wait at a checkpoint on 3 May 2016 (Reuters)",
    "The minister said the following:",
])
def test_clean_keeps_short_real_line(line: str) -> None:
    article = cleaned(text_doc(f"{BODY}\n{line}\n{BODY}"))
    assert line in article.text.split("\n")


@pytest.mark.parametrize("marker", ["3 Comments", "Leave a comment", "Notify of", "Comments"])
def test_clean_cuts_everything_after_comment_marker(marker: str) -> None:
    article = cleaned(text_doc(f"{BODY}\n{marker}\nGreat article, thanks.\nNo it is not."))
    assert article.text == BODY and "No it is not." in article.removed


def test_clean_first_headline_becomes_title_and_repeat_is_dropped() -> None:
    headline = "Convoy crosses into the old city"
    article = cleaned(text_doc(f"{headline}\n{BODY}\n{headline}\n{BODY}"))
    assert article.title == headline and headline not in article.text and headline in article.removed


def test_clean_crlf_lines_are_raw_lines_without_line_ends() -> None:
    article = cleaned(text_doc(f"{BODY}\r\n\r\nHe left.\r\nShare on Facebook\r\n"))
    assert article.text == f"{BODY}\n\nHe left."


def test_clean_text_with_nothing_left_is_no_text() -> None:
    result = clean_article(text_doc("Home | News | Sport\nSupport Example Radio\n0 $"))
    assert isinstance(result, Rejected) and result.reason == RejectReason.NO_TEXT


def test_clean_long_text_is_cut_at_paragraph_with_note() -> None:
    paragraph = "The pause held for another day, officials said."
    article = cleaned(text_doc("\n\n".join([paragraph] * 50)), max_chars=500)
    assert len(article.text) <= 500 and article.text.endswith(paragraph)
    assert any("max_chars" in note for note in article.removed)


# ---- HTML ---------------------------------------------------------------------------------------
PAGE = """<html><head><title>Pause extended by a day | Example Radio</title>
<meta property="og:site_name" content="Example Radio">
<meta property="article:published_time" content="2016-10-21T08:00:00Z"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav><article><h1>Pause extended by a day</h1>
<p>The humanitarian pause in the city was extended by one day, the defence ministry said on Friday.</p>
<p>Officials said six corridors would stay open and that buses were waiting at two checkpoints.</p>
</article><div class="comments"><p>Comment: this is all lies.</p></div></body></html>"""


def html_doc(markup: str, url: str | None = None) -> RawDocument:
    return RawDocument(sha256_hex(markup.encode()), "test", "page.html", markup, "html", "utf-8", url=url)


def test_clean_html_uses_trafilatura_text_and_metadata() -> None:
    article = cleaned(html_doc(PAGE))
    assert "extended by one day" in article.text and "Home" not in article.text
    assert article.title == "Pause extended by a day"
    assert (article.outlet, article.outlet_guess) == ("Example Radio", Guess("metadata", 1.0))
    assert (article.published, article.published_guess) == (date(2016, 10, 21), Guess("metadata", 1.0))


def test_clean_html_site_in_title_is_a_weaker_outlet_guess() -> None:
    page = PAGE.replace('<meta property="og:site_name" content="Example Radio">', "")
    article = cleaned(html_doc(page))
    assert (article.outlet, article.outlet_guess) == ("Example Radio", Guess("html-title", 0.6))


def test_clean_html_outlet_from_known_domain() -> None:
    page = PAGE.replace('<meta property="og:site_name" content="Example Radio">', "")
    article = cleaned(html_doc(page, url="https://www.rt.com/news/123-aleppo-pause/"))
    assert (article.outlet, article.outlet_guess) == ("RT", Guess("url-domain", 0.9))


def test_clean_html_without_body_text_is_no_text() -> None:
    result = clean_article(html_doc("<html><head><script>var a = 1;</script></head><body></body></html>"))
    assert isinstance(result, Rejected) and result.reason == RejectReason.NO_TEXT


# ---- outlet guess -------------------------------------------------------------------------------
@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"given": "sputnik"}, ("Sputnik", Guess("metadata", 1.0))),
    ({"url": "https://www.middleeasteye.net/news/x"}, ("Middle East Eye", Guess("url-domain", 0.9))),
    ({"removed": ["Support Press TV"]}, ("PressTV", Guess("boilerplate", 0.8))),
    ({"removed": ["Stay informed with Example Radio's newsletters"]},
     ("Example Radio", Guess("boilerplate", 0.6))),
    ({"removed": ["Support Ukraine"]}, (None, Guess("none", 0.0))),
    ({"removed": ["Support Us"]}, (None, Guess("none", 0.0))),
    ({"removed": ["Support Independent Journalism"]}, (None, Guess("none", 0.0))),
    ({"removed": ["© 2021 Example Radio Ltd. All rights reserved."]},
     ("Example Radio", Guess("boilerplate", 0.6))),
    ({"text": "BEIRUT (Reuters) - Air strikes hit the city."}, ("Reuters", Guess("dateline", 0.5))),
    ({"text": "BEIRUT (Reuters) - Air strikes hit the city.", "removed": ["Follow Example Radio"]},
     ("Example Radio", Guess("boilerplate", 0.6))),
    ({"text": "KYIV, May 2 (Meridian) - Talks resumed.",
      "removed": ["Sign up for the Meridian World News newsletter"]},
     ("Meridian", Guess("boilerplate", 0.6))),
    ({"text": "They left, according to TASS's source in the city."}, ("TASS", Guess("self-reference", 0.4))),
    ({"text": "Reuters reported that the truce held."}, (None, Guess("none", 0.0))),
])
def test_clean_guess_outlet(kwargs: dict[str, Any], expected: tuple[str | None, Guess]) -> None:
    text = kwargs.pop("text", BODY)
    assert guess_outlet(text, **kwargs) == expected


# ---- publication date guess ---------------------------------------------------------------------
@pytest.mark.parametrize(("text", "year_hint", "expected"), [
    ("Fri 07 Apr 2017 at 0914 Homs governor says strikes caused deaths.", None,
     (date(2017, 4, 7), "dateline")),
    ("Published: 12 March 2025\nThe talks resumed.", None, (date(2025, 3, 12), "dateline")),
    ("26.12.2014 The army said 70 fighters died.", None, (date(2014, 12, 26), "dateline")),
    ("On Monday, November 7, buses left. The governor said Tuesday the corridors were open.", 2016,
     (date(2016, 11, 8), "weekday+date")),
    ("On Monday, November 7, buses left. The governor said Tuesday the corridors were open.", None,
     (date(2016, 11, 8), "weekday+date")),
    ("The picture dates from 3 November, 2016.\nOfficials said on Tuesday the pause was over.", None,
     (date(2016, 11, 8), "weekday+date")),
    ("Fighting resumed on October 20 after the pause.", 2016, (date(2016, 10, 20), "latest-date")),
    ("On Thursday the pause began. Officials said on Tuesday it was over.", 2016, (None, "none")),
    ("The pause, which opened on Monday, 10 March 2025, ended at 8am yesterday, Friday, 14 March.", None,
     (date(2025, 3, 15), "relative-date")),
    ("Shells hit the bridge yesterday morning. The pause began at 8am on Monday, March 10.", 2025,
     (date(2025, 3, 11), "yesterday+date")),
    ("The pause was declared on Saturday. Jets struck on Tuesday, 11 March, the monitor said.", 2025,
     (date(2025, 3, 11), "latest-date")),
])
def test_clean_guess_published(text: str, year_hint: int | None, expected: tuple[date | None, str]) -> None:
    published, guess = guess_published(text, year_hint, today=date(2017, 1, 1))
    assert (published, guess.method) == expected
    assert (guess.confidence == 0.0) == (published is None)


def test_clean_weekday_pins_most_recent_matching_year() -> None:
    published, guess = guess_published("On Monday, November 7, buses left.", 2019)
    assert published == date(2016, 11, 7) and guess == Guess("latest-date", 0.6)


def test_clean_year_from_today_alone_is_less_sure_and_never_future() -> None:
    text = "On Monday, November 7, buses left. The governor said Tuesday the corridors were open."
    hinted = guess_published(text, 2016)[1].confidence
    published, guess = guess_published(text, None, today=date(2023, 3, 1))
    assert published == date(2022, 11, 8) and guess.confidence < hinted
    later = guess_published("Fighting resumed on October 20.", None, today=date(2023, 3, 1))
    assert later[0] == date(2022, 10, 20)


# ---- properties ---------------------------------------------------------------------------------
LINE = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=60)
WORDY = st.sampled_from([BODY, "Support Example Radio", "2,500 $", "Notify of", "Comments", "He left.", "",
                         "A headline of words", "  ", "Home | News | Sport | Video", "Read more: other news"])
TEXTS = st.lists(st.one_of(LINE, WORDY), max_size=30).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_clean_never_raises_and_keeps_only_input_lines(text: str) -> None:
    result = clean_article(text_doc(text))
    if isinstance(result, Article):
        lines = set(text.split("\n"))
        assert all(line in lines for line in result.text.split("\n") if line.strip())


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_clean_is_idempotent_on_its_output(text: str) -> None:
    first = clean_article(text_doc(text))
    if isinstance(first, Article):
        second = cleaned(text_doc(first.text, title=first.title))
        assert second.text == first.text and second.removed == ()

"""Cross-source credibility on synthetic reports: agreement, outliers, lone reports, bounds."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pausewatch.credibility import NEUTRAL, ArticleFigures, agreement, death_toll, score_articles, score_documents
from pausewatch.model import Corroboration, Count, Event, EventType, Mention, Polarity, Status

DAY = date(2016, 10, 20)


def report(
    doc_id: str,
    outlet: str | None,
    civilians: int,
    *,
    day: date = DAY,
    governorate: str = "aleppo",
    noncivilians: int = 0,
) -> ArticleFigures:
    return ArticleFigures(
        doc_id,
        outlet,
        day,
        governorate,
        {"civilians": civilians, "children": 0, "women": 0, "noncivilians": noncivilians},
    )


def test_credibility_outlier_scores_below_agreeing_reports() -> None:
    items = [report("a", "one", 20), report("b", "two", 21), report("c", "three", 19), report("d", "four", 200)]
    scores = score_articles(items)
    assert scores["d"].score < min(scores[k].score for k in "abc")
    assert scores["d"].agreement is not None and scores["d"].agreement < 0.2
    assert "median 20" in scores["d"].explanation


def test_credibility_lone_incident_gets_the_neutral_middle_score() -> None:
    items = [report("a", "one", 20), report("b", "two", 21), report("lone", "three", 7, governorate="homs")]
    lone = score_articles(items)["lone"]
    assert lone.score == pytest.approx(NEUTRAL)
    assert lone.agreement is None and lone.peers == 0
    assert "no other outlet reports this incident" in lone.explanation


def test_credibility_date_window_is_one_day() -> None:
    near = [report("a", "one", 10), report("b", "two", 10, day=DAY + timedelta(days=1))]
    far = [report("a", "one", 10), report("b", "two", 10, day=DAY + timedelta(days=2))]
    assert score_articles(near)["a"].peers == 1
    assert score_articles(far)["a"].peers == 0


def test_credibility_same_outlet_does_not_corroborate_itself() -> None:
    scores = score_articles([report("a", "one", 10), report("b", "one", 500)])
    assert scores["a"].peers == 0 and scores["a"].score == pytest.approx(NEUTRAL)


def test_credibility_outlet_record_carries_to_its_lone_reports() -> None:
    items = [
        report("x1", "liar", 300),
        report("y1", "honest", 10),
        report("z1", "third", 11),
        report("lone", "liar", 5, governorate="idlib"),
    ]
    scores = score_articles(items)
    assert scores["lone"].score < NEUTRAL
    assert "liar agreed" in scores["lone"].explanation


def test_credibility_missing_date_or_place_is_uncorroborated() -> None:
    items = [ArticleFigures("a", "one", None, "aleppo", {"civilians": 3}), report("b", "two", 3)]
    assert score_articles(items)["a"].agreement is None


def test_credibility_toll_counts_civilians_and_noncivilians_not_subsets() -> None:
    assert death_toll({"civilians": 10, "children": 4, "women": 2, "noncivilians": 5}) == 15


@pytest.mark.parametrize(("value", "consensus", "expected"), [(10, 10, 1.0), (0, 0, 1.0), (1, 0, 0.5), (21, 10, 0.5)])
def test_credibility_agreement_is_exp_minus_log_ratio(value: int, consensus: int, expected: float) -> None:
    assert agreement(value, consensus) == pytest.approx(expected)


figures = st.fixed_dictionaries({key: st.integers(0, 10**7) for key in ("civilians", "children", "noncivilians")})


Row = tuple[dict[str, int], str | None, int, str | None]


@given(
    st.lists(
        st.tuples(
            figures,
            st.sampled_from(["a", "b", "c", None]),
            st.integers(0, 3),
            st.sampled_from(["aleppo", "idlib", None]),
        ),
        max_size=12,
    )
)
def test_credibility_scores_stay_in_unit_interval(rows: list[Row]) -> None:
    items = [
        ArticleFigures(str(i), outlet, DAY + timedelta(days=shift), gov, figs)
        for i, (figs, outlet, shift, gov) in enumerate(rows)
    ]
    scores = score_articles(items)
    assert set(scores) == {item.doc_id for item in items}
    assert all(0.0 <= s.score <= 1.0 for s in scores.values())


def _claim(doc_id: str, outlet: str, figure: int) -> Mention:
    count = Count(figure, figure, figure, None, "civilians", str(figure))
    return Mention(
        doc_id,
        EventType.EVACUATION,
        outlet,
        Polarity.ASSERTED,
        Status.HAPPENED,
        "x",
        (0, 1),
        outlet=outlet,
        count=count,
    )


def test_credibility_documents_scored_against_event_figures() -> None:
    claims = (_claim("a", "one", 900), _claim("b", "two", 950), _claim("c", "three", 880), _claim("d", "four", 3200))
    event = Event("ev-1", EventType.EVACUATION, None, None, claims, Corroboration.CONTESTED, None)
    scores = score_documents([event], {"a": "one", "b": "two", "c": "three", "d": "four", "e": "five"})
    assert scores["d"].score < min(scores[k].score for k in "abc")
    assert scores["e"].score == NEUTRAL and "no figure" in scores["e"].explanation

"""The gold scorer itself: alias matching, one-to-one event matching, quote matching."""

from __future__ import annotations

from pausewatch.eval.gold import same_party, score

TEXT = (
    "Troops shelled the bridge on Monday. Aid trucks entered the city. "
    '"We will not leave our homes today," Ana Ruiz said.'
)


def test_eval_same_party_accepts_aliases() -> None:
    assert same_party("Russian Ministry of Defence", "Defense Ministry")
    assert same_party("Sergei Shoigu", "Sergey Shoigu")
    assert same_party("Igor Konashenkov", "Konashenkov")
    assert same_party("Syrian Air Force", "Syria's air force")
    assert not same_party("Kremlin", "Russian Ministry of Defence")
    assert not same_party("Syrian Air Force", "Syrian Observatory")
    assert not same_party(None, "UN")


def test_eval_matches_events_by_type_and_overlapping_evidence() -> None:
    gold = [
        {
            "doc": "a.txt",
            "events": [
                {
                    "type": "attack",
                    "evidence": "Troops shelled the bridge",
                    "date": "2025-03-10",
                    "admin1": None,
                    "count": None,
                    "claimed_by": "Wire",
                    "polarity": "asserted",
                    "status": "happened",
                },
                {
                    "type": "aid",
                    "evidence": "Aid trucks entered the city.",
                    "date": None,
                    "admin1": None,
                    "count": None,
                    "claimed_by": "Wire",
                    "polarity": "asserted",
                    "status": "happened",
                },
            ],
            "quotes": [{"speaker": "Ana Ruiz", "starts_with": "We will not leave"}],
        }
    ]
    pred = {
        "a.txt": {
            "events": [
                {
                    "type": "attack",
                    "evidence": "Troops shelled the bridge on Monday.",
                    "date": "2025-03-10",
                    "admin1": None,
                    "count": None,
                    "claimed_by": "Wire",
                    "polarity": "asserted",
                    "status": "happened",
                },
                {
                    "type": "strike",
                    "evidence": "Troops shelled the bridge on Monday.",
                    "date": None,
                    "admin1": None,
                    "count": None,
                    "claimed_by": "Wire",
                    "polarity": "asserted",
                    "status": "happened",
                },
            ],
            "quotes": [{"speaker": "Ruiz", "text": "We will not leave our homes today,"}],
        }
    }
    report = score(gold, pred, {"a.txt": TEXT}).as_dict()
    assert report["events"]["tp"] == 1 and report["events"]["fp"] == 1 and report["events"]["fn"] == 1
    assert report["fields"]["date"] == 1.0
    assert report["quotes"]["tp"] == 1 and report["speaker_accuracy"] == 1.0

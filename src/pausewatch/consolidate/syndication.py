"""Near-duplicate and syndicated articles (MinHash LSH): a republished text is one source, not two."""

from __future__ import annotations

import re
from collections.abc import Iterable

from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
SHINGLE = 5
THRESHOLD = 0.5  # syndicated copies with new headers and footers share ~0.6 of 5-word shingles
_WORD = re.compile(r"\w+")


def _minhash(text: str) -> MinHash:
    words = _WORD.findall(text.lower())
    mh = MinHash(num_perm=NUM_PERM, seed=7)
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    mh.update_batch([s.encode("utf-8") for s in shingles])
    return mh


def find_syndicated(texts: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Map each copy's doc_id to the first-seen doc_id of its near-duplicate group.

    Input is (doc_id, text) in a stable order (the caller sorts); the first of a group is the original.
    """
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    original_of: dict[str, str] = {}
    order: dict[str, int] = {}
    for doc_id, text in texts:
        if doc_id in order:
            continue
        order[doc_id] = len(order)
        mh = _minhash(text)
        matches = lsh.query(mh)
        if matches:
            first = min(matches, key=order.__getitem__)
            original_of[doc_id] = original_of.get(first, first)
        lsh.insert(doc_id, mh)
    return original_of

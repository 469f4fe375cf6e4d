"""Near-duplicate and syndicated articles (MinHash LSH): a republished text is one source, not two.

Each text gets a MinHash signature once, when it is stored (`signature`); finding copies then reads
signatures only, never texts. The LSH banding is datasketch's (MinHashLSH at THRESHOLD), but held as a
numpy matrix of 256 bytes per document instead of 14 Python hash tables of sets, so a corpus of 100,000
articles needs about 26 MB. A document's original is the first document, in the caller's order, that
shares any band with it (or that document's own original), exactly as querying MinHashLSH in that order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
SHINGLE = 5
SEED = 7
SCHEME = "affine32"  # datasketch's default since 2.0: 32-bit hash values
THRESHOLD = 0.5  # syndicated copies with new headers and footers share ~0.6 of 5-word shingles
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _template() -> MinHash:
    """Holds the permutations, so that each signature does not draw them again."""
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)


@lru_cache(maxsize=1)
def _bands() -> tuple[tuple[int, int], ...]:
    return tuple(MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM).hashranges)


def _minhash(text: str) -> MinHash:
    words = _WORD.findall(text.lower())
    mh = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_template().permutations, scheme=SCHEME)
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    mh.update_batch([s.encode("utf-8") for s in shingles])
    return mh


def signature(text: str) -> str:
    """The text's MinHash as hex (64 values of 32 bits), to store beside the document."""
    return _minhash(text).hashvalues.astype("<u4").tobytes().hex()


def find_syndicated(texts: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Map each copy's doc_id to the first-seen doc_id of its near-duplicate group.

    Input is (doc_id, text) in a stable order (the caller sorts); the first of a group is the original.
    """
    return find_syndicated_signatures((doc_id, signature(text)) for doc_id, text in texts)


def find_syndicated_signatures(signatures: Iterable[tuple[str, str]]) -> dict[str, str]:
    """find_syndicated over (doc_id, signature) pairs, in the same stable order."""
    ids, matrix = _matrix(signatures)
    first = np.arange(len(ids))
    for start, end in _bands() if ids else ():
        _, index, inverse = np.unique(matrix[:, start:end], axis=0, return_index=True, return_inverse=True)
        first = np.minimum(first, index[inverse.ravel()])
    original_of: dict[str, str] = {}
    for i, earliest in enumerate(first.tolist()):
        if earliest < i:
            original_of[ids[i]] = original_of.get(ids[earliest], ids[earliest])
    return original_of


def _matrix(signatures: Iterable[tuple[str, str]]) -> tuple[list[str], np.ndarray]:
    """Document ids (first occurrence of each) and their signatures as rows of a uint32 matrix."""
    ids: list[str] = []
    seen: set[str] = set()
    rows = bytearray()
    for doc_id, hexed in signatures:
        if doc_id not in seen:
            seen.add(doc_id)
            ids.append(doc_id)
            rows += bytes.fromhex(hexed)
    return ids, np.frombuffer(bytes(rows), dtype="<u4").reshape(len(ids), NUM_PERM)

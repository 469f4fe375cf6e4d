"""Bytes to text that never fails on real-world files, and refuses data that is not text at all.

Order of attempts (the first that applies wins):
1. a byte-order mark (UTF-32, UTF-8, UTF-16) names the codec;
2. NUL bytes in an even/odd pattern mean UTF-16 without a BOM; other NUL bytes mean binary;
3. strict UTF-8;
4. dense non-ASCII (>= 30 % high bytes, as in Cyrillic or Arabic legacy code pages): charset-normalizer;
5. valid UTF-8 multibyte sequences mixed with stray bytes: UTF-8, stray bytes replaced;
6. otherwise cp1252 (the web's reading of "latin-1"), undefined bytes replaced.
charset-normalizer is not asked about sparse stray bytes in ASCII text (FA-KES): there it guesses
unrelated code pages such as cp775. The encoding name records any replacement ("cp1252 (8 bytes
replaced)"). Decoded text with over 10 % control characters or replaced bytes (counting, after UTF-16
or UTF-32, private-use and unassigned code points, which random bytes decode to) is binary.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from pausewatch.model import Rejected, RejectReason, sha256_hex

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ASCII_BYTES = bytes(range(128))
_SURROGATES = re.compile("[\udc80-\udcff]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body|article|div|p)\b", re.IGNORECASE)
_SAMPLE = 65_536
_ODD_CATEGORIES = frozenset({"Co", "Cn", "Cs"})
_BINARY_RATIO = 0.10
_DENSE_RATIO = 0.30
_Decoded = tuple[str, str, int]  # text, encoding name, bytes replaced


def decode_bytes(data: bytes) -> tuple[str, str] | RejectReason:
    """Decode any bytes to (text, encoding name), or RejectReason.BINARY; never raises."""
    decoded = _decode_bom(data) or _decode_utf16_sniff(data)
    if decoded is None:
        if b"\x00" in data:
            return RejectReason.BINARY
        decoded = _decode_guess(data)
    text, name, replaced = decoded
    odd = _unassigned(text[:_SAMPLE]) if name.startswith(("utf-16", "utf-32")) else 0
    if _looks_binary(text, replaced + odd):
        return RejectReason.BINARY
    return text, _with_replacements(name, replaced)


def decode_or_reject(data: bytes, source: str) -> tuple[str, str] | Rejected:
    """decode_bytes, with binary and blank content turned into a Rejected that says why."""
    decoded = decode_bytes(data)
    if isinstance(decoded, RejectReason):
        detail = "binary content (NUL bytes or control characters), not text"
        return Rejected(source, RejectReason.BINARY, detail, sha256_hex(data))
    if not decoded[0].strip():
        detail = "file is empty" if not data else "only whitespace, no text"
        return Rejected(source, RejectReason.EMPTY, detail, sha256_hex(data))
    return decoded


def looks_html(text: str) -> bool:
    """True when the start of a text has HTML markup, whatever its file name says."""
    return _HTML.search(text[:4096]) is not None


def _decode_bom(data: bytes) -> _Decoded | None:
    """Decode by byte-order mark; None without a BOM."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text, replaced = _decode_replacing(data, codec)
            return text, codec.removesuffix("-sig"), replaced
    return None


def _decode_utf16_sniff(data: bytes) -> _Decoded | None:
    """UTF-16 without a BOM: ASCII letters leave NULs on every other byte."""
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.4 and even_nul < 0.05:
        codec = "utf-16-le"
    elif even_nul > 0.4 and odd_nul < 0.05:
        codec = "utf-16-be"
    else:
        return None
    text, replaced = _decode_replacing(data, codec)
    return text, codec, replaced


def _decode_replacing(data: bytes, codec: str) -> tuple[str, int]:
    """Strict decoding, else decoding with U+FFFD for bad sequences, counted."""
    try:
        return data.decode(codec), 0
    except UnicodeDecodeError:
        text = data.decode(codec, errors="replace")
    return text, text.count("\ufffd")


def _decode_guess(data: bytes) -> _Decoded:
    """Strict UTF-8 first, then the fallbacks of the module docstring, in order."""
    text = data.decode("utf-8", errors="surrogateescape")
    stray = len(_SURROGATES.findall(text))
    if not stray:
        return text, "utf-8", 0
    if len(data.translate(None, _ASCII_BYTES)) >= _DENSE_RATIO * len(data):
        guess = _charset_normalizer(data)
        if guess is not None:
            return guess
    if len(text) - stray > len(text.encode("ascii", errors="ignore")):
        return _SURROGATES.sub("\ufffd", text), "utf-8", stray
    return _decode_cp1252(data)


def _charset_normalizer(data: bytes) -> _Decoded | None:
    """charset-normalizer's best guess, or None when it has none."""
    best = from_bytes(data).best()
    if best is None:
        return None
    return str(best), best.encoding, 0


def _decode_cp1252(data: bytes) -> _Decoded:
    """cp1252, with its five undefined bytes replaced; this always succeeds."""
    text = data.decode("cp1252", errors="replace")
    return text, "cp1252", sum(data.count(b) for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D))


def _with_replacements(name: str, count: int) -> str:
    """Encoding name, noting how many bytes could not be decoded."""
    if not count:
        return name
    return f"{name} ({count} byte{'s' if count > 1 else ''} replaced)"


def _unassigned(sample: str) -> int:
    """Private-use, unassigned and surrogate code points: what random bytes after a UTF-16 BOM decode to."""
    return sum(1 for c in sample if c > "\x7f" and unicodedata.category(c) in _ODD_CATEGORIES)


def _looks_binary(text: str, replaced: int) -> bool:
    """Over 10 % control characters or undecodable bytes (first 64k characters): not a text file."""
    sample = text[:_SAMPLE]
    if not sample:
        return False
    suspicious = len(_CONTROL.findall(sample)) + min(replaced, len(sample))
    return suspicious > _BINARY_RATIO * len(sample)

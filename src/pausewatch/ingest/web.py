"""URLs of articles and RSS/Atom feeds, fetched defensively: http(s) only, public addresses only
(unless settings.allow_private_urls), at most 5 redirects each re-checked, size and time capped.

The host is resolved and checked before connecting, and the address actually connected to is
checked again before the body is read, so DNS rebinding cannot slip a private address through.
Connections are direct (proxy environment variables are ignored) so that those checks hold.
"""

from __future__ import annotations

import io
import ipaddress
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import httpx

from pausewatch.ingest.decode import decode_or_reject, looks_html
from pausewatch.model import RawDocument, Rejected, RejectReason, sha256_hex
from pausewatch.settings import Settings

Item = RawDocument | Rejected
MAX_REDIRECTS = 5
MAX_FEED_ENTRIES = 1000  # each entry's link is fetched: a hostile feed must not make thousands
USER_AGENT = "pausewatch/0.1 (news monitoring; +https://pypi.org/project/pausewatch/)"
_FEED_MARKUP = re.compile(rb"<(?:rss|feed|rdf:RDF)\b")
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)
_UNSUPPORTED_TYPES = ("image/", "audio/", "video/", "application/pdf", "application/zip", "font/")


@dataclass(frozen=True, slots=True)
class Fetched:
    """A successful download: the URL asked for, where it ended after redirects, and the body."""

    url: str
    final_url: str
    content_type: str
    body: bytes


def fetch_url(url: str, settings: Settings) -> Iterator[Item]:
    """An article URL as one document; a feed URL as one document per entry, each link fetched."""
    fetched = fetch(url, settings)
    if isinstance(fetched, Rejected):
        yield fetched
    elif is_feed(fetched):
        yield from _feed_documents(fetched, settings)
    else:
        yield article_document(fetched)


def fetch(url: str, settings: Settings) -> Fetched | Rejected:
    """GET a URL, following at most MAX_REDIRECTS redirects and checking every hop."""
    headers = {"User-Agent": USER_AGENT}
    with httpx.Client(timeout=settings.fetch_timeout, headers=headers, trust_env=False) as client:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            refused = check_url(current, settings)
            if refused is not None:
                return Rejected(url, refused[0], refused[1] + _hop(url, current))
            step = _get(client, current, settings)
            if isinstance(step, Fetched):
                return Fetched(url, step.final_url, step.content_type, step.body)
            if isinstance(step, Rejected):
                return Rejected(url, step.reason, step.detail + _hop(url, current))
            current = step
    return Rejected(url, RejectReason.FETCH_FAILED, f"more than {MAX_REDIRECTS} redirects")


def check_url(url: str, settings: Settings) -> tuple[RejectReason, str] | None:
    """Why a URL must not be fetched (scheme, unresolvable or non-public host), or None if it may."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        return RejectReason.FETCH_FAILED, f"invalid URL: {exc}"
    if parts.scheme.lower() not in ("http", "https"):
        return RejectReason.FORBIDDEN_URL, f"only http and https URLs are fetched, not {parts.scheme}:"
    if not host:
        return RejectReason.FETCH_FAILED, "URL has no host"
    if settings.allow_private_urls:
        return None
    return _check_host(host, port or (443 if parts.scheme.lower() == "https" else 80))


def is_feed(fetched: Fetched) -> bool:
    """RSS/Atom by content type, or by markup when the type is generic XML or text."""
    kind = fetched.content_type.lower()
    if "rss" in kind or "atom" in kind:
        return True
    return "html" not in kind and _FEED_MARKUP.search(fetched.body[:4096]) is not None


def article_document(fetched: Fetched, title: str | None = None, outlet: str | None = None,
                     published: date | None = None) -> Item:
    """A fetched page as a document named by its final URL; html by content type or markup."""
    kind = fetched.content_type.lower()
    if kind.startswith(_UNSUPPORTED_TYPES):
        detail = f"content type {kind.split(';')[0]} is not supported"
        return Rejected(fetched.url, RejectReason.UNSUPPORTED, detail, sha256_hex(fetched.body))
    decoded = _decode(fetched)
    if isinstance(decoded, Rejected):
        return decoded
    text, encoding = decoded
    media_type = "html" if "html" in kind or looks_html(text) else "text"
    return RawDocument(sha256_hex(fetched.body), fetched.url, fetched.final_url, text, media_type, encoding,
                       title=title, outlet=outlet, published=published, url=fetched.final_url)


def _check_host(host: str, port: int) -> tuple[RejectReason, str] | None:
    """Resolve a host; refuse it when any of its addresses is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        return RejectReason.FETCH_FAILED, f"cannot resolve {host}: {exc}"
    for info in infos:
        address = str(info[4][0])
        if not is_public(address):
            detail = f"{host} resolves to non-public address {address} (set allow_private_urls to allow)"
            return RejectReason.FORBIDDEN_URL, detail
    return None


def is_public(address: str) -> bool:
    """Globally routable unicast: not loopback, private, link-local, reserved or multicast."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _get(client: httpx.Client, url: str, settings: Settings) -> Fetched | Rejected | str:
    """One request: the download, a rejection, or the next URL of a redirect."""
    try:
        with client.stream("GET", url) as response:
            return _read(response, url, settings)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        return Rejected(url, RejectReason.FETCH_FAILED, f"{type(exc).__name__}: {exc}")


def _read(response: httpx.Response, url: str, settings: Settings) -> Fetched | Rejected | str:
    """Check the peer, follow redirects, refuse errors and oversized bodies, else read."""
    peer = _peer(response)
    if not settings.allow_private_urls and peer is not None and not is_public(peer):
        return Rejected(url, RejectReason.FORBIDDEN_URL, f"connected to non-public address {peer}")
    if response.is_redirect:
        return urljoin(str(response.url), response.headers["location"])
    if not response.is_success:
        detail = f"HTTP {response.status_code} {response.reason_phrase}"
        return Rejected(url, RejectReason.FETCH_FAILED, detail)
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.fetch_max_bytes:
        return _too_large(url, settings)
    body = _read_body(response, url, settings)
    if isinstance(body, Rejected):
        return body
    return Fetched(url, str(response.url), response.headers.get("content-type", ""), body)


def _read_body(response: httpx.Response, url: str, settings: Settings) -> bytes | Rejected:
    """Stream the body; stop past fetch_max_bytes or after four times fetch_timeout in total."""
    chunks: list[bytes] = []
    size, deadline = 0, time.monotonic() + 4 * settings.fetch_timeout
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > settings.fetch_max_bytes:
            return _too_large(url, settings)
        if time.monotonic() > deadline:
            return Rejected(url, RejectReason.FETCH_FAILED, "download too slow: gave up after the time limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(url: str, settings: Settings) -> Rejected:
    """The rejection for a body over fetch_max_bytes."""
    detail = f"body over fetch_max_bytes ({settings.fetch_max_bytes:,} bytes); download stopped"
    return Rejected(url, RejectReason.TOO_LARGE, detail)


def _peer(response: httpx.Response) -> str | None:
    """The IP address the response came from, when the transport reports it."""
    stream = response.extensions.get("network_stream")
    address = stream.get_extra_info("server_addr") if stream is not None else None
    return str(address[0]) if address else None


def _hop(url: str, current: str) -> str:
    """A note naming the redirect target when it is not the URL asked for."""
    return "" if current == url else f" (after redirect to {current})"


def _decode(fetched: Fetched) -> tuple[str, str] | Rejected:
    """The declared charset when the body is valid in it, else the sniffing decoder."""
    declared = _CHARSET.search(fetched.content_type)
    if declared:
        try:
            text = fetched.body.decode(declared.group(1))
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            if text.strip() and "\x00" not in text:
                return text, declared.group(1).lower()
    return decode_or_reject(fetched.body, fetched.url)


def _feed_documents(fetched: Fetched, settings: Settings) -> Iterator[Item]:
    """One document per feed entry; a feed without entries is rejected."""
    headers = {"content-location": fetched.final_url}  # base for relative entry links
    parsed = feedparser.parse(io.BytesIO(fetched.body), response_headers=headers)
    if not parsed.entries:
        problem = parsed.get("bozo_exception", "no entries")
        yield Rejected(fetched.url, RejectReason.MALFORMED, f"feed has no readable entries: {problem}")
        return
    feed_title = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries[:MAX_FEED_ENTRIES], 1):
        yield _entry_document(entry, number, feed_title, fetched, settings)
    if len(parsed.entries) > MAX_FEED_ENTRIES:
        detail = f"feed has {len(parsed.entries):,} entries; only the first {MAX_FEED_ENTRIES:,} were read"
        yield Rejected(fetched.url, RejectReason.TOO_LARGE, detail)


def _entry_document(entry: Any, number: int, feed_title: str | None, fetched: Fetched,
                    settings: Settings) -> Item:
    """A feed entry: its link fetched as an article, or its own content when it has no link."""
    title, published = entry.get("title"), _entry_date(entry)
    outlet = (entry.get("source") or {}).get("title") or feed_title
    link = entry.get("link")
    if link:
        got = fetch(urljoin(fetched.final_url, link), settings)
        return got if isinstance(got, Rejected) else article_document(got, title, outlet, published)
    content = _entry_content(entry)
    if not content:
        detail = f"feed entry {number} has neither a link nor content"
        return Rejected(fetched.url, RejectReason.NO_TEXT, detail)
    name = entry.get("id") or f"{fetched.final_url}#{number}"
    return RawDocument(sha256_hex(content.encode("utf-8", errors="surrogatepass")), fetched.url, name,
                       content, "html", "utf-8", title=title, outlet=outlet, published=published)


def _entry_content(entry: Any) -> str | None:
    """The full content of an entry, else its summary."""
    contents = entry.get("content") or []
    value = contents[0].get("value") if contents else entry.get("summary")
    return value if isinstance(value, str) and value.strip() else None


def _entry_date(entry: Any) -> date | None:
    """The entry's published (else updated) date, as feedparser parsed it."""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday) if parsed else None

"""The briefing's view model: what each part of the page shows, as frozen dataclasses the template reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from pausewatch.model import Place

if TYPE_CHECKING:
    from pausewatch.publish import Review


@dataclass(frozen=True, slots=True)
class ClaimView:
    """One mention as the page shows it: who claims what, through which outlet, with its sentence."""

    id: str
    event_id: str
    doc_id: str
    start: int
    type: str
    claimed_by: str
    claim_kind: str
    outlet: str
    denied: bool
    status: str
    count: int | None
    count_text: str
    counted: str | None
    date_text: str
    place_text: str
    evidence: str
    copy: bool  # from a syndicated copy of another document
    copies: tuple[str, ...] = ()  # doc_ids of syndicated copies that repeat this claim word for word
    shares: str = ""  # the parts the figure names: "3 children, 4 women"

    @property
    def verb(self) -> str:
        return "denies" if self.denied else "says"

    @property
    def source_text(self) -> str:
        return self.claimed_by if self.claimed_by == self.outlet else f"{self.claimed_by} via {self.outlet}"

    @property
    def count_full(self) -> str:
        full = f"{self.count_text} {self.counted}" if self.count_text and self.counted else self.count_text
        return f"{full}, including {self.shares}" if full and self.shares else full


@dataclass(frozen=True, slots=True)
class EventView:
    id: str
    type: str
    date: date | None
    place: Place | None
    corroboration: str
    contested_on: tuple[str, ...]
    claims: list[ClaimView]
    headline: str
    attribution: str
    review: Review | None


@dataclass(frozen=True, slots=True)
class Stats:
    documents: int
    outlets: int
    events: int
    claims: int
    corroborated: int
    single_source: int
    contested: int
    rejected: int
    period: str
    published: str


@dataclass(frozen=True, slots=True)
class Side:
    label: str
    denied: bool
    count: int | None
    claims: list[ClaimView]


@dataclass(frozen=True, slots=True)
class SpeakerView:
    name: str
    kinds: list[str]
    outlets: list[str]
    n: int
    groups: list[tuple[str, list[ClaimView]]]


@dataclass(frozen=True, slots=True)
class FrameView:
    outlet: str
    documents: int
    terms: list[tuple[str, int]]
    quoted: list[tuple[str, int]]
    reports: list[tuple[str, int]]
    not_reported: list[str]


@dataclass(frozen=True, slots=True)
class DocView:
    doc_id: str
    name: str
    title: str | None
    outlet: str
    outlet_how: str
    published: str
    published_how: str
    link: str | None
    url_text: str | None
    syndicated_of: str | None
    syndicated_name: str | None
    copies: int
    claims: list[ClaimView]
    folded: int = 0  # claims that repeat the original's word for word, shown under the original
    credibility: str = ""
    credibility_note: str = ""

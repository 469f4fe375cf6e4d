"""Drawing coordinates for the briefing's inline SVG: figure range charts and the event map."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, replace

from pausewatch.model import Corroboration, Event, Place, Precision
from pausewatch.publish.views import ClaimView, EventView

_APPROXIMATE = (Precision.ADMIN1, Precision.COUNTRY)
_MAP_W, _MAP_H, _MAP_PAD = 760.0, 460.0, 70.0
_BAR_X, _BAR_W, _ROW_H = 180.0, 220.0, 20.0


# ---------------------------------------------------------------- figure charts


@dataclass(frozen=True, slots=True)
class FigureRow:
    claim: ClaimView
    y: float
    width: float


@dataclass(frozen=True, slots=True)
class FigureView:
    """One event's figures and an SVG range chart: shaded low-high band, best line, a bar per source."""

    event: EventView
    low: int
    best: int
    high: int
    counted: str | None
    rows: list[FigureRow]
    band_x: float
    band_w: float
    best_x: float
    height: float
    axis_max: int


def figure_view(e: Event, v: EventView) -> FigureView | None:
    if e.figures is None:
        return None
    f = e.figures
    seen: dict[tuple[str, str, str], ClaimView] = {}
    for c in v.claims:
        if c.count is not None:
            seen.setdefault((c.claimed_by, c.outlet, c.count_text), c)
    claims = sorted(seen.values(), key=lambda c: (-(c.count or 0), c.claimed_by))
    top = max([f.high, f.best, 1] + [c.count or 0 for c in claims])
    scale = _BAR_W / top
    rows = [FigureRow(c, 14 + i * _ROW_H, round((c.count or 0) * scale, 1)) for i, c in enumerate(claims)]
    return FigureView(
        event=v, low=f.low, best=f.best, high=f.high, counted=f.counted, rows=rows,
        band_x=round(_BAR_X + f.low * scale, 1), band_w=round(max((f.high - f.low) * scale, 1.5), 1),
        best_x=round(_BAR_X + f.best * scale, 1), height=34 + len(rows) * _ROW_H, axis_max=top,
    )


# ---------------------------------------------------------------- map


@dataclass(frozen=True, slots=True)
class Marker:
    x: float
    y: float
    r: float
    name: str
    label: str
    approximate: bool
    precision: str
    corroboration: str
    events: list[EventView]
    label_x: float = 0.0
    label_y: float = 0.0
    anchor: str = "start"


@dataclass(frozen=True, slots=True)
class MapView:
    width: float
    height: float
    markers: list[Marker]
    unmapped: list[EventView]
    scale_px: float
    scale_label: str
    extent: str


def _deg(value: float, hemispheres: str) -> str:
    return f"{abs(value):.3f}°{hemispheres[0] if value >= 0 else hemispheres[1]}"


def _mappable(v: EventView) -> bool:
    p = v.place
    return p is not None and p.lat is not None and p.lon is not None and p.precision != Precision.COUNTRY


def _worst(views: list[EventView]) -> str:
    for c in (Corroboration.CONTESTED, Corroboration.SINGLE_SOURCE, Corroboration.CORROBORATED):
        if any(v.corroboration == c for v in views):
            return str(c)
    return str(Corroboration.SINGLE_SOURCE)


@dataclass(frozen=True, slots=True)
class _Projection:
    """Equirectangular, fitted to the points' bounding box with a margin for labels."""

    k: float
    x0: float
    y1: float
    scale: float
    ox: float
    oy: float

    def __call__(self, lat: float, lon: float) -> tuple[float, float]:
        return (round(self.ox + (lon * self.k - self.x0) * self.scale, 1),
                round(self.oy + (self.y1 - lat) * self.scale, 1))


def _projection(lats: list[float], lons: list[float]) -> _Projection:
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    x0, x1, y0, y1 = min(lons) * k, max(lons) * k, min(lats), max(lats)
    scale = min((_MAP_W - 2 * _MAP_PAD) / max(x1 - x0, 0.02), (_MAP_H - 2 * _MAP_PAD) / max(y1 - y0, 0.02))
    return _Projection(k, x0, y1, scale, (_MAP_W - (x1 - x0) * scale) / 2, (_MAP_H - (y1 - y0) * scale) / 2)


def _scale_bar(px_per_degree: float) -> tuple[float, str]:
    km_per_px = 111.32 / px_per_degree
    fits = [n for n in (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000) if n / km_per_px <= 140]
    km = fits[-1] if fits else 0.5
    return round(km / km_per_px, 1), f"{km:g} km"


def _marker(proj: _Projection, place: Place, views: list[EventView]) -> Marker:
    x, y = proj(place.lat or 0.0, place.lon or 0.0)
    approx = place.precision in _APPROXIMATE
    name = place.canonical or place.name
    label = f"{name}: approximate (province)" if approx else name
    label += f" ({len(views)})" if len(views) > 1 else ""
    return Marker(x, y, 30.0 if approx else 5.0 + min(len(views), 5), name, label, approx,
                  str(place.precision), _worst(views), views)


Box = tuple[float, float, float, float]


def _label_box(x: float, y: float, anchor: str, text: str) -> Box:
    width = 6.2 * len(text)  # rough width of 11px text; enough to keep labels apart
    x0 = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    return (x0, y - 11, x0 + width, y + 3)


def _free(box: Box, taken: list[Box]) -> bool:
    inside = box[0] >= 0 and box[2] <= _MAP_W and box[1] >= 0 and box[3] <= _MAP_H
    clear = not any(box[0] < t[2] and t[0] < box[2] and box[1] < t[3] and t[1] < box[3] for t in taken)
    return inside and clear


def _spots(m: Marker) -> list[tuple[float, float, str]]:
    if m.approximate:
        return [(m.x, m.y + m.r + 13, "middle"), (m.x, m.y - m.r - 5, "middle")]
    d = m.r + 4
    return [(m.x + d, m.y + 4, "start"), (m.x - d, m.y + 4, "end"), (m.x + d, m.y + 17, "start"),
            (m.x - d, m.y - 9, "end"), (m.x + d, m.y - 9, "start"), (m.x - d, m.y + 17, "end")]


def _place_labels(markers: list[Marker]) -> list[Marker]:
    """Greedy label placement: the first spot around each marker that covers no other label or dot."""
    taken = [(m.x - m.r, m.y - m.r, m.x + m.r, m.y + m.r) for m in markers if not m.approximate]
    out = []
    for m in markers:
        spots = _spots(m)
        x, y, anchor = next((s for s in spots if _free(_label_box(*s, m.label), taken)), spots[0])
        taken.append(_label_box(x, y, anchor, m.label))
        out.append(replace(m, label_x=x, label_y=y, anchor=anchor))
    return out


def map_view(views: list[EventView]) -> MapView:
    """Events with usable coordinates; province centroids become dashed circles, countries are not drawn."""
    groups: dict[tuple[float, float, str, str], list[EventView]] = defaultdict(list)
    for v in filter(_mappable, views):
        p = v.place
        assert p is not None and p.lat is not None and p.lon is not None
        groups[(p.lat, p.lon, p.canonical or p.name, str(p.precision))].append(v)
    unmapped = [v for v in views if not _mappable(v)]
    if not groups:
        return MapView(_MAP_W, _MAP_H, [], unmapped, 0.0, "", "")
    lats, lons = [k[0] for k in groups], [k[1] for k in groups]
    proj = _projection(lats, lons)
    places = {k: next(v.place for v in vs if v.place) for k, vs in groups.items()}
    markers = [_marker(proj, places[k], vs) for k, vs in sorted(groups.items())]
    markers.sort(key=lambda m: (not m.approximate, m.name))
    px, label = _scale_bar(proj.scale)
    extent = (f"{_deg(min(lats), 'NS')} – {_deg(max(lats), 'NS')}, "
              f"{_deg(min(lons), 'EW')} – {_deg(max(lons), 'EW')}")
    return MapView(_MAP_W, _MAP_H, _place_labels(markers), unmapped, px, label, extent)

"""The legends of the print map (:mod:`siting.outputs.plot`): one column at the bottom right,
the map widened to the east when land would lie under it; sites, provinces, corridors and
renewable zones (with a size key), in English or Korean."""

from __future__ import annotations

import numpy as np
import shapely

from . import style
from .style import (
    CANDIDATE,
    CAPITAL,
    IDLE_LW,
    LOADING,
    ZONE,
    ZONE_MARKERS,
    flow_width,
    mw0,
    period_colours,
    province_colours,
)
from .words import tr

PT2_PER_MW = 0.5
"""Site marker area per MW of IT capacity [pt2/MW]."""
ZONE_PT2_PER_MW = 0.02
"""Renewable-zone marker area per MW of potential [pt2/MW]."""


def _draw_legend(ax, prov, periods, last: int, lang: str = "en") -> None:
    """The legends in one column at the bottom right, stacked upwards; the map is widened
    to the east when land would lie under the column (see :func:`_widen_for_column`)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(ax.figure).get_renderer()
    legends = [_add_legend(ax, g, i)
               for i, g in enumerate(_legend_entries(prov, periods, last, lang))]
    sizes = [leg.get_window_extent(renderer) for leg in legends]
    dpi = ax.figure.dpi
    width_in = max(b.width for b in sizes) / dpi + 2 * LEGEND_GAP_IN
    height_in = sum(b.height for b in sizes) / dpi + (len(sizes) + 1) * LEGEND_GAP_IN
    _widen_for_column(ax, prov, width_in, height_in)
    box_h_in = _box_inches(ax)[1]
    y = LEGEND_GAP_IN / box_h_in
    for leg, b in zip(legends[::-1], sizes[::-1], strict=True):
        leg.set_bbox_to_anchor((1 - LEGEND_GAP_IN / _box_inches(ax)[0], y),
                               transform=ax.transAxes)
        y += (b.height / dpi + LEGEND_GAP_IN) / box_h_in


ZONE_KEY_MW = (1_000, 5_000)
"""Potentials shown in the zones' size key [MW]."""
LEGEND_GAP_IN = 0.06
"""Gap between the legends and from the frame [inch]."""
LABEL_HALF_WIDTH_IN = 0.4
"""Half the width of the widest province name on the map [inch]."""


def _box_inches(ax) -> tuple[float, float]:
    """Width and height [inch] of the axes box once the equal aspect is applied."""
    fw, fh = ax.figure.get_size_inches()
    pos = ax.get_position(original=True)
    aw, ah = pos.width * fw, pos.height * fh
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    ratio = (y1 - y0) / (x1 - x0)
    return (aw, aw * ratio) if aw * ratio <= ah else (ah / ratio, ah)


def _widen_for_column(ax, prov, width_in: float, height_in: float) -> None:
    """Move the east edge of the map until no province part or name lies under a legend
    column ``width_in`` x ``height_in`` [inch] at the bottom right."""
    # the land's vertices stand for the land (200 m simplified outlines: a vertex every few
    # hundred metres), so no polygon union or clipping is needed (that took 1 s)
    xy = shapely.get_coordinates(prov.geometry.values)
    (x0, x1), (y0, _) = ax.get_xlim(), ax.get_ylim()
    for _ in range(6):
        bw, _bh = _box_inches(ax)
        scale = (ax.get_xlim()[1] - x0) / bw  # metres per inch
        inside = xy[xy[:, 1] <= y0 + height_in * scale, 0]
        east = float(inside.max()) if len(inside) else x0
        names = prov[prov["text_y"] < y0 + height_in * scale]
        if len(names):  # province names reach about LABEL_HALF_WIDTH_IN east of their anchor
            east = max(east, names["text_x"].max() + LABEL_HALF_WIDTH_IN * scale)
        frac = min(width_in / bw, 0.6)
        need = (east - frac * x0) / (1 - frac)
        ax.set_xlim(x0, max(x1, need))


def _add_legend(ax, group, i: int):
    """Add one legend (placed later by :func:`_draw_legend`)."""
    from matplotlib.legend import Legend

    title, handles, labels = group
    leg = Legend(ax, handles, labels, loc="lower right", bbox_to_anchor=(1.0, 0.0),
                 title=title, fontsize=5.8, title_fontproperties={"weight": "semibold",
                                                                  "size": 6.2},
                 alignment="left", frameon=True, framealpha=0.92, edgecolor="#9aa7b1",
                 borderpad=0.6, labelspacing=0.9 if i == 0 else 0.45, handlelength=2.4,
                 handletextpad=0.6, borderaxespad=0.0)
    leg.set_zorder(10)
    leg.set_gid(f"legend-{i}")
    ax.add_artist(leg)
    return leg


def _legend_entries(prov, periods, last: int, lang: str = "en"
                    ) -> list[tuple[str, list, list[str]]]:
    """(title, handles, labels) of each legend: sites, provinces, corridors, zones."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    def dot(ms, **kw):
        return Line2D([], [], ls="", marker="o", ms=ms, **kw)

    sites = [(dot(np.sqrt(150 * PT2_PER_MW), mfc=c, mec="white"), tr("first built {p}", lang,
                                                                      p=p))
             for p, c in period_colours(periods).items() if p <= last]
    sites += [(dot(np.sqrt(mw * PT2_PER_MW), mfc="none", mec="#444444", mew=0.6),
               f"{mw} MW IT") for mw in (100, 500)]
    sites.append((dot(3, mfc="white", mec=CANDIDATE, mew=0.6),
                  tr("candidate site, not built", lang)))
    provs = [(Patch(facecolor=c, edgecolor="#5a5a5a", linewidth=0.35), tr(text, lang))
             for c, text in province_colours(prov["it_mw"])[1]]
    provs.append((Line2D([], [], color=CAPITAL, lw=1.3, ls=(0, (4, 2))),
                  tr("capital region", lang)))
    grid = [(Line2D([], [], color=c, lw=flow_width(300), solid_capstyle="butt"),
             f"{tr('loading', lang)} {tr(text, lang)}") for _, c, text in LOADING]
    grid += [(Line2D([], [], color="#444444", lw=flow_width(mw), solid_capstyle="butt"),
              f"{mw} MW") for mw in (100, 800)]
    grid += [(Line2D([], [], color="#8a8a8a", lw=IDLE_LW), tr("no flow", lang)),
             (Line2D([], [], color="#9a9a9a", lw=0.6, ls=(0, (1, 1.5))),
              tr("not yet in service", lang))]
    zones = [(Line2D([], [], ls="", marker=m, ms=5, mfc="none", mec=ZONE, mew=0.8),
              tr(style.TECH_NAMES[t], lang))
             for t, m in ZONE_MARKERS.items()]
    zones += [(Line2D([], [], ls="", marker="o", ms=np.sqrt(mw * ZONE_PT2_PER_MW), mfc="none",
                      mec=ZONE, mew=0.8), f"{mw0(mw)} MW") for mw in ZONE_KEY_MW]
    groups = [(f"{tr('Data centres (area ∝ IT MW)', lang)}, {last}", sites),
              (tr("New IT capacity by province, {p}", lang, p=last), provs),
              (tr("Corridor flow, {p} (width ∝ MW)", lang, p=last), grid),
              (tr("Renewable zones (area ∝ potential)", lang), zones)]
    return [(title, [h for h, _ in g], [t for _, t in g]) for title, g in groups]

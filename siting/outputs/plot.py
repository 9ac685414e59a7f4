"""Static maps for print (PNG at 300 dpi, SVG). Imports matplotlib only when drawing.

One map per run, for its last period: provinces shaded by new IT capacity, sites as
circles (area proportional to IT MW, colour = period first built), corridors between
province label points (width = flow, colour = loading against the limit), renewable zones
(shape = technology, area proportional to potential), the capital region outlined, a
legend, scale bar, north arrow, title and source line. Every drawn element carries an SVG
id (``province-<id>``, ``label-<id>``, ``site-<id>``, ``corridor-<a>-<b>``, ``legend`` ...)
so the SVG can be checked and restyled.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import shapely

from . import mapdata, style
from .atomic import atomic_path
from .fonts import register_matplotlib
from .hosting import draw_hosting
from .mapdata import RunTables
from .style import (
    CANDIDATE,
    CAPITAL,
    IDLE_LW,
    LOADING,
    SEA,
    ZONE,
    ZONE_MARKERS,
    flow_width,
    loading_colour,
    mw0,
    period_colours,
    province_colours,
)

PT2_PER_MW = 0.5
"""Site marker area per MW of IT capacity [pt2/MW]."""
ZONE_PT2_PER_MW = 0.02
"""Renewable-zone marker area per MW of potential [pt2/MW]."""
DPI = 300
"""Print resolution of ``map.png`` [dot/inch]."""
SOURCE = f"{style.SOURCE} Projection EPSG:5179."


@contextmanager
def _style():
    """Local matplotlib settings: Hangul font with fallback, deterministic SVG."""
    import matplotlib as mpl

    family = register_matplotlib()
    rc = {"font.family": family, "font.size": 7, "svg.hashsalt": "siting",
          "svg.fonttype": "path", "axes.unicode_minus": False}
    with mpl.rc_context(rc):
        yield


def plot_map(tables: RunTables):
    """Draw the map of a run's last period.

    Parameters
    ----------
    tables : RunTables
        From :func:`siting.outputs.mapdata.from_results` or :func:`siting.outputs.mapdata.read_run_tables`.

    Returns
    -------
    matplotlib.figure.Figure
        7.5 x 7.9 in; save it with :func:`save_maps`.
    """
    from matplotlib.figure import Figure

    with _style():
        prov = mapdata.province_layer(tables)
        sites = mapdata.site_layer(tables)
        fig = Figure(figsize=(7.5, 7.9))
        ax = fig.add_axes((0.01, 0.03, 0.98, 0.895), anchor="N")
        _draw_provinces(ax, prov)
        _draw_corridors(ax, mapdata.corridor_layer(tables, prov))
        _draw_zones(ax, mapdata.zone_layer(tables))
        _draw_sites(ax, sites, tables.periods)
        draw_hosting(ax, tables.hosting, tables.last)
        _draw_labels(ax, prov)
        _frame(ax, prov)
        _draw_legend(ax, prov, tables.periods, tables.last)
        _draw_furniture(fig, ax, tables, sites)
    return fig


def svg_bytes(fig) -> bytes:
    """The figure as SVG (deterministic: fixed ids, no date)."""
    buf = io.BytesIO()
    with _style():
        fig.savefig(buf, format="svg", facecolor="white", metadata={"Date": None})
    return buf.getvalue()


def save_maps(fig, folder: Path, stem: str = "map") -> list[Path]:
    """Write ``<stem>.png`` (300 dpi) and ``<stem>.svg`` (deterministic) into ``folder``."""
    png, svg = Path(folder) / f"{stem}.png", Path(folder) / f"{stem}.svg"
    with _style(), atomic_path(png) as tmp_png, atomic_path(svg) as tmp_svg:
        fig.savefig(tmp_png, dpi=DPI, facecolor="white")
        fig.savefig(tmp_svg, facecolor="white", metadata={"Date": None})
    return [png, svg]


def polygon_path(geom):
    """A matplotlib Path of a (multi)polygon, holes included (oriented rings)."""
    from matplotlib.path import Path as MplPath
    from shapely.geometry.polygon import orient

    verts, codes = [], []
    for poly in getattr(geom, "geoms", [geom]):
        poly = orient(poly, 1.0)
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            verts.append(xy)
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY]
    return MplPath(np.concatenate(verts), codes)


def _draw_provinces(ax, prov) -> None:
    from matplotlib.patches import PathPatch

    fill, _ = province_colours(prov["it_mw"])
    for pid, geom in prov.geometry.items():
        # add_artist: the extent is set by _frame, so skip add_patch's slow limit update
        ax.add_artist(PathPatch(polygon_path(geom), facecolor=fill[pid], edgecolor="#5a5a5a",
                                linewidth=0.35, zorder=1, gid=f"province-{pid}"))
    outline = mapdata.capital_outline(prov)
    for geom in outline:
        ax.add_artist(PathPatch(polygon_path(geom), facecolor="none", edgecolor=CAPITAL,
                                linewidth=1.3, linestyle=(0, (4, 2)), zorder=2,
                                gid="capital-region"))


def _draw_corridors(ax, cor) -> None:
    import matplotlib.patheffects as pe

    for r in cor.itertuples():
        x, y = r.geometry.xy
        gid = f"corridor-{r.a}-{r.b}"
        if not r.in_service:
            ax.plot(x, y, color="#9a9a9a", lw=0.6, ls=(0, (1, 1.5)), zorder=3, gid=gid)
            continue
        if r.flow_mw <= 0:
            ax.plot(x, y, color="#9a9a9a", lw=IDLE_LW, zorder=3, gid=gid, alpha=0.8)
            continue
        w = flow_width(r.flow_mw)
        ax.plot(x, y, color=loading_colour(r.loading), lw=w, solid_capstyle="round", zorder=3,
                gid=gid, path_effects=[pe.Stroke(linewidth=w + 1.2, foreground="white"),
                                       pe.Normal()])
        _flow_arrow(ax, r, w)


def _flow_arrow(ax, r, width: float) -> None:
    """Arrowhead at the middle of a corridor, pointing from source to sink."""
    line = r.geometry if r.source == r.a else r.geometry.reverse()
    a, b = line.interpolate(0.45, normalized=True), line.interpolate(0.58, normalized=True)
    ax.annotate("", xy=(b.x, b.y), xytext=(a.x, a.y), zorder=3.5,
                arrowprops={"arrowstyle": f"-|>,head_length={3 + 1.2 * width:.1f},"
                            f"head_width={2 + 0.9 * width:.1f}", "lw": 0.5,
                            "mutation_scale": 1, "facecolor": loading_colour(r.loading),
                            "edgecolor": "white", "shrinkA": 0, "shrinkB": 0})


def _draw_zones(ax, zones) -> None:
    for tech, z in zones.groupby("technology"):
        ax.scatter(z.geometry.x, z.geometry.y, s=(z["potential_mw"] * ZONE_PT2_PER_MW).clip(12),
                   marker=ZONE_MARKERS.get(tech, "o"), facecolors="none", edgecolors=ZONE,
                   linewidths=0.8, alpha=0.85, zorder=4, gid=f"zones-{tech}")


def _draw_sites(ax, sites, periods) -> None:
    colours = period_colours(periods)
    idle = sites[sites["first_period"].isna()]
    ax.scatter(idle.geometry.x, idle.geometry.y, s=9, facecolors="white", edgecolors=CANDIDATE,
               linewidths=0.6, zorder=5, gid="candidate-sites")
    built = sites[sites["first_period"].notna()].sort_values("it_mw", ascending=False)
    for sid, r in built.iterrows():
        ax.scatter([r.geometry.x], [r.geometry.y], s=max(r["it_mw"] * PT2_PER_MW, 12),
                   color=colours[int(r["first_period"])], edgecolors="white", linewidths=0.8,
                   alpha=0.9, zorder=6, gid=f"site-{sid}")


def _draw_labels(ax, prov) -> None:
    import matplotlib.patheffects as pe

    halo = [pe.withStroke(linewidth=2.2, foreground="white")]
    for pid, r in prov.iterrows():
        text = f"{r['name_ko']}\n{pid}"
        if r["it_mw"] > 0:
            text += f"\n{mw0(r['it_mw'])} MW"
        x, y = r["text_x"], r["text_y"]
        if r["leader"]:
            ax.plot([r["label_x"], x], [r["label_y"], y], color="#444444", lw=0.4, zorder=7)
        ax.text(x, y, text, ha="center", va="center", fontsize=5.6, linespacing=1.05,
                color="#1a1a1a", zorder=8, path_effects=halo, gid=f"label-{pid}")


def _frame(ax, prov) -> None:
    """Extent of all provinces and labels plus a margin, sea background, no axes."""
    x0, y0, x1, y1 = prov.total_bounds
    x0, x1 = min(x0, prov["text_x"].min() - LABEL_MARGIN_M), max(x1, prov["text_x"].max()
                                                                  + LABEL_MARGIN_M)
    y0, y1 = min(y0, prov["text_y"].min() - LABEL_MARGIN_M), max(y1, prov["text_y"].max()
                                                                  + LABEL_MARGIN_M)
    pad = 0.03 * max(x1 - x0, y1 - y0)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    ax.set_aspect("equal")
    ax.set_facecolor(SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#9aa7b1")
        spine.set_linewidth(0.6)


def _draw_legend(ax, prov, periods, last: int) -> None:
    """The legends in one column at the bottom right, stacked upwards; the map is widened
    to the east when land would lie under the column (see :func:`_widen_for_column`)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(ax.figure).get_renderer()
    legends = [_add_legend(ax, g, i) for i, g in enumerate(_legend_entries(prov, periods, last))]
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


LEGEND_GAP_IN = 0.06
"""Gap between the legends and from the frame [inch]."""
LABEL_MARGIN_M = 25_000.0
"""Room kept around a province name's anchor inside the frame [m]."""
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
    land = prov.union_all()
    (x0, x1), (y0, _) = ax.get_xlim(), ax.get_ylim()
    for _ in range(6):
        bw, _bh = _box_inches(ax)
        scale = (ax.get_xlim()[1] - x0) / bw  # metres per inch
        band = shapely.box(x0, y0, 1e9, y0 + height_in * scale)
        clipped = land.intersection(band)
        east = clipped.bounds[2] if not clipped.is_empty else x0
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


def _legend_entries(prov, periods, last: int) -> list[tuple[str, list, list[str]]]:
    """(title, handles, labels) of each legend: sites, provinces, corridors, zones."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    def dot(ms, **kw):
        return Line2D([], [], ls="", marker="o", ms=ms, **kw)

    sites = [(dot(np.sqrt(150 * PT2_PER_MW), mfc=c, mec="white"), f"first built {p}")
             for p, c in period_colours(periods).items()]
    sites += [(dot(np.sqrt(mw * PT2_PER_MW), mfc="none", mec="#444444", mew=0.6),
               f"{mw} MW IT") for mw in (100, 500)]
    sites.append((dot(3, mfc="white", mec=CANDIDATE, mew=0.6), "candidate site, not built"))
    provs = [(Patch(facecolor=c, edgecolor="#5a5a5a", linewidth=0.35), text)
             for c, text in province_colours(prov["it_mw"])[1]]
    provs.append((Line2D([], [], color=CAPITAL, lw=1.3, ls=(0, (4, 2))), "capital region"))
    grid = [(Line2D([], [], color=c, lw=flow_width(300), solid_capstyle="butt"),
             f"loading {text}") for _, c, text in LOADING]
    grid += [(Line2D([], [], color="#444444", lw=flow_width(mw), solid_capstyle="butt"),
              f"{mw} MW") for mw in (100, 800)]
    grid += [(Line2D([], [], color="#9a9a9a", lw=IDLE_LW), "no flow"),
             (Line2D([], [], color="#9a9a9a", lw=0.6, ls=(0, (1, 1.5))), "not yet in service")]
    zones = [(Line2D([], [], ls="", marker=m, ms=5, mfc="none", mec=ZONE, mew=0.8),
              style.TECH_NAMES[t])
             for t, m in ZONE_MARKERS.items()]
    groups = [(f"Data centres, {last} (area ∝ IT MW)", sites),
              (f"New IT capacity by province, {last}", provs),
              (f"Corridor flow, {last} (width ∝ MW)", grid),
              ("Renewable zones (area ∝ potential)", zones)]
    return [(title, [h for h, _ in g], [t for _, t in g]) for title, g in groups]


def _draw_furniture(fig, ax, tables: RunTables, sites) -> None:
    """Scale bar, north arrow, title, subtitle and source line."""
    from matplotlib_scalebar.scalebar import ScaleBar

    class GroupedScaleBar(ScaleBar):
        """ScaleBar ignores its gid; wrap its drawing in an SVG group ``scalebar``."""

        def draw(self, renderer, *args, **kwargs):
            renderer.open_group("scalebar", gid="scalebar")
            super().draw(renderer, *args, **kwargs)
            renderer.close_group("scalebar")

    ax.add_artist(GroupedScaleBar(1.0, "m", location="lower left", length_fraction=0.2,
                                  box_alpha=0.8, font_properties={"size": 6}, border_pad=0.8,
                                  scale_loc="top"))
    arrow = ax.annotate("", xy=(0.05, 0.965), xytext=(0.05, 0.895), xycoords="axes fraction",
                        arrowprops={"arrowstyle": "-|>,head_length=0.8,head_width=0.35",
                                    "lw": 1.6, "color": "#1a1a1a"})
    arrow.arrow_patch.set_gid("north-arrow")
    ax.text(0.05, 0.97, "N", transform=ax.transAxes, ha="center", va="bottom", fontsize=9,
            fontweight="semibold", gid="north-arrow-label")
    built = sites[sites["it_mw"] > 0]
    gap = "" if tables.mip_gap is None else f", MIP gap {tables.mip_gap:.2%}"
    fig.text(0.015, 0.99, f"AI data centres and the grid, {tables.last} — {tables.name}",
             fontsize=11, fontweight="semibold", va="top", gid="title")
    fig.text(0.015, 0.958, f"{built['it_mw'].sum():,.0f} MW IT at {len(built)} sites in "
             f"{built['province_id'].nunique()} provinces; corridor flows in {tables.last}. "
             f"Solver status {tables.status}{gap}.", fontsize=7.5, va="top", color="#333333",
             gid="subtitle")
    fig.text(0.015, 0.012, SOURCE, fontsize=5.8, color="#555555", gid="source")
    if tables.run_id:
        fig.text(0.985, 0.012, f"run {tables.run_id}", fontsize=5.8, color="#555555",
                 ha="right", gid="run-id")

"""Static maps for print (PNG at 300 dpi, SVG). Imports matplotlib only when drawing.

One map per period (the last by default): provinces shaded by new IT capacity, sites as
circles (area proportional to IT MW, colour = period first built) named beside them,
corridors with flow between province label points (width = flow, colour = loading against
the limit), corridors without flow as short grey ticks across the border, renewable zones
(shape = technology, area proportional to potential, with a size key), the capital region
outlined, a legend, scale bar, north arrow, a bilingual title and source line. Every drawn
element carries an SVG id (``province-<id>``, ``label-<id>``, ``site-<id>``,
``sitename-<id>``, ``corridor-<a>-<b>``, ``legend`` ...) so the SVG can be checked and
restyled. The figure is drawn once and exported to PNG and SVG from the same object.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from . import mapdata, style
from .atomic import atomic_path
from .fonts import register_matplotlib
from .hosting import draw_hosting
from .mapdata import RunTables
from .plot_legend import PT2_PER_MW, ZONE_PT2_PER_MW, _draw_legend
from .style import (
    CANDIDATE,
    CAPITAL,
    IDLE_LW,
    SEA,
    ZONE,
    ZONE_MARKERS,
    flow_width,
    loading_colour,
    mw0,
    period_colours,
    province_colours,
)
from .words import place_names, short_name, tr

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


def plot_map(tables: RunTables, period: int | None = None, lang: str = "en",
             small: bool = False):
    """Draw the map of one period of a run.

    Parameters
    ----------
    tables : RunTables
        From :func:`siting.outputs.mapdata.from_results` or :func:`siting.outputs.mapdata.read_run_tables`.
    period : int, optional
        The period drawn [year]; the last by default.
    lang : {"en", "ko"}
        Language of the legends and site names (the title is bilingual).
    small : bool
        A panel of a small multiple: no legends, scale bar or source line.

    Returns
    -------
    matplotlib.figure.Figure
        7.5 x 7.9 in; save it with :func:`save_maps`.
    """
    from matplotlib.figure import Figure

    period = tables.last if period is None else int(period)
    with _style():
        prov = mapdata.province_layer(tables, period=period)
        sites = mapdata.site_layer(tables, period=period)
        fig = Figure(figsize=(7.5, 7.9))
        ax = fig.add_axes((0.01, 0.03, 0.98, 0.895), anchor="N")
        _draw_provinces(ax, prov)
        _draw_corridors(ax, mapdata.corridor_layer(tables, prov, period))
        _draw_zones(ax, mapdata.zone_layer(tables, period))
        _draw_sites(ax, sites, tables.periods)
        draw_hosting(ax, tables.hosting, tables.last)
        _draw_labels(ax, prov)
        _draw_site_names(ax, sites, place_names(tables.sites, "site_id", lang).map(short_name),
                         prov, 8.0 if small else 6.0)
        _frame(ax, prov)
        if not small:
            _draw_legend(ax, prov, tables.periods, period, lang)
        _draw_furniture(fig, ax, tables, sites, period, small)
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
        if r.flow_mw <= 0:  # a short tick across the border (mapdata.border_tick)
            ax.plot(x, y, color="#8a8a8a", lw=IDLE_LW, zorder=3, gid=gid, alpha=0.7,
                    solid_capstyle="butt")
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
    idle = sites[~(sites["it_mw"] > 0)]
    ax.scatter(idle.geometry.x, idle.geometry.y, s=9, facecolors="white", edgecolors=CANDIDATE,
               linewidths=0.6, zorder=5, gid="candidate-sites")
    built = sites[sites["it_mw"] > 0].sort_values("it_mw", ascending=False)
    for sid, r in built.iterrows():
        ax.scatter([r.geometry.x], [r.geometry.y], s=max(r["it_mw"] * PT2_PER_MW, 12),
                   color=colours[int(r["first_period"])], edgecolors="white", linewidths=0.8,
                   alpha=0.9, zorder=6, gid=f"site-{sid}")


M_PER_PT = 1_000.0
"""About one kilometre of Korea per point of the 7.5-inch map [m/pt] (600 km over 540 pt);
used to keep site names apart without measuring text."""


def _draw_site_names(ax, sites, names, prov, size: float) -> None:
    """Name every site built in the period beside its circle (on the side away from the
    peninsula's east-west middle, so names stay off the legend column; moved down when it
    would overlap a name already placed, with a leader line); text gid
    ``sitename-<id>``."""
    import matplotlib.patheffects as pe

    halo = [pe.withStroke(linewidth=1.8, foreground="white")]
    font = size * 0.75
    step = 1.5 * font * M_PER_PT
    built = sites[sites["it_mw"] > 0]
    built = built.assign(_y=built.geometry.y).sort_values(["_y", "it_mw"], ascending=False)
    mid_x = float(np.median(prov["label_x"]))
    # west x, y, width, half height [m] of what a name must not cover: province names first
    label_w, label_h = 40 * M_PER_PT * 5.6 / 6, 10 * M_PER_PT
    placed = [(x - label_w / 2, y, label_w, label_h)
              for x, y in zip(prov["text_x"], prov["text_y"], strict=True)]
    for sid, r in built.iterrows():
        text = f"{names.get(sid, sid)} {mw0(r['it_mw'])} MW"
        radius_m = M_PER_PT * np.sqrt(max(r["it_mw"] * PT2_PER_MW, 12) / np.pi) + 2_500.0
        width = 0.62 * font * M_PER_PT * len(text)
        west = r.geometry.x > mid_x
        x = r.geometry.x - radius_m - width if west else r.geometry.x + radius_m
        y = r.geometry.y
        for _ in range(15):
            if not any(abs(y - py) < step / 2 + ph and x < px + pw and px < x + width
                       for px, py, pw, ph in placed):
                break
            y -= step
        placed.append((x, y, width, step / 2))
        anchor = x + width if west else x
        if abs(y - r.geometry.y) > 1.0:
            ax.plot([r.geometry.x, anchor], [r.geometry.y, y], color="#555555", lw=0.35,
                    zorder=8.5)
        ax.text(anchor, y, text, ha="right" if west else "left", va="center", fontsize=font,
                color="#111111", zorder=9, path_effects=halo, gid=f"sitename-{sid}")


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


LABEL_MARGIN_M = 25_000.0
"""Room kept around a province name's anchor inside the frame [m]."""


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


def _draw_furniture(fig, ax, tables: RunTables, sites, period: int, small: bool = False
                    ) -> None:
    """Scale bar, north arrow, title, subtitle and source line (a panel: title only)."""
    from matplotlib_scalebar.scalebar import ScaleBar

    class GroupedScaleBar(ScaleBar):
        """ScaleBar ignores its gid; wrap its drawing in an SVG group ``scalebar``."""

        def draw(self, renderer, *args, **kwargs):
            renderer.open_group("scalebar", gid="scalebar")
            super().draw(renderer, *args, **kwargs)
            renderer.close_group("scalebar")

    title = (f"{tr('AI data centres and the grid, {p}', 'ko', p=period)} · "
             f"{tr('AI data centres and the grid, {p}', 'en', p=period)}")
    built = sites[sites["it_mw"] > 0]
    summary = (f"{built['it_mw'].sum():,.0f} MW IT · {len(built)} sites · "
               f"{built['province_id'].nunique()} provinces")
    if small:
        fig.text(0.015, 0.99, f"{period}: {summary}", fontsize=16, fontweight="semibold",
                 va="top", gid="title")
        return
    ax.add_artist(GroupedScaleBar(1.0, "m", location="lower left", length_fraction=0.2,
                                  box_alpha=0.8, font_properties={"size": 6}, border_pad=0.8,
                                  scale_loc="top"))
    arrow = ax.annotate("", xy=(0.05, 0.965), xytext=(0.05, 0.895), xycoords="axes fraction",
                        arrowprops={"arrowstyle": "-|>,head_length=0.8,head_width=0.35",
                                    "lw": 1.6, "color": "#1a1a1a"})
    arrow.arrow_patch.set_gid("north-arrow")
    ax.text(0.05, 0.97, "N", transform=ax.transAxes, ha="center", va="bottom", fontsize=9,
            fontweight="semibold", gid="north-arrow-label")
    gap = "" if tables.mip_gap is None else f", MIP gap {tables.mip_gap:.2%}"
    fig.text(0.015, 0.99, f"{title} — {tables.name}", fontsize=10.5, fontweight="semibold",
             va="top", gid="title")
    fig.text(0.015, 0.958, f"{summary} ({period}); corridor flows in {period}. "
             f"Solver status {tables.status}{gap}.", fontsize=7.5, va="top", color="#333333",
             gid="subtitle")
    fig.text(0.015, 0.012, SOURCE, fontsize=5.8, color="#555555", gid="source")
    if tables.run_id:
        fig.text(0.985, 0.012, f"run {tables.run_id}", fontsize=5.8, color="#555555",
                 ha="right", gid="run-id")

"""The report's charts (SVG): capacity by province and period, cost by component, loading
of the most loaded grid elements. Each takes the run's tables and returns SVG bytes, drawn
on a matplotlib ``Figure`` (no pyplot state) in the report's Hangul font.
"""

from __future__ import annotations

import functools
import io

import numpy as np
import pandas as pd

from .style import period_colours
from .words import cost_name, tr

WIDTH_IN = 7.0
"""Width of every chart [inch] (the A4 text width at 12 mm margins is 7.3 in)."""


def _styled(draw):
    """Run a chart function inside the maps' matplotlib settings (Hangul font)."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        from .plot import _style

        with _style():
            return draw(*args, **kwargs)
    return wrapper


def _svg(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", facecolor="white", bbox_inches="tight",
                metadata={"Date": None})
    return buf.getvalue()


def _figure(height_in: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, height_in))
    ax = fig.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig, ax


@_styled
def capacity_chart(provinces: pd.DataFrame, names: pd.Series, periods, lang: str = "en"
                   ) -> bytes:
    """Grouped bars: IT MW [MW] per host province (any period), one bar per period."""
    w = provinces.pivot_table(index="province_id", columns="period", values="it_mw",
                              aggfunc="sum").reindex(columns=list(periods)).fillna(0.0)
    w = w[w.max(axis=1) > 0].sort_values(max(periods), ascending=False)
    fig, ax = _figure(2.8)
    colours = period_colours(periods)
    x = np.arange(len(w))
    width = 0.8 / max(len(periods), 1)
    for i, p in enumerate(periods):
        bars = ax.bar(x + (i - (len(periods) - 1) / 2) * width, w[p], width, color=colours[p],
                      label=str(p), edgecolor="white", linewidth=0.4)
        ax.bar_label(bars, labels=[f"{v:,.0f}" if v > 0 else "" for v in w[p]], fontsize=5,
                     padding=1)
    ax.set_xticks(x, [names.get(pid, pid) for pid in w.index], fontsize=6.5)
    ax.set_ylabel("IT MW")
    ax.legend(title=tr("period", lang), fontsize=6, title_fontsize=6.5, frameon=False)
    ax.set_title(tr("Capacity by province and period", lang), fontsize=8, loc="left")
    return _svg(fig)


@_styled
def cost_chart(costs: pd.DataFrame, lang: str = "en") -> bytes:
    """Stacked bars: annual cost [bn KRW/yr] by component, one bar per period."""
    comp = [c for c in costs.columns if c.endswith("_bn_krw_per_yr") and costs[c].abs().sum()]
    fig, ax = _figure(2.4)
    from matplotlib import colormaps

    cmap = colormaps["tab10"]
    bottom = np.zeros(len(costs))
    x = costs["period"].astype(str)
    for i, c in enumerate(comp):
        ax.bar(x, costs[c], 0.55, bottom=bottom, color=cmap(i),
               label=cost_name(c.removesuffix("_bn_krw_per_yr"), lang))
        bottom += costs[c].to_numpy()
    for xi, total in zip(x, bottom, strict=True):
        ax.text(xi, total, f"{total:,.0f}", ha="center", va="bottom", fontsize=6)
    ax.set_ylabel(tr("annual cost [bn KRW/yr]", lang))
    ax.legend(fontsize=6, frameon=False, loc="upper left")
    ax.set_title(tr("Annual cost by component", lang), fontsize=8, loc="left")
    return _svg(fig)


def loading_table(corridors: pd.DataFrame, line_loading: pd.DataFrame | None,
                  top: int = 10) -> pd.DataFrame:
    """The most loaded grid elements: ``element``, ``period``, ``loading`` [-], ``flow_mw``,
    ``limit_mw`` [MW]; from ``line_loading.csv`` when the run has one (its ``name`` or ``line_id``,
    ``period``, ``flow_mw``, ``limit_mw`` or ``loading`` columns), else the corridor arcs
    in service. One row per element (its most loaded period), most loaded first."""
    if line_loading is not None and len(line_loading):
        d = line_loading.copy()
        key = next((c for c in ("name", "line_id", "element", "id", "arc_id") if c in d),
                   d.columns[0])
        d["element"] = d[key].astype(str)
        if "loading" not in d and {"flow_mw", "limit_mw"} <= set(d):
            d["loading"] = d["flow_mw"].abs() / d["limit_mw"].where(d["limit_mw"] > 0)
    else:
        d = corridors[corridors["in_service"].astype(str).str.lower() == "true"].copy()
        d["element"] = d["from_province"] + " → " + d["to_province"]
        d["loading"] = d["flow_mw"] / d["limit_mw"].where(d["limit_mw"] > 0)
    d = d.dropna(subset=["loading"]).sort_values(["loading", "element"], ascending=[False, True])
    d = d.drop_duplicates("element").head(top)
    return d[[c for c in ("element", "period", "loading", "flow_mw", "limit_mw") if c in d]]


@_styled
def loading_chart(loading: pd.DataFrame, periods, lang: str = "en") -> bytes:
    """Horizontal bars of :func:`loading_table` [%], coloured by the period of the peak."""
    fig, ax = _figure(0.5 + 0.22 * max(len(loading), 1))
    colours = period_colours(periods)
    y = np.arange(len(loading))[::-1]
    ax.barh(y, 100 * loading["loading"], color=[colours.get(int(p), "#777")
                                                 for p in loading["period"]], height=0.7)
    for yi, (v, p) in zip(y, zip(loading["loading"], loading["period"], strict=True),
                          strict=True):
        ax.text(100 * v + 1, yi, f"{100 * v:.0f} % ({int(p)})", va="center", fontsize=6)
    ax.set_yticks(y, loading["element"], fontsize=6.5)
    ax.set_xlim(0, 118)
    ax.axvline(100, color="#d4145a", lw=0.8, ls=(0, (3, 2)))
    ax.set_xlabel(tr("loading", lang) + " [%]")
    ax.set_title(tr("Loading of the most loaded grid elements", lang), fontsize=8, loc="left")
    return _svg(fig)

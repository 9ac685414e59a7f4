"""Hosting capacity in a run folder: ``hosting.csv``, its GeoPackage layer, its map marks
and its report table.

The numbers come from the data stage (:func:`siting.model.network.hosting.hosting_table`,
network mode only); this module only writes, reads and draws them, each in its own
function so that the map and report code call one function each.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from ..inputs.geo import GEOGRAPHIC_CRS, METRIC_CRS, points

FILE = "hosting.csv"
"""Name of the table in a run folder."""
REQUIRED = ("bus", "station", "province_id", "voltage_kv", "lon", "lat", "period",
            "hosting_mw", "snapshot", "limiting_line")
"""Columns the maps and the report need."""
HOSTING_PT2_PER_MW = 0.05
"""Area of a hosting ring on the print map per MW of hosting capacity [pt2/MW]."""
HOSTING_COLOUR = "#6a3d9a"
"""Colour of the hosting rings and their labels."""
LABELLED = 5
"""Largest hosting capacities of the last period named on the print map."""
TOP = 10
"""Rows of the report's hosting table (largest hosting capacity in the last period)."""


def read_hosting(run_dir: Path) -> pd.DataFrame | None:
    """``hosting.csv`` of a run folder, or None when the run has none (transport mode)."""
    from .reader import read_table

    path = Path(run_dir) / FILE
    return read_table(path, REQUIRED) if path.is_file() else None


def hosting_layer(hosting: pd.DataFrame, periods) -> gpd.GeoDataFrame:
    """One point per candidate bus: ``hosting_mw_<period>`` [MW], ``limiting_<period>``
    (line and snapshot), station, province, kV; EPSG:5179."""
    h = hosting.copy()
    h["limiting"] = h["limiting_line"].astype(str) + " (" + h["snapshot"].astype(str) + ")"
    meta = h.drop_duplicates("bus").set_index("bus")[
        ["station", "province_id", "voltage_kv", "lon", "lat"]]
    for col, name in (("hosting_mw", "hosting_mw"), ("limiting", "limiting")):
        wide = h.pivot(index="bus", columns="period", values=col)
        wide = wide.reindex(columns=[p for p in periods if p in wide.columns])
        wide.columns = [f"{name}_{p}" for p in wide.columns]
        meta = meta.join(wide)
    return gpd.GeoDataFrame(meta, geometry=points(meta), crs=METRIC_CRS)


def write_hosting_layer(path: Path, hosting: pd.DataFrame, periods) -> None:
    """Add the layer ``hosting`` (points at the candidate buses, :func:`hosting_layer`) to
    the run's GeoPackage."""
    from .runfolder import _to_gpkg

    layer = hosting_layer(hosting, periods).reset_index().to_crs(GEOGRAPHIC_CRS)
    _to_gpkg(layer, path, "hosting")


def draw_hosting(ax, hosting: pd.DataFrame | None, period: int) -> None:
    """Rings at the candidate buses on the print map, area proportional to the bus's
    hosting capacity in ``period``; the :data:`LABELLED` largest are labelled in MW."""
    if hosting is None or not len(hosting):
        return
    h = hosting[hosting["period"] == period]
    if not len(h):
        return
    layer = hosting_layer(h, [period])
    mw = layer[f"hosting_mw_{period}"].astype(float)
    ax.scatter(layer.geometry.x, layer.geometry.y, s=(mw * HOSTING_PT2_PER_MW).clip(lower=6),
               facecolors="none", edgecolors=HOSTING_COLOUR, linewidths=0.7,
               linestyle=(0, (2, 1)), alpha=0.8, zorder=5.5, gid="hosting")
    from .style import mw0

    for bus, r in layer.loc[mw.sort_values(ascending=False).index[:LABELLED]].iterrows():
        ax.annotate(f"{mw0(r[f'hosting_mw_{period}'])} MW", (r.geometry.x, r.geometry.y),
                    xytext=(4, -8), textcoords="offset points", fontsize=5.5,
                    color=HOSTING_COLOUR, zorder=7, gid=f"hosting-label-{bus}")


def hosting_report_table(hosting: pd.DataFrame | None, periods):
    """The report's table: the :data:`TOP` candidate buses of largest hosting capacity in
    the last period, their capacity in every period and the last period's limiting line
    (a :class:`~siting.outputs.sections.Table`), or None without ``hosting.csv``."""
    if hosting is None or not len(hosting):
        return None
    from .sections import _table
    from .style import mw

    last = max(periods)
    layer = hosting_layer(hosting, periods)
    top = layer.sort_values([f"hosting_mw_{last}"], ascending=False).head(TOP)
    cols = {"station": ("station", None), "province_id": ("province", None),
            "voltage_kv": ("kV", lambda x: f"{x:g}")}
    cols |= {f"hosting_mw_{p}": (f"hosting MW {p}", mw) for p in periods
             if f"hosting_mw_{p}" in top.columns}
    cols |= {f"limiting_{last}": (f"limiting line {last} (snapshot)", None)}
    return _table("hosting", top.reset_index(), cols, caption=(
        "Hosting capacity: the largest new load each candidate bus takes alone, in every "
        "stress snapshot of the period, with supply responses from the units with spare "
        "capacity (hosting.csv, all candidate buses)"))


def hosting_section(rec):
    """Report section: the hosting capacity of the largest candidate buses (network mode
    only; a note in transport mode)."""
    from .sections import Section

    table = hosting_report_table(rec.tables.hosting, rec.tables.periods)
    if table is None:
        return Section("hosting", "Hosting capacity", [
            "No hosting.csv: the run used the grid family's transport mode."])
    n = rec.tables.hosting["bus"].nunique()
    return Section("hosting", "Hosting capacity of the candidate buses", [
        (f"The largest new load each of the {n} candidate buses takes alone, per period "
         "(hosting.csv lists all of them with the limiting line, its base flow and "
         "limit). In network mode a node's headroom is this figure.")], tables=[table])

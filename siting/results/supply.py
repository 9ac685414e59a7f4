"""Result tables of the supply and reinforcement families: how each site is supplied per
period (``supply.csv``), the reinforcements in service (``reinforcements.csv``), each
site's time-to-power (``time_to_power.csv``) and CO2 per period for the KPIs."""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from ..model.constraints.reinforcement import offered
from ..model.constraints.supply import MT_PER_AVG_MW, energy_factor, ready_pairs
from ..model.data import ModelData
from ..model.units import GWH_PER_MW_YEAR

SUPPLY_COLUMNS = ["site_id", "period", "source", "kind", "supply_mw", "energy_gwh_per_yr",
                  "co2_kt_per_yr"]
REINFORCEMENT_COLUMNS = ["reinforcement_id", "kind", "element", "element_id", "capacity_mw",
                         "ready_year", "in_service_from", "committed", "cost_bn_krw"]


def family_tables(m, data: ModelData, sites: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The tables of the families that are on, by file name (without ``.csv``)."""
    out = {}
    if data.on("supply"):
        out["supply"] = supply_table(m, data, sites)
        out["time_to_power"] = time_to_power(m, data, sites)
    if data.on("reinforcement"):
        out["reinforcements"] = reinforcement_table(m, data)
    return out


def supply_table(m, data: ModelData, sites: pd.DataFrame) -> pd.DataFrame:
    """Per site and period with capacity: MW from the grid (the peak draw) and from each
    co-located option, their energy [GWh/yr] and CO2 [kt/yr]."""
    sd = data.family_data["supply"]
    u = data.utilization
    built = sites[sites["it_mw"] > 0]
    offs: dict[tuple[str, int], list[tuple[str, float, float]]] = {}
    for o, p in ready_pairs(data):
        q = float(pyo.value(m.supply_mw[o, p]))
        if q > 1e-6:
            offs.setdefault((sd.site[o], p), []).append((o, q, energy_factor(sd, data, o) * q))
    rows = []
    for r in built.itertuples():
        mine = offs.get((r.site_id, r.period), [])
        draw = r.facility_mw - sum(sd.firm[o] * q for o, q, _ in mine)
        energy = u * r.facility_mw - sum(e for _, _, e in mine)
        rows.append((r.site_id, r.period, "grid", "grid", draw, energy * GWH_PER_MW_YEAR,
                     energy * sd.grid_co2[r.site_id] * MT_PER_AVG_MW * 1e3))
        rows += [(r.site_id, r.period, o, sd.kind[o], q, e * GWH_PER_MW_YEAR,
                  e * sd.co2[o] * MT_PER_AVG_MW * 1e3) for o, q, e in mine]
    return pd.DataFrame(rows, columns=SUPPLY_COLUMNS).sort_values(
        ["site_id", "period", "source"]).reset_index(drop=True)


def reinforcement_table(m, data: ModelData) -> pd.DataFrame:
    """The reinforcements in service in some period: first period, cost [bn KRW]."""
    rd = data.family_data["reinforcement"]
    rows = []
    for r in offered(data):
        on = [p for p in data.periods if pyo.value(m.reinforcement_built[r, p]) > 0.5]
        if on:
            rows.append((r, rd.kind[r], rd.element[r], rd.element_id[r], rd.capacity[r],
                         rd.ready[r], on[0], rd.committed[r],
                         0.0 if rd.committed[r] else rd.cost[r]))
    return pd.DataFrame(rows, columns=REINFORCEMENT_COLUMNS)


def time_to_power(m, data: ModelData, sites: pd.DataFrame) -> pd.DataFrame:
    """Per site: the earliest year it could be energised *alone* (other sites at its node
    not counted) and what is on that critical path, beside the first period it holds
    capacity in the plan and what supplies it then.

    Earliest year = max(available_from, min(grid path, co-located path)): the grid path is
    the connection's completion, and, when the node's headroom is below one module's
    facility power, the earliest reinforcement at the node; the co-located path the
    earliest firm option.
    """
    sd, lk = data.family_data["supply"], data.lookup
    rd = data.family_data.get("reinforcement") if data.on("reinforcement") else None
    head = data.grid_nodes["headroom_mw"].to_dict() if data.on("grid") and \
        data.settings["grid"].node_headroom else {}
    node_ready: dict[str, tuple[int, str]] = {}
    if rd is not None:
        for r in offered(data):
            if rd.element[r] == "node":
                best = node_ready.get(rd.element_id[r])
                if best is None or rd.ready[r] < best[0]:
                    node_ready[rd.element_id[r]] = (rd.ready[r], r)
    firm: dict[str, tuple[int, str]] = {}
    for o in sd.options:
        s = sd.site[o]
        if sd.firm[o] > 0 and (s not in firm or sd.ready[o] < firm[s][0]):
            firm[s] = (sd.ready[o], o)
    first = sites[sites["it_mw"] > 0].groupby("site_id")["period"].min()
    ready = set(ready_pairs(data))
    rows = []
    for s in lk.sites:
        avail = lk.available_from[s]
        node = str(data.sites.at[s, "grid_node_id"])
        grid, why = sd.grid_ready[s], f"grid connection {s}"
        if node in head and head[node] < lk.pue[s] * lk.module_mw[s]:
            year, r = node_ready.get(node, (10**4, "no reinforcement offered"))
            grid, why = max(grid, year), f"reinforcement {r}"
        colo, cwhy = firm.get(s, (10**4, ""))
        path, path_why = (grid, why) if grid <= colo else (colo, f"co-located {cwhy}")
        earliest = max(avail, path)
        reason = "site ready (available_from)" if avail >= path else path_why
        p0 = first.get(s)
        used = "" if p0 is None else ";".join(sorted(
            o for o in sd.options if sd.site[o] == s and (o, p0) in ready
            and pyo.value(m.supply_mw[o, p0]) > 1e-6))
        rows.append((s, avail, sd.grid_ready[s], earliest if earliest < 10**4 else None,
                     reason, p0, used))
    return pd.DataFrame(rows, columns=[
        "site_id", "available_from", "grid_connection_year", "earliest_energised_year",
        "critical_path", "first_period_built", "colocated_in_first_period"])


def co2_by_period(m, data: ModelData) -> pd.DataFrame:
    """CO2 of the sites' supply per period [Mt/yr] (empty without the supply family)."""
    if not data.on("supply"):
        return pd.DataFrame(columns=["period", "co2_mt_per_yr"])
    return pd.DataFrame({"period": data.periods,
                         "co2_mt_per_yr": [float(pyo.value(m.co2_mt[p])) for p in data.periods]})

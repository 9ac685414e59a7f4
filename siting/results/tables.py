"""Stage 4: results as a typed object of DataFrames, and KPIs as pure functions over it."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression

from ..inputs.tables import Inputs
from ..model.data import ModelData
from ..model.duals import fixed_integer_duals
from ..model.objective import components
from ..model.solve import SolveReport
from .binding import binding_limits
from .network import network_results
from .supply import co2_by_period, family_tables
from .targets import target_kpis


@dataclass(frozen=True)
class Results:
    """Everything a run decided, as tables with real identifiers.

    Attributes
    ----------
    sites : pandas.DataFrame
        One row per (site_id, period): open, modules, it_mw, facility_mw,
        renewable_mw (average MW procured), renewable_share.
    provinces : pandas.DataFrame
        One row per (province_id, period): it_mw, facility_mw and sites_open of the sites
        in the province; grid_load_mw drawn at the province's grid nodes; spare_mw,
        imports_mw, exports_mw.
    corridors : pandas.DataFrame
        One row per (arc_id, period): corridor_id, from/to province, flow_mw, limit_mw.
    zones : pandas.DataFrame
        One row per (zone_id, period): supply_avg_mw, used_mw.
    procurement : pandas.DataFrame
        One row per (site_id, zone_id, period) with renewable_mw > 0 [MW average].
    costs : pandas.DataFrame
        One row per period: annual cost per component [bn KRW/yr], discount factor and
        present value [bn KRW].
    binding : pandas.DataFrame
        Limits at their bound, one row per binding row of a registered limit (see
        :mod:`siting.results.binding`): family, limit, id, period, value, bound, slack,
        unit, marginal_bn_krw_per_unit, description.
    kpis : pandas.DataFrame
        One row per period of headline figures.
    solve : SolveReport
    family_tables : dict of str to pandas.DataFrame
        Tables of the families that are on, written as ``<name>.csv``
        (:func:`siting.results.supply.family_tables`: ``supply``, ``time_to_power``,
        ``reinforcements``); empty when none is on.
    """

    sites: pd.DataFrame
    provinces: pd.DataFrame
    corridors: pd.DataFrame
    zones: pd.DataFrame
    procurement: pd.DataFrame
    costs: pd.DataFrame
    binding: pd.DataFrame
    kpis: pd.DataFrame
    solve: SolveReport
    family_tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    line_loading: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Network mode: every branch's flow per period and snapshot
    (:func:`siting.results.network.network_results`); empty in transport mode."""
    injections: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Network mode: the sites' draws and the supply responses at their buses [MW]."""
    hosting: pd.DataFrame | None = None
    """Network mode: hosting capacity per candidate bus and period (from the data stage,
    :attr:`siting.model.data.ModelData.hosting`); None in transport mode."""


def _values(component) -> pd.Series:
    """Values of an indexed Var (unset values as 0), indexed by its keys."""
    vals = component.extract_values()
    arr = np.fromiter((0.0 if v is None else v for v in vals.values()), float, len(vals))
    keys = list(vals)
    if keys and isinstance(keys[0], tuple):
        index = pd.MultiIndex.from_arrays([list(level) for level in zip(*keys)])
    else:
        index = pd.Index(keys)
    return pd.Series(arr, index=index)


def _expression_value(e) -> float:
    """Value of a named Expression; a flat linear one (as built by ``siting.objective``)
    is summed term by term, without Pyomo's generic tree walk."""
    body = e.expr
    if body.__class__ is not LinearExpression:
        return float(pyo.value(body))
    total = 0.0
    for arg in body.args:
        if arg.__class__ is MonomialTermExpression:
            coef, var = arg.args
            if var.value:  # most decisions are zero: skip evaluating their coefficient
                total += (coef if coef.__class__ is float else pyo.value(coef)) * var.value
        else:
            total += pyo.value(arg)
    return total


def extract_results(m: pyo.ConcreteModel, data: ModelData, inputs: Inputs,
                    report: SolveReport) -> Results:
    """Read the solution loaded in ``m`` into :class:`Results`.

    The binding limits carry marginal values from one more (LP) solve with the integer
    decisions fixed (:func:`siting.model.duals.fixed_integer_duals`).
    """
    sites = _site_results(m, data, inputs)
    zones = _zone_results(m, data)
    procurement = _procurement(m, data)
    corridors = _corridor_results(m, data)
    spare = ({r: pyo.value(v) for r, v in m.province_spare_mw.items()}
             if _flows(data) else None)
    provinces = _province_results(sites, corridors, data, spare)
    costs = _cost_results(m, data)
    binding = binding_limits(m, data, fixed_integer_duals(m, data.solver))
    kpis = compute_kpis(sites, provinces, costs, binding, data.utilization,
                        targets=target_kpis(m, data, sites, binding))
    extra = family_tables(m, data, sites)
    kpis = _supply_kpis(kpis, m, data, extra)
    line_loading, injections = network_results(m, data)
    return Results(sites=sites, provinces=provinces, corridors=corridors, zones=zones,
                   procurement=procurement, costs=costs, binding=binding, kpis=kpis,
                   solve=report, family_tables=extra, line_loading=line_loading,
                   injections=injections, hosting=data.hosting)


def _supply_kpis(kpis: pd.DataFrame, m, data: ModelData, extra: dict) -> pd.DataFrame:
    """CO2 [Mt/yr], co-located MW and reinforcements in service per period, when on."""
    co2 = co2_by_period(m, data)
    if co2.empty:
        return kpis
    sup = extra["supply"]
    colo = sup[sup["kind"] != "grid"].groupby("period")["supply_mw"].sum().rename("colocated_mw")
    co2 = co2.join(colo, on="period")
    if "reinforcements" in extra:
        rf = extra["reinforcements"]
        co2["reinforcements_in_service"] = [int((rf["in_service_from"] <= p).sum())
                                            for p in co2["period"]]
    return kpis.merge(co2.fillna({"colocated_mw": 0.0}), on="period", how="left")


def _flows(data: ModelData) -> bool:
    """Whether the model holds corridor flows (the grid family's provincial balance)."""
    from ..model.constraints.grid import transport

    return data.on("grid") and transport(data)


def _procured(data: ModelData) -> bool:
    """Whether the model holds renewable procurement."""
    return data.on("renewable") and bool(data.site_zone_pairs)


def _site_results(m, data: ModelData, inputs: Inputs) -> pd.DataFrame:
    mods = _values(m.site_modules).round().astype(int)
    opened = _values(m.site_open).round().astype(int)
    df = pd.DataFrame({"open": opened, "modules": mods})
    df.index = df.index.set_names(["site_id", "period"])
    df = df.reset_index()
    s = data.sites
    df["it_mw"] = df["modules"] * s["module_mw"].reindex(df["site_id"]).to_numpy()
    df["facility_mw"] = df["it_mw"] * s["pue"].reindex(df["site_id"]).to_numpy()
    if _procured(data):
        re = _values(m.renewable_mw)
        re.index = re.index.set_names(["site_id", "zone_id", "period"])
        re = re.groupby(level=["site_id", "period"]).sum().rename("renewable_mw")
        df = df.join(re, on=["site_id", "period"])
    else:
        df["renewable_mw"] = 0.0
    df["renewable_mw"] = df["renewable_mw"].fillna(0.0)
    energy = df["facility_mw"] * data.utilization
    df["renewable_share"] = (df["renewable_mw"] / energy).where(energy > 0, 0.0)
    meta = inputs.sites[["name", "province_id", "kind", "lon", "lat", "grid_node_id",
                         "max_it_mw"]]
    df = df.join(meta, on="site_id")
    cols = ["site_id", "period", "name", "province_id", "kind", "lon", "lat", "grid_node_id",
            "open", "modules", "it_mw", "facility_mw", "max_it_mw", "renewable_mw",
            "renewable_share"]
    return df[cols].sort_values(["site_id", "period"]).reset_index(drop=True)


def _procurement(m, data: ModelData) -> pd.DataFrame:
    cols = ["site_id", "zone_id", "period", "renewable_mw"]
    if not _procured(data):
        return pd.DataFrame(columns=cols)
    re = _values(m.renewable_mw)
    re = re[re > 1e-9]
    re.index = re.index.set_names(cols[:3])
    return re.rename("renewable_mw").reset_index().sort_values(cols[:3]).reset_index(drop=True)


def _zone_results(m, data: ModelData) -> pd.DataFrame:
    z = data.zones
    idx = pd.MultiIndex.from_product([z.index, data.periods], names=["zone_id", "period"])
    out = pd.DataFrame(index=idx).reset_index()
    out["province_id"] = z["province_id"].reindex(out["zone_id"]).to_numpy()
    out["technology"] = z["technology"].reindex(out["zone_id"]).to_numpy()
    out["supply_avg_mw"] = z["supply_avg_mw"].reindex(out["zone_id"]).to_numpy()
    used = pd.Series(0.0, index=idx)
    if _procured(data):
        re = _values(m.renewable_mw)
        re.index = re.index.set_names(["site_id", "zone_id", "period"])
        used = used.add(re.groupby(level=["zone_id", "period"]).sum(), fill_value=0.0)
    out["used_mw"] = used.reindex(idx).to_numpy()
    return out


def _corridor_results(m, data: ModelData) -> pd.DataFrame:
    a = data.arcs
    idx = pd.MultiIndex.from_product([a.index, data.periods], names=["arc_id", "period"])
    out = pd.DataFrame(index=idx).reset_index()
    for col in ("corridor_id", "from_province", "to_province", "limit_mw", "available_from"):
        out[col] = a[col].reindex(out["arc_id"]).to_numpy()
    if _flows(data):  # the Param, which a sweep may have changed
        limit = {a: pyo.value(v) for a, v in m.arc_limit_mw.items()}
        out["limit_mw"] = out["arc_id"].map(limit).to_numpy()
    flow = _values(m.arc_flow_mw) if _flows(data) else pd.Series(dtype=float)
    out["flow_mw"] = flow.reindex(idx).fillna(0.0).to_numpy() if len(flow) else 0.0
    out["in_service"] = out["available_from"] <= out["period"]
    return out


def _province_results(sites: pd.DataFrame, corridors: pd.DataFrame, data: ModelData,
                      spare: dict | None = None) -> pd.DataFrame:
    idx = pd.MultiIndex.from_product([data.provinces.index, data.periods],
                                     names=["province_id", "period"])
    g = sites.groupby(["province_id", "period"])
    out = pd.DataFrame(index=idx)
    out["it_mw"] = g["it_mw"].sum()
    out["facility_mw"] = g["facility_mw"].sum()
    out["sites_open"] = g["open"].sum()
    grid = sites.assign(grid_province_id=data.sites["grid_province_id"]
                        .reindex(sites["site_id"]).to_numpy())
    out["grid_load_mw"] = grid.groupby(["grid_province_id", "period"])["facility_mw"].sum() \
        .rename_axis(["province_id", "period"])
    out["imports_mw"] = corridors.groupby(["to_province", "period"])["flow_mw"].sum() \
        .rename_axis(["province_id", "period"])
    out["exports_mw"] = corridors.groupby(["from_province", "period"])["flow_mw"].sum() \
        .rename_axis(["province_id", "period"])
    out = out.fillna(0.0)
    out["sites_open"] = out["sites_open"].astype(int)
    out = out.reset_index()
    out["capital_region"] = data.provinces["capital_region"].reindex(out["province_id"]).to_numpy()
    out["spare_mw"] = data.provinces["spare_mw"].reindex(out["province_id"]).to_numpy()
    if spare is not None:  # the Param, which a sweep may have changed
        out["spare_mw"] = out["province_id"].map(spare).to_numpy()
    return out


def _cost_results(m, data: ModelData) -> pd.DataFrame:
    rows = []
    names = components()
    for p in data.periods:
        row = {"period": p}
        for k in names:
            row[f"{k}_bn_krw_per_yr"] = _expression_value(m.component(f"cost_{k}")[p])
        row["discount_factor_yr"] = data.discount_factor[p]
        row["present_value_bn_krw"] = data.discount_factor[p] * sum(
            data.weights.get(k, 1.0) * row[f"{k}_bn_krw_per_yr"] for k in names)
        rows.append(row)
    return pd.DataFrame(rows)


def compute_kpis(sites: pd.DataFrame, provinces: pd.DataFrame, costs: pd.DataFrame,
                 binding: pd.DataFrame, utilization: float,
                 targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Headline figures per period.

    ``renewable_share`` is renewable energy procured over facility energy
    (facility MW x utilization), both as average MW. ``targets`` (from
    :func:`siting.results.targets.target_kpis`) adds the target beside what was built,
    the overshoot and its causes.
    """
    rows = []
    for p, s in sites.groupby("period"):
        pr = provinces[provinces["period"] == p]
        total = float(s["it_mw"].sum())
        energy = float(s["facility_mw"].sum())
        c = costs[costs["period"] == p].iloc[0]
        annual = sum(c[col] for col in costs.columns if col.endswith("_bn_krw_per_yr"))
        energy_avg = energy * utilization
        rows.append({
            "period": p,
            "it_mw": total,
            "facility_mw": energy,
            "sites_open": int(s["open"].sum()),
            "provinces_used": int((pr["it_mw"] > 0).sum()),
            "capital_region_share": float(pr.loc[pr["capital_region"], "it_mw"].sum()) / total
            if total > 0 else 0.0,
            "largest_province_share": float(pr["it_mw"].max()) / total if total > 0 else 0.0,
            "renewable_share": float(s["renewable_mw"].sum()) / energy_avg if energy > 0 else 0.0,
            "annual_cost_bn_krw_per_yr": float(annual),
            "present_value_bn_krw": float(c["present_value_bn_krw"]),
            "binding_grid_limits": int(((binding["family"] == "grid")
                                        & (binding["period"] == p)).sum()),
        })
    out = pd.DataFrame(rows)
    return out if targets is None else out.merge(targets, on="period", how="left")

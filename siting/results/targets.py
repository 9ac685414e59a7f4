"""What was built beside the national target, and why a plan builds more than it.

A plan can build more IT capacity than the target for reasons a planner should see
next to the number: committed floors (rounded up to whole modules), capacity built for
an earlier, larger period, the minimum of host provinces (each host needs an open site
of at least one module), share caps and floors that raise the national total with
their denominators, and the module size itself. :func:`target_kpis` names them per
period from the solution, without another solve.
"""

from __future__ import annotations

import math

import pandas as pd
import pyomo.environ as pyo

from ..model.constraints.targets import committed_floors
from ..model.data import ModelData

TOL_MW = 1e-4
"""Capacity differences below this count as zero [MW]."""

POLICY_MARGINALS = {"capital_region_cap": "capital_region_cap_marginal_bn_krw_per_pp",
                    "province_cap": "province_cap_marginal_bn_krw_per_pp",
                    "site_renewable_share": "renewable_share_marginal_bn_krw_per_pp",
                    "gia_capital_pass": "gia_capital_pass_marginal_bn_krw_per_pp"}
"""KPI column of each policy row group: the sum over its binding rows of the period of
``marginal_bn_krw_per_pp`` (``binding.csv``), the dual of the LP with the integer
decisions fixed per percentage point more of the share or rate [bn KRW, present value]:
0 where no row binds, NaN where a row binds but has no dual. A share cap holds only whole
modules, so with them fixed its dual is usually 0; ``siting run --policy-costs`` gives the
finite-difference value (re-solved with the cap one point looser)."""


def policy_marginals(binding: pd.DataFrame, p: int) -> dict[str, float]:
    """The :data:`POLICY_MARGINALS` of period ``p`` [bn KRW per percentage point]."""
    out = {}
    for limit, col in POLICY_MARGINALS.items():
        rows = binding[(binding["limit"] == limit) & (binding["period"] == p)]
        vals = rows["marginal_bn_krw_per_pp"].astype(float)
        out[col] = 0.0 if rows.empty else (float(vals.sum()) if vals.notna().all()
                                           else math.nan)
    return out


def target_kpis(m: pyo.ConcreteModel, data: ModelData, sites: pd.DataFrame,
                binding: pd.DataFrame) -> pd.DataFrame:
    """Per period: the target, what was built beyond it and the causes.

    Parameters
    ----------
    m : pyomo.environ.ConcreteModel
        The solved model (targets are read from its Params, which a sweep may change).
    data : ModelData
    sites : pandas.DataFrame
        ``Results.sites``.
    binding : pandas.DataFrame
        ``Results.binding``.

    Returns
    -------
    pandas.DataFrame
        One row per period: ``target_mw`` [MW IT] (NaN with targets off),
        ``target_gpus`` and ``it_gpus`` [GPUs] (only when the model file's unit is GPU),
        ``built_minus_target_mw`` [MW IT], ``target_gap_cause`` (text, empty when the plan
        builds the target), ``commitment_rounding_mw`` [MW IT] (committed floors rounded up
        to whole modules, minus the floors), ``min_host_provinces`` (required count, 0 if
        none), ``host_provinces`` (provinces with an open site) and ``host_minimum_note``
        (text, when the minimum binds: the hosts holding a single uncommitted module,
        which are there for the minimum unless they are also cheap), and the marginal
        value of each policy per percentage point (:data:`POLICY_MARGINALS`).
    """
    t = data.settings["targets"]
    kw = t.kw_per_gpu
    rows, prev = [], 0.0
    for p in data.periods:
        s = sites[sites["period"] == p]
        built = float(s["it_mw"].sum())
        floors = committed_floors(data, p)
        rounded = {i: math.ceil(f / data.lookup.module_mw[i] - 1e-9) * data.lookup.module_mw[i]
                   for i, f in floors.items()}
        row = {"period": p, "target_mw": math.nan, "built_minus_target_mw": math.nan,
               "target_gap_cause": "",
               "commitment_rounding_mw": sum(rounded.values()) - sum(floors.values())}
        host = _host_minimum(m, data, s, p, floors)
        if hasattr(m, "target_mw"):
            target = float(pyo.value(m.target_mw[p]))
            over = built - target
            row |= {"target_mw": target, "built_minus_target_mw": over}
            if over > TOL_MW * max(1.0, target):
                row["target_gap_cause"] = "; ".join(_causes(
                    m, data, s, p, binding, target, over, prev, floors, rounded, host))
            if t.unit == "GPU":
                row |= {"target_gpus": round(target * 1000.0 / kw, 6),
                        "it_gpus": round(built * 1000.0 / kw, 6)}
        rows.append(row | {k: v for k, v in host.items() if k != "binding"}
                    | policy_marginals(binding, p))
        prev = built
    return pd.DataFrame(rows)


def _host_minimum(m, data: ModelData, s: pd.DataFrame, p: int, floors: dict) -> dict:
    need = round(pyo.value(m.min_host_provinces[p])) \
        if hasattr(m, "min_host_provinces") and p in m.min_host_provinces else 0
    opened = s[s["open"] > 0]
    hosts = int(opened["province_id"].nunique())
    out = {"min_host_provinces": need, "host_provinces": hosts, "host_minimum_note": "",
           "binding": bool(need) and hosts <= need}
    if out["binding"]:
        per_prov = opened.groupby("province_id")
        single = [f"{r.site_id} ({r.province_id}, {r.it_mw:g} MW)" for r in opened.itertuples()
                  if per_prov.size()[r.province_id] == 1 and r.modules == 1
                  and r.site_id not in floors]
        out["host_minimum_note"] = (
            f"min host provinces binds ({hosts} hosts, {need} required)"
            + (f"; hosts with one uncommitted module: {', '.join(single)}" if single else ""))
    return out


def _causes(m, data: ModelData, s: pd.DataFrame, p: int, binding: pd.DataFrame,
            target: float, over: float, prev: float, floors: dict, rounded: dict,
            host: dict) -> list[str]:
    out = []
    held = sum(rounded.values())
    if held > target + TOL_MW:
        size = {i: data.lookup.module_mw[i] for i in floors}
        rnd = [f"floor {floors[i]:g} MW at {i} needs {rounded[i] / size[i]:.0f} x {size[i]:g} "
               f"MW = {rounded[i]:g} MW" for i in floors if rounded[i] - floors[i] > 1e-6]
        out.append(f"commitments hold {held:,.1f} MW" + (f" ({'; '.join(rnd)})" if rnd else ""))
    if prev > target + TOL_MW:
        out.append(f"capacity built for an earlier period ({prev:,.1f} MW; it never shrinks)")
    if host["binding"]:
        out.append(host["host_minimum_note"])
    named = set()
    for limit, group, share in _caps(m, data, p, rounded):
        if share > 0 and group[1] / share > target + TOL_MW:
            named.add((limit, group[0]))
            out.append(f"{limit.replace('_', ' ')} {share:.0%} with {group[1]:,.1f} MW "
                       f"committed in {group[0]} needs {group[1] / share:,.1f} MW in all")
    b = binding[(binding["period"] == p) & binding["limit"].isin(["capital_region_cap",
                                                                  "province_cap"])]
    for r in b.itertuples():
        if (r.limit, r.id) not in named:
            out.append(f"{r.limit.replace('_', ' ')} binds ({r.id})")
    if hasattr(m, "capital_region_floor") and p in m.capital_region_floor:
        cap = float(s.loc[s["site_id"].isin(data.lookup.capital), "it_mw"].sum())
        if cap <= pyo.value(m.capital_region_min_share[p]) * float(s["it_mw"].sum()) + TOL_MW:
            out.append("capital-region minimum share binds")
    opened = s[s["modules"] > 0]
    step = min((data.lookup.module_mw[i] for i in opened["site_id"]), default=math.inf)
    if over < step - TOL_MW:
        out.append(f"module size (no open site can drop a {step:g} MW module)")
    return out or ["no single limit identified (see binding.csv)"]


def _caps(m, data: ModelData, p: int, rounded: dict):
    """(limit, (group, committed MW in it), share) of the share caps in ``p``: a cap
    ``share`` on a group holding ``F`` MW of committed floors needs a national total of at
    least ``F / share``."""
    prov = data.sites["province_id"]
    if hasattr(m, "capital_region_cap") and p in m.capital_region_cap:
        held = sum(v for i, v in rounded.items() if i in set(data.lookup.capital))
        yield "capital_region_cap", ("capital region", held), \
            pyo.value(m.capital_region_max_share[p])
    if hasattr(m, "province_cap") and p in m.province_max_share:
        by_prov: dict[str, float] = {}
        for i, v in rounded.items():
            by_prov[prov[i]] = by_prov.get(prov[i], 0.0) + v
        if by_prov:  # the province with most committed capacity needs the largest total
            r = max(sorted(by_prov), key=by_prov.get)
            yield "province_cap", (r, by_prov[r]), pyo.value(m.province_max_share[p])

"""The siting model written in linopy, as a reference point for the Pyomo build.

Same variables, constraints and objective as :func:`siting.model.build.build_model` (built from
the same :class:`siting.model.data.ModelData`), with array operations over labelled
dimensions instead of one Pyomo rule call per row. Decisions that ``build_model`` fixes
to zero (site not yet available, or unable to hold a module; corridor not in service)
are masked out. Supports what the synthetic instances use: targets, node headroom,
province balance, renewable share, decentralization; no committed projects, no service
family. Every family of the registry (:data:`siting.model.constraints.FAMILIES`) that is on
must have a counterpart in :data:`COUNTERPARTS`, or the build fails loudly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from siting.model.constraints import FAMILIES
from siting.model.data import BN_KRW_PER_GWH_AT_1_KRW_PER_KWH as K
from siting.model.data import GWH_PER_MW_YEAR, ModelData

COUNTERPARTS = {"sites": "site decisions in build_linopy", "targets": "national target",
                "grid": "_grid", "renewable": "_renewable",
                "decentralization": "_decentralization"}
"""The families this reference model writes (and where)."""


def build_linopy(data: ModelData):
    """Build the siting MILP as a ``linopy.Model``.

    Raises
    ------
    NotImplementedError
        For committed projects, or a registered family that is on and has no counterpart
        here (e.g. the service family).
    """
    import linopy

    missing = [f.name for f in FAMILIES if f.on(data) and f.name not in COUNTERPARTS]
    if missing:
        raise NotImplementedError(f"the linopy reference has no counterpart of the families "
                                  f"{missing}: write one in bench/linopy_model.py")
    if data.settings["targets"].committed:
        raise NotImplementedError("the linopy reference covers the synthetic instances only "
                                  "(no committed projects)")
    lk = data.lookup
    periods = data.periods
    site = pd.Index(lk.sites, name="site")
    period = pd.Index(periods, name="period")
    live = xr.DataArray(np.array([[lk.available_from[i] <= p and lk.max_modules[i] > 0
                                   for p in periods] for i in lk.sites]),
                        coords=[site, period])
    per_site = lambda values: xr.DataArray(np.asarray(values, dtype=float), coords=[site])
    max_mod = per_site([lk.max_modules[i] for i in lk.sites])
    module = per_site([lk.module_mw[i] for i in lk.sites])
    fac = per_site([lk.module_mw[i] * lk.pue[i] for i in lk.sites])

    m = linopy.Model()
    op = m.add_variables(lower=0, upper=1, integer=True, coords=[site, period],
                         name="site_open", mask=live)
    mod = m.add_variables(lower=0, upper=max_mod.broadcast_like(live), integer=True,
                          coords=[site, period], name="site_modules", mask=live)
    m.add_constraints(mod - max_mod * op <= 0, name="site_modules_upper", mask=live)
    m.add_constraints(mod - op >= 0, name="site_modules_lower", mask=live)
    if len(periods) > 1:
        later = period[1:]

        def shifted(v):
            return v.isel(period=slice(None, -1)).assign_coords(period=later)

        both = live.isel(period=slice(1, None)) & shifted(live)
        for var, name in ((op, "site_open_staging"), (mod, "site_modules_staging")):
            m.add_constraints(var.isel(period=slice(1, None)) - shifted(var) >= 0, name=name,
                              mask=both)
    it = mod * module
    target = xr.DataArray([data.target_mw[p] for p in periods], coords=[period])
    if data.settings["targets"].enabled:
        m.add_constraints(it.sum("site") >= target, name="national_target")
    _grid(m, data, mod, fac, site, period, live)
    renewable_cost = _renewable(m, data, mod, fac, site, period, live)
    _decentralization(m, data, op, it, site, period)
    _objective(m, data, op, mod, fac, module, site, period, renewable_cost)
    return m


def _group(values, site: pd.Index, name: str) -> xr.DataArray:
    return xr.DataArray(np.asarray(values, dtype=object).astype(str), coords=[site], name=name)


def _grid(m, data: ModelData, mod, fac, site, period, live) -> None:
    g = data.settings["grid"]
    if not data.on("grid"):
        return
    lk = data.lookup
    load = mod * fac
    if g.node_headroom:
        node_of = _group(data.sites["grid_node_id"], site, "node")
        by_node = load.groupby(node_of).sum()
        head = data.grid_nodes["headroom_mw"].reindex(by_node.indexes["node"])
        m.add_constraints(by_node <= xr.DataArray(head.to_numpy(), coords=[by_node.indexes["node"]]),
                          name="node_headroom")
    if g.province_balance:
        arcs = data.arcs
        arc = pd.Index(arcs.index, name="arc")
        in_service = xr.DataArray(np.array([[lk.arc_from[a] <= p for p in data.periods]
                                            for a in arcs.index]), coords=[arc, period])
        limit = xr.DataArray(arcs["limit_mw"].to_numpy(float), coords=[arc])
        flow = m.add_variables(lower=0, upper=limit.broadcast_like(in_service),
                               coords=[arc, period], name="arc_flow_mw", mask=in_service)
        provinces = pd.Index(data.provinces.index, name="province")
        gp = _group(data.sites["grid_province_id"], site, "province")
        fr = xr.DataArray(arcs["from_province"].to_numpy().astype(str), coords=[arc],
                          name="province")
        to = xr.DataArray(arcs["to_province"].to_numpy().astype(str), coords=[arc],
                          name="province")
        bal = (load.groupby(gp).sum().reindex(province=provinces)
               + flow.groupby(fr).sum().reindex(province=provinces)
               - flow.groupby(to).sum().reindex(province=provinces))
        spare = xr.DataArray(data.provinces["spare_mw"].to_numpy(float), coords=[provinces])
        m.add_constraints(bal <= spare, name="province_balance")


def _renewable(m, data: ModelData, mod, fac, site, period, live):
    """Renewable share and zone potential; returns the procurement cost expression."""
    if not data.on("renewable") or not data.site_zone_pairs:
        return None
    pairs = data.site_zone_pairs
    share = data.settings["renewable"].min_share
    rho = xr.DataArray([share[p] or 0.0 for p in data.periods], coords=[period])
    util = data.utilization
    pair = pd.Index(np.arange(len(pairs)), name="pair")
    ps = [a for a, _ in pairs]
    pz = [z for _, z in pairs]
    pair_live = live.sel(site=xr.DataArray(ps, coords=[pair])).drop_vars("site")
    q = m.add_variables(lower=0, coords=[pair, period], name="renewable_mw", mask=pair_live)
    got = q.groupby(_group(ps, pair, "site")).sum().reindex(site=site)
    m.add_constraints(got - (rho * util) * (mod * fac) >= 0, name="site_renewable_share",
                      mask=live)
    used = q.groupby(_group(pz, pair, "zone")).sum()
    supply = data.zones["supply_avg_mw"].reindex(used.indexes["zone"]).to_numpy(float)
    m.add_constraints(used <= xr.DataArray(supply, coords=[used.indexes["zone"]]),
                      name="zone_potential")
    premium = data.zones["cost_krw_per_kwh"].reindex(pz).to_numpy(float) * GWH_PER_MW_YEAR * K
    return q * xr.DataArray(premium, coords=[pair])


def _decentralization(m, data: ModelData, op, it, site, period) -> None:
    if not data.on("decentralization"):
        return
    dec = data.settings["decentralization"]
    cap, pcap = dec.capital_region_max_share, dec.province_max_share
    need = dec.min_host_provinces
    total = None
    if any(v is not None for v in list(cap.values()) + list(pcap.values())):
        total = m.add_variables(lower=0, coords=[period], name="national_it_mw")
        m.add_constraints(it.sum("site") - total == 0, name="national_it_balance")
    prov = _group(data.sites["province_id"], site, "province")
    ps = [p for p, v in cap.items() if v is not None]
    if ps:
        kappa = xr.DataArray([cap[p] for p in ps], coords=[pd.Index(ps, name="period")])
        m.add_constraints(it.sel(site=data.lookup.capital).sum("site").sel(period=ps)
                          - kappa * total.sel(period=ps) <= 0, name="capital_region_cap")
    ps = [p for p, v in pcap.items() if v is not None]
    if ps:
        sigma = xr.DataArray([pcap[p] for p in ps], coords=[pd.Index(ps, name="period")])
        m.add_constraints(it.groupby(prov).sum().sel(period=ps)
                          - sigma * total.sel(period=ps) <= 0, name="province_cap")
    ps = [p for p, v in need.items() if v]
    if ps:
        provinces = pd.Index(sorted(set(prov.values)), name="province")
        sub = pd.Index(ps, name="period")
        hosts = m.add_variables(binary=True, coords=[provinces, sub], name="province_hosts")
        m.add_constraints(hosts - op.groupby(prov).sum().sel(period=ps) <= 0,
                          name="province_host_link")
        k = xr.DataArray([need[p] for p in ps], coords=[sub])
        m.add_constraints(hosts.sum("province") >= k, name="host_provinces_lower")


def _objective(m, data: ModelData, op, mod, fac, module, site, period, renewable_cost) -> None:
    s = data.sites
    grid = data.settings["grid"]
    crf = data.capital_recovery_factor
    util = data.utilization
    w = data.weights
    df = xr.DataArray([data.discount_factor[p] for p in data.periods], coords=[period])
    capex = xr.DataArray(s["capex_bn_krw_per_mw"].to_numpy(float), coords=[site])
    tariff = xr.DataArray(s["tariff_krw_per_kwh"].to_numpy(float), coords=[site])
    fixed = xr.DataArray(s["fixed_cost_bn_krw"].to_numpy(float), coords=[site])
    conn = xr.DataArray(s["connection_bn_krw"].to_numpy(float), coords=[site])
    c_mod = (w["capex"] * crf * capex * module
             + w["energy"] * util * GWH_PER_MW_YEAR * K * fac * tariff) * df
    c_open = (w["capex"] * crf * fixed + w["grid_connection"] * crf * conn) * df
    obj = (mod * c_mod).sum() + (op * c_open).sum()
    if renewable_cost is not None:
        obj = obj + (renewable_cost * (w["renewable"] * df)).sum()
    if "arc_flow_mw" in m.variables:
        tx = util * GWH_PER_MW_YEAR * grid.transmission_krw_per_kwh * K * w["transmission"]
        obj = obj + (m.variables["arc_flow_mw"] * (tx * df)).sum()
    m.add_objective(obj)


def solve_linopy(m, options: dict):
    """Pass the model to HiGHS (highspy, in memory) and solve it.

    Returns
    -------
    dict
        ``to_highs_s`` (linopy -> highspy), ``highs_s`` (HiGHS run), ``objective``,
        ``bound``, ``gap``, ``status``.
    """
    import time

    from cflp_direct import run_highs

    t = time.perf_counter()
    h = m.to_highspy()
    to_highs = time.perf_counter() - t
    return {"to_highs_s": to_highs, **run_highs(h, options), "cols": h.getNumCol(),
            "rows": h.getNumRow(), "nonzeros": h.getNumNz()}

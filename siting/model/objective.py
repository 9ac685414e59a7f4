"""Objective: discounted annualized cost.

Annual cost in period ``p`` [bn KRW/yr], each component a named Expression
``cost_<component>[p]``:

- capex: ``CRF * (capex_s * it_{s,p} + fixed_s * open_{s,p})`` (annuity on installed capital)
- energy: ``u * PUE_s * it_{s,p} * 8.76 GWh/MW-yr * tariff_s * 1e-3``
- grid_connection: ``CRF * c_conn * km_s * open_{s,p}``
- renewable: ``q_{s,z,p} * 8.76 * premium_z * 1e-3``
- transmission: ``u * f_{a,p} * 8.76 * c_tx * 1e-3``
- service: ``c_{s,d} * x_{s,d,p}`` (service-demand family only)

Objective: ``sum_p DF_p * sum_k w_k * cost_k[p]`` where ``DF_p`` sums the discount
factors of the years period ``p`` represents. Result in bn KRW (present value).
"""

from __future__ import annotations

import pyomo.environ as pyo

from .constraints import linear
from .data import BN_KRW_PER_GWH_AT_1_KRW_PER_KWH as K
from .data import GWH_PER_MW_YEAR, ModelData

COMPONENTS = ("capex", "energy", "grid_connection", "renewable", "transmission", "service")


def add_objective(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Add the cost expressions and the objective ``total_cost`` [bn KRW, present value].

    Each ``cost_<component>[p]`` is one flat linear expression over the decisions that
    can be non-zero in ``p`` (fixed-to-zero decisions are left out).
    """
    lk = data.lookup
    s = data.sites
    crf = data.capital_recovery_factor
    util = data.model.economics.utilization
    grid = data.model.constraints.grid
    m.capex_bn_krw_per_mw = pyo.Param(m.S, initialize=s["capex_bn_krw_per_mw"].to_dict(),
                                      mutable=True, doc="[bn KRW/MW IT]")
    m.tariff_krw_per_kwh = pyo.Param(m.S, initialize=s["tariff_krw_per_kwh"].to_dict(),
                                     mutable=True, doc="[KRW/kWh]")
    fixed = dict(zip(lk.sites, map(float, s["fixed_cost_bn_krw"])))
    conn = dict(zip(lk.sites, map(float, s["connection_km"] * grid.connection_bn_krw_per_km)))
    mod, op = m.site_modules, m.site_open
    capex, tariff = m.capex_bn_krw_per_mw, m.tariff_krw_per_kwh

    def capex_rule(m, p):
        live = lk.live[p]
        return linear([crf * lk.module_mw[i] * capex[i] for i in live]
                      + [crf * fixed[i] for i in live],
                      [mod[i, p] for i in live] + [op[i, p] for i in live])

    m.cost_capex = pyo.Expression(m.P, rule=capex_rule)
    energy = util * GWH_PER_MW_YEAR * K
    m.cost_energy = pyo.Expression(m.P, rule=lambda m, p: linear(
        [energy * lk.pue[i] * lk.module_mw[i] * tariff[i] for i in lk.live[p]],
        [mod[i, p] for i in lk.live[p]]))
    m.cost_grid_connection = pyo.Expression(m.P, rule=lambda m, p: linear(
        [crf * conn[i] for i in lk.live[p]], [op[i, p] for i in lk.live[p]]))
    if hasattr(m, "renewable_mw"):
        premium = {z: GWH_PER_MW_YEAR * float(c) * K
                   for z, c in data.zones["cost_krw_per_kwh"].items()}
        pairs = {p: [(i, z) for i, z in data.site_zone_pairs if i in lk.live_set[p]]
                 for p in data.periods}
        m.cost_renewable = pyo.Expression(m.P, rule=lambda m, p: linear(
            [premium[z] for _, z in pairs[p]], [m.renewable_mw[i, z, p] for i, z in pairs[p]]))
    else:
        m.cost_renewable = pyo.Expression(m.P, rule=lambda m, p: 0.0)
    if hasattr(m, "arc_flow_mw"):
        tx = util * GWH_PER_MW_YEAR * grid.transmission_krw_per_kwh * K
        arcs = {p: [a for a in m.A if lk.arc_from[a] <= p] for p in data.periods}
        m.cost_transmission = pyo.Expression(m.P, rule=lambda m, p: linear(
            [tx] * len(arcs[p]), [m.arc_flow_mw[a, p] for a in arcs[p]]))
    else:
        m.cost_transmission = pyo.Expression(m.P, rule=lambda m, p: 0.0)
    if hasattr(m, "service_mw"):
        cost = data.service_cost
        m.cost_service = pyo.Expression(m.P, rule=lambda m, p: linear(
            [cost[s, d] for s, d in m.SD], [m.service_mw[s, d, p] for s, d in m.SD]))
    else:
        m.cost_service = pyo.Expression(m.P, rule=lambda m, p: 0.0)
    w = data.model.objective
    m.discount_factor = pyo.Param(m.P, initialize=data.discount_factor, doc="[yr]")
    m.total_cost = pyo.Objective(sense=pyo.minimize, expr=sum(
        m.discount_factor[p] * sum(getattr(w, k) * getattr(m, f"cost_{k}")[p]
                                   for k in COMPONENTS) for p in m.P))

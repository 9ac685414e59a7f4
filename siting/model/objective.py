"""Objective: discounted annualized cost.

Annual cost in period ``p`` [bn KRW/yr], each component a named Expression
``cost_<component>[p]`` declared by a family (:class:`~siting.model.constraints.CostTerm`):

- capex: ``CRF * (capex_s * it_{s,p} + fixed_s * open_{s,p})`` (annuity on installed capital)
- energy: ``u * PUE_s * it_{s,p} * 8.76 GWh/MW-yr * tariff_s * 1e-3``
- grid_connection: ``CRF * c_conn * km_s * open_{s,p}``
- transmission: ``u * f_{a,p} * 8.76 * c_tx * 1e-3``
- renewable: ``q_{s,z,p} * 8.76 * premium_z * 1e-3``
- service: ``c_{s,d} * x_{s,d,p}`` (service-demand family only)

A component whose family is off (or adds no such cost) is zero. Cost (``plan_cost``):
``sum_p DF_p * sum_k w_k * cost_k[p]`` where ``DF_p`` sums the discount factors of the
years period ``p`` represents. Result in bn KRW (present value).

Equal-cost plans: the objective ``total_cost`` adds a tie-break term ``tie_break``
(:func:`add_tie_break`) that prefers capacity at sites earlier in site-id order, so that
among plans of exactly equal cost the same one is chosen whatever the row order of the
input tables or the costs of sites outside the plan. The term is at most
:data:`TIE_BREAK_SHARE` x the MIP gap tolerance x the plan's cost, and the reported
objective is the cost without it (:class:`~siting.model.solve.SolveReport` subtracts it).
The term is not a :class:`~siting.model.constraints.CostTerm`: it is no cost, so it is
neither weighted nor in ``costs.csv``.
"""

from __future__ import annotations

import pyomo.environ as pyo

from .constraints import FAMILIES, cost_components, linear
from .data import ModelData
from .units import BN_KRW_PER_GWH_AT_1_KRW_PER_KWH as K
from .units import GWH_PER_MW_YEAR

TIE_BREAK_SHARE = 0.01
"""Largest tie-break term as a share of (MIP gap tolerance x plan cost) [-]; a tolerance
of 0 counts as HiGHS's default 1e-4."""


def components() -> tuple[str, ...]:
    """Names of the cost components, in registry order."""
    return cost_components()


def add_objective(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Add the cost expressions and the objective ``total_cost`` [bn KRW, present value].

    Each ``cost_<component>[p]`` is one flat linear expression over the decisions that
    can be non-zero in ``p`` (fixed-to-zero decisions are left out).
    """
    for family in FAMILIES:
        on = family.on(data)
        for term in family.costs:
            rule = term.expression(m, data) if on else None
            m.add_component(f"cost_{term.name}", pyo.Expression(
                m.P, rule=rule or (lambda m, p: 0.0), doc=f"{term.description} [bn KRW/yr]"))
    w = data.weights  # a cost term registered after the model file was read weighs 1
    names = components()
    m.discount_factor = pyo.Param(m.P, initialize=data.discount_factor, doc="[yr]")
    m.plan_cost = pyo.Expression(expr=sum(
        m.discount_factor[p] * sum(w.get(k, 1.0) * m.component(f"cost_{k}")[p] for k in names)
        for p in m.P), doc="[bn KRW]")
    add_tie_break(m, data)
    m.total_cost = pyo.Objective(sense=pyo.minimize, expr=m.plan_cost + m.tie_break)


def add_tie_break(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Add ``tie_break`` [bn KRW]: a preference for sites earlier in site-id order.

    .. math:: \\epsilon \\sum_p DF_p \\sum_s (1 + r_s / n)\\, it_{s,p}, \\qquad
              \\epsilon = \\tfrac{1}{2}\\, \\theta\\, g\\, c_{min}

    with ``r_s`` the site's rank among the ``n`` site ids sorted as text (0 first, not the
    row order of the table), ``theta`` = :data:`TIE_BREAK_SHARE`, ``g`` the model file's
    ``solver.mip_rel_gap`` (1e-4 if 0) and ``c_min`` [bn KRW/MW-yr] the smallest
    weighted capex annuity plus energy cost of 1 MW IT at any site. Every plan costs at
    least ``c_min sum_p DF_p sum_s it_{s,p}``, so the term is at most ``theta g`` x the
    plan's cost: it can only decide among plans whose costs differ by less than that, and
    among plans of exactly equal cost it picks the one with capacity at the earliest
    site ids. HiGHS stops within ``g`` of the best bound, so a plan of equal cost but a
    larger tie-break may still be returned unless the gap closes; ties are decided for
    sure only when HiGHS proves the optimum (e.g. ``mip_rel_gap = 0`` on small cases).
    The weights are computed from the built data; a sweep that lowers capex or tariffs
    keeps them, so the bound then holds for the built values.
    """
    lk = data.lookup
    s = data.sites
    w = data.weights
    energy = data.utilization * GWH_PER_MW_YEAR * K
    per_mw = (w.get("capex", 1.0) * data.capital_recovery_factor * s["capex_bn_krw_per_mw"]
              + w.get("energy", 1.0) * energy * s["pue"] * s["tariff_krw_per_kwh"])
    gap = data.solver.mip_rel_gap or 1e-4
    eps = 0.5 * TIE_BREAK_SHARE * gap * max(float(per_mw.min()), 0.0) if len(s) else 0.0
    if not eps > 0:  # no cost grows with capacity: nothing to scale the term by
        m.tie_break = pyo.Expression(expr=0.0, doc="[bn KRW]")
        return
    rank = {i: k / len(lk.sites) for k, i in enumerate(sorted(lk.sites))}
    m.tie_break = pyo.Expression(expr=linear(
        [eps * data.discount_factor[p] * (1.0 + rank[i]) * lk.module_mw[i]
         for i, p in lk.live_pairs],
        [m.site_modules[i, p] for i, p in lk.live_pairs]), doc="[bn KRW]")

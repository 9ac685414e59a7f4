"""Objective: discounted annualized cost.

Annual cost in period ``p`` [bn KRW/yr], each component a named Expression
``cost_<component>[p]`` declared by a family (:class:`~siting.model.constraints.CostTerm`):

- capex: ``CRF * (capex_s * it_{s,p} + fixed_s * open_{s,p})`` (annuity on installed capital)
- energy: ``u * PUE_s * it_{s,p} * 8.76 GWh/MW-yr * tariff_s * 1e-3``
- grid_connection: ``CRF * c_conn * km_s * open_{s,p}``
- transmission: ``u * f_{a,p} * 8.76 * c_tx * 1e-3``
- renewable: ``q_{s,z,p} * 8.76 * premium_z * 1e-3``
- service: ``c_{s,d} * x_{s,d,p}`` (service-demand family only)

A component whose family is off (or adds no such cost) is zero. Objective:
``sum_p DF_p * sum_k w_k * cost_k[p]`` where ``DF_p`` sums the discount factors of the
years period ``p`` represents. Result in bn KRW (present value).
"""

from __future__ import annotations

import pyomo.environ as pyo

from .constraints import FAMILIES, cost_components
from .data import ModelData


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
    m.total_cost = pyo.Objective(sense=pyo.minimize, expr=sum(
        m.discount_factor[p] * sum(w.get(k, 1.0) * m.component(f"cost_{k}")[p] for k in names)
        for p in m.P))

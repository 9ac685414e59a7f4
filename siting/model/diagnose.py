"""Explain an infeasible scenario: which limits must be relaxed, where, and by how much.

A copy of the model (``m.clone()``: with any constraint the user added) gets a
non-negative slack on every row of every relaxable named row group of the registry
(:class:`~siting.model.constraints.Limit`, e.g. targets, commitments, grid, renewable,
decentralization), the cost objective is replaced by the total slack, and the re-solve
tells which limits conflict: a non-zero slack is the smallest relaxation of that limit that
makes a plan possible (given the other slacks).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyomo.environ as pyo

from .constraints import limits
from .solve import solve_model

GOALS = tuple(lim.name for _, lim in limits() if lim.goal)
"""Limits that state what the plan must achieve; relaxed only if the other limits alone
cannot explain the conflict."""

AMOUNT_TOL = 1e-6
"""A slack above this [in the limit's unit] is a relaxation."""


@dataclass(frozen=True)
class Relaxation:
    """One limit that must give way.

    Attributes
    ----------
    family : str
        Constraint family (e.g. ``grid``), as in ``binding.csv``.
    limit : str
        Its named row group (e.g. ``province_balance``), as in ``binding.csv``.
    index : tuple
        The row's index in its group (ids and period).
    amount : float
        Smallest relaxation of that limit, given the others [the limit's unit].
    message : str
        The planner-readable line.
    """

    family: str
    limit: str
    index: tuple
    amount: float
    message: str


def diagnose_infeasibility(model) -> list[str]:
    """Re-solve an elastic copy of the model and list the limits that must give way.

    First only the limits (grid, renewable, decentralization) may be relaxed, so the
    answer says what it takes to meet the targets; if that is not enough, the goals
    (targets and commitments) are relaxed too.

    Parameters
    ----------
    model : pyomo.environ.ConcreteModel or ModelData
        The infeasible model (copied, never changed), or its data (then built).

    Returns
    -------
    list of str
        One line per relaxed limit, largest first.
    """
    found = find_relaxations(model)
    if found is None:
        return [("the elastic re-solve found no plan either: the conflict lies in the site "
                 "decisions (availability years, module sizes, staging)")]
    return [r.message for r in found]


def find_relaxations(model) -> list[Relaxation] | None:
    """The smallest total relaxation that makes a plan possible (see
    :func:`diagnose_infeasibility`), largest first; None if even that finds no plan.

    The total is minimal, the split between limits is one of possibly several of equal
    total.
    """
    if not isinstance(model, pyo.ConcreteModel):
        from .build import build_model

        model = build_model(model)
    found = _elastic(model, goals=False)
    if found is None:
        found = _elastic(model, goals=True)
    return found


def _elastic(model: pyo.ConcreteModel, goals: bool) -> list[Relaxation] | None:
    data = model.data
    m = model.clone()
    for obj in m.component_data_objects(pyo.Objective, active=True):
        obj.deactivate()
    rows = []  # (family, limit, index, row)
    for family, limit in limits():
        comp = m.component(limit.name)
        if comp is None or not limit.relax or (limit.goal and not goals):
            continue
        rows += [(family, limit, idx, c) for idx, c in comp.items() if c.active]
    keys = range(len(rows))  # position in rows: (family, limit, row index, row)
    m.elastic_up = pyo.Var(keys, domain=pyo.NonNegativeReals, doc="relaxation upwards")
    m.elastic_down = pyo.Var([k for k in keys if rows[k][3].equality],
                             domain=pyo.NonNegativeReals, doc="relaxation of an equality")
    for k, (*_, c) in zip(keys, rows):
        s = m.elastic_up[k]
        if c.equality:
            c.set_value((c.lower, c.body + s - m.elastic_down[k], c.upper))
        elif c.lower is not None:
            c.set_value((c.lower, c.body + s, None))
        else:
            c.set_value((None, c.body - s, c.upper))
    m.total_slack = pyo.Objective(expr=sum(m.elastic_up.values())
                                  + sum(m.elastic_down.values()))
    report = solve_model(m, data.solver)
    if not report.has_solution:
        return None
    found = []
    for k, (family, limit, idx, c) in zip(keys, rows):
        v = pyo.value(m.elastic_up[k]) + (pyo.value(m.elastic_down[k]) if c.equality else 0.0)
        if v > AMOUNT_TOL:
            key = idx if isinstance(idx, tuple) else (idx,)
            scale = limit.scale(data, key) if limit.scale is not None else 1.0
            amount = v * scale
            found.append(Relaxation(family.name, limit.name, key, amount, limit.message.format(
                period=key[limit.period_at], id=limit.label(data, key), amount=amount)))
    return sorted(found, key=lambda r: (-r.amount, r.message))

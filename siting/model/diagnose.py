"""Explain an infeasible scenario: which limits must be relaxed, where, and by how much.

The model is rebuilt with a non-negative slack on every limit of every constraint
family (targets, commitments, grid, renewable, decentralization), the cost objective
is replaced by the total slack, and the re-solve tells which limits conflict: a
non-zero slack is the smallest relaxation of that limit that makes a plan possible
(given the other slacks).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyomo.environ as pyo

from .build import build_model
from .data import ModelData
from .solve import solve_model

MESSAGES = {
    "national_target": "{p}: national target short by {v:,.1f} MW IT",
    "site_committed": "{p}: committed project at {i0} short by {v:,.1f} MW IT",
    "node_headroom": "{p}: grid node {i0} needs {v:,.1f} MW more headroom",
    "province_balance": "{p}: province {i0} needs {v:,.1f} MW more spare supply or imports",
    "corridor_flow_limit": "{p}: corridor {i0} needs {v:,.1f} MW more transfer capacity",
    "site_renewable_share": "{p}: site {i0} lacks {v:,.1f} MW (average) of renewable supply "
                            "within the radius",
    "zone_potential": "{p}: renewable zone {i0} is short of {v:,.1f} MW (average)",
    "capital_region_cap": "{p}: capital-region cap exceeded by {v:,.1f} MW IT",
    "province_cap": "{p}: province cap exceeded in {i0} by {v:,.1f} MW IT",
    "host_provinces_lower": "{p}: {v:,.0f} fewer host provinces than required are possible",
}
"""Relaxable families and how to read their slack."""


GOALS = ("national_target", "site_committed")
"""Families that state what the plan must achieve; relaxed only if the limits alone cannot
explain the conflict."""


@dataclass(frozen=True)
class Relaxation:
    """One limit that must give way.

    Attributes
    ----------
    family : str
        Constraint family (a key of :data:`MESSAGES`, e.g. ``province_balance``).
    index : tuple
        The constraint's index in its family (ids and period).
    amount : float
        Smallest relaxation of that limit, given the others [MW, MW IT or count].
    message : str
        The planner-readable line.
    """

    family: str
    index: tuple
    amount: float
    message: str


def diagnose_infeasibility(data: ModelData) -> list[str]:
    """Re-solve an elastic copy of the model and list the limits that must give way.

    First only the limits (grid, renewable, decentralization) may be relaxed, so the
    answer says what it takes to meet the targets; if that is not enough, the targets
    and commitments are relaxed too.

    Returns
    -------
    list of str
        One line per relaxed limit, largest first.
    """
    found = find_relaxations(data)
    if found is None:
        return [("the elastic re-solve found no plan either: the conflict lies in the site "
                 "decisions (availability years, module sizes, staging)")]
    return [r.message for r in found]


def find_relaxations(data: ModelData) -> list[Relaxation] | None:
    """The smallest total relaxation that makes a plan possible (see
    :func:`diagnose_infeasibility`), largest first; None if even that finds no plan.

    The total is minimal, the split between limits is one of possibly several of equal
    total.
    """
    limits = [f for f in MESSAGES if f not in GOALS]
    found = _elastic(data, limits)
    if found is None:
        found = _elastic(data, list(MESSAGES))
    return found


def _elastic(data: ModelData, families: list[str]) -> list[Relaxation] | None:
    m = build_model(data)
    m.total_cost.deactivate()
    keys = []
    for name in families:
        comp = getattr(m, name, None)
        if comp is not None:
            keys += [(name, idx) for idx in comp]
    m.elastic_slack = pyo.Var(range(len(keys)), domain=pyo.NonNegativeReals)
    for k, (name, idx) in enumerate(keys):
        c = getattr(m, name)[idx]
        s = m.elastic_slack[k]
        if c.equality:
            m.add_component(f"elastic_neg_{k}", pyo.Var(domain=pyo.NonNegativeReals))
            neg = getattr(m, f"elastic_neg_{k}")
            c.set_value((c.lower, c.body + s - neg, c.upper))
            keys[k] = (name, idx, neg)
        elif c.lower is not None:
            c.set_value((c.lower, c.body + s, None))
        else:
            c.set_value((None, c.body - s, c.upper))
    m.total_slack = pyo.Objective(expr=sum(m.elastic_slack[k] for k in range(len(keys)))
                                  + sum(key[2] for key in keys if len(key) == 3))
    report = solve_model(m, data.model.solver)
    if not report.has_solution:
        return None
    found = []
    for k, key in enumerate(keys):
        v = pyo.value(m.elastic_slack[k]) + (pyo.value(key[2]) if len(key) == 3 else 0.0)
        if v > 1e-6:
            name, idx = key[0], key[1]
            idx = idx if isinstance(idx, tuple) else (idx,)
            p = idx[-1] if name != "site_committed" else idx[1]
            found.append(Relaxation(name, idx, v,
                                    MESSAGES[name].format(p=p, i0=idx[0], v=v)))
    return sorted(found, key=lambda r: (-r.amount, r.message))

"""The cost of every policy: for each policy constraint of a scenario, its marginal value and
its total cost (``policy_costs.csv``, ``siting run --policy-costs``).

Two numbers per policy, both in bn KRW at present value (the objective's unit):

- **marginal value** (``marginal_sum_bn_krw_per_unit``): the duals of the policy's rows in
  the LP with the plan's integer decisions fixed (:mod:`siting.model.duals`, the
  ``marginal_bn_krw_per_unit`` column of ``binding.csv``), summed over its binding rows, per
  one unit more of the row's bound (``marginal_unit``, e.g. bn KRW per MW IT of the
  capital-region cap's bound). Negative for an upper limit (loosening it saves that much),
  positive for a lower limit. The per-row values are in ``binding.csv``. A cap on IT
  capacity constrains only whole modules: with them fixed its row is a constant, so its
  marginal value is 0 (or the row is not binding) even when the policy costs a lot; the
  cost then sits in a step of the integer plan, which only the total cost shows.
- **total cost** (``total_cost_bn_krw``): the scenario's objective minus the objective of
  the same scenario re-solved with that one policy switched off (one more solve per
  policy); positive when the policy makes the plan dearer. Both solves stop at the model
  file's MIP gap, so a difference below ``objective x mip_rel_gap`` is solver tolerance.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..model.constraints import limits
from ..model.constraints.sweepable import update

if TYPE_CHECKING:
    from ..inputs.model_file import ModelFile
    from ..inputs.tables import Inputs
    from .tables import Results

COLUMNS = ["policy", "family", "setting", "value", "off_value", "limit", "binding_rows",
           "marginal_sum_bn_krw_per_unit", "marginal_unit", "objective_bn_krw",
           "objective_without_bn_krw", "total_cost_bn_krw", "status_without", "description"]
"""Columns of ``policy_costs.csv``: the policy, its family and model-file key
(``constraints.<family>.<key>``) with the scenario's value and the value that switches it
off; the row group (``limit``) of its rows in ``binding.csv``, how many bind, the sum of
their marginal values [bn KRW per ``marginal_unit``]; the objective with and without the
policy [bn KRW, present value], their difference (the policy's total cost), the solver
status of the re-solve and what the policy says."""


@dataclass(frozen=True)
class Policy:
    """A policy constraint: the model-file setting that holds it and how to switch it off."""

    name: str
    family: str
    key: str
    off: Any
    limit: str | None
    description: str
    active: Callable[[ModelFile], bool]


def _given(value) -> bool:
    values = value.values() if isinstance(value, dict) else [value]
    return any(v is not None and v != 0 for v in values)


def _section(model: ModelFile, family: str):
    return getattr(model.constraints, family)


def _on(family: str, key: str) -> Callable[[ModelFile], bool]:
    def active(model: ModelFile) -> bool:
        sec = _section(model, family)
        return bool(sec.enabled) and _given(getattr(sec, key))
    return active


def _latency_on(model: ModelFile) -> bool:
    return (_on("service", "max_latency_ms")(model) and model.data is not None
            and model.data.demand_centres is not None)


POLICIES = (
    Policy("capital_region_cap", "decentralization", "capital_region_max_share", None,
           "capital_region_cap", "capital region's share of national IT capacity at most "
           "the cap", _on("decentralization", "capital_region_max_share")),
    Policy("province_cap", "decentralization", "province_max_share", None, "province_cap",
           "no province's share of national IT capacity above the cap",
           _on("decentralization", "province_max_share")),
    Policy("min_host_provinces", "decentralization", "min_host_provinces", None,
           "host_provinces_lower", "at least this many provinces host an open site",
           _on("decentralization", "min_host_provinces")),
    Policy("renewable_min_share", "renewable", "min_share", 0.0, "site_renewable_share",
           "each site procures a share of its energy from renewable zones within the radius",
           _on("renewable", "min_share")),
    Policy("latency_limit", "service", "max_latency_ms", None, None,
           "inference served only from sites within the latency limit (pairs beyond it have "
           "no variable, so no row and no marginal value)", _latency_on),
)
"""The policies reported, in order; one not in force in the scenario is left out."""


def _units() -> dict[str, str]:
    return {lim.name: lim.unit for _, lim in limits()}


def _marginal(binding: pd.DataFrame, limit: str | None) -> tuple[int, float]:
    if limit is None:
        return 0, math.nan
    rows = binding[binding["limit"] == limit]
    vals = rows["marginal_bn_krw_per_unit"].astype(float)
    return len(rows), (float(vals.sum()) if vals.notna().any() else math.nan)


def policy_costs(model: ModelFile, inputs: Inputs, results: Results,
                 solve: Callable | None = None) -> pd.DataFrame:
    """Marginal value and total cost of every policy in force (see the module docstring).

    Parameters
    ----------
    model, inputs : ModelFile, Inputs
        The scenario as run.
    results : Results
        Its solved results (objective, binding rows with marginal values).
    solve : callable, optional
        ``solve(data) -> SolveReport``; :func:`siting.api.solve_data` without diagnosis
        by default.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`, one row per policy in force.
    """
    from ..model.data import prepare

    if solve is None:
        from ..api import solve_data

        def solve(data):
            return solve_data(data, None, diagnose=False, require=False).report

    units = _units()
    rows = []
    for pol in POLICIES:
        if not pol.active(model):
            continue
        key = ("constraints", pol.family, pol.key)
        without = update(model, key, pol.off)
        report = solve(prepare(inputs, without))
        obj_off = float(report.objective) if report.has_solution else math.nan
        n, marginal = _marginal(results.binding, pol.limit)
        unit = f"bn KRW per {units[pol.limit]}" if pol.limit else ""
        rows.append({"policy": pol.name, "family": pol.family,
                     "setting": f"constraints.{pol.family}.{pol.key}",
                     "value": _text(getattr(_section(model, pol.family), pol.key)),
                     "off_value": _text(pol.off), "limit": pol.limit or "",
                     "binding_rows": n, "marginal_sum_bn_krw_per_unit": marginal,
                     "marginal_unit": unit, "objective_bn_krw": float(results.solve.objective),
                     "objective_without_bn_krw": obj_off,
                     "total_cost_bn_krw": float(results.solve.objective) - obj_off,
                     "status_without": report.status, "description": pol.description})
    return pd.DataFrame(rows, columns=COLUMNS)


def _text(value) -> str:
    if value is None:
        return "off"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v:g}" for k, v in value.items())
    return f"{value:g}"

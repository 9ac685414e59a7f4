"""The cost of every policy: for each policy of a scenario, its marginal value (two ways) and
its total cost (``policy_costs.csv``, ``siting run --policy-costs``).

Three numbers per policy, all in bn KRW at present value (the objective's unit):

- **total cost** (``total_cost_bn_krw`` [bn KRW]): the scenario's objective minus the
  objective of the same scenario re-solved with that one policy switched off (one more solve
  per policy); positive when the policy makes the plan dearer.
- **finite-difference marginal value** (``finite_difference_bn_krw`` [bn KRW per step]): the
  objective re-solved with the policy's value moved by one step in the direction named by
  ``finite_difference_step`` (for a share cap: one percentage point looser in every
  period, "bn KRW per percentage point"), minus the scenario's objective. Negative: the step
  saves that much. It sees the steps of the integer plan that the dual cannot.
- **dual marginal value** (``marginal_sum_bn_krw_per_unit`` [bn KRW per ``marginal_unit``],
  and per percentage point ``marginal_sum_bn_krw_per_pp``): the duals of the policy's rows in
  the LP with the plan's integer decisions fixed (:mod:`siting.model.duals`, columns
  ``marginal_bn_krw_per_unit`` / ``marginal_bn_krw_per_pp`` of ``binding.csv``), summed
  over its binding rows. A cap on IT capacity constrains only whole modules: with them fixed
  its row is a constant, so its dual is 0 (or the row is not binding) even when the policy
  costs a lot; the cost then sits in a step of the integer plan, which only the
  finite difference and the total cost show.

The objective is the builders' cost, so a subsidy or tariff delta (a transfer) is in it: a
subsidy's total cost is negative (the builders pay less), by the transfer and by any cheaper
plan it draws. Every solve stops at the MIP gap (``mip_rel_gap``, the model file's unless
given), so a difference below ``tolerance_bn_krw`` (objective x gap) is solver tolerance,
not a cost.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..inputs.section import per_period
from ..model.constraints import limits
from ..model.constraints.policy import prepare_policy
from ..model.constraints.sweepable import update

if TYPE_CHECKING:
    from ..inputs.model_file import ModelFile
    from ..inputs.tables import Inputs
    from .tables import Results

COLUMNS = ["policy", "family", "setting", "value", "off_value", "limit", "binding_rows",
           "marginal_sum_bn_krw_per_unit", "marginal_unit", "marginal_sum_bn_krw_per_pp",
           "finite_difference_step", "finite_difference_bn_krw", "objective_step_bn_krw",
           "objective_bn_krw", "objective_without_bn_krw", "total_cost_bn_krw",
           "tolerance_bn_krw", "status_without", "status_step", "meaning", "description"]
"""Columns of ``policy_costs.csv``: the policy, its family and model-file key
(``constraints.<family>.<key>``) with the scenario's value and the value that switches it
off; the row groups (``limit``) of its rows in ``binding.csv``, how many bind, the sum of
their duals [bn KRW per ``marginal_unit``] and per percentage point [bn KRW per pp]; the
finite difference's step, its value [bn KRW per step] and the objective after the step;
the objective with and without the policy [bn KRW, present value], their difference (the
policy's total cost), the solver tolerance [bn KRW], the statuses of the re-solves, what
the three numbers mean for this policy and what the policy says."""


@dataclass(frozen=True)
class Policy:
    """A policy: the model-file setting that holds it, how to switch it off, and the step of
    its finite difference.

    ``step`` moves the value of ``step_key`` (``constraints.<family>.<step_key>``; every
    period of a per-period value), clipped to ``[lo, hi]``; ``step_text`` says what the step
    is, for the ``finite_difference_step`` column.
    """

    name: str
    family: str
    key: str
    off: Any
    limits: tuple[str, ...]
    description: str
    active: Callable[[ModelFile, Inputs], bool]
    step_key: str
    step: float
    step_text: str
    lo: float = 0.0
    hi: float = 1.0


def _given(value) -> bool:
    values = value.values() if isinstance(value, dict) else [value]
    return any(v is not None and v != 0 for v in values)


def _section(model: ModelFile, family: str):
    return getattr(model.constraints, family)


def _on(family: str, key: str) -> Callable[[ModelFile, Inputs], bool]:
    def active(model: ModelFile, inputs: Inputs) -> bool:
        sec = _section(model, family)
        return bool(sec.enabled) and _given(getattr(sec, key))
    return active


def _latency_on(model: ModelFile, inputs: Inputs) -> bool:
    return (_on("service", "max_latency_ms")(model, inputs) and model.data is not None
            and model.data.demand_centres is not None)


def _instrument(switch: str) -> Callable[[ModelFile, Inputs], bool]:
    def active(model: ModelFile, inputs: Inputs) -> bool:
        side = prepare_policy(inputs, model)
        return side is not None and side.on[switch]
    return active


PP = "percentage point"
POLICIES = (
    Policy("capital_region_cap", "decentralization", "capital_region_max_share", None,
           ("capital_region_cap",), "capital region's share of national IT capacity at most "
           "the cap", _on("decentralization", "capital_region_max_share"),
           "capital_region_max_share", 0.01, f"cap +1 {PP} in every period"),
    Policy("province_cap", "decentralization", "province_max_share", None, ("province_cap",),
           "no province's share of national IT capacity above the cap",
           _on("decentralization", "province_max_share"), "province_max_share", 0.01,
           f"cap +1 {PP} in every period"),
    Policy("min_host_provinces", "decentralization", "min_host_provinces", None,
           ("host_provinces_lower",), "at least this many provinces host an open site",
           _on("decentralization", "min_host_provinces"), "min_host_provinces", -1.0,
           "one host province fewer in every period", 0.0, 1000.0),
    Policy("renewable_min_share", "renewable", "min_share", 0.0, ("site_renewable_share",),
           "each site procures a share of its energy from renewable zones within the radius "
           "(the renewable-proximity rule)", _on("renewable", "min_share"), "min_share", -0.01,
           f"minimum share -1 {PP} in every period"),
    Policy("latency_limit", "service", "max_latency_ms", None, (),
           "inference served only from sites within the latency limit (pairs beyond it have "
           "no variable, so no row and no dual)", _latency_on, "max_latency_ms", 1.0,
           "limit +1 ms", 0.0, 1000.0),
    Policy("grid_impact_assessment", "policy", "grid_impact_assessment", False,
           ("gia_capital_pass", "gia_noncapital_pass"), "at most the pass rate of each "
           "region's applied capacity passes the grid impact assessment",
           _instrument("grid_impact_assessment"), "gia_capital_pass_rate", 0.01,
           f"capital-region pass rate +1 {PP}"),
    Policy("gia_delay", "policy", "gia_delay", False, (), "capital-region sites open "
           "later by the assessment's delay", _instrument("gia_delay"),
           "gia_capital_delay_years", -1.0, "delay -1 year", 0.0, 50.0),
    Policy("regional_tariff", "policy", "regional_tariff", False, (), "regional "
           "differential tariff: delta_per_k x k added to each site's tariff",
           _instrument("regional_tariff"), "regional_tariff_k", -1.0, "k -1 KRW/kWh",
           0.0, 100.0),
    Policy("noncapital_connection", "policy", "noncapital_connection", False, (), "KEPCO "
           "discount on the connection cost outside the capital region",
           _instrument("noncapital_connection"), "noncapital_22kv_connection_discount", 0.01,
           f"discount +1 {PP}"),
    Policy("noncapital_subsidy", "policy", "noncapital_subsidy", False, (), "capex subsidy "
           "outside the capital region", _instrument("noncapital_subsidy"),
           "noncapital_capex_subsidy_share", 0.01, f"subsidy +1 {PP} of capex"),
)
"""The policies reported, in order; one not in force in the scenario is left out."""


def _units() -> dict[str, str]:
    return {lim.name: lim.unit for _, lim in limits()}


def _marginal(binding: pd.DataFrame, names: tuple[str, ...]) -> tuple[int, float, float]:
    """Binding rows, the sum of their duals per unit and per percentage point."""
    rows = binding[binding["limit"].isin(names)]
    if rows.empty:
        return 0, math.nan, math.nan
    sums = []
    for col in ("marginal_bn_krw_per_unit", "marginal_bn_krw_per_pp"):
        vals = rows[col].astype(float)
        sums.append(float(vals.sum()) if vals.notna().any() else math.nan)
    return len(rows), sums[0], sums[1]


def _current(pol: Policy, model: ModelFile, inputs: Inputs):
    """The value the step moves: the model file's, else (instruments) the table's."""
    value = getattr(_section(model, pol.family), pol.step_key)
    if value is None and pol.family == "policy":
        value = prepare_policy(inputs, model).value.get(pol.step_key)
    return value


def stepped(pol: Policy, model: ModelFile, inputs: Inputs) -> ModelFile | None:
    """The model file with the policy's value moved by one step (None: the step is
    blocked by the value's range, or the value is not set)."""
    value = _current(pol, model, inputs)

    def move(v):
        if v is None:
            return None
        new = min(max(v + pol.step, pol.lo), pol.hi)
        return round(new) if isinstance(v, int) else round(new, 10)

    if isinstance(value, dict):
        new = {str(p): move(v) for p, v in per_period(value, model.periods).items()}
        changed = new != {str(p): v for p, v in per_period(value, model.periods).items()}
    else:
        new = move(value)
        changed = value is not None and new != value
    return update(model, ("constraints", pol.family, pol.step_key), new) if changed else None


def _objective(report) -> float:
    return float(report.objective) if report.has_solution else math.nan


def policy_costs(model: ModelFile, inputs: Inputs, results: Results,
                 solve: Callable | None = None) -> pd.DataFrame:
    """Total cost and marginal values of every policy in force (see the module docstring).

    Parameters
    ----------
    model, inputs : ModelFile, Inputs
        The scenario as run.
    results : Results
        Its solved results (objective, binding rows with duals).
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
    base = float(results.solve.objective)
    rows = []
    for pol in POLICIES:
        if not pol.active(model, inputs):
            continue
        without = solve(prepare(inputs, update(model, ("constraints", pol.family, pol.key),
                                               pol.off)))
        moved = stepped(pol, model, inputs)
        step = solve(prepare(inputs, moved)) if moved is not None else None
        obj_step = _objective(step) if step is not None else math.nan
        n, marginal, per_pp = _marginal(results.binding, pol.limits)
        unit = f"bn KRW per {units[pol.limits[0]]}" if pol.limits else ""
        rows.append({"policy": pol.name, "family": pol.family,
                     "setting": f"constraints.{pol.family}.{pol.key}",
                     "value": _value_text(pol, model),
                     "off_value": _text(pol.off), "limit": ";".join(pol.limits),
                     "binding_rows": n, "marginal_sum_bn_krw_per_unit": marginal,
                     "marginal_unit": unit, "marginal_sum_bn_krw_per_pp": per_pp,
                     "finite_difference_step": pol.step_text,
                     "finite_difference_bn_krw": obj_step - base,
                     "objective_step_bn_krw": obj_step, "objective_bn_krw": base,
                     "objective_without_bn_krw": _objective(without),
                     "total_cost_bn_krw": base - _objective(without),
                     "tolerance_bn_krw": abs(base) * model.solver.mip_rel_gap,
                     "status_without": without.status,
                     "status_step": "" if step is None else step.status,
                     "meaning": _meaning(pol), "description": pol.description})
    return pd.DataFrame(rows, columns=COLUMNS)


def _meaning(pol: Policy) -> str:
    return (f"total_cost_bn_krw = objective minus objective with {pol.key} = "
            f"{_text(pol.off)} [bn KRW PV]; finite_difference_bn_krw = objective after "
            f"'{pol.step_text}' minus objective [bn KRW PV per step, negative = saving]; "
            "marginal_sum = fixed-integer LP duals of its binding rows [bn KRW PV per unit "
            "or per percentage point; empty: no binding row with a dual]")


def _value_text(pol: Policy, model: ModelFile) -> str:
    value = getattr(_section(model, pol.family), pol.key)
    if value is None and pol.family == "policy":
        return "on (default_enabled of policy_instruments.csv)"
    return _text(value)


def _text(value) -> str:
    if value is None:
        return "off"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v:g}" for k, v in value.items())
    return f"{value:g}"

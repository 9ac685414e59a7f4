"""Family 5: service demand, the classic capacitated facility location structure.

Demand points ``d`` (e.g. inference demand in cities, or OR-Library customers) must be
served in full by open sites, within each site's installed capacity, at a unit cost per
site-demand pair.

Two sources of demand points: a problem form's own tables (``ModelData.demands`` and
``ModelData.service_cost``, e.g. OR-Library, the same demand in every period), or the
Korean demand side when the model file names ``demand_centres`` (per-period inference
demand and latency costs, :mod:`siting.model.constraints.demand_side`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import pyomo.environ as pyo
from pydantic import Field

from ...inputs.section import PeriodShare, Strict
from .base import CostTerm, Family, Limit, linear
from .demand_side import prepare_demand, unreachable
from .sweepable import SweepParameter, absolute

if TYPE_CHECKING:
    from ..data import ModelData


class Service(Strict):
    """Service demand: on when the problem has demand points (``ModelData.demands``, or
    the model file's ``[data]`` names ``demand_centres``, ``network_latency`` and, unless
    ``inference_share`` is given, ``demand_split``)."""

    enabled: bool = True
    inference_share: PeriodShare | None = Field(None, description=(
        "share of the national target that is latency-sensitive inference [-], per period; "
        "empty: demand_split.csv"))
    latency_column: Literal["rtt_ms", "rtt_via_ix_ms"] = Field("rtt_ms", description=(
        "round trip used from network_latency.csv: direct, or via the Seoul exchange"))
    max_latency_ms: float | None = Field(None, gt=0, le=1000, description=(
        "latency limit [ms]: a site farther than this from a centre cannot serve it; "
        "empty: no limit"))
    latency_cost_bn_krw_per_mw_ms: float = Field(0.0, ge=0, le=1000, description=(
        "cost of serving 1 MW of inference over 1 ms more round trip for a year "
        "[bn KRW/(MW ms yr)]"))


def demand_points(data: ModelData) -> tuple[list, dict, dict]:
    """``(points, demand, cost)``: the demand points, their demand per (point, period)
    [MW IT] and the cost per served pair (site, point) [bn KRW/MW-yr], from the Korean
    demand side when prepared, else from ``ModelData.demands`` and ``service_cost``."""
    side = data.family_data.get("service")
    if side is not None:
        return side.centres, side.demand_mw, side.cost
    points = list(data.demands.index)
    mw = dict(zip(points, map(float, data.demands["demand_mw"])))
    return points, {(d, p): mw[d] for d in points for p in data.periods}, data.service_cost


def add_service_demand(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Serve every demand point from the sites' installed IT capacity.

    .. math:: \\sum_s x_{s,d,p} = D_{d,p} \\quad (\\text{demand_served})

    .. math:: \\sum_d x_{s,d,p} \\le it_{s,p} \\quad (\\text{site_service_capacity})

    .. math:: x_{s,d,p} \\le D_{d,p} \\, open_{s,p} \\quad (\\text{service_open_link})

    The last family is implied by the others for integer solutions but tightens the LP
    relaxation a great deal (the "strong" facility location formulation): without it
    HiGHS's bound on OR-Library capc stays ~6% below the optimum for minutes.

    with the cost :math:`\\sum c_{s,d} x_{s,d,p}` [bn KRW/yr] (``cost_service``).
    ``x`` [MW] is only created for pairs listed in ``data.service_cost``.

    .. math:: \\sum_s it_{s,p} \\ge \\sum_d D_{d,p} \\quad (\\text{service_capacity_cover})

    (over the sites that serve any demand point) is implied by the LP rows above, so it
    leaves the LP bound unchanged, but it hands HiGHS one knapsack row from which it
    derives cover cuts on the open decisions: OR-Library capc7250 solved in 211 s instead
    of 271 s (single thread, same machine and load; see ``bench/RESULTS.md``).
    """
    points, demand, cost = demand_points(data)
    pairs = list(cost)
    lk = data.lookup
    m.D = pyo.Set(initialize=points, ordered=True, doc="demand points")
    m.SD = pyo.Set(initialize=pairs, dimen=2, ordered=True, doc="site-demand pairs")
    m.service_mw = pyo.Var(m.SD, m.P, domain=pyo.NonNegativeReals, doc="[MW]")
    m.demand_mw = pyo.Param(m.D, m.P, mutable=True, doc="[MW]", initialize={
        (d, p): demand[d, p] for d in m.D for p in m.P})
    sites_of: dict = {d: [] for d in m.D}
    demands_of: dict = {s: [] for s in m.S}
    for s, d in pairs:
        sites_of[d].append(s)
        demands_of[s].append(d)
    x, dem = m.service_mw, m.demand_mw
    m.demand_served = pyo.Constraint(m.D, m.P, rule=lambda m, d, p: (
        dem[d, p], linear([1.0] * len(sites_of[d]), [x[s, d, p] for s in sites_of[d]]),
        dem[d, p]))
    m.service_open_link = pyo.Constraint(m.SD, m.P, rule=lambda m, s, d, p: (
        None, linear((1.0, -dem[d, p]), (x[s, d, p], m.site_open[s, p])), 0.0))
    served = [s for s in m.S if demands_of[s]]
    m.site_service_capacity = pyo.Constraint(served, m.P, rule=lambda m, s, p: (
        None, linear([1.0] * len(demands_of[s]) + [-lk.module_mw[s]],
                     [x[s, d, p] for d in demands_of[s]] + [m.site_modules[s, p]]), 0.0))
    m.service_capacity_cover = pyo.Constraint(m.P, rule=lambda m, p: (
        sum(dem[d, p] for d in m.D), linear([lk.module_mw[s] for s in served],
                                            [m.site_modules[s, p] for s in served]), None))


def service_cost(m, data: ModelData):
    """``c_{s,d} * x_{s,d,p}`` [bn KRW/yr]."""
    cost = demand_points(data)[2]
    return lambda m, p: linear([cost[s, d] for s, d in m.SD],
                               [m.service_mw[s, d, p] for s, d in m.SD])


def _prepare(inputs, model):
    return prepare_demand(inputs, model) if model.constraints.service.enabled else None


def _precheck(data: ModelData) -> list[str]:
    side = data.family_data.get("service")
    if side is None or not data.settings["service"].enabled:
        return []
    limit = data.settings["service"].max_latency_ms
    return [f"demand centre {d} has no site within the latency limit of {limit:g} ms"
            for d in unreachable(side)]


FAMILY = Family(
    name="service", add=add_service_demand, section=Service,
    period_fields=("inference_share",),
    on=lambda data: data.settings["service"].enabled and (
        data.family_data.get("service") is not None or not data.demands.empty),
    prepare=_prepare, precheck=_precheck,
    costs=(CostTerm("service", "serving the demand points from the sites", service_cost,
                    order=5),),
    limits=(
        Limit("demand_served", "a demand point served in full", "MW",
              "{period}: demand point {id} short of {amount:,.1f} MW", goal=True,
              relax=False),
        Limit("site_service_capacity", "demand served from a site within its installed IT "
              "capacity", "MW", relax=False),
    ),
    sweeps=(SweepParameter(
        "latency_cost_bn_krw_per_mw_ms", "bn KRW/(MW ms yr)", "latency cost of inference "
        "per MW and ms (rebuilds)",
        lambda model: model.constraints.service.latency_cost_bn_krw_per_mw_ms,
        absolute(("constraints", "service", "latency_cost_bn_krw_per_mw_ms"))),),
)

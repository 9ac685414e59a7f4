"""Family: grid reinforcements (a transformer or a new substation at a node, a new line
along a corridor, an uprated network branch, a planned HVDC link), built per period and
in service from the year they are complete.

Reinforcement ``r`` (``reinforcements.csv``) is complete from
``ready_r = base_year + lead_r + lead_time_delay_yr``; a committed project of the grid plan
from ``in_service_year_r`` (+ ``hvdc_delay_yr`` for HVDC), built whatever the plan does
and at no cost to it.

.. math::

    y_{r,p} \\in \\{0, 1\\}, \\quad y_{r,p} \\ge y_{r,p-1}, \\quad y_{r,p} = 0
    \\text{ if } ready_r > p, \\quad y_{r,p} = 1 \\text{ if committed and } ready_r \\le p

    \\text{capacity of element } e(r) \\text{ in } p \\mathrel{+}= \\Delta_r \\, y_{r,p}

registered with :func:`~siting.model.constraints.hooks.register_capacity` (a corridor:
both its directed arcs), so this family is built before the grid family. Only the
reinforcements of elements the grid family models are offered: ``node`` with node
headroom on, ``corridor`` in ``transport`` mode with the provincial balance,
``branch`` and ``link`` in ``network`` mode (where an uprated branch keeps its PTDF: the
approximation that reconductoring leaves the reactance unchanged).

Cost ``reinforcement`` [bn KRW/yr]: :math:`\\sum_r CRF \\, C_r \\, y_{r,p}` (annuity on the
overnight cost from the period the reinforcement is in service).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import pyomo.environ as pyo
from pydantic import Field

from ...errors import InputError, Problem
from ...inputs.section import Strict
from .base import CostTerm, Family, linear
from .hooks import register_capacity
from .sweepable import SweepParameter, absolute, scale_param, table_scale, unit_base

if TYPE_CHECKING:
    from ..data import ModelData


class Reinforcement(Strict):
    """Grid reinforcements: on when the model file's ``[data]`` names ``reinforcements``."""

    enabled: bool = True
    hvdc_delay_yr: int = Field(0, ge=-20, le=50, description=(
        "years added to the in-service year of every planned HVDC link (committed "
        "reinforcements and the planned HVDC corridors) [yr]"))
    lead_time_delay_yr: int = Field(0, ge=-20, le=50, description=(
        "years added to every reinforcement's lead time [yr]"))


@dataclass(frozen=True)
class ReinforcementData:
    """The reinforcement options as plain dicts (data stage)."""

    ids: list[str]
    kind: dict[str, str]
    element: dict[str, str]
    element_id: dict[str, str]
    capacity: dict[str, float]
    cost: dict[str, float]
    ready: dict[str, int]
    committed: dict[str, bool]


def _prepare(inputs, model) -> ReinforcementData | None:
    t = inputs.reinforcements
    sec = model.constraints.reinforcement
    if t is None or not sec.enabled:
        return None
    t = t.sort_index()
    base = model.economics.base_year
    undated = [r for r in t.index[t["committed"].astype(bool)]
               if pd.isna(t.at[r, "in_service_year"])]
    if undated:
        raise InputError([Problem(str(model.data_path("reinforcements")),
                                  f"committed reinforcement without in_service_year: {r}",
                                  "give the year it enters service, or set committed to "
                                  "false", column="in_service_year", value=r)
                          for r in undated])
    ready = {}
    for r, row in t.iterrows():
        if bool(row["committed"]):
            shift = sec.hvdc_delay_yr if row["kind"] == "hvdc" else 0
            ready[r] = int(row["in_service_year"]) + shift
        else:
            ready[r] = base + int(row["lead_time_yr"]) + sec.lead_time_delay_yr
    return ReinforcementData(
        ids=[str(r) for r in t.index], kind=t["kind"].to_dict(), element=t["element"].to_dict(),
        element_id=t["element_id"].astype(str).to_dict(),
        capacity={r: float(v) for r, v in t["capacity_mw"].items()},
        cost={r: float(v) for r, v in t["cost_bn_krw"].items()}, ready=ready,
        committed={r: bool(v) for r, v in t["committed"].items()})


def hvdc_shift(model, corridor_id: str, year: int) -> int:
    """In-service year of a corridor, with ``hvdc_delay_yr`` added to a planned HVDC
    (an ``_hvdc_`` corridor not yet in service in the decision year)."""
    sec = model.constraints.reinforcement
    if (sec.enabled and model.data is not None and model.data.reinforcements is not None
            and "_hvdc_" in corridor_id and year > model.economics.base_year):
        return year + sec.hvdc_delay_yr
    return year


def node_capacity_mw(inputs, model) -> dict[str, float]:
    """Largest capacity reinforcements can add at each grid node [MW] (raises the data
    stage's module bound where node headroom would otherwise cap a site)."""
    t = inputs.reinforcements
    if t is None or not model.constraints.reinforcement.enabled:
        return {}
    n = t[t["element"] == "node"]
    return n["capacity_mw"].groupby(n["element_id"]).sum().to_dict()


def modelled_elements(data: ModelData) -> set[str]:
    """Grid elements the grid family has rows for in this model."""
    if not data.on("grid"):
        return set()
    g = data.settings["grid"]
    if getattr(g, "mode", "transport") == "network":
        return {"node", "branch", "link"} if g.node_headroom else {"branch", "link"}
    out = {"node"} if g.node_headroom else set()
    return out | ({"corridor"} if g.province_balance else set())


def offered(data: ModelData) -> list[str]:
    """Reinforcements whose element the grid family models."""
    rd = data.family_data["reinforcement"]
    elements = modelled_elements(data)
    return [r for r in rd.ids if rd.element[r] in elements]


def _keys(data: ModelData, r: str) -> list:
    rd = data.family_data["reinforcement"]
    if rd.element[r] == "corridor":
        return [a for a in data.arcs.index if data.arcs.at[a, "corridor_id"] == rd.element_id[r]]
    return [rd.element_id[r]]


def add_reinforcement(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Build decisions, staging and the capacity they add (module docstring)."""
    rd = data.family_data["reinforcement"]
    ids = offered(data)
    m.RF = pyo.Set(initialize=ids, ordered=True, doc="grid reinforcements offered")
    m.reinforcement_built = pyo.Var(m.RF, m.P, domain=pyo.Binary, doc="in service by period")
    m.reinforcement_cost_bn_krw = pyo.Param(m.RF, initialize={r: rd.cost[r] for r in ids},
                                            mutable=True, doc="[bn KRW]")
    y = m.reinforcement_built
    open_ = [(r, p) for r in ids for p in data.periods if rd.ready[r] <= p]
    for r in ids:
        for p in data.periods:
            if rd.ready[r] > p:
                y[r, p].fix(0)
            elif rd.committed[r]:
                y[r, p].fix(1)
    prev = dict(zip(data.periods[1:], data.periods[:-1]))
    so = set(open_)
    later = [(r, p) for r, p in open_ if p in prev and (r, prev[p]) in so
             and not rd.committed[r]]
    m.reinforcement_staging = pyo.Constraint(later, rule=lambda m, r, p: (
        0.0, linear((1.0, -1.0), (y[r, p], y[r, prev[p]])), None))
    for r, p in open_:
        for key in _keys(data, r):
            register_capacity(m, rd.element[r], key, p, rd.capacity[r], y[r, p])


def reinforcement_cost(m, data: ModelData):
    """``CRF * C_r * y_{r,p}`` over the decided (not committed) reinforcements."""
    rd = data.family_data["reinforcement"]
    crf = data.capital_recovery_factor
    live = {p: [r for r in m.RF if rd.ready[r] <= p and not rd.committed[r]]
            for p in data.periods}
    return lambda m, p: linear([crf * m.reinforcement_cost_bn_krw[r] for r in live[p]],
                               [m.reinforcement_built[r, p] for r in live[p]])


FAMILY = Family(
    name="reinforcement", add=add_reinforcement, section=Reinforcement, prepare=_prepare,
    on=lambda data: data.family_data.get("reinforcement") is not None,
    costs=(CostTerm("reinforcement", "annuity on grid reinforcements", reinforcement_cost),),
    sweeps=(
        SweepParameter("reinforcement_cost_scale", "x", "reinforcement costs scaled",
                       unit_base, table_scale("reinforcements", "cost_bn_krw"),
                       scale_param("reinforcement_cost_bn_krw"),
                       ("reinforcement_cost_bn_krw",)),
        SweepParameter("hvdc_delay_yr", "yr", "planned HVDC links in service later "
                       "(rebuilds)", lambda mf: float(mf.constraints.reinforcement
                                                      .hvdc_delay_yr),
                       lambda mf, inp, v: absolute(("constraints", "reinforcement",
                                                    "hvdc_delay_yr"))(mf, inp, int(v))),
        SweepParameter("lead_time_delay_yr", "yr", "every reinforcement's lead time longer "
                       "(rebuilds)", lambda mf: float(mf.constraints.reinforcement
                                                      .lead_time_delay_yr),
                       lambda mf, inp, v: absolute(("constraints", "reinforcement",
                                                    "lead_time_delay_yr"))(mf, inp, int(v))),
    ),
)

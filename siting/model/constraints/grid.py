"""Family 2: grid limits at the connection node and between provinces."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyomo.environ as pyo
from pydantic import Field

from ...inputs.section import Strict
from ..units import BN_KRW_PER_GWH_AT_1_KRW_PER_KWH as K
from ..units import GWH_PER_MW_YEAR
from .base import CostTerm, Family, Limit, linear
from .hooks import draw_terms
from .sweepable import SweepParameter, absolute, scale_param, table_scale, unit_base

if TYPE_CHECKING:
    from ..data import ModelData


class Grid(Strict):
    """Grid limits: node headroom and the provincial transport model."""

    enabled: bool = True
    node_headroom: bool = True
    province_balance: bool = True
    surplus_share: float = Field(0.1, ge=0, le=1, description=(
        "share of a province's annual generation surplus (generation - consumption, as "
        "average MW) available to new data-centre load"))
    corridor_headroom_share: float = Field(0.1, ge=0, le=1, description=(
        "share of a corridor's summed thermal rating available to new flows"))
    transmission_krw_per_kwh: float = Field(5.0, ge=0, le=1000, description=(
        "cost of moving energy over an inter-provincial corridor [KRW/kWh]"))
    connection_bn_krw_per_km: float = Field(3.0, ge=0, le=1000, description=(
        "cost of the connection line from a site to its grid node [bn KRW/km]"))


def add_node_headroom(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Facility power of the sites at a grid node stays within the node's headroom.

    .. math:: \\sum_{s \\in n} PUE_s \\, it_{s,p} \\le H_{n,p} \\quad \\forall n, p

    :math:`H_{n,p}`: in transport mode ``grid_nodes.headroom_mw`` (the voltage rule,
    every period); in network mode the hosting capacity of the node's bus in ``p``
    (:func:`siting.model.network.headroom.node_headroom`).
    """
    from ..network.headroom import period_headroom

    lk = data.lookup
    used = [n for n in m.N if n in lk.by_node]
    m.node_headroom_mw = pyo.Param(m.N, m.P, initialize={
        (n, p): period_headroom(data.grid_nodes, n, p) for n in m.N for p in m.P},
        mutable=True, doc="[MW]")
    m.node_headroom = pyo.Constraint(used, m.P, rule=lambda m, n, p: (
        None, linear(*draw_terms(m, lk, lk.by_node[n], p)), m.node_headroom_mw[n, p]))


def add_province_balance(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Transport model: each province's new load is met by its spare supply plus net imports.

    A site's load is drawn in the province of its grid node (which may differ from the
    site's own province near a border).

    .. math:: \\sum_{s: node(s) \\in r} PUE_s \\, it_{s,p} + \\sum_{a \\in out(r)} f_{a,p}
              - \\sum_{a \\in in(r)} f_{a,p} \\le spare_r \\quad \\forall r, p

    with :math:`0 \\le f_{a,p} \\le L_a` on directed corridor arcs that are in service
    in ``p`` (``corridor_flow_limit``).
    """
    arcs = data.arcs
    lk = data.lookup
    m.A = pyo.Set(initialize=list(arcs.index), ordered=True, doc="directed corridor arcs")
    m.arc_flow_mw = pyo.Var(m.A, m.P, domain=pyo.NonNegativeReals, doc="[MW]")
    m.arc_limit_mw = pyo.Param(m.A, initialize=arcs["limit_mw"].to_dict(), mutable=True,
                               doc="[MW]")
    m.province_spare_mw = pyo.Param(m.R, initialize=data.provinces["spare_mw"].to_dict(),
                                    mutable=True, doc="[MW]")
    open_arcs = [(a, p) for a in m.A for p in m.P if lk.arc_from[a] <= p]
    for a in m.A:
        for p in m.P:
            if lk.arc_from[a] > p:
                m.arc_flow_mw[a, p].fix(0)
    m.corridor_flow_limit = pyo.Constraint(
        open_arcs, rule=lambda m, a, p: m.arc_flow_mw[a, p] <= m.arc_limit_mw[a])
    out_arcs: dict[str, list[str]] = {}
    in_arcs: dict[str, list[str]] = {}
    for a, f, t in zip(arcs.index, arcs["from_province"], arcs["to_province"]):
        out_arcs.setdefault(f, []).append(a)
        in_arcs.setdefault(t, []).append(a)

    def rule(m, r, p):
        coefs, xs = draw_terms(m, lk, lk.by_grid_province.get(r, []), p)
        out = [a for a in out_arcs.get(r, []) if lk.arc_from[a] <= p]
        inn = [a for a in in_arcs.get(r, []) if lk.arc_from[a] <= p]
        coefs += [1.0] * len(out) + [-1.0] * len(inn)
        xs += [m.arc_flow_mw[a, p] for a in out + inn]
        return (None, linear(coefs, xs), m.province_spare_mw[r])

    m.province_balance = pyo.Constraint(m.R, m.P, rule=rule)


def add_grid(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Node headroom and the provincial balance, each when switched on."""
    g = data.settings["grid"]
    if g.node_headroom:
        add_node_headroom(m, data)
    if g.province_balance:
        add_province_balance(m, data)


def transmission_cost(m, data: ModelData):
    """``u * f_{a,p} * 8.76 * c_tx * 1e-3`` over the arcs in service [bn KRW/yr]."""
    if not data.settings["grid"].province_balance:
        return None
    lk = data.lookup
    tx = data.utilization * GWH_PER_MW_YEAR * data.settings["grid"].transmission_krw_per_kwh * K
    arcs = {p: [a for a in m.A if lk.arc_from[a] <= p] for p in data.periods}
    return lambda m, p: linear([tx] * len(arcs[p]), [m.arc_flow_mw[a, p] for a in arcs[p]])


def _spare_from_share(m, snapshot, value):
    base_share = snapshot["_surplus_share"]
    for idx, base in snapshot["province_spare_mw"].items():
        m.province_spare_mw[idx] = base / base_share * value if base_share > 0 else 0.0


def _arc_label(data: ModelData, idx: tuple) -> str:
    a = data.arcs.loc[idx[0]]
    return f"{a['corridor_id']} ({a['from_province']}->{a['to_province']})"


FAMILY = Family(
    name="grid", add=add_grid, section=Grid, on=lambda data: data.settings["grid"].enabled,
    costs=(CostTerm("transmission", "energy moved over inter-provincial corridors",
                    transmission_cost, order=4),),
    limits=(
        Limit("node_headroom", "facility power at a grid node within its headroom", "MW",
              "{period}: grid node {id} needs {amount:,.1f} MW more headroom"),
        Limit("province_balance", "a province's new load within its spare supply plus "
              "net imports", "MW",
              "{period}: province {id} needs {amount:,.1f} MW more spare supply or imports"),
        Limit("corridor_flow_limit", "flow on a corridor arc within its transfer limit",
              "MW", "{period}: corridor {id} needs {amount:,.1f} MW more transfer capacity",
              label=_arc_label),
    ),
    sweeps=(
        SweepParameter("corridor_scale", "x", "inter-provincial transfer limits scaled",
                       unit_base, table_scale("corridors", "thermal_mva"),
                       scale_param("arc_limit_mw"), ("arc_limit_mw",)),
        SweepParameter("surplus_share", "-", "share of provincial surplus open to data "
                       "centres", lambda mf: mf.constraints.grid.surplus_share,
                       absolute(("constraints", "grid", "surplus_share")), _spare_from_share,
                       ("province_spare_mw",)),
        SweepParameter("headroom_scale", "x", "grid-node headroom scaled (rebuilds: it sets "
                       "variable bounds)", unit_base,
                       table_scale("grid_nodes", "headroom_mw")),
    ),
)

"""Family 2: grid limits at the connection node, and between provinces in one of two modes.

``mode = "network"`` (the default scenario's): a DC power flow on the transmission network
per period and stress snapshot (:mod:`.grid_network`, data in :mod:`siting.model.network`).
``mode = "transport"``: each province's new load within its spare supply plus imports over
corridors with transfer limits (:func:`add_province_balance`), kept for comparison.
Node headroom (:func:`add_node_headroom`) applies in both modes when switched on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import pyomo.environ as pyo
from pydantic import Field

from ...inputs.section import Strict
from ..units import BN_KRW_PER_GWH_AT_1_KRW_PER_KWH as K
from ..units import GWH_PER_MW_YEAR
from .base import CostTerm, Family, Limit, linear
from .grid_network import NetworkRows, add_network_flows, balance_label, branch_label, response_cost
from .hooks import added_capacity, draw_terms
from .sweepable import SweepParameter, absolute, scale_param, table_scale, unit_base

if TYPE_CHECKING:
    from ..data import ModelData


class Grid(Strict):
    """Grid limits: node headroom, and the DC power flow (network) or the provincial
    transport model (transport)."""

    enabled: bool = True
    mode: Literal["network", "transport"] = Field("transport", description=(
        "network: DC power flow on the network_* tables per stress snapshot; transport: "
        "provincial balance with corridor limits"))
    node_headroom: bool = True
    province_balance: bool = Field(True, description=(
        "transport mode: each province's new load within its spare supply plus imports"))
    s_max_pu: float = Field(0.7, gt=0, le=1, description=(
        "network mode: share of a branch's thermal rating usable in the base case and by "
        "new load (0.7, the usual N-1 proxy)"))
    ptdf_tolerance: float = Field(1e-4, ge=0, le=0.01, description=(
        "network mode: PTDF coefficients below this [MW/MW] are set to 0; the flow error "
        "is below it per MW of changed injection"))
    overload_allowance_pu: float = Field(0.0, ge=0, le=1, description=(
        "network mode: how much new load may raise the flow of a branch already above "
        "s_max_pu in the base case, as a share of its rating (de-minimis)"))
    hvdc_base_loading: float = Field(1.0, ge=0, le=1, description=(
        "network mode: base flow of the mainland HVDC links as a share of their rating, "
        "towards their capital-region end"))
    response_hours: float = Field(100.0, ge=0, le=8760, description=(
        "network mode: hours a year each stress snapshot stands for when costing the "
        "supply response's premium over the system marginal cost [h/yr]"))
    surplus_share: float = Field(0.1, ge=0, le=1, description=(
        "transport mode: share of a province's annual generation surplus (generation - consumption, as "
        "average MW) available to new data-centre load"))
    corridor_headroom_share: float = Field(0.1, ge=0, le=1, description=(
        "transport mode: share of a corridor's summed thermal rating available to new "
        "flows"))
    transmission_krw_per_kwh: float = Field(5.0, ge=0, le=1000, description=(
        "transport mode: cost of moving energy over an inter-provincial corridor [KRW/kWh]"))
    connection_bn_krw_per_km: float = Field(3.0, ge=0, le=1000, description=(
        "cost of the connection line from a site to its grid node [bn KRW/km]"))


def add_node_headroom(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Facility power of the sites at a grid node stays within the node's headroom.

    .. math:: \\sum_{s \\in n} draw_{s,p} - \\sum_{r \\in n} \\Delta_r y_{r,p} \\le H_{n,p}
              \\quad \\forall n, p

    with the draw from :func:`~.hooks.draw_terms`, the capacity reinforcements add from
    :func:`~.hooks.added_capacity` and :math:`H_{n,p}` = ``grid_nodes.headroom_mw`` (the
    voltage rule, every period), transport mode only: in network mode the headroom is the
    hosting capacity of the node's bus (:func:`siting.model.network.headroom.node_headroom`),
    enforced by the branch rows.
    """
    from ..network.headroom import period_headroom

    lk = data.lookup
    used = [n for n in m.N if n in lk.by_node]
    m.node_headroom_mw = pyo.Param(m.N, m.P, initialize={
        (n, p): period_headroom(data.grid_nodes, n, p) for n in m.N for p in m.P},
        mutable=True, doc="[MW]")

    def rule(m, n, p):
        coefs, xs = draw_terms(m, lk, lk.by_node[n], p)
        add_c, add_x = added_capacity(m, "node", n, p)
        return (None, linear(coefs + [-c for c in add_c], xs + add_x),
                m.node_headroom_mw[n, p])
    m.node_headroom = pyo.Constraint(used, m.P, rule=rule)


def add_province_balance(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Transport model: each province's new load is met by its spare supply plus net imports.

    A site's load is drawn in the province of its grid node (which may differ from the
    site's own province near a border).

    .. math:: \\sum_{s: node(s) \\in r} PUE_s \\, it_{s,p} + \\sum_{a \\in out(r)} f_{a,p}
              - \\sum_{a \\in in(r)} f_{a,p} \\le spare_r \\quad \\forall r, p

    with :math:`0 \\le f_{a,p} \\le L_a + \\sum_{r \\in a} \\Delta_r y_{r,p}` on directed
    corridor arcs that are in service in ``p`` (``corridor_flow_limit``; the sum is the
    capacity reinforcements add, :func:`~.hooks.added_capacity`).
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

    def limit(m, a, p):
        add_c, add_x = added_capacity(m, "corridor", a, p)
        return (None, linear([1.0] + [-c for c in add_c], [m.arc_flow_mw[a, p]] + add_x),
                m.arc_limit_mw[a])
    m.corridor_flow_limit = pyo.Constraint(open_arcs, rule=limit)
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


def transport(data: ModelData) -> bool:
    """Whether the model holds the transport model's corridor flows."""
    g = data.settings["grid"]
    return g.enabled and g.mode == "transport" and g.province_balance


def add_grid(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Node headroom when switched on (transport mode; in network mode a node's headroom is
    its bus's hosting capacity, which the branch rows enforce), then the rows of the mode."""
    g = data.settings["grid"]
    if g.node_headroom and g.mode == "transport":
        add_node_headroom(m, data)
    if g.mode == "network":
        add_network_flows(m, data)
    elif g.province_balance:
        add_province_balance(m, data)


def transmission_cost(m, data: ModelData):
    """``u * f_{a,p} * 8.76 * c_tx * 1e-3`` over the arcs in service [bn KRW/yr]."""
    if not transport(data):
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


def prepare_network(inputs, model) -> NetworkRows | None:
    """The network mode's numbers (:func:`~.grid_network.compile_rows`), or None in
    transport mode."""
    g = model.constraints.grid
    if not (g.enabled and g.mode == "network"):
        return None
    from ..network import network_cases, site_bus
    from .grid_network import compile_rows, network_tables

    tables = network_tables(inputs, model)
    cases = network_cases(tables, model.periods, g)
    sites = inputs.sites
    buses = tables["network_buses"]
    mapping = site_bus(sites, inputs.grid_nodes, buses)
    pue = inputs.provinces["pue"].reindex(sites["province_id"]).to_numpy()
    max_mw = dict(zip(sites.index, (sites["max_it_mw"] * pue).astype(float)))
    start = dict(zip(sites.index, sites["available_from"].astype(int)))
    # network mode: a node's headroom is its bus's hosting capacity, which the branch rows
    # themselves enforce (siting.model.network.headroom), so no node cap narrows the screen
    return compile_rows(cases, mapping, max_mw, start, buses, {})


FAMILY = Family(
    name="grid", add=add_grid, section=Grid, on=lambda data: data.settings["grid"].enabled,
    prepare=prepare_network,
    costs=(CostTerm("transmission", "energy moved over inter-provincial corridors",
                    transmission_cost, order=4),
           CostTerm("supply_response", "premium of the supply response over the system "
                    "marginal cost in the stress snapshots (network mode)", response_cost)),
    limits=(
        Limit("node_headroom", "facility power at a grid node within its headroom", "MW",
              "{period}: grid node {id} needs {amount:,.1f} MW more headroom"),
        Limit("province_balance", "a province's new load within its spare supply plus "
              "net imports", "MW",
              "{period}: province {id} needs {amount:,.1f} MW more spare supply or imports"),
        Limit("corridor_flow_limit", "flow on a corridor arc within its transfer limit",
              "MW", "{period}: corridor {id} needs {amount:,.1f} MW more transfer capacity",
              label=_arc_label),
        Limit("branch_flow_limit", "DC flow on a line or transformer within its limit "
              "(s_max_pu x rating, or its base flow if already above)", "MW",
              "{period}: {id} needs {amount:,.1f} MW more", label=branch_label),
        Limit("network_supply_balance", "new load met by spare generation in the same AC "
              "network and snapshot", "MW",
              "{period}: {id} needs {amount:,.1f} MW more spare generation",
              label=balance_label),
    ),
    sweeps=(
        SweepParameter("corridor_scale", "x", "inter-provincial transfer limits scaled",
                       unit_base, table_scale("corridors", "thermal_mva"),
                       scale_param("arc_limit_mw"), ("arc_limit_mw",)),
        SweepParameter("surplus_share", "-", "share of provincial surplus open to data "
                       "centres", lambda mf: mf.constraints.grid.surplus_share,
                       absolute(("constraints", "grid", "surplus_share")), _spare_from_share,
                       ("province_spare_mw",)),
        SweepParameter("s_max_pu", "-", "network mode: usable share of branch ratings "
                       "(rebuilds: it sets the base-overload rule)",
                       lambda mf: mf.constraints.grid.s_max_pu,
                       absolute(("constraints", "grid", "s_max_pu"))),
        SweepParameter("headroom_scale", "x", "grid-node headroom scaled (rebuilds: it sets "
                       "variable bounds)", unit_base,
                       table_scale("grid_nodes", "headroom_mw")),
    ),
)

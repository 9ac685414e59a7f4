"""Family 2: grid limits at the connection node and between provinces."""

from __future__ import annotations

import pyomo.environ as pyo

from ..data import ModelData
from . import linear


def _facility_row(m, lk, sites, p):
    """``sum PUE_s * it_{s,p}`` over the live sites of a group: (coefs, vars)."""
    own = [s for s in sites if s in lk.live_set[p]]
    return ([lk.pue[s] * lk.module_mw[s] for s in own], [m.site_modules[s, p] for s in own])


def add_node_headroom(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Facility power of the sites at a grid node stays within the node's headroom.

    .. math:: \\sum_{s \\in n} PUE_s \\, it_{s,p} \\le H_n \\quad \\forall n, p
    """
    lk = data.lookup
    used = [n for n in m.N if n in lk.by_node]
    m.node_headroom_mw = pyo.Param(m.N, initialize=data.grid_nodes["headroom_mw"].to_dict(),
                                   mutable=True, doc="[MW]")
    m.node_headroom = pyo.Constraint(used, m.P, rule=lambda m, n, p: (
        None, linear(*_facility_row(m, lk, lk.by_node[n], p)), m.node_headroom_mw[n]))


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
        coefs, xs = _facility_row(m, lk, lk.by_grid_province.get(r, []), p)
        out = [a for a in out_arcs.get(r, []) if lk.arc_from[a] <= p]
        inn = [a for a in in_arcs.get(r, []) if lk.arc_from[a] <= p]
        coefs += [1.0] * len(out) + [-1.0] * len(inn)
        xs += [m.arc_flow_mw[a, p] for a in out + inn]
        return (None, linear(coefs, xs), m.province_spare_mw[r])

    m.province_balance = pyo.Constraint(m.R, m.P, rule=rule)

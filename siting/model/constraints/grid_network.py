"""The grid family's ``network`` mode: a linearised (DC) power flow on the transmission
network, per period and stress snapshot.

Per period ``p`` and snapshot ``s`` (data: :class:`siting.model.network.NetworkCase`):

.. math::

    f_{l,s,p} = f^0_{l,s} + \\sum_g \\Phi_{l,g} \\, r_{g,s,p}
                - \\sum_i \\Phi_{l,b(i)} \\, draw_{i,p}

    d \\, f_{l,s,p} \\le L_{l,s} + \\sum_{r \\in l} \\Delta_r b_{r,p}
        \\quad d \\in \\{+1, -1\\}      \\qquad (\\texttt{branch\\_flow\\_limit})

    \\sum_{g \\in k} r_{g,s,p} = \\sum_{i \\in k} draw_{i,p} \\quad \\forall k
        \\qquad (\\texttt{network\\_supply\\_balance})

    0 \\le r_{g,s,p} \\le spare_{g,s}

with :math:`f^0` the base flow (PyPSA ``lpf`` of the merit-order base case), :math:`\\Phi`
PyPSA's PTDF [MW/MW], :math:`draw_{i,p}` site ``i``'s draw at its bus ``b(i)``
(:func:`~.hooks.draw_terms`: facility load at full output in a stress hour, less any
co-located supply), :math:`L` the limit after the base-overload rule
(:mod:`siting.model.network.case`), :math:`\\Delta_r b_{r,p}` capacity added by
reinforcements (:func:`~.hooks.added_capacity`, element ``"branch"``) and ``k`` the AC
sub-networks (mainland, Jeju): HVDC links keep their base flows.

**Supply response groups.** ``g`` is the spare capacity of one carrier in one province
(``<province>|<carrier>``), answering pro rata to the spare capacity of its buses
(:attr:`NetworkCase.responders`), so :math:`\\Phi_{l,g}` is the spare-weighted mean of
their PTDF columns. This keeps the rows short (about 20 groups at peak instead of 130
buses) and is a common operating rule (a fleet follows load in proportion).

**Screening.** The draws of a sub-network total at most :math:`D_k = \\min(\\sum_i
PUE_i \\, max\\_it_i, \\sum_g spare_g)` and are balanced by responses, so a row's flow
change is at most :math:`D_k (\\max_j \\Phi_{l,j} - \\min_j \\Phi_{l,j})` over the
columns ``j`` of its sub-network (site buses and groups). A direction whose base flow
plus this bound stays within the limit cannot bind and gets no row; it is kept when a
reinforcement can add capacity to the branch. (This assumes draws in ``[0, PUE x
max_it]``: co-located supply never above the site's load.)

**Cost.** The energy a site uses is priced by the tariff term of the objective (tariff x
utilisation x 8,760 h). The supply response adds only what the network makes dearer: its
premium over the snapshot's system marginal cost, :math:`\\max(0, c_g - \\lambda_s)`
[KRW/MWh], for ``response_hours`` hours a year per snapshot, so no energy is counted
twice (``cost_supply_response``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from .base import linear
from .hooks import added_capacity, draw_terms

if TYPE_CHECKING:
    from ..data import ModelData
    from ..network import NetworkCase

DIRECTIONS = {"fwd": 1.0, "rev": -1.0}
"""Row directions: ``fwd`` limits the flow from bus0 to bus1, ``rev`` the reverse."""


@dataclass(frozen=True)
class NetworkRows:
    """The network mode's numbers as plain dicts (built once in the data stage).

    Attributes
    ----------
    cases : dict of int to NetworkCase
    site_bus : dict of str to str
        Network bus of each site.
    groups : list of (str, str, int)
        Supply-response groups ``(group, snapshot, period)``.
    spare : dict
        ``(group, snapshot, period) -> spare_up_mw`` [MW].
    premium : dict
        ``(group, snapshot, period) -> max(0, cost - system cost)`` [KRW/MWh].
    group_net : dict
        ``(group, snapshot, period) -> sub-network``.
    group_buses : dict
        ``(group, snapshot, period) -> [(bus, share), ...]`` (shares sum to 1).
    rows : dict
        ``(branch, direction, snapshot, period) -> (constant, limit, {site: coef},
        {group: coef})``: the row ``constant + sum coef x ... <= limit`` before added
        capacity; site coefficients multiply the site's draw.
    balances : list of (str, str, int)
        ``(sub_network, snapshot, period)`` with live sites.
    site_net : dict of str to str
    """

    cases: dict
    site_bus: dict[str, str]
    groups: list[tuple[str, str, int]]
    spare: dict
    premium: dict
    group_net: dict
    group_buses: dict
    rows: dict
    balances: list[tuple[str, str, int]]
    site_net: dict[str, str]
    shadowed: dict
    """Rows left out because a row of the same shape (a parallel circuit, a branch in
    series) is tighter; built anyway for a branch that a reinforcement adds capacity to."""


def _groups(case: NetworkCase, buses: pd.DataFrame) -> pd.DataFrame:
    r = case.responders.copy()
    r["province_id"] = r["bus"].map(buses["province_id"])
    r["group"] = r["province_id"] + "|" + r["carrier"]
    return r.sort_values(["snapshot", "group", "bus"])


def max_change(a_up: np.ndarray, cap_up: np.ndarray, a_down: np.ndarray,
               cap_down: np.ndarray) -> float:
    """Largest ``sum a_up x - sum a_down y`` over ``0 <= x <= cap_up``, ``0 <= y <=
    cap_down`` and ``sum x = sum y`` (a fractional knapsack: pair the largest ``a_up`` with
    the smallest ``a_down`` while that raises the sum) [MW]."""
    if not len(a_up) or not len(a_down):
        return 0.0
    iu, idn = np.argsort(-a_up, kind="stable"), np.argsort(a_down, kind="stable")
    cu, cd = np.cumsum(cap_up[iu]), np.cumsum(cap_down[idn])
    ends = np.union1d(cu, cd)
    ends = ends[ends <= min(cu[-1], cd[-1]) + 1e-9]
    starts = np.concatenate([[0.0], ends[:-1]])
    mid = (starts + ends) / 2
    gain = a_up[iu][np.searchsorted(cu, mid)] - a_down[idn][np.searchsorted(cd, mid)]
    return float(np.sum(np.clip(gain, 0.0, None) * (ends - starts)))


def _response_columns(rs: pd.DataFrame, ptdf: pd.DataFrame, s: str, p: int, net: str):
    """Each response group of one snapshot and sub-network: its key, spare, premium, buses
    with shares and PTDF column."""
    out = []
    for g, grp in rs[rs["sub_network"] == net].groupby("group", sort=True):
        total = float(grp["spare_up_mw"].sum())
        w = (grp["spare_up_mw"] / total).to_numpy()
        cost = float((grp["marginal_cost_krw_per_mwh"] * w).sum())
        premium = max(0.0, cost - float(grp["system_marginal_cost_krw_per_mwh"].iloc[0]))
        out.append(((g, s, p), total, premium, list(zip(grp["bus"], w.tolist())),
                    ptdf[list(grp["bus"])].to_numpy() @ w))
    return out


def compile_rows(cases: dict, site_bus: dict[str, str], site_max_mw: dict[str, float],
                 site_from: dict[str, int], buses: pd.DataFrame,
                 bus_cap_mw: dict[str, float] | None = None) -> NetworkRows:
    """Response groups, screened branch rows and balances of every period and snapshot.

    Parameters
    ----------
    site_max_mw : dict
        Largest draw of each site [MW facility].
    site_from : dict
        First period each site can be built.
    bus_cap_mw : dict, optional
        Largest total draw at a bus [MW] (e.g. the node headroom), below the sum of its
        sites' maxima.
    """
    groups, spare, premium, gnet, gbuses, rows, balances = [], {}, {}, {}, {}, {}, []
    shadowed: dict = {}
    net_of = buses["sub_network"].to_dict()
    site_net = {i: net_of[b] for i, b in site_bus.items()}
    for p, case in cases.items():
        live = sorted(i for i in site_bus if site_from[i] <= p and site_max_mw[i] > 0)
        r = _groups(case, buses)
        for s in case.snapshots:
            rs = r[r["snapshot"] == s]
            for net in sorted({site_net[i] for i in live}):
                sites = [i for i in live if site_net[i] == net]
                cols = _response_columns(rs, case.ptdf, s, p, net)
                for key, total, prem, members, _ in cols:
                    groups.append(key)
                    spare[key], premium[key], gnet[key], gbuses[key] = (total, prem, net,
                                                                        members)
                balances.append((net, s, p))
                kept, other = _branch_rows(case, s, p, sites, site_bus, site_max_mw,
                                           bus_cap_mw or {}, cols)
                rows.update(kept)
                shadowed.update(other)
    return NetworkRows(cases, dict(site_bus), groups, spare, premium, gnet, gbuses, rows,
                       balances, site_net, shadowed)


def _branch_rows(case: NetworkCase, s: str, p: int, sites: list[str], site_bus: dict,
                 site_max_mw: dict, bus_cap_mw: dict, cols: list) -> dict:
    """The rows of one snapshot and sub-network that can bind (module docstring), one per
    set of proportional coefficient vectors (parallel circuits, radial chains): the
    tightest."""
    site_buses = sorted({site_bus[i] for i in sites})
    cap_bus = np.array([min(sum(site_max_mw[i] for i in sites if site_bus[i] == b),
                            bus_cap_mw.get(b, np.inf)) for b in site_buses])
    a_bus = case.ptdf[site_buses].to_numpy()
    a_grp = np.column_stack([c[4] for c in cols]) if cols else np.zeros((len(a_bus), 0))
    cap_grp = np.array([c[1] for c in cols])
    names = [c[0][0] for c in cols]
    base = case.base_flow_mw[s].to_numpy()
    limit = case.limit_mw[s].to_numpy()
    col_of = {b: j for j, b in enumerate(site_buses)}
    best: dict = {}
    shadowed = []
    for k, br in enumerate(case.branches):
        vec = np.concatenate([a_bus[k], -a_grp[k]])
        top = float(np.abs(vec).max()) if len(vec) else 0.0
        if top == 0.0:
            continue
        up = max_change(a_grp[k], cap_grp, a_bus[k], cap_bus)
        down = max_change(-a_grp[k], cap_grp, -a_bus[k], cap_bus)
        for d, sign, reach in (("fwd", 1.0, up), ("rev", -1.0, down)):
            room = limit[k] - sign * base[k]
            if reach <= room + 1e-6:
                continue
            shape = tuple(np.round(sign * vec / top, 9))
            entry = (room / top, br, d, sign, k)
            if shape in best and best[shape][0] <= room / top:
                shadowed.append(entry)
                continue
            if shape in best:
                shadowed.append(best[shape])
            best[shape] = entry

    def row(br, d, sign, k):
        sc = {i: -sign * float(a_bus[k, col_of[site_bus[i]]]) for i in sites
              if a_bus[k, col_of[site_bus[i]]] != 0.0}
        gc = {g: sign * float(a_grp[k, j]) for j, g in enumerate(names) if a_grp[k, j] != 0.0}
        return (br, d, s, p), (sign * float(base[k]), float(limit[k]), sc, gc)

    return (dict(row(*e[1:]) for e in best.values()),
            dict(row(*e[1:]) for e in shadowed))


def add_network_flows(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Supply responses, branch-flow limits and the supply balance (module docstring)."""
    nr: NetworkRows = data.family_data["grid"]
    lk = data.lookup
    m.supply_response_mw = pyo.Var(nr.groups, domain=pyo.NonNegativeReals,
                                   bounds=lambda m, g, s, p: (0.0, nr.spare[(g, s, p)]),
                                   doc="[MW] extra output of a response group")
    draws = {(i, p): draw_terms(m, lk, [i], p) for i in nr.site_bus for p in data.periods}

    def flow_rule(m, br, d, s, p):
        const, limit, sc, gc = rows[(br, d, s, p)]
        coefs, xs = [], []
        for i, a in sc.items():
            c, v = draws[(i, p)]
            coefs += [a * x for x in c]
            xs += v
        coefs += list(gc.values())
        xs += [m.supply_response_mw[g, s, p] for g in gc]
        ac, av = added_capacity(m, "branch", br, p)
        coefs += [-c for c in ac]
        xs += av
        if not xs:
            return pyo.Constraint.Skip
        return (None, linear(coefs, xs, const), limit)

    reinforced = {k: v for k, v in nr.shadowed.items()
                  if added_capacity(m, "branch", k[0], k[3])[1]}
    rows = nr.rows | reinforced
    m.branch_flow_limit = pyo.Constraint(list(rows), rule=flow_rule)
    by_net: dict = {}
    for key in nr.groups:
        by_net.setdefault((nr.group_net[key], key[1], key[2]), []).append(key[0])

    def balance_rule(m, net, s, p):
        coefs, xs = [], []
        for i in (i for i in nr.site_bus if nr.site_net[i] == net):
            c, v = draws[(i, p)]
            coefs += list(c)
            xs += v
        groups = by_net.get((net, s, p), [])
        coefs += [-1.0] * len(groups)
        xs += [m.supply_response_mw[g, s, p] for g in groups]
        if not xs:
            return pyo.Constraint.Skip
        return (0.0, linear(coefs, xs), 0.0)

    m.network_supply_balance = pyo.Constraint(nr.balances, rule=balance_rule)


def response_cost(m, data: ModelData):
    """``sum hours x premium x r x 1e-9`` [bn KRW/yr] (module docstring), or None."""
    nr = data.family_data.get("grid")
    if not isinstance(nr, NetworkRows):
        return None
    hours = data.settings["grid"].response_hours
    per = {p: [k for k in nr.groups if k[2] == p and nr.premium[k] > 0] for p in data.periods}
    return lambda m, p: linear([hours * nr.premium[k] * 1e-9 for k in per[p]],
                               [m.supply_response_mw[k] for k in per[p]])


def branch_label(data: ModelData, idx: tuple) -> str:
    """``345 kV A - B (towards B), peak_2035`` for a ``branch_flow_limit`` row."""
    br, d, s, p = idx
    info = data.family_data["grid"].cases[p].branch_info.loc[br]
    if info["kind"] == "transformer":  # bus0 is the lower-voltage side
        low, high = str(info["voltage"]).split("/")
        return f"{info['name']} (towards the {high if d == 'fwd' else low} kV side), {s}"
    towards = info["station1"] if d == "fwd" else info["station0"]
    return f"{info['name']} (towards {towards}), {s}"


def balance_label(data: ModelData, idx: tuple) -> str:
    net, s, _ = idx
    return f"{net} network, {s}"


def network_tables(inputs, model) -> dict[str, pd.DataFrame]:
    """The seven network tables of the inputs; a missing one is an input error naming the
    model file's ``[data]`` key to add."""
    from ...errors import InputError, Problem
    from ...inputs.schema import NETWORK_TABLES

    missing = [t for t in NETWORK_TABLES if getattr(inputs, t, None) is None]
    if missing:
        where = str(model.path) if model.path is not None else "model file"
        raise InputError([Problem(where, "[constraints.grid] mode = \"network\" needs the "
                                  f"network tables, but [data] does not name {t}",
                                  f"add {t} = \"../data/{t}.csv\" to [data], or set mode = "
                                  "\"transport\"", column=t) for t in missing])
    return {t: getattr(inputs, t) for t in NETWORK_TABLES}

"""Hosting capacity: the largest new load each candidate bus takes alone, per period.

For a bus :math:`b` and a period, in every stress snapshot :math:`t` of the period:

.. math::

    \\max L \\quad \\text{s.t.} \\quad
    -\\bar F_{k,t} \\le F^0_{k,t} - PTDF_{k,b} \\, L + \\sum_j PTDF_{k,j} \\, r_{j,t}
    \\le \\bar F_{k,t} \\;\\; \\forall k, \\qquad
    \\sum_j r_{j,t} = L, \\qquad 0 \\le r_{j,t} \\le \\overline{r}_{j,t}

with :math:`PTDF_{k,j}` the flow change on branch :math:`k` per MW injected at bus
:math:`j` (the new load is an injection of :math:`-L`), :math:`F^0` the base flow [MW], :math:`\\bar F` the limit (``s_max_pu`` x rating,
[MW]) of branch :math:`k`, and :math:`r_{j,t}` the response [MW] of the units with spare
capacity :math:`\\overline{r}_{j,t}` at bus :math:`j` (summed per bus: the costs do not
matter when only the size of the load is maximised). Two response models: per bus, with
the HVDC links free to change their flow within their rating (the physical default); or
exactly as the network mode of the grid family models it (:func:`model_groups`: one
response per province and carrier, pro rata to its buses' spare capacity, links at their
base flows), which ``hosting.csv`` uses, so that a site alone at a bus fits the network
mode exactly up to the bus's hosting capacity. The load :math:`L` is the same in
every snapshot and the snapshots share nothing else, so the hosting capacity is the
smallest of the per-snapshot maxima; the *limiting snapshot* is the one that gives it, and
the *limiting line* the branch row with the largest dual there (the MW of hosting gained per
MW of that line's limit). When no line row binds, the spare supply limits the load.

Why here (the data stage) and not in ``siting/results``: the hosting capacity depends on the
network tables alone, never on a plan, and the network mode's node headroom is derived
from it (:func:`siting.model.network.headroom.node_headroom`), so it must exist before the model is built.

Solution method: row generation on the exact LP. Each snapshot's LP starts with the
balance row only; after each solve the flows of every branch are computed (one dense
matrix-vector product), the violated branch rows are added (at most
:data:`ROWS_PER_ROUND` per round, the worst first) and HiGHS re-solves from its basis. When
no row is violated by more than :data:`FLOW_TOL` the relaxation's optimum is feasible for
the full LP, hence optimal for it. Only a few lines bind, so the LPs stay tiny.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

FLOW_TOL = 1e-6
"""Largest violation of a branch limit [MW] accepted at the optimum."""
ROWS_PER_ROUND = 20
"""Branch rows added per round of row generation (the most violated first)."""
DUAL_TOL = 1e-9
"""A branch row whose dual is below this [MW/MW] does not limit the load."""
MAX_ROUNDS = 500
"""Rounds of row generation before giving up (never reached: each round adds a row)."""


@dataclass(frozen=True)
class SnapshotHosting:
    """The largest new load at one bus in one snapshot.

    Attributes
    ----------
    hosting_mw : float
        Largest new load [MW] (0 when the base case already overloads a branch that the
        responses cannot relieve).
    limiting_row : int
        Position of the limiting branch (row of the PTDF), or -1 when the spare supply
        limits the load.
    rows_used : int
        Branch rows the row generation needed (for the benchmark).
    """

    hosting_mw: float
    limiting_row: int
    rows_used: int


def max_new_load(ptdf_bus: np.ndarray, base_mw: np.ndarray, limit_mw: np.ndarray,
                 ptdf_resp: np.ndarray, spare_mw: np.ndarray,
                 lower_mw: np.ndarray | None = None, balance: np.ndarray | None = None,
                 load_balance: np.ndarray | None = None) -> SnapshotHosting:
    """Solve the hosting LP of one bus in one snapshot (see the module docstring).

    Parameters
    ----------
    ptdf_bus : numpy.ndarray, shape (K,)
        PTDF column of the bus [MW flow / MW injected]: flow change on each branch per MW
        injected at the bus (and withdrawn at the slack).
    base_mw : numpy.ndarray, shape (K,)
        Base flow of each branch in the snapshot [MW].
    limit_mw : numpy.ndarray, shape (K,)
        Flow limit of each branch in the snapshot [MW], > 0.
    ptdf_resp : numpy.ndarray, shape (K, J)
        Flow change on each branch per MW of each of the J responses: the PTDF column of
        a responder's bus; for an HVDC link's flow change (bus0 -> bus1) the column of
        bus1 less that of bus0.
    spare_mw : numpy.ndarray, shape (J,)
        Upper bound of each response [MW] (a responder's spare capacity).
    lower_mw : numpy.ndarray, shape (J,), optional
        Lower bound of each response [MW] (default 0; negative for a link's flow
        decrease).
    balance : numpy.ndarray, shape (S, J), optional
        MW each response adds to the supply of each of S AC sub-networks (1 for a
        responder in it; -1 at a link's bus0 side, +1 at its bus1 side). Default: one
        sub-network, every response 1.
    load_balance : numpy.ndarray, shape (S,), optional
        1 for the load's sub-network, else 0 (default ``[1]``).

    Returns
    -------
    SnapshotHosting
    """
    import highspy

    upper = np.asarray(spare_mw, dtype=float)
    n_r = len(upper)
    lower = np.zeros(n_r) if lower_mw is None else np.asarray(lower_mw, dtype=float)
    bal = np.ones((1, n_r)) if balance is None else np.asarray(balance, dtype=float)
    load_bal = np.ones(1) if load_balance is None else np.asarray(load_balance, float)
    # flow change per MW: a load L at the bus is an injection of -L
    col_l = -np.asarray(ptdf_bus, dtype=float)
    cols_r = np.asarray(ptdf_resp, dtype=float)
    base = np.asarray(base_mw, dtype=float)
    limit = np.asarray(limit_mw, dtype=float)
    from ..solve import new_highs

    h = new_highs(1)  # HiGHS's scheduler is global: the next solve resets it to its count
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.addVars(n_r + 1, np.r_[lower, 0.0], np.r_[upper, highspy.kHighsInf])
    h.changeColCost(n_r, -1.0)  # maximise L
    for row, coef_l in zip(bal, load_bal):
        coef = np.r_[row, -coef_l]
        nz = np.flatnonzero(coef)
        h.addRow(0.0, 0.0, len(nz), nz.astype(np.int32), coef[nz])
    n_bal = len(bal)
    rows: list[int] = []
    for _ in range(MAX_ROUNDS):
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return _overloaded(rows, base, limit)
        x = np.asarray(h.getSolution().col_value)
        flow = base + col_l * x[n_r] + cols_r @ x[:n_r]
        excess = np.abs(flow) - limit
        bad = np.flatnonzero(excess > FLOW_TOL)
        if not len(bad):
            break
        bad = bad[np.argsort(-excess[bad], kind="stable")][:ROWS_PER_ROUND]
        for k in bad:
            coef = np.r_[cols_r[k], col_l[k]]
            nz = np.flatnonzero(coef)
            h.addRow(-limit[k] - base[k], limit[k] - base[k], len(nz), nz.astype(np.int32),
                     coef[nz])
            rows.append(int(k))
    duals = np.abs(np.asarray(h.getSolution().row_dual)[n_bal:])
    limiting = rows[int(np.argmax(duals))] if len(rows) and duals.max() > DUAL_TOL else -1
    return SnapshotHosting(max(0.0, float(x[n_r])), limiting, len(rows))


def _overloaded(rows: list[int], base: np.ndarray, limit: np.ndarray) -> SnapshotHosting:
    """No load fits: the base case overloads a branch no response can relieve; the
    limiting row is the most overloaded of the rows added."""
    over = np.abs(base[rows]) - limit[rows] if rows else np.zeros(0)
    worst = rows[int(np.argmax(over))] if rows else -1
    return SnapshotHosting(0.0, worst, len(rows))


HOSTING_COLUMNS = ["bus", "period", "hosting_mw", "snapshot", "limiting_branch",
                   "limiting_line", "limiting_flow_mw", "limiting_limit_mw"]
"""Columns of :func:`hosting_capacity` (the limiting branch's base flow and limit are those
of the limiting snapshot; empty branch and ``spare supply`` when no line binds)."""
SPARE_SUPPLY = "spare supply and HVDC links"
"""``limiting_line`` when no AC line limits: the responders' spare capacity (or, on an
island, the HVDC links' rating) does."""


@dataclass(frozen=True)
class _SnapshotLP:
    """The parts of one snapshot's hosting LP shared by every bus."""

    base: np.ndarray
    limit: np.ndarray
    cols: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    balance: np.ndarray
    nets: list[str]


def _snapshot_lp(case, snapshot: str, ptdf: np.ndarray, col_of: dict[str, int]
                 ) -> _SnapshotLP:
    """Responses of one snapshot: spare capacity per bus (all carriers), and the flow
    change of every HVDC link within ``[-p_nom, p_nom]`` less its base flow."""
    nets = sorted(set(case.sub_network.values()))
    row_of = {n: i for i, n in enumerate(nets)}
    r = case.responders[case.responders["snapshot"] == snapshot]
    spare = r.groupby("bus", sort=True)["spare_up_mw"].sum()
    spare = spare[spare > 0]
    cols = [ptdf[:, col_of[b]] for b in spare.index]
    lower, upper = [0.0] * len(spare), list(spare.to_numpy(float))
    balance = np.zeros((len(nets), len(spare) + len(case.links)))
    for j, b in enumerate(spare.index):
        balance[row_of[case.sub_network[b]], j] = 1.0
    for j, (_, lk) in enumerate(case.links.sort_index().iterrows(), start=len(spare)):
        cols.append(ptdf[:, col_of[lk["bus1"]]] - ptdf[:, col_of[lk["bus0"]]])
        p_nom, base = float(lk["p_nom_mw"]), float(lk.get(f"base_{snapshot}", 0.0))
        lower.append(-p_nom - base)
        upper.append(p_nom - base)
        balance[row_of[case.sub_network[lk["bus0"]]], j] -= 1.0
        balance[row_of[case.sub_network[lk["bus1"]]], j] += 1.0
    k = len(case.branches)
    return _SnapshotLP(base=case.base_flow_mw[snapshot].to_numpy(float),
                       limit=case.limit_mw[snapshot].to_numpy(float),
                       cols=np.column_stack(cols) if cols else np.zeros((k, 0)),
                       lower=np.asarray(lower), upper=np.asarray(upper), balance=balance,
                       nets=nets)


def _group_lp(case, snapshot: str, ptdf: np.ndarray, col_of: dict[str, int],
              groups: list[tuple[str, float, list[tuple[str, float]]]]) -> _SnapshotLP:
    """Responses of one snapshot as the network mode models them: response groups
    ``(sub_network, spare_mw, [(bus, share), ...])`` answering pro rata to ``share``
    (PTDF column = the share-weighted mean of their buses'), HVDC links at their base
    flows."""
    nets = sorted(set(case.sub_network.values()))
    row_of = {n: i for i, n in enumerate(nets)}
    cols, upper = [], []
    balance = np.zeros((len(nets), len(groups)))
    for j, (net, spare, shares) in enumerate(groups):
        cols.append(sum(w * ptdf[:, col_of[b]] for b, w in shares))
        upper.append(float(spare))
        balance[row_of[net], j] = 1.0
    k = len(case.branches)
    return _SnapshotLP(base=case.base_flow_mw[snapshot].to_numpy(float),
                       limit=case.limit_mw[snapshot].to_numpy(float),
                       cols=np.column_stack(cols) if cols else np.zeros((k, 0)),
                       lower=np.zeros(len(groups)), upper=np.asarray(upper),
                       balance=balance, nets=nets)


def hosting_capacity(case, buses, groups: dict | None = None) -> pd.DataFrame:
    """Hosting capacity of each bus in one period (the LP of the module docstring).

    Parameters
    ----------
    case : siting.model.network.NetworkCase
        The period's network (base flows, limits, PTDF, responders, HVDC links).
    buses : iterable of str
        Candidate buses (e.g. the buses of the candidate sites, :func:`~.site_bus`).
    groups : dict, optional
        ``snapshot -> [(sub_network, spare_mw, [(bus, share), ...]), ...]``: the supply
        response as the network mode models it (:func:`model_groups`), HVDC links at
        their base flows. Default: every bus's spare capacity answers freely and the
        HVDC links may change their flow within their rating.

    Returns
    -------
    pandas.DataFrame
        One row per bus (sorted), columns :data:`HOSTING_COLUMNS`: ``hosting_mw`` [MW] is
        the smallest over the period's snapshots, ``snapshot`` the one giving it (the
        first in id order on a tie).
    """
    ptdf = case.ptdf.loc[case.branches].to_numpy(float)
    col_of = {b: i for i, b in enumerate(case.ptdf.columns)}
    lps = {s: (_snapshot_lp(case, s, ptdf, col_of) if groups is None else
               _group_lp(case, s, ptdf, col_of, groups.get(s, [])))
           for s in sorted(case.snapshots)}
    names = case.branch_info["name"]
    rows = []
    for bus in sorted(set(buses)):
        best = None
        for s, lp in lps.items():
            load_bal = np.array([float(n == case.sub_network[bus]) for n in lp.nets])
            got = max_new_load(ptdf[:, col_of[bus]], lp.base, lp.limit, lp.cols, lp.upper,
                               lp.lower, lp.balance, load_bal)
            if best is None or got.hosting_mw < best[1].hosting_mw - FLOW_TOL:
                best = (s, got)
        s, got = best
        k = got.limiting_row
        br = case.branches[k] if k >= 0 else ""
        rows.append({"bus": bus, "period": int(case.period),
                     "hosting_mw": max(0.0, got.hosting_mw),
                     "snapshot": s, "limiting_branch": br,
                     "limiting_line": names[br] if br else SPARE_SUPPLY,
                     "limiting_flow_mw": float(lps[s].base[k]) if br else np.nan,
                     "limiting_limit_mw": float(lps[s].limit[k]) if br else np.nan})
    return pd.DataFrame(rows, columns=HOSTING_COLUMNS)


def model_groups(rows, period: int) -> dict:
    """The network mode's response groups of one period (``groups`` of
    :func:`hosting_capacity`) from its compiled rows
    (:class:`~siting.model.constraints.grid_network.NetworkRows`)."""
    out: dict = {}
    for key in rows.groups:
        _, s, p = key
        if p == period:
            out.setdefault(s, []).append((rows.group_net[key], rows.spare[key],
                                          rows.group_buses[key]))
    return out


TABLE_COLUMNS = ["bus", "station", "province_id", "voltage_kv", "lon", "lat", "period",
                 "hosting_mw", "snapshot", "limiting_line", "limiting_branch",
                 "limiting_flow_mw", "limiting_limit_mw", "sites"]
"""Columns of ``hosting.csv`` (:func:`hosting_table`)."""


def hosting_table(cases, buses: pd.DataFrame, site_bus: dict[str, str], rows=None
                  ) -> pd.DataFrame:
    """Hosting capacity of every candidate bus in every period, as written to
    ``hosting.csv``.

    Parameters
    ----------
    cases : dict of int to NetworkCase
        The network of each period (:func:`~siting.model.network.network_cases`).
    buses : pandas.DataFrame
        ``network_buses`` indexed by bus id (``name``, ``station_id``, ``province_id``,
        ``voltage_kv``).
    site_bus : dict of str to str
        Bus of each candidate site (:func:`~siting.model.network.site_bus`); the
        candidate buses are its values.
    rows : NetworkRows, optional
        The network mode's compiled rows: the supply response is then modelled as the
        network mode does (:func:`model_groups`); default: per bus, links flexible.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TABLE_COLUMNS`, sorted by bus and period: the station (its name,
        or ``<province> <station_id>``), province, kV and position [degree] of the bus,
        the hosting capacity [MW] with its limiting snapshot and line
        (:func:`hosting_capacity`), the line's base flow and limit in that snapshot [MW],
        and the candidate sites at the bus (``;``-separated).
    """
    from .case import bus_labels

    cand = sorted(set(site_bus.values()))
    out = pd.concat([hosting_capacity(cases[p], cand, None if rows is None else
                                      model_groups(rows, p)) for p in sorted(cases)],
                    ignore_index=True)
    at_bus: dict[str, list[str]] = {}
    for s, b in sorted(site_bus.items()):
        at_bus.setdefault(b, []).append(s)
    out["station"] = out["bus"].map(bus_labels(buses))
    out["province_id"] = out["bus"].map(buses["province_id"])
    out["voltage_kv"] = out["bus"].map(buses["voltage_kv"]).astype(float)
    for col in ("lon", "lat"):
        out[col] = out["bus"].map(buses[col]).astype(float)
    out["sites"] = out["bus"].map(lambda b: ";".join(at_bus.get(b, [])))
    return out.sort_values(["bus", "period"], kind="stable")[TABLE_COLUMNS].reset_index(
        drop=True)


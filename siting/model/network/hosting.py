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
matter when only the size of the load is maximised). The load :math:`L` is the same in
every snapshot and the snapshots share nothing else, so the hosting capacity is the
smallest of the per-snapshot maxima; the *limiting snapshot* is the one that gives it, and
the *limiting line* the branch row with the largest dual there (the MW of hosting gained per
MW of that line's limit). When no line row binds, the spare supply limits the load.

Why here (the data stage) and not in ``siting/results``: the hosting capacity depends on the
network tables alone, never on a plan, and the network mode's node headroom is derived
from it (see :func:`node_headroom`), so it must exist before the model is built.

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
                 ptdf_resp: np.ndarray, spare_mw: np.ndarray) -> SnapshotHosting:
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
        PTDF columns of the J responder buses.
    spare_mw : numpy.ndarray, shape (J,)
        Spare capacity at each responder bus [MW], >= 0.

    Returns
    -------
    SnapshotHosting
    """
    import highspy

    spare = np.asarray(spare_mw, dtype=float)
    # flow change per MW: a load L at the bus is an injection of -L
    col_l = -np.asarray(ptdf_bus, dtype=float)
    cols_r = np.asarray(ptdf_resp, dtype=float)
    base = np.asarray(base_mw, dtype=float)
    limit = np.asarray(limit_mw, dtype=float)
    n_r = len(spare)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    inf = highspy.kHighsInf
    h.addVars(n_r + 1, np.zeros(n_r + 1), np.r_[spare, inf])
    h.changeColCost(n_r, -1.0)  # maximise L
    idx = np.arange(n_r + 1, dtype=np.int32)
    h.addRow(0.0, 0.0, n_r + 1, idx, np.r_[np.ones(n_r), -1.0])
    rows: list[int] = []
    for _ in range(MAX_ROUNDS):
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return _overloaded(h, rows, base, limit)
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
    duals = np.abs(np.asarray(h.getSolution().row_dual)[1:])
    limiting = rows[int(np.argmax(duals))] if len(rows) and duals.max() > DUAL_TOL else -1
    return SnapshotHosting(float(x[n_r]), limiting, len(rows))


def _overloaded(h, rows: list[int], base: np.ndarray, limit: np.ndarray) -> SnapshotHosting:
    """No load fits: the base case overloads a branch no response can relieve; the
    limiting row is the most overloaded of the rows added."""
    over = np.abs(base[rows]) - limit[rows] if rows else np.zeros(0)
    worst = rows[int(np.argmax(over))] if rows else -1
    return SnapshotHosting(0.0, worst, len(rows))

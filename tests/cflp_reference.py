"""Two independent solution paths for capacitated facility location, used to check the
core model: the same MILP written directly with highspy (no Pyomo, no siting code), and
brute force over open sets with an LP per set (scipy). ``bench/cflp_direct.py`` times the
highspy path as the floor for the core model."""

from __future__ import annotations

import itertools

import highspy
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csc_matrix, hstack, identity, kron, vstack


def _cflp_matrices(cap, fixed, demand, unit, cover: bool):
    """Variables: y (m) then x (n*m, row-major by customer); returns c, A, lo, hi.

    Rows: demand ``sum_i x_ji = d_j``; capacity ``sum_j x_ji <= cap_i y_i``; strong
    linking ``x_ji <= d_j y_i``; with ``cover`` also ``sum_i cap_i y_i >= sum_j d_j``.
    """
    m, n = len(cap), len(demand)
    c = np.concatenate([fixed, unit.ravel()])
    a_dem = hstack([csc_matrix((n, m)), kron(identity(n), np.ones((1, m)))])
    a_cap = hstack([-csc_matrix(np.diag(cap)), kron(np.ones((1, n)), identity(m))])
    a_link = hstack([-kron(csc_matrix(demand[:, None]), identity(m)), identity(n * m)])
    blocks = [a_dem, a_cap, a_link]
    lo = [demand, np.full(m + n * m, -np.inf)]
    hi = [demand, np.zeros(m + n * m)]
    if cover:
        blocks.append(csc_matrix(np.concatenate([cap, np.zeros(n * m)])[None, :]))
        lo.append([demand.sum()])
        hi.append([np.inf])
    return c, vstack(blocks).tocsc(), np.concatenate(lo), np.concatenate(hi)


def direct_highs(cap, fixed, demand, alloc, cover: bool = False) -> highspy.Highs:
    """The CFLP passed to a new ``highspy.Highs`` (not yet solved, output off)."""
    unit = alloc / demand[:, None]
    m, n = len(cap), len(demand)
    c, a, lo, hi = _cflp_matrices(cap, fixed, demand, unit, cover)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = m + n * m, a.shape[0]
    lp.col_cost_ = c
    lp.col_lower_ = np.zeros(m + n * m)
    lp.col_upper_ = np.concatenate([np.ones(m), np.full(n * m, np.inf)])
    lp.row_lower_, lp.row_upper_ = lo, hi
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    lp.integrality_ = [highspy.HighsVarType.kInteger] * m + \
        [highspy.HighsVarType.kContinuous] * (n * m)
    h.passModel(lp)
    return h


def solve_with_highspy(cap, fixed, demand, alloc, gap=1e-9):
    """The CFLP written directly in highspy; returns the optimal objective."""
    h = direct_highs(cap, fixed, demand, alloc)
    h.setOptionValue("mip_rel_gap", gap)
    h.setOptionValue("threads", 1)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return h.getInfo().objective_function_value


def solve_by_brute_force(cap, fixed, demand, alloc):
    """Enumerate every set of open warehouses; an LP assigns demand within capacity."""
    unit = alloc / demand[:, None]
    m, n = len(cap), len(demand)
    best = np.inf
    for open_set in itertools.product([0, 1], repeat=m):
        y = np.array(open_set, dtype=float)
        if cap @ y < demand.sum() - 1e-9:
            continue
        a_eq = np.kron(np.eye(n), np.ones((1, m)))
        a_ub = np.kron(np.ones((1, n)), np.eye(m))
        res = linprog(unit.ravel(), A_ub=a_ub, b_ub=cap * y, A_eq=a_eq, b_eq=demand,
                      bounds=(0, None), method="highs-ds")
        if res.status == 0:
            best = min(best, fixed @ y + res.fun)
    return best

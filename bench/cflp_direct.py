"""Capacitated facility location written directly in highspy: the floor for the core model.

The same strong formulation as the core model's service family (and as
``tests/cflp_reference.py``): open ``y_i`` (binary), flows ``x_ji`` (continuous);
demand rows ``sum_i x_ji = d_j``, capacity rows ``sum_j x_ji <= cap_i y_i`` and linking
rows ``x_ji <= d_j y_i``, and the capacity cover row ``sum_i cap_i y_i >= sum_j d_j``
(the core model's ``service_capacity_cover``); cost ``sum f_i y_i + sum c_ji x_ji`` with
unit costs ``c``.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.sparse import csc_matrix, hstack, identity, kron, vstack


def solve_direct(inst, gap: float, time_limit_s: float, threads: int) -> dict:
    """Build the matrices, pass them to HiGHS and solve.

    Returns
    -------
    dict
        ``build_s`` (matrices + passModel), ``highs_s``, ``total_s``, ``objective``,
        ``gap``, ``status``.
    """
    import highspy

    t = time.perf_counter()
    cap, fixed, demand = inst.capacity, inst.fixed_cost, inst.demand
    unit = inst.unit_cost
    m, n = len(cap), len(demand)
    cost = np.concatenate([fixed, unit.ravel()])
    a_dem = hstack([csc_matrix((n, m)), kron(identity(n), np.ones((1, m)))])
    a_cap = hstack([-csc_matrix(np.diag(cap)), kron(np.ones((1, n)), identity(m))])
    a_link = hstack([-kron(csc_matrix(demand[:, None]), identity(m)), identity(n * m)])
    a_cover = csc_matrix(np.concatenate([cap, np.zeros(n * m)])[None, :])
    a = vstack([a_dem, a_cap, a_link, a_cover]).tocsc()
    lo = np.concatenate([demand, np.full(m + n * m, -np.inf), [demand.sum()]])
    hi = np.concatenate([demand, np.zeros(m + n * m), [np.inf]])
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = m + n * m, a.shape[0]
    lp.col_cost_ = cost
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
    build = time.perf_counter() - t
    for key, value in {"mip_rel_gap": gap, "time_limit": float(time_limit_s),
                       "threads": threads, "random_seed": 0}.items():
        h.setOptionValue(key, value)
    t = time.perf_counter()
    h.run()
    run = time.perf_counter() - t
    info = h.getInfo()
    obj, bound = float(info.objective_function_value), float(info.mip_dual_bound)
    return {"build_s": build, "highs_s": run, "total_s": build + run, "objective": obj,
            "gap": abs(obj - bound) / max(abs(obj), 1e-10),
            "status": h.modelStatusToString(h.getModelStatus())}

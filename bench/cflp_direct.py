"""Capacitated facility location written directly in highspy: the floor for the core model.

The formulation is the independent reference of the tests (``tests/cflp_reference.py``,
``direct_highs``) with the capacity cover row that the core model's service family also
has (``service_capacity_cover``), so both hand HiGHS the same strong formulation.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from cflp_reference import direct_highs

from siting.model.solve import relative_gap


def solve_direct(inst, options: dict) -> dict:
    """Build the matrices, pass them to HiGHS and solve.

    Returns
    -------
    dict
        ``build_s`` (matrices + passModel), ``highs_s``, ``total_s``, ``objective``,
        ``gap``, ``status``.
    """
    t = time.perf_counter()
    h = direct_highs(inst.capacity, inst.fixed_cost, inst.demand, inst.allocation_cost,
                     cover=True)
    build = time.perf_counter() - t
    out = run_highs(h, options)
    return {"build_s": build, **out, "total_s": build + out["highs_s"]}


def run_highs(h, options: dict) -> dict:
    """Solve a loaded ``highspy.Highs`` with HiGHS options (``siting.model.solve.highs_options``
    of the same solver settings as the core model's, so both runs get the same options).

    Returns ``highs_s``, ``objective``, ``bound``, ``gap`` and ``status``.
    """
    for key, value in options.items():
        h.setOptionValue(key, value)
    t = time.perf_counter()
    h.run()
    run = time.perf_counter() - t
    info = h.getInfo()
    obj, bound = float(info.objective_function_value), float(info.mip_dual_bound)
    return {"highs_s": run, "objective": obj, "bound": bound,
            "gap": relative_gap(obj, bound),
            "status": h.modelStatusToString(h.getModelStatus())}

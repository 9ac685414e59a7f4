"""Marginal values of the rows: duals of the LP with the integer decisions fixed.

After a MIP solve, every integer decision is fixed at its value in the plan and the
remaining LP (flows, renewable procurement, national totals) is solved again with HiGHS.
The dual of a row in that LP is the change of the objective [bn KRW, present value] per
unit more of the row's bound, the plan's integer decisions held: negative for an upper
limit (more headroom, spare supply or potential saves that much), positive for a lower
limit (a higher requirement costs that much), zero where the limit does not bind the LP.
A row whose every variable is integer is a constant once they are fixed and has no dual.
"""

from __future__ import annotations

import highspy
import pyomo.environ as pyo
from pyomo.common.errors import InfeasibleConstraintException

from ..inputs.model_file import Solver
from .solve import make_solver


def fixed_integer_duals(m: pyo.ConcreteModel, options: Solver) -> dict:
    """Duals of the rows of ``m`` (with its solution loaded) in the LP with its integer
    variables fixed at their rounded values.

    Returns
    -------
    dict
        Constraint data -> dual [bn KRW per unit of the row]; empty if the LP did not
        solve to optimality. The model's variables are left as they were.
    """
    free = [v for v in m.component_data_objects(pyo.Var, active=True)
            if v.is_integer() and not v.fixed and v.value is not None]
    values = [v.value for v in free]
    for v in free:
        v.fix(round(v.value))
    try:
        hm = make_solver(options).to_highs(m)
        h = hm.highs
        h.run()
        if hm.is_mip or h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return {}
        duals: dict = {}
        for row, y in zip(hm.rows, h.getSolution().row_dual):
            duals[row.constraint] = duals.get(row.constraint, 0.0) + float(y)
        return duals
    except InfeasibleConstraintException:  # a row broken by rounding: no marginal values
        return {}
    finally:
        for v, val in zip(free, values):
            v.unfix()
            v.set_value(val, skip_validation=True)

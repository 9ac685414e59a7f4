"""Stage 3: solve the model with HiGHS through Pyomo's persistent ``highs`` interface."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import pyomo.environ as pyo
from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs

from .config import Solver


@dataclass(frozen=True)
class SolveReport:
    """What the solver did.

    Attributes
    ----------
    status : str
        ``optimal`` (proven within the requested gap); ``time_limit`` or ``stopped``
        (time, iteration or solution limit reached with a feasible plan, not proven
        optimal: see ``mip_gap``); ``time_limit_no_solution`` or ``stopped_no_solution``;
        ``infeasible``; ``infeasible_or_unbounded``; ``error``.
    termination : str
        Pyomo's termination condition.
    objective : float
        Objective of the loaded solution [bn KRW], NaN if none.
    bound : float
        Best bound [bn KRW], NaN if unknown.
    mip_gap : float
        Relative gap between objective and bound [-], NaN if unknown.
    seconds : float
        Wall-clock solve time [s].
    solver : str
        Solver name and version.
    """

    status: str
    termination: str
    objective: float
    bound: float
    mip_gap: float
    seconds: float
    solver: str

    @property
    def has_solution(self) -> bool:
        return self.status in ("optimal", "time_limit", "stopped")


_threads_in_use: list[int] = []


def _use_threads(threads: int) -> None:
    """HiGHS keeps one global thread scheduler per process and refuses a solve that asks
    for a different thread count; reset it when the count changes."""
    if _threads_in_use and _threads_in_use[-1] != threads:
        import highspy

        highspy.Highs.resetGlobalScheduler(True)
    _threads_in_use[:] = [threads]


def make_solver(options: Solver) -> Highs:
    """A configured persistent HiGHS interface (reusable across re-solves)."""
    _use_threads(options.threads)
    opt = Highs()
    cfg = opt.config
    cfg.rel_gap = options.mip_rel_gap
    cfg.time_limit = options.time_limit_s
    cfg.threads = options.threads
    cfg.load_solutions = False
    cfg.raise_exception_on_nonoptimal_result = False
    cfg.solver_options = {"random_seed": options.random_seed, "output_flag": False,
                          **options.options}
    return opt


def solve_model(m: pyo.ConcreteModel, options: Solver, solver: Highs | None = None
                ) -> SolveReport:
    """Solve and load the solution into the model's variables (when there is one).

    Parameters
    ----------
    m : pyomo.environ.ConcreteModel
        A model from :func:`siting.build.build_model`.
    options : Solver
        Solver section of the model file.
    solver : Highs, optional
        A persistent solver to reuse (keeps the HiGHS model between re-solves).
    """
    opt = solver or make_solver(options)
    if not opt.available():
        raise RuntimeError("HiGHS is not available: install the 'highspy' package")
    start = time.perf_counter()
    res = opt.solve(m)
    seconds = time.perf_counter() - start
    tc, ss = res.termination_condition, res.solution_status
    has_sol = ss in (SolutionStatus.optimal, SolutionStatus.feasible)
    if has_sol:
        res.solution_loader.load_vars()
    obj = float(res.incumbent_objective) if has_sol and res.incumbent_objective is not None \
        else math.nan
    bound = float(res.objective_bound) if res.objective_bound is not None else math.nan
    if math.isfinite(obj) and math.isfinite(bound):
        gap = abs(obj - bound) / max(abs(obj), 1e-10)
    else:
        gap = math.nan
    status = _status(tc, has_sol)
    return SolveReport(status=status, termination=tc.name, objective=obj, bound=bound,
                       mip_gap=gap, seconds=seconds,
                       solver=f"HiGHS {'.'.join(map(str, opt.version()))}")


def _status(tc: TerminationCondition, has_sol: bool) -> str:
    if tc == TerminationCondition.convergenceCriteriaSatisfied and has_sol:
        return "optimal"
    if tc == TerminationCondition.maxTimeLimit:
        return "time_limit" if has_sol else "time_limit_no_solution"
    if tc in (TerminationCondition.iterationLimit, TerminationCondition.objectiveLimit,
              TerminationCondition.interrupted):
        return "stopped" if has_sol else "stopped_no_solution"
    if tc in (TerminationCondition.provenInfeasible, TerminationCondition.locallyInfeasible):
        return "infeasible"
    if tc in (TerminationCondition.unbounded, TerminationCondition.infeasibleOrUnbounded):
        return "infeasible_or_unbounded"
    return "error"

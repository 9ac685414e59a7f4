"""Stage 3: solve the model with HiGHS.

The Pyomo model is compiled to matrices by Pyomo's own
:class:`~pyomo.repn.plugins.standard_form.LinearStandardFormCompiler` (one walk over the
constraints, fixed variables folded into the right-hand sides, mutable Params evaluated) and
passed to a fresh ``highspy.Highs`` in one call; the solution is written back into the Pyomo
variables. Measured on the 1,000-site benchmark instance this hand-over takes about a quarter of
the time of Pyomo's persistent ``highs`` interface, which walks every constraint twice to track
changes (``bench/RESULTS.md``). A re-solve after changing mutable Params compiles the model
again: that costs a fraction of a second where a rebuild costs the build too, and a fresh HiGHS
per solve keeps results independent of what was solved before (a persistent HiGHS broke ties
differently depending on the previous scenario).
"""

from __future__ import annotations

import importlib.metadata
import math
import signal
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.errors import InfeasibleConstraintException
from pyomo.common.tee import capture_output
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from ..errors import InputError, Problem
from ..inputs.model_file import Solver


@dataclass(frozen=True)
class SolveReport:
    """What the solver did.

    Attributes
    ----------
    status : str
        ``optimal`` (proven within the requested gap); ``time_limit`` or ``stopped``
        (time, iteration or solution limit reached with a feasible plan, not proven
        optimal: see ``mip_gap``); ``time_limit_no_solution`` or ``stopped_no_solution``;
        ``interrupted`` (stopped by Ctrl-C / SIGINT with a feasible plan, kept on request:
        see :func:`solve_model`); ``infeasible``; ``infeasible_or_unbounded``; ``error``.
    termination : str
        HiGHS's model status in words (or why no solve was attempted).
    objective : float
        Objective of the loaded solution [bn KRW], NaN if none; without ``tie_break``.
    bound : float
        Best bound [bn KRW], NaN if unknown; without ``tie_break``.
    mip_gap : float
        Relative gap between objective and bound [-], NaN if unknown.
    seconds : float
        Wall-clock time of the whole stage [s].
    solver : str
        Solver name and version.
    stage_seconds : dict
        ``to_highs`` (compile and pass the matrices), ``highs`` (HiGHS's run) and
        ``load_solution`` (write the solution into the Pyomo variables) [s].
    highs_sizes : dict
        ``columns``, ``rows`` and ``nonzeros`` of the matrix HiGHS received (fixed
        variables and rows without free variables are not sent).
    log : str
        HiGHS's log of the run (what it prints with ``output_flag``), written to the run
        folder as ``solver.log``; empty when HiGHS did not run.
    """

    status: str
    termination: str
    objective: float
    bound: float
    mip_gap: float
    seconds: float
    solver: str
    stage_seconds: dict = field(default_factory=dict, compare=False)
    highs_sizes: dict = field(default_factory=dict)
    log: str = field(default="", compare=False, repr=False)

    @property
    def has_solution(self) -> bool:
        return self.status in ("optimal", "time_limit", "stopped", "interrupted")


class SolveInterrupted(KeyboardInterrupt):
    """Ctrl-C (SIGINT) stopped HiGHS and no plan is to be kept.

    Attributes
    ----------
    report : SolveReport
        What HiGHS had reached when it stopped (``has_solution`` says whether it had a plan).
    """

    def __init__(self, report: SolveReport):
        super().__init__("interrupted")
        self.report = report


_HIGHS_VERSION = importlib.metadata.version("highspy")
_threads_in_use: list[int] = []


def new_highs(threads: int) -> highspy.Highs:
    """A HiGHS instance, its first-use banner kept off the console; HiGHS's one global thread
    scheduler (it refuses a solve asking for another count) is reset when ``threads`` changes."""
    if _threads_in_use and _threads_in_use[-1] != threads:
        highspy.Highs.resetGlobalScheduler(True)
    _threads_in_use[:] = [threads]
    with capture_output(capture_fd=True):
        return highspy.Highs()


_STOPPED = {highspy.HighsModelStatus.kIterationLimit, highspy.HighsModelStatus.kSolutionLimit,
            highspy.HighsModelStatus.kInterrupt, highspy.HighsModelStatus.kObjectiveBound,
            highspy.HighsModelStatus.kObjectiveTarget, highspy.HighsModelStatus.kMemoryLimit,
            highspy.HighsModelStatus.kHighsInterrupt}


@dataclass
class HighsModel:
    """The model as HiGHS received it.

    Attributes
    ----------
    highs : highspy.Highs
        The solver object (sizes, ``writeModel`` for an MPS export, ``getInfo``).
    columns : list
        Pyomo variables in HiGHS column order (fixed and unused variables are not sent).
    offset : float
        Objective constant (fixed variables' costs included) [bn KRW].
    is_mip : bool
        Whether any column is integer (then HiGHS reports a MIP bound).
    rows : list
        Pyomo's row entries in HiGHS row order (``.constraint``, ``.bound_type``).
    """

    highs: highspy.Highs
    columns: list
    offset: float
    is_mip: bool
    rows: list = field(default_factory=list)


class HighsSolver:
    """HiGHS with the model file's options; each :meth:`solve` passes the model afresh.

    Parameters
    ----------
    options : Solver
        Solver section of the model file.
    """

    def __init__(self, options: Solver):
        self.options = options
        self.last: HighsModel | None = None

    def _new_highs(self) -> highspy.Highs:
        h = new_highs(self.options.threads)
        # the log goes to the logging callback (SolveReport.log), not to the console
        logged = {"output_flag": True, "log_to_console": False}
        for name, val in {**highs_options(self.options), **logged,
                          **self.options.options}.items():
            if h.setOptionValue(name, val) != highspy.HighsStatus.kOk:
                raise InputError([Problem(
                    "model file", "HiGHS does not accept this option or value",
                    "use an option name and type from the HiGHS documentation "
                    "(https://ergo-code.github.io/HiGHS/stable/options/definitions/)",
                    column=f"solver.options.{name}", value=val)])
        return h

    def to_highs(self, m: pyo.ConcreteModel) -> HighsModel:
        """Compile ``m`` and pass it to a new HiGHS.

        Raises
        ------
        pyomo.common.errors.InfeasibleConstraintException
            A constraint has no free variable left and cannot hold.
        """
        info = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=None)
        if len(info.objectives) > 1:
            names = ", ".join(o.name for o in info.objectives)
            raise ValueError(f"the model has {len(info.objectives)} active objectives "
                             f"({names}); deactivate all but one before solving")
        cols = info.columns
        n, k = len(cols), len(info.rows)
        lower = np.empty(n)
        upper = np.empty(n)
        integer = np.zeros(n, dtype=bool)
        for j, v in enumerate(cols):
            lb, ub = v.bounds
            lower[j] = -highspy.kHighsInf if lb is None else lb
            upper[j] = highspy.kHighsInf if ub is None else ub
            integer[j] = v.is_integer()
        kind = np.fromiter((r.bound_type for r in info.rows), np.int8, k)
        rhs = np.asarray(info.rhs, dtype=float).reshape(k)
        sense = 1.0
        if info.objectives:
            sense = 1.0 if info.objectives[0].sense == pyo.minimize else -1.0
        cost = info.c.toarray()[0] if info.c.shape[0] else np.zeros(n)
        offset = float(info.c_offset[0]) if len(info.c_offset) else 0.0

        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, k
        lp.sense_ = highspy.ObjSense.kMinimize if sense > 0 else highspy.ObjSense.kMaximize
        lp.offset_ = offset
        lp.col_cost_ = cost
        lp.col_lower_, lp.col_upper_ = lower, upper
        lp.row_lower_ = np.where(kind <= 0, rhs, -highspy.kHighsInf)
        lp.row_upper_ = np.where(kind >= 0, rhs, highspy.kHighsInf)
        a = info.A.tocsc()
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, k
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = \
            a.indptr, a.indices, a.data
        if integer.any():
            lp.integrality_ = [highspy.HighsVarType.kInteger if i else
                               highspy.HighsVarType.kContinuous for i in integer]
        h = self._new_highs()
        if h.passModel(lp) == highspy.HighsStatus.kError:
            raise RuntimeError(f"HiGHS rejected the compiled model of {m.name!r}")
        return HighsModel(h, cols, offset, bool(integer.any()), list(info.rows))

    def solve(self, m: pyo.ConcreteModel, on_interrupt: str = "discard",
              on_plan: Callable[[float], None] | None = None) -> SolveReport:
        """Solve and load the solution into the model's variables (when there is one).

        Parameters
        ----------
        m : pyomo.environ.ConcreteModel
        on_interrupt : {"discard", "keep"}
            What Ctrl-C (SIGINT, in the main thread) during HiGHS's run does: HiGHS stops
            at its next check (well under a second on the benchmark instances) and
            ``"discard"`` raises :class:`SolveInterrupted`; ``"keep"`` loads the best plan
            found and returns it with status ``interrupted`` (or raises if there is none).
        on_plan : callable, optional
            Called with the objective [bn KRW] of every better plan HiGHS finds (MIP only).
        """
        if on_interrupt not in ("discard", "keep"):
            raise ValueError(f"on_interrupt must be 'discard' or 'keep', not {on_interrupt!r}")
        start = time.perf_counter()
        version = f"HiGHS {_HIGHS_VERSION}"
        try:
            hm = self.last = self.to_highs(m)
        except InfeasibleConstraintException as exc:
            self.last = None
            t = time.perf_counter() - start
            return SolveReport("infeasible", f"not solved: {exc}", math.nan, math.nan,
                               math.nan, t, version, {"to_highs": t})
        t_pass = time.perf_counter()
        h = hm.highs
        log: list[str] = []
        h.cbLogging += lambda event: log.append(event.message)
        if on_plan is not None:
            h.cbMipImprovingSolution += \
                lambda event: on_plan(float(event.data_out.objective_function_value))
        with _stop_on_sigint(h) as interrupted:
            h.run()
        t_run = time.perf_counter()
        status = h.getModelStatus()
        info = h.getInfo()
        empty = h.getNumCol() == 0 and h.getNumRow() == 0
        has_sol = empty or info.primal_solution_status == 2  # kSolutionStatusFeasible
        if has_sol:
            x = h.getSolution().col_value
            for v, val in zip(hm.columns, x):
                v.set_value(val, skip_validation=True)
        obj = (hm.offset if empty else float(info.objective_function_value)) if has_sol \
            else math.nan
        tie = pyo.value(m.tie_break) if has_sol and m.component("tie_break") is not None \
            and m.total_cost.active else 0.0  # reported: the cost alone (model.objective)
        obj, bound = obj - tie, _bound(hm, info, obj, status, empty) - tie
        gap = relative_gap(obj, bound)
        end = time.perf_counter()
        report = SolveReport(
            status="optimal" if empty else "interrupted" if interrupted and has_sol and
            status == highspy.HighsModelStatus.kInterrupt else _status(status, has_sol),
            termination="empty model" if empty else h.modelStatusToString(status),
            objective=obj, bound=bound, mip_gap=gap, seconds=end - start, solver=version,
            stage_seconds={"to_highs": t_pass - start, "highs": t_run - t_pass,
                           "load_solution": end - t_run},
            highs_sizes={"columns": h.getNumCol(), "rows": h.getNumRow(),
                         "nonzeros": h.getNumNz()},
            log="".join(log))
        if interrupted and (on_interrupt == "discard" or not report.has_solution):
            raise SolveInterrupted(report)
        return report


@contextmanager
def _stop_on_sigint(h: highspy.Highs):
    """Within the block, SIGINT asks HiGHS to stop instead of raising KeyboardInterrupt.

    The handler only sets highspy's stop flag (``cancelSolve``); HiGHS's interrupt callbacks
    (``HandleUserInterrupt``: MIP search, simplex, IPM) see it at their next call, which
    runs Python code in this thread, so the handler itself runs promptly too. Yields a
    list that is non-empty once SIGINT arrived. Outside the main thread (where Python
    delivers no signals) or when SIGINT is ignored, nothing is changed.
    """
    hits: list[int] = []
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() \
            or previous in (signal.SIG_IGN, None):
        yield hits
        return

    def handler(signum, frame):
        hits.append(signum)
        h.cancelSolve()

    h.HandleUserInterrupt = True
    signal.signal(signal.SIGINT, handler)
    try:
        yield hits
    finally:
        signal.signal(signal.SIGINT, previous)


def relative_gap(objective: float, bound: float) -> float:
    """``|objective - bound| / |objective|`` [-], NaN unless both are finite."""
    if math.isfinite(objective) and math.isfinite(bound):
        return abs(objective - bound) / max(abs(objective), 1e-10)
    return math.nan


def _bound(hm: HighsModel, info, obj: float, status, empty: bool) -> float:
    if empty:
        return obj
    if hm.is_mip:
        b = float(info.mip_dual_bound)
        return b if math.isfinite(b) else math.nan
    return obj if status == highspy.HighsModelStatus.kOptimal else math.nan


def highs_options(options: Solver) -> dict:
    """HiGHS option names and values for a model file's solver section (output off)."""
    o = options
    return {"output_flag": False, "mip_rel_gap": o.mip_rel_gap,
            "time_limit": float(o.time_limit_s), "threads": o.threads,
            "random_seed": o.random_seed, "mip_heuristic_effort": o.mip_heuristic_effort,
            **o.options}


def make_solver(options: Solver) -> HighsSolver:
    """A HiGHS solver configured from the model file (reusable across solves)."""
    return HighsSolver(options)


def solve_model(m: pyo.ConcreteModel, options: Solver, solver: HighsSolver | None = None,
                on_interrupt: str = "discard", on_plan: Callable[[float], None] | None = None
                ) -> SolveReport:
    """Solve and load the solution into the model's variables (when there is one).

    Parameters
    ----------
    m : pyomo.environ.ConcreteModel
        A model from :func:`siting.model.build.build_model`.
    options : Solver
        Solver section of the model file.
    solver : HighsSolver, optional
        A solver to reuse (keeps the last HiGHS model for inspection).
    on_interrupt : {"discard", "keep"}
        Ctrl-C during the solve stops HiGHS promptly; ``"discard"`` then raises
        :class:`SolveInterrupted` (a ``KeyboardInterrupt``), ``"keep"`` returns the best
        plan found with status ``interrupted`` (see :meth:`HighsSolver.solve`).
    on_plan : callable, optional
        Called with the objective [bn KRW] of every better plan HiGHS finds.
    """
    return (solver or make_solver(options)).solve(m, on_interrupt, on_plan)


def _status(status, has_sol: bool) -> str:
    s = highspy.HighsModelStatus
    if status == s.kOptimal and has_sol:
        return "optimal"
    if status == s.kTimeLimit:
        return "time_limit" if has_sol else "time_limit_no_solution"
    if status in _STOPPED:
        return "stopped" if has_sol else "stopped_no_solution"
    if status == s.kInfeasible:
        return "infeasible"
    if status in (s.kUnbounded, s.kUnboundedOrInfeasible):
        return "infeasible_or_unbounded"
    return "error"


def check_options(options: Solver, file: str = "model file") -> None:
    """Refuse, as a solve would, an option or value HiGHS does not accept; solve nothing.

    Raises
    ------
    InputError
        Naming ``file`` and the ``solver.options`` key.
    """
    try:
        HighsSolver(options)._new_highs()
    except InputError as exc:
        raise InputError([replace(p, file=file) for p in exc.problems]) from None

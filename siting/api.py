"""The whole pipeline, stage by stage: load -> prepare -> precheck -> build -> solve ->
results -> write/map.

:func:`load` and :func:`solve_data` are the one path every caller takes: :func:`run` (a
model file end to end), the sweep workers (:mod:`siting.sweep.worker`) and other problem
forms (:mod:`siting.problems.orlib`, which builds its ``ModelData`` with
:func:`siting.model.data.assemble`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyomo.environ as pyo

from .errors import InfeasibleError, NoSolutionError
from .inputs.model_file import ModelFile, load_model_file
from .inputs.tables import Inputs, load_inputs
from .model.build import build_model
from .model.data import ModelData, prepare
from .model.precheck import precheck
from .model.solve import SolveReport, solve_model
from .outputs.runfolder import run_folder, write_run
from .results.tables import Results, extract_results


@dataclass(frozen=True)
class Run:
    """Outcome of :func:`run`."""

    model: ModelFile
    inputs: Inputs
    data: ModelData
    instance: pyo.ConcreteModel
    results: Results
    timings: dict[str, float]
    sizes: dict[str, int]
    run_dir: Path | None
    policy_costs: Any = None
    """The policy-cost table (:mod:`siting.results.policy_costs`) when asked for."""


def model_sizes(m: pyo.ConcreteModel) -> dict[str, int]:
    """Counts of free variables (by kind) and active constraints."""
    free = [v for v in m.component_data_objects(pyo.Var, active=True) if not v.fixed]
    return {"variables": len(free),
            "binary_variables": sum(v.is_binary() for v in free),
            "integer_variables": sum(v.is_integer() and not v.is_binary() for v in free),
            "constraints": sum(1 for _ in m.component_data_objects(pyo.Constraint,
                                                                   active=True))}


PROVED_INFEASIBLE = "HiGHS proved the scenario infeasible"
"""First reason of the :class:`InfeasibleError` of a solve (not of the precheck)."""


def require_solution(report, m: pyo.ConcreteModel, diagnose: bool = True) -> None:
    """Raise a planner-readable error unless the solve left a plan to report.

    Parameters
    ----------
    report : SolveReport
    m : pyomo.environ.ConcreteModel
        The solved model; a copy of it is relaxed to explain an infeasible scenario.
    diagnose : bool
        Explain infeasibility with an elastic re-solve (a second solve); sweeps turn it
        off and only record the status.

    Raises
    ------
    InfeasibleError
        HiGHS proved the scenario infeasible.
    NoSolutionError
        HiGHS stopped without any feasible plan.
    """
    solver = m.data.solver
    if report.status in ("infeasible", "infeasible_or_unbounded"):
        if not diagnose:
            raise InfeasibleError([PROVED_INFEASIBLE])
        from .model.diagnose import diagnose_infeasibility

        raise InfeasibleError([(f"{PROVED_INFEASIBLE}; the smallest set of "
                                "relaxations that makes a plan possible is:")]
                              + diagnose_infeasibility(m))
    if not report.has_solution:
        raise NoSolutionError(
            f"HiGHS stopped ({report.termination}) after {report.seconds:.1f} s without finding "
            f"any feasible plan (no incumbent), so nothing was written. Raise "
            f"solver.time_limit_s (now {solver.time_limit_s:g} s) or check the solver "
            f"options {dict(solver.options) or ''}".rstrip())


@dataclass(frozen=True)
class Solved:
    """Outcome of :func:`solve_data`.

    Attributes
    ----------
    instance : pyomo.environ.ConcreteModel
        The built model, with the solution loaded.
    report : SolveReport
    results : Results or None
        None when no inputs were given (no site tables to report against).
    timings : dict
        ``build`` (0 for a given instance), ``solve``, ``solve_<stage>`` and ``results``
        [s].
    """

    instance: pyo.ConcreteModel
    report: SolveReport
    results: Results | None
    timings: dict[str, float]


def load(model_file: str | Path | ModelFile) -> tuple[ModelFile, Inputs, ModelData]:
    """Load a model file (unless already loaded) and its input tables, and prepare the
    model's data."""
    model = model_file if isinstance(model_file, ModelFile) else load_model_file(model_file)
    inputs = load_inputs(model)
    return model, inputs, prepare(inputs, model)


def solve_data(data: ModelData, inputs: Inputs | None = None, *,
               instance: pyo.ConcreteModel | None = None, diagnose: bool = True,
               require: bool = True, on_interrupt: str = "discard",
               progress: Callable[[str, float | None], None] | None = None) -> Solved:
    """precheck -> build -> solve -> require a plan -> results.

    Parameters
    ----------
    data : ModelData
    inputs : Inputs, optional
        The input tables behind ``data``; without them no result tables are extracted.
    instance : pyomo.environ.ConcreteModel, optional
        A model already built from ``data`` (e.g. with changed mutable Params): solved as
        it is, without precheck or build.
    diagnose, require : bool
        Passed to :func:`require_solution` (``require=False`` returns whatever the solver
        reported, plan or not).
    on_interrupt, progress
        As for :func:`run`.
    """
    timings = {"build": 0.0}
    m = instance
    if m is None:
        precheck(data)
        t = time.perf_counter()
        m = build_model(data)
        timings["build"] = time.perf_counter() - t
    on_plan = None
    if progress is not None:
        progress("solve", None)

        def on_plan(objective: float) -> None:
            progress("plan", objective)
    report = solve_model(m, data.solver, on_interrupt=on_interrupt, on_plan=on_plan)
    timings["solve"] = report.seconds
    timings.update({f"solve_{k}": v for k, v in report.stage_seconds.items()})
    if require:
        require_solution(report, m, diagnose)
    results = None
    if inputs is not None and report.has_solution:
        t = time.perf_counter()
        results = extract_results(m, data, inputs, report)
        timings["results"] = time.perf_counter() - t
    return Solved(m, report, results, timings)


def run(model_file: str | Path | ModelFile, runs_dir: str | Path | None = "runs",
        run_id: str | None = None, overwrite: bool = False, draw_map: bool = True,
        on_interrupt: str = "discard",
        progress: Callable[[str, float | None], None] | None = None,
        policy_costs: bool = False) -> Run:
    """Run a model file end to end.

    Parameters
    ----------
    model_file : path or ModelFile
        The model file (TOML) or an already loaded one.
    runs_dir : path, optional
        Parent of the run folder; ``None`` writes nothing.
    run_id : str, optional
        Name of the run folder; ``<model name>-<UTC timestamp>`` by default.
    on_interrupt : {"discard", "keep"}
        Ctrl-C during the HiGHS solve stops it promptly; ``"discard"`` writes nothing
        (raises :class:`~siting.model.solve.SolveInterrupted`), ``"keep"`` writes the best
        plan found with status ``interrupted``.
    progress : callable, optional
        Called as ``progress("solve", None)`` just before the solve and
        ``progress("plan", objective)`` for every better plan HiGHS finds [bn KRW].
    policy_costs : bool
        Also re-solve the scenario once per policy in force, without it, and write
        ``policy_costs.csv`` (:func:`siting.results.policy_costs.policy_costs`).

    Raises
    ------
    InputError
        Bad inputs (every problem listed).
    InfeasibleError
        The scenario cannot be met (pre-solve counts, or the solver proved it).
    """
    t = time.perf_counter()
    model = model_file if isinstance(model_file, ModelFile) else load_model_file(model_file)
    run_dir = None if runs_dir is None else run_folder(runs_dir, run_id, model, overwrite)
    model, inputs, data = load(model)
    timings = {"load": time.perf_counter() - t}
    solved = solve_data(data, inputs, on_interrupt=on_interrupt, progress=progress)
    m, report, results = solved.instance, solved.report, solved.results
    timings |= solved.timings
    sizes = model_sizes(m) | {f"highs_{k}": v for k, v in report.highs_sizes.items()}
    costs = None
    if policy_costs:
        from .results.policy_costs import policy_costs as cost_of_policies
        costs = cost_of_policies(model, inputs, results)
    if run_dir is not None:
        t = time.perf_counter()
        write_run(run_dir, model, inputs, results, timings, sizes, overwrite=overwrite,
                  draw_map=draw_map, policy_costs=costs)
        timings["write"] = time.perf_counter() - t
    return Run(model, inputs, data, m, results, timings, sizes, run_dir, costs)

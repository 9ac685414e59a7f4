"""The whole pipeline, stage by stage: load -> build -> solve -> results -> write/map."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pyomo.environ as pyo

from .errors import InfeasibleError, NoSolutionError
from .inputs.model_file import ModelFile, load_model_file
from .inputs.tables import Inputs, load_inputs
from .model.build import build_model
from .model.data import ModelData, prepare
from .model.precheck import precheck
from .model.solve import solve_model
from .outputs.runfolder import default_run_id, write_run
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


def model_sizes(m: pyo.ConcreteModel) -> dict[str, int]:
    """Counts of free variables (by kind) and active constraints."""
    free = [v for v in m.component_data_objects(pyo.Var, active=True) if not v.fixed]
    return {"variables": len(free),
            "binary_variables": sum(v.is_binary() for v in free),
            "integer_variables": sum(v.is_integer() and not v.is_binary() for v in free),
            "constraints": sum(1 for _ in m.component_data_objects(pyo.Constraint,
                                                                   active=True))}


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
            raise InfeasibleError(["HiGHS proved the scenario infeasible"])
        from .model.diagnose import diagnose_infeasibility

        raise InfeasibleError([("HiGHS proved the scenario infeasible; the smallest set of "
                                "relaxations that makes a plan possible is:")]
                              + diagnose_infeasibility(m))
    if not report.has_solution:
        raise NoSolutionError(
            f"HiGHS stopped ({report.termination}) after {report.seconds:.1f} s without finding "
            f"any feasible plan (no incumbent), so nothing was written. Raise "
            f"solver.time_limit_s (now {solver.time_limit_s:g} s) or check the solver "
            f"options {dict(solver.options) or ''}".rstrip())


def run(model_file: str | Path | ModelFile, runs_dir: str | Path | None = "runs",
        run_id: str | None = None, overwrite: bool = False, draw_map: bool = True) -> Run:
    """Run a model file end to end.

    Parameters
    ----------
    model_file : path or ModelFile
        The model file (TOML) or an already loaded one.
    runs_dir : path, optional
        Parent of the run folder; ``None`` writes nothing.
    run_id : str, optional
        Name of the run folder; ``<model name>-<UTC timestamp>`` by default.

    Raises
    ------
    InputError
        Bad inputs (every problem listed).
    InfeasibleError
        The scenario cannot be met (pre-solve counts, or the solver proved it).
    """
    timings: dict[str, float] = {}
    t = time.perf_counter()
    model = model_file if isinstance(model_file, ModelFile) else load_model_file(model_file)
    inputs = load_inputs(model)
    data = prepare(inputs, model)
    timings["load"] = time.perf_counter() - t
    precheck(data)
    t = time.perf_counter()
    m = build_model(data)
    timings["build"] = time.perf_counter() - t
    report = solve_model(m, model.solver)
    timings["solve"] = report.seconds
    timings.update({f"solve_{k}": v for k, v in report.stage_seconds.items()})
    require_solution(report, m)
    t = time.perf_counter()
    results = extract_results(m, data, inputs, report)
    timings["results"] = time.perf_counter() - t
    sizes = model_sizes(m) | {f"highs_{k}": v for k, v in report.highs_sizes.items()}
    run_dir = None
    if runs_dir is not None:
        t = time.perf_counter()
        run_dir = Path(runs_dir) / (run_id or default_run_id(model))
        write_run(run_dir, model, inputs, results, timings, sizes, overwrite=overwrite,
                  draw_map=draw_map)
        timings["write"] = time.perf_counter() - t
    return Run(model, inputs, data, m, results, timings, sizes, run_dir)

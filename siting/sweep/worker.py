"""Run one scenario in a worker process (local pool or Dask worker).

A worker keeps one built model per base model (keyed by a digest) and re-solves it with
the scenario's mutable Params; parameters that cannot be changed in place rebuild.
Workers only compute: results travel back to the client, which writes every file.
"""

from __future__ import annotations

import threading
import time
import traceback
from dataclasses import dataclass

from ..api import model_sizes, solve_data
from ..errors import InfeasibleError, InputError, NoSolutionError
from ..inputs.model_file import ModelFile
from ..inputs.tables import Inputs
from ..model.build import build_model
from ..model.data import prepare
from ..results.tables import Results
from .parameters import CATALOGUE, restore, same_value, snapshot

FAILURES = {InfeasibleError: "infeasible", NoSolutionError: "no_solution",
            InputError: "input_error"}
"""Status recorded for a scenario that raised one of these (anything else: ``error``)."""

_CACHE: dict[str, tuple] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Task:
    """One scenario to solve."""

    scenario_id: str
    params: dict[str, float]
    base_model: ModelFile
    base_inputs: Inputs
    digest: str
    reuse_model: bool = True
    base_values: dict[str, float] | None = None

    def changed(self) -> dict[str, float]:
        """The parameters whose value differs from the base case."""
        base = self.base_values or {}
        return {k: v for k, v in self.params.items() if not same_value(base.get(k), v)}


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back."""

    scenario_id: str
    params: dict[str, float]
    status: str
    message: str
    results: Results | None
    mode: str
    timings: dict[str, float]
    sizes: dict[str, int]


def scenario_inputs(task: Task) -> tuple[ModelFile, Inputs]:
    """The model file and inputs of a scenario, built by the rebuild appliers."""
    model, inputs = task.base_model, task.base_inputs
    for name, value in task.changed().items():
        model, inputs = CATALOGUE[name].rebuild(model, inputs, value)
    return model, inputs


def run_scenario(task: Task) -> Outcome:
    """Solve one scenario; never raises (failures become the outcome's status)."""
    resolvable = all(CATALOGUE[n].resolve is not None for n in task.changed())
    mode = "resolve" if (task.reuse_model and resolvable) else "rebuild"
    t0 = time.perf_counter()
    try:
        if mode == "resolve":
            results, timings, sizes = _resolve(task)
        else:
            results, timings, sizes = _rebuild(task)
        status, msg = results.solve.status, ""
    except Exception as exc:  # noqa: BLE001 - a sweep records any failure and goes on
        status = FAILURES.get(type(exc), "error")
        msg = traceback.format_exc(limit=5) if status == "error" else str(exc)
        return Outcome(task.scenario_id, task.params, status, msg, None, mode,
                       {"total": time.perf_counter() - t0}, {})
    timings["total"] = time.perf_counter() - t0
    return Outcome(task.scenario_id, task.params, status, msg, results, mode, timings, sizes)


def _solve(data, inputs: Inputs, instance=None):
    """Solve (building unless ``instance`` is given), require a plan (an infeasible
    scenario is diagnosed: its message lists the relaxations that would make it feasible,
    for the sweep report), extract the results: the pipeline of :func:`siting.api.solve_data`."""
    solved = solve_data(data, inputs, instance=instance, diagnose=True)
    t = solved.timings
    return solved, {"build": t["build"], "solve": t["solve"], "results": t["results"]}


def _resolve(task: Task):
    with _LOCK:
        entry = _CACHE.get(task.digest)
        t = time.perf_counter()
        if entry is None:
            data = prepare(task.base_inputs, task.base_model)
            m = build_model(data)
            entry = (data, m, snapshot(m, task.base_model), model_sizes(m))
            _CACHE.clear()  # one base model per worker at a time
            _CACHE[task.digest] = entry
        data, m, snap, sizes = entry
        changed = task.changed()
        for name, value in task.params.items():
            param = CATALOGUE[name]
            if name in changed:
                param.resolve(m, snap, value)
            elif param.resolve is not None:
                restore(m, snap, param)  # undo an earlier scenario on this worker
        build_s = time.perf_counter() - t
        # solve_model compiles the changed model and passes it to a fresh HiGHS: a
        # persistent one carries state between solves that can break ties differently,
        # and then the plan of a scenario would depend on which worker ran it after which
        # scenario (local vs Dask).
        solved, timings = _solve(data, task.base_inputs, instance=m)
        return solved.results, timings | {"build": build_s}, sizes


def _rebuild(task: Task):
    model, inputs = scenario_inputs(task)
    t = time.perf_counter()
    data = prepare(inputs, model)
    prepare_s = time.perf_counter() - t
    solved, timings = _solve(data, inputs)
    timings["build"] += prepare_s
    return solved.results, timings, model_sizes(solved.instance)

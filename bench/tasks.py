"""Benchmark tasks, each run in its own process by ``bench/run.py``.

``python bench/tasks.py TASK JSON_ARGS`` runs one task and prints one JSON line (the
last line of stdout) with its figures. Every task first warms up the code it times on a
small case (``warmup`` argument), so that one-off import and first-call costs are not
counted against any size.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far [MB].

    Read from ``VmHWM`` in ``/proc/self/status``, which starts afresh at ``exec``;
    ``getrusage().ru_maxrss`` (the fallback) keeps the peak of the forked parent's copy,
    which would charge the launcher's own memory to every task.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _solver_settings(args: dict, time_limit: float | None = None) -> dict:
    """The benchmark's solver settings (model-file names) from a task's arguments."""
    out = {"mip_rel_gap": args["gap"], "threads": args["threads"],
           "time_limit_s": args["time_limit"] if time_limit is None else time_limit}
    if args.get("heuristic_effort") is not None:
        out["mip_heuristic_effort"] = args["heuristic_effort"]
    return out


def _highs_options(args: dict) -> dict:
    """HiGHS options for the runs outside the core model: the very same as ours."""
    from siting.inputs.model_file import Solver
    from siting.model.solve import highs_options

    return highs_options(Solver(**_solver_settings(args)))


def _load(model_path: str, args: dict, time_limit: float | None = None):
    import siting

    model = siting.load_model_file(model_path)
    solver = model.solver.model_copy(update=_solver_settings(args, time_limit))
    model = model.model_copy(update={"solver": solver})
    inputs = siting.load_inputs(model)
    return model, inputs, siting.prepare(inputs, model)


def _timed_solve(m, options, opt=None):
    """``siting.solve_model``: (report, solver, seconds by stage)."""
    from siting.model.solve import make_solver, solve_model

    opt = opt or make_solver(options)
    report = solve_model(m, options, solver=opt)
    st = report.stage_seconds
    return report, opt, {"to_highs_s": st.get("to_highs", 0.0), "highs_s": st.get("highs", 0.0),
                         "load_solution_s": st.get("load_solution", 0.0),
                         "solve_s": report.seconds}


def pipeline(args: dict) -> dict:
    """load -> build -> solve -> extract, as ``siting.run`` does (without writing), then
    the MPS export and the re-solve vs rebuild comparison."""
    import siting

    if args.get("warmup"):
        _, inputs, data = _load(args["warmup"], args, 60.0)
        m = siting.build_model(data)
        rep, _, _ = _timed_solve(m, data.solver)
        siting.extract_results(m, data, inputs, rep)
    t = time.perf_counter()
    model, inputs, data = _load(args["model"], args)
    out = {"load_s": time.perf_counter() - t}
    t = time.perf_counter()
    m = siting.build_model(data)
    out["build_s"] = time.perf_counter() - t
    report, opt, stages = _timed_solve(m, model.solver)
    out.update(stages)
    t = time.perf_counter()
    if report.has_solution:  # an infeasible case is reported with its sizes and status
        siting.extract_results(m, data, inputs, report)
    out["extract_s"] = time.perf_counter() - t
    out["end_to_end_s"] = out["load_s"] + out["build_s"] + out["solve_s"] + out["extract_s"]
    out["peak_mb"] = peak_rss_mb()
    h = opt.last.highs
    info = h.getInfo()
    out.update(status=report.status, objective=report.objective, bound=report.bound,
               gap=report.mip_gap, cols=report.highs_sizes["columns"],
               rows=report.highs_sizes["rows"], nonzeros=report.highs_sizes["nonzeros"],
               nodes=int(info.mip_node_count),
               sites=len(data.sites), periods=len(data.periods))
    if args.get("mps"):
        t = time.perf_counter()
        h.writeModel(args["mps"])
        out["mps_write_s"] = time.perf_counter() - t
    if args.get("resolve"):
        out.update(_resolve_vs_rebuild(m, opt, model, inputs))
    return out


def _resolve_vs_rebuild(m, opt, model, inputs) -> dict:
    """Raise the last period's target by 5% (a mutable Param): re-solve the same Pyomo model
    (compiled again, fresh HiGHS) vs prepare + build + solve from scratch."""
    import siting

    last = model.periods[-1]
    if not hasattr(m, "target_mw"):
        return {}
    new = 1.05 * float(m.target_mw[last].value)
    m.target_mw[last] = new
    rep1, _, st1 = _timed_solve(m, model.solver, opt)
    t = time.perf_counter()
    values = dict(model.constraints.targets.values)
    values[str(last)] = new
    targets = model.constraints.targets.model_copy(update={"values": values})
    cons = model.constraints.model_copy(update={"targets": targets})
    changed = model.model_copy(update={"constraints": cons})
    data2 = siting.prepare(inputs, changed)
    m2 = siting.build_model(data2)
    prep_build = time.perf_counter() - t
    rep2, _, st2 = _timed_solve(m2, changed.solver)
    return {"resolve_s": st1["solve_s"], "resolve_update_s": st1["to_highs_s"],
            "resolve_highs_s": st1["highs_s"], "resolve_objective": rep1.objective,
            "resolve_gap": rep1.mip_gap,
            "rebuild_s": prep_build + st2["solve_s"], "rebuild_highs_s": st2["highs_s"],
            "rebuild_objective": rep2.objective, "rebuild_gap": rep2.mip_gap}


def highs_mps(args: dict) -> dict:
    """HiGHS alone: read the MPS file and solve it with the same options."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    t = time.perf_counter()
    h.readModel(args["mps"])
    read = time.perf_counter() - t
    from cflp_direct import run_highs

    out = run_highs(h, _highs_options(args))
    return {"read_s": read, **out, "total_s": read + out["highs_s"], "peak_mb": peak_rss_mb()}


def linopy_build(args: dict) -> dict:
    """Build the same model in linopy, pass it to HiGHS and (optionally) solve it."""
    import warnings

    warnings.filterwarnings("ignore", module="linopy")
    from linopy_model import build_linopy, solve_linopy

    if args.get("warmup"):
        _, _, data = _load(args["warmup"], args, 60.0)
        solve_linopy(build_linopy(data), _highs_options(args))
    _, _, data = _load(args["model"], args)
    t = time.perf_counter()
    lm = build_linopy(data)
    out = {"build_s": time.perf_counter() - t}
    if args.get("solve", True):
        out.update(solve_linopy(lm, _highs_options(args)))
    else:
        t = time.perf_counter()
        h = lm.to_highspy()
        out.update(to_highs_s=time.perf_counter() - t, cols=h.getNumCol(), rows=h.getNumRow(),
                   nonzeros=h.getNumNz())
    out["peak_mb"] = peak_rss_mb()
    return out


def cflp_core(args: dict) -> dict:
    """An OR-Library instance through the core model (build, Pyomo -> HiGHS, solve)."""
    import siting
    from siting.problems.orlib import cflp_model_data, cflp_model_file, read_orlib_cap

    inst = read_orlib_cap(args["path"], args["capacity"])
    model = cflp_model_file(inst.name, args["gap"], args["time_limit"], args["threads"])
    model = model.model_copy(update={"solver": model.solver.model_copy(
        update=_solver_settings(args))})
    t = time.perf_counter()
    data = cflp_model_data(inst, model)
    m = siting.build_model(data)
    build = time.perf_counter() - t
    report, _, stages = _timed_solve(m, model.solver)
    out = {"build_s": build, **stages, "total_s": build + stages["solve_s"],
           "objective": report.objective, "gap": report.mip_gap, "status": report.status,
           "peak_mb": peak_rss_mb()}
    return out


def cflp_direct(args: dict) -> dict:
    """The same instance written directly in highspy (matrices, no modelling layer)."""
    from cflp_direct import solve_direct

    from siting.problems.orlib import read_orlib_cap

    inst = read_orlib_cap(args["path"], args["capacity"])
    out = solve_direct(inst, _highs_options(args))
    out["peak_mb"] = peak_rss_mb()
    return out


TASKS = {f.__name__: f for f in (pipeline, highs_mps, linopy_build, cflp_core, cflp_direct)}

if __name__ == "__main__":
    result = TASKS[sys.argv[1]](json.loads(sys.argv[2]))
    print(json.dumps(result, default=float))

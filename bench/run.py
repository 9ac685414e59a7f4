"""Benchmark: how fast, how big, and where the time goes.

Usage (from the repository root, with the ``bench`` extra installed)::

    python bench/run.py --sizes 50 250 1000 5000

For each size a synthetic Korean instance is generated (``siting.problems.synthetic``) and every
measurement runs in its own process (its peak memory is that process's own): the siting
pipeline (load, build, solve, extract; then a re-solve after a parameter change and a
rebuild), HiGHS alone on the same model as MPS, and the same model built in linopy.
Then the OR-Library capacitated facility location instances (when
``shared/orlib-large`` is present): the core model vs the same MILP written directly in
highspy. Results go to ``--out`` as ``results.json`` and ``results.md``; see
``bench/README.md`` for the columns.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ORLIB = ROOT.parent / "shared" / "orlib-large"
ORLIB_DEFAULT = ["capb5000", "capc7250"]
"""Chosen by measuring (bench/RESULTS.md): capb5000 solves in ~30 s; capc7250 (the
instance of tests/test_orlib.py) in 2-5 min; capa8000, capa14000, capb8000 and capc5000
were still 12-100% from optimal after 90 s in HiGHS alone and are left out by default."""
PUBLISHED = {
    "capa8000": 19240822.449, "capa10000": 18438046.543, "capa12000": 17765201.949,
    "capa14000": 17160439.012, "capb5000": 13656379.578, "capb6000": 13361927.449,
    "capb7000": 13198556.434, "capb8000": 13082516.496, "capc5000": 11646596.974,
    "capc5750": 11570340.289, "capc6500": 11518743.744, "capc7250": 11505767.394}
"""Published optima (OR-Library capopt, see shared/orlib-large/README.md)."""


def run_task(task: str, args: dict, timeout: float) -> dict:
    """Run ``bench/tasks.py TASK`` in a child process; add its wall time and peak memory."""
    cmd = [sys.executable, str(HERE / "tasks.py"), task, json.dumps(args)]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        return {"error": f"timed out after {timeout:.0f} s"}
    wall = time.perf_counter() - t
    lines = out.strip().splitlines()
    if proc.returncode != 0 or not lines:
        return {"error": (err.strip().splitlines() or ["no output"])[-1]}
    result = json.loads(lines[-1])
    result["process_wall_s"] = wall
    return result


def machine() -> dict:
    """nproc, memory, CPU model and versions."""
    import highspy
    import pyomo

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text()
                      .splitlines() if x.startswith("MemTotal"))
    except (OSError, StopIteration):
        mem_kb = 0
    try:
        import linopy

        linopy_version = linopy.__version__
    except ImportError:
        linopy_version = None
    return {"nproc": os.cpu_count(), "memory_gb": round(mem_kb / 1024 ** 2, 1), "cpu": cpu,
            "python": platform.python_version(), "pyomo": pyomo.__version__,
            "highs": f"{highspy.HIGHS_VERSION_MAJOR}.{highspy.HIGHS_VERSION_MINOR}."
                     f"{highspy.HIGHS_VERSION_PATCH}",
            "linopy": linopy_version, "platform": platform.platform()}


def bench_size(n: int, args, cases: Path, warmup: str | None) -> dict:
    from siting.problems.synthetic import write_synthetic

    folder = cases / f"n{n}-s{args.seed}"
    model = write_synthetic(folder, n, args.periods, args.seed)
    common = {"gap": args.gap, "threads": args.threads, "time_limit": args.time_limit,
              "heuristic_effort": args.heuristic_effort}
    row: dict = {"size": n}
    mps = str(folder / "model.mps") if not args.no_mps else None
    pipe = run_task("pipeline", {**common, "model": str(model), "warmup": warmup,
                                 "mps": mps, "resolve": not args.no_resolve},
                    args.task_timeout)
    row["pipeline"] = pipe
    if mps and "error" not in pipe:
        row["mps"] = run_task("highs_mps", {**common, "mps": mps}, args.task_timeout)
        Path(mps).unlink(missing_ok=True)
    if not args.no_linopy and _has_linopy():
        row["linopy"] = run_task("linopy_build", {**common, "model": str(model),
                                                  "warmup": warmup,
                                                  "solve": n <= args.linopy_solve_max},
                                 args.task_timeout)
    return row


def _has_linopy() -> bool:
    try:
        import linopy  # noqa: F401
    except ImportError:
        return False
    return True


def bench_orlib(name: str, args) -> dict:
    family, capacity = name[:4], float(name[4:])
    common = {"path": str(ORLIB / f"{family}.txt"), "capacity": capacity, "gap": 1e-7,
              "threads": args.threads, "time_limit": args.time_limit,
              "heuristic_effort": args.heuristic_effort}
    return {"instance": name, "published": PUBLISHED.get(name),
            "core": run_task("cflp_core", common, args.task_timeout),
            "direct": run_task("cflp_direct", common, args.task_timeout)}


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="*", default=[50, 250, 1000, 5000],
                   help="candidate sites per instance")
    p.add_argument("--periods", type=int, default=None,
                   help="periods (1-5); default 3 up to 250 sites, 4 up to 1000, else 5")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--gap", type=float, default=1e-3, help="relative MIP gap")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--heuristic-effort", type=float, default=None,
                   help="HiGHS mip_heuristic_effort for every run (default: the model "
                        "file's, 0.3; HiGHS's own default is 0.05)")
    p.add_argument("--time-limit", type=float, default=600.0, help="per solve [s]")
    p.add_argument("--task-timeout", type=float, default=3600.0, help="per process [s]")
    p.add_argument("--no-mps", action="store_true", help="skip HiGHS-alone on MPS")
    p.add_argument("--no-resolve", action="store_true", help="skip re-solve vs rebuild")
    p.add_argument("--no-linopy", action="store_true", help="skip the linopy build")
    p.add_argument("--no-warmup", action="store_true",
                   help="do not warm up each process on a small case first")
    p.add_argument("--linopy-solve-max", type=int, default=1000,
                   help="solve the linopy model up to this size (build only above)")
    p.add_argument("--orlib", nargs="*", default=None, metavar="INSTANCE",
                   help=f"OR-Library instances (default {' '.join(ORLIB_DEFAULT)} when "
                        "shared/orlib-large exists)")
    p.add_argument("--no-orlib", action="store_true", help="skip the OR-Library instances")
    p.add_argument("--out", type=Path, default=HERE / "out", help="output folder")
    args = p.parse_args(argv)

    from summary import markdown

    args.out.mkdir(parents=True, exist_ok=True)
    cases = args.out / "cases"
    from siting.problems.synthetic import write_synthetic

    warmup = None if args.no_warmup else str(write_synthetic(cases / "warmup", 20, 2,
                                                             seed=12345))
    result = {"command": "python bench/run.py " + " ".join(argv if argv is not None
                                                          else sys.argv[1:]),
              "started": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": machine(),
              "settings": {"gap": args.gap, "threads": args.threads,
                           "time_limit_s": args.time_limit, "seed": args.seed,
                           "heuristic_effort": args.heuristic_effort,
                           "warmup": not args.no_warmup},
              "sizes": [], "orlib": []}
    for n in args.sizes:
        print(f"size {n} ...", flush=True)
        result["sizes"].append(bench_size(n, args, cases, warmup))
        _save(result, args.out)
    names = [] if args.no_orlib or not ORLIB.is_dir() else (
        args.orlib if args.orlib is not None and len(args.orlib) else ORLIB_DEFAULT)
    for name in names:
        print(f"orlib {name} ...", flush=True)
        result["orlib"].append(bench_orlib(name, args))
        _save(result, args.out)
    text = markdown(result)
    print(text)
    return result


def _save(result: dict, out: Path) -> None:
    from summary import markdown

    (out / "results.json").write_text(json.dumps(result, indent=1, default=float))
    (out / "results.md").write_text(markdown(result))


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()

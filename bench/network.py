"""Benchmark: the grid family's network mode against its transport mode, side by side.

Usage (from the repository root)::

    python bench/network.py                 # the default scenario and 1,000 synthetic sites
    python bench/network.py --sites 1000 3000 --seed 0

Two cases, each solved in both modes of ``[constraints.grid]`` (``mode = "transport"``:
node headroom and the provincial transport model; ``mode = "network"``: DC power flow on
the real network with PTDFs), every solve in its own process (``bench/tasks.py pipeline``,
warmed up on a 20-site case first):

- ``default``: ``models/korea-2030.toml`` as shipped (its 42 sites);
- ``synthetic-n<N>``: a synthetic instance (``siting.problems.synthetic``, three periods
  2027-2035, the periods the network tables cover) whose candidate sites connect to real
  buses of ``data/network_buses.csv``: each site to the nearest bus of 154 kV or more
  (:func:`on_network_buses`), so that both modes see the same sites and the network mode the
  real lines.

Reported per case and mode: columns, rows, nonzeros HiGHS receives, load (tables, distances,
PTDFs), build (Pyomo), Pyomo->HiGHS, HiGHS, end to end, objective, gap, status; and the
ratios network / transport of rows, nonzeros, build and HiGHS time. Results go to
``--out`` (``network.json``, ``network.md``); ``bench/RESULTS.md`` records the figures.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = ROOT / "data"
DEFAULT_MODEL = ROOT / "models" / "korea-2030.toml"
MODES = ("transport", "network")
MIN_KV = 154.0
"""Synthetic sites connect to the nearest bus at this voltage or above [kV]."""
SYNTHETIC_PERIODS = 3
"""2027, 2030, 2035: the periods of data/network_demand.csv and network_snapshots.csv."""


def on_network_buses(case, buses, rng):
    """Connect every synthetic site to its nearest real network bus (>= :data:`MIN_KV`).

    Parameters
    ----------
    case : siting.problems.synthetic.SyntheticCase
        The synthetic instance (its random grid nodes are replaced).
    buses : pandas.DataFrame
        ``data/network_buses.csv``.
    rng : numpy.random.Generator
        Draws the transport mode's node headroom, as the synthetic generator does.

    Returns
    -------
    SyntheticCase
        Same sites, ``grid_node_id`` = the nearest bus id; ``grid_nodes`` = those buses
        (kV and position from the bus table, province from the point), headroom sampled from the synthetic
        generator's distribution (used by the transport mode only).
    """

    from siting.inputs.geo import distance_km
    from siting.problems.synthetic import HEADROOM_MW, HEADROOM_WEIGHTS, SyntheticCase

    cand = buses[buses["voltage_kv"] >= MIN_KV].set_index("bus_id")
    sites = case.tables["sites"].copy()
    d = distance_km(sites.set_index("site_id"), cand)
    sites["grid_node_id"] = d.columns.to_numpy()[d.to_numpy().argmin(axis=1)]
    used = sorted(set(sites["grid_node_id"]))
    b = cand.loc[used]
    nodes = b.reset_index().rename(columns={"bus_id": "node_id"})[
        ["node_id", "province_id", "voltage_kv", "lon", "lat"]]
    nodes["province_id"] = _province_of_point(nodes, case.tables["provinces"])
    nodes["headroom_mw"] = rng.choice(HEADROOM_MW, size=len(nodes), p=HEADROOM_WEIGHTS)
    return SyntheticCase(tables={**case.tables, "sites": sites, "grid_nodes": nodes},
                         model=case.model)


def _province_of_point(nodes, provinces):
    """The province whose polygon holds each node (the full-detail outlines the input
    validation uses; OSM's derived province of a few buses within 0.1 km of a border
    differs), else the declared one."""
    from siting.inputs.geo import locate_in_provinces

    where = locate_in_provinces(nodes, provinces.set_index("province_id"))
    return where["inside"].where(where["inside"] != "", nodes["province_id"])


def write_synthetic_on_network(folder: Path, n_sites: int, seed: int) -> Path:
    """A synthetic instance of ``n_sites`` on the real network buses; its model file."""
    import numpy as np
    import pandas as pd

    from siting.problems.synthetic import synthetic_case

    case = synthetic_case(n_sites, SYNTHETIC_PERIODS, seed)
    buses = pd.read_csv(DATA / "network_buses.csv")
    return on_network_buses(case, buses, np.random.default_rng(seed + 1)).write(folder)


def mode_variant(model_path: Path, mode: str, out: Path) -> Path:
    """A copy of a model file with absolute data paths, the grid family in ``mode`` and, in
    network mode, the network tables of ``data/`` (:func:`network_data`)."""
    import tomli_w

    raw = tomllib.loads(model_path.read_text(encoding="utf-8"))
    base = model_path.parent
    raw["data"] = {k: str((base / v).resolve()) for k, v in raw["data"].items()}
    if mode == "network":
        raw["data"].update(network_data(raw["data"]))
    grid = raw.setdefault("constraints", {}).setdefault("grid", {})
    grid["mode"] = mode
    out.mkdir(parents=True, exist_ok=True)
    path = out / "model.toml"
    path.write_text(tomli_w.dumps(raw), encoding="utf-8")
    return path


def network_data(data: dict) -> dict:
    """The ``[data]`` entries of the network tables that a model file does not name yet."""
    names = {"network_buses": "network_buses.csv", "network_lines": "network_lines.csv",
             "network_transformers": "network_transformers.csv",
             "network_links": "network_links.csv",
             "network_generators": "network_generators.csv",
             "network_demand": "network_demand.csv",
             "network_snapshots": "network_snapshots.csv"}
    return {k: str(DATA / v) for k, v in names.items() if k not in data}


def bench_case(name: str, model: Path, args, warmup: str | None) -> dict:
    """Both modes of one case, each in its own process."""
    from run import run_task

    common = {"gap": args.gap, "threads": args.threads, "time_limit": args.time_limit,
              "heuristic_effort": args.heuristic_effort}
    row: dict = {"case": name}
    for mode in MODES:
        path = mode_variant(model, mode, args.out / "cases" / f"{name}-{mode}")
        print(f"{name} {mode} ...", flush=True)
        row[mode] = run_task("pipeline", {**common, "model": str(path), "warmup": warmup,
                                          "mps": None, "resolve": False}, args.task_timeout)
    return row


def _f(x, digits: int = 2) -> str:
    return "-" if x is None else f"{x:,.{digits}f}"


def _gap(x) -> str:
    return "-" if x is None or math.isnan(x) else f"{x:.2e}"


def _r(a, b) -> str:
    return "-" if a is None or not b else f"{a / b:.2f}"


def markdown(result: dict) -> str:
    """Two tables: each case and mode, and the network / transport ratios."""
    st = result["settings"]
    lines = [f"Command: `{result['command']}` (started {result['started']})", "",
             (f"Settings: relative gap {st['gap']:g}, {st['threads']} threads, time limit "
              f"{st['time_limit_s']:g} s per solve, seed {st['seed']}."), "",
             ("| case | mode | sites | columns | rows | nonzeros | load | build | "
              "Pyomo->HiGHS | HiGHS | end to end | objective [bn KRW] | gap | status |"),
             "|" + "---|" * 14]
    for row in result["cases"]:
        for mode in MODES:
            p = row[mode]
            if "error" in p:
                lines.append(f"| {row['case']} | {mode} | error: {p['error']} |" + " |" * 11)
                continue
            lines.append(
                f"| {row['case']} | {mode} | {p['sites']:,} | {p['cols']:,} | {p['rows']:,} "
                f"| {p['nonzeros']:,} | {_f(p['load_s'])} | {_f(p['build_s'])} | "
                f"{_f(p['to_highs_s'])} | {_f(p['highs_s'])} | {_f(p['end_to_end_s'])} | "
                f"{_f(p['objective'], 1)} | {_gap(p['gap'])} | {p['status']} |")
    lines += ["", "Network / transport, measured side by side in this run:", "",
              "| case | rows | nonzeros | load | build | HiGHS | end to end |",
              "|" + "---|" * 7]
    for row in result["cases"]:
        n, t = row["network"], row["transport"]
        if "error" in n or "error" in t:
            continue
        # time ratios only when both modes solved: an infeasible solve proves little
        solved = n.get("objective") is not None and t.get("objective") is not None
        lines.append(f"| {row['case']} | " + " | ".join(
            _r(n[k], t[k]) if solved or k in ("rows", "nonzeros", "load_s", "build_s")
            else f"- ({n['status']})" for k in ("rows", "nonzeros", "load_s", "build_s",
                                                "highs_s", "end_to_end_s")) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sites", type=int, nargs="*", default=[1000],
                   help="sizes of the synthetic cases on network buses")
    p.add_argument("--no-default", action="store_true", help="skip the default scenario")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--gap", type=float, default=1e-3, help="relative MIP gap")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--heuristic-effort", type=float, default=None)
    p.add_argument("--time-limit", type=float, default=600.0, help="per solve [s]")
    p.add_argument("--task-timeout", type=float, default=3600.0, help="per process [s]")
    p.add_argument("--no-warmup", action="store_true")
    p.add_argument("--out", type=Path, default=HERE / "out" / "network")
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    from run import machine

    from siting.problems.synthetic import write_synthetic

    warmup = None if args.no_warmup else str(
        write_synthetic(args.out / "cases" / "warmup", 20, 2, seed=12345))
    result = {"command": "python bench/network.py " + " ".join(
                  argv if argv is not None else sys.argv[1:]),
              "started": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": machine(),
              "settings": {"gap": args.gap, "threads": args.threads,
                           "time_limit_s": args.time_limit, "seed": args.seed},
              "cases": []}
    cases = [] if args.no_default else [("default", DEFAULT_MODEL)]
    cases += [(f"synthetic-n{n}", write_synthetic_on_network(
        args.out / "cases" / f"n{n}-s{args.seed}", n, args.seed)) for n in args.sites]
    for name, model in cases:
        result["cases"].append(bench_case(name, model, args, warmup))
        (args.out / "network.json").write_text(json.dumps(result, indent=1, default=float))
    text = markdown(result)
    (args.out / "network.md").write_text(text)
    print(text)
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()

"""Sweep throughput: re-solve a model built once per worker vs rebuild per scenario.

Runs the same scenarios of a sweep file twice in one process (1 worker each, so the two
figures share the machine's noise), first with ``reuse_model = true`` then ``false``, and
prints scenarios per minute and their ratio. Both runs must give the same objectives.

    .venv/bin/python bench/sweep_resolve.py models/korea-sweep.toml --scenarios 20
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from siting.sweep import load_sweep_file, run_sweep
from siting.sweep.parameters import CATALOGUE


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("sweep", type=Path)
    ap.add_argument("--scenarios", type=int, default=20)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    sweep = load_sweep_file(args.sweep)
    resolvable = {k: v for k, v in sweep.parameters.items() if CATALOGUE[k].resolve}
    sweep = sweep.model_copy(update={"parameters": resolvable})
    rows = {}
    for reuse in (True, False):
        s = sweep.model_copy(update={"run": sweep.run.model_copy(update={"reuse_model": reuse})})
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            table = run_sweep(s, tmp, workers=args.workers, progress=False,
                              limit=args.scenarios)
            seconds = time.perf_counter() - t
        rows[reuse] = (len(table), seconds, table.set_index("scenario_id")["objective_bn_krw"])
    (n1, s1, o1), (n2, s2, o2) = rows[True], rows[False]
    same = np.allclose(o1.sort_index(), o2.sort_index(), rtol=2 * sweep.base_model().solver
                       .mip_rel_gap, equal_nan=True)
    print(f"scenarios: {n1} (parameters {sorted(resolvable)}), workers: {args.workers}")
    print(f"re-solve (build once per worker): {s1:7.1f} s  {60 * n1 / s1:6.1f} scenarios/min")
    print(f"rebuild per scenario:             {s2:7.1f} s  {60 * n2 / s2:6.1f} scenarios/min")
    print(f"speed-up re-solve / rebuild:      {s2 / s1:6.2f}x   objectives agree: {same}")


if __name__ == "__main__":
    main()

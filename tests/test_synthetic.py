"""Synthetic instances: deterministic, valid input tables; the benchmark runs end to end.

Timings live in ``bench/``, not here: these tests check only behaviour.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import siting
from siting.model.precheck import precheck
from siting.problems.synthetic import candidate_points, synthetic_case, write_synthetic

ROOT = Path(__file__).resolve().parents[1]


def test_same_seed_gives_identical_tables():
    a, b = synthetic_case(60, seed=3), synthetic_case(60, seed=3)
    assert a.model == b.model
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])


def test_different_seed_gives_different_tables():
    a, b = synthetic_case(60, seed=3), synthetic_case(60, seed=4)
    assert not a.tables["sites"].equals(b.tables["sites"])
    assert not a.tables["re_zones"].equals(b.tables["re_zones"])
    # the real province and corridor tables are shared
    pd.testing.assert_frame_equal(a.tables["provinces"], b.tables["provinces"])
    pd.testing.assert_frame_equal(a.tables["corridors"], b.tables["corridors"])


@pytest.mark.parametrize("n, periods", [(60, 3), (300, 4)])
def test_tables_pass_validation(tmp_path, n, periods):
    path = write_synthetic(tmp_path / "case", n, periods, seed=1)
    model = siting.load_model_file(path)
    inputs = siting.load_inputs(model)  # raises InputError listing any problem
    data = siting.prepare(inputs, model)
    precheck(data)
    assert len(inputs.sites) == n and inputs.sites.index.is_unique
    assert len(model.periods) == periods
    assert len(inputs.provinces) == 17
    # renewable zones are the real ones split into parts sharing their potential
    real = pd.read_csv(ROOT / "data" / "re_zones.csv")
    assert inputs.re_zones["potential_mw"].sum() == pytest.approx(real["potential_mw"].sum(),
                                                                  rel=1e-4)


def test_points_beyond_the_municipal_count_are_distinct():
    pts = candidate_points(5100, np.random.default_rng(0))
    assert len(pts) == 5100 and pts["point_id"].is_unique
    assert pts["lon"].between(124.5, 131.0).all() and pts["lat"].between(33.0, 38.7).all()


def test_small_instance_solves_and_costs_add_up_to_the_objective(tmp_path):
    out = siting.run(write_synthetic(tmp_path / "case", 40, 3, seed=2), runs_dir=None)
    r = out.results
    assert r.solve.status == "optimal"
    assert r.costs["present_value_bn_krw"].sum() == pytest.approx(r.solve.objective, rel=1e-9)
    kpis = r.kpis.set_index("period")
    for p, t in out.data.target_mw.items():
        assert kpis.at[p, "it_mw"] >= t - 1e-6


def test_benchmark_runs_end_to_end(tmp_path):
    cmd = [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "20", "--no-orlib",
           "--no-linopy", "--no-warmup", "--out", str(tmp_path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=ROOT,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    result = json.loads((tmp_path / "results.json").read_text())
    (row,) = result["sizes"]
    pipe = row["pipeline"]
    assert "error" not in pipe and pipe["status"] == "optimal" and pipe["sites"] == 20
    for key in ("load_s", "build_s", "to_highs_s", "highs_s", "extract_s", "peak_mb",
                "resolve_s", "rebuild_s"):
        assert pipe[key] >= 0
    # the same model solved by HiGHS alone from MPS, and the re-solve vs the rebuild
    assert row["mps"]["objective"] == pytest.approx(pipe["objective"], rel=2e-3)
    assert pipe["resolve_objective"] == pytest.approx(pipe["rebuild_objective"], rel=2e-3)
    assert "Where the time goes" in (tmp_path / "results.md").read_text()

"""Sweeps: re-solve equals rebuild, local equals Dask, resume, failures, charts."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import tomli_w
from tiny import default_sites, provinces, write_case

from siting.sweep import load_sweep_file, run_sweep, scenarios
from siting.sweep.charts import pareto_front, tornado_data
from siting.sweep.outputs import write_charts
from siting.sweep.parameters import CATALOGUE
from siting.sweep.table import read_table

MODEL = {"constraints": {
    "grid": {"enabled": True, "node_headroom": False},
    "decentralization": {"enabled": True, "capital_region_max_share": 0.5,
                         "province_max_share": 1.0, "min_host_provinces": 1}}}
SPARE = {"Chungnam": 40 * 8.76, "Jeonnam": 100 * 8.76, "Seoul": 100 * 8.76}
COMPARE = ["scenario_id", "status", "objective_bn_krw", "kpi__it_mw",
           "kpi__capital_region_share", "it_mw__Seoul", "it_mw__Chungnam", "it_mw__Jeonnam"]


def make_sweep(tmp_path, parameters, design=None, name="tiny-sweep", reuse=True):
    case = write_case(tmp_path / "case", model=MODEL,
                      sites=default_sites(with_capital=True),
                      provinces_df=provinces(spare_gwh=SPARE))
    doc = {"name": name, "base": str(case), "design": design or {"method": "grid"},
           "parameters": parameters, "run": {"workers": 2, "reuse_model": reuse}}
    path = tmp_path / f"{name}.toml"
    path.write_text(tomli_w.dumps(doc))
    return path


GRID = {"target_scale": {"values": [1.0, 2.0]},
        "capex_scale": {"values": [1.0, 3.0]},
        "capital_region_max_share": {"values": [0.0, 0.5]},
        "surplus_share": {"values": [1.0, 0.5]}}


def test_resolve_equals_rebuild_and_hand_values(tmp_path):
    a = run_sweep(make_sweep(tmp_path / "a", GRID), tmp_path / "ra", progress=False)
    b = run_sweep(make_sweep(tmp_path / "b", GRID, reuse=False), tmp_path / "rb",
                  progress=False)
    assert len(a) == 16 and (a["status"] == "optimal").all()
    assert set(a["mode"]) == {"resolve"} and set(b["mode"]) == {"rebuild"}
    pd.testing.assert_frame_equal(a[COMPARE], b[COMPARE], check_exact=False, rtol=1e-9)
    # hand-derived: base = C 10 (5) + A 20 (30) = 35 (capital cap 0.5);
    # no capital region (cap 0) and target x2 = 60 MW: A 50 (60, importing 10 MW over the
    # corridor) + B 10 (20) = 80
    def pick(t, c, k):
        return a[(a["param__target_scale"] == t) & (a["param__capex_scale"] == 1)
                 & (a["param__capital_region_max_share"] == k)
                 & (a["param__surplus_share"] == 1)]["objective_bn_krw"].item()

    assert pick(1, 1, 0.5) == pytest.approx(35.0)
    assert pick(2, 1, 0.0) == pytest.approx(80.0)


def test_local_and_dask_give_identical_tables(tmp_path):
    from distributed import LocalCluster

    path = make_sweep(tmp_path, GRID)
    local = run_sweep(path, tmp_path / "local", progress=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        dask = run_sweep(path, tmp_path / "dask", scheduler=cluster.scheduler_address,
                         progress=False)
    pd.testing.assert_frame_equal(local[COMPARE], dask[COMPARE])
    assert list(local["folder"]) == list(dask["folder"])
    s1 = pd.read_csv(tmp_path / "local" / "tiny-sweep" / local.folder[5] / "sites.csv")
    s2 = pd.read_csv(tmp_path / "dask" / "tiny-sweep" / local.folder[5] / "sites.csv")
    pd.testing.assert_frame_equal(s1, s2)


def test_resume_after_interruption(tmp_path, monkeypatch):
    import siting.sweep.executor as ex

    path = make_sweep(tmp_path, GRID)
    real = ex._write_scenario
    calls = {"n": 0}

    def interrupt_after_five(*args, **kw):
        if calls["n"] == 5:
            raise KeyboardInterrupt
        calls["n"] += 1
        return real(*args, **kw)

    monkeypatch.setattr(ex, "_write_scenario", interrupt_after_five)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(path, tmp_path / "runs", progress=False)
    partial = read_table(tmp_path / "runs" / "tiny-sweep")
    assert len(partial) == 5 and partial["scenario_id"].is_unique
    monkeypatch.setattr(ex, "_write_scenario", real)
    full = run_sweep(path, tmp_path / "runs", progress=False)
    assert len(full) == 16 and full["scenario_id"].is_unique
    ids = [sid for sid, _ in scenarios(load_sweep_file(path),
                                       load_sweep_file(path).base_model())]
    assert sorted(full["scenario_id"]) == sorted(ids)
    assert sorted(p.name for p in (tmp_path / "runs" / "tiny-sweep" / "scenarios").iterdir()) \
        == sorted(f.removeprefix("scenarios/") for f in full["folder"])
    again = run_sweep(path, tmp_path / "runs", progress=False)  # nothing left to do
    pd.testing.assert_frame_equal(full, again)


def test_failures_are_recorded_and_the_sweep_goes_on(tmp_path):
    params = {"target_scale": {"values": [1.0, 100.0]}, "headroom_scale": {"values": [1.0]}}
    table = run_sweep(make_sweep(tmp_path, params), tmp_path / "runs", progress=False)
    st = table.set_index("param__target_scale")["status"]
    assert st[1.0] == "optimal" and st[100.0] == "infeasible"
    assert table.loc[table["status"] == "infeasible", "objective_bn_krw"].isna().all()


def test_table_reads_with_duckdb(tmp_path):
    import duckdb

    run_sweep(make_sweep(tmp_path, {"target_scale": {"values": [1.0, 1.5]}}), tmp_path / "r",
              progress=False)
    file = tmp_path / "r" / "tiny-sweep" / "results.parquet"
    n, best = duckdb.sql(f"select count(*), min(objective_bn_krw) from "
                         f"read_parquet('{file}')").fetchall()[0]
    assert n == 2 and best == pytest.approx(35.0)


def test_lhs_is_seeded(tmp_path):
    params = {"target_scale": {"range": [0.5, 1.5]}, "capex_scale": {"range": [1.0, 2.0]}}
    design = {"method": "lhs", "samples": 7, "seed": 3}
    s1 = load_sweep_file(make_sweep(tmp_path / "a", params, design))
    s2 = load_sweep_file(make_sweep(tmp_path / "b", params, {**design, "seed": 4}))
    a = scenarios(s1, s1.base_model())
    assert a == scenarios(s1, s1.base_model())
    assert a != scenarios(s2, s2.base_model())
    vals = np.array([p["target_scale"] for _, p in a])
    # one sample in each of the 7 strata of [0.5, 1.5]
    assert sorted(np.floor((vals - 0.5) / (1 / 7)).astype(int)) == list(range(7))


def test_oat_tornado_and_charts(tmp_path):
    params = {"target_scale": {"values": [0.5, 1.0, 1.5]}, "capex_scale": {"values": [3.0]}}
    path = make_sweep(tmp_path, params, {"method": "oat"})
    table = run_sweep(path, tmp_path / "r", progress=False)
    assert len(table) == 4  # base + 2 target values + 1 capex value
    d = tornado_data(table, {"target_scale": 1.0, "capex_scale": 1.0}, "objective_bn_krw")
    base = 35.0  # C 10 (5) + A 20 (30)
    # target x0.5 = 15 MW: C <= half the total, so C 10 + A 10 (5 + 20) = 25;
    # target x1.5 = 45 MW: C 20 + A 30 (10 + 40) = 50;
    # capex x3: C 10 + A 20 (15 + 60 + 10) = 85
    assert d.loc["target_scale", "low"] == pytest.approx(25.0 - base)
    assert d.loc["target_scale", "high"] == pytest.approx(50.0 - base)
    assert d.loc["capex_scale", "high"] == pytest.approx(85.0 - base)
    assert list(d.index) == ["capex_scale", "target_scale"]  # span 50 before span 25
    written = write_charts(tmp_path / "r" / "tiny-sweep")
    assert {p.name for p in written} == {"tornado.png", "multiples.png"}
    assert all(p.stat().st_size > 10_000 for p in written)


def test_pareto_front_dominance():
    table = pd.DataFrame({"scenario_id": list("abcd"),
                          "param__province_max_share": [0.3, 0.4, 0.5, 0.6],
                          "kpi__largest_province_share": [0.30, 0.40, 0.50, 0.55],
                          "objective_bn_krw": [100.0, 90.0, 80.0, 85.0]})
    pts = pareto_front(table).set_index("scenario_id")
    # d (0.55, 85) is dominated by c (0.50, 80); a, b, c trade cost against the share
    assert pts["efficient"].to_dict() == {"a": True, "b": True, "c": True, "d": False}


def test_sweep_file_errors(tmp_path):
    from siting.errors import InputError

    with pytest.raises(InputError, match="unknown parameters"):
        load_sweep_file(make_sweep(tmp_path, {"tarif_scale": {"values": [1.0]}}))
    with pytest.raises(InputError, match="needs 'range'"):
        load_sweep_file(make_sweep(tmp_path, {"target_scale": {"values": [1.0]}},
                                   {"method": "lhs"}))


def test_regression_plan_does_not_depend_on_worker_history():
    # A persistent HiGHS instance broke a tie differently after another scenario had been
    # solved on the same worker (korea-sweep, renewable_share_scale 0.5: Busan 220 /
    # Gyeongnam 100 MW vs 240 / 80 MW at the same cost), so local and Dask tables differed.
    from pathlib import Path

    import siting
    from siting.sweep import worker

    model = siting.load_model_file(Path(__file__).resolve().parents[1] / "models"
                                   / "korea-2030.toml")
    inputs = siting.load_inputs(model)
    base = {"renewable_share_scale": 1.0, "tariff_scale": 1.0}

    def task(**params):
        return worker.Task("x", {**base, **params}, model, inputs, "korea", True, base)

    worker._CACHE.clear()
    fresh = worker.run_scenario(task(renewable_share_scale=0.5))
    worker._CACHE.clear()
    worker.run_scenario(task(renewable_share_scale=0.0))  # the history that broke the tie
    after = worker.run_scenario(task(renewable_share_scale=0.5))
    assert fresh.mode == after.mode == "resolve"
    pd.testing.assert_frame_equal(fresh.results.sites, after.results.sites)
    assert fresh.results.solve.objective == after.results.solve.objective


def test_scenario_names_unique_and_read_back():
    from siting.sweep.names import BASE, parse_name, scenario_names

    base = {"surplus_share": 0.15, "corridor_scale": 1.0, "target_scale": 1.0}
    design = [("s0", dict(base)), ("s1", {**base, "surplus_share": 0.12}),
              ("s2", {**base, "surplus_share": 0.12, "corridor_scale": 0.8}),
              ("s3", {**base, "target_scale": 2.0}), ("s4", {**base, "target_scale": 1e-05}),
              ("s5", {**base, "surplus_share": 0.12})]  # a value listed twice
    names = scenario_names(design, base)
    assert names == {"s0": BASE, "s1": "surplus_share=0.12",
                     "s2": "surplus_share=0.12,corridor_scale=0.8", "s3": "target_scale=2",
                     "s4": "target_scale=1e-05", "s5": "surplus_share=0.12~2"}
    assert len(set(names.values())) == len(design)
    for sid, params in design:
        assert parse_name(names[sid], base) == params


def test_grid_and_lhs_names_are_unique_safe_folder_names(tmp_path):
    from siting.outputs.runfolder import MAX_NAME
    from siting.sweep.names import parse_name, scenario_names

    for params, design in ((GRID, None),
                           ({"target_scale": {"range": [0.5, 1.5]},
                             "capex_scale": {"range": [1.0, 2.0]},
                             "capital_region_max_share": {"range": [0.0, 0.5]},
                             "surplus_share": {"range": [0.1, 0.9]}},
                            {"method": "lhs", "samples": 30, "seed": 1})):
        sweep = load_sweep_file(make_sweep(tmp_path / str(len(params)), params, design))
        base = sweep.base_model()
        values = {n: CATALOGUE[n].base(base) for n in sweep.parameters}
        design_rows = scenarios(sweep, base)
        names = scenario_names(design_rows, values)
        assert len({n.lower() for n in names.values()}) == len(design_rows)
        assert all(len(n) <= MAX_NAME and re.fullmatch(r"[\w.=,+~-]+", n)
                   for n in names.values())
        for sid, p in design_rows:
            back = parse_name(names[sid], values)
            if back is not None:  # exact: the shortest text that reads back the same
                assert back == pytest.approx(p, rel=1e-3 if design else 0)


def test_folders_linked_and_infeasible_explained(tmp_path):
    import json

    from openpyxl import load_workbook

    # target x100 = 3,000 MW on three sites of 50 MW: short by 3,000 - 150 = 2,850 MW;
    # re-solved in place the elastic re-solve says so; rebuilt, the precheck's count says
    # so before solving.
    for reuse, words in ((True, "national target short by 2,850.0 MW IT"),
                         (False, "exceeds the 150 MW")):
        params = {"target_scale": {"values": [1.0, 100.0]}}
        out = tmp_path / str(reuse)
        table = run_sweep(make_sweep(out, params, reuse=reuse), out / "runs", progress=False)
        row = table.set_index("param__target_scale")
        assert row.at[100.0, "status"] == "infeasible"
        assert words in row.at[100.0, "explanation"]
        assert row.at[1.0, "explanation"] == ""
        assert row.at[100.0, "folder"] == "scenarios/target_scale=100"
        assert row.at[1.0, "folder"] == "scenarios/base"
        for r in table.itertuples():
            doc = json.loads((out / "runs" / "tiny-sweep" / r.folder / "row.json").read_text())
            assert doc["scenario_id"] == r.scenario_id
        wb = load_workbook(out / "runs" / "tiny-sweep" / "results.xlsx")
        sheet = list(wb["scenarios"].iter_rows(values_only=True))
        assert len(sheet) - 1 == len(table)
        assert sheet[0][:4] == ("folder", "scenario_id", "status", "explanation")
        assert wb["scenarios"].cell(row=2, column=1).hyperlink is not None


def test_tornado_marks_failed_scenarios():
    # base cost 10; x=2 costs 15, x=0.5 has no plan; y moves nothing, y=3 has no plan;
    # z: every moved scenario failed
    table = pd.DataFrame({
        "scenario_id": list("abcdef"),
        "status": ["optimal", "optimal", "infeasible", "optimal", "infeasible", "error"],
        "param__x": [1.0, 2.0, 0.5, 1.0, 1.0, 1.0],
        "param__y": [1.0, 1.0, 1.0, 2.0, 3.0, 1.0],
        "param__z": [0.0, 0.0, 0.0, 0.0, 0.0, 9.0],
        "objective_bn_krw": [10.0, 15.0, None, 10.0, None, None]})
    d = tornado_data(table, {"x": 1.0, "y": 1.0, "z": 0.0}, "objective_bn_krw")
    assert d.loc["x", ["low", "high", "high_at", "n_failed"]].tolist() == [0.0, 5.0, 2.0, 1]
    assert d.loc["x", "failed"] == "0.5 (infeasible)"
    assert d.loc["y", ["span", "n_failed", "failed"]].tolist() == [0.0, 1, "3 (infeasible)"]
    assert d.loc["z", ["n_failed", "failed"]].tolist() == [1, "9 (error)"]
    from siting.sweep.charts import plot_tornado

    fig = plot_tornado(table, {"x": 1.0, "y": 1.0, "z": 0.0})
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert sorted(t.split("\n")[0] for t in ticks) == ["x", "y", "z"]  # none left out
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert " +5.0 (at 2) " in texts  # the bar's value
    import matplotlib.pyplot as plt

    plt.close(fig)

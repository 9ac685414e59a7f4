"""Infeasible scenarios are explained with numbers; limits of the solver are reported."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tiny import corridors, default_sites, nodes_for, provinces, write_case
from typer.testing import CliRunner

import siting
from siting.cli import app
from siting.errors import InfeasibleError, NoSolutionError

ROOT = Path(__file__).resolve().parents[1]


def reasons(tmp_path, **kw):
    with pytest.raises(InfeasibleError) as exc:
        siting.run(write_case(tmp_path, **kw), runs_dir=None)
    return exc.value.reasons


def test_capital_commitments_above_cap(tmp_path):
    sites = default_sites(with_capital=True)
    model = {"constraints": {
        "targets": {"committed": [{"site": "C", "period": 2030, "it_mw": 40.0}]},
        "decentralization": {"enabled": True, "capital_region_max_share": 0.2,
                             "province_max_share": 1.0, "min_host_provinces": 0}}}
    (msg,) = reasons(tmp_path, sites=sites, model=model)
    assert "capital-region cap 20%" in msg and "40 MW" in msg and "133% of the 30 MW" in msg


def test_committed_projects_above_node_headroom(tmp_path):
    sites = default_sites()
    model = {"constraints": {"grid": {"enabled": True, "province_balance": False},
                             "targets": {"committed": [
                                 {"site": "A", "period": 2030, "it_mw": 40.0}]}}}
    found = reasons(tmp_path, sites=sites, nodes=nodes_for(sites, {"A": 30.0}), model=model)
    assert any("grid node node_A draw 40 MW" in r and "headroom is 30 MW" in r for r in found)


def test_min_hosts_above_provinces(tmp_path):
    model = {"constraints": {"decentralization": {
        "enabled": True, "capital_region_max_share": 1.0, "province_max_share": 1.0,
        "min_host_provinces": 3}}}
    (msg,) = reasons(tmp_path, model=model)
    assert "at least 3 host provinces" in msg and "only 2" in msg


def test_renewable_radius_leaves_too_few_sites(tmp_path):
    from tiny import POINTS, zones

    lon, lat = POINTS["Jeonnam"]
    z = zones([{"zone_id": "z", "name": "z", "province_id": "Jeonnam", "technology": "solar",
                "lon": lon, "lat": lat, "potential_mw": 1000.0, "capacity_factor": 0.2,
                "cost_krw_per_kwh": 0.0}])
    model = {"constraints": {"renewable": {"enabled": True, "min_share": 0.5,
                                           "radius_km": 50.0},
                             "targets": {"values": {"2030": 60.0}}}}
    (msg,) = reasons(tmp_path, zones_df=z, model=model)
    assert "2030 target 60 MW exceeds the 50 MW" in msg and "renewable zone" in msg


def test_elastic_diagnosis_names_the_province(tmp_path):
    # Chungnam spare 20, Jeonnam 5, no corridor, target 30: the smallest relaxation is
    # A 20 + B 10 with Jeonnam 5 MW short (the count checks cannot see this)
    spare = {"Chungnam": 20 * 8.76, "Jeonnam": 5 * 8.76, "Seoul": 0.0}
    model = {"constraints": {"grid": {"enabled": True, "node_headroom": False}}}
    found = reasons(tmp_path, provinces_df=provinces(spare_gwh=spare),
                    corridors_df=corridors([]), model=model)
    assert found[1:] == ["2030: province Jeonnam needs 5.0 MW more spare supply or imports"]


def test_elastic_diagnosis_decentralization(tmp_path):
    # B fixed at 10 MW, province cap 50% with only A and B: A 20 + B 10 puts 2/3 in
    # Chungnam, 5 MW over its 15 MW cap (A 10 would miss the target: not a limit)
    model = {"constraints": {
        "decentralization": {"enabled": True, "capital_region_max_share": 1.0,
                             "province_max_share": 0.5, "min_host_provinces": 0},
        "targets": {"committed": [{"site": "B", "period": 2030, "it_mw": 10.0,
                                   "mode": "fixed"}]}}}
    found = reasons(tmp_path, model=model)
    assert found[1:] == ["2030: province cap exceeded in Chungnam by 5.0 MW IT"]


def test_elastic_diagnosis_falls_back_to_targets(tmp_path):
    # A only from 2031, B fixed at 10 MW, target 25: no limit can help; the smallest goal
    # relaxation is the target (15 MW) rather than the commitment (20 MW, whole modules)
    from tiny import site

    sites = pd.DataFrame([site("A", "Chungnam", 1.0, 10.0, available=2031),
                          site("B", "Jeonnam", 2.0, 0.0)])
    model = {"constraints": {"targets": {"values": {"2030": 25.0}, "committed": [
        {"site": "B", "period": 2030, "it_mw": 10.0, "mode": "fixed"}]}}}
    found = reasons(tmp_path, sites=sites, model=model)
    assert found[1:] == ["2030: national target short by 15.0 MW IT"]


def test_shipped_infeasible_example_via_cli():
    path = ROOT / "models" / "examples" / "korea-2030-tight-grid.toml"
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output  # the counts alone look fine
    result = CliRunner().invoke(app, ["run", str(path), "--runs-dir", "/nonexistent/never"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "The scenario is infeasible" in result.output
    assert "more spare supply or imports" in result.output


def _relaxed(data, found, scale: float, extra: float = 0.0):
    """The scenario's model with each listed limit relaxed by ``scale * amount + extra``."""
    m = siting.build_model(data)
    for r in found:
        c = getattr(m, r.limit)[r.index if len(r.index) > 1 else r.index[0]]
        assert not c.equality
        a = scale * r.amount + extra
        if c.upper is not None:
            c.set_value((c.lower, c.body, c.upper + a))
        else:
            c.set_value((c.lower - a, c.body, None))
    return m


def test_shipped_infeasible_example_relaxations_are_sufficient_and_minimal():
    """The listed relaxations make the scenario feasible, and 98% of them do not: the
    elastic optimum is the smallest total relaxation of the limits (within the 1e-4 gap),
    so any relaxation of smaller total fails, whichever split between provinces HiGHS
    returned among equal totals."""
    from siting.model.diagnose import GOALS, find_relaxations

    model = siting.load_model_file(ROOT / "models" / "examples" / "korea-2030-tight-grid.toml")
    data = siting.prepare(siting.load_inputs(model), model)
    found = find_relaxations(data)
    assert found and not any(r.limit in GOALS for r in found)
    assert any(r.limit == "province_balance" for r in found)
    enough = siting.solve_model(_relaxed(data, found, 1.0, extra=1e-3), model.solver)
    assert enough.status == "optimal"
    short = siting.solve_model(_relaxed(data, found, 0.98), model.solver)
    assert short.status in ("infeasible", "infeasible_or_unbounded")


def test_stopped_early_keeps_best_plan_and_says_so(tmp_path):
    base = siting.load_model_file(ROOT / "models" / "korea-2030.toml")
    solver = base.solver.model_copy(update={"options": {"mip_max_improving_sols": 1}})
    model = base.model_copy(update={"solver": solver})
    out = siting.run(model, runs_dir=tmp_path, run_id="early", draw_map=False)
    manifest = json.loads((tmp_path / "early" / "manifest.json").read_text())
    assert manifest["status"] == out.results.solve.status == "stopped"
    assert manifest["mip_gap"] > base.solver.mip_rel_gap
    assert pd.read_csv(tmp_path / "early" / "kpis.csv")["it_mw"].iloc[-1] >= 2400 - 1e-6


def test_no_incumbent_is_reported_clearly(tmp_path, monkeypatch):
    import siting.api
    from siting.model.solve import SolveReport

    def no_solution(m, options, *args, **kwargs):
        return SolveReport("time_limit_no_solution", "maxTimeLimit", float("nan"),
                           float("nan"), float("nan"), 60.0, "HiGHS")

    monkeypatch.setattr(siting.api, "solve_model", no_solution)
    with pytest.raises(NoSolutionError, match="without finding any feasible plan"):
        siting.run(write_case(tmp_path / "case"), runs_dir=tmp_path / "runs")
    assert not (tmp_path / "runs").exists()

"""Issue 11, model items: each test fails on the code before its fix.

Instances from ``tests/tiny.py``: with only capex and fixed costs,
``cost = sum_s capex_s * it_s + fixed_s * open_s`` per year; A (Chungnam) 1/MW + 10 fixed,
B (Jeonnam) 2/MW, C (Seoul) 0.5/MW; modules of 10 MW. With periods 2030 and 2038 at a
zero discount rate, 2030 stands for 8 years and 2038 for 1 (``last_period_years``).
"""

from __future__ import annotations

import pandas as pd
import pytest
from tiny import nodes_for, site, write_case

import siting
from siting.errors import InfeasibleError

TWO_PERIODS = {"periods": [2030, 2038]}


def solve(tmp_path, **kw):
    return siting.run(write_case(tmp_path, **kw), runs_dir=None)


def it_mw(run, site_id, period):
    s = run.results.sites
    return float(s.loc[(s.site_id == site_id) & (s.period == period), "it_mw"].iloc[0])


def _sites(*rows):
    return pd.DataFrame(list(rows))


# --- 1. the pre-solve check counts the largest commitment per site, not their sum ---------

@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_regression_precheck_sums_cumulative_commitments(tmp_path, order):
    # The Ulsan case in small: A committed to 10 MW (2030) and 40 MW (2038), its node has
    # 45 MW of headroom (PUE 1). The old check counted 10 + 40 = 50 MW > 45 and refused.
    # A holds 10 in 2030 and 40 in 2038 (floors; targets 10 and 10 are met by them):
    # 8 yr x (10 + 10) + 1 yr x (40 + 10) = 210. Listing the 2038 floor first must not
    # let the 2030 one replace it.
    sites = _sites(site("A", "Chungnam", 1.0, 10.0),
                   site("B", "Jeonnam", 2.0, 0.0))
    floors = [{"site": "A", "period": 2030, "it_mw": 10.0},
              {"site": "A", "period": 2038, "it_mw": 40.0}]
    model = TWO_PERIODS | {"constraints": {
        "targets": {"values": {"2030": 10.0, "2038": 10.0},
                    "committed": [floors[i] for i in order]},
        "grid": {"enabled": True, "province_balance": False}}}
    r = solve(tmp_path, sites=sites, nodes=nodes_for(sites, {"A": 45.0}), model=model)
    assert r.results.solve.status == "optimal"
    assert r.results.solve.objective == pytest.approx(210.0)
    assert it_mw(r, "A", 2030) == 10 and it_mw(r, "A", 2038) == 40


def test_precheck_still_refuses_commitments_beyond_node_headroom(tmp_path):
    # A (30 MW from 2038) and B (20 MW from 2030) share node_A with 45 MW of headroom:
    # in 2038 they need 30 + 20 = 50 MW > 45 MW, which no plan can give.
    sites = _sites(site("A", "Chungnam", 1.0, 10.0),
                   site("B", "Jeonnam", 2.0, 0.0) | {"grid_node_id": "node_A"})
    model = TWO_PERIODS | {"constraints": {
        "targets": {"values": {"2030": 10.0, "2038": 10.0},
                    "committed": [{"site": "A", "period": 2038, "it_mw": 30.0},
                                  {"site": "B", "period": 2030, "it_mw": 20.0}]},
        "grid": {"enabled": True, "province_balance": False}}}
    with pytest.raises(InfeasibleError, match="node_A draw 50 MW"):
        solve(tmp_path, sites=sites, nodes=nodes_for(sites.iloc[:1], {"A": 45.0}), model=model)


def test_regression_precheck_sums_capital_commitments(tmp_path):
    # C (Seoul) committed to 60 MW (2030) and 100 MW (2038); cap 50%; sites of 100 MW.
    # The old check: 60 + 100 = 160 > 50% x 300 MW and refused; 100 <= 150 is possible.
    # 2030: C 60, the cap needs A + B >= 60: A 60 -> 0.5 x 60 + 60 + 10 = 100 per yr.
    # 2038: C 100, A + B >= 100: A 100 -> 50 + 100 + 10 = 160. 8 x 100 + 1 x 160 = 960.
    sites = _sites(*(site(i, prov, capex, fixed, max_mw=100.0)
                     for i, prov, capex, fixed in (("A", "Chungnam", 1.0, 10.0),
                                                   ("B", "Jeonnam", 2.0, 0.0),
                                                   ("C", "Seoul", 0.5, 0.0))))
    dec = {"enabled": True, "capital_region_max_share": 0.5, "province_max_share": 1.0,
           "min_host_provinces": 0}
    model = TWO_PERIODS | {"constraints": {
        "targets": {"values": {"2030": 10.0, "2038": 40.0},
                    "committed": [{"site": "C", "period": 2030, "it_mw": 60.0},
                                  {"site": "C", "period": 2038, "it_mw": 100.0}]},
        "decentralization": dec}}
    r = solve(tmp_path, sites=sites, model=model)
    assert r.results.solve.objective == pytest.approx(960.0)
    assert it_mw(r, "C", 2038) == 100 and it_mw(r, "A", 2038) == 100



# --- 5. a capital-region minimum share ------------------------------------------------------

def _capital_case(c_max_mw=50.0, **dec):
    sites = _sites(site("A", "Chungnam", 1.0, 10.0), site("B", "Jeonnam", 2.5, 0.0),
                   site("C", "Seoul", 3.0, 0.0, max_mw=c_max_mw))
    dec = {"enabled": True, "capital_region_max_share": 1.0, "province_max_share": 1.0,
           "min_host_provinces": 0} | dec
    return {"sites": sites, "model": {"constraints": {"decentralization": dec}}}


def test_capital_region_min_share(tmp_path):
    # target 30, C (Seoul) 3/MW must hold >= 50%: C >= A + B, so C 20 and 10 elsewhere
    # (C 10 < 15 breaks the share): C 20 (60) + A 10 (10 + 10) = 80 < C 30 (90),
    # C 20 + B 10 (60 + 25 = 85). Without the floor: A 30 -> 40.
    r = solve(tmp_path, **_capital_case(capital_region_min_share=0.5))
    assert r.results.solve.objective == pytest.approx(80.0)
    assert it_mw(r, "C", 2030) == 20 and it_mw(r, "A", 2030) == 10
    assert r.results.kpis["capital_region_share"].iloc[0] == pytest.approx(20 / 30)


@pytest.mark.parametrize("dec, c_max_mw, message", [
    # C holds at most 10 MW, the share needs 50% x 30 = 15 MW
    ({"capital_region_min_share": 0.5}, 10.0, "needs 15 MW IT there"),
    ({"capital_region_min_share": 0.4, "capital_region_max_share": 0.3}, 50.0,
     "minimum share 40% exceeds its cap 30%"),
])
def test_capital_region_min_share_precheck(tmp_path, dec, c_max_mw, message):
    with pytest.raises(InfeasibleError, match=message):
        solve(tmp_path, **_capital_case(c_max_mw, **dec))


def test_capital_region_min_share_diagnosis(tmp_path):
    # C <= 10 MW, T >= 30: 10 - 0.5 x 30 = -5, the floor must give 5 MW
    from siting.inputs.model_file import load_model_file
    from siting.inputs.tables import load_inputs
    from siting.model.data import prepare
    from siting.model.diagnose import find_relaxations

    model = load_model_file(write_case(tmp_path, **_capital_case(
        10.0, capital_region_min_share=0.5)))
    found = find_relaxations(prepare(load_inputs(model), model))
    assert [(r.limit, round(r.amount, 6)) for r in found] == [("capital_region_floor", 5.0)]
    assert found[0].message == "2030: capital-region minimum share short by 5.0 MW IT"


# --- 2. equal-cost plans: one rule picks among them -----------------------------------------

def _equal_cost_sites(extra=(), reverse=False):
    # A and B cost 1 bn KRW/MW, no fixed cost: any split of the 30 MW target costs 30
    rows = [site("A", "Chungnam", 1.0, 0.0), site("B", "Jeonnam", 1.0, 0.0), *extra]
    return _sites(*(rows[::-1] if reverse else rows))


@pytest.mark.parametrize("case", ["base", "rows reversed", "dear site added", "three ties"])
def test_regression_equal_cost_plans_pick_earliest_site_id(tmp_path, case):
    # Every plan with A + B (+ D) = 30 MW costs 1 x 30 = 30. The tie-break prefers the
    # earliest site id: A 30. Reversing the rows of sites.csv, adding a site that is not
    # in the optimum (C at 5/MW) or a third equal-cost site (D) must not change that.
    extra = {"dear site added": [site("C", "Seoul", 5.0, 0.0)],
             "three ties": [site("D", "Seoul", 1.0, 0.0, max_mw=30.0)]}.get(case, [])
    sites = _equal_cost_sites(extra, reverse=case in ("rows reversed", "three ties"))
    r = solve(tmp_path, sites=sites)
    assert r.results.solve.objective == pytest.approx(30.0, rel=1e-12)
    assert r.results.costs["present_value_bn_krw"].sum() == pytest.approx(30.0, rel=1e-12)
    built = r.results.sites.set_index("site_id")["it_mw"]
    assert built["A"] == 30 and built.drop("A").sum() == 0


# --- 3. GPU targets: the target beside what was built, commitments in GPUs ------------------

def _kpi(run, col, period=2030):
    k = run.results.kpis
    return k.loc[k["period"] == period, col].iloc[0]


def test_gpu_target_overshoot_by_module_size(tmp_path):
    # 14,000 GPUs x 1.5 kW = 21 MW; modules of 10 MW: A 30 (30 + 10 = 40) beats
    # A 20 + B 10 (20 + 10 + 20 = 50) and B 30 (60). Built 30 MW = 20,000 GPUs, 9 MW over,
    # and no module can go without falling below 21 MW.
    model = {"constraints": {"targets": {"unit": "GPU", "kw_per_gpu": 1.5,
                                         "values": {"2030": 14_000.0}}}}
    r = solve(tmp_path, model=model)
    assert r.results.solve.objective == pytest.approx(40.0)
    assert _kpi(r, "target_mw") == pytest.approx(21.0)
    assert _kpi(r, "target_gpus") == pytest.approx(14_000)
    assert _kpi(r, "it_gpus") == pytest.approx(20_000)
    assert _kpi(r, "built_minus_target_mw") == pytest.approx(9.0)
    assert _kpi(r, "target_gap_cause") == "module size (no open site can drop a 10 MW module)"


def test_commitment_in_gpus_rounded_to_modules(tmp_path):
    # target 5,000 GPUs x 2 kW = 10 MW; B committed to 12,500 GPUs = 25 MW, which takes
    # 3 modules of 10 MW = 30 MW at B (3 x 10 x 2 = 60); A stays shut. 30 - 10 = 20 MW over,
    # 5 MW of it from rounding the floor up to whole modules.
    from siting.inputs.model_file import load_model_file
    from siting.inputs.tables import load_inputs
    from siting.model.data import prepare
    from siting.model.precheck import module_rounding_notes

    model = {"constraints": {"targets": {
        "unit": "GPU", "kw_per_gpu": 2.0, "values": {"2030": 5_000.0},
        "committed": [{"site": "B", "period": 2030, "it_gpus": 12_500.0}]}}}
    path = write_case(tmp_path, model=model)
    r = siting.run(path, runs_dir=None)
    assert r.results.solve.objective == pytest.approx(60.0)
    assert it_mw(r, "B", 2030) == 30 and it_mw(r, "A", 2030) == 0
    assert _kpi(r, "built_minus_target_mw") == pytest.approx(20.0)
    assert _kpi(r, "commitment_rounding_mw") == pytest.approx(5.0)
    assert _kpi(r, "target_gap_cause") == ("commitments hold 30.0 MW (floor 25 MW at B needs "
                                           "3 x 10 MW = 30 MW)")
    mf = load_model_file(path)
    assert mf.constraints.targets.committed[0].it_mw == pytest.approx(25.0)
    assert module_rounding_notes(prepare(load_inputs(mf), mf)) == [
        "floor 25 MW (12,500 GPUs) at B (2030) needs 3 modules of 10 MW = 30 MW"]


@pytest.mark.parametrize("entry, message", [
    ({"it_mw": 20.0, "it_gpus": 10_000.0}, "gives both it_mw and it_gpus"),
    ({}, "needs it_mw"),
])
def test_commitment_needs_one_capacity(tmp_path, entry, message):
    from siting.errors import InputError

    model = {"constraints": {"targets": {"committed": [{"site": "B", "period": 2030} | entry]}}}
    with pytest.raises(InputError, match=message):
        solve(tmp_path, model=model)


def test_cli_summary_prints_target_and_overshoot(tmp_path):
    # the case of test_gpu_target_overshoot_by_module_size, through 'siting run'
    from typer.testing import CliRunner

    from siting.cli import app

    model = {"constraints": {"targets": {"unit": "GPU", "kw_per_gpu": 1.5,
                                         "values": {"2030": 14_000.0},
                                         "committed": [{"site": "A", "period": 2030,
                                                        "it_mw": 15.0}]}}}
    path = write_case(tmp_path, model=model)
    result = CliRunner().invoke(app, ["run", str(path), "--runs-dir", str(tmp_path / "runs"),
                                      "--no-map"])
    assert result.exit_code == 0, result.output
    assert "30 MW IT (target 21.0 MW = 14,000 GPUs) at 1 sites" in result.output
    assert "over target 9.0 MW: module size" in result.output
    assert "note        floor 15 MW at A (2030) needs 2 modules of 10 MW = 20 MW" \
        in result.output
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert "note: floor 15 MW at A (2030) needs 2 modules of 10 MW = 20 MW" in result.output


# --- 4. host provinces per GW of target, and a word when the minimum binds ------------------

@pytest.mark.parametrize("dec, expected", [
    # 50 per GW x 0.03 GW = 1.5 -> 2 hosts: A 20 (30) + B 10 (20) = 50
    ({"min_host_provinces_per_gw": 50.0}, 50.0),
    # 30 per GW x 0.03 GW = 0.9 -> 1 host: A 30 -> 40
    ({"min_host_provinces_per_gw": 30.0}, 40.0),
    # 2 by the per-GW rule, capped at min_host_provinces = 1 -> 40
    ({"min_host_provinces_per_gw": 50.0, "min_host_provinces": 1}, 40.0),
])
def test_min_host_provinces_per_gw(tmp_path, dec, expected):
    dec = {"enabled": True, "capital_region_max_share": 1.0, "province_max_share": 1.0,
           "min_host_provinces": 0} | dec
    r = solve(tmp_path, model={"constraints": {"decentralization": dec}})
    assert r.results.solve.objective == pytest.approx(expected)
    assert _kpi(r, "min_host_provinces") == (2 if expected == 50.0 else 1)


def test_result_says_when_host_minimum_binds(tmp_path):
    # two hosts required: A 20 (30) + B 10 (20) = 50 instead of A 30 (40); B holds one
    # uncommitted module only for the minimum
    dec = {"enabled": True, "capital_region_max_share": 1.0, "province_max_share": 1.0,
           "min_host_provinces": 2}
    r = solve(tmp_path, model={"constraints": {"decentralization": dec}})
    assert r.results.solve.objective == pytest.approx(50.0)
    assert _kpi(r, "host_provinces") == 2
    assert _kpi(r, "host_minimum_note") == ("min host provinces binds (2 hosts, 2 required); "
                                            "hosts with one uncommitted module: B (Jeonnam, "
                                            "10 MW)")

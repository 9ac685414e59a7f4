"""siting compare: every difference between two runs whose plans are derived by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from tiny import site, write_case

import siting
from siting.errors import SitingError
from siting.outputs.compare import compare_runs, write_comparison

# Three sites, no fixed costs, capex per MW: P 1.0 (Chungnam, module 20, max 40),
# Q 1.5 (Jeonnam, module 10, max 50), R 1.2 (Seoul, module 20, max 40).
# Target 30 MW: P 20 + Q 10 = 20 + 15 = 35 (P 40 = 40, Q 30 = 45, P 20 + R 20 = 44,
#   R 20 + Q 10 = 39, R 40 = 48).
# Target 60 MW: P 40 + R 20 = 40 + 24 = 64 (P 40 + Q 20 = 70, P 20 + R 40 = 68,
#   P 20 + R 20 + Q 20 = 74, R 40 + Q 20 = 78).
SITES = pd.DataFrame([site("P", "Chungnam", 1.0, 0.0, max_mw=40.0, module=20.0),
                      site("Q", "Jeonnam", 1.5, 0.0, max_mw=50.0, module=10.0),
                      site("R", "Seoul", 1.2, 0.0, max_mw=40.0, module=20.0)])
SITES.loc[SITES["site_id"] == "P", "name_ko"] = "충남 P"


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("compare")
    runs = {}
    for name, target in (("low", 30.0), ("high", 60.0)):
        case = write_case(base / name, sites=SITES,
                          model={"constraints": {"targets": {"values": {"2030": target}}}})
        runs[name] = siting.run(case, runs_dir=base / "runs", run_id=name,
                                draw_map=False).run_dir
    return runs


def test_every_difference(two_runs):
    c = compare_runs(two_runs["low"], two_runs["high"])
    s = c.sites.set_index("site_id")
    assert s["status"].to_dict() == {"P": "both", "Q": "A only", "R": "B only"}
    assert s[["a_it_mw", "b_it_mw", "change_it_mw"]].to_dict("index") == {
        "P": {"a_it_mw": 20.0, "b_it_mw": 40.0, "change_it_mw": 20.0},
        "Q": {"a_it_mw": 10.0, "b_it_mw": 0.0, "change_it_mw": -10.0},
        "R": {"a_it_mw": 0.0, "b_it_mw": 20.0, "change_it_mw": 20.0}}
    assert s.at["P", "name_ko"] == "충남 P"
    p = c.provinces.set_index("province_id")["change_it_mw"].to_dict()
    assert p == {"Chungnam": 20.0, "Jeonnam": -10.0, "Seoul": 20.0}
    costs = c.costs.set_index(["component", "period"])
    # capex only (no fixed, energy or grid cost in the tiny case): 35 -> 64
    for period in ("2030", "all"):
        row = costs.loc[("capex", period)]
        assert (row["a_present_value_bn_krw"], row["b_present_value_bn_krw"],
                row["change_present_value_bn_krw"]) == pytest.approx((35.0, 64.0, 29.0))
        assert costs.loc[("total", period), "change_present_value_bn_krw"] == \
            pytest.approx(29.0)
    assert costs.loc[("capex", "2030"), "change_bn_krw_per_yr"] == pytest.approx(29.0)
    assert costs.loc[("energy", "all"), "change_present_value_bn_krw"] == pytest.approx(0.0)
    k = c.kpis.set_index(["kpi", "period"])
    assert k.loc[("objective_bn_krw", "all"), ["a_value", "b_value"]].tolist() == \
        pytest.approx([35.0, 64.0])
    assert k.loc[("it_mw", "2030"), "change_value"] == pytest.approx(30.0)
    assert k.loc[("sites_open", "2030"), "change_value"] == 0.0  # two sites in each
    # capital-region share: 0 of 30 -> R's 20 of 60
    assert k.loc[("capital_region_share", "2030"), "b_value"] == pytest.approx(1 / 3)


def test_binding_limits(two_runs):
    c = compare_runs(two_runs["low"], two_runs["high"])
    b = c.binding.set_index(["limit", "id"])["status"].to_dict()
    # both plans meet the target exactly (30 and 60 MW); only B fills a site (P at 40)
    assert b[("national_target", "Korea")] == "both"
    assert b[("site_modules_upper", "P")] == "B only"
    assert ("site_modules_upper", "Q") not in b and ("site_modules_upper", "R") not in b


def test_the_same_run_has_no_differences(two_runs):
    c = compare_runs(two_runs["low"], two_runs["low"])
    assert set(c.sites["status"]) == {"both"} and (c.sites["change_it_mw"] == 0).all()
    assert (c.kpis["change_value"].fillna(0) == 0).all()
    assert set(c.binding["status"]) == {"both"}


def test_written_folder(two_runs, tmp_path):
    c = compare_runs(two_runs["low"], two_runs["high"])
    written = write_comparison(c, tmp_path / "cmp")
    assert {p.name for p in written} == {"sites.csv", "provinces.csv", "costs.csv",
                                         "binding.csv", "kpis.csv", "comparison.txt",
                                         "difference_map.png"}
    assert all(p.is_file() for p in written)
    back = pd.read_csv(tmp_path / "cmp" / "sites.csv")
    assert len(back) == len(c.sites) and set(back["status"]) == {"both", "A only", "B only"}
    assert (tmp_path / "cmp" / "difference_map.png").stat().st_size > 10_000


def test_missing_and_damaged_folders(two_runs, tmp_path):
    import shutil

    with pytest.raises(SitingError, match="does not exist"):
        compare_runs(tmp_path / "nope", two_runs["high"])
    broken = tmp_path / "broken"
    shutil.copytree(two_runs["high"], broken)
    (broken / "sites.csv").write_text("site_id\n", encoding="utf-8")
    with pytest.raises(SitingError, match="sites.csv is damaged"):
        compare_runs(two_runs["low"], broken)
    failed = tmp_path / "sweep" / "scenarios" / "target_scale=100"
    failed.mkdir(parents=True)
    (failed / "row.json").write_text('{"scenario_id": "s0001", "status": "infeasible", '
                                     '"explanation": "2030: national target short by 5 MW"}')
    with pytest.raises(SitingError, match="without a plan .status infeasible.: 2030"):
        compare_runs(two_runs["low"], failed)

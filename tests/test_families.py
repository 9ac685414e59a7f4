"""Each constraint family on a tiny instance whose optimum is derived by hand.

See ``tests/tiny.py`` for the instance: with only capex and fixed costs,
``cost = sum_s capex_s * it_s + fixed_s * open_s``; A (Chungnam) costs 1/MW + 10 fixed,
B (Jeonnam) 2/MW, C (Seoul) 0.5/MW; modules of 10 MW, at most 50 MW per site.
Every test asserts the objective (ties make the argmax non-unique) and, where the
optimum is unique, the capacities.
"""

from __future__ import annotations

import pandas as pd
import pytest
from tiny import corridors, default_sites, nodes_for, provinces, site, write_case, zones

import siting


def solve(tmp_path, **kw):
    return siting.run(write_case(tmp_path, **kw), runs_dir=None)


def it_mw(run, site_id, period=2030):
    s = run.results.sites
    return float(s.loc[(s.site_id == site_id) & (s.period == period), "it_mw"].iloc[0])


def test_target_in_mw(tmp_path):
    # A alone: 30 + 10 = 40; B alone: 60; A 20 + B 10: 50  -> 40
    r = solve(tmp_path)
    assert r.results.solve.status == "optimal"
    assert r.results.solve.objective == pytest.approx(40.0)
    assert it_mw(r, "A") == 30 and it_mw(r, "B") == 0


def test_targets_off_builds_nothing(tmp_path):
    r = solve(tmp_path, model={"constraints": {"targets": {"enabled": False}}})
    assert r.results.solve.objective == pytest.approx(0.0)
    assert r.results.sites["it_mw"].sum() == 0


def test_target_in_gpus(tmp_path):
    # 17,647 GPUs x 1.7 kW = 30.0 MW -> 30 MW at A -> 40
    model = {"constraints": {"targets": {"unit": "GPU", "kw_per_gpu": 1.7,
                                         "values": {"2030": 17_647.0}}}}
    r = solve(tmp_path, model=model)
    assert r.results.solve.objective == pytest.approx(40.0)


def test_committed_floor(tmp_path):
    # B >= 20: B 20 (40) + A 10 (20) = 60, or B 30 = 60 -> 60
    model = {"constraints": {"targets": {"committed": [
        {"site": "B", "period": 2030, "it_mw": 20.0}]}}}
    r = solve(tmp_path, model=model)
    assert r.results.solve.objective == pytest.approx(60.0)
    assert it_mw(r, "B") >= 20


def test_committed_fixed(tmp_path):
    # B == 40 exactly, target 30 met by B alone -> 80
    model = {"constraints": {"targets": {"committed": [
        {"site": "B", "period": 2030, "it_mw": 40.0, "mode": "fixed"}]}}}
    r = solve(tmp_path, model=model)
    assert r.results.solve.objective == pytest.approx(80.0)
    assert it_mw(r, "B") == 40 and it_mw(r, "A") == 0


def test_node_headroom(tmp_path):
    # A's node takes 20 MW: A 20 (30) + B 10 (20) = 50
    sites = default_sites()
    grid = {"enabled": True, "province_balance": False}
    r = solve(tmp_path, sites=sites, nodes=nodes_for(sites, {"A": 20.0}),
              model={"constraints": {"grid": grid}})
    assert r.results.solve.objective == pytest.approx(50.0)
    assert it_mw(r, "A") == 20


def test_node_headroom_counts_pue(tmp_path):
    # PUE 1.25 in Chungnam: 20 MW facility power allows 16 MW IT -> one module at A:
    # A 10 (20) + B 20 (40) = 60 = B 30 (60)
    sites = default_sites()
    grid = {"enabled": True, "province_balance": False}
    r = solve(tmp_path, sites=sites, nodes=nodes_for(sites, {"A": 20.0}),
              provinces_df=provinces(pue={"Chungnam": 1.25}),
              model={"constraints": {"grid": grid}})
    assert r.results.solve.objective == pytest.approx(60.0)
    assert it_mw(r, "A") <= 10


@pytest.mark.parametrize("corridor_mw, expected", [(5.0, 50.0), (10.0, 40.0)])
def test_province_balance_with_imports(tmp_path, corridor_mw, expected):
    # Chungnam spare 20 MW (+ imports up to the corridor limit), Jeonnam plenty.
    # corridor 5: A <= 25 -> A 20 + B 10 = 50; corridor 10: A 30 fits -> 40
    spare = {"Chungnam": 20 * 8.76, "Jeonnam": 100 * 8.76, "Seoul": 0.0}
    cor = corridors([("Chungnam-Jeonnam", "Chungnam", "Jeonnam", corridor_mw, 200.0, 1900)])
    grid = {"enabled": True, "node_headroom": False}
    r = solve(tmp_path, provinces_df=provinces(spare_gwh=spare), corridors_df=cor,
              model={"constraints": {"grid": grid}})
    assert r.results.solve.objective == pytest.approx(expected)
    flows = r.results.corridors
    assert (flows["flow_mw"] <= flows["limit_mw"] + 1e-6).all()


def test_corridor_not_yet_in_service(tmp_path):
    # the corridor opens in 2031, after the only period: Chungnam limited to its 20 MW spare
    spare = {"Chungnam": 20 * 8.76, "Jeonnam": 100 * 8.76, "Seoul": 0.0}
    cor = corridors([("Chungnam-Jeonnam", "Chungnam", "Jeonnam", 100.0, 200.0, 2031)])
    grid = {"enabled": True, "node_headroom": False}
    r = solve(tmp_path, provinces_df=provinces(spare_gwh=spare), corridors_df=cor,
              model={"constraints": {"grid": grid}})
    assert r.results.solve.objective == pytest.approx(50.0)
    assert r.results.corridors["flow_mw"].sum() == 0


def test_transmission_cost(tmp_path):
    # Chungnam spare 0: A's 30 MW all imported over the corridor at 1 KRW/kWh:
    # 30 MW x 8.76 GWh/MW x 1e-3 = 0.2628 extra; A 30 (40.2628) still beats B 30 (60)
    spare = {"Chungnam": 0.0, "Jeonnam": 100 * 8.76, "Seoul": 0.0}
    grid = {"enabled": True, "node_headroom": False, "transmission_krw_per_kwh": 1.0}
    r = solve(tmp_path, provinces_df=provinces(spare_gwh=spare),
              model={"constraints": {"grid": grid}})
    assert r.results.solve.objective == pytest.approx(40.0 + 30 * 8.76e-3)


def _zone_near(province, potential, cf=0.5, cost=1.0):
    from tiny import POINTS

    lon, lat = POINTS[province]
    return zones([{"zone_id": f"z_{province}", "name": "zone", "province_id": province,
                   "technology": "solar", "lon": lon + 0.05, "lat": lat,
                   "potential_mw": potential, "capacity_factor": cf, "cost_krw_per_kwh": cost}])


def test_renewable_share_excludes_sites_without_zone(tmp_path):
    # zone only near B (radius 50 km); share 0.5: A cannot be built -> B 30 (60) plus
    # 15 MW average procured at 1 KRW/kWh = 15 x 8.76e-3
    ren = {"enabled": True, "min_share": 0.5, "radius_km": 50.0}
    r = solve(tmp_path, zones_df=_zone_near("Jeonnam", 40.0),
              model={"constraints": {"renewable": ren}})
    assert r.results.solve.objective == pytest.approx(60.0 + 15 * 8.76e-3)
    assert it_mw(r, "A") == 0
    assert r.results.kpis["renewable_share"].iloc[0] == pytest.approx(0.5)


def test_renewable_zone_potential_limits_capacity(tmp_path):
    # zone near A supplies 20 x 0.5 = 10 MW average; share 0.5 -> A <= 20 MW:
    # A 20 (30) + B ... B has no zone -> cannot build -> infeasible unless zone near B too.
    # With a second big zone near B: A 20 (30 + 10 x 8.76e-3) + B 10 (20 + 5 x 8.76e-3)
    ren = {"enabled": True, "min_share": 0.5, "radius_km": 50.0}
    zs = pd.concat([_zone_near("Chungnam", 20.0), _zone_near("Jeonnam", 1000.0)])
    r = solve(tmp_path, zones_df=zs, model={"constraints": {"renewable": ren}})
    assert r.results.solve.objective == pytest.approx(50.0 + 15 * 8.76e-3)
    assert it_mw(r, "A") == 20


def test_capital_region_cap(tmp_path):
    # without cap: C 30 -> 15. Cap 1/3: C 10 (5) + A 20 (30) = 35
    sites = default_sites(with_capital=True)
    base = solve(tmp_path / "off", sites=sites)
    assert base.results.solve.objective == pytest.approx(15.0)
    dec = {"enabled": True, "capital_region_max_share": 1 / 3, "province_max_share": 1.0,
           "min_host_provinces": 0}
    r = solve(tmp_path / "on", sites=sites, model={"constraints": {"decentralization": dec}})
    assert r.results.solve.objective == pytest.approx(35.0)
    assert r.results.kpis["capital_region_share"].iloc[0] <= 1 / 3 + 1e-9


def test_capital_region_floor(tmp_path):
    # C (Seoul) at 3/MW must hold >= 1/3 of 30 MW: C 10 (30) + A 20 (30) = 60 beats
    # C 10 + B 20 (30 + 40 = 70) and C 20 + A 10 (60 + 20 = 80); without it A 30 -> 40.
    # The floor is then tight and listed among the binding limits.
    sites = pd.DataFrame([site("A", "Chungnam", 1.0, 10.0), site("B", "Jeonnam", 2.0, 0.0),
                          site("C", "Seoul", 3.0, 0.0)])
    dec = {"enabled": True, "capital_region_max_share": 1.0, "capital_region_min_share": 1 / 3,
           "province_max_share": 1.0, "min_host_provinces": 0}
    r = solve(tmp_path, sites=sites, model={"constraints": {"decentralization": dec}})
    assert r.results.solve.objective == pytest.approx(60.0)
    assert it_mw(r, "C") == 10 and it_mw(r, "A") == 20
    b = r.results.binding
    row = b[b["limit"] == "capital_region_floor"]
    assert list(zip(row["family"], row["id"], row["period"])) == [
        ("decentralization", "capital region", 2030)]


def test_province_cap(tmp_path):
    # share 0.5 with two sites: both must hold half: A 20 + B 20 = 30 + 40 = 70
    dec = {"enabled": True, "capital_region_max_share": 1.0, "province_max_share": 0.5,
           "min_host_provinces": 0}
    r = solve(tmp_path, model={"constraints": {"decentralization": dec}})
    assert r.results.solve.objective == pytest.approx(70.0)


def test_min_host_provinces(tmp_path):
    # two hosts: A 20 (30) + B 10 (20) = 50
    dec = {"enabled": True, "capital_region_max_share": 1.0, "province_max_share": 1.0,
           "min_host_provinces": 2}
    r = solve(tmp_path, model={"constraints": {"decentralization": dec}})
    assert r.results.solve.objective == pytest.approx(50.0)
    assert r.results.kpis["provinces_used"].iloc[0] == 2


def test_staging_and_discounting(tmp_path):
    # Two periods 2030 (target 10) and 2031 (target 30), 1 year each, rate 0, crf 1:
    # capacity is re-paid every year it exists. Best: A 10 in 2030 (20), A 30 in 2031 (40)
    model = {"periods": [2030, 2031],
             "constraints": {"targets": {"values": {"2030": 10.0, "2031": 30.0}}}}
    r = solve(tmp_path, model=model)
    assert r.results.solve.objective == pytest.approx(60.0)
    s = r.results.sites.set_index(["site_id", "period"])["it_mw"]
    assert (s.loc["A", 2031] >= s.loc["A", 2030]) and (s.loc["B", 2031] >= s.loc["B", 2030])


def test_available_from(tmp_path):
    # A only from 2031: in 2030 the target must come from B -> 60
    sites = pd.DataFrame([site("A", "Chungnam", 1.0, 10.0, available=2031),
                          site("B", "Jeonnam", 2.0, 0.0)])
    r = solve(tmp_path, sites=sites)
    assert r.results.solve.objective == pytest.approx(60.0)


def test_regression_thread_count_change_between_solves(tmp_path):
    # HiGHS's global scheduler refused a 1-thread solve after a 2-thread one ("error")
    a = solve(tmp_path / "a", model={"solver": {"threads": 2}})
    b = solve(tmp_path / "b", model={"solver": {"threads": 1}})
    assert a.results.solve.objective == pytest.approx(b.results.solve.objective) == \
        pytest.approx(40.0)


@pytest.mark.parametrize("reuse", [False, True])
def test_target_scale_sweep_rescales_hosts_per_gw(tmp_path, reuse):
    # 50 host provinces per GW: a 30 MW target needs ceil(1.5) = 2 hosts (A 20 + B 10: 50);
    # scaled by 0.5 it is 15 MW and ceil(0.75) = 1 host: A 20 (20 + 10 = 30), not A 10 +
    # B 10 (10 + 10 + 20 = 40). Re-solving the built model must give what a rebuild gives.
    from siting.inputs.model_file import load_model_file
    from siting.inputs.tables import load_inputs
    from siting.sweep import worker

    dec = {"enabled": True, "capital_region_max_share": 1.0, "province_max_share": 1.0,
           "min_host_provinces": 0, "min_host_provinces_per_gw": 50.0}
    model = load_model_file(write_case(tmp_path, model={"constraints": {
        "decentralization": dec}}))
    task = worker.Task("x", {"target_scale": 0.5}, model, load_inputs(model),
                       f"hosts-{reuse}", reuse, {"target_scale": 1.0})
    worker._CACHE.clear()
    out = worker.run_scenario(task)
    worker._CACHE.clear()
    assert out.mode == ("resolve" if reuse else "rebuild")
    assert out.results.solve.objective == pytest.approx(30.0)
    assert out.results.kpis["min_host_provinces"].iloc[0] == 1

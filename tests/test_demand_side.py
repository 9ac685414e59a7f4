"""The Korean demand side of the service family (issue 16): inference demand per centre and
period, a latency cost per MW and ms, a latency limit; and what the capital-region cap costs
when demand pulls capacity into the capital region."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import tiny

import siting
from siting.errors import InputError
from siting.model.data import prepare

# Two sites, modules of 10 MW, up to 50 MW each, no fixed cost (costs as in tiny.py: one
# one-year period, no discounting, capex counted once):
#   S  Seoul    capex 1.5 bn KRW/MW   round trip to the Seoul centre 1 ms
#   R  Jeonnam  capex 1.0 bn KRW/MW   round trip to the Seoul centre 5 ms
# Target 30 MW; inference share 0.5 -> 15 MW of inference at the one centre (Seoul).
# Latency cost 0.5 bn KRW/(MW ms yr): serving 1 MW costs 0.5 from S and 2.5 from R.
LATENCY_COST = 0.5
RTT = {"S": 1.0, "R": 5.0}


def _sites():
    return pd.DataFrame([tiny.site("S", "Seoul", 1.5, 0.0), tiny.site("R", "Jeonnam", 1.0, 0.0)])


def write_demand_case(folder, cap=None, service=None, split=None, centres=None):
    """The case above; ``cap``: capital_region_max_share (None: decentralization off)."""
    sites = _sites()
    dec = ({"enabled": False} if cap is None else
           {"enabled": True, "capital_region_max_share": cap, "province_max_share": 1.0,
            "min_host_provinces": 0})
    sec = {"inference_share": 0.5, "latency_cost_bn_krw_per_mw_ms": LATENCY_COST}
    sec.update(service or {})
    sec = {k: v for k, v in sec.items() if v is not None}
    data = dict(tiny.BASE_MODEL["data"], demand_centres="demand_centres.csv",
                network_latency="network_latency.csv")
    if split is not None:
        data["demand_split"] = "demand_split.csv"
    path = tiny.write_case(folder, {"data": data, "constraints": {
        "decentralization": dec, "service": sec}}, sites=sites)
    lon, lat = tiny.POINTS["Seoul"]
    rows = centres or [("Seoul", "Seoul", 1.0)]
    pd.DataFrame([{"centre_id": c, "name": c, "province_id": p, "lon": lon, "lat": lat,
                   "inference_share": s} for c, p, s in rows]).to_csv(
        folder / "demand_centres.csv", index=False)
    pd.DataFrame([{"pair_id": f"{s}|{c}", "site_id": s, "target_id": c,
                   "target_kind": "demand_centre", "rtt_ms": RTT[s]}
                  for s in RTT for c, _, _ in rows]).to_csv(
        folder / "network_latency.csv", index=False)
    if split is not None:
        pd.DataFrame([{"period": p, "inference_share": v} for p, v in split.items()]).to_csv(
            folder / "demand_split.csv", index=False)
    return path


def _data(path):
    model = siting.load_model_file(path)
    return prepare(siting.load_inputs(model), model)


def test_demand_and_costs_from_the_tables(tmp_path):
    data = _data(write_demand_case(tmp_path / "a"))
    side = data.family_data["service"]
    assert data.on("service")
    # D = 30 MW x 0.5 x 1.0 = 15 MW; c = 0.5 x rtt
    assert side.demand_mw == {("Seoul", 2030): pytest.approx(15.0)}
    assert side.cost == {("S", "Seoul"): pytest.approx(0.5), ("R", "Seoul"): pytest.approx(2.5)}


def test_inference_share_from_demand_split(tmp_path):
    data = _data(write_demand_case(tmp_path / "a", service={"inference_share": None},
                                   split={2030: 0.2}))
    # 30 MW x 0.2 = 6 MW
    assert data.family_data["service"].demand_mw[("Seoul", 2030)] == pytest.approx(6.0)


def test_latency_limit_drops_far_pairs(tmp_path):
    data = _data(write_demand_case(tmp_path / "a", service={"max_latency_ms": 3.0}))
    assert set(data.family_data["service"].cost) == {("S", "Seoul")}  # R is 5 ms away


def test_latency_limit_nobody_can_meet_is_named(tmp_path):
    path = write_demand_case(tmp_path / "a", service={"max_latency_ms": 0.5})
    with pytest.raises(siting.InfeasibleError, match="Seoul has no site within"):
        siting.run(path, runs_dir=None)


def test_missing_period_in_demand_split_is_an_input_error(tmp_path):
    path = write_demand_case(tmp_path / "a", service={"inference_share": None},
                             split={2027: 0.2})
    with pytest.raises(InputError, match="no row for periods"):
        _data(path)


def test_centre_shares_must_sum_to_one(tmp_path):
    path = write_demand_case(tmp_path / "a", centres=[("Seoul", "Seoul", 0.5)])
    with pytest.raises(InputError, match="sums to 0.5000"):
        _data(path)


def test_model_without_demand_tables_leaves_service_off(tmp_path):
    data = _data(tiny.write_case(tmp_path / "a"))
    assert data.family_data.get("service") is None and not data.on("service")


def test_shipped_demand_tables_load_and_validate():
    from pathlib import Path

    from siting.model.constraints.sweepable import update

    root = Path(__file__).resolve().parents[1]
    model = siting.load_model_file(root / "models" / "korea-2030.toml")
    files = model.data.model_copy(update={t: root / "data" / f"{t}.csv" for t in
                                          ("demand_centres", "demand_split", "network_latency")})
    model = update(model, ("data",), files)
    data = prepare(siting.load_inputs(model), model)
    side = data.family_data["service"]
    split = pd.read_csv(root / "data" / "demand_split.csv", index_col="period")
    for p in model.periods:  # the centres' demand adds up to target x inference share
        total = sum(v for (d, q), v in side.demand_mw.items() if q == p)
        assert total == pytest.approx(model.target_mw()[p] * split.at[p, "inference_share"])
    assert len(side.centres) == 17 and side.cost  # latency cost 0 by default: cost 0


def _solve(tmp_path, name, cap):
    return siting.run(write_demand_case(tmp_path / name, cap=cap), runs_dir=None,
                      draw_map=False).results


def test_demand_pulls_a_site_into_the_capital_region_and_the_cap_pushes_it_out(tmp_path):
    # The plans (k_S, k_R modules of 10 MW, 30 MW needed, 15 MW inference served by S
    # first since 1.5 + 0.5 = 2.0 < 1.0 + 2.5 = 3.5 per MW):
    #   (2, 1): capex 2x10x1.5 + 10x1.0 = 40, service 15x0.5       =  7.5 -> 47.5
    #   (1, 2): capex 15 + 20 = 35, service 10x0.5 + 5x2.5 = 17.5           -> 52.5
    #   (3, 0): capex 45, service 7.5                                        -> 52.5
    #   (0, 3): capex 30, service 15x2.5 = 37.5                              -> 67.5
    # Without the cap: (2, 1), 47.5 bn KRW, 20 of 30 MW (66.7 %) in the capital region,
    # although S's capex is 50 % dearer: latency pulls the site in.
    free = _solve(tmp_path, "free", None)
    assert free.solve.objective == pytest.approx(47.5)
    it = free.sites.set_index("site_id")["it_mw"]
    assert it["S"] == pytest.approx(20.0) and it["R"] == pytest.approx(10.0)
    # Cap 0.5: S <= 0.5 x national. (2, 1) has 20 > 15; (2, 2) holds 20 <= 20 but costs
    # 30 + 20 + 7.5 = 57.5; (1, 2) holds 10 <= 15 at 52.5: the cap pushes 10 MW out.
    capped = _solve(tmp_path, "capped", 0.5)
    assert capped.solve.objective == pytest.approx(52.5)
    it = capped.sites.set_index("site_id")["it_mw"]
    assert it["S"] == pytest.approx(10.0) and it["R"] == pytest.approx(20.0)
    # TOTAL cost of the cap: 52.5 - 47.5 = 5.0 bn KRW (present value; one undiscounted
    # year): 10 MW of training moved to R saves 10 x (1.5 - 1.0) = 5 of capex, but 5 MW of
    # inference now crosses 5 ms instead of 1: 5 x (2.5 - 0.5) = 10 more latency cost.
    assert capped.solve.objective - free.solve.objective == pytest.approx(5.0)
    # MARGINAL value (dual of the LP with the integer decisions fixed): the cap row
    # 10 k_S - 0.5 T <= 0 holds only module counts and T = 10 (k_S + k_R) = 30, so once
    # the modules are fixed it is a constant row with slack 15 - 10 = 5 MW IT:
    # complementary slackness gives 0 bn KRW per MW IT (and per unit of share), and the
    # row is not binding, so binding.csv has no capital_region_cap row. The cost of the
    # cap is a step of the integer plan (47.5 for a share >= 2/3, 52.5 from 1/3 to 2/3),
    # never a slope: its marginal value is 0 away from the steps.
    b = capped.binding
    assert "capital_region_cap" not in set(b["limit"])
    # Where the cap's cost shows at the margin: site S's service capacity binds (10 MW
    # IT serve 10 MW of inference); one more MW there would serve 1 MW from S instead of R,
    # saving 2.5 - 0.5 = 2.0 bn KRW: dual -2.0 bn KRW per MW. Without the cap S has
    # 20 MW for 15 MW of demand: slack, no such row.
    row = b[(b["limit"] == "site_service_capacity") & (b["id"] == "S")]
    assert row["marginal_bn_krw_per_unit"].tolist() == [pytest.approx(-2.0)]
    assert "site_service_capacity" not in set(free.binding["limit"])
    # With the cap, one more MW of inference in Seoul is served from R (S is full; R has
    # 20 - 5 = 15 MW spare): demand_served's dual is +2.5 bn KRW per MW.
    d = b[b["limit"] == "demand_served"]
    assert d["marginal_bn_krw_per_unit"].tolist() == [pytest.approx(2.5)]


def test_policy_costs_of_the_tiny_instance(tmp_path):
    from siting.results.policy_costs import policy_costs

    run = siting.run(write_demand_case(tmp_path / "capped", cap=0.5), runs_dir=None,
                     draw_map=False)
    table = policy_costs(run.model, run.inputs, run.results).set_index("policy")
    # In force: the capital-region cap (0.5) and the province cap (1.0, never binding);
    # min_host_provinces = 0 and decentralization's other keys are off, renewable is off.
    assert list(table.index) == ["capital_region_cap", "province_cap"]
    cap = table.loc["capital_region_cap"]
    # total cost: 52.5 with the cap - 47.5 without it = 5.0 bn KRW (hand-derived above)
    assert cap["objective_bn_krw"] == pytest.approx(52.5)
    assert cap["objective_without_bn_krw"] == pytest.approx(47.5)
    assert cap["total_cost_bn_krw"] == pytest.approx(5.0)
    # marginal value: the cap row is slack once the modules are fixed (10 <= 15 MW IT):
    # no binding row, so no marginal value to sum
    assert cap["binding_rows"] == 0 and math.isnan(cap["marginal_sum_bn_krw_per_unit"])
    assert cap["marginal_unit"] == "bn KRW per MW IT"
    # a cap of 1.0 on each province never binds: switching it off changes nothing
    assert table.loc["province_cap", "total_cost_bn_krw"] == pytest.approx(0.0)


def test_policy_cost_of_the_latency_limit(tmp_path):
    from siting.results.policy_costs import policy_costs

    # Limit 3 ms: R (5 ms) may not serve Seoul, so S holds all 15 MW of inference, i.e.
    # 2 modules; with the cap 0.5 then T >= 40: (2, 2) = 30 + 20 + 15 x 0.5 = 57.5.
    # Without the limit (cap only): 52.5, so the limit costs 57.5 - 52.5 = 5.0. Without
    # the cap (limit only): (2, 1) = 47.5, so the cap costs 57.5 - 47.5 = 10.0.
    path = write_demand_case(tmp_path / "lim", cap=0.5, service={"max_latency_ms": 3.0})
    run = siting.run(path, runs_dir=None, draw_map=False)
    assert run.results.solve.objective == pytest.approx(57.5)
    table = policy_costs(run.model, run.inputs, run.results).set_index("policy")
    assert list(table.index) == ["capital_region_cap", "province_cap", "latency_limit"]
    assert table.loc["latency_limit", "total_cost_bn_krw"] == pytest.approx(5.0)
    assert table.loc["capital_region_cap", "total_cost_bn_krw"] == pytest.approx(10.0)


def test_cli_writes_and_prints_policy_costs(tmp_path):
    from typer.testing import CliRunner

    from siting.cli import app

    path = write_demand_case(tmp_path / "capped", cap=0.5)
    runs = tmp_path / "runs"
    res = CliRunner().invoke(app, ["run", str(path), "--runs-dir", str(runs), "--run-id", "r",
                                   "--no-map", "--policy-costs"])
    assert res.exit_code == 0, res.output
    table = pd.read_csv(runs / "r" / "policy_costs.csv").set_index("policy")
    assert table.loc["capital_region_cap", "total_cost_bn_krw"] == pytest.approx(5.0)  # 52.5-47.5
    assert "capital_region_cap (0.5): total cost 5.0 bn KRW" in res.output
    res = CliRunner().invoke(app, ["run", str(path), "--runs-dir", str(runs), "--run-id", "s",
                                   "--no-map"])
    assert res.exit_code == 0 and not (runs / "s" / "policy_costs.csv").exists()


def test_cap_total_cost_and_marginal_values_by_hand(tmp_path):
    """The done-when case of issue 16: demand pulls S into the capital region (2 of 3
    modules, 66.7 %) and a cap of 66 % pushes one module out."""
    from siting.results.policy_costs import policy_costs

    run = siting.run(write_demand_case(tmp_path / "capped", cap=0.66), runs_dir=None,
                     draw_map=False)
    # Cap 0.66: (2, 1) has 20 > 0.66 x 30 = 19.8 MW in the capital region; (2, 2) holds
    # 20 <= 26.4 at 57.5; (1, 2) holds 10 <= 19.8 at 52.5 (plans as derived above).
    assert run.results.solve.objective == pytest.approx(52.5)
    cap = policy_costs(run.model, run.inputs, run.results).set_index("policy").loc[
        "capital_region_cap"]
    # total cost: 52.5 - 47.5 (without the cap) = 5.0 bn KRW
    assert cap["total_cost_bn_krw"] == pytest.approx(5.0)
    # finite difference, cap one percentage point looser (0.67): 20 <= 0.67 x 30 = 20.1,
    # so (2, 1) is allowed again: 47.5 - 52.5 = -5.0 bn KRW per percentage point
    assert cap["finite_difference_bn_krw"] == pytest.approx(-5.0)
    assert cap["objective_step_bn_krw"] == pytest.approx(47.5)
    # dual of the LP with the modules fixed: the row 10 <= 19.8 MW IT is slack, so no
    # binding row and a dual of 0 (complementary slackness); kpis.csv says 0 per pp
    assert cap["binding_rows"] == 0
    kpi = run.results.kpis.set_index("period").at[2030,
                                                   "capital_region_cap_marginal_bn_krw_per_pp"]
    assert kpi == 0.0


def test_binding_cap_dual_per_percentage_point(tmp_path):
    # Cap 1/3 exactly: (1, 2) has 10 = 1/3 x 30 MW, binding. With the modules fixed the
    # row is 10 - T/3 <= 0 with T = 30 (national_it_mw, set by its balance row) carrying no
    # cost: moving the row's bound changes no cost in the LP, so the binding row's dual is
    # 0 bn KRW per MW IT and per percentage point, although the cap costs 5.0 in total.
    run = siting.run(write_demand_case(tmp_path / "third", cap=1 / 3), runs_dir=None,
                     draw_map=False)
    assert run.results.solve.objective == pytest.approx(52.5)
    b = run.results.binding
    row = b[b["limit"] == "capital_region_cap"]
    assert len(row) == 1
    assert row["marginal_bn_krw_per_pp"].iloc[0] == pytest.approx(0.0)

"""Korea's policy instruments as model inputs (issue 16): the policy family on the tiny
demand case of tests/test_demand_side.py, every optimum derived by hand.

The case: sites S (Seoul, capital region, capex 1.5 bn KRW/MW) and R (Jeonnam, capex 1.0),
10 MW modules up to 50 MW, target 30 MW, 15 MW of inference at the Seoul centre, latency
cost 0.5 bn KRW per MW and ms (S 1 ms, R 5 ms away); one undiscounted year, PUE 1,
utilization 1, tariff 0. Plans (k_S, k_R) without any instrument:
    (2, 1) 47.5   (1, 2) 52.5   (3, 0) 52.5   (0, 3) 67.5
"""

from __future__ import annotations

import pandas as pd
import pytest
from test_demand_side import write_demand_case

import siting
from siting.model.build import build_model
from siting.model.constraints.policy import resolve_switches
from siting.model.data import prepare
from siting.model.solve import solve_model
from siting.results.policy_costs import policy_costs
from siting.sweep.parameters import CATALOGUE, snapshot

TABLE = [  # param_id, instrument_id, value, default_enabled
    ("regional_tariff_k", "regional_tariff", 50.0, False),
    ("gia_threshold_mw", "grid_impact_assessment", 10.0, True),
    ("gia_capital_pass_rate", "grid_impact_assessment", 0.39, True),
    ("gia_noncapital_pass_rate", "grid_impact_assessment", 1.0, True),
    ("gia_capital_delay_years", "grid_impact_assessment", 2.0, False),
    ("noncapital_22kv_connection_discount", "noncapital_connection", 0.5, False),
    ("noncapital_capex_subsidy_share", "noncapital_subsidy", 0.6, False),
]
DELTA = {"Seoul": 1.0, "Chungnam": 0.0, "Jeonnam": -1.0}  # delta_per_k [-]


def write_policy_case(folder, policy=None, gia=False):
    """The demand case with both policy tables; ``policy``: [constraints.policy]. The
    assessment is off unless ``gia`` (its table default is on)."""
    path = write_demand_case(folder)
    text = path.read_text(encoding="utf-8").replace(
        'demand_centres = "demand_centres.csv"',
        'demand_centres = "demand_centres.csv"\npolicy_instruments = "policy_instruments.csv"\n'
        'regional_tariffs = "regional_tariffs.csv"')
    sec = {"grid_impact_assessment": gia} | (policy or {})
    text += "\n[constraints.policy]\n" + "".join(
        f"{k} = {str(v).lower() if isinstance(v, bool) else v}\n" for k, v in sec.items()
        if v is not None)
    path.write_text(text, encoding="utf-8")
    pd.DataFrame([{"param_id": p, "instrument_id": i, "value": v, "unit": "-", "low": v,
                   "high": v, "default_enabled": str(d).lower()} for p, i, v, d in TABLE]
                 ).to_csv(folder / "policy_instruments.csv", index=False)
    pd.DataFrame([{"province_id": r, "delta_per_k": d} for r, d in DELTA.items()]).to_csv(
        folder / "regional_tariffs.csv", index=False)
    return path


def _run(path):
    return siting.run(path, runs_dir=None, draw_map=False)


def _it(results) -> dict:
    return results.sites.set_index("site_id")["it_mw"].to_dict()


def test_default_switches_from_the_table(tmp_path):
    # empty switches take the table's default_enabled: only the assessment is in force
    model = siting.load_model_file(write_policy_case(tmp_path / "a", gia=None))
    on = resolve_switches(model, siting.load_inputs(model))
    assert on == {"regional_tariff": False, "grid_impact_assessment": True,
                  "gia_delay": False, "noncapital_connection": False,
                  "noncapital_subsidy": False}


def test_all_off_leaves_the_plan_unchanged(tmp_path):
    run = _run(write_policy_case(tmp_path / "a"))
    assert run.results.solve.objective == pytest.approx(47.5)  # (2, 1)


def test_regional_tariff(tmp_path):
    # k = 50 KRW/kWh: S pays +50, R -50 KRW/kWh; 1 MW for a year uses 8.76 GWh, so
    # +-50 x 8.76 x 1e-3 = +-0.438 bn KRW/MW.
    #   (2, 1) 47.5 + 0.438 x (20 - 10) = 51.88   (1, 2) 52.5 + 0.438 x (10 - 20) = 48.12
    #   (3, 0) 52.5 + 0.438 x 30 = 65.64          (0, 3) 67.5 - 0.438 x 30 = 54.36
    res = _run(write_policy_case(tmp_path / "a", {"regional_tariff": True})).results
    assert res.solve.objective == pytest.approx(48.12)
    assert _it(res) == {"S": pytest.approx(10.0), "R": pytest.approx(20.0)}
    assert res.costs["regional_tariff_bn_krw_per_yr"].sum() == pytest.approx(-4.38)


def test_regional_tariff_swept_in_place_equals_rebuilt(tmp_path):
    # built with the tariff off (k Param 0), then k = 50 set in place: 48.12 as above
    model = siting.load_model_file(write_policy_case(tmp_path / "a"))
    inputs = siting.load_inputs(model)
    m = build_model(prepare(inputs, model))
    param = CATALOGUE["regional_tariff_k"]
    param.resolve(m, snapshot(m, model), 50.0)
    assert solve_model(m, model.solver).objective == pytest.approx(48.12)
    model2, _ = param.rebuild(model, inputs, 50.0)
    assert _run(model2).results.solve.objective == pytest.approx(48.12)


def test_capex_subsidy_outside_the_capital_region(tmp_path):
    # 60 % of R's capex refunded: R costs 0.4 bn KRW/MW.
    #   (2, 1) 30 + 4 + 7.5 = 41.5   (1, 2) 15 + 8 + 17.5 = 40.5   (0, 3) 12 + 37.5 = 49.5
    #   (3, 0) 52.5
    res = _run(write_policy_case(tmp_path / "a", {"noncapital_subsidy": True})).results
    assert res.solve.objective == pytest.approx(40.5)
    assert _it(res) == {"S": pytest.approx(10.0), "R": pytest.approx(20.0)}


def test_grid_impact_assessment_pass_rate(tmp_path):
    # S's application is 50 MW, 39 % pass: S <= 19.5 MW, so (2, 1) is out: (1, 2) 52.5.
    # Outside the capital region the pass rate is 1.0: R <= 50 MW, no limit.
    path = write_policy_case(tmp_path / "a", gia=True)
    run = _run(path)
    assert run.results.solve.objective == pytest.approx(52.5)
    table = policy_costs(run.model, run.inputs, run.results).set_index("policy")
    gia = table.loc["grid_impact_assessment"]
    # total cost 52.5 - 47.5 = 5.0; one point more pass rate (0.40): S <= 20 MW, (2, 1)
    # is back: 47.5 - 52.5 = -5.0 bn KRW per percentage point; with the modules fixed the
    # row 10 <= 19.5 MW is slack: no binding row, no dual
    assert gia["total_cost_bn_krw"] == pytest.approx(5.0)
    assert gia["finite_difference_bn_krw"] == pytest.approx(-5.0)
    assert gia["binding_rows"] == 0


def test_grid_impact_assessment_delay(tmp_path):
    # S opens 2 years late (2032): nothing at S in 2030, (0, 3) = 67.5; cost 20.0
    path = write_policy_case(tmp_path / "a", {"gia_delay": True})
    run = _run(path)
    assert run.results.solve.objective == pytest.approx(67.5)
    table = policy_costs(run.model, run.inputs, run.results).set_index("policy")
    assert table.loc["gia_delay", "total_cost_bn_krw"] == pytest.approx(20.0)


def test_switch_on_without_a_value_is_an_input_error(tmp_path):
    path = write_demand_case(tmp_path / "a")
    path.write_text(path.read_text(encoding="utf-8")
                    + "\n[constraints.policy]\nnoncapital_subsidy = true\n", encoding="utf-8")
    model = siting.load_model_file(path)
    with pytest.raises(siting.InputError, match="noncapital_capex_subsidy_share"):
        prepare(siting.load_inputs(model), model)

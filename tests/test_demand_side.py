"""The Korean demand side of the service family (issue 16): inference demand per centre and
period, a latency cost per MW and ms, a latency limit; and what the capital-region cap costs
when demand pulls capacity into the capital region."""

from __future__ import annotations

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

"""Binding limits read from the solved rows, with marginal values from the LP with the
integer decisions fixed, on a tiny instance whose tight rows and duals are derived by hand.

Instance (``tests/tiny.py``): A (Chungnam) 1 bn KRW/MW + 10 fixed, B (Jeonnam) 2/MW, both
at most 50 MW in 10 MW modules; target 60 MW; B committed to at least 10 MW; at least
2 host provinces (caps at 100%); half of each site's energy renewable from zones within
50 km: near A zone ``za`` (20 MW average, 1 KRW/kWh) and ``za2`` (unlimited, 3 KRW/kWh),
near B zone ``zb`` (unlimited, 1 KRW/kWh); PUE 1, utilization 1, one year, no discounting.

Plan: A 50 + B 10 = 50 + 10 + 20 = 80 (A 40 + B 20 = 40 + 10 + 40 = 90): A sits at its
site capacity (50 = 50 MW), B at its committed floor (10 = 10 MW), 2 of 2 provinces host,
and the target binds (60 = 60). Renewables: A needs 25 MW average (20 from za, 5 from za2),
B needs 5 (from zb), each site exactly at its share.
"""

from __future__ import annotations

import pytest
from tiny import POINTS, write_case, zones

import siting

PREMIUM = 8.76 * 1e-3  # bn KRW per (MW average x yr) at 1 KRW/kWh


def _zone(zone_id, province, potential, cf, cost):
    lon, lat = POINTS[province]
    return {"zone_id": zone_id, "name": zone_id, "province_id": province,
            "technology": "solar", "lon": lon, "lat": lat, "potential_mw": potential,
            "capacity_factor": cf, "cost_krw_per_kwh": cost}


MODEL = {"constraints": {
    "targets": {"values": {"2030": 60.0},
                "committed": [{"site": "B", "period": 2030, "it_mw": 10.0}]},
    "renewable": {"enabled": True, "min_share": 0.5, "radius_km": 50.0},
    "decentralization": {"enabled": True, "capital_region_max_share": 1.0,
                         "province_max_share": 1.0, "min_host_provinces": 2}}}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    z = zones([_zone("za", "Chungnam", 100.0, 0.2, 1.0),
               _zone("za2", "Chungnam", 1e4, 1.0, 3.0),
               _zone("zb", "Jeonnam", 1e4, 1.0, 1.0)])
    return siting.run(write_case(tmp_path_factory.mktemp("binding"), model=MODEL, zones_df=z),
                      runs_dir=None)


def _row(b, limit, ident):
    rows = b[(b["limit"] == limit) & (b["id"] == ident)]
    assert len(rows) == 1, (limit, ident, b[["limit", "id"]].to_dict("records"))
    return rows.iloc[0]


def test_objective(run):
    # 80 + renewables (20 x 1 + 5 x 3 + 5 x 1) x 8.76e-3 = 80 + 40 x 8.76e-3
    assert run.results.solve.objective == pytest.approx(80 + 40 * PREMIUM, rel=1e-9)


def test_tight_rows_are_listed_with_their_family(run):
    b = run.results.binding
    cap = _row(b, "site_modules_upper", "A")
    assert (cap["family"], cap["value"], cap["bound"], cap["unit"]) == ("sites", 50, 50, "MW IT")
    floor = _row(b, "site_committed", "B")
    assert (floor["family"], floor["value"], floor["bound"]) == ("targets", 10, 10)
    hosts = _row(b, "host_provinces_lower", "Korea")
    assert (hosts["family"], hosts["value"], hosts["bound"]) == ("decentralization", 2, 2)
    target = _row(b, "national_target", "Korea")
    assert (target["value"], target["bound"]) == (60, 60)
    # A 25 MW average = 0.5 x 50; B 5 = 0.5 x 10
    for site_id, need in (("A", 25.0), ("B", 5.0)):
        share = _row(b, "site_renewable_share", site_id)
        assert share["family"] == "renewable"
        assert share["value"] == pytest.approx(need) and share["bound"] == pytest.approx(need)
    za = _row(b, "zone_potential", "za")  # 100 MW x 0.2 = 20 MW average, all used
    assert za["value"] == pytest.approx(20.0) and za["bound"] == pytest.approx(20.0)


def test_slack_rows_and_noise_are_left_out(run):
    b = run.results.binding
    # B at 10 of 50 MW, caps at 100% of 60 MW, zb and za2 barely used: not binding
    assert not ((b["limit"] == "site_modules_upper") & (b["id"] == "B")).any()
    assert not b["limit"].isin(["province_cap", "capital_region_cap"]).any()
    assert not ((b["limit"] == "zone_potential") & b["id"].isin(["za2", "zb"])).any()
    # no 0 <= 0 rows of sites that build nothing, no float noise
    assert not ((b["value"] == 0) & (b["bound"] == 0)).any()
    for col in ("value", "bound", "slack"):
        assert all(v == 0 or abs(v) >= 1e-6 for v in b[col]), b[col].tolist()


def test_duals_of_the_lp_with_integers_fixed(run):
    b = run.results.binding
    # one more MW average required at A is bought from za2 at 3 KRW/kWh: +3 x 8.76e-3
    assert _row(b, "site_renewable_share", "A")["marginal_bn_krw_per_unit"] == \
        pytest.approx(3 * PREMIUM, rel=1e-5)
    # at B from zb at 1 KRW/kWh
    assert _row(b, "site_renewable_share", "B")["marginal_bn_krw_per_unit"] == \
        pytest.approx(1 * PREMIUM, rel=1e-5)
    # one more MW average in za replaces za2: saves (3 - 1) x 8.76e-3 (negative: an upper
    # limit whose loosening lowers the cost)
    assert _row(b, "zone_potential", "za")["marginal_bn_krw_per_unit"] == \
        pytest.approx(-2 * PREMIUM, rel=1e-5)
    # rows over integer decisions only are constants once they are fixed: no dual
    assert _row(b, "site_modules_upper", "A")["marginal_bn_krw_per_unit"] != \
        _row(b, "site_modules_upper", "A")["marginal_bn_krw_per_unit"]  # NaN


def test_binding_csv_carries_the_same_vocabulary(tmp_path, run):
    import pandas as pd

    out = siting.run(run.model, runs_dir=tmp_path, run_id="b", draw_map=False)
    csv = pd.read_csv(tmp_path / "b" / "binding.csv")
    assert list(csv.columns[:6]) == ["family", "limit", "id", "period", "value", "bound"]
    assert set(csv["family"]) == set(out.results.binding["family"])
    assert {"unit", "marginal_bn_krw_per_unit"} <= set(csv.columns)

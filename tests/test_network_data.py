"""The network tables of data/ (issue 14, items 1-2): consistent, fully sourced, reproducible.

Fast and independent of ../shared, except the determinism test, which rebuilds the tables
from the shared reference folder when it exists and is skipped otherwise.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

DATA = Path(__file__).resolve().parents[1] / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared"
"""The shared reference folder beside the checkout (as for the OR-Library tests)."""
TABLES = ("network_buses", "network_lines", "network_transformers", "network_links",
          "network_generators", "network_demand", "network_snapshots", "network_dropped")


@pytest.fixture(scope="module")
def t() -> dict[str, pd.DataFrame]:
    return {n: pd.read_csv(DATA / f"{n}.csv", keep_default_na=False, na_values=[""]) for n in TABLES}


def _components(buses: pd.DataFrame, edges: list[tuple[str, str]]) -> dict[str, int]:
    pos = {b: i for i, b in enumerate(buses.bus_id)}
    r, c = [pos[a] for a, _ in edges], [pos[b] for _, b in edges]
    m = coo_matrix((np.ones(len(r)), (r, c)), shape=(len(pos), len(pos)))
    return dict(zip(buses.bus_id, connected_components(m, directed=False)[1]))


def test_every_branch_and_link_names_existing_buses(t):
    ids = set(t["network_buses"].bus_id)
    assert t["network_buses"].bus_id.is_unique
    for name in ("network_lines", "network_transformers", "network_links"):
        ends = set(t[name].bus0) | set(t[name].bus1)
        assert ends <= ids, (name, sorted(ends - ids)[:5])
    assert (t["network_lines"].bus0 != t["network_lines"].bus1).all()


def test_voltages_are_the_korean_ac_levels(t):
    # 354, 145 and 380 kV OSM tags are read as 345 / 154 / 345 kV; no 50 Hz or DC level is left
    assert set(t["network_buses"].voltage_kv) == {154, 345, 765}
    assert set(t["network_lines"].voltage_kv) <= {154, 345, 765}
    kv = t["network_buses"].set_index("bus_id").voltage_kv
    ln = t["network_lines"]
    assert (ln.bus0.map(kv) == ln.voltage_kv).all() and (ln.bus1.map(kv) == ln.voltage_kv).all()
    tr = t["network_transformers"]
    assert (tr.bus0.map(kv) != tr.bus1.map(kv)).all()


def test_reactances_ratings_and_lengths_are_positive(t):
    ln, tr, lk = t["network_lines"], t["network_transformers"], t["network_links"]
    assert (ln.x_ohm > 0).all() and (ln.x_pu > 0).all() and (ln.s_nom_mva > 0).all()
    assert (ln.length_km > 0).all() and (ln.circuits >= 1).all()
    assert (tr.x_pu > 0).all() and (tr.s_nom_mva > 0).all() and (lk.p_nom_mw > 0).all()
    # x_pu is x_ohm on a 100 MVA base: a 345 kV line of 100 ohm is 100 / (345^2 / 100) = 0.0840 pu
    z_base = ln.voltage_kv ** 2 / 100.0
    assert np.allclose(ln.x_pu, ln.x_ohm / z_base, rtol=1e-3, atol=1e-6)
    # transformers: 0.1 p.u. on their own rating, written on 100 MVA (0.1 x 100 / s_nom)
    assert np.allclose(tr.x_pu * tr.s_nom_mva, 10.0, rtol=1e-3)
    assert (tr.s_nom_mva >= 2000).all()


def test_one_mainland_ac_network_and_jeju_reached_by_hvdc(t):
    b = t["network_buses"]
    edges = [*zip(t["network_lines"].bus0, t["network_lines"].bus1),
             *zip(t["network_transformers"].bus0, t["network_transformers"].bus1)]
    comp = pd.Series(_components(b, edges))
    sub = b.set_index("bus_id").sub_network
    assert comp[sub[sub == "mainland"].index].nunique() == 1
    assert comp[sub[sub == "jeju"].index].nunique() == 1
    assert comp.nunique() == 2 and (sub == "mainland").sum() > 10 * (sub == "jeju").sum()
    # every AC island other than the mainland touches an HVDC link to the mainland
    lk = t["network_links"]
    jeju_links = lk[(lk.bus0.map(sub) == "mainland") & (lk.bus1.map(sub) == "jeju")]
    assert set(jeju_links.link_id) == {"hvdc_jeju_1", "hvdc_jeju_2", "hvdc_jeju_3"}
    assert set(b.province_id[b.sub_network == "jeju"]) == {"Jeju"}


def test_the_transport_models_grid_nodes_are_network_buses(t):
    """Every node of grid_nodes.csv is a bus here, at the same voltage and province."""
    nodes = pd.read_csv(DATA / "grid_nodes.csv").set_index("node_id")
    b = t["network_buses"].set_index("bus_id")
    assert set(nodes.index) <= set(b.index)
    assert (b.voltage_kv[nodes.index] == nodes.voltage_kv).all()
    assert (b.province_id[nodes.index] == nodes.province_id).all()


def test_links_carry_their_years(t):
    lk = t["network_links"].set_index("link_id")
    assert lk.in_service_from.between(1990, 2040).all()
    assert lk.loc["hvdc_eastcoast_1", "bus1"] == "osm_bus_101"    # Singapyeong 765 kV (derived)
    assert lk.loc["hvdc_eastcoast_1", "in_service_from"] == 2029  # completion May 2029 [T5]


def test_generators_sit_at_existing_buses_with_valid_years(t):
    g, ids = t["network_generators"], set(t["network_buses"].bus_id)
    assert g.generator_id.is_unique and set(g.bus) <= ids
    assert (g.p_nom_mw > 0).all() and (g.marginal_cost_krw_per_mwh >= 0).all()
    done = g.dropna(subset=["commission_year", "retire_year"])
    assert (done.retire_year >= done.commission_year).all()
    nuc = g[g.carrier == "nuclear"]
    assert set(g.must_run[g.carrier == "nuclear"]) == {True}
    assert {"saeul_3", "saeul_4", "shin_hanul_3", "shin_hanul_4"} <= set(nuc.generator_id)
    # Gyeongbuk nuclear in 2024 (korea-facts §3): 5,900 + 2,800 + 2,100 + 2,000 = 12,800 MW
    prov = t["network_buses"].set_index("bus_id").province_id
    live = nuc[(nuc.commission_year <= 2024) & ~(nuc.retire_year < 2024)]
    assert live[live.bus.map(prov) == "Gyeongbuk"].p_nom_mw.sum() == 12800


def test_demand_spreads_to_buses_and_snapshots_per_period(t):
    b, d, s = t["network_buses"], t["network_demand"], t["network_snapshots"]
    assert (b.load_share[b.voltage_kv != 154] == 0).all() and (b.load_share >= 0).all()
    share = b.groupby("province_id").load_share.sum()
    assert np.allclose(share, 1.0, atol=1e-4) and len(share) == 17
    assert set(d.province_id) == set(share.index)
    periods = set(d.period)
    kinds = s.groupby("period").kind.apply(set)
    assert set(kinds.index) == periods
    assert all(k == {"system_peak", "low_load_high_solar"} for k in kinds)
    # national peak of each period = sum of the provincial peaks (same P(t), rounding only)
    peak = s[s.kind == "system_peak"].set_index("period").national_load_mw
    assert np.allclose(d.groupby("period").peak_mw.sum(), peak, atol=1.0)


def test_every_snapshot_can_be_served_and_must_run_fits(t):
    """Capacity in service (solar/wind at the snapshot's availability) covers the national load,
    and the must-run units alone stay below it, so a base dispatch exists in every snapshot."""
    g = t["network_generators"]
    for r in t["network_snapshots"].itertuples():
        live = g[~(g.commission_year > r.period) & ~(g.retire_year <= r.period)]
        avail = live.carrier.map({"solar": r.solar_availability, "wind": r.wind_availability}).fillna(1.0)
        assert (live.p_nom_mw * avail).sum() > r.national_load_mw, r.snapshot_id
        assert live.p_nom_mw[live.must_run].sum() < r.national_load_mw, r.snapshot_id


def test_every_value_has_provenance(t):
    prov = pd.read_csv(DATA / "provenance.csv", dtype=str, keep_default_na=False)
    known = set(pd.read_csv(DATA / "sources.csv", dtype=str).source_id) | {"ASSUMPTION"}
    for name, df in t.items():
        mine = prov[prov.table == name]
        assert len(mine), name
        for ids in mine.source_ids:
            assert set(ids.split(";")) <= known, (name, ids)
        assert set(mine.kind) <= {"source", "derived", "assumption"}
        a = mine[mine.kind == "assumption"]
        assert (a.source_ids.str.contains("ASSUMPTION") & (a.note.str.len() > 10)).all(), name
        key = df.columns[0]
        for col in df.columns[1:]:
            rows = set(mine.row_id[mine.column == col])
            missing = set(df[key].astype(str)) - rows
            assert "*" in rows or not missing, (name, col, sorted(missing)[:3])


@pytest.mark.skipif(not (SHARED / "korea-grid").is_dir(), reason="needs ../shared/korea-grid beside the checkout")
def test_derivation_is_deterministic(tmp_path):
    for f in ("provinces.csv", "sites.csv", "provenance.csv", "sources.csv"):
        shutil.copy(DATA / f, tmp_path / f)
    script = DATA / "derive" / "build_network.py"
    subprocess.run([sys.executable, str(script), "--shared", str(SHARED), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for name in (*TABLES, "provenance", "sources"):
        assert (tmp_path / f"{name}.csv").read_bytes() == (DATA / f"{name}.csv").read_bytes(), name


def test_pypsa_sees_the_same_network(t):
    """An independent reader: PyPSA finds two sub-networks and no inconsistency."""
    pypsa = pytest.importorskip("pypsa")
    pypsa.options.api.legacy_string_dtype = True
    n = pypsa.Network()
    b = t["network_buses"]
    n.add("Bus", b.bus_id, v_nom=b.voltage_kv.to_numpy(), x=b.lon.to_numpy(), y=b.lat.to_numpy())
    ln = t["network_lines"]
    n.add("Line", ln.line_id, bus0=ln.bus0.to_numpy(), bus1=ln.bus1.to_numpy(),
          x=ln.x_ohm.to_numpy(), s_nom=ln.s_nom_mva.to_numpy())
    tr = t["network_transformers"]
    # PyPSA's transformer x is per unit on its own s_nom: 0.005 pu on 100 MVA = 0.1 on 2,000
    n.add("Transformer", tr.transformer_id, bus0=tr.bus0.to_numpy(), bus1=tr.bus1.to_numpy(),
          x=(tr.x_pu * tr.s_nom_mva / 100.0).to_numpy(), s_nom=tr.s_nom_mva.to_numpy())
    lk = t["network_links"]
    n.add("Link", lk.link_id, bus0=lk.bus0.to_numpy(), bus1=lk.bus1.to_numpy(),
          p_nom=lk.p_nom_mw.to_numpy(), p_min_pu=-1.0)
    n.determine_network_topology()
    assert len(n.sub_networks) == 2
    n.consistency_check(strict=["unknown_buses"])

"""The grid family's network mode on hand-solvable networks, and the PTDF it reads.

Tiny cases follow :mod:`tiny` (one period, one-year annuity, no discounting, zero tariff
and connection cost, PUE 1), so the objective is ``sum capex x IT``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tiny import corridors, nodes_for, provinces, site, write_case
from tiny_network import add_network, bus, gen, line, network_tables

import siting
from siting.model.network import network_cases, read_network_tables

ROOT = Path(__file__).resolve().parents[1]


def _run(path: Path):
    res = siting.run(path, runs_dir=None, draw_map=False).results
    assert res.solve.status == "optimal"
    return res


def loop_case(folder: Path, mode: str) -> Path:
    """Three buses in a loop, equal reactances, every line 100 MVA: b1, b2 in Chungnam,
    b3 in Jeonnam. Spare generation only at b1. Sites S1 at b1 (capex 2 bn KRW/MW) and S3
    at b3 (capex 1), modules of 10 MW up to 200 MW; target 200 MW IT."""
    sites = pd.DataFrame([site("S1", "Chungnam", 2.0, 0.0, max_mw=200.0),
                          site("S3", "Jeonnam", 1.0, 0.0, max_mw=200.0)])
    sites["grid_node_id"] = ["b1", "b3"]
    nodes = nodes_for(sites).assign(node_id=["b1", "b3"])
    # transport: the Chungnam-Jeonnam corridor holds the lines crossing it (b1-b3, b2-b3)
    cor = corridors([("Chungnam-Jeonnam", "Chungnam", "Jeonnam", 200.0, 10.0, 1900)])
    path = write_case(folder, sites=sites, nodes=nodes, corridors_df=cor,
                      provinces_df=provinces(spare_gwh={"Chungnam": 1e6, "Jeonnam": 0.0,
                                                        "Seoul": 0.0}),
                      model={"constraints": {"targets": {"values": {"2030": 200.0}},
                                             "grid": {"enabled": True, "mode": mode}}})
    tables = network_tables(
        [bus("b1", "Chungnam"), bus("b2", "Chungnam", dlon=0.1), bus("b3", "Jeonnam")],
        [line("l12", "b1", "b2"), line("l23", "b2", "b3"), line("l13", "b1", "b3")],
        [gen("g1", "b1", 1000.0, 100.0)], {})
    return add_network(path, tables, {"s_max_pu": 1.0, "response_hours": 0.0,
                                      "ptdf_tolerance": 0.0})


def test_three_bus_loop_network_vs_transport(tmp_path):
    """Kirchhoff: 1 MW from b1 to b3 splits by the inverse reactances of the two paths,
    2/3 on b1-b3 (x) and 1/3 on b1-b2-b3 (2x). So a transfer T loads b1-b3 with 2T/3 <= 100:
    T <= 150 MW. Network mode: S3 = 150 MW (flows 100 / 50 / 50), S1 = 200 - 150 = 50 MW,
    cost 150 x 1 + 50 x 2 = 250. The transport model sees one corridor of 100 + 100 MVA and
    moves all 200 MW: S3 = 200, cost 200."""
    net = _run(loop_case(tmp_path / "net", "network"))
    it = net.sites.set_index("site_id")["it_mw"]
    assert it["S3"] == pytest.approx(150.0) and it["S1"] == pytest.approx(50.0)
    assert net.solve.objective == pytest.approx(150 * 1.0 + 50 * 2.0, abs=1e-6)
    flow = net.line_loading.set_index("branch")["flow_mw"]
    assert flow["Line:l13"] == pytest.approx(100.0, abs=1e-6)  # binding
    assert flow["Line:l12"] == pytest.approx(50.0, abs=1e-6)
    assert flow["Line:l23"] == pytest.approx(50.0, abs=1e-6)
    assert (net.binding["limit"] == "branch_flow_limit").any()
    tr = _run(loop_case(tmp_path / "tr", "transport"))
    it = tr.sites.set_index("site_id")["it_mw"]
    assert it["S3"] == pytest.approx(200.0) and it["S1"] == pytest.approx(0.0)
    assert tr.solve.objective == pytest.approx(200.0, abs=1e-6)
    assert tr.line_loading.empty


def overload_case(folder: Path, allowance: float) -> Path:
    """Two buses, one 100 MVA line b1 -> b2, s_max_pu 0.7 (limit 70 MW). The base load of
    80 MW at b2 is served by the cheap g1 at b1 (10 KRW/MWh): base flow 80 MW, above 70.
    A site at b2 must build 20 MW; the dear g2 at b2 (50 KRW/MWh, 30 MW) can answer too."""
    sites = pd.DataFrame([site("S2", "Jeonnam", 1.0, 0.0, max_mw=20.0)])
    sites["grid_node_id"] = ["b2"]
    path = write_case(folder, sites=sites, nodes=nodes_for(sites).assign(node_id=["b2"]),
                      model={"constraints": {"targets": {"values": {"2030": 20.0}},
                                             "grid": {"enabled": True, "mode": "network"}}})
    tables = network_tables([bus("b1", "Chungnam"), bus("b2", "Jeonnam", load_share=1.0)],
                            [line("l12", "b1", "b2")],
                            [gen("g1", "b1", 200.0, 10.0), gen("g2", "b2", 30.0, 50.0)],
                            {"Jeonnam": 80.0})
    return add_network(path, tables, {"s_max_pu": 0.7, "overload_allowance_pu": allowance,
                                      "response_hours": 1000.0, "ptdf_tolerance": 0.0})


@pytest.mark.parametrize(("allowance", "from_b1"), [(0.0, 0.0), (0.05, 5.0)])
def test_base_overload_no_worse_than_base(tmp_path, allowance, from_b1):
    """Limit of the overloaded line = its base flow 80 + allowance x 100. Without allowance
    the 20 MW come from g2 at b2 (the line keeps 80 MW); with 0.05 the line may carry 85 MW,
    so the cheaper g1 answers 5 MW and g2 15 MW. g2's premium over the system marginal
    cost 10 is 40 KRW/MWh for 1,000 h: (20 - from_b1) x 40 x 1000 x 1e-9 bn KRW."""
    res = _run(overload_case(tmp_path / "c", allowance))
    inj = res.injections[res.injections["kind"] == "supply_response"]
    by_bus = inj.groupby("bus")["injection_mw"].sum()
    assert by_bus.get("b1", 0.0) == pytest.approx(from_b1, abs=1e-6)
    assert by_bus.get("b2", 0.0) == pytest.approx(20.0 - from_b1, abs=1e-6)
    ll = res.line_loading.set_index("branch")
    assert ll.at["Line:l12", "base_flow_mw"] == pytest.approx(80.0)
    assert ll.at["Line:l12", "limit_mw"] == pytest.approx(80.0 + 100.0 * allowance)
    assert ll.at["Line:l12", "flow_mw"] == pytest.approx(80.0 + from_b1, abs=1e-6)
    assert bool(ll.at["Line:l12", "base_overload"])
    assert res.solve.objective == pytest.approx(20 * 1.0 + (20 - from_b1) * 40 * 1000 * 1e-9,
                                                abs=1e-9)


def test_base_overload_rule_in_the_case(tmp_path):
    """Data stage alone: the overloaded line is listed with its base flow, and its limit is
    its base flow; with no base load the limit is s_max_pu x rating."""
    path = overload_case(tmp_path / "c", 0.0)
    t = read_network_tables(path.parent)
    case = network_cases(t, [2030], {"s_max_pu": 0.7})[2030]
    assert case.base_flow_mw.at["Line:l12", "peak_2030"] == pytest.approx(80.0)
    assert case.limit_mw.at["Line:l12", "peak_2030"] == pytest.approx(80.0)
    over = case.base_overloads
    assert list(over["branch"]) == ["Line:l12"]
    assert over["rating_limit_mw"].iloc[0] == pytest.approx(70.0)
    t["network_demand"]["peak_mw"] = 0.0
    case = network_cases(t, [2030], {"s_max_pu": 0.7})[2030]
    assert case.limit_mw.at["Line:l12", "peak_2030"] == pytest.approx(70.0)
    assert case.base_overloads.empty


@pytest.fixture(scope="module")
def korea_2030():
    t = read_network_tables(ROOT / "data")
    exact = network_cases(t, [2030], {"ptdf_tolerance": 0.0})[2030]
    return t, exact


def test_ptdf_tolerance_bounds_the_flow_error(korea_2030):
    """Dropping coefficients under tol moves a branch flow by less than
    tol x sum |injection change| for any change; checked on balanced random changes of the
    2030 mainland network (the stated bound of siting.model.network.case)."""
    _, exact = korea_2030
    rng = np.random.default_rng(7)
    mainland = [b for b in exact.buses if exact.sub_network[b] == "mainland"]
    for tol in (1e-4, 1e-3, 1e-2):
        trunc = exact.ptdf.where(exact.ptdf.abs() >= tol, 0.0)
        dropped = (exact.ptdf != 0) & (trunc == 0)
        assert dropped.to_numpy().any()
        for _ in range(5):
            dp = pd.Series(0.0, index=exact.buses)
            dp[mainland] = rng.normal(0, 100.0, len(mainland))
            dp[mainland] -= dp[mainland].mean()  # balanced
            err = (exact.ptdf - trunc).to_numpy() @ dp.to_numpy()
            assert np.abs(err).max() < tol * dp.abs().sum()


def test_ptdf_matches_pypsa_lpf(korea_2030):
    """PTDF x (a balanced change) equals the change of PyPSA's lpf flows (superposition),
    on a network built here from the tables with pypsa alone."""
    import pypsa

    t, exact = korea_2030
    rng = np.random.default_rng(3)
    mainland = [b for b in exact.buses if exact.sub_network[b] == "mainland"]
    dp = pd.Series(0.0, index=exact.buses)
    pick = rng.choice(mainland, 40, replace=False)
    dp[pick] = rng.normal(0, 200.0, 40)
    dp[pick] -= dp[pick].mean()
    n = _plain_network(pypsa, t)
    n.add("Load", [f"d_{b}" for b in pick], bus=pick, p_set=-dp[pick].to_numpy())
    n.lpf()
    got = pd.concat([n.c["Line"].dynamic.p0.iloc[0].rename(lambda i: f"Line:{i}"),
                     n.c["Transformer"].dynamic.p0.iloc[0].rename(
                         lambda i: f"Transformer:{i}")])
    want = exact.ptdf.to_numpy() @ dp.to_numpy()
    assert np.abs(got[exact.branches].to_numpy() - want).max() < 1e-6


def _plain_network(pypsa, t):
    """Buses, lines (x in Ohm) and transformers (x on their own rating) of the tables, one
    snapshot, a slack generator per AC island: no siting code."""
    n = pypsa.Network()
    b = t["network_buses"]
    n.add("Bus", b.index, v_nom=b["voltage_kv"].astype(float))
    ln, tr = t["network_lines"], t["network_transformers"]
    n.add("Line", ln.index, bus0=ln["bus0"], bus1=ln["bus1"], x=ln["x_ohm"],
          s_nom=ln["s_nom_mva"])
    n.add("Transformer", tr.index, bus0=tr["bus0"], bus1=tr["bus1"],
          x=tr["x_pu"] * tr["s_nom_mva"] / 100.0, s_nom=tr["s_nom_mva"])
    return n


def test_default_run_flows_recomputed_with_lpf(default_run_dir):
    """Independent check of the default run: PyPSA's lpf on the network of the tables
    (built here with pypsa alone), loaded with the base case and the written injections
    (sites' draws, supply responses), gives every line flow of ``line_loading.csv``
    within 1 MW, and every flow is within its limit (1 MW: the PTDF tolerance of the
    model's rows, 2 x 1e-4 x the 3.1 GW moved at most). The base case is the documented
    merit-order rule (siting.model.network.dispatch), the one input taken from siting."""
    import pypsa

    from siting.model.network.dispatch import base_dispatch
    from siting.model.network.network import bus_load_mw, in_service, indexed

    ll = pd.read_csv(default_run_dir / "line_loading.csv")
    inj = pd.read_csv(default_run_dir / "network_injections.csv")
    t = indexed(read_network_tables(ROOT / "data"))
    assert (ll["flow_mw"].abs() <= ll["limit_mw"] + 1.0).all()
    s_nom = ll["s_nom_mva"]
    assert (ll["limit_mw"] >= 0.7 * s_nom - 1e-6).all()
    worst = 0.0
    for p in sorted(ll["period"].unique()):
        base = base_dispatch(t, p)
        live = in_service(t, p)
        n = _plain_network(pypsa, {**t, "network_lines": live["lines"],
                                   "network_transformers": live["transformers"]})
        snaps = list(base.dispatch.columns)
        n.set_snapshots(snaps)
        n.add("Generator", base.dispatch.index,
              bus=t["network_generators"].loc[base.dispatch.index, "bus"],
              p_set=base.dispatch.T)
        lf = t["network_snapshots"].loc[snaps, "load_factor"]
        load = bus_load_mw(t, p)
        n.add("Load", [f"l_{b}" for b in load.index], bus=load.index,
              p_set=pd.DataFrame(np.outer(lf, load), index=snaps,
                                 columns=[f"l_{b}" for b in load.index]))
        lk = live["links"]
        n.add("Link", lk.index, bus0=lk["bus0"], bus1=lk["bus1"], p_nom=lk["p_nom_mw"],
              p_min_pu=-1.0, p_set=base.link_flow.loc[lk.index, snaps].T)
        change = (inj[inj["period"] == p].pivot_table(index="snapshot", columns="bus",
                                                      values="injection_mw", aggfunc="sum")
                  .reindex(snaps).fillna(0.0))
        n.add("Load", [f"c_{b}" for b in change.columns], bus=change.columns,
              p_set=-change.set_axis([f"c_{b}" for b in change.columns], axis=1))
        n.lpf()
        for comp in ("Line", "Transformer"):
            p0 = n.c[comp].dynamic.p0
            for s in snaps:
                got = ll[(ll["period"] == p) & (ll["snapshot"] == s)].set_index("branch")
                want = p0.loc[s].rename(lambda i, c=comp: f"{c}:{i}")
                diff = (got["flow_mw"] - want.reindex(got.index)).dropna()
                assert len(diff) == (got["kind"] == comp.lower()).sum()
                worst = max(worst, float(diff.abs().max()))
    assert worst < 1.0, worst


def test_infeasible_network_names_the_line(tmp_path):
    """The loop with S1 capped at 20 MW: S3 must take 180 MW, 30 MW more than the 150 MW
    the network carries; T = 180 puts 2/3 x 180 = 120 MW on b1-b3 (limit 100): the
    diagnosis asks for 20 MW more on that line, named by its ends, voltage and snapshot
    (cheaper than leaving 30 MW of the draw unbalanced)."""
    path = loop_case(tmp_path / "c", "network")
    sites = pd.read_csv(path.parent / "sites.csv")
    sites.loc[sites["site_id"] == "S1", "max_it_mw"] = 20.0
    sites.to_csv(path.parent / "sites.csv", index=False)
    from siting.model.diagnose import find_relaxations

    model = siting.load_model_file(path)
    data = siting.prepare(siting.load_inputs(model), model)
    found = find_relaxations(data)
    assert [r.limit for r in found] == ["branch_flow_limit"]
    assert found[0].index[:3] == ("Line:l13", "fwd", "peak_2030")
    assert found[0].amount == pytest.approx(180 * 2 / 3 - 100, abs=1e-6)
    assert found[0].message.startswith("2030: 345 kV Chungnam Bus b1 - Jeonnam Bus b3 "
                                       "(towards Jeonnam Bus b3), peak_2030 needs 20.0 MW")

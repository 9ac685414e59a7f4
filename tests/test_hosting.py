"""Hosting capacity on a 3-bus loop whose optimum is derived by hand.

Buses 1, 2, 3; lines l12 (1->2), l23 (2->3), l13 (1->3), equal reactances; bus 1 is the
slack. An injection at bus 2 (withdrawn at bus 1) splits 2/3 over the direct path and 1/3
over the two-line path: flows l12 -2/3, l23 +1/3, l13 -1/3. At bus 3: l12 -1/3, l23 -1/3,
l13 -2/3. At bus 1: nothing. (Columns of the PTDF below; the PTDF of a loop is checked
against pypsa in the last test.)
"""

from __future__ import annotations

import numpy as np
import pytest

from siting.model.network.hosting import max_new_load

PTDF = np.array([[0.0, -2 / 3, -1 / 3],    # l12
                 [0.0, 1 / 3, -1 / 3],     # l23
                 [0.0, -1 / 3, -2 / 3]])   # l13
BUS = {"1": 0, "2": 1, "3": 2}


def _host(bus, limits, spare_by_bus, base=(0.0, 0.0, 0.0)):
    resp = sorted(spare_by_bus)
    return max_new_load(PTDF[:, BUS[bus]], np.array(base, float), np.array(limits, float),
                        PTDF[:, [BUS[j] for j in resp]],
                        np.array([spare_by_bus[j] for j in resp], float))


def test_load_limited_by_the_direct_line():
    # load L at 3 served from 1: flow on l13 = 2/3 L <= 100 -> L = 150 (l12 = l23 = 50,
    # within 1,000)
    got = _host("3", [1000, 1000, 100], {"1": 1000.0})
    assert got.hosting_mw == pytest.approx(150.0, abs=1e-6)
    assert got.limiting_row == 2


def test_response_near_the_load_raises_hosting():
    # + 60 MW spare at bus 2: l13 = 2/3 L - 1/3 r2 <= 100 with r2 = 60 -> L = 180;
    # l23 = 1/3 r2 + 1/3 L = 80, l12 = -2/3 r2 + 1/3 L = 20: within 1,000
    got = _host("3", [1000, 1000, 100], {"1": 1000.0, "2": 60.0})
    assert got.hosting_mw == pytest.approx(180.0, abs=1e-6)
    assert got.limiting_row == 2


def test_spare_supply_limits_when_no_line_binds():
    # only 120 MW spare: L = 120, l13 = 80 < 100
    got = _host("3", [1000, 1000, 100], {"1": 120.0})
    assert got.hosting_mw == pytest.approx(120.0, abs=1e-6)
    assert got.limiting_row == -1


def test_base_flow_uses_up_the_line():
    # base flow 40 MW on l13 (1->3): 40 + 2/3 L <= 100 -> L = 90
    got = _host("3", [1000, 1000, 100], {"1": 1000.0}, base=(0.0, 0.0, 40.0))
    assert got.hosting_mw == pytest.approx(90.0, abs=1e-6)
    # a base flow the other way (3->1, -40) frees room: -40 + 2/3 L <= 100 -> L = 210
    got = _host("3", [1000, 1000, 100], {"1": 1000.0}, base=(0.0, 0.0, -40.0))
    assert got.hosting_mw == pytest.approx(210.0, abs=1e-6)


def test_load_at_a_responder_bus_needs_no_line():
    # load at bus 1 served by bus 1's own spare: no flow changes -> L = spare = 700
    got = _host("1", [10, 10, 10], {"1": 700.0})
    assert got.hosting_mw == pytest.approx(700.0, abs=1e-6)
    assert got.limiting_row == -1


def test_overload_nobody_can_relieve_gives_zero():
    # base flow 150 on l13 above its 100 limit; the only response is at the load's own bus
    # (no flow change), so nothing fits
    got = _host("3", [1000, 1000, 100], {"3": 500.0}, base=(0.0, 0.0, 150.0))
    assert got.hosting_mw == 0.0
    assert got.limiting_row == 2


def test_hand_ptdf_equals_pypsa():
    pypsa = pytest.importorskip("pypsa")
    n = pypsa.Network()
    for b in BUS:
        n.add("Bus", b, v_nom=345.0)
    for name, b0, b1 in (("l12", "1", "2"), ("l23", "2", "3"), ("l13", "1", "3")):
        n.add("Line", name, bus0=b0, bus1=b1, x=1.0, s_nom=100.0)
    n.determine_network_topology()
    sub = n.sub_networks.obj.iloc[0]
    sub.calculate_PTDF()
    got = sub.PTDF - sub.PTDF[:, [0]]  # slack at bus 1
    assert np.allclose(got, PTDF)


def _case():
    """The loop above (buses M1-M3, M1 the slack) plus an island bus J reached by one HVDC
    link M1 -> J (100 MW, 60 MW base flow in both snapshots). Snapshot ``a``: l13 limited
    to 100 MW, no base flow; snapshot ``b``: 40 MW base flow on l13. Spare: 1,000 MW at M1,
    10 MW at J."""
    import pandas as pd

    from siting.model.network import NetworkCase

    buses = ["M1", "M2", "M3", "J"]
    branches = ["Line:l12", "Line:l23", "Line:l13"]
    ptdf = pd.DataFrame(np.c_[PTDF, np.zeros(3)], index=branches, columns=buses)
    snaps = ["a", "b"]
    base = pd.DataFrame({"a": [0.0, 0.0, 0.0], "b": [0.0, 0.0, 40.0]}, index=branches)
    limit = pd.DataFrame({"a": [1000.0, 1000.0, 100.0], "b": [1000.0, 1000.0, 100.0]},
                         index=branches)
    resp = pd.DataFrame([{"bus": b, "snapshot": s, "spare_up_mw": mw}
                         for s in snaps for b, mw in (("M1", 1000.0), ("J", 10.0))])
    links = pd.DataFrame({"name": ["M1-J"], "bus0": ["M1"], "bus1": ["J"],
                          "p_nom_mw": [100.0], "base_a": [60.0], "base_b": [60.0]},
                         index=["link"])
    info = pd.DataFrame({"name": ["345 kV M1 - M2", "345 kV M2 - M3", "345 kV M1 - M3"]},
                        index=branches)
    return NetworkCase(period=2030, snapshots=snaps, buses=buses, branches=branches,
                       branch_info=info, ptdf=ptdf, base_flow_mw=base, limit_mw=limit,
                       responders=resp, links=links, base_overloads=pd.DataFrame(),
                       sub_network={"M1": "main", "M2": "main", "M3": "main", "J": "isl"},
                       dispatch=pd.DataFrame())


def test_hosting_is_the_worst_snapshot_and_islands_import_over_hvdc():
    from siting.model.network.hosting import SPARE_SUPPLY, hosting_capacity

    got = hosting_capacity(_case(), ["M3", "J", "M1"]).set_index("bus")
    # M3: a gives 150 (first test), b gives 90 (40 + 2/3 L <= 100): the smaller, in b
    assert got.at["M3", "hosting_mw"] == pytest.approx(90.0, abs=1e-6)
    assert got.at["M3", "snapshot"] == "b"
    assert got.at["M3", "limiting_branch"] == "Line:l13"
    assert got.at["M3", "limiting_line"] == "345 kV M1 - M3"
    # J: its own 10 MW spare + the link's 100 - 60 = 40 MW headroom = 50 MW; the link's
    # 40 MW come from M1, the slack (no mainland flow changes)
    assert got.at["J", "hosting_mw"] == pytest.approx(50.0, abs=1e-6)
    assert got.at["J", "limiting_line"] == SPARE_SUPPLY
    # M1: its own 1,000 MW spare, plus 10 MW from J over the link (60 -> 50 MW):
    # 1,010 MW, no line involved
    assert got.at["M1", "hosting_mw"] == pytest.approx(1010.0, abs=1e-6)


def test_node_headroom_is_the_hosting_capacity_of_the_node_bus():
    import pandas as pd

    from siting.model.network.headroom import node_headroom, period_headroom

    nodes = pd.DataFrame({"province_id": ["A", "B"], "headroom_mw": [750.0, 120.0]},
                         index=["n1", "n2"])
    sites = pd.DataFrame({"grid_node_id": ["n1", "n1"]}, index=["s1", "s2"])
    hosting = pd.DataFrame({"bus": ["b1", "b1"], "period": [2030, 2035],
                            "hosting_mw": [90.0, 150.0]})
    got = node_headroom(nodes, hosting, sites, {"s1": "b1", "s2": "b1"})
    # n1's sites draw from b1: 90 MW in 2030, 150 MW in 2035, bound = the larger; n2 has no
    # candidate site and keeps its input value in every period
    assert period_headroom(got, "n1", 2030) == 90.0
    assert period_headroom(got, "n1", 2035) == 150.0
    assert got.at["n1", "headroom_mw"] == 150.0
    assert period_headroom(got, "n2", 2030) == 120.0
    # transport mode (no per-period columns): the input value
    assert period_headroom(nodes, "n1", 2030) == 750.0

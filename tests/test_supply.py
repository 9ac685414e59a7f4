"""The supply and reinforcement families on tiny instances with hand-derived optima.

Instance (``tests/tiny.py``): site A in Chungnam, capex 1 bn KRW/MW IT + 10 fixed,
modules of 10 MW, at most 50 MW, PUE 1; site B in Jeonnam, capex 2, no fixed cost. No
discounting, capital recovery over one year (CRF = 1), zero tariff, utilization 1, so a
period's cost is ``capex * it + fixed * open`` plus what the families add, and a period
counts for the years until the next one (the last for ``last_period_years`` = 1).
"""

from __future__ import annotations

import pandas as pd
import pytest
from tiny import nodes_for, site, write_case

import siting

SUPPLY_COLS = ["option_id", "site_id", "kind", "carrier", "name", "plant_id", "distance_km",
               "capacity_mw", "firm_share", "capacity_factor", "capex_bn_krw_per_mw",
               "oneoff_bn_krw", "fixed_bn_krw_per_mw_yr", "variable_krw_per_kwh",
               "co2_t_per_mwh", "lead_time_yr"]
REINF_COLS = ["reinforcement_id", "kind", "element", "element_id", "name", "capacity_mw",
              "length_km", "cost_bn_krw_per_km", "cost_bn_krw", "lead_time_yr",
              "in_service_year", "committed"]
GRID = {"enabled": True, "province_balance": False}


def grid_row(site_id, lead=0, co2=0.0):
    return [f"{site_id}:grid", site_id, "grid", "grid", "grid", "", 0.0, 1e4, 1.0, None, 0.0, 0.0,
            0.0, 0.0, co2, lead]


def option(oid, site_id, kind, mw, oneoff=0.0, variable=0.0, co2=0.0, lead=0, carrier="gas"):
    return [oid, site_id, kind, carrier, oid, "", 1.0, mw, 1.0, None, 0.0, oneoff, 0.0, variable, co2,
            lead]


def transformer(node, mw, cost, lead=0):
    return [f"{node}:transformer", "transformer", "node", node, "t", mw, 0.0, 0.0, cost, lead,
            None, False]


def solve(tmp_path, sites, headroom, supply=(), reinf=(), model=None):
    model = dict(model or {})
    data = {"supply_options": "supply_options.csv"}
    pd.DataFrame(list(supply), columns=SUPPLY_COLS).to_csv(
        tmp_path / "supply_options.csv", index=False)
    if reinf:
        pd.DataFrame(list(reinf), columns=REINF_COLS).to_csv(
            tmp_path / "reinforcements.csv", index=False)
        data["reinforcements"] = "reinforcements.csv"
    model["data"] = data | model.get("data", {})
    path = write_case(tmp_path, model=model, sites=sites, nodes=nodes_for(sites, headroom))
    return siting.run(path, runs_dir=None)


def it_mw(run, site_id, period):
    s = run.results.sites
    return float(s.loc[(s.site_id == site_id) & (s.period == period), "it_mw"].iloc[0])


def with_base(model: dict) -> dict:
    """The tiny model's data paths with the family tables added."""
    from tiny import BASE_MODEL
    return {**model, "data": dict(BASE_MODEL["data"])}


@pytest.mark.parametrize("plant_oneoff, expected, plant_used", [(5.0, 45.0, True),
                                                                 (12.0, 48.0, False)])
def test_adjacent_plant_cheaper_than_reinforcement(tmp_path, plant_oneoff, expected,
                                                   plant_used):
    # A alone, target 30 MW, node headroom 20 MW: 10 MW more from an adjacent plant
    # (one-off line cost, energy at the zero tariff) or a 20 MW transformer costing 8.
    # capex 30 + fixed 10 = 40; plant line 5 -> 45 (plant); line 12 -> 40 + 8 = 48
    # (transformer).
    sites = pd.DataFrame([site("A", "Chungnam", 1.0, 10.0)])
    r = solve(tmp_path, sites, {"A": 20.0},
              supply=[grid_row("A"), option("A:plant", "A", "adjacent_plant", 20.0,
                                            oneoff=plant_oneoff)],
              reinf=[transformer("node_A", 20.0, 8.0)],
              model=with_base({"constraints": {"grid": GRID}}))
    assert r.results.solve.objective == pytest.approx(expected)
    assert it_mw(r, "A", 2030) == 30
    sup = r.results.family_tables["supply"]
    plant = sup.loc[sup["source"] == "A:plant", "supply_mw"].sum()
    assert (plant >= 10 - 1e-6) if plant_used else plant == pytest.approx(0.0)
    built = r.results.family_tables["reinforcements"]
    assert len(built) == (0 if plant_used else 1)


@pytest.mark.parametrize("carriers, expected", [(["gas", "coal", "nuclear"], 45.0),
                                                 (["gas"], 48.0)])
def test_contract_carriers_leave_out_a_coal_contract(tmp_path, carriers, expected):
    # The case above with the plant a coal plant (line cost 5): allowed, the contract wins
    # (40 + 5 = 45); with contracts limited to gas plants it is not in the model and the
    # transformer is built (40 + 8 = 48).
    sites = pd.DataFrame([site("A", "Chungnam", 1.0, 10.0)])
    grid = {"constraints": {"grid": GRID, "supply": {"contract_carriers": carriers}}}
    r = solve(tmp_path, sites, {"A": 20.0},
              supply=[grid_row("A"), option("A:plant", "A", "adjacent_plant", 20.0,
                                            oneoff=5.0, carrier="coal")],
              reinf=[transformer("node_A", 20.0, 8.0)], model=with_base(grid))
    assert r.results.solve.objective == pytest.approx(expected)
    assert len(r.results.family_tables["reinforcements"]) == (expected == 48.0)


@pytest.mark.parametrize("lead, expected, a_2030", [(4, 256.0, 30), (5, 311.0, 20)])
def test_reinforcement_lead_time_moves_capacity(tmp_path, lead, expected, a_2030):
    # Periods 2030 (counts 5 yr) and 2035 (1 yr), decisions in 2026; targets 30 and 40 MW.
    # A's node takes 20 MW; a 20 MW transformer at it costs 1 bn KRW/yr.
    # lead 4 (in service 2030): A 30 in 2030: 30 + 10 + 1 = 41 x 5 = 205;
    #   A 40 in 2035: 40 + 10 + 1 = 51 -> 256.
    # lead 5 (2031, so from 2035): 2030 A 20 + B 10: 20 + 10 + 20 = 50 x 5 = 250;
    #   2035 B keeps its 10 (capacity never shrinks), A 30 with the transformer:
    #   30 + 10 + 20 + 1 = 61 (without it A 20 + B 20 = 70) -> 311.
    sites = pd.DataFrame([site("A", "Chungnam", 1.0, 10.0), site("B", "Jeonnam", 2.0, 0.0)])
    model = with_base({"periods": [2030, 2035],
                       "economics": {"base_year": 2026, "discount_rate": 0.0,
                                     "lifetime_years": 1, "utilization": 1.0,
                                     "last_period_years": 1},
                       "constraints": {"grid": GRID,
                                       "targets": {"values": {"2030": 30.0, "2035": 40.0}}}})
    r = solve(tmp_path, sites, {"A": 20.0}, supply=[grid_row("A"), grid_row("B")],
              reinf=[transformer("node_A", 20.0, 1.0, lead=lead)], model=model)
    assert r.results.solve.objective == pytest.approx(expected)
    assert it_mw(r, "A", 2030) == a_2030
    built = r.results.family_tables["reinforcements"]
    assert built["in_service_from"].tolist() == [2030 if lead == 4 else 2035]


def test_co2_cap_binding(tmp_path):
    # A alone, 30 MW, grid supply at 1.0 t/MWh -> 30 x 8.76e-3 = 0.2628 Mt/yr; cap 0.2.
    # On-site gas (0.5 t/MWh, 10 KRW/kWh = 8.76 x 10 x 1e-3 = 0.0876 bn KRW/MW-yr) of q MW:
    # 8.76e-3 x (30 - 0.5 q) <= 0.2 -> q >= 2 x (30 - 22.83105) = 14.33790 MW;
    # cost 30 + 10 + 0.0876 x 14.33790 = 41.25600
    sites = pd.DataFrame([site("A", "Chungnam", 1.0, 10.0)])
    model = with_base({"constraints": {"supply": {"co2_cap_mt": 0.2}}})
    r = solve(tmp_path, sites, {}, model=model,
              supply=[grid_row("A", co2=1.0),
                      option("A:gas", "A", "onsite_gas", 50.0, variable=10.0, co2=0.5)])
    assert r.results.solve.objective == pytest.approx(41.256, abs=1e-4)
    assert r.results.kpis["co2_mt_per_yr"].iloc[0] == pytest.approx(0.2)


def test_grid_connection_lead_time_needs_colocated_supply(tmp_path):
    # A's grid connection is ready in 2031 (decided 2026, 5 yr), after the 2030 period:
    # A draws nothing from the grid, so its 30 MW come from a plant (line 3) -> 30 + 10 + 3
    # = 43; without the plant B alone: 2 x 30 = 60.
    sites = pd.DataFrame([site("A", "Chungnam", 1.0, 10.0), site("B", "Jeonnam", 2.0, 0.0)])
    model = with_base({"economics": {"base_year": 2026, "discount_rate": 0.0,
                                     "lifetime_years": 1, "utilization": 1.0,
                                     "last_period_years": 1}})
    r = solve(tmp_path, sites, {}, model=model,
              supply=[grid_row("A", lead=5), grid_row("B"),
                      option("A:plant", "A", "adjacent_plant", 50.0, oneoff=3.0)])
    assert r.results.solve.objective == pytest.approx(43.0)
    ttp = r.results.family_tables["time_to_power"].set_index("site_id")
    assert ttp.at["A", "earliest_energised_year"] == 2030  # via the plant (lead 0 -> 2026)
    assert ttp.at["A", "critical_path"] == "site ready (available_from)"


@pytest.mark.parametrize("delay, expected", [(0, 40.0), (1, 50.0)])
def test_committed_hvdc_delay(tmp_path, delay, expected):
    # Chungnam spare 20 MW, Jeonnam 100; the corridor takes 5 MW, a committed HVDC adds 20
    # from 2030 (+ delay). In service: A 30 = 20 spare + 10 imported -> 30 + 10 = 40;
    # delayed to 2031: A <= 25 -> A 20 + B 10 = 20 + 10 + 20 = 50.
    from tiny import corridors, default_sites, provinces

    spare = {"Chungnam": 20 * 8.76, "Jeonnam": 100 * 8.76, "Seoul": 0.0}
    cor = corridors([("Chungnam-Jeonnam", "Chungnam", "Jeonnam", 5.0, 200.0, 1900)])
    hvdc = ["link:corridor", "hvdc", "corridor", "Chungnam-Jeonnam", "h", 20.0, 200.0, 0.0, 0.0,
            0, 2030, True]
    sites = default_sites()
    pd.DataFrame([grid_row("A"), grid_row("B")], columns=SUPPLY_COLS).to_csv(
        tmp_path / "supply_options.csv", index=False)
    pd.DataFrame([hvdc], columns=REINF_COLS).to_csv(tmp_path / "reinforcements.csv",
                                                    index=False)
    model = with_base({"constraints": {"grid": {"enabled": True, "node_headroom": False},
                                       "reinforcement": {"hvdc_delay_yr": delay}}})
    model["data"] |= {"supply_options": "supply_options.csv",
                      "reinforcements": "reinforcements.csv"}
    path = write_case(tmp_path, model=model, sites=sites, corridors_df=cor,
                      provinces_df=provinces(spare_gwh=spare))
    r = siting.run(path, runs_dir=None)
    assert r.results.solve.objective == pytest.approx(expected)

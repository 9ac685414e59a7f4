"""Build data/supply_options.csv and data/reinforcements.csv (issue 15), with their rows of
data/provenance.csv, from the project's own tables (sites, grid_nodes, corridors and the
network tables). Offline build step, NOT used at run time; deterministic:

    /work/main/.venv/bin/python data/derive/build_supply.py --data data

Every figure is either taken from a table that carries its own provenance (plant ratings,
coordinates, line ratings, corridor lengths), derived from cited figures (the east-coast
stranded share from T1), or an ASSUMPTION stated below with its reasoning. None of them is
chosen so that a model answer comes out; the rules are uniform across sites.
"""
from __future__ import annotations

import argparse
import math
from pathlib import Path

import pandas as pd
from network_sources import NETWORK_SOURCES

NETWORK_TABLES = ("network_buses", "network_lines", "network_transformers", "network_links",
                  "network_generators", "network_demand", "network_snapshots",
                  "network_dropped")
"""Tables whose provenance rows build_network.py writes (at the end of provenance.csv)."""
PROV_COLS = ["table", "column", "row_id", "source_ids", "kind", "note"]
BASE_YEAR = 2026
"""Decision year of the shipped scenarios (economics.base_year): lead times count from it."""

# ---------------------------------------------------------------------------------------
# Rules (all ASSUMPTION unless a source id is given)
# ---------------------------------------------------------------------------------------
ADJACENT_KM = 10.0
"""A plant is 'adjacent' when its grid bus lies within 10 km of the site: the reach of a
dedicated 154 kV cable inside or next to an industrial complex. ASSUMPTION."""
SPARE_SHARE = {"gas": 0.5, "coal": 0.3, "nuclear": 0.0}
"""Share of a plant's rating a site may contract directly. Gas 0.5: Korean CCGTs run at
about half their hours, so half their rating is not committed in an average hour; coal 0.3:
coal runs at higher load factors; nuclear 0: must-run, its output is already sold to the
market. ASSUMPTION (no sourced utilisation figures in the project's sources)."""
EAST_COAST_STRANDED = round(1 - 11.6 / 19.0, 3)
"""North-east coast (Uljin, Samcheok, Donghae, Gangneung): 19 GW of generation vs 11.6 GW
transmittable [T1], so 1 - 11.6/19 = 0.389 of each plant's rating cannot leave the region
and may be contracted by a site there (derived)."""
CONTRACT_MARGIN_KRW_PER_KWH = 40.0
"""Contract price of STRANDED output (north-east coast coal/nuclear that cannot leave the
region, whose alternative is curtailment) = the plant's marginal cost
(network_generators.csv) + 40 KRW/kWh for its fixed costs and margin. Any other plant can
sell the same MWh to the market, so its price is the site's own tariff (its opportunity
cost, with the grid kept as backup): such a contract saves no energy cost and is chosen only
where the grid cannot deliver in time or in volume. ASSUMPTION (no sourced SMP or contract
prices in the project's sources)."""
LINE_BN_KRW_PER_KM = 3.0
"""Dedicated line to an adjacent plant [bn KRW/km], the same figure as the site-to-node
connection of the default model file (an assumption there). Minimum 1 km."""
GRID_CO2 = 0.45
"""Marginal CO2 intensity of grid supply [t/MWh]: the plants that respond to new load in
Korea are LNG CCGTs (~0.37 t/MWh [IPCC2006] at 55%) in most hours and coal (~0.82) in
some; 0.45 is a blend. ASSUMPTION, national (the network mode's responders may refine it
per bus later)."""
CO2 = {"gas": round(56.1 * 3.6 / 1000 / 0.55, 3), "coal": round(94.6 * 3.6 / 1000 / 0.415, 3),
       "nuclear": 0.0}
"""t CO2/MWh from IPCC default emission factors [IPCC2006] (natural gas 56.1, bituminous
coal 94.6 t/TJ) at assumed net efficiencies (CCGT 55%, coal 41.5%; ASSUMPTION)."""
GAS_ENGINE_EFF = 0.45
"""On-site gas engines or small CCGT: 45% net efficiency (ASSUMPTION)."""
ONSITE_GAS = {"capex": 1.3, "oneoff": 20.0, "fixed": 0.033,
              "variable": round(150.0 * 0.55 / GAS_ENGINE_EFF + 8.0, 1), "lead": 3}
"""New on-site gas: capex 1.3 bn KRW/MW (about USD 1,000/kW at 1,300 KRW/USD), 20 bn KRW
one-off for the gas connection, fixed O&M 0.033 bn KRW/MW-yr (2.5% of capex), fuel at the
network table's gas marginal cost (150 KRW/kWh at 55%) scaled to 45% efficiency plus
8 KRW/kWh variable O&M, 3 years (permits, gas supply, construction). ASSUMPTION."""
SOLAR = {"mw": 100.0, "cf": 0.14, "capex": 1.6, "fixed": 0.02, "lead": 2}
"""Behind-the-meter solar with a battery at sites whose kind is renewable_hub (land
available): 100 MW, capacity factor 0.14 (as the solar zones of re_zones.csv), capex
1.6 bn KRW/MW (PV ~1.0 + battery ~0.6), fixed 0.02 bn KRW/MW-yr, 2 years; firm share 0 (the
system peak is a winter 09:00 hour [network_snapshots.csv: solar availability 0.05] and a
few hours of battery cannot carry a 24/7 load). ASSUMPTION."""
GRID_LEAD = {"announced_2027": 1, "announced": 2, 154: 3, 345: 4, 765: 4}
"""Connection lead time [yr]: an announced project dated 2027 has its connection under way
(1 yr), other announced projects 2 yr, a new 154 kV connection 3 yr, a 345/765 kV one 4 yr.
ASSUMPTION."""
TRANSFORMER = {154: (200.0, 30.0, 3), 345: (500.0, 60.0, 4), 765: (1000.0, 150.0, 5)}
"""Transformer addition at an existing substation, per node voltage: (MW, bn KRW, yr):
one more 154 kV supply bank (200 MW), one 345/154 kV bank (500 MVA), one 765/345 kV bank
(1,000 MW usable). ASSUMPTION (no KEPCO unit costs in the sources)."""
NEW_SUBSTATION = (1000.0, 300.0, 7)
"""A new 345 kV substation next to a 345/765 kV node: 1,000 MW, 300 bn KRW, 7 years (new
site permits). ASSUMPTION."""
NEW_LINE = {"mw": 1500.0, "bn_per_km": 8.0, "route": 1.3, "lead": 9}
"""New 345 kV double-circuit line along a transport corridor: +1,500 MW of transfer limit
in each direction (a third of the 4,528 MVA thermal rating of a 345 kV double circuit in
network_lines.csv, for N-1 and its share of parallel flows), 8 bn KRW/km over 1.3 x the
corridor length (routing), 9 years: Korean 345 kV lines and the east-coast HVDC have slipped
by about a decade (original 2019 target, now 2029 [T5]). ASSUMPTION apart from [T5]."""
UPRATE = {"share": 0.5, "bn_per_km": 1.5, "lead": 5}
"""Network mode: reconductoring (high-temperature conductor) raises a 345/765 kV branch's
rating by 50% at 1.5 bn KRW/km in 5 years. Its reactance, hence the PTDF, is taken as
unchanged (an approximation: new conductors change x by a few per cent). Offered for the
branches at the candidate sites' buses. ASSUMPTION."""
HVDC_EAST2 = {"mw": 4000.0, "year": 2032}
"""East coast HVDC phase 2 (to Dongseoul, Hanam; 4 of the 8 GW [T4]); Hanam refused the
converter expansion in 2024 [T6], so its year is uncertain: 2032 ASSUMPTION (phase 1 May
2029 [T5] plus three years), swept with reinforcement.hvdc_delay_yr. Committed by the grid
plan, so no cost to the siting plan."""
SK_GAS_ULSAN = ("ulsan_mipo", "sk_gas_ulsan", "SK Gas Ulsan LNG/LPG CCGT (next to Mipo)", 1.0,
                1000.0)
"""The SK Gas GW-class LNG/LPG CCGT next to the Mipo campus [X1]: not in the plant list
(its output sits in network_generators.csv's unlisted Ulsan gas), so added by hand at
1 km with a 1,000 MW rating ('GW-class' [X1])."""


def km(lon1, lat1, lon2, lat2) -> float:
    """Great-circle distance [km]."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def east_coast(lon: float, lat: float) -> bool:
    """North of Pohang and east of the Taebaek ridge: the T1 export-limited region."""
    return lat > 36.5 and lon > 128.5


def supply_options(data: Path) -> pd.DataFrame:
    sites = pd.read_csv(data / "sites.csv")
    nodes = pd.read_csv(data / "grid_nodes.csv").set_index("node_id")
    gens = pd.read_csv(data / "network_generators.csv")
    buses = pd.read_csv(data / "network_buses.csv").set_index("bus_id")
    tariffs = pd.read_csv(data / "provinces.csv").set_index("province_id")["tariff_krw_per_kwh"]
    gens = gens[gens["carrier"].isin(["gas", "coal", "nuclear"])
                & ~gens["generator_id"].str.startswith("gap_")]
    gens = gens.join(buses[["lon", "lat"]], on="bus")
    rows = []
    for s in sites.itertuples():
        facility = round(s.max_it_mw * 1.35, 1)  # PUE upper end
        node = nodes.loc[s.grid_node_id]
        lead = (GRID_LEAD["announced_2027"] if s.kind == "announced" and s.available_from
                <= 2027 else GRID_LEAD["announced"] if s.kind == "announced"
                else GRID_LEAD[int(node.voltage_kv)])
        rows.append(dict(option_id=f"{s.site_id}:grid", site_id=s.site_id, kind="grid",
                         carrier="grid", name=f"grid connection at {s.grid_node_id}", plant_id="",
                         distance_km=0.0, capacity_mw=float(node.headroom_mw), firm_share=1.0,
                         capacity_factor=None, capex_bn_krw_per_mw=0.0, oneoff_bn_krw=0.0,
                         fixed_bn_krw_per_mw_yr=0.0, variable_krw_per_kwh=0.0,
                         co2_t_per_mwh=GRID_CO2, lead_time_yr=lead))
        near = []
        for g in gens.itertuples():
            d = km(s.lon, s.lat, g.lon, g.lat)
            retire = g.retire_year if not pd.isna(g.retire_year) else 9999
            stranded = east_coast(g.lon, g.lat) and g.carrier != "gas"
            share = EAST_COAST_STRANDED if stranded else SPARE_SHARE[g.carrier]
            if d <= ADJACENT_KM and retire >= 2035 and share > 0:
                near.append((g, d, share, stranded))
        if s.site_id == SK_GAS_ULSAN[0]:
            near.append((None, SK_GAS_ULSAN[3], SPARE_SHARE["gas"], False))
        tariff = float(tariffs[s.province_id])
        for g, d, share, stranded in near:
            carrier = "gas" if g is None else g.carrier
            rating = SK_GAS_ULSAN[4] if g is None else g.p_nom_mw
            mc = 150.0 if g is None else g.marginal_cost_krw_per_mwh / 1000.0
            start = 0 if g is None or pd.isna(g.commission_year) else int(g.commission_year)
            pid = SK_GAS_ULSAN[1] if g is None else g.generator_id
            rows.append(dict(
                option_id=f"{s.site_id}:{pid}", site_id=s.site_id, kind="adjacent_plant",
                carrier=carrier, name=SK_GAS_ULSAN[2] if g is None else f"contract with {g.name} ({carrier})",
                plant_id=pid, distance_km=round(d, 1),
                capacity_mw=round(min(rating * share, facility), 1), firm_share=1.0,
                capacity_factor=None, capex_bn_krw_per_mw=0.0,
                oneoff_bn_krw=round(max(d, 1.0) * LINE_BN_KRW_PER_KM, 1),
                fixed_bn_krw_per_mw_yr=0.0,
                variable_krw_per_kwh=(mc + CONTRACT_MARGIN_KRW_PER_KWH) if stranded
                else tariff,
                co2_t_per_mwh=CO2[carrier], lead_time_yr=max(2, start - BASE_YEAR)))
        rows.append(dict(
            option_id=f"{s.site_id}:onsite_gas", site_id=s.site_id, kind="onsite_gas",
            carrier="gas", name="new on-site gas generation", plant_id="", distance_km=0.0,
            capacity_mw=facility, firm_share=1.0, capacity_factor=None,
            capex_bn_krw_per_mw=ONSITE_GAS["capex"], oneoff_bn_krw=ONSITE_GAS["oneoff"],
            fixed_bn_krw_per_mw_yr=ONSITE_GAS["fixed"],
            variable_krw_per_kwh=ONSITE_GAS["variable"],
            co2_t_per_mwh=round(56.1 * 3.6 / 1000 / GAS_ENGINE_EFF, 3),
            lead_time_yr=ONSITE_GAS["lead"]))
        if s.kind == "renewable_hub":
            rows.append(dict(
                option_id=f"{s.site_id}:solar_battery", site_id=s.site_id, kind="solar_battery",
                carrier="solar", name="behind-the-meter solar with battery", plant_id="", distance_km=0.0,
                capacity_mw=SOLAR["mw"], firm_share=0.0, capacity_factor=SOLAR["cf"],
                capex_bn_krw_per_mw=SOLAR["capex"], oneoff_bn_krw=0.0,
                fixed_bn_krw_per_mw_yr=SOLAR["fixed"], variable_krw_per_kwh=0.0,
                co2_t_per_mwh=0.0, lead_time_yr=SOLAR["lead"]))
    return pd.DataFrame(rows).sort_values("option_id", kind="stable").reset_index(drop=True)


def reinforcements(data: Path) -> pd.DataFrame:
    sites = pd.read_csv(data / "sites.csv")
    nodes = pd.read_csv(data / "grid_nodes.csv").set_index("node_id")
    corridors = pd.read_csv(data / "corridors.csv")
    lines = pd.read_csv(data / "network_lines.csv")
    rows = []

    def add(rid, kind, element, element_id, name, mw, length, per_km, cost, lead, year=None,
            committed=False):
        rows.append(dict(reinforcement_id=rid, kind=kind, element=element,
                         element_id=element_id, name=name, capacity_mw=mw, length_km=length,
                         cost_bn_krw_per_km=per_km, cost_bn_krw=cost, lead_time_yr=lead,
                         in_service_year=year, committed=committed))

    used = sorted(set(sites["grid_node_id"]))
    for n in used:
        kv = int(nodes.at[n, "voltage_kv"])
        mw, cost, lead = TRANSFORMER[kv]
        add(f"{n}:transformer", "transformer", "node", n, f"transformer addition at {n} "
            f"({kv} kV)", mw, 0.0, 0.0, cost, lead)
        if kv >= 345:
            mw, cost, lead = NEW_SUBSTATION
            add(f"{n}:new_substation", "substation", "node", n, f"new 345 kV substation "
                f"beside {n}", mw, 0.0, 0.0, cost, lead)
    for c in corridors.itertuples():
        if not c.corridor_id.endswith("_ac"):
            continue
        length = round(c.length_km * NEW_LINE["route"], 1)
        add(f"{c.corridor_id}:new_345kv", "line", "corridor", c.corridor_id,
            f"new 345 kV double-circuit line {c.from_province} - {c.to_province}",
            NEW_LINE["mw"], length, NEW_LINE["bn_per_km"],
            round(length * NEW_LINE["bn_per_km"], 1), NEW_LINE["lead"])
    at_sites = set(used)
    hv = lines[(lines["voltage_kv"] >= 345)
               & (lines["bus0"].isin(at_sites) | lines["bus1"].isin(at_sites))]
    for ln in hv.sort_values("line_id").itertuples():
        add(f"{ln.line_id}:uprate", "line_uprate", "branch", ln.line_id,
            f"reconductor {ln.voltage_kv} kV line {ln.bus0} - {ln.bus1}",
            round(ln.s_nom_mva * UPRATE["share"], 1), round(ln.length_km, 1),
            UPRATE["bn_per_km"], round(ln.length_km * UPRATE["bn_per_km"], 1), UPRATE["lead"])
    for element, eid in (("corridor", "Gyeongbuk-Gyeonggi_hvdc_eastcoast1"),
                         ("link", "hvdc_eastcoast_1")):
        add(f"eastcoast_hvdc_phase2:{element}", "hvdc", element, eid,
            "East coast HVDC phase 2 (to Dongseoul)", HVDC_EAST2["mw"], 0.0, 0.0, 0.0, 0,
            HVDC_EAST2["year"], True)
    return pd.DataFrame(rows).sort_values("reinforcement_id", kind="stable") \
        .reset_index(drop=True)


def provenance() -> list[dict]:
    """Column-wide provenance of both tables (row ``*``), with the hand row of SK Gas."""
    a = "ASSUMPTION"
    so = "supply_options"
    doc = "data/derive/build_supply.py"
    entries = [
        (so, "site_id", "*", "X1", "derived", "site of sites.csv"),
        (so, "kind", "*", a, "assumption", f"option kinds of issue 15; rules in {doc}"),
        (so, "carrier", "*", "WRI", "derived", "network_generators.csv carrier of the "
         "contracted plant (gas for sk_gas_ulsan [X1] and on-site gas, solar for solar with "
         "battery, grid for the connection)"),
        (so, "name", "*", a, "assumption", "descriptive text"),
        (so, "plant_id", "*", "WRI", "derived", "network_generators.csv generator_id "
         "(named WRI plants only), or sk_gas_ulsan [X1]"),
        (so, "distance_km", "*", "WRI;OSM", "derived", "great-circle distance from the site "
         "to the plant's bus (network_buses.csv); <= 10 km counts as adjacent (ASSUMPTION: "
         "reach of a dedicated 154 kV cable)"),
        (so, "capacity_mw", "*", "WRI;T1;ASSUMPTION", "assumption", "grid: the node's "
         "headroom (grid_nodes.csv); adjacent plant: rating x contractable share (gas 0.5, "
         "coal 0.3, nuclear 0; north-east coast coal/nuclear 1 - 11.6/19 = 0.389 stranded "
         "[T1]) capped at the site's max_it_mw x 1.35; on-site gas: max_it_mw x 1.35; "
         f"solar 100 MW at renewable_hub sites. Reasoning in {doc}"),
        (so, "firm_share", "*", a, "assumption", "1 for dispatchable supply; 0 for solar "
         "with battery (winter 09:00 system peak, solar availability 0.05)"),
        (so, "capacity_factor", "*", a, "assumption", "empty: follows the site's load; solar "
         "0.14 as the solar zones of re_zones.csv"),
        (so, "capex_bn_krw_per_mw", "*", a, "assumption", "on-site gas 1.3 (about USD "
         "1,000/kW); solar+battery 1.6 (PV ~1.0 + battery ~0.6); contracts and grid 0"),
        (so, "oneoff_bn_krw", "*", a, "assumption", "dedicated line to an adjacent plant at "
         "3 bn KRW/km (min 1 km), gas connection 20 bn KRW; grid connection is costed by "
         "the sites family"),
        (so, "fixed_bn_krw_per_mw_yr", "*", a, "assumption", "on-site gas 2.5% of capex; "
         "solar+battery 0.02"),
        (so, "variable_krw_per_kwh", "*", a, "assumption", "contracts: the site's provincial "
         "tariff (provinces.csv; the plant's opportunity cost on the market), for stranded "
         "north-east coast coal/nuclear [T1] the plant's marginal cost "
         "(network_generators.csv) + 40 KRW/kWh margin; on-site gas: 150 KRW/kWh at 55% "
         "scaled to 45% + 8 O&M; grid: 0 here (the site's tariff, sites family)"),
        (so, "co2_t_per_mwh", "*", "IPCC2006;ASSUMPTION", "assumption", "IPCC default "
         "factors (gas 56.1, coal 94.6 t/TJ) at 55% CCGT, 45% engines, 41.5% coal; grid "
         "marginal 0.45 (blend of CCGT and coal on the margin)"),
        (so, "lead_time_yr", "*", a, "assumption", "grid: 1 yr announced 2027 projects, 2 "
         "other announced, 3 for 154 kV, 4 for 345/765 kV; contract 2 yr (or until the plant "
         "is commissioned); on-site gas 3; solar 2"),
        (so, "capacity_mw", "ulsan_mipo:sk_gas_ulsan", "X1;ASSUMPTION", "assumption",
         "SK Gas GW-class LNG/LPG CCGT next to Mipo [X1]: 1,000 MW rating x 0.5 share"),
        (so, "distance_km", "ulsan_mipo:sk_gas_ulsan", "X1;ASSUMPTION", "assumption",
         "'next to' the campus [X1]: 1 km"),
        (so, "plant_id", "ulsan_mipo:sk_gas_ulsan", "X1", "source", "SK Gas CCGT [X1]"),
    ]
    r = "reinforcements"
    entries += [
        (r, "kind", "*", a, "assumption", f"reinforcement kinds of issue 15; rules in {doc}"),
        (r, "element", "*", a, "assumption", "grid element the capacity is added to: node "
         "(grid_nodes), corridor (both arcs of corridors.csv), branch (network_lines), link "
         "(network_links)"),
        (r, "element_id", "*", "OSM", "derived", "id of the element in its table"),
        (r, "name", "*", a, "assumption", "descriptive text"),
        (r, "capacity_mw", "*", "T4;ASSUMPTION", "assumption", "transformer 200/500/1,000 MW "
         "at 154/345/765 kV; new substation 1,000; new 345 kV line 1,500 per direction; "
         "uprate +50% of s_nom; east-coast HVDC phase 2 4,000 [T4]"),
        (r, "length_km", "*", a, "assumption", "corridor length x 1.3 routing; branch length "
         "from network_lines.csv"),
        (r, "cost_bn_krw_per_km", "*", a, "assumption", "new 345 kV line 8, reconductoring "
         "1.5 bn KRW/km"),
        (r, "cost_bn_krw", "*", a, "assumption", "transformer 30/60/150 bn KRW, new "
         "substation 300, lines length x cost per km; committed HVDC 0 (paid by the grid "
         "plan)"),
        (r, "lead_time_yr", "*", "T5;ASSUMPTION", "assumption", "transformer 3-5 yr, new "
         "substation 7, new 345 kV line 9 (a decade of slips [T5]), uprate 5"),
        (r, "in_service_year", "*", "T5;T6;ASSUMPTION", "assumption", "east-coast HVDC phase "
         "2: 2032 = phase 1 (May 2029 [T5]) + 3 yr, uncertain after Hanam's refusal [T6]"),
        (r, "committed", "*", a, "assumption", "true for links of the grid plan (built "
         "whatever the siting plan does)"),
    ]
    return [dict(zip(PROV_COLS, e)) for e in entries]


IPCC = {"source_id": "IPCC2006", "publisher": "IPCC", "title": "2006 IPCC Guidelines for "
        "National Greenhouse Gas Inventories, Vol. 2 Energy, ch. 2, Table 2.2 (default CO2 "
        "emission factors: natural gas 56,100, other bituminous coal 94,600 kg/TJ)",
        "date": "2006", "url": "https://www.ipcc-nggip.iges.or.jp/public/2006gl/vol2.html",
        "licence": "news/official page; individual figures cited as facts",
        "note": "default CO2 emission factors of fuels"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=Path("data"))
    data = ap.parse_args().data
    supply_options(data).to_csv(data / "supply_options.csv", index=False)
    reinforcements(data).to_csv(data / "reinforcements.csv", index=False)
    # this script's rows go before the network tables' rows, which build_network.py
    # replaces at the end of both files: then either script leaves the other's bytes alone
    prov = pd.read_csv(data / "provenance.csv", dtype=str, keep_default_na=False)
    prov = prov[~prov["table"].isin(["supply_options", "reinforcements"])]
    at = _first(prov["table"].isin(NETWORK_TABLES))
    prov = pd.concat([prov.iloc[:at], pd.DataFrame(provenance()), prov.iloc[at:]],
                     ignore_index=True)
    prov.to_csv(data / "provenance.csv", index=False, lineterminator="\n")
    src = pd.read_csv(data / "sources.csv", dtype=str, keep_default_na=False)
    src = src[src["source_id"] != IPCC["source_id"]]
    at = _first(src["source_id"].isin({r[0] for r in NETWORK_SOURCES}))
    pd.concat([src.iloc[:at], pd.DataFrame([IPCC]), src.iloc[at:]], ignore_index=True).to_csv(
        data / "sources.csv", index=False, lineterminator="\n")


def _first(mask: pd.Series) -> int:
    """Position of the first True in ``mask`` (its length when none)."""
    hits = [i for i, v in enumerate(mask) if v]
    return hits[0] if hits else len(mask)


if __name__ == "__main__":
    main()

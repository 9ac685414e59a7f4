"""The default scenario solves, and its written result satisfies every limit when
re-checked independently: these checks read only the CSVs of the run folder, the data
tables and the model file, with pandas and plain arithmetic (no siting code)."""

from __future__ import annotations

import itertools
import json
import math
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import siting

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "korea-2030.toml"
TOL = 1e-6


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs")
    siting.run(MODEL, runs_dir=out, run_id="default")
    folder = out / "default"
    cfg = tomllib.loads(MODEL.read_text())
    data = {n: pd.read_csv(ROOT / "data" / f"{n}.csv", keep_default_na=False)
            for n in ("provinces", "sites", "grid_nodes", "corridors", "re_zones")}
    res = {n: pd.read_csv(folder / f"{n}.csv") for n in
           ("sites", "provinces", "corridors", "zones", "procurement", "kpis", "supply",
            "reinforcements")}
    if (folder / "hosting.csv").is_file():
        res["hosting"] = pd.read_csv(folder / "hosting.csv")
    if (folder / "network_injections.csv").exists():
        res["injections"] = pd.read_csv(folder / "network_injections.csv")
    manifest = json.loads((folder / "manifest.json").read_text())
    return cfg, data, res, manifest


def haversine_km(lon1, lat1, lon2, lat2):
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    a = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))


def site_table(data, res):
    s = res["sites"].merge(data["sites"][["site_id", "module_mw", "available_from",
                                          "grid_node_id", "capex_bn_krw_per_mw",
                                          "fixed_cost_bn_krw"]],
                           on="site_id", suffixes=("", "_in"))
    pue = data["provinces"].set_index("province_id")["pue"]
    s["pue"] = s["province_id"].map(pue)
    return s


def test_solved_to_optimality(run):
    cfg, _, _, manifest = run
    assert manifest["status"] == "optimal"
    assert manifest["mip_gap"] <= cfg["solver"]["mip_rel_gap"] + 1e-9
    assert manifest["timings_s"]["solve"] < cfg["solver"]["time_limit_s"]


def test_sites_are_whole_modules_staged_and_available(run):
    _, data, res, _ = run
    s = site_table(data, res)
    ratio = s["it_mw"] / s["module_mw"]
    assert np.allclose(ratio, ratio.round())
    assert (s["it_mw"] <= s["max_it_mw"] + TOL).all()
    assert (s.loc[s["period"] < s["available_from"], "it_mw"] == 0).all()
    wide = s.pivot(index="site_id", columns="period", values="it_mw")
    assert (wide.diff(axis=1).fillna(0) >= -TOL).all().all()
    assert np.allclose(s["facility_mw"], s["it_mw"] * s["pue"])


def test_targets_and_commitments(run):
    cfg, _data, res, _ = run
    total = res["sites"].groupby("period")["it_mw"].sum()
    for year, target in cfg["constraints"]["targets"]["values"].items():
        assert total[int(year)] >= target - TOL
    s = res["sites"].set_index(["site_id", "period"])["it_mw"]
    for c in cfg["constraints"]["targets"]["committed"]:
        for p in total.index[total.index >= c["period"]]:
            assert s[(c["site"], p)] >= c["it_mw"] - TOL


def grid_draw(data, res):
    """Per site and period: facility MW, the firm co-located supply (supply.csv's options at
    their firm share in supply_options.csv) and the draw from the grid (the difference)."""
    s = site_table(data, res)
    opts = pd.read_csv(ROOT / "data" / "supply_options.csv").set_index("option_id")
    sup = res["supply"][res["supply"]["kind"] != "grid"]
    firm = (sup["supply_mw"] * sup["source"].map(opts["firm_share"])).groupby(
        [sup["site_id"], sup["period"]]).sum().rename("firm_mw")
    s = s.join(firm, on=["site_id", "period"]).fillna({"firm_mw": 0.0})
    s["draw_mw"] = s["facility_mw"] - s["firm_mw"]
    assert (s["draw_mw"] >= -TOL).all()  # no site exports to the grid
    grid = res["supply"][res["supply"]["kind"] == "grid"].set_index(["site_id", "period"])
    built = s[s["it_mw"] > 0].set_index(["site_id", "period"])
    assert np.allclose(built["draw_mw"], grid["supply_mw"].reindex(built.index), atol=1e-3)
    return s


def added(res, element, period):
    """Capacity [MW] reinforcements in service in ``period`` add per element id."""
    r = res["reinforcements"]
    r = r[(r["element"] == element) & (r["in_service_from"] <= period)]
    return r.groupby("element_id")["capacity_mw"].sum()


def cfg_mode(run) -> str:
    return run[0]["constraints"]["grid"].get("mode", "transport")


def test_node_headroom(run):
    _, data, res, _ = run
    s = grid_draw(data, res)
    load = s.groupby(["grid_node_id", "period"])["draw_mw"].sum().reset_index()
    if cfg_mode(run) == "network":
        # network mode: the line rows set what a node takes (its hosting capacity alone,
        # more or less beside other loads); hosting.csv covers every loaded node's bus
        hosted = set(zip(res["hosting"]["bus"], res["hosting"]["period"]))
        assert set(zip(load["grid_node_id"], load["period"])) <= hosted
        return
    head = data["grid_nodes"].set_index("node_id")["headroom_mw"]
    for r in load.itertuples():
        extra = added(res, "node", r.period).get(r.grid_node_id, 0.0)
        assert r.draw_mw <= head[r.grid_node_id] + extra + TOL, r


def test_province_balance_and_corridors(run):
    cfg, data, res, _ = run
    grid = cfg["constraints"]["grid"]
    if grid.get("mode", "transport") == "network":
        # network mode: no corridor flows; test_network_mode checks every line flow
        assert (res["corridors"]["flow_mw"].abs() <= TOL).all()
        return
    s = grid_draw(data, res)
    node_prov = data["grid_nodes"].set_index("node_id")["province_id"]
    s["grid_province"] = s["grid_node_id"].map(node_prov)
    p = data["provinces"].set_index("province_id")
    spare = (p["generation_gwh"] - p["consumption_gwh"]).clip(lower=0) / 8.76 \
        * grid["surplus_share"]
    cor = res["corridors"].merge(data["corridors"], on="corridor_id", suffixes=("", "_in"))
    limit = cor["thermal_mva"] * grid["corridor_headroom_share"] + [
        added(res, "corridor", p).get(c, 0.0) for c, p in zip(cor["corridor_id"], cor["period"])]
    assert (cor["flow_mw"] >= -TOL).all()
    assert (cor["flow_mw"] <= limit + TOL).all()
    assert (cor.loc[cor["period"] < cor["available_from_in"], "flow_mw"] <= TOL).all()
    for period in res["sites"]["period"].unique():
        c = cor[cor["period"] == period]
        load = s[s["period"] == period].groupby("grid_province")["draw_mw"].sum()
        out = c.groupby("from_province")["flow_mw"].sum()
        inn = c.groupby("to_province")["flow_mw"].sum()
        for r in p.index:
            used = load.get(r, 0.0) + out.get(r, 0.0) - inn.get(r, 0.0)
            assert used <= spare[r] + 1e-5, (r, period, used, spare[r])


def test_renewable_proximity(run):
    cfg, data, res, _ = run
    ren = cfg["constraints"]["renewable"]
    util = cfg["economics"]["utilization"]
    s = site_table(data, res)
    proc = res["procurement"]
    got = proc.groupby(["site_id", "period"])["renewable_mw"].sum()
    for r in s.itertuples():
        share = ren["min_share"][str(r.period)]
        assert got.get((r.site_id, r.period), 0.0) >= share * util * r.facility_mw - 1e-5
    sites = data["sites"].set_index("site_id")
    zones = data["re_zones"].set_index("zone_id")
    d = haversine_km(sites.loc[proc["site_id"], "lon"].to_numpy(),
                     sites.loc[proc["site_id"], "lat"].to_numpy(),
                     zones.loc[proc["zone_id"], "lon"].to_numpy(),
                     zones.loc[proc["zone_id"], "lat"].to_numpy())
    assert (d <= ren["radius_km"] * 1.005).all()  # EPSG:5179 vs sphere: well under 0.5%
    used = proc.groupby(["zone_id", "period"])["renewable_mw"].sum().reset_index()
    supply = zones["potential_mw"] * zones["capacity_factor"]
    assert (used["renewable_mw"] <= used["zone_id"].map(supply) + 1e-5).all()


def test_decentralization(run):
    cfg, data, res, _ = run
    dec = cfg["constraints"]["decentralization"]
    p = data["provinces"].set_index("province_id")
    s = res["sites"]
    for period, g in s.groupby("period"):
        total = g["it_mw"].sum()
        by_prov = g.groupby("province_id")["it_mw"].sum()
        capital = by_prov[by_prov.index.map(p["capital_region"].astype(str).str.lower()
                                            .eq("true"))].sum()
        assert capital <= dec["capital_region_max_share"] * total + TOL
        assert by_prov.max() <= dec["province_max_share"][str(period)] * total + TOL
        assert (by_prov > 0).sum() >= dec["min_host_provinces"][str(period)]


def supply_cost(data, res, period, crf):
    """Co-located options (annuity, fixed, energy at their price less the tariff they
    save) and reinforcements in service, in ``period`` [bn KRW/yr]."""
    opts = pd.read_csv(ROOT / "data" / "supply_options.csv").set_index("option_id")
    rein = pd.read_csv(ROOT / "data" / "reinforcements.csv").set_index("reinforcement_id")
    tariff = data["provinces"].set_index("province_id")["tariff_krw_per_kwh"]
    prov = data["sites"].set_index("site_id")["province_id"]
    sup = res["supply"]
    sup = sup[(sup["kind"] != "grid") & (sup["period"] == period) & (sup["supply_mw"] > 1e-6)]
    o = opts.loc[sup["source"]]
    cost = pd.Series(dtype=float) if sup.empty else (crf * o["capex_bn_krw_per_mw"].values * sup["supply_mw"]
            + o["fixed_bn_krw_per_mw_yr"].values * sup["supply_mw"] + crf * o["oneoff_bn_krw"].values
            + sup["energy_gwh_per_yr"] * 1e-3 * (o["variable_krw_per_kwh"].values
                                                 - sup["site_id"].map(prov).map(tariff)))
    rf = res["reinforcements"]
    rf = rf[(rf["in_service_from"] <= period) & ~rf["committed"].astype(bool)]
    return float(cost.sum()) + crf * float(rein.loc[rf["reinforcement_id"], "cost_bn_krw"].sum())


def test_objective_recomputed_from_csvs(run):
    cfg, data, res, manifest = run
    eco, grid = cfg["economics"], cfg["constraints"]["grid"]
    r, life, util = eco["discount_rate"], eco["lifetime_years"], eco["utilization"]
    crf = r / (1 - (1 + r) ** -life)
    periods = sorted(res["sites"]["period"].unique())
    years = [b - a for a, b in itertools.pairwise(periods)] + [eco["last_period_years"]]
    s = site_table(data, res)
    nodes = data["grid_nodes"].set_index("node_id")
    sites = data["sites"].set_index("site_id")
    km = haversine_km(sites["lon"], sites["lat"], nodes.loc[sites["grid_node_id"], "lon"].values,
                      nodes.loc[sites["grid_node_id"], "lat"].values)
    tariff = data["provinces"].set_index("province_id")["tariff_krw_per_kwh"]
    premium = data["re_zones"].set_index("zone_id")["cost_krw_per_kwh"]
    total = 0.0
    for p, n in zip(periods, years):
        g = s[s["period"] == p]
        annual = crf * (g["capex_bn_krw_per_mw"] * g["it_mw"] + g["fixed_cost_bn_krw"] * g["open"]
                        ).sum()
        annual += (util * g["facility_mw"] * 8.76 * g["province_id"].map(tariff) * 1e-3).sum()
        annual += crf * grid["connection_bn_krw_per_km"] * (g["site_id"].map(km) * g["open"]).sum()
        pr = res["procurement"][res["procurement"]["period"] == p]
        annual += (pr["renewable_mw"] * 8.76 * pr["zone_id"].map(premium) * 1e-3).sum()
        fl = res["corridors"][res["corridors"]["period"] == p]["flow_mw"].sum()
        annual += util * fl * 8.76 * grid["transmission_krw_per_kwh"] * 1e-3
        annual += supply_cost(data, res, p, crf)
        if "injections" in res:  # network mode: premium x MW x hours, KRW -> bn KRW
            inj = res["injections"][res["injections"]["period"] == p]
            annual += grid["response_hours"] * (inj["premium_krw_per_mwh"] * inj["injection_mw"]
                                                ).sum() * 1e-9
        df = sum((1 + r) ** -(p + k - eco["base_year"]) for k in range(n))
        total += df * annual
    # connection distances differ slightly between the sphere and EPSG:5179
    assert total == pytest.approx(manifest["objective_bn_krw"], rel=1e-3)
    assert math.isfinite(total) and total > 0


def test_kpis_consistent(run):
    _cfg, _data, res, _ = run
    k = res["kpis"].set_index("period")
    s = res["sites"]
    for p, g in s.groupby("period"):
        assert k.at[p, "it_mw"] == pytest.approx(g["it_mw"].sum())
        assert k.at[p, "provinces_used"] == (g.groupby("province_id")["it_mw"].sum() > 0).sum()

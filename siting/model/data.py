"""Stage 2a: turn validated inputs and a model file into plain numbers for the model.

All data work (distances, eligibility, discounting, tight bounds) happens here, so
that the Pyomo rules in :mod:`siting.model.build` only look values up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from ..inputs.geo import distance_km, paired_distance_km
from ..inputs.model_file import ModelFile
from ..inputs.tables import Inputs

HOURS_PER_YEAR = 8760.0
GWH_PER_MW_YEAR = HOURS_PER_YEAR / 1000.0
BN_KRW_PER_GWH_AT_1_KRW_PER_KWH = 1e-3
"""1 GWh at 1 KRW/kWh costs 1e6 KRW = 1e-3 bn KRW."""


@dataclass(frozen=True)
class ModelData:
    """Every number the optimization model needs, keyed by real identifiers.

    Units: capacities in MW (IT unless named facility), energy as average MW,
    costs in bn KRW, annual costs in bn KRW/yr.
    """

    model: ModelFile
    periods: list[int]
    years_in_period: dict[int, int]
    discount_factor: dict[int, float]
    """Sum of discount factors over the years a period represents [yr]."""
    capital_recovery_factor: float
    sites: pd.DataFrame
    """Per site: province_id, grid_node_id, grid_province_id (province of the node, where
    the load is drawn from the grid), capital_region, module_mw, max_modules, pue,
    capex, fixed_cost, tariff, connection_km, available_from."""
    provinces: pd.DataFrame
    """Per province: capital_region, spare_mw."""
    grid_nodes: pd.DataFrame
    arcs: pd.DataFrame
    """Directed corridor arcs: arc_id, corridor_id, from_province, to_province, limit_mw,
    available_from."""
    zones: pd.DataFrame
    """Per zone: province_id, technology, supply_avg_mw, cost_krw_per_kwh."""
    site_zone_pairs: list[tuple[str, str]]
    site_zone_km: dict[tuple[str, str], float]
    target_mw: dict[int, float]
    demands: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        {"demand_mw": pd.Series(dtype=float)}))
    """Per demand point: demand_mw [MW] (empty: the service family is off)."""
    service_cost: dict[tuple[str, str], float] = field(default_factory=dict)
    """Cost of serving 1 MW of a demand point from a site for a year [bn KRW/MW-yr]."""

    def available(self, site: str, period: int) -> bool:
        """Whether capacity can be in service at a site in a period."""
        return self.lookup.available_from[site] <= period

    def arc_open(self, arc: str, period: int) -> bool:
        return self.lookup.arc_from[arc] <= period

    @cached_property
    def lookup(self) -> Lookup:
        """Plain-Python lookups for the model build, computed once (see :class:`Lookup`)."""
        return Lookup.from_data(self)


@dataclass(frozen=True)
class Lookup:
    """The model data as plain dicts and lists keyed by real ids, so that the model build
    never touches pandas inside a loop.

    A site is *live* in a period when it is available by then and can hold at least one
    module; its decisions are fixed to zero otherwise and left out of every constraint.

    Attributes
    ----------
    sites : list of str
    module_mw, pue : dict of str to float
        Per site [MW IT], [-].
    max_modules, available_from : dict of str to int
    live : dict of int to list of str
        Live sites per period, in site order.
    live_set : dict of int to frozenset of str
        The same as sets, for membership tests.
    live_pairs : list of (str, int)
        Every live (site, period), site-major.
    by_node, by_province, by_grid_province : dict of str to list of str
        Sites per grid node, per province of the site, per province of its grid node.
    capital : list of str
        Sites in the capital region.
    zones_of, sites_of : dict of str to list of str
        Zones within the radius of each site, sites within the radius of each zone.
    arc_from : dict of str to int
        First year each directed arc is in service.
    """

    sites: list[str]
    module_mw: dict[str, float]
    pue: dict[str, float]
    max_modules: dict[str, int]
    available_from: dict[str, int]
    live: dict[int, list[str]]
    live_set: dict[int, frozenset[str]]
    live_pairs: list[tuple[str, int]]
    by_node: dict[str, list[str]]
    by_province: dict[str, list[str]]
    by_grid_province: dict[str, list[str]]
    capital: list[str]
    zones_of: dict[str, list[str]]
    sites_of: dict[str, list[str]]
    arc_from: dict[str, int]

    @classmethod
    def from_data(cls, data: ModelData) -> Lookup:
        s = data.sites
        sites = [str(i) for i in s.index]
        max_mod = dict(zip(sites, (int(v) for v in s["max_modules"])))
        avail = dict(zip(sites, (int(v) for v in s["available_from"])))
        live = {p: [i for i in sites if avail[i] <= p and max_mod[i] > 0]
                for p in data.periods}
        live_set = {p: frozenset(v) for p, v in live.items()}
        pairs = [(i, p) for i in sites for p in data.periods if i in live_set[p]]

        def groups(col: str) -> dict[str, list[str]]:
            out: dict[str, list[str]] = {}
            for i, key in zip(sites, s[col]):
                out.setdefault(str(key), []).append(i)
            return out

        zones_of: dict[str, list[str]] = {i: [] for i in sites}
        sites_of: dict[str, list[str]] = {str(z): [] for z in data.zones.index}
        for i, z in data.site_zone_pairs:
            zones_of[i].append(z)
            sites_of[z].append(i)
        return cls(
            sites=sites, module_mw=dict(zip(sites, map(float, s["module_mw"]))),
            pue=dict(zip(sites, map(float, s["pue"]))), max_modules=max_mod,
            available_from=avail, live=live, live_set=live_set, live_pairs=pairs,
            by_node=groups("grid_node_id"), by_province=groups("province_id"),
            by_grid_province=groups("grid_province_id"),
            capital=[i for i, c in zip(sites, s["capital_region"]) if bool(c)],
            zones_of=zones_of, sites_of=sites_of,
            arc_from={str(a): int(v) for a, v in zip(data.arcs.index,
                                                     data.arcs["available_from"])})


def capital_recovery_factor(rate: float, years: int) -> float:
    """Annuity factor turning an overnight cost into equal annual payments [1/yr]."""
    if rate == 0:
        return 1.0 / years
    return rate / (1.0 - (1.0 + rate) ** -years)


def prepare(inputs: Inputs, model: ModelFile) -> ModelData:
    """Compute the model's parameters from validated inputs.

    Parameters
    ----------
    inputs : Inputs
        Output of :func:`siting.inputs.tables.load_inputs`.
    model : ModelFile
        The model file.
    """
    eco = model.economics
    periods = list(model.periods)
    years = {p: (periods[i + 1] - p if i + 1 < len(periods) else eco.last_period_years)
             for i, p in enumerate(periods)}
    disc = {p: sum((1.0 + eco.discount_rate) ** -(p + k - eco.base_year)
                   for k in range(years[p])) for p in periods}
    return ModelData(
        model=model, periods=periods, years_in_period=years, discount_factor=disc,
        capital_recovery_factor=capital_recovery_factor(eco.discount_rate, eco.lifetime_years),
        sites=_site_table(inputs, model), provinces=_province_table(inputs, model),
        grid_nodes=inputs.grid_nodes[["province_id", "headroom_mw"]].copy(),
        arcs=_arc_table(inputs, model), zones=_zone_table(inputs),
        target_mw=model.target_mw(), **_site_zone(inputs, model))


def _site_table(inputs: Inputs, model: ModelFile) -> pd.DataFrame:
    s = inputs.sites
    prov = inputs.provinces.loc[s["province_id"]]
    nodes = inputs.grid_nodes.loc[s["grid_node_id"]].set_index(s.index)
    out = pd.DataFrame({
        "province_id": s["province_id"],
        "grid_node_id": s["grid_node_id"],
        "grid_province_id": nodes["province_id"],
        "capital_region": prov["capital_region"].to_numpy(),
        "module_mw": s["module_mw"],
        "max_modules": (s["max_it_mw"] / s["module_mw"] + 1e-9).map(math.floor).astype(int),
        "pue": prov["pue"].to_numpy(),
        "tariff_krw_per_kwh": prov["tariff_krw_per_kwh"].to_numpy(),
        "capex_bn_krw_per_mw": s["capex_bn_krw_per_mw"],
        "fixed_cost_bn_krw": s["fixed_cost_bn_krw"],
        "connection_km": paired_distance_km(s, nodes),
        "available_from": s["available_from"].astype(int),
    }, index=s.index)
    if model.constraints.grid.enabled and model.constraints.grid.node_headroom:
        # tight bound from data: a site never holds more modules than its node can power
        head = nodes["headroom_mw"] / (out["module_mw"] * out["pue"])
        out["max_modules"] = out["max_modules"].clip(upper=(head + 1e-9).map(math.floor))
    return out


def _province_table(inputs: Inputs, model: ModelFile) -> pd.DataFrame:
    p = inputs.provinces
    surplus_mw = (p["generation_gwh"] - p["consumption_gwh"]).clip(lower=0) / GWH_PER_MW_YEAR
    return pd.DataFrame({"capital_region": p["capital_region"],
                         "spare_mw": surplus_mw * model.constraints.grid.surplus_share},
                        index=p.index)


def _arc_table(inputs: Inputs, model: ModelFile) -> pd.DataFrame:
    c = inputs.corridors
    share = model.constraints.grid.corridor_headroom_share
    rows = []
    for cid, r in c.iterrows():
        for a, b, tag in ((r["from_province"], r["to_province"], "fwd"),
                          (r["to_province"], r["from_province"], "rev")):
            rows.append({"arc_id": f"{cid}:{tag}", "corridor_id": cid, "from_province": a,
                         "to_province": b, "limit_mw": r["thermal_mva"] * share,
                         "available_from": int(r["available_from"])})
    cols = ["arc_id", "corridor_id", "from_province", "to_province", "limit_mw", "available_from"]
    return pd.DataFrame(rows, columns=cols).set_index("arc_id")


def _zone_table(inputs: Inputs) -> pd.DataFrame:
    z = inputs.re_zones
    return pd.DataFrame({"province_id": z["province_id"], "technology": z["technology"],
                         "supply_avg_mw": z["potential_mw"] * z["capacity_factor"],
                         "cost_krw_per_kwh": z["cost_krw_per_kwh"]}, index=z.index)


def _site_zone(inputs: Inputs, model: ModelFile) -> dict:
    ren = model.constraints.renewable
    if not ren.enabled or inputs.re_zones.empty:
        return {"site_zone_pairs": [], "site_zone_km": {}}
    d = distance_km(inputs.sites, inputs.re_zones)
    long = d.stack()
    long = long[long <= ren.radius_km]
    pairs = [(str(s), str(z)) for s, z in long.index]
    return {"site_zone_pairs": pairs, "site_zone_km": {k: float(v) for k, v in
                                                        zip(pairs, long.to_numpy())}}

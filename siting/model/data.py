"""Stage 2a: turn validated inputs and a model file into plain numbers for the model.

All data work (distances, eligibility, discounting, tight bounds) happens here, so
that the Pyomo rules in :mod:`siting.model.build` only look values up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..inputs.geo import distance_km, paired_distance_km
from .constraints import FAMILIES
from .constraints.reinforcement import hvdc_shift, node_capacity_mw
from .constraints.supply import colocated_firm_mw
from .units import BN_KRW_PER_GWH_AT_1_KRW_PER_KWH, GWH_PER_MW_YEAR, HOURS_PER_YEAR

if TYPE_CHECKING:
    from ..inputs.model_file import ModelFile, Solver
    from ..inputs.tables import Inputs

__all__ = ["BN_KRW_PER_GWH_AT_1_KRW_PER_KWH", "GWH_PER_MW_YEAR", "HOURS_PER_YEAR", "Lookup",
           "ModelData", "assemble", "capital_recovery_factor", "prepare"]


@dataclass(frozen=True)
class ModelData:
    """Every number the optimization model needs, keyed by real identifiers.

    Units: capacities in MW (IT unless named facility), energy as average MW,
    costs in bn KRW, annual costs in bn KRW/yr. Build it with :func:`prepare` (from input
    tables) or :func:`assemble` (from tables of another problem form).
    """

    name: str
    solver: Solver
    """The model file's solver section (HiGHS options)."""
    settings: dict[str, Any]
    """Each family's model-file section as plain values, per-period settings resolved to
    ``{period: value}`` (:meth:`siting.model.constraints.Family.settings`)."""
    utilization: float
    """Average IT load over IT capacity [-]."""
    weights: dict[str, float]
    """Objective weight of each cost component [-]."""
    periods: list[int]
    discount_factor: dict[int, float]
    """Sum of discount factors over the years a period represents [yr]."""
    capital_recovery_factor: float
    sites: pd.DataFrame
    """Per site: province_id, grid_node_id, grid_province_id (province of the node, where
    the load is drawn from the grid), capital_region, module_mw, max_modules, pue,
    capex, fixed_cost, tariff, connection_km, connection_bn_krw (cost of the line to the
    grid node [bn KRW]), available_from."""
    provinces: pd.DataFrame
    """Per province: capital_region, spare_mw."""
    grid_nodes: pd.DataFrame
    arcs: pd.DataFrame
    """Directed corridor arcs: arc_id, corridor_id, from_province, to_province, limit_mw,
    available_from."""
    zones: pd.DataFrame
    """Per zone: province_id, technology, supply_avg_mw, cost_krw_per_kwh."""
    site_zone_pairs: list[tuple[str, str]]
    target_mw: dict[int, float]
    demands: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        {"demand_mw": pd.Series(dtype=float)}))
    """Per demand point: demand_mw [MW] (empty: the service family is off)."""
    service_cost: dict[tuple[str, str], float] = field(default_factory=dict)
    """Cost of serving 1 MW of a demand point from a site for a year [bn KRW/MW-yr]."""
    hosting: pd.DataFrame | None = None
    """Hosting capacity of every candidate bus and period (network mode; ``hosting.csv``,
    :func:`siting.model.network.hosting.hosting_table`), None in transport mode."""
    family_data: dict[str, Any] = field(default_factory=dict)
    """What each family's :attr:`~siting.model.constraints.Family.prepare` computed from
    the input tables, by family name."""

    def on(self, family: str) -> bool:
        """Whether a family (by name) is in the model."""
        return next(f for f in FAMILIES if f.name == family).on(self)

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


def assemble(model: ModelFile, sites: pd.DataFrame, *, provinces: pd.DataFrame | None = None,
             grid_nodes: pd.DataFrame | None = None, arcs: pd.DataFrame | None = None,
             zones: pd.DataFrame | None = None, site_zone_pairs=(),
             target_mw: dict[int, float] | None = None, demands: pd.DataFrame | None = None,
             service_cost: dict | None = None, family_data: dict | None = None,
             hosting: pd.DataFrame | None = None) -> ModelData:
    """``ModelData`` from a model file and ready-made tables: the one way to build it,
    for the Korean inputs (:func:`prepare`) and for other problem forms (e.g.
    :mod:`siting.problems.orlib`).

    The model file gives the periods, discounting, capital recovery, objective weights,
    solver options and every family's settings (resolved per period); a table left out is
    empty (its families have nothing to constrain).

    Parameters
    ----------
    sites : pandas.DataFrame
        Per site, as :attr:`ModelData.sites` describes (``connection_bn_krw`` is computed
        here from ``connection_km`` and the grid section's cost per km).
    target_mw : dict, optional
        National target per period [MW IT]; the model file's targets by default.
    """
    eco = model.economics
    periods = list(model.periods)
    years = {p: (periods[i + 1] - p if i + 1 < len(periods) else eco.last_period_years)
             for i, p in enumerate(periods)}
    disc = {p: sum((1.0 + eco.discount_rate) ** -(p + k - eco.base_year)
                   for k in range(years[p])) for p in periods}
    settings = {f.name: f.settings(getattr(model.constraints, f.name), periods)
                for f in FAMILIES if f.section is not None}
    sites = sites.assign(connection_bn_krw=sites["connection_km"]
                         * model.constraints.grid.connection_bn_krw_per_km)
    empty = {"provinces": ["capital_region", "spare_mw"],
             "grid_nodes": ["province_id", "headroom_mw"],
             "arcs": ["corridor_id", "from_province", "to_province", "limit_mw",
                      "available_from"],
             "zones": ["province_id", "technology", "supply_avg_mw", "cost_krw_per_kwh"]}
    given = {"provinces": provinces, "grid_nodes": grid_nodes, "arcs": arcs, "zones": zones}
    tables = {k: v if v is not None else pd.DataFrame(columns=empty[k])
              for k, v in given.items()}
    extra = {} if demands is None else {"demands": demands}
    return ModelData(
        name=model.name, solver=model.solver, settings=settings, utilization=eco.utilization,
        weights=dict(model.objective), periods=periods, discount_factor=disc,
        capital_recovery_factor=capital_recovery_factor(eco.discount_rate, eco.lifetime_years),
        sites=sites, site_zone_pairs=list(site_zone_pairs),
        target_mw=target_mw if target_mw is not None else model.target_mw(),
        service_cost=dict(service_cost or {}), family_data=dict(family_data or {}),
        hosting=hosting, **tables, **extra)


def prepare(inputs: Inputs, model: ModelFile) -> ModelData:
    """Compute the model's parameters from validated inputs.

    Parameters
    ----------
    inputs : Inputs
        Output of :func:`siting.inputs.tables.load_inputs`.
    model : ModelFile
        The model file.
    """
    from .network.headroom import network_hosting

    family_data = {f.name: f.prepare(inputs, model) for f in FAMILIES if f.prepare}
    # network mode: hosting capacity per candidate bus, and node headroom derived from it
    hosting, grid_nodes = network_hosting(inputs, model, family_data.get("grid"))
    return assemble(
        model, _site_table(inputs, model, grid_nodes),
        provinces=_province_table(inputs, model), grid_nodes=grid_nodes,
        arcs=_arc_table(inputs, model), zones=_zone_table(inputs),
        site_zone_pairs=_site_zone_pairs(inputs, model), family_data=family_data,
        hosting=hosting)


def _site_table(inputs: Inputs, model: ModelFile, grid_nodes: pd.DataFrame) -> pd.DataFrame:
    s = inputs.sites
    prov = inputs.provinces.loc[s["province_id"]]
    nodes = inputs.grid_nodes.loc[s["grid_node_id"]].set_index(s.index)
    head_mw = grid_nodes["headroom_mw"].reindex(s["grid_node_id"]).to_numpy()
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
    g = model.constraints.grid
    if g.enabled and g.node_headroom and g.mode == "transport":
        # tight bound from data: a site never holds more modules than its node can power,
        # with every reinforcement at the node and all its firm co-located supply
        node_mw, site_mw = node_capacity_mw(inputs, model), colocated_firm_mw(inputs, model)
        more = (s["grid_node_id"].map(lambda n: node_mw.get(n, 0.0))
                + s.index.to_series().map(lambda i: site_mw.get(i, 0.0)))
        head = (head_mw + more.to_numpy()) / (out["module_mw"] * out["pue"])
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
                         "available_from": hvdc_shift(model, str(cid),
                                                      int(r["available_from"]))})
    cols = ["arc_id", "corridor_id", "from_province", "to_province", "limit_mw", "available_from"]
    return pd.DataFrame(rows, columns=cols).set_index("arc_id")


def _zone_table(inputs: Inputs) -> pd.DataFrame:
    z = inputs.re_zones
    return pd.DataFrame({"province_id": z["province_id"], "technology": z["technology"],
                         "supply_avg_mw": z["potential_mw"] * z["capacity_factor"],
                         "cost_krw_per_kwh": z["cost_krw_per_kwh"]}, index=z.index)


def _site_zone_pairs(inputs: Inputs, model: ModelFile) -> list[tuple[str, str]]:
    ren = model.constraints.renewable
    if not ren.enabled or inputs.re_zones.empty:
        return []
    long = distance_km(inputs.sites, inputs.re_zones).stack()
    return [(str(s), str(z)) for s, z in long[long <= ren.radius_km].index]

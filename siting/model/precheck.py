"""Cheap feasibility checks with numbers, run before any model is built."""

from __future__ import annotations

import math

import pandas as pd

from ..errors import InfeasibleError
from .constraints import FAMILIES
from .constraints.decentralization import required_hosts
from .constraints.targets import committed_floors
from .data import ModelData


def precheck(data: ModelData) -> None:
    """Raise :class:`InfeasibleError` naming the conflicting limits, when a simple count
    already shows the scenario cannot be met (the checks below, then each family's own
    :attr:`~siting.model.constraints.Family.precheck`)."""
    reasons: list[str] = []
    s = data.sites
    cons = data.settings
    site_mw = s["module_mw"] * s["max_modules"]
    eligible = _eligible(data)
    for p in data.periods:
        avail = site_mw[(s["available_from"] <= p) & eligible]
        t = data.target_mw.get(p, 0.0)
        if cons["targets"].enabled and t > avail.sum() + 1e-6:
            why = " and a renewable zone within the radius" if (~eligible).any() else ""
            reasons.append(f"{p} target {t:,.0f} MW exceeds the {avail.sum():,.0f} MW that "
                           f"the {len(avail)} eligible sites available by {p} can hold (site "
                           f"size, module size, grid-node headroom{why})")
    for c in cons["targets"].committed:
        if c.site not in s.index:
            reasons.append(f"committed project names unknown site '{c.site}'")
            continue
        if c.it_mw > 0 and s.at[c.site, "available_from"] > c.period:
            reasons.append(f"committed {c.it_mw:,.0f} MW at {c.site} in {c.period}, but the "
                           f"site is only available from {s.at[c.site, 'available_from']}")
        if c.it_mw > site_mw[c.site] + 1e-6:
            reasons.append(f"committed {c.it_mw:,.0f} MW at {c.site} exceeds the "
                           f"{site_mw[c.site]:,.0f} MW it can hold (max_it_mw, modules, node "
                           "headroom)")
        elif c.mode == "fixed" and abs(c.it_mw / s.at[c.site, "module_mw"]
                                       - round(c.it_mw / s.at[c.site, "module_mw"])) > 1e-9:
            reasons.append(f"committed {c.it_mw:g} MW at {c.site} is fixed but not a whole "
                           f"number of {s.at[c.site, 'module_mw']:g} MW modules")
    reasons += _committed_nodes(data)
    if data.on("decentralization"):
        reasons += _decentralization(data)
        reasons += _capital_commitments(data, site_mw[eligible])
    for family in FAMILIES:
        if family.precheck is not None and family.on(data):
            reasons += family.precheck(data)
    if reasons:
        raise InfeasibleError(reasons)


def _decentralization(data: ModelData) -> list[str]:
    reasons = []
    dec = data.settings["decentralization"]
    hosts = data.sites["province_id"].nunique()
    share = dec.province_max_share
    need = required_hosts(data)
    for p in data.periods:
        if share[p] is not None and data.target_mw.get(p, 0) > 0 and share[p] * hosts < 1 - 1e-9:
            reasons.append(f"{p}: province cap {share[p]:.0%} x {hosts} provinces with sites "
                           f"< 100%, so no plan can place the target")
        if need[p] and need[p] > hosts:
            reasons.append(f"{p}: at least {need[p]} host provinces required but only {hosts} "
                           "provinces have candidate sites")
    return reasons


def module_rounding_notes(data: ModelData) -> list[str]:
    """One line per committed floor that is not a whole number of its site's modules.

    Capacity comes in whole modules, so such a floor is met by the next whole number:
    ``floor 25.5 MW at X (2030) needs 1 module of 40 MW = 40 MW``.
    """
    s = data.sites
    notes = []
    for c in data.settings["targets"].committed:
        if c.site not in s.index or c.mode != "floor" or c.it_mw <= 0:
            continue
        size = float(s.at[c.site, "module_mw"])
        n = math.ceil(c.it_mw / size - 1e-9)
        if n * size - c.it_mw > 1e-6:
            gpus = f" ({c.it_gpus:,.0f} GPUs)" if c.it_gpus is not None else ""
            notes.append(f"floor {c.it_mw:g} MW{gpus} at {c.site} ({c.period}) needs {n} "
                         f"module{'s' if n > 1 else ''} of {size:g} MW = {n * size:g} MW")
    return notes


def eligible_site_mw(data: ModelData) -> pd.Series:
    """Most IT capacity each site that can hold capacity at all can hold [MW IT]."""
    s = data.sites
    return (s["module_mw"] * s["max_modules"])[_eligible(data)]


def _eligible(data: ModelData) -> pd.Series:
    """Sites that can hold capacity at all: a renewable zone in range when a share is due."""
    s = data.sites
    if not data.on("renewable") or not any(data.settings["renewable"].min_share.values()):
        return pd.Series(True, index=s.index)
    with_zone = {site for site, _ in data.site_zone_pairs}
    return pd.Series(s.index.isin(list(with_zone)), index=s.index)


def _committed_nodes(data: ModelData) -> list[str]:
    from .network.headroom import period_headroom

    g = data.settings["grid"] if data.on("grid") else None
    if g is None or not g.node_headroom or g.mode != "transport":
        return []
    s = data.sites
    reasons = []
    for p in data.periods:
        floors: dict[str, float] = {}
        for site, it_mw in committed_floors(data, p).items():
            node = s.at[site, "grid_node_id"]
            floors[node] = floors.get(node, 0.0) + it_mw * s.at[site, "pue"]
        for node, mw in floors.items():
            head = period_headroom(data.grid_nodes, node, p)
            if mw > head + 1e-6:
                reasons.append(f"{p}: committed projects at grid node {node} draw {mw:,.0f} MW "
                               f"(IT x PUE) but its headroom is {head:,.0f} MW")
    return reasons


def _capital_commitments(data: ModelData, site_mw: pd.Series) -> list[str]:
    cap = data.settings["decentralization"].capital_region_max_share
    s = data.sites
    reasons = []
    for p in data.periods:
        if cap[p] is None:
            continue
        committed = sum(v for site, v in committed_floors(data, p).items()
                        if s.at[site, "capital_region"])
        most = float(site_mw[s["available_from"] <= p].sum())
        if committed > cap[p] * most + 1e-6:
            t = data.target_mw.get(p, 0.0)
            share = f"{committed / t:.0%} of the {t:,.0f} MW target" if t > 0 else ""
            reasons.append(f"{p}: capital-region cap {cap[p]:.0%} but committed capital-region "
                           f"projects already hold {committed:,.0f} MW ({share}); even with "
                           f"every other site built ({most:,.0f} MW in all) their share "
                           f"exceeds the cap")
    return reasons

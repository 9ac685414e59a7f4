"""Cheap feasibility checks with numbers, run before any model is built."""

from __future__ import annotations

from .config import per_period
from .errors import InfeasibleError
from .parameters import ModelData


def precheck(data: ModelData) -> None:
    """Raise :class:`InfeasibleError` naming the conflicting limits, when a simple count
    already shows the scenario cannot be met."""
    reasons: list[str] = []
    s = data.sites
    cons = data.model.constraints
    site_mw = s["module_mw"] * s["max_modules"]
    for p in data.periods:
        avail = site_mw[s["available_from"] <= p]
        t = data.target_mw.get(p, 0.0)
        if cons.targets.enabled and t > avail.sum() + 1e-6:
            reasons.append(f"{p} target {t:,.0f} MW exceeds the {avail.sum():,.0f} MW that "
                           f"the {len(avail)} sites available by {p} can hold (site size, "
                           "module size and grid-node headroom)")
    for c in cons.targets.committed:
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
    if cons.decentralization.enabled:
        reasons += _decentralization(data)
    if reasons:
        raise InfeasibleError(reasons)


def _decentralization(data: ModelData) -> list[str]:
    reasons = []
    dec = data.model.constraints.decentralization
    hosts = data.sites["province_id"].nunique()
    share = per_period(dec.province_max_share, data.periods)
    need = per_period(dec.min_host_provinces, data.periods)
    for p in data.periods:
        if share[p] is not None and data.target_mw.get(p, 0) > 0 and share[p] * hosts < 1 - 1e-9:
            reasons.append(f"{p}: province cap {share[p]:.0%} x {hosts} provinces with sites "
                           f"< 100%, so no plan can place the target")
        if need[p] and need[p] > hosts:
            reasons.append(f"{p}: at least {need[p]} host provinces required but only {hosts} "
                           "provinces have candidate sites")
    return reasons

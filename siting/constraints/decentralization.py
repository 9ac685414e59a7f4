"""Family 4: decentralization."""

from __future__ import annotations

import pyomo.environ as pyo

from ..config import per_period
from ..parameters import ModelData


def _total(m, p):
    return sum(m.site_it_mw[s, p] for s in m.S)


def add_capital_region_cap(m: pyo.ConcreteModel, data: ModelData) -> None:
    """The capital region holds at most a share of national IT capacity.

    .. math:: \\sum_{s \\in capital} it_{s,p} \\le \\kappa_p \\sum_s it_{s,p}
    """
    cap = per_period(data.model.constraints.decentralization.capital_region_max_share,
                     data.periods)
    periods = [p for p, v in cap.items() if v is not None]
    if not periods:
        return
    capital = [s for s in m.S if data.sites.at[s, "capital_region"]]
    m.capital_region_max_share = pyo.Param(periods, initialize={p: cap[p] for p in periods},
                                           mutable=True, doc="[-]")
    m.capital_region_cap = pyo.Constraint(
        periods, rule=lambda m, p: sum(m.site_it_mw[s, p] for s in capital)
        <= m.capital_region_max_share[p] * _total(m, p))


def add_province_cap(m: pyo.ConcreteModel, data: ModelData) -> None:
    """No province holds more than a share of national IT capacity.

    .. math:: \\sum_{s \\in r} it_{s,p} \\le \\sigma_p \\sum_s it_{s,p} \\quad \\forall r
    """
    cap = per_period(data.model.constraints.decentralization.province_max_share, data.periods)
    periods = [p for p, v in cap.items() if v is not None]
    if not periods:
        return
    sites_in = data.sites.groupby("province_id").groups
    provinces = [r for r in m.R if r in sites_in]
    m.province_max_share = pyo.Param(periods, initialize={p: cap[p] for p in periods},
                                     mutable=True, doc="[-]")
    m.province_cap = pyo.Constraint(
        provinces, periods, rule=lambda m, r, p: sum(m.site_it_mw[s, p] for s in sites_in[r])
        <= m.province_max_share[p] * _total(m, p))


def add_min_host_provinces(m: pyo.ConcreteModel, data: ModelData) -> None:
    """At least ``k_p`` provinces host an open site.

    .. math:: h_{r,p} \\le \\sum_{s \\in r} open_{s,p}, \\qquad \\sum_r h_{r,p} \\ge k_p
    """
    need = per_period(data.model.constraints.decentralization.min_host_provinces, data.periods)
    periods = [p for p, v in need.items() if v]
    if not periods:
        return
    sites_in = data.sites.groupby("province_id").groups
    provinces = [r for r in m.R if r in sites_in]
    m.province_hosts = pyo.Var(provinces, periods, domain=pyo.Binary,
                               doc="province hosts an open site")
    m.province_host_link = pyo.Constraint(
        provinces, periods, rule=lambda m, r, p: m.province_hosts[r, p]
        <= sum(m.site_open[s, p] for s in sites_in[r]))
    m.min_host_provinces = pyo.Param(periods, initialize={p: need[p] for p in periods},
                                     mutable=True, doc="[provinces]")
    m.host_provinces_lower = pyo.Constraint(
        periods, rule=lambda m, p: sum(m.province_hosts[r, p] for r in provinces)
        >= m.min_host_provinces[p])

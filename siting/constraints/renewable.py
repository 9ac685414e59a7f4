"""Family 3: renewable proximity."""

from __future__ import annotations

import pyomo.environ as pyo

from ..config import per_period
from ..parameters import ModelData


def add_renewable_share(m: pyo.ConcreteModel, data: ModelData) -> None:
    """A share of each site's energy is procured from renewable zones within the radius.

    .. math:: \\sum_{z: d(s,z) \\le R} q_{s,z,p} \\ge \\rho_p \\, u \\, PUE_s \\, it_{s,p}
              \\quad \\forall s, p

    .. math:: \\sum_s q_{s,z,p} \\le K_z \\, CF_z \\quad \\forall z, p
              \\quad (\\text{zone_potential})

    ``q`` is average MW procured, ``u`` the utilization, ``K_z CF_z`` the zone's average
    output. A site with no zone in range cannot be built while ``rho_p > 0``.
    """
    share = per_period(data.model.constraints.renewable.min_share, data.periods)
    util = data.model.economics.utilization
    m.Z = pyo.Set(initialize=list(data.zones.index), ordered=True, doc="renewable zones")
    m.SZ = pyo.Set(initialize=data.site_zone_pairs, dimen=2, ordered=True,
                   doc="site-zone pairs within the radius")
    m.renewable_mw = pyo.Var(m.SZ, m.P, domain=pyo.NonNegativeReals, doc="[MW average]")
    m.renewable_min_share = pyo.Param(m.P, initialize={p: v or 0.0 for p, v in share.items()},
                                      mutable=True, doc="[-]")
    m.zone_supply_mw = pyo.Param(m.Z, initialize=data.zones["supply_avg_mw"].to_dict(),
                                 mutable=True, doc="[MW average]")
    zones_of: dict[str, list[str]] = {s: [] for s in m.S}
    sites_of: dict[str, list[str]] = {z: [] for z in m.Z}
    for s, z in data.site_zone_pairs:
        zones_of[s].append(z)
        sites_of[z].append(s)
    m.site_renewable_share = pyo.Constraint(
        m.S, m.P, rule=lambda m, s, p: sum(m.renewable_mw[s, z, p] for z in zones_of[s])
        >= m.renewable_min_share[p] * util * m.site_facility_mw[s, p])
    used = [z for z in m.Z if sites_of[z]]
    m.zone_potential = pyo.Constraint(
        used, m.P, rule=lambda m, z, p: sum(m.renewable_mw[s, z, p] for s in sites_of[z])
        <= m.zone_supply_mw[z])

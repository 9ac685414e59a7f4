"""Family 3: renewable proximity."""

from __future__ import annotations

import pyomo.environ as pyo

from ...inputs.model_file import per_period
from ..data import ModelData
from . import linear


def add_renewable_share(m: pyo.ConcreteModel, data: ModelData) -> None:
    """A share of each site's energy is procured from renewable zones within the radius.

    .. math:: \\sum_{z: d(s,z) \\le R} q_{s,z,p} \\ge \\rho_p \\, u \\, PUE_s \\, it_{s,p}
              \\quad \\forall s, p

    .. math:: \\sum_s q_{s,z,p} \\le K_z \\, CF_z \\quad \\forall z, p
              \\quad (\\text{zone_potential})

    ``q`` is average MW procured, ``u`` the utilization, ``K_z CF_z`` the zone's average
    output. A site with no zone in range cannot be built while ``rho_p > 0``. Rows are
    written only for (site, period) pairs that can hold capacity; ``q`` is fixed to zero
    elsewhere (nothing to procure).
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
    lk = data.lookup
    q = dict(m.renewable_mw.items())  # plain dict lookups
    mod = dict(m.site_modules.items())
    for s, z in data.site_zone_pairs:  # no capacity, nothing to procure
        for p in data.periods:
            if s not in lk.live_set[p]:
                q[s, z, p].fix(0)

    def site_share(m, s, p):
        zones = lk.zones_of[s]
        need = -m.renewable_min_share[p] * (util * lk.pue[s] * lk.module_mw[s])
        return (0.0, linear([1.0] * len(zones) + [need],
                            [q[s, z, p] for z in zones] + [mod[s, p]]), None)

    m.site_renewable_share = pyo.Constraint(lk.live_pairs, rule=site_share)
    used = [z for z in m.Z if lk.sites_of[z]]

    def zone_rule(m, z, p):
        sites = [s for s in lk.sites_of[z] if s in lk.live_set[p]]
        return (None, linear([1.0] * len(sites), [q[s, z, p] for s in sites]),
                m.zone_supply_mw[z])

    m.zone_potential = pyo.Constraint(used, m.P, rule=zone_rule)

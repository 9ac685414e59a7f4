"""Family 3: renewable proximity."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyomo.environ as pyo
from pydantic import Field

from ...inputs.section import PeriodShare, Strict, per_period
from ..units import BN_KRW_PER_GWH_AT_1_KRW_PER_KWH as K
from ..units import GWH_PER_MW_YEAR
from .base import CostTerm, Family, Limit, linear
from .sweepable import SweepParameter, absolute, scale_param, unit_base, update

if TYPE_CHECKING:
    from ..data import ModelData


class Renewable(Strict):
    """Renewable proximity: a share of each site's energy from zones within a radius."""

    enabled: bool = True
    min_share: PeriodShare = Field(0.2, description="share of facility energy [0-1]")
    radius_km: float = Field(100.0, gt=0, le=2000, description="largest site-zone distance [km]")


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
    share = data.settings["renewable"].min_share
    util = data.utilization
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


def renewable_cost(m, data: ModelData):
    """``q_{s,z,p} * 8.76 * premium_z * 1e-3`` [bn KRW/yr]."""
    lk = data.lookup
    premium = {z: GWH_PER_MW_YEAR * float(c) * K
               for z, c in data.zones["cost_krw_per_kwh"].items()}
    pairs = {p: [(i, z) for i, z in data.site_zone_pairs if i in lk.live_set[p]]
             for p in data.periods}
    return lambda m, p: linear([premium[z] for _, z in pairs[p]],
                               [m.renewable_mw[i, z, p] for i, z in pairs[p]])


def _one_pp_of_energy(m, data: ModelData, idx: tuple) -> float:
    """1 % of the site's solved facility energy [MW average per percentage point]."""
    s, p = idx
    lk = data.lookup
    return 0.01 * data.utilization * lk.pue[s] * lk.module_mw[s] * (m.site_modules[s, p].value
                                                                    or 0.0)


def _scaled_renewable(model, inputs, f: float):
    share = per_period(model.constraints.renewable.min_share, model.periods)
    new = {str(p): (v or 0.0) * f for p, v in share.items()}
    return update(model, ("constraints", "renewable", "min_share"), new), inputs


FAMILY = Family(
    name="renewable", add=add_renewable_share, section=Renewable, period_fields=("min_share",),
    on=lambda data: data.settings["renewable"].enabled,
    costs=(CostTerm("renewable", "premium of renewable energy procured", renewable_cost,
                    order=3),),
    limits=(
        Limit("site_renewable_share", "renewable energy procured within the radius at "
              "least the minimum share of a site's energy", "MW average",
              "{period}: site {id} lacks {amount:,.1f} MW (average) of renewable supply "
              "within the radius", per_pp=_one_pp_of_energy),
        Limit("zone_potential", "renewable energy procured from a zone within its average "
              "output", "MW average",
              "{period}: renewable zone {id} is short of {amount:,.1f} MW (average)"),
    ),
    sweeps=(SweepParameter("renewable_share_scale", "x", "renewable minimum shares scaled",
                           unit_base, _scaled_renewable, scale_param("renewable_min_share"),
                           ("renewable_min_share",)),
            SweepParameter("renewable_radius_km", "km", "renewable-proximity radius "
                           "(rebuilds)", lambda model: model.constraints.renewable.radius_km,
                           absolute(("constraints", "renewable", "radius_km")))),
)

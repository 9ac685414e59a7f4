"""Family 0: the site decisions (open, modules), their linking and staging, and the
site costs (capital, energy, grid connection). Always on, no model-file section."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyomo.environ as pyo

from ..units import BN_KRW_PER_GWH_AT_1_KRW_PER_KWH as K
from ..units import GWH_PER_MW_YEAR
from .base import CostTerm, Family, Limit, linear
from .sweepable import SweepParameter, scale_param, table_scale, unit_base

if TYPE_CHECKING:
    from ..data import ModelData


def add_site_decisions(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Open/size decisions, module linking, staging and availability.

    ``site_modules[s,p] <= max_modules[s] * site_open[s,p]`` and
    ``site_modules[s,p] >= site_open[s,p]`` (an open site holds at least one module);
    ``site_open`` and ``site_modules`` are non-decreasing in ``p``; both are fixed to
    zero before the site's ``available_from`` year (and at sites that cannot hold a
    module), and such fixed pairs appear in no constraint.

    ``max_modules`` is already the tightest bound the data give (site size, module size
    and, with node headroom on, the node's headroom over the module's facility power).
    The cost Params ``capex_bn_krw_per_mw`` and ``tariff_krw_per_kwh`` are mutable
    (sweeps change them in place).
    """
    lk = data.lookup
    max_mod = lk.max_modules
    m.site_open = pyo.Var(m.S, m.P, domain=pyo.Binary, doc="site open by period")
    m.site_modules = pyo.Var(m.S, m.P, domain=pyo.NonNegativeIntegers,
                             bounds=lambda _, i, p: (0, max_mod[i]), doc="modules installed")
    mod, op = dict(m.site_modules.items()), dict(m.site_open.items())  # plain dict lookups
    m.site_it_mw = pyo.Expression(m.S, m.P, doc="[MW IT]", initialize={
        (i, p): lk.module_mw[i] * mod[i, p] for i in lk.sites for p in data.periods})
    live = lk.live_pairs
    m.site_modules_upper = pyo.Constraint(live, rule=lambda m, i, p: (
        None, linear((1.0, -float(max_mod[i])), (mod[i, p], op[i, p])), 0.0))
    m.site_modules_lower = pyo.Constraint(live, rule=lambda m, i, p: (
        0.0, linear((1.0, -1.0), (mod[i, p], op[i, p])), None))
    prev = dict(zip(data.periods[1:], data.periods[:-1]))
    live_set = set(live)
    later = [(i, p) for i, p in live if p in prev and (i, prev[p]) in live_set]
    m.site_open_staging = pyo.Constraint(later, rule=lambda m, i, p: (
        0.0, linear((1.0, -1.0), (op[i, p], op[i, prev[p]])), None))
    m.site_modules_staging = pyo.Constraint(later, rule=lambda m, i, p: (
        0.0, linear((1.0, -1.0), (mod[i, p], mod[i, prev[p]])), None))
    for i in lk.sites:
        for p in data.periods:
            if (i, p) not in live_set:
                op[i, p].fix(0)
                mod[i, p].fix(0)
    s = data.sites
    m.capex_bn_krw_per_mw = pyo.Param(m.S, initialize=s["capex_bn_krw_per_mw"].to_dict(),
                                      mutable=True, doc="[bn KRW/MW IT]")
    m.tariff_krw_per_kwh = pyo.Param(m.S, initialize=s["tariff_krw_per_kwh"].to_dict(),
                                     mutable=True, doc="[KRW/kWh]")


def capex_cost(m, data: ModelData):
    """``CRF * (capex_s * it_{s,p} + fixed_s * open_{s,p})`` (annuity on installed capital)."""
    lk = data.lookup
    crf = data.capital_recovery_factor
    fixed = dict(zip(lk.sites, map(float, data.sites["fixed_cost_bn_krw"])))
    mod, op, capex = m.site_modules, m.site_open, m.capex_bn_krw_per_mw

    def rule(m, p):
        live = lk.live[p]
        return linear([crf * lk.module_mw[i] * capex[i] for i in live]
                      + [crf * fixed[i] for i in live],
                      [mod[i, p] for i in live] + [op[i, p] for i in live])
    return rule


def energy_cost(m, data: ModelData):
    """``u * PUE_s * it_{s,p} * 8.76 GWh/MW-yr * tariff_s * 1e-3``."""
    lk = data.lookup
    energy = data.utilization * GWH_PER_MW_YEAR * K
    mod, tariff = m.site_modules, m.tariff_krw_per_kwh
    return lambda m, p: linear(
        [energy * lk.pue[i] * lk.module_mw[i] * tariff[i] for i in lk.live[p]],
        [mod[i, p] for i in lk.live[p]])


def connection_cost(m, data: ModelData):
    """``CRF * c_conn * km_s * open_{s,p}``."""
    lk = data.lookup
    crf = data.capital_recovery_factor
    conn = dict(zip(lk.sites, map(float, data.sites["connection_bn_krw"])))
    return lambda m, p: linear([crf * conn[i] for i in lk.live[p]],
                               [m.site_open[i, p] for i in lk.live[p]])


FAMILY = Family(
    name="sites", add=add_site_decisions,
    costs=(CostTerm("capex", "annuity on installed capital", capex_cost, order=0),
           CostTerm("energy", "electricity at the provincial tariff", energy_cost,
                    order=1),
           CostTerm("grid_connection", "annuity on the line to the grid node",
                    connection_cost, order=2)),
    limits=(Limit("site_modules_upper", "IT capacity within the site's size (site, module "
                  "size and node headroom)", "MW IT", relax=False,
                  scale=lambda data, idx: data.lookup.module_mw[idx[0]]),),
    sweeps=(
        SweepParameter("tariff_scale", "x", "industrial tariffs scaled (all provinces)",
                       unit_base, table_scale("provinces", "tariff_krw_per_kwh"),
                       scale_param("tariff_krw_per_kwh"), ("tariff_krw_per_kwh",)),
        SweepParameter("capex_scale", "x", "capital cost per MW scaled (all sites)",
                       unit_base, table_scale("sites", "capex_bn_krw_per_mw"),
                       scale_param("capex_bn_krw_per_mw"), ("capex_bn_krw_per_mw",)),
    ),
)

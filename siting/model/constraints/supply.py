"""Family: co-located supply of a site (an adjacent plant, on-site gas, solar with a
battery), the time-to-power of its grid connection, and CO2 per period.

Options ``o`` of site ``s(o)`` (``supply_options.csv``, kinds other than ``grid``). Each
can deliver from ``ready_o = base_year + lead_o``; before then (and while its site is not
live) its variables are fixed to zero.

.. math::

    q_{o,p} \\le Q_o \\, b_{o,p}, \\qquad b_{o,p} \\ge b_{o,p-1}, \\quad
    q_{o,p} \\ge q_{o,p-1}                                   \\quad (supply\\_capacity\\_upper)

    \\sum_{o \\in s} \\phi_o \\, q_{o,p} \\le PUE_s M_s n_{s,p}   \\quad (supply\\_within\\_load)

    \\sum_{o \\in s} e_o \\, q_{o,p} \\le u \\, PUE_s M_s n_{s,p}  \\quad
    (supply\\_energy\\_within\\_load)

with :math:`q` [MW] the capacity built or contracted, :math:`b` binary (used at all),
:math:`\\phi_o` the firm share (what lowers the site's peak draw, registered with
:func:`~siting.model.constraints.hooks.register_offset`, so that node headroom, the
provincial balance and the network's flows all see the lower draw) and :math:`e_o` the
average output per MW (the capacity factor, or the utilization :math:`u` for dispatchable
supply that follows the load). Neither row lets a site export to the grid.

A contract with an existing plant takes its idle or stranded capacity (the table's
contractable share), energy that the provincial surplus of the transport mode (generated
energy) does not count: it adds supply rather than diverting it. It does take that capacity
out of the system's reserve in the peak hour, which no row here represents.

**Time-to-power.** A site's grid connection is complete from ``base_year + lead`` of its
``grid`` row; before then it draws nothing (``grid_connection_pending``):
:math:`PUE_s M_s n_{s,p} - \\sum_o \\phi_o q_{o,p} \\le 0`.

**Costs** [bn KRW/yr]: ``colocated_supply`` =
:math:`\\sum_o CRF (c_o q_{o,p} + C_o b_{o,p}) + F_o q_{o,p} + 8.76 K e_o v_o q_{o,p}`;
``grid_energy_avoided`` = :math:`-\\sum_o 8.76 K e_o \\, tariff_{s(o)} \\, q_{o,p}` (the
``energy`` term of the sites family charges the tariff on the whole facility load; this
term returns it for the energy the site does not buy from the grid).

**CO2** [Mt/yr]:
:math:`E_p = 8.76 \\cdot 10^{-3} [\\sum_s g_s (u PUE_s M_s n_{s,p} - \\sum_{o \\in s} e_o
q_{o,p}) + \\sum_o \\gamma_o e_o q_{o,p}]` with :math:`g_s` the marginal intensity of grid
supply at the site (its ``grid`` row) and :math:`\\gamma_o` the option's [t/MWh]. With
``co2_price_krw_per_t`` the cost ``co2`` = :math:`10^{-3} \\pi_p E_p`; with ``co2_cap_mt``
the row ``co2_cap``: :math:`E_p \\le \\bar E_p`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import pyomo.environ as pyo
from pydantic import Field

from ...errors import InputError, Problem
from ...inputs.section import Strict
from ..units import BN_KRW_PER_GWH_AT_1_KRW_PER_KWH as K
from ..units import GWH_PER_MW_YEAR
from .base import CostTerm, Family, Limit, linear
from .hooks import register_offset

if TYPE_CHECKING:
    from ..data import ModelData

MT_PER_AVG_MW = GWH_PER_MW_YEAR * 1e-3
"""Mt CO2 per (average MW x t/MWh) over a year: 8,760 MWh x 1e-6."""
Tonnes = Annotated[float, Field(ge=0, le=1e7)]


class Supply(Strict):
    """Co-located supply and CO2: on when the model file's ``[data]`` names
    ``supply_options``."""

    enabled: bool = True
    co2_price_krw_per_t: Tonnes | dict[str, Tonnes] | None = Field(None, description=(
        "price of CO2 emitted by the sites' supply [KRW/t], per period; empty: none"))
    contract_carriers: list[str] = Field(["gas", "coal", "nuclear"], description=(
        "carriers of the adjacent plants a site may contract directly (options of kind "
        "adjacent_plant whose carrier is not listed are left out)"))
    co2_cap_mt: Tonnes | dict[str, Tonnes] | None = Field(None, description=(
        "largest CO2 from the sites' supply [Mt/yr], per period; empty: no cap"))


@dataclass(frozen=True)
class SupplyData:
    """The supply options as plain dicts (data stage)."""

    options: list[str]
    site: dict[str, str]
    kind: dict[str, str]
    capacity: dict[str, float]
    firm: dict[str, float]
    capacity_factor: dict[str, float | None]
    capex: dict[str, float]
    oneoff: dict[str, float]
    fixed: dict[str, float]
    variable: dict[str, float]
    co2: dict[str, float]
    ready: dict[str, int]
    grid_ready: dict[str, int]
    grid_co2: dict[str, float]


def _prepare(inputs, model) -> SupplyData | None:
    t = inputs.supply_options
    if t is None or not model.constraints.supply.enabled:
        return None
    base = model.economics.base_year
    grid = t[t["kind"] == "grid"]
    missing = sorted(set(inputs.sites.index) - set(grid["site_id"]))
    if missing:
        raise InputError([Problem(str(model.data_path("supply_options")),
                                  f"sites without a grid row: {', '.join(missing[:5])}",
                                  "give every site one row of kind 'grid' (its connection's "
                                  "lead time and grid CO2 intensity)", column="site_id")])
    g = grid.groupby("site_id")
    opts = _options(t, model)
    cf = opts["capacity_factor"]
    col = {c: dict(zip(opts.index, map(float, opts[c]))) for c in (
        "capacity_mw", "firm_share", "capex_bn_krw_per_mw", "oneoff_bn_krw",
        "fixed_bn_krw_per_mw_yr", "variable_krw_per_kwh", "co2_t_per_mwh")}
    return SupplyData(
        options=[str(o) for o in opts.index], site=dict(zip(opts.index, opts["site_id"])),
        kind=dict(zip(opts.index, opts["kind"])), capacity=col["capacity_mw"],
        firm=col["firm_share"],
        capacity_factor={o: (None if pd.isna(v) else float(v)) for o, v in cf.items()},
        capex=col["capex_bn_krw_per_mw"], oneoff=col["oneoff_bn_krw"],
        fixed=col["fixed_bn_krw_per_mw_yr"], variable=col["variable_krw_per_kwh"],
        co2=col["co2_t_per_mwh"],
        ready={o: base + int(v) for o, v in opts["lead_time_yr"].items()},
        grid_ready={s: base + int(v) for s, v in g["lead_time_yr"].max().items()},
        grid_co2={s: float(v) for s, v in g["co2_t_per_mwh"].mean().items()})


def _options(t: pd.DataFrame, model) -> pd.DataFrame:
    """The co-located options in the model: every non-grid row, less the contracts with
    adjacent plants of carriers the model file does not allow."""
    allowed = set(model.constraints.supply.contract_carriers)
    keep = (t["kind"] != "grid") & ((t["kind"] != "adjacent_plant") | t["carrier"].isin(allowed))
    return t[keep].sort_index()


def colocated_firm_mw(inputs, model) -> dict[str, float]:
    """Largest firm co-located supply per site [MW] (raises the data stage's module bound
    where node headroom would otherwise cap the site)."""
    t = inputs.supply_options
    if t is None or not model.constraints.supply.enabled:
        return {}
    o = _options(t, model)
    return (o["capacity_mw"] * o["firm_share"]).groupby(o["site_id"]).sum().to_dict()


def energy_factor(sd: SupplyData, data: ModelData, o: str) -> float:
    """Average output per MW of option ``o`` [-]."""
    cf = sd.capacity_factor[o]
    return data.utilization if cf is None else cf


def ready_pairs(data: ModelData) -> list[tuple[str, int]]:
    """(option, period) where the option can deliver and its site is live."""
    sd, lk = data.family_data["supply"], data.lookup
    return [(o, p) for o in sd.options for p in data.periods
            if sd.ready[o] <= p and sd.site[o] in lk.live_set[p]]


def add_supply(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Co-located supply variables, their rows and the draw offsets (module docstring)."""
    sd, lk = data.family_data["supply"], data.lookup
    m.O = pyo.Set(initialize=sd.options, ordered=True, doc="co-located supply options")
    m.supply_mw = pyo.Var(m.O, m.P, domain=pyo.NonNegativeReals,
                          bounds=lambda _, o, p: (0, sd.capacity[o]), doc="[MW]")
    m.supply_built = pyo.Var(m.O, m.P, domain=pyo.Binary, doc="option used")
    ready = ready_pairs(data)
    rs = set(ready)
    for o in sd.options:
        for p in data.periods:
            if (o, p) not in rs:
                m.supply_mw[o, p].fix(0)
                m.supply_built[o, p].fix(0)
    q, b = m.supply_mw, m.supply_built
    m.supply_capacity_upper = pyo.Constraint(ready, rule=lambda m, o, p: (
        None, linear((1.0, -sd.capacity[o]), (q[o, p], b[o, p])), 0.0))
    prev = dict(zip(data.periods[1:], data.periods[:-1]))
    later = [(o, p) for o, p in ready if p in prev and (o, prev[p]) in rs]
    m.supply_built_staging = pyo.Constraint(later, rule=lambda m, o, p: (
        0.0, linear((1.0, -1.0), (b[o, p], b[o, prev[p]])), None))
    m.supply_mw_staging = pyo.Constraint(later, rule=lambda m, o, p: (
        0.0, linear((1.0, -1.0), (q[o, p], q[o, prev[p]])), None))
    by_site: dict[tuple[str, int], list[str]] = {}
    for o, p in ready:
        by_site.setdefault((sd.site[o], p), []).append(o)
        if sd.firm[o] > 0:
            register_offset(m, sd.site[o], p, sd.firm[o], q[o, p])
    facility = {s: lk.pue[s] * lk.module_mw[s] for s in lk.sites}

    def within(share: float | None):
        def rule(m, s, p):
            os_ = by_site[s, p]
            coefs = [sd.firm[o] if share is None else energy_factor(sd, data, o) for o in os_]
            load = facility[s] * (1.0 if share is None else share)
            return (None, linear(coefs + [-load], [q[o, p] for o in os_]
                                 + [m.site_modules[s, p]]), 0.0)
        return rule
    keys = sorted(by_site)
    m.supply_within_load = pyo.Constraint(keys, rule=within(None))
    solar = [k for k in keys if any(sd.capacity_factor[o] is not None for o in by_site[k])]
    m.supply_energy_within_load = pyo.Constraint(solar, rule=within(data.utilization))
    pending = [(s, p) for s, p in lk.live_pairs if sd.grid_ready[s] > p]
    m.grid_connection_pending = pyo.Constraint(pending, rule=lambda m, s, p: (
        None, linear([facility[s]] + [-sd.firm[o] for o in by_site.get((s, p), [])],
                     [m.site_modules[s, p]] + [q[o, p] for o in by_site.get((s, p), [])]),
        0.0))
    m.co2_mt = pyo.Expression(m.P, rule=lambda m, p: linear(*co2_terms(m, data, p)),
                              doc="CO2 of the sites' supply [Mt/yr]")
    cap = data.settings["supply"].co2_cap_mt
    capped = [p for p in data.periods if cap[p] is not None]
    m.co2_cap = pyo.Constraint(capped, rule=lambda m, p: (
        None, linear(*co2_terms(m, data, p)), float(cap[p])))


def co2_terms(m, data: ModelData, p: int) -> tuple[list, list]:
    """``E_p`` [Mt/yr] as ``(coefs, vars)`` (module docstring)."""
    sd, lk = data.family_data["supply"], data.lookup
    coefs, xs = [], []
    for s in lk.live[p]:
        coefs.append(MT_PER_AVG_MW * sd.grid_co2[s] * data.utilization * lk.pue[s]
                     * lk.module_mw[s])
        xs.append(m.site_modules[s, p])
    for o, pp in ready_pairs(data):
        if pp == p:
            e = energy_factor(sd, data, o)
            coefs.append(MT_PER_AVG_MW * e * (sd.co2[o] - sd.grid_co2[sd.site[o]]))
            xs.append(m.supply_mw[o, p])
    return coefs, xs


def _by_period(data: ModelData) -> dict[int, list[str]]:
    pairs = ready_pairs(data)
    return {p: [o for o, pp in pairs if pp == p] for p in data.periods}


def colocated_cost(m, data: ModelData):
    """Annuity, fixed and variable cost of the co-located options [bn KRW/yr]."""
    sd, crf = data.family_data["supply"], data.capital_recovery_factor
    live = _by_period(data)

    def rule(m, p):
        os_ = live[p]
        return linear(
            [crf * sd.capex[o] + sd.fixed[o] + GWH_PER_MW_YEAR * K
             * energy_factor(sd, data, o) * sd.variable[o] for o in os_]
            + [crf * sd.oneoff[o] for o in os_],
            [m.supply_mw[o, p] for o in os_] + [m.supply_built[o, p] for o in os_])
    return rule


def avoided_cost(m, data: ModelData):
    """Grid energy the site does not buy, at its tariff (negative) [bn KRW/yr]."""
    sd = data.family_data["supply"]
    live = _by_period(data)
    return lambda m, p: linear(
        [-GWH_PER_MW_YEAR * K * energy_factor(sd, data, o) * m.tariff_krw_per_kwh[sd.site[o]]
         for o in live[p]], [m.supply_mw[o, p] for o in live[p]])


def co2_cost(m, data: ModelData):
    """``1e-3 * price_p * E_p`` [bn KRW/yr] (None without a CO2 price)."""
    price = data.settings["supply"].co2_price_krw_per_t
    if all(v is None for v in price.values()):
        return None

    def rule(m, p):
        coefs, xs = co2_terms(m, data, p)
        f = 1e-3 * float(price[p] or 0.0)
        return linear([c * f for c in coefs], xs)
    return rule


FAMILY = Family(
    name="supply", add=add_supply, section=Supply,
    period_fields=("co2_price_krw_per_t", "co2_cap_mt"), prepare=_prepare,
    on=lambda data: data.family_data.get("supply") is not None,
    costs=(CostTerm("colocated_supply", "co-located supply: annuity, fixed and energy cost",
                    colocated_cost),
           CostTerm("grid_energy_avoided", "grid energy not bought (at the tariff) because a "
                    "co-located option supplies it", avoided_cost),
           CostTerm("co2", "CO2 price on the sites' supply", co2_cost)),
    limits=(
        Limit("supply_capacity_upper", "co-located supply within the option's capacity",
              "MW", "{period}: supply option {id} needs {amount:,.1f} MW more capacity"),
        Limit("grid_connection_pending", "no grid draw before the site's connection is "
              "complete", "MW", "{period}: site {id} needs its grid connection "
              "({amount:,.1f} MW) earlier or more co-located supply"),
        Limit("co2_cap", "CO2 of the sites' supply within the cap", "Mt/yr",
              "{period}: the CO2 cap needs {amount:,.3f} Mt/yr more"),
    ),
)

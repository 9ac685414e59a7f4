"""Family 4: decentralization."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated

import pyomo.environ as pyo
from pydantic import Field

from ...inputs.section import HostCount, PeriodShare, Strict
from .base import Family, Limit, linear
from .sweepable import SweepParameter, absolute, period_base, set_param
from .targets import committed_floors

if TYPE_CHECKING:
    from ..data import ModelData


HostsPerGW = Annotated[float, Field(ge=0, le=1000)]
"""Host provinces required per GW of national target [1/GW]."""


class Decentralization(Strict):
    """Caps on the capital region and on any one province, and a minimum of host provinces.

    ``capital_region_min_share`` is a floor on the capital region's share of national IT
    capacity [0-1] (per period like the cap; off by default).

    ``min_host_provinces_per_gw`` scales the host minimum with the scenario, so that a
    small target does not force a site into a far province: at least
    ``ceil(per_gw x national target [GW])`` provinces host a site, capped at
    ``min_host_provinces`` when that is set and above 0 ("one province per GW, up to 7").
    """

    enabled: bool = True
    capital_region_max_share: PeriodShare | None = 0.3
    capital_region_min_share: PeriodShare | None = None
    province_max_share: PeriodShare | None = 0.4
    min_host_provinces: HostCount | dict[str, HostCount] | None = 4
    min_host_provinces_per_gw: HostsPerGW | dict[str, HostsPerGW] | None = Field(None, description=(
        "host provinces required per GW of national target [1/GW]"))


def national_it_mw(m: pyo.ConcreteModel, data: ModelData):
    """National installed IT capacity as a variable ``national_it_mw[p]`` [MW IT].

    .. math:: T_p = \\sum_s it_{s,p} \\quad (\\text{national_it_balance})

    The caps below compare a sum to a share of ``T_p``: with the total as one variable,
    each cap row holds only its own sites plus ``T_p`` (instead of every site in the
    country, each with a share-dependent coefficient), which keeps the matrix sparse
    and the mutable shares to one coefficient per row. Created once, on first use.
    """
    if m.component("national_it_mw") is None:
        lk = data.lookup
        m.national_it_mw = pyo.Var(m.P, domain=pyo.NonNegativeReals,
                                   doc="national installed IT capacity [MW IT]")
        m.national_it_balance = pyo.Constraint(m.P, rule=lambda m, p: (0.0, linear(
            [lk.module_mw[s] for s in lk.live[p]] + [-1.0],
            [m.site_modules[s, p] for s in lk.live[p]] + [m.national_it_mw[p]]), 0.0))
    return m.national_it_mw


def _share_row(m, lk, sites: list[str], p: int, share):
    """``sum_{s in sites} it_{s,p} - share * T_p``."""
    own = [s for s in sites if s in lk.live_set[p]]
    return linear([lk.module_mw[s] for s in own] + [-share],
                  [m.site_modules[s, p] for s in own] + [m.national_it_mw[p]])


def _share_rows(m: pyo.ConcreteModel, data: ModelData, setting: str, upper: bool,
                groups: dict[str, list[str]] | list[str]) -> pyo.Constraint | None:
    """Rows comparing a group's IT capacity with a share of the national total.

    ``sum_{s in group} it_{s,p} - share_p * T_p`` is ``<= 0`` (``upper``) or ``>= 0``,
    for the periods where the setting gives a share (a floor of 0 writes no row). The
    shares go into the mutable Param named like the setting [-]. ``groups`` is one list of
    sites (one row per period) or sites per province (one row per province and period).

    Returns
    -------
    pyomo.environ.Constraint or None
        Not yet added to ``m``; None when no period has a share.
    """
    shares = getattr(data.settings["decentralization"], setting)
    periods = [p for p, v in shares.items() if v is not None and (upper or v)]
    if not periods:
        return None
    lk = data.lookup
    national_it_mw(m, data)
    m.add_component(setting, pyo.Param(periods, initialize={p: shares[p] for p in periods},
                                       mutable=True, doc="[-]"))
    share = getattr(m, setting)

    def row(sites: list[str], p: int):
        body = _share_row(m, lk, sites, p, share[p])
        return (None, body, 0.0) if upper else (0.0, body, None)

    if isinstance(groups, list):
        return pyo.Constraint(periods, rule=lambda m, p: row(groups, p))
    keys = [r for r in m.R if r in groups]
    return pyo.Constraint(keys, periods, rule=lambda m, r, p: row(groups[r], p))


def add_capital_region_cap(m: pyo.ConcreteModel, data: ModelData) -> None:
    """The capital region holds at most a share of national IT capacity.

    .. math:: \\sum_{s \\in capital} it_{s,p} \\le \\kappa_p T_p

    with :math:`T_p = \\sum_s it_{s,p}` (:func:`national_it_mw`).
    """
    rows = _share_rows(m, data, "capital_region_max_share", True, data.lookup.capital)
    if rows is not None:
        m.capital_region_cap = rows


def add_capital_region_floor(m: pyo.ConcreteModel, data: ModelData) -> None:
    """The capital region holds at least a share of national IT capacity.

    .. math:: \\sum_{s \\in capital} it_{s,p} \\ge \\mu_p T_p

    with :math:`T_p = \\sum_s it_{s,p}` (:func:`national_it_mw`); rows
    ``capital_region_floor[p]``, shares in the mutable Param ``capital_region_min_share``.
    """
    rows = _share_rows(m, data, "capital_region_min_share", False, data.lookup.capital)
    if rows is not None:
        m.capital_region_floor = rows


def add_province_cap(m: pyo.ConcreteModel, data: ModelData) -> None:
    """No province holds more than a share of national IT capacity.

    .. math:: \\sum_{s \\in r} it_{s,p} \\le \\sigma_p T_p \\quad \\forall r

    with :math:`T_p = \\sum_s it_{s,p}` (:func:`national_it_mw`).
    """
    rows = _share_rows(m, data, "province_max_share", True, data.lookup.by_province)
    if rows is not None:
        m.province_cap = rows


def _hosts(count: int | None, per_gw: float | None, target_mw: float) -> int | None:
    """``count``, or ``ceil(per_gw x target_mw / 1000)`` capped at ``count`` when that is
    above 0 [provinces]."""
    if per_gw is None:
        return count
    scaled = math.ceil(per_gw * target_mw / 1000.0 - 1e-9)
    return min(scaled, count) if count else scaled


def required_hosts(data: ModelData) -> dict[int, int | None]:
    """Host provinces required per period (None or 0: no minimum).

    ``min_host_provinces`` alone is the count. With ``min_host_provinces_per_gw`` the
    count is ``ceil(per_gw x target_p / 1000)`` (``target_p`` the national target [MW IT]
    of the model file), capped at ``min_host_provinces`` when that is above 0.
    """
    dec = data.settings["decentralization"]
    return {p: _hosts(dec.min_host_provinces[p], dec.min_host_provinces_per_gw[p],
                      data.target_mw.get(p, 0.0)) for p in data.periods}


def rescale_hosts(m: pyo.ConcreteModel) -> None:
    """Set ``min_host_provinces`` from the model's current ``target_mw`` where the minimum
    scales with the target (a sweep that changes the targets in place calls this)."""
    rule = getattr(m, "host_provinces_rule", {})
    for p, (count, per_gw) in rule.items():
        m.min_host_provinces[p] = _hosts(count, per_gw, pyo.value(m.target_mw[p])) or 0


def add_min_host_provinces(m: pyo.ConcreteModel, data: ModelData) -> None:
    """At least ``k_p`` provinces host an open site (``k_p`` from :func:`required_hosts`).

    .. math:: h_{r,p} \\le \\sum_{s \\in r} open_{s,p}, \\qquad \\sum_r h_{r,p} \\ge k_p
    """
    need = required_hosts(data)
    dec = data.settings["decentralization"]
    per_gw = {p: g for p, g in dec.min_host_provinces_per_gw.items()
              if g is not None and data.settings["targets"].enabled}
    periods = [p for p, v in need.items() if v or p in per_gw]
    if not periods:
        return
    lk = data.lookup
    provinces = [r for r in m.R if r in lk.by_province]
    m.province_hosts = pyo.Var(provinces, periods, domain=pyo.Binary,
                               doc="province hosts an open site")

    def link(m, r, p):
        own = [s for s in lk.by_province[r] if s in lk.live_set[p]]
        return (None, linear([1.0] + [-1.0] * len(own),
                             [m.province_hosts[r, p]] + [m.site_open[s, p] for s in own]), 0.0)

    m.province_host_link = pyo.Constraint(provinces, periods, rule=link)
    m.min_host_provinces = pyo.Param(periods, initialize={p: need[p] or 0 for p in periods},
                                     mutable=True, doc="[provinces]")
    m.host_provinces_rule = {p: (dec.min_host_provinces[p], g) for p, g in per_gw.items()}
    m.host_provinces_lower = pyo.Constraint(periods, rule=lambda m, p: (
        m.min_host_provinces[p], linear([1.0] * len(provinces),
                                        [m.province_hosts[r, p] for r in provinces]), None))


def add_decentralization(m: pyo.ConcreteModel, data: ModelData) -> None:
    """The capital-region cap and floor, the province cap and the minimum of host
    provinces."""
    add_capital_region_cap(m, data)
    add_capital_region_floor(m, data)
    add_province_cap(m, data)
    add_min_host_provinces(m, data)


def _capital_floor(data: ModelData) -> list[str]:
    """Pre-solve check of the capital-region minimum share against the cap, the capital
    sites' room and the commitments outside the region.

    With capital capacity ``C``, national ``T >= target`` and ``T >= C + F`` (``F`` the
    committed floors outside the region [MW IT]), ``C >= mu T`` needs ``C >= mu x target``
    and ``C >= mu / (1 - mu) x F``.
    """
    from ..precheck import eligible_site_mw

    dec = data.settings["decentralization"]
    s = data.sites
    site_mw = eligible_site_mw(data)
    reasons = []
    for p in data.periods:
        mu, cap = dec.capital_region_min_share[p], dec.capital_region_max_share[p]
        if not mu:
            continue
        if cap is not None and mu > cap + 1e-9:
            reasons.append(f"{p}: capital-region minimum share {mu:.0%} exceeds its cap "
                           f"{cap:.0%}")
            continue
        room = float(site_mw[(s["available_from"] <= p) & s["capital_region"]].sum())
        outside = sum(v for site, v in committed_floors(data, p).items()
                      if not s.at[site, "capital_region"])
        need = mu * data.target_mw.get(p, 0.0)
        why = "of the target"
        if mu < 1 and mu / (1 - mu) * outside > need:
            need, why = mu / (1 - mu) * outside, f"beside {outside:,.0f} MW committed outside it"
        if need > room + 1e-6:
            reasons.append(f"{p}: capital-region minimum share {mu:.0%} needs {need:,.0f} MW "
                           f"IT there ({why}), but its sites available by {p} can hold "
                           f"{room:,.0f} MW")
    return reasons


def one_pp_of_national(m, data: ModelData, idx: tuple) -> float:
    """1 % of the solved national IT capacity of the row's period [MW IT per
    percentage point of a share]."""
    return 0.01 * (m.national_it_mw[idx[-1]].value or 0.0)


def _floor_base(model) -> float:
    """Base of the capital-region floor: its value (NaN if it differs by period), 0 if
    unset."""
    value = model.constraints.decentralization.capital_region_min_share
    return 0.0 if value is None else period_base(
        ("constraints", "decentralization", "capital_region_min_share"))(model)


def _shares(name: str, what: str) -> SweepParameter:
    path = ("constraints", "decentralization", name)
    return SweepParameter(name, "-", f"{what} (all periods)", period_base(path),
                          absolute(path), set_param(name), (name,))


FAMILY = Family(
    name="decentralization", add=add_decentralization, section=Decentralization,
    period_fields=("capital_region_max_share", "capital_region_min_share",
                   "province_max_share", "min_host_provinces", "min_host_provinces_per_gw"),
    on=lambda data: data.settings["decentralization"].enabled,
    precheck=_capital_floor,
    limits=(
        Limit("capital_region_cap", "capital region's IT capacity within its share of the "
              "national total", "MW IT",
              "{period}: capital-region cap exceeded by {amount:,.1f} MW IT",
              label=lambda data, idx: "capital region", per_pp=one_pp_of_national),
        Limit("capital_region_floor", "capital region's IT capacity at least its minimum "
              "share of the national total", "MW IT",
              "{period}: capital-region minimum share short by {amount:,.1f} MW IT",
              label=lambda data, idx: "capital region", per_pp=one_pp_of_national),
        Limit("province_cap", "a province's IT capacity within its share of the national "
              "total", "MW IT", "{period}: province cap exceeded in {id} by {amount:,.1f} MW IT",
              per_pp=one_pp_of_national),
        Limit("host_provinces_lower", "number of provinces hosting an open site at least "
              "the minimum", "provinces",
              "{period}: {amount:,.0f} fewer host provinces than required are possible"),
    ),
    sweeps=(_shares("capital_region_max_share", "capital-region cap"),
            _shares("province_max_share", "cap on any one province"),
            SweepParameter("capital_region_min_share", "-", "capital-region minimum share "
                           "(all periods; rebuilds)",
                           _floor_base,
                           absolute(("constraints", "decentralization",
                                     "capital_region_min_share")))),
)

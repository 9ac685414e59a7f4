"""Family 6: Korea's policy instruments (issue 16), read from ``policy_instruments.csv`` and
``regional_tariffs.csv`` (optional ``[data]`` tables) and switched in ``[constraints.policy]``.

Every instrument has a switch (``true``/``false``; empty: the ``default_enabled`` of its
parameters in ``policy_instruments.csv``) and its values (empty: the table's ``value``).
With ``m`` the sites' modules, ``M_s`` the module size [MW IT], ``it = M n``, ``CRF`` the
capital recovery factor [1/yr] and ``E = u x 8.76 GWh/MW-yr x 1e-3`` [bn KRW per MW per
KRW/kWh]:

**Regional differential tariff** (``regional_tariff``, Distributed Energy Activation Act):
each site pays its province's tariff plus ``delta_r k`` [KRW/kWh], with ``delta_r`` the
``delta_per_k`` of ``regional_tariffs.csv`` and ``k`` = ``regional_tariff_k``. Cost term
``regional_tariff`` [bn KRW/yr]:

.. math:: \\sum_s E \\, PUE_s \\, \\delta_{r(s)} \\, k \\, it_{s,p}

**Grid impact assessment, pass rate** (``grid_impact_assessment``): the candidate sites of a
region (capital region, or the rest) stand for its applications for loads from
``gia_threshold_mw`` [MW]; each applies once for its full size (``max_it_mw``), and at most
the pass rate ``pi`` of the applied capacity is approved. Linear, order-free reading: the
plan chooses which applications pass (the best ones, so the rule is read optimistically).

.. math:: \\sum_{s \\in G, avail_s \\le p} it_{s,p} \\le \\pi_G \\sum_{s \\in G,
          avail_s \\le p} \\overline{it}_s \\quad (\\text{gia_capital_pass},
          \\text{gia_noncapital_pass})

**Grid impact assessment, delay** (``gia_delay``): a capital-region site opens
``gia_capital_delay_years`` after its ``available_from`` (its decisions are fixed to zero in
the periods before).

**KEPCO non-capital connection discount** (``noncapital_connection``): a share ``d`` of the
connection cost of sites outside the capital region is waived. The 50 % discount is on the
22.9 kV connection facility charge; the model's one connection cost (the line to the grid
node) takes it whole, an upper bound of the benefit. Cost term ``connection_discount``:

.. math:: -\\sum_{s \\notin capital} CRF \\, d \\, c^{conn}_s \\, open_{s,p}

**Capex subsidy outside the capital region** (``noncapital_subsidy``): a share ``sigma`` of
the capex of sites outside it is refunded. Cost term ``capex_subsidy``:

.. math:: -\\sum_{s \\notin capital} CRF \\, \\sigma \\, capex_s \\, it_{s,p}

The objective is the builders' cost, so tariff deltas and subsidies (transfers between
the state, KEPCO and the builders) are in it; ``policy_costs.csv`` also gives each policy's
cost without its own transfers. The renewable-proximity rule is the renewable family
(``[constraints.renewable]``); the capital-region cap is the decentralization family.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyomo.environ as pyo
from pydantic import Field

from ...errors import InputError, Problem
from ...inputs.section import Strict
from ..units import BN_KRW_PER_GWH_AT_1_KRW_PER_KWH as K
from ..units import GWH_PER_MW_YEAR
from .base import CostTerm, Family, Limit, linear
from .sweepable import SweepParameter, set_param, update

if TYPE_CHECKING:
    from ...inputs.model_file import ModelFile
    from ...inputs.tables import Inputs
    from ..data import ModelData

SWITCHES: dict[str, tuple[str, ...]] = {
    "regional_tariff": ("regional_tariff_k",),
    "grid_impact_assessment": ("gia_threshold_mw", "gia_capital_pass_rate",
                               "gia_noncapital_pass_rate"),
    "gia_delay": ("gia_capital_delay_years",),
    "noncapital_connection": ("noncapital_22kv_connection_discount",),
    "noncapital_subsidy": ("noncapital_capex_subsidy_share",),
}
"""Each switch of ``[constraints.policy]`` and the parameters (``param_id`` of
``policy_instruments.csv``, keys of the section) it puts in force."""


def _value(lo: float, hi: float, what: str):
    return Field(None, ge=lo, le=hi, description=f"{what}; empty: policy_instruments.csv")


def _switch(what: str):
    return Field(None, description=f"{what} on or off; empty: default_enabled of "
                 "policy_instruments.csv")


class Policy(Strict):
    """Korea's policy instruments: one switch each (see :data:`SWITCHES`) and their values."""

    enabled: bool = True
    regional_tariff: bool | None = _switch("regional differential tariff")
    regional_tariff_k: float | None = _value(0, 100, "scale k of the regional tariff "
                                             "deltas [KRW/kWh]")
    grid_impact_assessment: bool | None = _switch("grid impact assessment (pass rates)")
    gia_threshold_mw: float | None = _value(0, 10000, "load from which the assessment "
                                            "applies [MW IT]")
    gia_capital_pass_rate: float | None = _value(0, 1, "share of capital-region applied "
                                                 "capacity that passes [-]")
    gia_noncapital_pass_rate: float | None = _value(0, 1, "share of applied capacity "
                                                    "outside the capital region that passes [-]")
    gia_delay: bool | None = _switch("grid impact assessment delay for capital-region sites")
    gia_capital_delay_years: float | None = _value(0, 50, "extra years before a "
                                                   "capital-region site can open [yr]")
    noncapital_connection: bool | None = _switch("KEPCO connection discount outside the "
                                                 "capital region")
    noncapital_22kv_connection_discount: float | None = _value(0, 1, "share of the "
                                                               "connection cost waived [-]")
    noncapital_subsidy: bool | None = _switch("capex subsidy outside the capital region")
    noncapital_capex_subsidy_share: float | None = _value(0, 1, "share of capex refunded [-]")


@dataclass(frozen=True)
class PolicyData:
    """What :func:`prepare_policy` resolved.

    Attributes
    ----------
    on : dict of str to bool
        Each switch of :data:`SWITCHES`.
    value : dict of str to float
        Each parameter (model file, else the table), in its unit.
    tariff_delta : dict of str to float
        ``delta_per_k`` of each site's province [-] (empty without ``regional_tariffs``).
    groups : dict of str to list of str
        Sites subject to the assessment (``max_it_mw`` >= threshold), ``capital`` and
        ``noncapital``.
    pool_mw : dict of (str, int) to float
        Applied capacity per group and period [MW IT]: ``max_it_mw`` of its subject sites
        open by then (after the delay).
    opens : dict of str to int
        First year each site may open (``available_from``, plus the delay in the capital
        region when ``gia_delay`` is on).
    """

    on: dict[str, bool]
    value: dict[str, float]
    tariff_delta: dict[str, float]
    groups: dict[str, list[str]]
    pool_mw: dict[tuple[str, int], float]
    opens: dict[str, int]


def _table_values(inputs: Inputs) -> tuple[dict[str, float], dict[str, bool]]:
    t = inputs.policy_instruments
    if t is None:
        return {}, {}
    return ({str(k): float(v) for k, v in t["value"].items()},
            {str(k): bool(v) for k, v in t["default_enabled"].items()})


def resolve_switches(model: ModelFile, inputs: Inputs) -> dict[str, bool]:
    """Each switch: the model file's, else on when all its parameters are
    ``default_enabled`` in ``policy_instruments.csv`` (off without the table)."""
    sec = model.constraints.policy
    _, default = _table_values(inputs)
    return {sw: bool(sec.enabled) and (getattr(sec, sw) if getattr(sec, sw) is not None else
                                       bool(default) and all(default.get(q, False) for q in ps))
            for sw, ps in SWITCHES.items()}


def prepare_policy(inputs: Inputs, model: ModelFile) -> PolicyData | None:
    """The instruments' numbers (None when neither table is named and no switch is set).

    Raises
    ------
    InputError
        A switch on whose value is neither in the model file nor in the table, or the
        regional tariff on without ``regional_tariffs``.
    """
    sec = model.constraints.policy
    named = inputs.policy_instruments is not None or inputs.regional_tariffs is not None
    if not sec.enabled or (not named and not any(getattr(sec, sw) for sw in SWITCHES)):
        return None
    table, _ = _table_values(inputs)
    on = resolve_switches(model, inputs)
    value = {q: (getattr(sec, q) if getattr(sec, q) is not None else table.get(q))
             for ps in SWITCHES.values() for q in ps}
    where = str(model.path or model.name)
    problems = [Problem(where, f"policy switch '{sw}' is on but '{q}' has no value",
                        f"give [constraints.policy] {q}, or name policy_instruments in [data]",
                        column=q) for sw, ps in SWITCHES.items() if on[sw]
                for q in ps if value[q] is None]
    if on["regional_tariff"] and inputs.regional_tariffs is None:
        problems.append(Problem(where, "the regional tariff is on but regional_tariffs is not "
                                "named", "name regional_tariffs in [data]",
                                column="regional_tariffs"))
    if problems:
        raise InputError(problems)
    return _site_numbers(inputs, list(model.periods), on,
                         {q: v for q, v in value.items() if v is not None})


def _site_numbers(inputs: Inputs, periods: list[int], on: dict[str, bool],
                  value: dict[str, float]) -> PolicyData:
    s = inputs.sites
    capital = s["province_id"].map(inputs.provinces["capital_region"]).astype(bool)
    delay = round(value.get("gia_capital_delay_years", 0.0)) if on["gia_delay"] else 0
    opens = {str(i): int(a) + (delay if capital[i] else 0)
             for i, a in s["available_from"].items()}
    rt = inputs.regional_tariffs
    delta = {} if rt is None else {str(i): float(rt["delta_per_k"].get(r, 0.0))
                                   for i, r in s["province_id"].items()}
    threshold = value.get("gia_threshold_mw", 0.0)
    subject = [str(i) for i in s.index if float(s.at[i, "max_it_mw"]) >= threshold]
    groups = {"capital": [i for i in subject if capital[i]],
              "noncapital": [i for i in subject if not capital[i]]}
    pool = {(g, p): sum(float(s.at[i, "max_it_mw"]) for i in sites if opens[i] <= p)
            for g, sites in groups.items() for p in periods}
    return PolicyData(on=on, value=value, tariff_delta=delta, groups=groups,
                      pool_mw=pool, opens=opens)


def add_policy(m: pyo.ConcreteModel, data: ModelData) -> None:
    """The instruments' Params, the assessment's rows and the delay (see the module
    docstring). The cost Params are created at 0 for an instrument that is off, so a
    sweep can set them in place."""
    side: PolicyData = data.family_data["policy"]
    val = side.value
    m.regional_tariff_k = pyo.Param(mutable=True, doc="[KRW/kWh]", initialize=(
        val.get("regional_tariff_k", 0.0) if side.on["regional_tariff"] else 0.0))
    m.noncapital_connection_discount = pyo.Param(mutable=True, doc="[-]", initialize=(
        val.get("noncapital_22kv_connection_discount", 0.0)
        if side.on["noncapital_connection"] else 0.0))
    m.noncapital_capex_subsidy_share = pyo.Param(mutable=True, doc="[-]", initialize=(
        val.get("noncapital_capex_subsidy_share", 0.0) if side.on["noncapital_subsidy"]
        else 0.0))
    if side.on["gia_delay"]:
        for s in data.lookup.sites:
            for p in data.periods:
                if p < side.opens[s]:
                    m.site_open[s, p].fix(0)
                    m.site_modules[s, p].fix(0)
    if side.on["grid_impact_assessment"]:
        _add_pass_rows(m, data, side)


def _add_pass_rows(m: pyo.ConcreteModel, data: ModelData, side: PolicyData) -> None:
    lk = data.lookup
    for group, key in (("capital", "gia_capital_pass_rate"),
                       ("noncapital", "gia_noncapital_pass_rate")):
        m.add_component(key, pyo.Param(mutable=True, initialize=side.value[key], doc="[-]"))
        rate = m.component(key)
        sites = side.groups[group]

        def row(m, p, sites=sites, rate=rate, group=group):
            own = [s for s in sites if s in lk.live_set[p]]
            if not own:
                return pyo.Constraint.Skip
            return (None, linear([lk.module_mw[s] for s in own],
                                 [m.site_modules[s, p] for s in own]),
                    rate * side.pool_mw[group, p])

        m.add_component(f"gia_{group}_pass", pyo.Constraint(m.P, rule=row))


def _one_pp_of_pool(group: str):
    """1 % of the group's applied capacity [MW IT per percentage point of pass rate]."""
    return lambda m, data, idx: 0.01 * data.family_data["policy"].pool_mw[group, idx[-1]]


def _energy(data: ModelData) -> float:
    return data.utilization * GWH_PER_MW_YEAR * K


def tariff_cost(m, data: ModelData):
    """``E PUE_s delta_r k it_{s,p}`` [bn KRW/yr]."""
    side = data.family_data["policy"]
    if not side.tariff_delta:
        return None
    lk, e = data.lookup, _energy(data)
    return lambda m, p: linear(
        [e * lk.pue[s] * lk.module_mw[s] * side.tariff_delta[s] * m.regional_tariff_k
         for s in lk.live[p]], [m.site_modules[s, p] for s in lk.live[p]])


def _outside(data: ModelData, p: int) -> list[str]:
    capital = set(data.lookup.capital)
    return [s for s in data.lookup.live[p] if s not in capital]


def connection_discount(m, data: ModelData):
    """``-CRF d c_conn_s open_{s,p}`` outside the capital region [bn KRW/yr]."""
    crf = data.capital_recovery_factor
    conn = dict(zip(data.lookup.sites, map(float, data.sites["connection_bn_krw"])))
    return lambda m, p: linear(
        [-crf * conn[s] * m.noncapital_connection_discount for s in _outside(data, p)],
        [m.site_open[s, p] for s in _outside(data, p)])


def capex_subsidy(m, data: ModelData):
    """``-CRF sigma capex_s it_{s,p}`` outside the capital region [bn KRW/yr]."""
    crf, lk = data.capital_recovery_factor, data.lookup
    return lambda m, p: linear(
        [-crf * lk.module_mw[s] * m.capex_bn_krw_per_mw[s] * m.noncapital_capex_subsidy_share
         for s in _outside(data, p)], [m.site_modules[s, p] for s in _outside(data, p)])


def _switched(switch: str, key: str):
    """``rebuild`` putting a switch on with the swept value."""
    def rebuild(model, inputs, v):
        model = update(model, ("constraints", "policy", key), v)
        return update(model, ("constraints", "policy", switch), True), inputs
    return rebuild


def _base(switch: str, key: str):
    """Base value: the model file's when it switches the instrument on and gives it, 0
    when it switches it off, else NaN (set by the table: any swept value is a change)."""
    def base(model) -> float:
        sec = model.constraints.policy
        if getattr(sec, switch) is False or not sec.enabled:
            return 0.0
        given = getattr(sec, key)
        return float(given) if getattr(sec, switch) and given is not None else float("nan")
    return base


def _sweep(name: str, switch: str, unit: str, what: str, param: str | None) -> SweepParameter:
    return SweepParameter(name, unit, what, _base(switch, name), _switched(switch, name),
                          set_param(param) if param else None, (param,) if param else ())


FAMILY = Family(
    name="policy", add=add_policy, section=Policy,
    on=lambda data: data.settings["policy"].enabled and data.family_data.get("policy")
    is not None,
    prepare=lambda inputs, model: prepare_policy(inputs, model),
    costs=(CostTerm("regional_tariff", "regional tariff deltas (Distributed Energy Act)",
                    tariff_cost),
           CostTerm("connection_discount", "KEPCO connection discount outside the capital "
                    "region (negative)", connection_discount),
           CostTerm("capex_subsidy", "capex subsidy outside the capital region (negative)",
                    capex_subsidy)),
    limits=(
        Limit("gia_capital_pass", "capital-region IT capacity within the pass rate of the "
              "grid impact assessment times its applied capacity", "MW IT",
              "{period}: the capital region's assessment pass rate is short by "
              "{amount:,.1f} MW IT", label=lambda data, idx: "capital region",
              per_pp=_one_pp_of_pool("capital")),
        Limit("gia_noncapital_pass", "IT capacity outside the capital region within the pass "
              "rate of the grid impact assessment times its applied capacity", "MW IT",
              "{period}: the assessment pass rate outside the capital region is short by "
              "{amount:,.1f} MW IT", label=lambda data, idx: "outside capital region",
              per_pp=_one_pp_of_pool("noncapital")),
    ),
    sweeps=(
        _sweep("regional_tariff_k", "regional_tariff", "KRW/kWh",
               "scale k of the regional tariff deltas (switches it on)", "regional_tariff_k"),
        _sweep("noncapital_capex_subsidy_share", "noncapital_subsidy", "-",
               "capex subsidy outside the capital region (switches it on)",
               "noncapital_capex_subsidy_share"),
        _sweep("noncapital_22kv_connection_discount", "noncapital_connection", "-",
               "connection discount outside the capital region (switches it on)",
               "noncapital_connection_discount"),
        _sweep("gia_capital_pass_rate", "grid_impact_assessment", "-",
               "assessment pass rate in the capital region (switches it on; rebuilds)", None),
        _sweep("gia_capital_delay_years", "gia_delay", "yr",
               "assessment delay of capital-region sites (switches it on; rebuilds)", None),
    ),
)

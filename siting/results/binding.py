"""Binding limits, read from the solved rows of every named row group of the registry.

For each row of a :class:`~siting.model.constraints.Limit` the terms of its body are split
by sign: ``value`` is what the row's positive terms use (e.g. the load at a node, the
renewable energy procured, the IT capacity built), ``bound`` is the row's limit with the
negative terms and any constant moved to its side (e.g. the headroom, the share of the
site's energy that must be renewable, a share of the national total), both in the limit's
``unit``. The slack is ``bound - value`` for an upper limit and ``value - bound`` for a
lower one.

A row is binding when its slack is at most :data:`BINDING_RTOL` times
``max(1, |value|, |bound|)`` and at least one of its variables is non-zero (a row over
sites that build nothing, ``0 <= 0``, shapes nothing and is left out). Values are rounded
to :data:`DECIMALS` decimals, so solver noise such as ``-2.3e-14`` is written as 0.
"""

from __future__ import annotations

import math

import pandas as pd
from pyomo.core.base.var import VarData
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression
from pyomo.repn import generate_standard_repn

from ..model.constraints import limits

BINDING_RTOL = 1e-6
"""Largest slack of a binding row, relative to ``max(1, |value|, |bound|)`` [-]."""

DECIMALS = 6
"""Decimals written for value, bound and slack (in the limit's unit)."""

NONZERO = 1e-9
"""A variable counts as non-zero above this magnitude (HiGHS's feasibility tolerance is
1e-7)."""

COLUMNS = ["family", "limit", "id", "period", "value", "bound", "slack", "unit",
           "marginal_bn_krw_per_unit", "marginal_bn_krw_per_pp", "description"]
"""``marginal_bn_krw_per_unit``: the dual of the LP with the integer decisions fixed, per
unit more of the row's bound [bn KRW, present value, per ``unit``];
``marginal_bn_krw_per_pp``: the same dual per percentage point more of the share or rate
the row holds (capital-region and province caps, the renewable minimum share, the
assessment's pass rates), i.e. times :attr:`~siting.model.constraints.Limit.per_pp`
[bn KRW per percentage point]; empty for other rows and rows without a dual."""


def _terms(body) -> tuple[list, float]:
    """``([(coef, value), ...], constant)`` of a linear row body at the loaded solution."""
    if body.__class__ is LinearExpression:
        terms, const = [], 0.0
        for arg in body.args:
            if arg.__class__ is MonomialTermExpression:
                coef, var = arg.args
                terms.append((float(_num(coef)), var.value))
            elif isinstance(arg, VarData):
                terms.append((1.0, arg.value))
            else:
                const += float(_num(arg))
        return terms, const
    repn = generate_standard_repn(body, compute_values=True)
    return ([(float(c), v.value) for c, v in zip(repn.linear_coefs, repn.linear_vars)],
            float(repn.constant))


def row_reading(c) -> tuple[float, float, float, bool] | None:
    """``(value, bound, slack, any_nonzero)`` of a solved row (see the module docstring)."""
    terms, const = _terms(c.body)
    pos = sum(a * (x or 0.0) for a, x in terms if a > 0)
    neg = sum(a * (x or 0.0) for a, x in terms if a < 0)
    nonzero = any(abs(x or 0.0) > NONZERO for _, x in terms)
    if c.upper is not None:
        bound = float(_num(c.upper)) - const - neg
        slack = bound - pos
        return pos, bound, abs(slack) if c.equality else slack, nonzero
    bound = float(_num(c.lower)) - const - neg
    return pos, bound, pos - bound, nonzero


def _num(x) -> float:
    """A number, or the value of a Param or Param expression."""
    return x if x.__class__ in (int, float) else x()


def _round(x: float) -> float:
    r = round(x, DECIMALS)
    return 0.0 if r == 0 else r


def binding_limits(m, data, duals: dict | None = None) -> pd.DataFrame:
    """The binding rows of every registered limit the model holds.

    Parameters
    ----------
    m : pyomo.environ.ConcreteModel
        A solved model (solution loaded).
    data : ModelData
    duals : dict, optional
        Row -> dual from :func:`siting.model.duals.fixed_integer_duals`; the
        ``marginal_bn_krw_per_unit`` column is empty (NaN) for rows without one.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`: family, limit (the row group), id, period, value, bound and
        slack in ``unit``, the marginal value [bn KRW, present value, per unit more of the
        bound] and per percentage point of a share, the limit's description.
    """
    duals = duals or {}
    rows = []
    for family, limit in limits():
        comp = m.component(limit.name)
        if comp is None or not comp.active:
            continue
        for idx, c in comp.items():
            if not c.active:
                continue
            value, bound, slack, nonzero = row_reading(c)
            if not nonzero or slack > BINDING_RTOL * max(1.0, abs(value), abs(bound)):
                continue
            key = idx if isinstance(idx, tuple) else (idx,)
            scale = limit.scale(data, key) if limit.scale is not None else 1.0
            dual = duals.get(c)
            marginal = math.nan if dual is None else float(f"{dual / scale:.6g}") + 0.0
            per_pp = math.nan if limit.per_pp is None or dual is None else \
                float(f"{dual / scale * limit.per_pp(m, data, key):.6g}") + 0.0
            rows.append({"family": family.name, "limit": limit.name,
                         "id": limit.label(data, key), "period": key[limit.period_at],
                         "value": _round(value * scale), "bound": _round(bound * scale),
                         "slack": _round(max(slack, 0.0) * scale), "unit": limit.unit,
                         "marginal_bn_krw_per_unit": marginal,
                         "marginal_bn_krw_per_pp": per_pp,
                         "description": limit.description})
    return pd.DataFrame(rows, columns=COLUMNS)

"""The catalogue of sweepable parameters.

Each parameter can be applied in two ways that must give the same model:

- ``rebuild``: change the model file and/or input tables, then build a new model;
- ``resolve`` (when possible): change mutable Params of an already built model, relative
  to the values it was built with, and solve it again.

Parameters whose change would alter variable bounds computed from data (grid-node
headroom, PUE) or non-mutable coefficients (discount rate) have no ``resolve`` and force a
rebuild.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import pyomo.environ as pyo

from ..inputs.model_file import ModelFile, per_period
from ..inputs.tables import Inputs


@dataclass(frozen=True)
class SweepParameter:
    """One sweepable parameter.

    Attributes
    ----------
    name, unit, description : str
    base : callable
        ``base(model) -> float``: the base-case value implied by the model file.
    rebuild : callable
        ``rebuild(model, inputs, value) -> (model, inputs)``.
    resolve : callable or None
        ``resolve(m, snapshot, value)``: set Params of a built model from its snapshot of
        build-time values.
    params : tuple of str
        Names of the Pyomo Params ``resolve`` touches (snapshotted at build).
    """

    name: str
    unit: str
    description: str
    base: Callable[[ModelFile], float]
    rebuild: Callable[[ModelFile, Inputs, float], tuple[ModelFile, Inputs]]
    resolve: Callable | None = None
    params: tuple[str, ...] = ()


def _update(model: ModelFile, path: tuple[str, ...], value) -> ModelFile:
    """A copy of the (frozen) model file with one nested field replaced."""
    if len(path) == 1:
        return model.model_copy(update={path[0]: value})
    child = getattr(model, path[0])
    return model.model_copy(update={path[0]: _update(child, path[1:], value)})


def _scale_table(inputs: Inputs, table: str, column: str, factor: float) -> Inputs:
    df = getattr(inputs, table).copy()
    df[column] = df[column] * factor
    return replace(inputs, **{table: df})


def _scale_param(name: str):
    def apply(m, snapshot, value):
        if not hasattr(m, name):
            return
        comp = getattr(m, name)
        for idx, base in snapshot[name].items():
            comp[idx] = base * value
    return apply


def _set_param(name: str):
    def apply(m, snapshot, value):
        if not hasattr(m, name):
            return
        comp = getattr(m, name)
        for idx in snapshot[name]:
            comp[idx] = value
    return apply


def _spare_from_share(m, snapshot, value):
    base_share = snapshot["_surplus_share"]
    if not hasattr(m, "province_spare_mw"):
        return
    for idx, base in snapshot["province_spare_mw"].items():
        m.province_spare_mw[idx] = base / base_share * value if base_share > 0 else 0.0


def _scaled_renewable(model: ModelFile, inputs: Inputs, f: float):
    ren = model.constraints.renewable
    share = per_period(ren.min_share, model.periods)
    new = {str(p): (v or 0.0) * f for p, v in share.items()}
    return _update(model, ("constraints", "renewable", "min_share"), new), inputs


def _scaled_targets(model: ModelFile, inputs: Inputs, f: float):
    values = {k: v * f for k, v in model.constraints.targets.values.items()}
    return _update(model, ("constraints", "targets", "values"), values), inputs


def _absolute(path: tuple[str, ...]):
    def rebuild(model: ModelFile, inputs: Inputs, v: float):
        return _update(model, path, v), inputs
    return rebuild


def _constant_or_last(value, model: ModelFile) -> float:
    """The setting if it is the same in every period; NaN (no single base value: any swept
    value then counts as a change) if it differs between periods; 1.0 if unset."""
    vals = set(per_period(value, model.periods).values())
    if vals == {None}:
        return 1.0
    if len(vals) > 1:
        return float("nan")
    return float(vals.pop())


def same_value(a: float | None, b: float | None) -> bool:
    """Equality that treats two NaNs (no base value) as the same."""
    if a is None or b is None:
        return a is b
    return a == b or (math.isnan(float(a)) and math.isnan(float(b)))


CATALOGUE: dict[str, SweepParameter] = {p.name: p for p in [
    SweepParameter("target_scale", "x", "national targets scaled (all periods)",
                   lambda mf: 1.0, _scaled_targets, _scale_param("target_mw"),
                   ("target_mw",)),
    SweepParameter("tariff_scale", "x", "industrial tariffs scaled (all provinces)",
                   lambda mf: 1.0,
                   lambda mf, i, f: (mf, _scale_table(i, "provinces", "tariff_krw_per_kwh", f)),
                   _scale_param("tariff_krw_per_kwh"), ("tariff_krw_per_kwh",)),
    SweepParameter("capex_scale", "x", "capital cost per MW scaled (all sites)",
                   lambda mf: 1.0,
                   lambda mf, i, f: (mf, _scale_table(i, "sites", "capex_bn_krw_per_mw", f)),
                   _scale_param("capex_bn_krw_per_mw"), ("capex_bn_krw_per_mw",)),
    SweepParameter("corridor_scale", "x", "inter-provincial transfer limits scaled",
                   lambda mf: 1.0,
                   lambda mf, i, f: (mf, _scale_table(i, "corridors", "thermal_mva", f)),
                   _scale_param("arc_limit_mw"), ("arc_limit_mw",)),
    SweepParameter("renewable_share_scale", "x", "renewable minimum shares scaled",
                   lambda mf: 1.0, _scaled_renewable, _scale_param("renewable_min_share"),
                   ("renewable_min_share",)),
    SweepParameter("capital_region_max_share", "-", "capital-region cap (all periods)",
                   lambda mf: _constant_or_last(
                       mf.constraints.decentralization.capital_region_max_share, mf),
                   _absolute(("constraints", "decentralization", "capital_region_max_share")),
                   _set_param("capital_region_max_share"), ("capital_region_max_share",)),
    SweepParameter("province_max_share", "-", "cap on any one province (all periods)",
                   lambda mf: _constant_or_last(
                       mf.constraints.decentralization.province_max_share, mf),
                   _absolute(("constraints", "decentralization", "province_max_share")),
                   _set_param("province_max_share"), ("province_max_share",)),
    SweepParameter("surplus_share", "-", "share of provincial surplus open to data centres",
                   lambda mf: mf.constraints.grid.surplus_share,
                   _absolute(("constraints", "grid", "surplus_share")), _spare_from_share,
                   ("province_spare_mw",)),
    SweepParameter("headroom_scale", "x", "grid-node headroom scaled (rebuilds: it sets "
                   "variable bounds)", lambda mf: 1.0,
                   lambda mf, i, f: (mf, _scale_table(i, "grid_nodes", "headroom_mw", f))),
    SweepParameter("discount_rate", "1/yr", "real discount rate (rebuilds)",
                   lambda mf: mf.economics.discount_rate,
                   _absolute(("economics", "discount_rate"))),
]}


def restore(m: pyo.ConcreteModel, snap: dict, parameter: SweepParameter) -> None:
    """Put back the build-time values of the Params a parameter's ``resolve`` touches."""
    for name in parameter.params:
        if hasattr(m, name):
            comp = getattr(m, name)
            for idx, value in snap[name].items():
                comp[idx] = value


def snapshot(m: pyo.ConcreteModel, model: ModelFile) -> dict:
    """Build-time values of every Param a ``resolve`` may change."""
    snap: dict = {"_surplus_share": model.constraints.grid.surplus_share}
    for p in CATALOGUE.values():
        for name in p.params:
            if hasattr(m, name):
                snap[name] = {k: pyo.value(v) for k, v in getattr(m, name).items()}
            else:
                snap[name] = {}
    return snap

"""The catalogue of sweepable parameters: each family's own (declared in its module of
:mod:`siting.model.constraints`, see :class:`SweepParameter`) plus the model-wide ones.

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

import pyomo.environ as pyo

from ..inputs.model_file import ModelFile
from ..model.constraints import FAMILIES
from ..model.constraints.sweepable import SweepParameter, absolute

MODEL_WIDE = (
    SweepParameter("discount_rate", "1/yr", "real discount rate (rebuilds)",
                   lambda mf: mf.economics.discount_rate,
                   absolute(("economics", "discount_rate"))),
)
"""Sweepable settings that belong to no constraint family."""

CATALOGUE: dict[str, SweepParameter] = {
    p.name: p for p in [*(q for f in FAMILIES for q in f.sweeps), *MODEL_WIDE]}


def same_value(a: float | None, b: float | None) -> bool:
    """Equality that treats two NaNs (no base value) as the same."""
    if a is None or b is None:
        return a is b
    return a == b or (math.isnan(float(a)) and math.isnan(float(b)))


def restore(m: pyo.ConcreteModel, snap: dict, parameter: SweepParameter) -> None:
    """Put back the build-time values of the Params a parameter's ``resolve`` touches."""
    for name in parameter.params:
        comp = m.component(name)
        if comp is not None:
            for idx, value in snap[name].items():
                comp[idx] = value


def snapshot(m: pyo.ConcreteModel, model: ModelFile) -> dict:
    """Build-time values of every Param a ``resolve`` may change ({} for a Param the
    model does not hold)."""
    snap: dict = {"_surplus_share": model.constraints.grid.surplus_share}
    for p in CATALOGUE.values():
        for name in p.params:
            comp = m.component(name)
            snap[name] = {} if comp is None else {k: pyo.value(v) for k, v in comp.items()}
    return snap


__all__ = ["CATALOGUE", "SweepParameter", "restore", "same_value", "snapshot"]

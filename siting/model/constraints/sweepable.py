"""Sweepable parameters as a family declares them (:class:`SweepParameter`), and the
appliers most of them are made of.

Each parameter can be applied in two ways that must give the same model:

- ``rebuild``: change the model file and/or input tables, then build a new model;
- ``resolve`` (when possible): change mutable Params of an already built model, relative
  to the values it was built with, and solve it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...inputs.model_file import ModelFile
    from ...inputs.tables import Inputs


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


def update(model: ModelFile, path: tuple[str, ...], value) -> ModelFile:
    """A copy of the (frozen) model file with one nested field replaced."""
    if len(path) == 1:
        return model.model_copy(update={path[0]: value})
    child = getattr(model, path[0])
    return model.model_copy(update={path[0]: update(child, path[1:], value)})


def scale_table(inputs: Inputs, table: str, column: str, factor: float) -> Inputs:
    """A copy of the inputs with one column of one table scaled."""
    df = getattr(inputs, table).copy()
    df[column] = df[column] * factor
    return replace(inputs, **{table: df})


def table_scale(table: str, column: str):
    """``rebuild`` scaling one input column by the swept factor."""
    return lambda model, inputs, f: (model, scale_table(inputs, table, column, f))


def absolute(path: tuple[str, ...]):
    """``rebuild`` setting one model-file field to the swept value."""
    def rebuild(model: ModelFile, inputs: Inputs, v: float):
        return update(model, path, v), inputs
    return rebuild


def _param_applier(name: str, new):
    """``resolve`` setting each value of a Param to ``new(build-time value, swept value)``
    (nothing when the model does not hold the Param)."""
    def apply(m, snapshot, value):
        comp = m.component(name)
        for idx, base in snapshot.get(name, {}).items():
            comp[idx] = new(base, value)
    return apply


def scale_param(name: str):
    """``resolve`` scaling a Param's build-time values by the swept factor."""
    return _param_applier(name, lambda base, value: base * value)


def set_param(name: str):
    """``resolve`` setting every value of a Param to the swept value."""
    return _param_applier(name, lambda base, value: value)


def unit_base(model: ModelFile) -> float:
    """Base value of a scale factor: 1."""
    return 1.0


def period_base(path: tuple[str, ...]):
    """``base`` of a per-period setting: its value if the same in every period; NaN (no
    single base value: any swept value then counts as a change) if it differs between
    periods; 1.0 if unset."""
    from ...inputs.section import per_period

    def base(model: ModelFile) -> float:
        value = model
        for key in path:
            value = getattr(value, key)
        vals = set(per_period(value, model.periods).values())
        if vals == {None}:
            return 1.0
        if len(vals) > 1:
            return float("nan")
        return float(vals.pop())
    return base

"""What a constraint family declares (:class:`Family`), and the flat linear expressions its
rows are built from (:func:`linear`).

Bodies are built as flat :class:`~pyomo.core.expr.numeric_expr.LinearExpression` objects
from precomputed coefficients, never from nested ``sum`` over named expressions: Pyomo
then builds, and its HiGHS interface walks, one node per term.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression

from ...inputs.section import per_period
from .sweepable import SweepParameter

if TYPE_CHECKING:
    from ..data import ModelData


def linear(coefs: Iterable, variables: Iterable, constant=None) -> LinearExpression:
    """``constant + sum(c * v)`` as one flat linear expression.

    A term whose coefficient is the number 1 is stored as the bare variable (one node
    instead of three for Pyomo's expression walkers).

    Parameters
    ----------
    coefs : iterable
        Numbers or expressions of (mutable) Params.
    variables : iterable
        Pyomo variables, as many as ``coefs``.
    constant : number or Param expression, optional
    """
    args = [] if constant is None or (constant.__class__ in (int, float) and not constant) \
        else [constant]
    args += [v if c.__class__ is float and c == 1.0 else MonomialTermExpression((c, v))
             for c, v in zip(coefs, variables, strict=True)]
    return LinearExpression(args)


def _first_id(data: ModelData, idx: tuple) -> str:
    return str(idx[0]) if len(idx) > 1 else "Korea"


@dataclass(frozen=True)
class Limit:
    """A named group of rows (one Pyomo Constraint) that a planner reads as one limit.

    Attributes
    ----------
    name : str
        Name of the Pyomo Constraint (``<entity>_<quantity>[_<bound>]``), also the
        ``limit`` column of ``binding.csv`` and of a relaxation.
    description : str
        What the limit says, for a planner.
    unit : str
        Unit of the row (value, bound, slack) after ``scale``.
    message : str
        Diagnosis line for a relaxation, a format string with ``{period}``, ``{id}`` and
        ``{amount}`` (the relaxation, in ``unit``).
    goal : bool
        States what the plan must achieve (targets, commitments): relaxed only if the
        other limits alone cannot explain a conflict.
    relax : bool
        Whether the infeasibility diagnosis may relax it.
    period_at : int
        Position of the period in the row index.
    label : callable
        ``label(data, index) -> str``: the ``id`` a planner reads (default: the first
        index entry, or ``Korea`` for a national row indexed by period only).
    scale : callable or None
        ``scale(data, index) -> float``: converts the row's terms to ``unit`` (e.g. the
        module size for a row over module counts); None for 1.
    per_pp : callable or None
        ``per_pp(m, data, index) -> float``: how many ``unit`` one percentage point of the
        policy's share or rate moves the row's bound by, at the solved plan (e.g. 1 % of
        the national IT capacity for a share cap), so that ``binding.csv`` can give the
        marginal value per percentage point; None for rows that hold no share.
    """

    name: str
    description: str
    unit: str
    message: str = "{period}: {id} needs {amount:,.1f} more"
    goal: bool = False
    relax: bool = True
    period_at: int = -1
    label: Callable[[ModelData, tuple], str] = _first_id
    scale: Callable[[ModelData, tuple], float] | None = None
    per_pp: Callable[[Any, ModelData, tuple], float] | None = None


@dataclass(frozen=True)
class CostTerm:
    """A component of the objective, ``cost_<name>[p]`` [bn KRW/yr], weighted by the
    model file's ``objective.<name>``.

    ``expression(m, data)`` returns ``rule(m, p)`` giving the period's annual cost as a
    linear expression, or None when the family adds no such cost in this model (the
    component is then zero).

    ``order`` places the component in the objective and in ``costs.csv``: the first six
    keep the order of the first release, so that the matrix HiGHS receives (its column
    order follows the objective's terms) and with it its choice among equal-cost plans
    stay as they were; a new component goes last by default.
    """

    name: str
    description: str
    expression: Callable[[Any, ModelData], Callable | None]
    order: float = 100.0


def resolve_section(section, periods: list[int], period_fields: tuple[str, ...]
                    ) -> SimpleNamespace:
    """A section's settings as plain values; each of ``period_fields`` as
    ``{period: value}`` (None where the model file gives none)."""
    values = dict(section)
    for k in period_fields:
        values[k] = per_period(values[k], periods)
    return SimpleNamespace(**values)


def _always(data: ModelData) -> bool:
    return True


@dataclass(frozen=True)
class Family:
    """One constraint family, declared once in its own module and listed in
    :data:`siting.model.constraints.FAMILIES`.

    Attributes
    ----------
    name : str
        Family name: the key of its model-file section ``[constraints.<name>]``, of its
        settings in ``ModelData.settings`` and the ``family`` column of ``binding.csv``.
    add : callable
        ``add(m, data)``: adds the family's variables and rows (called only when ``on``).
    section : pydantic model class or None
        Its model-file section (None: no section, e.g. the site decisions).
    period_fields : tuple of str
        Settings of the section given per period (a number or a table by year); the data
        stage resolves them to ``{period: value}``.
    on : callable
        ``on(data) -> bool``: whether the family is in the model.
    costs : tuple of CostTerm
        Its components of the objective.
    limits : tuple of Limit
        Its named rows, for binding limits and the infeasibility diagnosis.
    sweeps : tuple of SweepParameter
        Its sweepable parameters.
    precheck : callable or None
        ``precheck(data) -> list of str``: reasons the scenario cannot be met, found by
        counting before any model is built.
    prepare : callable or None
        ``prepare(inputs, model) -> object``: the family's own numbers from the input
        tables (data stage), kept as ``ModelData.family_data[name]``.
    """

    name: str
    add: Callable[[Any, ModelData], None]
    section: type | None = None
    period_fields: tuple[str, ...] = ()
    on: Callable[[ModelData], bool] = _always
    costs: tuple[CostTerm, ...] = ()
    limits: tuple[Limit, ...] = ()
    sweeps: tuple[SweepParameter, ...] = ()
    precheck: Callable[[ModelData], list[str]] | None = None
    prepare: Callable[[Any, Any], Any] | None = None

    def settings(self, section, periods: list[int]) -> SimpleNamespace:
        """The section resolved to plain values per period (see :func:`resolve_section`)."""
        return resolve_section(section, periods, self.period_fields)

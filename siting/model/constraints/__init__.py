"""Constraint families, one function each; every function returns early when it does not apply.

Bodies are built as flat :class:`~pyomo.core.expr.numeric_expr.LinearExpression` objects
from precomputed coefficients (:func:`linear`), never from nested ``sum`` over named
expressions: Pyomo then builds, and its HiGHS interface walks, one node per term.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression


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

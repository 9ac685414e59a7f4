"""Constraint families, one function each; every function returns early when it does not apply.

Bodies are built as flat :class:`~pyomo.core.expr.numeric_expr.LinearExpression` objects
from precomputed coefficients (:func:`linear`), never from nested ``sum`` over named
expressions: Pyomo then builds, and its HiGHS interface walks, one node per term.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyomo.core.expr.numeric_expr import LinearExpression


def linear(coefs: Iterable, variables: Iterable, constant=None) -> LinearExpression:
    """``constant + sum(c * v)`` as one flat linear expression.

    Parameters
    ----------
    coefs : iterable
        Numbers or expressions of (mutable) Params.
    variables : iterable
        Pyomo variables, as many as ``coefs``.
    constant : number or Param expression, optional
    """
    return LinearExpression(constant=constant, linear_coefs=list(coefs),
                            linear_vars=list(variables))

"""The constraint families, one module each, listed once in :data:`FAMILIES`.

A family module declares everything about its rows in one :class:`Family` object
(``FAMILY``): its name and model-file section, when it is on, the function that adds its
rows, its cost terms, its named rows (binding limits, infeasibility diagnosis) and its
sweepable parameters. The model build, the objective, the results, the diagnosis, the
sweep catalogue and the model file loop over :data:`FAMILIES`; adding a family is one new
module plus one line here.
"""

from __future__ import annotations

from . import (
    decentralization,
    grid,
    policy,
    reinforcement,
    renewable,
    service,
    sites,
    supply,
    targets,
)
from .base import CostTerm, Family, Limit, linear
from .sweepable import SweepParameter

FAMILIES: list[Family] = [sites.FAMILY, targets.FAMILY, supply.FAMILY, reinforcement.FAMILY,
                          grid.FAMILY, renewable.FAMILY, decentralization.FAMILY,
                          service.FAMILY, policy.FAMILY]
"""Every family, in build order (the order their rows are added to the model): supply and
reinforcement fill the hooks (:mod:`.hooks`) the grid family reads, so they come first."""


def cost_components() -> tuple[str, ...]:
    """Names of the objective's components, by :attr:`CostTerm.order` (then registry order)."""
    terms = sorted((c for f in FAMILIES for c in f.costs), key=lambda c: c.order)
    return tuple(c.name for c in terms)


def limits() -> list[tuple[Family, Limit]]:
    """Every named row group with its family, in registry order."""
    return [(f, lim) for f in FAMILIES for lim in f.limits]


__all__ = ["FAMILIES", "CostTerm", "Family", "Limit", "SweepParameter", "cost_components",
           "limits", "linear"]

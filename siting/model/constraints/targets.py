"""Family 1: national targets and committed projects."""

from __future__ import annotations

import pyomo.environ as pyo

from ..data import ModelData
from . import linear


def add_national_target(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Installed IT capacity meets the national target in every period.

    .. math:: \\sum_s it_{s,p} \\ge T_p \\quad \\forall p

    ``T_p`` [MW IT] is the mutable Param ``target_mw`` (GPU targets are converted with
    the model file's kW per GPU).
    """
    m.target_mw = pyo.Param(m.P, initialize=data.target_mw, mutable=True, doc="[MW IT]")
    lk = data.lookup
    m.national_target = pyo.Constraint(m.P, rule=lambda m, p: (
        m.target_mw[p], linear((lk.module_mw[s] for s in lk.live[p]),
                               (m.site_modules[s, p] for s in lk.live[p])), None))


def add_committed_projects(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Committed projects: a floor on (or fixed value of) a site's IT capacity.

    A commitment made for period ``q`` holds in ``q`` and every later period (capacity
    only grows, so a floor carries forward; a fixed value fixes ``q`` only).

    .. math:: it_{s,p} \\ge F_{s,q} \\quad \\forall p \\ge q
    """
    committed = data.model.constraints.targets.committed
    if not committed:
        return
    rows = []
    for c in committed:
        periods = [p for p in data.periods if p >= c.period] if c.mode == "floor" else [c.period]
        sense = "ge" if c.mode == "floor" else "eq"
        rows += [(c.site, p, sense, c.it_mw) for p in periods]
    index = [(s, p, k) for s, p, k, _ in rows]
    value = {(s, p, k): v for s, p, k, v in rows}
    m.committed_mw = pyo.Param(index, initialize=value, mutable=True, doc="[MW IT]")

    def rule(m, s, p, sense):
        if sense == "eq":
            return m.site_it_mw[s, p] == m.committed_mw[s, p, sense]
        return m.site_it_mw[s, p] >= m.committed_mw[s, p, sense]

    m.site_committed = pyo.Constraint(index, rule=rule)

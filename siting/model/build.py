"""Stage 2b: build the Pyomo model.

Decisions per candidate site ``s`` and period ``p``: whether the site is open
(``site_open``, binary) and how many build modules it holds (``site_modules``,
integer; IT capacity = modules x module size). Both only grow over time. Each
constraint family lives in its own module of :mod:`siting.model.constraints` and is
listed in :data:`~siting.model.constraints.FAMILIES`; the build adds the families that are
on, in that order, then the objective.
"""

from __future__ import annotations

import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from .constraints import FAMILIES
from .data import ModelData
from .objective import add_objective


def build_model(data: ModelData) -> pyo.ConcreteModel:
    """Create the mixed-integer siting model.

    Parameters
    ----------
    data : ModelData
        Output of :func:`siting.model.data.prepare` (or :func:`~siting.model.data.assemble`).

    Returns
    -------
    pyomo.environ.ConcreteModel
        With sets indexed by real site, province, node, arc and zone ids, and the
        ``ModelData`` attached as ``model.data``.

    Notes
    -----
    Python's cyclic garbage collector is paused while the model is built (as Pyomo's own
    writers do): building creates and keeps tens of thousands of small objects, and the
    collector's repeated passes over them took a third of the build time at 1,000 sites.
    """
    with PauseGC():
        m = pyo.ConcreteModel(name=data.name)
        m.data = data
        add_sets(m, data)
        for family in FAMILIES:
            if family.on(data):
                family.add(m, data)
        add_objective(m, data)
        return m


def add_sets(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Index sets with real identifiers."""
    m.P = pyo.Set(initialize=data.periods, ordered=True, doc="periods [year]")
    m.S = pyo.Set(initialize=data.lookup.sites, ordered=True, doc="candidate sites")
    m.R = pyo.Set(initialize=list(data.provinces.index), ordered=True, doc="provinces")
    m.N = pyo.Set(initialize=list(data.grid_nodes.index), ordered=True, doc="grid nodes")

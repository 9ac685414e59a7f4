"""Stage 2b: build the Pyomo model.

Decisions per candidate site ``s`` and period ``p``: whether the site is open
(``site_open``, binary) and how many build modules it holds (``site_modules``,
integer; IT capacity = modules x module size). Both only grow over time. Each
constraint family lives in :mod:`siting.model.constraints` and is switched on by the
model file.
"""

from __future__ import annotations

import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from .constraints import decentralization, grid, linear, renewable, service, targets
from .data import ModelData
from .objective import add_objective


def build_model(data: ModelData) -> pyo.ConcreteModel:
    """Create the mixed-integer siting model.

    Parameters
    ----------
    data : ModelData
        Output of :func:`siting.model.data.prepare`.

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
        return _build(data)


def _build(data: ModelData) -> pyo.ConcreteModel:
    m = pyo.ConcreteModel(name=data.model.name)
    m.data = data
    add_sets(m, data)
    add_site_decisions(m, data)
    cons = data.model.constraints
    if cons.targets.enabled:
        targets.add_national_target(m, data)
    targets.add_committed_projects(m, data)
    if cons.grid.enabled:
        if cons.grid.node_headroom:
            grid.add_node_headroom(m, data)
        if cons.grid.province_balance:
            grid.add_province_balance(m, data)
    if cons.renewable.enabled:
        renewable.add_renewable_share(m, data)
    if cons.decentralization.enabled:
        decentralization.add_capital_region_cap(m, data)
        decentralization.add_province_cap(m, data)
        decentralization.add_min_host_provinces(m, data)
    service.add_service_demand(m, data)
    add_objective(m, data)
    return m


def add_sets(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Index sets with real identifiers."""
    m.P = pyo.Set(initialize=data.periods, ordered=True, doc="periods [year]")
    m.S = pyo.Set(initialize=data.lookup.sites, ordered=True, doc="candidate sites")
    m.R = pyo.Set(initialize=list(data.provinces.index), ordered=True, doc="provinces")
    m.N = pyo.Set(initialize=list(data.grid_nodes.index), ordered=True, doc="grid nodes")


def add_site_decisions(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Open/size decisions, module linking, staging and availability.

    ``site_modules[s,p] <= max_modules[s] * site_open[s,p]`` and
    ``site_modules[s,p] >= site_open[s,p]`` (an open site holds at least one module);
    ``site_open`` and ``site_modules`` are non-decreasing in ``p``; both are fixed to
    zero before the site's ``available_from`` year (and at sites that cannot hold a
    module), and such fixed pairs appear in no constraint.

    ``max_modules`` is already the tightest bound the data give (site size, module size
    and, with node headroom on, the node's headroom over the module's facility power).
    """
    lk = data.lookup
    max_mod = lk.max_modules
    m.site_open = pyo.Var(m.S, m.P, domain=pyo.Binary, doc="site open by period")
    m.site_modules = pyo.Var(m.S, m.P, domain=pyo.NonNegativeIntegers,
                             bounds=lambda _, i, p: (0, max_mod[i]), doc="modules installed")
    m.module_mw = pyo.Param(m.S, initialize=lk.module_mw, doc="[MW IT]")
    m.pue = pyo.Param(m.S, initialize=lk.pue, doc="[-] (not mutable: node headroom sets "
                      "the modules' upper bounds from it; change it by rebuilding)")
    mod, op = dict(m.site_modules.items()), dict(m.site_open.items())  # plain dict lookups
    m.site_it_mw = pyo.Expression(m.S, m.P, doc="[MW IT]", initialize={
        (i, p): lk.module_mw[i] * mod[i, p] for i in lk.sites for p in data.periods})
    m.site_facility_mw = pyo.Expression(m.S, m.P, doc="[MW]", initialize={
        (i, p): lk.pue[i] * lk.module_mw[i] * mod[i, p] for i in lk.sites for p in data.periods})
    live = lk.live_pairs
    m.site_modules_upper = pyo.Constraint(live, rule=lambda m, i, p: (
        None, linear((1.0, -float(max_mod[i])), (mod[i, p], op[i, p])), 0.0))
    m.site_modules_lower = pyo.Constraint(live, rule=lambda m, i, p: (
        0.0, linear((1.0, -1.0), (mod[i, p], op[i, p])), None))
    prev = dict(zip(data.periods[1:], data.periods[:-1]))
    live_set = set(live)
    later = [(i, p) for i, p in live if p in prev and (i, prev[p]) in live_set]
    m.site_open_staging = pyo.Constraint(later, rule=lambda m, i, p: (
        0.0, linear((1.0, -1.0), (op[i, p], op[i, prev[p]])), None))
    m.site_modules_staging = pyo.Constraint(later, rule=lambda m, i, p: (
        0.0, linear((1.0, -1.0), (mod[i, p], mod[i, prev[p]])), None))
    for i in lk.sites:
        for p in data.periods:
            if (i, p) not in live_set:
                op[i, p].fix(0)
                mod[i, p].fix(0)

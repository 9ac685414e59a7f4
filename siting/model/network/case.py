"""One period's network case: base flows, PTDF, limits after the base-overload rule, and
the supply response (:class:`NetworkCase`, :func:`network_cases`).

**PTDF convention.** ``ptdf.loc[branch, bus]`` is the change of the branch's flow
(``bus0`` -> ``bus1``) [MW] when 1 MW is injected at ``bus`` and withdrawn at the slack
bus of its AC sub-network (PyPSA's ``SubNetwork.calculate_PTDF``: a single slack, the
first bus of ``buses_o``; 0 for buses of other sub-networks). The model balances every
change within each sub-network (new draws = supply responses + HVDC imports), so its
flows do not depend on the slack. Coefficients with ``|PTDF| < ptdf_tolerance`` are set
to 0: a change of ``x`` MW at one bus then moves a branch's modelled flow by less than
``ptdf_tolerance * x`` from the exact DC flow, and a balanced change of ``D`` MW drawn and
``D`` MW supplied by less than ``2 * ptdf_tolerance * D``.

**Base-overload rule ("no worse than the base case").** A branch's limit in a snapshot is

.. math:: L_{l,s} = s_{max} \\, S_l \\quad \\text{if } |f^0_{l,s}| \\le s_{max} S_l,
          \\qquad L_{l,s} = |f^0_{l,s}| + a \\, S_l \\quad \\text{otherwise}

with ``S_l`` its thermal rating [MVA taken as MW], ``s_max`` the N-1 proxy ``s_max_pu``
(0.7), ``f^0`` the base flow and ``a`` the de-minimis ``overload_allowance_pu``. A branch
already above ``s_max S_l`` in the base case keeps its base flow as the limit, so new load
may not raise its overload in the direction of the base flow by more than ``a S_l`` (and
may relieve it). Such branches are listed in ``base_overloads``. ``a`` (0.01 in the
default scenario, **assumption**) is the usual de-minimis of an overload test: with
``a = 0`` a single 40 MW module in Jeonnam is refused in 2035 because it moves 0.3 MW onto
a 154 kV line that the base case itself overloads. Reason: with ``s_max_pu`` 0.7 the merit-order base case of 2030 and
2035 overloads lines into Seoul and Incheon at peak, a fact of today's grid (KEPCO refuses
new large loads there) rather than something a data-centre plan must repair.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .dispatch import base_dispatch, responders
from .network import branch_flows, in_service, indexed, pypsa_network


@dataclass(frozen=True)
class NetworkCase:
    """The network of one period as plain tables for the grid family.

    Attributes
    ----------
    period : int
    snapshots : list of str
        Snapshot ids (``network_snapshots.snapshot_id``).
    buses : list of str
        Every AC bus.
    branches : list of str
        ``Line:<line_id>`` and ``Transformer:<transformer_id>`` in service.
    branch_info : DataFrame
        Per branch: ``kind``, ``bus0``, ``bus1``, ``voltage_kv`` (the higher side of a
        transformer), ``voltage`` (label, e.g. ``154/345``), ``s_nom_mva``,
        ``station0``/``station1``, ``province0``/``province1``, ``lon0``/``lat0``,
        ``lon1``/``lat1`` [degree], ``name`` (planner label).
    ptdf : DataFrame
        Branch x bus [MW/MW], convention in the module docstring.
    base_flow_mw : DataFrame
        Branch x snapshot base flow bus0 -> bus1 [MW] (PyPSA ``lpf``).
    limit_mw : DataFrame
        Branch x snapshot limit [MW] after the base-overload rule.
    responders : DataFrame
        Supply response per bus, carrier and snapshot (:func:`~.dispatch.responders`).
    links : DataFrame
        HVDC links in service: ``bus0``, ``bus1``, ``p_nom_mw``, ``name`` and per
        snapshot the base flow in ``base_<snapshot>`` [MW].
    base_overloads : DataFrame
        Branch-snapshot pairs above ``s_max_pu`` x rating in the base case.
    sub_network : dict of str to str
        AC sub-network of each bus (``mainland``, ``jeju``).
    dispatch : DataFrame
        Generator x snapshot base output [MW] (for the independent load-flow check).
    """

    period: int
    snapshots: list[str]
    buses: list[str]
    branches: list[str]
    branch_info: pd.DataFrame
    ptdf: pd.DataFrame
    base_flow_mw: pd.DataFrame
    limit_mw: pd.DataFrame
    responders: pd.DataFrame
    links: pd.DataFrame
    base_overloads: pd.DataFrame
    sub_network: dict[str, str]
    dispatch: pd.DataFrame


def _setting(settings, name: str, default):
    if settings is None:
        return default
    if isinstance(settings, Mapping):
        return settings.get(name, default)
    return getattr(settings, name, default)


def branch_table(t: dict[str, pd.DataFrame], period: int) -> pd.DataFrame:
    """The branches in service with their ends, voltage, rating and a planner's name."""
    live = in_service(t, period)
    b = t["network_buses"]
    ln, tr = live["lines"], live["transformers"]
    lines = pd.DataFrame({"kind": "line", "bus0": ln["bus0"], "bus1": ln["bus1"],
                          "voltage_kv": ln["voltage_kv"].astype(float),
                          "voltage": ln["voltage_kv"].astype(int).astype(str),
                          "s_nom_mva": ln["s_nom_mva"].astype(float)})
    lines.index = [f"Line:{i}" for i in ln.index]
    lo = tr[["voltage_kv0", "voltage_kv1"]].astype(int)
    trans = pd.DataFrame({"kind": "transformer", "bus0": tr["bus0"], "bus1": tr["bus1"],
                          "voltage_kv": lo.max(axis=1).astype(float),
                          "voltage": lo.min(axis=1).astype(str) + "/"
                          + lo.max(axis=1).astype(str),
                          "s_nom_mva": tr["s_nom_mva"].astype(float)})
    trans.index = [f"Transformer:{i}" for i in tr.index]
    info = pd.concat([lines, trans])
    label = bus_labels(b)
    for end in ("0", "1"):
        info["station" + end] = info["bus" + end].map(label)
        info["province" + end] = info["bus" + end].map(b["province_id"])
        info["lon" + end] = info["bus" + end].map(b["lon"]).astype(float)
        info["lat" + end] = info["bus" + end].map(b["lat"]).astype(float)
    info["name"] = [f"{v} kV {s0} - {s1}" if k == "line" else f"{v} kV transformer at {s0}"
                    for k, v, s0, s1 in zip(info["kind"], info["voltage"], info["station0"],
                                            info["station1"])]
    info.index.name = "branch"
    return info


def bus_labels(buses: pd.DataFrame) -> pd.Series:
    """A planner's label of each bus: ``<province> <name>`` (the shipped names are the NGII
    district the station lies in), with the station id appended where one name covers
    several stations; ``<province> <station_id>`` for a bus without a name."""
    name = buses["name"].map(lambda v: "" if pd.isna(v) else str(v).strip()) \
        if "name" in buses else pd.Series("", index=buses.index)
    station = buses["station_id"].astype(str)
    shared = station.groupby(name).transform("nunique") > 1
    short = station.str.replace("osm_station_", "#", regex=False)
    label = name.where(~shared, name + " " + short).where(name != "", station)
    return buses["province_id"].astype(str) + " " + label


def ptdf_table(n, branches: list[str], buses: list[str], tolerance: float) -> pd.DataFrame:
    """PyPSA's sub-network PTDFs as one branch x bus table, ``|coef| < tolerance`` -> 0."""
    out = pd.DataFrame(0.0, index=branches, columns=buses)
    for sn in n.sub_networks.obj if hasattr(n.sub_networks, "obj") else \
            n.c.sub_networks.static.obj:
        if not len(sn.branches_i(active_only=True)):
            continue
        sn.calculate_PTDF()
        rows = [f"{c}:{i}" for c, i in sn.branches_i(active_only=True)]
        out.loc[rows, list(sn.buses_o)] = sn.PTDF
    values = out.to_numpy(copy=True)
    values[np.abs(values) < tolerance] = 0.0
    return pd.DataFrame(values, index=out.index, columns=out.columns)


def _overloads(info: pd.DataFrame, flows: pd.DataFrame, over: pd.DataFrame,
               rating: pd.Series) -> pd.DataFrame:
    rows = [{"branch": br, "snapshot": s, "name": info.at[br, "name"],
             "voltage": info.at[br, "voltage"], "base_flow_mw": float(flows.at[br, s]),
             "rating_limit_mw": float(rating[br]),
             "loading_pct": 100.0 * abs(float(flows.at[br, s]))
             / float(info.at[br, "s_nom_mva"])}
            for br in flows.index for s in flows.columns if over.at[br, s]]
    return pd.DataFrame(rows, columns=["branch", "snapshot", "name", "voltage",
                                       "base_flow_mw", "rating_limit_mw", "loading_pct"])


def _case(t, period: int, settings, base, flows: pd.DataFrame, ptdf: pd.DataFrame,
          info: pd.DataFrame) -> NetworkCase:
    """The case of one period from its base case, base flows and PTDF."""
    s_max = float(_setting(settings, "s_max_pu", 0.7))
    allowance = float(_setting(settings, "overload_allowance_pu", 0.0))
    rating = info["s_nom_mva"] * s_max
    over = flows.abs().sub(rating, axis=0) > 1e-6
    limit = flows.abs().add(allowance * info["s_nom_mva"], axis=0).where(
        over, pd.DataFrame({s: rating for s in flows.columns}))
    links = in_service(t, period)["links"][["name", "bus0", "bus1", "p_nom_mw"]].copy()
    for s in base.link_flow.columns:
        links[f"base_{s}"] = base.link_flow.loc[links.index, s]
    live = in_service(t, period)["generators"].index
    return NetworkCase(period=period, snapshots=list(flows.columns),
                       buses=list(t["network_buses"].index), branches=list(info.index),
                       branch_info=info, ptdf=ptdf, base_flow_mw=flows, limit_mw=limit,
                       responders=responders(t, period, base), links=links,
                       base_overloads=_overloads(info, flows, over, rating),
                       sub_network=t["network_buses"]["sub_network"].to_dict(),
                       dispatch=base.dispatch.loc[live])


def network_case(t: dict[str, pd.DataFrame], period: int, settings=None) -> NetworkCase:
    """The :class:`NetworkCase` of one period (tables already :func:`indexed`)."""
    return network_cases(t, [period], settings)[period]


def network_cases(tables: Mapping[str, pd.DataFrame], periods, settings=None
                  ) -> dict[int, NetworkCase]:
    """The :class:`NetworkCase` of every period.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        The network tables by file name (``network_buses``, ``network_lines``,
        ``network_transformers``, ``network_links``, ``network_generators``,
        ``network_demand``, ``network_snapshots``), as loaded by
        :func:`siting.load_inputs` or :func:`~.network.read_network_tables`.
    periods : iterable of int
    settings : object or mapping, optional
        The grid section: ``s_max_pu`` (0.7), ``ptdf_tolerance`` (1e-4),
        ``hvdc_base_loading`` (1.0), ``overload_allowance_pu`` (0).
    """
    t = indexed(tables)
    tol = float(_setting(settings, "ptdf_tolerance", 1e-4))
    loading = float(_setting(settings, "hvdc_base_loading", 1.0))
    periods = sorted(int(p) for p in periods)
    bases = {p: base_dispatch(t, p, loading) for p in periods}
    infos = {p: branch_table(t, p) for p in periods}
    same: dict[tuple, list[int]] = {}
    for p in periods:  # periods with the same branches share one network and PTDF
        same.setdefault(tuple(infos[p].index), []).append(p)
    out = {}
    for group in same.values():
        gens = sorted(set().union(*(bases[p].dispatch.index for p in group)))
        links = sorted(set().union(*(bases[p].link_flow.index for p in group)))
        dispatch = pd.concat([bases[p].dispatch.reindex(gens, fill_value=0.0)
                              for p in group], axis=1)
        flow = pd.concat([bases[p].link_flow.reindex(links, fill_value=0.0) for p in group],
                         axis=1)
        n = pypsa_network(t, group, dispatch, flow)
        info = infos[group[-1]]
        flows = branch_flows(n).loc[list(info.index)]
        ptdf = ptdf_table(n, list(info.index), list(t["network_buses"].index), tol)
        for p in group:
            out[p] = _case(t, p, settings, bases[p], flows[list(bases[p].dispatch.columns)],
                           ptdf, info)
    return {p: out[p] for p in periods}

"""The period's AC network as a :class:`pypsa.Network`, and its DC load flow.

Components in service in period ``t``:

- lines and transformers with ``in_service_from <= t``;
- HVDC links with ``in_service_from <= t`` (controllable flows, ``p_set`` given);
- generators with ``commission_year <= t`` (or empty) and not ``retire_year <= t``.

Loads are the provinces' peak demand of the period spread over buses by ``load_share``
(:func:`bus_load_mw`), scaled per snapshot by the snapshot's ``load_factor``.

PyPSA's conventions are kept: lines take their series reactance in Ohm (``x`` =
``x_ohm``), transformers in per unit on their own rating (``x`` = ``x_pu`` [on 100 MVA]
x ``s_nom`` / 100); PyPSA's per-unit base is 1 MVA, so its PTDF is in MW per MW.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

TABLES = ("network_buses", "network_lines", "network_transformers", "network_links",
          "network_generators", "network_demand", "network_snapshots")
"""The network tables, by their file names in ``data/`` (``<name>.csv``)."""

_KEYS = {"network_buses": "bus_id", "network_lines": "line_id",
         "network_transformers": "transformer_id", "network_links": "link_id",
         "network_generators": "generator_id", "network_demand": "demand_id",
         "network_snapshots": "snapshot_id"}


def read_network_tables(folder) -> dict[str, pd.DataFrame]:
    """The seven network tables of a folder (plain pandas, no validation), each indexed
    by its id column. The model reads them through :func:`siting.load_inputs`."""
    from pathlib import Path
    out = {}
    for name in TABLES:
        df = pd.read_csv(Path(folder) / f"{name}.csv", keep_default_na=True)
        out[name] = df.set_index(_KEYS[name])
    return out


def indexed(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Each table indexed by its id column (as :class:`~siting.inputs.tables.Inputs`
    holds them); a table given with its id as a column is indexed here."""
    out = {}
    for name in TABLES:
        df = tables[name]
        key = _KEYS[name]
        if df.index.name != key:
            df = df.set_index(key)
        out[name] = df.sort_index()
    return out


def in_service(t: dict[str, pd.DataFrame], period: int) -> dict[str, pd.DataFrame]:
    """The lines, transformers, links and generators in service in ``period``."""
    gens = t["network_generators"]
    com = pd.to_numeric(gens["commission_year"], errors="coerce")
    ret = pd.to_numeric(gens["retire_year"], errors="coerce")
    live = (com.isna() | (com <= period)) & (ret.isna() | (ret > period))
    return {
        "lines": t["network_lines"][t["network_lines"]["in_service_from"] <= period],
        "transformers": t["network_transformers"][
            t["network_transformers"]["in_service_from"] <= period],
        "links": t["network_links"][t["network_links"]["in_service_from"] <= period],
        "generators": gens[live],
    }


def bus_load_mw(t: dict[str, pd.DataFrame], period: int) -> pd.Series:
    """Peak load of each bus in ``period`` [MW]: the bus's province's ``peak_mw`` x the
    bus's ``load_share`` (shares sum to 1 per province)."""
    d = t["network_demand"]
    peak = d[d["period"] == period].set_index("province_id")["peak_mw"]
    if peak.empty:
        raise ValueError(f"network_demand.csv has no rows for period {period}")
    b = t["network_buses"]
    return (b["province_id"].map(peak).fillna(0.0) * b["load_share"]).astype(float)


def snapshots(t: dict[str, pd.DataFrame], period: int) -> pd.DataFrame:
    """The period's snapshots (``load_factor``, availabilities), in id order."""
    s = t["network_snapshots"]
    s = s[s["period"] == period]
    if s.empty:
        raise ValueError(f"network_snapshots.csv has no rows for period {period}")
    return s.sort_index()


def pypsa_network(t: dict[str, pd.DataFrame], periods, dispatch: pd.DataFrame,
                  link_flow: pd.DataFrame, extra: pd.DataFrame | None = None):
    """The network of one or more periods with a given dispatch, ready for
    :meth:`pypsa.Network.lpf`.

    Parameters
    ----------
    t : dict of DataFrame
        The network tables (:func:`indexed`).
    periods : int or list of int
        Periods whose snapshots ``dispatch`` holds; their lines and transformers in
        service must be the same (those of the last period are used).
    dispatch : DataFrame
        Generator x snapshot output [MW] (0 where a unit is out of service).
    link_flow : DataFrame
        Link x snapshot flow from ``bus0`` to ``bus1`` [MW].
    extra : DataFrame, optional
        Bus x snapshot net injection added on top [MW] (new loads negative, supply
        responses positive), as one extra load per bus.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import pypsa

        logging.getLogger("pypsa").setLevel(logging.ERROR)
        periods = [periods] if isinstance(periods, int | np.integer) else list(periods)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            return _network(pypsa, t, periods, dispatch, link_flow, extra)
    finally:
        # pypsa gives the root logger a stderr handler at INFO level on first use; without
        # this every library's INFO lines (pyogrio's "Created 42 records") reach the planner
        for h in root.handlers[:]:
            if h not in handlers:
                root.removeHandler(h)
        root.setLevel(level)


def _network(pypsa, t, periods, dispatch, link_flow, extra):
    live = in_service(t, max(periods))
    snaps = list(dispatch.columns)
    n = pypsa.Network()
    n.set_snapshots(snaps)
    b = t["network_buses"]
    n.add("Bus", b.index, v_nom=b["voltage_kv"].astype(float).to_numpy(),
          x=b["lon"].to_numpy(), y=b["lat"].to_numpy(), carrier="AC")
    ln = live["lines"]
    n.add("Line", ln.index, bus0=ln["bus0"].to_numpy(), bus1=ln["bus1"].to_numpy(),
          x=ln["x_ohm"].astype(float).to_numpy(), r=0.0,
          s_nom=ln["s_nom_mva"].astype(float).to_numpy())
    tr = live["transformers"]
    n.add("Transformer", tr.index, bus0=tr["bus0"].to_numpy(), bus1=tr["bus1"].to_numpy(),
          x=(tr["x_pu"].astype(float) * tr["s_nom_mva"].astype(float) / 100.0).to_numpy(),
          r=0.0, s_nom=tr["s_nom_mva"].astype(float).to_numpy())
    lk = t["network_links"].loc[link_flow.index]
    if len(lk):
        n.add("Link", lk.index, bus0=lk["bus0"].to_numpy(), bus1=lk["bus1"].to_numpy(),
              p_nom=lk["p_nom_mw"].astype(float).to_numpy(), p_min_pu=-1.0, efficiency=1.0,
              p_set=link_flow[snaps].T)
    g = t["network_generators"].loc[dispatch.index]
    n.add("Generator", g.index, bus=g["bus"].to_numpy(),
          p_nom=g["p_nom_mw"].astype(float).to_numpy(), p_set=dispatch[snaps].T)
    sn = pd.concat([snapshots(t, p) for p in periods])
    loads = {p: bus_load_mw(t, p) for p in periods}
    load = pd.DataFrame({s: loads[int(sn.at[s, "period"])] * float(sn.at[s, "load_factor"])
                         for s in snaps})
    load = load[(load > 0).any(axis=1)]
    names = [f"load_{i}" for i in load.index]
    n.add("Load", names, bus=load.index.to_numpy(), p_set=load.T.set_axis(names, axis=1))
    if extra is not None and len(extra):
        names = [f"change_{i}" for i in extra.index]
        n.add("Load", names, bus=extra.index.to_numpy(),
              p_set=(-extra[snaps]).T.set_axis(names, axis=1))
    return n


def branch_flows(n) -> pd.DataFrame:
    """Run PyPSA's linear power flow and return branch x snapshot ``p0`` [MW], indexed
    by ``Line:<id>`` / ``Transformer:<id>``."""
    n.lpf()
    parts = []
    for comp in ("Line", "Transformer"):
        p0 = n.c[comp].dynamic.p0 if hasattr(n, "c") else n.pnl(comp).p0
        if p0.shape[1]:
            parts.append(p0.T.set_axis([f"{comp}:{i}" for i in p0.columns]))
    return pd.concat(parts)

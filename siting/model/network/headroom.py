"""The network mode's node headroom, derived from the hosting capacity
(:mod:`.hosting`), and the glue that puts both into the data stage (:func:`network_hosting`).
"""

from __future__ import annotations

import pandas as pd


def node_headroom(grid_nodes: pd.DataFrame, hosting: pd.DataFrame, sites: pd.DataFrame,
                  site_bus: dict[str, str]) -> pd.DataFrame:
    """Node headroom of the network mode, derived from the hosting capacity.

    Rule: a grid node's headroom in a period is the hosting capacity of the network bus its
    sites draw from (:func:`hosting_table`, the network mode's own response model), never a
    figure set to fit a project. The hosting LP is the network mode's branch rows for that
    one load, so the rows already enforce it: no separate headroom row is built in network
    mode (it would be redundant for a lone site, would cut plans in which one site's load
    relieves another's limiting line, and would hide that line from the infeasibility
    diagnosis). The derived values are kept in ``grid_nodes`` and ``hosting.csv``.

    Parameters
    ----------
    grid_nodes : pandas.DataFrame
        Indexed by node id, with ``headroom_mw`` (the input rule, kept for nodes without
        candidate sites).
    hosting : pandas.DataFrame
        :func:`hosting_table`.
    sites : pandas.DataFrame
        Indexed by site id, with ``grid_node_id``.
    site_bus : dict of str to str

    Returns
    -------
    pandas.DataFrame
        ``grid_nodes`` with ``headroom_mw_<period>`` [MW] per period and ``headroom_mw`` the
        largest of them (the bound on a site's modules; the rows use the period's value).
    """
    out = grid_nodes.copy()
    host = hosting.set_index(["bus", "period"])["hosting_mw"]
    bus_of = {str(n): site_bus[str(s)] for s, n in zip(sites.index, sites["grid_node_id"])
              if str(s) in site_bus}
    periods = sorted(hosting["period"].unique())
    for p in periods:
        out[f"headroom_mw_{p}"] = [float(host[(bus_of[n], p)]) if n in bus_of
                                   else float(h) for n, h in zip(out.index,
                                                                 out["headroom_mw"])]
    if periods:
        out["headroom_mw"] = out[[f"headroom_mw_{p}" for p in periods]].max(axis=1)
    return out


def period_headroom(grid_nodes: pd.DataFrame, node: str, period: int) -> float:
    """Headroom of ``node`` in ``period`` [MW]: ``headroom_mw_<period>`` when the network
    mode derived one (:func:`node_headroom`), else ``headroom_mw``."""
    col = f"headroom_mw_{period}"
    return float(grid_nodes.at[node, col if col in grid_nodes.columns else "headroom_mw"])



def network_hosting(inputs, model, rows) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """Hosting capacity and node headroom of a run (data stage).

    Parameters
    ----------
    inputs : siting.inputs.tables.Inputs
    model : siting.inputs.model_file.ModelFile
    rows : NetworkRows or None
        The grid family's prepared numbers (``family_data["grid"]``); None or anything
        without ``cases`` in transport mode.

    Returns
    -------
    (pandas.DataFrame or None, pandas.DataFrame)
        ``hosting.csv`` (:func:`~.hosting.hosting_table`, None in transport mode) and the
        grid nodes (``province_id``, ``headroom_mw``; with node headroom on in network
        mode, derived by :func:`node_headroom`).
    """
    nodes = inputs.grid_nodes[["province_id", "headroom_mw"]].copy()
    if rows is None or not hasattr(rows, "cases"):
        return None, nodes
    from .hosting import hosting_table

    hosting = hosting_table(rows.cases, inputs.network_buses, rows.site_bus, rows=rows)
    if model.constraints.grid.node_headroom:
        nodes = node_headroom(nodes, hosting, inputs.sites, rows.site_bus)
    return hosting, nodes

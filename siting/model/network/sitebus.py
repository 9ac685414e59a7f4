"""Which network bus a candidate site draws its load from (:func:`site_bus`).

Rule: a site connects to its ``grid_node_id`` of ``sites.csv``; grid nodes are named by
their network bus (``osm_bus_<id>``, see ``data/README.md``, sites step 7: the nearest
345/765 kV bus, or a 154 kV bus for small sites that is much closer). A node that is not a
bus of the network (a data folder of another origin) is mapped to the nearest bus of the
same or higher voltage by geodesic distance (WGS84) from the node's coordinates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pyproj import Geod


def site_bus(sites: pd.DataFrame, grid_nodes: pd.DataFrame, buses: pd.DataFrame
             ) -> dict[str, str]:
    """Network bus of each site, by the rule of the module docstring.

    Parameters
    ----------
    sites : DataFrame
        Indexed by site id, with ``grid_node_id``.
    grid_nodes : DataFrame
        Indexed by node id, with ``lon``, ``lat``, ``voltage_kv``.
    buses : DataFrame
        ``network_buses`` indexed by bus id, with ``lon``, ``lat``, ``voltage_kv``.
    """
    geod = Geod(ellps="WGS84")
    out, cache = {}, {}
    for s, node in zip(sites.index, sites["grid_node_id"]):
        node = str(node)
        if node in buses.index:
            out[str(s)] = node
            continue
        if node not in cache:
            g = grid_nodes.loc[node]
            ok = buses[buses["voltage_kv"].astype(float) >= float(g["voltage_kv"])]
            ok = ok if len(ok) else buses
            _, _, d = geod.inv(np.full(len(ok), float(g["lon"])),
                               np.full(len(ok), float(g["lat"])),
                               ok["lon"].to_numpy(float), ok["lat"].to_numpy(float))
            cache[node] = str(ok.index[int(np.argmin(d))])
        out[str(s)] = cache[node]
    return out

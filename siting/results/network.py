"""The network mode's results: every branch's flow per period and snapshot
(``line_loading.csv``) and the changed injections behind them (``network_injections.csv``).

Flows are recomputed from the solved decisions exactly as the model's rows state them:
:math:`f = f^0 + \\Phi \\, \\Delta p` with the case's PTDF (coefficients under
``ptdf_tolerance`` dropped) and :math:`\\Delta p` the supply responses (spread over their
buses pro rata to spare capacity) less the sites' draws at their buses. The
independent check (``tests/test_network_mode.py``) recomputes them with PyPSA's ``lpf``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from ..model.constraints.grid_network import NetworkRows
from ..model.constraints.hooks import draw_terms

LOADING_COLUMNS = ["period", "snapshot", "branch", "name", "kind", "voltage", "voltage_kv",
                   "bus0", "bus1", "station0", "station1", "province0", "province1",
                   "lon0", "lat0", "lon1", "lat1", "s_nom_mva", "base_flow_mw", "flow_mw",
                   "change_mw", "limit_mw", "loading_pct", "limit_use_pct", "base_overload",
                   "monitored"]
INJECTION_COLUMNS = ["period", "snapshot", "bus", "kind", "id", "carrier", "injection_mw",
                     "premium_krw_per_mwh"]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)


def network_results(m, data) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(line_loading, injections)`` of a solved model; empty tables in transport mode.

    ``line_loading``: one row per period, snapshot and branch in service: base flow,
    flow and change [MW, bus0 -> bus1], limit [MW], loading [% of the thermal rating],
    use of the limit [%], whether the base case already overloads it and whether the model
    holds a row for it (``monitored``; the others cannot bind, see
    :mod:`siting.model.constraints.grid_network`). ``injections``: each site's draw
    (negative) and each response at its bus [MW], with the response's premium over the
    system marginal cost [KRW/MWh] (``cost_supply_response``).
    """
    nr = data.family_data.get("grid")
    if not isinstance(nr, NetworkRows):
        return _empty(LOADING_COLUMNS), _empty(INJECTION_COLUMNS)
    lk = data.lookup
    loading, inject = [], []
    monitored = {(br, s, p) for br, _, s, p in nr.rows}
    for p, case in nr.cases.items():
        draws = {}
        for i, bus in nr.site_bus.items():
            c, v = draw_terms(m, lk, [i], p)
            mw = float(sum(a * (pyo.value(x) or 0.0) for a, x in zip(c, v)))
            if abs(mw) > 1e-9:
                draws[i] = (bus, mw)
        for s in case.snapshots:
            rows = [{"period": p, "snapshot": s, "bus": b, "kind": "site_draw", "id": i,
                     "carrier": "", "injection_mw": -mw, "premium_krw_per_mwh": 0.0}
                    for i, (b, mw) in sorted(draws.items())]
            for key in (k for k in nr.groups if k[1] == s and k[2] == p):
                r = pyo.value(m.supply_response_mw[key]) or 0.0
                if r > 1e-9:
                    carrier = key[0].split("|", 1)[1]
                    rows += [{"period": p, "snapshot": s, "bus": b, "kind": "supply_response",
                              "id": key[0], "carrier": carrier, "injection_mw": r * w,
                              "premium_krw_per_mwh": round(nr.premium[key], 6)}
                             for b, w in nr.group_buses[key]]
            inject += rows
            delta = pd.DataFrame(rows, columns=INJECTION_COLUMNS).groupby("bus")["injection_mw"].sum()
            loading.append(_loading(case, s, p, delta, monitored))
    line = pd.concat(loading, ignore_index=True) if loading else _empty(LOADING_COLUMNS)
    inj = pd.DataFrame(inject, columns=INJECTION_COLUMNS)
    return line[LOADING_COLUMNS], inj


def _loading(case, s: str, p: int, delta: pd.Series, monitored: set) -> pd.DataFrame:
    info = case.branch_info
    change = case.ptdf[list(delta.index)].to_numpy() @ delta.to_numpy() if len(delta) \
        else np.zeros(len(info))
    base = case.base_flow_mw[s].to_numpy()
    flow = base + change
    limit = case.limit_mw[s].to_numpy()
    over = set(case.base_overloads.loc[case.base_overloads["snapshot"] == s, "branch"])
    out = info.reset_index()[["branch", "name", "kind", "voltage", "voltage_kv", "bus0",
                              "bus1", "station0", "station1", "province0", "province1",
                              "s_nom_mva"]]
    out.insert(0, "snapshot", s)
    out.insert(0, "period", p)
    for end in ("0", "1"):
        out["lon" + end] = info["lon" + end].to_numpy()
        out["lat" + end] = info["lat" + end].to_numpy()
    out["base_flow_mw"] = base
    out["flow_mw"] = flow
    out["change_mw"] = change
    out["limit_mw"] = limit
    out["loading_pct"] = np.round(100.0 * np.abs(flow) / info["s_nom_mva"].to_numpy(), 6)
    out["limit_use_pct"] = np.round(100.0 * np.abs(flow) / limit, 6)
    out["base_overload"] = out["branch"].isin(over)
    out["monitored"] = [(br, s, p) in monitored for br in out["branch"]]
    return out

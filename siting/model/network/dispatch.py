"""Base dispatch by merit order per snapshot, the base flows of the HVDC links, and the
units with spare capacity that can answer new load (the supply response).

Rules (each an **assumption** of the model, stated here once):

1. *Availability*: solar and wind units offer ``p_nom`` x the snapshot's
   ``solar_availability`` / ``wind_availability``; every other unit its ``p_nom`` (a
   stress hour without forced outages).
2. *Must-run*: units with ``must_run`` (nuclear) run at their availability.
3. *Jeju*: the Jeju island is reached by HVDC only. Its residual load (load less its
   must-run and zero-cost units' availability) is imported over the Jeju links, within
   their summed rating (an export if negative), split over the links pro rata to
   ``p_nom``; the rest is dispatched on Jeju by merit order. Mainland generation is
   cheaper than Jeju's oil and gas, so the links import as much as they can.
4. *Mainland HVDC links* (Bukdangjin-Godeok, the east- and west-coast links) carry
   ``hvdc_base_loading`` x ``p_nom`` from ``bus0`` (the generation coast) to ``bus1`` (the
   capital-region end) in every snapshot: they were built because the AC corridors to the
   capital region are full, and run near their rating. In the model their flow may change
   within ``[-p_nom, p_nom]``.
5. *Merit order*: per AC sub-network, the load (plus exports over links) is met by the
   units in order of ``marginal_cost_krw_per_mwh``; units of equal cost share the
   marginal step pro rata to their availability (deterministic, no row-order effect).
   The cost of the last unit dispatched is the snapshot's *system marginal cost*.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .network import bus_load_mw, in_service, snapshots

VARIABLE = {"solar": "solar_availability", "wind": "wind_availability"}


@dataclass(frozen=True)
class BaseDispatch:
    """The base case of one period.

    Attributes
    ----------
    dispatch : DataFrame
        Generator x snapshot output [MW].
    available : DataFrame
        Generator x snapshot availability [MW].
    link_flow : DataFrame
        Link x snapshot flow bus0 -> bus1 [MW].
    system_cost : DataFrame
        Sub-network x snapshot system marginal cost [KRW/MWh].
    """

    dispatch: pd.DataFrame
    available: pd.DataFrame
    link_flow: pd.DataFrame
    system_cost: pd.DataFrame


def _merit(avail: pd.Series, cost: pd.Series, must: pd.Series, load: float, where: str
           ) -> tuple[pd.Series, float]:
    """Merit-order output of units meeting ``load`` [MW], and the marginal cost."""
    out = avail.where(must, 0.0)
    rest = load - float(out.sum())
    if rest < -1e-6:
        raise ValueError(f"{where}: must-run output {out.sum():,.0f} MW exceeds the load "
                         f"{load:,.0f} MW")
    marginal = float(cost[must].max()) if must.any() else 0.0
    free = ~must & (avail > 0)
    for c in sorted(cost[free].unique()):
        if rest <= 1e-9:
            break
        step = free & (cost == c)
        cap = float(avail[step].sum())
        share = min(1.0, rest / cap)
        out[step] = avail[step] * share
        rest -= cap * share
        marginal = float(c)
    if rest > 1e-6:
        raise ValueError(f"{where}: {rest:,.0f} MW of load cannot be met by the units in "
                         "service")
    return out, marginal


def base_dispatch(t: dict[str, pd.DataFrame], period: int, hvdc_base_loading: float = 1.0
                  ) -> BaseDispatch:
    """The base case of ``period`` by the rules of the module docstring."""
    live = in_service(t, period)
    gens = live["generators"]
    bus_net = t["network_buses"]["sub_network"]
    gen_net = gens["bus"].map(bus_net)
    load = bus_load_mw(t, period)
    load_net = load.groupby(bus_net).sum()
    links = live["links"]
    end0, end1 = links["bus0"].map(bus_net), links["bus1"].map(bus_net)
    cost = gens["marginal_cost_krw_per_mwh"].astype(float)
    must = gens["must_run"].astype(str).str.lower().isin(["true", "1"])
    sn = snapshots(t, period)
    disp, avail_all, flows, sys_cost = {}, {}, {}, {}
    for s in sn.index:
        lf = float(sn.at[s, "load_factor"])
        pu = gens["carrier"].map(lambda c, s=s: float(sn.at[s, VARIABLE[c]])
                                 if c in VARIABLE else 1.0)
        avail = gens["p_nom_mw"].astype(float) * pu
        flow = pd.Series(0.0, index=links.index)
        inner = end0 == end1
        flow[inner] = hvdc_base_loading * links.loc[inner, "p_nom_mw"].astype(float)
        net_import = pd.Series(0.0, index=sorted(set(bus_net)))
        for isl in sorted(set(bus_net) - {"mainland"}):
            into = links.index[(end1 == isl) & (end0 != isl)]
            out_of = links.index[(end0 == isl) & (end1 != isl)]
            cap = float(links.loc[into.union(out_of), "p_nom_mw"].sum())
            on = gen_net == isl
            cheap = on & (must | (cost <= 0))
            residual = float(load_net.get(isl, 0.0)) * lf - float(avail[cheap].sum())
            imp = float(np.clip(residual, -cap, cap))
            share = links["p_nom_mw"].astype(float) / cap if cap else 0.0 * links["p_nom_mw"]
            flow[into] = imp * share[into]
            flow[out_of] = -imp * share[out_of]
            net_import[isl] = imp
            net_import["mainland"] = net_import.get("mainland", 0.0) - imp
        out = pd.Series(0.0, index=gens.index)
        for net in sorted(set(bus_net)):
            on = gen_net == net
            need = float(load_net.get(net, 0.0)) * lf - float(net_import.get(net, 0.0))
            out[on], sys_cost[(net, s)] = _merit(avail[on], cost[on], must[on], need,
                                                 f"period {period}, {s}, {net}")
        disp[s], avail_all[s], flows[s] = out, avail, flow
    cost_df = pd.Series(sys_cost).unstack()
    return BaseDispatch(pd.DataFrame(disp), pd.DataFrame(avail_all), pd.DataFrame(flows),
                        cost_df)


def responders(t: dict[str, pd.DataFrame], period: int, base: BaseDispatch,
               min_mw: float = 1.0) -> pd.DataFrame:
    """Spare capacity above the base dispatch, aggregated per bus, carrier and snapshot.

    Returns
    -------
    DataFrame
        One row per responder and snapshot: ``responder`` (``<bus>|<carrier>``), ``bus``,
        ``carrier``, ``snapshot``, ``sub_network``, ``spare_up_mw`` [MW],
        ``marginal_cost_krw_per_mwh`` (capacity-weighted mean of its units; the units of
        one carrier share one cost in the shipped data) and
        ``system_marginal_cost_krw_per_mwh`` of its sub-network and snapshot. Groups
        under ``min_mw`` of spare capacity are left out.
    """
    gens = in_service(t, period)["generators"].loc[base.dispatch.index]
    bus_net = t["network_buses"]["sub_network"]
    rows = []
    for s in base.dispatch.columns:
        spare = (base.available[s] - base.dispatch[s]).clip(lower=0.0)
        df = pd.DataFrame({"bus": gens["bus"], "carrier": gens["carrier"], "spare": spare,
                           "cw": spare * gens["marginal_cost_krw_per_mwh"].astype(float)})
        g = df[df["spare"] > 0].groupby(["bus", "carrier"], sort=True)[["spare", "cw"]].sum()
        g = g[g["spare"] >= min_mw]
        for (bus, carrier), r in g.iterrows():
            net = bus_net[bus]
            rows.append({"responder": f"{bus}|{carrier}", "bus": bus, "carrier": carrier,
                         "snapshot": s, "sub_network": net,
                         "spare_up_mw": round(float(r["spare"]), 6),
                         "marginal_cost_krw_per_mwh": float(r["cw"] / r["spare"]),
                         "system_marginal_cost_krw_per_mwh": float(
                             base.system_cost.at[net, s])})
    cols = ["responder", "bus", "carrier", "snapshot", "sub_network", "spare_up_mw",
            "marginal_cost_krw_per_mwh", "system_marginal_cost_krw_per_mwh"]
    return pd.DataFrame(rows, columns=cols)

"""The Korean demand side of the service family: demand points and service costs from the
optional input tables ``demand_centres``, ``demand_split`` and ``network_latency``.

Per period ``p`` and demand centre ``d`` the latency-sensitive inference demand is

.. math:: D_{d,p} = T_p \\, \\iota_p \\, \\delta_d \\quad [\\text{MW IT}]

with ``T_p`` the national target [MW IT], ``iota_p`` the inference share of the period
(``[constraints.service] inference_share``, else ``demand_split.csv``) and ``delta_d`` the
centre's ``inference_share`` in ``demand_centres.csv`` (the column sums to 1). The rest of
the target, ``(1 - iota_p) T_p``, is latency-tolerant training: it needs no service row and
may sit anywhere.

Serving 1 MW of centre ``d`` from site ``s`` for a year costs

.. math:: c_{s,d} = \\lambda \\, rtt_{s,d} \\quad [\\text{bn KRW/MW-yr}]

with ``lambda`` = ``latency_cost_bn_krw_per_mw_ms`` [bn KRW per MW per ms of round-trip time,
per year] and ``rtt`` the pair's round trip [ms] in the ``latency_column`` of
``network_latency.csv``. A pair above ``max_latency_ms`` gets no variable: the site cannot
serve that centre.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...errors import InputError, Problem
from ...inputs.section import per_period

if TYPE_CHECKING:
    from ...inputs.model_file import ModelFile
    from ...inputs.tables import Inputs

SHARE_TOL = 1e-3
"""How far the centres' ``inference_share`` may sum from 1 (the shipped shares are rounded to
4 decimals, their residual on the largest row)."""


@dataclass(frozen=True)
class DemandSide:
    """What :func:`prepare_demand` computed.

    Attributes
    ----------
    centres : list of str
        Demand centres (the service family's demand points).
    demand_mw : dict of (str, int) to float
        Inference demand per (centre, period) [MW IT].
    cost : dict of (str, str) to float
        Cost of serving 1 MW of a centre from a site for a year, for every pair within
        the latency limit [bn KRW/MW-yr].
    rtt_ms : dict of (str, str) to float
        Round-trip time of every pair within the limit [ms].
    """

    centres: list[str]
    demand_mw: dict[tuple[str, int], float]
    cost: dict[tuple[str, str], float]
    rtt_ms: dict[tuple[str, str], float]


def _file(model: ModelFile, table: str) -> str:
    return str(model.data_path(table))


def _inference_share(inputs: Inputs, model: ModelFile) -> dict[int, float]:
    """The inference share of each period [-]: the model file's, else ``demand_split``."""
    periods = list(model.periods)
    given = per_period(model.constraints.service.inference_share, periods)
    missing = [p for p in periods if given[p] is None]
    if not missing:
        return given
    split = inputs.demand_split
    if split is None:
        raise InputError([Problem(str(model.path or model.name), "the service family's demand "
                                  f"side has no inference share for periods {missing}",
                                  "give [constraints.service] inference_share or name "
                                  "demand_split in [data]", column="inference_share")])
    known = {int(p): float(v) for p, v in split["inference_share"].items()}
    absent = [p for p in missing if p not in known]
    if absent:
        raise InputError([Problem(_file(model, "demand_split"), f"no row for periods {absent} "
                                  f"of the model file", "add a row per period, or give "
                                  "[constraints.service] inference_share", column="period",
                                  value=absent[0])])
    return {p: given[p] if given[p] is not None else known[p] for p in periods}


def prepare_demand(inputs: Inputs, model: ModelFile) -> DemandSide | None:
    """The demand side from the optional tables (None when ``demand_centres`` is not named).

    Raises
    ------
    InputError
        ``network_latency`` missing, a (site, centre) pair without a latency row, centre
        shares not summing to 1, or a period without an inference share.
    """
    centres = inputs.demand_centres
    if centres is None:
        return None
    sec = model.constraints.service
    lat = inputs.network_latency
    if lat is None:
        raise InputError([Problem(str(model.path or model.name), "demand_centres is named "
                                  "but network_latency is not", "name network_latency in "
                                  "[data] (round-trip time site -> centre)",
                                  column="network_latency")])
    share = centres["inference_share"].astype(float)
    if abs(share.sum() - 1.0) > SHARE_TOL:
        raise InputError([Problem(_file(model, "demand_centres"), f"inference_share sums to "
                                  f"{share.sum():.4f}, not 1", "make the centres' shares "
                                  "add up to 1", column="inference_share",
                                  value=round(float(share.sum()), 4))])
    if sec.latency_column not in lat.columns:
        raise InputError([Problem(_file(model, "network_latency"), f"no column "
                                  f"'{sec.latency_column}' (the service section's "
                                  "latency_column)", "add the column or choose rtt_ms",
                                  column=sec.latency_column)])
    iota = _inference_share(inputs, model)
    target = model.target_mw()
    demand = {(str(d), p): target[p] * iota[p] * float(share[d])
              for d in centres.index for p in model.periods}
    rows = lat[lat["target_id"].isin(centres.index)]
    rtt = {(str(s), str(d)): float(v) for s, d, v in
           zip(rows["site_id"], rows["target_id"], rows[sec.latency_column])}
    gaps = [(s, d) for s in inputs.sites.index for d in centres.index if (s, d) not in rtt]
    if gaps:
        raise InputError([Problem(_file(model, "network_latency"), f"no round-trip time from "
                                  f"site {s} to demand centre {d}", "add the row "
                                  f"{s}|{d}", column="pair_id", value=f"{s}|{d}")
                          for s, d in gaps])
    limit = sec.max_latency_ms
    kept = {k: v for k, v in rtt.items() if limit is None or v <= limit}
    lam = sec.latency_cost_bn_krw_per_mw_ms
    return DemandSide(centres=[str(d) for d in centres.index], demand_mw=demand,
                      cost={k: lam * v for k, v in kept.items()}, rtt_ms=kept)


def unreachable(side: DemandSide) -> list[str]:
    """Centres that no site can serve within the latency limit."""
    reach = {d for _, d in side.cost}
    return [d for d in side.centres if d not in reach]

"""The report's first page, which a director reads alone: the decision in words and numbers
per period, the map, the total cost, the limits that shape the plan and what relaxing each
is worth (``binding.csv``, and ``policy_costs.csv`` when the run has one), and what would
change the answer.

All figures come from the run's CSVs (``kpis.csv``, ``provinces.csv``, ``binding.csv``,
``costs.csv``); :data:`DECISION_KPIS` lists the rows of the decision table that repeat
``kpis.csv`` (the tests compare them).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from .sections import Section, Table
from .style import bn, mw0, pct
from .words import is_goal, limit_name, place_names, short_name, tr

if TYPE_CHECKING:
    from .report import RunRecord

DECISION_KPIS = [("it_mw", "installed IT capacity [MW]", mw0),
                 ("sites_open", "sites open", lambda x: f"{int(x)}"),
                 ("provinces_used", "host provinces", lambda x: f"{int(x)}"),
                 ("capital_region_share", "capital-region share of IT MW", pct),
                 ("renewable_share", "renewable share of facility energy", pct),
                 ("present_value_bn_krw", "present value of the period [bn KRW]", bn)]
"""Rows of the decision table taken from ``kpis.csv``: (column, English label, format)."""
TOP_LIMITS = 3
"""How many limits the first page names."""


def decision_section(rec: RunRecord, map_uri: str, lang: str = "en") -> Section:
    """Page 1: decision in words, decision table, map, shaping limits, what would change."""
    k = rec.kpis.set_index("period").sort_index()
    periods = [int(p) for p in k.index]
    names = province_names(rec, lang)
    total = float(k["present_value_bn_krw"].sum())
    paras = [_decision_words(rec, k, names, lang),
             tr("Total cost over all periods: {v} bn KRW (present value).", lang, v=bn(total))]
    limits = shaping_limits(rec.binding, lang)
    tables = [decision_table(rec, k, periods, names, lang)]
    if limits.rows:
        tables.append(limits)
    if rec.policy_costs is not None and len(rec.policy_costs):
        tables.append(policy_table(rec.policy_costs, lang))
    after = [tr("What would change the answer:", lang)] + changes(rec, k, lang)
    return Section("decision", tr("Decision", lang), paras, figure=map_uri,
                   figure_alt=f"Map of run {rec.tables.run_id}", tables=tables, after=after)


def province_names(rec: RunRecord, lang: str) -> pd.Series:
    """Province name by id: the id (an English name) or ``name_ko``."""
    info = rec.tables.province_info.reset_index()
    return place_names(info.assign(name=info["province_id"]), "province_id", lang)


def _decision_words(rec: RunRecord, k: pd.DataFrame, names: pd.Series, lang: str) -> str:
    prov = rec.tables.provinces
    parts = []
    for p in k.index[-1:]:  # the last period in words; every period in the table
        row = prov[(prov["period"] == p) & (prov["it_mw"] > 0)].sort_values(
            ["it_mw", "province_id"], ascending=[False, True])
        where = ", ".join(f"{names.get(r.province_id, r.province_id)} {mw0(r.it_mw)}"
                          for r in row.itertuples())
        parts.append(tr("By {p}: {it} MW of IT capacity at {n} sites in {h} provinces "
                        "({where} MW); {cap} in the capital region, renewable share {re}.",
                        lang, p=int(p), it=mw0(k.at[p, "it_mw"]), n=int(k.at[p, "sites_open"]),
                        h=int(k.at[p, "provinces_used"]), where=where,
                        cap=pct(k.at[p, "capital_region_share"]),
                        re=pct(k.at[p, "renewable_share"])))
    return " ".join(parts)


def decision_table(rec: RunRecord, k: pd.DataFrame, periods: list[int], names: pd.Series,
                   lang: str) -> Table:
    """MW per host province and period, then the headline figures of ``kpis.csv``."""
    prov = rec.tables.provinces.pivot_table(index="province_id", columns="period",
                                            values="it_mw", aggfunc="sum")
    prov = prov[prov.max(axis=1) > 0].sort_values(max(periods), ascending=False)
    cols = {"kpi": ""} | {f"p{p}": str(p) for p in periods}
    rows = [{"kpi": f"{names.get(pid, pid)} [MW]"} | {f"p{p}": mw0(prov.at[pid, p])
                                                      for p in periods} for pid in prov.index]
    rows += [{"kpi": tr(label, lang)} | {f"p{p}": fmt(k.at[p, key]) for p in periods}
             for key, label, fmt in DECISION_KPIS if key in k.columns]
    return Table("decision", cols, rows, frozenset(cols) - {"kpi"},
                 caption=tr("IT MW by province", lang))


def shaping_limits(binding: pd.DataFrame, lang: str = "en", top: int = TOP_LIMITS) -> Table:
    """The ``top`` kinds of limit (goals left out) that shape the plan: those with the
    largest marginal value first (the most valuable row of each kind: where, period, worth
    of one unit more), then the unpriced ones (integer decisions: whole modules, sites,
    host provinces) by how many rows bind."""
    b = binding[~binding["limit"].map(is_goal)].copy()
    if not len(b):
        return Table("shaping", {}, [])
    b["worth"] = pd.to_numeric(b.get("marginal_bn_krw_per_unit"), errors="coerce").abs()
    b = b.sort_values(["worth", "period", "id"], ascending=[False, False, True],
                      na_position="last")
    rows = []
    for limit, g in b.groupby("limit", sort=False):
        best = g.iloc[0]
        priced = not math.isnan(best["worth"]) and best["worth"] > 0
        where = ", ".join(dict.fromkeys(str(x) for x in g["id"]))
        rows.append((0 if priced else 1, -(best["worth"] if priced else len(g)), limit, {
            "limit": limit_name(limit, lang),
            "where": (f"{best['id']} ({int(best['period'])})" if priced
                      else _shorten(where, 60)),
            "rows": f"{len(g)}",
            "worth": (f"{best['worth']:,.3f} per {best['unit']}" if priced
                      else tr("not priced (whole modules or sites)", lang))}))
    rows.sort(key=lambda r: r[:3])
    cols = {"limit": tr("limit", lang), "where": tr("where", lang),
            "rows": tr("binding rows", lang),
            "worth": tr("worth of one unit more [bn KRW, present value]", lang)}
    return Table("shaping", cols, [r[3] for r in rows[:top]],
                 caption=tr("The limits that shape the plan", lang))


def _shorten(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1].rsplit(", ", 1)[0] + ", …"


def policy_table(pc: pd.DataFrame, lang: str = "en") -> Table:
    """``policy_costs.csv``: each policy's total cost (objective with minus without it)."""
    cols = {"policy": tr("policy", lang), "total_cost_bn_krw": tr("total cost [bn KRW]", lang)}
    rows = []
    for r in pc.to_dict("records"):
        label = str(r.get("description") or r.get("policy", ""))
        v = r.get("total_cost_bn_krw")
        rows.append({"policy": label, "total_cost_bn_krw": "n/a" if v is None or pd.isna(v)
                     else bn(v)})
    return Table("policy_costs", cols, rows, frozenset({"total_cost_bn_krw"}),
                 caption=tr("Cost of each policy", lang))


def changes(rec: RunRecord, k: pd.DataFrame, lang: str) -> list[str]:
    """Short sentences on what would move the plan, from the binding limits and KPIs."""
    out = []
    b = rec.binding[~rec.binding["limit"].map(is_goal)]
    m = pd.to_numeric(b.get("marginal_bn_krw_per_unit"), errors="coerce").abs()
    if m.notna().any() and m.max() > 0:
        r = b.loc[m.idxmax()]
        out.append(tr("- One {unit} more for the {limit} at {id} in {p} would save about {v} "
                      "bn KRW (present value).", lang, unit=r["unit"],
                      limit=limit_name(r["limit"], lang), id=r["id"], p=int(r["period"]),
                      v=f"{m.max():,.3f}"))
    last = int(k.index.max())
    full = b[(b["limit"] == "site_modules_upper") & (b["period"] == last)]
    if len(full):
        names = place_names(rec.tables.sites, "site_id", lang).map(short_name)
        out.append(tr("- {n} sites are built to their maximum size in {p} ({sites}): larger "
                      "sites or more candidate sites would move capacity.", lang, n=len(full),
                      p=last, sites=", ".join(names.get(s, s) for s in full["id"])))
    for note in k.get("host_minimum_note", pd.Series(dtype=str)).dropna().tail(1):
        out.append(tr("- The minimum number of host provinces binds ({note}): a lower "
                      "minimum would concentrate capacity.", lang, note=note))
    if rec.policy_costs is not None and "total_cost_bn_krw" in rec.policy_costs:
        pc = rec.policy_costs.dropna(subset=["total_cost_bn_krw"])
        if len(pc):
            r = pc.loc[pc["total_cost_bn_krw"].idxmax()]
            out.append(tr("- The dearest policy is {p}: without it the plan costs {v} bn KRW "
                          "less.", lang, p=r.get("description", r.get("policy")),
                          v=bn(r["total_cost_bn_krw"])))
    return out or [tr("- No limit other than the targets binds.", lang)]

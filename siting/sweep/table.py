"""The sweep's tidy table: one row per scenario, consolidated from scenario folders.

Besides parameters (``param__``), KPIs (``kpi__``) and capacity by province (``it_mw__``),
each row has its ``status`` and, for an infeasible scenario, an ``explanation``: the
smallest relaxation that would make it feasible, in the diagnosis' planner words
(:func:`siting.model.diagnose.diagnose_infeasibility`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..outputs.atomic import atomic_path, write_errors_reported
from .worker import Outcome

SCENARIOS = "scenarios"
TABLE = "results.parquet"


def outcome_row(outcome: Outcome) -> dict:
    """Flatten an outcome: parameters, status, objective, gap, final-period KPIs and
    installed IT capacity per province (``it_mw__<province>``) for the last period."""
    row: dict = {"scenario_id": outcome.scenario_id, "status": outcome.status,
                 "explanation": outcome.explanation, "mode": outcome.mode,
                 "message": outcome.message[:2000]}
    row.update({f"param__{k}": v for k, v in outcome.params.items()})
    row.update({f"seconds__{k}": v for k, v in outcome.timings.items()})
    res = outcome.results
    if res is None:
        return row
    row.update({"objective_bn_krw": res.solve.objective, "mip_gap": res.solve.mip_gap})
    last = res.kpis.iloc[-1]
    for col in res.kpis.columns:
        if col != "period":
            row[f"kpi__{col}"] = last[col] if isinstance(last[col], str) else float(last[col])
    row["kpi__period"] = int(last["period"])
    prov = res.provinces[res.provinces["period"] == last["period"]]
    for r in prov.itertuples():
        row[f"it_mw__{r.province_id}"] = float(r.it_mw)
    return row


TRADEOFF = "tradeoff.csv"
DECIMALS = 6
"""Decimals of the trade-off table's differences [bn KRW]: solver noise (1e-11) is 0."""
TRADEOFF_PARAMS = {"capital_region_max_share": "max", "capital_region_min_share": "min"}
"""Parameters a trade-off table scans, and which end is the loosest (the cap's largest
value, the floor's smallest)."""


def tradeoff_table(table: pd.DataFrame, param: str = "capital_region_max_share"
                   ) -> pd.DataFrame:
    """Cost against a capital-region share limit, per combination of the other swept
    parameters (``tradeoff.csv``).

    Columns: the swept parameters, ``objective_bn_krw`` [bn KRW, present value],
    ``capital_region_share`` (achieved, last period [-]), ``cost_vs_loosest_bn_krw`` (the
    objective minus that of the loosest value in the same group: the total cost of the
    limit at this level [bn KRW]) and ``finite_difference_bn_krw_per_pp`` (the objective
    at the next looser value minus this one, over the percentage points between them:
    what one point looser saves, negative; empty at the loosest value [bn KRW per
    percentage point]). Only solved scenarios. Each solve stops at the MIP gap, so a
    difference below objective x ``mip_rel_gap`` is solver tolerance.
    """
    col = f"param__{param}"
    loosest = TRADEOFF_PARAMS[param]
    others = sorted(c for c in table.columns if c.startswith("param__") and c != col)
    ok = table[table["objective_bn_krw"].notna()].copy()
    ok = ok.sort_values([*others, col], ascending=[True] * len(others)
                        + [loosest == "min"])  # loosest value first in each group
    keep = ["scenario_id", *others, col, "objective_bn_krw"]
    out = ok[keep].rename(columns=lambda c: c.removeprefix("param__"))
    out["capital_region_share"] = ok.get("kpi__capital_region_share")
    key = [c.removeprefix("param__") for c in others]
    groups = out.groupby(key, dropna=False, sort=False) if key else [((), out)]
    parts = []
    for _, g in groups:
        g = g.copy()
        obj, v = g["objective_bn_krw"], g[param]
        g["cost_vs_loosest_bn_krw"] = (obj - obj.iloc[0]).round(DECIMALS) + 0.0
        g["finite_difference_bn_krw_per_pp"] = ((obj.shift(1) - obj) / (
            100.0 * (v.shift(1) - v).abs())).round(DECIMALS) + 0.0
        parts.append(g)
    res = pd.concat(parts) if parts else out.assign(cost_vs_loosest_bn_krw=[],
                                                   finite_difference_bn_krw_per_pp=[])
    return res.sort_values([*key, param]).reset_index(drop=True)


def consolidate(sweep_dir: Path) -> pd.DataFrame:
    """Read every finished scenario's ``row.json`` and write ``results.parquet`` atomically.

    Rows are sorted by scenario id, so the table does not depend on completion order.
    Each row's ``folder`` (after ``scenario_id``) is where its ``row.json`` lies, relative
    to the sweep folder (``scenarios/surplus_share=0.12``): the link from the table to the
    scenario's run folder.
    """
    sweep_dir = Path(sweep_dir)
    rows = [_linked_row(p) for p in _row_files(sweep_dir)]
    df = pd.DataFrame(rows)
    if not df.empty:
        df = df.sort_values("scenario_id").reset_index(drop=True)
    with write_errors_reported(sweep_dir, "the sweep table in"), \
            atomic_path(sweep_dir / TABLE) as tmp:
        df.to_parquet(tmp, index=False)
    return df


def _linked_row(path: Path) -> dict:
    """A scenario's ``row.json`` with ``folder`` after ``scenario_id``."""
    row = json.loads(path.read_text(encoding="utf-8"))
    return {"scenario_id": row.pop("scenario_id"),
            "folder": f"{SCENARIOS}/{path.parent.name}"} | row


def finished(sweep_dir: Path) -> set[str]:
    """Scenario ids whose folder is complete (folders appear atomically), read from their
    ``row.json`` (folders are named by parameter values, older sweeps' by scenario id)."""
    return {json.loads(p.read_text(encoding="utf-8"))["scenario_id"]
            for p in _row_files(sweep_dir)}


def _row_files(sweep_dir: Path) -> list[Path]:
    """``row.json`` of every complete scenario folder, by scenario id; the hidden
    temporary folders of a scenario being written (or of a killed sweep) are not scenarios."""
    folder = Path(sweep_dir) / SCENARIOS
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*/row.json") if not p.parent.name.startswith("."))


def read_table(sweep_dir: Path) -> pd.DataFrame:
    """The sweep table (pandas); DuckDB reads the same file with ``read_parquet``."""
    return pd.read_parquet(Path(sweep_dir) / TABLE)

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

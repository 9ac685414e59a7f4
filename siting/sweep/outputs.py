"""Write a sweep's charts and workbook next to its table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..inputs.model_file import load_model_file
from ..outputs import reader
from ..outputs.atomic import atomic_path, write_errors_reported
from ..outputs.workbook import WORKBOOK, write_workbook
from .charts import plot_pareto, plot_small_multiples, plot_tornado, plot_tradeoff
from .table import TRADEOFF, TRADEOFF_PARAMS, read_table, tradeoff_table


def write_charts(sweep_dir: str | Path, scenario_ids: list[str] | None = None) -> list[Path]:
    """Draw the charts the sweep's design supports.

    ``tornado.png`` for a one-at-a-time design, ``pareto.png`` for a Pareto scan,
    ``tradeoff.png`` and ``tradeoff.csv`` (:func:`~siting.sweep.table.tradeoff_table`) for a
    grid or Pareto design that scans a capital-region share limit, and ``multiples.png``
    (capacity by province across scenarios) for every design.
    ``sweep.json``'s ``base_path`` is relative to the sweep folder (older sweeps: absolute).
    """
    sweep_dir = Path(sweep_dir)
    with write_errors_reported(sweep_dir, "the charts into"):
        return _write_charts(sweep_dir, scenario_ids)


def _write_charts(sweep_dir: Path, scenario_ids: list[str] | None) -> list[Path]:
    meta = reader.read_json(sweep_dir / "sweep.json")
    table = read_table(sweep_dir)
    written = []
    method = meta["design"]["method"]
    if method == "oat":
        written.append(_save(plot_tornado(table, meta["base_values"]), sweep_dir / "tornado.png"))
    if method == "pareto":
        written.append(_save(plot_pareto(table), sweep_dir / "pareto.png"))
    scanned = [p for p in TRADEOFF_PARAMS if f"param__{p}" in table.columns]
    if method in ("grid", "pareto") and scanned:
        trade = tradeoff_table(table, scanned[0])
        with atomic_path(sweep_dir / TRADEOFF) as tmp:
            trade.to_csv(tmp, index=False)
        written += [sweep_dir / TRADEOFF,
                    _save(plot_tradeoff(trade, scanned[0]), sweep_dir / "tradeoff.png")]
    provinces = _base_provinces(sweep_dir, meta)
    written.append(_save(plot_small_multiples(table, provinces, scenario_ids,
                                              base_values=meta["base_values"]),
                         sweep_dir / "multiples.png"))
    return written


def write_sweep_workbook(sweep_dir: str | Path, table: pd.DataFrame | None = None,
                         names_ko: dict[str, str] | None = None) -> Path:
    """Write ``results.xlsx`` of a sweep folder atomically (:mod:`siting.outputs.workbook`).

    Sheets: ``sweep`` (what was varied and how, scenarios by status), ``parameters``
    (unit, description, base value and values of each swept parameter) and ``scenarios``
    (the sweep table, one row per scenario: its folder, linked to the scenario's own
    workbook, status, the explanation of an infeasible one, parameters, KPIs and IT
    capacity by province with the province's Korean name in the header).

    Parameters
    ----------
    table : pandas.DataFrame, optional
        The sweep table (default: read ``results.parquet``).
    names_ko : dict, optional
        Province id -> Korean name (default: from the base model's ``provinces.csv``).
    """
    sweep_dir = Path(sweep_dir)
    meta = reader.read_json(sweep_dir / "sweep.json")
    table = read_table(sweep_dir) if table is None else table
    if names_ko is None:
        names_ko = _base_provinces(sweep_dir, meta)["name_ko"].to_dict()
    path = sweep_dir / WORKBOOK
    sheets, links = sweep_sheets(meta, table, names_ko, sweep_dir)
    with write_errors_reported(sweep_dir, "the workbook into"), atomic_path(path) as tmp:
        write_workbook(tmp, sheets, links={"scenarios": links})
    return path


def sweep_sheets(meta: dict, table: pd.DataFrame, names_ko: dict[str, str],
                 sweep_dir: Path) -> tuple[dict[str, pd.DataFrame], pd.Series]:
    """The sheets of :func:`write_sweep_workbook` and the links of the scenario rows."""
    from .parameters import CATALOGUE

    counts = table["status"].value_counts().sort_index() if "status" in table else {}
    about = [("sweep", meta.get("name")), ("design", meta.get("design", {}).get("method")),
             ("base model", meta.get("base_path")), ("scenarios", len(table))]
    about += [(f"scenarios {k}", int(v)) for k, v in dict(counts).items()]
    about += [("how to read", ("one row per scenario in 'scenarios'; its folder (named by "
                              "the parameter values that differ from the base case) links "
                              "to the scenario's own workbook; units in brackets"))]
    params = [{"parameter": n, "unit": CATALOGUE[n].unit if n in CATALOGUE else "",
               "description": CATALOGUE[n].description if n in CATALOGUE else "",
               "base value": meta.get("base_values", {}).get(n),
               "values": ", ".join(f"{v:g}" for v in (spec.get("values")
                                                      or spec.get("range") or []))}
              for n, spec in meta.get("parameters", {}).items()]
    first = [c for c in ("folder", "scenario_id", "status", "explanation") if c in table]
    rest = [c for c in table.columns if c not in first and c not in ("mode", "message")]
    last = [c for c in ("mode", "message") if c in table]
    rows = table[first + rest + last].rename(columns={
        c: f"{c} {names_ko[c.removeprefix('it_mw__')]}" for c in table.columns
        if c.startswith("it_mw__") and c.removeprefix("it_mw__") in names_ko})
    folders = table["folder"] if "folder" in table else pd.Series("", index=table.index)
    links = folders.map(lambda f: f"{f}/{WORKBOOK}" if (sweep_dir / str(f) / WORKBOOK)
                        .is_file() else str(f))
    sheets = {"sweep": pd.DataFrame(about, columns=["item", "entry"]),
              "parameters": pd.DataFrame(params, columns=["parameter", "unit", "description",
                                                          "base value", "values"]),
              "scenarios": rows}
    return sheets, links


def _base_provinces(sweep_dir: Path, meta: dict) -> pd.DataFrame:
    return reader.province_table(reader.read_table(
        load_model_file(sweep_dir / meta["base_path"]).data_path("provinces"),
        ("province_id", "name_ko", "admin_code", "capital_region"), dtype={"admin_code": str}))


def _save(fig, path: Path) -> Path:
    import matplotlib.pyplot as plt

    try:
        with atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=200, bbox_inches="tight")
    finally:
        plt.close(fig)
    return path

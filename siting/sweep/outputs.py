"""Write a sweep's charts next to its table."""

from __future__ import annotations

from pathlib import Path

from ..inputs.model_file import load_model_file
from ..outputs import reader
from ..outputs.atomic import atomic_path, write_errors_reported
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
    provinces = reader.province_table(reader.read_table(
        load_model_file(sweep_dir / meta["base_path"]).data_path("provinces"),
        ("province_id", "name_ko", "admin_code", "capital_region"), dtype={"admin_code": str}))
    written.append(_save(plot_small_multiples(table, provinces, scenario_ids,
                                              base_values=meta["base_values"]),
                         sweep_dir / "multiples.png"))
    return written


def _save(fig, path: Path) -> Path:
    import matplotlib.pyplot as plt

    try:
        with atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=200, bbox_inches="tight")
    finally:
        plt.close(fig)
    return path

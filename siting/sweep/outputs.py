"""Write a sweep's charts next to its table."""

from __future__ import annotations

from pathlib import Path

from ..inputs.model_file import load_model_file
from ..outputs import reader
from ..outputs.atomic import atomic_path, write_errors_reported
from .charts import plot_pareto, plot_small_multiples, plot_tornado
from .table import read_table


def write_charts(sweep_dir: str | Path, scenario_ids: list[str] | None = None) -> list[Path]:
    """Draw the charts the sweep's design supports.

    ``tornado.png`` for a one-at-a-time design, ``pareto.png`` for a Pareto scan, and
    ``multiples.png`` (capacity by province across scenarios) for every design.
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

"""Run a sweep: local worker processes by default, a Dask cluster given its address."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import pandas as pd

from ..inputs.tables import load_inputs
from ..outputs.atomic import (
    atomic_file,
    atomic_folder,
    check_writable,
    remove_stale,
    write_errors_reported,
)
from ..outputs.runfolder import (
    check_folder_name,
    relative_path,
    resolved_model_toml,
    write_run,
)
from .names import scenario_names
from .parameters import CATALOGUE
from .spec import SweepFile, check_counts, load_sweep_file, scenarios
from .table import SCENARIOS, consolidate, finished, outcome_row
from .worker import Outcome, Task, run_scenario, scenario_inputs


def _digest(sweep: SweepFile, base, inputs) -> str:
    h = hashlib.sha256(resolved_model_toml(base).encode())
    for path, sha in sorted(inputs.files.items()):
        h.update(f"{path}:{sha}".encode())
    return h.hexdigest()[:16]


def run_sweep(sweep: SweepFile | str | Path, runs_dir: str | Path = "runs",
              workers: int | None = None, scheduler: str | None = None,
              progress: bool = True, limit: int | None = None) -> pd.DataFrame:
    """Run every unfinished scenario of a sweep and return the sweep table.

    Parameters
    ----------
    sweep : SweepFile or path
    runs_dir : path
        The sweep writes ``runs_dir/<sweep name>/`` with ``scenarios/<name>/`` folders
        named by their parameter values (:mod:`siting.sweep.names`), ``results.parquet``
        and its workbook ``results.xlsx``.
    workers : int, optional
        Local worker processes (default: the sweep file's ``run.workers``).
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``); runs there instead.
    progress : bool
        Show a progress bar (completed / failed / remaining, ETA).
    limit : int, optional
        Stop after this many scenarios (to run a sweep in parts).

    Notes
    -----
    Finished scenarios (those with a complete folder) are skipped, so an interrupted
    sweep resumes where it stopped; the table is rebuilt from the folders. Whether the
    sweep folder can be written is checked before any scenario is solved; a write that
    fails later (disk full) stops the sweep with an
    :class:`~siting.outputs.atomic.OutputError`, the finished scenarios kept.
    """
    check_counts(workers, limit)
    sweep = sweep if isinstance(sweep, SweepFile) else load_sweep_file(sweep)
    base = sweep.base_model()
    inputs = load_inputs(base)
    source = str(sweep.path or "sweep file")
    out = Path(runs_dir) / check_folder_name(sweep.name, source, "name")
    check_writable(out, source, "name")
    base_values = {n: CATALOGUE[n].base(base) for n in sweep.parameters}
    with write_errors_reported(out, "the sweep folder"):
        (out / SCENARIOS).mkdir(parents=True, exist_ok=True)
        remove_stale(out / SCENARIOS)
        _write_sweep_files(out, sweep, base_values)
    done = finished(out)
    digest = _digest(sweep, base, inputs)
    design = scenarios(sweep, base)
    names = scenario_names(design, base_values)
    todo = [Task(sid, params, base, inputs, digest, sweep.run.reuse_model, base_values,
                 sweep.run.explain_infeasible)
            for sid, params in design if sid not in done]
    if limit is not None:
        todo = todo[:limit]
    bar = _progress(len(todo), len(done), progress)
    try:
        by_id = {t.scenario_id: t for t in todo}
        for outcome in _execute(todo, workers or sweep.run.workers, scheduler):
            _write_scenario(out, outcome, by_id[outcome.scenario_id], sweep.run.maps,
                            names[outcome.scenario_id])
            bar.update(outcome)
    finally:
        bar.close()
        table = consolidate(out)
    if len(table):
        from .outputs import write_sweep_workbook

        write_sweep_workbook(out, table, inputs.provinces["name_ko"].to_dict())
    return table


def _execute(tasks: list[Task], workers: int, scheduler: str | None):
    if not tasks:
        return
    if scheduler:
        from distributed import Client
        from distributed import as_completed as dask_completed

        with Client(scheduler) as client:
            futures = client.map(run_scenario, tasks, pure=False)
            for fut in dask_completed(futures):
                yield fut.result()
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = [pool.submit(run_scenario, t) for t in tasks]
        try:
            for fut in as_completed(futures):
                yield fut.result()
        except BaseException:
            for f in futures:
                f.cancel()
            raise


def _write_sweep_files(out: Path, sweep: SweepFile, base_values: dict[str, float]) -> None:
    doc = sweep.model_dump(mode="json", exclude_none=True)
    base = sweep.path.parent / sweep.base if sweep.path else sweep.base
    doc["base_path"] = relative_path(base, out)  # no machine path in the sweep folder
    doc["base_values"] = base_values
    atomic_file(out / "sweep.json", json.dumps(doc, indent=2))


def _write_scenario(out: Path, outcome: Outcome, task: Task, maps: bool, name: str) -> None:
    """Write ``scenarios/<name>/`` (:func:`~siting.sweep.names.scenario_names`): a run
    folder with ``row.json``, or ``row.json`` alone for a scenario without a plan."""
    folder = out / SCENARIOS / name
    row = outcome_row(outcome)
    if outcome.results is None:
        with atomic_folder(folder, overwrite=True) as tmp:
            (tmp / "row.json").write_text(json.dumps(row, indent=1), encoding="utf-8")
        return
    model, inputs = scenario_inputs(task)
    write_run(folder, model, inputs, outcome.results, outcome.timings, outcome.sizes,
              overwrite=True, draw_map=maps,
              extra={"row.json": json.dumps(row, indent=1)})


class _progress:
    """tqdm bar with completed / failed / remaining counts and ETA."""

    def __init__(self, total: int, skipped: int, enabled: bool):
        from tqdm import tqdm

        self.failed = 0
        self.bar = tqdm(total=total, disable=not enabled, unit="scenario",
                        desc=f"sweep ({skipped} already done)")

    def update(self, outcome: Outcome) -> None:
        if outcome.results is None:
            self.failed += 1
        self.bar.update(1)
        self.bar.set_postfix(failed=self.failed, remaining=self.bar.total - self.bar.n)

    def close(self) -> None:
        self.bar.close()

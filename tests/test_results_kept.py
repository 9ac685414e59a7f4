"""No result written outside runs/, none lost (issue 13, "Losing or misplacing results"):
safe folder names, unique run ids, no rename over another process's result, sweep tables
blind to temporary folders, SIGTERM like Ctrl-C, leftovers of dead processes removed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from test_sweep import make_sweep
from tiny import write_case
from typer.testing import CliRunner

import siting
from siting.cli import app
from siting.errors import InputError
from siting.outputs import runfolder
from siting.outputs.atomic import HOST, atomic_folder, remove_stale
from siting.sweep import run_sweep
from siting.sweep.table import consolidate, finished

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


@pytest.mark.parametrize("run_id", ["../x", "../../x", "a/b", "..", ".", ".hidden", "a\\b",
                                    "x" * 200, "", "ABSOLUTE"])
def test_unsafe_run_id_is_rejected_before_anything_is_written(tmp_path, run_id):
    case = write_case(tmp_path / "case")
    if run_id == "ABSOLUTE":
        run_id = str(tmp_path / "abs")
    before = _tree(tmp_path)
    with pytest.raises(InputError, match="run_id.*not a safe folder name"):
        siting.run(case, runs_dir=tmp_path / "runs", run_id=run_id, overwrite=True)
    assert _tree(tmp_path) == before


def test_cli_rejects_unsafe_run_id(tmp_path):
    case = write_case(tmp_path / "case")
    res = CliRunner().invoke(app, ["run", str(case), "--runs-dir", str(tmp_path / "runs"),
                                   "--run-id", "../escaped", "--no-map"])
    assert res.exit_code == 2 and "--run-id" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "escaped").exists() and not (tmp_path / "runs").exists()


def test_model_name_is_made_a_safe_folder_name(tmp_path):
    case = write_case(tmp_path / "case", model={"name": "../../evil/name"})
    out = siting.run(case, runs_dir=tmp_path / "runs", draw_map=False)
    assert out.run_dir.parent == tmp_path / "runs"
    assert out.run_dir.name.startswith("evil-name-")
    assert {p.name for p in tmp_path.iterdir()} == {"case", "runs"}


def test_unsafe_sweep_name_is_rejected_before_anything_is_written(tmp_path):
    path = make_sweep(tmp_path, {"target_scale": {"values": [1.0]}}, name="../escaped")
    with pytest.raises(InputError, match="name.*not a safe folder name"):
        run_sweep(path, tmp_path / "runs", progress=False)
    assert not (tmp_path / "escaped").exists() and not (tmp_path / "runs").exists()


def test_default_run_ids_differ_within_a_second(tmp_path, monkeypatch):
    model = siting.load_model_file(write_case(tmp_path / "case"))
    ids = {runfolder.default_run_id(model) for _ in range(50)}
    assert len(ids) == 50  # 16 random bits: a clash among 50 has probability below 2 %...
    # ...and a name taken is drawn again
    draws = iter(["aaaa", "aaaa", "bbbb"])
    monkeypatch.setattr(runfolder.secrets, "token_hex", lambda n: next(draws))
    taken = runfolder.run_folder(tmp_path / "runs", None, model)
    taken.mkdir(parents=True)
    again = runfolder.run_folder(tmp_path / "runs", None, model)
    assert taken.name.endswith("-aaaa") and again.name.endswith("-bbbb")


def test_sweep_table_ignores_temporary_scenario_folders(tmp_path):
    # a sweep killed while committing s0001 left its hidden folder, row.json half written
    scen = tmp_path / "scenarios"
    (scen / "s0001").mkdir(parents=True)
    (scen / "s0001" / "row.json").write_text(json.dumps({"scenario_id": "s0001",
                                                        "status": "optimal"}))
    stale = scen / f".s0001.partial-{_dead_pid()}"
    stale.mkdir()
    (stale / "row.json").write_text('{"scenario_id": "s00')
    assert finished(tmp_path) == {"s0001"}
    table = consolidate(tmp_path)
    assert table["scenario_id"].tolist() == ["s0001"]
    assert remove_stale(scen) == [stale] and not stale.exists()


def test_stale_leftovers_of_dead_processes_are_removed(tmp_path):
    case = write_case(tmp_path / "case")
    runs = tmp_path / "runs"
    runs.mkdir()
    dead = [runs / f".r0.partial-{_dead_pid()}", runs / f".r9.old-{_dead_pid()}"]
    for d in dead:
        d.mkdir()
        (d / "sites.csv").write_text("x\n")
    (runs / f".t.parquet.partial-{_dead_pid()}@{HOST}.parquet").write_bytes(b"PAR")
    # a machine sharing runs/ (NFS): its process ids mean nothing here, its folder stays
    elsewhere = runs / f".r3.partial-{_dead_pid()}@other-host"
    elsewhere.mkdir()
    live = subprocess.Popen(["sleep", "60"])
    try:
        mine = runs / f".r1.partial-{live.pid}"
        mine.mkdir()
        siting.run(case, runs_dir=runs, run_id="r2", draw_map=False)
        assert {p.name for p in runs.iterdir()} == {"r2", mine.name, elsewhere.name}
    finally:
        live.kill()
        live.wait()


SIGTERM_WHILE_WRITING = """
import os, signal, sys, time
from siting.outputs.atomic import atomic_folder
with atomic_folder(sys.argv[1]) as tmp:
    (tmp / "sites.csv").write_text("half")
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(30)
"""


def test_sigterm_while_writing_leaves_nothing(tmp_path):
    res = subprocess.run([sys.executable, "-c", SIGTERM_WHILE_WRITING, str(tmp_path / "r1")],
                         check=False, env=ENV, capture_output=True, text=True, timeout=60)
    assert res.returncode != 0 and res.returncode != -signal.SIGTERM, res.stderr
    assert "KeyboardInterrupt" in res.stderr
    assert list(tmp_path.iterdir()) == []


def test_folder_of_another_process_is_never_replaced(tmp_path):
    target = tmp_path / "r1"
    with pytest.raises(siting.errors.RunExistsError), atomic_folder(target) as tmp:
        (tmp / "mine").write_text("mine")
        other = subprocess.run([sys.executable, "-c", (
            "import sys; from siting.outputs.atomic import atomic_folder\n"
            "with atomic_folder(sys.argv[1]) as t: (t / 'theirs').write_text('theirs')")
            , str(target)], check=False, env=ENV, timeout=60)
        assert other.returncode == 0
    assert [p.name for p in target.iterdir()] == ["theirs"]


def test_stress_runs_and_a_sweep_at_once_on_one_runs_folder(tmp_path):
    """Three runs with default ids (started in the same second) and a sweep, at once."""
    case = write_case(tmp_path / "case")
    sweep = make_sweep(tmp_path / "sw", {"target_scale": {"values": [1.0, 2.0]}})
    runs = tmp_path / "runs"
    cli = [sys.executable, "-m", "siting.cli"]
    procs = [subprocess.Popen([*cli, "run", str(case), "--runs-dir", str(runs), "--no-map"],
                              env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(3)]
    procs.append(subprocess.Popen([*cli, "sweep", str(sweep), "--runs-dir", str(runs),
                                   "--workers", "1", "--no-charts"], env=ENV,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outs = [p.communicate(timeout=600) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1][-800:] for o in outs]
    folders = sorted(p for p in runs.iterdir() if p.name != "tiny-sweep")
    assert len(folders) == 3, folders  # every run's result, each in its own folder
    for f in folders:
        manifest = json.loads((f / "manifest.json").read_text())
        assert manifest["run_id"] == f.name
        assert manifest["objective_bn_krw"] == pytest.approx(40.0)  # tiny case, test_runs
    reported = {line.split()[-1] for out, _ in outs[:3] for line in out.splitlines()
                if line.startswith("written")}
    assert reported == {str(f) for f in folders}
    table = pd.read_parquet(runs / "tiny-sweep" / "results.parquet")
    assert [s[:5] for s in sorted(table["scenario_id"])] == ["s0000", "s0001"]
    assert table["scenario_id"].is_unique
    assert list(runs.rglob(".*")) == []  # no temporary folder or file left

"""Command line: ``--version``, the solver options of ``siting run``, HiGHS's log in the run
folder, the model-file settings reference and Ctrl-C during a solve."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from tiny import write_case
from typer.testing import CliRunner

import siting
from siting.cli import app

ROOT = Path(__file__).resolve().parents[1]


def test_version_names_siting_and_its_solver():
    from importlib.metadata import version

    res = CliRunner().invoke(app, ["--version"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith(f"siting {siting.__version__} ")
    assert f"HiGHS {version('highspy')}" in res.output


def test_solver_options_override_the_model_file(tmp_path, monkeypatch):
    import siting.api

    seen = []
    real = siting.api.solve_model

    def spy(m, options, *args, **kwargs):
        seen.append(options)
        return real(m, options, *args, **kwargs)

    monkeypatch.setattr(siting.api, "solve_model", spy)
    case = write_case(tmp_path / "case")  # solver: gap 0, 30 s, 1 thread
    res = CliRunner().invoke(app, ["run", str(case), "--runs-dir", str(tmp_path / "runs"),
                                   "--run-id", "r", "--no-map", "--time-limit", "7.5",
                                   "--gap", "0.25", "--threads", "2"])
    assert res.exit_code == 0, res.output
    (options,) = seen
    assert (options.time_limit_s, options.mip_rel_gap, options.threads) == (7.5, 0.25, 2)
    resolved = tomllib.loads((tmp_path / "runs" / "r" / "model.toml").read_text())["solver"]
    assert (resolved["time_limit_s"], resolved["mip_rel_gap"], resolved["threads"]) == \
        (7.5, 0.25, 2)
    # the options left out keep the model file's values
    res = CliRunner().invoke(app, ["run", str(case), "--runs-dir", str(tmp_path / "runs"),
                                   "--run-id", "s", "--no-map", "--gap", "0.1"])
    assert res.exit_code == 0, res.output
    assert (seen[1].time_limit_s, seen[1].mip_rel_gap, seen[1].threads) == (30.0, 0.1, 1)


@pytest.mark.parametrize(("option", "value"), [
    ("--time-limit", "0"), ("--time-limit", "-5"), ("--time-limit", "inf"),
    ("--time-limit", "nan"), ("--gap", "-0.1"), ("--gap", "1"), ("--gap", "nan"),
    ("--threads", "0"), ("--threads", "5000")])
def test_solver_options_out_of_range_are_refused_before_anything_runs(tmp_path, option,
                                                                       value):
    case = write_case(tmp_path / "case")
    res = CliRunner().invoke(app, ["run", str(case), "--runs-dir", str(tmp_path / "runs"),
                                   option, value])
    assert res.exit_code == 2, res.output
    assert f"column '{option}'" in res.output and "Traceback" not in res.output
    assert "Fix:" in res.output
    assert not (tmp_path / "runs").exists()


def test_solver_options_take_the_model_file_ranges(tmp_path):
    # before: --time-limit 2e7 passed the command line's own check (any finite number
    # above 0) and then failed [solver]'s (<= 1e7) with a pydantic traceback
    case = write_case(tmp_path / "case")
    for option, value in (("--time-limit", "2e7"), ("--threads", "1025")):
        res = CliRunner().invoke(app, ["run", str(case), "--runs-dir", str(tmp_path / "runs"),
                                       option, value])
        assert res.exit_code == 2, res.output
        assert f"column '{option}'" in res.output and "Fix:" in res.output
        assert res.exception is None or isinstance(res.exception, SystemExit)
    assert not (tmp_path / "runs").exists()


def test_every_numeric_option_has_its_range_from_the_files():
    from siting.cli import OPTION_FIELDS, option_bounds

    # the bounds declared on the pydantic fields (model_file.py, sweep/spec.py)
    assert option_bounds("time_limit") == {"gt": 0, "le": 1e7}
    assert option_bounds("gap") == {"ge": 0, "lt": 1}
    assert option_bounds("threads") == {"ge": 1, "le": 1024}
    assert option_bounds("workers") == {"ge": 1, "le": 1024}
    assert option_bounds("limit") == {"ge": 1}
    assert OPTION_FIELDS["gap"][1:3] == ("Solver", "mip_rel_gap")


@pytest.mark.parametrize(("command", "option", "value"), [
    ("sweep", "--workers", "0"), ("sweep", "--workers", "2000"), ("sweep", "--limit", "0"),
    ("orlib", "--gap", "1"), ("orlib", "--time-limit", "nan"), ("orlib", "--threads", "0")])
def test_sweep_and_orlib_options_are_reported_like_run_options(tmp_path, command, option,
                                                               value):
    # before: typer's "Invalid value for '--workers'", another wording from another check
    path = tmp_path / "input.toml"
    path.write_text("1 1\n10 5\n3 6\n" if command == "orlib" else "")
    res = CliRunner().invoke(app, [command, str(path), option, value])
    assert res.exit_code == 2, res.output
    assert f"column '{option}'" in res.output and "Fix:" in res.output
    assert "Traceback" not in res.output


def test_run_id_help_names_the_default_form():
    res = CliRunner().invoke(app, ["run", "--help"], terminal_width=200)
    assert "name-time-suffix" in res.output and "default: name-time)" not in res.output


def test_run_folder_holds_the_highs_log(tmp_path):
    # tiny case: 30 MW at A (capex 1, fixed 10) = 40 bn KRW beats B (capex 2) = 60
    case = write_case(tmp_path / "case")
    res = CliRunner().invoke(app, ["run", str(case), "--runs-dir", str(tmp_path / "runs"),
                                   "--run-id", "r", "--no-map"])
    assert res.exit_code == 0, res.output
    run_dir = tmp_path / "runs" / "r"
    log = (run_dir / "solver.log").read_text(encoding="utf-8")
    manifest = json.loads((run_dir / "manifest.json").read_text())
    primal = float(re.search(r"Primal bound\s+(\S+)", log).group(1))
    assert primal == pytest.approx(manifest["objective_bn_krw"]) == pytest.approx(40.0)
    assert re.search(r"Status\s+Optimal", log)


def test_settings_reference_is_up_to_date():
    res = CliRunner().invoke(app, ["settings"])
    assert res.exit_code == 0, res.output
    doc = (ROOT / "docs" / "model-file.md").read_text(encoding="utf-8")
    assert res.output == doc, "regenerate docs/model-file.md with `siting settings`"


def _leaves(doc: dict, prefix: str = ""):
    for key, value in doc.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and value:
            yield from _leaves(value, path)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for item in value:
                yield from _leaves(item, path)
        else:
            yield path


def test_settings_reference_lists_every_key_of_a_resolved_model_file():
    # the resolved default model file (every default filled in), read as plain TOML: each
    # key must be a row of its section, whatever the sections are called
    from siting.inputs.settings_doc import settings_markdown

    model = siting.load_model_file(ROOT / "models" / "korea-2030.toml")
    resolved = tomllib.loads(siting.outputs.runfolder.resolved_model_toml(model))
    doc = settings_markdown()
    rows = {}
    section = ""
    for line in doc.splitlines():
        if m := re.match(r"## `\[\[?([\w.]+)\]?\]`", line):
            section = m.group(1)
        elif line == "## Top level":
            section = ""
        elif m := re.match(r"\| `(\w+)` \|", line):
            rows.setdefault(section, set()).add(m.group(1))
    keys = set(_leaves(resolved))
    assert len(keys) > 40
    for key in keys:
        # a row of its section, or a table-valued setting (targets.values.2030 -> values)
        parts = key.split(".")
        assert any(parts[i] in rows.get(".".join(parts[:i]), set())
                   for i in range(len(parts))), key


def test_unknown_key_points_to_the_settings_reference(tmp_path):
    case = write_case(tmp_path / "case", model={"solver": {"time_limit": 5}})
    res = CliRunner().invoke(app, ["validate", str(case)])
    assert res.exit_code == 2
    assert "docs/model-file.md" in res.output and "siting settings" in res.output
    assert (ROOT / "docs" / "model-file.md").is_file()


# --- Ctrl-C during a HiGHS solve ----------------------------------------------------------


@pytest.fixture(scope="module")
def slow_case(tmp_path_factory) -> Path:
    """The synthetic 1,000-site case asked for a proven optimum (gap 0): HiGHS needs well
    over a minute on it (15 s reach a 0.9 % gap on the benchmark machine)."""
    from siting.problems.synthetic import write_synthetic

    return write_synthetic(tmp_path_factory.mktemp("n1000"), n_sites=1000, seed=0)


def _interrupt_run(case: Path, runs: Path, *options: str, wait_for: str = "solving"
                   ) -> tuple[int, str, float]:
    """Start ``siting run``, send SIGINT 2 s after the stderr line starting with
    ``wait_for`` (``solving``: HiGHS starts; ``first plan``: HiGHS found a plan); (exit
    code, stderr, seconds from SIGINT to exit)."""
    cmd = [sys.executable, "-m", "siting.cli", "run", str(case), "--runs-dir", str(runs),
           "--run-id", "r", "--no-map", "--gap", "0", "--time-limit", "300", *options]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    try:
        seen = []
        while not (seen and seen[-1].startswith(wait_for)):
            seen.append(proc.stderr.readline())
            assert seen[-1], "".join(seen)  # EOF: the run ended before that point
        time.sleep(2.0)
        assert proc.poll() is None, "HiGHS finished before the interrupt"
        sent = time.perf_counter()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        return proc.returncode, "".join(seen) + err, time.perf_counter() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_ctrl_c_stops_highs_at_once_and_writes_nothing_by_default(slow_case, tmp_path):
    code, err, seconds = _interrupt_run(slow_case, tmp_path / "runs")
    assert code == 130, err
    assert seconds < 10, seconds  # before: only when HiGHS reached its 300 s limit (measured:
    # no exit 175 s after SIGINT)
    assert "no run folder was written" in err and "Traceback" not in err
    runs = tmp_path / "runs"
    assert not (runs.exists() and any(runs.iterdir()))  # no folder, no partial leftovers


def test_ctrl_c_keeps_the_best_plan_when_asked(slow_case, tmp_path):
    code, err, seconds = _interrupt_run(slow_case, tmp_path / "runs", "--on-interrupt", "keep",
                                        wait_for="first plan")
    assert code == 0, err
    assert seconds < 10, seconds
    run_dir = tmp_path / "runs" / "r"
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert manifest["termination"] == "Interrupted by user"
    # a feasible plan with its gap to the bound, which is not proven (gap 0 was asked)
    assert manifest["best_bound_bn_krw"] <= manifest["objective_bn_krw"]
    assert manifest["mip_gap"] > 0
    first = float(re.search(r"first plan\s+([\d,.]+) bn KRW", err).group(1).replace(",", ""))
    assert manifest["objective_bn_krw"] <= first + 0.05  # the best plan, at least the first
    import pandas as pd

    from siting.problems.synthetic import TARGET_MW

    kpis = pd.read_csv(run_dir / "kpis.csv")  # the kept plan meets every period's target
    for row in kpis.itertuples():
        assert row.it_mw >= TARGET_MW[row.period] - 1e-6
    assert "Interrupted by user" in (run_dir / "solver.log").read_text(encoding="utf-8")

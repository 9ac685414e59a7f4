"""Output that cannot be written, tampered run folders, spreadsheet formulas in output
CSVs (issue 13): a clean error naming the folder and the fix, found before the solve where
it can be, with nothing half-written."""

from __future__ import annotations

import builtins
import errno
import io
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import tomli_w
from tiny import write_case
from typer.testing import CliRunner

import siting
import siting.api
from siting.cli import app
from siting.errors import InputError, SitingError
from siting.sweep import run_sweep


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")} if folder.exists() else set()


@pytest.fixture
def no_solve(monkeypatch):
    """A solve is a test failure: the fault must be found before it."""
    def solve(*args, **kwargs):
        raise AssertionError("solved before finding that the output cannot be written")
    monkeypatch.setattr(siting.api, "solve_model", solve)


@pytest.fixture
def read_only(tmp_path, monkeypatch) -> Path:
    """A folder nobody may write into: chmod 0o555, and where that does not stop writes
    (tests run as root here) ``os.open``, ``os.mkdir`` and ``open`` for writing refuse
    with EACCES inside it, as the kernel does for any other user."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    probe = folder / "probe"
    try:
        probe.write_text("x")
    except PermissionError:
        pass  # the kernel refuses: nothing to simulate
    else:
        probe.unlink()
        real_open, real_mkdir = os.open, os.mkdir

        def refuse(real):
            def call(path, *args, **kwargs):
                if Path(os.fsdecode(path)).absolute().is_relative_to(folder):
                    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
                return real(path, *args, **kwargs)
            return call
        real_io_open = io.open

        def io_open(file, mode="r", *args, **kwargs):
            if any(c in mode for c in "wax+"):
                return refuse(real_io_open)(file, mode, *args, **kwargs)
            return real_io_open(file, mode, *args, **kwargs)
        monkeypatch.setattr(os, "open", refuse(real_open))
        monkeypatch.setattr(os, "mkdir", refuse(real_mkdir))
        monkeypatch.setattr(io, "open", io_open)
        monkeypatch.setattr(builtins, "open", io_open)
    yield folder
    folder.chmod(0o755)


# --- found before the solve ---------------------------------------------------------


def test_read_only_runs_folder_is_found_before_solving(tmp_path, read_only, no_solve):
    # before: the whole solve, then PermissionError from mkdir (a traceback)
    case = write_case(tmp_path / "case")
    with pytest.raises(SitingError) as err:
        siting.run(case, runs_dir=read_only / "runs", run_id="r", draw_map=False)
    assert str(read_only) in str(err.value) and "--runs-dir" in str(err.value)
    assert _tree(read_only) == set()


def test_runs_dir_inside_a_file_is_found_before_solving(tmp_path, no_solve):
    # before: NotADirectoryError from mkdir after the solve
    case = write_case(tmp_path / "case")
    afile = tmp_path / "notes.txt"
    afile.write_text("x")
    with pytest.raises(SitingError, match="is a file, not a folder") as err:
        siting.run(case, runs_dir=afile / "runs", run_id="r", draw_map=False)
    assert str(afile) in str(err.value)


def test_run_id_too_long_in_bytes_is_found_before_solving(tmp_path, no_solve):
    # 100 Hangul letters = 300 bytes in UTF-8, over the 255 of ext4/tmpfs, though within
    # the 120-character rule; before: ENAMETOOLONG after the solve
    case = write_case(tmp_path / "case")
    run_id = "가" * 100
    with pytest.raises(InputError) as err:
        siting.run(case, runs_dir=tmp_path / "runs", run_id=run_id, draw_map=False)
    (problem,) = err.value.problems
    assert (problem.file, problem.value) == ("--run-id", run_id)
    assert "300 bytes" in problem.message
    assert not (tmp_path / "runs").exists()


def test_long_hangul_model_name_still_gets_a_run_folder(tmp_path):
    # the default run id is cut to fit the file system's name limit, not refused
    case = write_case(tmp_path / "case", model={"name": "가" * 110})
    out = siting.run(case, runs_dir=tmp_path / "runs", draw_map=False)
    assert out.run_dir.is_dir() and len(out.run_dir.name.encode()) <= 120
    assert out.results.solve.objective == pytest.approx(40.0)  # 30 MW at A: 30 x 1 + 10


def test_cli_read_only_runs_folder(tmp_path, read_only, no_solve):
    case = write_case(tmp_path / "case")
    res = CliRunner().invoke(app, ["run", str(case), "--runs-dir", str(read_only),
                                   "--run-id", "r", "--no-map"])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and "Fix:" in res.output
    assert str(read_only) in res.output


def test_sweep_into_read_only_folder_stops_before_any_scenario(tmp_path, read_only):
    # before: PermissionError from mkdir (a traceback)
    case = write_case(tmp_path / "case")
    path = tmp_path / "s.toml"
    path.write_text(tomli_w.dumps({"name": "s", "base": str(case),
                                   "parameters": {"target_scale": {"values": [1.0]}}}))
    with pytest.raises(SitingError, match="--runs-dir"):
        run_sweep(path, read_only, progress=False)
    assert _tree(read_only) == set()


def test_sweep_name_too_long_in_bytes(tmp_path):
    case = write_case(tmp_path / "case")
    path = tmp_path / "s.toml"
    path.write_text(tomli_w.dumps({"name": "가" * 100, "base": str(case),
                                   "parameters": {"target_scale": {"values": [1.0]}}}))
    with pytest.raises(InputError) as err:
        run_sweep(path, tmp_path / "runs", progress=False)
    (problem,) = err.value.problems
    assert (problem.file, problem.column) == (str(path), "name")
    assert not (tmp_path / "runs").exists()


# --- found while writing --------------------------------------------------------------


def _fail_with(code: int):
    def write(self, path, *args, **kwargs):
        raise OSError(code, os.strerror(code), str(path))
    return write


@pytest.mark.parametrize(("code", "says"), [
    (errno.ENOSPC, "disk is full"), (errno.EACCES, "may not write"),
    (errno.EROFS, "read-only"), (errno.ENAMETOOLONG, "shorter")])
def test_csv_write_failure_is_a_clean_error_and_leaves_nothing(tmp_path, monkeypatch, code,
                                                               says):
    # before: the OSError itself, a traceback after the whole solve
    case = write_case(tmp_path / "case")
    monkeypatch.setattr(pd.DataFrame, "to_csv", _fail_with(code))
    runs = tmp_path / "runs"
    with pytest.raises(SitingError) as err:
        siting.run(case, runs_dir=runs, run_id="r", draw_map=False)
    text = str(err.value)
    assert str(runs / "r") in text and says in text and "Fix:" in text
    assert _tree(runs) == set()  # no run folder, no temporary folder


def test_full_disk_while_writing_the_geopackage(tmp_path, monkeypatch):
    case = write_case(tmp_path / "case")
    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", _fail_with(errno.ENOSPC))
    runs = tmp_path / "runs"
    res = CliRunner().invoke(app, ["run", str(case), "--runs-dir", str(runs), "--run-id", "r",
                                   "--no-map"])
    assert res.exit_code == 2, res.output
    assert "results.gpkg" in res.output and "disk is full" in res.output
    assert "Traceback" not in res.output
    assert _tree(runs) == set()


def test_gdal_error_while_writing_names_the_geopackage(tmp_path, monkeypatch):
    # a full disk reaches us from GDAL as pyogrio's DataSourceError, not as OSError
    from pyogrio.errors import DataSourceError

    def write(self, path, *args, **kwargs):
        raise DataSourceError("sqlite3_exec(CREATE TABLE) failed: database or disk is full")
    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", write)
    runs = tmp_path / "runs"
    with pytest.raises(SitingError, match="results.gpkg"):
        siting.run(write_case(tmp_path / "case"), runs_dir=runs, run_id="r", draw_map=False)
    assert _tree(runs) == set()


# --- a run folder edited after the run ------------------------------------------------


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("tiny_run")
    return siting.run(write_case(base / "case"), runs_dir=base / "runs", run_id="r",
                      draw_map=False).run_dir


@pytest.mark.parametrize("edit", [
    lambda text: text.replace("mip_rel_gap = 0.0", "mip_rel_gap = 0.5"),  # still valid TOML
    lambda text: text + "\n# reviewed\n",
    lambda text: text[: len(text) // 2]])  # truncated: not TOML any more
def test_report_names_a_tampered_model_toml(tiny_run, tmp_path, edit):
    import shutil

    from siting.outputs.report import write_report

    folder = tmp_path / "copy"
    shutil.copytree(tiny_run, folder)
    path = folder / "model.toml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(SitingError, match=r"model\.toml is damaged") as err:
        write_report(folder, pdf=False)
    assert str(path) in str(err.value)
    assert not (folder / "report.html").exists()
    res = CliRunner().invoke(app, ["report", str(folder), "--no-pdf"])
    assert res.exit_code == 2 and "model.toml" in res.output and "Traceback" not in res.output


def test_manifest_records_the_model_toml_hash(tiny_run):
    import hashlib
    import json

    manifest = json.loads((tiny_run / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["model_toml_sha256"] == hashlib.sha256(
        (tiny_run / "model.toml").read_bytes()).hexdigest()


# --- spreadsheet formulas from input names ----------------------------------------------


def test_formula_cells_are_quoted_and_numbers_left_alone():
    from siting.outputs.reader import formula_restored, formula_safe

    df = pd.DataFrame({"name": ['=HYPERLINK("x")', "-2+3", "+82", "@SUM(A1)", "\tx", "'=x",
                                "Site A", "a=b", ""],
                       "value": [-2.5, -3.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    safe = formula_safe(df)
    assert list(safe["name"]) == ["'=HYPERLINK(\"x\")", "'-2+3", "'+82", "'@SUM(A1)", "'\tx",
                                  "''=x", "Site A", "a=b", ""]
    assert safe["value"].tolist() == df["value"].tolist()  # negative numbers stay numbers
    pd.testing.assert_frame_equal(formula_restored(safe), df)


def test_input_names_reach_the_output_csvs_quoted(tmp_path):
    # before: sites.csv held =HYPERLINK("x") raw, which a spreadsheet runs as a formula
    import csv

    from tiny import default_sites

    from siting.outputs.reader import read_run

    sites = pd.DataFrame(default_sites())
    sites["name"] = ['=HYPERLINK("x")', "-2+3"]
    sites["name_ko"] = ["@가", "+82"]
    out = siting.run(write_case(tmp_path / "case", sites=sites), runs_dir=tmp_path / "runs",
                     run_id="r", draw_map=False)
    assert out.results.solve.objective == pytest.approx(40.0)  # 30 MW at A: 30 x 1 + 10
    with open(out.run_dir / "sites.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {(r["name"], r["name_ko"]) for r in rows} == {("'=HYPERLINK(\"x\")", "'@가"),
                                                          ("'-2+3", "'+82")}
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values()
               if not _is_number(cell))
    # the maps and the report read the names back as they were
    names = set(read_run(out.run_dir).tables.sites["name"])
    assert names == {'=HYPERLINK("x")', "-2+3"}


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


# --- no machine path in a sweep folder -----------------------------------------------


def test_sweep_json_base_path_is_relative_and_charts_still_find_it(tmp_path, monkeypatch):
    # before: base_path was the absolute path of the base model file on this machine
    import json

    from siting.sweep.outputs import write_charts

    case = write_case(tmp_path / "case")
    path = tmp_path / "s.toml"
    path.write_text(tomli_w.dumps({"name": "s", "base": "case/model.toml",
                                   "parameters": {"target_scale": {"values": [1.0]}},
                                   "run": {"workers": 1}}))
    table = run_sweep(path, tmp_path / "runs", progress=False)
    assert table["objective_bn_krw"].tolist() == pytest.approx([40.0])  # 30 MW at A: 30 + 10
    sweep_dir = tmp_path / "runs" / "s"
    base_path = json.loads((sweep_dir / "sweep.json").read_text())["base_path"]
    assert not Path(base_path).is_absolute() and str(tmp_path) not in base_path
    assert (sweep_dir / base_path).resolve() == case.resolve()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # relative to the sweep folder, not to where one stands
    assert {p.name for p in write_charts(sweep_dir)} == {"multiples.png"}


def test_report_into_a_read_only_folder(tiny_run, read_only):
    # before: PermissionError from the atomic writer (a traceback)
    res = CliRunner().invoke(app, ["report", str(tiny_run), "--out-dir", str(read_only),
                                   "--no-pdf"])
    assert res.exit_code == 2, res.output
    assert str(read_only) in res.output and "Fix:" in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert _tree(read_only) == set()


def test_report_from_python_into_a_read_only_folder(tiny_run, read_only):
    # before: write_report raised a bare PermissionError; only the CLI reported it
    from siting.outputs.report import write_report

    with pytest.raises(SitingError, match="Fix:") as err:
        write_report(tiny_run, out_dir=read_only, pdf=False)
    assert str(read_only) in str(err.value)
    assert _tree(read_only) == set()


def test_charts_from_python_on_a_full_disk(tmp_path, monkeypatch):
    # before: write_charts raised a bare OSError(ENOSPC) from savefig
    from matplotlib.figure import Figure

    from siting.sweep.outputs import write_charts

    write_case(tmp_path / "case")
    path = tmp_path / "s.toml"
    path.write_text(tomli_w.dumps({"name": "s", "base": "case/model.toml",
                                   "parameters": {"target_scale": {"values": [1.0]}},
                                   "run": {"workers": 1}}))
    run_sweep(path, tmp_path / "runs", progress=False)
    sweep_dir = tmp_path / "runs" / "s"

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Figure, "savefig", full)
    with pytest.raises(SitingError, match="Fix:") as err:
        write_charts(sweep_dir)
    assert str(sweep_dir) in str(err.value)
    assert not list(sweep_dir.glob("*.png")) and not list(sweep_dir.glob(".*partial*"))

"""Hostile input (issue 13): every class gives an InputError naming the file, the line or key,
the value and the fix, never another exception; the CLI exits 2 and writes nothing.

The numeric classes loop over ``schema.csv`` and over the model file's pydantic fields, so a
column or key added later is covered without listing it here.
"""

from __future__ import annotations

import math
import re
import types
import typing

import pandas as pd
import pydantic
import pytest
import tomli_w
from tiny import (
    BASE_MODEL,
    corridors,
    default_sites,
    merge,
    nodes_for,
    provinces,
    write_case,
    zones,
)
from tiny_network import bus, gen, line, network_tables
from typer.testing import CliRunner

import siting
from siting.cli import app
from siting.errors import InputError
from siting.inputs.model_file import ModelFile, load_model_file
from siting.inputs.schema import NETWORK_TABLES, OPTIONAL_TABLES, schema
from siting.problems.orlib import read_orlib_cap, solve_cflp
from siting.sweep import run_sweep

ABSURD = ["inf", "nan", "1e308", "-inf"]
ZONE = ("z1", "Zone 1", "Jeonnam", "solar", 126.7, 35.0, 100.0, 0.2, 10.0)
NUMERIC = [(r.table, r.column) for r in schema().itertuples() if r.dtype in ("int", "float")]


def tables():
    sites = default_sites(with_capital=True)
    return {"provinces": provinces(), "sites": sites, "grid_nodes": nodes_for(sites),
            "corridors": corridors(), "re_zones": zones([ZONE])}


def demand_tables(sites):
    """The optional demand-side tables (one centre, one period) for ``sites``."""
    lon, lat = 126.978, 37.5665
    return {"demand_centres": pd.DataFrame([{
                "centre_id": "Seoul", "name": "Seoul", "province_id": "Seoul",
                "district_code": "11140", "lon": lon, "lat": lat, "population": 1000,
                "population_share": 1.0, "capital_region": "true", "existing_dc_mw": 10.0,
                "existing_dc_share": 1.0, "inference_share": 1.0}]),
            "demand_split": pd.DataFrame([{"period": 2030, "inference_share": 0.5,
                                           "inference_share_low": 0.1,
                                           "inference_share_high": 0.9,
                                           "training_share": 0.5}]),
            "network_latency": pd.DataFrame([{
                "pair_id": f"{s}|Seoul", "site_id": s, "target_id": "Seoul",
                "target_kind": "demand_centre", "straight_km": 10.0, "route_km": 15.0,
                "rtt_ms": 1.2, "route_via_ix_km": 15.0, "rtt_via_ix_ms": 1.2}
                for s in sites["site_id"]])}


def tiny_network(sites):
    """The seven network tables: one bus per site's node, a line between the first two."""
    buses = [bus(n, prov) for n, prov in zip(sites["grid_node_id"], sites["province_id"])]
    ids = [b["bus_id"] for b in buses]
    tables = network_tables(buses, [line("l1", ids[0], ids[1])],
                            [gen("g1", ids[0], 100.0, 10.0)], {"Chungnam": 10.0})
    tables["network_transformers"] = pd.DataFrame([{
        "transformer_id": "t1", "bus0": ids[0], "bus1": ids[1], "voltage_kv0": 154.0,
        "voltage_kv1": 345.0, "s_nom_mva": 100.0, "x_pu": 0.1, "in_service_from": 1900,
        "source": ""}])
    tables["network_links"] = pd.DataFrame([{
        "link_id": "k1", "name": "link", "bus0": ids[0], "bus1": ids[1], "p_nom_mw": 10.0,
        "length_km": 10.0, "in_service_from": 1900, "source": ""}])
    tables["network_generators"]["commission_year"] = 2000
    tables["network_generators"]["retire_year"] = 2100
    return tables


def only_problem(exc: InputError):
    assert len(exc.problems) == 1, exc
    return exc.problems[0]


def test_every_numeric_column_has_a_range():
    for table, column in NUMERIC:
        row = schema()[(schema()["table"] == table) & (schema()["column"] == column)].iloc[0]
        assert not (math.isnan(row["min"]) or math.isnan(row["max"])), (table, column)


@pytest.mark.parametrize("value", ABSURD)
@pytest.mark.parametrize("table", sorted({t for t, _ in NUMERIC}))
def test_absurd_number_in_any_column(tmp_path, table, value):
    """Every numeric column of the table holds ``value`` on line 2: one problem each.

    Before: inf in sites.max_it_mw -> OverflowError; 1e308 in an int column -> TypeError;
    inf in most float columns was accepted and solved."""
    columns = [c for t, c in NUMERIC if t == table]
    t = tables()
    extra = (tiny_network(t["sites"]) if table in NETWORK_TABLES else
             demand_tables(t["sites"]) if table in OPTIONAL_TABLES else {})
    t |= extra
    df = t[table].astype(object)
    df.loc[0, columns] = value
    t[table] = df
    model = {"data": BASE_MODEL["data"] | {n: f"{n}.csv" for n in extra}} if extra else None
    path = write_case(tmp_path, model, sites=t["sites"], provinces_df=t["provinces"],
                      nodes=t["grid_nodes"], corridors_df=t["corridors"], zones_df=t["re_zones"])
    for n in extra:
        t[n].to_csv(tmp_path / f"{n}.csv", index=False)
    with pytest.raises(InputError) as err:
        siting.run(path, runs_dir=None, draw_map=False)
    found = sorted(p.column for p in err.value.problems)
    assert found == sorted(columns), str(err.value)
    for p in err.value.problems:
        assert p.file.endswith(f"{table}.csv") and p.row == 2 and p.fix
        assert str(p.value).lower() in {value, "1e+308"}
        assert "finite" in p.message + p.fix or "maximum" in p.message or "minimum" in p.message


def _fragments(cls):
    """Every key of a pydantic model that takes a number, as (dotted key, function of the
    value giving a model-file fragment), once per shape (scalar, period table, list)."""
    for name, info in cls.model_fields.items():
        if name != "path":
            for key, make in _shapes(info.annotation):
                yield name + key, lambda v, n=name, m=make: {n: m(v)}


VALID = {"Committed": {"site": "A", "period": 2030, "it_mw": 10.0}}
"""Required keys of models that sit in lists (merging into BASE_MODEL cannot supply them)."""


def _shapes(ann):
    origin, args = typing.get_origin(ann), typing.get_args(ann)
    if origin is typing.Annotated:
        yield from _shapes(args[0])
    elif origin in (typing.Union, types.UnionType):
        for a in args:
            yield from _shapes(a)
    elif origin is dict:
        yield from ((k, lambda v, m=m: {"2030": m(v)}) for k, m in _shapes(args[1]))
    elif origin is list:
        yield from ((k, lambda v, m=m: [m(v)]) for k, m in _shapes(args[0]))
    elif isinstance(ann, type) and issubclass(ann, pydantic.BaseModel):
        for k, m in _fragments(ann):
            yield "." + k, lambda v, m=m, a=ann: merge(VALID.get(a.__name__, {}), m(v))
    elif ann in (int, float):
        yield "", lambda v: v


MODEL_NUMBERS = list(_fragments(ModelFile))


def test_model_file_numbers_are_found():
    keys = {k for k, _ in MODEL_NUMBERS}
    assert {"periods", "solver.threads", "constraints.renewable.min_share",
            "constraints.targets.committed.it_mw", "solver.options",
            "constraints.targets.values", "objective.capex"} <= keys, keys
    assert len(MODEL_NUMBERS) > 30


@pytest.mark.parametrize("value", [math.inf, math.nan, 1e308, -math.inf])
def test_absurd_number_in_any_model_file_key(tmp_path, value):
    """Before: 1e308 solver.time_limit_s or inf objective weights went to HiGHS ("HiGHS
    rejected the compiled model"), inf renewable.min_share to Pyomo (InvalidValueError)."""
    for n, (key, make) in enumerate(MODEL_NUMBERS):
        if key == "solver.options" and value == 1e308:
            continue  # any finite value may be a HiGHS option: HiGHS judges it (below)
        file = tmp_path / f"m{n}.toml"
        file.write_text(tomli_w.dumps(merge(BASE_MODEL, make(value))), encoding="utf-8")
        with pytest.raises(InputError) as err:
            load_model_file(file)
        assert all(p.file == str(file) and p.fix for p in err.value.problems)
        hit = [p for p in err.value.problems
               if re.sub(r"\.\d+\.", ".", p.column or "").startswith(key)]
        assert hit, (key, str(err.value))
        assert all(p.row is not None and p.value is not None for p in hit), str(err.value)


def test_model_file_error_gives_line_key_value_and_fix(tmp_path):
    path = write_case(tmp_path, model={"constraints": {"renewable": {"min_share": math.inf}}})
    with pytest.raises(InputError) as err:
        load_model_file(path)
    p = only_problem(err.value)  # one problem, not one per branch of float | dict
    line = path.read_text().splitlines()[p.row - 1]
    assert p.column == "constraints.renewable.min_share" and p.value == math.inf
    assert line.startswith("min_share = inf") and "finite" in p.fix
    result = CliRunner().invoke(app, ["run", str(path), "--runs-dir", str(tmp_path / "runs")])
    assert result.exit_code == 2 and "min_share" in result.output and "inf" in result.output
    assert not (tmp_path / "runs").exists()


def test_cli_absurd_cell_exits_2_and_writes_nothing(tmp_path):
    t = tables()
    t["grid_nodes"].loc[0, "headroom_mw"] = 1e308
    path = write_case(tmp_path, sites=t["sites"], nodes=t["grid_nodes"])
    result = CliRunner().invoke(app, ["run", str(path), "--runs-dir", str(tmp_path / "runs")])
    assert result.exit_code == 2, result.output
    assert "grid_nodes.csv, line 2, column 'headroom_mw'" in result.output
    assert "1e+308" in result.output and "Fix:" in result.output
    assert not (tmp_path / "runs").exists()


KOREAN = "한국 전력 데이터센터"


@pytest.mark.parametrize("which", ["model", "csv"])
def test_cp949_file_is_named_with_the_fix(tmp_path, which):
    """Before: UnicodeDecodeError (model file); the CSV message did not name cp949."""
    path = write_case(tmp_path, model={"description": KOREAN})
    target = path if which == "model" else tmp_path / "provinces.csv"
    target.write_bytes(target.read_text(encoding="utf-8").encode("cp949"))
    with pytest.raises(InputError) as err:
        load_model_file(path) if which == "model" else siting.run(path, runs_dir=None)
    p = only_problem(err.value)
    bad_line = next(n for n, line in enumerate(target.read_bytes().splitlines(), 1)
                    if not line.isascii())
    assert p.file.endswith(target.name) and p.row == bad_line
    assert "cp949" in p.message and "UTF-8" in p.fix
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and "cp949" in result.output


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"\xff\xfe{\x00",
                                     bytes(range(128, 256))])
def test_model_file_not_text(tmp_path, content):
    path = tmp_path / "model.toml"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        load_model_file(path)
    p = only_problem(err.value)
    assert p.file == str(path) and "UTF-8" in p.fix
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and str(path) in result.output


def test_utf8_with_byte_order_mark_is_read(tmp_path):
    path = write_case(tmp_path, model={"description": KOREAN})
    for f in (path, tmp_path / "sites.csv"):
        f.write_bytes(b"\xef\xbb\xbf" + f.read_bytes())
    # A: 10 + 1.0 x 30 = 40; B: 2.0 x 30 = 60; A 30 MW is the optimum of the 30 MW target
    assert siting.run(path, runs_dir=None, draw_map=False).results.solve.objective == \
        pytest.approx(40.0)


def test_duplicated_column_name(tmp_path):
    """Before: pandas renamed the second 'lon' to 'lon.1' and the run went on."""
    path = write_case(tmp_path)
    f = tmp_path / "sites.csv"
    lines = f.read_text().splitlines()
    f.write_text("\n".join([lines[0] + ", lon"] + [x + ",1" for x in lines[1:]]) + "\n")
    with pytest.raises(InputError) as err:
        siting.run(path, runs_dir=None)
    p = only_problem(err.value)
    assert p.file == str(f) and p.row == 1 and p.column == "lon" and "2 times" in p.message
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and "sites.csv, line 1, column 'lon'" in result.output


@pytest.mark.parametrize("table", ["provinces", "sites", "grid_nodes"])
def test_header_only_table_names_the_file(tmp_path, table):
    """Before: an empty provinces table gave 'unknown provinces identifier' in sites.csv;
    an empty sites table an infeasibility that named no file."""
    path = write_case(tmp_path)
    f = tmp_path / f"{table}.csv"
    f.write_text(f.read_text().splitlines()[0] + "\n")
    with pytest.raises(InputError) as err:
        siting.run(path, runs_dir=None)
    p = only_problem(err.value)
    assert p.file == str(f) and "no rows" in p.message
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and f"{table}.csv" in result.output


def test_empty_corridors_and_zones_are_allowed(tmp_path):
    path = write_case(tmp_path)
    for t in ("corridors", "re_zones"):
        f = tmp_path / f"{t}.csv"
        f.write_text(f.read_text().splitlines()[0] + "\n")
    assert siting.run(path, runs_dir=None, draw_map=False).results.solve.objective == \
        pytest.approx(40.0)  # as above: A builds 30 MW, 10 + 30


def test_validate_checks_highs_options_like_run(tmp_path):
    """Before: 'siting validate' said OK to an option that 'siting run' then refused."""
    path = write_case(tmp_path, model={"solver": {"options": {"mip_max_nodes": "many"}}})
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert str(path) in result.output and "solver.options.mip_max_nodes" in result.output
    run = CliRunner().invoke(app, ["run", str(path), "--runs-dir", str(tmp_path / "runs")])
    assert run.exit_code == 2 and "solver.options.mip_max_nodes" in run.output
    ok = write_case(tmp_path / "ok", model={"solver": {"options": {"mip_max_nodes": 100}}})
    assert CliRunner().invoke(app, ["validate", str(ok)]).exit_code == 0


def test_data_path_must_be_a_csv_file(tmp_path):
    path = write_case(tmp_path, model={"data": {"sites": str(tmp_path / "model.toml")}})
    with pytest.raises(InputError) as err:
        siting.run(path, runs_dir=None)
    p = only_problem(err.value)
    assert p.file == str(path) and ".csv" in p.message


def test_data_path_outside_the_model_folder_is_read_and_recorded(tmp_path):
    """The rule: any folder, resolved against the model file's folder; the manifest
    records the resolved path."""
    write_case(tmp_path / "data")
    model = merge(BASE_MODEL, {"data": {t: f"../data/{t}.csv" for t in BASE_MODEL["data"]}})
    (tmp_path / "models").mkdir()
    path = tmp_path / "models" / "m.toml"
    path.write_text(tomli_w.dumps(model), encoding="utf-8")
    run = siting.run(path, runs_dir=None, draw_map=False)
    assert str((tmp_path / "data" / "sites.csv").resolve()) in run.inputs.files


# --- command-line options and OR-Library files ---------------------------------------


def sweep_file(tmp_path):
    case = write_case(tmp_path / "case")
    path = tmp_path / "s.toml"
    path.write_text(tomli_w.dumps({"name": "s", "base": str(case),
                                   "parameters": {"target_scale": {"values": [1.0]}}}))
    return path


@pytest.mark.parametrize("args", [["--workers", "-1"], ["--workers", "0"], ["--limit", "-3"],
                                  ["--limit", "0"], ["--workers", "100000"]])
def test_sweep_options_out_of_range(tmp_path, args):
    """Before: --workers -1 crashed in ProcessPoolExecutor after writing the sweep folder;
    --limit -3 silently skipped the last three scenarios; --workers 0 used the default."""
    path = sweep_file(tmp_path)
    runs = tmp_path / "runs"
    result = CliRunner().invoke(app, ["sweep", str(path), "--runs-dir", str(runs), *args])
    assert result.exit_code == 2, result.output
    assert args[0] in result.output and args[1] in result.output
    assert not runs.exists()
    name = args[0].removeprefix("--")
    with pytest.raises(InputError) as err:
        run_sweep(path, runs, progress=False, **{name: int(args[1])})
    assert only_problem(err.value).column == name and not runs.exists()


@pytest.mark.parametrize("args", [["--gap", "-1"], ["--gap", "nan"], ["--time-limit", "inf"],
                                  ["--time-limit", "0"], ["--threads", "0"],
                                  ["--capacity", "-5"], ["--capacity", "nan"]])
def test_orlib_options_out_of_range(tmp_path, args):
    path = tmp_path / "cap.txt"
    path.write_text("1 1\n10 5\n3 6\n")
    result = CliRunner().invoke(app, ["orlib", str(path), *args])
    assert result.exit_code == 2, result.output
    assert args[0] in result.output or "capacity" in result.output
    assert "Traceback" not in result.output


def test_orlib_api_refuses_bad_arguments(tmp_path):
    path = tmp_path / "cap.txt"
    path.write_text("1 1\n10 5\n3 6\n")
    with pytest.raises(InputError, match="capacity"):
        read_orlib_cap(path, capacity=math.inf)
    inst = read_orlib_cap(path)
    with pytest.raises(InputError, match="mip_rel_gap"):
        solve_cflp(inst, mip_rel_gap=-1.0)
    # one warehouse (fixed 5) serving the one customer at cost 6: 5 + 6 = 11
    assert solve_cflp(inst)[0].objective == pytest.approx(11.0)


@pytest.mark.parametrize("text, line, needle", [
    ("10 1000000000\n1 2\n", 1, "n=1000000000"),       # 10^9 customers: 7 TiB before
    ("2 3\n10 5\n10 1\n3 1 2\n", 1, "file ends early"),  # truncated after one customer
    ("2 1\n10 5\n", 1, "file ends early"),             # IndexError before
    ("2.5 1\n10 5\n", 1, "positive whole number"),
    ("-2 1\n", 1, "positive whole number"),
    ("1e308 1\n", 1, "positive whole number"),
    ("2 1\n10 5\n10 1\n3 inf 2\n", 4, "finite"),
    ("2 1\n10 5\n10 nan\n3 1 2\n", 3, "finite"),
    ("2 1\n10 5\n10 1\n3 1e308 2\n", 4, "finite"),
    ("2 1\n10 5\n1e308 1\n3 1 2\n", 3, "finite"),
])
def test_orlib_bad_files(tmp_path, text, line, needle):
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        read_orlib_cap(path)
    p = only_problem(err.value)
    assert p.file == str(path) and p.row == line and needle in p.message and p.value is not None
    result = CliRunner().invoke(app, ["orlib", str(path)])
    assert result.exit_code == 2 and f"line {line}" in result.output


def test_sweep_file_numbers_and_encoding(tmp_path):
    path = sweep_file(tmp_path)
    path.write_text(path.read_text().replace("[ 1.0, ]", "[ 1.0, nan ]")
                    .replace("values = [\n    1.0,\n]", "values = [1.0, nan]"))
    assert "nan" in path.read_text()
    with pytest.raises(InputError) as err:
        run_sweep(path, tmp_path / "runs", progress=False)
    p = only_problem(err.value)
    assert p.column == "parameters.target_scale.values.1" and "finite" in p.fix
    assert path.read_text().splitlines()[p.row - 1].startswith("values")
    path.write_bytes(path.read_text().replace('name = "s"', 'name = "한국"').encode("cp949"))
    result = CliRunner().invoke(app, ["sweep", str(path), "--runs-dir", str(tmp_path / "runs")])
    assert result.exit_code == 2 and "cp949" in result.output
    assert not (tmp_path / "runs").exists()

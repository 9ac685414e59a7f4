"""Property-based tests: corrupted tables and model files give either a clean error or a
valid plan, never a crash or a wrong answer."""

from __future__ import annotations

import math
import string

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tiny import BASE_MODEL, corridors, default_sites, merge, nodes_for, provinces, write_case

import siting
from siting.errors import InputError, SitingError
from siting.inputs.schema import schema

ALL_ON = {"constraints": {
    "grid": {"enabled": True}, "renewable": {"enabled": False},
    "decentralization": {"enabled": True, "capital_region_max_share": 0.5,
                         "province_max_share": 0.8, "min_host_provinces": 1}}}

BAD_VALUES = st.one_of(
    st.sampled_from(["", "nan", "NaN", "-1", "-1e9", "0", "1e308", "inf", "abc", "true",
                     "12,5", " 7 ", "None", "①", "2030.5"]),
    st.text(alphabet=string.printable, max_size=8),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
TABLES = ["provinces", "sites", "grid_nodes", "corridors"]
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def base_tables():
    sites = default_sites(with_capital=True)
    return {"provinces": provinces(spare_gwh={"Chungnam": 500.0, "Jeonnam": 500.0,
                                              "Seoul": 0.0}),
            "sites": sites, "grid_nodes": nodes_for(sites), "corridors": corridors()}


def check_plan(run, tables, model):
    """Independent feasibility check of a returned plan against the (typed) inputs."""
    s = run.results.sites
    assert run.results.solve.status in ("optimal", "time_limit", "stopped")
    target = model["constraints"]["targets"]["values"]["2030"]
    assert s["it_mw"].sum() >= float(target) - 1e-6
    assert (s["it_mw"] >= -1e-9).all()
    assert (s["it_mw"] <= s["max_it_mw"] + 1e-6).all()


def attempt(tmp_path, tables, model):
    path = write_case(tmp_path, model=model, sites=tables["sites"],
                      provinces_df=tables["provinces"], nodes=tables["grid_nodes"],
                      corridors_df=tables["corridors"])
    try:
        run = siting.run(path, runs_dir=None, draw_map=False)
    except SitingError as exc:
        assert str(exc).strip(), "an error must say something"
        return None
    check_plan(run, tables, merge(BASE_MODEL, model))
    return run


@SETTINGS
@given(table=st.sampled_from(TABLES), row=st.integers(0, 10), col=st.integers(0, 20),
       value=BAD_VALUES)
def test_corrupted_cell(tmp_path, table, row, col, value):
    tables = base_tables()
    df = tables[table].astype(object)
    df.iloc[row % len(df), col % df.shape[1]] = value
    tables[table] = df
    attempt(tmp_path, tables, ALL_ON)


@SETTINGS
@given(table=st.sampled_from(TABLES), action=st.sampled_from(["drop", "rename", "dup", "empty"]),
       col=st.integers(0, 20))
def test_corrupted_structure(tmp_path, table, action, col):
    tables = base_tables()
    df = tables[table]
    name = df.columns[col % df.shape[1]]
    if action == "drop":
        df = df.drop(columns=[name])
    elif action == "rename":
        df = df.rename(columns={name: name.upper() + "_x"})
    elif action == "dup":
        df = pd.concat([df, df.iloc[[0]]])
    else:
        df = df.iloc[0:0]
    tables[table] = df
    attempt(tmp_path, tables, ALL_ON)


NUMERIC = [(r.table, r.column, r.min, r.max) for r in schema().itertuples()
           if r.table in TABLES and r.dtype in ("int", "float")]


@SETTINGS
@given(spec=st.sampled_from(NUMERIC), value=st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1e308, 1e16, 2030.0, 0.5, 1e6])))
def test_numeric_cell_outside_its_range_is_refused(tmp_path, spec, value):
    """A number that is not finite or outside the schema's range is an InputError at its
    cell (file, line, column); any other number gives a clean error or a valid plan."""
    table, column, lo, hi = spec
    tables = base_tables()
    df = tables[table].astype(object)
    df.loc[0, column] = repr(value)
    tables[table] = df
    if math.isfinite(value) and lo <= value <= hi:
        attempt(tmp_path, tables, ALL_ON)
        return
    path = write_case(tmp_path, model=ALL_ON, sites=tables["sites"],
                      provinces_df=tables["provinces"], nodes=tables["grid_nodes"],
                      corridors_df=tables["corridors"])
    with pytest.raises(InputError) as err:
        siting.run(path, runs_dir=None, draw_map=False)
    assert any(p.file.endswith(f"{table}.csv") and p.row == 2 and p.column == column
               for p in err.value.problems), str(err.value)


MODEL_KEYS = st.sampled_from([
    ("periods",), ("constraints", "targets", "values"), ("constraints", "targets", "unit"),
    ("constraints", "grid", "surplus_share"), ("constraints", "decentralization",
                                               "min_host_provinces"),
    ("economics", "discount_rate"), ("economics", "lifetime_years"), ("solver", "threads"),
    ("solver", "mip_rel_gap"), ("constraints", "renewable", "min_share"), ("bogus",),
    ("constraints", "grid", "bogus")])
MODEL_VALUES = st.one_of(st.integers(-5, 5000), st.floats(allow_nan=True), st.text(max_size=5),
                         st.lists(st.integers(2020, 2040), max_size=4),
                         st.dictionaries(st.sampled_from(["2030", "2031", "x"]),
                                         st.floats(-1, 100), max_size=2), st.booleans())


@SETTINGS
@given(key=MODEL_KEYS, value=MODEL_VALUES)
def test_corrupted_model_file(tmp_path, key, value):
    model = merge(ALL_ON, {})
    node = model
    for k in key[:-1]:
        node = node.setdefault(k, {})
    node[key[-1]] = value
    try:
        attempt(tmp_path, base_tables(), model)
    except (TypeError, ValueError) as exc:  # TOML cannot hold NaN keys etc.: writer side
        if "TOML" not in str(exc) and "serializ" not in str(exc):
            raise


def test_valid_case_solves(tmp_path):
    assert attempt(tmp_path, base_tables(), ALL_ON) is not None

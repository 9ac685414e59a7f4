"""Bad input gives a clear error naming file, line, column and value; never a traceback."""

from __future__ import annotations

import pytest
from tiny import default_sites, nodes_for, write_case
from typer.testing import CliRunner

import siting
from siting.cli import app
from siting.errors import InfeasibleError, InputError


def problems(tmp_path, **kw):
    with pytest.raises(InputError) as exc:
        siting.run(write_case(tmp_path, **kw), runs_dir=None)
    return exc.value.problems


def test_missing_column_suggests_rename(tmp_path):
    sites = default_sites().rename(columns={"max_it_mw": "max_itmw"})
    (p,) = problems(tmp_path, sites=sites)
    assert p.column == "max_it_mw" and "max_itmw" in p.message and p.file.endswith("sites.csv")


def test_all_cell_problems_reported_at_once(tmp_path):
    sites = default_sites().astype(object)
    sites.loc[0, "max_it_mw"] = "fifty"
    sites.loc[1, "capex_bn_krw_per_mw"] = -1.0
    found = problems(tmp_path, sites=sites)
    where = {(p.row, p.column, p.value) for p in found}
    assert (2, "max_it_mw", "fifty") in where
    assert (3, "capex_bn_krw_per_mw", -1.0) in where
    assert "Fix:" in str(found[0])


def test_empty_required_value(tmp_path):
    sites = default_sites()
    nodes = nodes_for(sites)
    sites.loc[1, "lon"] = None
    (p,) = problems(tmp_path, sites=sites, nodes=nodes)
    assert (p.row, p.column, p.value) == (3, "lon", "")


def test_duplicate_id(tmp_path):
    sites = default_sites()
    sites.loc[1, "site_id"] = "A"
    nodes = nodes_for(default_sites())
    found = problems(tmp_path, sites=sites, nodes=nodes)
    assert any(p.column == "site_id" and p.row == 3 and "duplicate" in p.message for p in found)


def test_unknown_reference(tmp_path):
    sites = default_sites()
    nodes = nodes_for(sites)
    sites.loc[0, "province_id"] = "Chungcheongnam"
    found = problems(tmp_path, sites=sites, nodes=nodes)
    assert any(p.column == "province_id" and p.value == "Chungcheongnam" for p in found)


def test_swapped_coordinates_are_caught(tmp_path):
    sites = default_sites()
    nodes = nodes_for(sites)
    sites.loc[0, ["lon", "lat"]] = [36.8898, 126.6466]
    found = problems(tmp_path, sites=sites, nodes=nodes)
    assert any(p.column == "lon" and p.row == 2 and "swapped" in p.message for p in found)


def test_projected_coordinates_are_named(tmp_path):
    sites = default_sites()
    nodes = nodes_for(sites)
    sites.loc[1, ["lon", "lat"]] = [935_000.0, 1_650_000.0]  # EPSG:5179 metres
    found = problems(tmp_path, sites=sites, nodes=nodes)
    hit = [p for p in found if p.row == 3 and "projected" in p.message]
    assert {p.column for p in hit} == {"lon", "lat"} and hit[0].value == 935_000.0


def test_point_in_wrong_province(tmp_path):
    sites = default_sites()
    nodes = nodes_for(sites)
    sites.loc[0, "province_id"] = "Jeonnam"  # a Chungnam point
    nodes.loc[0, "province_id"] = "Jeonnam"
    found = problems(tmp_path, sites=sites, nodes=nodes)
    assert any("outside province Jeonnam" in p.message and p.row == 2 for p in found)


@pytest.mark.parametrize("model, key", [
    ({"solver": {"mip_gap": 0.1}}, "solver.mip_gap"),
    ({"periods": [2035, 2030]}, "periods"),
    ({"economics": {"discount_rate": "five"}}, "economics.discount_rate"),
])
def test_model_file_errors(tmp_path, model, key):
    found = problems(tmp_path, model=model)
    assert any(p.column == key for p in found), [str(p) for p in found]


def test_target_above_capacity_is_explained(tmp_path):
    model = {"constraints": {"targets": {"values": {"2030": 500.0}}}}
    with pytest.raises(InfeasibleError) as exc:
        siting.run(write_case(tmp_path, model=model), runs_dir=None)
    assert "2030 target 500 MW exceeds the 100 MW" in str(exc.value)


def test_cli_reports_without_traceback(tmp_path):
    sites = default_sites()
    sites.loc[0, "module_mw"] = -10
    path = write_case(tmp_path, sites=sites)
    result = CliRunner().invoke(app, ["run", str(path), "--runs-dir", str(tmp_path / "runs")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "module_mw" in result.output and "line 2" in result.output
    assert not (tmp_path / "runs").exists()


def test_cli_validate_ok(tmp_path):
    result = CliRunner().invoke(app, ["validate", str(write_case(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output


def test_missing_file(tmp_path):
    path = write_case(tmp_path)
    (tmp_path / "re_zones.csv").unlink()
    with pytest.raises(InputError) as exc:
        siting.run(path, runs_dir=None)
    assert "re_zones.csv" in str(exc.value) and "not found" in str(exc.value)

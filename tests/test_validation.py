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


# --- where a point may lie: coastline-aware rule (issue 11) ---------------------------------
JEONBUK = {"province_id": "Jeonbuk", "name_ko": "전북특별자치도", "kostat_code": 35,
           "admin_code": "45", "capital_region": "false", "population": 1000,
           "consumption_gwh": 1000.0, "generation_gwh": 1e6, "installed_capacity_mw": 100.0,
           "nuclear_mw": 0.0, "coal_mw": 0.0, "lng_mw": 100.0, "renewable_mw": 0.0,
           "other_mw": 0.0, "tariff_krw_per_kwh": 0.0, "pue": 1.0}


def jeonbuk_case(tmp_path, lon, lat, offshore_km=None):
    """Tiny case plus a Jeonbuk site 'J' at (lon, lat), its node at the same point."""
    import pandas as pd
    from tiny import provinces, site

    j = site("J", "Chungnam", 1.0, 0.0)
    j.update(province_id="Jeonbuk", lon=lon, lat=lat)
    sites = pd.concat([pd.DataFrame([j]), default_sites()], ignore_index=True)
    nodes = nodes_for(sites)
    if offshore_km is not None:
        sites["max_offshore_km"] = [offshore_km, None, None]
        nodes["max_offshore_km"] = [offshore_km, None, None]
    provs = pd.concat([provinces(), pd.DataFrame([JEONBUK])], ignore_index=True)
    return write_case(tmp_path, sites=sites, nodes=nodes, provinces_df=provs)


def located(path):
    return siting.load_inputs(siting.load_model_file(path))


def site_j_problem(path):
    """The one location problem of site 'J' (line 2 of sites.csv)."""
    with pytest.raises(InputError) as exc:
        located(path)
    (p,) = [p for p in exc.value.problems if p.file.endswith("sites.csv") and p.row == 2]
    return p


def test_reclaimed_land_site_is_accepted(tmp_path):
    # Saemangeum reclaimed land: 5.9 km outside the mapped Jeonbuk coast, Jeonbuk nearest,
    # inside the 22.2 km (12 nautical miles) allowed; the old fixed 2 km rejected it.
    inputs = located(jeonbuk_case(tmp_path, 126.55, 35.80))
    assert inputs.sites.at["J", "province_id"] == "Jeonbuk"


def test_point_far_out_in_the_yellow_sea_is_rejected(tmp_path):
    # (125.3, 36.0) lies more than 60 km from every province polygon
    p = site_j_problem(jeonbuk_case(tmp_path, 125.3, 36.0))
    assert p.column == "lon/lat" and "outside province Jeonbuk" in p.message
    assert "max_offshore_km" in p.fix


def test_point_inside_another_province_is_rejected(tmp_path):
    # Seocheon (126.69, 36.08) is inside Chungnam, only ~8 km from Jeonbuk across the Geum
    # estuary: near enough for the coastal rule, but a point inside another province is
    # always an error, also with a generous max_offshore_km
    for offshore in (None, 50.0):
        p = site_j_problem(jeonbuk_case(tmp_path / str(offshore), 126.69, 36.08, offshore))
        assert "inside province Chungnam" in p.message and "Chungnam" in p.fix


def test_offshore_override_column(tmp_path):
    # the Yellow Sea point is accepted with a limit beyond its distance, rejected below it
    located(jeonbuk_case(tmp_path / "far", 125.3, 36.0, offshore_km=80.0))
    p = site_j_problem(jeonbuk_case(tmp_path / "near", 125.3, 36.0, offshore_km=30.0))
    assert "max_offshore_km of 30 km" in p.message


def test_location_message_prints_plain_numbers(tmp_path):
    text = str(site_j_problem(jeonbuk_case(tmp_path, 125.3, 36.0)))
    assert "np.float64" not in text and "(value (125.3, 36.0))" in text


def test_problem_prints_numpy_scalars_plainly():
    import numpy as np

    from siting.errors import Problem

    p = Problem("f.csv", "bad", "fix it", 3, "x", (np.float64(126.55), np.float64(35.8)))
    assert str(p) == "f.csv, line 3, column 'x': bad (value (126.55, 35.8)). Fix: fix it"
    assert "value 394.8)" in str(Problem("f", "m", "x", value=np.float64(394.79999999999995)))
    assert "value 7)" in str(Problem("f", "m", "x", value=np.int64(7)))
    assert "value 'fifty')" in str(Problem("f", "m", "x", value="fifty"))

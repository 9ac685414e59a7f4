"""Run folders: complete, atomic, deterministic."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from tiny import write_case

import siting
from siting.errors import RunExistsError

FILES = {"model.toml", "manifest.json", "sites.csv", "provinces.csv", "corridors.csv",
         "zones.csv", "procurement.csv", "costs.csv", "binding.csv", "kpis.csv", "results.gpkg",
         "solver.log", "map.png", "map.svg", "map.html", "results.xlsx"}


def test_run_folder_contents(tmp_path):
    path = write_case(tmp_path / "case")
    out = siting.run(path, runs_dir=tmp_path / "runs", run_id="r1")
    folder = tmp_path / "runs" / "r1"
    assert {p.name for p in folder.iterdir()} == FILES
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "optimal"
    assert manifest["objective_bn_krw"] == pytest.approx(40.0)
    # the model file's hash is recorded under its path relative to the run folder
    assert "../../case/model.toml" in manifest["inputs_sha256"]
    assert manifest["sizes"]["binary_variables"] == out.sizes["binary_variables"] > 0
    # the resolved model file is itself a valid model file giving the same optimum
    again = siting.run(folder / "model.toml", runs_dir=None)
    assert again.results.solve.objective == pytest.approx(40.0)
    import geopandas as gpd

    sites = gpd.read_file(folder / "results.gpkg", layer="sites")
    assert sites["it_mw_2030"].sum() == pytest.approx(30.0)
    assert len(gpd.read_file(folder / "results.gpkg", layer="provinces")) == 3


def test_existing_run_is_not_overwritten(tmp_path):
    path = write_case(tmp_path / "case")
    siting.run(path, runs_dir=tmp_path / "runs", run_id="r1", draw_map=False)
    with pytest.raises(RunExistsError):
        siting.run(path, runs_dir=tmp_path / "runs", run_id="r1", draw_map=False)
    siting.run(path, runs_dir=tmp_path / "runs", run_id="r1", overwrite=True, draw_map=False)


def test_interrupted_write_leaves_nothing(tmp_path, monkeypatch):
    import siting.outputs.runfolder

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(siting.outputs.runfolder, "write_geopackage", boom)
    with pytest.raises(KeyboardInterrupt):
        siting.run(write_case(tmp_path / "case"), runs_dir=tmp_path / "runs", run_id="r1")
    assert list((tmp_path / "runs").iterdir()) == []


def test_same_inputs_same_results(tmp_path):
    path = write_case(tmp_path / "case")
    a = siting.run(path, runs_dir=tmp_path / "runs", run_id="a", draw_map=False)
    b = siting.run(path, runs_dir=tmp_path / "runs", run_id="b", draw_map=False)
    for name in ("sites", "provinces", "corridors", "costs", "kpis"):
        pd.testing.assert_frame_equal(pd.read_csv(a.run_dir / f"{name}.csv"),
                                      pd.read_csv(b.run_dir / f"{name}.csv"))

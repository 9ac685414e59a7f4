"""Shared run folders for the map and report tests (solved once per test session)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tiny import corridors, provinces, site, write_case, zones

import siting

ROOT = Path(__file__).resolve().parents[1]


def write_grid_case(folder: Path) -> Path:
    """A tiny two-period case with corridor flows, one binding corridor, one corridor not
    yet in service and two renewable zones.

    Chungnam and Jeonnam have no spare supply, so Seoul exports: 2027 A = 20 MW
    (Seoul -> Chungnam 20 MW); 2030 A = 50, B = 10 MW (Seoul -> Chungnam 60 of 100 MW,
    Chungnam -> Jeonnam 10 of 10 MW, binding). The Seoul-Jeonnam link enters in 2031.
    """
    sites = pd.DataFrame([site("A", "Chungnam", 1.0, 10.0, available=2027),
                          site("B", "Jeonnam", 2.0, 0.0, available=2027),
                          site("C", "Seoul", 3.0, 0.0, available=2027)])
    z = zones([("jn_solar", "Jeonnam solar", "Jeonnam", "solar", 126.9, 34.9, 900.0, 0.15,
                80.0),
               ("cn_wind", "Chungnam offshore wind", "Chungnam", "offshore_wind", 126.2, 36.6,
                3000.0, 0.3, 90.0)])
    cor = corridors([("Chungnam-Jeonnam", "Chungnam", "Jeonnam", 10.0, 200.0, 1900),
                     ("Seoul-Chungnam", "Seoul", "Chungnam", 100.0, 100.0, 1900),
                     ("Seoul-Jeonnam_hvdc", "Seoul", "Jeonnam", 50.0, 300.0, 2031)])
    model = {"periods": [2027, 2030],
             "constraints": {"targets": {"values": {"2027": 20.0, "2030": 60.0}},
                             "grid": {"enabled": True, "transmission_krw_per_kwh": 1.0}},
             "economics": {"base_year": 2027}}
    spare = provinces(spare_gwh={"Seoul": 1e6, "Chungnam": 0.0, "Jeonnam": 0.0})
    return write_case(folder, model=model, sites=sites, zones_df=z, corridors_df=cor,
                      provinces_df=spare)


@pytest.fixture(scope="session")
def tiny_run_dir(tmp_path_factory) -> Path:
    """Run folder (with maps) of :func:`write_grid_case`."""
    base = tmp_path_factory.mktemp("tiny_maps")
    out = siting.run(write_grid_case(base / "case"), runs_dir=base / "runs", run_id="tiny")
    return out.run_dir


@pytest.fixture(scope="session")
def default_run_dir(tmp_path_factory) -> Path:
    """Run folder (with maps) of the default Korean scenario."""
    base = tmp_path_factory.mktemp("default_maps")
    out = siting.run(ROOT / "models" / "korea-2030.toml", runs_dir=base, run_id="default")
    return out.run_dir

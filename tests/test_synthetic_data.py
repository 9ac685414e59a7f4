"""Synthetic instances find the real tables in an installed package too, or say what to do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from siting.errors import SitingError
from siting.problems import synthetic

ROOT = Path(__file__).resolve().parents[1]


def test_explicit_data_dir_gives_the_same_instance(tmp_path):
    for name in synthetic.REAL_TABLES:
        shutil.copy(ROOT / "data" / name, tmp_path / name)
    a = synthetic.synthetic_case(12, 2, seed=5)
    b = synthetic.synthetic_case(12, 2, seed=5, data_dir=tmp_path)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])


def test_installed_package_without_data_says_what_to_pass(tmp_path, monkeypatch):
    # an installed wheel: no data/ beside the package
    monkeypatch.setattr(synthetic, "SOURCE_DATA_DIR", tmp_path / "site-packages" / "data")
    with pytest.raises(SitingError, match="provinces.csv.*this installation has none.*data_dir"):
        synthetic.synthetic_case(12, 2)


def test_missing_table_in_data_dir_is_named(tmp_path):
    shutil.copy(ROOT / "data" / "provinces.csv", tmp_path / "provinces.csv")
    with pytest.raises(SitingError, match="corridors.csv, re_zones.csv are missing in data_dir"):
        synthetic.synthetic_case(12, 2, data_dir=tmp_path)

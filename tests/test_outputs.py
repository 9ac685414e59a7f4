"""Output tables a person can read and a run folder that names no path of the machine;
one reader that says which file of a run folder is damaged."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import siting
from siting.cli import app
from siting.errors import SitingError
from siting.outputs import reader, report
from siting.outputs.style import decimals, readable

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def default_tables(tmp_path_factory) -> Path:
    """Run folder of the default scenario, without maps (about 4 s)."""
    base = tmp_path_factory.mktemp("default_tables")
    return siting.run(ROOT / "models" / "korea-2030.toml", runs_dir=base / "runs",
                      run_id="d", draw_map=False).run_dir


def test_tables_carry_no_float_noise(default_tables):
    # the default scenario's 2027 facility load was written 394.79999999999995 (300 MW x 1.316)
    noisy = re.compile(r"\d\.\d{7,}")
    for csv in sorted(default_tables.glob("*.csv")):
        text = csv.read_text(encoding="utf-8")
        assert not noisy.search(text), (csv.name, noisy.search(text).group())
    kpis = pd.read_csv(default_tables / "kpis.csv")
    assert kpis["facility_mw"].tolist() == [round(x, 6) for x in kpis["facility_mw"]]


def test_rounding_rules():
    assert (decimals("it_mw"), decimals("renewable_share"), decimals("present_value_bn_krw"),
            decimals("capex_bn_krw_per_yr"), decimals("lon")) == (6, 6, 6, 6, None)
    df = readable(pd.DataFrame({"facility_mw": [300 * 1.316, -1e-12],
                                "lon": [126.1234567] * 2, "share": [1 / 3, 0.5]}))
    assert df["facility_mw"].tolist() == [394.8, 0.0] and str(df.at[1, "facility_mw"]) == "0.0"
    assert df["lon"].tolist() == [126.1234567] * 2  # coordinates as read
    assert df["share"].tolist() == [0.333333, 0.5]


def test_korean_names_beside_english(default_tables):
    data_sites = pd.read_csv(ROOT / "data" / "sites.csv").set_index("site_id")
    data_prov = pd.read_csv(ROOT / "data" / "provinces.csv").set_index("province_id")
    sites = pd.read_csv(default_tables / "sites.csv", keep_default_na=False)
    cols = list(sites.columns)
    assert cols[cols.index("name") + 1] == "name_ko"
    expected = sites["site_id"].map(data_sites["name_ko"].fillna(""))
    assert (sites["name_ko"] == expected).all() and sites["name_ko"].str.len().gt(0).any()
    prov = pd.read_csv(default_tables / "provinces.csv")
    cols = list(prov.columns)
    assert cols[cols.index("province_id") + 1] == "name_ko"
    assert (prov["name_ko"] == prov["province_id"].map(data_prov["name_ko"])).all()
    assert "서울특별시" in set(prov["name_ko"]) or prov["name_ko"].str.contains("서울").any()


def test_no_machine_paths_in_the_run_folder(default_tables):
    report.write_report(default_tables, pdf=False)
    # an absolute path starts at "/" after a quote, "=", a space or a tag, never after "..";
    # relative paths may climb (runs under /tmp, data under /work), but name no root
    roots = {Path(p).parts[1] for p in (ROOT, default_tables, Path.home())}
    absolute = re.compile(r"(?<![\w.])/(?:" + "|".join(map(re.escape, roots)) + r")\b")
    for name in ("manifest.json", "model.toml"):
        text = (default_tables / name).read_text(encoding="utf-8")
        assert not absolute.search(text), (name, absolute.search(text))
    # the report's cells showing files and settings (the cited sources are data, not paths)
    page = (default_tables / "report.html").read_text(encoding="utf-8")
    cells = re.findall(r'<td data-col="(?:path|value|setting)"[^>]*>(.*?)</td>', page)
    assert any("sites.csv" in c for c in cells)
    assert not [c for c in cells if absolute.search(c)]
    manifest = json.loads((default_tables / "manifest.json").read_text())
    assert all(not Path(p).is_absolute() for p in manifest["inputs_sha256"])
    # the relative paths still lead to the files, so the report can tell they are unchanged:
    # the five tables, the seven network tables of the grid family's network mode,
    # provenance.csv and sources.csv beside them, and the model file
    states = report.input_states(manifest, default_tables)
    assert set(states["state"]) == {"unchanged"} and len(states) == 5 + 7 + 2 + 1
    # and the resolved model file still runs from wherever it is started
    again = siting.run(default_tables / "model.toml", runs_dir=None)
    assert again.results.solve.objective == pytest.approx(
        manifest["objective_bn_krw"], rel=1e-9)


@pytest.fixture
def copy_of(tiny_run_dir, tmp_path):
    def make() -> Path:
        target = tmp_path / "copy"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(tiny_run_dir, target)
        return target
    return make


@pytest.mark.parametrize(("file", "damage", "says"), [
    ("manifest.json", lambda p: p.write_text(p.read_text()[:40]), "manifest.json is damaged"),
    ("model.toml", lambda p: p.write_text("periods = [2027,\n[data"), "model.toml is damaged"),
    ("model.toml", lambda p: p.write_text('name = "x"\n'), "model.toml is damaged"),
    ("sites.csv", lambda p: p.unlink(), "sites.csv is missing"),
    ("zones.csv", lambda p: p.write_text(""), "zones.csv is damaged"),
    ("provinces.csv", lambda p: p.write_text("province_id,period\nSeoul,2027\n"),
     "provinces.csv is damaged"),
    ("kpis.csv", lambda p: p.write_bytes(b"\xff\xfe\x00bad"), "kpis.csv is damaged"),
])
def test_damaged_run_folder_names_the_file(copy_of, file, damage, says):
    folder = copy_of()
    damage(folder / file)
    with pytest.raises(SitingError, match=re.escape(says)):
        reader.read_run(folder)
    res = CliRunner().invoke(app, ["report", str(folder), "--no-pdf"])
    assert res.exit_code == 2 and says in res.output and "Traceback" not in res.output


def test_maps_and_report_read_the_same_tables(tiny_run_dir):
    run = reader.read_run(tiny_run_dir)
    rec = report.read_run(tiny_run_dir)
    pd.testing.assert_frame_equal(run.tables.provinces, rec.tables.provinces)
    pd.testing.assert_frame_equal(reader.read_run_tables(tiny_run_dir).sites, rec.tables.sites)
    assert list(rec.tables.province_info.columns) == ["name_ko", "admin_code", "capital_region"]
    assert rec.tables.province_info["admin_code"].map(type).eq(str).all()

"""results.xlsx: one sheet per CSV with the same values and rows, units in the headers,
Korean names beside the IDs, frozen headers, formula-like text kept as text."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from openpyxl import load_workbook
from tiny import default_sites, write_case

import siting
from siting.outputs.reader import REQUIRED, TABLES, formula_restored, read_table
from siting.outputs.workbook import WORKBOOK, column_unit, write_run_workbook

UNIT = re.compile(r" \[[^\]]*\]$")


def sheet_frame(ws) -> pd.DataFrame:
    rows = list(ws.iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def csv_table(run_dir, name) -> pd.DataFrame:
    return formula_restored(read_table(run_dir / f"{name}.csv", REQUIRED.get(name, ())))


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """The tiny case with a site whose name a spreadsheet would run as a formula and a
    Korean name; target 30 MW -> A builds 30 MW (cost 30 + 10 = 40 < B's 60)."""
    base = tmp_path_factory.mktemp("workbook")
    sites = default_sites()
    sites.loc[0, "name"] = '=HYPERLINK("http://x","click")'
    sites.loc[0, "name_ko"] = "충남 부지"
    out = siting.run(write_case(base / "case", sites=sites), runs_dir=base / "runs",
                     run_id="wb", draw_map=False)
    return out.run_dir


def test_sheets_equal_the_csvs(hostile_run):
    wb = load_workbook(hostile_run / WORKBOOK)
    assert wb.sheetnames == ["run", *TABLES]
    for name in TABLES:
        csv = csv_table(hostile_run, name)
        sheet = sheet_frame(wb[name])
        sheet.columns = [UNIT.sub("", c) for c in sheet.columns]
        assert len(sheet) == len(csv), name
        for col in csv.columns:  # every CSV column, same values (numbers exactly)
            got, want = sheet[col], csv[col]
            if pd.api.types.is_numeric_dtype(want):
                assert got.astype(float).tolist() == pytest.approx(
                    want.astype(float).tolist(), nan_ok=True, rel=0, abs=0), (name, col)
            else:
                assert [None if pd.isna(v) else str(v) for v in got] == \
                    [None if pd.isna(v) else str(v) for v in want], (name, col)
        assert set(sheet.columns) - set(csv.columns) <= {
            "province_ko", "from_province_ko", "to_province_ko", "site_name_ko", "id_ko"}


def test_headers_frozen_units_and_formats(hostile_run):
    wb = load_workbook(hostile_run / WORKBOOK)
    for name in TABLES:
        ws = wb[name]
        assert ws.freeze_panes in ("A2", "B2")
        assert ws.auto_filter.ref.startswith("A1:")
    heads = [c.value for c in wb["sites"][1]]
    assert "it_mw [MW]" in heads and "renewable_share [%]" in heads
    assert "lon [°]" in heads and "period [year]" in heads
    assert "present_value_bn_krw [bn KRW]" in [c.value for c in wb["costs"][1]]
    col = heads.index("it_mw [MW]")
    assert wb["sites"].cell(row=2, column=col + 1).number_format == column_unit("it_mw")[1]
    # a share keeps its value (0 <= x <= 1) and is shown as percent by its format
    share = [c.value for c in wb["kpis"][1]].index("capital_region_share [%]")
    assert wb["kpis"].cell(row=2, column=share + 1).number_format == "0.0%"
    assert wb["sites"].column_dimensions["C"].width > 10  # widths set from the contents


def test_korean_names_beside_ids(hostile_run):
    wb = load_workbook(hostile_run / WORKBOOK)
    sites = sheet_frame(wb["sites"])
    assert dict(zip(sites["province_id"], sites["province_ko"])) == {
        "Chungnam": "충청남도", "Jeonnam": "전라남도"}
    corridors = sheet_frame(wb["corridors"])
    row = corridors[corridors["corridor_id"] == "Seoul-Chungnam"].iloc[0]
    assert (row["from_province_ko"], row["to_province_ko"]) == ("서울특별시", "충청남도")


def test_formula_like_text_stays_text(hostile_run):
    ws = load_workbook(hostile_run / WORKBOOK)["sites"]
    heads = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=heads.index("name") + 1)
    site = ws.cell(row=2, column=1).value
    assert site == "A"
    assert cell.data_type == "s" and cell.quotePrefix
    assert cell.value == '=HYPERLINK("http://x","click")'  # shown as it is, never run


def test_rewrite_gives_the_same_cells(hostile_run):
    first = {ws.title: sheet_frame(ws) for ws in load_workbook(hostile_run / WORKBOOK)
             if ws.title != "run"}
    (hostile_run / WORKBOOK).unlink()
    write_run_workbook(hostile_run)
    again = {ws.title: sheet_frame(ws) for ws in load_workbook(hostile_run / WORKBOOK)
             if ws.title != "run"}
    assert first.keys() == again.keys()
    for name, frame in first.items():
        pd.testing.assert_frame_equal(frame, again[name], check_dtype=False)
    assert not [p for p in hostile_run.iterdir() if ".partial-" in p.name]


def test_rewrite_of_a_damaged_folder_names_the_file(hostile_run, tmp_path):
    import shutil

    from siting.errors import SitingError

    broken = tmp_path / "broken"
    shutil.copytree(hostile_run, broken)
    (broken / "costs.csv").unlink()
    with pytest.raises(SitingError, match="costs.csv is missing"):
        write_run_workbook(broken)

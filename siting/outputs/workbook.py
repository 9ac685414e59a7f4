"""Stage 5: ``results.xlsx``, the run's tables as one Excel workbook (openpyxl).

Korean ministries and KEPCO exchange Excel, so every run folder and every sweep folder
holds a workbook beside its CSVs:

- one sheet per table (``sites``, ``provinces``, ... as the CSVs, after a ``run`` sheet
  naming the run, its status and objective);
- the unit of each column in its header (``it_mw [MW]``, from :data:`UNITS`);
- the Korean name beside each ID (``province_ko`` after ``province_id``, taken from the
  run's own ``provinces.csv`` and ``sites.csv``);
- numbers shown rounded for reading by cell formats (``#,##0.0`` MW, ``0.0%`` shares);
  the cells hold exactly the values of the CSVs;
- the header row and the first column frozen, a filter on the header, column widths to fit;
- text a spreadsheet would run as a formula (a site named ``=HYPERLINK(...)``) written as
  text with Excel's quote prefix, so it is shown as it is and never run.

Written through :mod:`siting.outputs.atomic`: inside a run folder's temporary folder, or
with :func:`~siting.outputs.atomic.atomic_path` when written again for an existing folder
(``siting workbook RUN``), so no half-written workbook is ever left under its name.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from .atomic import atomic_path, write_errors_reported
from .reader import formula_restored, needs_quote

WORKBOOK = "results.xlsx"
"""File name of the workbook in a run or sweep folder."""

UNITS = (
    (r"^(period|available_from|kpi__period)$", "year", "0"),
    (r"^(lon|lat)$", "°", "0.0000"),
    (r"^(open|in_service|capital_region)$", "", "General"),
    ((r"(^|_)(modules|sites_open|provinces_used|host_provinces|min_host_provinces|"
     r"binding_grid_limits|binding_rows)$"), "count", "#,##0"),
    (r"marginal_bn_krw_per_unit$", "bn KRW per unit of the limit", "#,##0.000"),
    (r"_bn_krw_per_yr$", "bn KRW/yr", "#,##0.0"),
    (r"_bn_krw_per_mw$", "bn KRW/MW", "#,##0.00"),
    (r"_bn_krw$", "bn KRW", "#,##0.0"),
    (r"_krw_per_kwh$", "KRW/kWh", "#,##0.0"),
    (r"(_mw$|^it_mw__)", "MW", "#,##0.0"),
    (r"_mva$", "MVA", "#,##0"),
    (r"_gwh$", "GWh", "#,##0"),
    (r"_km$", "km", "#,##0.0"),
    (r"(_share|_rate)$", "%", "0.0%"),
    (r"_scale$", "x", "0.00"),
    (r"discount_factor_yr$", "yr", "0.000"),
    (r"mip_gap$", "-", "0.00E+00"),
    (r"^seconds__", "s", "0.00"),
    (r"^(value|bound|slack)$", "see unit", "#,##0.00"),
)
"""Column-name rule (regular expression, first match wins) -> unit shown in the header and
the cell format. ``%`` columns hold shares (0.25) shown as 25.0 %."""

ID_NAMES = {"province_id": ("province", "province_ko"),
            "from_province": ("province", "from_province_ko"),
            "to_province": ("province", "to_province_ko"),
            "site_id": ("site", "site_name_ko"),
            "id": ("any", "id_ko")}
"""ID column -> (which names it takes, the Korean column added after it)."""
MAX_WIDTH = 60
"""Widest column [characters]."""


def column_unit(column: str) -> tuple[str, str]:
    """``(unit, number format)`` of a column by :data:`UNITS` (``("", "General")`` if none).

    A sweep table's ``param__``/``kpi__`` prefix is looked through: ``kpi__it_mw`` is MW.
    """
    name = str(column)
    for prefix in ("param__", "kpi__"):
        if name.startswith(prefix) and name != "kpi__period":
            name = name.removeprefix(prefix)
    for rule, unit, fmt in UNITS:
        if re.search(rule, name):
            return unit, fmt
    return "", "General"


def header(column: str, unit: str | None = None) -> str:
    """Header cell: ``it_mw [MW]`` (the column name alone when it has no unit)."""
    unit = column_unit(column)[0] if unit is None else unit
    return f"{column} [{unit}]" if unit else str(column)


def korean_names(tables: dict[str, pd.DataFrame]) -> dict[str, dict[str, str]]:
    """Korean names by ID from a run's own tables: ``{"province": {...}, "site": {...}}``
    (sites without a Korean name are left out)."""
    out: dict[str, dict[str, str]] = {"province": {}, "site": {}}
    for key, table in (("province", "provinces"), ("site", "sites")):
        df = tables.get(table)
        if df is not None and "name_ko" in df:
            named = df.dropna(subset=["name_ko"]).drop_duplicates(f"{key}_id")
            out[key] = {str(k): str(v) for k, v in zip(named[f"{key}_id"], named["name_ko"])
                        if str(v).strip()}
    return out


OWN_ID = {"sites": "site_id", "provinces": "province_id"}
"""Tables whose ``name_ko`` already names their own ID."""


def with_korean(df: pd.DataFrame, names: dict[str, dict[str, str]],
                table: str = "") -> pd.DataFrame:
    """``df`` (the table named ``table``) with the Korean name after each ID column of
    :data:`ID_NAMES`; none after the table's own ID (:data:`OWN_ID`: its ``name_ko`` is
    there) or where no ID of the column has a Korean name."""
    out = df.copy()
    for col, (kind, new) in ID_NAMES.items():
        if col not in out.columns or new in out.columns or OWN_ID.get(table) == col:
            continue
        lookup = (names["province"] | names["site"]) if kind == "any" else names[kind]
        values = out[col].map(lambda v, lk=lookup: lk.get(str(v)))
        if values.notna().any():
            out.insert(out.columns.get_loc(col) + 1, new, values)
    return out


def write_workbook(path: Path, sheets: dict[str, pd.DataFrame],
                   units: dict[str, dict[str, str]] | None = None,
                   links: dict[str, pd.Series] | None = None) -> Path:
    """Write ``sheets`` (sheet name -> table) to ``path`` (an ``.xlsx`` file).

    Parameters
    ----------
    sheets : dict
        Tables as written to CSV (text quoted by
        :func:`~siting.outputs.reader.formula_safe` is restored and written as text).
    units : dict, optional
        Sheet -> column -> unit, overriding :func:`column_unit` (sweep parameters).
    links : dict, optional
        Sheet -> a Series of relative links (same index as the sheet's table) that make
        the cells of the first column hyperlinks (a sweep's scenario folders).
    """
    from openpyxl import Workbook

    wb = Workbook(write_only=True)  # streams rows: a third of the time of a normal workbook
    for name, df in sheets.items():
        ws = wb.create_sheet(_sheet_name(name))
        _fill(ws, formula_restored(df), (units or {}).get(name, {}),
              (links or {}).get(name))
    wb.save(path)
    return Path(path)


def _sheet_name(name: str) -> str:
    """Excel allows 31 characters and none of ``[]:*?/\\``."""
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31]


def _fill(ws, df: pd.DataFrame, units: dict[str, str], links: pd.Series | None) -> None:
    """Column widths, frozen header, filter, then the rows (a write-only sheet takes its
    layout before its rows)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    heads = [header(c, units.get(c)) for c in df.columns]
    formats = [column_unit(c)[1] for c in df.columns]
    for j, (col, head) in enumerate(zip(df.columns, heads), start=1):
        width = max([_width(head), *(_width(v, formats[j - 1]) for v in df[col])])
        ws.column_dimensions[get_column_letter(j)].width = min(width + 2, MAX_WIDTH)
    ws.freeze_panes = "B2" if len(df.columns) > 1 else "A2"
    if len(df.columns):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(df.columns))}{len(df) + 1}"
    bold, grey = Font(bold=True), PatternFill("solid", fgColor="DDE3EA")
    row = []
    for head in heads:
        cell = WriteOnlyCell(ws, value=head)
        cell.data_type, cell.font, cell.fill = "s", bold, grey
        row.append(cell)
    ws.append(row)
    targets = list(links) if links is not None else [None] * len(df)
    for values, link in zip(df.itertuples(index=False), targets):
        row = [_cell(ws, v, f) for v, f in zip(values, formats)]
        if isinstance(link, str) and link and row:
            row[0].hyperlink, row[0].style = link, "Hyperlink"
        ws.append(row)


def _cell(ws, value, fmt: str):
    """One cell: NaN empty, numpy scalars as Python numbers, text as text."""
    from openpyxl.cell import WriteOnlyCell

    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return WriteOnlyCell(ws, value=None)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would take "=..." as a formula
        if needs_quote(value):
            cell.quotePrefix = True
    elif isinstance(value, int | float) and not isinstance(value, bool):
        cell.number_format = fmt
    return cell


def _width(value, fmt: str = "General") -> int:
    """Characters a cell needs; Hangul counts twice."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 0
    if isinstance(value, float) and fmt != "General":
        text = f"{value:,.1f}" if "%" not in fmt else f"{100 * value:.1f}%"
    else:
        text = str(value)
    return len(text) + sum(1 for ch in text if "\uac00" <= ch <= "\ud7a3")


# --- run folders -----------------------------------------------------------------------


def about_sheet(manifest: dict) -> pd.DataFrame:
    """The ``run`` sheet: what the workbook is of, and how to read it."""
    rows = [("run", manifest.get("run_id")), ("model", manifest.get("model")),
            ("created (UTC)", manifest.get("created_utc")), ("solver", manifest.get("solver")),
            ("status", manifest.get("status")),
            ("objective [bn KRW, present value]", manifest.get("objective_bn_krw")),
            ("MIP gap [-]", manifest.get("mip_gap")),
            ("how to read", ("one sheet per CSV of the run folder; units in brackets in each "
                            "header; cells hold the CSV values, shown rounded by their "
                            "format; Korean names (_ko) beside the IDs"))]
    return pd.DataFrame(rows, columns=["item", "entry"])


def run_sheets(tables: dict[str, pd.DataFrame], manifest: dict) -> dict[str, pd.DataFrame]:
    """Sheets of a run's workbook: ``run`` then every table (as written to CSV, text
    quoted by :func:`~siting.outputs.reader.formula_safe`), Korean names beside IDs."""
    names = korean_names({n: formula_restored(df) for n, df in tables.items()})
    return {"run": about_sheet(manifest)} | {n: with_korean(df, names, n)
                                             for n, df in tables.items()}


def write_run_workbook(run_dir: Path) -> Path:
    """(Re)write ``results.xlsx`` of an existing run folder from its CSVs, atomically.

    Raises
    ------
    SitingError
        The folder is not a run folder, or one of its CSVs is missing or damaged.
    OutputError
        The workbook cannot be written.
    """
    from .reader import REQUIRED, TABLES, read_manifest, read_table

    run_dir = Path(run_dir)
    manifest = read_manifest(run_dir)
    tables = {n: read_table(run_dir / f"{n}.csv", REQUIRED[n], **(
        {"dtype": {"admin_code": str}} if n == "provinces" else {})) for n in TABLES}
    if (run_dir / "policy_costs.csv").is_file():
        tables["policy_costs"] = read_table(run_dir / "policy_costs.csv")
    path = run_dir / WORKBOOK
    with write_errors_reported(run_dir, "the workbook into"), atomic_path(path) as tmp:
        write_workbook(tmp, run_sheets(tables, manifest))
    return path

"""Input table schemas, kept as data in ``schema.csv``.

The same table drives validation (:func:`validate_table`) and the reference
documentation of the input files (:func:`schema_markdown`).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import numpy as np
import pandas as pd

from ..errors import Problem
from .validation import fmt_number

REQUIRED_TABLES = ("provinces", "sites", "grid_nodes", "corridors", "re_zones")
NETWORK_TABLES = ("network_buses", "network_lines", "network_transformers", "network_links",
                  "network_generators", "network_demand", "network_snapshots")
"""The transmission network, read by the grid family's ``network`` mode."""
OPTIONAL_TABLES = ("demand_centres", "demand_split", "network_latency") + NETWORK_TABLES
"""Tables a model file may leave out of ``[data]``: the demand side of the service family
and the network of the grid family's ``network`` mode (read only when named)."""
TABLES = REQUIRED_TABLES + OPTIONAL_TABLES
MAY_BE_EMPTY = ("corridors", "re_zones", "network_transformers", "network_links")
"""Tables that may hold a header and no rows (one province needs no corridor; the renewable
family can be off); the others need at least one row."""
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}
LIMIT = 1e15
"""Largest magnitude any number in any table may have, also where ``schema.csv`` states no
bound (a net under a column added without one); every shipped column states its own range."""


@cache
def schema() -> pd.DataFrame:
    """Return the schema of every input table.

    Returns
    -------
    pandas.DataFrame
        Columns ``table, column, dtype, unit, required, min, max, description``.
    """
    path = files("siting.inputs") / "schema.csv"
    with path.open(encoding="utf-8") as fh:
        df = pd.read_csv(fh, dtype=str, keep_default_na=False)
    df["required"] = df["required"].str.lower().eq("true")
    for bound in ("min", "max"):
        df[bound] = pd.to_numeric(df[bound].replace("", np.nan))
    return df


def table_schema(table: str) -> pd.DataFrame:
    """Rows of :func:`schema` for one table, in column order."""
    return schema()[schema()["table"] == table].reset_index(drop=True)


def key_column(table: str) -> str:
    """The identifier column of a table (its first column)."""
    return str(table_schema(table)["column"].iloc[0])


def _convert(raw: pd.Series, dtype: str) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Convert a text column; return values, a mask of cells that failed and a mask of
    non-finite numbers (``inf``, ``nan``, ``1e999``), which are reported on their own.

    Numeric columns come back as floats (whole-number columns are cast after the range
    check, so ``1e308`` in an ``int`` column is reported, not an overflow)."""
    text = raw.str.strip()
    none = pd.Series(False, index=raw.index)
    if dtype == "str":
        return text, none, none
    if dtype == "bool":
        low = text.str.lower()
        bad = ~low.isin(_TRUE | _FALSE)
        return low.isin(_TRUE), bad, none
    num = pd.to_numeric(text, errors="coerce").astype(float)
    nonfinite = np.isinf(num)
    bad = num.isna() & text.ne("")
    if bad.any():  # 'nan' parses as NaN: tell it from text that is no number at all
        nan = bad & text.str.lower().str.lstrip("+-").eq("nan")
        nonfinite, bad = nonfinite | nan, bad & ~nan
    if dtype == "int":
        bad = bad | (np.isfinite(num) & (num % 1 != 0))
    return num.where(~(bad | nonfinite)), bad, nonfinite


def _as_dtype(values: pd.Series, spec) -> pd.Series:
    """Whole-number columns as ``Int64``; a value out of range (already reported, e.g.
    ``1e308``, which no integer type holds) is left empty."""
    if spec.dtype != "int":
        return values
    lo, hi = _bounds(spec)
    return values.where(values.between(lo, hi)).astype("Int64")


def validate_table(raw: pd.DataFrame, table: str, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Check and type one input table against its schema.

    Parameters
    ----------
    raw : pandas.DataFrame
        The table as read, every cell a string.
    table : str
        Table name, one of :data:`TABLES`.
    file : str
        Path shown in error messages.

    Returns
    -------
    (pandas.DataFrame, list of Problem)
        The typed table (schema columns only, extra columns kept as text) and all
        problems found; the table is only meaningful when the list is empty.
    """
    cols = table_schema(table)
    problems: list[Problem] = []
    known = set(cols["column"])
    missing = [c for c in cols.loc[cols["required"], "column"] if c not in raw.columns]
    for col in missing:
        near = _closest(col, [c for c in raw.columns if c not in known])
        hint = f" (found '{near}': rename it)" if near else ""
        problems.append(Problem(file, f"required column '{col}' is missing{hint}",
                                f"add a column '{col}' ({_describe(cols, col)})", column=col))
    if missing:
        return raw, problems
    if raw.empty and table not in MAY_BE_EMPTY:
        return raw, [Problem(file, "the table has a header but no rows", "add its rows "
                             f"below the header (only {' and '.join(MAY_BE_EMPTY)} may be "
                             "empty)", row=2)]
    out = raw.copy()
    line = pd.Series(np.arange(len(raw)) + 2, index=raw.index)  # header is line 1
    for spec in cols.itertuples():
        if spec.column not in raw.columns:
            continue
        values, bad, nonfinite = _convert(raw[spec.column].astype(str), spec.dtype)
        empty = raw[spec.column].astype(str).str.strip().eq("")
        for i in raw.index[bad]:
            problems.append(Problem(file, f"expected {_dtype_word(spec.dtype)}",
                                    f"write a {_dtype_word(spec.dtype)} ({spec.unit or 'no unit'})",
                                    int(line[i]), spec.column, raw.at[i, spec.column]))
        for i in raw.index[nonfinite]:
            problems.append(Problem(file, "not a finite number", f"write a finite "
                                    f"{_dtype_word(spec.dtype)} {_range_words(spec)}",
                                    int(line[i]), spec.column, raw.at[i, spec.column].strip()))
        if spec.required:
            for i in raw.index[empty]:
                problems.append(Problem(file, "value is empty",
                                        f"fill in {_describe(cols, spec.column)}",
                                        int(line[i]), spec.column, ""))
        if spec.dtype in ("int", "float"):
            problems += _range_problems(values, spec, file, line)
            values = _as_dtype(values, spec)
        out[spec.column] = values
    key = cols["column"].iloc[0]
    dup = out[key].duplicated(keep="first") & out[key].ne("")
    for i in out.index[dup]:
        first = int(line[out.index[(out[key] == out.at[i, key])][0]])
        problems.append(Problem(file, f"duplicate {key} (first used on line {first})",
                                "give every row its own identifier", int(line[i]), key,
                                out.at[i, key]))
    return out, problems


def _bounds(spec) -> tuple[float, float]:
    """The allowed range of a numeric column; :data:`LIMIT` where the schema gives none."""
    lo = -LIMIT if np.isnan(spec.min) else float(spec.min)
    hi = LIMIT if np.isnan(spec.max) else float(spec.max)
    return lo, hi


def _range_words(spec) -> str:
    lo, hi = _bounds(spec)
    return f"in [{fmt_number(lo)}, {fmt_number(hi)}]" + (f" {spec.unit}" if spec.unit else "")


def _range_problems(values: pd.Series, spec, file: str, line: pd.Series) -> list[Problem]:
    problems = []
    lo, hi = _bounds(spec)
    unit = f" {spec.unit}" if spec.unit else ""
    if spec.unit == "degree":
        projected = values.abs().between(360, 1e8, inclusive="right")  # metres, not 1e308
        for i in values.index[projected]:
            problems.append(Problem(
                file, "looks like a projected coordinate in metres (e.g. EPSG:5179 or "
                "EPSG:5186), not a WGS84 degree", "convert the points to EPSG:4326 "
                "longitude/latitude (e.g. geopandas .to_crs(4326))", int(line[i]),
                spec.column, _plain(values[i])))
        values = values.where(~projected)
    for i in values.index[values.notna() & (values < lo)]:
        problems.append(Problem(file, f"below the allowed minimum {fmt_number(lo)}{unit}",
                                f"use a value {_range_words(spec)}", int(line[i]), spec.column,
                                _plain(values[i])))
    for i in values.index[values.notna() & (values > hi)]:
        problems.append(Problem(file, f"above the allowed maximum {fmt_number(hi)}{unit}",
                                f"use a value {_range_words(spec)}", int(line[i]), spec.column,
                                _plain(values[i])))
    return problems


def _plain(v):
    return v.item() if hasattr(v, "item") else v


def _dtype_word(dtype: str) -> str:
    return {"int": "whole number", "float": "number", "bool": "true/false", "str": "text"}[dtype]


def _describe(cols: pd.DataFrame, col: str) -> str:
    row = cols[cols["column"] == col].iloc[0]
    unit = f" [{row['unit']}]" if row["unit"] else ""
    return f"{row['description']}{unit}"


def _closest(name: str, candidates: list[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return match[0] if match else None


FILE_RULES = """Every number must be finite (`inf` and `nan` are refused) and within its
column's range. Ranges without a physical limit (capacities, costs, energy, lengths) are
plausibility limits that only catch typos and absurd values (`1e308`) before they reach the
solver: each is a round number 2.6 to 8,300 times the largest value in the shipped `data/`
tables, and above the 1,000,000 that tests use as "unlimited" headroom or rating.

Files are UTF-8 text (a byte-order mark is accepted); a file saved as cp949/EUC-KR is
refused with a message saying so. Every column name appears once in the header. `provinces`,
`sites` and `grid_nodes` need at least one row; `corridors` and `re_zones` may be a header
alone. `demand_centres`, `demand_split` and `network_latency` are optional: a model file
names them in `[data]` to give the service family its Korean demand side. The seven
`network_*` tables are optional too; the grid family's `network` mode needs all of them
(`network_transformers` and `network_links` may be a header alone).

The model file's `[data]` paths may point anywhere on the disk: a relative path is resolved
against the model file's folder (the shipped models read `../data/*.csv`), an absolute path
is used as it is. Each must name a regular `.csv` file; the tool only reads it, and the run's
`manifest.json` records its resolved absolute path and SHA-256."""


def schema_markdown() -> str:
    """Reference documentation of every input table, generated from the schema."""
    parts = [FILE_RULES, ""]
    for table in TABLES:
        cols = table_schema(table)
        parts.append(f"### `{table}.csv`\n")
        parts.append("| column | type | unit | required | range | description |")
        parts.append("|---|---|---|---|---|---|")
        for r in cols.itertuples():
            rng = ""
            if not (np.isnan(r.min) and np.isnan(r.max)):
                lo = "" if np.isnan(r.min) else fmt_number(r.min)
                hi = "" if np.isnan(r.max) else fmt_number(r.max)
                rng = f"[{lo}, {hi}]"
            parts.append(f"| `{r.column}` | {r.dtype} | {r.unit} | "
                         f"{'yes' if r.required else 'no'} | {rng} | {r.description} |")
        parts.append("")
    return "\n".join(parts)

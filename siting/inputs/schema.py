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

TABLES = ("provinces", "sites", "grid_nodes", "corridors", "re_zones")
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


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


def _convert(raw: pd.Series, dtype: str) -> tuple[pd.Series, pd.Series]:
    """Convert a text column; return values and a mask of cells that failed."""
    text = raw.str.strip()
    if dtype == "str":
        return text, pd.Series(False, index=raw.index)
    if dtype == "bool":
        low = text.str.lower()
        bad = ~low.isin(_TRUE | _FALSE)
        return low.isin(_TRUE), bad
    num = pd.to_numeric(text, errors="coerce")
    bad = num.isna() & text.ne("")
    if dtype == "int":
        frac = num.notna() & (num % 1 != 0)
        bad = bad | frac
        return num.where(~bad).astype("Int64"), bad
    return num.astype(float), bad


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
    out = raw.copy()
    line = pd.Series(np.arange(len(raw)) + 2, index=raw.index)  # header is line 1
    for spec in cols.itertuples():
        if spec.column not in raw.columns:
            continue
        values, bad = _convert(raw[spec.column].astype(str), spec.dtype)
        empty = raw[spec.column].astype(str).str.strip().eq("")
        for i in raw.index[bad]:
            problems.append(Problem(file, f"expected {_dtype_word(spec.dtype)}",
                                    f"write a {_dtype_word(spec.dtype)} ({spec.unit or 'no unit'})",
                                    int(line[i]), spec.column, raw.at[i, spec.column]))
        if spec.required:
            for i in raw.index[empty]:
                problems.append(Problem(file, "value is empty",
                                        f"fill in {_describe(cols, spec.column)}",
                                        int(line[i]), spec.column, ""))
        if spec.dtype in ("int", "float"):
            problems += _range_problems(values, spec, file, line)
        out[spec.column] = values
    key = cols["column"].iloc[0]
    dup = out[key].duplicated(keep="first") & out[key].ne("")
    for i in out.index[dup]:
        first = int(line[out.index[(out[key] == out.at[i, key])][0]])
        problems.append(Problem(file, f"duplicate {key} (first used on line {first})",
                                "give every row its own identifier", int(line[i]), key,
                                out.at[i, key]))
    return out, problems


def _range_problems(values: pd.Series, spec, file: str, line: pd.Series) -> list[Problem]:
    problems = []
    lo, hi = spec.min, spec.max
    unit = f" {spec.unit}" if spec.unit else ""
    if spec.unit == "degree":
        projected = values.notna() & (values.abs() > 360)
        for i in values.index[projected]:
            problems.append(Problem(
                file, "looks like a projected coordinate in metres (e.g. EPSG:5179 or "
                "EPSG:5186), not a WGS84 degree", "convert the points to EPSG:4326 "
                "longitude/latitude (e.g. geopandas .to_crs(4326))", int(line[i]),
                spec.column, _plain(values[i])))
        values = values.where(~projected)
    if not np.isnan(lo):
        for i in values.index[values.notna() & (values < lo)]:
            problems.append(Problem(file, f"below the allowed minimum {lo:g}{unit}",
                                    f"use a value in [{lo:g}, {hi:g}]" if not np.isnan(hi)
                                    else f"use a value >= {lo:g}{unit}",
                                    int(line[i]), spec.column, _plain(values[i])))
    if not np.isnan(hi):
        for i in values.index[values.notna() & (values > hi)]:
            problems.append(Problem(file, f"above the allowed maximum {hi:g}{unit}",
                                    f"use a value <= {hi:g}{unit}", int(line[i]), spec.column,
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


def schema_markdown() -> str:
    """Reference documentation of every input table, generated from the schema."""
    parts = []
    for table in TABLES:
        cols = table_schema(table)
        parts.append(f"### `{table}.csv`\n")
        parts.append("| column | type | unit | required | range | description |")
        parts.append("|---|---|---|---|---|---|")
        for r in cols.itertuples():
            rng = ""
            if not (np.isnan(r.min) and np.isnan(r.max)):
                lo = "" if np.isnan(r.min) else f"{r.min:g}"
                hi = "" if np.isnan(r.max) else f"{r.max:g}"
                rng = f"[{lo}, {hi}]"
            parts.append(f"| `{r.column}` | {r.dtype} | {r.unit} | "
                         f"{'yes' if r.required else 'no'} | {rng} | {r.description} |")
        parts.append("")
    return "\n".join(parts)

"""Stage 1: load and validate the input tables named by a model file."""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from .model_file import ModelFile
from .schema import TABLES, key_column, validate_table
from .validation import read_text

PROVINCE_TOLERANCE_KM = 2.0
"""How far outside its province polygon a point may lie (coastal sites, simplified coasts)."""


@dataclass(frozen=True)
class Inputs:
    """Validated input tables, each indexed by its identifier column.

    Attributes
    ----------
    provinces, sites, grid_nodes, corridors, re_zones : pandas.DataFrame
        The tables of ``schema.csv``.
    files : dict of str to str
        SHA-256 of every file read, keyed by its absolute path.
    """

    provinces: pd.DataFrame
    sites: pd.DataFrame
    grid_nodes: pd.DataFrame
    corridors: pd.DataFrame
    re_zones: pd.DataFrame
    files: dict[str, str] = field(default_factory=dict)


def read_raw(path: Path, shown: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a CSV with every cell as text; report a missing or unreadable file.

    A data path may point anywhere (see :mod:`siting.inputs.model_file`) but must name a
    regular ``.csv`` file of UTF-8 text whose header names every column once.
    """
    if not path.is_file():
        return None, [Problem(shown, "file not found", "check the path in the model file's "
                              "[data] table (paths are relative to the model file)")]
    if path.suffix.lower() != ".csv":
        return None, [Problem(shown, "a data table must be a .csv file", "point the model "
                              "file's [data] entry at the table's .csv file")]
    try:
        text = read_text(path, shown)
    except InputError as exc:
        return None, exc.problems
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        return None, [Problem(shown, f"cannot be read as a CSV table ({exc})",
                              "save it as comma-separated UTF-8 text with a header row")]
    first = pd.read_csv(io.StringIO(text), header=None, nrows=1, dtype=str,
                        keep_default_na=False)  # the header as written (pandas renames x.1)
    header = [str(c).strip() for c in first.iloc[0]]
    problems = []
    for name, count in Counter(header).items():
        if count > 1 and name:
            where = [i + 1 for i, c in enumerate(header) if c == name]
            problems.append(Problem(shown, f"column name appears {count} times in the header "
                                    f"(columns {', '.join(map(str, where))})", "keep one "
                                    "column of that name: delete or rename the others",
                                    1, name))
    if problems:
        return None, problems
    df.columns = [str(c).strip() for c in df.columns]
    return df, []


def load_inputs(model: ModelFile) -> Inputs:
    """Read, type and cross-check every input table of a model file.

    Raises
    ------
    InputError
        With every problem found in every table (not just the first).
    """
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    lines: dict[str, pd.Series] = {}
    shown: dict[str, str] = {}
    hashes: dict[str, str] = {}
    for table in TABLES:
        path = model.data_path(table)
        shown[table] = str(path)
        raw, probs = read_raw(path, shown[table])
        problems += probs
        if raw is None:
            continue
        hashes[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        typed, probs = validate_table(raw, table, shown[table])
        problems += probs + _swapped(typed, shown[table])
        if not probs:
            key = key_column(table)
            lines[table] = pd.Series(range(2, len(typed) + 2), index=typed[key].to_numpy())
            tables[table] = typed.set_index(key)
    if problems:
        raise InputError(problems)
    problems += _references(tables, lines, shown)
    problems += _domains(tables, lines, shown)
    if problems:
        raise InputError(problems)
    problems += _locations(tables, lines, shown)
    if problems:
        raise InputError(problems)
    return Inputs(**tables, files=hashes)


def _swapped(df: pd.DataFrame, file: str) -> list[Problem]:
    """Rows whose longitude and latitude look exchanged."""
    if not {"lon", "lat"} <= set(df.columns):
        return []
    lon = pd.to_numeric(df["lon"], errors="coerce")
    lat = pd.to_numeric(df["lat"], errors="coerce")
    bad = lon.between(32.5, 39.0) & lat.between(124.0, 132.0)
    return [Problem(file, "longitude and latitude look swapped", "put longitude (about "
                    "125-130) in 'lon' and latitude (about 33-38.6) in 'lat'", int(i) + 2,
                    "lon", float(lon[i])) for i in df.index[bad]]


def _references(t: dict[str, pd.DataFrame], lines: dict[str, pd.Series],
                shown: dict[str, str]) -> list[Problem]:
    """Every foreign key must name an existing row."""
    refs = [("sites", "province_id", "provinces"), ("sites", "grid_node_id", "grid_nodes"),
            ("grid_nodes", "province_id", "provinces"), ("corridors", "from_province", "provinces"),
            ("corridors", "to_province", "provinces"), ("re_zones", "province_id", "provinces")]
    problems = []
    for table, col, target in refs:
        known = t[target].index
        bad = t[table].index[~t[table][col].isin(known)]
        for key in bad:
            problems.append(Problem(
                shown[table], f"unknown {target} identifier", f"use one of the ids in "
                f"{Path(shown[target]).name} (e.g. {', '.join(map(str, known[:4]))})",
                int(lines[table][key]), col, t[table].at[key, col]))
    c = t["corridors"]
    for key in c.index[c["from_province"] == c["to_province"]]:
        problems.append(Problem(shown["corridors"], "corridor connects a province to itself",
                                "name two different provinces", int(lines["corridors"][key]),
                                "to_province", c.at[key, "to_province"]))
    return problems


def _domains(t: dict[str, pd.DataFrame], lines: dict[str, pd.Series],
             shown: dict[str, str]) -> list[Problem]:
    """Categorical columns and cross-column rules."""
    problems = []
    allowed = {("sites", "kind"): {"announced", "industrial_complex", "energy_hub",
                                   "renewable_hub", "government"},
               ("re_zones", "technology"): {"solar", "onshore_wind", "offshore_wind"}}
    for (table, col), ok in allowed.items():
        df = t[table]
        for key in df.index[~df[col].isin(ok)]:
            problems.append(Problem(shown[table], "not an allowed value",
                                    f"use one of {sorted(ok)}", int(lines[table][key]), col,
                                    df.at[key, col]))
    s = t["sites"]
    for key in s.index[s["module_mw"] <= 0]:
        problems.append(Problem(shown["sites"], "module size must be positive",
                                "give the IT MW of one build module", int(lines["sites"][key]),
                                "module_mw", float(s.at[key, "module_mw"])))
    for key in s.index[(s["module_mw"] > 0) & (s["module_mw"] > s["max_it_mw"])]:
        problems.append(Problem(shown["sites"], "module larger than the site's max_it_mw, so "
                                "nothing can be built", "lower module_mw or raise max_it_mw",
                                int(lines["sites"][key]), "module_mw",
                                float(s.at[key, "module_mw"])))
    return problems


def _locations(t: dict[str, pd.DataFrame], lines: dict[str, pd.Series],
               shown: dict[str, str]) -> list[Problem]:
    """Points must lie in (or within a small tolerance of) their province."""
    from .geo import distance_to_province_km

    problems = []
    for table in ("sites", "grid_nodes"):
        df = t[table]
        dist = distance_to_province_km(df, t["provinces"])
        for key in df.index[dist > PROVINCE_TOLERANCE_KM]:
            problems.append(Problem(
                shown[table], f"point ({df.at[key, 'lon']:.4f}, {df.at[key, 'lat']:.4f}) lies "
                f"{dist[key]:.1f} km outside province {df.at[key, 'province_id']}",
                "check that lon/lat are WGS84 degrees in the right order (lon first, about "
                "125-130; lat about 33-38.6) and that province_id is right",
                int(lines[table][key]), "lon/lat", (df.at[key, "lon"], df.at[key, "lat"])))
    return problems

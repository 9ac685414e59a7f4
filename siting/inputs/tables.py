"""Stage 1: load and validate the input tables named by a model file."""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem, plain
from .model_file import ModelFile
from .provenance import check_provenance
from .schema import OPTIONAL_TABLES, TABLES, key_column, validate_table
from .validation import read_text

COAST_KM = 22.2
"""How far [km] a point that lies inside no province polygon (sea, reclaimed land, an islet
the boundaries leave out) may be from its declared province, when that province is also the
nearest: 12 nautical miles, the breadth of Korea's territorial sea. Reclaimed land (the
Saemangeum point 126.55 E 35.80 N lies 5.9 km outside the mapped Jeonbuk coast) and
near-shore platforms fall inside it; a point farther out needs the row's
``max_offshore_km``."""


@dataclass(frozen=True)
class Inputs:
    """Validated input tables, each indexed by its identifier column.

    Attributes
    ----------
    provinces, sites, grid_nodes, corridors, re_zones : pandas.DataFrame
        The tables of ``schema.csv``.
    demand_centres, demand_split, network_latency, network_* : pandas.DataFrame or None
        The optional tables (:data:`~siting.inputs.schema.OPTIONAL_TABLES`), None when the
        model file does not name them.
    files : dict of str to str
        SHA-256 of every file read (tables, and ``provenance.csv`` / ``sources.csv`` when
        checked), keyed by its absolute path.
    """

    provinces: pd.DataFrame
    sites: pd.DataFrame
    grid_nodes: pd.DataFrame
    corridors: pd.DataFrame
    re_zones: pd.DataFrame
    files: dict[str, str] = field(default_factory=dict)
    demand_centres: pd.DataFrame | None = None
    demand_split: pd.DataFrame | None = None
    network_latency: pd.DataFrame | None = None
    network_buses: pd.DataFrame | None = None
    network_lines: pd.DataFrame | None = None
    network_transformers: pd.DataFrame | None = None
    network_links: pd.DataFrame | None = None
    network_generators: pd.DataFrame | None = None
    network_demand: pd.DataFrame | None = None
    network_snapshots: pd.DataFrame | None = None


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

    The checks run in stages, each reporting every problem it finds: the schema of each
    table; references, categorical values and, when a ``provenance.csv`` lies beside the
    tables, provenance coverage (:mod:`siting.inputs.provenance`); then the location of
    every site and grid node in its province (:func:`_locations`).

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
        if table in OPTIONAL_TABLES and getattr(model.data, table, None) is None:
            continue
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
    probs, read = check_provenance(tables, {t: model.data_path(t) for t in tables}, lines)
    problems += probs
    hashes.update(read)
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
    refs += [r for r in (("demand_centres", "province_id", "provinces"),
                         ("network_latency", "site_id", "sites"),
                         ("network_buses", "province_id", "provinces"),
                         ("network_demand", "province_id", "provinces")) if r[0] in t]
    refs += [(tab, col, "network_buses") for tab, col in (
        ("network_lines", "bus0"), ("network_lines", "bus1"), ("network_transformers", "bus0"),
        ("network_transformers", "bus1"), ("network_links", "bus0"), ("network_links", "bus1"),
        ("network_generators", "bus")) if tab in t and "network_buses" in t]
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
    """Points must lie in their province, or off its coast (see :data:`COAST_KM`).

    A point inside its declared province's polygon is accepted. A point inside another
    province's polygon is an error. A point inside no polygon is accepted when it is at
    most the row's ``max_offshore_km`` from the declared province, or, without that
    column, when the declared province is the nearest one and at most :data:`COAST_KM`
    away.
    """
    from .geo import locate_in_provinces

    problems = []
    check = ("check that lon/lat are WGS84 degrees in the right order (lon first, about "
             "125-130; lat about 33-38.6)")
    for table in ("sites", "grid_nodes"):
        df = t[table]
        loc = locate_in_provinces(df, t["provinces"])
        limit = (df["max_offshore_km"] if "max_offshore_km" in df.columns
                 else pd.Series(float("nan"), index=df.index))
        for key in df.index[loc["inside"] != df["province_id"]]:
            own, where = df.at[key, "province_id"], loc.loc[key]
            point = (round(float(df.at[key, "lon"]), 4), round(float(df.at[key, "lat"]), 4))
            shown_pt = f"point {plain(point)}"
            override = limit[key]
            if where["inside"]:
                message = (f"{shown_pt} lies {where['own_km']:.1f} km outside province {own}, "
                           f"inside province {where['inside']}")
                fix = (f"set province_id to {where['inside']} if the point is right; else "
                       f"{check}")
            elif pd.notna(override):
                if where["own_km"] <= override:
                    continue
                message = (f"{shown_pt} lies {where['own_km']:.1f} km outside province {own} "
                           f"(in no province), beyond its max_offshore_km of {override:g} km")
                fix = f"{check}, or raise max_offshore_km if the point is right"
            elif where["nearest"] != own:
                message = (f"{shown_pt} lies {where['own_km']:.1f} km outside province {own} "
                           f"(in no province); the nearest province is {where['nearest']} "
                           f"({where['nearest_km']:.1f} km)")
                fix = (f"{check}; set province_id to {where['nearest']}, or give the row a "
                       f"max_offshore_km (the distance [km] it may lie off {own}'s coast)")
            elif where["own_km"] <= COAST_KM:
                continue
            else:
                message = (f"{shown_pt} lies {where['own_km']:.1f} km outside province {own} "
                           f"(in no province), farther off the coast than the {COAST_KM:g} "
                           "km (12 nautical miles) allowed for reclaimed land and "
                           "near-shore platforms")
                fix = (f"{check}; for a platform or reclaimed land farther out, give the row "
                       "a max_offshore_km")
            problems.append(Problem(shown[table], message, fix, int(lines[table][key]),
                                    "lon/lat", point))
    return problems

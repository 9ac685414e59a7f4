"""The one reader of a run folder, for the maps, the report and the sweep charts.

A run folder (written by :mod:`siting.outputs.runfolder`) is self-contained for its maps:
``provinces.csv`` carries each province's Korean name, administrative code and capital-region
flag, ``zones.csv`` each renewable zone's name, position and potential. Only the report's
source list looks beyond the folder, at ``sources.csv`` and ``provenance.csv`` beside the
data tables its ``model.toml`` names. Every file that is missing or unreadable is named in a
:class:`~siting.errors.SitingError` saying which file is damaged.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import SitingError
from .mapdata import RunTables

TABLES = ("sites", "provinces", "corridors", "zones", "procurement", "costs", "binding",
          "kpis")
"""Result tables of a run folder (``<name>.csv``)."""
REQUIRED = {"sites": ("site_id", "period", "name", "province_id", "kind", "lon", "lat",
                      "it_mw", "facility_mw", "max_it_mw", "renewable_share"),
            "provinces": ("province_id", "period", "name_ko", "admin_code", "capital_region",
                          "it_mw"),
            "corridors": ("arc_id", "period", "corridor_id", "from_province", "to_province",
                          "limit_mw", "flow_mw", "in_service"),
            "zones": ("zone_id", "period", "name", "province_id", "technology", "lon", "lat",
                      "potential_mw", "used_mw"),
            "kpis": ("period",), "costs": ("period",), "binding": ("family", "limit"),
            "procurement": ()}
"""Columns each table must have for the maps and the report (others are read as they are)."""


_FORMULA = re.compile(r"'*[=+\-@\t\r]")
"""A text cell a spreadsheet would take as a formula (OWASP, "CSV injection"), after any
number of quotes (so that quoting can be undone exactly)."""


def needs_quote(text: str) -> bool:
    """Whether a spreadsheet would take ``text`` as a formula (see :func:`formula_safe`)."""
    return bool(_FORMULA.match(text))


def formula_safe(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with a ``'`` before every text cell starting with ``=``, ``+``, ``-``, ``@``,
    a tab or a carriage return (or quotes and then one of those), as OWASP advises for
    spreadsheet output: a site named ``=HYPERLINK(...)`` is shown, not run. Numbers (a
    negative one included) are left alone; :func:`formula_restored` undoes it."""
    return _map_text(df, lambda v: "'" + v if _FORMULA.match(v) else v)


def formula_restored(df: pd.DataFrame) -> pd.DataFrame:
    """The text cells of ``df`` as they were before :func:`formula_safe`."""
    return _map_text(df, lambda v: v[1:] if v.startswith("'") and _FORMULA.match(v) else v)


def _map_text(df: pd.DataFrame, fn) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].map(lambda v: fn(v) if isinstance(v, str) else v)
    return out


@dataclass(frozen=True)
class RunFolder:
    """Everything a run folder holds that the outputs show.

    Attributes
    ----------
    folder : pathlib.Path
    manifest : dict
        ``manifest.json``.
    model : dict
        The resolved ``model.toml`` (plain TOML, not validated).
    tables : RunTables
        What the maps need.
    kpis, costs, binding, procurement : pandas.DataFrame
        The CSVs of those names.
    """

    folder: Path
    manifest: dict
    model: dict
    tables: RunTables
    kpis: pd.DataFrame
    costs: pd.DataFrame
    binding: pd.DataFrame
    procurement: pd.DataFrame


def read_run(run_dir: Path) -> RunFolder:
    """Read a run folder.

    Raises
    ------
    SitingError
        The folder is missing or holds several runs (a sweep), or a file of it is missing
        or unreadable (the message names the file).
    """
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise SitingError(f"{run_dir} does not exist: give a run folder, e.g. runs/<run-id>")
    if not (run_dir / "manifest.json").is_file() and (
            (run_dir / "sweep.json").is_file() or any(run_dir.glob("*/manifest.json"))
            or any(run_dir.glob("*/*/manifest.json"))):
        raise SitingError(f"{run_dir} holds several runs (a sweep folder), not one run: "
                          "'siting report' makes a sweep report of a folder written by "
                          "'siting sweep' (with sweep.json), or give one run folder in it")
    manifest = read_manifest(run_dir)
    model = read_model_toml(run_dir, manifest.get("model_toml_sha256"))
    csv = {n: formula_restored(read_table(
        run_dir / f"{n}.csv", REQUIRED[n],
        **({"dtype": {"admin_code": str}} if n == "provinces" else {}))) for n in TABLES}
    try:
        periods = tuple(int(p) for p in model["periods"])
    except (KeyError, TypeError, ValueError):
        raise SitingError(f"{run_dir / 'model.toml'} is damaged: it has no list of integer "
                          "'periods'; write the run again") from None
    tables = RunTables(
        name=str(model.get("name", manifest.get("model", ""))), run_id=run_dir.name,
        status=str(manifest.get("status", "")), mip_gap=manifest.get("mip_gap"),
        periods=periods, sites=csv["sites"], provinces=csv["provinces"],
        corridors=csv["corridors"], zones=csv["zones"],
        province_info=province_table(csv["provinces"]),
        re_zones=csv["zones"].drop_duplicates("zone_id").set_index("zone_id")[
            ["name", "province_id", "technology", "lon", "lat", "potential_mw"]],
        hosting=_hosting(run_dir))
    return RunFolder(folder=run_dir, manifest=manifest, model=model, tables=tables,
                     **{n: csv[n] for n in ("kpis", "costs", "binding", "procurement")})


def read_run_tables(run_dir: Path) -> RunTables:
    """The tables a map of a run folder needs (see :func:`read_run`)."""
    return read_run(run_dir).tables


def _hosting(run_dir: Path) -> pd.DataFrame | None:
    from .hosting import read_hosting

    h = read_hosting(run_dir)
    return None if h is None else formula_restored(h)


def province_table(df: pd.DataFrame) -> pd.DataFrame:
    """Provinces indexed by ``province_id``: ``name_ko``, ``admin_code`` (text, e.g. ``"11"``)
    and ``capital_region`` (bool), from a run's ``provinces.csv`` or an input
    ``provinces.csv`` (one row per province and period, or one per province)."""
    p = df.drop_duplicates("province_id").set_index("province_id")
    out = p[["name_ko", "admin_code", "capital_region"]].copy()
    out["admin_code"] = out["admin_code"].astype(str).str.removesuffix(".0")
    out["capital_region"] = out["capital_region"].astype(str).str.lower().eq("true")
    return out


def read_manifest(run_dir: Path) -> dict:
    """``manifest.json`` of a run folder; a clear error when it is not a run folder."""
    path = Path(run_dir) / "manifest.json"
    if not path.is_file():
        raise SitingError(f"{run_dir} is not a run folder (no manifest.json): give a folder "
                          "written by 'siting run', e.g. runs/<run-id>")
    return read_json(path)


def read_json(path: Path) -> dict:
    """A JSON object from ``path``; a :class:`SitingError` naming the file when it is
    missing, truncated or not an object."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SitingError(f"{path} is missing: write the run or sweep again") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SitingError(f"{path} is damaged (not readable JSON: {exc}); write it "
                          "again") from None
    if not isinstance(doc, dict):
        raise SitingError(f"{path} is damaged (not a JSON object); write it again")
    return doc


def read_model_toml(run_dir: Path, sha256: str | None = None) -> dict:
    """The resolved ``model.toml`` of a run folder, as plain TOML (no validation).

    Parameters
    ----------
    sha256 : str, optional
        Its SHA-256 as recorded in ``manifest.json`` (``model_toml_sha256``; run folders
        written before it was recorded have none): a file edited after the run is refused,
        since the tables no longer come from the model it shows.
    """
    path = Path(run_dir) / "model.toml"
    if not path.is_file():
        raise SitingError(f"{path} is missing: {run_dir} is not a complete run folder")
    try:
        data = path.read_bytes()
        if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
            raise SitingError(f"{path} is damaged or was edited after the run: its SHA-256 "
                              "differs from model_toml_sha256 in manifest.json, so the "
                              "results no longer match it; restore it or write the run "
                              "again")
        return tomllib.loads(data.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SitingError(f"{path} is damaged (not readable TOML: {exc}); write the run "
                          "again") from None


def read_table(path: Path, required=(), **kw) -> pd.DataFrame:
    """A CSV of a run folder (or a data table it names).

    Raises
    ------
    SitingError
        Naming the file when it is missing, unreadable or lacks a ``required`` column.
    """
    path = Path(path)
    if not path.is_file():
        raise SitingError(f"{path} is missing: the run folder or the data it names has been "
                          "moved or deleted; write the run again")
    try:
        df = pd.read_csv(path, **({"keep_default_na": False, "na_values": [""]} | kw))
    except (OSError, UnicodeDecodeError, ValueError, pd.errors.ParserError) as exc:
        raise SitingError(f"{path} is damaged (not a readable CSV: {exc}); write the run "
                          "again") from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise SitingError(f"{path} is damaged or from an older version: it lacks the "
                          f"column(s) {', '.join(missing)}; write the run again")
    return df


def data_path(run_dir: Path, model: dict, table: str) -> Path:
    """Path of an input table named in a run's ``model.toml`` (relative to the run folder)."""
    try:
        path = Path(model["data"][table])
    except (KeyError, TypeError):
        raise SitingError(f"{Path(run_dir) / 'model.toml'} names no [data] {table} "
                          "table") from None
    return path if path.is_absolute() else (Path(run_dir) / path).resolve()

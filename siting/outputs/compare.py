"""Compare two run folders (or two scenarios of a sweep): what run B decides differently
from run A.

:func:`compare_runs` reads both folders through :mod:`siting.outputs.reader` (so a missing
or damaged file is named) and lines their tables up by ID and period:

- ``sites``: every site built in either run, ``A only`` / ``B only`` / ``both``, IT MW in
  each and the change (B minus A);
- ``provinces``: IT MW by province and period in each run and the change;
- ``costs``: each cost component per period [bn KRW/yr] and its present value [bn KRW],
  plus the present value over all periods (period ``all``) and the total;
- ``binding``: the limits binding in A only, B only or both, with their marginal values;
- ``kpis``: every numeric KPI per period, and the objective (period ``all``).

:func:`write_comparison` writes those tables as CSV, the printed text and a difference map
(``difference_map.png``: provinces shaded by the change of IT MW in the last period the
runs share, sites built in one run only marked and named) into a folder, atomically.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import SitingError
from .atomic import atomic_folder, write_errors_reported
from .reader import RunFolder, read_run

TOL_MW = 1e-6
"""A site is built in a run when its IT capacity exceeds this [MW]."""
TABLES = ("sites", "provinces", "costs", "binding", "kpis")
"""Difference tables, written as ``<name>.csv``."""
MAP = "difference_map.png"


@dataclass(frozen=True)
class Comparison:
    """Differences between run A and run B (see the module docstring for the tables)."""

    a: Path
    b: Path
    sites: pd.DataFrame
    provinces: pd.DataFrame
    costs: pd.DataFrame
    binding: pd.DataFrame
    kpis: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {n: getattr(self, n) for n in TABLES}


def read_for_compare(folder: Path, which: str) -> RunFolder:
    """A run folder; a sweep scenario without a plan (only ``row.json``) gets its status
    and explanation in the error."""
    folder = Path(folder)
    row = folder / "row.json"
    if row.is_file() and not (folder / "manifest.json").is_file():
        try:
            doc = json.loads(row.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            doc = {}
        why = f": {doc['explanation']}" if doc.get("explanation") else ""
        raise SitingError(f"run {which} ({folder}) is a sweep scenario without a plan "
                          f"(status {doc.get('status', 'unknown')}){why}; compare two "
                          "scenarios that found one")
    return read_run(folder)


def compare_runs(run_a: str | Path, run_b: str | Path) -> Comparison:
    """Line up two run folders (run folders, or scenario folders of a sweep).

    Raises
    ------
    SitingError
        A folder is missing, is a whole sweep, has no plan, or a file of it is damaged.
    """
    a, b = read_for_compare(run_a, "A"), read_for_compare(run_b, "B")
    pa, pb = set(a.tables.periods), set(b.tables.periods)
    notes = []
    if pa != pb:
        notes.append(f"the runs plan different periods (A {sorted(pa)}, B {sorted(pb)}): "
                     "a period one run lacks counts as nothing built there")
    return Comparison(a.folder, b.folder, site_changes(a, b), province_changes(a, b),
                      cost_changes(a, b), binding_changes(a, b), kpi_changes(a, b), notes)


def _pair(a: pd.DataFrame, b: pd.DataFrame, keys: list[str], value: str,
          info: list[str] = ()) -> pd.DataFrame:
    """Outer join of ``value`` in A and B on ``keys`` (missing = 0), ``info`` columns
    from whichever run has the row, and ``change_<value>`` = B minus A."""
    cols = keys + [c for c in info if c in a.columns or c in b.columns]
    left = a.reindex(columns=cols + [value]).rename(columns={value: f"a_{value}"})
    right = b.reindex(columns=cols + [value]).rename(columns={value: f"b_{value}"})
    out = left.merge(right, on=keys, how="outer", suffixes=("", "__b"))
    for c in info:
        if f"{c}__b" in out:
            out[c] = out[c].fillna(out.pop(f"{c}__b"))
    out[[f"a_{value}", f"b_{value}"]] = out[[f"a_{value}", f"b_{value}"]].fillna(0.0)
    out[f"change_{value}"] = out[f"b_{value}"] - out[f"a_{value}"]
    return out.sort_values(keys).reset_index(drop=True)


def site_changes(a: RunFolder, b: RunFolder) -> pd.DataFrame:
    """Sites built in either run, by period: ``status`` ``A only``, ``B only`` or
    ``both``, ``a_it_mw``, ``b_it_mw``, ``change_it_mw`` [MW]."""
    info = ["name", "name_ko", "province_id", "lon", "lat"]
    out = _pair(a.tables.sites, b.tables.sites, ["site_id", "period"], "it_mw", info)
    built_a, built_b = out["a_it_mw"] > TOL_MW, out["b_it_mw"] > TOL_MW
    out.insert(2, "status", "both")
    out.loc[built_a & ~built_b, "status"] = "A only"
    out.loc[~built_a & built_b, "status"] = "B only"
    return out[built_a | built_b].reset_index(drop=True)


def province_changes(a: RunFolder, b: RunFolder) -> pd.DataFrame:
    """IT capacity by province and period in each run and its change [MW]."""
    return _pair(a.tables.provinces, b.tables.provinces, ["province_id", "period"], "it_mw",
                 ["name_ko"])


def _cost_long(costs: pd.DataFrame) -> pd.DataFrame:
    """One row per cost component and period: annual [bn KRW/yr], present value [bn KRW]
    (annual x the period's discount factor [yr]), then the total of each period."""
    parts = [c for c in costs.columns if c.endswith("_bn_krw_per_yr")]
    long = costs.melt(id_vars=["period", "discount_factor_yr"], value_vars=parts,
                      var_name="component", value_name="bn_krw_per_yr")
    long["component"] = long["component"].str.removesuffix("_bn_krw_per_yr")
    long["present_value_bn_krw"] = long["bn_krw_per_yr"] * long["discount_factor_yr"]
    total = costs[["period"]].assign(component="total", bn_krw_per_yr=costs[parts].sum(axis=1),
                                     present_value_bn_krw=costs["present_value_bn_krw"])
    long = pd.concat([long.drop(columns="discount_factor_yr"), total], ignore_index=True)
    whole = long.groupby("component", sort=False, as_index=False)["present_value_bn_krw"].sum()
    long["period"] = long["period"].astype(str)
    return pd.concat([long, whole.assign(period="all")], ignore_index=True)


def cost_changes(a: RunFolder, b: RunFolder) -> pd.DataFrame:
    """Cost by component (see :func:`_cost_long`) in each run and the change."""
    la, lb = _cost_long(a.costs), _cost_long(b.costs)
    keys = ["component", "period"]
    out = _pair(la, lb, keys, "bn_krw_per_yr").merge(
        _pair(la, lb, keys, "present_value_bn_krw"), on=keys)
    for col in ("a_bn_krw_per_yr", "b_bn_krw_per_yr", "change_bn_krw_per_yr"):
        out.loc[out["period"] == "all", col] = float("nan")  # a sum over years means nothing
    order = {c: i for i, c in enumerate(dict.fromkeys([*la["component"], *lb["component"]]))}
    return out.sort_values(["component", "period"], key=lambda s: s.map(order)
                           if s.name == "component" else s).reset_index(drop=True)


def binding_changes(a: RunFolder, b: RunFolder) -> pd.DataFrame:
    """Limits binding in ``A only``, ``B only`` or ``both`` (by family, limit, id and
    period), with each run's marginal value [bn KRW per unit of the limit]."""
    keys = ["family", "limit", "id", "period"]
    cols = keys + ["unit", "description", "marginal_bn_krw_per_unit"]
    ba = a.binding.reindex(columns=cols).astype({"id": str, "period": str})
    bb = b.binding.reindex(columns=cols).astype({"id": str, "period": str})
    out = ba.merge(bb, on=keys, how="outer", suffixes=("_a", "_b"), indicator=True)
    out.insert(4, "status", out.pop("_merge").map(
        {"left_only": "A only", "right_only": "B only", "both": "both"}).astype(str))
    for c in ("unit", "description"):
        out[c] = out.pop(f"{c}_a").fillna(out.pop(f"{c}_b"))
    out = out.rename(columns={"marginal_bn_krw_per_unit_a": "a_marginal_bn_krw_per_unit",
                              "marginal_bn_krw_per_unit_b": "b_marginal_bn_krw_per_unit"})
    return out.sort_values(["status", *keys]).reset_index(drop=True)


def kpi_changes(a: RunFolder, b: RunFolder) -> pd.DataFrame:
    """Every numeric KPI per period, then the objective (period ``all``) [bn KRW]."""
    def long(run: RunFolder) -> pd.DataFrame:
        k = run.kpis
        num = [c for c in k.columns if c != "period" and pd.api.types.is_numeric_dtype(k[c])]
        out = k.melt(id_vars="period", value_vars=num, var_name="kpi", value_name="value")
        out["period"] = out["period"].astype(str)
        objective = run.manifest.get("objective_bn_krw")
        extra = pd.DataFrame([{"kpi": "objective_bn_krw", "period": "all",
                               "value": float("nan") if objective is None else objective}])
        return pd.concat([out, extra], ignore_index=True)

    la, lb = long(a), long(b)
    order = {c: i for i, c in enumerate(dict.fromkeys([*la["kpi"], *lb["kpi"]]))}
    out = _pair(la, lb, ["kpi", "period"], "value")
    return out.sort_values(["kpi", "period"], key=lambda s: s.map(order) if s.name == "kpi"
                           else s).reset_index(drop=True)


# --- text and files ----------------------------------------------------------------------


def summary_text(c: Comparison, rows: int = 20) -> str:
    """The differences as readable tables (what ``siting compare`` prints)."""
    def block(title: str, df: pd.DataFrame) -> str:
        if df.empty:
            return f"{title}: none"
        more = f"\n  ... {len(df) - rows} more in the CSV" if len(df) > rows else ""
        shown = df.head(rows).fillna("")
        return f"{title}:\n" + shown.to_string(index=False, float_format=_fmt) + more

    obj = c.kpis[c.kpis["kpi"] == "objective_bn_krw"].iloc[0]
    last = max(p for p in c.provinces["period"])
    sites = c.sites[(c.sites["status"] != "both") | (c.sites["change_it_mw"].abs() > TOL_MW)]
    prov = c.provinces[(c.provinces["change_it_mw"].abs() > TOL_MW)]
    costs = c.costs[(c.costs["period"] == "all")
                    & (c.costs["change_present_value_bn_krw"].abs() > 1e-6)]
    kpis = c.kpis[(c.kpis["change_value"].abs() > 1e-9) & (c.kpis["period"].isin(
        [str(last), "all"]))]
    parts = [f"A  {c.a}\nB  {c.b}",
             (f"objective  A {_fmt(obj['a_value'])}  B {_fmt(obj['b_value'])}  change "
              f"{_fmt(obj['change_value'])} bn KRW (present value)"), *c.notes,
             block("sites built differently [MW]", sites[["site_id", "name_ko", "period",
                                                          "status", "a_it_mw", "b_it_mw",
                                                          "change_it_mw"]]),
             block("IT capacity by province [MW]", prov[["province_id", "name_ko", "period",
                                                         "a_it_mw", "b_it_mw",
                                                         "change_it_mw"]]),
             block("cost by component, present value over all periods [bn KRW]",
                   costs[["component", "a_present_value_bn_krw", "b_present_value_bn_krw",
                          "change_present_value_bn_krw"]]),
             block("binding limits in one run only", c.binding[c.binding["status"] != "both"][
                 ["status", "family", "limit", "id", "period"]]),
             block(f"KPIs that differ ({last} and overall)",
                   kpis[["kpi", "period", "a_value", "b_value", "change_value"]])]
    return "\n\n".join(p for p in parts if p) + "\n"


def _fmt(x) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return f"{round(float(x), 3) + 0.0:,.3f}".rstrip("0").rstrip(".")


def default_folder(run_a: Path, run_b: Path, runs_dir: Path = Path("runs")) -> Path:
    """``runs/compare/<A>--<B>`` (folder names made safe)."""
    from .runfolder import safe_name

    return Path(runs_dir) / "compare" / safe_name(f"{Path(run_a).name}--{Path(run_b).name}")


def write_comparison(c: Comparison, out_dir: Path, draw_map: bool = True) -> list[Path]:
    """Write the difference tables (``<name>.csv``), ``comparison.txt`` (the printed
    tables) and the difference map into ``out_dir``, atomically (an existing comparison
    of the same name is replaced)."""
    out_dir = Path(out_dir)
    names = [f"{n}.csv" for n in TABLES] + ["comparison.txt"] + ([MAP] if draw_map else [])
    with write_errors_reported(out_dir, "the comparison"), \
            atomic_folder(out_dir, overwrite=True) as tmp:
        for name, df in c.tables().items():
            df.to_csv(tmp / f"{name}.csv", index=False)
        (tmp / "comparison.txt").write_text(summary_text(c, rows=10_000), encoding="utf-8")
        if draw_map:
            from .compare_map import save_difference_map

            save_difference_map(c, tmp / MAP)
    return [out_dir / n for n in names]


def compare_and_write(run_a: Path, run_b: Path, out_dir: Path | None = None,
                      draw_map: bool = True, say=print) -> list[Path]:
    """:func:`compare_runs`, ``say`` the :func:`summary_text`, :func:`write_comparison`
    into ``out_dir`` (default :func:`default_folder`); returns the paths written."""
    c = compare_runs(run_a, run_b)
    say(summary_text(c).rstrip("\n"))
    return write_comparison(c, out_dir or default_folder(run_a, run_b), draw_map)

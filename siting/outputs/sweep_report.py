"""``siting report runs/<sweep>``: the report of a sweep folder.

What was varied and how (``sweep.json``), the sweep's charts as written beside its table
(``tornado.png``, ``pareto.png``, ``multiples.png``; embedded when present), a table of
every scenario with its status and key figures (``results.parquet``), and for each
scenario without a plan the relaxation that would make it feasible: the diagnosis of
:mod:`siting.model.diagnose`, which the sweep worker keeps in the scenario's message.
Maps of selected scenarios (the base case and the extremes of cost) are drawn from their
run folders when those hold the result tables.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pandas as pd

from ..errors import SitingError
from . import reader
from .sections import Section, Table
from .style import bn, mw0, pct
from .words import tr

CHARTS = (("tornado.png", "Tornado: change of cost per parameter"),
          ("pareto.png", "Trade-off curve"),
          ("multiples.png", "Capacity by province across scenarios"))
"""Chart files of a sweep folder shown when present, with their captions."""
MAPS = 4
"""Most scenarios drawn as small-multiple maps."""


def is_sweep(folder: Path) -> bool:
    """A sweep folder: it has ``sweep.json`` and no ``manifest.json``."""
    folder = Path(folder)
    return (folder / "sweep.json").is_file() and not (folder / "manifest.json").is_file()


def read_sweep(folder: Path) -> tuple[dict, pd.DataFrame]:
    """``sweep.json`` and the scenario table of a sweep folder.

    Raises
    ------
    SitingError
        Naming the file that is missing or damaged.
    """
    meta = reader.read_json(Path(folder) / "sweep.json")
    path = Path(folder) / "results.parquet"
    if not path.is_file():
        raise SitingError(f"{path} is missing: the sweep has not finished; run 'siting "
                          "sweep' again to complete it")
    try:
        table = pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise SitingError(f"{path} is damaged ({exc}); run 'siting sweep' again") from None
    return meta, table.sort_values("scenario_id").reset_index(drop=True)


def sweep_sections(folder: Path, lang: str = "en") -> tuple[str, list[Section]]:
    """Title and sections of a sweep report."""
    meta, table = read_sweep(folder)
    secs = [design_section(meta, table, lang), charts_section(Path(folder), lang),
            scenario_section(meta, table, lang), failure_section(meta, table, lang)]
    maps = maps_section(Path(folder), meta, table, lang)
    if maps is not None:
        secs.append(maps)
    title = tr("Sweep report: {name}", lang, name=meta.get("name", Path(folder).name))
    return title, [s for s in secs if s is not None]


def _params(table: pd.DataFrame) -> list[str]:
    return [c.removeprefix("param__") for c in table.columns if c.startswith("param__")]


def design_section(meta: dict, table: pd.DataFrame, lang: str) -> Section:
    """What was varied and how: method, each parameter's base value and values tried."""
    from ..sweep.parameters import CATALOGUE

    design = meta.get("design", {})
    base = meta.get("base_values", {})
    rows = []
    for name in _params(table):
        p = CATALOGUE.get(name)
        tried = sorted(table[f"param__{name}"].dropna().unique())
        rows.append({"parameter": p.description if p else name.replace("_", " "),
                     "key": name, "base": f"{base.get(name, float('nan')):g}",
                     "values": ", ".join(f"{v:g}" for v in tried)})
    method = {"oat": "one at a time around the base case", "grid": "every combination",
              "lhs": "Latin hypercube sample", "pareto": "Pareto scan"}.get(
        design.get("method", ""), str(design.get("method", "")))
    n_ok = int((table["status"] == "optimal").sum())
    paras = [tr("Base model: {base}. Design: {method}. {n} scenarios, {ok} with a plan, {bad} "
                "without.", lang, base=Path(str(meta.get("base", ""))).name, method=method, n=len(table),
                ok=n_ok, bad=len(table) - n_ok)]
    cols = {"parameter": tr("parameter", lang), "key": tr("key", lang),
            "base": tr("base value", lang), "values": tr("values tried", lang)}
    return Section("design", tr("What was varied", lang), paras,
                   tables=[Table("parameters", cols, rows)])


def charts_section(folder: Path, lang: str) -> Section | None:
    """The sweep's chart files, embedded as PNG data URIs."""
    figs = [("data:image/png;base64," + base64.b64encode((folder / f).read_bytes()).decode(),
             tr(cap, lang)) for f, cap in CHARTS if (folder / f).is_file()]
    if not figs:
        return None
    return Section("sweep-charts", tr("Charts", lang), figures=figs)


def _changed(row: pd.Series, params: list[str], base: dict) -> str:
    moved = [f"{p} = {row[f'param__{p}']:g}" for p in params
             if not pd.isna(row[f"param__{p}"])
             and abs(float(row[f"param__{p}"]) - float(base.get(p, float("nan")))) > 1e-12]
    return ", ".join(moved) or "base case"


def scenario_section(meta: dict, table: pd.DataFrame, lang: str) -> Section:
    """One row per scenario: what changed, status, cost, IT MW and shares (last period)."""
    params, base = _params(table), meta.get("base_values", {})

    def fig(col, fmt):
        return lambda r: "" if col not in r or pd.isna(r[col]) else fmt(r[col])

    show = {"objective_bn_krw": ("cost [bn KRW]", fig("objective_bn_krw", bn)),
            "kpi__it_mw": ("IT MW", fig("kpi__it_mw", mw0)),
            "kpi__capital_region_share": ("capital region", fig("kpi__capital_region_share",
                                                                 pct)),
            "kpi__renewable_share": ("renewable share", fig("kpi__renewable_share", pct))}
    rows = [{"scenario_id": r["scenario_id"], "changed": _changed(r, params, base),
             "status": str(r["status"])} | {k: f(r) for k, (_, f) in show.items()}
            for _, r in table.iterrows()]
    cols = {"scenario_id": tr("scenario", lang), "changed": tr("changed", lang),
            "status": tr("status", lang)} | {k: tr(h, lang) for k, (h, _) in show.items()}
    return Section("scenarios", tr("Scenarios", lang), tables=[
        Table("scenarios", cols, rows, frozenset(show))])


def relaxations(message: str) -> list[str]:
    """The relaxation lines of a scenario's failure message (the diagnosis)."""
    lines = [x.strip().removeprefix("- ").strip() for x in str(message).splitlines()]
    return [x for x in lines if x and not x.startswith(("The scenario is", "HiGHS proved"))]


def failure_section(meta: dict, table: pd.DataFrame, lang: str) -> Section:
    """Each scenario without a plan and what would make it feasible."""
    bad = table[table["status"] != "optimal"]
    params, base = _params(table), meta.get("base_values", {})
    rows = [{"scenario_id": r["scenario_id"], "changed": _changed(r, params, base),
             "status": str(r["status"]),
             "relaxation": "; ".join(relaxations(r.get("message", ""))) or "n/a"}
            for _, r in bad.iterrows()]
    cols = {"scenario_id": tr("scenario", lang), "changed": tr("changed", lang),
            "status": tr("status", lang),
            "relaxation": tr("what would make it feasible", lang)}
    paras = [tr("Every scenario has a plan.", lang)] if not len(bad) else [tr(
        "The smallest relaxation that makes a plan possible, found by an elastic re-solve "
        "(limits first, the targets only if the limits alone cannot explain it).", lang)]
    return Section("failures", tr("Scenarios without a plan", lang), paras,
                   tables=[Table("failures", cols, rows)])


def selected(table: pd.DataFrame, base: dict, n: int = MAPS) -> list[str]:
    """Scenarios to map: the base case, then the cheapest and dearest with a plan."""
    ok = table[table["status"] == "optimal"].sort_values(["objective_bn_krw", "scenario_id"])
    params = _params(table)
    is_base = ok.apply(lambda r: _changed(r, params, base) == "base case", axis=1)
    picks = list(ok.loc[is_base, "scenario_id"][:1])
    for sid in [*ok["scenario_id"][:1], *ok["scenario_id"][-1:], *ok["scenario_id"]]:
        if sid not in picks:
            picks.append(sid)
    return picks[:n]


def maps_section(folder: Path, meta: dict, table: pd.DataFrame, lang: str) -> Section | None:
    """Small-multiple maps of :func:`selected` scenarios whose run folders are complete."""
    from .plot import plot_map, svg_bytes
    from .sections import _svg_uri

    params, base = _params(table), meta.get("base_values", {})
    by_id = table.set_index("scenario_id")
    figs = []
    for sid in selected(table, base):
        run = next((p for p in (folder / "scenarios" / sid, folder / sid)
                    if (p / "manifest.json").is_file()), None)
        if run is None:
            continue
        fig = plot_map(reader.read_run_tables(run), lang=lang, small=True)
        figs.append((_svg_uri(svg_bytes(fig)),
                     f"{sid}: {_changed(by_id.loc[sid].rename(sid), params, base)}"))
    if not figs:
        return None
    return Section("sweep-maps", tr("Maps of selected scenarios", lang), figures=figs)

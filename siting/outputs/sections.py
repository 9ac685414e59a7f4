"""The sections of a run report: what each shows, as :class:`Table` and :class:`Section`.

Each builder takes one :class:`~siting.outputs.report.RunRecord` and the language;
:func:`siting.outputs.report.build_sections` puts them in report order (the first page of
:mod:`siting.outputs.summary`, charts, tables, appendix). Numbers are formatted by
:mod:`siting.outputs.style`, fixed texts translated by :mod:`siting.outputs.words`.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import mapdata
from .hosting import hosting_section  # noqa: F401  (a section of the report)
from .style import SOURCE, bn, mw, num, pct
from .words import GRID_FAMILIES, is_goal, limit_name, place_names, tr

if TYPE_CHECKING:
    from .report import RunRecord


@dataclass(frozen=True)
class Table:
    """A table as shown: ``columns`` maps a column key to its header; ``rows`` hold the
    displayed strings by key, ``numeric`` names right-aligned columns."""

    id: str
    columns: dict[str, str]
    rows: list[dict[str, str]]
    numeric: frozenset[str] = frozenset()
    caption: str = ""


@dataclass(frozen=True)
class Section:
    """One titled part of a report: paragraphs, an optional figure (data URI), tables."""

    id: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    figure: str = ""
    figure_alt: str = ""
    tables: list[Table] = field(default_factory=list)
    figures: list[tuple[str, str]] = field(default_factory=list)
    """More figures after the tables: (data URI, caption)."""
    part: str = ""
    """The part of the report the section opens (a heading above it), if any."""
    after: list[str] = field(default_factory=list)
    """Paragraphs after the tables."""



def _table(tid: str, df: pd.DataFrame, columns: dict[str, tuple[str, Callable | None]],
           caption: str = "") -> Table:
    """A :class:`Table` of ``df``; ``columns`` maps a column to (header, formatter)."""
    rows = [{c: (fmt(r[c]) if fmt else str(r[c])) for c, (_, fmt) in columns.items()}
            for r in df.to_dict("records")]
    numeric = frozenset(c for c, (_, fmt) in columns.items() if fmt is not None)
    return Table(tid, {c: h for c, (h, _) in columns.items()}, rows, numeric, caption)


def solver_section(rec: RunRecord, lang: str = "en") -> Section:
    """Appendix: solver status, objective, gap, model size and timings."""
    m = rec.manifest
    gap = m.get("mip_gap")
    items = [("model", str(m.get("model", ""))), ("run id", str(m.get("run_id", ""))),
             ("created (UTC)", str(m.get("created_utc", ""))),
             ("solver", str(m.get("solver", ""))), ("status", str(m.get("status", ""))),
             ("termination", str(m.get("termination", ""))),
             ("objective [bn KRW, present value]", _opt(m.get("objective_bn_krw"), bn)),
             ("best bound [bn KRW]", _opt(m.get("best_bound_bn_krw"), bn)),
             ("MIP gap", _opt(gap, lambda g: f"{100 * g:.4f} %")),
             ("MIP gap requested", _opt(m.get("mip_rel_gap_requested"),
                                        lambda g: f"{100 * g:.4f} %"))]
    sizes = m.get("sizes", {})
    items += [(f"{k.replace('_', ' ')}", f"{v:,}") for k, v in sizes.items()]
    items += [(f"time: {k.replace('_', ' ')} [s]", f"{v:.2f}")
              for k, v in m.get("timings_s", {}).items()]
    rows = [{"item": k, "value": v} for k, v in items]
    paras = [str(rec.model.get("description", "")).replace("\n", " ")]
    changed = rec.inputs[rec.inputs["state"] != "unchanged"]
    if len(changed):
        paras.append("Warning: input files changed or missing since this run: "
                     + ", ".join(f"{Path(p).name} ({s})" for p, s in
                                 zip(changed["path"], changed["state"], strict=True))
                     + ". The report shows the current files' names and sources.")
    return Section("solver", tr("Solver", lang), [p for p in paras if p],
                   tables=[Table("solver", {"item": "item", "value": "value"}, rows)])


def _opt(x, fmt) -> str:
    return "n/a" if x is None else fmt(x)


def map_section(rec: RunRecord, panels: list[tuple[int, bytes]], lang: str = "en") -> Section:
    """The map of every period (SVG data URIs), for the charts part."""
    figs = [(_svg_uri(svg), f"{tr('Map', lang)} {p}") for p, svg in panels]
    return Section("maps", tr("Map by period", lang), [tr(MAP_NOTE, lang)],
                   figures=figs, figure_alt=f"Maps of run {rec.tables.run_id}")


MAP_NOTE = ("Provinces are shaded by IT capacity in the period; circles are the sites built "
            "(area proportional to IT MW, colour = period first built), named beside them; "
            "lines join the provinces (width = flow, colour = loading against the transfer "
            "limit); short grey ticks across a border are corridors without flow; green "
            "symbols are renewable zones (area proportional to potential). The interactive "
            "map of the run is map.html in the run folder.")


def _svg_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


KPI_ROWS = [("it_mw", "installed IT capacity [MW]", mw),
            ("facility_mw", "facility load (IT x PUE) [MW]", mw),
            ("sites_open", "sites open", lambda x: f"{int(x)}"),
            ("provinces_used", "host provinces", lambda x: f"{int(x)}"),
            ("capital_region_share", "capital-region share of IT MW", pct),
            ("largest_province_share", "largest province's share of IT MW", pct),
            ("renewable_share", "renewable share of facility energy", pct),
            ("annual_cost_bn_krw_per_yr", "annual cost [bn KRW/yr]", bn),
            ("present_value_bn_krw", "present value of the period [bn KRW]", bn)]
"""Rows of the key-figures table: (``kpis.csv`` column, English label, format)."""


def kpi_section(rec: RunRecord, lang: str = "en") -> Section:
    """Headline figures (rows) per period (columns), and annual costs by component."""
    from .words import cost_name

    k = rec.kpis.set_index("period")
    periods = [int(p) for p in k.index]
    cols = {"kpi": tr("indicator", lang)} | {f"p{p}": str(p) for p in periods}
    rows = [{"kpi": tr(label, lang)} | {f"p{p}": fmt(k.at[p, key]) for p in periods}
            for key, label, fmt in KPI_ROWS if key in k.columns]
    kpis = Table("kpis", cols, rows, frozenset(cols) - {"kpi"})
    comp = [c for c in rec.costs.columns if c.endswith("_bn_krw_per_yr")]
    costs = _table("costs", rec.costs, {"period": (tr("period", lang), lambda x: f"{int(x)}")}
                   | {c: (cost_name(c.removesuffix("_bn_krw_per_yr"), lang) + " [bn KRW/yr]", bn)
                      for c in comp}
                   | {"present_value_bn_krw": (tr("present value [bn KRW]", lang), bn)},
                   caption=tr("Annual cost by component and present value per period", lang))
    return Section("kpis", tr("Key figures", lang), tables=[kpis, costs], part=tr("Tables", lang))


def province_section(rec: RunRecord, lang: str = "en") -> Section:
    """IT MW per province and period, and the last period's load and trade."""
    t = rec.tables
    w = t.provinces.pivot(index="province_id", columns="period", values="it_mw")
    last = t.provinces[t.provinces["period"] == t.last].set_index("province_id")
    df = t.province_info[["name_ko", "capital_region"]].join(w.add_prefix("it_")).join(
        last[["grid_load_mw", "imports_mw", "exports_mw", "spare_mw"]]).reset_index()
    cols = {"province_id": (tr("Province", lang), None), "name_ko": ("이름", None),
            "capital_region": (tr("capital region", lang),
                               lambda x: tr("yes", lang) if x else "")}
    cols |= {f"it_{p}": (f"IT MW {p}", mw) for p in t.periods}
    cols |= {"grid_load_mw": (tr("grid load MW {p}", lang, p=t.last), mw),
             "imports_mw": (tr("imports MW {p}", lang, p=t.last), mw),
             "exports_mw": (tr("exports MW {p}", lang, p=t.last), mw),
             "spare_mw": (tr("spare MW", lang), mw)}
    df = df.sort_values([f"it_{t.last}", "province_id"], ascending=[False, True])
    return Section("provinces", tr("Provinces", lang), [tr(
        "Spare MW is the share of the province's generation surplus available to new load; "
        "grid load is the facility load drawn at the province's grid nodes.", lang)],
        tables=[_table("provinces", df, cols)])


def site_section(rec: RunRecord, lang: str = "en") -> Section:
    """Sites built in any period: capacity per period, size limit, renewable share."""
    t = rec.tables
    layer = mapdata.site_layer(t)
    built = layer[layer["first_period"].notna()].reset_index()
    built["name"] = built["site_id"].map(place_names(t.sites, "site_id", lang))
    cols = {"site_id": ("id", None), "name": (tr("name", lang), None),
            "province_id": (tr("Province", lang), None), "kind": (tr("kind", lang), None),
            "first_period": (tr("first built", lang), lambda x: f"{int(x)}")}
    cols |= {f"it_mw_{p}": (f"IT MW {p}", mw) for p in t.periods}
    cols |= {"max_it_mw": (tr("max IT MW", lang), mw),
             "renewable_share": (f"{tr('renewable share', lang)} {t.last}", pct)}
    built = built.sort_values([f"it_mw_{t.last}", "site_id"], ascending=[False, True])
    n = t.sites["site_id"].nunique()
    return Section("sites", tr("Sites built", lang), [tr(
        "{b} of {n} candidate sites are built in at least one period.", lang, b=len(built),
        n=n)], tables=[_table("sites", built, cols)])


def _marginal(x) -> str:
    return "n/a" if math.isnan(float(x)) else f"{float(x):.4g}"


BINDING_COLUMNS: dict[str, tuple[str, Callable | None]] = {
    "limit": ("limit", None), "id": ("where", None), "period": ("period", None),
    "value": ("used", mw), "bound": ("allowed", mw), "unit": ("unit", None),
    "marginal_bn_krw_per_unit": ("worth of one unit more [bn KRW, present value]",
                                 _marginal)}
"""Columns of ``binding.csv`` shown, read by name (those absent are left out); the limit is
named in planner words (:func:`siting.outputs.words.limit_name`)."""


def grid_section(rec: RunRecord, lang: str = "en") -> Section:
    """Binding limits in planner words (goals apart), and the corridor arcs with flow."""
    b = rec.binding.copy()
    b["limit_key"] = b["limit"]
    b["limit"] = b["limit"].map(lambda x: limit_name(x, lang))
    goal = b["limit_key"].map(is_goal)
    shown = {c: (tr(h, lang), f) for c, (h, f) in BINDING_COLUMNS.items() if c in b.columns}
    limits = _table("binding", b[~goal], shown, caption=tr(
        "Limits at their bound (binding.csv): used = allowed; the worth of one unit more is "
        "the dual of the LP with the integer decisions fixed (n/a where only whole modules "
        "or sites are decided)", lang))
    goals = _table("goals", b[goal], {c: shown[c] for c in ("limit", "id", "period", "value",
                                                            "unit") if c in shown},
                   caption=tr("Goals of the plan met exactly (targets and commitments)", lang))
    n_grid = int((~goal & b["family"].isin(GRID_FAMILIES)).sum())
    paras = [tr("{n} limits bind, {g} of them grid limits; {k} goals are met exactly.", lang,
                n=int((~goal).sum()), g=n_grid, k=int(goal.sum()))]
    return Section("grid", tr("Binding limits", lang), paras,
                   tables=[limits, goals, flow_table(rec, lang)])


def flow_table(rec: RunRecord, lang: str = "en") -> Table:
    """The corridor arcs that carry flow in any period, with their peak loading."""
    c = rec.tables.corridors
    used = c[c.groupby("arc_id")["flow_mw"].transform("max") > 0]
    flows = used.pivot(index="arc_id", columns="period", values="flow_mw").add_prefix("f_")
    first = used.drop_duplicates("arc_id").set_index("arc_id")
    df = first[["corridor_id", "from_province", "to_province", "limit_mw"]].join(flows)
    df["loading"] = df[list(flows.columns)].max(axis=1) / df["limit_mw"]
    cols = {"corridor_id": (tr("corridor", lang), None),
            "from_province": (tr("from", lang), None), "to_province": (tr("to", lang), None)}
    cols |= {f"f_{p}": (f"{tr('flow MW', lang)} {p}", mw) for p in rec.tables.periods}
    cols |= {"limit_mw": (tr("limit MW", lang), mw), "loading": (tr("peak loading", lang), pct)}
    return _table("flows", df.reset_index(), cols, caption=tr("Corridor arcs with flow", lang))


EXTRA_TABLES = {"line_loading": "Loading of grid lines", "policy_costs": "Cost of each policy",
                "supply": "How each site is supplied",
                "reinforcements": "Grid reinforcements in service",
                "time_to_power": "Time to power"}
"""Optional CSVs of a run folder shown as tables when present (added by other stages)."""

EXTRA_NOTES = {"policy_costs": [
    ("Total cost: the objective minus the objective re-solved with the policy off. Finite "
    "difference: the objective re-solved one step looser (the step column) minus the "
    "objective; negative means the step saves that much. Dual: the sum of the policy's "
    "binding rows' duals in the LP with the integer decisions fixed, per percentage point of "
    "its share (0 or n/a for caps on whole modules). All in bn KRW, present value; "
    "differences below the MIP gap times the objective are solver tolerance.")]}
"""What the numbers of an optional table mean, printed above it."""


EXTRA_ROWS = 30
"""Most rows an optional table shows in the report (the CSV holds them all)."""
EXTRA_VIEW = {"line_loading": (["period", "snapshot", "name", "base_flow_mw", "flow_mw",
                                "limit_mw", "loading_pct", "limit_use_pct"], "limit_use_pct"),
              "supply": (None, "supply_mw")}
"""Columns shown (None: all) and the column the rows are ranked by, largest first."""


def _extra_view(name: str, df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The rows and columns of an optional table the report shows, and a note when rows
    are left out (a network run's line_loading.csv has thousands)."""
    cols, rank = EXTRA_VIEW.get(name, (None, None))
    if cols is not None:
        df = df[[c for c in cols if c in df.columns] or list(df.columns)]
    if rank in df.columns:
        df = df[df[rank].abs() > 0].sort_values(rank, ascending=False, kind="stable")
    if len(df) <= EXTRA_ROWS:
        return df, []
    return df.head(EXTRA_ROWS), [(f"The {EXTRA_ROWS} largest of {len(df):,} rows; "
                                 f"{name}.csv in the run folder holds them all.")]


def extra_sections(rec: RunRecord, lang: str = "en") -> list[Section]:
    """One section per optional CSV of :data:`EXTRA_TABLES` the run folder has, at most
    :data:`EXTRA_ROWS` rows each."""
    out = []
    for name, title in EXTRA_TABLES.items():
        df = rec.extra.get(name)
        if df is None or not len(df):
            continue
        df, note = _extra_view(name, df)
        cols = {c: (c.replace("_", " "), _cell_format(df[c])) for c in df.columns
                if c != "description" or name != "policy_costs"}
        out.append(Section(name, tr(title, lang), EXTRA_NOTES.get(name, []) + note,
                           tables=[_table(name, df, cols)]))
    return out


def _cell_format(col: pd.Series) -> Callable | None:
    if pd.api.types.is_float_dtype(col):
        return lambda x: "" if pd.isna(x) else num(x, 1 if abs(float(x)) >= 10 else 3)
    if pd.api.types.is_integer_dtype(col):
        return lambda x: f"{int(x)}"
    return None


def settings_section(rec: RunRecord, lang: str = "en") -> Section:
    """Every setting of the resolved model file, described in planner words
    (:mod:`siting.inputs.settings_doc`), with its key for reproduction."""
    words = setting_descriptions()
    rows = [{"setting": words.get(_pattern(k), k), "value": v, "key": k}
            for k, v in _flatten(rec.model) if k not in ("name", "description")]
    return Section("assumptions", tr("Settings", lang), [tr(
        "All settings of the run's model.toml, with defaults filled in.", lang)],
        tables=[Table("assumptions", {"setting": tr("setting", lang),
                                      "value": tr("value", lang), "key": tr("key", lang)},
                      rows)])


def setting_descriptions() -> dict[str, str]:
    """Dotted setting key -> its description (model-file reference)."""
    from ..inputs.settings_doc import sections

    out = {}
    for sec in sections():
        for key, *_, desc in sec.rows:
            name = key.strip("`")
            full = f"{sec.key}.{name}" if sec.key else name
            out[full] = desc.replace("`", "").replace("\\|", "|") or name.replace("_", " ")
    return out


def _pattern(key: str) -> str:
    """``a.b[2].c`` -> ``a.b.c`` (array items share their description)."""
    import re

    return re.sub(r"\[\d+\]", "", key)


def _flatten(d: dict, prefix: str = "") -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict) and v and not all(str(x).isdigit() for x in v):
            out += _flatten(v, key + ".")
        elif isinstance(v, dict):
            out.append((key, ", ".join(f"{a}: {b:g}" if isinstance(b, float) else f"{a}: {b}"
                                       for a, b in v.items()) or "(none)"))
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            out += [(f"{key}[{i}]", ", ".join(f"{a} = {b}" for a, b in x.items()))
                    for i, x in enumerate(v)]
        else:
            out.append((key, ", ".join(map(str, v)) if isinstance(v, list) else str(v)))
    return out


def sources_section(rec: RunRecord, lang: str = "en") -> Section:
    """Cited sources, input files with their hashes, software versions."""
    s = rec.sources
    paras = ([(f"{len(s)} sources are cited by the provenance records of the input tables "
               "(cited by = number of provenance rows naming the source).")] if len(s) else
             ["No sources.csv and provenance.csv were found beside the input tables."])
    paras.append(SOURCE)
    src = _table("sources", s, {"source_id": ("id", None), "publisher": ("publisher", None),
                                "title": ("title", None), "date": ("date", None),
                                "url": ("url", None), "licence": ("licence", None),
                                "cited_by": ("cited by", lambda x: f"{int(x)}")})
    inputs = _table("inputs", rec.inputs, {"path": ("file", None),
                                           "sha256": ("SHA-256 at run time", None),
                                           "state": ("now", None)})
    vers = [{"package": k, "version": v} for k, v in rec.manifest.get("versions", {}).items()]
    return Section("sources", tr("Data sources and inputs", lang), paras, tables=[
        src, inputs, Table("versions", {"package": "package", "version": "version"}, vers)])

"""The sections of a run report: what each shows, as :class:`Table` and :class:`Section`.

Each builder takes one :class:`~siting.outputs.report.RunRecord`; :data:`SECTIONS` lists them
in report order (the map goes second, see :func:`build_sections`). Numbers are formatted by
:mod:`siting.outputs.style`.
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
from .hosting import hosting_section
from .style import SOURCE, bn, mw, num, pct

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



def _table(tid: str, df: pd.DataFrame, columns: dict[str, tuple[str, Callable | None]],
           caption: str = "") -> Table:
    """A :class:`Table` of ``df``; ``columns`` maps a column to (header, formatter)."""
    rows = [{c: (fmt(r[c]) if fmt else str(r[c])) for c, (_, fmt) in columns.items()}
            for r in df.to_dict("records")]
    numeric = frozenset(c for c, (_, fmt) in columns.items() if fmt is not None)
    return Table(tid, {c: h for c, (h, _) in columns.items()}, rows, numeric, caption)


def summary_section(rec: RunRecord) -> Section:
    """Solver status, objective, gap, model size and timings."""
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
    return Section("summary", "Run and solver", [p for p in paras if p],
                   tables=[Table("solver", {"item": "item", "value": "value"}, rows)])


def _opt(x, fmt) -> str:
    return "n/a" if x is None else fmt(x)


def map_section(rec: RunRecord, svg: bytes) -> Section:
    """The static map, embedded as an SVG data URI."""
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    t = rec.tables
    return Section("map", f"Map, {t.last}", [
        ("Provinces are shaded by new IT capacity; circles are sites (area proportional to IT "
         "MW, colour = period first built); lines join the provinces' label points (width = "
         "flow, colour = loading against the transfer limit); green symbols are renewable "
         "zones. The interactive map of the run is map.html in the run folder.")],
        figure=uri, figure_alt=f"Map of run {t.run_id}")


KPI_ROWS = [("it_mw", "installed IT capacity [MW]", mw),
            ("facility_mw", "facility load (IT x PUE) [MW]", mw),
            ("sites_open", "sites open", lambda x: f"{int(x)}"),
            ("provinces_used", "host provinces", lambda x: f"{int(x)}"),
            ("capital_region_share", "capital-region share of IT MW", pct),
            ("largest_province_share", "largest province's share of IT MW", pct),
            ("renewable_share", "renewable share of facility energy", pct),
            ("annual_cost_bn_krw_per_yr", "annual cost [bn KRW/yr]", bn),
            ("present_value_bn_krw", "present value of the period [bn KRW]", bn),
            ("binding_grid_limits", "binding grid limits", lambda x: f"{int(x)}")]


def kpi_section(rec: RunRecord) -> Section:
    """Headline figures (rows) per period (columns), and annual costs by component."""
    k = rec.kpis.set_index("period")
    periods = [int(p) for p in k.index]
    cols = {"kpi": "indicator"} | {f"p{p}": str(p) for p in periods}
    rows = [{"kpi": label} | {f"p{p}": fmt(k.at[p, key]) for p in periods}
            for key, label, fmt in KPI_ROWS if key in k.columns]
    kpis = Table("kpis", cols, rows, frozenset(cols) - {"kpi"})
    comp = [c for c in rec.costs.columns if c.endswith("_bn_krw_per_yr")]
    costs = _table("costs", rec.costs, {"period": ("period", lambda x: f"{int(x)}")} | {
        c: (c.removesuffix("_bn_krw_per_yr").replace("_", " ") + " [bn KRW/yr]", bn)
        for c in comp} | {"discount_factor_yr": ("discount factor [yr]", lambda x: f"{x:.3f}"),
                          "present_value_bn_krw": ("present value [bn KRW]", bn)},
        caption="Annual cost by component and present value per period")
    return Section("kpis", "Key figures", tables=[kpis, costs])


def province_section(rec: RunRecord) -> Section:
    """IT MW per province and period, and the last period's load and trade."""
    t = rec.tables
    w = t.provinces.pivot(index="province_id", columns="period", values="it_mw")
    last = t.provinces[t.provinces["period"] == t.last].set_index("province_id")
    df = t.province_info[["name_ko", "capital_region"]].join(w.add_prefix("it_")).join(
        last[["facility_mw", "sites_open", "grid_load_mw", "imports_mw", "exports_mw",
              "spare_mw"]]).reset_index()
    cols = {"province_id": ("province", None), "name_ko": ("이름", None),
            "capital_region": ("capital region", lambda x: "yes" if x else "")}
    cols |= {f"it_{p}": (f"IT MW {p}", mw) for p in t.periods}
    cols |= {"facility_mw": (f"facility MW {t.last}", mw),
             "sites_open": (f"sites {t.last}", lambda x: f"{int(x)}"),
             "grid_load_mw": (f"grid load MW {t.last}", mw),
             "imports_mw": (f"imports MW {t.last}", mw),
             "exports_mw": (f"exports MW {t.last}", mw), "spare_mw": ("spare MW", mw)}
    df = df.sort_values([f"it_{t.last}", "province_id"], ascending=[False, True])
    return Section("provinces", "Provinces", [
        ("Spare MW is the share of the province's generation surplus available to new load; "
         "grid load is the facility load drawn at the province's grid nodes.")],
        tables=[_table("provinces", df, cols)])


def site_section(rec: RunRecord) -> Section:
    """Sites built in any period: capacity per period, size limit, renewable share."""
    t = rec.tables
    layer = mapdata.site_layer(t)
    built = layer[layer["first_period"].notna()].reset_index()
    cols = {"site_id": ("site", None), "name": ("name", None),
            "province_id": ("province", None), "kind": ("kind", None),
            "first_period": ("first built", lambda x: f"{int(x)}")}
    cols |= {f"it_mw_{p}": (f"IT MW {p}", mw) for p in t.periods}
    cols |= {"max_it_mw": ("max IT MW", mw),
             "renewable_share": (f"renewable share {t.last}", pct)}
    built = built.sort_values([f"it_mw_{t.last}", "site_id"], ascending=[False, True])
    n = t.sites["site_id"].nunique()
    return Section("sites", "Sites built", [
        f"{len(built)} of {n} candidate sites are built in at least one period."],
        tables=[_table("sites", built, cols)])


BINDING_COLUMNS: dict[str, tuple[str, Callable | None]] = {
    "family": ("family", None), "limit": ("limit", None), "id": ("id", None),
    "period": ("period", None), "value": ("value", mw), "bound": ("bound", mw),
    "unit": ("unit", None), "slack": ("slack", lambda x: num(x, 4)),
    "marginal_bn_krw_per_unit": ("marginal value [bn KRW per unit]",
                                 lambda x: "n/a" if math.isnan(float(x)) else f"{float(x):.4g}")}
"""Columns of ``binding.csv`` shown, read by name (those absent are left out)."""


def grid_section(rec: RunRecord) -> Section:
    """Binding limits, and the corridor arcs that carry flow."""
    b = rec.binding
    shown = {c: spec for c, spec in BINDING_COLUMNS.items() if c in b.columns}
    binding = _table("binding", b, shown, caption=(
        "Limits at their bound, as listed in binding.csv: rows whose slack (bound minus "
        "value, in the limit's own unit) is at most 1e-6 of the larger of 1, value and "
        "bound; the marginal value is the dual of the LP with the integer decisions fixed "
        "(present-value bn KRW per unit of the limit; n/a for rows of integer decisions only)"))
    c = rec.tables.corridors
    used = c[c.groupby("arc_id")["flow_mw"].transform("max") > 0]
    flows = used.pivot(index="arc_id", columns="period", values="flow_mw").add_prefix("f_")
    first = used.drop_duplicates("arc_id").set_index("arc_id")
    df = first[["corridor_id", "from_province", "to_province", "limit_mw"]].join(flows)
    df["loading"] = df[list(flows.columns)].max(axis=1) / df["limit_mw"]
    cols = {"corridor_id": ("corridor", None), "from_province": ("from", None),
            "to_province": ("to", None)}
    cols |= {f"f_{p}": (f"flow MW {p}", mw) for p in rec.tables.periods}
    cols |= {"limit_mw": ("limit MW", mw), "loading": ("peak loading", pct)}
    arcs = _table("flows", df.reset_index(), cols, caption="Corridor arcs with flow")
    paras = [f"{len(b)} limits are binding." if len(b) else "No limit is binding."]
    return Section("grid", "Binding limits and corridor flows", paras,
                   tables=[binding, arcs])


def assumptions_section(rec: RunRecord) -> Section:
    """Every setting of the resolved model file, one row per key."""
    rows = [{"setting": k, "value": v} for k, v in _flatten(rec.model)
            if k not in ("name", "description")]
    return Section("assumptions", "Assumptions (resolved model file)", [
        "All settings of the run's model.toml, with defaults filled in."],
        tables=[Table("assumptions", {"setting": "setting", "value": "value"}, rows)])


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


def sources_section(rec: RunRecord) -> Section:
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
    return Section("sources", "Data sources and inputs", paras, tables=[
        src, inputs, Table("versions", {"package": "package", "version": "version"}, vers)])


SECTIONS: list[Callable[[RunRecord], Section]] = [
    summary_section, kpi_section, province_section, site_section, grid_section,
    hosting_section, assumptions_section, sources_section]
"""Section builders after the map, in report order (see the module doc for sweeps)."""


def build_sections(rec: RunRecord, map_svg: bytes) -> list[Section]:
    """All sections of a run report, the map second."""
    secs = [f(rec) for f in SECTIONS]
    return secs[:1] + [map_section(rec, map_svg)] + secs[1:]



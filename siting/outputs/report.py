"""``siting report``: one self-contained HTML report of a run folder, and the same as PDF.

The report reads the run folder (:mod:`siting.outputs.reader`) and, for its list of
sources, ``sources.csv`` and ``provenance.csv`` beside the data tables its ``model.toml``
names, so it can be made for any past run. The map is drawn again from the run's CSVs and
embedded as SVG; the Hangul font is embedded, subset to the report's text. Files are
written atomically (:mod:`siting.outputs.atomic`).

Order (:func:`build_sections`): the first page a director reads alone
(:mod:`siting.outputs.summary`), the charts (:mod:`siting.outputs.charts` and the map of
every period), the tables, the appendix (solver, settings, sources and hashes). Optional
CSVs other stages add to a run folder (``line_loading.csv``, ``hosting.csv``,
``policy_costs.csv``) are shown when present. A sweep folder gets its own report
(:mod:`siting.outputs.sweep_report`), which reuses these pieces.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import SitingError
from . import reader
from .atomic import atomic_file, write_errors_reported
from .mapdata import RunTables
from .sections import KPI_ROWS, Section, Table
from .words import LANGS, tr

__all__ = ["KPI_ROWS", "OPTIONAL", "RunRecord", "Section", "Table", "build_sections",
           "cited_sources", "html_to_pdf", "input_states", "read_run", "render_html",
           "write_report"]

OPTIONAL = ("line_loading", "hosting", "policy_costs", "supply", "reinforcements",
            "time_to_power")
"""CSVs a run folder may hold besides the result tables; read when present."""

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
    extra : dict
        The :data:`OPTIONAL` CSVs the folder holds, by name (absent ones left out).
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
    extra: dict

    @property
    def policy_costs(self) -> pd.DataFrame | None:
        """``policy_costs.csv``, or None when the run has none."""
        return self.extra.get("policy_costs")


def read_run(run_dir: Path) -> RunRecord:
    """Read a run folder (:func:`siting.outputs.reader.read_run`), its cited sources and
    the state of its input files.

    Raises
    ------
    SitingError
        When the folder is missing, is a sweep folder, or a file of it is missing or
        damaged (the message names the file).
    """
    run = reader.read_run(run_dir)
    return RunRecord(folder=run.folder, tables=run.tables, manifest=run.manifest,
                     model=run.model, kpis=run.kpis, costs=run.costs, binding=run.binding,
                     procurement=run.procurement, sources=cited_sources(run.folder, run.model),
                     inputs=input_states(run.manifest, run.folder),
                     extra={n: reader.read_table(run.folder / f"{n}.csv") for n in OPTIONAL
                            if (run.folder / f"{n}.csv").is_file()})


def build_sections(rec: RunRecord, lang: str = "en") -> list[Section]:
    """All sections of a run report in order: first page, charts, tables, appendix."""
    from . import charts, sections, summary
    from .plot import plot_map, svg_bytes

    t = rec.tables
    first = summary.decision_section(rec, sections._svg_uri(svg_bytes(plot_map(t, lang=lang))),
                                     lang)
    names = summary.province_names(rec, lang)
    loading = charts.loading_table(t.corridors, rec.extra.get("line_loading"))
    figs = [(charts.capacity_chart(t.provinces, names, t.periods, lang),
             tr("Capacity by province and period", lang)),
            (charts.cost_chart(rec.costs, lang), tr("Annual cost by component", lang))]
    if len(loading):
        figs.append((charts.loading_chart(loading, t.periods, lang),
                     tr("Loading of the most loaded grid elements", lang)))
    chart = Section("charts", tr("Charts", lang), figures=[
        (sections._svg_uri(svg), cap) for svg, cap in figs])
    maps = sections.map_section(rec, [(p, svg_bytes(plot_map(t, period=p, lang=lang,
                                                             small=True)))
                                      for p in t.periods], lang)
    tables = [sections.kpi_section(rec, lang), sections.province_section(rec, lang),
              sections.site_section(rec, lang), sections.grid_section(rec, lang)]
    hosting = sections.hosting_section(rec)
    tables += [hosting] if hosting.tables else []
    tables += sections.extra_sections(rec, lang)
    appendix = [sections.solver_section(rec, lang), sections.settings_section(rec, lang),
                sections.sources_section(rec, lang)]
    appendix[0] = dataclasses.replace(appendix[0], part=tr("Appendix", lang))
    return [first, chart, maps, *tables, *appendix]


def cited_sources(run_dir: Path, model: dict) -> pd.DataFrame:
    """Rows of ``sources.csv`` cited by ``provenance.csv`` for the model's tables.

    Both files are looked for in the folders of the model's data tables.
    """
    cols = ["source_id", "publisher", "title", "date", "url", "licence", "cited_by"]
    tables = list(model.get("data", {}))
    folders = dict.fromkeys(reader.data_path(run_dir, model, t).parent for t in tables)
    for folder in folders:
        src, prov = folder / "sources.csv", folder / "provenance.csv"
        if src.is_file() and prov.is_file():
            s = reader.read_table(src, ("source_id",), dtype=str, na_values=None)
            p = reader.read_table(prov, ("table", "source_ids"), dtype=str, na_values=None)
            ids = p.loc[p["table"].isin(tables), "source_ids"].str.split(";").explode()
            counts = ids.str.strip().value_counts()
            s = s[s["source_id"].isin(counts.index)].copy()
            s["cited_by"] = s["source_id"].map(counts).astype(int)
            return s.reindex(columns=cols).sort_values("source_id").reset_index(drop=True)
    return pd.DataFrame(columns=cols)


def input_states(manifest: dict, run_dir: Path) -> pd.DataFrame:
    """Each input file of the manifest with its hash then and whether it changed since.

    Paths in the manifest are relative to the run folder (older runs: absolute).
    """
    rows = []
    for path, sha in manifest.get("inputs_sha256", {}).items():
        p = Path(run_dir) / path
        if not p.is_file():
            state = "missing"
        else:
            same = hashlib.sha256(p.read_bytes()).hexdigest() == sha
            state = "unchanged" if same else "changed since the run"
        rows.append({"path": path, "sha256": sha, "state": state})
    return pd.DataFrame(rows, columns=["path", "sha256", "state"])


def render_html(title: str, sections: list[Section], embed_font: bool = True,
                lang: str = "en") -> str:
    """The report page (Jinja2 template ``templates/report.html.j2``)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    tpl = env.get_template(TEMPLATE)
    page = tpl.render(title=title, sections=sections, font_css="", lang=lang)
    if not embed_font:
        return page
    from markupsafe import Markup

    from .fonts import font_face_css

    return tpl.render(title=title, sections=sections, lang=lang, font_css=Markup(font_face_css(
        _visible_text(sections, title))))


def _visible_text(sections: list[Section], title: str) -> str:
    parts = [title]
    for s in sections:
        parts += [s.title, s.part, *s.paragraphs, *s.after, *(c for _, c in s.figures)]
        for t in s.tables:
            parts += [t.caption, *t.columns.values()]
            parts += [v for r in t.rows for v in r.values()]
    return "".join(parts)


def write_report(run_dir: Path, out_dir: Path | None = None, pdf: bool = True,
                 lang: str = "en") -> list[Path]:
    """Write ``report.html`` (and ``report.pdf``) for a run folder, or for a sweep folder
    (:func:`siting.outputs.sweep_report.sweep_sections`).

    Parameters
    ----------
    run_dir : pathlib.Path
        A folder written by ``siting run`` or ``siting sweep``.
    out_dir : pathlib.Path, optional
        Where to write; the run folder by default.
    pdf : bool
        Also write the PDF (WeasyPrint).
    lang : {"en", "ko"}
        Language of the fixed texts and names (Korean names from ``name_ko``).

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    SitingError
        A damaged run folder (naming the file), no Pango for the PDF, or an ``out_dir``
        that cannot be written (:class:`~siting.outputs.atomic.OutputError`, naming the
        folder and the fix; nothing is left half-written).
    """
    if lang not in LANGS:
        raise SitingError(f"--lang {lang}: choose one of {', '.join(LANGS)}")
    if pdf:
        load_weasyprint()  # fail before writing anything when the PDF cannot be made
    from .sweep_report import is_sweep, sweep_sections

    if is_sweep(Path(run_dir)):
        title, sections = sweep_sections(Path(run_dir), lang)
    else:
        rec = read_run(run_dir)
        sections = build_sections(rec, lang)
        title = tr("AI data-centre siting: {name}, run {run}", lang, name=rec.tables.name,
                   run=rec.tables.run_id)
    page = render_html(title, sections, lang=lang)
    out_dir = Path(out_dir) if out_dir is not None else Path(run_dir)
    pdf_bytes = html_to_pdf(page, out_dir) if pdf else None
    with write_errors_reported(out_dir, "the report into"):
        out_dir.mkdir(parents=True, exist_ok=True)
        written = [atomic_file(out_dir / "report.html", page.encode("utf-8"))]
        if pdf_bytes is not None:
            written.append(atomic_file(out_dir / "report.pdf", pdf_bytes))
    return written


def html_to_pdf(page: str, base: Path) -> bytes:
    """PDF bytes of an HTML page (WeasyPrint; needs the Pango system library)."""
    return load_weasyprint().HTML(string=page, base_url=str(base)).write_pdf()


def load_weasyprint():
    """The ``weasyprint`` module, or a one-line :class:`SitingError` saying what to install."""
    import contextlib
    import io

    try:  # WeasyPrint prints a banner to stdout before raising when a library is missing
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango missing
        fix = "pip install weasyprint" if isinstance(exc, ImportError) else (
            "on Debian/Ubuntu apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
            "libharfbuzz-subset0 (or run ./install.sh)")
        raise SitingError(f"cannot make the PDF ({str(exc).split(':')[0]}): {fix}; or pass "
                          "--no-pdf") from exc
    return weasyprint

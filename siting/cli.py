"""Command line: ``siting run``, ``report``, ``validate``, ``schema``, ``settings``, ..."""

from __future__ import annotations

import math
import operator
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .errors import InputError, Problem, SitingError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Site South Korea's AI data centres against the power grid.")


def _fail(exc: Exception) -> None:
    typer.secho(str(exc), fg=typer.colors.RED, err=True)
    raise typer.Exit(code=2)


OPTION_FIELDS = {
    "time_limit": ("siting.inputs.model_file", "Solver", "time_limit_s", "[solver]"),
    "gap": ("siting.inputs.model_file", "Solver", "mip_rel_gap", "[solver]"),
    "threads": ("siting.inputs.model_file", "Solver", "threads", "[solver]"),
    "workers": ("siting.sweep.spec", "RunOptions", "workers", "[run] of a sweep file"),
    "limit": None,
}
"""Numeric option (``--time-limit`` ...) -> the pydantic field whose bounds it takes
(module, class, field, where that key sits), so an option accepts exactly what the model
or sweep file accepts; ``None``: an option of its own (a count of at least 1)."""
_SIGNS = {"gt": (operator.gt, ">"), "ge": (operator.ge, ">="), "lt": (operator.lt, "<"),
          "le": (operator.le, "<=")}


def option_bounds(name: str) -> dict[str, float]:
    """Bounds of option ``name`` (a key of :data:`OPTION_FIELDS`): ``{"ge": 0, "lt": 1}``."""
    spec = OPTION_FIELDS[name]
    if spec is None:
        return {"ge": 1}
    import importlib

    info = getattr(importlib.import_module(spec[0]), spec[1]).model_fields[spec[2]]
    return {k: getattr(rule, k) for rule in info.metadata for k in _SIGNS if hasattr(rule, k)}


def check_options(**given: float | None) -> dict[str, float]:
    """Check numeric command-line options against :data:`OPTION_FIELDS`.

    Parameters
    ----------
    **given
        Option (``time_limit`` [s], ``gap`` [-], ``threads``, ``workers``, ``limit``) ->
        value, None when not given.

    Returns
    -------
    dict
        Field name (``time_limit_s`` ...; the option's own name for ``limit``) -> value,
        for the options given.

    Raises
    ------
    InputError
        A value out of range or not finite: one :class:`Problem` per option, naming it
        (``column '--gap'``), its value and the accepted range, before anything is read or
        written.
    """
    out, problems = {}, []
    for name, value in given.items():
        if value is None:
            continue
        spec, bounds = OPTION_FIELDS[name], option_bounds(name)
        rule = " and ".join(f"{_SIGNS[k][1]} {b:g}" for k, b in bounds.items())
        if not math.isfinite(value) or not all(_SIGNS[k][0](value, b)
                                                for k, b in bounds.items()):
            where = f" (as {spec[2]} in {spec[3]})" if spec else ""
            problems.append(Problem("command line", "value out of range",
                                    f"give a finite number {rule}{where}",
                                    column="--" + name.replace("_", "-"), value=value))
        out[spec[2] if spec else name] = value
    if problems:
        raise InputError(problems)
    return out


def version_text() -> str:
    """``siting <version> (HiGHS ..., Pyomo ..., Python ...)``."""
    import platform
    from importlib.metadata import version

    from . import __version__

    return (f"siting {__version__} (HiGHS {version('highspy')}, Pyomo {version('pyomo')}, "
            f"Python {platform.python_version()})")


def _print_version(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True,
        help="print the version of siting and its solver, and exit")] = False) -> None:
    """Site South Korea's AI data centres against the power grid."""


class OnInterrupt(str, Enum):
    discard = "discard"
    keep = "keep"


@app.command("run")
def run_cmd(
    model_file: Annotated[Path, typer.Argument(help="model file (TOML)")],
    runs_dir: Annotated[Path, typer.Option(help="parent folder of run folders")] = Path("runs"),
    run_id: Annotated[str | None, typer.Option(
        help="run folder name (default: name-time-suffix, e.g. "
             "korea-2030-20261126T120000Z-3f9a)")] = None,
    overwrite: Annotated[bool, typer.Option(help="replace an existing run folder")] = False,
    no_map: Annotated[bool, typer.Option("--no-map", help="skip drawing the maps (map.png, "
                                         "map.svg, map.html)")] = False,
    time_limit: Annotated[float | None, typer.Option(
        help="HiGHS time limit [s] (> 0; overrides solver.time_limit_s)")] = None,
    gap: Annotated[float | None, typer.Option(
        help="relative MIP gap to stop at (0 <= gap < 1; overrides solver.mip_rel_gap)")]
    = None,
    threads: Annotated[int | None, typer.Option(
        help="HiGHS threads (>= 1; overrides solver.threads)")] = None,
    on_interrupt: Annotated[OnInterrupt, typer.Option(
        help="Ctrl-C during the solve stops HiGHS at once; then 'discard' writes nothing, "
             "'keep' writes the best plan found, with status 'interrupted'")]
    = OnInterrupt.discard,
    policy_costs: Annotated[bool, typer.Option(
        "--policy-costs", help="also re-solve once per policy in force without it, and write "
        "policy_costs.csv (each policy's marginal value and total cost)")] = False,
) -> None:
    """Solve a model file and write runs/<run-id>/."""
    from .api import run
    from .inputs.model_file import load_model_file

    plans: list[float] = []
    solving: list[bool] = []

    def say(stage: str, objective: float | None) -> None:
        if stage == "solve":
            solving.append(True)
            typer.secho(f"solving     with HiGHS (Ctrl-C stops it and "
                        f"{'keeps the best plan' if keep else 'writes nothing'})", err=True)
            return
        if not plans:  # the first plan only: later ones are in solver.log
            typer.secho(f"first plan  {objective:,.1f} bn KRW; HiGHS goes on to prove or "
                        "improve it", err=True)
        plans.append(objective)

    keep = on_interrupt is OnInterrupt.keep
    try:
        overrides = check_options(time_limit=time_limit, gap=gap, threads=threads)
        model = load_model_file(model_file)
        if overrides:
            solver = type(model.solver).model_validate(model.solver.model_dump() | overrides)
            model = model.model_copy(update={"solver": solver})
        out = run(model, runs_dir=runs_dir, run_id=run_id, overwrite=overwrite,
                  draw_map=not no_map, on_interrupt=on_interrupt.value, progress=say,
                  policy_costs=policy_costs)
    except SitingError as exc:
        _fail(exc)
        return
    except KeyboardInterrupt:
        why = " (HiGHS had no feasible plan yet)" if keep and solving and not plans else ""
        typer.secho(f"interrupted: no run folder was written{why}", fg=typer.colors.YELLOW,
                    err=True)
        raise typer.Exit(code=130) from None
    r = out.results
    last = r.kpis.iloc[-1]
    if r.solve.status != "optimal":
        typer.secho(f"warning: not proven optimal ({r.solve.status}, {r.solve.termination}); "
                    f"best plan has gap {r.solve.mip_gap:.2%} to the bound",
                    fg=typer.colors.YELLOW, err=True)
    typer.echo(f"status      {r.solve.status} (gap {r.solve.mip_gap:.2e}, {r.solve.solver})")
    typer.echo(f"objective   {r.solve.objective:,.1f} bn KRW (present value)")
    typer.echo(f"size        {out.sizes['variables']} variables "
               f"({out.sizes['binary_variables']} binary, {out.sizes['integer_variables']} "
               f"integer), {out.sizes['constraints']} constraints")
    t = out.timings
    solve = (f"solve {t['solve']:.2f} (to HiGHS {t['solve_to_highs']:.2f}, HiGHS "
             f"{t['solve_highs']:.2f})") if "solve_highs" in t else f"solve {t['solve']:.2f}"
    typer.echo("seconds     " + ", ".join([f"load {t['load']:.2f}", f"build {t['build']:.2f}",
                                           solve, f"results {t['results']:.2f}"]
                                          + ([f"write {t['write']:.2f}"] if "write" in t else [])))
    typer.echo(f"{int(last['period'])}        {last['it_mw']:,.0f} MW IT{_target(last)} at "
               f"{int(last['sites_open'])} sites in {int(last['provinces_used'])} provinces; "
               f"capital region {last['capital_region_share']:.1%}, renewable "
               f"{last['renewable_share']:.1%}")
    if last.get("target_gap_cause"):
        typer.echo(f"over target {last['built_minus_target_mw']:,.1f} MW: "
                   f"{last['target_gap_cause']}")
    elif last.get("host_minimum_note"):
        typer.echo(f"note        {last['host_minimum_note']}")
    from .model.precheck import module_rounding_notes

    for note in module_rounding_notes(out.data):
        typer.echo(f"note        {note}")
    for pc in ([] if out.policy_costs is None else out.policy_costs.itertuples()):
        typer.echo(f"policy      {pc.policy} ({pc.value}): total cost {pc.total_cost_bn_krw:,.1f} "
                   f"bn KRW (without it {pc.objective_without_bn_krw:,.1f}); "
                   f"{pc.finite_difference_step}: {pc.finite_difference_bn_krw:+,.1f} bn KRW"
                   f"{_dual(pc)}")
    typer.echo(f"written     {out.run_dir}")


def _dual(pc) -> str:
    """``; dual ...`` of a policy-cost row: its fixed-integer LP duals, if any bind."""
    if pc.binding_rows == 0:
        return "; no binding row (dual 0)"
    m, pp = pc.marginal_sum_bn_krw_per_unit, pc.marginal_sum_bn_krw_per_pp
    if math.isnan(m):
        return f"; {pc.binding_rows} binding rows, no dual (integer decisions only)"
    per = "" if math.isnan(pp) else f" = {pp:,.3g} bn KRW per percentage point"
    return f"; dual {m:,.3g} {pc.marginal_unit} (sum of {pc.binding_rows} rows){per}"


def _target(kpis) -> str:
    """`` (target 85.0 MW = 50,000 GPUs)`` from a KPI row; empty with targets off."""
    t = kpis.get("target_mw")
    if t is None or math.isnan(t):
        return ""
    gpus = kpis.get("target_gpus")
    shown = "" if gpus is None or math.isnan(gpus) else f" = {gpus:,.0f} GPUs"
    return f" (target {t:,.1f} MW{shown})"


def _write_listed(label: str, write) -> None:
    """Call ``write()`` (which returns the paths it wrote, and reports damaged inputs and
    folders it cannot write as planner errors), then list each path after ``label``."""
    try:
        written = write()
    except SitingError as exc:
        _fail(exc)
        return
    for path in written:
        typer.echo(f"{label:<12}{path}")


@app.command("report")
def report_cmd(
    run_dir: Annotated[Path, typer.Argument(help="run folder written by 'siting run', or a "
                                                 "sweep folder written by 'siting sweep'")],
    out_dir: Annotated[Path | None, typer.Option(help="where to write (default: the run "
                                                      "folder)")] = None,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="also write report.pdf")] = True,
    lang: Annotated[str, typer.Option(help="language of the report: en or ko (Korean names "
                                           "from the data's name_ko columns)")] = "en",
) -> None:
    """Write report.html (self-contained) and report.pdf for a run or sweep folder."""
    from .outputs.report import write_report

    _write_listed("written", lambda: write_report(run_dir, out_dir=out_dir, pdf=pdf,
                                                  lang=lang))


@app.command("workbook")
def workbook_cmd(folder: Annotated[Path, typer.Argument(
        help="run folder ('siting run') or sweep folder ('siting sweep')")]) -> None:
    """(Re)write results.xlsx of a run or sweep folder from its tables."""
    from .outputs.workbook import write_run_workbook
    from .sweep.outputs import write_sweep_workbook

    write = write_sweep_workbook if (folder / "sweep.json").is_file() else write_run_workbook
    _write_listed("written", lambda: [write(folder)])


@app.command("compare")
def compare_cmd(
    run_a: Annotated[Path, typer.Argument(help="run folder A, or runs/<sweep>/scenarios/<x>")],
    run_b: Annotated[Path, typer.Argument(help="run folder B, compared with A")],
    out_dir: Annotated[Path | None, typer.Option(help="default: runs/compare/<A>--<B>")] = None,
    no_map: Annotated[bool, typer.Option("--no-map", help="skip the difference map")] = False,
) -> None:
    """Print what run B decides differently from A; write it (CSV, text, difference map)."""
    from .outputs.compare import compare_and_write

    _write_listed("written", lambda: compare_and_write(run_a, run_b, out_dir, not no_map,
                                                       typer.echo))


@app.command("validate")
def validate_cmd(model_file: Annotated[Path, typer.Argument(help="model file (TOML)")]) -> None:
    """Check a model file and its data without solving."""
    from .inputs.model_file import load_model_file
    from .inputs.tables import load_inputs
    from .model.data import prepare
    from .model.precheck import module_rounding_notes, precheck
    from .model.solve import check_options

    try:
        model = load_model_file(model_file)
        check_options(model.solver, str(model_file))
        inputs = load_inputs(model)
        data = prepare(inputs, model)
        precheck(data)
    except SitingError as exc:
        _fail(exc)
        return
    typer.echo(f"{model_file}: OK ({len(inputs.sites)} sites, {len(inputs.provinces)} "
               f"provinces, {len(inputs.corridors)} corridors, {len(inputs.re_zones)} zones)")
    for note in module_rounding_notes(data):
        typer.echo(f"note: {note}")


@app.command("orlib")
def orlib_cmd(
    path: Annotated[Path, typer.Argument(help="OR-Library cap file (capacitated warehouse "
                                               "location)")],
    capacity: Annotated[float | None, typer.Option(help="capacity of every warehouse (needed "
                                                        "for capa/capb/capc)")] = None,
    gap: Annotated[float, typer.Option(help="relative MIP gap")] = 1e-7,
    time_limit: Annotated[float, typer.Option(help="time limit [s]")] = 600.0,
    threads: Annotated[int, typer.Option(help="HiGHS threads")] = 1,
) -> None:
    """Solve an OR-Library capacitated facility location file with the core model."""
    from .problems.orlib import read_orlib_cap, solve_cflp

    try:
        check_options(gap=gap, time_limit=time_limit, threads=threads)
        inst = read_orlib_cap(path, capacity)
        report, timings = solve_cflp(inst, gap, time_limit, threads)
    except SitingError as exc:
        _fail(exc)
        return
    typer.echo(f"instance {inst.name}: {len(inst.capacity)} warehouses x "
               f"{len(inst.demand)} customers")
    typer.echo(f"status {report.status} (gap {report.mip_gap:.2e})")
    typer.echo(f"objective {report.objective:.3f}")
    typer.echo(f"seconds build {timings['build']:.2f}, solve {timings['solve']:.2f}")
    if not report.has_solution:
        raise typer.Exit(code=1)


@app.command("sweep")
def sweep_cmd(
    sweep_file: Annotated[Path, typer.Argument(help="sweep file (TOML)")],
    runs_dir: Annotated[Path, typer.Option(help="parent folder of the sweep folder")]
    = Path("runs"),
    workers: Annotated[int | None, typer.Option(help="local worker processes")] = None,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address, e.g. "
                                                       "tcp://host:8786")] = None,
    limit: Annotated[int | None, typer.Option(help="run at most this many scenarios")]
    = None,
    charts: Annotated[bool, typer.Option(help="draw the sweep charts at the end")] = True,
) -> None:
    """Run a sweep of scenarios (resumes: finished scenarios are skipped)."""
    from .sweep import load_sweep_file, run_sweep
    from .sweep.outputs import write_charts

    try:
        check_options(workers=workers, limit=limit)
        sweep = load_sweep_file(sweep_file)
        table = run_sweep(sweep, runs_dir=runs_dir, workers=workers, scheduler=scheduler,
                          limit=limit)
    except SitingError as exc:
        _fail(exc)
        return
    except KeyboardInterrupt:
        typer.secho("interrupted: finished scenarios are kept; run the same command to "
                    "resume", fg=typer.colors.YELLOW, err=True)
        raise typer.Exit(code=130) from None
    folder = runs_dir / sweep.name
    counts = table["status"].value_counts().to_dict() if len(table) else {}
    typer.echo(f"{len(table)} scenarios in {folder / 'results.parquet'}: "
               + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
    if charts and len(table):
        for path in write_charts(folder):
            typer.echo(f"chart       {path}")


@app.command("sweep-charts")
def sweep_charts_cmd(
    sweep_dir: Annotated[Path, typer.Argument(help="sweep folder, e.g. runs/korea-sweep")],
    scenarios: Annotated[str | None, typer.Option(help="comma-separated scenario ids for "
                                                       "the small multiples")] = None,
) -> None:
    """Draw the tornado / Pareto / small-multiples charts of a sweep folder."""
    from .sweep.outputs import write_charts

    ids = scenarios.split(",") if scenarios else None
    _write_listed("chart", lambda: write_charts(sweep_dir, ids))


@app.command("schema")
def schema_cmd() -> None:
    """Print the reference of every input table (Markdown)."""
    from .inputs.schema import schema_markdown

    typer.echo(schema_markdown())


@app.command("settings")
def settings_cmd() -> None:
    """Print the reference of every model-file setting (Markdown, as docs/model-file.md)."""
    from .inputs.settings_doc import settings_markdown

    typer.echo(settings_markdown(), nl=False)


if __name__ == "__main__":
    app()

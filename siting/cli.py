"""Command line: ``siting run``, ``siting validate``, ``siting schema``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .errors import SitingError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Site South Korea's AI data centres against the power grid.")


def _fail(exc: Exception) -> None:
    typer.secho(str(exc), fg=typer.colors.RED, err=True)
    raise typer.Exit(code=2)


@app.command("run")
def run_cmd(
    model_file: Annotated[Path, typer.Argument(help="model file (TOML)")],
    runs_dir: Annotated[Path, typer.Option(help="parent folder of run folders")] = Path("runs"),
    run_id: Annotated[str | None, typer.Option(help="run folder name (default: name-time)")]
    = None,
    overwrite: Annotated[bool, typer.Option(help="replace an existing run folder")] = False,
    no_map: Annotated[bool, typer.Option("--no-map", help="skip drawing map.png")] = False,
) -> None:
    """Solve a model file and write runs/<run-id>/."""
    from .api import run

    try:
        out = run(model_file, runs_dir=runs_dir, run_id=run_id, overwrite=overwrite,
                  draw_map=not no_map)
    except SitingError as exc:
        _fail(exc)
        return
    except KeyboardInterrupt:
        typer.secho("interrupted: no run folder was written", fg=typer.colors.YELLOW, err=True)
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
    typer.echo("seconds     " + ", ".join(f"{k} {v:.2f}" for k, v in out.timings.items()))
    typer.echo(f"{int(last['period'])}        {last['it_mw']:,.0f} MW IT at "
               f"{int(last['sites_open'])} sites in {int(last['provinces_used'])} provinces; "
               f"capital region {last['capital_region_share']:.1%}, renewable "
               f"{last['renewable_share']:.1%}")
    typer.echo(f"written     {out.run_dir}")


@app.command("validate")
def validate_cmd(model_file: Annotated[Path, typer.Argument(help="model file (TOML)")]) -> None:
    """Check a model file and its data without solving."""
    from .config import load_model_file
    from .inputs import load_inputs
    from .parameters import prepare
    from .precheck import precheck

    try:
        model = load_model_file(model_file)
        inputs = load_inputs(model)
        precheck(prepare(inputs, model))
    except SitingError as exc:
        _fail(exc)
        return
    typer.echo(f"{model_file}: OK ({len(inputs.sites)} sites, {len(inputs.provinces)} "
               f"provinces, {len(inputs.corridors)} corridors, {len(inputs.re_zones)} zones)")


@app.command("schema")
def schema_cmd() -> None:
    """Print the reference of every input table (Markdown)."""
    from .schema import schema_markdown

    typer.echo(schema_markdown())


if __name__ == "__main__":
    app()

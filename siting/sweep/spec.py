"""Sweep files (TOML, validated) and the scenarios of a design."""

from __future__ import annotations

import hashlib
import itertools
import json
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from ..errors import InputError, Problem
from ..inputs.model_file import ModelFile, load_model_file
from ..inputs.section import Strict
from ..inputs.validation import pydantic_problems, read_text
from .parameters import CATALOGUE


class ParameterRange(Strict):
    """Values of one swept parameter: a list (grid, oat, pareto) or a range (lhs)."""

    values: list[float] | None = None
    range: tuple[float, float] | None = None

    @model_validator(mode="after")
    def _one(self) -> ParameterRange:
        if (self.values is None) == (self.range is None):
            raise ValueError("give either 'values' (a list) or 'range' ([low, high])")
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError(f"range {list(self.range)} is reversed")
        if self.values is not None and not self.values:
            raise ValueError("'values' is empty")
        return self


class Design(Strict):
    """How scenarios are drawn from the parameters."""

    method: Literal["grid", "oat", "lhs", "pareto"] = "grid"
    samples: int = Field(20, gt=0, description="number of Latin hypercube samples")
    seed: int = Field(0, description="seed of the Latin hypercube")


class RunOptions(Strict):
    workers: int = Field(2, ge=1, le=1024, description="local worker processes")
    maps: bool = Field(False, description="draw map.png in every scenario folder")
    reuse_model: bool = Field(True, description="build once per worker and re-solve")
    explain_infeasible: bool = Field(True, description="re-solve an infeasible scenario "
                                     "elastically to find the relaxation that makes it "
                                     "feasible (a second solve per infeasible scenario)")


class SweepFile(Strict):
    """A whole sweep file."""

    name: str
    base: Path = Field(description="base model file, relative to the sweep file")
    design: Design = Design()
    parameters: dict[str, ParameterRange]
    run: RunOptions = RunOptions()
    path: Path | None = Field(None, exclude=True)

    @model_validator(mode="after")
    def _check(self) -> SweepFile:
        unknown = sorted(set(self.parameters) - set(CATALOGUE))
        if unknown:
            raise ValueError(f"unknown parameters {unknown}; sweepable: {sorted(CATALOGUE)}")
        if not self.parameters:
            raise ValueError("no parameters to sweep")
        needs_range = self.design.method == "lhs"
        for name, spec in self.parameters.items():
            if needs_range and spec.range is None:
                raise ValueError(f"parameters.{name}: the lhs design needs 'range'")
            if not needs_range and spec.values is None:
                raise ValueError(f"parameters.{name}: the {self.design.method} design needs "
                                 "'values'")
        if self.design.method == "pareto" and len(self.parameters) != 1:
            raise ValueError("the pareto design scans exactly one epsilon parameter")
        return self

    def base_model(self) -> ModelFile:
        base = self.base if self.path is None else (self.path.parent / self.base)
        return load_model_file(base)


def load_sweep_file(path: str | Path) -> SweepFile:
    """Read and validate a sweep file (errors name the key and the fix)."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(str(path), "sweep file not found", "check the path")])
    text = read_text(path, str(path))
    try:
        raw = tomllib.loads(text)
        sweep = SweepFile.model_validate(raw)
    except tomllib.TOMLDecodeError as exc:
        raise InputError([Problem(str(path), f"not valid TOML: {exc}", "fix the syntax")]) \
            from None
    except ValidationError as exc:
        raise InputError(pydantic_problems(str(path), exc, raw, text)) from None
    return sweep.model_copy(update={"path": path.resolve()})


def check_counts(workers: int | None, limit: int | None) -> None:
    """Refuse a worker count outside ``run.workers``'s range or a ``limit`` below 1.

    Raises
    ------
    InputError
        Before anything is read or written.
    """
    problems = []
    if workers is not None:
        try:
            RunOptions(workers=workers)
        except ValidationError as exc:
            problems += pydantic_problems("run_sweep arguments", exc, {"workers": workers})
    if limit is not None and not limit >= 1:
        problems.append(Problem("run_sweep arguments", "must be at least 1",
                                "give how many scenarios to run, or none for all",
                                column="limit", value=limit))
    if problems:
        raise InputError(problems)


def scenario_id(index: int, params: dict[str, float]) -> str:
    """Stable id: design position plus a digest of the values (resume-safe)."""
    digest = hashlib.sha1(json.dumps(params, sort_keys=True).encode()).hexdigest()[:8]
    return f"s{index:04d}-{digest}"


def scenarios(sweep: SweepFile, base: ModelFile) -> list[tuple[str, dict[str, float]]]:
    """The scenarios of the design as ``(scenario_id, {parameter: value})``, in order.

    Every scenario names a value for every swept parameter (the base value where the
    design leaves one unchanged).
    """
    names = list(sweep.parameters)
    base_values = {n: CATALOGUE[n].base(base) for n in names}
    method = sweep.design.method
    if method in ("grid", "pareto"):
        combos = [dict(zip(names, vals)) for vals in
                  itertools.product(*(sweep.parameters[n].values for n in names))]
    elif method == "oat":
        combos = [dict(base_values)]
        for n in names:
            for v in sweep.parameters[n].values:
                if v != base_values[n]:
                    combos.append({**base_values, n: v})
    else:
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=len(names), seed=sweep.design.seed).random(
            sweep.design.samples)
        lo = [sweep.parameters[n].range[0] for n in names]
        hi = [sweep.parameters[n].range[1] for n in names]
        combos = [dict(zip(names, map(float, row))) for row in qmc.scale(unit, lo, hi)]
    return [(scenario_id(i, c), c) for i, c in enumerate(combos)]

"""The model file: a TOML document validated with pydantic.

A model file names the data files (paths relative to the model file), the
periods and targets, which constraint families are on with their parameters,
the economics, the objective weights and the solver options. Unknown keys are
errors, so a misspelt option never silently falls back to a default.

Every number must be finite (TOML's ``inf`` and ``nan`` are refused) and lie in its
field's range; ranges without a natural limit are plausibility limits that only stop typos
and absurd values (``1e308``) before they reach the solver. The file must be UTF-8 text.

Data paths (``[data]``) may point anywhere on the disk: a relative path is resolved
against the model file's folder (the shipped models read ``../data/*.csv``), an absolute
path is used as it is, and symbolic links are followed. Each must name a regular file
ending in ``.csv`` (so a model file cannot make the tool read a device or a non-table
file); it is only ever read, and the run's ``manifest.json`` records its resolved absolute
path and SHA-256, so a run shows exactly which files it read.
"""

from __future__ import annotations

import itertools
import tomllib
from pathlib import Path

from pydantic import Field, ValidationError, create_model, field_validator, model_validator

from ..errors import InputError, Problem
from ..model.constraints import FAMILIES, cost_components
from ..model.constraints.targets import Committed, Targets
from .section import PeriodFloat, Strict, Year, per_period
from .validation import pydantic_problems, read_text


class DataFiles(Strict):
    """Paths of the input tables (``.csv`` files), relative to the model file's folder or
    absolute; see the module docstring for the rule."""

    provinces: Path
    sites: Path
    grid_nodes: Path
    corridors: Path
    re_zones: Path
    demand_centres: Path | None = Field(None, description=(
        "optional: where compute is used (the service family's demand points)"))
    demand_split: Path | None = Field(None, description=(
        "optional: share of the target that is latency-sensitive inference, per period"))
    network_latency: Path | None = Field(None, description=(
        "optional: round-trip time from each site to each demand centre"))
    network_buses: Path | None = Field(None, description=(
        "optional (grid mode network): AC buses of the transmission network"))
    network_lines: Path | None = Field(None, description="optional: AC lines")
    network_transformers: Path | None = Field(None, description="optional: transformers")
    network_links: Path | None = Field(None, description="optional: HVDC links")
    network_generators: Path | None = Field(None, description=(
        "optional: generating units at their buses"))
    network_demand: Path | None = Field(None, description=(
        "optional: peak demand per province and period"))
    network_snapshots: Path | None = Field(None, description=(
        "optional: stress hours per period (peak, low load with high solar)"))


def _section_field(section: type) -> tuple:
    """``(type, default)`` of a family's section: required if it has a required key."""
    required = any(f.is_required() for f in section.model_fields.values())
    return (section, ...) if required else (section, section())


Constraints = create_model(
    "Constraints", __base__=Strict,
    __doc__="One section per constraint family (``[constraints.<family>]``), assembled from "
            "the family registry (:data:`siting.model.constraints.FAMILIES`).",
    **{f.name: _section_field(f.section) for f in FAMILIES if f.section is not None})

class Economics(Strict):
    """Economic assumptions of the objective."""

    base_year: Year = Field(2026, description="year costs are discounted to")
    discount_rate: float = Field(0.05, ge=0, lt=1, description="real discount rate [1/yr]")
    lifetime_years: int = Field(20, gt=0, le=200, description="economic life of capital [yr]")
    utilization: float = Field(0.8, gt=0, le=1, description="average IT load / IT capacity")
    last_period_years: int = Field(5, gt=0, le=200, description=(
        "years the last period represents"))


Weights = create_model(
    "Weights", __base__=Strict,
    __doc__="Objective weights of the cost components (1 = count in full), one per cost "
            "term of the family registry.",
    **{k: (float, Field(1.0, ge=0, le=1000)) for k in cost_components()})


class Solver(Strict):
    """HiGHS options.

    ``mip_heuristic_effort`` is the share of HiGHS's MIP effort spent on primal
    heuristics (HiGHS's own default is 0.05). Ours is 0.3: on the 5,000-site benchmark
    instances the time goes into finding good plans, not into the bound, and HiGHS alone
    on the same matrices took 158 s instead of 292 s (seed 0) and 342 s instead of
    stopping at its 600 s limit (seed 1); from 43 to 1,000 sites the times did not change
    (``bench/RESULTS.md``). ``options`` passes any other HiGHS option by its HiGHS name.
    """

    mip_rel_gap: float = Field(1e-4, ge=0, lt=1)  # 1 (100 %) would accept any plan
    time_limit_s: float = Field(60.0, gt=0, le=1e7)
    threads: int = Field(1, ge=1, le=1024)
    random_seed: int = Field(0, ge=0, le=2147483647)
    mip_heuristic_effort: float = Field(0.3, ge=0, le=1)
    options: dict[str, float | int | str | bool] = Field(default_factory=dict)


class ModelFile(Strict):
    """A whole model file."""

    name: str
    description: str = ""
    data: DataFiles | None = Field(None, description=(
        "the input tables; only a problem form that brings its own tables (e.g. OR-Library, "
        "through siting.model.data.assemble) leaves it out"))
    periods: list[Year]
    constraints: Constraints
    economics: Economics = Economics()
    objective: Weights = Weights()
    solver: Solver = Solver()
    path: Path | None = Field(None, exclude=True, description="where the file was read from")

    @field_validator("periods")
    @classmethod
    def _ordered(cls, v: list[int]) -> list[int]:
        if not v:
            raise ValueError("at least one period is needed")
        if any(b <= a for a, b in itertools.pairwise(v)):
            raise ValueError(f"periods must be strictly increasing years, got {v}")
        return v

    @model_validator(mode="after")
    def _period_keys(self) -> ModelFile:
        known = {str(p) for p in self.periods}
        c = self.constraints
        tables = {"constraints.targets.values": c.targets.values}
        tables |= {f"constraints.{f.name}.{k}": getattr(getattr(c, f.name), k)
                   for f in FAMILIES if f.section is not None for k in f.period_fields}
        for key, table in tables.items():
            if isinstance(table, dict):
                unknown = sorted(set(table) - known)
                if unknown:
                    raise ValueError(f"{key} names periods {unknown} that are not in "
                                     f"periods {self.periods}")
        missing = sorted(known - set(c.targets.values))
        if c.targets.enabled and missing:
            raise ValueError(f"constraints.targets.values has no target for periods {missing}")
        for com in c.targets.committed:
            if str(com.period) not in known:
                raise ValueError(f"committed project at '{com.site}' names period {com.period} "
                                 f"that is not in periods {self.periods}")
        return self

    def data_path(self, table: str) -> Path:
        """Absolute path of an input table, resolved against the model file's folder.

        Raises
        ------
        InputError
            The model file has no ``[data]`` section.
        """
        if self.data is None:
            raise InputError([Problem(str(self.path or self.name), "no [data] section: the "
                                      "model file names no input tables",
                                      "add [data] with the paths of provinces, sites, "
                                      "grid_nodes, corridors and re_zones", column="data")])
        rel = getattr(self.data, table)
        base = self.path.parent if self.path is not None else Path.cwd()
        return (base / rel).resolve()

    def target_mw(self) -> dict[int, float]:
        """National target per period in MW of IT load."""
        t = self.constraints.targets
        scale = t.kw_per_gpu / 1000.0 if t.unit == "GPU" else 1.0
        return {p: t.values[str(p)] * scale for p in self.periods}


def load_model_file(path: str | Path) -> ModelFile:
    """Read and validate a model file.

    Raises
    ------
    InputError
        Listing every unknown key, wrong type or bad value with its location.
    """
    path = Path(path)
    shown = str(path)
    if not path.is_file():
        raise InputError([Problem(shown, "model file not found",
                                  "check the path (it is relative to the current folder)")])
    text = read_text(path, shown)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError([Problem(shown, f"not valid TOML: {exc}",
                                  "fix the syntax at the position given")]) from None
    try:
        mf = ModelFile.model_validate(raw)
    except ValidationError as exc:
        raise InputError(pydantic_problems(shown, exc, raw, text)) from None
    return mf.model_copy(update={"path": path.resolve()})


__all__ = ["Committed", "Constraints", "DataFiles", "Economics", "ModelFile", "PeriodFloat",
           "Solver", "Targets", "Weights", "load_model_file", "per_period"]

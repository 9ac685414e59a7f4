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
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import InputError, Problem
from .validation import pydantic_problems, read_text

PeriodFloat = float | dict[str, float]
"""A value for every period, or a table ``{"2030" = value, ...}`` by period year."""
Share = Annotated[float, Field(ge=0, le=1)]
PeriodShare = Share | dict[str, Share]
"""A share in [0, 1] for every period, or a table of them by period year."""
Year = Annotated[int, Field(ge=1900, le=2200)]
MAX_TARGET = {"MW": 1e6, "GPU": 1e9}
"""Plausibility limit of a national target: 1 TW of IT load, or a billion GPUs."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class DataFiles(_Strict):
    """Paths of the input tables (``.csv`` files), relative to the model file's folder or
    absolute; see the module docstring for the rule."""

    provinces: Path
    sites: Path
    grid_nodes: Path
    corridors: Path
    re_zones: Path


class Committed(_Strict):
    """A committed project: a floor on (or a fixed value of) a site's IT capacity from a period on."""

    site: str
    period: Year
    it_mw: float = Field(ge=0, le=1e5, description="IT capacity [MW]")
    mode: Literal["floor", "fixed"] = "floor"


class Targets(_Strict):
    """National targets of installed IT capacity per period (cumulative)."""

    enabled: bool = True
    unit: Literal["MW", "GPU"] = "MW"
    kw_per_gpu: float = Field(1.7, gt=0, le=100, description=(
        "IT power per GPU incl. its server share [kW]"))
    values: dict[str, float] = Field(description="target per period year, in `unit`")
    committed: list[Committed] = []

    @field_validator("values")
    @classmethod
    def _non_negative(cls, v: dict[str, float], info) -> dict[str, float]:
        unit = info.data.get("unit", "MW")
        for year, val in v.items():
            if val < 0:
                raise ValueError(f"target for {year} is negative ({val})")
            if val > MAX_TARGET[unit]:
                raise ValueError(f"target for {year} is {val:g} {unit}, above the plausible "
                                 f"maximum {MAX_TARGET[unit]:,.0f} {unit}")
        return v


class Grid(_Strict):
    """Grid limits: node headroom and the provincial transport model."""

    enabled: bool = True
    node_headroom: bool = True
    province_balance: bool = True
    surplus_share: float = Field(0.1, ge=0, le=1, description=(
        "share of a province's annual generation surplus (generation - consumption, as "
        "average MW) available to new data-centre load"))
    corridor_headroom_share: float = Field(0.1, ge=0, le=1, description=(
        "share of a corridor's summed thermal rating available to new flows"))
    transmission_krw_per_kwh: float = Field(5.0, ge=0, le=1000, description=(
        "cost of moving energy over an inter-provincial corridor [KRW/kWh]"))
    connection_bn_krw_per_km: float = Field(3.0, ge=0, le=1000, description=(
        "cost of the connection line from a site to its grid node [bn KRW/km]"))


class Renewable(_Strict):
    """Renewable proximity: a share of each site's energy from zones within a radius."""

    enabled: bool = True
    min_share: PeriodShare = Field(0.2, description="share of facility energy [0-1]")
    radius_km: float = Field(100.0, gt=0, le=2000, description="largest site-zone distance [km]")


HostCount = Annotated[int, Field(ge=0, le=1000)]


class Decentralization(_Strict):
    """Caps on the capital region and on any one province, and a minimum of host provinces."""

    enabled: bool = True
    capital_region_max_share: PeriodShare | None = 0.3
    province_max_share: PeriodShare | None = 0.4
    min_host_provinces: HostCount | dict[str, HostCount] | None = 4


class Constraints(_Strict):
    targets: Targets
    grid: Grid = Grid()
    renewable: Renewable = Renewable()
    decentralization: Decentralization = Decentralization()


class Economics(_Strict):
    """Economic assumptions of the objective."""

    base_year: Year = Field(2026, description="year costs are discounted to")
    discount_rate: float = Field(0.05, ge=0, lt=1, description="real discount rate [1/yr]")
    lifetime_years: int = Field(20, gt=0, le=200, description="economic life of capital [yr]")
    utilization: float = Field(0.8, gt=0, le=1, description="average IT load / IT capacity")
    last_period_years: int = Field(5, gt=0, le=200, description=(
        "years the last period represents"))


class Weights(_Strict):
    """Objective weights of the cost components (1 = count in full)."""

    capex: float = Field(1.0, ge=0, le=1000)
    energy: float = Field(1.0, ge=0, le=1000)
    grid_connection: float = Field(1.0, ge=0, le=1000)
    renewable: float = Field(1.0, ge=0, le=1000)
    transmission: float = Field(1.0, ge=0, le=1000)
    service: float = Field(1.0, ge=0, le=1000)


class Solver(_Strict):
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
    options: dict[str, float | int | str | bool] = {}


class ModelFile(_Strict):
    """A whole model file."""

    name: str
    description: str = ""
    data: DataFiles
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
        tables = {"constraints.targets.values": c.targets.values,
                  "constraints.renewable.min_share": c.renewable.min_share,
                  "constraints.decentralization.capital_region_max_share":
                      c.decentralization.capital_region_max_share,
                  "constraints.decentralization.province_max_share":
                      c.decentralization.province_max_share,
                  "constraints.decentralization.min_host_provinces":
                      c.decentralization.min_host_provinces}
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
        """Absolute path of an input table, resolved against the model file's folder."""
        rel = getattr(self.data, table)
        base = self.path.parent if self.path is not None else Path.cwd()
        return (base / rel).resolve()

    def target_mw(self) -> dict[int, float]:
        """National target per period in MW of IT load."""
        t = self.constraints.targets
        scale = t.kw_per_gpu / 1000.0 if t.unit == "GPU" else 1.0
        return {p: t.values[str(p)] * scale for p in self.periods}


def per_period(value, periods: list[int]) -> dict[int, float | None]:
    """Expand a scalar-or-table setting to one value per period (None where absent)."""
    if isinstance(value, dict):
        return {p: value.get(str(p)) for p in periods}
    return {p: value for p in periods}


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

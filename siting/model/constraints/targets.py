"""Family 1: national targets and committed projects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import pyomo.environ as pyo
from pydantic import Field, field_validator, model_validator

from ...inputs.section import Strict, Year
from .base import Family, Limit, linear
from .sweepable import SweepParameter, scale_param, unit_base, update

if TYPE_CHECKING:
    from ..data import ModelData


MAX_TARGET = {"MW": 1e6, "GPU": 1e9}
"""Plausibility limit of a national target: 1 TW of IT load, or a billion GPUs."""


class Committed(Strict):
    """A committed project: a floor on (or a fixed value of) a site's IT capacity from a period on.

    Give the capacity as ``it_mw`` or as ``it_gpus``; in a model file, ``it_gpus`` is
    converted to ``it_mw`` with ``constraints.targets.kw_per_gpu`` (and kept as given).
    """

    site: str
    period: Year
    it_mw: float | None = Field(None, ge=0, le=1e5, description="IT capacity [MW]")
    it_gpus: float | None = Field(None, ge=0, le=1e9, description="IT capacity [GPUs]")
    mode: Literal["floor", "fixed"] = "floor"

    @model_validator(mode="after")
    def _capacity_given(self) -> Committed:
        if self.it_mw is None:
            raise ValueError(f"committed project at '{self.site}' needs it_mw [MW] or "
                             "it_gpus [GPUs] (inside constraints.targets)")
        return self


class Targets(Strict):
    """National targets of installed IT capacity per period (cumulative)."""

    enabled: bool = True
    unit: Literal["MW", "GPU"] = "MW"
    kw_per_gpu: float = Field(1.7, gt=0, le=100, description=(
        "IT power per GPU incl. its server share [kW]"))
    values: dict[str, float] = Field(description="target per period year, in `unit`")
    committed: list[Committed] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _gpus_to_mw(cls, raw):
        """``it_gpus`` of a commitment -> ``it_mw`` = GPUs x kW per GPU / 1000."""
        if not isinstance(raw, dict) or not isinstance(raw.get("committed"), list):
            return raw
        kw = raw.get("kw_per_gpu", cls.model_fields["kw_per_gpu"].default)
        rows = []
        for c in raw["committed"]:
            if isinstance(c, dict) and c.get("it_gpus") is not None and c.get("it_mw") is None \
                    and isinstance(kw, int | float) and isinstance(c["it_gpus"], int | float):
                c = c | {"it_mw": c["it_gpus"] * kw / 1000.0}
            rows.append(c)
        return raw | {"committed": rows}

    @model_validator(mode="after")
    def _one_capacity(self) -> Targets:
        """A commitment gives ``it_mw`` or ``it_gpus``, not both (checked after the
        fields, so that a bad ``it_gpus`` is reported at its own key)."""
        for c in self.committed:
            if c.it_gpus is not None and abs(c.it_mw - c.it_gpus * self.kw_per_gpu / 1000.0) \
                    > 1e-9 * max(1.0, c.it_mw):
                raise ValueError(f"committed project at '{c.site}' gives both it_mw and "
                                 "it_gpus: keep one")
        return self

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


def add_national_target(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Installed IT capacity meets the national target in every period.

    .. math:: \\sum_s it_{s,p} \\ge T_p \\quad \\forall p

    ``T_p`` [MW IT] is the mutable Param ``target_mw`` (GPU targets are converted with
    the model file's kW per GPU).
    """
    if not data.settings["targets"].enabled:
        return
    m.target_mw = pyo.Param(m.P, initialize=data.target_mw, mutable=True, doc="[MW IT]")
    lk = data.lookup
    m.national_target = pyo.Constraint(m.P, rule=lambda m, p: (
        m.target_mw[p], linear((lk.module_mw[s] for s in lk.live[p]),
                               (m.site_modules[s, p] for s in lk.live[p])), None))


def add_committed_projects(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Committed projects: a floor on (or fixed value of) a site's IT capacity.

    A commitment made for period ``q`` holds in ``q`` and every later period (capacity
    only grows, so a floor carries forward; a fixed value fixes ``q`` only). Floors are
    cumulative capacities: of several floors at a site, the largest made by ``p`` holds.

    .. math:: it_{s,p} \\ge F_{s,q} \\quad \\forall p \\ge q
    """
    committed = data.settings["targets"].committed
    if not committed:
        return
    value: dict[tuple[str, int, str], float] = {}
    for c in committed:
        periods = [p for p in data.periods if p >= c.period] if c.mode == "floor" else [c.period]
        sense = "ge" if c.mode == "floor" else "eq"
        for p in periods:  # floors are cumulative: the largest one made by p holds in p
            value[c.site, p, sense] = max(value.get((c.site, p, sense), 0.0), c.it_mw)
    index = list(value)
    m.committed_mw = pyo.Param(index, initialize=value, mutable=True, doc="[MW IT]")

    def rule(m, s, p, sense):
        if sense == "eq":
            return m.site_it_mw[s, p] == m.committed_mw[s, p, sense]
        return m.site_it_mw[s, p] >= m.committed_mw[s, p, sense]

    m.site_committed = pyo.Constraint(index, rule=rule)


def committed_floors(data: ModelData, period: int) -> dict[str, float]:
    """IT capacity each site must hold in ``period`` by its commitments [MW IT].

    Commitments are cumulative capacities, and capacity never shrinks: a site committed
    to 100 MW in 2027 and 1,000 MW in 2035 must hold 1,000 MW in 2035, not 1,100 MW. So
    the largest commitment made for ``period`` or earlier counts (a fixed value binds later
    periods as a floor too, through staging), never their sum.
    """
    floors: dict[str, float] = {}
    for c in data.settings["targets"].committed:
        if c.site in data.sites.index and c.period <= period:
            floors[c.site] = max(floors.get(c.site, 0.0), c.it_mw)
    return floors


def add_targets(m: pyo.ConcreteModel, data: ModelData) -> None:
    """The national target (when on) and the committed projects (always)."""
    add_national_target(m, data)
    add_committed_projects(m, data)


def _scaled_targets(model, inputs, f: float):
    values = {k: v * f for k, v in model.constraints.targets.values.items()}
    return update(model, ("constraints", "targets", "values"), values), inputs


def _rescale_targets(m, snapshot, f: float) -> None:
    """``resolve`` of ``target_scale``: the targets, and a host minimum that scales with
    them (:func:`~siting.model.constraints.decentralization.rescale_hosts`)."""
    from .decentralization import rescale_hosts

    scale_param("target_mw")(m, snapshot, f)
    rescale_hosts(m)


FAMILY = Family(
    name="targets", add=add_targets, section=Targets,
    limits=(
        Limit("national_target", "installed IT capacity at least the national target",
              "MW IT", "{period}: national target short by {amount:,.1f} MW IT", goal=True),
        Limit("site_committed", "committed project's IT capacity (floor or fixed value)",
              "MW IT", "{period}: committed project at {id} short by {amount:,.1f} MW IT",
              goal=True, period_at=1),
    ),
    sweeps=(SweepParameter("target_scale", "x", "national targets scaled (all periods)",
                           unit_base, _scaled_targets, _rescale_targets, ("target_mw",)),),
)

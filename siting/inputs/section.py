"""Building blocks of model-file sections, shared by the model file and the constraint
families that declare their own section (:mod:`siting.model.constraints`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

PeriodFloat = float | dict[str, float]
"""A value for every period, or a table ``{"2030" = value, ...}`` by period year."""
Share = Annotated[float, Field(ge=0, le=1)]
PeriodShare = Share | dict[str, Share]
"""A share in [0, 1] for every period, or a table of them by period year."""
Year = Annotated[int, Field(ge=1900, le=2200)]
HostCount = Annotated[int, Field(ge=0, le=1000)]


class Strict(BaseModel):
    """A model-file section: unknown keys are errors, values are frozen, numbers finite
    (TOML's ``inf`` and ``nan`` are refused)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def per_period(value, periods: list[int]) -> dict[int, float | None]:
    """Expand a scalar-or-table setting to one value per period (None where absent)."""
    if isinstance(value, dict):
        return {p: value.get(str(p)) for p in periods}
    return {p: value for p in periods}

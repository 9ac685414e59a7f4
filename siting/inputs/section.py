"""Building blocks of model-file sections, shared by the model file and the constraint
families that declare their own section (:mod:`siting.model.constraints`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

PeriodFloat = float | dict[str, float]
"""A value for every period, or a table ``{"2030" = value, ...}`` by period year."""


class Strict(BaseModel):
    """A model-file section: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def per_period(value, periods: list[int]) -> dict[int, float | None]:
    """Expand a scalar-or-table setting to one value per period (None where absent)."""
    if isinstance(value, dict):
        return {p: value.get(str(p)) for p in periods}
    return {p: value for p in periods}

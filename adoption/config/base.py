"""Shared building blocks of the scenario schema."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

Share = Annotated[float, Field(ge=0.0, le=1.0)]
"""A proportion between 0 and 1."""

PerYear = Annotated[float, Field(ge=0.0, le=10_000.0)]
"""A hazard rate in events per person per year."""


MAX_MAGNITUDE = 1e12
"""The largest number a scenario may give (money, rates, weights): beyond it, sums overflow."""


class Section(BaseModel):
    """A scenario section: unknown keys are errors, values are checked on assignment too.

    Infinity and NaN are refused everywhere: no money, rate, weight or count is infinite.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _plausible_magnitude(cls, value: Any) -> Any:
        # a finite but astronomic number (1e308) overflows to infinity in the first sum
        if isinstance(value, float) and abs(value) > MAX_MAGNITUDE:
            raise ValueError(f"expected a number between -{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g}")
        return value

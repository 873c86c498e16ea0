"""Shared building blocks of the scenario schema."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Share = Annotated[float, Field(ge=0.0, le=1.0)]
"""A proportion between 0 and 1."""

PerYear = Annotated[float, Field(ge=0.0, le=10_000.0)]
"""A hazard rate in events per person per year."""


class Section(BaseModel):
    """A scenario section: unknown keys are errors, values are checked on assignment too.

    Infinity and NaN are refused everywhere: no money, rate, weight or count is infinite.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)

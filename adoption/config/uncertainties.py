"""Scenario section `uncertainties`: distributions over scenario fields (XLRM's X)."""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from adoption.config.base import Section


class Uncertainty(Section):
    """A distribution over one scenario field, named by its dotted key path."""

    distribution: Literal["uniform", "triangular", "normal", "lognormal", "choice"]
    low: float | None = Field(None, description="lower bound (uniform, triangular)")
    high: float | None = Field(None, description="upper bound (uniform, triangular)")
    mode: float | None = Field(None, description="most likely value (triangular)")
    mean: float | None = Field(None, description="mean (normal; of the log for lognormal)")
    sd: float | None = Field(None, gt=0, description="standard deviation (normal, lognormal)")
    values: list[Any] | None = Field(
        None, min_length=1, description="the options (choice): numbers, true/false or words"
    )

    @field_validator("values")
    @classmethod
    def _plain_values(cls, values: list[Any] | None) -> list[Any] | None:
        for value in values or []:
            if not isinstance(value, bool | int | float | str):
                raise ValueError(
                    f"each choice is one number, true/false or word, not {value!r}; "
                    "to vary several fields, give each its own uncertainty"
                )
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"choice {value!r} is not a finite number")
        return values

    @model_validator(mode="after")
    def _parameters_present(self) -> Uncertainty:
        needed = {
            "uniform": ("low", "high"),
            "triangular": ("low", "mode", "high"),
            "normal": ("mean", "sd"),
            "lognormal": ("mean", "sd"),
            "choice": ("values",),
        }[self.distribution]
        missing = [name for name in needed if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {self.distribution} distribution needs {', '.join(missing)}")
        if self.distribution in ("uniform", "triangular") and self.low >= self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        if self.distribution == "triangular" and not self.low <= self.mode <= self.high:
            raise ValueError(f"mode ({self.mode}) must lie between low and high")
        return self

    def quantile(self, u: np.ndarray) -> np.ndarray:
        """The distribution's values at probabilities `u` (inverse CDF)."""
        kind = self.distribution
        if kind == "uniform":
            return self.low + u * (self.high - self.low)
        from scipy import stats  # here, not at the top: test_imports.py

        if kind == "triangular":
            width = self.high - self.low
            return stats.triang.ppf(u, (self.mode - self.low) / width, loc=self.low, scale=width)
        if kind == "normal":
            return stats.norm.ppf(u, loc=self.mean, scale=self.sd)
        if kind == "lognormal":
            return stats.lognorm.ppf(u, s=self.sd, scale=np.exp(self.mean))
        values = np.array(self.values, dtype=object)
        return values[np.minimum((u * len(values)).astype(int), len(values) - 1)]

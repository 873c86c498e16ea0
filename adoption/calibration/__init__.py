"""Calibration: from a pilot's telemetry to a posterior over scenario parameters, its
checks, and a forecast of the remaining rollout (a layer above `experiment`)."""

from adoption.calibration.calibrate import Calibration, calibrate
from adoption.calibration.draws import posterior_draws
from adoption.calibration.telemetry import Telemetry, read_telemetry

__all__ = ["Calibration", "Telemetry", "calibrate", "posterior_draws", "read_telemetry"]

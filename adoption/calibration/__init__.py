"""Calibration: from a pilot's telemetry to a posterior over scenario parameters, its
checks, and a forecast of the remaining rollout (a layer above `experiment`)."""

from adoption.calibration.calibrate import Calibration, calibrate
from adoption.calibration.telemetry import Telemetry, read_telemetry

__all__ = ["Calibration", "Telemetry", "calibrate", "read_telemetry"]

"""Issue 23, item 3: a calibration folder is a whole, bound by its manifest; a forecast
refuses anything else with exit 2, and a failed re-calibration leaves the old one."""

from __future__ import annotations

import errno
import json
import shutil

import pytest

from adoption.calibration import calibrate
from adoption.calibration.folder import FILES, MANIFEST, read_folder
from tests.conftest import assert_clean_error

FIT = ["behaviour.try_per_year"]
FORECAST = ("--samples", "2", "--replications", "1", "--workers", "1", "--set", "horizon_days=80")


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    """One small calibration folder, made once; tests tamper with copies of it."""
    import yaml

    from adoption.calibration.synthetic import synthetic_telemetry
    from tests.calibration.conftest import TINY, TRUTH

    root = tmp_path_factory.mktemp("calibrated")
    scenario = root / "tiny.yaml"
    scenario.write_text(yaml.safe_dump(TINY))
    frame = synthetic_telemetry(scenario, "north-pilot", TRUTH, weeks=4, seed=7)
    calibrate(scenario, frame, FIT, root / "cal", population=10, generations=1, predictive=2)
    return root / "cal"


@pytest.fixture
def folder(calibrated, tmp_path):
    copy = tmp_path / "cal"
    shutil.copytree(calibrated, copy)
    return copy


def test_the_folder_carries_a_manifest_binding_every_file(folder):
    manifest = read_folder(folder)
    assert set(manifest["files"]) == set(FILES) and len(manifest["calibration"]) == 32
    assert sorted(p.name for p in folder.iterdir()) == sorted([*FILES, MANIFEST])


def test_a_whole_folder_forecasts(cli, folder):
    result = cli("compare", "--posterior", folder, *FORECAST)
    assert result.code == 0, result.err
    assert "recommendation: " in result.out


def test_a_truncated_calibrated_yaml_is_refused(cli, folder):
    path = folder / "calibrated.yaml"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    result = cli("compare", "--posterior", folder, *FORECAST)
    assert_clean_error(result, "calibrated.yaml is not the file this calibration wrote")
    assert "recommendation" not in result.out


def test_a_plain_scenario_in_place_of_the_posterior_is_refused(cli, folder, tmp_path):
    (folder / "calibrated.yaml").write_text("name: plain\n")
    assert_clean_error(cli("compare", "--posterior", folder, *FORECAST), "calibrated.yaml")
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "calibrated.yaml").write_text("name: plain\n")
    (bare / "diagnostics.json").write_text("{}")
    assert_clean_error(cli("compare", "--posterior", bare, *FORECAST), "no readable manifest")


def test_a_manifest_rewritten_by_hand_is_still_checked(cli, folder):
    manifest = json.loads((folder / MANIFEST).read_text())
    del manifest["files"]["predictive.png"]
    (folder / MANIFEST).write_text(json.dumps(manifest))
    assert_clean_error(cli("compare", "--posterior", folder), "does not list")


def test_a_full_disk_during_recalibration_leaves_the_old_calibration(cli, folder, monkeypatch):
    before = read_folder(folder)["calibration"]
    import yaml

    from tests.calibration.conftest import TINY

    scenario = folder.parent / "tiny.yaml"
    scenario.write_text(yaml.safe_dump(TINY))
    telemetry = folder.parent / "pilot.csv"
    telemetry.write_text("week,region,active\n1,North,3\n2,North,6\n")

    class FullDisk:
        """A figure whose file is cut short by a full disk."""

        def savefig(self, path, **options):
            path.write_bytes(b"\x89PNG half")
            raise OSError(errno.ENOSPC, "No space left on device", str(path))

    import adoption.calibration.figures as figures

    monkeypatch.setattr(figures, "predictive_figure", lambda calibration: FullDisk())
    result = cli(
        "calibrate", scenario, "--telemetry", telemetry, "--fit", FIT[0],
        "--population", "10", "--generations", "1", "--draws", "2", "--out", folder,
    )  # fmt: skip
    assert result.code == 1 and "No space left on device" in result.err
    assert read_folder(folder)["calibration"] == before  # whole, and the old one
    assert sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(".")) == []


def test_calibrating_into_a_folder_of_other_files_is_refused_before_any_work(cli, tmp_path):
    taken = tmp_path / "mine"
    taken.mkdir()
    (taken / "notes.txt").write_text("keep me")
    result = cli("calibrate", "--telemetry", tmp_path / "none.csv", "--fit", FIT[0], "--out", taken)
    assert_clean_error(result, "not a calibration's")
    assert (taken / "notes.txt").read_text() == "keep me"

"""Dask distributed: a real scheduler and worker on 127.0.0.1, same numbers as serial."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from adoption import DaskExecutor, SerialExecutor, compare, explore, load_scenario
from adoption.errors import InputError

pytestmark = pytest.mark.slow  # a real Dask scheduler and worker


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dask_command() -> list[str]:
    found = shutil.which("dask", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "dask"]


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """Start `dask scheduler` and one `dask worker` on loopback; stop them after."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path_factory.mktemp("dask")
    processes = [
        subprocess.Popen(
            [
                *dask_command(),
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-dashboard",
            ],
            stdout=(logs / "scheduler.log").open("w"),
            stderr=subprocess.STDOUT,
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError((logs / "scheduler.log").read_text()) from None
                time.sleep(0.2)
        processes.append(
            subprocess.Popen(
                [
                    *dask_command(),
                    "worker",
                    address,
                    "--nworkers",
                    "2",
                    "--nthreads",
                    "1",
                    "--no-dashboard",
                ],
                stdout=(logs / "worker.log").open("w"),
                stderr=subprocess.STDOUT,
            )
        )
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_dask_gives_bit_identical_results(scheduler):
    scenario = load_scenario("experiments/scenarios/workshop.yaml", {"horizon_days": 90})
    plans = ["big-bang", "pilot-10"]
    serial = compare(scenario, plans, replications=4, seed=3, executor=SerialExecutor())
    executor = DaskExecutor(scheduler)
    try:
        assert executor.workers == 2
        distributed = compare(scenario, plans, replications=4, seed=3, executor=executor)
    finally:
        executor.close()
    pd.testing.assert_frame_equal(serial.runs, distributed.runs)
    pd.testing.assert_frame_equal(serial.timeseries, distributed.timeseries)


def test_dask_explores_to_the_same_worlds(scheduler):
    overrides = {"organisation.employees": 200, "horizon_days": 60}
    plans = ["big-bang", "pilot-10"]
    kwargs = dict(samples=1, replications=2, seed=4, overrides=overrides)
    serial = explore(None, plans, executor=SerialExecutor(), **kwargs)
    executor = DaskExecutor(scheduler)
    try:
        distributed = explore(None, plans, executor=executor, **kwargs)
    finally:
        executor.close()
    pd.testing.assert_frame_equal(serial.worlds, distributed.worlds)
    pd.testing.assert_frame_equal(serial.robustness, distributed.robustness)


def test_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(InputError, match="cannot reach a Dask scheduler"):
        DaskExecutor(f"tcp://127.0.0.1:{free_port()}", connect_timeout_s=2)
